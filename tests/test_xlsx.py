"""``--format xlsx``: every cell read back with openpyxl equals the JSON; the same inputs give the same bytes."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
from typer.testing import Result

from astep_calc.cli.labels import Labels
from astep_calc.cli.views import SCHEDULE_COLUMNS

Cli = Callable[..., Result]

REPAY = ("repay", "--amount", "3億", "--dev-end", "2029-09-30")
BUDGET = ("budget", "--menu", "stage1", "--start", "2026-10-01", "--months", "30")
DISBURSE = ("disburse", "--amount", "3億", "--start", "2026-10-01", "--months", "36")
SCENARIOS = ("scenarios", "--amount", "123,456,789", "--dev-end", "2028-03-31", "--discount-rate", "3%")
COLLATERAL = ("collateral", "--amount", "123,456,789")
CHECK = ("check", "examples/stage1-invalid.toml", "examples/jisso-valid.toml")


def workbook(cli: Cli, tmp_path: Path, *args: str, name: str = "out.xlsx") -> tuple[openpyxl.Workbook, dict[str, Any]]:
    """Write the workbook and the JSON of the same command; return both: the workbook's values
    as a viewer that never recalculates shows them (a formula's cached value)."""
    target = tmp_path / name
    result = cli(*args, "--format", "xlsx", "--output", str(target))
    assert result.exit_code in (0, 1), result.stderr
    assert result.stdout == ""
    as_json = cli(*args, "--format", "json")
    assert as_json.exit_code == result.exit_code
    return openpyxl.load_workbook(target, data_only=True), json.loads(as_json.stdout)


def table(ws: Any) -> tuple[str, list[str], list[list[Any]]]:
    """A data sheet's title, header labels and body rows (values as openpyxl reads them)."""
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    return rows[0][0], list(rows[1]), rows[2:]


def as_json_value(value: Any) -> Any:
    """A cell value in JSON's terms: dates as ISO strings, whole floats as ints."""
    if isinstance(value, datetime):
        assert value.time() == datetime.min.time()
        return value.date().isoformat()
    return value


def assert_rows_match(ws: Any, expected: list[dict[str, Any]], keys: list[str]) -> None:
    """Every body cell of the sheet equals the JSON value under its column's key."""
    _, _, body = table(ws)
    assert len(body) >= len(expected)
    for cells, obj in zip(body, expected, strict=False):
        assert [as_json_value(v) for v in cells[: len(keys)]] == [obj[k] for k in keys]


def formats(ws: Any, row: int) -> list[str]:
    return [c.number_format for c in ws[row]]


# --------------------------------------------------------------------------- round trips


def test_repay_round_trip_amounts_are_numbers_and_due_dates_are_dates(cli: Cli, tmp_path: Path) -> None:
    book, data = workbook(cli, tmp_path, *REPAY, "--lang", "ja")
    ws = book[book.sheetnames[0]]
    title, header, body = table(ws)
    assert "返済計画" in title and "（単位：円）" in title
    assert (
        header
        == [c.label.ja for c in SCHEDULE_COLUMNS]
        == ["回", "期日", "各回返済額", Labels.cumulative.ja, "未返済残高"]
    )
    keys = ["no", "due", "amount", "cumulative", "balance"]
    assert_rows_match(ws, data["payments"], keys)
    # 3億 over 10 yearly payments: 30,000,000 each, due every 30 September from 2030.
    first = ws[3]
    assert isinstance(first[2].value, int) and first[2].value == 30_000_000
    assert first[1].is_date and first[1].value == datetime(2030, 9, 30)
    assert formats(ws, 3) == ["0", "yyyy-mm-dd", "#,##0", "#,##0", "#,##0"]
    # The totals row: the label, then the total under the payment column.
    totals = body[len(data["payments"])]
    assert totals[0] == "合計" and totals[2] == data["total"] == 300_000_000
    assert len(body) == len(data["payments"]) + 1
    # Title and header rows stay in view.
    assert ws.freeze_panes == "A3"


def test_a_due_date_on_a_closed_day_stays_a_date_and_is_marked(cli: Cli, tmp_path: Path) -> None:
    # 1億 as one lump sum due 12 months after 2033-09-30: 2034-09-30, a Saturday. The table
    # marks it "(Sat, closed)"; the workbook keeps a date and marks it by its number format.
    args = ("repay", "--amount", "1億", "--dev-end", "2033-09-30", "--lump")
    for lang, mark in (("en", '" (closed)"'), ("ja", '"（休）"')):
        book, data = workbook(cli, tmp_path, *args, "--lang", lang, name=f"{lang}.xlsx")
        ws = book[book.sheetnames[0]]
        assert data["payments"][0]["due"] == "2034-09-30"
        assert ws["B3"].is_date and ws["B3"].value == datetime(2034, 9, 30)
        assert ws["B3"].number_format == "yyyy-mm-dd" + mark
        # The column is as wide as what is shown, or Excel shows ########: "2034-09-30 (closed)"
        # is 19 characters; "2034-09-30（休）" is 16 columns (the full-width marks count 2).
        assert ws.column_dimensions["B"].width >= {"en": 19, "ja": 16}[lang]
    # A business day keeps the plain format (2030-09-30 is a Monday).
    book, _ = workbook(cli, tmp_path, *REPAY, "--lang", "en", name="open.xlsx")
    assert book[book.sheetnames[0]]["B3"].number_format == "yyyy-mm-dd"


def test_budget_round_trip(cli: Cli, tmp_path: Path) -> None:
    book, data = workbook(cli, tmp_path, *BUDGET, "--lang", "en")
    ws = book["budget"]
    _, header, body = table(ws)
    assert header == [
        "Fiscal year",
        "From",
        "To",
        "Months (calendar)",
        "Cap (incl. indirect)",
        "Direct part",
        "Indirect part",
    ]
    keys = ["fiscal_year", "start", "end", "months", "cap", "direct_max", "indirect_max"]
    assert_rows_match(ws, data["fiscal_years"], keys)
    assert ws["A3"].number_format == '"FY"0'  # 2026 shows as FY2026 and stays the number 2026
    # The totals row gives the period's length (30 months), not a sum of calendar months.
    assert body[-1] == [
        "Total",
        None,
        None,
        "30 months",
        data["total_cap"],
        data["total_direct_max"],
        data["total_indirect_max"],
    ]


def test_budget_fiscal_years_in_japanese(cli: Cli, tmp_path: Path) -> None:
    book, _ = workbook(cli, tmp_path, *BUDGET, "--lang", "ja")
    ws = book["予算上限"]
    assert ws["A3"].value == 2026 and ws["A3"].number_format == '0"年度"'
    assert table(ws)[1][0] == "年度"
    assert book.sheetnames == ["予算上限", "注記"]


def test_a_plans_quarters_are_numbers_read_as_quarters(cli: Cli, tmp_path: Path) -> None:
    # The quarter stays the number JSON and CSV carry; its number format reads 第2四半期 / Q2.
    root = Path(__file__).resolve().parent.parent
    plan = str(root / "examples" / "roadmap-spinout.toml")
    for lang, shown in (("ja", '"第"0"四半期"'), ("en", '"Q"0')):
        book, data = workbook(cli, tmp_path, "plan", plan, "--by", "quarter", "--lang", lang, name=f"{lang}.xlsx")
        phase = "フェーズ" if lang == "ja" else "Phase"
        ws = next(book[n] for n in book.sheetnames[:-1] if phase in table(book[n])[1][:3])  # the cash flow
        _, header, body = table(ws)
        col = header.index("四半期" if lang == "ja" else "Quarter")
        assert body[0][col] == data["quarters"][0]["quarter"] == 2
        assert ws.cell(row=3, column=col + 1).number_format == shown


def test_disburse_round_trip(cli: Cli, tmp_path: Path) -> None:
    book, data = workbook(cli, tmp_path, *DISBURSE, "--lang", "en")
    ws = book["disburse"]
    _, header, body = table(ws)
    assert header[1:4] == ["Advance date", "Months", "Advance (estimate)"]
    for cells, advance in zip(body, data["advances"], strict=False):
        assert [as_json_value(v) for v in cells[1:4]] == [advance["date"], advance["months"], advance["amount"]]
    assert body[-1][3] == data["total"] == 300_000_000


def test_scenarios_round_trip(cli: Cli, tmp_path: Path) -> None:
    book, data = workbook(cli, tmp_path, *SCENARIOS, "--lang", "en")
    ws = book["scenarios"]
    keys = ["name", "owed", "forgiven", "payment_count", "first_due", "last_due", "total", "present_value"]
    keys.append("interest_benefit")
    assert_rows_match(ws, data["scenarios"], keys)


def test_collateral_round_trip(cli: Cli, tmp_path: Path) -> None:
    book, data = workbook(cli, tmp_path, *COLLATERAL, "--lang", "en")
    _, _, body = table(book["collateral"])
    # 10% of 123,456,789 rounded up: 12,345,679.
    assert [row[1] for row in body] == [data["amount"], data["collateral"]] == [123_456_789, 12_345_679]


def test_check_round_trip_and_notes_name_file_and_rule(cli: Cli, tmp_path: Path) -> None:
    book, data = workbook(cli, tmp_path, *CHECK, "--lang", "en")
    assert book.sheetnames == ["check 1", "check 2", "check 3", "Notes"]
    _, header, body = table(book["check 3"])
    assert header == ["File", "Menu", "Result", "Violations"]
    assert [row[0] for row in body[:-1]] == [f["path"] for f in data["files"]]
    assert [row[3] for row in body[:-1]] == [len(f["violations"]) for f in data["files"]]
    # Every violation is on the notes sheet with its rule id and its file.
    notes = [row for row in book["Notes"].iter_rows(values_only=True)]
    for v in data["violations"]:
        assert any(row[0] == v["rule"] and v["path"] in row[1] and v["message"] in row[1] for row in notes), v


def test_notes_sheet_holds_summary_assumptions_and_sources(cli: Cli, tmp_path: Path) -> None:
    book, data = workbook(cli, tmp_path, *REPAY, "--lang", "en", "--discount-rate", "3%")
    texts = [row[1] for row in book["Notes"].iter_rows(values_only=True)]
    for a in data["assumptions"]:
        assert a in texts
    assert any(isinstance(t, str) and "a-step-2024" in t for t in texts)  # the rules applied
    assert datetime(2030, 9, 30) in texts  # the first due date, as a date
    assert "✓ Within the programme rules." in texts


def test_notes_sheet_amounts_are_numbers_with_the_yen_format(cli: Cli, tmp_path: Path) -> None:
    # They were text ('300,000,000円'), which a spreadsheet cannot add up.
    for lang, fmt in (("ja", '#,##0"円"'), ("en", '#,##0" yen"')):
        book, data = workbook(cli, tmp_path, *REPAY, "--lang", lang, "--discount-rate", "3%", name=f"{lang}.xlsx")
        cells = {
            row[1].value: row[1]
            for row in book[book.sheetnames[-1]].iter_rows(min_col=1, max_col=2)
            if isinstance(row[1].value, int)
        }
        for amount in (data["owed"], data["present_value"], data["grant_equivalent"]):
            assert cells[amount].number_format == fmt, (lang, amount)
    # 計画: the money JST pays in and the position at the end, numbers too.
    book, _ = workbook(cli, tmp_path, "plan", "examples/roadmap-spinout.toml", "--lang", "ja", name="plan.xlsx")
    notes = {row[0]: row[1] for row in book[book.sheetnames[-1]].iter_rows(values_only=True)}
    assert isinstance(notes[Labels.jst_in_total.ja], int) and isinstance(notes[Labels.position_end.ja], int)


def test_violations_are_on_the_notes_sheet_and_exit_1(cli: Cli, tmp_path: Path) -> None:
    book, data = workbook(
        cli, tmp_path, "budget", "--menu", "stage1", "--start", "2026-04-01", "--months", "31", "--lang", "en"
    )
    rows = [row for row in book["Notes"].iter_rows(values_only=True)]
    assert ("period.max", data["violations"][0]["message"]) in rows


def test_rules_table_as_xlsx(cli: Cli, tmp_path: Path) -> None:
    book, _ = workbook(cli, tmp_path, "rules", "--lang", "en")
    assert book.sheetnames[-1] == "Notes" and len(book.sheetnames) >= 2


# --------------------------------------------------------------------------- reproducible bytes


def test_the_same_inputs_give_identical_bytes(cli: Cli, tmp_path: Path) -> None:
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    assert cli(*REPAY, "-f", "xlsx", "-o", str(first)).exit_code == 0
    assert cli(*REPAY, "-f", "xlsx", "-o", str(second), env={"TZ": "Asia/Tokyo"}).exit_code == 0
    assert first.read_bytes() == second.read_bytes()


def test_nothing_in_the_file_depends_on_the_clock(cli: Cli, tmp_path: Path) -> None:
    # Two runs a few milliseconds apart could agree by luck; so check the two places a
    # clock could enter: every zip member's timestamp, and the document's dates.
    target = tmp_path / "r.xlsx"
    assert cli(*CHECK, "-f", "xlsx", "-o", str(target)).exit_code == 1
    with zipfile.ZipFile(io.BytesIO(target.read_bytes())) as z:
        assert {info.date_time for info in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert '<dcterms:created xsi:type="dcterms:W3CDTF">2000-01-01T00:00:00Z</dcterms:created>' in core
    assert '<dcterms:modified xsi:type="dcterms:W3CDTF">2000-01-01T00:00:00Z</dcterms:modified>' in core
    assert str(date.today().year) not in core


# --------------------------------------------------------------------------- errors and safety


def test_xlsx_needs_output(cli: Cli) -> None:
    result = cli(*REPAY, "--format", "xlsx")
    assert result.exit_code == 2 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1 and "--output" in result.stderr


def test_schema_has_no_workbook(cli: Cli, tmp_path: Path) -> None:
    result = cli("schema", "--format", "xlsx", "--output", str(tmp_path / "s.xlsx"))
    assert result.exit_code == 2 and "xlsx" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_text_cells_are_neutralised_against_formulas(cli: Cli, tmp_path: Path) -> None:
    # A plan file whose name starts with "=" must not become a formula in Excel.
    plan = tmp_path / "=HYPERLINK(1).toml"
    plan.write_text(Path("examples/stage1-valid.toml").read_text("utf-8"), encoding="utf-8")
    target = tmp_path / "c.xlsx"
    result = cli("check", str(plan), "nosuch.toml", "-f", "xlsx", "-o", str(target), "--lang", "en")
    assert result.exit_code == 2, result.stderr  # one file is unreadable: still written
    book = openpyxl.load_workbook(target, data_only=True)
    strings = [v for ws in book for row in ws.iter_rows(values_only=True) for v in row if isinstance(v, str)]
    assert not [s for s in strings if s[:1] in "=+-@"]
    with zipfile.ZipFile(target) as z:
        assert not [n for n in z.namelist() if "calcChain" in n]
        sheets = b"".join(z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/"))
    # The only formulas are the workbook's own sums of its cells, never text from the input.
    import re

    assert all(
        re.fullmatch(rb"SUM\([A-Z]+[0-9]+(:[A-Z]+[0-9]+)?(,[A-Z]+[0-9]+(:[A-Z]+[0-9]+)?)*\)", f)
        for f in re.findall(rb"<f>(.*?)</f>", sheets)
    )


def test_sheet_names_are_in_the_chosen_language(cli: Cli, tmp_path: Path) -> None:
    import re

    from astep_calc.cli.xlsx import SHEET_NAMES

    # A --lang ja workbook had 注記 beside English 'plan 1', 'repay'.
    book, _ = workbook(cli, tmp_path, *REPAY, "--lang", "ja", name="ja.xlsx")
    assert book.sheetnames == ["返済計画", "注記"]
    book, _ = workbook(cli, tmp_path, "plan", "examples/roadmap-spinout.toml", "--lang", "ja", name="plan.xlsx")
    assert book.sheetnames[:3] == ["入力条件", "フェーズ1 上限額", "フェーズ2 上限額"] and book.sheetnames[-1] == "注記"
    book, _ = workbook(cli, tmp_path, *REPAY, "--lang", "en", name="en.xlsx")
    assert book.sheetnames == ["repay", "Notes"]
    # Excel's rules for a sheet name, numbered up to a few hundred tables.
    for name in SHEET_NAMES.values():
        for text in (name.en, name.ja):
            assert len(f"{text} 999") <= 31 and not re.search(r"[\[\]:*?/\\]", text)
