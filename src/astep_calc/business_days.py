"""Business days (営業日) in Japan, and how a date that is not one moves (SPEC §3; docs/rules.md,
"Date conventions").

A business day is a weekday that is neither a national holiday (国民の祝日, with 振替休日
and 国民の休日, from the ``jpholiday`` package rather than a hand-written list: 国民の祝日に
関する法律) nor a bank holiday of the year end (銀行休業日, December 31 to January 3:
銀行法施行令 第5条).

A schedule date that is not a business day moves by a :class:`BusinessDay` convention:

- ``none``: it stays (tables still mark it);
- ``following``: to the next business day;
- ``preceding``: to the previous business day;
- ``modified-following``: to the next business day unless that is in another month,
  then to the previous one;
- ``modified-preceding``: to the previous business day unless that is in another month,
  then to the next one.

A move never leaves its window (:func:`adjust_within`): an advance stays in its fiscal
quarter and on or after the development start; a payment stays after the development end
(and the deferral) and within the term. Where the convention would take a date out, it
moves the other way instead, and the output says so.

Only the date money moves on is adjusted: every schedule is still computed from its
anchor with ``add_months`` (the unmoved dates), so an adjustment never drifts into the
next date. The holiday package loads inside these functions only, so ``import astep_calc``
stays light.

>>> adjust(date(2028, 1, 1), BusinessDay.FOLLOWING)       # 元日, a Saturday; Jan 2 Sun, Jan 3 銀行休業日
datetime.date(2028, 1, 4)
>>> adjust(date(2028, 1, 1), BusinessDay.PRECEDING)       # Dec 31 is 銀行休業日 too
datetime.date(2027, 12, 30)
>>> adjust(date(2026, 10, 31), BusinessDay.MODIFIED_FOLLOWING)   # a Saturday; Nov 2 leaves October
datetime.date(2026, 10, 30)
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum

from astep_calc.text import Assumption, Text, not_one_of

ONE_DAY = timedelta(days=1)

#: 銀行法施行令 第5条第1項: banks close from December 31 to January 3.
BANK_HOLIDAYS = ((12, 31), (1, 1), (1, 2), (1, 3))

#: No run of days off in Japan is this long (the longest, 2019's Golden Week, was ten);
#: a search that goes further is a bug.
_MAX_STEPS = 15


class BusinessDay(Enum):
    """How a date that is not a business day moves; built from its name, validated.

    >>> BusinessDay.parse("Modified_Following")
    <BusinessDay.MODIFIED_FOLLOWING: 'modified-following'>
    >>> BusinessDay.parse("follow")
    Traceback (most recent call last):
    ...
    astep_calc.text.InputError: 'follow' is not one of none, following, preceding, modified-following, modified-preceding (did you mean following?)
    """

    NONE = "none"
    FOLLOWING = "following"
    PRECEDING = "preceding"
    MODIFIED_FOLLOWING = "modified-following"
    MODIFIED_PRECEDING = "modified-preceding"

    @property
    def label(self) -> Text:
        """The convention as the output names it: ``following`` / 翌営業日.

        >>> BusinessDay.MODIFIED_PRECEDING.label.ja
        '修正前営業日'
        """
        return _LABELS[self]

    @classmethod
    def parse(cls, value: object) -> BusinessDay:
        """A convention from its name (case and ``_`` for ``-`` do not matter)."""
        if isinstance(value, cls):
            return value
        names = [c.value for c in cls]
        text = str(value).strip().lower().replace("_", "-") if isinstance(value, str) else None
        if text in names:
            return cls(text)
        raise not_one_of(value, names, noun=Text("business-day convention", "営業日の調整方法"), field="business_day")


@functools.lru_cache(maxsize=8192)
def _national_holiday(d: date) -> str | None:
    """The national holiday's name (元日, 春分の日, 振替休日...) or None.

    Asked date by date (jpholiday answers one date in well under a millisecond, a whole
    year in about 150 ms), and remembered: a schedule asks about the same dates again.
    """
    import jpholiday  # only here: the package is needed only when dates are checked

    name = jpholiday.is_holiday_name(d)
    return str(name) if name else None


def why_not_business_day(d: date) -> Text | None:
    """Why ``d`` is not a business day, or None when it is one.

    >>> why_not_business_day(date(2029, 3, 20))
    Text(en='national holiday (春分の日)', ja='国民の祝日（春分の日）')
    >>> why_not_business_day(date(2027, 12, 31)).ja
    '銀行休業日（12月31日〜1月3日）'
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

    >>> [is_business_day(date(2028, 1, n)) for n in (1, 2, 3, 4)]
    [False, False, False, True]
    >>> is_business_day(date(2029, 3, 20)), is_business_day(date(2029, 3, 21))   # 春分の日 (Tue)
    (False, True)
    """
    return why_not_business_day(d) is None


def _step(d: date, step: timedelta) -> date:
    for _ in range(_MAX_STEPS):
        if is_business_day(d):
            return d
        d += step
    raise AssertionError(f"no business day within {_MAX_STEPS} days of {d.isoformat()}")  # pragma: no cover


def adjust(d: date, convention: BusinessDay) -> date:
    """The date money moves on when it is scheduled for ``d`` (``d`` itself when it is a business day).

    >>> d = date(2027, 5, 1)   # a Saturday before Golden Week: May 3, 4, 5 are holidays
    >>> [adjust(d, c).isoformat() for c in BusinessDay]
    ['2027-05-01', '2027-05-06', '2027-04-30', '2027-05-06', '2027-05-06']
    >>> adjust(date(2027, 5, 1), BusinessDay.MODIFIED_PRECEDING)   # Apr 30 is in April: the next one instead
    datetime.date(2027, 5, 6)
    """
    if convention is BusinessDay.NONE:
        return d
    if convention in (BusinessDay.PRECEDING, BusinessDay.MODIFIED_PRECEDING):
        preceding = _step(d, -ONE_DAY)
        if convention is BusinessDay.MODIFIED_PRECEDING and preceding.month != d.month:
            return _step(d, ONE_DAY)
        return preceding
    following = _step(d, ONE_DAY)
    if convention is BusinessDay.MODIFIED_FOLLOWING and following.month != d.month:
        return _step(d, -ONE_DAY)
    return following


@dataclass(frozen=True)
class Move:
    """Where a scheduled date moved: ``date`` is the day the money moves; ``reversed`` says the
    convention would have taken it out of its window, so it moved the other way instead
    (``kept``: no business day on either side within the window, so it stayed)."""

    scheduled: date
    date: date
    reversed: bool = False
    kept: bool = False


def adjust_within(d: date, convention: BusinessDay, first: date, last: date) -> Move:
    """``adjust(d, convention)`` kept within the window ``first``..``last`` (both inclusive).

    Where the convention takes ``d`` out of its window, the date moves the other way: to
    the previous business day when the convention looked forward, the next when it
    looked back. A date already outside its window (a custom schedule that breaks a
    rule) moves as the convention says; a window with no business day on the side that
    is left keeps the scheduled date.

    >>> w = (date(2027, 1, 1), date(2027, 3, 31))   # an advance on the development start, 元日
    >>> adjust_within(date(2027, 1, 1), BusinessDay.PRECEDING, *w)   # not back to 2026-12-30
    Move(scheduled=datetime.date(2027, 1, 1), date=datetime.date(2027, 1, 4), reversed=True, kept=False)
    >>> adjust_within(date(2034, 9, 30), BusinessDay.FOLLOWING, date(2024, 10, 1), date(2034, 9, 30)).date
    datetime.date(2034, 9, 29)
    """
    moved = adjust(d, convention)
    if moved == d or not first <= d <= last or first <= moved <= last:
        return Move(d, moved)
    back = moved > d  # the convention looked forward: look back, and the other way round
    other = _step(d, -ONE_DAY if back else ONE_DAY)
    if first <= other <= last:
        return Move(d, other, reversed=True)
    return Move(d, d, kept=True)


def window_note(moves: Iterable[Move], convention: BusinessDay, outside: Text) -> Assumption | None:
    """An assumption naming the dates that moved the other way (or stayed) because the
    convention would take them ``outside`` their window (said as a phrase: "out of the
    term" / 「返済期間の外になる」), or None when none did."""
    odd = [m for m in moves if m.reversed or m.kept]
    if not odd:
        return None
    shown_en = ", ".join(
        f"{m.scheduled.isoformat()} → {m.date.isoformat()}" if m.reversed else f"{m.scheduled.isoformat()} (kept)"
        for m in odd
    )
    shown_ja = "、".join(
        f"{m.scheduled.isoformat()}→{m.date.isoformat()}" if m.reversed else f"{m.scheduled.isoformat()}（移動せず）"
        for m in odd
    )
    name = convention.label
    return Assumption(
        Text(
            f"Under {name.en}, these dates would move {outside.en}; they move the other way instead "
            f"(or stay, where no business day is left that way): {shown_en}",
            f"{name.ja}に移動すると{outside.ja}ため、逆方向の営業日に移動した日付"
            f"（逆方向にも営業日がない場合は移動しない）：{shown_ja}",
        ),
        "business_day",
    )


_LABELS = {
    BusinessDay.NONE: Text("not adjusted", "調整なし"),
    BusinessDay.FOLLOWING: Text("following", "翌営業日"),
    BusinessDay.PRECEDING: Text("preceding", "前営業日"),
    BusinessDay.MODIFIED_FOLLOWING: Text("modified following", "修正翌営業日"),
    BusinessDay.MODIFIED_PRECEDING: Text("modified preceding", "修正前営業日"),
}


def business_day_assumption(convention: BusinessDay) -> Assumption:
    """What the output assumed about dates on closed days, naming the setting (``business_day``)."""
    closed_en = "a Saturday, Sunday, national holiday (国民の祝日) or Dec 31 – Jan 3 (銀行休業日)"
    closed_ja = "土日・国民の祝日・12月31日〜1月3日（銀行休業日）"
    if convention is BusinessDay.NONE:
        return Assumption(
            Text(
                "Dates falling on a weekend or holiday are not adjusted; tables mark a date that is "
                f"{closed_en} as closed (not a business day)",
                f"期日・前払日が休日に当たっても調整しない（{closed_ja}に当たる日付は表に「休」と表示）",
            ),
            "business_day",
        )
    how = {
        BusinessDay.FOLLOWING: ("moves to the next business day", "翌営業日に移動"),
        BusinessDay.PRECEDING: ("moves to the previous business day", "前営業日に移動"),
        BusinessDay.MODIFIED_FOLLOWING: (
            "moves to the next business day, or to the previous one when the next is in another month",
            "翌営業日に移動（月をまたぐ場合は前営業日）",
        ),
        BusinessDay.MODIFIED_PRECEDING: (
            "moves to the previous business day, or to the next one when the previous is in another month",
            "前営業日に移動（月をまたぐ場合は翌営業日）",
        ),
    }[convention]
    return Assumption(
        Text(
            f"Business days ({convention.value}): an advance or due date on {closed_en} {how[0]}; "
            "a move never leaves its window (an advance stays in its fiscal quarter and on or after the "
            "development start; a payment stays after the development end and any deferral, and within the "
            "term), moving the other way where it would; present values and the fiscal-year cash flow use "
            "the moved dates, and every date is still computed from its anchor. The first-payment limit is "
            "checked on the scheduled date: a period whose last day is a closed day ends on the next day "
            "(Civil Code art. 142), so a payment moved there is still within it",
            f"営業日調整（{convention.label.ja}）：前払日・期日が{closed_ja}に当たる場合は{how[1]}。"
            "ただし移動によって期間外に出る場合（前払いは当該四半期内かつ開発開始日以降、返済は開発終了日・"
            "返済猶予期間の後かつ返済期間内）は逆方向の営業日に移動する。現在価値と年度別の資金の流れは移動後の"
            "日付で計算し、日付は起算日から計算（調整は累積しない）。初回期日の上限は本来の日付で判定"
            "（期間の末日が休日に当たるときは、その翌日に満了する。民法142条）",
        ),
        "business_day",
    )


__all__ = [
    "BANK_HOLIDAYS",
    "BusinessDay",
    "Move",
    "adjust",
    "adjust_within",
    "business_day_assumption",
    "is_business_day",
    "why_not_business_day",
    "window_note",
]
