"""The board workbook (SPEC §10, issue 25): ``astep plan PLAN -o board.xlsx`` and ``scenarios -o``.

Each workbook is read back twice with openpyxl: once for its formulas, once for the values
a viewer that never recalculates shows (``data_only=True``). Every formula is checked against
the cells it names (a sum is the sum of its cells, a running sum the previous cell plus this
row's), and its cached value against the JSON report of the same run."""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils.cell import coordinate_from_string, range_boundaries

Cli = Callable[..., Any]
ROOT = Path(__file__).resolve().parents[1]
COMPANY = str(ROOT / "examples" / "company-spinout.toml")
SPINOUT = str(ROOT / "examples" / "roadmap-spinout.toml")
SCENARIOS = (
    "scenarios",
    "--amount",
    "3億",
    "--start",
    "2026-10-01",
    "--end",
    "2029-09-30",
    "--discount-rate",
    "8%,10%",
)


def board(cli: Cli, tmp_path: Path, *args: str, name: str = "board.xlsx") -> tuple[Any, Any, dict[str, Any], Path]:
    """The workbook's formulas, its cached values, and the JSON report of the same run."""
    target = tmp_path / name
    cli(*args, "-o", str(target)).expect(0)
    data = cli(*args, "--format", "json").expect(0).json()
    return openpyxl.load_workbook(target), openpyxl.load_workbook(target, data_only=True), data, target


def formulas(ws: Any) -> dict[str, str]:
    return {
        c.coordinate: c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value[:1] == "="
    }


def cells_of(ranges: str) -> list[str]:
    """The cells a SUM's argument names: ``D3:D4,D7`` → D3, D4, D7."""
    out = []
    for part in ranges.split(","):
        min_col, min_row, max_col, max_row = range_boundaries(part)
        assert min_col == max_col  # a column's cells
        letter = re.match(r"[A-Z]+", part)
        assert letter is not None
        out += [f"{letter.group()}{r}" for r in range(min_row, max_row + 1)]
    return out


def check_formulas(book: Any, values: Any) -> int:
    """Every formula of every sheet agrees with the cells it names, in the cached values; returns
    how many there are."""
    n = 0
    for ws in book:
        cached = values[ws.title]
        for where, formula in formulas(ws).items():
            n += 1
            got = cached[where].value
            assert isinstance(got, int | float), (ws.title, where, formula, got)
            total = re.fullmatch(r"=SUM\(([A-Z0-9:,]+)\)", formula)
            if total:
                assert got == sum(cached[c].value or 0 for c in cells_of(total.group(1))), (ws.title, where)
                continue
            running = re.fullmatch(r"=([A-Z]+[0-9]+)(?:\+([A-Z]+[0-9]+))?", formula)
            assert running, (ws.title, where, formula)
            before, this = running.groups()
            assert got == cached[before].value + (cached[this].value if this else 0), (ws.title, where)
            # a running sum: the cell above (or the last row counted), plus this row's
            assert coordinate_from_string(this or before)[1] == coordinate_from_string(where)[1]
    return n


def table_rows(ws: Any) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in ws.iter_rows(min_row=3, values_only=True)]


def total_row(ws: Any, label: str) -> tuple[Any, ...]:
    return next(r for r in table_rows(ws) if r[0] == label)


# --------------------------------------------------------------------------- done when


def test_the_company_board_in_japanese(cli: Cli, tmp_path: Path) -> None:
    book, values, data, _ = board(cli, tmp_path, "plan", COMPANY, "--lang", "ja")
    assert book.sheetnames == [
        "入力条件",
        "フェーズ1 前払い",
        "資金の流れ",
        "経済的価値",
        "累計の推移",
        "資金繰り",
        "返済能力",
        "現預金の推移",
        "返済計画（S・A・B）",
        "返済計画（C）",
        "感応度",
        "資本調達との比較",
        "注記",
    ]
    assert check_formulas(book, values) > 20
    # At least one =SUM in every table with a totals row, its cached value the JSON's total.
    for name in (
        "フェーズ1 前払い",
        "資金の流れ",
        "経済的価値",
        "資金繰り",
        "返済能力",
        "返済計画（S・A・B）",
        "返済計画（C）",
    ):
        assert any(f.startswith("=SUM(") for f in formulas(book[name]).values()), name
    flow = values["資金の流れ"]
    header = [c.value for c in flow[2]]
    totals = total_row(flow, "合計")
    for key, label in (("jst_in", "JSTからの資金"), ("repaid", "返済額"), ("net", "純額")):
        assert totals[header.index(label)] == data["totals"][key]
    assert total_row(values["フェーズ1 前払い"], "合計")[3] == sum(a["amount"] for a in data["phases"][0]["advances"])
    assert total_row(values["返済計画（S・A・B）"], "合計")[2] == data["phases"][0]["repayment"]["total"]
    assert total_row(values["返済計画（C）"], "合計")[2] == 30_000_000  # 10% of 3億
    loans = data["loans"][0]
    value_row = table_rows(values["経済的価値"])[0]
    assert value_row[3:6] == (loans["advances_present_value"], loans["repayments_present_value"], loans["loan_value"])
    # The cumulative column runs: each cell the one above plus this year's net.
    assert formulas(book["資金の流れ"])["J4"] == "=J3+I4"
    assert [r[9] for r in table_rows(flow)[:-1]] == [y["cumulative"] for y in data["fiscal_years"]]


def test_every_sheet_prints_a4_landscape_one_page_wide_with_its_headers(cli: Cli, tmp_path: Path) -> None:
    book, _, _, _ = board(cli, tmp_path, "plan", COMPANY, "--lang", "ja")
    for ws in book:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.page_setup.paperSize == 9, ws.title  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight) in ((None, 0), (1, 0)), ws.title
        assert ws.print_title_rows == ("$1:$1" if ws.title == "注記" else "$1:$2"), ws.title


def test_the_same_inputs_give_the_same_bytes(cli: Cli, tmp_path: Path) -> None:
    for args in (("plan", COMPANY, "--lang", "ja"), (*SCENARIOS, "--lang", "en")):
        first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
        cli(*args, "-o", str(first), "--force").expect(0)
        cli(*args, "-o", str(second), "--force").expect(0)
        assert first.read_bytes() == second.read_bytes()


# --------------------------------------------------------------------------- what the sheets hold


def test_the_inputs_sheet_holds_every_plan_value_and_every_assumption(cli: Cli, tmp_path: Path) -> None:
    book, values, data, _ = board(cli, tmp_path, "plan", COMPANY, "--lang", "en")
    rows = table_rows(values["Inputs"])
    by_key = {r[1]: r[2] for r in rows if r[1]}
    assert by_key["amount"] == 300_000_000 and by_key["collateral"] == 30_000_000
    assert by_key["start"] == datetime(2027, 4, 1) and by_key["end"] == datetime(2030, 3, 31)
    assert by_key["discount_rate"] == 0.08 and values["Inputs"]["C3"].number_format  # a number, as a percentage
    assert by_key["repayment.grade"] == "A" and by_key["repayment.deferral"] == "12 months (1 year)"
    assert by_key["company.cash"] == 210_000_000 and by_key["company.flows.2028.financing"] == 500_000_000
    assert by_key["company.equity.pre_money"] == 2_000_000_000
    assert by_key["company.equity.exit_date"] == datetime(2033, 3, 31)
    # The default in force where the plan gives none: the term of 5 years, the release date.
    assert by_key["repayment.term"] == "60 months (5 years)"
    assert by_key["collateral_release"] == datetime(2035, 3, 31)
    texts = [r[2] for r in rows if r[0] == "•"]
    # Every assumption of the report, and the grid's, which a workbook draws at the plan's rate.
    assert [t for t in texts if not t.startswith("Sensitivity:")] == data["assumptions"]
    assert len(texts) == len(data["assumptions"]) + 1
    # The notes sheet keeps the summary, the rule checks and the sources, not the assumptions twice.
    notes = [r[1] for r in values["Notes"].iter_rows(values_only=True)]
    assert not set(data["assumptions"]) & set(notes)
    rate = next(c for c in book["Inputs"]["B"] if c.value == "discount_rate")
    assert book["Inputs"].cell(rate.row, 3).number_format == "0%"


def test_rates_and_stakes_are_numbers_formatted_as_percentages(cli: Cli, tmp_path: Path) -> None:
    book, values, data, _ = board(cli, tmp_path, "plan", COMPANY, "--lang", "en")
    ws = book["Equity or A-STEP"]
    assert [c.value for c in ws[2]][:3] == ["Grade or case", "Amount raised", "Stake sold"]
    assert values["Equity or A-STEP"]["C3"].value == pytest.approx(0.1304) and ws["C3"].number_format == "0.00%"
    assert data["equity"]["stake_percent"] == "13.04"
    grid = book["Sensitivity"]
    assert grid["A3"].value == 0.08 and grid["A3"].number_format == "0%"
    assert [r[3] for r in table_rows(values["Sensitivity"])] == [c["astep_cost"] for c in data["equity"]["cases"]]
    value = book["Economic value"]
    assert isinstance(value["F3"].value, int) and value["F3"].number_format == "#,##0"  # not text


def test_coverage_is_a_number_with_its_decimals_not_text(cli: Cli, tmp_path: Path) -> None:
    book, _, data, _ = board(cli, tmp_path, "plan", COMPANY, "--lang", "en")
    ws = book["Repayment capacity"]
    header = [c.value for c in ws[2]]
    col = header.index("Repayment coverage") + 1
    shown = [
        (r[col - 1].value, r[col - 1].number_format) for r in ws.iter_rows(min_row=3) if r[col - 1].value is not None
    ]
    # FY2031: operating 150,000,000 ÷ repaid 75,000,000 = 2.00; FY2032: 200 ÷ 75 = 2.666… → 2.66 (down)
    assert shown[:2] == [(2, "0.00"), (2.66, "0.00")]
    assert [str(v) for v, _ in shown] == ["2", "2.66", "3.33", "4"]
    assert [y["coverage"] for y in data["company"]["fiscal_years"] if y["coverage"]] == ["2.00", "2.66", "3.33", "4.00"]
    # The plan's required coverage on the inputs sheet: company.coverage = 1.2, a number.
    inputs = book["Inputs"]
    row = next(c.row for c in inputs["B"] if c.value == "company.coverage")
    assert (inputs.cell(row, 3).value, inputs.cell(row, 3).number_format) == (1.2, "0.0")


def test_a_list_of_rates_fills_the_grid_in_the_workbook(cli: Cli, tmp_path: Path) -> None:
    _, values, data, _ = board(cli, tmp_path, "plan", COMPANY, "--discount-rate", "8%,10%,12%", "--lang", "en")
    rows = table_rows(values["Sensitivity"])
    assert [(r[0], r[2], r[3]) for r in rows] == [
        (pytest.approx(float(g["rate"].rstrip("%")) / 100), g["loan_value"], g["astep_cost"])
        for g in data["sensitivity"]
    ]
    keys = {r[1]: r[2] for r in table_rows(values["Inputs"]) if r[1]}
    assert keys["option --discount-rate"] == "8%, 10%, 12%" and "discount_rate" not in keys


def test_a_roadmap_board_sums_each_fiscal_year_once(cli: Cli, tmp_path: Path) -> None:
    # FY2028 is shared by Stage I and Stage II: its two parts are shown, then their sum; the
    # totals add the sums, and the running sum skips the parts.
    book, values, data, _ = board(cli, tmp_path, "plan", SPINOUT, "--lang", "en")
    check_formulas(book, values)
    flow = formulas(book["Cash flow"])
    assert flow["D25"] == "=SUM(D3:D4,D7:D24)"
    assert flow["J7"] == "=J4+I7"
    assert total_row(values["Cash flow"], "Total")[3] == data["totals"]["jst_in"] == 437_500_000
    assert book.sheetnames[:4] == ["Inputs", "Phase 1 caps", "Phase 2 caps", "Phase 3 advances"]
    assert "Phase 3 repayment" not in book.sheetnames  # one sheet per grade case instead
    assert {"Repayment S-A-B", "Repayment C"} <= set(book.sheetnames)


def test_the_scenarios_board(cli: Cli, tmp_path: Path) -> None:
    book, values, data, _ = board(cli, tmp_path, *SCENARIOS, "--lang", "ja")
    assert book.sheetnames == [
        "入力条件",
        "返済の比較",
        "返済計画（S・A・B）",
        "返済計画（C）",
        "返済計画（開発中止）",
        "感応度",
        "注記",
    ]
    check_formulas(book, values)
    by_case = {s["scenario"]: s for s in data["scenarios"]}
    for sheet, case in (
        ("返済計画（S・A・B）", "S/A/B"),
        ("返済計画（C）", "C"),
        ("返済計画（開発中止）", "discontinued"),
    ):
        assert total_row(values[sheet], "合計")[2] == by_case[case]["total"]
        assert [r[3] for r in table_rows(values[sheet])[:-1]] == [p["cumulative"] for p in by_case[case]["payments"]]
    grid = table_rows(values["感応度"])
    assert [(r[2], r[3]) for r in grid] == [(g["loan_value"], g["astep_cost"]) for g in data["sensitivity"]]
    keys = {r[1]: r[2] for r in table_rows(values["入力条件"]) if r[1]}
    assert keys["オプション --amount"] == 300_000_000 and keys["オプション --discount-rate"] == "8％、10％"


def test_tables_and_json_carry_no_board_sheet(cli: Cli) -> None:
    # The inputs sheet and the schedules per grade case are the workbook's; the table stays as it was.
    out = cli("plan", COMPANY, "--lang", "ja").expect(0).stdout
    assert "入力条件" not in out and "返済計画（C）" not in out
    data = cli("plan", COMPANY, "--format", "json").expect(0).json()
    assert "sensitivity" not in data  # one rate: no grid outside a workbook
    assert json.dumps(data)  # plain JSON


@pytest.mark.parametrize(("lang", "sheet"), [("en", "Inputs"), ("ja", "入力条件")])
def test_an_input_is_described_in_words_not_with_a_rule_id_pasted_on(
    cli: Cli, tmp_path: Path, lang: str, sheet: str
) -> None:
    # The rule a key feeds is named in the sentence ("the rule company.cash checks it"), not
    # stuck on its end in brackets as if it were part of the wording.
    _, values, _, _ = board(cli, tmp_path, "plan", COMPANY, "--lang", lang)
    described = {r[1]: r[0] for r in table_rows(values[sheet]) if r[1]}
    for key, rule in (("company.min_cash", "company.cash"), ("company.coverage", "company.coverage")):
        text = described[key]
        assert rule in text, (key, text)
        assert not re.search(r"[(（][a-z_.]+[)）]$", text), (key, text)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_the_chart_sheets_hold_numbers_and_a_native_chart_not_text_bars(cli: Cli, tmp_path: Path, lang: str) -> None:
    book, _, _, target = board(cli, tmp_path, "plan", COMPANY, "--lang", lang)
    for ws in book:
        bars = [c.coordinate for row in ws.iter_rows() for c in row if isinstance(c.value, str) and "█" in c.value]
        assert not bars, (ws.title, bars)
    cumulative, cash = ("Cumulative position", "Cash chart") if lang == "en" else ("累計の推移", "現預金の推移")
    headers = {name: [c.value for c in book[name][2]] for name in (cumulative, cash)}
    if lang == "en":
        assert headers[cumulative] == ["Fiscal year", "Cumulative"]
        assert headers[cash] == ["Month", "Month-end cash, with A-STEP", "Month-end cash, without A-STEP"]
    # Each chart draws the columns that hold its figures, against the first column.
    with zipfile.ZipFile(target) as z:
        charts = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart"))
    drawn = set(re.findall(r"<c:f>'?([^'<!]+)'?!\$([A-Z]+)\$3:", charts))
    assert drawn == {(cumulative, "A"), (cumulative, "B"), (cash, "A"), (cash, "B"), (cash, "C")}
    # A terminal and Markdown, which have no chart of their own, keep the bars.
    for fmt in ("table", "markdown"):
        assert "█" in cli("plan", COMPANY, "--chart", "--format", fmt, "--lang", lang).expect(0).stdout, fmt


def test_the_months_of_the_company_cash_are_dates_a_spreadsheet_can_sort(cli: Cli, tmp_path: Path) -> None:
    book, values, data, _ = board(cli, tmp_path, "plan", COMPANY, "--by", "month", "--lang", "en")
    months = [m["month"] for m in data["company"]["months"]]
    assert months[:2] == ["2027-04", "2027-05"]
    for name in ("Month-end cash", "Cash chart"):
        ws = book[name]
        assert ws["A2"].value == "Month"
        cells = [ws.cell(3 + i, 1) for i in range(len(months))]
        # Each month a date, its last day (the cash is counted at the month's end), shown 2027-04.
        assert [c.value.date() for c in cells[:2]] == [date(2027, 4, 30), date(2027, 5, 31)]
        assert [f"{c.value:%Y-%m}" for c in cells] == months
        assert {c.number_format for c in cells} == {"yyyy-mm"}, name
    chart = table_rows(values["Cash chart"])
    assert [(r[1], r[2]) for r in chart] == [(m["cash"], m["cash_without"]) for m in data["company"]["months"]]


def test_in_the_era_a_month_is_shown_as_its_era_writes_it(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "board.xlsx"
    cli("plan", COMPANY, "--lang", "ja", "--date-style", "wareki", "-o", str(target)).expect(0)
    first = openpyxl.load_workbook(target)["現預金の推移"]["A3"]
    assert first.value == datetime(2027, 4, 30)
    # 令和9年4月: the era's year and the month, with a section for the era's first year (元年).
    assert first.number_format.split(";")[-1] == '[$-411]ggge"年"m"月"'
    assert '"令和元年"m"月"' in first.number_format
    # The table says the same month in words.
    table = cli("plan", COMPANY, "--by", "month", "--lang", "ja", "--date-style", "wareki").expect(0).stdout
    assert "令和9年4月 " in table and "2027-04" not in table
