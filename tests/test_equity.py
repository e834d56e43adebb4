"""Equity or A-STEP and the sensitivity grid (SPEC §10): the stake and its PV by hand, the A-STEP
cost per grade against the advances' and schedules' own present values, the grid against
single-rate runs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from astep_calc.cashflow import loan_value
from astep_calc.company import Company, Projection, plan_cases
from astep_calc.equity import Equity, case_cost, compare_equity, sensitivity, stake, stake_percent, stake_pv, value_date
from astep_calc.phases import Evaluation, Phase, Plan, evaluate
from astep_calc.repayment import Terms, discounted, present_value, pv_sum, round_yen, schedule
from astep_calc.rulebook import Rulebook, load_rulebook
from astep_calc.text import InputError

# 300,000,000 over 2026-10-01..2029-09-30: 12 quarters of 25,000,000; grade A, yearly over 10 years
# from 2029-09-30 (30,000,000 each); collateral 30,000,000 released with the last payment.
JISSO = Phase("jisso", date(2026, 10, 1), date(2029, 9, 30), amount=300_000_000)
RATES = (Fraction(8, 100), Fraction(10, 100), Fraction(12, 100))


@pytest.fixture(scope="module")
def plan() -> Evaluation:
    return evaluate(load_rulebook(), Plan((JISSO,)))


# ---------------------------------------------------------------------------
# The stake and its present value, by hand
# ---------------------------------------------------------------------------


def test_the_stake_by_hand() -> None:
    # 3億 at a pre-money of 20億: 3 / 23 = 13.0434...% → 13.04.
    assert stake(300_000_000, 2_000_000_000) == Fraction(3, 23)
    assert stake_percent(Fraction(3, 23)) == Decimal("13.04")
    # Two decimals, half-even: 1 / 4000 = 0.025% → 0.02 (not 0.03); 3 / 20000 = 0.015% → 0.02;
    # 1 / 8 = 12.5% exactly → 12.50.
    assert stake_percent(stake(1, 3_999)) == Decimal("0.02")
    assert stake_percent(Fraction(3, 20_000)) == Decimal("0.02")
    assert stake_percent(Fraction(1, 8)) == Decimal("12.50")
    assert str(stake_percent(Fraction(1, 8))) == "12.50"


def test_the_stake_pv_by_hand() -> None:
    # s = 1/10 of 1,100,000,000 one 365-day year later at 10%: 110,000,000 / 1.1 = 100,000,000.
    assert stake_pv(Fraction(1, 10), 1_100_000_000, date(2028, 3, 31), Fraction(1, 10), date(2027, 4, 1)) == 100_000_000
    # At 0%, s·X itself, rounded half-even once: 5 / 2 = 2.5 → 2, 7 / 2 = 3.5 → 4.
    assert stake_pv(Fraction(1, 2), 5, date(2030, 1, 1), Fraction(0), date(2027, 4, 1)) == 2
    assert stake_pv(Fraction(1, 2), 7, date(2030, 1, 1), Fraction(0), date(2027, 4, 1)) == 4
    # The exact stake, not its rounded percentage: 3/23 × 23,000,000,000 = 3,000,000,000 at 0%.
    assert stake_pv(Fraction(3, 23), 23_000_000_000, date(2033, 3, 31), Fraction(0), date(2026, 10, 1)) == 3 * 10**9


def test_the_comparison_reports_the_plans_amount_and_stake(plan: Evaluation) -> None:
    eq = compare_equity(plan, Equity(2_000_000_000, 20_000_000_000, date(2033, 3, 31)), Fraction(1, 10))
    assert (eq.amount, eq.stake, eq.stake_percent, eq.value_date) == (
        300_000_000,
        Fraction(3, 23),
        Decimal("13.04"),
        date(2026, 10, 1),  # the development start: the plan gives no value_date
    )
    # 20,000,000,000 × 3/23 on 2033-03-31, 2373 days after 2026-10-01, at 10%.
    (pv,) = discounted([(date(2033, 3, 31), 20_000_000_000)], date(2026, 10, 1), Fraction(1, 10))
    assert eq.stake_pv == round_yen(pv_sum([pv * 3 / 23]))
    assert [c.case for c in eq.cases] == ["S/A/B", "C"]
    for c in eq.cases:
        assert c.equity_cost == eq.stake_pv  # both cases receive all the advances
        assert c.difference == c.equity_cost - c.astep_cost


def test_without_an_exit_only_the_stake_is_shown(plan: Evaluation) -> None:
    eq = compare_equity(plan, Equity(2_000_000_000), Fraction(1, 10))
    assert eq.stake_pv is None
    assert all(c.equity_cost is None and c.difference is None for c in eq.cases)
    assert any("No exit value" in a.en for a in eq.assumptions)
    assert any("nobody knows" in a.en and "誰にも分からない" in a.ja for a in eq.assumptions)


# ---------------------------------------------------------------------------
# The A-STEP cost per grade
# ---------------------------------------------------------------------------


def test_astep_cost_per_grade_against_the_advances_and_schedules_own_pvs(rb: Rulebook, plan: Evaluation) -> None:
    rate = Fraction(8, 100)
    at = date(2026, 10, 1)
    advances = [(a.date, a.amount) for a in plan.phases[0].paid_advances]
    pv_advances = pv_sum(discounted(advances, at, rate))
    for grade, case in (("A", "S/A/B"), ("C", "C")):
        # The schedule laid out on its own, its PV at the development end E (repay's own figure),
        # carried back to the development start: × (1 + r)^(−days(start, E) / 365).
        s = schedule(rb, 300_000_000, date(2029, 9, 30), Terms(grade=grade))
        (back,) = discounted([(date(2029, 9, 30), 10**30)], at, rate)
        at_e = pv_sum(discounted(((p.due, p.amount) for p in s.payments), date(2029, 9, 30), rate))
        pv_repayments = pv_sum([at_e * back / 10**30])
        # Collateral 30,000,000 posted at the start, back with the last payment.
        coll = pv_sum([Decimal(30_000_000), -discounted([(s.last_due, 30_000_000)], at, rate)[0]])
        expected = round_yen(pv_sum([Decimal(300_000_000), -pv_advances, pv_repayments, coll]))
        got = case_cost([c for c in plan_cases(plan) if c.case == case], rate, at)
        assert abs(got.astep_cost - expected) <= 1  # two routes to the same 40-digit sum
        assert abs(got.repayments_pv - round_yen(pv_repayments)) <= 1
        # The repay command's own PV at E, carried back, agrees within its own rounding.
        assert abs(present_value(s, rate).total * back / 10**30 - got.repayments_pv) <= 1
        assert got.advances_pv == round_yen(pv_advances)


def test_astep_cost_of_the_plans_grade_is_its_loan_value_turned_around(plan: Evaluation) -> None:
    # A − Σ PV(advances) + Σ PV(repayments) + collateral cost = A − loan value + collateral cost, each
    # figure of cashflow.loan_value rounded on its own: within a yen or two of the exact sum.
    for rate in RATES:
        lv = loan_value(plan.phases[0], rate)
        own = next(c for c in compare_equity(plan, Equity(10**9), rate).cases if c.case == "S/A/B")
        assert own.cost.loan_value == lv.value
        assert own.cost.collateral_cost == lv.collateral_cost
        assert abs(own.astep_cost - (300_000_000 - lv.value + lv.collateral_cost)) <= 1


def test_a_guarantee_costs_its_fees(plan: Evaluation) -> None:
    # At 0%: the A-STEP cost is what is repaid plus the fees. 1% of 30,000,000 = 300,000 at the start
    # 2026-10-01 and each anniversary before the release 2039-09-30: 2027-10-01 … 2038-10-01, 13 fees.
    firm = Company(0, (Projection(2026, 0),), collateral_kind="guarantee", guarantee_fee=Fraction(1, 100))
    by_case = {c.case: c for c in compare_equity(plan, Equity(10**9), Fraction(0), company=firm).cases}
    assert by_case["S/A/B"].astep_cost == 300_000_000 + 13 * 300_000
    # Grade C repays 30,000,000 on 2030-09-30, the collateral released with it: fees 2026 … 2029, 4 of them.
    assert by_case["C"].astep_cost == 30_000_000 + 4 * 300_000
    # A deposit at 0% costs nothing: it comes back whole.
    deposit = {c.case: c for c in compare_equity(plan, Equity(10**9), Fraction(0)).cases}
    assert (deposit["S/A/B"].astep_cost, deposit["C"].astep_cost) == (300_000_000, 30_000_000)


def test_a_stop_adds_the_discontinued_case_on_what_was_paid(rb: Rulebook) -> None:
    # Stopped 2027-06-30: the advances 2026-10-01, 2027-01-01 and 2027-04-01 were paid, 75,000,000,
    # repaid in one lump sum on 2028-06-30.
    stopped = Phase("jisso", date(2026, 10, 1), date(2029, 9, 30), amount=300_000_000, stop=date(2027, 6, 30))
    result = evaluate(rb, Plan((stopped,)))
    eq = compare_equity(result, Equity(2_000_000_000, 20_000_000_000, date(2033, 3, 31)), Fraction(0))
    assert eq.amount == 75_000_000 and eq.stake == Fraction(75, 2075)
    by_case = {c.case: c for c in eq.cases}
    assert list(by_case) == ["S/A/B", "C", "discontinued"]
    assert (by_case["discontinued"].cost.amount, by_case["S/A/B"].cost.amount) == (75_000_000, 300_000_000)
    # At 0% the cost is what is repaid; equity's cost is the stake's share of the exit.
    assert by_case["discontinued"].astep_cost == 75_000_000
    assert by_case["discontinued"].equity_cost == round(Fraction(75, 2075) * 20_000_000_000)
    assert by_case["S/A/B"].equity_cost == round(Fraction(3, 23) * 20_000_000_000)


# ---------------------------------------------------------------------------
# The grid
# ---------------------------------------------------------------------------


def test_the_grid_for_three_rates_equals_three_single_runs(plan: Evaluation) -> None:
    grid = sensitivity(plan, RATES)
    assert [(r.rate, r.case) for r in grid] == [(rate, case) for rate in RATES for case in ("S/A/B", "C")]
    for rate in RATES:
        single = compare_equity(plan, Equity(10**9), rate)
        rows = [r for r in grid if r.rate == rate]
        assert [(r.case, r.loan_value, r.astep_cost) for r in rows] == [
            (c.case, c.cost.loan_value, c.astep_cost) for c in single.cases
        ]
        # The plan's own grade: the loan value of SPEC §8, as `astep plan` shows it.
        assert rows[0].loan_value == loan_value(plan.phases[0], rate).value


def test_the_value_date_is_the_plans_or_the_development_start(rb: Rulebook) -> None:
    later = date(2027, 4, 1)
    result = evaluate(rb, Plan((JISSO,), value_date=later))
    assert value_date(result) == later
    assert compare_equity(result, Equity(10**9), Fraction(1, 10)).value_date == later
    with pytest.raises(InputError) as err:
        compare_equity(
            evaluate(rb, Plan((Phase("stage1", date(2026, 10, 1), date(2029, 3, 31)),))), Equity(1), Fraction(0)
        )
    assert err.value.field == "company.equity"


@given(
    amount=st.integers(1_000_000, 500_000_000),
    months=st.integers(1, 36),
    pre_money=st.integers(1, 10**12),
    exit_value=st.integers(0, 10**12),
)
@settings(max_examples=60, deadline=None)
def test_at_zero_rate_the_a_step_cost_is_what_is_repaid(
    amount: int, months: int, pre_money: int, exit_value: int
) -> None:
    from astep_calc.periods import period_end

    start = date(2027, 4, 1)
    result = evaluate(load_rulebook(), Plan((Phase("jisso", start, period_end(start, months), amount=amount),)))
    eq = compare_equity(result, Equity(pre_money, exit_value, date(2035, 3, 31)), Fraction(0))
    owed = {c.case: c.schedule.owed for c in plan_cases(result)}
    for c in eq.cases:
        assert c.astep_cost == owed[c.case]
        assert c.equity_cost == round(Fraction(amount, pre_money + amount) * exit_value)
        assert c.difference == c.equity_cost - c.astep_cost
    assert Decimal(0) <= eq.stake_percent <= Decimal(100)


@pytest.mark.parametrize(
    ("build", "field"),
    [
        (lambda: Equity(0), "company.equity.pre_money"),
        (lambda: Equity(True), "company.equity.pre_money"),  # type: ignore[arg-type]
        (lambda: Equity(1, -1, date(2030, 1, 1)), "company.equity.exit_value"),
        (lambda: Equity(1, 5), "company.equity.exit_date"),
        (lambda: Equity(1, exit_date=date(2030, 1, 1)), "company.equity.exit_value"),
        (lambda: Equity(1, 5, "2030-01-01"), "company.equity.exit_date"),  # type: ignore[arg-type]
    ],
)
def test_an_unusable_equity_value_names_its_field(build: object, field: str) -> None:
    with pytest.raises(InputError) as err:
        build()  # type: ignore[operator]
    assert err.value.field == field
