"""``astep budget`` and ``astep rules`` through the command line (SPEC §6)."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

Cli = Callable[..., Result]

STAGE1 = ("budget", "--menu", "stage1", "--start", "2026-10-01", "--months", "30")


def one_error_line(result: Any, *needles: str) -> str:
    """Exit 2, nothing on stdout, one 'astep: error:' line containing every needle (conftest's expect)."""
    return str(result.expect(2, needles).stderr.rstrip("\n"))


# ---------------------------------------------------------------------------
# Exit codes
# ---------------------------------------------------------------------------


def test_budget_table_exit_0(cli: Cli) -> None:
    result = cli(*STAGE1, "--lang", "en")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    out = result.stdout
    # SPEC §4 worked example: 7,500,000 in FY2026, 15,000,000 after, 37,500,000 in total.
    for text in (
        "FY2026",
        "FY2027",
        "FY2028",
        "7,500,000",
        "5,769,231",
        "1,730,769",
        "15,000,000",
        "11,538,462",
        "3,461,538",
        "37,500,000",
        "Total",
    ):
        assert text in out, text
    assert "Within the programme rules" in out
    assert "Assumptions" in out
    assert "\x1b[" not in out  # NO_COLOR / not a terminal: no escape codes


def test_budget_table_in_japanese(cli: Cli) -> None:
    result = cli(*STAGE1, "--lang", "ja")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    for text in (
        "2026年度",
        "令和8年度",
        "合計",
        "7,500,000",
        "37,500,000",
        "前提",
        "上限額（間接経費込み）",
        "うち直接経費",
        "うち間接経費",
    ):
        assert text in out, text
    assert "FY2026" not in out


def test_default_language_follows_the_locale(cli: Cli) -> None:
    assert "合計" in cli(*STAGE1, env={"LANG": "ja_JP.UTF-8"}).stdout
    assert "Total" in cli(*STAGE1, env={"LANG": "en_US.UTF-8"}).stdout
    # LC_ALL wins over LANG.
    assert "Total" in cli(*STAGE1, env={"LANG": "ja_JP.UTF-8", "LC_ALL": "C"}).stdout
    assert "合計" in cli(*STAGE1, env={"LANG": "C", "LC_ALL": "ja_JP.UTF-8"}).stdout
    # --lang wins over both.
    assert "Total" in cli(*STAGE1, "--lang", "en", env={"LANG": "ja_JP.UTF-8"}).stdout


def test_period_over_the_limit_exits_1_and_still_prints_the_table(cli: Cli) -> None:
    # 31 months from 2026-04-01 end on add_months(2026-03-31, 31) = 2028-10-31, past stage1's
    # 30-month end 2028-09-30.
    result = cli("budget", "--menu", "stage1", "--start", "2026-04-01", "--months", "31", "--lang", "en")
    assert result.exit_code == 1
    assert "period.max" in result.stdout
    assert "2028-09-30" in result.stdout
    # Still computed: 2 × 15,000,000 + FY2028 Apr–Oct floor(15,000,000 × 7 / 12) = 8,750,000 → 38,750,000.
    assert "FY2028" in result.stdout and "38,750,000" in result.stdout
    assert "31 months" in result.stdout  # the totals row gives the period's length
    assert "Traceback" not in result.output


def test_period_over_the_limit_in_json(cli: Cli) -> None:
    result = cli("budget", "--menu", "stage1", "--start", "2026-04-01", "--months", "31", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert [v["rule"] for v in data["violations"]] == ["period.max"]
    assert data["total_cap"] == 38_750_000
    assert data["end"] == "2028-10-31"
    assert (data["period_months"], data["period_days"]) == (31, 0)


def test_end_before_start_is_unusable_input(cli: Cli) -> None:
    result = cli("budget", "--menu", "stage1", "--start", "2026-10-01", "--end", "2026-09-30", "--format", "json")
    one_error_line(result, "'2026-09-30'", "2026-10-01")


# --- Issue 10: periods as the Civil Code counts them; the partial last year ---------------


def test_30_months_from_august_31_end_on_february_28_and_hold(cli: Cli) -> None:
    # 民法143条: the day before the corresponding day of 2030-02, which has no 31st → 2030-02-28.
    result = cli("budget", "--menu", "stage1", "--start", "2027-08-31", "--months", "30", "--format", "json")
    assert result.exit_code == 0, result.stdout
    data = json.loads(result.stdout)
    assert data["end"] == "2030-02-28" and data["violations"] == []
    assert (data["period_months"], data["period_days"]) == (30, 0)


def test_from_september_30_ending_march_30_is_one_day_too_long(cli: Cli) -> None:
    # 30 months from 2026-09-30 end on add_months(2026-09-29, 30) = 2029-03-29.
    result = cli("budget", "--menu", "stage1", "--start", "2026-09-30", "--end", "2029-03-30", "--lang", "en")
    assert result.exit_code == 1
    assert "period.max" in result.stdout and "2029-03-29" in result.stdout
    # Its length: 30 months (to 2029-03-29) and 1 day.
    assert "30 months 1 day" in result.stdout


def test_a_partial_last_year_is_prorated_by_default(cli: Cli) -> None:
    # 30 months from 2026-10-15 end 2029-04-14: FY2029 has 1 calendar month → floor(15,000,000 / 12)
    # = 1,250,000; total 7,500,000 + 2 × 15,000,000 + 1,250,000 = 38,750,000. --no-prorate-last gives
    # FY2029 the full 15,000,000: 52,500,000.
    args = ("budget", "--menu", "stage1", "--start", "2026-10-15", "--months", "30", "--format", "json")
    data = json.loads(cli(*args).stdout)
    assert data["total_cap"] == 38_750_000 and data["prorate_last"] is True
    literal = json.loads(cli(*args, "--no-prorate-last").stdout)
    assert literal["total_cap"] == 52_500_000 and literal["prorate_last"] is False
    assert json.loads(cli(*args, "--prorate-last").stdout)["total_cap"] == 38_750_000


def test_months_per_fiscal_year_are_labelled_calendar_months(cli: Cli) -> None:
    # 2026-10-15 .. 2029-04-14 touches 6 + 12 + 12 + 1 = 31 calendar months in 30 months: the
    # totals row shows the 31 the column adds up to, and the period's 30 months apart (SPEC §4).
    args = ("budget", "--menu", "stage1", "--start", "2026-10-15", "--months", "30")
    en = cli(*args, "--lang", "en").stdout
    assert "(calendar)" in en and "31 (period: 30 months)" in en
    ja = cli(*args, "--lang", "ja").stdout
    assert "暦月" in ja and "31（実施期間30か月）" in ja
    rows = list(csv.reader(io.StringIO(cli(*args, "--format", "csv", "--lang", "en").stdout)))
    assert [r[3] for r in rows[1:-1]] == ["6", "12", "12", "1"]
    assert rows[-1][3] == "31 (period: 30 months)"
    # Where the months counted are the period's length, the total says it once.
    exact = cli("budget", "--menu", "stage1", "--start", "2026-10-01", "--months", "30", "--format", "csv")
    assert list(csv.reader(io.StringIO(exact.stdout)))[-1][3] == "30 months"


def test_bad_date_exits_2_with_one_line(cli: Cli) -> None:
    result = cli("budget", "--menu", "stage1", "--start", "2026-13-01", "--months", "30")
    one_error_line(result, "'2026-13-01'", "astep: error:")


def test_bad_date_in_japanese(cli: Cli) -> None:
    result = cli("budget", "--menu", "stage1", "--start", "2026-13-01", "--months", "30", "--lang", "ja")
    one_error_line(result, "astep: エラー：--start：「2026-13-01」", "日付")


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        (("--lang", "fr"), ("'fr'", "--lang")),
        (("--format", "xml"), ("'xml'", "--format")),
        (("--proration", "week"), ("'week'", "month, day")),
        (("--round", "abc"), ("'abc'",)),
        (("--round", "0"), ("'0'", "1 yen")),
        (("--round", "-1000"), ("'-1000'",)),
        (("--round", "1.5"), ("'1.5'",)),
        (("--indirect-rate", "150%"), ("'150%'", "--indirect-rate")),
    ],
)
def test_bad_options_exit_2_with_one_line(cli: Cli, args: tuple[str, ...], needles: tuple[str, ...]) -> None:
    lang = () if "--lang" in args else ("--lang", "en")
    one_error_line(cli(*STAGE1, *args, *lang), *needles)


@pytest.mark.parametrize(
    ("menu", "needle"),
    [("stage3", "'stage3'"), ("jisso", "'jisso'")],  # jisso has a total cap, not one per fiscal year
)
def test_bad_menu_exits_2(cli: Cli, menu: str, needle: str) -> None:
    one_error_line(cli("budget", "--menu", menu, "--start", "2026-10-01", "--months", "30"), needle)


@pytest.mark.parametrize(
    "period",
    [
        ("--months", "0"),
        ("--months", "abc"),
        ("--months", "30", "--end", "2029-03-31"),  # both
        (),  # neither
        ("--end", "2029-02-30"),
    ],
)
def test_bad_period_exits_2(cli: Cli, period: tuple[str, ...]) -> None:
    one_error_line(cli("budget", "--menu", "stage1", "--start", "2026-10-01", *period))


# ---------------------------------------------------------------------------
# Formats
# ---------------------------------------------------------------------------


def test_budget_json_contract(cli: Cli) -> None:
    result = cli(*STAGE1, "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["command"] == "budget"
    assert data["rules"] == "a-step-2024"
    assert isinstance(data["assumptions"], list) and data["assumptions"]
    assert all(isinstance(a, str) for a in data["assumptions"])
    assert data["violations"] == []
    expected = [
        # fiscal_year, start, end, months, cap, direct_max, indirect_max (SPEC §4's example)
        (2026, "2026-10-01", "2027-03-31", 6, 7_500_000, 5_769_231, 1_730_769),
        (2027, "2027-04-01", "2028-03-31", 12, 15_000_000, 11_538_462, 3_461_538),
        (2028, "2028-04-01", "2029-03-31", 12, 15_000_000, 11_538_462, 3_461_538),
    ]
    keys = ("fiscal_year", "start", "end", "months", "cap", "direct_max", "indirect_max")
    assert [tuple(row[k] for k in keys) for row in data["fiscal_years"]] == expected
    for row in data["fiscal_years"]:
        assert set(keys) <= set(row)
        for k in ("cap", "direct_max", "indirect_max", "months", "fiscal_year"):
            assert type(row[k]) is int  # amounts are integers in yen, never floats or strings
    assert data["total_cap"] == 37_500_000
    assert type(data["total_cap"]) is int


def test_budget_json_in_japanese_keeps_the_keys(cli: Cli) -> None:
    en = json.loads(cli(*STAGE1, "--format", "json", "--lang", "en").stdout)
    ja = json.loads(cli(*STAGE1, "--format", "json", "--lang", "ja").stdout)
    assert set(en) == set(ja)
    assert en["fiscal_years"] == ja["fiscal_years"]
    assert en["assumptions"] != ja["assumptions"]
    assert any("按分" in a for a in ja["assumptions"])


def test_budget_csv(cli: Cli) -> None:
    result = cli(*STAGE1, "--format", "csv", "--lang", "en")
    assert result.exit_code == 0, result.stderr
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["fiscal_year", "start", "end", "months", "cap", "direct_max", "indirect_max"]
    assert rows[1] == ["2026", "2026-10-01", "2027-03-31", "6", "7500000", "5769231", "1730769"]
    assert rows[2][4] == rows[3][4] == "15000000"
    # Totals row: the period's length, 30 months; 7,500,000 + 2 × 15,000,000; directs and indirects summed.
    assert rows[-1] == [
        "Total",
        "",
        "",
        "30 months",
        "37500000",
        str(5_769_231 + 2 * 11_538_462),
        str(1_730_769 + 2 * 3_461_538),
    ]
    assert len(rows) == 5
    ja = list(csv.reader(io.StringIO(cli(*STAGE1, "--format", "csv", "--lang", "ja").stdout)))
    # In Japanese the header is the table's labels (issue 22 item 3); the values are the same.
    assert ja[0] == [
        "年度",
        "開始日",
        "終了日",
        "月数（暦月）",
        "上限額（間接経費込み）",
        "うち直接経費",
        "うち間接経費",
    ]
    assert ja[1] == rows[1] and ja[-1][0] == "合計"


def test_budget_options_reach_the_output(cli: Cli) -> None:
    # --proration day --round 1000: FY2026 = floor(15,000,000 × 182 / 365) = 7,479,452 → 7,479,000,
    # split in 千円: 5,753,000 + floor_1000(1,725,900) = 5,753,000 + 1,725,000 (see test_budget.py).
    data = json.loads(cli(*STAGE1, "--format", "json", "--proration", "day", "--round", "1000").stdout)
    assert data["fiscal_years"][0]["cap"] == 7_479_000
    assert (data["fiscal_years"][0]["direct_max"], data["fiscal_years"][0]["indirect_max"]) == (5_753_000, 1_725_000)
    assert data["fiscal_years"][0]["days"] == 182  # 2026-10-01 .. 2027-03-31
    assert data["total_cap"] == 7_479_000 + 30_000_000
    # --round accepts the money syntax: 1千 = 1,000.
    data2 = json.loads(cli(*STAGE1, "--format", "json", "--proration", "day", "--round", "1千").stdout)
    assert data2["total_cap"] == data["total_cap"]
    # stage2-gate, 48 months from 2026-10-01 (to 2030-09-30), cap 25,000,000 a year: FY2026 Oct–Mar
    # floor(25,000,000 × 6/12) = 12,500,000, FY2027–FY2029 25,000,000 each, FY2030 (Apr–Sep)
    # prorated the same way, 12,500,000 → 100,000,000. --no-prorate-last gives FY2030 the full
    # 25,000,000 → 112,500,000.
    gate = ("budget", "--menu", "stage2-gate", "--start", "2026-10-01", "--months", "48", "--format", "json")
    last = json.loads(cli(*gate).stdout)
    assert last["fiscal_years"][-1]["cap"] == 12_500_000
    assert last["total_cap"] == 100_000_000
    assert json.loads(cli(*gate, "--no-prorate-last").stdout)["total_cap"] == 112_500_000
    # --end instead of --months gives the same plan.
    by_end = cli("budget", "--menu", "stage1", "--start", "2026-10-01", "--end", "2029-03-31", "--format", "json")
    assert (
        json.loads(by_end.stdout)["fiscal_years"] == json.loads(cli(*STAGE1, "--format", "json").stdout)["fiscal_years"]
    )
    # --indirect-rate 25%: 15,000,000 = 12,000,000 + 3,000,000.
    rate = json.loads(cli(*STAGE1, "--format", "json", "--indirect-rate", "25%").stdout)
    assert (rate["fiscal_years"][1]["direct_max"], rate["fiscal_years"][1]["indirect_max"]) == (12_000_000, 3_000_000)


# ---------------------------------------------------------------------------
# --output
# ---------------------------------------------------------------------------


def test_output_file_is_written_and_kept(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # An extension that asks for no format, so that JSON and CSV may both go to it. A short
    # relative name: the message quotes it whole, however long the temporary folder's path.
    monkeypatch.chdir(tmp_path)
    target = Path("plan.out")
    result = cli(*STAGE1, "--format", "json", "--output", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert json.loads(target.read_text("utf-8"))["total_cap"] == 37_500_000
    # An existing file is kept without --force.
    before = target.read_bytes()
    refused = cli(*STAGE1, "--format", "csv", "--output", str(target))
    one_error_line(refused, "--force", repr(str(target)))
    assert target.read_bytes() == before
    # --force replaces it.
    forced = cli(*STAGE1, "--format", "csv", "--output", str(target), "--force")
    assert forced.exit_code == 0, forced.stderr
    assert target.read_text("utf-8").startswith("fiscal_year,start,end,")
    # Nothing else was left in the folder (no temporary files).
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.out"]


def test_output_table_to_a_file(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "plan.txt"
    result = cli(*STAGE1, "--lang", "en", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    text = target.read_text("utf-8")
    assert "7,500,000" in text and "37,500,000" in text and "Total" in text
    assert "\x1b[" not in text
    assert os.listdir(tmp_path) == ["plan.txt"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_output_file_gets_ordinary_permissions(cli: Cli, tmp_path: Path) -> None:
    # An atomic write must not change what a plain write would give: a new file gets
    # 0o666 minus the umask (a temporary file from mkstemp is 0o600), and a file replaced
    # with --force keeps its mode.
    umask = os.umask(0o022)
    try:
        fresh = tmp_path / "fresh.json"
        assert cli(*STAGE1, "--format", "json", "--output", str(fresh)).exit_code == 0
        assert fresh.stat().st_mode & 0o777 == 0o644  # 0o666 & ~0o022
        shared = tmp_path / "shared.csv"
        shared.write_text("old\n", encoding="utf-8")
        shared.chmod(0o664)
        assert cli(*STAGE1, "--format", "csv", "--output", str(shared), "--force").exit_code == 0
        assert shared.stat().st_mode & 0o777 == 0o664
        assert shared.read_text("utf-8").startswith("fiscal_year,")
    finally:
        os.umask(umask)


def test_output_with_a_violation_is_written_and_exits_1(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "over.json"
    result = cli(
        "budget",
        "--menu",
        "stage1",
        "--start",
        "2026-04-01",
        "--months",
        "31",
        "--format",
        "json",
        "--output",
        str(target),
    )
    assert result.exit_code == 1
    assert json.loads(target.read_text("utf-8"))["violations"][0]["rule"] == "period.max"


def test_output_into_a_missing_folder_or_onto_a_folder(cli: Cli, tmp_path: Path) -> None:
    one_error_line(cli(*STAGE1, "--output", str(tmp_path / "missing" / "x.json")), "missing")
    one_error_line(cli(*STAGE1, "--output", str(tmp_path), "--force"), "folder")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "period",
    [
        ("--start", "9999-10-01", "--months", "30"),  # the end would be in year 10002
        ("--start", "0001-01-01", "--end", "0001-02-01"),
    ],  # fiscal year 0 does not exist
)
def test_dates_at_the_edge_of_the_calendar_exit_2_without_a_traceback(cli: Cli, period: tuple[str, ...]) -> None:
    one_error_line(cli("budget", "--menu", "stage1", *period))


# ---------------------------------------------------------------------------
# --rules
# ---------------------------------------------------------------------------


def test_rules_file_changes_the_numbers(cli: Cli, write_rules: Callable[..., Path]) -> None:
    path = write_rules(('id = "a-step-2024"', 'id = "a-step-test"'), ("cap = 15_000_000", "cap = 10_000_000"))
    result = cli(*STAGE1, "--format", "json", "--rules", str(path))
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["rules"] == "a-step-test"
    # FY2026: floor(10,000,000 × 6 / 12) = 5,000,000; then 10,000,000 twice → 25,000,000.
    # 10,000,000 = 7,692,308 + floor(2,307,692.4).
    assert [r["cap"] for r in data["fiscal_years"]] == [5_000_000, 10_000_000, 10_000_000]
    assert data["fiscal_years"][1]["direct_max"] == 7_692_308
    assert data["total_cap"] == 25_000_000
    table = cli(*STAGE1, "--lang", "en", "--rules", str(path)).stdout
    assert "25,000,000" in table and "37,500,000" not in table


def test_rules_file_with_a_shorter_period_makes_it_a_violation(cli: Cli, write_rules: Callable[..., Path]) -> None:
    path = write_rules(("period_months = 30", "period_months = 24"))
    result = cli(*STAGE1, "--format", "json", "--rules", str(path))
    assert result.exit_code == 1
    assert json.loads(result.stdout)["violations"][0]["rule"] == "period.max"


def test_broken_rules_file_exits_2_naming_the_key(cli: Cli, write_rules: Callable[..., Path]) -> None:
    path = write_rules(("cap = 15_000_000", 'cap = "lots"'))
    one_error_line(cli(*STAGE1, "--rules", str(path)), "'menus.stage1.cap'")
    bad_toml = write_rules(("cap = 15_000_000", "cap = ="))
    one_error_line(cli(*STAGE1, "--rules", str(bad_toml)), "TOML")
    one_error_line(cli(*STAGE1, "--rules", str(path.parent / "missing.toml")), "missing.toml")


# ---------------------------------------------------------------------------
# astep rules
# ---------------------------------------------------------------------------


def test_rules_table(cli: Cli) -> None:
    en = cli("rules", "--lang", "en")
    assert en.exit_code == 0, en.stderr
    for text in (
        "stage1",
        "stage2",
        "stage2-gate",
        "jisso",
        "15,000,000",
        "25,000,000",
        "500,000,000",
        "30 months",
        "54 months",
        "48 months",
        "36 months",
        "interest-free",
        "grade C",
    ):
        assert text in en.stdout, text
    ja = cli("rules", "--lang", "ja")
    assert ja.exit_code == 0, ja.stderr
    for text in ("グラント", "マッチングファンド", "返済型", "無利子", "C評価"):
        assert text in ja.stdout, text


def test_rules_json(cli: Cli) -> None:
    result = cli("rules", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["command"] == "rules"
    assert data["rules"] == "a-step-2024"
    assert data["violations"] == []
    assert isinstance(data["assumptions"], list)
    menus = {m["id"]: (m["fund_type"], m["cap_kind"], m["cap"], m["period_months"]) for m in data["menus"]}
    assert menus == {
        "stage1": ("grant", "annual", 15_000_000, 30),
        "stage2": ("matching", "annual", 25_000_000, 54),
        "stage2-gate": ("matching", "annual", 25_000_000, 48),
        "jisso": ("repayable", "total", 500_000_000, 36),
    }
    assert data["indirect_rate"] == "0.3"
    assert data["jisso"]["term_max_months"] == 120
    assert data["jisso"]["deferral_max_months"] == 36
    assert {g["id"]: g["share"] for g in data["jisso"]["grades"]}["C"] == "0.1"


def test_rules_with_a_modified_rulebook(cli: Cli, write_rules: Callable[..., Path]) -> None:
    path = write_rules(
        (
            "cap = 25_000_000\nfirst_year_prorated = true\nperiod_months = 54",
            "cap = 30_000_000\nfirst_year_prorated = true\nperiod_months = 54",
        )
    )
    data = json.loads(cli("rules", "--format", "json", "--rules", str(path)).stdout)
    assert {m["id"]: m["cap"] for m in data["menus"]}["stage2"] == 30_000_000


# ---------------------------------------------------------------------------
# The program as a process
# ---------------------------------------------------------------------------


@pytest.mark.slow  # starts a subprocess
def test_python_dash_m_help() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "astep_calc", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert result.returncode == 0, result.stderr
    assert "budget" in result.stdout and "rules" in result.stdout
    assert "Traceback" not in result.stderr


@pytest.mark.slow  # starts a subprocess
def test_python_dash_m_bad_input_exits_2_without_a_traceback() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "astep_calc",
            "budget",
            "--menu",
            "stage1",
            "--start",
            "2026-13-01",
            "--months",
            "30",
            "--lang",
            "en",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().count("\n") == 0
    assert "'2026-13-01'" in result.stderr
    assert "Traceback" not in result.stderr


# --- Dates as Japanese offices write them (issue 13 item 1) -------------------------------


@pytest.mark.parametrize("start", ["令和8年10月1日", "R8.10.1", "2026/10/1", "２０２６年１０月１日"])
def test_japanese_date_forms_give_the_same_budget(cli: Cli, start: str) -> None:
    iso = json.loads(cli(*STAGE1, "--format", "json").stdout)
    data = json.loads(cli("budget", "--menu", "stage1", "--start", start, "--months", "30", "--format", "json").stdout)
    assert data["start"] == "2026-10-01" and data["fiscal_years"] == iso["fiscal_years"]


def test_a_date_outside_its_era_exits_2_saying_so(cli: Cli) -> None:
    line = one_error_line(
        cli("budget", "--menu", "stage1", "--start", "H31.5.1", "--months", "30", "--lang", "en"),
        "'H31.5.1'",
        "平成",
        "2019-04-30",
    )
    assert "令和元年5月1日" in line


@pytest.mark.parametrize("months", ["፩", "٣٠", "３０.５"])
def test_digits_of_other_scripts_are_no_month_count(cli: Cli, months: str) -> None:
    # ፩ and ٣٠ pass str.isdigit(); they must be a clear input error, not a crash.
    one_error_line(cli("budget", "--menu", "stage1", "--start", "2026-10-01", "--months", months), repr(months))
