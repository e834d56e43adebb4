"""Valuation on the command line (SPEC §8, §10): ``--discount-rate`` lists (the sensitivity grid)
and ``--value-date`` on ``scenarios`` and ``plan``. The grid is checked against single-rate runs
and against the core's own route through a plan; one rate adds nothing."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from astep_calc.equity import Equity, compare_equity
from astep_calc.phases import Phase, Plan, evaluate
from astep_calc.rulebook import Rulebook

Cli = Callable[..., Any]
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SPINOUT = str(EXAMPLES / "roadmap-spinout.toml")
STAGES = str(EXAMPLES / "roadmap-stage1-stage2.toml")
SCENARIOS = ("scenarios", "--amount", "3億", "--start", "2026-10-01", "--end", "2029-09-30")
RATES = ("8%", "10%", "12%")


def rows_by_case(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["scenario"]: row for row in data["scenarios"]}


# --------------------------------------------------------------------------- scenarios


def test_the_grid_for_three_rates_equals_three_single_runs(cli: Cli) -> None:
    grid = cli(*SCENARIOS, "--discount-rate", ",".join(RATES), "--format", "json").expect(0).json()["sensitivity"]
    cases = ["S/A/B", "C", "discontinued"]
    # 3 rates × every case, in the order given, each rate as given.
    assert [(g["rate"], g["case"]) for g in grid] == [(r, c) for r in RATES for c in cases]
    for rate in RATES:
        single = rows_by_case(cli(*SCENARIOS, "--discount-rate", rate, "--format", "json").expect(0).json())
        for g in grid:
            if g["rate"] == rate:
                assert g["loan_value"] == single[g["case"]]["loan_value"]


def test_the_grids_astep_cost_is_the_cores_for_the_same_plan(cli: Cli, rb: Rulebook) -> None:
    # The command lays out the cases itself; the core reaches them through a plan of one phase
    # (grade cases, the collateral posted at the start and released with the last payment).
    grid = cli(*SCENARIOS, "--discount-rate", "8%,10%", "--format", "json").expect(0).json()["sensitivity"]
    plan = evaluate(rb, Plan((Phase("jisso", date(2026, 10, 1), date(2029, 9, 30), amount=300_000_000),)))
    for rate, given in ((Fraction(8, 100), "8%"), (Fraction(1, 10), "10%")):
        core = {c.case: c.cost for c in compare_equity(plan, Equity(10**9), rate).cases}
        for g in grid:
            if g["rate"] == given and g["case"] in core:
                assert (g["loan_value"], g["astep_cost"]) == (core[g["case"]].loan_value, core[g["case"]].astep_cost)


def test_one_rate_adds_nothing_and_the_first_rate_of_a_list_values_the_rest(cli: Cli) -> None:
    one = cli(*SCENARIOS, "--discount-rate", "8%", "--format", "json").expect(0).json()
    assert "sensitivity" not in one and "value_date" not in one
    listed = cli(*SCENARIOS, "--discount-rate", "8%,12%", "--format", "json").expect(0).json()
    grid = listed.pop("sensitivity")
    assert listed.pop("value_date") == "2026-10-01"
    assert listed["scenarios"] == one["scenarios"]
    assert len(grid) == 6
    assert len(listed["assumptions"]) == len(one["assumptions"]) + 2  # the grid and the collateral's release
    table = cli(*SCENARIOS, "--discount-rate", "8%", "--lang", "ja").expect(0).stdout
    assert "感応度" not in table


def test_the_grid_in_every_format(cli: Cli) -> None:
    args = (*SCENARIOS, "--discount-rate", "8%、10%")  # the Japanese comma separates too
    ja = cli(*args, "--lang", "ja").expect(0).stdout
    assert "感応度" in ja and "2026-10-01時点" in ja and "8％" in ja and "10％" in ja
    en = cli(*args, "--lang", "en").expect(0).stdout
    assert "Sensitivity" in en and "valued at 2026-10-01" in en
    # CSV writes one table: the grid the list asks for, the rate as an exact decimal.
    rows = list(csv.DictReader(io.StringIO(cli(*args, "--format", "csv").expect(0).stdout)))
    assert [(r["rate"], r["case"]) for r in rows][:2] == [("0.08", "grades S/A/B"), ("0.08", "grade C")]
    assert len(rows) == 6 and all(r["loan_value"].isdigit() and r["astep_cost"].isdigit() for r in rows)


def test_value_date_moves_every_present_value_by_its_days(cli: Cli) -> None:
    # 2027-10-01 is 365 days after 2026-10-01: every amount is worth 1.1 times as much there.
    base = rows_by_case(cli(*SCENARIOS, "--discount-rate", "10%", "--format", "json").expect(0).json())
    later = cli(*SCENARIOS, "--discount-rate", "10%", "--value-date", "2027-10-01", "--format", "json").expect(0)
    moved = rows_by_case(later.json())
    for case, row in base.items():
        assert abs(moved[case]["loan_value"] - row["loan_value"] * Fraction(11, 10)) <= 1
        # the present value at the development end stays there
        assert moved[case]["present_value"] == row["present_value"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--discount-rate", "8%,,10%"), "empty rate"),
        (("--discount-rate", "8%,0.08"), "give each rate once"),
        (("--discount-rate", "8%,x"), "--discount-rate"),
        (("--discount-rate", "8%,120%"), "outside 0% to 100%"),
        (("--value-date", "2027-04-01"), "needs a discount rate"),
        (("--discount-rate", "8%", "--value-date", "2027-13-01"), "--value-date"),
    ],
)
def test_unusable_rates_and_value_dates_exit_2(cli: Cli, args: tuple[str, ...], words: str) -> None:
    cli(*SCENARIOS, *args).expect(2, words)


def test_a_grid_or_a_value_date_needs_the_development_period(cli: Cli) -> None:
    short = ("scenarios", "--amount", "3億", "--dev-end", "2029-09-30")
    cli(*short, "--discount-rate", "8%,10%").expect(2, "--start and --end")
    cli(*short, "--discount-rate", "8%", "--value-date", "2026-10-01").expect(2, ["--value-date", "--start and --end"])
    cli(*short, "--discount-rate", "8%").expect(0)


# --------------------------------------------------------------------------- plan


def test_plan_takes_a_list_of_rates_and_the_first_replaces_the_plans_key(cli: Cli) -> None:
    keyed = cli("plan", SPINOUT, "--format", "json").expect(0).json()  # discount_rate = "8%" in the file
    listed = cli("plan", SPINOUT, "--discount-rate", "8%,10%,12%", "--format", "json").expect(0).json()
    grid = listed.pop("sensitivity")
    # The same report, the grid's assumption added (the collateral's release is already there).
    assert listed.pop("assumptions")[:-1] == keyed.pop("assumptions")
    assert listed == keyed
    assert [(g["rate"], g["case"]) for g in grid] == [(r, c) for r in RATES for c in ("S/A/B", "C")]
    assert grid[0]["loan_value"] == keyed["loans"][0]["loan_value"]
    for rate in RATES[1:]:
        single = cli("plan", SPINOUT, "--discount-rate", rate, "--format", "json").expect(0).json()
        assert single["discount_rate"] == {"10%": "0.1", "12%": "0.12"}[rate]
        own = next(g for g in grid if g["rate"] == rate and g["case"] == "S/A/B")
        assert own["loan_value"] == single["loans"][0]["loan_value"]


def test_plan_value_date_on_the_command_line_is_the_plans_key(cli: Cli, tmp_path: Path) -> None:
    text = (
        Path(SPINOUT)
        .read_text(encoding="utf-8")
        .replace('discount_rate = "8%"', 'discount_rate = "8%"\nvalue_date = 2034-04-01')
    )
    keyed = tmp_path / "keyed.toml"
    keyed.write_text(text, encoding="utf-8")
    from_key = cli("plan", str(keyed), "--format", "json").expect(0).json()
    from_option = cli("plan", SPINOUT, "--value-date", "2034-04-01", "--format", "json").expect(0).json()
    assert from_option["loans"] == from_key["loans"] and from_option["value_date"] == "2034-04-01"
    cli("plan", STAGES, "--value-date", "2034-04-01").expect(2, "needs a discount rate")


def test_plan_grid_needs_a_jisso_phase_and_is_the_csv_table(cli: Cli) -> None:
    cli("plan", STAGES, "--discount-rate", "8%,10%").expect(2, ["--discount-rate", "jisso"])
    rows = list(
        csv.DictReader(
            io.StringIO(cli("plan", SPINOUT, "--discount-rate", "8%,10%", "--format", "csv").expect(0).stdout)
        )
    )
    assert [r["rate"] for r in rows] == ["0.08", "0.08", "0.1", "0.1"]


# --------------------------------------------------------------------------- equity or A-STEP

#: 3億 over 2026-10-01..2029-09-30 (12 advances of 2,500万), grade A over 10 years, the company's
#: projections covering every fiscal year A-STEP money moves in (to FY2039).
SPINOUT_TOML = (
    'title = "Equity test"\ndiscount_rate = "10%"\nmenu = "jisso"\nstart = 2026-10-01\nend = 2029-09-30\n'
    'amount = "3億"\ncollateral = "3000万"\n\n[company]\ncash = "10億"\n{equity}\n[company.flows]\n'
    + "".join(f'{fy} = {{ operating = "1億" }}\n' for fy in range(2026, 2040))
)


def spinout(tmp_path: Path, equity: str = "", guarantee: bool = False) -> str:
    text = SPINOUT_TOML.replace("{equity}", "")
    if guarantee:
        text = text.replace('cash = "10億"\n', 'cash = "10億"\ncollateral_kind = "guarantee"\nguarantee_fee = "1%"\n')
    path = tmp_path / "spinout.toml"
    path.write_text(text + equity, encoding="utf-8")
    return str(path)


EXIT = ("--pre-money", "20億", "--exit-value", "200億", "--exit-date", "2033-03-31")


def test_equity_json_has_the_stake_its_pv_and_a_case_per_grade(cli: Cli, tmp_path: Path, rb: Rulebook) -> None:
    eq = cli("plan", spinout(tmp_path), *EXIT, "--format", "json").expect(0).json()["equity"]
    # 3億 ÷ (20億 + 3億) = 13.043...% → "13.04"
    assert (eq["amount"], eq["pre_money"], eq["stake_percent"]) == (300_000_000, 2_000_000_000, "13.04")
    assert (eq["exit_value"], eq["exit_date"], eq["value_date"], eq["discount_rate"]) == (
        20_000_000_000,
        "2033-03-31",
        "2026-10-01",
        "0.1",
    )
    # 20,000,000,000 × 3/23 on 2033-03-31, 2373 days after 2026-10-01, at 10%: the core's stake_pv.
    from astep_calc.equity import stake_pv

    assert eq["stake_pv"] == stake_pv(
        Fraction(3, 23), 20_000_000_000, date(2033, 3, 31), Fraction(1, 10), date(2026, 10, 1)
    )
    assert [c["case"] for c in eq["cases"]] == ["S/A/B", "C"]
    plan = evaluate(rb, Plan((Phase("jisso", date(2026, 10, 1), date(2029, 9, 30), amount=300_000_000),)))
    core = {c.case: c.astep_cost for c in compare_equity(plan, Equity(10**9), Fraction(1, 10)).cases}
    for c in eq["cases"]:
        assert c["stake_percent"] == "13.04"  # a decimal string as the plan's, never "326/25"
        assert c["difference"] == c["equity_cost"] - c["astep_cost"]
        assert c["astep_cost"] == core[c["case"]]
        assert c["equity_cost"] == eq["stake_pv"]  # both cases receive all the advances


def test_the_plans_equity_table_and_the_options_agree(cli: Cli, tmp_path: Path) -> None:
    keyed = spinout(tmp_path, '[company.equity]\npre_money = "20億"\nexit_value = "200億"\nexit_date = 2033-03-31\n')
    from_keys = cli("plan", keyed, "--format", "json").expect(0).json()["equity"]
    (tmp_path / "plain").mkdir()
    from_options = cli("plan", spinout(tmp_path / "plain"), *EXIT, "--format", "json").expect(0).json()["equity"]
    assert from_keys == from_options
    # An option replaces its key; the plan's exit stays.
    other = cli("plan", keyed, "--pre-money", "30億", "--format", "json").expect(0).json()["equity"]
    assert (other["pre_money"], other["stake_percent"], other["exit_date"]) == (3_000_000_000, "9.09", "2033-03-31")


def test_without_an_exit_only_the_stake_is_compared(cli: Cli, tmp_path: Path) -> None:
    result = cli("plan", spinout(tmp_path), "--pre-money", "20億", "--format", "json").expect(0).json()
    eq = result["equity"]
    assert eq["stake_pv"] is None and eq["exit_value"] is None
    assert all(c["equity_cost"] is None and c["difference"] is None for c in eq["cases"])
    assert any("nobody knows" in a for a in result["assumptions"])


def test_equity_in_tables_names_its_valuation_date(cli: Cli, tmp_path: Path) -> None:
    ja = cli("plan", spinout(tmp_path), *EXIT, "--lang", "ja").expect(0).stdout
    assert "資本調達との比較" in ja and "2026-10-01時点の現在価値" in ja and "13.04％" in ja
    assert "誰にも分からない" in ja
    en = cli("plan", spinout(tmp_path), *EXIT, "--lang", "en").expect(0).stdout
    assert "Equity or A-STEP" in en and "present values at 2026-10-01" in en


def test_a_guarantee_costs_its_fees_in_the_comparison(cli: Cli, tmp_path: Path) -> None:
    deposit = cli("plan", spinout(tmp_path), *EXIT, "--format", "json").expect(0).json()["equity"]
    (tmp_path / "g").mkdir()
    fees = cli("plan", spinout(tmp_path / "g", guarantee=True), *EXIT, "--format", "json").expect(0).json()
    assert fees["equity"]["cases"][0]["astep_cost"] != deposit["cases"][0]["astep_cost"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--exit-value", "200億", "--exit-date", "2033-03-31"), "--pre-money"),
        (("--pre-money", "20億", "--exit-value", "200億"), "--exit-date"),
        (("--pre-money", "20億", "--exit-date", "2033-03-31"), "--exit-value"),
        (("--pre-money", "0"), "--pre-money"),
        (("--pre-money", "20億", "--exit-value", "-1", "--exit-date", "2033-03-31"), "--exit-value"),
        (("--pre-money", "20億", "--exit-value", "1", "--exit-date", "2033-02-30"), "--exit-date"),
    ],
)
def test_unusable_equity_options_exit_2(cli: Cli, tmp_path: Path, args: tuple[str, ...], words: str) -> None:
    cli("plan", spinout(tmp_path), *args).expect(2, words)


def test_equity_needs_a_rate_and_a_jisso_phase(cli: Cli, tmp_path: Path) -> None:
    cli("plan", STAGES, "--pre-money", "20億").expect(2, ["--discount-rate is needed"])
    cli("plan", STAGES, "--pre-money", "20億", "--discount-rate", "8%").expect(2, "jisso")
    keyed = spinout(tmp_path, '[company.equity]\nexit_value = "200億"\npre_money = "20億"\n')
    cli("plan", keyed).expect(2, ["company.equity.exit_date", "spinout.toml:"])


# --------------------------------------------------------------------------- labels that say what a figure is


def test_grade_c_shows_the_amount_forgiven_apart_without_a_rate(cli: Cli) -> None:
    out = cli("scenarios", "--amount", "3億", "--dev-end", "2029-09-30", "--lang", "ja").expect(0).stdout
    row = next(line for line in out.splitlines() if line.startswith("事後評価 C"))
    assert "返済免除額" in out and "270,000,000" in row  # 3億 − 3,000万, never repaid
    data = cli("scenarios", "--amount", "3億", "--dev-end", "2029-09-30", "--format", "json").expect(0).json()
    assert [s["forgiven"] for s in data["scenarios"]] == [0, 270_000_000, 0]
    repay = cli("repay", "--amount", "3億", "--dev-end", "2029-09-30", "--grade", "C", "--lang", "ja").expect(0)
    assert "返済免除額（JSTからの支払額−返済すべき額）" in repay.stdout and "270,000,000円" in repay.stdout


def test_with_a_rate_grade_c_splits_the_grant_equivalent(cli: Cli) -> None:
    # 3億 paid, 3,000万 owed on 2030-09-30, 365 days after the development end: PV 3,000万 / 1.08.
    data = (
        cli(
            "repay",
            "--amount",
            "3億",
            "--dev-end",
            "2029-09-30",
            "--grade",
            "C",
            "--discount-rate",
            "8%",
            "--format",
            "json",
        )
        .expect(0)
        .json()
    )
    assert data["present_value"] == 27_777_778
    assert (data["forgiven"], data["interest_benefit"]) == (270_000_000, 2_222_222)
    assert data["forgiven"] + data["interest_benefit"] == data["grant_equivalent"]


def test_every_present_value_in_a_japanese_plan_is_named_as_one(cli: Cli) -> None:
    out = cli("plan", str(EXAMPLES / "company-spinout.toml"), "--discount-rate", "8%,10%", "--lang", "ja").expect(0)
    text = out.stdout.replace("\n", "")
    for title in ("返済型資金の経済的価値（", "感応度：", "資本調達との比較："):
        start = text.index(title)
        assert "時点の現在価値" in text[start : start + 90], title
    assert "融資" not in out.stdout.replace("融資ではない", "")
    en = cli("plan", str(EXAMPLES / "company-spinout.toml"), "--lang", "en").expect(0).stdout
    assert "loan value" not in en.lower() and "Loan value" not in en
