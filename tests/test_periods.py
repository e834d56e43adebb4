"""Periods (docs/rules.md, "Date conventions"): the end of N months, the limit, period.max."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from astep_calc.periods import (
    format_period,
    parse_month_count,
    period_end,
    period_length,
    period_violations,
    require_order,
    resolve_period,
    within_limit,
)
from astep_calc.rulebook import Rulebook
from astep_calc.text import InputError, Text

dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2200, 12, 31))


def civil_code_end(start: date, months: int) -> date:
    """民法143条 in its own words, with plain integers: the day before the day of the N-th
    month that corresponds to the start; the last day of that month when it has none."""
    y, m = divmod(start.year * 12 + start.month - 1 + months, 12)
    m += 1
    last = calendar.monthrange(y, m)[1]
    if start.day <= last:
        return date(y, m, start.day) - timedelta(days=1)
    return date(y, m, last)


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        # SPEC §3's examples, each by the Civil Code's words:
        (date(2026, 10, 1), 30, date(2029, 3, 31)),  # the day before 2029-04-01
        (date(2027, 8, 31), 30, date(2030, 2, 28)),  # 2030-02 has no 31st: its last day
        (date(2026, 9, 30), 30, date(2029, 3, 29)),  # the day before 2029-03-30
        (date(2027, 2, 28), 1, date(2027, 3, 27)),  # the day before 2027-03-28
        (date(2027, 3, 1), 12, date(2028, 2, 29)),  # the day before 2028-03-01 (2028 is a leap year)
        # More corners: a corresponding day missing in a short month, and a year end.
        (date(2027, 3, 31), 1, date(2027, 4, 30)),  # April has no 31st
        (date(2027, 1, 30), 1, date(2027, 2, 28)),  # February 2027 has no 30th
        (date(2028, 1, 30), 1, date(2028, 2, 29)),  # nor February 2028
        (date(2028, 3, 1), 12, date(2029, 2, 28)),  # the day before 2029-03-01
        (date(2026, 12, 31), 2, date(2027, 2, 28)),
    ],
)
def test_period_end_counts_as_the_civil_code(start: date, months: int, end: date) -> None:
    assert period_end(start, months) == end
    assert civil_code_end(start, months) == end


@settings(max_examples=500, deadline=None)
@given(dates, st.integers(min_value=1, max_value=120))
def test_period_end_is_the_civil_codes_end(start: date, months: int) -> None:
    assert period_end(start, months) == civil_code_end(start, months)


@settings(max_examples=500, deadline=None)
@given(dates, st.integers(min_value=1, max_value=30), st.sampled_from([1, 12, 30, 36, 48, 54]))
def test_the_latest_allowed_end_never_moves_earlier_as_the_start_moves_later(
    start: date, later_by: int, limit: int
) -> None:
    # Today (before 民法143条) 2028-02-29 → 2030-08-30 but 2028-03-01 → 2030-08-31 and
    # 2028-02-28 → 2030-08-27: the end moved back. Now it never does.
    later = start + timedelta(days=later_by)
    assert period_end(later, limit) >= period_end(start, limit)


def test_the_latest_allowed_end_around_the_end_of_february() -> None:
    # 30 months from 2028-02-28, 2028-02-29 and 2028-03-01: the day before 2030-08-28,
    # 2030-08-29 and 2030-09-01.
    assert [period_end(date(2028, 2, d), 30) for d in (28, 29)] == [date(2030, 8, 27), date(2030, 8, 28)]
    assert period_end(date(2028, 3, 1), 30) == date(2030, 8, 31)


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2026, 10, 1), 30, date(2029, 3, 31)),  # add_months(2026-09-30, 30), a month end
        (date(2026, 10, 1), 54, date(2031, 3, 31)),  # add_months(2026-09-30, 54)
        (date(2026, 10, 1), 48, date(2030, 9, 30)),  # add_months(2026-09-30, 48)
        (date(2026, 4, 1), 12, date(2027, 3, 31)),
        (date(2026, 4, 1), 31, date(2028, 10, 31)),  # add_months(2026-03-31, 31)
        (date(2026, 10, 15), 1, date(2026, 11, 14)),
        (date(2027, 2, 1), 1, date(2027, 2, 28)),
        (date(2028, 2, 1), 1, date(2028, 2, 29)),
    ],
)
def test_period_end(start: date, months: int, end: date) -> None:
    assert period_end(start, months) == end


def test_within_limit_boundary() -> None:
    # stage1: 30 months from 2026-04-01 must end by 2028-09-30 (the day before 2028-10-01).
    assert within_limit(date(2026, 4, 1), date(2028, 9, 30), 30)
    assert not within_limit(date(2026, 4, 1), date(2028, 10, 1), 30)
    assert within_limit(date(2026, 4, 1), date(2026, 4, 1), 30)
    # A 2.5-year stage1 starting on 2026-10-01 ends exactly at the limit.
    assert within_limit(date(2026, 10, 1), date(2029, 3, 31), 30)
    assert not within_limit(date(2026, 10, 1), date(2029, 4, 1), 30)


@settings(max_examples=200)
@given(dates, st.integers(min_value=1, max_value=120))
def test_a_period_of_n_months_fits_n_but_not_n_minus_one(start: date, n: int) -> None:
    end = period_end(start, n)
    assert within_limit(start, end, n)
    assert not within_limit(start, end + timedelta(days=1), n)
    if n > 1:
        assert not within_limit(start, end, n - 1)


@pytest.mark.parametrize(
    ("start", "end", "length", "en", "ja"),
    [
        (date(2026, 10, 1), date(2029, 3, 31), (30, 0), "30 months", "30か月"),
        # 30 months from 2026-10-15 end on 2029-04-14; 2029-04-28 is 14 days after that.
        (date(2026, 10, 15), date(2029, 4, 28), (30, 14), "30 months 14 days", "30か月14日"),
        (date(2027, 8, 31), date(2030, 2, 28), (30, 0), "30 months", "30か月"),
        (date(2026, 10, 1), date(2026, 10, 31), (1, 0), "1 month", "1か月"),
        (date(2026, 10, 1), date(2026, 11, 1), (1, 1), "1 month 1 day", "1か月1日"),
        (date(2026, 10, 1), date(2026, 10, 1), (0, 1), "1 day", "1日"),
        (date(2026, 10, 1), date(2026, 10, 30), (0, 30), "30 days", "30日"),
        # Calendar months touched (Jul 2026 .. Jul 2028: 25) are not the length (24 months).
        (date(2026, 7, 15), date(2028, 7, 14), (24, 0), "24 months", "24か月"),
    ],
)
def test_period_length(start: date, end: date, length: tuple[int, int], en: str, ja: str) -> None:
    assert period_length(start, end) == length
    assert format_period(start, end) == Text(en, ja)


@settings(max_examples=300, deadline=None)
@given(dates, st.integers(min_value=0, max_value=120), st.integers(min_value=0, max_value=40))
def test_period_length_is_the_largest_whole_months_then_days(start: date, n: int, extra: int) -> None:
    end = (period_end(start, n) if n else start - timedelta(days=1)) + timedelta(days=extra)
    if end < start:
        return
    months, days = period_length(start, end)
    # period_end(S, N) ≤ E < period_end(S, N + 1), and D days after the end of N months.
    base = period_end(start, months) if months else start - timedelta(days=1)
    assert base + timedelta(days=days) == end
    assert period_end(start, months + 1) > end
    if extra == 0 and n:
        assert (months, days) == (n, 0)


def test_end_before_start_is_unusable_input(rb: Rulebook) -> None:
    with pytest.raises(InputError) as info:
        require_order(date(2026, 10, 1), date(2026, 9, 30))
    assert info.value.field == "end"
    assert "'2026-09-30'" in str(info.value) and "2026-10-01" in str(info.value)
    require_order(date(2026, 10, 1), date(2026, 10, 1))  # a one-day period is fine
    with pytest.raises(InputError):
        period_violations(rb.menu("stage1"), date(2026, 10, 1), date(2026, 9, 30))


def test_resolve_period() -> None:
    assert resolve_period("2026-10-01", months="30") == (date(2026, 10, 1), date(2029, 3, 31))
    assert resolve_period("2026-10-01", months=30) == (date(2026, 10, 1), date(2029, 3, 31))
    assert resolve_period("2026-10-01", months="３０") == (date(2026, 10, 1), date(2029, 3, 31))
    assert resolve_period("2026-10-01", end="2028-03-31") == (date(2026, 10, 1), date(2028, 3, 31))


@pytest.mark.parametrize(
    ("months", "end"),
    [
        (None, None),
        ("30", "2029-03-31"),
        ("0", None),
        ("1201", None),
        ("2.5", None),
        ("-3", None),
        ("abc", None),
        ("30m", None),
    ],
)
def test_resolve_period_rejects(months: str | None, end: str | None) -> None:
    with pytest.raises(InputError) as info:
        resolve_period("2026-10-01", months=months, end=end)
    if months is not None and end is None:
        assert repr(months) in str(info.value)
    assert info.value.field == "months"
    assert "--" not in str(info.value)  # the core names no option


@pytest.mark.parametrize("text", ["፩", "٣٠", "３０.５", "1e3", "30 ", " 30"])
def test_month_count_reads_ascii_digits_only(text: str) -> None:
    # ፩ (Ethiopic one) and ٣٠ (Arabic-Indic 30) pass str.isdigit(); they are not month counts.
    if text.strip() == "30":
        assert parse_month_count(text) == 30
        return
    with pytest.raises(InputError) as info:
        parse_month_count(text)
    assert repr(text) in str(info.value)


def test_period_violations_directly(rb: Rulebook) -> None:
    stage1 = rb.menu("stage1")
    assert period_violations(stage1, date(2026, 4, 1), date(2028, 9, 30)) == ()
    over = period_violations(stage1, date(2026, 4, 1), date(2028, 10, 1))
    assert [v.rule for v in over] == ["period.max"]
    # 2028-10-01 is one day after the last allowed end 2028-09-30.
    assert "1 day too late" in over[0].message("en") and "2028-09-30" in over[0].message("en")
    assert "1日超えて" in over[0].message("ja")
    assert period_violations(stage1, date(2026, 4, 1), date(2026, 4, 1)) == ()
