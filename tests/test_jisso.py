"""実装支援 (返済型): collateral and JST's quarterly advances (SPEC §5).

Every expected value is worked out by hand in the comment next to it, or, in the
property tests, recomputed from the SPEC's words by code written here (months walked
one by one, not through the package's quarter arithmetic).
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from astep_calc.jisso import advances, amount_violations, collateral, jisso_menu, paid_until, require_positive
from astep_calc.rulebook import Rulebook
from astep_calc.text import InputError

# --------------------------------------------------------------------------- collateral


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        # 123,456,789 × 10% = 12,345,678.9 → ceil → 12,345,679
        (123_456_789, 12_345_679),
        # 500,000,000 × 10% = 50,000,000 exactly: nothing to round
        (500_000_000, 50_000_000),
        # 1 × 10% = 0.1 → ceil → 1 (the smallest whole yen that is at least 10%)
        (1, 1),
        # 10 × 10% = 1 exactly
        (10, 1),
        # 11 × 10% = 1.1 → 2
        (11, 2),
        # 19 × 10% = 1.9 → 2; 20 × 10% = 2 exactly
        (19, 2),
        (20, 2),
        # 300,000,001 × 10% = 30,000,000.1 → 30,000,001
        (300_000_001, 30_000_001),
    ],
)
def test_collateral_is_ten_percent_rounded_up(rb: Rulebook, amount: int, expected: int) -> None:
    assert collateral(rb, amount) == expected


def test_collateral_and_grade_c_round_in_opposite_directions(rb: Rulebook) -> None:
    # The same 12,345,678.9: collateral (a minimum the company provides) rounds up,
    # grade C's repayment (owed at a rate) rounds down. They differ by exactly 1 yen.
    from astep_calc.repayment import owed

    grade_c = rb.jisso.repayment.grade("C")
    assert collateral(rb, 123_456_789) == 12_345_679
    assert owed(123_456_789, grade_c) == 12_345_678


@given(amount=st.integers(min_value=1, max_value=10**12))
@settings(max_examples=200, deadline=None)
def test_collateral_is_the_smallest_whole_yen_at_least_ten_percent(rb: Rulebook, amount: int) -> None:
    c = collateral(rb, amount)
    # c ≥ P × 10%  ⇔  10c ≥ P;  and c − 1 would not be enough: 10(c − 1) < P
    assert c * 10 >= amount
    assert (c - 1) * 10 < amount


def test_amount_max_boundary(rb: Rulebook) -> None:
    # The cap is 500,000,000 in total: at the cap is fine, one yen over is amount.max.
    assert jisso_menu(rb).cap == 500_000_000
    assert amount_violations(rb, 500_000_000) == ()
    assert [v.rule for v in amount_violations(rb, 500_000_001)] == ["amount.max"]
    assert [v.rule for v in amount_violations(rb, 600_000_000)] == ["amount.max"]


def test_amount_max_message_names_both_amounts_in_both_languages(rb: Rulebook) -> None:
    (v,) = amount_violations(rb, 600_000_000)
    assert "600,000,000" in v.message("en") and "500,000,000" in v.message("en")
    assert "600,000,000円" in v.message("ja") and "500,000,000円" in v.message("ja")


def test_require_positive_rejects_zero() -> None:
    assert require_positive(1) == 1
    for amount in (0, -5):
        with pytest.raises(InputError) as info:
            require_positive(amount)
        assert info.value.message("en") == f"'{amount}' must be more than 0 yen"  # the same words as parse_yen
        assert info.value.field == "amount"


@pytest.mark.parametrize(
    ("stop", "paid"),
    [
        # 100,000,000 over 2026-10-01..2027-06-30: 33,333,334 (2026-10-01), 33,333,333 (2027-01-01),
        # 33,333,333 (2027-04-01); a stop counts the advances dated on or before it.
        (date(2026, 10, 1), 33_333_334),
        (date(2026, 12, 31), 33_333_334),
        (date(2027, 1, 1), 66_666_667),
        (date(2027, 3, 31), 66_666_667),
        (date(2027, 4, 1), 100_000_000),
        (date(2027, 6, 30), 100_000_000),
    ],
)
def test_paid_until_counts_the_advances_dated_up_to_the_stop(rb: Rulebook, stop: date, paid: int) -> None:
    d = advances(rb, 100_000_000, date(2026, 10, 1), date(2027, 6, 30))
    assert paid_until(d, stop) == paid


@pytest.mark.parametrize("stop", [date(2026, 9, 30), date(2027, 7, 1)])
def test_paid_until_refuses_a_stop_outside_the_period(rb: Rulebook, stop: date) -> None:
    d = advances(rb, 100_000_000, date(2026, 10, 1), date(2027, 6, 30))
    with pytest.raises(InputError, match=stop.isoformat()) as info:
        paid_until(d, stop)
    assert info.value.field == "stop"


# --------------------------------------------------------------------------- advances


def test_advances_three_whole_quarters(rb: Rulebook) -> None:
    # 2026-10-01..2027-06-30 touches FY2026 Q3 (Oct–Dec), FY2026 Q4 (Jan–Mar), FY2027 Q1
    # (Apr–Jun), 3 months each, M = 9. floor(100,000,000 × 3 / 9) = 33,333,333 each;
    # 3 × 33,333,333 = 99,999,999, the remainder 1 goes to the first quarter.
    d = advances(rb, 100_000_000, date(2026, 10, 1), date(2027, 6, 30))
    assert [(a.fiscal_year, a.quarter, a.date, a.months, a.amount) for a in d.advances] == [
        (2026, 3, date(2026, 10, 1), 3, 33_333_334),
        (2026, 4, date(2027, 1, 1), 3, 33_333_333),
        (2027, 1, date(2027, 4, 1), 3, 33_333_333),
    ]
    assert d.total == 100_000_000
    assert d.violations == ()
    assert [a.key for a in d.advances] == ["FY2026-Q3", "FY2026-Q4", "FY2027-Q1"]
    assert d.advances[0].label.en == "FY2026 Q3"
    assert d.advances[0].label.ja == "2026年度（令和8年度） 第3四半期"


def test_advances_mid_quarter_start(rb: Rulebook) -> None:
    # 2026-05-15..2027-05-14: May 2026..May 2027 is 13 calendar months (M = 13).
    #   FY2026 Q1: May, Jun (May partial, counted whole) → 2  floor(10,000,000 × 2/13) = 1,538,461 (.538…)
    #   FY2026 Q2, Q3, Q4: 3 each                         → floor(10,000,000 × 3/13) = 2,307,692 (.307…)
    #   FY2027 Q1: Apr, May (May partial)                 → 2  → 1,538,461
    # Σ = 2 × 1,538,461 + 3 × 2,307,692 = 3,076,922 + 6,923,076 = 9,999,998: remainder 2 → first.
    # The first advance is dated the start (2026-05-15), the others the quarter's first day.
    d = advances(rb, 10_000_000, date(2026, 5, 15), date(2027, 5, 14))
    assert [(a.date, a.months, a.amount) for a in d.advances] == [
        (date(2026, 5, 15), 2, 1_538_463),
        (date(2026, 7, 1), 3, 2_307_692),
        (date(2026, 10, 1), 3, 2_307_692),
        (date(2027, 1, 1), 3, 2_307_692),
        (date(2027, 4, 1), 2, 1_538_461),
    ]
    assert d.total == 10_000_000


def test_advances_across_the_fiscal_year_boundary(rb: Rulebook) -> None:
    # 2027-02-10..2027-04-05: FY2026 Q4 gets Feb, Mar (2), FY2027 Q1 gets Apr (1); M = 3.
    # floor(1,000,000 × 2/3) = 666,666; floor(1,000,000 × 1/3) = 333,333; Σ = 999,999 → +1 first.
    d = advances(rb, 1_000_000, date(2027, 2, 10), date(2027, 4, 5))
    assert [(a.key, a.date, a.months, a.amount) for a in d.advances] == [
        ("FY2026-Q4", date(2027, 2, 10), 2, 666_667),
        ("FY2027-Q1", date(2027, 4, 1), 1, 333_333),
    ]


def test_advances_single_short_period_is_one_advance(rb: Rulebook) -> None:
    # Six days inside June 2026: one quarter (FY2026 Q1), one month, the whole amount.
    d = advances(rb, 7_777_777, date(2026, 6, 15), date(2026, 6, 20))
    assert [(a.key, a.date, a.months, a.amount) for a in d.advances] == [
        ("FY2026-Q1", date(2026, 6, 15), 1, 7_777_777),
    ]


def test_advances_full_36_months_are_equal(rb: Rulebook) -> None:
    # 2026-04-01..2029-03-31: 12 whole fiscal quarters, 300,000,000 / 12 = 25,000,000 each.
    d = advances(rb, 300_000_000, date(2026, 4, 1), date(2029, 3, 31))
    assert len(d.advances) == 12
    assert {a.amount for a in d.advances} == {25_000_000}
    assert d.advances[-1].date == date(2029, 1, 1)
    assert d.violations == ()


def test_advances_over_the_period_limit_still_compute(rb: Rulebook) -> None:
    # 2026-04-01..2029-04-30 is 37 months: over the 36-month limit → period.max; the
    # advances are still computed: 13 quarters (the last, FY2029 Q1, with 1 month), M = 37.
    # floor(370,000,000 × 3/37) = 30,000,000 for 12 quarters; floor(370,000,000 × 1/37) = 10,000,000.
    d = advances(rb, 370_000_000, date(2026, 4, 1), date(2029, 4, 30))
    assert [v.rule for v in d.violations] == ["period.max"]
    assert [a.amount for a in d.advances] == [30_000_000] * 12 + [10_000_000]
    assert d.total == 370_000_000


def test_advances_over_the_amount_cap_still_compute(rb: Rulebook) -> None:
    # 600,000,000 over 2 whole quarters: 300,000,000 each, and amount.max.
    d = advances(rb, 600_000_000, date(2026, 4, 1), date(2026, 9, 30))
    assert [v.rule for v in d.violations] == ["amount.max"]
    assert [a.amount for a in d.advances] == [300_000_000, 300_000_000]


def test_advances_end_before_start_is_unusable_input(rb: Rulebook) -> None:
    with pytest.raises(InputError) as info:
        advances(rb, 100_000_000, date(2026, 10, 1), date(2026, 9, 30))
    assert info.value.field == "end"


def _fiscal_quarter_of(d: date) -> tuple[int, int]:
    # Written from the SPEC's words: Apr–Jun Q1, Jul–Sep Q2, Oct–Dec Q3, Jan–Mar Q4 of the
    # fiscal year that starts in April.
    fy = d.year if d.month >= 4 else d.year - 1
    q = {4: 1, 5: 1, 6: 1, 7: 2, 8: 2, 9: 2, 10: 3, 11: 3, 12: 3, 1: 4, 2: 4, 3: 4}[d.month]
    return fy, q


def _months_by_quarter(start: date, end: date) -> list[tuple[tuple[int, int], int]]:
    """Walk the calendar months start..end one by one and count them per fiscal quarter."""
    counts: dict[tuple[int, int], int] = {}
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        key = _fiscal_quarter_of(date(y, m, 1))
        counts[key] = counts.get(key, 0) + 1
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return list(counts.items())


@given(
    amount=st.integers(min_value=1, max_value=10**10),
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
    length=st.integers(min_value=0, max_value=1500),
)
@settings(max_examples=200, deadline=None)
def test_advances_properties(rb: Rulebook, amount: int, start: date, length: int) -> None:
    end = start + timedelta(days=length)
    d = advances(rb, amount, start, end)
    quarters = _months_by_quarter(start, end)
    total_months = sum(m for _, m in quarters)
    # one advance per quarter touched, in order, with its month count
    assert [((a.fiscal_year, a.quarter), a.months) for a in d.advances] == quarters
    # the advances sum exactly to P
    assert sum(a.amount for a in d.advances) == amount == d.total
    # floor(P × m_q / M) for every quarter; the first also takes the remainder
    floors = [amount * m // total_months for _, m in quarters]
    assert [a.amount for a in d.advances[1:]] == floors[1:]
    assert d.advances[0].amount - floors[0] == amount - sum(floors)
    assert 0 <= amount - sum(floors) < len(quarters)
    # dates: the first is the start, the others the first day of their quarter's first
    # month; all inside the period and strictly increasing
    assert d.advances[0].date == start
    for a in d.advances[1:]:
        assert a.date.day == 1 and a.date.month in (1, 4, 7, 10)
        assert _fiscal_quarter_of(a.date) == (a.fiscal_year, a.quarter)
    dates = [a.date for a in d.advances]
    assert all(start <= x <= end for x in dates)
    assert dates == sorted(set(dates))
