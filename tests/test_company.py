"""The company's side of a plan (SPEC §9): hand-worked months, runway, coverage and obligation,
the values' checks, and properties over generated plans and projections."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st

from astep_calc.business_days import BusinessDay
from astep_calc.company import (
    AstepFlow,
    Company,
    MonthEnd,
    Projection,
    astep_flows,
    coverage,
    coverage_holds,
    evaluate_company,
    guarantee_fees,
    month_end_cash,
    obligation,
    plan_cases,
    runway,
    spread,
    year_end_obligation,
)
from astep_calc.dates import add_months, fiscal_year_of, month_index, months_touched
from astep_calc.periods import period_end
from astep_calc.phases import Evaluation, Phase, Plan, evaluate
from astep_calc.repayment import FREQUENCIES, Terms
from astep_calc.rulebook import Rulebook, load_rulebook
from astep_calc.text import InputError


def projections(first: int, *nets: int) -> tuple[Projection, ...]:
    return tuple(Projection(first + i, n) for i, n in enumerate(nets))


# ---------------------------------------------------------------------------
# The monthly spread
# ---------------------------------------------------------------------------


def test_a_year_that_does_not_divide_by_12() -> None:
    # n = 1,000,001: n/12 = 83,333.42. Month i gets floor(n·i/12) − floor(n·(i−1)/12):
    # i=1 floor(83,333.42) = 83,333; i=2 floor(166,666.83) = 166,666 → 83,333;
    # i=3 floor(250,000.25) = 250,000 → 83,334; i=12 1,000,001 − floor(916,667.58) = 83,334.
    parts = spread(1_000_001)
    assert parts[:3] == (83_333, 83_333, 83_334)
    assert parts[-1] == 1_000_001 - 916_667 == 83_334
    assert sum(parts) == 1_000_001


def test_a_negative_year() -> None:
    # n = −100: floor(−8.33) = −9; floor(−16.67) − (−9) = −17 + 9 = −8; floor(−25) + 17 = −8;
    # floor(−33.33) = −34, + 25 = −9; ... a −9 every third month, −8 in between: 4 × −9 + 8 × −8 = −100.
    assert spread(-100) == (-9, -8, -8, -9, -8, -8, -9, -8, -8, -9, -8, -8)
    assert spread(-100, 3) == (-34, -33, -33)


@given(n=st.integers(-(10**15), 10**15), k=st.integers(1, 36))
def test_the_spread_adds_up_to_the_year_exactly(n: int, k: int) -> None:
    parts = spread(n, k)
    assert len(parts) == k
    assert sum(parts) == n
    # Each part is n/k rounded one way or the other: never a yen further.
    assert all(n // k <= p <= -(-n // k) for p in parts)


# ---------------------------------------------------------------------------
# A hand-worked company: 実装支援 of 120,000,000 over FY2027, repaid in one lump sum
# ---------------------------------------------------------------------------

# Development 2027-04-01..2028-03-31: four advances of 30,000,000 on 04-01, 07-01, 10-01 and
# 2028-01-01 (business_day none); collateral ceil(10%) = 12,000,000 posted 04-01; the lump sum
# 120,000,000 due add_months(2028-03-31, 12) = 2029-03-31, the collateral released with it.
LUMP = Phase("jisso", date(2027, 4, 1), date(2028, 3, 31), amount=120_000_000, terms=Terms(lump=True))
# FY2027 net −100,000,001 (n/12 = −8,333,333.42: months of −8,333,334 and −8,333,333);
# FY2028 net 150,000,000 − 6,000,000 = 144,000,000: 12,000,000 a month exactly.
FIRM = Company(
    cash=20_000_000,
    flows=(Projection(2027, -100_000_001), Projection(2028, 150_000_000, investing=-6_000_000)),
)


@pytest.fixture(scope="module")
def lump_plan() -> Evaluation:
    return evaluate(load_rulebook(), Plan((LUMP,)))


def test_hand_worked_months(lump_plan: Evaluation) -> None:
    months = evaluate_company(lump_plan, FIRM).months
    got = [(m.month, m.projected, m.astep, m.cash_without, m.cash) for m in months[:4]]
    assert got == [
        # 20,000,000 − 8,333,334 = 11,666,666; + 30,000,000 advance − 12,000,000 collateral
        ("2027-04", -8_333_334, 18_000_000, 11_666_666, 29_666_666),
        # floor(−16,666,666.83) = −16,666,667: − 8,333,333 → 3,333,333; with: + 18,000,000
        ("2027-05", -8_333_333, 0, 3_333_333, 21_333_333),
        # floor(−25,000,000.25) = −25,000,001: − 8,333,334 → −5,000,001; with: 12,999,999
        ("2027-06", -8_333_334, 0, -5_000_001, 12_999_999),
        # floor(−33,333,333.67) = −33,333,334: − 8,333,333 → −13,333,334; + 30,000,000: 34,666,666
        ("2027-07", -8_333_333, 30_000_000, -13_333_334, 34_666_666),
    ]
    march_2028, march_2029 = months[11], months[23]
    # 20,000,000 − 100,000,001 = −80,000,001; with: + 120,000,000 − 12,000,000 = 27,999,999.
    assert (march_2028.cash_without, march_2028.cash) == (-80_000_001, 27_999_999)
    # + 144,000,000 = 63,999,999 both: the advances, repayment and collateral cancel out at the end.
    assert march_2029.astep == -120_000_000 + 12_000_000
    assert (march_2029.cash_without, march_2029.cash) == (63_999_999, 63_999_999)
    assert len(months) == 24 and months[0].end == date(2027, 4, 30) and months[-1].end == date(2029, 3, 31)


def test_hand_worked_fiscal_years(lump_plan: Evaluation) -> None:
    y27, y28 = evaluate_company(lump_plan, FIRM).years
    assert (y27.astep, y27.cash_end, y27.cash_end_without, y27.repaid, y27.coverage) == (
        108_000_000,  # 4 × 30,000,000 − 12,000,000
        27_999_999,
        -80_000_001,
        0,
        None,
    )
    # 150,000,000 ÷ 120,000,000 = 1.25.
    assert (y28.astep, y28.repaid, y28.coverage) == (-108_000_000, 120_000_000, Decimal("1.25"))
    # At 2028-03-31 (the development end) everything is received and owed; the lump sum falls due
    # 2029-03-31, within the next 12 months. At 2029-03-31 it is repaid.
    assert (y27.outstanding, y27.due_within_year, y27.obligation.by_case) == (120_000_000, 120_000_000, ())
    assert (y28.outstanding, y28.due_within_year) == (0, 0)


def test_runway_and_the_months_a_step_adds(lump_plan: Evaluation) -> None:
    r = evaluate_company(lump_plan, FIRM).runway
    # Without: −5,000,001 at the end of 2027-06, the first below 0: it lasts to 2027-05.
    # With: never below 0 up to 2029-03, "beyond the projections": at least 2029-03 − 2027-05 = 22 months.
    assert (r.without, r.with_astep, r.months_added, r.open_ended) == (date(2027, 5, 31), None, 22, True)
    # min_cash 13,000,000: without, April's 11,666,666 is under it already (lasts to 2027-03, before
    # the first month); with, June's 12,999,999 is: lasts to 2027-05, two months more.
    r = evaluate_company(lump_plan, Company(FIRM.cash, FIRM.flows, min_cash=13_000_000)).runway
    assert (r.without, r.with_astep, r.months_added, r.open_ended) == (date(2027, 3, 31), date(2027, 5, 31), 2, False)


def test_company_cash_names_the_first_month_and_the_shortfall(lump_plan: Evaluation) -> None:
    found = evaluate_company(lump_plan, Company(FIRM.cash, FIRM.flows, min_cash=13_000_000)).violations
    assert [(v.rule, v.key, dict(v.details)) for v in found] == [
        (
            "company.cash",
            "company.min_cash",
            {"month": "2027-06", "cash": 12_999_999, "min_cash": 13_000_000, "shortfall": 1},
        )
    ]
    assert "2027-06" in found[0].message("en") and "2027年6月末" in found[0].message("ja")
    # One yen less of a minimum: June's 12,999,999 holds.
    assert evaluate_company(lump_plan, Company(FIRM.cash, FIRM.flows, min_cash=12_999_999)).violations == ()


def test_coverage_rule(lump_plan: Evaluation) -> None:
    def violations(required: Fraction) -> list[tuple[str, str | None, dict[str, object]]]:
        firm = Company(FIRM.cash, FIRM.flows, coverage=required)
        return [(v.rule, v.key, dict(v.details)) for v in evaluate_company(lump_plan, firm).violations]

    assert violations(Fraction(5, 4)) == []  # 1.25 exactly
    assert violations(Fraction(126, 100)) == [
        ("company.coverage", "company.coverage", {"fiscal_year": 2028, "coverage": "1.25", "required": "1.26"})
    ]


def test_coverage_of_exactly_one_and_a_half_holds_and_one_yen_less_breaks(rb: Rulebook) -> None:
    # 100,000,000 repaid in FY2028 (a lump sum due 2029-03-31); operating 150,000,000 = 1.5 × it.
    lump = Phase("jisso", date(2027, 4, 1), date(2028, 3, 31), amount=100_000_000, terms=Terms(lump=True))
    plan = evaluate(rb, Plan((lump,)))

    def check(operating: int) -> list[str]:
        firm = Company(10**9, (Projection(2027, 0), Projection(2028, operating)), coverage=Fraction(3, 2))
        result = evaluate_company(plan, firm)
        assert result.years[1].repaid == 100_000_000
        return [v.rule for v in result.violations]

    assert check(150_000_000) == []
    assert check(149_999_999) == ["company.coverage"]  # 1.49999999: shown 1.49, under 1.5
    assert coverage(149_999_999, 100_000_000) == Decimal("1.49")


def test_an_operating_cash_flow_of_zero_or_less_always_fails_coverage(lump_plan: Evaluation) -> None:
    for operating in (0, -1):
        firm = Company(10**9, (Projection(2027, 0), Projection(2028, operating)), coverage=Fraction(1, 100))
        found = evaluate_company(lump_plan, firm).violations
        assert [v.rule for v in found] == ["company.coverage"]
        assert "does not cover" in found[0].message("en") and "賄えません" in found[0].message("ja")


@given(operating=st.integers(-(10**12), 10**12), repaid=st.integers(1, 10**12))
def test_coverage_is_never_rounded_up(operating: int, repaid: int) -> None:
    shown = Fraction(coverage(operating, repaid))
    exact = Fraction(operating, repaid)
    assert shown <= exact < shown + Fraction(1, 100)
    assert coverage(operating, repaid).as_tuple().exponent == -2  # two decimals, always


@given(
    operating=st.integers(-(10**12), 10**12),
    repaid=st.integers(1, 10**12),
    required=st.fractions(Fraction(1, 100), Fraction(5)),
)
def test_coverage_holds_exactly_when_operating_reaches_required_times_repaid(
    operating: int, repaid: int, required: Fraction
) -> None:
    assert coverage_holds(operating, repaid, required) == (operating > 0 and operating >= required * repaid)


# ---------------------------------------------------------------------------
# Guarantee, matching, business days
# ---------------------------------------------------------------------------


def test_a_guarantee_moves_no_collateral_but_a_yearly_fee(lump_plan: Evaluation) -> None:
    firm = Company(FIRM.cash, FIRM.flows, collateral_kind="guarantee", guarantee_fee=Fraction(15, 1000))
    flows = astep_flows(lump_plan, firm)
    # 1.5% × 12,000,000 = 180,000 at the start (2027-04-01) and on 2028-04-01, before the release 2029-03-31.
    assert [(f.date, f.amount) for f in flows if f.kind == "guarantee_fee"] == [
        (date(2027, 4, 1), -180_000),
        (date(2028, 4, 1), -180_000),
    ]
    assert not any(f.kind in ("collateral", "collateral_release") for f in flows)
    assert evaluate_company(lump_plan, firm).months[0].cash == 11_666_666 + 30_000_000 - 180_000


def test_a_guarantee_fee_is_rounded_down() -> None:
    # 1% of 12,345,679 = 123,456.79 → 123,456; anniversaries 2028-10-01 … before 2030-10-01.
    fees = guarantee_fees(date(2027, 10, 1), date(2030, 10, 1), 12_345_679, Fraction(1, 100))
    assert fees == ((date(2027, 10, 1), 123_456), (date(2028, 10, 1), 123_456), (date(2029, 10, 1), 123_456))
    assert guarantee_fees(date(2027, 10, 1), date(2030, 10, 1), 99, Fraction(1, 100)) == ()  # 0.99 → 0


def test_stage_grants_stay_out_and_matching_is_spread_over_the_phase_months(rb: Rulebook) -> None:
    stage2 = Phase(
        "stage2",
        date(2027, 7, 15),
        date(2029, 3, 31),
        budget=((2027, 10_000_000),),
        # FY2027: the phase runs Jul..Mar, 9 months: floor(1,000,000 × i/9) = 111,111, 222,222, ...,
        # 888,888, 1,000,000: eight months of 111,111 and the last of 111,112.
        matching=((2027, 1_000_000), (2028, 1_200_000)),
    )
    plan = evaluate(rb, Plan((stage2,)))
    flows = astep_flows(plan, Company(0, projections(2027, 0, 0)))
    assert all(f.kind == "matching" for f in flows)
    fy27 = [(f.date, f.amount) for f in flows if fiscal_year_of(f.date) == 2027]
    assert fy27[:2] == [(date(2027, 7, 31), -111_111), (date(2027, 8, 31), -111_111)]
    assert fy27[-1] == (date(2028, 3, 31), -111_112)
    assert len(fy27) == 9 and sum(a for _, a in fy27) == -1_000_000
    assert [f.amount for f in flows if fiscal_year_of(f.date) == 2028] == [-100_000] * 12


def test_business_day_moves_shift_the_month(rb: Rulebook) -> None:
    # The lump sum is due 2029-03-31, a Saturday. `following` moves it to Monday 2029-04-02: into
    # April, so into FY2029, which the projections must then cover; `modified-following` keeps it in
    # March (Friday 2029-03-30).
    moved = evaluate(rb, Plan((LUMP,), business_day=BusinessDay.FOLLOWING))
    with pytest.raises(InputError) as err:
        evaluate_company(moved, FIRM)
    assert "FY2029" in err.value.text.en and "2029-04-02" in err.value.text.en
    longer = Company(FIRM.cash, (*FIRM.flows, Projection(2029, 0)))
    months = evaluate_company(moved, longer).months
    assert (months[23].month, months[23].astep, months[24].month, months[24].astep) == (
        "2029-03",
        0,
        "2029-04",
        -120_000_000 + 12_000_000,  # the collateral comes back with the last repayment, on its moved date
    )
    kept = evaluate(rb, Plan((LUMP,), business_day=BusinessDay.MODIFIED_FOLLOWING))
    assert evaluate_company(kept, FIRM).months[23].astep == -120_000_000 + 12_000_000


def test_a_year_the_projections_miss_is_named(lump_plan: Evaluation) -> None:
    with pytest.raises(InputError) as err:
        evaluate_company(lump_plan, Company(0, projections(2027, 0)))
    assert err.value.field == "company.flows"
    assert "FY2028" in err.value.text.en and "2028年度" in err.value.text.ja
    assert "2029-03-31" in err.value.text.en  # the repayment that falls in it
    with pytest.raises(InputError) as err:
        evaluate_company(lump_plan, Company(0, projections(2028, 0)))
    assert "FY2027" in err.value.text.en


# ---------------------------------------------------------------------------
# Obligation
# ---------------------------------------------------------------------------


def test_obligation_by_grade_until_the_post_evaluation(rb: Rulebook) -> None:
    # 2026-10-01..2028-03-31: six quarters, 10,000,000 each; grade A, yearly: 10 × 6,000,000 from 2029-03-31.
    plan = evaluate(rb, Plan((Phase("jisso", date(2026, 10, 1), date(2028, 3, 31), amount=60_000_000),)))
    cases = plan_cases(plan)
    rows = {fy: year_end_obligation(cases, fy) for fy in range(2025, 2039)}
    # 2026-03-31: before the start, nothing owed, no grade to show yet.
    assert (rows[2025].plan.outstanding, rows[2025].by_case) == (0, ())
    # 2027-03-31: 20,000,000 received; under S/A/B all of it, under C floor(10%) = 2,000,000; nothing due yet.
    assert [(o.case, o.outstanding, o.due_within_year) for o in rows[2026].by_case] == [
        ("S/A/B", 20_000_000, 0),
        ("C", 2_000_000, 0),
    ]
    # 2028-03-31, the development end: the grade is the plan's; 6,000,000 due 2029-03-31.
    assert (rows[2027].plan.outstanding, rows[2027].plan.due_within_year, rows[2027].by_case) == (
        60_000_000,
        6_000_000,
        (),
    )
    assert (rows[2028].plan.outstanding, rows[2028].plan.due_within_year) == (54_000_000, 6_000_000)
    assert rows[2028].plan.due_after_year == 48_000_000
    assert (rows[2037].plan.outstanding, rows[2037].plan.due_within_year) == (0, 0)  # last one 2038-03-31
    # Under C after the evaluation: 6,000,000 due 2029-03-31, nothing after.
    assert obligation(cases, date(2028, 3, 31), "C") == obligation(cases, date(2028, 3, 31), "C")
    assert (
        obligation(cases, date(2028, 3, 31), "C").outstanding,
        obligation(cases, date(2029, 3, 31), "C").outstanding,
    ) == (
        6_000_000,
        0,
    )


def test_obligation_with_a_stop(rb: Rulebook) -> None:
    # Stopped 2027-02-15: advances 2026-10-01 and 2027-01-01 paid (20,000,000), repaid in one lump sum
    # on add_months(2027-02-15, 12) = 2028-02-15. The plan's case is 開発中止 from the start: no grades beside.
    stopped = Phase("jisso", date(2026, 10, 1), date(2028, 3, 31), amount=60_000_000, stop=date(2027, 2, 15))
    cases = plan_cases(evaluate(rb, Plan((stopped,))))
    y = year_end_obligation(cases, 2026)
    assert (y.plan.outstanding, y.plan.due_within_year, y.by_case) == (20_000_000, 20_000_000, ())
    assert year_end_obligation(cases, 2027).plan.outstanding == 0


# ---------------------------------------------------------------------------
# The values' checks
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: Company(-1, projections(2027, 0)), "company.cash"),
        (lambda: Company(0, projections(2027, 0), min_cash=-1), "company.min_cash"),
        (lambda: Company(0, projections(2027, 0), coverage=Fraction(0)), "company.coverage"),
        (lambda: Company(0, projections(2027, 0), coverage=Decimal("1.2")), "company.coverage"),  # type: ignore[arg-type]
        (lambda: Company(0, projections(2027, 0), collateral_kind="pledge"), "company.collateral_kind"),  # type: ignore[arg-type]
        (lambda: Company(0, projections(2027, 0), guarantee_fee=Fraction(1, 100)), "company.guarantee_fee"),
        (
            lambda: Company(0, projections(2027, 0), collateral_kind="guarantee", guarantee_fee=Fraction(2)),
            "company.guarantee_fee",
        ),
        (lambda: Company(0, (Projection(2027, 0), Projection(2027, 1))), "company.flows.2027"),
        (lambda: Company(0, (Projection(2027, 0), Projection(2029, 1))), "company.flows"),
        (lambda: Projection(2027, 1, investing=10**16), "company.flows.2027.investing"),
        (lambda: Projection(2027, 1.5), "company.flows.2027.operating"),  # type: ignore[arg-type]
        (lambda: Projection(10_000, 1), "company.flows"),
    ],
)
def test_an_unusable_value_names_its_field(build: object, field: str) -> None:
    with pytest.raises(InputError) as err:
        build()  # type: ignore[operator]
    assert err.value.field == field
    assert err.value.text.ja and err.value.text.ja != err.value.text.en


def test_projections_are_kept_in_year_order() -> None:
    firm = Company(0, (Projection(2028, 2), Projection(2027, 1)))
    assert firm.years == (2027, 2028)


# ---------------------------------------------------------------------------
# Properties over generated plans and projections
# ---------------------------------------------------------------------------


@st.composite
def plans(draw: st.DrawFn) -> Evaluation:
    """A plan of a 実装支援 phase, sometimes after a Stage II phase with matching."""
    phases: list[Phase] = []
    start = draw(st.dates(date(2025, 1, 1), date(2030, 12, 31)))
    if draw(st.booleans()):
        end = period_end(start, draw(st.integers(1, 54)))
        years = range(fiscal_year_of(start), fiscal_year_of(end) + 1)
        matching = draw(st.dictionaries(st.sampled_from(years), st.integers(0, 30_000_000), max_size=4))
        phases.append(Phase("stage2", start, end, matching=tuple(matching.items())))
        start = end + timedelta(days=draw(st.integers(1, 400)))
    end = period_end(start, draw(st.integers(1, 36))) - timedelta(days=draw(st.integers(0, 20)))
    end = max(end, start)
    amount = draw(st.integers(1_000_000, 500_000_000))
    grade = draw(st.sampled_from(["A", "C"]))
    every = draw(st.sampled_from(sorted(FREQUENCIES.values())))
    deferral = 0 if grade == "C" else draw(st.sampled_from([d for d in (0, 12, 36) if (120 - d) % every == 0]))
    phases.append(
        Phase(
            "jisso",
            start,
            end,
            amount=amount,
            stop=draw(st.none() | st.dates(start, end)),
            collateral=draw(st.none() | st.integers(0, amount)),
            terms=Terms(grade=grade, every_months=every, deferral_months=deferral),
        )
    )
    business_day = draw(st.sampled_from(list(BusinessDay)))
    try:
        return evaluate(load_rulebook(), Plan(tuple(phases), business_day=business_day))
    except InputError:  # a stop before the first advance, moved past it to a business day: nothing paid
        reject()


@st.composite
def companies(draw: st.DrawFn, plan: Evaluation) -> Company:
    """Projections covering every fiscal year the plan's money moves in, sometimes more."""
    days = [r.phase.start for r in plan.phases]
    for r in plan.phases:
        if r.schedule is not None:
            days += [r.schedule.last_due, r.collateral_released_on or r.schedule.last_due]
    first = min(fiscal_year_of(d) for d in days) - draw(st.integers(0, 1))
    last = max(fiscal_year_of(d) for d in days) + draw(st.integers(0, 1))
    nets = draw(st.lists(st.integers(-(10**9), 10**9), min_size=last - first + 1, max_size=last - first + 1))
    kind = draw(st.sampled_from(["deposit", "guarantee"]))
    fee = draw(st.fractions(0, Fraction(1, 10))) if kind == "guarantee" else None
    return Company(
        draw(st.integers(0, 10**9)),
        projections(first, *nets),
        min_cash=draw(st.integers(0, 10**8)),
        collateral_kind=kind,  # type: ignore[arg-type]
        guarantee_fee=fee,
    )


def own_flows(plan: Evaluation, firm: Company) -> list[tuple[date, int]]:
    """The A-STEP flows rebuilt from the phases' own figures, independently of astep_flows."""
    out: list[tuple[date, int]] = []
    for r in plan.phases:
        if r.schedule is None:
            for fy, m in r.phase.matching:
                s, e = max(r.phase.start, date(fy, 4, 1)), min(r.phase.end, date(fy + 1, 3, 31))
                k = months_touched(s, e) if s <= e else 1
                first = date(s.year, s.month, 1) if s <= e else date(fy, 4, 1)
                out += [(add_months(first, i), -(m * (i + 1) // k - m * i // k)) for i in range(k)]
            continue
        out += [(a.date, a.amount) for a in r.paid_advances]
        out += [(p.due, -p.amount) for p in r.schedule.payments]
        release = r.collateral_released_on or r.schedule.last_due
        if firm.collateral_kind == "deposit":
            out += [(r.phase.start, -r.collateral_posted), (release, r.collateral_posted)]
        else:
            fee = firm.fee.numerator * r.collateral_posted // firm.fee.denominator  # floor(fee × guaranteed)
            k = 0
            while k == 0 or add_months(r.phase.start, 12 * k) < release:
                out.append((add_months(r.phase.start, 12 * k), -fee))
                k += 1
    return out


@given(data=st.data())
@settings(max_examples=120, deadline=None)
def test_with_minus_without_is_the_a_step_money_to_date(data: st.DataObject) -> None:
    plan = data.draw(plans())
    firm = data.draw(companies(plan))
    result = evaluate_company(plan, firm)
    flows = own_flows(plan, firm)
    assert sum(a for _, a in flows) == sum(f.amount for f in result.flows)
    for m in result.months:
        to_date = sum(a for d, a in flows if month_index(d) <= month_index(m.end))
        assert m.cash - m.cash_without == to_date, m.month
    # The months run from April of the first projected year to March of the last, one a month.
    assert result.months[0].end == date(firm.years[0], 4, 30)
    assert result.months[-1].end == date(firm.years[-1] + 1, 3, 31)
    assert len(result.months) == 12 * len(firm.years)
    # Without A-STEP: cash + the projections to date; each year's months add up to its net.
    for p in firm.flows:
        assert sum(m.projected for m in result.months if m.fiscal_year == p.fiscal_year) == p.net
    assert result.months[-1].cash_without == firm.cash + sum(p.net for p in firm.flows)
    # The years' figures are the months'.
    for y in result.years:
        months = [m for m in result.months if m.fiscal_year == y.fiscal_year]
        assert (y.cash_end, y.cash_end_without, y.astep) == (
            months[-1].cash,
            months[-1].cash_without,
            sum(m.astep for m in months),
        )


@given(data=st.data())
@settings(max_examples=120, deadline=None)
def test_runway_is_the_month_before_the_first_under_the_minimum(data: st.DataObject) -> None:
    plan = data.draw(plans())
    firm = data.draw(companies(plan))
    result = evaluate_company(plan, firm)
    for lasts, cash in ((result.runway.with_astep, "cash"), (result.runway.without, "cash_without")):
        under = [m for m in result.months if getattr(m, cash) < firm.min_cash]
        if lasts is None:
            assert not under
        else:
            assert month_index(lasts) == month_index(under[0].end) - 1
            assert all(getattr(m, cash) >= firm.min_cash for m in result.months if m.end <= lasts)
    cash_rules = [v for v in result.violations if v.rule == "company.cash"]
    assert len(cash_rules) == (1 if result.runway.with_astep is not None else 0)


@given(data=st.data())
@settings(max_examples=120, deadline=None)
def test_the_obligation_never_goes_below_zero_and_ends_at_the_last_repayment(data: st.DataObject) -> None:
    plan = data.draw(plans())
    cases = plan_cases(plan)
    for c in cases:
        last = c.schedule.last_due
        days = sorted({d for d, _ in c.advances} | {p.due for p in c.schedule.payments})
        days += [c.phase.phase.start - timedelta(days=1), last - timedelta(days=1), last, last + timedelta(days=400)]
        for d in days:
            ob = obligation(cases, d, c.case)
            assert ob.outstanding >= 0 and 0 <= ob.due_within_year
            assert ob.due_within_year <= ob.outstanding or d < c.phase.phase.end  # C before E: 10% of part
            if d >= last:
                assert ob.outstanding == 0 and ob.due_within_year == 0
            elif d >= c.phase.phase.last_day:
                assert ob.outstanding > 0


def test_the_month_end_series_from_explicit_flows() -> None:
    firm = Company(0, projections(2030, 12))
    flows = [AstepFlow(date(2030, 4, 1), 1, "advance", 5), AstepFlow(date(2030, 4, 30), 1, "repayment", -2)]
    months = month_end_cash(firm, flows)
    assert [(m.cash_without, m.cash) for m in months[:2]] == [(1, 4), (2, 5)]
    assert runway([MonthEnd(date(2030, 4, 30), 1, 0, 1, 1)], 0).months_added == 0
