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
  then to the previous one.

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
    astep_calc.text.InputError: 'follow' is not one of none, following, preceding, modified-following (did you mean following?)
    """

    NONE = "none"
    FOLLOWING = "following"
    PRECEDING = "preceding"
    MODIFIED_FOLLOWING = "modified-following"

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
    ['2027-05-01', '2027-05-06', '2027-04-30', '2027-05-06']
    """
    if convention is BusinessDay.NONE:
        return d
    if convention is BusinessDay.PRECEDING:
        return _step(d, -ONE_DAY)
    following = _step(d, ONE_DAY)
    if convention is BusinessDay.MODIFIED_FOLLOWING and following.month != d.month:
        return _step(d, -ONE_DAY)
    return following


def business_day_assumption(convention: BusinessDay) -> Assumption:
    """What the output assumed about dates on closed days, naming the setting (``business_day``)."""
    closed_en = "a Saturday, Sunday, national holiday (国民の祝日) or Dec 31 – Jan 3 (銀行休業日)"
    closed_ja = "土日・国民の祝日・12月31日〜1月3日（銀行休業日）"
    if convention is BusinessDay.NONE:
        return Assumption(
            Text(
                "Dates falling on a weekend or holiday are not adjusted; tables mark a date that is "
                f"{closed_en} as closed (not a business day)",
                f"期日・前払日が休日の場合の調整はしていません（{closed_ja}に当たる日付は表で「休」と表示）",
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
    }[convention]
    return Assumption(
        Text(
            f"Business days ({convention.value}): an advance or due date on {closed_en} {how[0]}; "
            "present values use the moved dates, and every date is still computed from its anchor. The "
            "programme's limits (first due date, repayment term) are checked on the scheduled dates: a period "
            "whose last day is a closed day ends on the next day (Civil Code art. 142), so a payment moved "
            "there is still within it",
            f"営業日調整（{convention.value}）：前払日・期日が{closed_ja}に当たる場合は{how[1]}。"
            "現在価値は移動後の日付で計算し、日付は起算日から計算（調整は累積しません）。初回期日・返済期間の"
            "上限は本来の日付で判定（期間の末日が休日に当たるときは、その翌日に満了する。民法142条）",
        ),
        "business_day",
    )


__all__ = [
    "BANK_HOLIDAYS",
    "BusinessDay",
    "adjust",
    "business_day_assumption",
    "is_business_day",
    "why_not_business_day",
]
