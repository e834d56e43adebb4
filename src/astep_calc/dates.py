"""Dates: fiscal years (年度), month arithmetic with the end-of-month rule, durations.

The conventions are in docs/rules.md, "Date conventions". Every schedule date is
computed from its anchor with :func:`add_months` (``dateutil.relativedelta``), never by
chaining additions, so a March 31 anchor gives March 31 due dates forever. Formatters
return :class:`~astep_calc.text.Text`, both languages at once.

>>> add_months(date(2027, 2, 28), 1)
datetime.date(2027, 3, 31)
>>> fiscal_year_label(2026).ja
'2026年度（令和8年度）'
"""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum
from fractions import Fraction

from dateutil.relativedelta import relativedelta

from astep_calc.text import InputError, Text, did_you_mean, fold_width

ONE_DAY = timedelta(days=1)
_WEEKDAYS_JA = "月火水木金土日"
_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class Era:
    """A Japanese era (元号): its name, its letter, its first and last day."""

    name: str
    letter: str
    first: date
    last: date | None = None

    def year_label(self, d: date) -> str:
        """``令和8年`` for 2026: the era year, 元年 for the first."""
        n = d.year - self.first.year + 1
        return f"{self.name}{'元' if n == 1 else n}年"


#: The eras a date may be written in. Sources: 元号を改める政令 (平成31年政令第143号):
#: 令和 from 2019-05-01; 元号を改める政令 (昭和64年政令第1号): 平成 from 1989-01-08, and
#: so to 2019-04-30. Dates before 1989 are written in the Western calendar.
ERAS = (
    Era("令和", "R", date(2019, 5, 1)),
    Era("平成", "H", date(1989, 1, 8), date(2019, 4, 30)),
)


def era_of(d: date) -> Era | None:
    """The era ``d`` falls in; None before the first of :data:`ERAS` (1989-01-08).

    >>> era_of(date(2019, 4, 30)).name, era_of(date(2019, 5, 1)).name, era_of(date(1989, 1, 7))
    ('平成', '令和', None)
    """
    return next((e for e in ERAS if e.first <= d and (e.last is None or d <= e.last)), None)


def wareki(d: date) -> str:
    """A date as a Japanese document writes it, in its era: ``令和8年10月1日``, ``令和元年5月1日``
    for an era's first year (元年). A date before 平成 is written in the Western calendar
    (``1989年1月7日``), as :func:`parse_date` reads no earlier era.

    >>> wareki(date(2026, 10, 1)), wareki(date(2019, 5, 1)), wareki(date(2019, 4, 30))
    ('令和8年10月1日', '令和元年5月1日', '平成31年4月30日')
    >>> wareki(date(1989, 1, 8)), wareki(date(1989, 1, 7))
    ('平成元年1月8日', '1989年1月7日')
    >>> all(parse_date(wareki(d)) == d for d in (date(2026, 10, 1), date(2019, 5, 1), date(1989, 1, 8)))
    True
    """
    era = era_of(d)
    year = era.year_label(d) if era is not None else f"{d.year}年"
    return f"{year}{d.month}月{d.day}日"


class DateStyle(Enum):
    """How output for people shows a date (``--date-style``, a plan's ``date_style``): ISO
    ``2026-10-01``, or in its Japanese era, ``令和8年10月1日`` (:func:`wareki`)."""

    ISO = "iso"
    WAREKI = "wareki"


#: The names of the date styles, as ``--date-style`` and a plan's ``date_style`` write them.
DATE_STYLES = {"iso": DateStyle.ISO, "wareki": DateStyle.WAREKI, "西暦": DateStyle.ISO, "和暦": DateStyle.WAREKI}


def parse_date_style(text: str) -> DateStyle:
    """``iso`` or ``wareki`` (西暦, 和暦); case and spaces do not matter.

    >>> parse_date_style(" Wareki "), parse_date_style("西暦")
    (<DateStyle.WAREKI: 'wareki'>, <DateStyle.ISO: 'iso'>)
    """
    key = fold_width(text).strip().lower()
    if key in DATE_STYLES:
        return DATE_STYLES[key]
    hint = did_you_mean(text, list(DATE_STYLES))
    raise InputError(
        f"{text!r} is not a date style: one of {', '.join(DATE_STYLES)}{hint.en}",
        f"「{text}」という日付の書き方はありません。{'、'.join(DATE_STYLES)} のいずれかを指定してください{hint.ja}",
        field="date_style",
    )


# After NFKC (full-width digits, letters and punctuation become ASCII; ㋿ becomes 令和).
# The grammars of this module are text: ``re`` compiles (and keeps) each the first time an
# input needs it, not at every start-up.
_WESTERN = r"([0-9]{4})([-/.])([0-9]{1,2})\2([0-9]{1,2})"
_KANJI = r"([0-9]{4})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日"
_ERA_KANJI = r"(令和|平成)\s*([0-9]{1,3}|元)\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日"
_ERA_LETTER = r"([RrHh])\s*([0-9]{1,3}|元)([-/.])([0-9]{1,2})\3([0-9]{1,2})"
_FORMS = "2026-04-01, 2026/4/1, 2026.4.1, 2026年4月1日, 令和8年4月1日, R8.4.1"


def parse_date(value: str | date, *, field: str | None = None) -> date:
    """Read a date written as Japanese offices write one; the error quotes the input.

    Accepted: ``2026-04-01``, ``2026/4/1``, ``2026.4.1``, ``2026年4月1日``,
    ``令和8年4月1日``, ``令和元年5月1日``, ``R8.4.1``, ``R8/4/1``, ``H31.4.30``, in
    full-width digits too. An era date must lie inside its era (:data:`ERAS`). Every
    date, a ``date`` passed in included, must lie in the years the tool plans for.
    ``field`` names the input in errors.

    >>> parse_date("2026/4/1"), parse_date("令和8年4月1日"), parse_date("Ｒ８．４．１")
    (datetime.date(2026, 4, 1), datetime.date(2026, 4, 1), datetime.date(2026, 4, 1))
    >>> parse_date("H31.5.1")
    Traceback (most recent call last):
    ...
    astep_calc.text.InputError: 'H31.5.1' would be 2019-05-01, after 平成 ended on 2019-04-30 (write 令和元年5月1日 or R1.5.1)
    """
    if isinstance(value, date):
        d = date(value.year, value.month, value.day)  # a datetime's date
        _check_range(d, value.isoformat(), field)
        return d
    s = fold_width(str(value)).strip()
    era: Era | None = None
    if m := re.fullmatch(_WESTERN, s):
        y, mo, dd = int(m[1]), int(m[3]), int(m[4])
    elif m := re.fullmatch(_KANJI, s):
        y, mo, dd = int(m[1]), int(m[2]), int(m[3])
    elif m := re.fullmatch(_ERA_KANJI, s):
        era = next(e for e in ERAS if e.name == m[1])
        y, mo, dd = _era_year(era, m[2], value, field), int(m[3]), int(m[4])
    elif m := re.fullmatch(_ERA_LETTER, s):
        era = next(e for e in ERAS if e.letter == m[1].upper())
        y, mo, dd = _era_year(era, m[2], value, field), int(m[4]), int(m[5])
    else:
        raise InputError(
            f"{value!r} is not a date; write it as one of {_FORMS}",
            f"「{value}」は日付として読めません。{_FORMS.replace(', ', '、')} のいずれかの形で書いてください",
            field=field,
        )
    if not 1 <= mo <= 12:
        raise _not_a_date(value, field, Text(f"there is no month {mo}", f"{mo}月はありません"))
    if not 1 <= dd <= month_length(y, mo):
        last = month_length(y, mo)
        raise _not_a_date(value, field, Text(f"{y}-{mo:02d} has {last} days", f"{y}年{mo}月は{last}日まで"))
    d = date(y, mo, dd)
    if era is not None:
        _check_era(d, era, value, field)
    _check_range(d, str(value), field)
    return d


def _era_year(era: Era, n: str, value: object, field: str | None) -> int:
    """The Western year of era year ``n`` (``元`` is 1)."""
    number = 1 if n == "元" else int(n)
    if number < 1:
        raise _not_a_date(value, field, Text(f"{era.name} has no year 0", f"{era.name}0年はありません"))
    return era.first.year + number - 1


def _not_a_date(value: object, field: str | None, why: Text) -> InputError:
    return InputError(
        f"{value!r} is not a valid date: {why.en}",
        f"「{value}」は存在しない日付です（{why.ja}）。日付を確認してください",
        field=field,
    )


def _check_era(d: date, era: Era, value: object, field: str | None) -> None:
    """A date written in an era must fall inside it; the message says how to write it."""
    if d < era.first or (era.last is not None and d > era.last):
        right = era_of(d)
        hint_ja = f"{right.year_label(d)}{d.month}月{d.day}日" if right else d.isoformat()
        hint = (
            f"{hint_ja} or {right.letter}{d.year - right.first.year + 1}.{d.month}.{d.day}" if right else d.isoformat()
        )
        when = (
            f"before {era.name} began on {era.first.isoformat()}"
            if d < era.first
            else f"after {era.name} ended on {era.last.isoformat()}"
            if era.last
            else ""
        )
        when_ja = (
            f"{era.name}は{era.first.isoformat()}から"
            if d < era.first
            else f"{era.name}は{era.last.isoformat()}まで"
            if era.last
            else ""
        )
        raise InputError(
            f"{value!r} would be {d.isoformat()}, {when} (write {hint})",
            f"「{value}」は {d.isoformat()} にあたり、{era.name}の期間外です（{when_ja}）。"
            f"「{hint_ja}」と書いてください",
            field=field,
        )


def _check_range(d: date, shown: str, field: str | None) -> None:
    if not FIRST_YEAR <= d.year <= LAST_YEAR:
        raise InputError(
            f"{shown!r} is outside the years this tool plans for ({FIRST_YEAR} to {LAST_YEAR})",
            f"「{shown}」は扱える範囲の外です。{FIRST_YEAR}〜{LAST_YEAR}年の日付にしてください",
            field=field,
        )


#: Dates the tool accepts as input: wide enough for any programme, narrow enough that
#: every period and schedule computed from them stays inside the calendar.
FIRST_YEAR, LAST_YEAR = 1900, 2200


def month_length(year: int, month: int) -> int:
    """Days in a month, from the standard library's calendar.

    >>> month_length(2028, 2), month_length(2100, 2), month_length(2027, 4)
    (29, 28, 30)
    """
    return calendar.monthrange(year, month)[1]


def is_month_end(d: date) -> bool:
    """True when ``d`` is the last day of its month.

    >>> is_month_end(date(2028, 2, 29)), is_month_end(date(2027, 2, 28)), is_month_end(date(2027, 3, 30))
    (True, True, False)
    """
    return d.day == month_length(d.year, d.month)


@functools.lru_cache(maxsize=1 << 16)
def add_months(d: date, k: int) -> date:
    """``d`` plus ``k`` months: same day, clamped; a month end stays a month end.

    The end-of-month rule (docs/rules.md, "Date conventions"): if ``d`` is the last day
    of its month, so is the result. ``relativedelta`` clamps to the month's length; its
    ``day=31`` (clamped in turn) gives the month end. Always add from the anchor, never
    chain.

    A pure function, so its results are remembered (up to 65,536 of them, a few MB):
    ``relativedelta`` costs ~7 µs a date, and a check of thousands of plans asks for
    the same due dates from the same development ends again and again.

    >>> add_months(date(2027, 2, 28), 1)     # Feb 28 2027 is a month end
    datetime.date(2027, 3, 31)
    >>> add_months(date(2027, 3, 31), 6), add_months(date(2027, 3, 31), 12)
    (datetime.date(2027, 9, 30), datetime.date(2028, 3, 31))
    >>> add_months(date(2026, 1, 30), 1)     # clamped to February's 28 days
    datetime.date(2026, 2, 28)
    """
    step = relativedelta(months=k, day=31) if is_month_end(d) else relativedelta(months=k)
    try:
        return d + step
    except (ValueError, OverflowError):
        raise InputError(
            f"a date {k} months from {d.isoformat()} falls outside the calendar (years 1 to 9999)",
            f"{d.isoformat()}の{k}か月後は暦の範囲（1〜9999年）を超えます",
        ) from None


def months_from(anchor: date, offsets: Iterable[int]) -> list[date]:
    """``add_months(anchor, k)`` for each offset: a schedule's dates, each from the anchor.

    >>> months_from(date(2028, 2, 29), [1, 12, 24])
    [datetime.date(2028, 3, 31), datetime.date(2029, 2, 28), datetime.date(2030, 2, 28)]
    """
    return [add_months(anchor, k) for k in offsets]


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

    @property
    def label(self) -> Text:
        return fiscal_year_label(self.year)


def japanese_era(year: int) -> str:
    """The Japanese era year for the fiscal year starting April 1 of ``year``.

    >>> japanese_era(2026), japanese_era(2019), japanese_era(2018)
    ('令和8', '令和元', '平成30')
    """
    for era in ERAS:
        if year >= era.first.year:
            n = year - era.first.year + 1
            return f"{era.name}{'元' if n == 1 else n}"
    return ""


def fiscal_year_label(year: int) -> Text:
    """``FY2026`` in English, ``2026年度（令和8年度）`` in Japanese.

    >>> fiscal_year_label(2026)
    Text(en='FY2026', ja='2026年度（令和8年度）')
    """
    era = japanese_era(year)
    return Text(f"FY{year}", f"{year}年度（{era}年度）" if era else f"{year}年度")


_FY_FORMS = "2027, 2027年度, 令和9年度, R9年度, FY2027"
_FY_WESTERN = r"(?i)(?:fy\s*)?([0-9]{4})(?:\s*年度)?"
_FY_ERA = r"(令和|平成|[RrHh])\s*([0-9]{1,3}|元)\s*年度"
_FY_BOTH = r"([0-9]{4})\s*年度\s*\((.*)\)"


def parse_fiscal_year(value: str | int, *, field: str | None = None) -> int:
    """The fiscal year (年度) a label names, as offices write it: ``2027``, ``2027年度``,
    ``令和9年度``, ``R9年度``, ``FY2027``, and :func:`fiscal_year_label`'s own
    ``2027年度（令和9年度）``; full-width digits too. An era year counts from the era's first
    year: 令和元年度 is FY2019 (April 2019 to March 2020), and so is 平成31年度, the name
    that fiscal year began under. The year must lie in the years the tool plans for.

    >>> [parse_fiscal_year(s) for s in ("2027", "2027年度", "令和9年度", "R9年度", "FY2027", "ＦＹ２０２７")]
    [2027, 2027, 2027, 2027, 2027, 2027]
    >>> parse_fiscal_year("令和元年度"), parse_fiscal_year("平成31年度"), parse_fiscal_year(2030)
    (2019, 2019, 2030)
    >>> parse_fiscal_year("2027年")
    Traceback (most recent call last):
    ...
    astep_calc.text.InputError: '2027年' is not a fiscal year; write it as one of 2027, 2027年度, 令和9年度, R9年度, FY2027
    """
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise _not_a_fiscal_year(value, field)
    s = fold_width(str(value)).strip()
    if m := re.fullmatch(_FY_BOTH, s):  # 2027年度（令和9年度）: both halves must name the same year
        year = int(m[1])
        if parse_fiscal_year(m[2], field=field) != year:
            raise InputError(
                f"{value!r} names two different fiscal years",
                f"「{value}」は2つの異なる年度を表しています。どちらかに揃えてください",
                field=field,
            )
    elif m := re.fullmatch(_FY_WESTERN, s):
        year = int(m[1])
    elif m := re.fullmatch(_FY_ERA, s):
        era = next(e for e in ERAS if m[1] in (e.name, e.letter, e.letter.lower()))
        number = 1 if m[2] == "元" else int(m[2])
        year = era.first.year + number - 1
        last = era.last.year if era.last is not None else LAST_YEAR
        if number < 1 or year > last:
            first, final = f"{era.name}元年度", f"{era.name}{last - era.first.year + 1}年度"
            raise InputError(
                f"{value!r} is not a fiscal year of {era.name} ({first} to {final})",
                f"「{value}」は{era.name}の年度としてありません（{first}〜{final}）",
                field=field,
            )
    else:
        raise _not_a_fiscal_year(value, field)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InputError(
            f"{value!r} is outside the years this tool plans for ({FIRST_YEAR} to {LAST_YEAR})",
            f"「{value}」は扱える範囲の外です。{FIRST_YEAR}〜{LAST_YEAR}年度にしてください",
            field=field,
        )
    return year


def _not_a_fiscal_year(value: object, field: str | None) -> InputError:
    return InputError(
        f"{value!r} is not a fiscal year; write it as one of {_FY_FORMS}",
        f"「{value}」は年度として読めません。{_FY_FORMS.replace(', ', '、')} のいずれかの形で書いてください",
        field=field,
    )


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


def weekday(d: date) -> Text:
    """Short weekday name.

    >>> weekday(date(2032, 3, 31))
    Text(en='Wed', ja='水')
    """
    return Text(_WEEKDAYS_EN[d.weekday()], _WEEKDAYS_JA[d.weekday()])


_DURATION = r"([0-9]+(?:\.[0-9]+)?)\s*(y|yr|yrs|year|years|年|m|mo|month|months|か月|ヶ月|カ月|ケ月)?"


def parse_months(text: str | int, *, field: str | None = None) -> int:
    """Parse a duration into whole months: ``3y``, ``18m``, ``1.5y`` or a bare number of years.

    ``field`` names the input in errors (``deferral``, ``term``); messages quote the value.

    >>> parse_months("3y"), parse_months("18m"), parse_months("1.5y"), parse_months("10")
    (36, 18, 18, 120)
    """
    if isinstance(text, bool):
        raise InputError(
            f"{text!r} is not a duration",
            f"「{text}」は期間ではありません。3y、18m、1.5y のように書いてください",
            field=field,
        )
    if isinstance(text, int):
        text = str(text)
    s = fold_width(text).strip().lower()
    m = re.fullmatch(_DURATION, s)
    if m is None or len(s) > 20:
        raise InputError(
            f"{text!r} is not a duration (try 3y, 18m, 1.5y or 3)",
            f"「{text}」は期間として読めません。3y、18m、1.5y、3 のように書いてください",
            field=field,
        )
    value = Fraction(m.group(1)) if "." in m.group(1) else int(m.group(1))  # exact: 1.5y is 3/2 years
    unit = m.group(2) or "y"
    months = value if unit[0] in "mかヶカケ" else value * 12
    if months.denominator != 1:
        raise InputError(
            f"{text!r} is not a whole number of months",
            f"「{text}」は1か月単位になりません。18m のように月数で書いてください",
            field=field,
        )
    return int(months)


def span(start: date, end: date) -> tuple[int, int]:
    """How far ``end`` lies after ``start``: whole months m, then days d.

    m is the largest with add_months(start, m) ≤ end (the tool's own months, so a date
    computed from the anchor is exactly its months away); d the days after that.

    >>> span(date(2027, 9, 30), date(2028, 3, 31)), span(date(2028, 3, 31), date(2028, 5, 15))
    ((6, 0), (1, 15))
    """
    months = month_index(end) - month_index(start)
    while months > 0 and add_months(start, months) > end:
        months -= 1
    return months, (end - add_months(start, months)).days


def format_span(start: date, end: date) -> Text:
    """How long after ``start`` ``end`` falls, as :func:`span` counts it.

    >>> format_span(date(2028, 3, 31), date(2038, 3, 31)).en, format_span(date(2027, 9, 30), date(2028, 3, 31)).en
    ('120 months (10 years)', '6 months (0.5 years)')
    >>> format_span(date(2028, 3, 31), date(2028, 5, 15))   # with days left over, no years beside the months
    Text(en='1 month and 15 days', ja='1か月15日')
    >>> format_span(date(2028, 3, 31), date(2028, 3, 31)).ja
    '0日'
    """
    months, days = span(start, end)
    if not days:
        return format_months(months) if months else Text("0 days", "0日")
    d = Text(f"{days} day{'s' if days != 1 else ''}", f"{days}日")
    if not months:
        return d
    return Text(f"{months} month{'s' if months != 1 else ''} and {d.en}", f"{months}か月{d.ja}")


def years_or_months(months: int) -> Text:
    """A span as a due date's distance reads: whole years as years, else months
    (``開発終了日の1年後``, ``18か月後``).

    >>> years_or_months(12).ja, years_or_months(48).en, years_or_months(18).en, years_or_months(18).ja
    ('1年', '4 years', '18 months', '1年6か月')
    """
    if months % 12 == 0:
        years = months // 12
        return Text(f"{years} year{'s' if years != 1 else ''}", f"{years}年")
    return Text(f"{months} month{'s' if months != 1 else ''}", years_and_months(months))


def years_and_months(months: int) -> str:
    """A month count as a Japanese document writes a duration: ``2年6か月``, ``3年``, ``6か月``.

    >>> years_and_months(30), years_and_months(36), years_and_months(6), years_and_months(75)
    ('2年6か月', '3年', '6か月', '6年3か月')
    """
    years, rest = divmod(months, 12)
    if not years:
        return f"{rest}か月"
    return f"{years}年" + (f"{rest}か月" if rest else "")


def format_months(months: int) -> Text:
    """A month count the way people say it, with the years beside it.

    In Japanese the years read as years and months (``30か月（2年6か月）``), and a count
    under a year stands alone (``6か月``).

    >>> format_months(120).en, format_months(18).ja, format_months(6).ja
    ('120 months (10 years)', '18か月（1年6か月）', '6か月')
    """
    y = format((Decimal(months) / 12).quantize(Decimal("0.01")).normalize(), "f")
    ja = f"{months}か月" + (f"（{years_and_months(months)}）" if months >= 12 else "")
    return Text(f"{months} month{'s' if months != 1 else ''} ({y} year{'s' if y != '1' else ''})", ja)
