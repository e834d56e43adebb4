"""Multi-phase plans (SPEC §7): the rules between phases, matching, and every phase checked by
the single commands' own functions, its violations tagged with the phase."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from astep_calc.budget import fiscal_year_caps
from astep_calc.jisso import advances, collateral
from astep_calc.phases import Phase, PhaseViolation, Plan, evaluate
from astep_calc.repayment import Terms, custom_schedule, schedule
from astep_calc.rulebook import Rulebook, load_rulebook
from astep_calc.text import InputError, Text

STAGE1 = Phase("stage1", date(2026, 10, 1), date(2029, 3, 31))  # 30 months
GATE = Phase("stage2-gate", date(2029, 4, 1), date(2033, 3, 31))  # 48 months
JISSO = Phase("jisso", date(2033, 4, 1), date(2036, 3, 31), amount=300_000_000, collateral=30_000_000)


def rules_of(rb: Rulebook, *phases: Phase) -> list[tuple[str, int]]:
    return [(v.rule, v.phase) for v in evaluate(rb, Plan(phases)).violations]


# ---------------------------------------------------------------------------
# phase.overlap and phase.gate
# ---------------------------------------------------------------------------


def test_a_roadmap_that_follows_the_rules_has_no_violation(rb: Rulebook) -> None:
    assert rules_of(rb, STAGE1, GATE, JISSO) == []


def test_gate_starting_before_stage1_ends_is_one_overlap(rb: Rulebook) -> None:
    # Stage I runs to 2029-03-31; the gate phase starts a day earlier: one mistake, reported once.
    early = Phase("stage2-gate", date(2029, 3, 31), date(2033, 3, 30))
    result = evaluate(rb, Plan((STAGE1, early)))
    assert [(v.rule, v.phase) for v in result.violations] == [("phase.overlap", 2)]
    message = result.violations[0].message("en")
    assert message.startswith("Phase 2 (stage2-gate): ")
    assert "phase 1 (stage1, 2026-10-01 to 2029-03-31)" in message and "2029-03-31 to 2029-03-31" in message
    assert result.violations[0].message("ja").startswith("フェーズ2（ステージⅡ（移行））：")


def test_gate_without_a_stage1_phase_breaks_the_gate(rb: Rulebook) -> None:
    assert rules_of(rb, GATE) == [("phase.gate", 1)]
    # A stage1 phase after it does not count: the gate is entered from Stage I.
    later_stage1 = Phase("stage1", date(2033, 4, 1), date(2035, 9, 30))
    assert rules_of(rb, GATE, later_stage1) == [("phase.gate", 1)]


def test_overlap_is_found_whatever_order_the_phases_are_listed_in(rb: Rulebook) -> None:
    overlapping = Phase("jisso", date(2032, 4, 1), date(2035, 3, 31), amount=300_000_000)
    # Listed last or first, the later-starting phase carries the violation.
    assert rules_of(rb, STAGE1, GATE, overlapping) == [("phase.overlap", 3)]
    assert rules_of(rb, overlapping, STAGE1, GATE) == [("phase.overlap", 1)]


def test_phases_touching_end_to_start_do_not_overlap_but_one_shared_day_does(rb: Rulebook) -> None:
    a = Phase("stage2", date(2026, 4, 1), date(2027, 3, 31))
    assert rules_of(rb, a, Phase("stage2", date(2027, 4, 1), date(2028, 3, 31))) == []
    assert rules_of(rb, a, Phase("stage2", date(2027, 3, 31), date(2028, 3, 31))) == [("phase.overlap", 2)]


def test_a_stopped_jisso_phase_ends_on_its_stop_date_for_overlap(rb: Rulebook) -> None:
    stopped = Phase("jisso", date(2026, 4, 1), date(2029, 3, 31), amount=100_000_000, stop=date(2027, 3, 31))
    after = Phase("stage2", date(2027, 4, 1), date(2028, 3, 31))
    assert rules_of(rb, stopped, after) == []


def test_three_phases_overlapping_pairwise_report_every_pair(rb: Rulebook) -> None:
    a = Phase("stage2", date(2026, 4, 1), date(2028, 3, 31))
    b = Phase("stage2", date(2027, 4, 1), date(2029, 3, 31))
    c = Phase("stage2", date(2027, 10, 1), date(2029, 9, 30))
    assert sorted(rules_of(rb, a, b, c)) == [("phase.overlap", 2), ("phase.overlap", 3), ("phase.overlap", 3)]


def test_the_gate_rule_is_rulebook_data(write_rules: Callable[..., Path]) -> None:
    # Without `follows` in the rulebook, a lone stage2-gate phase breaks nothing.
    path = write_rules(('\nfollows = "stage1"', ""))
    assert rules_of(load_rulebook(str(path)), GATE) == []
    with pytest.raises(InputError, match=r"menus.stage2-gate.follows.*must name another menu"):
        load_rulebook(str(write_rules(('follows = "stage1"', 'follows = "stage9"'))))


# ---------------------------------------------------------------------------
# Every phase through the single commands' functions
# ---------------------------------------------------------------------------


def test_each_phase_equals_the_single_functions(rb: Rulebook) -> None:
    s1 = Phase("stage1", date(2026, 10, 1), date(2029, 3, 31), budget=((2026, 8_000_000), (2030, 1)))
    jisso = Phase(
        "jisso", date(2029, 4, 1), date(2032, 3, 31), amount=600_000_000, collateral=1, terms=Terms(deferral_months=48)
    )
    result = evaluate(rb, Plan((s1, jisso), indirect_rate=Fraction(1, 4)))
    one, two = result.phases
    assert one.caps == fiscal_year_caps(rb, "stage1", s1.start, s1.end, indirect_rate=Fraction(1, 4))
    assert two.disbursement == advances(rb, 600_000_000, jisso.start, jisso.end)
    assert two.schedule is not None
    assert two.schedule.payments == schedule(rb, 600_000_000, jisso.end, Terms(deferral_months=48)).payments
    assert two.collateral_required == collateral(rb, 600_000_000) == 60_000_000
    # Every rule the single commands find, tagged with its phase, phase by phase.
    assert [(v.rule, v.phase) for v in result.violations] == [
        ("budget.fy_cap", 1),
        ("budget.outside_period", 1),
        ("amount.max", 2),
        ("collateral.min", 2),
        ("repay.deferral", 2),
    ]
    assert all(isinstance(v, PhaseViolation) and v.detail is not None for v in result.violations)
    assert result.violations[0].detail == one.violations[0].text


def test_a_custom_schedule_is_checked_as_repay_checks_it(rb: Rulebook) -> None:
    rows = ((date(2033, 3, 31), 50_000_000),)
    p = Phase("jisso", date(2026, 4, 1), date(2029, 3, 31), amount=100_000_000, payments=rows)
    r = evaluate(rb, Plan((p,))).phases[0]
    expected = custom_schedule(rb, 100_000_000, date(2029, 3, 31), list(rows))
    assert r.schedule is not None and r.schedule.payments == expected.payments
    assert [v.rule for v in r.violations] == [v.rule for v in expected.violations] == ["repay.total"]


def test_phase_indirect_rate_overrides_the_plans(rb: Rulebook) -> None:
    p = Phase("stage1", date(2026, 4, 1), date(2027, 3, 31), indirect_rate=Fraction(1, 10))
    r = evaluate(rb, Plan((p,), indirect_rate=Fraction(3, 10))).phases[0]
    assert r.caps is not None and r.caps.indirect_rate == Fraction(1, 10)


def test_plan_cap_options_reach_every_stage_phase(rb: Rulebook) -> None:
    p = Phase("stage1", date(2026, 10, 1), date(2027, 9, 30))
    r = evaluate(rb, Plan((p,), prorate_last=True, round_unit=1000)).phases[0]
    assert r.caps == fiscal_year_caps(rb, "stage1", p.start, p.end, prorate_last=True, round_unit=1000)
    assert r.caps is not None and [row.cap for row in r.caps.rows] == [7_500_000, 7_500_000]


# ---------------------------------------------------------------------------
# 開発中止 (stop)
# ---------------------------------------------------------------------------


def test_a_stop_pays_the_advances_up_to_it_and_repays_them_a_year_later(rb: Rulebook) -> None:
    # 120,000,000 over 2026-04-01..2029-03-31: 12 quarterly advances of 10,000,000. Stopped on
    # 2027-05-15: the advances of 2026-04-01, 07-01, 10-01, 2027-01-01 and 04-01 are paid = 50,000,000,
    # repaid in full as one lump sum due add_months(2027-05-15, 12) = 2028-05-15.
    p = Phase(
        "jisso",
        date(2026, 4, 1),
        date(2029, 3, 31),
        amount=120_000_000,
        stop=date(2027, 5, 15),
        terms=Terms(deferral_months=36),
    )
    r = evaluate(rb, Plan((p,))).phases[0]
    assert r.paid == 50_000_000 and len(r.paid_advances) == 5
    assert r.schedule is not None
    assert r.schedule.grade.id == "discontinued"
    assert [(x.due, x.amount) for x in r.schedule.payments] == [(date(2028, 5, 15), 50_000_000)]
    assert r.jst_total == 50_000_000
    assert r.collateral_posted == 12_000_000  # the required 10% of the whole cost, posted at the start


def test_a_stop_with_an_explicit_discontinued_layout_uses_it(rb: Rulebook) -> None:
    p = Phase(
        "jisso",
        date(2026, 4, 1),
        date(2029, 3, 31),
        amount=120_000_000,
        stop=date(2027, 3, 31),
        terms=Terms(grade="discontinued", every_months=12, term_months=24),
    )
    r = evaluate(rb, Plan((p,))).phases[0]
    assert r.schedule is not None
    assert [(x.due, x.amount) for x in r.schedule.payments] == [
        (date(2028, 3, 31), 20_000_000),
        (date(2029, 3, 31), 20_000_000),
    ]


def test_stop_outside_the_period_is_unusable() -> None:
    with pytest.raises(InputError, match="outside the development period"):
        Phase("jisso", date(2026, 4, 1), date(2029, 3, 31), amount=1, stop=date(2029, 4, 1))


# ---------------------------------------------------------------------------
# Matching contributions
# ---------------------------------------------------------------------------


def test_matching_is_recorded_as_a_ratio_and_no_minimum_is_invented(rb: Rulebook) -> None:
    p = Phase(
        "stage2",
        date(2026, 4, 1),
        date(2028, 3, 31),
        budget=((2026, 20_000_000), (2027, 20_000_000)),
        matching=((2026, 10_000_000), (2027, 2_000_000)),
    )
    r = evaluate(rb, Plan((p,)))
    assert r.violations == ()
    assert r.phases[0].matching_ratio == Fraction(12, 40)  # 12,000,000 / 40,000,000
    assert any("sets no minimum" in a.en for a in r.assumptions if isinstance(a, Text))


def test_matching_minimum_from_the_rulebook(write_rules: Callable[..., Path]) -> None:
    path = write_rules(("period_months = 54\n", 'period_months = 54\nmatching_min_ratio = "50%"\n'))
    rb = load_rulebook(str(path))
    assert rb.menu("stage2").matching_min_ratio == Fraction(1, 2)
    # JST 40,000,000 (two capped years without requests: 25,000,000 + 15,000,000 requested);
    # 50% of it is 20,000,000; 19,999,999 given → short by 1.
    p = Phase(
        "stage2", date(2026, 4, 1), date(2028, 3, 31), budget=((2027, 15_000_000),), matching=((2026, 19_999_999),)
    )
    result = evaluate(rb, Plan((p,)))
    assert [v.rule for v in result.violations] == ["budget.matching"]
    assert "short by 1 yen" in result.violations[0].message("en")
    enough = Phase("stage2", p.start, p.end, budget=p.budget, matching=((2026, 20_000_000),))
    assert evaluate(rb, Plan((enough,))).violations == ()


@pytest.mark.parametrize("bad", ['"-1"', '"lots"', "true"])
def test_matching_minimum_must_be_a_ratio(write_rules: Callable[..., Path], bad: str) -> None:
    path = write_rules(("period_months = 54\n", f"period_months = 54\nmatching_min_ratio = {bad}\n"))
    with pytest.raises(InputError, match="matching_min_ratio"):
        load_rulebook(str(path))


def test_matching_minimum_on_a_grant_menu_is_refused(write_rules: Callable[..., Path]) -> None:
    path = write_rules(("period_months = 30\n", 'period_months = 30\nmatching_min_ratio = "1"\n'))
    with pytest.raises(InputError, match="matching-fund menu only"):
        load_rulebook(str(path))


def test_matching_outside_the_period_is_a_violation(rb: Rulebook) -> None:
    p = Phase("stage2", date(2026, 4, 1), date(2027, 3, 31), matching=((2028, 5),))
    assert rules_of(rb, p) == [("budget.outside_period", 1)]


# ---------------------------------------------------------------------------
# Unusable phases
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phase", "message"),
    [
        (Phase("stage1", date(2026, 4, 1), date(2027, 3, 31), matching=((2026, 1),)), "matching-fund menus"),
        (Phase("stage1", date(2026, 4, 1), date(2027, 3, 31), amount=1), "amount do not apply"),
        (Phase("jisso", date(2026, 4, 1), date(2027, 3, 31)), "needs its total development cost"),
        (Phase("jisso", date(2026, 4, 1), date(2027, 3, 31), amount=1, budget=((2026, 1),)), "budget do not apply"),
        (Phase("stage9", date(2026, 4, 1), date(2027, 3, 31)), "is not one of"),
    ],
)
def test_a_phase_that_cannot_be_computed_is_an_input_error(rb: Rulebook, phase: Phase, message: str) -> None:
    with pytest.raises(InputError, match=message):
        evaluate(rb, Plan((phase,)))


def test_a_phase_value_is_validated_when_built() -> None:
    with pytest.raises(InputError, match="before it is posted"):
        Phase("jisso", date(2026, 4, 1), date(2027, 3, 31), amount=1, collateral_release=date(2026, 3, 31))
    with pytest.raises(InputError, match="appears twice"):
        Phase("stage1", date(2026, 4, 1), date(2027, 3, 31), budget=((2026, 1), (2026, 2)))
    with pytest.raises(InputError, match="at least one phase"):
        Plan(())
