"""Dates: fiscal years (年度), the end-of-month month arithmetic, period limits (SPEC §3).

Every schedule date is computed from its anchor with :func:`add_months`, never by
chaining additions, so a March 31 anchor gives March 31 due dates forever.

>>> add_months(date(2027, 2, 28), 1)
datetime.date(2027, 3, 31)
>>> fiscal_year_label(2026, "ja")
'2026年度（令和8年度）'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

from astep_calc.text import InputError, Lang

ONE_DAY = timedelta(days=1)
_WEEKDAYS_JA = "月火水木金土日"
_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def parse_date(text: str | date) -> date:
    """Parse an ISO date ``YYYY-MM-DD``; the error names the bad input and why.

    >>> parse_date("2026-10-01")
    datetime.date(2026, 10, 1)
    >>> parse_date("2026-13-01")
    Traceback (most recent call last):
    ...
    astep_calc.text.InputError: '2026-13-01' is not a valid date (YYYY-MM-DD): month must be in 1..12
    """
    if isinstance(text, date):
        return text
    s = unicodedata.normalize("NFKC", str(text)).strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", s):
        raise InputError(
            f"{text!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-10-01",
            f"{text!r} は日付として読めません（YYYY-MM-DD の形式で、例：2026-10-01）",
        )
    year, month, day = int(s[:4]), int(s[5:7]), int(s[8:])
    if not 1 <= month <= 12:
        raise InputError(f"{text!r} is not a valid date (YYYY-MM-DD): month must be in 1..12",
                         f"{text!r} は存在しない日付です（月は1〜12）")
    if not 1 <= day <= month_length(year, month):
        raise InputError(
            f"{text!r} is not a valid date (YYYY-MM-DD): {year}-{month:02d} has {month_length(year, month)} days",
            f"{text!r} は存在しない日付です（{year}年{month}月は{month_length(year, month)}日まで）",
        )
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InputError(f"{text!r} is outside the years this tool plans for ({FIRST_YEAR} to {LAST_YEAR})",
                         f"{text!r} は扱える範囲（{FIRST_YEAR}〜{LAST_YEAR}年）の外です")
    return date(year, month, day)


#: Dates the tool accepts as input: wide enough for any programme, narrow enough that
#: every period and schedule computed from them stays inside the calendar.
FIRST_YEAR, LAST_YEAR = 1900, 2200


def month_length(year: int, month: int) -> int:
    """Days in a month.

    >>> month_length(2028, 2), month_length(2100, 2), month_length(2027, 4)
    (29, 28, 30)
    """
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return _DAYS_IN_MONTH[month]


_DAYS_IN_MONTH = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def is_month_end(d: date) -> bool:
    """True when ``d`` is the last day of its month.

    >>> is_month_end(date(2028, 2, 29)), is_month_end(date(2027, 2, 28)), is_month_end(date(2027, 3, 30))
    (True, True, False)
    """
    return d.day == month_length(d.year, d.month)


def add_months(d: date, k: int) -> date:
    """``d`` plus ``k`` months: same day, clamped; a month end stays a month end.

    The end-of-month rule (SPEC §3): if ``d`` is the last day of its month, so is the
    result. Always add from the anchor, never chain.

    >>> add_months(date(2027, 3, 31), 6), add_months(date(2027, 3, 31), 12)
    (datetime.date(2027, 9, 30), datetime.date(2028, 3, 31))
    >>> add_months(date(2026, 1, 30), 1)
    datetime.date(2026, 2, 28)
    """
    return months_from(d, (k,))[0]


def months_from(anchor: date, offsets: Iterable[int]) -> list[date]:
    """``[add_months(anchor, k) for k in offsets]``, each computed from the anchor.

    One pass for a whole schedule: the anchor's day and month-end status are read once.

    >>> months_from(date(2028, 2, 29), [1, 12, 24])
    [datetime.date(2028, 3, 31), datetime.date(2029, 2, 28), datetime.date(2030, 2, 28)]
    """
    base = anchor.year * 12 + anchor.month - 1
    day = anchor.day
    try:
        if day <= 27:  # every month has such a day, and it is never a month end
            return [date(y, m + 1, day) for y, m in (divmod(base + k, 12) for k in offsets)]
        month_end = day == month_length(anchor.year, anchor.month)
        lengths = _DAYS_IN_MONTH
        out: list[date] = []
        for k in offsets:
            y, m = divmod(base + k, 12)
            m += 1
            # month_length, inlined: this loop builds every due date of a schedule
            last = lengths[m] if m != 2 else 29 if y % 4 == 0 and (y % 100 != 0 or y % 400 == 0) else 28
            out.append(date(y, m, last if month_end or day > last else day))
        return out
    except ValueError:
        raise InputError(
            f"a date some months from {anchor.isoformat()} falls outside the calendar (years 1 to 9999)",
            f"{anchor.isoformat()} から数か月後の日付が暦の範囲（1〜9999年）を超えます",
        ) from None


def end_after_months(start: date, months: int) -> date:
    """The inclusive end of a period of ``months`` months from ``start``.

    >>> end_after_months(date(2026, 10, 1), 30)
    datetime.date(2029, 3, 31)
    """
    return add_months(start, months) - ONE_DAY


def resolve_period(start: str | date, months: str | int | None = None,
                   end: str | date | None = None) -> tuple[date, date]:
    """Start and inclusive end from a start and exactly one of a month count or an end date.

    >>> resolve_period("2026-10-01", months="30")
    (datetime.date(2026, 10, 1), datetime.date(2029, 3, 31))
    """
    s = parse_date(start)
    if (months is None) == (end is None):
        raise InputError("give exactly one of --months and --end",
                         "--months と --end のどちらか一方だけを指定してください")
    if months is not None:
        text = unicodedata.normalize("NFKC", str(months)).strip()
        if not text.isdigit() or not 1 <= int(text) <= 1200:
            raise InputError(f"--months {months!r} must be a whole number of months from 1 to 1200",
                             f"--months {months!r} は1〜1200の整数（月数）で指定してください")
        return s, end_after_months(s, int(text))
    assert end is not None
    return s, parse_date(end)


def within_months(start: date, end: date, limit_months: int) -> bool:
    """Does the inclusive period start..end fit a limit of ``limit_months`` months?

    >>> within_months(date(2026, 4, 1), date(2028, 9, 30), 30)
    True
    >>> within_months(date(2026, 4, 1), date(2028, 10, 31), 30)
    False
    """
    return end <= end_after_months(start, limit_months)


def month_index(d: date) -> int:
    """Months since year 0, so that month spans are a subtraction."""
    return d.year * 12 + d.month - 1


def months_touched(start: date, end: date) -> int:
    """Calendar months from start's month to end's month, inclusive (partial months whole).

    >>> months_touched(date(2026, 10, 15), date(2027, 3, 1))
    6
    """
    return month_index(end) - month_index(start) + 1


def fiscal_year_of(d: date) -> int:
    """The fiscal year (年度) containing ``d``: April to March.

    >>> fiscal_year_of(date(2027, 3, 31)), fiscal_year_of(date(2027, 4, 1))
    (2026, 2027)
    """
    return d.year if d.month >= 4 else d.year - 1


@dataclass(frozen=True, order=True)
class FiscalYear:
    """Fiscal year N: April 1 of N to March 31 of N+1.

    >>> FiscalYear(2026).end, FiscalYear(2027).days
    (datetime.date(2027, 3, 31), 366)
    """

    year: int

    @property
    def start(self) -> date:
        return date(self.year, 4, 1)

    @property
    def end(self) -> date:
        return date(self.year + 1, 3, 31)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def label(self, lang: Lang) -> str:
        return fiscal_year_label(self.year, lang)


def japanese_era(year: int) -> str:
    """The Japanese era year for the fiscal year starting April 1 of ``year``.

    >>> japanese_era(2026), japanese_era(2019), japanese_era(2018)
    ('令和8', '令和元', '平成30')
    """
    for era, first in (("令和", 2019), ("平成", 1989)):
        if year >= first:
            n = year - first + 1
            return f"{era}{'元' if n == 1 else n}"
    return ""


def fiscal_year_label(year: int, lang: Lang) -> str:
    """``FY2026`` in English, ``2026年度（令和8年度）`` in Japanese.

    >>> fiscal_year_label(2026, "en")
    'FY2026'
    """
    if lang == "en":
        return f"FY{year}"
    era = japanese_era(year)
    return f"{year}年度（{era}年度）" if era else f"{year}年度"


def fiscal_quarter(d: date, months: int = 3) -> tuple[int, int]:
    """(fiscal year, period n) for fiscal periods of ``months`` months from April 1.

    With 3 months these are the fiscal quarters: Q1 Apr-Jun, Q2 Jul-Sep, Q3 Oct-Dec, Q4 Jan-Mar.

    >>> fiscal_quarter(date(2026, 1, 15)), fiscal_quarter(date(2026, 7, 1)), fiscal_quarter(date(2026, 10, 1), 6)
    ((2025, 4), (2026, 2), (2026, 2))
    """
    return fiscal_year_of(d), (d.month - 4) % 12 // months + 1


def quarter_start(fy: int, q: int, months: int = 3) -> date:
    """First day of fiscal period ``q`` (of ``months`` months) of fiscal year ``fy``.

    >>> quarter_start(2025, 4), quarter_start(2026, 2, 6)
    (datetime.date(2026, 1, 1), datetime.date(2026, 10, 1))
    """
    return add_months(date(fy, 4, 1), months * (q - 1))


def weekday(d: date, lang: Lang) -> str:
    """Short weekday name.

    >>> weekday(date(2032, 3, 31), "ja"), weekday(date(2032, 3, 31), "en")
    ('水', 'Wed')
    """
    return _WEEKDAYS_JA[d.weekday()] if lang == "ja" else _WEEKDAYS_EN[d.weekday()]


_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(y|yr|yrs|year|years|年|m|mo|month|months|か月|ヶ月|カ月|ケ月)?")


def parse_months(text: str | int, *, name: str = "duration") -> int:
    """Parse a duration into whole months: ``3y``, ``18m``, ``1.5y`` or a bare number of years.

    >>> parse_months("3y"), parse_months("18m"), parse_months("1.5y"), parse_months("10")
    (36, 18, 18, 120)
    """
    if isinstance(text, bool):
        raise InputError(f"{name} {text!r} is not a duration", f"{name} {text!r} は期間ではありません")
    if isinstance(text, int):
        text = str(text)
    s = unicodedata.normalize("NFKC", text).strip().lower()
    m = _DURATION.fullmatch(s)
    if m is None or len(s) > 20:
        raise InputError(
            f"{name} {text!r} is not a duration (try 3y, 18m, 1.5y or 3)",
            f"{name} {text!r} は期間として読めません（例：3y、18m、1.5y、3）",
        )
    value = Fraction(m.group(1))
    unit = m.group(2) or "y"
    months = value if unit[0] in "mかヶカケ" else value * 12
    if months.denominator != 1:
        raise InputError(
            f"{name} {text!r} is not a whole number of months",
            f"{name} {text!r} は月単位の整数になりません",
        )
    return int(months)


def format_span(start: date, end: date, lang: Lang) -> str:
    """How long after ``start`` ``end`` falls, in the tool's own months (:func:`add_months`).

    Whole months m with add_months(start, m) ≤ end, then the days left over, so a due
    date one period after a month-end anchor reads as exactly that period.

    >>> format_span(date(2028, 3, 31), date(2038, 3, 31), "en"), format_span(date(2027, 9, 30), date(2028, 3, 31), "en")
    ('120 months (10 years)', '6 months (0.5 years)')
    >>> format_span(date(2028, 3, 31), date(2028, 5, 15), "ja")
    '1か月（0.08年）15日'
    """
    months = month_index(end) - month_index(start)
    while months > 0 and add_months(start, months) > end:
        months -= 1
    days = (end - add_months(start, months)).days
    if lang == "ja":
        return (format_months(months, "ja") if months else "") + (f"{days}日" if days or not months else "")
    parts = ([format_months(months, "en")] if months else []) + ([f"{days} day{'s' if days != 1 else ''}"]
                                                               if days or not months else [])
    return " and ".join(parts)


def format_months(months: int, lang: Lang) -> str:
    """A month count the way people say it.

    >>> format_months(120, "en"), format_months(18, "ja")
    ('120 months (10 years)', '18か月（1.5年）')
    """
    y = format((Decimal(months) / 12).quantize(Decimal("0.01")).normalize(), "f")
    if lang == "ja":
        return f"{months}か月（{y}年）"
    return f"{months} month{'s' if months != 1 else ''} ({y} year{'s' if y != '1' else ''})"
