"""Business days (docs/rules.md, "Date conventions"): weekends, 国民の祝日, 銀行休業日, conventions."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from astep_calc.business_days import (
    BusinessDay,
    adjust,
    adjust_within,
    business_day_assumption,
    is_business_day,
    why_not_business_day,
)
from astep_calc.dates import add_months, fiscal_quarter, quarter_start
from astep_calc.jisso import advances
from astep_calc.repayment import Terms, schedule
from astep_calc.rulebook import load_rulebook
from astep_calc.text import InputError


@pytest.mark.parametrize(
    ("d", "why"),
    [
        (date(2028, 1, 1), "Saturday"),  # 元日 falls on a Saturday in 2028
        (date(2028, 1, 3), "bank holiday"),  # a Monday, but banks close Dec 31 – Jan 3
        (date(2027, 12, 31), "bank holiday"),  # a Friday
        (date(2029, 3, 20), "春分の日"),  # a Tuesday: the vernal equinox day of 2029
        (date(2026, 5, 6), "振替休日"),  # 憲法記念日 2026-05-03 is a Sunday: its substitute
        (date(2026, 9, 22), "国民の休日"),  # between 敬老の日 (9/21) and 秋分の日 (9/23)
        (date(2026, 10, 31), "Saturday"),
    ],
)
def test_days_that_are_not_business_days(d: date, why: str) -> None:
    assert not is_business_day(d)
    reason = why_not_business_day(d)
    assert reason is not None and why in reason.en + reason.ja


@pytest.mark.parametrize(
    "d", [date(2028, 1, 4), date(2029, 3, 21), date(2026, 5, 7), date(2027, 12, 30), date(2026, 10, 30)]
)
def test_ordinary_weekdays_are_business_days(d: date) -> None:
    assert is_business_day(d)
    assert why_not_business_day(d) is None


#: Golden Week by hand from 国民の祝日に関する法律: 昭和の日 4/29, 憲法記念日 5/3, みどりの日 5/4,
#: こどもの日 5/5, and a 振替休日 on the next weekday when one of them falls on a Sunday.
GOLDEN_WEEK = {
    2026: [date(2026, 4, 29), date(2026, 5, 3), date(2026, 5, 4), date(2026, 5, 5), date(2026, 5, 6)],  # 5/3 Sun
    2027: [date(2027, 4, 29), date(2027, 5, 3), date(2027, 5, 4), date(2027, 5, 5)],
    2028: [date(2028, 4, 29), date(2028, 5, 3), date(2028, 5, 4), date(2028, 5, 5)],
    2029: [date(2029, 4, 29), date(2029, 4, 30), date(2029, 5, 3), date(2029, 5, 4), date(2029, 5, 5)],  # 4/29 Sun
    2031: [date(2031, 4, 29), date(2031, 5, 3), date(2031, 5, 4), date(2031, 5, 5), date(2031, 5, 6)],  # 5/4 Sun
}


@pytest.mark.parametrize("year", sorted(GOLDEN_WEEK))
def test_golden_week_matches_the_package_and_the_law(year: int) -> None:
    import jpholiday

    days = [date(year, 4, 25) + timedelta(days=i) for i in range(15)]  # 4/25 .. 5/9
    holidays = [d for d in days if jpholiday.is_holiday(d)]
    assert holidays == GOLDEN_WEEK[year]
    for d in holidays:
        assert not is_business_day(d)


def test_the_year_end_and_new_year() -> None:
    # 2027-12-31 Fri (bank), 2028-01-01 Sat (元日), 01-02 Sun, 01-03 Mon (bank): the next
    # business day is Tue 2028-01-04, and the previous one Thu 2027-12-30.
    for d in (date(2027, 12, 31), date(2028, 1, 1), date(2028, 1, 2), date(2028, 1, 3)):
        assert adjust(d, BusinessDay.FOLLOWING) == date(2028, 1, 4)
        assert adjust(d, BusinessDay.PRECEDING) == date(2027, 12, 30)
    # Modified following: 2027-12-31 would move into January, so it goes back to 12-30.
    assert adjust(date(2027, 12, 31), BusinessDay.MODIFIED_FOLLOWING) == date(2027, 12, 30)
    assert adjust(date(2028, 1, 1), BusinessDay.MODIFIED_FOLLOWING) == date(2028, 1, 4)


def test_conventions_on_a_spring_holiday_and_a_month_end() -> None:
    # 2029-03-20 (Tue) 春分の日.
    assert adjust(date(2029, 3, 20), BusinessDay.NONE) == date(2029, 3, 20)
    assert adjust(date(2029, 3, 20), BusinessDay.FOLLOWING) == date(2029, 3, 21)
    assert adjust(date(2029, 3, 20), BusinessDay.PRECEDING) == date(2029, 3, 19)
    assert adjust(date(2029, 3, 20), BusinessDay.MODIFIED_FOLLOWING) == date(2029, 3, 21)
    # 2026-10-31 is a Saturday: following → Mon 11-02 (November), so modified following → Fri 10-30.
    assert adjust(date(2026, 10, 31), BusinessDay.FOLLOWING) == date(2026, 11, 2)
    assert adjust(date(2026, 10, 31), BusinessDay.MODIFIED_FOLLOWING) == date(2026, 10, 30)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("none", BusinessDay.NONE),
        ("Following", BusinessDay.FOLLOWING),
        ("preceding", BusinessDay.PRECEDING),
        ("modified-following", BusinessDay.MODIFIED_FOLLOWING),
        ("modified_following", BusinessDay.MODIFIED_FOLLOWING),
    ],
)
def test_convention_names(text: str, expected: BusinessDay) -> None:
    assert BusinessDay.parse(text) is expected


def test_an_unknown_convention_is_an_input_error() -> None:
    with pytest.raises(InputError) as info:
        BusinessDay.parse("next")
    assert "'next'" in str(info.value) and "modified-following" in str(info.value)
    assert info.value.field == "business_day"
    assert "「next」" in info.value.message("ja")


days = st.dates(min_value=date(2020, 1, 1), max_value=date(2150, 12, 31))


@settings(max_examples=500, deadline=None)
@given(days, st.sampled_from(list(BusinessDay)))
def test_an_adjusted_date_is_a_business_day_a_few_days_away(d: date, convention: BusinessDay) -> None:
    moved = adjust(d, convention)
    if convention is BusinessDay.NONE:
        assert moved == d
        return
    assert is_business_day(moved)
    assert abs((moved - d).days) <= 7
    if is_business_day(d):
        assert moved == d
    if convention is BusinessDay.FOLLOWING:
        assert moved >= d
    if convention is BusinessDay.PRECEDING:
        assert moved <= d
    if convention in (BusinessDay.MODIFIED_FOLLOWING, BusinessDay.MODIFIED_PRECEDING):
        assert (moved.year, moved.month) == (d.year, d.month)  # never leaves the month
    if convention is BusinessDay.MODIFIED_PRECEDING and moved > d:  # only when the month's start forced it
        assert adjust(d, BusinessDay.PRECEDING).month != d.month


@settings(max_examples=500, deadline=None)
@given(days, st.sampled_from(list(BusinessDay)), st.integers(0, 40), st.integers(0, 40))
def test_a_move_never_leaves_its_window(d: date, convention: BusinessDay, before: int, after: int) -> None:
    first, last = d - timedelta(days=before), d + timedelta(days=after)
    move = adjust_within(d, convention, first, last)
    assert first <= move.date <= last
    if not move.kept and convention is not BusinessDay.NONE:
        assert is_business_day(move.date)
    plain = adjust(d, convention)
    if first <= plain <= last:  # the convention's own answer whenever it stays inside
        assert move.date == plain and not move.reversed
    if move.reversed:  # the other way: back when the convention looked forward
        assert (move.date < d) == (plain > d)
    if move.kept:  # no business day that way within the window
        assert move.date == d and not is_business_day(d)


RULES = load_rulebook()


@settings(max_examples=150, deadline=None)
@given(
    st.dates(min_value=date(2025, 1, 1), max_value=date(2040, 12, 31)),
    st.integers(1, 36),
    st.sampled_from(list(BusinessDay)),
)
def test_every_advance_stays_in_its_quarter_and_after_the_start(
    start: date, months: int, convention: BusinessDay
) -> None:
    end = add_months(start - timedelta(days=1), months)
    plan = advances(RULES, 100_000_000, start, end, business_day=convention)
    for a in plan.advances:
        assert start <= a.date, a
        assert fiscal_quarter(a.date) == (a.fiscal_year, a.quarter), a
        assert a.date >= quarter_start(a.fiscal_year, a.quarter)


@settings(max_examples=150, deadline=None)
@given(
    st.dates(min_value=date(2025, 1, 1), max_value=date(2040, 12, 31)),
    st.sampled_from([(0, 120, 12), (36, 120, 12), (12, 60, 6), (0, 24, 1), (24, 120, 3)]),
    st.sampled_from(list(BusinessDay)),
    st.booleans(),
)
def test_every_payment_stays_after_the_deferral_and_within_the_term(
    dev_end: date, layout: tuple[int, int, int], convention: BusinessDay, lump: bool
) -> None:
    deferral, term, every = layout
    s = schedule(
        RULES,
        123_456_789,
        dev_end,
        Terms(deferral_months=deferral, term_months=term, every_months=every, lump=lump),
        business_day=convention,
    )
    for p in s.payments:
        assert add_months(dev_end, deferral) < p.due <= add_months(dev_end, term), p


def test_import_astep_calc_does_not_load_the_holiday_package() -> None:
    import subprocess
    import sys

    code = "import sys, astep_calc.business_days; print('jpholiday' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_month_ends_under_modified_following() -> None:
    # 2028-09-30 Sat: following leaves September (10-02 Mon), so modified-following goes back to 09-29 Fri.
    assert adjust(date(2028, 9, 30), BusinessDay.FOLLOWING) == date(2028, 10, 2)
    assert adjust(date(2028, 9, 30), BusinessDay.MODIFIED_FOLLOWING) == date(2028, 9, 29)
    # 2028-04-30 Sun after 昭和の日 (Sat 04-29): 05-01 Mon is in May, so back to 04-28 Fri.
    assert adjust(date(2028, 4, 30), BusinessDay.MODIFIED_FOLLOWING) == date(2028, 4, 28)
    # A business day never moves.
    for c in BusinessDay:
        assert adjust(date(2028, 1, 4), c) == date(2028, 1, 4)


def test_2019_golden_week_is_ten_closed_days() -> None:
    # The accession holidays of 2019 (Apr 27 – May 6): the one stretch longer than a week,
    # which is why the property above starts in 2020.
    assert adjust(date(2019, 4, 27), BusinessDay.FOLLOWING) == date(2019, 5, 7)
    assert adjust(date(2019, 5, 6), BusinessDay.PRECEDING) == date(2019, 4, 26)


def test_the_convention_is_validated_when_built() -> None:
    assert BusinessDay.parse(BusinessDay.FOLLOWING) is BusinessDay.FOLLOWING
    with pytest.raises(InputError) as info:
        BusinessDay.parse("follow")
    assert "did you mean following" in info.value.text.en
    with pytest.raises(InputError):
        BusinessDay.parse(3)


def test_the_assumption_names_the_convention_and_its_setting() -> None:
    a = business_day_assumption(BusinessDay.NONE)
    assert a.setting == "business_day"
    assert "期日・前払日が休日に当たっても調整しない" in a.text.ja
    assert "Dates falling on a weekend or holiday are not adjusted" in a.text.en
    for c in (
        BusinessDay.FOLLOWING,
        BusinessDay.PRECEDING,
        BusinessDay.MODIFIED_FOLLOWING,
        BusinessDay.MODIFIED_PRECEDING,
    ):
        assert c.value in business_day_assumption(c).text.en
        assert c.label.ja in business_day_assumption(c).text.ja  # 翌営業日, 前営業日, 修正翌営業日, 修正前営業日
        assert c.value not in business_day_assumption(c).text.ja
