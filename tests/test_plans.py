"""Plan files (SPEC §6-7): the loader names file, key and line; ``phases.evaluate`` finds every
rule a plan breaks, with the numbers of the budget and repayment cores."""

from __future__ import annotations

import json
import tomllib
from dataclasses import replace
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from astep_calc import plans
from astep_calc.budget import fiscal_year_caps
from astep_calc.jisso import collateral
from astep_calc.money import DisplayUnit
from astep_calc.phases import Phase, PhaseResult, Plan, evaluate
from astep_calc.plan_schema import plan_schema_text
from astep_calc.plans import load_plan_file, parse_plan_file
from astep_calc.repayment import Terms, custom_schedule, schedule
from astep_calc.rulebook import Rulebook
from astep_calc.text import InputError

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
ALL_RULES = {
    "period.max",
    "budget.fy_cap",
    "budget.outside_period",
    "amount.max",
    "collateral.min",
    "repay.total",
    "repay.window",
    "repay.term",
    "repay.deferral",
}

STAGE1 = 'menu = "stage1"\nstart = 2026-10-01\nend = 2029-03-31\n'  # 30 months: the limit exactly
JISSO = 'menu = "jisso"\nstart = 2025-07-01\nend = 2028-06-30\namount = "5億"\ncollateral = "5000万"\n'
JISSO_E = date(2028, 6, 30)  # the development end of JISSO
CUSTOM = 'menu = "jisso"\nstart = 2026-04-01\nend = 2029-03-31\namount = 300_000_000\ncollateral = 30_000_000\n'


def payments(*rows: tuple[str, int]) -> str:
    return "".join(f"[[repayment.payments]]\ndue = {d}\namount = {a}\n" for d, a in rows)


def read(text: str, origin: str, rules: Rulebook | None = None, *, json_format: bool = False) -> Phase:
    """The one phase of a single-phase plan given as text."""
    return parse_plan_file(text, origin, rules, json_format=json_format).model.phases[0]


def checked(rb: Rulebook, phase: Phase) -> PhaseResult:
    """A single-phase plan's phase checked, as ``astep check`` checks it."""
    return evaluate(rb, Plan((phase,), phased=False)).phases[0]


def rules_broken(rb: Rulebook, text: str) -> list[str]:
    return [v.rule for v in checked(rb, read(text, "plan.toml", rb)).violations]


def jsonable(value: Any) -> Any:
    """TOML data as JSON carries it: dates as ISO strings."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


# ---------------------------------------------------------------------------
# Each rule id, triggered by a minimal plan (and the boundary that holds)
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # period.max: one day over 30 months (add_months(2026-09-30, 30) = 2029-03-31).
        ('menu = "stage1"\nstart = 2026-10-01\nend = 2029-04-01\n', ["period.max"]),
        (
            'menu = "jisso"\nstart = 2025-07-01\nend = 2028-07-01\namount = "5億"\ncollateral = "5000万"\n',
            ["period.max"],
        ),
        # budget.fy_cap: the first FY (6 months) is capped at 7,500,000.
        (STAGE1 + "[budget]\n2026 = 7_500_001\n", ["budget.fy_cap"]),
        (STAGE1 + "[budget]\n2027 = 15_000_001\n", ["budget.fy_cap"]),
        # budget.outside_period: FY2025 ends before the start, FY2029 starts after the end.
        (STAGE1 + "[budget]\n2025 = 1\n", ["budget.outside_period"]),
        (STAGE1 + "[budget]\n2029 = 1\n", ["budget.outside_period"]),
        # amount.max: one yen over 500,000,000 (collateral ceil(50,000,000.1) = 50,000,001 is enough).
        (
            'menu = "jisso"\nstart = 2025-07-01\nend = 2028-06-30\namount = 500_000_001\ncollateral = 50_000_001\n',
            ["amount.max"],
        ),
        # collateral.min: ceil(10%) = 50,000,000; one yen short.
        (
            'menu = "jisso"\nstart = 2025-07-01\nend = 2028-06-30\namount = "5億"\ncollateral = 49_999_999\n',
            ["collateral.min"],
        ),
        # collateral rounds up: 10% of 123,456,789 is 12,345,678.9, so 12,345,678 is short.
        (
            'menu = "jisso"\nstart = 2025-07-01\nend = 2028-06-30\namount = 123_456_789\ncollateral = 12_345_678\n',
            ["collateral.min"],
        ),
        # Generated schedules: repay.deferral, repay.term, repay.window (a lump due too early).
        (JISSO + '[repayment]\ndeferral = "4y"\n', ["repay.deferral"]),
        (JISSO + '[repayment]\nterm = "11y"\n', ["repay.term"]),
        (JISSO + "[repayment]\nlump = true\ndue = 2028-06-30\n", ["repay.window"]),
        # (a lump sum after E + 120 months is also a first payment after E + 48: one rule for every layout)
        (JISSO + "[repayment]\nlump = true\ndue = 2038-07-01\n", ["repay.term", "repay.deferral"]),
        # Custom schedules: repay.total, repay.window, repay.term, repay.deferral.
        (CUSTOM + payments(("2032-03-31", 299_999_999)), ["repay.total"]),
        (CUSTOM + payments(("2029-03-31", 300_000_000)), ["repay.window"]),
        (CUSTOM + payments(("2030-03-31", 1), ("2039-04-01", 299_999_999)), ["repay.term"]),
        (CUSTOM + payments(("2033-04-01", 300_000_000)), ["repay.deferral"]),
    ],
)
def test_each_rule_id_from_a_minimal_plan(rb: Rulebook, text: str, expected: list[str]) -> None:
    assert rules_broken(rb, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        STAGE1 + "[budget]\n2026 = 7_500_000\n2027 = 15_000_000\n2028 = 15_000_000\n2029 = 0\n",
        # FY2026 Jul–Mar and FY2030 Apr–Dec, 9 months each: 25,000,000 × 9 / 12 = 18,750,000.
        'menu = "stage2"\nstart = 2026-07-01\nend = 2030-12-31\n[budget]\n2026 = "1875万"\n2030 = "1875万"\n',
        'menu = "stage2-gate"\nstart = 2027-04-01\nend = 2031-03-31\n',
        JISSO,
        'menu = "jisso"\nstart = 2025-07-01\nend = 2028-06-30\namount = 123_456_789\ncollateral = 12_345_679\n',
        JISSO + '[repayment]\ndeferral = "3y"\nterm = "10y"\nevery = "quarter"\n',
        JISSO + '[repayment]\ngrade = "C"\n',
        CUSTOM + payments(("2033-03-31", 100_000_000), ("2039-03-31", 200_000_000)),
        CUSTOM + '[repayment]\ngrade = "C"\n' + payments(("2030-03-31", 30_000_000)),
    ],
)
def test_boundaries_that_hold(rb: Rulebook, text: str) -> None:
    assert rules_broken(rb, text) == []


def test_a_plan_breaking_several_rules_reports_all_of_them(rb: Rulebook) -> None:
    stage = (
        'menu = "stage1"\nstart = 2026-10-01\nend = 2029-09-30\n[budget]\n2026 = "1000万"\n2027 = "1600万"\n2030 = 1\n'
    )
    assert rules_broken(rb, stage) == ["period.max", "budget.fy_cap", "budget.fy_cap", "budget.outside_period"]
    jisso = (
        'menu = "jisso"\nstart = 2025-07-01\nend = 2028-12-31\namount = "6億"\ncollateral = 0\n'
        '[repayment]\ndeferral = "4y"\nterm = "12y"\n'
    )
    # amount.max is found by both the amount check and the schedule; it is listed once.
    assert rules_broken(rb, jisso) == ["period.max", "amount.max", "collateral.min", "repay.deferral", "repay.term"]
    custom = CUSTOM + payments(("2029-01-01", 1), ("2040-01-01", 1))
    assert rules_broken(rb, custom) == ["repay.total", "repay.window", "repay.term"]


@pytest.mark.parametrize("menu", ["stage2", "jisso"])
def test_reversed_dates_are_unusable_naming_the_end_and_its_line(rb: Rulebook, menu: str) -> None:
    # An end before the start is not a rule to report but input that cannot be used (exit 2).
    extra = "[budget]\n2026 = 1\n" if menu == "stage2" else 'amount = "1億"\ncollateral = "1000万"\n'
    text = f'menu = "{menu}"\nstart = 2026-07-01\nend = 2020-12-31\n{extra}'
    with pytest.raises(InputError) as info:
        read(text, "p.toml", rb)
    assert "p.toml:3: key 'end'" in info.value.text.en, info.value.text.en
    assert "'2020-12-31'" in info.value.text.en and "2026-07-01" in info.value.text.en


def test_violation_messages_are_bilingual_and_quote_the_numbers(rb: Rulebook) -> None:
    plan = read(STAGE1 + "[budget]\n2026 = 8_000_000\n2031 = 1\n", "p.toml", rb)
    cap, outside = checked(rb, plan).violations
    assert "7,500,000" in cap.text.en and "8,000,000" in cap.text.en and "500,000" in cap.text.en
    assert "2026年度（令和8年度）" in cap.text.ja and "上限額7,500,000円" in cap.text.ja
    assert "FY2031" in outside.text.en and "2031年度" in outside.text.ja
    j = read(JISSO.replace('"5000万"', "40_000_000"), "j.toml", rb)
    (short,) = checked(rb, j).violations
    assert "50,000,000" in short.text.en and "10,000,000" in short.text.en
    assert "担保又は保証" in short.text.ja and "10,000,000円不足しています" in short.text.ja


# ---------------------------------------------------------------------------
# The same numbers as the budget and repayment cores
# ---------------------------------------------------------------------------


def test_budget_numbers_are_fiscal_year_caps(rb: Rulebook) -> None:
    result = checked(rb, load_plan_file(EXAMPLES / "stage1-valid.toml", rb).model.phases[0])
    expected = fiscal_year_caps(rb, "stage1", date(2026, 10, 1), date(2029, 3, 31), indirect_rate=Fraction(3, 10))
    assert result.caps == expected
    assert [r.cap for r in result.caps.rows] == [7_500_000, 15_000_000, 15_000_000]


def test_generated_schedule_is_repayment_schedule(rb: Rulebook) -> None:
    result = checked(rb, load_plan_file(EXAMPLES / "jisso-valid.toml", rb).model.phases[0])
    expected = schedule(
        rb, 500_000_000, JISSO_E, Terms(grade="A", deferral_months=36, term_months=120, every_months=12)
    )
    assert result.schedule is not None
    assert result.schedule.payments == expected.payments
    assert [p.due for p in expected.payments][::6] == [date(2032, 6, 30), date(2038, 6, 30)]
    # By hand, not through schedule(): E = 2028-06-30, 36 months deferred, yearly, so the
    # first payment is due E + 48 months = 2032-06-30 and the last E + 120 = 2038-06-30:
    # 7 payments; 500,000,000 / 7 = 71,428,571 r 3, the 3 yen on the first payment.
    assert [(p.due, p.amount) for p in result.schedule.payments] == [
        (date(2032 + k, 6, 30), 71_428_574 if k == 0 else 71_428_571) for k in range(7)
    ]
    assert result.collateral_required == collateral(rb, 500_000_000) == 50_000_000


def test_custom_schedule_is_repayment_custom_schedule(rb: Rulebook) -> None:
    result = checked(rb, load_plan_file(EXAMPLES / "jisso-custom-invalid.toml", rb).model.phases[0])
    rows = [(date(2029, 3, 31), 80_000_000), (date(2034, 3, 31), 100_000_000), (date(2040, 3, 31), 100_000_000)]
    expected = custom_schedule(rb, 300_000_000, date(2029, 3, 31), rows, "A")
    assert result.schedule is not None
    assert result.schedule.payments == expected.payments
    assert result.violations == expected.violations


def test_a_jisso_plan_without_repayment_uses_the_default_schedule(rb: Rulebook) -> None:
    result = checked(rb, read(JISSO, "j.toml", rb))
    assert result.schedule is not None
    assert result.schedule.payments == schedule(rb, 500_000_000, JISSO_E).payments  # grade A, 10 yearly


# ---------------------------------------------------------------------------
# The loader: values, TOML and JSON alike
# ---------------------------------------------------------------------------


def test_values_in_every_accepted_form(rb: Rulebook) -> None:
    plan = read(
        STAGE1 + 'indirect_rate = 0.30\n[budget]\n2026 = "750万"\n2027 = "1,500万円"\n2028 = 15_000_000\n', "p.toml", rb
    )
    assert plan.indirect_rate == Fraction(3, 10)  # the float 0.30 read as the decimal it is written as
    assert plan.budget == ((2026, 7_500_000), (2027, 15_000_000), (2028, 15_000_000))
    assert read(STAGE1 + 'indirect_rate = "30%"\n', "p.toml", rb).indirect_rate == Fraction(3, 10)
    assert read(STAGE1 + "indirect_rate = 0.1\n", "p.toml", rb).indirect_rate == Fraction(1, 10)
    j = read(JISSO + '[repayment]\ngrade = "B"\ndeferral = 1.5\nterm = "9.5y"\nevery = "half"\n', "j.toml", rb)
    assert j.terms == Terms(grade="B", deferral_months=18, term_months=114, every_months=6)
    assert (j.amount, j.collateral) == (500_000_000, 50_000_000)


def test_json_dates_are_iso_strings_and_rates_exact(rb: Rulebook) -> None:
    plan = read(
        '{"menu": "stage1", "start": "2026-10-01", "end": "2029-03-31", "indirect_rate": 0.30,'
        ' "budget": {"2026": 7500000}, "$schema": "./plan.schema.json"}',
        "p.json",
        rb,
        json_format=True,
    )
    assert plan.start == date(2026, 10, 1) and plan.indirect_rate == Fraction(3, 10)
    assert plan.budget == ((2026, 7_500_000),)


#: Every date key of a plan, written in the Japanese forms of issue 13 (SPEC §3): one parser
#: (dates.parse_date) for options, payment files and plan files.
JAPANESE_DATES = (
    'title = "x"\nvalue_date = "令和8年4月1日"\n'
    '[[phase]]\nmenu = "stage1"\nstart = "2026/7/1"\nend = "R8.12.31"\n'
    '[[phase]]\nmenu = "jisso"\nstart = "２０２７年４月１日"\nend = "R12/3/31"\namount = "3億"\n'
    'collateral = "3000万"\nstop = "2029.9.30"\ncollateral_release = "令和16年3月31日"\n'
    '[phase.repayment]\ngrade = "C"\nlump = true\ndue = "R13.3.31"\n'
    '[[phase]]\nmenu = "jisso"\nstart = "R12.4.1"\nend = "R15.3.31"\namount = "3億"\ncollateral = "3000万"\n'
    '[[phase.repayment.payments]]\ndue = "令和16年3月31日"\namount = "3億"\n'
)


def test_every_date_key_reads_japanese_forms(rb: Rulebook) -> None:
    model = plans.parse_plan_file(JAPANESE_DATES, "p.toml", rb).model
    stage, jisso, custom = model.phases
    assert model.value_date == date(2026, 4, 1)
    assert (stage.start, stage.end) == (date(2026, 7, 1), date(2026, 12, 31))
    assert (jisso.start, jisso.end, jisso.stop) == (date(2027, 4, 1), date(2030, 3, 31), date(2029, 9, 30))
    assert jisso.collateral_release == date(2034, 3, 31) and jisso.terms.due == date(2031, 3, 31)
    assert (custom.start, custom.payments) == (date(2030, 4, 1), ((date(2034, 3, 31), 300_000_000),))
    # The same plan in JSON, and a single-phase plan with Japanese dates, read the same.
    as_json = json.dumps(tomllib.loads(JAPANESE_DATES), ensure_ascii=False)
    assert plans.parse_plan_file(as_json, "p.json", rb, json_format=True).model == model
    single = read('menu = "stage1"\nstart = "2026/10/01"\nend = 2029-03-31\n', "d.toml", rb)
    assert single.start == date(2026, 10, 1)


@pytest.mark.parametrize("day", ["2201-01-01", "1899-12-31"])
def test_a_toml_date_outside_the_years_is_refused(rb: Rulebook, day: str) -> None:
    """A TOML date skips the pattern (it is a calendar day) but not the core's range of years."""
    with pytest.raises(InputError, match=f"p.toml:2: key 'start': '{day}' is outside the years"):
        read(f'menu = "stage1"\nstart = {day}\nend = 2029-03-31\n', "p.toml", rb)


def test_a_plan_of_toml_dates_never_compiles_the_date_pattern(rb: Rulebook) -> None:
    """The date pattern takes tens of milliseconds to compile; TOML dates do not need it."""
    syntax = plans._PLAN_SYNTAX["date"]
    syntax.__dict__.pop("regex", None)
    read(STAGE1, "p.toml", rb)
    assert "regex" not in syntax.__dict__
    read(STAGE1.replace("2026-10-01", '"2026/10/1"'), "p.toml", rb)
    assert "regex" in syntax.__dict__


@pytest.mark.parametrize(
    ("written", "unit"),
    [
        ("千円", DisplayUnit.THOUSAND),
        ("ten-thousand", DisplayUnit.TEN_THOUSAND),
        ("yen", DisplayUnit.YEN),
        (None, DisplayUnit.YEN),
    ],
)
def test_display_unit_is_a_plan_key(rb: Rulebook, written: str | None, unit: DisplayUnit) -> None:
    key = f'display_unit = "{written}"\n' if written else ""
    assert plans.parse_plan_file(key + STAGE1, "p.toml", rb).display_unit is unit
    assert plans.parse_plan_file(key + "[[phase]]\n" + STAGE1, "p.toml", rb).display_unit is unit


@pytest.mark.parametrize("written", ["Thousand", "百円", "thousands"])
def test_a_display_unit_is_spelled_as_the_schema_spells_it(rb: Rulebook, written: str) -> None:
    with pytest.raises(InputError) as info:
        plans.parse_plan_file(f'display_unit = "{written}"\n' + STAGE1, "p.toml", rb)
    assert f"p.toml:1: key 'display_unit': '{written}' is not a display unit" in info.value.text.en
    assert "千円" in info.value.text.en


@pytest.mark.parametrize(
    ("written", "fragments"),
    [
        ("2026/13/1", ["p.toml:2: key 'start': '2026/13/1' is not a valid date: there is no month 13"]),
        ("2026/2/30", ["p.toml:2: key 'start': '2026/2/30'", "2026-02 has 28 days"]),
        ("H31.5.1", ["p.toml:2: key 'start': 'H31.5.1' would be 2019-05-01, after 平成 ended", "R1.5.1"]),
        ("2026/10-01", ["p.toml:2: key 'start': '2026/10-01' is not a date", "2026/4/1", "令和8年4月1日"]),
        ("2026-10-01 ", ["p.toml:2: key 'start': '2026-10-01 ' is not a date: write 2026-10-01"]),
    ],
)
def test_a_date_a_plan_cannot_use_is_refused_quoting_it(rb: Rulebook, written: str, fragments: list[str]) -> None:
    with pytest.raises(InputError) as info:
        read(f'menu = "stage1"\nstart = "{written}"\nend = 2029-03-31\n', "p.toml", rb)
    for part in fragments:
        assert part in info.value.text.en, info.value.text.en
    assert info.value.text.ja.startswith("p.toml:2：キー「start」：「") and written in info.value.text.ja


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.toml")), ids=lambda p: p.name)
def test_the_same_plan_in_toml_and_json_is_the_same_plan(rb: Rulebook, example: Path, tmp_path: Path) -> None:
    as_json = tmp_path / (example.stem + ".json")
    as_json.write_text(
        json.dumps(jsonable(tomllib.loads(example.read_text("utf-8"))), ensure_ascii=False, indent=2), "utf-8"
    )
    from_toml, from_json = load_plan_file(example, rb), load_plan_file(as_json, rb)
    assert replace(from_json, path=from_toml.path) == from_toml
    assert evaluate(rb, from_json.model).violations == evaluate(rb, from_toml.model).violations


# ---------------------------------------------------------------------------
# Unusable plans: InputError naming the file, the dotted key and the line
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        # TOML syntax errors carry the parser's line and column.
        ('menu = "stage1"\nstart = 2026-10-01\nend = \n', ["p.toml:3:", "not valid TOML"]),
        ('menu = "stage1"\nstart = 2026-13-01\n', ["p.toml:2:", "not valid TOML"]),
        ('menu = "stage1"\nmenu = "stage2"\n', ["p.toml:2", "not valid TOML"]),
        # Keys: unknown, missing, wrong for the menu.
        (STAGE1 + "months = 30\n", ["p.toml:4:", "'months'", "a single-phase file gives its end", "drop months"]),
        (
            'menu = "stage1"\nstart = 2026-10-01\nmonths = 30\n',
            ["p.toml:3:", "'months'", "[[phase]] key", "write end = 2029-03-31"],
        ),
        ('menu = "stage1"\nstart = 2026-10-01\nmonths = 0\n', ["p.toml:3:", "'months'", "end = YYYY-MM-DD"]),
        ('menu = "stage1"\nstart = 2026-10-01\n', ["p.toml", "'end'", "missing"]),
        ("start = 2026-10-01\nend = 2029-03-31\n", ["p.toml", "'menu'", "missing"]),
        (STAGE1 + 'amount = "1億"\n', ["p.toml:4:", "'amount'", "does not apply to menu 'stage1'"]),
        (JISSO + "[budget]\n2026 = 1\n", ["p.toml:6:", "'budget'", "does not apply to menu 'jisso'"]),
        ('menu = "jisso"\nstart = 2025-07-01\nend = 2028-06-30\namount = "5億"\n', ["'collateral'", "missing"]),
        (JISSO + '[repayment]\ndeferral = "3y"\nrate = 0\n', ["p.toml:8:", "'repayment.rate'"]),
        (
            CUSTOM + '[repayment]\nterm = "10y"\n' + payments(("2032-03-31", 1)),
            ["p.toml:7:", "'repayment.term'", "payments"],
        ),
        (CUSTOM + payments(("2032-03-31", 1)) + 'note = "x"\n', ["p.toml:9:", "'repayment.payments[0].note'"]),
        (
            CUSTOM + "[[repayment.payments]]\ndue = 2032-03-31\n",
            ["p.toml:6:", "'repayment.payments[0].amount'", "missing"],
        ),
        # Wrong types and values.
        ("menu = 1\nstart = 2026-10-01\nend = 2029-03-31\n", ["p.toml:1:", "'menu'", "an integer"]),
        ('menu = "stage3"\nstart = 2026-10-01\nend = 2029-03-31\n', ["p.toml:1:", "'menu'", "'stage3'"]),
        ('menu = "stage1"\nstart = "2026-02-30"\nend = 2029-03-31\n', ["p.toml:2:", "'start'", "2026-02-30"]),
        ('menu = "stage1"\nstart = "next april"\nend = 2029-03-31\n', ["p.toml:2:", "'start'", "2026/4/1"]),
        ('menu = "stage1"\nstart = 2026-10-01T09:00:00\nend = 2029-03-31\n', ["p.toml:2:", "a date with a time"]),
        (STAGE1 + "[budget]\n2026 = 1500000.5\n", ["p.toml:5:", "'budget.2026'", "whole yen"]),
        (STAGE1 + "[budget]\n2026 = true\n", ["p.toml:5:", "'budget.2026'", "true/false"]),
        (STAGE1 + '[budget]\n2026 = "-1"\n', ["p.toml:5:", "'budget.2026'", "negative"]),
        (STAGE1 + "[budget]\nFY2026 = 1\n", ["p.toml:5:", "'budget.FY2026'", "fiscal year"]),
        (STAGE1 + "budget = 5\n", ["p.toml:4:", "'budget'", "a table"]),
        (STAGE1 + "indirect_rate = 1.3\n", ["p.toml:4:", "'indirect_rate'", "'1.3' is outside 0% to 100%"]),
        # Quoted as written, never as Python's Decimal('-0.1').
        (STAGE1 + "indirect_rate = -0.1\n", ["p.toml:4:", "key 'indirect_rate': '-0.1' is outside 0% to 100%"]),
        (JISSO.replace('"5億"', "0"), ["p.toml:4:", "'amount'", "more than 0"]),
        (JISSO.replace('"5億"', "-5"), ["p.toml:4:", "'amount'", "'-5' must be more than 0 yen"]),  # as 0
        (JISSO + '[repayment]\ngrade = "D"\n', ["p.toml:7:", "'repayment.grade'", "'D'"]),
        (JISSO + '[repayment]\nevery = "week"\n', ["p.toml:7:", "'repayment.every'", "year, half, quarter, month"]),
        (JISSO + '[repayment]\ndeferral = "3q"\n', ["p.toml:7:", "'repayment.deferral'", "'3q'"]),
        (JISSO + '[repayment]\nlump = "yes"\n', ["p.toml:7:", "'repayment.lump'", "true or false"]),
        (CUSTOM + "[repayment]\npayments = []\n", ["p.toml:7:", "'repayment.payments'", "non-empty"]),
        # Impossible generated layouts: an unusable plan, not a rule violation; the core names
        # the field, so the message points at the key and its line.
        (JISSO + '[repayment]\ngrade = "C"\ndeferral = "1y"\n', ["p.toml:8:", "'repayment.deferral'", "no deferral"]),
        (JISSO + '[repayment]\ndeferral = "18m"\n', ["p.toml:7:", "'repayment.deferral'", "102 months"]),
        (JISSO + '[repayment]\nterm = "126m"\n', ["p.toml:7:", "'repayment.term'", "126 months"]),
        (
            JISSO + '[repayment]\ndeferral = "3y"\nterm = "3y"\n',
            ["p.toml:7:", "'repayment.deferral'", "no time to repay"],
        ),
    ],
)
def test_unusable_plans_name_the_file_key_and_line(rb: Rulebook, text: str, fragments: list[str]) -> None:
    with pytest.raises(InputError) as info:
        read(text, "p.toml", rb)
    for part in fragments:
        assert part in info.value.text.en, info.value.text.en
    assert info.value.text.ja.startswith("p.toml")
    assert info.value.text.ja != info.value.text.en


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ('{\n  "menu": "stage1",\n}\n', ["p.json:3:", "not valid JSON"]),
        ("[1, 2]", ["p.json", "JSON object"]),
        ('{"menu": "stage1", "menu": "stage2"}', ["p.json:1:", "key 'menu': appears twice"]),
        ('{"menu": "stage1", "start": "2026-10-01", "end": "2029-03-31", "budget": {"2026": NaN}}', ["p.json", "NaN"]),
        (
            '{\n  "menu": "stage1",\n  "start": "2026-10-01",\n  "end": "2029-03-31",\n  "budget": {\n'
            '    "2026": 0.5\n  }\n}\n',
            ["p.json:6:", "'budget.2026'", "a decimal number"],
        ),
        ('{\n  "menu": "stage1",\n  "start": 20261001,\n  "end": "2029-03-31"\n}\n', ["p.json:3:", "'start'"]),
        (
            '{"menu": "jisso", "start": "2026-04-01", "end": "2029-03-31", "amount": 1, "collateral": 1,\n'
            ' "repayment": {"payments": [\n   {"due": "2033-03-31", "amount": 1},\n   {"due": "2033-13-31", '
            '"amount": 1}]}}\n',
            ["p.json:4:", "'repayment.payments[1].due'"],
        ),
        ('{"menu": "stage1", "start": "2026-10-01", "end": "2029-03-31", "months": 30}', ["p.json:1:", "'months'"]),
    ],
)
def test_unusable_json_plans(rb: Rulebook, text: str, fragments: list[str]) -> None:
    with pytest.raises(InputError) as info:
        read(text, "p.json", rb, json_format=True)
    for part in fragments:
        assert part in info.value.text.en, info.value.text.en


def test_unreadable_files(rb: Rulebook, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"missing\.toml: cannot be read"):
        load_plan_file(tmp_path / "missing.toml", rb)
    (tmp_path / "folder.toml").mkdir()
    with pytest.raises(InputError, match=r"folder\.toml: cannot be read"):
        load_plan_file(tmp_path / "folder.toml", rb)
    latin1 = tmp_path / "latin1.toml"
    latin1.write_bytes(b'menu = "stage1"\n# caf\xe9\n')
    with pytest.raises(InputError, match=r"latin1\.toml:2: cannot be read: not UTF-8"):
        load_plan_file(latin1, rb)
    bom = tmp_path / "bom.toml"
    bom.write_bytes("\ufeff".encode() + STAGE1.encode())  # a UTF-8 BOM (Windows editors) is fine
    assert load_plan_file(bom, rb).model.phases[0].menu == "stage1"


def test_deep_nesting_is_an_input_error(rb: Rulebook) -> None:
    with pytest.raises(InputError, match="not valid TOML: nested too deeply"):
        read("a = " + "[" * 100_000 + "]" * 100_000 + "\n", "p.toml", rb)
    with pytest.raises(InputError, match="not valid JSON: nested too deeply"):
        read("[" * 100_000 + "]" * 100_000, "p.json", rb, json_format=True)


def test_inline_tables_still_get_a_line(rb: Rulebook) -> None:
    text = JISSO + 'repayment = { grade = "A", deferral = "abc" }\n'
    with pytest.raises(InputError, match=r"p\.toml:6: key 'repayment\.deferral'"):
        read(text, "p.toml", rb)


def test_the_plan_menu_comes_from_the_rulebook(write_rules: Any) -> None:
    from astep_calc.rulebook import load_rulebook

    renamed = load_rulebook(
        str(write_rules(("[menus.stage1]", "[menus.stage1-2025]"), ('follows = "stage1"', 'follows = "stage1-2025"')))
    )
    plan = read(STAGE1.replace('"stage1"', '"stage1-2025"'), "p.toml", renamed)
    assert plan.menu == "stage1-2025" and checked(renamed, plan).violations == ()
    with pytest.raises(InputError, match="'stage1' is not a menu: one of"):
        read(STAGE1, "p.toml", renamed)


# ---------------------------------------------------------------------------
# The JSON Schema lists exactly what the loader accepts; the core stays pure
# ---------------------------------------------------------------------------


def _schema_validator() -> Any:
    schema = json.loads(plan_schema_text())
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("*.toml")), ids=lambda p: p.name)
def test_every_example_validates_against_the_schema(example: Path) -> None:
    # Invalid examples break programme rules, not the file format: they validate too.
    validator = _schema_validator()
    data = jsonable(tomllib.loads(example.read_text("utf-8")))
    assert list(validator.iter_errors(data)) == []


@pytest.mark.parametrize(
    "text",
    [
        STAGE1 + "months = 30\n",
        STAGE1 + 'amount = "1億"\n',
        JISSO + "[budget]\n2026 = 1\n",
        JISSO + '[repayment]\nevery = "week"\n',
        CUSTOM + '[repayment]\nterm = "10y"\n' + payments(("2032-03-31", 1)),
        STAGE1 + "[budget]\nFY2026 = 1\n",
        'menu = "stage3"\nstart = 2026-10-01\nend = 2029-03-31\n',
    ],
)
def test_the_schema_rejects_what_the_loader_rejects(rb: Rulebook, text: str) -> None:
    validator = _schema_validator()
    assert list(validator.iter_errors(jsonable(tomllib.loads(text))))
    with pytest.raises(InputError):
        read(text, "p.toml", rb)


@pytest.mark.parametrize(
    ("amount", "unit", "key", "words"),
    [
        # 1 yen over 7 yearly installments (3-year deferral, 10-year term: 2032 to 2038): floor(1 / 7) = 0.
        ("1.0", None, "'amount'", "1 yen to repay is too small for 7 installments"),
        ('"6"', None, "'amount'", "6 yen to repay is too small for 7 installments"),
        # 6,999 yen in 1,000s over 7: floor(6,999 / 7,000) = 0; a smaller unit would do, so the unit is named.
        (
            '"6999"',
            '"1000"',
            "'repayment.unit'",
            "6,999 yen to repay is too small for 7 installments of at least 1,000",
        ),
    ],
)
def test_an_amount_too_small_to_split_names_the_amount(
    rb: Rulebook, amount: str, unit: str | None, key: str, words: str
) -> None:
    text = (
        '{\n "menu": "jisso", "start": "2025-07-01", "end": "2028-06-30",\n'
        f' "amount": {amount}, "collateral": 1,\n'
        ' "repayment": {"grade": "A", "deferral": "3y", "term": "10y", "every": "year"'
        + (f', "unit": {unit}' if unit else "")
        + "}\n}\n"
    )
    with pytest.raises(InputError) as info:
        read(text, "p.json", rb, json_format=True)
    assert f"key {key}" in info.value.text.en and words in info.value.text.en, info.value.text.en
    assert "amount" in info.value.text.en and "金額" in info.value.text.ja


def test_a_plan_lists_at_most_max_payments_rows() -> None:
    from astep_calc.reader import MAX_PAYMENTS

    # The bound the --payments file has; ten years of monthly payments is 120 rows.
    rows = [("2032-03-31", 1)] * MAX_PAYMENTS
    plan = read(CUSTOM + payments(*rows), "p.toml")
    assert len(plan.payments) == MAX_PAYMENTS
    with pytest.raises(InputError) as info:
        read(CUSTOM + payments(*rows, ("2032-03-31", 1)), "p.toml")
    assert info.value.text.en == ("p.toml:6: key 'repayment.payments': 10,001 entries, more than the 10,000 accepted")
