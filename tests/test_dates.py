"""Dates (SPEC §3): fiscal years, the end-of-month rule, period limits, durations."""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from astep_calc.dates import (
    FiscalYear,
    add_months,
    fiscal_quarter,
    fiscal_year_label,
    fiscal_year_of,
    format_months,
    is_month_end,
    japanese_era,
    months_from,
    months_touched,
    parse_date,
    parse_fiscal_year,
    parse_months,
    quarter_start,
    span,
    weekday,
)
from astep_calc.text import InputError

_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def month_length(year: int, month: int) -> int:
    """Days in a month from the Gregorian rule itself (not the calendar module the tool uses)."""
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _DAYS[month]


def reference_add_months(d: date, k: int) -> date:
    """The oracle: the end-of-month rule in plain integer month arithmetic.

    The tool uses dateutil's relativedelta; this states docs/rules.md's rule from year and
    month numbers alone, so the two are independent.
    """
    y, m = divmod(d.year * 12 + (d.month - 1) + k, 12)
    m += 1
    last = month_length(y, m)
    day = last if d.day == month_length(d.year, d.month) else min(d.day, last)
    return date(y, m, day)


@settings(max_examples=300)
@given(st.integers(min_value=1, max_value=9999), st.integers(min_value=1, max_value=12))
def test_the_oracles_month_length_agrees_with_the_calendar(year: int, month: int) -> None:
    assert month_length(year, month) == calendar.monthrange(year, month)[1]


# ---------------------------------------------------------------------------
# add_months
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "k", "expected"),
    [
        # SPEC §3's own examples.
        (date(2027, 2, 28), 1, date(2027, 3, 31)),  # Feb 28 2027 is a month end → Mar 31
        (date(2027, 3, 31), 6, date(2027, 9, 30)),  # Sep has 30 days
        (date(2027, 3, 31), 12, date(2028, 3, 31)),
        # Clamping for a day that is not a month end.
        (date(2026, 1, 30), 1, date(2026, 2, 28)),  # 2026 is not a leap year
        (date(2028, 1, 30), 1, date(2028, 2, 29)),  # 2028 is
        (date(2026, 1, 15), 1, date(2026, 2, 15)),
        (date(2027, 3, 30), 6, date(2027, 9, 30)),  # 30 fits September
        (date(2027, 3, 30), 1, date(2027, 4, 30)),  # Mar 30 is not a month end; Apr 30 is by chance
        (date(2027, 3, 30), 2, date(2027, 5, 30)),  # ... and May 30 shows it was not the rule
        # Leap years and month ends.
        (date(2028, 2, 29), 12, date(2029, 2, 28)),  # month end → month end
        (date(2028, 2, 29), 1, date(2028, 3, 31)),
        (date(2027, 2, 28), 12, date(2028, 2, 29)),  # month end in 2027 → Feb 29 2028
        (date(2028, 2, 28), 12, date(2029, 2, 28)),  # not a month end in 2028: same day, fits
        (date(2028, 2, 28), 1, date(2028, 3, 28)),
        (date(2024, 2, 29), 48, date(2028, 2, 29)),
        (date(2026, 4, 30), 1, date(2026, 5, 31)),  # Apr 30 is a month end
        # Zero, year wrap and negative offsets.
        (date(2026, 10, 1), 0, date(2026, 10, 1)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),
        (date(2026, 10, 1), 30, date(2029, 4, 1)),
        (date(2027, 3, 31), -1, date(2027, 2, 28)),
        (date(2028, 3, 31), -1, date(2028, 2, 29)),
        (date(2026, 1, 31), -2, date(2025, 11, 30)),
    ],
)
def test_add_months_examples(d: date, k: int, expected: date) -> None:
    assert add_months(d, k) == expected


def test_chaining_from_a_day_that_is_not_a_month_end_drifts_so_schedules_use_the_anchor() -> None:
    # 2026-01-30 +1 → 2026-02-28 (a month end, so the end-of-month rule then applies)
    # +1 again → 2026-03-31; from the anchor, +2 is 2026-03-30.
    chained = add_months(add_months(date(2026, 1, 30), 1), 1)
    assert chained == date(2026, 3, 31)
    assert add_months(date(2026, 1, 30), 2) == date(2026, 3, 30)


dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2200, 12, 31))
offsets = st.integers(min_value=-600, max_value=600)


@settings(max_examples=500, deadline=None)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)), offsets)
def test_add_months_matches_the_integer_oracle(d: date, k: int) -> None:
    assert add_months(d, k) == reference_add_months(d, k)


@pytest.mark.slow  # starts a subprocess
def test_add_months_uses_relativedelta() -> None:
    import subprocess
    import sys

    code = "import sys, astep_calc.dates; print('dateutil.relativedelta' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "True"


@settings(max_examples=200)
@given(st.integers(min_value=1990, max_value=2200), st.integers(min_value=1, max_value=12), offsets)
def test_add_months_keeps_month_ends(year: int, month: int, k: int) -> None:
    d = date(year, month, month_length(year, month))
    result = add_months(d, k)
    assert is_month_end(result)
    assert month_length(result.year, result.month) == result.day


@settings(max_examples=200)
@given(dates, st.integers(min_value=0, max_value=300), st.integers(min_value=0, max_value=300))
def test_add_months_from_the_anchor_never_drifts(d: date, a: int, b: int) -> None:
    # The (a+b)-th date of a schedule lands in the month a+b after the anchor, on the
    # anchor's day (clamped) or on the month end, whatever the intermediate dates were.
    result = add_months(d, a + b)
    expected_index = d.year * 12 + d.month - 1 + a + b
    assert result.year * 12 + result.month - 1 == expected_index
    if is_month_end(d):
        assert is_month_end(result)
        # For a month-end anchor, chaining is harmless too.
        assert add_months(add_months(d, a), b) == result
    else:
        assert result.day == min(d.day, month_length(result.year, result.month))


@settings(max_examples=200)
@given(dates, offsets)
def test_add_months_clamps_a_day_that_is_not_a_month_end(d: date, k: int) -> None:
    if is_month_end(d):
        d = d - timedelta(days=1)  # never a month end: the day before a month end
    result = add_months(d, k)
    assert result.day == min(d.day, month_length(result.year, result.month))


@settings(max_examples=200)
@given(dates, st.integers(min_value=-300, max_value=300))
def test_add_months_round_trips_for_days_up_to_27(d: date, k: int) -> None:
    # Day 27 or less is never clamped and never a month end (every month has at least 28
    # days), so going k months and back returns to d. (Day 28 would not: 2001-01-28 + 1 month
    # is 2001-02-28, a month end, and one month back from a month end is 2001-01-31.)
    if d.day <= 27:
        assert add_months(add_months(d, k), -k) == d
    assert add_months(add_months(date(2001, 1, 28), 1), -1) == date(2001, 1, 31)


# ---------------------------------------------------------------------------
# Fiscal years and quarters
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "fy"),
    [
        (date(2026, 4, 1), 2026),
        (date(2026, 10, 1), 2026),
        (date(2026, 12, 31), 2026),
        (date(2027, 1, 1), 2026),
        (date(2027, 3, 31), 2026),
        (date(2027, 4, 1), 2027),
        (date(2026, 3, 31), 2025),
    ],
)
def test_fiscal_year_of(d: date, fy: int) -> None:
    assert fiscal_year_of(d) == fy


@settings(max_examples=200)
@given(dates)
def test_fiscal_year_contains_its_dates(d: date) -> None:
    fy = FiscalYear(fiscal_year_of(d))
    assert fy.start <= d <= fy.end
    assert fy.start == date(fy.year, 4, 1)
    assert fy.end == date(fy.year + 1, 3, 31)


@pytest.mark.parametrize(
    ("year", "days"),
    [
        (2026, 365),  # 2026-04-01..2027-03-31: no Feb 29
        (2027, 366),  # 2027-04-01..2028-03-31 contains 2028-02-29
        (2028, 365),  # 2028-04-01..2029-03-31
        (2099, 365),  # 2100 is not a leap year
        (2099 - 100, 366),  # FY1999 contains 2000-02-29 (2000 is a leap year)
    ],
)
def test_fiscal_year_days(year: int, days: int) -> None:
    assert FiscalYear(year).days == days


@pytest.mark.parametrize(
    ("year", "lang", "label"),
    [
        (2026, "ja", "2026年度（令和8年度）"),  # 令和1 = 2019, so 2026 is 令和8
        (2019, "ja", "2019年度（令和元年度）"),  # the first year of an era is 元年
        (2020, "ja", "2020年度（令和2年度）"),
        (2018, "ja", "2018年度（平成30年度）"),  # 平成1 = 1989; 2018 − 1989 + 1 = 30
        (1989, "ja", "1989年度（平成元年度）"),
        (2026, "en", "FY2026"),
        (2019, "en", "FY2019"),
    ],
)
def test_fiscal_year_label(year: int, lang: str, label: str) -> None:
    assert fiscal_year_label(year).in_lang(lang) == label  # type: ignore[arg-type]
    assert FiscalYear(year).label.in_lang(lang) == label  # type: ignore[arg-type]


def test_japanese_era() -> None:
    assert japanese_era(2026) == "令和8"
    assert japanese_era(2019) == "令和元"
    assert japanese_era(2018) == "平成30"


@pytest.mark.parametrize(
    ("d", "quarter"),
    [
        (date(2026, 4, 1), (2026, 1)),
        (date(2026, 6, 30), (2026, 1)),
        (date(2026, 7, 1), (2026, 2)),
        (date(2026, 9, 30), (2026, 2)),
        (date(2026, 10, 1), (2026, 3)),
        (date(2026, 12, 31), (2026, 3)),
        (date(2027, 1, 1), (2026, 4)),
        (date(2027, 3, 31), (2026, 4)),
    ],
)
def test_fiscal_quarter(d: date, quarter: tuple[int, int]) -> None:
    assert fiscal_quarter(d) == quarter


@pytest.mark.parametrize(
    ("fy", "q", "start"),
    [
        (2026, 1, date(2026, 4, 1)),
        (2026, 2, date(2026, 7, 1)),
        (2026, 3, date(2026, 10, 1)),
        (2026, 4, date(2027, 1, 1)),
    ],
)
def test_quarter_start(fy: int, q: int, start: date) -> None:
    assert quarter_start(fy, q) == start
    assert fiscal_quarter(start) == (fy, q)
    # the day before a quarter's start is in the previous quarter
    prev = start - timedelta(days=1)
    assert fiscal_quarter(prev) == ((fy, q - 1) if q > 1 else (fy - 1, 4))


@settings(max_examples=200)
@given(dates)
def test_fiscal_quarter_contains_its_dates(d: date) -> None:
    fy, q = fiscal_quarter(d)
    start = quarter_start(fy, q)
    nxt = quarter_start(fy, q + 1) if q < 4 else quarter_start(fy + 1, 1)
    assert start <= d < nxt
    assert (nxt.year * 12 + nxt.month) - (start.year * 12 + start.month) == 3


def test_weekday() -> None:
    # 2026-10-01 is a Thursday (木).
    assert weekday(date(2026, 10, 1)).en == "Thu"
    assert weekday(date(2026, 10, 1)).ja == "木"


# ---------------------------------------------------------------------------
# parse_date
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-04-01", date(2026, 4, 1)),
        (" 2026-10-01 ", date(2026, 10, 1)),
        ("2026/4/1", date(2026, 4, 1)),  # as Excel writes a date
        ("2026/04/01", date(2026, 4, 1)),
        ("2026.4.1", date(2026, 4, 1)),
        ("2026-4-1", date(2026, 4, 1)),
        ("2026年4月1日", date(2026, 4, 1)),
        ("2026 年 4 月 1 日", date(2026, 4, 1)),
        ("令和8年4月1日", date(2026, 4, 1)),  # 令和1 = 2019, so 令和8 = 2026
        ("令和元年5月1日", date(2019, 5, 1)),  # the first day of 令和
        ("R8.4.1", date(2026, 4, 1)),
        ("R8/4/1", date(2026, 4, 1)),
        ("r8-4-1", date(2026, 4, 1)),
        ("R元.5.1", date(2019, 5, 1)),
        ("H31.4.30", date(2019, 4, 30)),  # the last day of 平成: 平成1 = 1989, 31 = 2019
        ("平成31年4月30日", date(2019, 4, 30)),
        ("H1.1.8", date(1989, 1, 8)),  # the first day of 平成
        ("２０２６－１０－０１", date(2026, 10, 1)),  # full-width digits and hyphen
        ("２０２６／４／１", date(2026, 4, 1)),
        ("令和８年４月１日", date(2026, 4, 1)),
        ("Ｒ８．４．１", date(2026, 4, 1)),
        ("㋿8年4月1日", date(2026, 4, 1)),  # the one-character era name, U+32FF
        ("2028-02-29", date(2028, 2, 29)),
    ],
)
def test_parse_date_reads_japanese_office_forms(text: str, expected: date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "era", "hint"),
    [
        # The era boundary: 平成 ends on 2019-04-30, 令和 begins on 2019-05-01.
        ("H31.5.1", "平成", "令和元年5月1日"),
        ("平成31年5月1日", "平成", "R1.5.1"),
        ("H32.1.1", "平成", "令和2年1月1日"),
        ("令和元年4月30日", "令和", "平成31年4月30日"),
        ("R1.4.30", "令和", "H31.4.30"),
        ("R1.1.1", "令和", "平成31年1月1日"),
        ("H1.1.7", "平成", "1989-01-07"),  # 平成 began on 1989-01-08
    ],
)
def test_a_date_outside_its_era_is_an_error_that_says_so(text: str, era: str, hint: str) -> None:
    with pytest.raises(InputError) as info:
        parse_date(text, field="start")
    en, ja = info.value.message("en"), info.value.message("ja")
    assert repr(text) in en and f"「{text}」" in ja
    assert era in en and ("began" in en or "ended" in en)
    assert "期間外" in ja
    assert hint in en + ja
    assert info.value.field == "start"


def test_parse_date_keeps_a_date_in_range_and_checks_it() -> None:
    assert parse_date(date(2026, 10, 1)) == date(2026, 10, 1)
    assert parse_date(datetime(2026, 10, 1, 12, 30)) == date(2026, 10, 1)
    with pytest.raises(InputError, match="1899-12-31"):
        parse_date(date(1899, 12, 31))
    with pytest.raises(InputError, match="2201-01-01"):
        parse_date(date(2201, 1, 1), field="end")


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2026-13-01", "not a valid date"),  # month 13
        ("2026/13/1", "not a valid date"),
        ("2026-02-29", "2026-02 has 28 days"),  # 2026 is not a leap year
        ("2026-04-31", "not a valid date"),
        ("2026-00-10", "not a valid date"),
        ("R0.4.1", "no year 0"),
        ("令和8年2月30日", "not a valid date"),
        ("1899-12-31", "outside the years"),
        ("2201-01-01", "outside the years"),
        ("2026/4-1", "2026/4/1"),  # mixed separators: not a form; the message shows the forms
        ("26-10-01", "2026/4/1"),
        ("20261001", "2026/4/1"),
        ("", "2026/4/1"),
        ("tomorrow", "2026/4/1"),
        ("2026-10-01T00:00", "2026/4/1"),
        ("S64.1.7", "令和8年4月1日"),  # 昭和 is not an era the tool reads
        ("٢٠٢٦-٠٤-٠١", "2026-04-01"),  # Arabic-Indic digits pass isdigit() but are not read as digits
        ("令和八年四月一日", "R8.4.1"),
    ],
)
def test_parse_date_rejects_with_the_input_quoted(text: str, why: str) -> None:
    with pytest.raises(InputError) as info:
        parse_date(text)
    assert repr(text) in str(info.value)
    assert why in str(info.value)
    assert f"「{text}」" in info.value.message("ja")


_ERAS_BY_HAND = [(date(2019, 5, 1), "令和", "R"), (date(1989, 1, 8), "平成", "H")]


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=date(1989, 1, 8), max_value=date(2200, 12, 31)), st.booleans())
def test_every_written_form_reads_back_as_the_same_date(d: date, wide: bool) -> None:
    first, name, letter = next(e for e in _ERAS_BY_HAND if d >= e[0])
    n = d.year - first.year + 1
    forms = [
        d.isoformat(),
        f"{d.year}/{d.month}/{d.day}",
        f"{d.year}.{d.month}.{d.day}",
        f"{d.year}年{d.month}月{d.day}日",
        f"{name}{'元' if n == 1 else n}年{d.month}月{d.day}日",
        f"{letter}{n}.{d.month}.{d.day}",
        f"{letter}{n}/{d.month}/{d.day}",
    ]
    for form in forms:
        text = form.translate(str.maketrans("0123456789/.-RH", "０１２３４５６７８９／．－ＲＨ")) if wide else form
        assert parse_date(text) == d, text


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2026, 10, 15), date(2027, 3, 1), 6),  # Oct, Nov, Dec, Jan, Feb, Mar
        (date(2026, 10, 31), date(2026, 11, 1), 2),  # two days, two calendar months
        (date(2026, 4, 1), date(2026, 4, 30), 1),
        (date(2026, 10, 1), date(2029, 3, 31), 30),
    ],
)
def test_months_touched(start: date, end: date, months: int) -> None:
    assert months_touched(start, end) == months


# ---------------------------------------------------------------------------
# parse_months
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("3y", 36),
        ("18m", 18),
        ("1.5y", 18),  # 1.5 × 12
        ("3", 36),  # a bare number is years
        (3, 36),
        ("10", 120),
        ("1.25y", 15),  # 1.25 × 12 = 15: whole
        ("0.5y", 6),
        ("3Y", 36),
        ("3 years", 36),
        ("1 year", 12),
        ("3yr", 36),
        ("18 months", 18),
        ("18mo", 18),
        ("3年", 36),
        ("18か月", 18),
        ("18ヶ月", 18),
        ("18カ月", 18),
        ("１８ｍ", 18),  # full-width
        ("0", 0),
    ],
)
def test_parse_months(text: str | int, months: int) -> None:
    assert parse_months(text) == months


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("1.1y", "whole number of months"),  # 13.2 months
        ("1.3y", "whole number of months"),  # 15.6 months
        ("0.1", "whole number of months"),  # 1.2 months
        ("1.5m", "whole number of months"),
        ("abc", "not a duration"),
        ("", "not a duration"),
        ("-3y", "not a duration"),
        ("3d", "not a duration"),
        ("3w", "not a duration"),
        ("y", "not a duration"),
        ("3y6m", "not a duration"),
        ("1" * 25, "not a duration"),
    ],
)
def test_parse_months_rejects(text: str, why: str) -> None:
    with pytest.raises(InputError) as info:
        parse_months(text, field="deferral")
    assert repr(text) in str(info.value)
    assert info.value.field == "deferral"
    assert "--" not in str(info.value)  # the core names no option; the command line adds it
    assert why in str(info.value)


def test_parse_months_rejects_bool() -> None:
    with pytest.raises(InputError):
        parse_months(True)


@settings(max_examples=200)
@given(st.integers(min_value=0, max_value=999), st.integers(min_value=0, max_value=99))
def test_parse_months_years_with_two_decimals(whole: int, hundredths: int) -> None:
    # whole.hh years = (100·whole + hh) × 12 / 100 months: whole exactly when 100 divides 12·(100·whole + hh),
    # i.e. when 25 divides hh (hh ∈ {0, 25, 50, 75}).
    text = f"{whole}.{hundredths:02d}y"
    if hundredths % 25 == 0:
        assert parse_months(text) == whole * 12 + hundredths * 12 // 100
    else:
        with pytest.raises(InputError):
            parse_months(text)


def test_format_months() -> None:
    assert format_months(120).en == "120 months (10 years)"
    assert format_months(30).en == "30 months (2.5 years)"
    assert format_months(12).en == "12 months (1 year)"
    assert format_months(1).en == "1 month (0.08 years)"
    # In Japanese the years read as years and months, never as a decimal (issue 22 item 3).
    assert format_months(18).ja == "18か月（1年6か月）"
    assert format_months(54).ja == "54か月（4年6か月）"
    assert format_months(75).ja == "75か月（6年3か月）"
    assert format_months(120).ja == "120か月（10年）"
    assert format_months(6).ja == "6か月"


@given(st.integers(min_value=0, max_value=10_000))
def test_years_and_months_read_back_to_the_count(months: int) -> None:
    from astep_calc.dates import years_and_months

    text = years_and_months(months)
    m = re.fullmatch(r"(?:(\d+)年)?(?:(\d+)か月)?", text)
    assert m is not None and text and "." not in text
    years, rest = int(m.group(1) or 0), int(m.group(2) or 0)
    assert years * 12 + rest == months and rest < 12
    assert (m.group(2) is None) == (rest == 0 and months > 0)


# --- months_from: a whole schedule's dates, each from the anchor --------------------------


@settings(max_examples=200, deadline=None)
@given(
    st.dates(min_value=date(1990, 1, 1), max_value=date(2150, 12, 31)),
    st.lists(st.integers(min_value=-120, max_value=240), max_size=30),
)
def test_months_from_matches_the_integer_oracle(anchor: date, offsets: list[int]) -> None:
    assert months_from(anchor, offsets) == [reference_add_months(anchor, k) for k in offsets]


@pytest.mark.parametrize("anchor", [date(2027, 2, 28), date(2028, 2, 29), date(2028, 2, 28), date(2027, 4, 30)])
def test_months_from_day_28_to_31_anchors_follow_the_month_end_rule(anchor: date) -> None:
    # 2027-02-28 and 2028-02-29 and 2027-04-30 are month ends: every result is a month end.
    # 2028-02-28 is not (2028 is a leap year): day 28 is kept in every month.
    got = months_from(anchor, range(1, 25))
    if anchor.day == calendar.monthrange(anchor.year, anchor.month)[1]:
        assert all(d.day == calendar.monthrange(d.year, d.month)[1] for d in got)
    else:
        assert all(d.day == 28 for d in got)


def test_dates_outside_the_calendar_are_input_errors() -> None:
    with pytest.raises(InputError, match="9999-10-01"):
        add_months(date(9999, 10, 1), 30)
    with pytest.raises(InputError, match="0001-03-01"):
        add_months(date(1, 3, 1), -3)
    with pytest.raises(InputError):
        months_from(date(9999, 10, 1), [1, 2, 3])


def test_format_span_counts_the_tools_own_months_then_days() -> None:
    from astep_calc.dates import format_span

    # 2028-03-31 → 2038-03-31 is add_months(E, 120) exactly. 2027-09-30 → 2028-03-31 is
    # add_months(2027-09-30, 6) = 2028-03-31 (end-of-month rule), so exactly 6 months, not
    # "6 months 1 day". 2028-03-31 → 2028-05-15: add_months(E, 1) = 2028-04-30, then 15 days.
    assert format_span(date(2028, 3, 31), date(2038, 3, 31)).en == "120 months (10 years)"
    assert format_span(date(2027, 9, 30), date(2028, 3, 31)).en == "6 months (0.5 years)"
    assert format_span(date(2027, 2, 28), date(2027, 3, 31)).ja == "1か月"
    # With days left over the years are left out: "(0.08 years) and 15 days" read as a contradiction.
    assert format_span(date(2028, 3, 31), date(2028, 5, 15)).en == "1 month and 15 days"
    assert format_span(date(2028, 3, 31), date(2028, 5, 15)).ja == "1か月15日"
    assert format_span(date(2028, 3, 31), date(2028, 4, 10)).ja == "10日"
    assert format_span(date(2028, 3, 31), date(2028, 4, 1)).en == "1 day"
    assert format_span(date(2028, 3, 31), date(2028, 3, 31)).en == "0 days"
    assert span(date(2028, 3, 31), date(2028, 5, 15)) == (1, 15)


@settings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)), st.integers(min_value=0, max_value=240))
def test_a_due_date_from_the_anchor_spans_exactly_its_months(anchor: date, k: int) -> None:
    from astep_calc.dates import format_span

    assert span(anchor, add_months(anchor, k)) == (k, 0)
    assert format_span(anchor, add_months(anchor, k)).en == (format_months(k).en if k else "0 days")


# ---------------------------------------------------------------------------
# parse_fiscal_year: fiscal-year labels as offices write them
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2027", 2027),
        (2027, 2027),
        ("2027年度", 2027),
        ("２０２７年度", 2027),
        ("令和9年度", 2027),  # 令和元年度 = FY2019, so 令和9年度 = 2019 + 8
        ("令和 9 年度", 2027),
        ("R9年度", 2027),
        ("FY2027", 2027),
        ("fy 2027", 2027),
        ("2027年度（令和9年度）", 2027),  # fiscal_year_label's own Japanese
        ("令和元年度", 2019),
        ("平成31年度", 2019),  # the fiscal year that began under 平成
        ("平成30年度", 2018),
        ("H元年度", 1989),
    ],
)
def test_fiscal_year_labels(text: str | int, expected: int) -> None:
    assert parse_fiscal_year(text) == expected


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("2027年", "not a fiscal year"),
        ("R9", "not a fiscal year"),
        ("27", "not a fiscal year"),
        ("2027-04-01", "not a fiscal year"),
        ("平成32年度", "平成元年度 to 平成31年度"),
        ("令和0年度", "not a fiscal year of 令和"),
        ("2027年度（令和8年度）", "two different fiscal years"),
        ("1899", "outside the years"),
        ("2201年度", "outside the years"),
        (True, "not a fiscal year"),
        (2027.0, "not a fiscal year"),
    ],
)
def test_what_is_no_fiscal_year(text: object, why: str) -> None:
    with pytest.raises(InputError, match=why):
        parse_fiscal_year(text, field="year")  # type: ignore[arg-type]


@given(st.integers(1900, 2200))
def test_every_fiscal_year_label_reads_back(year: int) -> None:
    label = fiscal_year_label(year)
    assert parse_fiscal_year(label.en) == parse_fiscal_year(label.ja) == parse_fiscal_year(str(year)) == year
    if year >= 2019:
        assert parse_fiscal_year(f"{japanese_era(year)}年度") == year
