"""The renderers: a :class:`~astep_calc.cli.views.Report` as a Rich table, JSON or CSV.

Every command builds one report (see :mod:`astep_calc.cli.views`); the renderers here
are shared by all commands, so every output has the same shape: tables with a totals
row, then the summary, the rule checks, the assumptions and the brochure rules used.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date
from fractions import Fraction
from typing import Any

from astep_calc.cli.safe import neutralise, printable
from astep_calc.cli.views import Report, as_text, main_table
from astep_calc.text import Lang, Text


def cell(value: Any, kind: str, lang: Lang) -> str:
    """A value as it reads in a table cell (control characters shown as escapes)."""
    from astep_calc.dates import fiscal_year_label, weekday
    from astep_calc.money import format_yen

    if value is None:
        return ""
    if isinstance(value, Text):
        return printable(value.in_lang(lang))
    if kind == "money" and isinstance(value, int):
        return format_yen(value)
    if kind == "fiscal_year" and isinstance(value, int):
        # In a table cell the era goes on its own line: 2026年度 / （令和8年度）.
        return fiscal_year_label(value).in_lang(lang).replace("（", "\n（", 1)
    if isinstance(value, date):
        iso = value.isoformat()
        if kind == "date_weekday":
            wd = weekday(value).in_lang(lang)
            return f"{iso}（{wd}）" if lang == "ja" else f"{iso} ({wd})"
        return iso
    return printable(str(value))


def plain(value: Any, lang: Lang) -> Any:
    """A value as JSON carries it: ISO dates, int yen, strings in the chosen language."""
    if isinstance(value, Text):
        return value.in_lang(lang)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Fraction):
        return exact_decimal(value)
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
    from astep_calc import __version__

    obj: dict[str, Any] = {"command": report.command, "rules": report.rules_id, "version": __version__}
    obj.update(plain(report.data, lang))
    obj["assumptions"] = [as_text(a).in_lang(lang) for a in report.assumptions]
    obj["violations"] = [f.json(lang) for f in report.violations or ()]
    obj["sources"] = [s.in_lang(lang) for s in report.sources]
    return json.dumps(obj, ensure_ascii=False, indent=2) + "\n"


def to_csv(report: Report, lang: Lang) -> str:
    """The main table as CSV: stable keys as header, raw values, the totals row last.

    Text cells that a spreadsheet would take for a formula are neutralised; amounts stay numbers.
    """
    spec = main_table(report)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([c.key for c in spec.columns])
    rows = list(spec.rows) + ([spec.totals] if spec.totals else [])
    for row in rows:
        writer.writerow([_csv_value(row.get(c.key), lang) for c in spec.columns])
    return buf.getvalue()


def _csv_value(value: Any, lang: Lang) -> str:
    """A CSV cell: numbers as they are, text neutralised so that no spreadsheet runs it as a formula."""
    v = plain(value, lang)
    if v is None:
        return ""
    return neutralise(v) if isinstance(v, str) else str(v)


def render_table(report: Report, lang: Lang, console: Any) -> None:
    """Rich tables with a totals row, then summary, rule checks, assumptions, sources."""
    from rich import box
    from rich.cells import cell_len
    from rich.table import Table
    from rich.text import Text as RichText

    from astep_calc.cli.labels import L

    for spec in report.tables:
        title = printable(spec.title.in_lang(lang))
        if not spec.rows and spec.note is not None:
            console.print(RichText(title, style="bold"))
            console.print(RichText(printable(spec.note.in_lang(lang)), overflow="fold"))
            console.print()
            continue
        table = Table(title=RichText(title, style="bold"), box=box.SIMPLE_HEAVY,
                      title_justify="left", show_edge=False, pad_edge=False)
        body = [[cell(row.get(c.key), c.kind, lang) for c in spec.columns] for row in spec.rows]
        totals = ([cell(spec.totals.get(c.key), c.kind, lang) for c in spec.columns]
                  if spec.totals is not None else None)
        for c in spec.columns:
            # Amounts and dates are never cut or wrapped: their header breaks between
            # words instead, and the table grows past the terminal width if it must.
            fixed = c.whole
            label = c.label.in_lang(lang)
            table.add_column(RichText(label.replace(" ", "\n") if fixed else label),
                             justify="right" if c.numeric else "left", no_wrap=fixed,
                             overflow="fold")
        for values in body:
            table.add_row(*(RichText(v, overflow="fold") for v in values))
        if totals is not None:
            table.add_section()
            table.add_row(*(RichText(v, overflow="fold") for v in totals), style="bold")
        # Widen the console only when the table cannot fit: the widest line of every cell
        # plus padding and divider (3 cells) a column is an upper bound on what the table needs, and checking
        # it is much cheaper than asking Rich to measure the whole table.
        lines = [*body, *([totals] if totals else []), [c.label.in_lang(lang) for c in spec.columns]]
        bound = sum(max(cell_len(line) for row in lines for line in row[i].split("\n")) + 3
                    for i in range(len(spec.columns)))
        width = console.width
        if bound > width:
            console.width = max(width, console.measure(table, options=console.options.update(width=10_000)).minimum)
        console.print(table)
        console.width = width
    if report.summary:
        grid = Table.grid(padding=(0, 2))
        grid.add_column(style="bold")
        grid.add_column()
        for name, value in report.summary:
            grid.add_row(RichText(cell(name, "", lang)), RichText(cell(value, "", lang), overflow="fold"))
        console.print(grid)
    # A check of several files shows each file's verdict in its own table.
    if report.violations is not None and not report.files:
        if report.violations:
            _bullets(console, [(v.rule, v.text.in_lang(lang)) for v in report.violations],
                     marker="✗", style="bold red")
        else:
            console.print(RichText(L.ok.in_lang(lang), style="green"))
    if report.assumptions:
        console.print(RichText(L.assumptions.in_lang(lang), style="bold"))
        _bullets(console, [("•", as_text(a).in_lang(lang)) for a in report.assumptions], marker="")
    if report.sources:
        console.print(RichText(L.sources.in_lang(lang), style="bold"))
        _bullets(console, [("•", s.in_lang(lang)) for s in report.sources], marker="", style="dim")


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
        text = "\n".join(wrap_japanese(body, room)) if _JAPANESE.search(body) else body
        grid.add_row(RichText(head), RichText(text, overflow="fold"))
    console.print(grid)


_JAPANESE = re.compile(r"[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]")
# Units that stay whole: a run of ASCII without spaces (a number, an option, a word), a
# space, or one other character; closing punctuation sticks to what precedes it.
_UNIT = re.compile(r"\s+|(?:[!-~]+|.)[）」』、。，．・：；]*")


def wrap_japanese(text: str, width: int) -> list[str]:
    """Greedy line filling for Japanese: break between characters, never inside an ASCII run.

    >>> wrap_japanese("上限 15,000,000円（年額、間接経費を含む）", 16)
    ['上限 15,000,000', '円（年額、間接経', '費を含む）']
    """
    from rich.cells import cell_len

    lines: list[str] = []
    line = ""
    for unit in _UNIT.findall(text):
        if not line and unit.isspace():
            continue  # no line starts with a space
        if line and cell_len(line + unit) > width:
            lines.append(line.rstrip())
            line = unit.lstrip()
        else:
            line += unit
    if line.strip():
        lines.append(line.rstrip())
    return lines
