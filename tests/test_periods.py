"""Periods (docs/rules.md, "Date conventions"): the end of N months, the limit, period.max."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from astep_calc.periods import parse_month_count, period_end, period_violations, resolve_period, within_limit
from astep_calc.rulebook import Rulebook
from astep_calc.text import InputError

dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2200, 12, 31))


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2026, 10, 1), 30, date(2029, 3, 31)),  # 2026-10-01 + 30 months = 2029-04-01, − 1 day
        (date(2026, 10, 1), 54, date(2031, 3, 31)),  # + 54 months = 2031-04-01
        (date(2026, 10, 1), 48, date(2030, 9, 30)),  # + 48 months = 2030-10-01
        (date(2026, 4, 1), 12, date(2027, 3, 31)),
        (date(2026, 4, 1), 31, date(2028, 10, 31)),  # + 31 months = 2028-11-01
        (date(2026, 10, 15), 1, date(2026, 11, 14)),
        (date(2027, 2, 1), 1, date(2027, 2, 28)),
        (date(2028, 2, 1), 1, date(2028, 2, 29)),
    ],
)
def test_period_end(start: date, months: int, end: date) -> None:
    assert period_end(start, months) == end


def test_within_limit_boundary() -> None:
    # stage1: 30 months from 2026-04-01 must end by 2028-09-30 (2028-10-01 − 1 day).
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


def test_resolve_period() -> None:
    assert resolve_period("2026-10-01", months="30") == (date(2026, 10, 1), date(2029, 3, 31))
    assert resolve_period("2026-10-01", months=30) == (date(2026, 10, 1), date(2029, 3, 31))
    assert resolve_period("2026-10-01", months="３０") == (date(2026, 10, 1), date(2029, 3, 31))
    assert resolve_period("2026-10-01", end="2028-03-31") == (date(2026, 10, 1), date(2028, 3, 31))


@pytest.mark.parametrize(
    ("months", "end"),
    [(None, None), ("30", "2029-03-31"), ("0", None), ("1201", None), ("2.5", None), ("-3", None),
     ("abc", None), ("30m", None)],
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
