"""``--format xlsx``: a report as an Excel workbook, the same bytes for the same inputs.

One sheet per table: the title in the first row, the column headers (in the ``--lang``
language) in the second, both frozen; amounts are numbers formatted ``#,##0``, dates are
dates formatted ``yyyy-mm-dd`` (a due or advance date on a closed day — weekend, national
holiday, Dec 31 – Jan 3 — stays a date, shown ``2034-09-30 (closed)`` / ``2034-09-30（休）``
by its number format, as the table marks it; with ``--date-style wareki`` the number format
shows the era, 令和8年10月1日: :func:`era_format`), a month of a month-end series is its last
day formatted ``yyyy-mm`` (令和9年4月 in the era), fiscal years are numbers shown as 2026年度 /
FY2026. A last sheet holds the summary, the rule checks (violations), the assumptions and the rules
applied. Text cells are neutralised against formula injection (:func:`~astep_calc.cli.safe.neutralise`).

A sheet is named by its table's ``sheet`` (入力条件, 資金の流れ, 返済計画（C）...), else after the
command. A table's text bars (``--chart`` in a terminal) are left out: the workbook draws
its chart natively (:func:`_chart`). Totals are ``=SUM(...)`` formulas and cumulative
columns running sums (``=previous + this row's``), each carrying its computed value, so that a viewer that never
recalculates shows the numbers and a board member who edits a row sees the totals follow; a
formula is written only where the figure is that sum (a fiscal year's parts, marked
:data:`~astep_calc.cli.views.DETAIL`, are not counted twice). Rates are numbers formatted as
percentages. Every sheet prints A4 landscape, one page wide, its title and header rows
repeated on every page. The inputs sheet (:data:`~astep_calc.cli.views.INPUTS`) lists every
assumption under the inputs; the notes sheet then leaves them out.

The workbook is written with XlsxWriter, imported here only: it writes its zip members
with a fixed 1980 timestamp and takes the document's created/modified time from the
properties, which are set to :data:`FIXED_TIMESTAMP`, so nothing in the file depends on
the clock (``tests/test_xlsx.py`` checks two runs give identical bytes).
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from astep_calc.cli.labels import Month, Percent, Wareki, Yen
from astep_calc.cli.safe import neutralise
from astep_calc.cli.units import Scaled
from astep_calc.cli.views import DETAIL, INPUTS, Column, FileStatus, Finding, Report, Table
from astep_calc.dates import ERAS, Era
from astep_calc.text import Lang, Text

#: The document's created and modified time: fixed, so that CI can diff workbooks.
FIXED_TIMESTAMP = datetime(2000, 1, 1, 0, 0, 0)
#: Excel holds numbers as doubles: whole numbers beyond 2**53 would be silently rounded,
#: so such an amount is written as text instead.
EXACT_LIMIT = 2**53
YEN_FORMAT = "#,##0"
DATE_FORMAT = "yyyy-mm-dd"
#: A month of a month-end series (:class:`~astep_calc.cli.labels.Month`): its last day, shown as its year and month.
MONTH_FORMAT = "yyyy-mm"
MAX_WIDTH = 60
#: XlsxWriter's paper size for A4.
A4 = 9
#: Characters Excel allows in a sheet's name, and those it forbids.
SHEET_NAME_MAX = 31
_FORBIDDEN = str.maketrans({c: "・" for c in "[]:*?/\\"})
NOTES = Text("Notes", "注記")
#: What a date on a closed day shows after it, by its number format.
CLOSED_MARK = Text(" (closed)", "（休）")


#: Excel's day 0, from which a date cell counts its days.
EXCEL_EPOCH = date(1899, 12, 30)
#: The era a number format section shows (Japanese locale: 令和8年10月1日).
_ERA_SECTION = '[$-411]ggge"年"m"月"d"日"'
_DAY = 'd"日"'


def era_format(day: date, mark: str = "", *, month: bool = False) -> str:
    """The number format that shows ``day`` in its era, in Excel and in LibreOffice alike.

    Both show ``ggge`` as 令和1年, not the 元年 a document writes: the format has a section
    for the first year of the era that writes 元年 itself, chosen by the date's value, so
    the cell stays right when its date is changed. The era is the latest that began in or
    before the date's year; before the first era, the Western year (``1989年1月7日``), as
    :func:`~astep_calc.dates.wareki` writes it. ``mark`` follows each section (a closed day's
    （休）). ``month``: the year and month only (令和9年4月), for a month of a series.

    >>> era_format(date(2026, 10, 1))
    '[<43586][$-411]ggge"年"m"月"d"日";[<43831][$-411]"令和元年"m"月"d"日";[$-411]ggge"年"m"月"d"日"'
    >>> era_format(date(1989, 1, 8)).split(";")[:2]
    ['[<32516][$-411]yyyy"年"m"月"d"日"', '[<32874][$-411]"平成元年"m"月"d"日"']
    >>> era_format(date(2027, 4, 30), month=True).split(";")[2]
    '[$-411]ggge"年"m"月"'
    """
    era = _era_shown(day)
    earlier = any(e.first < era.first for e in ERAS)
    before = _ERA_SECTION if earlier else '[$-411]yyyy"年"m"月"d"日"'
    first_year_end = date(era.first.year + 1, 1, 1)
    tail = f'"{mark}"' if mark else ""
    out = (
        f"[<{(era.first - EXCEL_EPOCH).days}]{before}{tail};"
        f'[<{(first_year_end - EXCEL_EPOCH).days}][$-411]"{era.name}元年"m"月"d"日"{tail};'
        f"{_ERA_SECTION}{tail}"
    )
    return out.replace(_DAY, "") if month else out


def _era_shown(day: date) -> Era:
    """The era whose format shows ``day``: the latest that began in or before its year (the
    first era for a date before every era)."""
    started = [e for e in ERAS if e.first.year <= day.year]
    return max(started, key=lambda e: e.first) if started else min(ERAS, key=lambda e: e.first)


def display_width(text: str) -> int:
    """Columns the text takes in a fixed-width font: East Asian wide characters count 2.

    >>> display_width("期日"), display_width("Due")
    (4, 3)
    """
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


#: A data sheet's name, by command, in each language (Excel: at most 31 characters, none of []:*?/\).
SHEET_NAMES = {
    "budget": Text("budget", "予算上限"),
    "collateral": Text("collateral", "担保"),
    "disburse": Text("disburse", "前払い"),
    "repay": Text("repay", "返済計画"),
    "scenarios": Text("scenarios", "返済の比較"),
    "plan": Text("plan", "計画"),
    "check": Text("check", "検査"),
    "rules": Text("rules", "ルール一覧"),
}


def sheet_names(report: Report, lang: Lang) -> list[str]:
    """Each table's sheet: its ``sheet`` name in the ``--lang`` language, else the command's,
    numbered when it has several tables (``plan 1``, ``計画 1``); a name taken already gets a
    number (``返済計画 2``). The notes sheet is :data:`NOTES`."""
    command = SHEET_NAMES.get(report.command, Text(report.command, report.command)).in_lang(lang)
    used = {NOTES.in_lang(lang)}
    out = []
    for i, t in enumerate(report.tables, start=1):
        if t.sheet is not None:
            name = t.sheet.in_lang(lang)
        else:
            name = command if len(report.tables) == 1 else f"{command} {i}"
        name = name.translate(_FORBIDDEN).strip("'")[:SHEET_NAME_MAX]
        base, n = name, 1
        while name in used:
            n += 1
            name = f"{base[: SHEET_NAME_MAX - len(str(n)) - 1]} {n}"
        used.add(name)
        out.append(name)
    return out


def to_xlsx(report: Report, lang: Lang) -> bytes:
    """The report as an .xlsx workbook's bytes."""
    import xlsxwriter  # type: ignore[import-untyped]

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_numbers": False, "strings_to_urls": False}
    )
    book.set_properties(
        {"created": FIXED_TIMESTAMP, "title": f"astep {report.command}", "comments": f"rules: {report.rules_id}"}
    )
    styles = _Styles(book, lang)
    inputs = any(t.sheet == INPUTS for t in report.tables)
    for name, spec in zip(sheet_names(report, lang), (t.shown(bars=False) for t in report.tables), strict=True):
        ws = book.add_worksheet(name)
        _table_sheet(ws, spec, lang, styles, report.assumptions if spec.sheet == INPUTS else ())
        _page(ws, 2)
        if spec.chart is not None and spec.rows:
            _chart(book, name, spec, lang)
    notes = book.add_worksheet(NOTES.in_lang(lang))
    _notes_sheet(notes, report, lang, styles, assumptions=not inputs)
    _page(notes, 1)
    book.close()
    return buffer.getvalue()


def _page(ws: Any, header_rows: int) -> None:
    """Print A4 landscape, one page wide, the title and header rows on every page."""
    ws.set_landscape()
    ws.set_paper(A4)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(0, header_rows - 1)


class _Styles:
    """The workbook's cell formats, made once (XlsxWriter keeps one format per combination)."""

    def __init__(self, book: Any, lang: Lang) -> None:
        fy = '0"年度"' if lang == "ja" else '"FY"0'
        quarter = '"第"0"四半期"' if lang == "ja" else '"Q"0'
        self.title = book.add_format({"bold": True, "font_size": 12})
        self.header = book.add_format({"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"})
        self.header_num = book.add_format(
            {"bold": True, "bottom": 1, "text_wrap": True, "valign": "top", "align": "right"}
        )
        self.body: dict[tuple[str, bool, int], Any] = {}
        self._book = book
        closed = f'{DATE_FORMAT}"{CLOSED_MARK.in_lang(lang)}"'
        # A summary amount stands alone on the notes sheet: its number format names the unit.
        unit = '"円"' if lang == "ja" else '" yen"'
        self._formats = {
            "money": YEN_FORMAT,
            "int": "0",
            "date": DATE_FORMAT,
            "month": MONTH_FORMAT,
            "date_closed": closed,
            "fiscal_year": fy,
            "quarter": quarter,
            "yen": YEN_FORMAT + unit,
        }
        self.wrap = book.add_format({"text_wrap": True, "valign": "top"})
        self.bold = book.add_format({"bold": True})

    def cell(self, kind: str, total: bool, places: int = 0) -> Any:
        """The format of a body cell; ``places`` decimals for an amount in a larger unit, or
        of a percentage."""
        key = (kind, total, places)
        if key not in self.body:
            props: dict[str, Any] = {"valign": "top"}
            if kind == "percent":
                props["num_format"] = "0" + ("." + "0" * places if places else "") + "%"
            elif kind.startswith("wareki:"):  # wareki:<the era's first day>[:closed|:month], see _kind
                _, day, *tail = kind.split(":")
                mark = CLOSED_MARK.ja if tail == ["closed"] else ""
                props["num_format"] = era_format(date.fromisoformat(day), mark, month=tail == ["month"])
            elif kind in self._formats:
                props["num_format"] = self._formats[kind] + ("." + "0" * places if places else "")
            if total:
                props.update({"bold": True, "top": 1})
            if kind == "text":
                props["text_wrap"] = True
            self.body[key] = self._book.add_format(props)
        return self.body[key]


def _kind(column_kind: str, value: Any) -> tuple[str, int]:
    """The number format a cell takes, and its decimals: dates are dates (a date_weekday cell
    on a closed day marked so), rates percentages; in a column of any values (an input's
    value) each value as what it is; a date in the era (``--date-style wareki``) in its era's
    format (``wareki:`` and the era's first day); a month of a series its year and month."""
    if isinstance(value, Month):
        return (f"wareki:{_era_shown(value.end).first.isoformat()}:month" if value.era else "month"), 0
    if isinstance(value, Wareki):
        from astep_calc.business_days import is_business_day

        closed = column_kind == "date_weekday" and not is_business_day(value.day)
        return f"wareki:{_era_shown(value.day).first.isoformat()}" + (":closed" if closed else ""), 0
    if isinstance(value, Percent):
        return "percent", value.places
    if isinstance(value, Fraction) and (column_kind == "percent" or column_kind == "text"):
        return "percent", _rate_places(value)
    if isinstance(value, Scaled):
        return column_kind, value.column_places
    if isinstance(value, Decimal) and value.is_finite() and column_kind in ("int", "text"):
        # a ratio such as a coverage (2.00 times): a number with the decimals it shows
        return "int", max(0, -int(value.as_tuple().exponent))
    if column_kind == "text" and isinstance(value, Yen):
        return "yen", 0
    if column_kind.startswith("date") or (column_kind == "text" and isinstance(value, date)):
        if column_kind == "date_weekday" and isinstance(value, date):
            from astep_calc.business_days import is_business_day

            if not is_business_day(value):
                return "date_closed", 0
        return "date", 0
    if column_kind in ("money", "int", "fiscal_year", "quarter"):
        return column_kind, 0
    return "text", 0


def _rate_places(rate: Fraction) -> int:
    """The decimals of a percentage the rate shows exactly (8% 0, 2.5% 1), at most 6.

    >>> _rate_places(Fraction(2, 25)), _rate_places(Fraction(1, 40)), _rate_places(Fraction(1, 3))
    (0, 1, 6)
    """
    from astep_calc.money import format_rate

    shown = format_rate(rate).rstrip("%")
    return len(shown.split(".")[1]) if "." in shown else 0


def _number(value: Any) -> int | float | None:
    """The number a cell of this value holds (None: it holds text, a date or nothing)."""
    if isinstance(value, Yen):
        value = value.amount
    if isinstance(value, Scaled):
        exact = value.value
        if exact.denominator == 1:
            value = int(exact)
        elif abs(exact) < EXACT_LIMIT and Fraction(repr(float(exact))) == exact:
            return float(exact)
        else:
            return None
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) < EXACT_LIMIT:
        return value
    return None


def _write(ws: Any, row: int, col: int, value: Any, kind: str, lang: Lang, fmt: Any) -> int:
    """Write one value as what it is (number, date, text); return the width it needs."""
    if value is None:
        ws.write_blank(row, col, None, fmt)
        return 0
    if isinstance(value, Yen):
        if abs(value.amount) >= EXACT_LIMIT:
            value = value.text
        else:
            ws.write_number(row, col, value.amount, fmt)
            return display_width(value.text.in_lang(lang))
    if isinstance(value, Text):
        value = value.in_lang(lang)
    if isinstance(value, Scaled):
        # An amount in thousands or ten thousands of yen: a number with the decimals it
        # needs. Excel holds a double, whose shortest decimal form is written to the file;
        # when that is not the exact amount, the cell holds the exact text instead.
        exact = value.value
        if exact.denominator == 1:
            value = int(exact)
        elif abs(exact) < EXACT_LIMIT and Fraction(repr(float(exact))) == exact:
            ws.write_number(row, col, float(exact), fmt)
            return len(str(value))
        else:
            value = str(value)
    if isinstance(value, bool):
        value = "true" if value else "false"
    if isinstance(value, Month):
        end = value.end
        ws.write_datetime(row, col, datetime(end.year, end.month, end.day), fmt)
        return display_width(value.text.in_lang(lang))
    if isinstance(value, Wareki):
        day = value.day
        ws.write_datetime(row, col, datetime(day.year, day.month, day.day), fmt)
        return display_width(value.text) + (display_width(CLOSED_MARK.ja) if kind.endswith(":closed") else 0)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        ws.write_datetime(row, col, datetime(value.year, value.month, value.day), fmt)
        # yyyy-mm-dd, and the closed-day mark its number format shows after it
        return 10 + (display_width(CLOSED_MARK.in_lang(lang)) if kind == "date_closed" else 0)
    if isinstance(value, int) and abs(value) < EXACT_LIMIT:
        ws.write_number(row, col, value, fmt)
        return len(f"{value:,}" if kind == "money" else str(value)) + {"fiscal_year": 3, "quarter": 8}.get(kind, 0)
    if isinstance(value, Percent):
        ws.write_number(row, col, float(value.shown), fmt)
        return display_width(value.text.in_lang(lang))
    if isinstance(value, Fraction) and kind == "percent":
        from astep_calc.money import format_rate

        ws.write_number(row, col, float(value), fmt)
        return len(format_rate(value))
    if isinstance(value, Fraction) and value.denominator == 1 and abs(value) < EXACT_LIMIT:
        return _write(ws, row, col, int(value), kind, lang, fmt)
    if isinstance(value, Decimal) and value.is_finite() and Decimal(repr(float(value))) == value:
        # a ratio shown to its decimals (a coverage, 2.00): the double Excel holds is exact
        ws.write_number(row, col, float(value), fmt)
        return len(str(value))
    text = str(value)
    ws.write_string(row, col, neutralise(text), fmt)
    return max((display_width(line) for line in text.split("\n")), default=0)


def _table_sheet(ws: Any, spec: Table, lang: Lang, styles: _Styles, assumptions: Sequence[Text | Any] = ()) -> None:
    """A table on its sheet: title, headers, rows, totals (sums as formulas), and, on the
    inputs sheet, the assumptions under it."""
    from xlsxwriter.utility import xl_rowcol_to_cell  # type: ignore[import-untyped]

    title = spec.title.in_lang(lang)
    ws.write_string(0, 0, neutralise(title), styles.title)
    columns = list(spec.columns)
    widths = [display_width(c.label.in_lang(lang)) for c in columns]
    for i, c in enumerate(columns):
        ws.write_string(1, i, neutralise(c.label.in_lang(lang)), styles.header_num if c.numeric else styles.header)
    first = 2
    counted = [first + n for n, r in enumerate(spec.rows) if not r.get(DETAIL)]
    where = {c.key: i for i, c in enumerate(columns)}
    for n, row in enumerate(spec.rows):
        r = first + n
        for i, c in enumerate(columns):
            value = row.get(c.key)
            kind, places = _kind(c.kind, value)
            fmt = styles.cell(kind, False, places)
            formula = _running(spec, c, n, where, counted) if c.running else None
            if formula is not None:
                ws.write_formula(r, i, formula, fmt, _number(value))
                widths[i] = max(widths[i], len(f"{value:,}") if isinstance(value, int) else len(str(value)))
            else:
                widths[i] = max(widths[i], _write(ws, r, i, value, kind, lang, fmt))
    if spec.totals is not None:
        r = first + len(spec.rows)
        for i, c in enumerate(columns):
            value = spec.totals.get(c.key)
            kind, places = _kind(c.kind, value)
            fmt = styles.cell(kind, True, places)
            if _is_sum(spec, c, value):
                ranges = ",".join(
                    xl_rowcol_to_cell(a, i) + ("" if a == b else ":" + xl_rowcol_to_cell(b, i))
                    for a, b in _runs(counted)
                )
                ws.write_formula(r, i, f"=SUM({ranges})", fmt, _number(value))
                widths[i] = max(widths[i], len(f"{_number(value):,}"))
            else:
                widths[i] = max(widths[i], _write(ws, r, i, value, kind, lang, fmt))
    if not spec.rows and spec.note is not None:
        ws.write_string(2, 0, neutralise(spec.note.in_lang(lang)))
    if assumptions:
        from astep_calc.cli.labels import Labels
        from astep_calc.cli.views import as_text

        r = first + len(spec.rows) + (1 if spec.totals is not None else 0) + 1
        ws.write_string(r, 0, neutralise(Labels.assumptions.in_lang(lang)), styles.bold)
        last = len(columns) - 1
        for item in assumptions:
            r += 1
            ws.write_string(r, last, neutralise(as_text(item).in_lang(lang)), styles.wrap)
            ws.write_string(r, 0, "•", styles.wrap)
    for i, width in enumerate(widths):
        ws.set_column(i, i, min(max(width, 6) + 2, MAX_WIDTH))
    ws.freeze_panes(2, 0)
    if spec.rows:
        ws.autofilter(1, 0, 1 + len(spec.rows), len(columns) - 1)


def _runs(rows: Sequence[int]) -> list[tuple[int, int]]:
    """Consecutive row numbers as (first, last) runs.

    >>> _runs([2, 3, 4, 7, 9, 10])
    [(2, 4), (7, 7), (9, 10)]
    """
    out: list[tuple[int, int]] = []
    for r in rows:
        if out and out[-1][1] == r - 1:
            out[-1] = (out[-1][0], r)
        else:
            out.append((r, r))
    return out


def _is_sum(spec: Table, column: Column, total: Any) -> bool:
    """Whether the totals cell is the sum of the column's counted rows, every one a number
    (a total that is something else — the last cumulative, a period's length — is written
    as it is)."""
    if not column.numeric or column.kind == "percent" or _number(total) is None:
        return False
    values = [row.get(column.key) for row in spec.rows if not row.get(DETAIL)]
    if not values or any(v is not None and _number(v) is None for v in values):
        return False
    return sum(_exact(v) for v in values if v is not None) == _exact(total)


def _exact(value: Any) -> Fraction:
    number = _number(value)
    assert number is not None
    return value.value if isinstance(value, Scaled) else Fraction(number)


def _running(spec: Table, column: Column, n: int, where: Mapping[str, int], counted: Sequence[int]) -> str | None:
    """Row ``n``'s cell of a running-sum column as a formula, ``=previous + this row's``, when
    the figures are that sum; else None."""
    from xlsxwriter.utility import xl_rowcol_to_cell

    row = spec.rows[n]
    source = column.running
    if source is None or row.get(DETAIL) or source not in where or _number(row.get(column.key)) is None:
        return None
    this = row.get(source)
    if this is not None and _number(this) is None:
        return None
    r = 2 + n
    before = [c for c in counted if c < r]
    add = _exact(this) if this is not None else Fraction(0)
    cell = xl_rowcol_to_cell(r, where[source])
    if not before:
        return f"={cell}" if add == _exact(row.get(column.key)) else None
    prev = spec.rows[before[-1] - 2].get(column.key)
    if prev is None or _number(prev) is None or _exact(prev) + add != _exact(row.get(column.key)):
        return None
    return f"={xl_rowcol_to_cell(before[-1], where[column.key])}+{cell}"


def _chart(book: Any, sheet: str, spec: Table, lang: Lang) -> None:
    """A native column chart of the ``chart`` column, its categories the columns before it
    (a fiscal year, or a fiscal year and its quarter), placed to the right of the table; or,
    for several columns, a line chart of each against the first column, with a legend."""
    columns = [c.key for c in spec.columns]
    first, last = 2, 1 + len(spec.rows)  # the data rows: below the title and the headers
    if isinstance(spec.chart, tuple):
        drawn = [columns.index(k) for k in spec.chart if k in columns]
        if not drawn:
            return
        chart = book.add_chart({"type": "line"})
        for col in drawn:
            chart.add_series(
                {
                    "name": neutralise(spec.columns[col].label.in_lang(lang)),
                    "categories": [sheet, first, 0, last, 0],
                    "values": [sheet, first, col, last, col],
                }
            )
        chart.set_legend({"position": "bottom"})
    else:
        col = columns.index(spec.chart) if spec.chart in columns else -1
        if col < 1:
            return
        label = spec.columns[col].label.in_lang(lang)
        chart = book.add_chart({"type": "column"})
        chart.add_series(
            {
                "name": neutralise(label),
                "categories": [sheet, first, 0, last, col - 1],
                "values": [sheet, first, col, last, col],
                "gap": 50,
            }
        )
        chart.set_legend({"none": True})
    chart.set_title({"name": neutralise(spec.title.in_lang(lang))})
    chart.set_y_axis({"num_format": YEN_FORMAT, "major_gridlines": {"visible": True}})
    chart.set_size({"width": 720, "height": 360})
    book.get_worksheet_by_name(sheet).insert_chart(1, len(columns) + 1, chart)


def _notes_sheet(ws: Any, report: Report, lang: Lang, styles: _Styles, *, assumptions: bool = True) -> None:
    """Summary, rule checks, assumptions (unless the inputs sheet lists them) and sources, one
    item a row (A: label, B: text)."""
    from astep_calc.cli.labels import Labels

    row = 0
    ws.write_string(row, 0, f"astep {report.command}", styles.title)
    ws.write_string(row, 1, neutralise(report.rules_id), styles.title)
    widths = [display_width(f"astep {report.command}"), 40]

    def section(heading: Text, items: Sequence[tuple[Any, Any]]) -> None:
        nonlocal row
        if not items:
            return
        row += 2
        ws.write_string(row, 0, neutralise(heading.in_lang(lang)), styles.bold)
        for label, value in items:
            row += 1
            widths[0] = max(widths[0], _write(ws, row, 0, label, "text", lang, styles.wrap))
            fmt = (
                styles.cell(_kind("date", value)[0], False)
                if isinstance(value, date | Wareki)
                else styles.cell("yen", False)
                if isinstance(value, Yen)
                else styles.wrap
            )
            widths[1] = max(widths[1], _write(ws, row, 1, value, "text", lang, fmt))

    section(Text("Summary", "概要"), list(report.summary))
    unreadable = [(None, _located_error(f, lang)) for f in report.files if f.error is not None]
    if report.violations is not None:
        section(
            Text("Rule checks", "ルールの検査"),
            [(v.rule, _located(v, lang)) for v in report.violations] + unreadable or [(None, Labels.ok)],
        )
    if assumptions:
        section(Labels.assumptions, [("•", a) for a in report.assumptions])
    section(Labels.sources, [("•", s) for s in report.sources])
    ws.set_column(0, 0, min(widths[0] + 2, MAX_WIDTH))
    ws.set_column(1, 1, min(widths[1] + 2, 100))


def _located(finding: Finding, lang: Lang) -> str:
    """A violation's message, after the file it is in when it names one."""
    text = finding.text.in_lang(lang)
    return text if finding.at is None else f"{finding.at}: {text}"


def _located_error(status: FileStatus, lang: Lang) -> str:
    """Why a file could not be read, after its path (and line), which it names once."""
    line, col, error = status.located()
    where = status.path + ("" if line is None else f":{line}") + ("" if col is None else f":{col}")
    return f"{where}: " + (
        f"✗ not a readable plan: {error.en}" if lang == "en" else f"✗ 計画ファイルとして読み込めません：{error.ja}"
    )
