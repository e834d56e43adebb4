"""The renderers: a :class:`~astep_calc.cli.views.Report` as a Rich table, JSON or CSV.

Every command builds one report (see :mod:`astep_calc.cli.views`); the renderers here
are shared by all commands, so every output has the same shape: tables with a totals
row, then the summary, the rule checks, the assumptions and the brochure rules used.
"""

from __future__ import annotations

import csv
import functools
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from astep_calc.cli.grid import JAPANESE, Line, lay_out, wrap_japanese, wrap_text
from astep_calc.cli.labels import Month, Percent, Wareki, Yen
from astep_calc.cli.safe import neutralise, printable
from astep_calc.cli.views import Report, Table, as_text, main_table
from astep_calc.dates import fiscal_year_label, weekday
from astep_calc.money import format_yen, percent
from astep_calc.text import Lang, Text

if TYPE_CHECKING:
    from rich.console import Console
    from rich.table import Table as RichTable


def cell(value: Any, kind: str, lang: Lang) -> str:
    """A value as it reads in a table cell (control characters shown as escapes)."""
    if value is None:
        return ""
    if isinstance(value, Yen | Percent | Month):
        value = value.text
    if isinstance(value, Text):
        return printable(value.in_lang(lang))
    if kind == "money" and isinstance(value, int):
        return format_yen(value)
    if kind == "percent" and isinstance(value, Fraction):
        return percent(value).in_lang(lang)
    if kind == "quarter" and isinstance(value, int):
        return f"第{value}四半期" if lang == "ja" else f"Q{value}"
    if kind == "fiscal_year" and isinstance(value, int):
        # In a table cell the era goes on its own line: 2026年度 / （令和8年度）.
        return fiscal_year_label(value).in_lang(lang).replace("（", "\n（", 1)
    if isinstance(value, date | Wareki):
        day, shown = (value.day, value.text) if isinstance(value, Wareki) else (value, value.isoformat())
        if kind == "date_weekday":  # money cannot move on a closed day: say so beside the weekday
            from astep_calc.business_days import is_business_day

            wd = weekday(day).in_lang(lang)
            if not is_business_day(day):
                return f"{shown}（{wd}・休）" if lang == "ja" else f"{shown} ({wd}, closed)"
            return f"{shown}（{wd}）" if lang == "ja" else f"{shown} ({wd})"
        return shown
    return printable(str(value))


def plain(value: object, lang: Lang) -> object:
    """A value as JSON carries it: ISO dates, int yen, strings in the chosen language (and,
    in CSV, a date in the era as it reads: :mod:`~astep_calc.cli.wareki`)."""
    if isinstance(value, Text):
        return value.in_lang(lang)
    if isinstance(value, Wareki):
        return value.text
    if isinstance(value, Month):
        return value.text.in_lang(lang)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Fraction):
        return exact_decimal(value)
    if isinstance(value, Percent):  # the ratio as shown, as a decimal
        return exact_decimal(value.shown)
    if isinstance(value, dict):
        return {k: plain(v, lang) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v, lang) for v in value]
    return value


def exact_decimal(x: Fraction) -> str:
    """A rate as an exact decimal string ("0.1", "0.03"), or "n/d" when it does not terminate.

    >>> exact_decimal(Fraction(3, 100)), exact_decimal(Fraction(1, 3))
    ('0.03', '1/3')
    """
    den = x.denominator
    twos = fives = 0
    while den % 2 == 0:
        den, twos = den // 2, twos + 1
    while den % 5 == 0:
        den, fives = den // 5, fives + 1
    if den != 1:
        return f"{x.numerator}/{x.denominator}"
    places = max(twos, fives)  # x × 10^places is a whole number: integer arithmetic only
    scaled = abs(x.numerator) * 10**places // x.denominator
    whole, frac = divmod(scaled, 10**places)
    sign = "-" if x < 0 else ""
    return f"{sign}{whole}" + (f".{frac:0{places}d}".rstrip("0") if frac else "")


def to_json(report: Report, lang: Lang) -> str:
    """The SPEC §6 JSON object: command, rules, version, the command's keys, assumptions, violations."""
    return "".join(json_parts(report, lang))


def json_parts(report: Report, lang: Lang) -> Iterator[str]:
    """:func:`to_json`'s text as the pieces :func:`~astep_calc.cli.options.emit` writes. A check's
    report, of any size, is written a file's entry at a time by
    :func:`astep_calc.cli.check_scale.json_parts`."""
    import json  # only here: JSON output, not every command's

    from astep_calc import __version__

    obj: dict[str, Any] = {"command": report.command, "rules": report.rules_id, "version": __version__}
    obj.update({key: plain(value, lang) for key, value in report.data.items()})
    obj["assumptions"] = [as_text(a).in_lang(lang) for a in report.assumptions]
    obj["violations"] = [f.json(lang) for f in report.violations or ()]
    obj["sources"] = [s.in_lang(lang) for s in report.sources]
    yield json.dumps(obj, ensure_ascii=False, indent=2)
    yield "\n"


def to_csv(report: Report, lang: Lang, *, excel: bool = False) -> str:
    """The main table as CSV: a header, raw values, the totals row last.

    The header is the columns' stable keys in English (``due,amount,balance``: scripts read
    them) and their labels in Japanese (``期日,各回返済額,未返済残高``: people open the file
    in Excel); JSON's keys never follow the language. Text cells that a spreadsheet would
    take for a formula are neutralised; amounts stay numbers.
    ``excel`` (``--bom``) starts the text with a byte order mark and ends records with CRLF:
    Japanese Excel reads a CSV without a BOM as Shift_JIS and shows UTF-8 as mojibake.
    """
    spec = main_table(report)
    buf = io.StringIO()
    if excel:
        buf.write("\ufeff")
    writer = csv.writer(buf, lineterminator="\r\n" if excel else "\n")
    writer.writerow([c.key if lang == "en" else neutralise(c.label.in_lang(lang)) for c in spec.columns])
    rows = list(spec.rows) + ([spec.totals] if spec.totals else [])
    for row in rows:
        cells = [_csv_value(row.get(c.key), lang) for c in spec.columns]
        if not excel and any("\r" in cell for cell in cells):
            # The csv module quotes a line break only when its line terminator has it: a
            # carriage return is quoted as with --bom, the record then ended as the others.
            buf.write(_crlf_record(cells).removesuffix("\r\n") + "\n")
        else:
            writer.writerow(cells)
    return buf.getvalue()


def _crlf_record(cells: list[str]) -> str:
    r"""One CSV record as the CRLF writer (``--bom``) writes it: any cell with a CR or LF quoted.

    >>> _crlf_record(["a\rb", "=c"])
    '"a\rb",=c\r\n'
    """
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerow(cells)
    return buf.getvalue()


def _csv_value(value: Any, lang: Lang) -> str:
    """A CSV cell: numbers as they are, text neutralised so that no spreadsheet runs it as a formula."""
    v = plain(value, lang)
    if v is None:
        return ""
    return neutralise(v) if isinstance(v, str) else str(v)


#: The narrowest layout: a console reported narrower (``COLUMNS=0``, a tiny window) is
#: laid out at this width rather than losing text.
MIN_WIDTH = 40
_STYLE = re.compile(r"(\x1b\[[0-9;]*m)")


def table_text(report: Report, lang: Lang, console: Any, laid_out: Sequence[Sequence[Line] | None] = ()) -> str:
    """The report as :func:`render_table` draws it on ``console``, as text without trailing spaces."""
    with console.capture() as captured:
        render_table(report, lang, console, laid_out)
    return "\n".join(map(_rstrip, captured.get().split("\n")))


def _rstrip(line: str) -> str:
    r"""A line without the spaces at its end, also those among the style codes Rich closes
    its padded cells with (the codes stay).

    >>> _rstrip("a  \x1b[1m   \x1b[0m"), _rstrip("a b ")
    ('a\x1b[1m\x1b[0m', 'a b')
    """
    if "\x1b" not in line:  # no style codes (a file, a pipe)
        return line.rstrip(" \t")
    parts = _STYLE.split(line)  # text, code, text, ..., text: the texts at even places
    for k in range(len(parts) - 1, -1, -2):
        parts[k] = parts[k].rstrip(" \t")
        if parts[k]:
            break
    return "".join(parts)


def render_table(report: Report, lang: Lang, console: Any, laid_out: Sequence[Sequence[Line] | None] = ()) -> None:
    """Rich tables with a totals row, then summary, rule checks, assumptions, sources.

    Amounts, dates, years, counts and paths (every column but free text) are never cut
    or wrapped. When a table cannot fit the width with them whole, it is drawn as a list
    (one block a row) on a terminal, and wider than the width elsewhere (a pipe, a file:
    nothing wraps there). Titles and notes name paths whole when not on a terminal.

    ``laid_out``: the lines of the first tables, laid out already for this console and
    language (:func:`lay_out_table`), None for a table to lay out here.
    """
    from rich.text import Text as RichText

    from astep_calc.cli.labels import Labels

    saved = console.width
    console.width = width = max(saved, MIN_WIDTH)
    terminal = bool(console.is_terminal)
    ascii_only = bool(console.options.ascii_only)  # a stream that cannot encode "━" (Rich's test)
    try:
        # The titles and tables are laid out here, as lines, and printed together: a print
        # through Rich costs a tenth of a millisecond, and a check may have 10,000 tables.
        lines: list[Line] = []
        for k, spec in enumerate(report.tables):
            done = laid_out[k] if k < len(laid_out) else None
            if done is not None:
                lines += done
                continue
            laid, records = table_lines(spec, lang, console, width, terminal, ascii_only)
            lines += laid
            if records is not None:  # a list (a table too wide for the terminal), which Rich lays out
                _print_lines(console, lines)
                lines = []
                console.print(records)
        _print_lines(console, lines)
        if report.summary:
            _pairs(console, [(cell(name, "", lang), cell(value, "", lang)) for name, value in report.summary])
        # A check of several files shows each file's verdict in its own table.
        if report.violations is not None and not report.files:
            if report.violations:
                _bullets(
                    console, [(v.rule, v.text.in_lang(lang)) for v in report.violations], marker="✗", style="bold red"
                )
            else:
                console.print(RichText(Labels.ok.in_lang(lang), style="green"))
        if report.assumptions:
            console.print(RichText(Labels.assumptions.in_lang(lang), style="bold"))
            _bullets(console, [("•", as_text(a).in_lang(lang)) for a in report.assumptions], marker="")
        if report.sources:
            console.print(RichText(Labels.sources.in_lang(lang), style="bold"))
            _bullets(console, [("•", s.in_lang(lang)) for s in report.sources], marker="", style="dim")
    finally:
        console.width = saved


def table_lines(
    spec: Table, lang: Lang, console: Any, width: int, terminal: bool, ascii_only: bool = False
) -> tuple[list[Line], Any]:
    """A table as :func:`render_table` draws it, ``width`` cells wide: its lines (its title, then
    its rows, or its note when it has none), and, when its columns do not fit a terminal,
    the list Rich draws instead of its rows (else None). Optional columns without a value
    are left out (:meth:`Table.shown`). ``ascii_only``: drawn in ASCII (see :func:`draw_grid`)."""
    spec = spec.shown()
    lines = _line(console, printable(spec.title.in_lang(lang)), width, terminal, style="bold")
    if not spec.rows and spec.note is not None:
        return [*lines, *_line(console, printable(spec.note.in_lang(lang)), width, terminal), ("", "")], None
    table = _table(spec, lang, width, terminal, ascii_only)
    return (lines + table, None) if isinstance(table, list) else (lines, table)


@dataclass(frozen=True)
class Layout:
    """What a table's lines depend on besides the table: the language, and the console's width,
    whether it is a terminal, and whether its stream can encode the heavy rule."""

    lang: Lang
    width: int
    terminal: bool
    ascii_only: bool = False

    @classmethod
    def of(cls, console: Any, lang: Lang) -> Layout:
        """The layout :func:`render_table` draws in on ``console``."""
        return cls(lang, max(console.width, MIN_WIDTH), bool(console.is_terminal), bool(console.options.ascii_only))


def lay_out_table(spec: Table, layout: Layout) -> list[Line] | None:
    """A table's lines as :func:`render_table` draws them in ``layout``; None when it would be
    drawn as a list (left to the console). A check lays out each file's table where the
    file is checked (:mod:`astep_calc.cli.check_scale`)."""
    lines, records = table_lines(spec, layout.lang, _layout_console(), layout.width, layout.terminal, layout.ascii_only)
    return None if records is not None else lines


@functools.lru_cache(maxsize=1)
def _layout_console() -> Console:
    """A console to lay text out with (Rich's wrap for a terminal's titles asks for one); it prints nothing."""
    from rich.console import Console

    return Console(file=io.StringIO(), color_system=None, highlight=False)


def _print_lines(console: Any, lines: list[Line]) -> None:
    """Lines laid out already, printed as they are (styled when the console shows styles)."""
    from rich.segment import Segment, Segments

    styles = {name: console.get_style(name) if name else None for name in {style for _, style in lines}}
    end = Segment.line()
    console.print(Segments(seg for line, style in lines for seg in (Segment(line, styles[style]), end)), crop=False)


def _line(console: Any, text: str, width: int, terminal: bool, style: str = "") -> list[Line]:
    """A title or note as lines, wrapped to the width between words (Japanese between characters,
    never inside an ASCII run such as a path or a date). On a terminal a word longer than the
    width folds; elsewhere it stays whole (a path in a file or a CI log is copied whole)."""
    from rich.text import Text as RichText

    if terminal:
        lines = [line.plain for line in RichText(wrap_text(text, width)).wrap(console, width, overflow="fold")]
    else:
        lines = [line for part in text.split("\n") for line in wrap_japanese(part, width) or [""]]
    return [(line, style) for line in lines]


def _table(spec: Table, lang: Lang, width: int, terminal: bool, ascii_only: bool = False) -> list[Line] | RichTable:
    """One table (without its title), whole columns whole: its lines if it fits, else a list
    to print (see render_table)."""
    body = [[cell(row.get(c.key), c.kind, lang) for c in spec.columns] for row in spec.rows]
    totals = [cell(spec.totals.get(c.key), c.kind, lang) for c in spec.columns] if spec.totals is not None else None
    # A whole column's header breaks between words instead of widening the column.
    headers = [c.label.in_lang(lang).replace(" ", "\n") if c.whole else c.label.in_lang(lang) for c in spec.columns]
    whole = [c.whole for c in spec.columns]
    lines = lay_out(headers, body, totals, whole, [c.numeric for c in spec.columns], width, terminal, ascii_only)
    return _records(spec, lang, body, totals) if lines is None else lines


def _records(spec: Table, lang: Lang, body: list[list[str]], totals: list[str] | None) -> RichTable:
    """A table too wide for the terminal, as a list: a block of label and value lines a row."""
    from rich.table import Table as RichTable
    from rich.text import Text as RichText

    from astep_calc.cli.labels import Labels

    labels = [printable(c.label.in_lang(lang)) for c in spec.columns]
    total = Labels.total.in_lang(lang)
    grid = RichTable.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    for values in body:
        for label, value in zip(labels, values, strict=True):
            if value:
                grid.add_row(RichText(label), RichText(value.replace("\n", ""), overflow="fold"))
        grid.add_row()
    if totals:
        # The totals row is labelled Total: its first cell sums the first column up ("3 files
        # checked"), it is no file; a first cell that says Total itself is not said twice.
        first, *rest = totals
        grid.add_row(
            RichText(total), RichText("" if first == total else first.replace("\n", ""), overflow="fold"), style="bold"
        )
        for label, value in zip(labels[1:], rest, strict=True):
            if value:
                grid.add_row(RichText(label), RichText(value.replace("\n", ""), overflow="fold"), style="bold")
        grid.add_row()
    return grid


def _pairs(console: Any, items: list[tuple[str, str]]) -> None:
    """Label and value lines (the summary): labels wrap between words, values fold."""
    from rich.table import Table as RichTable
    from rich.text import Text as RichText

    grid = RichTable.grid(padding=(0, 2))
    grid.add_column(style="bold")
    grid.add_column()
    for name, value in items:
        grid.add_row(RichText(name), RichText(value, overflow="fold"))
    console.print(grid)


def _bullets(console: Any, items: list[tuple[str, str]], *, marker: str, style: str = "") -> None:
    """Lines with a hanging indent: a marker or rule id, then text that wraps under itself.

    Text with Japanese in it is wrapped here, by character, as Japanese is set: Rich
    would only break at spaces and leave half-empty lines.
    """
    from rich.cells import cell_len
    from rich.table import Table
    from rich.text import Text as RichText

    items = [(printable(head), printable(body)) for head, body in items]
    heads = [f"{marker} {head}".strip() if marker else f"  {head}" for head, _ in items]
    room = max(20, console.width - max(map(cell_len, heads), default=0) - 1)
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, style=style)
    grid.add_column()
    for head, (_, body) in zip(heads, items, strict=True):
        text = "\n".join(wrap_japanese(body, room)) if JAPANESE.search(body) else body
        grid.add_row(RichText(head), RichText(text, overflow="fold"))
    console.print(grid)
