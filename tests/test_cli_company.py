"""The company's side of ``astep plan`` and ``astep check`` (SPEC §9, issue 20): the JSON keys,
hand-worked months and years, ``--company FILE``, ``--by month``, ``--chart``, every format,
and the rules ``company.cash`` and ``company.coverage``; issue 20's Done-when, case by case."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

Cli = Callable[..., Any]
ROOT = Path(__file__).resolve().parents[1]
SPINOUT = "examples/company-spinout.toml"
FROM_FILE = "examples/company-file.toml"
PROJECTIONS = "examples/company-projections.csv"

#: A 実装支援 of 1億 from 2027-04-01 to 2028-03-31: four advances of 25,000,000 (April, July,
#: October, January), 10,000,000 collateral, 100,000,000 repaid in one payment on 2029-03-31
#: (FY2028), when the collateral comes back.
LUMP = (
    'menu = "jisso"\nstart = 2027-04-01\nend = 2028-03-31\namount = "1億"\ncollateral = "1000万"\n'
    "[repayment]\nlump = true\n"
)


def company(operating_2028: int | str, *, coverage: str = "1.5", min_cash: str = "0") -> str:
    """LUMP with a company: 5,000万 on 2027-04-01, FY2027 −6,000万, FY2028 as given."""
    return LUMP + (
        f'[company]\ncash = "5000万"\nmin_cash = "{min_cash}"\ncoverage = {coverage}\n'
        f'[company.flows]\n2027 = {{ operating = "-6000万" }}\n2028 = {{ operating = "{operating_2028}" }}\n'
    )


def run_json(cli: Cli, *args: str, code: int = 0) -> dict[str, Any]:
    result = cli("plan", *args, "--format", "json")
    assert result.exit_code == code, result.output
    return dict(json.loads(result.stdout))


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from a temporary folder, with the examples beside (paths print as written)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    return tmp_path


# ---------------------------------------------------------------------------
# Done when
# ---------------------------------------------------------------------------


def test_the_spinout_json_carries_months_fiscal_years_and_runway(cli: Cli, here: Path) -> None:
    report = run_json(cli, SPINOUT)
    c = report["company"]
    assert {"months", "fiscal_years", "runway"} <= set(c)
    assert all({"month", "cash", "cash_without"} <= set(m) for m in c["months"])
    keys = {"fiscal_year", "operating", "investing", "financing", "astep", "cash_end", "cash_end_without", "repaid"}
    keys |= {"coverage", "outstanding", "due_within_year"}
    assert all(keys <= set(y) for y in c["fiscal_years"])
    # FY2027 to FY2034, April to March: 96 months, oldest first
    assert [m["month"] for m in c["months"]][:2] == ["2027-04", "2027-05"] and c["months"][-1]["month"] == "2035-03"
    assert len(c["months"]) == 96
    # coverage a decimal string, or null in a year without repayments
    assert [y["coverage"] for y in c["fiscal_years"]] == [None, None, None, None, "2.00", "2.66", "3.33", "4.00"]
    assert c["runway"] == {"with": None, "without": "2027-12", "months_added": 87, "open_ended": True}


def test_with_minus_without_is_the_advances_less_collateral_and_repayments_so_far(cli: Cli, here: Path) -> None:
    """Independent of the company's own flows: the phase's advances, collateral and schedule
    as the plan's JSON gives them, counted at each month's end."""
    report = run_json(cli, SPINOUT)
    phase = report["phases"][0]
    advances = [(date.fromisoformat(a["date"]), a["amount"]) for a in phase["advances"]]
    payments = [(date.fromisoformat(p["due"]), p["amount"]) for p in phase["repayment"]["payments"]]
    start, release = date.fromisoformat(phase["start"]), date.fromisoformat(phase["collateral_release"])
    for m in report["company"]["months"]:
        year, month = map(int, m["month"].split("-"))
        before = date(year + month // 12, month % 12 + 1, 1)  # the first day of the next month
        so_far = sum(a for d, a in advances if d < before) - sum(a for d, a in payments if d < before)
        so_far -= phase["collateral"] * ((start < before) - (release < before))
        assert m["cash"] - m["cash_without"] == so_far, m


def test_months_by_hand(cli: Cli, here: Path) -> None:
    months = {m["month"]: m for m in run_json(cli, SPINOUT)["company"]["months"]}
    # April 2027: 210,000,000 − 240,000,000 ÷ 12 = 190,000,000 without; + 25,000,000 advance
    # − 30,000,000 collateral = 185,000,000 with.
    assert (months["2027-04"]["cash_without"], months["2027-04"]["cash"]) == (190_000_000, 185_000_000)
    # FY2028 nets −180,000,000 + 500,000,000 (the Series B) = 320,000,000, which 12 does not
    # divide: April gets floor(320,000,000 × 1 ÷ 12) = 26,666,666; FY2027 ended at −30,000,000
    # without (210,000,000 − 240,000,000) and 40,000,000 with (+ 4 × 25,000,000 − 30,000,000).
    assert months["2028-04"]["projected"] == 26_666_666
    assert months["2028-04"]["cash_without"] == -30_000_000 + 26_666_666
    assert months["2028-04"]["cash"] == 40_000_000 + 26_666_666 + 25_000_000
    # May: floor(320,000,000 × 2 ÷ 12) − 26,666,666 = 53,333,333 − 26,666,666 = 26,666,667
    assert months["2028-05"]["projected"] == 26_666_667
    # March 2035: the last payment of 75,000,000 and the collateral's 30,000,000 back.
    assert months["2035-03"]["astep"] == -75_000_000 + 30_000_000
    assert months["2035-03"]["cash"] == months["2035-03"]["cash_without"] == 1_100_000_000


def test_fiscal_years_by_hand(cli: Cli, here: Path) -> None:
    years = {y["fiscal_year"]: y for y in run_json(cli, SPINOUT)["company"]["fiscal_years"]}
    # FY2027: 4 advances of 25,000,000 less the collateral of 30,000,000; owed 100,000,000 at
    # 2028-03-31, or floor(100,000,000 × 10%) under grade C: the 事後評価 is to come.
    assert years[2027]["astep"] == 70_000_000 and years[2027]["outstanding"] == 100_000_000
    assert years[2027]["by_case"] == [
        {"case": "S/A/B", "outstanding": 100_000_000, "due_within_year": 0},
        {"case": "C", "outstanding": 10_000_000, "due_within_year": 0},
    ]
    # FY2029 ends on the development end (2030-03-31): one grade from then on.
    assert years[2029]["by_case"] == [] and years[2029]["outstanding"] == 300_000_000
    # Due within a year of 2030-03-31: nothing (the deferral); of 2031-03-31: the first
    # payment, 75,000,000 on 2032-03-31.
    assert years[2029]["due_within_year"] == 0 and years[2030]["due_within_year"] == 75_000_000
    # FY2031: 150,000,000 ÷ 75,000,000 = 2.00; FY2032: 200,000,000 ÷ 75,000,000 = 2.666… → 2.66
    assert (years[2031]["coverage"], years[2032]["coverage"]) == ("2.00", "2.66")
    assert years[2034]["outstanding"] == 0 and years[2034]["cash_end"] == 1_100_000_000


def test_coverage_of_exactly_one_and_a_half_holds_and_one_yen_less_breaks(cli: Cli, here: Path) -> None:
    # FY2028 repays 100,000,000: 150,000,000 of operating cash flow covers it 1.5 times exactly.
    Path("holds.toml").write_text(company(150_000_000), "utf-8")
    Path("breaks.toml").write_text(company(149_999_999), "utf-8")
    years = run_json(cli, "holds.toml")["company"]["fiscal_years"]
    assert years[1]["coverage"] == "1.50" and years[1]["repaid"] == 100_000_000
    report = run_json(cli, "breaks.toml", code=1)
    assert [v["rule"] for v in report["violations"]] == ["company.coverage"]
    assert report["company"]["fiscal_years"][1]["coverage"] == "1.49"
    assert report["company"]["violations"] == ["company.coverage"]
    cli("check", "holds.toml").expect(0)
    # check names the rule at the line of the key that sets the threshold (coverage = 1.5)
    line = company(149_999_999).split("\n").index("coverage = 1.5") + 1
    check = json.loads(cli("check", "breaks.toml", "--format", "json").expect(1, rule="company.coverage").stdout)
    assert [(v["rule"], v["line"], v["details"]) for v in check["violations"]] == [
        ("company.coverage", line, {"fiscal_year": 2028, "coverage": "1.49", "required": "1.5"})
    ]
    cli("check", "breaks.toml", "--format", "github").expect(
        1, f"::error file=breaks.toml,line={line},title=company.coverage::FY2028: the operating cash flow"
    )


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "markdown"])
def test_a_broken_company_rule_is_exit_1_in_every_format(cli: Cli, here: Path, fmt: str) -> None:
    Path("breaks.toml").write_text(company(149_999_999), "utf-8")
    cli("plan", "breaks.toml", "--format", fmt).expect(1, rule="company.coverage")
    cli("check", "breaks.toml", "--format", fmt).expect(1, rule="company.coverage")


def test_the_projections_file_gives_the_same_months_as_the_plan(cli: Cli, here: Path) -> None:
    written = run_json(cli, SPINOUT)["company"]
    filed = run_json(cli, FROM_FILE, "--company", PROJECTIONS)["company"]
    assert filed["months"] == written["months"] and filed["fiscal_years"] == written["fiscal_years"]
    assert filed["runway"] == written["runway"]


def test_check_names_company_cash_and_the_month(cli: Cli, here: Path) -> None:
    # With min_cash = 5,000万, March 2028 ends at 40,000,000 (see test_months_by_hand).
    text = (ROOT / SPINOUT).read_text("utf-8").replace('min_cash = "3000万" ', 'min_cash = "5000万" ')
    Path("dip.toml").write_text(text, "utf-8")
    line = text.split("\n").index(next(x for x in text.split("\n") if x.startswith("min_cash"))) + 1
    cli("check", "dip.toml", "--lang", "en").expect(1, ["company.cash", "2028-03", f"dip.toml:{line}"])
    check = json.loads(cli("check", "dip.toml", "--format", "json").stdout)
    assert check["violations"][0]["message"] == (
        "cash at the end of 2028-03 is 40,000,000 yen, under the minimum 50,000,000 yen by 10,000,000 yen "
        "(A-STEP money included)"
    )
    assert check["violations"][0]["details"] == {
        "month": "2028-03",
        "cash": 40_000_000,
        "min_cash": 50_000_000,
        "shortfall": 10_000_000,
    }
    cli("check", "dip.toml", "--lang", "ja").expect(1, ["company.cash", "2028年3月末の現預金"])


def test_a_plan_whose_projections_miss_a_year_is_exit_2_naming_it(cli: Cli, here: Path) -> None:
    # The last repayment, 2035-03-31, falls in FY2034.
    text = (ROOT / SPINOUT).read_text("utf-8").replace('2034 = { operating = "3億" }\n', "")
    Path("short.toml").write_text(text, "utf-8")
    for command in ("plan", "check"):
        cli(command, "short.toml", "--lang", "en").expect(
            2, ["short.toml:", "key 'company.flows'", "FY2034 is not in the company's projections"]
        )
    gap = (ROOT / SPINOUT).read_text("utf-8").replace('2031 = { operating = "1.5億" }\n', "")
    Path("gap.toml").write_text(gap, "utf-8")
    cli("plan", "gap.toml", "--lang", "ja").expect(2, ["gap.toml:", "2031年度（令和13年度）の収支見込みがありません"])


# ---------------------------------------------------------------------------
# --company FILE
# ---------------------------------------------------------------------------

#: The projections of the spin-out, as a Japanese office's Excel saves them.
OFFICE_ROWS = [
    ["株式会社サンプルセンサー　収支計画（単位：円）"],
    ["年度", "営業CF", "投資CF", "財務CF", "備考"],
    ["2027年度", "△240,000,000", "", "", "開発"],
    ["令和10年度", "-1.8億", "", "5億", "シリーズB"],
    ["R11年度", "(120,000,000)", "▲50,000,000", "", ""],
    ["FY2030", "\\80,000,000", "", "", ""],
    ["2031", "150,000,000円", "", "", ""],
    ["2032年度", "2億", "", "", ""],
    ["2033年度", "250000000", "", "", ""],
    ["2034年度", "3億", "", "", ""],
    ["合計", "440,000,000", "-50,000,000", "500,000,000", ""],
]


def office_csv(rows: list[list[str]], encoding: str = "cp932") -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode(encoding)


def test_a_cp932_file_round_trip(cli: Cli, here: Path) -> None:
    """Projections written as cp932 CSV in every form of the issue read back as the plan's own."""
    Path("c.csv").write_bytes(office_csv(OFFICE_ROWS))
    written = run_json(cli, SPINOUT)["company"]
    result = cli("plan", FROM_FILE, "--company", "c.csv", "--format", "json", "--lang", "en").expect(0)
    filed = json.loads(result.stdout)
    assert filed["company"]["months"] == written["months"]
    notes = "\n".join(filed["assumptions"])
    assert "The projections file was read as cp932 (Shift_JIS)" in notes
    assert "Columns other than the fiscal year and the cash flows are ignored: 備考" in notes
    assert "Line 1 above the header is taken as a title and skipped" in notes
    assert "The totals row (合計, line 11) matches the sum of the rows above it" in notes
    # and the company's table, as CSV for Japanese Excel, reads back the same figures
    out = cli("plan", FROM_FILE, "--company", "c.csv", "--format", "csv", "--bom").expect(0).stdout
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    assert [int(r["operating"]) for r in rows[:-1]] == [y["operating"] for y in written["fiscal_years"]]
    assert [int(r["cash_end"]) for r in rows[:-1]] == [y["cash_end"] for y in written["fiscal_years"]]


def test_an_xlsx_projections_file(cli: Cli, here: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    for row in OFFICE_ROWS:
        sheet.append([float(c) if c.isdigit() else c for c in row])
    book.save("c.xlsx")
    written = run_json(cli, SPINOUT)["company"]
    assert run_json(cli, FROM_FILE, "--company", "c.xlsx")["company"]["months"] == written["months"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ((10, 1, "440,000,001"), "c.csv line 11: the totals row (合計) says 440,000,001 for operating"),
        ((5, 0, "令和11年度"), "c.csv line 6: FY2029 is given twice (line 5 too)"),
        ((6, 0, "2036年度"), "c.csv line 8: FY2031 is missing between FY2030 (line 6) and FY2032"),
        ((3, 1, "-1.8億円也"), "c.csv line 4: '-1.8億円也' is not an amount of yen"),
        ((1, 1, "売上高"), "c.csv line 2: the header needs exactly one fiscal year column"),
    ],
)
def test_an_unusable_projections_file_names_the_file_and_line(
    cli: Cli, here: Path, change: tuple[int, int, str], message: str
) -> None:
    rows = [list(r) for r in OFFICE_ROWS]
    row, col, value = change
    rows[row][col] = value
    Path("c.csv").write_bytes(office_csv(rows))
    cli("plan", FROM_FILE, "--company", "c.csv", "--lang", "en").expect(2, f"--company {message}")


def test_the_file_and_the_plans_projections_are_not_both_given(cli: Cli, here: Path) -> None:
    cli("plan", SPINOUT, "--company", PROJECTIONS).expect(
        2, "key 'company.flows': the projections are given both here and in examples/company-projections.csv"
    )
    cli("plan", "examples/jisso-valid.toml", "--company", PROJECTIONS).expect(2, "add [company]")
    cli("plan", FROM_FILE).expect(2, "the company's projections are not given")
    cli("plan", FROM_FILE, "--company", "nosuch.csv").expect(2, "--company nosuch.csv")


def test_check_reads_a_company_whose_projections_are_in_a_file_and_says_so(cli: Cli, here: Path) -> None:
    result = cli("check", FROM_FILE, "--format", "json").expect(0)
    notes = json.loads(result.stdout)["assumptions"]
    assert any("company.cash and company.coverage are not checked here" in n for n in notes)


# ---------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------


def test_the_tables_and_runway_lines(cli: Cli, here: Path) -> None:
    out = cli("plan", SPINOUT, "--lang", "en").expect(0).stdout
    assert "株式会社サンプルセンサー: cash per fiscal year (yen)" in out
    assert "株式会社サンプルセンサー: repayments, coverage and what is owed at each fiscal year end (yen)" in out
    assert "Cash lasts" in out and "to 2027-12 without A-STEP, beyond the projections (to 2035-03) with it" in out
    assert "at least 87 months" in out
    assert "cash at each month end" not in out  # --by month only


def test_japanese_as_a_keiri_writes_it(cli: Cli, here: Path) -> None:
    out = cli("plan", SPINOUT, "--lang", "ja").expect(0).stdout
    for word in ("現預金", "営業キャッシュフロー", "返済カバー率", "1年内返済予定額", "資金が続く月"):
        assert word in out, word
    assert "A-STEPなしでは2027年12月まで、A-STEPありでは見込み期間の最後（2035年3月）まで続く" in out
    assert "87か月以上" in out


def test_by_month_shows_the_month_end_series(cli: Cli, here: Path) -> None:
    out = cli("plan", SPINOUT, "--by", "month", "--lang", "en").expect(0).stdout
    assert "株式会社サンプルセンサー: cash at each month end (yen)" in out
    assert "2027-04   -20,000,000    -5,000,000     185,000,000     190,000,000" in out
    rows = list(csv.DictReader(io.StringIO(cli("plan", SPINOUT, "--by", "month", "--format", "csv").stdout)))
    assert len(rows) == 96 + 1 and rows[0] == {
        "month": "2027-04",
        "projected": "-20000000",
        "astep": "-5000000",
        "cash": "185000000",
        "cash_without": "190000000",
    }
    cli("plan", "examples/jisso-valid.toml", "--by", "month").expect(2, "--by month shows the company's month-end cash")


def test_the_chart_draws_both_cash_series(cli: Cli, here: Path) -> None:
    out = cli("plan", SPINOUT, "--chart", "--lang", "en").expect(0).stdout
    chart = out.split("cash at each month end, with and without A-STEP (yen)")[1]
    first = next(line for line in chart.splitlines() if line.startswith("2027-04"))
    assert first.count("│") == 2 and "185,000,000" in first and "190,000,000" in first
    # March 2028: cash without A-STEP is negative, drawn left of the axis
    assert "█│" in next(line for line in chart.splitlines() if line.startswith("2028-03"))


def test_csv_is_the_companys_table_of_every_figure(cli: Cli, here: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(cli("plan", SPINOUT, "--format", "csv").expect(0).stdout)))
    years = run_json(cli, SPINOUT)["company"]["fiscal_years"]
    assert [r["fiscal_year"] for r in rows] == [str(y["fiscal_year"]) for y in years] + ["Total"]
    for row, year in zip(rows, years, strict=False):
        for key in ("operating", "astep", "cash_end", "cash_end_without", "repaid", "outstanding", "due_within_year"):
            assert int(row[key]) == year[key], key
        assert row["coverage"] == (year["coverage"] or "")
    assert (rows[0]["outstanding_sab"], rows[0]["outstanding_c"]) == ("100000000", "10000000")


def test_the_workbook_carries_the_same_figures_and_a_chart_of_both_series(cli: Cli, here: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    cli("plan", SPINOUT, "--output", "board.xlsx", "--lang", "en").expect(0)
    book = openpyxl.load_workbook("board.xlsx")
    sheets = {ws["A1"].value: ws for ws in book.worksheets}
    cash = sheets["株式会社サンプルセンサー: cash per fiscal year (yen)"]
    years = run_json(cli, SPINOUT)["company"]["fiscal_years"]
    header = [c.value for c in cash[2]]
    col = header.index("FY-end cash, with A-STEP")
    assert [cash.cell(3 + i, col + 1).value for i in range(len(years))] == [y["cash_end"] for y in years]
    with zipfile.ZipFile("board.xlsx") as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    lines = [c for c in charts if "<c:lineChart>" in c]
    assert len(lines) == 1 and lines[0].count("<c:ser>") == 2
