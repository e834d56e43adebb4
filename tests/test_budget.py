"""Budget caps per fiscal year (SPEC §4), worked by hand from the brochure's numbers."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from astep_calc.budget import BudgetPlan, Proration, fiscal_year_caps, split_cap
from astep_calc.money import Rounding, floor_to_unit
from astep_calc.periods import period_end
from astep_calc.rulebook import Rulebook
from astep_calc.text import InputError

R30 = Fraction(3, 10)


def table(plan: BudgetPlan) -> list[tuple[int, int, int, int, int]]:
    """(fiscal year, months, cap, direct max, indirect max) per row."""
    return [(r.fiscal_year, r.months, r.cap, r.direct_max, r.indirect_max) for r in plan.rows]


# ---------------------------------------------------------------------------
# split_cap: the exact direct/indirect split
# ---------------------------------------------------------------------------


def test_split_of_the_stage1_annual_cap_and_why_dividing_is_one_yen_short() -> None:
    cap = 15_000_000
    # floor(15,000,000 / 1.3) = floor(11,538,461.53…) = 11,538,461, and
    # 11,538,461 + floor(11,538,461 × 0.3) = 11,538,461 + floor(3,461,538.3) = 14,999,999: one yen short.
    naive = cap * 10 // 13
    assert naive == 11_538_461
    assert naive + naive * 3 // 10 == 14_999_999
    # 11,538,462 + floor(3,461,538.6) = 11,538,462 + 3,461,538 = 15,000,000 ≤ cap, and
    # 11,538,463 + floor(3,461,538.9) = 15,000,001 > cap: so 11,538,462 is the largest.
    assert split_cap(cap, R30) == (11_538_462, 3_461_538)


@pytest.mark.parametrize(
    ("cap", "rate", "direct", "indirect"),
    [
        # 7,500,000: 5,769,231 + floor(1,730,769.3) = 7,500,000; 5,769,232 + 1,730,769 = 7,500,001 > cap.
        (7_500_000, R30, 5_769_231, 1_730_769),
        # 25,000,000: 19,230,769 + floor(5,769,230.7) = 24,999,999;
        # 19,230,770 + floor(5,769,231.0) = 25,000,001 > cap, so one yen of the cap cannot be used.
        (25_000_000, R30, 19_230_769, 5_769_230),
        # 12,500,000: floor(/1.3) = 9,615,384 (+2,884,615 = 12,499,999);
        # 9,615,385 + floor(2,884,615.5) = 12,500,000.
        (12_500_000, R30, 9_615_385, 2_884_615),
        # 10,000,000: 7,692,308 + floor(2,307,692.4) = 10,000,000.
        (10_000_000, R30, 7_692_308, 2_307_692),
        # 25%: 12,000,000 + 3,000,000 = 15,000,000 exactly.
        (15_000_000, Fraction(1, 4), 12_000_000, 3_000_000),
        # No indirect cost: all of the cap is direct.
        (15_000_000, Fraction(0), 15_000_000, 0),
        # 100%: d + d ≤ 15,000,001 → d = 7,500,000.
        (15_000_001, Fraction(1), 7_500_000, 7_500_000),
        (0, R30, 0, 0),
        (1, R30, 1, 0),  # 1 + floor(0.3) = 1
        (4, R30, 3, 0),  # 3 + floor(0.9) = 3 ≤ 4; 4 + floor(1.2) = 5 > 4
    ],
)
def test_split_cap_examples(cap: int, rate: Fraction, direct: int, indirect: int) -> None:
    assert split_cap(cap, rate) == (direct, indirect)


def test_split_cap_rejects_a_negative_cap() -> None:
    with pytest.raises(ValueError):
        split_cap(-1, R30)


@settings(max_examples=400)
@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=1000))
def test_split_cap_is_within_the_cap_and_maximal(cap: int, per_mille: int) -> None:
    rate = Fraction(per_mille, 1000)
    direct, indirect = split_cap(cap, rate)

    def total(d: int) -> int:
        return d + d * per_mille // 1000  # d + floor(d × rate), in integers only

    assert indirect == direct * per_mille // 1000
    assert total(direct) <= cap
    assert total(direct + 1) > cap
    assert direct + indirect <= cap


def _split_cap_in_fractions(cap: int, rate: Fraction, unit: int) -> tuple[int, int]:
    """split_cap as it was written with Fractions: the oracle for its integer arithmetic."""

    def indirect(d: int) -> int:
        return floor_to_unit(Rounding.FLOOR.to_int(d * rate), unit)

    direct = floor_to_unit(Rounding.FLOOR.to_int(cap / (1 + rate)), unit)
    while direct + unit + indirect(direct + unit) <= cap:
        direct += unit
    return direct, indirect(direct)


@settings(max_examples=500)
@given(
    st.integers(min_value=0, max_value=10**15),
    st.fractions(min_value=0, max_value=5, max_denominator=10**6),
    st.sampled_from([1, 7, 1000, 10_000, 1_000_000]),
)
def test_split_cap_in_integers_is_the_fraction_form(cap: int, rate: Fraction, unit: int) -> None:
    # floor(d × p/q) == d·p // q and floor(cap / (1 + p/q)) == cap·q // (q + p) for q > 0.
    assert split_cap(cap, rate, unit) == _split_cap_in_fractions(cap, rate, unit)


@settings(max_examples=500)
@given(
    st.integers(min_value=1, max_value=10**15),
    st.integers(min_value=0, max_value=366),
    st.integers(min_value=1, max_value=366),
)
def test_a_prorated_cap_in_integers_is_the_fraction_form(cap: int, part: int, whole: int) -> None:
    # fiscal_year_caps floors cap × part / whole as cap·part // whole.
    assert cap * part // whole == Rounding.FLOOR.to_int(cap * Fraction(part, whole))


# ---------------------------------------------------------------------------
# Hand-worked plans
# ---------------------------------------------------------------------------


def test_stage1_from_october_for_30_months(rb: Rulebook) -> None:
    # 30 months from 2026-10-01 end on add_months(2026-09-30, 30) = 2029-03-31 (month end).
    # FY2026: Oct–Mar = 6 months → floor(15,000,000 × 6 / 12) = 7,500,000 = 5,769,231 + 1,730,769.
    # FY2027 and FY2028: the full 15,000,000 = 11,538,462 + 3,461,538.
    # Total 7,500,000 + 15,000,000 × 2 = 37,500,000.
    plan = fiscal_year_caps(rb, "stage1", date(2026, 10, 1), date(2029, 3, 31))
    assert table(plan) == [
        (2026, 6, 7_500_000, 5_769_231, 1_730_769),
        (2027, 12, 15_000_000, 11_538_462, 3_461_538),
        (2028, 12, 15_000_000, 11_538_462, 3_461_538),
    ]
    assert plan.total_cap == 37_500_000
    assert plan.total_direct == 5_769_231 + 2 * 11_538_462  # 28,846,155
    assert plan.total_indirect == 1_730_769 + 2 * 3_461_538  # 8,653,845
    assert plan.calendar_months == 30
    assert plan.length == (30, 0)
    assert plan.violations == ()
    assert [(r.start, r.end) for r in plan.rows] == [
        (date(2026, 10, 1), date(2027, 3, 31)),
        (date(2027, 4, 1), date(2028, 3, 31)),
        (date(2028, 4, 1), date(2029, 3, 31)),
    ]
    assert [r.prorated for r in plan.rows] == [True, False, False]
    assert plan.row(2027) is plan.rows[1]
    assert plan.row(2030) is None


def test_stage2_for_54_months(rb: Rulebook) -> None:
    # add_months(2026-09-30, 54) = 2031-03-31: FY2026 (6 months) and FY2027–FY2030.
    # FY2026: floor(25,000,000 × 6 / 12) = 12,500,000 = 9,615,385 + 2,884,615.
    # FY2027–2030: 25,000,000 = 19,230,769 + 5,769,230 each.
    # Total 12,500,000 + 4 × 25,000,000 = 112,500,000.
    plan = fiscal_year_caps(rb, "stage2", date(2026, 10, 1), period_end(date(2026, 10, 1), 54))
    assert plan.end == date(2031, 3, 31)
    assert table(plan) == [(2026, 6, 12_500_000, 9_615_385, 2_884_615)] + [
        (fy, 12, 25_000_000, 19_230_769, 5_769_230) for fy in range(2027, 2031)
    ]
    assert plan.total_cap == 112_500_000
    assert plan.violations == ()


def test_stage2_gate_for_48_months_and_prorate_last(rb: Rulebook) -> None:
    # add_months(2026-09-30, 48) = 2030-09-30.
    # FY2026 6 months → 12,500,000; FY2027–2029 25,000,000; FY2030 Apr–Sep 6 months, prorated
    # like the first: floor(25,000,000 × 6 / 12) = 12,500,000. Total 12.5M + 3 × 25M + 12.5M =
    # 100,000,000 = 25,000,000 × 48 / 12: four years of caps for four years.
    start, end = date(2026, 10, 1), date(2030, 9, 30)
    plan = fiscal_year_caps(rb, "stage2-gate", start, end)
    assert [(r.fiscal_year, r.months, r.cap) for r in plan.rows] == [
        (2026, 6, 12_500_000),
        (2027, 12, 25_000_000),
        (2028, 12, 25_000_000),
        (2029, 12, 25_000_000),
        (2030, 6, 12_500_000),
    ]
    assert plan.rows[-1].prorated
    assert plan.total_cap == 100_000_000
    assert plan.violations == ()
    # prorate_last=False (the brochure's literal reading): FY2030 gets the full 25,000,000; total 112,500,000.
    literal = fiscal_year_caps(rb, "stage2-gate", start, end, prorate_last=False)
    assert literal.rows[-1].cap == 25_000_000
    assert not literal.rows[-1].prorated
    assert literal.total_cap == 112_500_000


def test_stage2_gate_is_four_years_where_stage2_is_four_and_a_half(rb: Rulebook) -> None:
    start = date(2026, 10, 1)
    end49 = period_end(start, 49)  # 2030-10-31
    assert [v.rule for v in fiscal_year_caps(rb, "stage2-gate", start, end49).violations] == ["period.max"]
    assert fiscal_year_caps(rb, "stage2", start, end49).violations == ()
    assert [v.rule for v in fiscal_year_caps(rb, "stage2", start, period_end(start, 55)).violations] == ["period.max"]


def test_day_proration_365_and_366_day_fiscal_years(rb: Rulebook) -> None:
    # FY2026 = 2026-04-01..2027-03-31 has 365 days; the project runs 2026-10-01..2027-03-31 =
    # 31+30+31+31+28+31 = 182 days → floor(15,000,000 × 182 / 365) = floor(7,479,452.05) = 7,479,452.
    # Split: 5,753,425 + floor(1,726,027.5) = 7,479,452; 5,753,426 + 1,726,027 = 7,479,453 > cap.
    plan = fiscal_year_caps(rb, "stage1", date(2026, 10, 1), date(2029, 3, 31), proration=Proration.DAY)
    first = plan.rows[0]
    assert (first.days, first.cap, first.direct_max, first.indirect_max) == (182, 7_479_452, 5_753_425, 1_726_027)
    assert [r.cap for r in plan.rows[1:]] == [15_000_000, 15_000_000]
    assert plan.total_cap == 7_479_452 + 30_000_000
    # FY2027 = 2027-04-01..2028-03-31 has 366 days (2028-02-29); 2027-10-01..2028-03-31 is
    # 31+30+31+31+29+31 = 183 days → 15,000,000 × 183 / 366 = 7,500,000 exactly.
    leap = fiscal_year_caps(rb, "stage1", date(2027, 10, 1), date(2030, 3, 31), proration=Proration.DAY)
    assert (leap.rows[0].fiscal_year, leap.rows[0].days, leap.rows[0].cap) == (2027, 183, 7_500_000)
    # By months both are 6/12 of the cap.
    by_month = fiscal_year_caps(rb, "stage1", date(2027, 10, 1), date(2030, 3, 31))
    assert by_month.rows[0].cap == 7_500_000


def test_day_proration_with_round_1000(rb: Rulebook) -> None:
    # 7,479,452 floored to 1,000 → 7,479,000. In 千円: direct 5,753,000 + floor_1000(1,725,900)
    # = 5,753,000 + 1,725,000 = 7,478,000 ≤ cap; the next 千円, 5,754,000 + floor_1000(1,726,200)
    # = 5,754,000 + 1,726,000 = 7,480,000 > cap.
    plan = fiscal_year_caps(
        rb, "stage1", date(2026, 10, 1), date(2029, 3, 31), proration=Proration.DAY, round_unit=1000
    )
    assert table(plan)[0] == (2026, 6, 7_479_000, 5_753_000, 1_725_000)
    assert plan.total_cap == 7_479_000 + 30_000_000


def test_round_1000_and_prorate_last_on_stage2(rb: Rulebook) -> None:
    # add_months(2026-10-31, 54) = 2031-04-30 (month end).
    # FY2026 Nov–Mar = 5 months: floor(25,000,000 × 5 / 12) = floor(10,416,666.67) = 10,416,666 → 10,416,000
    #   = 8,013,000 + floor_1000(2,403,900) = 8,013,000 + 2,403,000 (8,014,000 + 2,404,000 = 10,418,000 > cap).
    # FY2027–2030: 25,000,000 (already a multiple of 1,000).
    # FY2031 April only: floor(25,000,000 / 12) = 2,083,333 → 2,083,000; 25,000,000 with prorate_last=False.
    start = date(2026, 11, 1)
    end = period_end(start, 54)
    assert end == date(2031, 4, 30)
    plan = fiscal_year_caps(rb, "stage2", start, end, round_unit=1000)
    assert table(plan)[0] == (2026, 5, 10_416_000, 8_013_000, 2_403_000)
    assert (plan.rows[-1].fiscal_year, plan.rows[-1].months, plan.rows[-1].cap) == (2031, 1, 2_083_000)
    assert plan.total_cap == 10_416_000 + 4 * 25_000_000 + 2_083_000  # 112,499,000
    assert plan.calendar_months == 54 and plan.length == (54, 0)
    literal = fiscal_year_caps(rb, "stage2", start, end, round_unit=1000, prorate_last=False)
    assert [r.cap for r in literal.rows[1:]] == [25_000_000] * 5
    assert literal.total_cap == 10_416_000 + 5 * 25_000_000  # 135,416,000
    # Without rounding the first year keeps its odd yen.
    assert fiscal_year_caps(rb, "stage2", start, end).rows[0].cap == 10_416_666


def test_a_partial_month_counts_as_a_whole_month(rb: Rulebook) -> None:
    # Starting 2026-10-15 still touches Oct–Mar: 6 months → 7,500,000.
    plan = fiscal_year_caps(rb, "stage1", date(2026, 10, 15), date(2029, 3, 31))
    assert (plan.rows[0].months, plan.rows[0].cap) == (6, 7_500_000)
    # 30 months from 2026-10-15 end on add_months(2026-10-14, 30) = 2029-04-14, so ending
    # 2029-03-31 is within the limit.
    assert plan.violations == ()


def test_start_in_january_and_a_partial_last_year(rb: Rulebook) -> None:
    # add_months(2026-12-31, 12) = 2027-12-31.
    # FY2026: Jan–Mar = 3 months → floor(15,000,000 × 3 / 12) = 3,750,000
    #   = 2,884,616 + floor(865,384.8) (2,884,617 + 865,385 = 3,750,002 > cap).
    # FY2027: Apr–Dec = 9 months, the last year: 11,250,000 prorated
    #   = 8,653,846 + floor(2,596,153.8) = 11,249,999 (8,653,847 + 2,596,154 = 11,250,001 > cap),
    #   or 15,000,000 in full with prorate_last=False.
    # Prorated, the total 3,750,000 + 11,250,000 = 15,000,000 is exactly one year's cap for one year.
    start, end = date(2027, 1, 1), date(2027, 12, 31)
    plan = fiscal_year_caps(rb, "stage1", start, end)
    assert table(plan) == [(2026, 3, 3_750_000, 2_884_616, 865_384), (2027, 9, 11_250_000, 8_653_846, 2_596_153)]
    assert plan.total_cap == 15_000_000
    literal = fiscal_year_caps(rb, "stage1", start, end, prorate_last=False)
    assert table(literal)[1] == (2027, 9, 15_000_000, 11_538_462, 3_461_538)


def test_starting_on_april_first_the_first_year_is_whole(rb: Rulebook) -> None:
    # add_months(2026-03-31, 30) = 2028-09-30: FY2026, FY2027 whole years, full caps; FY2028
    # Apr–Sep is a partial last year: floor(15,000,000 × 6 / 12) = 7,500,000. Total 37,500,000.
    plan = fiscal_year_caps(rb, "stage1", date(2026, 4, 1), date(2028, 9, 30))
    assert [(r.months, r.cap, r.prorated) for r in plan.rows] == [
        (12, 15_000_000, False),
        (12, 15_000_000, False),
        (6, 7_500_000, True),
    ]
    assert plan.total_cap == 37_500_000
    assert plan.violations == ()
    # A first year that starts mid-April still touches 12 months: 12/12 of the cap.
    mid = fiscal_year_caps(rb, "stage1", date(2026, 4, 15), date(2028, 9, 30))
    assert (mid.rows[0].months, mid.rows[0].cap, mid.rows[0].prorated) == (12, 15_000_000, False)


def test_a_project_inside_one_fiscal_year(rb: Rulebook) -> None:
    # 2026-10-01..2027-01-31: Oct–Jan = 4 months → floor(15,000,000 × 4 / 12) = 5,000,000
    #   = 3,846,154 + floor(1,153,846.2).
    plan = fiscal_year_caps(rb, "stage1", date(2026, 10, 1), date(2027, 1, 31))
    assert table(plan) == [(2026, 4, 5_000_000, 3_846_154, 1_153_846)]


def test_period_over_the_limit_is_still_computed(rb: Rulebook) -> None:
    # 31 months from 2026-04-01 end on add_months(2026-03-31, 31) = 2028-10-31 > 2028-09-30 (the 30-month limit).
    plan = fiscal_year_caps(rb, "stage1", date(2026, 4, 1), date(2028, 10, 31))
    assert [v.rule for v in plan.violations] == ["period.max"]
    message = plan.violations[0].message("en")
    assert "2028-09-30" in message and "stage1" in message
    assert "2028-09-30" in plan.violations[0].message("ja")
    # FY2026, FY2027 full; FY2028 Apr–Oct, 7 months: floor(15,000,000 × 7 / 12) = 8,750,000.
    assert plan.total_cap == 38_750_000
    assert plan.length == (31, 0)


def test_end_before_start_is_unusable_input(rb: Rulebook) -> None:
    with pytest.raises(InputError) as info:
        fiscal_year_caps(rb, "stage1", date(2026, 10, 1), date(2026, 9, 30))
    assert info.value.field == "end"
    assert "'2026-09-30'" in info.value.message("en") and "2026-10-01" in info.value.message("en")
    assert "「2026-09-30」" in info.value.message("ja")


# --- Issue 10: the Civil Code's periods and the partial last year, hand-worked ----------


def test_a_30_month_stage1_from_august_31_ends_on_february_28(rb: Rulebook) -> None:
    # 民法143条: 30 months from 2027-08-31 end the day before the corresponding day of
    # 2030-02, which has no 31st: so on 2030-02-28 = add_months(2027-08-30, 30). Not period.max.
    end = period_end(date(2027, 8, 31), 30)
    assert end == date(2030, 2, 28)
    assert fiscal_year_caps(rb, "stage1", date(2027, 8, 31), end).violations == ()


def test_from_september_30_a_30_month_stage1_must_end_by_march_29(rb: Rulebook) -> None:
    # add_months(2026-09-29, 30) = 2029-03-29: ending 2029-03-30 is one day over.
    plan = fiscal_year_caps(rb, "stage1", date(2026, 9, 30), date(2029, 3, 30))
    assert [v.rule for v in plan.violations] == ["period.max"]
    assert "1 day too late" in plan.violations[0].message("en")
    assert fiscal_year_caps(rb, "stage1", date(2026, 9, 30), date(2029, 3, 29)).violations == ()


def test_a_30_month_stage1_spilling_into_a_fourth_fiscal_year(rb: Rulebook) -> None:
    # 30 months from 2026-10-15 end on add_months(2026-10-14, 30) = 2029-04-14.
    # FY2026 Oct–Mar 6 months: 7,500,000; FY2027, FY2028: 15,000,000 each; FY2029 2029-04-01..14,
    # 1 calendar month: floor(15,000,000 × 1 / 12) = 1,250,000. Total 38,750,000.
    # The literal reading gives FY2029 the full 15,000,000: 52,500,000, 3.5 years of caps.
    start = date(2026, 10, 15)
    end = period_end(start, 30)
    assert end == date(2029, 4, 14)
    plan = fiscal_year_caps(rb, "stage1", start, end)
    assert [r.cap for r in plan.rows] == [7_500_000, 15_000_000, 15_000_000, 1_250_000]
    assert plan.total_cap == 38_750_000
    assert plan.length == (30, 0) and plan.calendar_months == 31
    assert fiscal_year_caps(rb, "stage1", start, end, prorate_last=False).total_cap == 52_500_000


def test_the_extra_month_is_stated_and_no_claim_contradicts_it(rb: Rulebook) -> None:
    # 2026-10-15..2029-04-14 is 30 months long and touches 31 calendar months (Oct 2026 and
    # Apr 2029 partial). By months the caps total 15,000,000 × 31 / 12 = 38,750,000, one
    # month's cap (1,250,000) more than the 37,500,000 of 30 months: the note says so and
    # points to day proration; nothing says the caps add up to the period's length.
    plan = fiscal_year_caps(rb, "stage1", date(2026, 10, 15), date(2029, 4, 14))
    assert plan.months_of_caps == plan.calendar_months == 31
    notes = [a for a in plan.assumptions if "31" in a.text.en]
    assert len(notes) == 1
    note = notes[0]
    assert (note.setting, note.value) == ("proration", "day")
    assert "30 months long but touches 31 calendar months" in note.text.en
    assert "38,750,000 yen), 1 month more than the period" in note.text.en
    assert "実施期間は30か月" in note.text.ja and "31か月分（38,750,000円）" in note.text.ja
    assert "1か月分多い" in note.text.ja and "日数按分" in note.text.ja
    every = " ".join(a.text.en + a.text.ja for a in plan.assumptions)
    assert "add up to the period's length" not in every and "実施期間の長さ" not in every
    # From the 1st of a month the 30 months are exactly counted: the claim is true, and made.
    exact = fiscal_year_caps(rb, "stage1", date(2026, 10, 1), date(2029, 3, 31))
    last = next(a for a in exact.assumptions if a.setting == "prorate_last")
    assert "add up to the period's length, 30 months" in last.text.en
    assert "実施期間の長さ（30か月）に合わせる" in last.text.ja
    assert not any(a.value for a in exact.assumptions)
    # By days there is no month counted whole: no note, no claim.
    by_day = fiscal_year_caps(rb, "stage1", date(2026, 10, 15), date(2029, 4, 14), proration=Proration.DAY)
    assert not any(a.value for a in by_day.assumptions)
    assert "add up to" not in " ".join(a.text.en for a in by_day.assumptions)


def test_the_extra_month_note_with_days_and_with_the_literal_reading(rb: Rulebook) -> None:
    # 2026-10-01..2029-04-14 is 30 months 14 days and touches 31 months: the note names the
    # length with its days, and (no whole-month difference to state) no "more than" clause.
    plan = fiscal_year_caps(rb, "stage1", date(2026, 10, 1), date(2029, 4, 14))
    note = next(a for a in plan.assumptions if a.value == "day")
    assert "30 months 14 days long but touches 31 calendar months, since it ends mid-month" in note.text.en
    assert "more than" not in note.text.en and "多い" not in note.text.ja
    # --no-prorate-last: FY2029 gets the full cap, so the caps are not 31 months' worth; the
    # note still says how the months are counted, and claims no total.
    literal = fiscal_year_caps(rb, "stage1", date(2026, 10, 15), date(2029, 4, 14), prorate_last=False)
    assert literal.months_of_caps == 6 + 12 + 12 + 12
    note = next(a for a in literal.assumptions if a.value == "day")
    assert "caps total" not in note.text.en and "上限額の合計" not in note.text.ja


def test_indirect_rate_override(rb: Rulebook) -> None:
    # At 25%: 15,000,000 = 12,000,000 + 3,000,000; 7,500,000 = 6,000,000 + 1,500,000.
    plan = fiscal_year_caps(rb, "stage1", date(2026, 10, 1), date(2029, 3, 31), indirect_rate=Fraction(1, 4))
    assert [(r.direct_max, r.indirect_max) for r in plan.rows] == [
        (6_000_000, 1_500_000),
        (12_000_000, 3_000_000),
        (12_000_000, 3_000_000),
    ]
    assert plan.indirect_rate == Fraction(1, 4)
    assert any("25%" in a.text.en for a in plan.assumptions)


def test_assumptions_say_what_was_assumed(rb: Rulebook) -> None:
    default = fiscal_year_caps(rb, "stage1", date(2026, 10, 1), date(2029, 3, 31))
    en = " ".join(a.text.en for a in default.assumptions)
    ja = " ".join(a.text.ja for a in default.assumptions)
    assert "15,000,000" in en and "15,000,000" in ja
    assert "months" in en and "30%" in en and "rounded down to the yen" in en
    assert "月数按分" in ja and "30％" in ja and "1円未満切り捨て" in ja
    # no code in the prose: what a person would write
    assert "floor(" not in en + ja and "add_months" not in en + ja and "d +" not in ja
    custom = fiscal_year_caps(
        rb, "stage1", date(2026, 10, 1), date(2029, 3, 31), proration=Proration.DAY, prorate_last=True, round_unit=1000
    )
    en2 = " ".join(a.text.en for a in custom.assumptions)
    assert "days" in en2 and "1,000 yen" in en2 and "last fiscal year is prorated" in en2
    assert "日数按分" in " ".join(a.text.ja for a in custom.assumptions)
    assert en != en2
    # Each assumption a setting changes names that setting, in the core's words: no option.
    settings_named = {a.setting for a in custom.assumptions}
    assert {"proration", "prorate_last", "round", "indirect_rate"} <= settings_named
    assert not any("--" in a.text.en or "--" in a.text.ja for a in custom.assumptions + default.assumptions)


@pytest.mark.parametrize(
    ("menu_id", "kwargs", "match"),
    [
        ("jisso", {}, "total cap"),
        ("stage3", {}, "'stage3'"),
        ("stage1", {"round_unit": 0}, "less than 1 yen"),
    ],
)
def test_budget_rejects(rb: Rulebook, menu_id: str, kwargs: dict[str, int], match: str) -> None:
    with pytest.raises(InputError, match=match):
        fiscal_year_caps(rb, menu_id, date(2026, 10, 1), date(2029, 3, 31), **kwargs)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------


@settings(max_examples=250, deadline=None)
@given(
    menu_id=st.sampled_from(["stage1", "stage2", "stage2-gate"]),
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 12, 31)),
    months=st.integers(min_value=1, max_value=84),
    proration=st.sampled_from(list(Proration)),
    prorate_last=st.booleans(),
    unit=st.sampled_from([1, 7, 1000, 10_000, 1_000_000]),
)
def test_budget_properties(
    rb: Rulebook, menu_id: str, start: date, months: int, proration: Proration, prorate_last: bool, unit: int
) -> None:
    menu = rb.menu(menu_id)
    end = period_end(start, months)
    plan = fiscal_year_caps(rb, menu_id, start, end, proration=proration, prorate_last=prorate_last, round_unit=unit)
    rows = plan.rows
    # The rows cover start..end without gap or overlap, one per fiscal year, in order.
    assert rows[0].start == start and rows[-1].end == end
    for a, b in pairwise(rows):
        assert b.start == a.end + timedelta(days=1)
        assert b.fiscal_year == a.fiscal_year + 1
    for r in rows:
        assert r.start <= r.end
        assert date(r.fiscal_year, 4, 1) <= r.start and r.end <= date(r.fiscal_year + 1, 3, 31)
        assert r.days == (r.end - r.start).days + 1
        # A fiscal-year cap never exceeds the annual cap, and is a multiple of the unit.
        assert 0 <= r.cap <= menu.cap
        assert r.cap % unit == 0
        # direct + indirect fit the cap and direct is maximal, both in whole units
        # (30% in integers: floor(d × 3 / 10), floored to the unit).
        assert r.direct_max % unit == 0 and r.indirect_max % unit == 0
        assert r.indirect_max == r.direct_max * 3 // 10 // unit * unit
        assert r.direct_max + r.indirect_max <= r.cap
        d1 = r.direct_max + unit
        assert d1 + d1 * 3 // 10 // unit * unit > r.cap
    # Months per FY sum to the calendar months touched by start..end.
    touched = (end.year * 12 + end.month) - (start.year * 12 + start.month) + 1
    assert sum(r.months for r in rows) == touched == plan.calendar_months
    # N months from S is N months long, and touches N or N + 1 calendar months.
    assert plan.length == (months, 0)
    assert months <= touched <= months + 1
    # With the first and a partial last year prorated by month, the caps never add up to
    # more than the calendar months touched allow: never a whole extra year.
    if prorate_last and proration is Proration.MONTH:
        assert plan.total_cap <= menu.cap * touched // 12
    # No assumption claims what the numbers contradict: the caps "add up to the period's
    # length" only where they are exactly its months' worth, and the extra month is stated
    # exactly where month proration counts more months than the period has.
    claims = [a for a in plan.assumptions if "add up to the period's length" in a.text.en]
    if claims:
        assert plan.months_of_caps == months == touched and proration is Proration.MONTH
        assert plan.total_cap <= menu.cap * months // 12
    notes = [a for a in plan.assumptions if a.value == "day"]
    prorated = any(r.prorated for r in rows)
    assert bool(notes) == (proration is Proration.MONTH and prorated and touched > months)
    if notes:
        assert f"touches {touched} calendar months" in notes[0].text.en
        assert f"暦月では{touched}か月" in notes[0].text.ja
    assert plan.total_cap == sum(r.cap for r in rows)
    # Middle years always get the full cap (floored to the unit); so does any whole year.
    full = menu.cap // unit * unit
    for r in rows[1:-1]:
        assert r.cap == full
    for r in rows:
        if r.start.month == 4 and r.start.day == 1 and r.end.month == 3 and r.end.day == 31:
            assert r.cap == full
    # The first year, when partial and prorated by month: floor(cap × months / 12), floored to the unit.
    first = rows[0]
    if proration is Proration.MONTH:
        assert first.cap == menu.cap * first.months // 12 // unit * unit
    else:
        fy_days = (date(first.fiscal_year + 1, 4, 1) - date(first.fiscal_year, 4, 1)).days
        assert first.cap == menu.cap * first.days // fy_days // unit * unit
    # A partial last year (not also the first) is prorated only with prorate_last.
    if len(rows) > 1:
        lastrow = rows[-1]
        if not prorate_last:
            assert lastrow.cap == full
        elif proration is Proration.MONTH:
            assert lastrow.cap == menu.cap * lastrow.months // 12 // unit * unit
    # The period check: N months from S breaks the limit exactly when N > the menu's months.
    assert [v.rule for v in plan.violations] == (["period.max"] if months > menu.period_months else [])
