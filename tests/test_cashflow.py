"""The fiscal-year cash flow and the loan value (SPEC §8): hand-worked roadmaps, the loan value
against the grant equivalent, and properties over generated plans."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from astep_calc.budget import fiscal_year_caps
from astep_calc.cashflow import COLUMNS, Amounts, cash_flow, loan_value, movements, split_by_months
from astep_calc.jisso import advances, collateral
from astep_calc.periods import period_end
from astep_calc.phases import Evaluation, Phase, Plan, evaluate
from astep_calc.repayment import FREQUENCIES, Terms, present_value, schedule
from astep_calc.rulebook import Rulebook

# SPEC §7's roadmap: Stage I → stage gate → Stage II → 実装支援.
SPINOUT = Plan(
    (
        # 2026-07-01 + 30 months → 2028-12-31. Caps: FY2026 9 months 11,250,000; FY2027 15,000,000;
        # FY2028 9 months 11,250,000 (a partial last year prorated, SPEC edition 2).
        Phase(
            "stage1",
            date(2026, 7, 1),
            date(2028, 12, 31),
            budget=((2026, 11_250_000), (2027, 15_000_000), (2028, 11_250_000)),
        ),
        # 2029-01-01 + 48 months → 2032-12-31. Caps: FY2028 3 months 6,250,000; FY2029-31 25,000,000;
        # FY2032 9 months 18,750,000. Requests for FY2028 and FY2029 only: the other years at their caps.
        Phase(
            "stage2-gate",
            date(2029, 1, 1),
            date(2032, 12, 31),
            budget=((2028, 6_250_000), (2029, 25_000_000)),
            matching=((2029, 10_000_000),),
        ),
        # 300,000,000 over 12 quarters: 25,000,000 each, 100,000,000 a fiscal year FY2033-35.
        # Deferral 12 months, every 6: N = (120 − 12) / 6 = 18; base floor(300,000,000 / 18) =
        # 16,666,666, remainder 300,000,000 − 18 × 16,666,666 = 12 on the first: 16,666,678.
        # Due add_months(2036-03-31, 12 + 6k): 2037-09-30, 2038-03-31, ... 2046-03-31, two per FY2037-45.
        Phase(
            "jisso",
            date(2033, 4, 1),
            date(2036, 3, 31),
            amount=300_000_000,
            collateral=30_000_000,
            terms=Terms(grade="A", deferral_months=12, every_months=6),
        ),
    ),
    title="Sensor spin-out roadmap",
    indirect_rate=Fraction(3, 10),
    discount_rate=Fraction(8, 100),
    prorate_last=True,
)

# Stage I → stage gate → Stage II on whole fiscal years after the first.
STAGES = Plan(
    (
        # 2026-10-01..2029-03-31: caps 7,500,000 (6 months), 15,000,000, 15,000,000.
        Phase(
            "stage1",
            date(2026, 10, 1),
            date(2029, 3, 31),
            budget=((2026, 7_500_000), (2027, 15_000_000), (2028, 14_000_000)),
        ),
        # 2029-04-01..2033-03-31: four whole fiscal years at 25,000,000 a year.
        Phase(
            "stage2-gate",
            date(2029, 4, 1),
            date(2033, 3, 31),
            budget=((2029, 20_000_000), (2030, 25_000_000), (2031, 25_000_000), (2032, 20_000_000)),
            matching=((2029, 10_000_000), (2030, 12_500_000), (2031, 12_500_000), (2032, 10_000_000)),
        ),
    )
)


def table(plan: Plan, rb: Rulebook, by: str = "year") -> list[tuple[str, int, int, int, int, int, int]]:
    cf = cash_flow(evaluate(rb, plan), by)  # type: ignore[arg-type]
    return [
        (
            r.key,
            r.amounts.jst_in,
            r.amounts.company_in,
            r.amounts.collateral_posted,
            r.amounts.collateral_released,
            r.amounts.repaid,
            r.cumulative,
        )
        for r in cf.rows
    ]


def test_spinout_cash_flow_by_hand(rb: Rulebook) -> None:
    two = 2 * 16_666_666  # two installments a fiscal year
    assert table(SPINOUT, rb) == [
        # FY          jst_in       company    posted     released   repaid             cumulative
        ("FY2026", 11_250_000, 0, 0, 0, 0, 11_250_000),
        ("FY2027", 15_000_000, 0, 0, 0, 0, 26_250_000),
        ("FY2028", 17_500_000, 0, 0, 0, 0, 43_750_000),  # 11,250,000 + 6,250,000
        ("FY2029", 25_000_000, 10_000_000, 0, 0, 0, 68_750_000),
        ("FY2030", 25_000_000, 0, 0, 0, 0, 93_750_000),  # no request: the cap
        ("FY2031", 25_000_000, 0, 0, 0, 0, 118_750_000),
        ("FY2032", 18_750_000, 0, 0, 0, 0, 137_500_000),  # 9 months of 25,000,000
        ("FY2033", 100_000_000, 0, 30_000_000, 0, 0, 207_500_000),  # + 100,000,000 − 30,000,000
        ("FY2034", 100_000_000, 0, 0, 0, 0, 307_500_000),
        ("FY2035", 100_000_000, 0, 0, 0, 0, 407_500_000),
        ("FY2036", 0, 0, 0, 0, 0, 407_500_000),  # the deferral year
        ("FY2037", 0, 0, 0, 0, 33_333_344, 374_166_656),  # 16,666,678 + 16,666,666
        ("FY2038", 0, 0, 0, 0, two, 340_833_324),
        ("FY2039", 0, 0, 0, 0, two, 307_499_992),
        ("FY2040", 0, 0, 0, 0, two, 274_166_660),
        ("FY2041", 0, 0, 0, 0, two, 240_833_328),
        ("FY2042", 0, 0, 0, 0, two, 207_499_996),
        ("FY2043", 0, 0, 0, 0, two, 174_166_664),
        ("FY2044", 0, 0, 0, 0, two, 140_833_332),
        ("FY2045", 0, 0, 0, 30_000_000, two, 137_500_000),  # last due 2046-03-31: collateral back
    ]
    cf = cash_flow(evaluate(rb, SPINOUT))
    # 437,500,000 from JST (37,500,000 + 100,000,000 + 300,000,000) − 300,000,000 repaid.
    assert cf.totals == Amounts(437_500_000, 10_000_000, 30_000_000, 30_000_000, 300_000_000)
    assert cf.totals.net == cf.cumulative == 137_500_000
    # FY2028 is shared: each phase's part and their sum.
    fy2028 = cf.rows[2]
    assert [(p.phase, p.menu, p.amounts.jst_in) for p in fy2028.parts] == [
        (1, "stage1", 11_250_000),
        (2, "stage2-gate", 6_250_000),
    ]
    assert evaluate(rb, SPINOUT).violations == ()


def test_stages_cash_flow_by_hand_and_matching_ratio(rb: Rulebook) -> None:
    assert table(STAGES, rb) == [
        ("FY2026", 7_500_000, 0, 0, 0, 0, 7_500_000),
        ("FY2027", 15_000_000, 0, 0, 0, 0, 22_500_000),
        ("FY2028", 14_000_000, 0, 0, 0, 0, 36_500_000),
        ("FY2029", 20_000_000, 10_000_000, 0, 0, 0, 56_500_000),
        ("FY2030", 25_000_000, 12_500_000, 0, 0, 0, 81_500_000),
        ("FY2031", 25_000_000, 12_500_000, 0, 0, 0, 106_500_000),
        ("FY2032", 20_000_000, 10_000_000, 0, 0, 0, 126_500_000),
    ]
    result = evaluate(rb, STAGES)
    assert result.phases[1].matching_ratio == Fraction(1, 2)  # 45,000,000 / 90,000,000
    assert cash_flow(result).rows[3].matching_ratio == Fraction(1, 2)
    assert cash_flow(result).rows[0].matching_ratio is None


def test_a_fiscal_year_shared_with_stage_one_counts_only_the_matched_money(rb: Rulebook) -> None:
    # Issue 22 item 6: Stage I to 2029-09-30 asks 7,500,000 in FY2029; Stage II from 2029-10-01
    # asks 12,500,000 with 5,000,000 of the companies' own money. The year's JST money is
    # 20,000,000, but the companies match only Stage II's: 5,000,000 / 12,500,000 = 0.4, not 0.25.
    plan = Plan(
        (
            Phase("stage1", date(2027, 4, 1), date(2029, 9, 30), budget=((2029, 7_500_000),)),
            Phase(
                "stage2-gate",
                date(2029, 10, 1),
                date(2033, 9, 30),
                budget=((2029, 12_500_000),),
                matching=((2029, 5_000_000),),
            ),
        )
    )
    fy2029 = next(r for r in cash_flow(evaluate(rb, plan)).rows if r.fiscal_year == 2029)
    assert (fy2029.amounts.jst_in, fy2029.amounts.company_in) == (20_000_000, 5_000_000)
    assert fy2029.matching_ratio == Fraction(2, 5)


def test_stages_by_quarter(rb: Rulebook) -> None:
    rows = table(STAGES, rb, "quarter")
    # FY2026 Q3-Q4: 7,500,000 over two 3-month quarters; FY2028: 14,000,000 / 4 = 3,500,000.
    assert rows[:3] == [
        ("FY2026-Q3", 3_750_000, 0, 0, 0, 0, 3_750_000),
        ("FY2026-Q4", 3_750_000, 0, 0, 0, 0, 7_500_000),
        ("FY2027-Q1", 3_750_000, 0, 0, 0, 0, 11_250_000),
    ]
    # 7,500,000 + 15,000,000 + three quarters of FY2028 (3 × 3,500,000) = 33,000,000.
    assert rows[8] == ("FY2028-Q3", 3_500_000, 0, 0, 0, 0, 33_000_000)
    assert rows[-1] == ("FY2032-Q4", 5_000_000, 2_500_000, 0, 0, 0, 126_500_000)
    assert len(rows) == 26  # FY2026 Q3 to FY2032 Q4


def test_quarter_split_of_a_partial_quarter(rb: Rulebook) -> None:
    # 2026-05-15..2027-03-31, FY2026 request 10,000,000 over 11 months touched: Q1 2 months
    # (May, Jun), Q2-Q4 3 each: floor(10,000,000 × 2/11) = 1,818,181, × 3/11 = 2,727,272 three
    # times; remainder 10,000,000 − 9,999,997 = 3 on the first: 1,818,184, dated 2026-05-15.
    p = Phase("stage1", date(2026, 5, 15), date(2027, 3, 31), budget=((2026, 10_000_000),))
    moves = movements(evaluate(rb, Plan((p,))).phases[0], "quarter")
    assert [(m.date, m.amount) for m in moves] == [
        (date(2026, 5, 15), 1_818_184),
        (date(2026, 7, 1), 2_727_272),
        (date(2026, 10, 1), 2_727_272),
        (date(2027, 1, 1), 2_727_272),
    ]


def test_split_by_months_matches_the_advances_rule(rb: Rulebook) -> None:
    d = advances(rb, 10_000_000, date(2026, 5, 15), date(2027, 3, 31))
    assert split_by_months(10_000_000, [a.months for a in d.advances]) == [a.amount for a in d.advances]


# ---------------------------------------------------------------------------
# Loan value (done when: 3億, 2026-10-01..2029-09-30, 3-year deferral, yearly, 8%)
# ---------------------------------------------------------------------------

LOAN = Phase("jisso", date(2026, 10, 1), date(2029, 9, 30), amount=300_000_000, terms=Terms(deferral_months=36))


def pv(amount: int, days: int, rate: Fraction) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 40
        return Decimal(amount) / (Decimal(1) + Decimal(rate.numerator) / Decimal(rate.denominator)) ** (
            Decimal(days) / Decimal(365)
        )


def test_loan_value_from_the_twelve_quarterly_advances(rb: Rulebook) -> None:
    result = evaluate(rb, Plan((LOAN,), discount_rate=Fraction(8, 100)))
    phase = result.phases[0]
    # 12 quarters of 3 months: 25,000,000 each, 2026-10-01, 2027-01-01, ... 2029-07-01
    # (written out, not through add_months, which the advances themselves use).
    quarter_starts = (
        [date(2026, 10, 1)]
        + [date(y, m, 1) for y in (2027, 2028) for m in (1, 4, 7, 10)]
        + [date(2029, 1, 1), date(2029, 4, 1), date(2029, 7, 1)]
    )
    assert [(a.date, a.amount) for a in phase.paid_advances] == [(d, 25_000_000) for d in quarter_starts]
    lv = loan_value(phase, Fraction(8, 100))
    # An independent computation: Decimal's own power instead of exp/ln.
    s = date(2026, 10, 1)
    adv = sum((pv(a.amount, (a.date - s).days, Fraction(8, 100)) for a in phase.paid_advances), Decimal(0))
    assert phase.schedule is not None
    rep = sum((pv(p.amount, (p.due - s).days, Fraction(8, 100)) for p in phase.schedule.payments), Decimal(0))
    assert abs(lv.value - (adv - rep)) < 1
    assert (lv.advances, lv.repayments, lv.value) == (270_451_021, 140_565_229, 129_885_792)
    # The grant equivalent at the development end treats all 300,000,000 as arriving on 2029-09-30.
    grant = present_value(phase.schedule, Fraction(8, 100)).grant_equivalent
    assert grant == 122_928_295 != lv.value
    # Valued at the development end too, the loan is worth 40,690,396 yen more than the grant
    # equivalent says: the money arrived up to three years early.
    at_end = loan_value(phase, Fraction(8, 100), date(2029, 9, 30))
    assert at_end.value - grant == 40_690_396
    # Collateral 30,000,000 posted 2026-10-01, released at the last due date 2039-09-30.
    assert at_end.collateral_posted == 37_791_360 and lv.collateral_posted == 30_000_000
    assert lv.collateral_cost == 30_000_000 - lv.collateral_released
    assert cash_flow(result).loans == (lv,)


def test_value_date_before_the_start_counts_negative_days_the_other_way(rb: Rulebook) -> None:
    phase = evaluate(rb, Plan((LOAN,))).phases[0]
    later = loan_value(phase, Fraction(8, 100), date(2030, 4, 1))
    earlier = loan_value(phase, Fraction(8, 100), date(2020, 4, 1))
    assert later.advances > 300_000_000 > earlier.advances


def test_no_discount_rate_no_loan_value(rb: Rulebook) -> None:
    assert cash_flow(evaluate(rb, Plan((LOAN,)))).loans == ()


# ---------------------------------------------------------------------------
# Properties over generated plans
# ---------------------------------------------------------------------------

MENUS = ("stage1", "stage2", "stage2-gate", "jisso")


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    start = draw(st.dates(date(2024, 1, 1), date(2030, 12, 31)))
    phases: list[Phase] = []
    for _ in range(draw(st.integers(1, 4))):
        menu = draw(st.sampled_from(MENUS))
        limit = {"stage1": 30, "stage2": 54, "stage2-gate": 48, "jisso": 36}[menu]
        end = period_end(start, draw(st.integers(1, limit))) + timedelta(days=draw(st.integers(-20, 0)))
        end = max(end, start)
        if menu == "jisso":
            amount = draw(st.integers(1_000_000, 500_000_000))
            every = draw(st.sampled_from(sorted(FREQUENCIES.values())))
            deferral = draw(st.sampled_from([d for d in (0, 12, 24, 36) if (120 - d) % every == 0]))
            stop = draw(st.none() | st.dates(start, end))
            phases.append(
                Phase(
                    menu,
                    start,
                    end,
                    amount=amount,
                    stop=stop,
                    collateral=draw(st.none() | st.integers(0, amount)),
                    terms=Terms(grade=draw(st.sampled_from(["A", "C"])), every_months=every, deferral_months=deferral),
                )
            )
        else:
            years = range(start.year - 1, end.year + 1)
            budget = draw(st.dictionaries(st.sampled_from(years), st.integers(0, 30_000_000), max_size=4))
            matching = (
                draw(st.dictionaries(st.sampled_from(years), st.integers(0, 30_000_000), max_size=4))
                if menu != "stage1"
                else {}
            )
            phases.append(Phase(menu, start, end, budget=tuple(budget.items()), matching=tuple(matching.items())))
        start = end + timedelta(days=draw(st.integers(-60, 800)))  # sometimes overlapping
    return Plan(tuple(phases), discount_rate=draw(st.none() | st.just(Fraction(8, 100))))


def fixed(terms: Terms) -> Terms:
    """Grade C takes no deferral: the generated plan's deferral dropped for it."""
    return Terms(grade="C") if terms.grade == "C" else terms


@st.composite
def evaluated(draw: st.DrawFn, rb: Rulebook) -> Evaluation:
    model = draw(plans())
    model = Plan(
        tuple(
            Phase(
                p.menu,
                p.start,
                p.end,
                p.budget,
                p.matching,
                amount=p.amount,
                collateral=p.collateral,
                terms=fixed(p.terms),
                stop=p.stop,
            )
            for p in model.phases
        ),
        discount_rate=model.discount_rate,
    )
    return evaluate(rb, model)


@pytest.fixture(scope="module")
def rb_module() -> Rulebook:
    from astep_calc.rulebook import load_rulebook

    return load_rulebook()


def own_total(rb: Rulebook, p: Phase) -> int:
    """A phase's JST money computed from the single functions, independently of the cash flow."""
    if p.menu == "jisso":
        assert p.amount is not None
        return sum(
            a.amount for a in advances(rb, p.amount, p.start, p.end).advances if p.stop is None or a.date <= p.stop
        )
    caps = fiscal_year_caps(rb, p.menu, p.start, p.end)
    requested = dict(p.budget)
    return sum(requested.pop(r.fiscal_year, r.cap) for r in caps.rows) + sum(requested.values())


@given(data=st.data())
@settings(max_examples=150, deadline=None)
def test_cash_flow_invariants(rb_module: Rulebook, data: st.DataObject) -> None:
    rb = rb_module
    result = data.draw(evaluated(rb))
    for by in ("year", "quarter"):
        cf = cash_flow(result, by)  # type: ignore[arg-type]
        t = cf.totals
        # Σ jst_in = the phases' own totals, from the single functions.
        assert t.jst_in == sum(own_total(rb, r.phase) for r in result.phases)
        assert t.company_in == sum(a for r in result.phases for _, a in r.phase.matching)
        # Σ repaid = what is owed (generated schedules), per phase as `repay` computes it.
        owed = 0
        for r in result.phases:
            if r.kind == "jisso":
                assert r.schedule is not None
                assert r.schedule.total == r.schedule.owed
                assert r.paid == sum(a.amount for a in r.paid_advances) == r.schedule.amount
                owed += r.schedule.owed
                if r.phase.stop is None:
                    assert r.phase.amount is not None
                    assert r.schedule.payments == schedule(rb, r.phase.amount, r.phase.end, r.phase.terms).payments
                    assert r.collateral_required == collateral(rb, r.phase.amount)
        assert t.repaid == owed
        # The last cumulative = Σ jst_in − Σ repaid − Σ posted + Σ released; each row adds its net.
        assert cf.cumulative == t.jst_in - t.repaid - t.collateral_posted + t.collateral_released
        running = 0
        for row in cf.rows:
            running += row.amounts.net
            assert row.cumulative == running
            for col in COLUMNS:
                assert getattr(row.amounts, col) == sum(getattr(p.amounts, col) for p in row.parts)
        # Rows are contiguous periods.
        assert all(b.start == a.end + timedelta(days=1) for a, b in zip(cf.rows, cf.rows[1:], strict=False))
        assert t.collateral_posted == t.collateral_released  # every collateral comes back in the plan


@given(data=st.data())
@settings(max_examples=60, deadline=None)
def test_at_zero_rate_the_loan_value_is_what_is_kept(rb_module: Rulebook, data: st.DataObject) -> None:
    result = data.draw(evaluated(rb_module))
    for r in result.phases:
        if r.kind == "jisso":
            lv = loan_value(r, Fraction(0))
            assert r.schedule is not None
            assert lv.value == r.paid - r.schedule.owed
            assert lv.collateral_cost == 0
