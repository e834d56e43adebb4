"""Business days in Japan, and moving a date that is not one (docs/rules.md, "Date conventions").

A business day is a weekday that is neither a national holiday (国民の祝日, with 振替休日
and 国民の休日, from the ``jpholiday`` package: 国民の祝日に関する法律) nor a bank holiday
of the year end (銀行休業日, December 31 to January 3: 銀行法施行令 第5条).

API, for the commands and plan files that move due dates and advances:

- :class:`Convention` — ``none``, ``following``, ``preceding``, ``modified-following``;
  :meth:`Convention.parse` reads one from text (an :class:`InputError` otherwise).
- :func:`is_business_day` ``(d) -> bool``.
- :func:`why_not_business_day` ``(d) -> Text | None`` — why ``d`` is not one, in both
  languages (``Saturday`` / ``土曜日``, ``national holiday (元日)`` / ``国民の祝日（元日）``,
  ``bank holiday (December 31 to January 3)`` / ``銀行休業日（12月31日〜1月3日）``).
- :func:`adjust` ``(d, convention) -> date`` — the date a payment falls on: unchanged
  with ``none`` or on a business day; otherwise the next business day (``following``),
  the previous one (``preceding``), or the next unless that leaves the month, then the
  previous (``modified-following``).

The holiday package loads inside these functions only, so ``import astep_calc`` stays light.

>>> adjust(date(2028, 1, 1), Convention.FOLLOWING)      # 元日, a Saturday; Jan 2 Sun, Jan 3 bank holiday
datetime.date(2028, 1, 4)
>>> adjust(date(2029, 3, 20), Convention.PRECEDING)     # 春分の日, a Tuesday
datetime.date(2029, 3, 19)
>>> adjust(date(2026, 10, 31), Convention.MODIFIED_FOLLOWING)   # a Saturday at the month's end
datetime.date(2026, 10, 30)
"""

from __future__ import annotations

from datetime import date, timedelta
from enum import Enum

from astep_calc.text import InputError, Text

ONE_DAY = timedelta(days=1)

#: 銀行法施行令 第5条第1項: banks close from December 31 to January 3.
BANK_HOLIDAYS = ((12, 31), (1, 1), (1, 2), (1, 3))

#: No run of days off in Japan is this long; a search that goes further is a bug.
_MAX_STEPS = 15


class Convention(Enum):
    """How a date that is not a business day moves."""

    NONE = "none"
    FOLLOWING = "following"
    PRECEDING = "preceding"
    MODIFIED_FOLLOWING = "modified-following"

    @classmethod
    def parse(cls, text: str, *, field: str | None = "business_day") -> Convention:
        """A convention from its name (case and ``_`` for ``-`` do not matter).

        >>> Convention.parse("Modified_Following")
        <Convention.MODIFIED_FOLLOWING: 'modified-following'>
        """
        key = str(text).strip().lower().replace("_", "-")
        for c in cls:
            if c.value == key:
                return c
        names = ", ".join(c.value for c in cls)
        raise InputError(f"{text!r} is not one of {names}",
                         f"「{text}」は使えません。{names.replace(', ', '、')} のいずれかにしてください", field=field)


def _national_holiday(d: date) -> str | None:
    """The national holiday's name (元日, 春分の日, 振替休日...) or None."""
    import jpholiday  # only here: the package is needed only when dates are checked

    name = jpholiday.is_holiday_name(d)
    return str(name) if name else None


def why_not_business_day(d: date) -> Text | None:
    """Why ``d`` is not a business day, or None when it is one.

    >>> why_not_business_day(date(2029, 3, 20))
    Text(en='national holiday (春分の日)', ja='国民の祝日（春分の日）')
    >>> why_not_business_day(date(2029, 3, 21)) is None
    True
    """
    if d.weekday() == 5:
        return Text("Saturday", "土曜日")
    if d.weekday() == 6:
        return Text("Sunday", "日曜日")
    name = _national_holiday(d)
    if name is not None:
        return Text(f"national holiday ({name})", f"国民の祝日（{name}）")
    if (d.month, d.day) in BANK_HOLIDAYS:
        return Text("bank holiday (December 31 to January 3)", "銀行休業日（12月31日〜1月3日）")
    return None


def is_business_day(d: date) -> bool:
    """A weekday that is neither a national holiday nor December 31 to January 3.

    >>> is_business_day(date(2028, 1, 4)), is_business_day(date(2027, 12, 31)), is_business_day(date(2027, 5, 3))
    (True, False, False)
    """
    return why_not_business_day(d) is None


def _step(d: date, step: timedelta) -> date:
    for _ in range(_MAX_STEPS):
        if is_business_day(d):
            return d
        d += step
    raise AssertionError(f"no business day within {_MAX_STEPS} days of {d.isoformat()}")  # pragma: no cover


def adjust(d: date, convention: Convention) -> date:
    """The business day a date moves to under ``convention`` (``d`` itself when it is one).

    >>> d = date(2027, 5, 1)   # a Saturday before Golden Week: May 3, 4, 5 are holidays
    >>> [adjust(d, c).isoformat() for c in Convention]
    ['2027-05-01', '2027-05-06', '2027-04-30', '2027-05-06']
    """
    if convention is Convention.NONE:
        return d
    if convention is Convention.PRECEDING:
        return _step(d, -ONE_DAY)
    following = _step(d, ONE_DAY)
    if convention is Convention.MODIFIED_FOLLOWING and following.month != d.month:
        return _step(d, -ONE_DAY)
    return following


__all__ = ["BANK_HOLIDAYS", "Convention", "adjust", "is_business_day", "why_not_business_day"]
