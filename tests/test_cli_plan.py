"""``astep plan`` and multi-phase plan files (SPEC §6-8): the JSON contract, the done-when cases,
the reader's errors naming file, key and line, and ``astep check`` on plans of phases."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import Result

from astep_calc.cli.cmd_plan import bars
from astep_calc.plans import parse_plan_file
from astep_calc.rulebook import Rulebook
from astep_calc.text import InputError

Cli = Callable[..., Result]
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SPINOUT = str(EXAMPLES / "roadmap-spinout.toml")
STAGES = str(EXAMPLES / "roadmap-stage1-stage2.toml")
SECTION8 = {
    "fiscal_year",
    "start",
    "end",
    "jst_in",
    "company_in",
    "collateral_posted",
    "collateral_released",
    "repaid",
    "net",
    "cumulative",
}


def run_json(cli: Cli, *args: str) -> tuple[int, dict[str, Any]]:
    result = cli("plan", *args, "--format", "json")
    assert "Traceback" not in result.stderr
    return result.exit_code, json.loads(result.stdout)


def one_line_error(result: Any) -> str:
    """Exit 2, nothing on stdout, one 'astep: error:' line (conftest's expect)."""
    return str(result.expect(2).stderr.rstrip("\n"))


# ---------------------------------------------------------------------------
# Done when
# ---------------------------------------------------------------------------


def test_spinout_json_has_phases_fiscal_years_and_totals(cli: Cli) -> None:
    code, report = run_json(cli, SPINOUT)
    assert code == 0 and report["violations"] == []
    assert report["command"] == "plan" and report["title"] == "Sensor spin-out roadmap"
    assert [p["menu"] for p in report["phases"]] == ["stage1", "stage2-gate", "jisso"]
    assert all(SECTION8 <= set(row) for row in report["fiscal_years"])
    assert report["fiscal_years"][0]["fiscal_year"] == 2026 and report["fiscal_years"][-1]["fiscal_year"] == 2045
    # 37,500,000 (Stage I) + 100,000,000 (Stage II) + 300,000,000 (実装支援) from JST; all repaid.
    assert report["totals"] == {
        "jst_in": 437_500_000,
        "company_in": 37_500_000,
        "collateral_posted": 30_000_000,
        "collateral_released": 30_000_000,
        "repaid": 300_000_000,
        "net": 137_500_000,
        "cumulative": 137_500_000,
    }
    fy2028 = next(r for r in report["fiscal_years"] if r["fiscal_year"] == 2028)
    assert [(p["phase"], p["jst_in"]) for p in fy2028["parts"]] == [(1, 11_250_000), (2, 6_250_000)]
    assert fy2028["jst_in"] == 17_500_000


def test_the_jisso_phase_pays_what_astep_repay_and_disburse_say(cli: Cli) -> None:
    _, report = run_json(cli, SPINOUT)
    jisso = report["phases"][2]
    repay = json.loads(
        cli(
            "repay",
            "--amount",
            "3億",
            "--dev-end",
            "2036-03-31",
            "--deferral",
            "1y",
            "--every",
            "half",
            "--discount-rate",
            "8%",
            "--format",
            "json",
        ).stdout
    )
    assert jisso["repayment"]["payments"] == repay["payments"]
    assert (
        jisso["repayment"]["owed"],
        jisso["repayment"]["present_value"],
        jisso["repayment"]["grant_equivalent"],
    ) == (repay["owed"], repay["present_value"], repay["grant_equivalent"])
    disburse = json.loads(
        cli("disburse", "--amount", "3億", "--start", "2033-04-01", "--end", "2036-03-31", "--format", "json").stdout
    )
    assert jisso["advances"] == disburse["advances"] and jisso["paid"] == disburse["total"]
    assert jisso["collateral"] == disburse["collateral"] == 30_000_000
    # The loan at the development start at 8%, from the 12 advances and the 18 payments.
    lv = jisso["loan_value"]
    assert lv["value_date"] == "2033-04-01" and lv["rate"] == "0.08"
    assert lv["loan_value"] == 114_430_032 != jisso["repayment"]["grant_equivalent"]
    assert report["loans"] == [lv]


def test_the_stage_phases_equal_astep_budget(cli: Cli) -> None:
    _, report = run_json(cli, STAGES)
    budget = json.loads(
        cli(
            "budget",
            "--menu",
            "stage2-gate",
            "--start",
            "2029-04-01",
            "--months",
            "48",
            "--indirect-rate",
            "30%",
            "--format",
            "json",
        ).stdout
    )
    phase = report["phases"][1]
    assert [
        {k: v for k, v in row.items() if k not in ("request", "company_in")} for row in phase["fiscal_years"]
    ] == budget["fiscal_years"]
    assert phase["total_cap"] == budget["total_cap"]
    assert phase["matching_ratio"] == "0.5" and phase["total_matching"] == 45_000_000


def test_matching_ratios_are_decimal_strings_and_one_decimal_percentages(cli: Cli, tmp_path: Path) -> None:
    # 5,000,000 matched against Stage II's own 12,500,000 in FY2029 (Stage I's 7,500,000 that
    # year is not matched): 0.4 in JSON, 40.0% in the phase's table. FY2030: 1,000,000 of
    # 3,000,000 = 0.3333 in JSON, 33.3% in a table. Over the phase, 6,000,000 of 78,000,000
    # (12,500,000 + 3,000,000 requested, then the caps 25,000,000 + 25,000,000 + 12,500,000
    # of the years it asks nothing of) = 0.076923…: 0.0769, 7.7%.
    f = tmp_path / "shared.toml"
    f.write_text(
        '[[phase]]\nmenu = "stage1"\nstart = 2027-04-01\nend = 2029-09-30\n'
        '[phase.budget]\n2027 = "1500万"\n2028 = "1500万"\n2029 = "750万"\n'
        '[[phase]]\nmenu = "stage2-gate"\nstart = 2029-10-01\nmonths = 48\n'
        '[phase.budget]\n2029 = "1250万"\n2030 = "300万"\n[phase.matching]\n2029 = "500万"\n2030 = "100万"\n',
        encoding="utf-8",
    )
    data = json.loads(cli("plan", str(f), "--format", "json").stdout)
    ratios = {row["fiscal_year"]: row["matching_ratio"] for row in data["fiscal_years"]}
    assert ratios[2029] == "0.4" and ratios[2030] == "0.3333" and ratios[2028] is None
    assert data["phases"][1]["matching_ratio"] == "0.0769"  # 6,000,000 / 78,000,000 = 0.076923…
    table = cli("plan", str(f), "--lang", "en").stdout
    assert "40.0%" in table and "33.3%" in table and "7.7%" in table
    assert "40.0％" in cli("plan", str(f), "--lang", "ja").stdout


@pytest.mark.parametrize(
    ("name", "rule", "phase"),
    [("roadmap-overlap-invalid.toml", "phase.overlap", 2), ("roadmap-gate-invalid.toml", "phase.gate", 1)],
)
def test_phase_rules_exit_1_naming_rule_and_phase(cli: Cli, name: str, rule: str, phase: int) -> None:
    for command in ("plan", "check"):
        result = cli(command, str(EXAMPLES / name), "--format", "json")
        report = json.loads(result.stdout)
        assert result.exit_code == 1
        assert [(v["rule"], v["phase"]) for v in report["violations"]] == [(rule, phase)]
        assert report["violations"][0]["message"].startswith(f"Phase {phase} (")
    table = cli("plan", str(EXAMPLES / name), "--lang", "en")
    assert table.exit_code == 1 and rule in table.stdout and f"Phase {phase} (" in table.stdout


def test_a_gate_phase_that_starts_before_stage1_ends_names_the_overlap(cli: Cli, tmp_path: Path) -> None:
    plan = tmp_path / "early.toml"
    plan.write_text(
        '[[phase]]\nmenu = "stage1"\nstart = 2026-04-01\nmonths = 24\n'
        '[[phase]]\nmenu = "stage2-gate"\nstart = 2028-03-01\nmonths = 12\n',
        "utf-8",
    )
    code, report = run_json(cli, str(plan))
    assert code == 1 and [v["rule"] for v in report["violations"]] == ["phase.overlap"]


# ---------------------------------------------------------------------------
# Options and formats
# ---------------------------------------------------------------------------


def test_by_quarter_has_the_same_totals(cli: Cli) -> None:
    _, year = run_json(cli, SPINOUT)
    _, quarter = run_json(cli, SPINOUT, "--by", "quarter")
    assert quarter["by"] == "quarter" and "fiscal_years" not in quarter
    assert quarter["totals"] == year["totals"]
    assert quarter["quarters"][0] | {} == {**quarter["quarters"][0], "fiscal_year": 2026, "quarter": 2}
    # FY2026 Q2 (Jul-Sep) holds 3 of Stage I's 9 months in FY2026: 11,250,000 × 3/9 = 3,750,000.
    assert quarter["quarters"][0]["jst_in"] == 3_750_000
    assert len(quarter["quarters"]) == 4 * (2045 - 2026) + 3  # FY2026 Q2 to FY2045 Q4


def test_csv_is_the_cash_flow(cli: Cli) -> None:
    result = cli("plan", SPINOUT, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert result.exit_code == 0
    assert list(rows[0]) == [
        "fiscal_year",
        "phase",
        "menu",
        "jst_in",
        "company_in",
        "collateral_posted",
        "collateral_released",
        "repaid",
        "net",
        "cumulative",
    ]
    shared = [r for r in rows if r["fiscal_year"] == "2028"]
    assert [(r["phase"], r["jst_in"], r["cumulative"]) for r in shared] == [
        ("1", "11250000", ""),
        ("2", "6250000", ""),
        ("", "17500000", "43750000"),
    ]
    assert rows[-1]["fiscal_year"] == "Total" and rows[-1]["net"] == "137500000"


def test_chart_draws_the_cumulative_position(cli: Cli) -> None:
    result = cli("plan", SPINOUT, "--chart", "--lang", "en")
    assert result.exit_code == 0
    assert "Cumulative position" in result.stdout
    # FY2035 and FY2036 hold the largest position (407,500,000): the full 40-cell bar.
    assert result.stdout.count("█" * 40) == 2
    assert "█" * 40 not in cli("plan", SPINOUT, "--lang", "en").stdout


def test_bars_scale_and_negative_values() -> None:
    assert bars([100, 50, 0, 1], 8) == ["████████", "████", "", "▏"]
    assert bars([0, 0]) == ["", ""]
    # A negative position draws left of the axis; the widths share one scale.
    assert bars([-25, 75], 4) == ["█│", " │███"]
    # A shortfall of 1 yen beside 1,000: it would round to no cell, so it gets one of its own.
    assert bars([-1, 1000, 0], 4) == ["█│", " │███", " │"]


@given(st.lists(st.integers(-(10**12), 10**12), min_size=1, max_size=30), st.integers(2, 60))
def test_bars_never_hide_a_negative_and_keep_the_width(values: list[int], width: int) -> None:
    drawn = bars(values, width)
    for v, bar in zip(values, drawn, strict=True):
        assert len(bar) <= width + 1  # the axis takes one column of its own
        if v < 0:
            assert bar.rstrip("│").strip() != ""


def test_japanese_output(cli: Cli) -> None:
    result = cli("plan", STAGES, "--lang", "ja")
    assert result.exit_code == 0
    for words in ("フェーズ2（ステージⅡ（移行））", "年度別の資金の流れ", "企業等の自己資金", "累計", "比率"):
        assert words in result.stdout, words
    assert "フェーズ計" in cli("plan", SPINOUT, "--lang", "ja").stdout  # FY2028 is shared by two phases
    assert "2026年度" in result.stdout and "当該フェーズのJSTからの資金の50.0％" in result.stdout


def test_a_single_phase_file_is_a_plan_of_one_phase(cli: Cli) -> None:
    code, report = run_json(cli, str(EXAMPLES / "jisso-valid.toml"))
    assert code == 0 and len(report["phases"]) == 1
    repay = json.loads(
        cli("repay", "--amount", "5億", "--dev-end", "2028-06-30", "--deferral", "3y", "--format", "json").stdout
    )
    assert report["phases"][0]["repayment"]["payments"] == repay["payments"]
    # A lone stage2-gate file is not a roadmap: no stage1 is needed beside it.
    code, report = run_json(cli, str(EXAMPLES / "stage2-gate-valid.toml"))
    assert code == 0


@pytest.mark.parametrize("args", [("--by", "month"), ("missing.toml",)])
def test_unusable_input_is_one_line(cli: Cli, args: tuple[str, ...]) -> None:
    target = [] if args == ("missing.toml",) else [SPINOUT]
    line = one_line_error(cli("plan", *target, *args))
    assert ("month" in line) or ("missing.toml" in line)


# ---------------------------------------------------------------------------
# Reading plans of phases: every error names the file, the key and its line
# ---------------------------------------------------------------------------

GATE = '[[phase]]\nmenu = "stage1"\nstart = 2026-07-01\nmonths = 30\n'


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        (GATE + "end = 2028-12-31\n", ["p.toml:4", "'phase[0].months'", "not both"]),
        ('menu = "stage1"\n' + GATE, ["p.toml:1", "'menu'", "[[phase]]"]),
        (GATE + '[[phase]]\nmenu = "jisso"\nstart = 2029-04-01\nmonth = 36\n', ["'phase[1].month'", "months"]),
        (GATE + "[phase.matching]\n2026 = 1\n", ["p.toml:5", "'phase[0].matching'", "matching-fund"]),
        (GATE + 'indirect_rate = "300%"\n', ["p.toml:5", "'phase[0].indirect_rate'"]),
        (
            '[[phase]]\nmenu = "jisso"\nstart = 2026-04-01\nend = 2029-03-31\namount = "3億"\ncollateral = 1\n'
            "stop = 2030-01-01\n",
            ["p.toml:7", "'phase[0].stop'", "outside the development period"],
        ),
        (
            '[[phase]]\nmenu = "jisso"\nstart = 2026-04-01\nend = 2029-03-31\namount = "3億"\ncollateral = 1\n'
            '[phase.repayment]\ngrade = "C"\ndeferral = "1y"\n',
            ["'phase[0].repayment", "no deferral"],
        ),
        ("phase = []\n", ["'phase'", "non-empty"]),
        ('[[phase]]\nmenu = "stage1"\nstart = 2026-07-01\nmonths = 0\n', ["p.toml:4", "'phase[0].months'"]),
    ],
)
def test_unusable_phases_name_file_key_and_line(rb: Rulebook, text: str, fragments: list[str]) -> None:
    with pytest.raises(InputError) as info:
        parse_plan_file(text, "p.toml", rb)
    message = info.value.text.en
    for part in fragments:
        assert part in message, message
    assert message.count("p.toml") == 1, message  # located once, not twice


def test_a_phase_error_in_json_names_the_line(rb: Rulebook) -> None:
    text = json.dumps(
        {
            "phase": [
                {"menu": "stage1", "start": "2026-07-01", "months": 30},
                {"menu": "stage2", "start": "2029-01-01", "end": "bad"},
            ]
        },
        indent=1,
    )
    with pytest.raises(InputError, match=r"p.json:\d+: key 'phase\[1\].end'"):
        parse_plan_file(text, "p.json", rb, json_format=True)


def test_plan_keys_are_read(rb: Rulebook) -> None:
    f = parse_plan_file(
        'title = "T"\ndiscount_rate = "8%"\nvalue_date = 2026-04-01\nindirect_rate = 0.25\n' + GATE, "p.toml", rb
    )
    m = f.model
    assert f.multi and m.title == "T" and str(m.discount_rate) == "2/25" and str(m.indirect_rate) == "1/4"
    assert m.value_date is not None and m.value_date.isoformat() == "2026-04-01"
    single = parse_plan_file(
        'menu = "jisso"\nstart = 2026-04-01\nend = 2029-03-31\namount = "3億"\n'
        'collateral = "3000万"\nstop = 2027-03-31\ncollateral_release = 2028-03-31\n'
        'discount_rate = "5%"\n',
        "p.toml",
        rb,
    )
    p = single.model.phases[0]
    assert not single.multi and not single.model.phased
    assert (p.stop.isoformat() if p.stop else None, p.collateral_release) == ("2027-03-31", p.collateral_release)


def test_check_lists_each_phase_with_its_numbers(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A short relative path: the table's title must not wrap however deep the checkout lies.
    (tmp_path / "spinout.toml").write_bytes(Path(SPINOUT).read_bytes())
    monkeypatch.chdir(tmp_path)
    result = cli("check", "spinout.toml", "--format", "json")
    report = json.loads(result.stdout)
    assert result.exit_code == 0
    f = report["files"][0]
    assert f["menu"] is None and f["title"] == "Sensor spin-out roadmap"
    assert (f["start"], f["end"]) == ("2026-07-01", "2036-03-31")
    assert [p["menu"] for p in f["phases"]] == ["stage1", "stage2-gate", "jisso"]
    assert f["phases"][2]["owed"] == 300_000_000 and f["phases"][1]["total_matching"] == 37_500_000
    table = cli("check", "spinout.toml", "--lang", "en").stdout
    assert "stage1 → stage2-gate → jisso" in table and "3 phases" in table


def test_caps_options_are_plan_keys_for_check_and_plan(cli: Cli, tmp_path: Path) -> None:
    # 2026-10-01..2027-09-30 in stage1: FY2026 6 months, FY2027 6 months. prorate_last gives
    # FY2027 15,000,000 × 6/12 = 7,500,000 too; proration by day gives FY2026
    # 15,000,000 × 182/365 = 7,479,452.05…, floored to 7,479,000 by round = 1000, and FY2027
    # (2027-04-01..09-30, 183 of FY2027's 366 days) 15,000,000 × 183/366 = 7,500,000.
    single = tmp_path / "single.toml"
    single.write_text(
        'menu = "stage1"\nstart = 2026-10-01\nend = 2027-09-30\nprorate_last = true\n'
        'proration = "day"\nround = "1000"\n',
        "utf-8",
    )
    report = json.loads(cli("check", str(single), "--format", "json").stdout)
    assert [r["cap"] for r in report["files"][0]["fiscal_years"]] == [7_479_000, 7_500_000]
    phased = tmp_path / "phased.toml"
    phased.write_text('prorate_last = true\n[[phase]]\nmenu = "stage1"\nstart = 2026-10-01\nmonths = 12\n', "utf-8")
    _, plan = run_json(cli, str(phased))
    assert [r["cap"] for r in plan["phases"][0]["fiscal_years"]] == [7_500_000, 7_500_000]
    bad = tmp_path / "bad.toml"
    bad.write_text('round = 0\n[[phase]]\nmenu = "stage1"\nstart = 2026-10-01\nmonths = 12\n', "utf-8")
    assert "'round'" in one_line_error(cli("plan", str(bad)))


def test_the_workbook_charts_the_cumulative_position_natively(cli: Cli, tmp_path: Path) -> None:
    import zipfile

    import openpyxl

    out = tmp_path / "plan.xlsx"
    assert cli("plan", SPINOUT, "--output", str(out), "--lang", "en").exit_code == 0
    _, report = run_json(cli, SPINOUT)
    with zipfile.ZipFile(out) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert charts == ["xl/charts/chart1.xml"]
        xml = z.read(charts[0]).decode("utf-8")
    # 20 fiscal years (FY2026 to FY2045): categories in column A, the cumulative in column B.
    assert "'Cumulative position'!$A$3:$A$22" in xml and "'Cumulative position'!$B$3:$B$22" in xml
    sheet = openpyxl.load_workbook(out)["Cumulative position"]
    assert [sheet.cell(r, 2).value for r in range(3, 23)] == [row["cumulative"] for row in report["fiscal_years"]]
    # The same inputs give the same bytes (no clock in the file).
    again = tmp_path / "again.xlsx"
    cli("plan", SPINOUT, "--output", str(again), "--lang", "en")
    assert again.read_bytes() == out.read_bytes()


def test_scenarios_show_the_loan_value_per_grade_as_plan_computes_it(cli: Cli, tmp_path: Path) -> None:
    args = (
        "scenarios",
        "--amount",
        "3億",
        "--start",
        "2026-10-01",
        "--end",
        "2029-09-30",
        "--deferral",
        "3y",
        "--discount-rate",
        "8%",
        "--format",
        "json",
    )
    rows = {s["scenario"]: s for s in json.loads(cli(*args).stdout)["scenarios"]}
    plan = tmp_path / "loan.toml"
    body = (
        'discount_rate = "8%"\nmenu = "jisso"\nstart = 2026-10-01\nend = 2029-09-30\namount = "3億"\n'
        'collateral = "3000万"\n'
    )
    plan.write_text(body + '[repayment]\ndeferral = "3y"\n', "utf-8")
    _, report = run_json(cli, str(plan))
    # The done-when case: 12 quarterly advances from 2026-10-01, valued at the start.
    assert rows["S/A/B"]["loan_value"] == report["phases"][0]["loan_value"]["loan_value"] == 129_885_792
    assert rows["S/A/B"]["grant_equivalent"] == 122_928_295
    # 開発中止 on 2028-06-30: the advances up to it (7 × 25,000,000), one lump a year later.
    stopped = {s["scenario"]: s for s in json.loads(cli(*args, "--stop", "2028-06-30").stdout)["scenarios"]}
    plan.write_text(body + "stop = 2028-06-30\n", "utf-8")
    _, report = run_json(cli, str(plan))
    assert stopped["discontinued"]["paid"] == report["phases"][0]["paid"] == 175_000_000
    assert stopped["discontinued"]["loan_value"] == report["phases"][0]["loan_value"]["loan_value"]
    # Without the development start there are no advances to value: no column.
    plain = json.loads(
        cli(
            "scenarios", "--amount", "3億", "--dev-end", "2029-09-30", "--discount-rate", "8%", "--format", "json"
        ).stdout
    )
    assert all("loan_value" not in s for s in plain["scenarios"])
    assert "economic value of the repayable funds at 2026-10-01" in cli(*args[:-2], "--lang", "en").stdout


def _plan_options() -> list[str]:
    """The long options of ``astep plan`` (--business-day, --format, --output, ...)."""
    import typer

    from astep_calc.cli import app

    command = typer.main.get_command(app).commands["plan"]  # type: ignore[attr-defined]
    return sorted(o[2:] for p in command.params for o in p.opts if o.startswith("--") and o != "--help")


@pytest.mark.parametrize("option", _plan_options())
def test_an_error_in_a_plan_key_named_like_an_option_is_not_put_on_the_option(
    cli: Cli, tmp_path: Path, option: str
) -> None:
    # A plan key that shares its name with an option of plan (business_day, which plan reads,
    # or format, output, ..., which it does not) is wrong in the file, not on the command line.
    key = option.replace("-", "_")
    plan = tmp_path / "p.toml"
    text = (EXAMPLES / "stage1-valid.toml").read_text("utf-8")
    plan.write_text(text.replace("indirect_rate = 0.30", f'{key} = "foo"'), encoding="utf-8")
    line = text.split("\n").index(next(s for s in text.split("\n") if s.startswith("indirect_rate"))) + 1
    for lang, quoted in (("en", f"key '{key}'"), ("ja", f"キー「{key}」")):
        error = cli("plan", str(plan), "--lang", lang).expect(2).error
        assert error.startswith(f"{plan}:{line}") and quoted in error, error
        assert "--" not in error.split(quoted)[0], error


def test_plan_key_business_day_reads_as_checks_error(cli: Cli, tmp_path: Path) -> None:
    plan = tmp_path / "bd_foo.toml"
    plan.write_text(
        (EXAMPLES / "stage1-valid.toml").read_text("utf-8").replace("indirect_rate = 0.30", 'business_day = "foo"'),
        encoding="utf-8",
    )
    assert cli("plan", str(plan)).expect(2).error == cli("check", str(plan)).expect(2).error
