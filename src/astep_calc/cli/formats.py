"""Every output format, declared once, and the one way from a report to its output.

A :class:`Format` says all there is to know about a format: its name, its renderer, the
file extensions that ask for it, whether it is binary, which commands take it, whether
``--display-unit``, ``--chart`` and ``--bom`` apply, and a line of help. ``--format``'s
help, the format an ``--output`` file name asks for, and every refusal (a format the
command does not take, one that contradicts the file name, a binary format without
``--output``, ``--bom``, ``--display-unit`` or ``--chart`` where they do not apply) read
:data:`FORMATS`. Adding a format is one renderer and one entry there; the tests run every
entry through the same hostile inputs.

:func:`render` cleans a report once, before any renderer sees it (:func:`clean`): every
text is shown as :func:`~astep_calc.cli.safe.clean_text` shows it (controls, invisible and
reordering characters escaped, lone surrogates replaced, at most a thousand characters),
so that no renderer can forget it.
"""

from __future__ import annotations

import dataclasses
import itertools
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from astep_calc.cli.helptext import Help
from astep_calc.cli.safe import TEXT_LIMIT, clean_text, json_is_clean
from astep_calc.cli.views import Column, Document, FilePart, FileStatus, Finding, Report, Table
from astep_calc.dates import DateStyle, parse_date_style
from astep_calc.money import DisplayUnit, parse_display_unit
from astep_calc.text import Assumption, InputError, Lang, Text

if TYPE_CHECKING:
    from astep_calc.cli.options import OutputOptions

#: What a renderer gives: text in pieces (written as they come), or a binary file's bytes.
Output = Iterator[str] | bytes
View = Report | Document


@dataclass(frozen=True)
class Format:
    """One output format (see the module docstring)."""

    name: str
    #: One line for ``--format``'s help: what the format is for, in English and Japanese.
    help: Help
    #: The report in this format, for these options (``--lang``, ``--bom``, the unit, the console).
    render: Callable[[Report, OutputOptions], Output]
    #: The ``--output`` extensions that fit it; a file name ending in one asks for the first
    #: format of :data:`FORMATS` that lists it.
    extensions: tuple[str, ...] = ()
    #: Bytes rather than text: written only to an ``--output`` file, never to a terminal.
    binary: bool = False
    #: The only commands that take it (None: every command whose output it can show).
    commands: frozenset[str] | None = None
    #: How it prints a document (``astep schema``'s JSON Schema); None: a command that
    #: prints a document does not take it.
    document: Callable[[Document], str] | None = None
    #: ``--display-unit`` applies: amounts are shown to people, in 千円 or 万円 if asked.
    display_unit: bool = False
    #: ``astep plan --chart``: "asked" draws the chart when asked, "always" draws it anyway
    #: (a workbook's native chart), "no" cannot draw one (asking is an error).
    chart: Literal["no", "asked", "always"] = "no"
    #: ``--bom`` applies (CSV for Excel).
    bom: bool = False
    #: ``--date-style`` applies: dates are shown to people, in the era if asked (JSON's stay ISO).
    dates: bool = False
    #: Written in UTF-8 whatever the terminal's encoding; False: encoded as the terminal
    #: can, "?" for what it cannot (a table for people).
    utf8: bool = True
    #: It carries only the report's main table, so a command's broken rules go to standard
    #: error as well (a check's are rows of its table).
    table_only: bool = False
    #: A workbook for a board (``plan`` and ``scenarios``): it also carries every input and
    #: assumption, a repayment schedule per grade case and the sensitivity grid, each a sheet.
    board: bool = False

    def takes(self, command: str, *, document: bool = False) -> bool:
        """Whether ``command`` (one that prints a document, when ``document``) takes this format."""
        if self.commands is not None and command not in self.commands:
            return False
        return self.document is not None if document else True


# --------------------------------------------------------------------------- the renderers


def _in_unit(report: Report, opts: OutputOptions) -> Report:
    if opts.unit is None or opts.unit is DisplayUnit.YEN:  # the report's own unit: nothing to load
        return report
    from astep_calc.cli.units import in_unit

    return in_unit(report, opts.unit)


def _dated(report: Report, opts: OutputOptions) -> Report:
    if opts.date_style is not DateStyle.WAREKI:  # the report's own ISO dates: nothing to load
        return report
    from astep_calc.cli.wareki import in_date_style

    return in_date_style(report, opts.date_style, opts.lang)


def _table(report: Report, opts: OutputOptions) -> Output:
    from astep_calc.cli.report import table_text

    return iter([table_text(_dated(_in_unit(report, opts), opts), opts.lang, opts.table_console())])


def _json(report: Report, opts: OutputOptions) -> Output:
    from astep_calc.cli.report import json_parts

    return json_parts(report, opts.lang)


def _csv(report: Report, opts: OutputOptions) -> Output:
    from astep_calc.cli.report import to_csv

    return iter([to_csv(_dated(report, opts), opts.lang, excel=opts.bom)])


def _xlsx(report: Report, opts: OutputOptions) -> Output:
    from astep_calc.cli.xlsx import to_xlsx

    return to_xlsx(_dated(_in_unit(report, opts), opts), opts.lang)


def _markdown(report: Report, opts: OutputOptions) -> Output:
    from astep_calc.cli.markdown import to_markdown

    return iter([to_markdown(_dated(_in_unit(report, opts), opts), opts.lang)])


def _github(report: Report, opts: OutputOptions) -> Output:
    from astep_calc.cli.ci import to_github

    return iter([to_github(report, opts.lang)])


def _junit(report: Report, opts: OutputOptions) -> Output:
    from astep_calc.cli.ci import to_junit

    return iter([to_junit(report, opts.lang)])


def _sarif(report: Report, opts: OutputOptions) -> Output:
    from astep_calc.cli.sarif import to_sarif

    return iter([to_sarif(report, opts.lang, opts.rulebook())])


def _as_it_is(document: Document) -> str:
    return document.text


def _as_json(document: Document) -> str:
    return document.as_json()


def _fenced(document: Document) -> str:
    from astep_calc.cli.markdown import fenced

    return fenced(document.text, document.syntax)


def _registry(*formats: Format) -> dict[str, Format]:
    return {f.name: f for f in formats}


#: Every output format, in the order ``--format``'s help lists them (the first is the default).
FORMATS: dict[str, Format] = _registry(
    Format(
        "table",
        Help("tables for people (the default)", "人が読む表（既定）"),
        _table,
        (".txt",),
        document=_as_it_is,
        display_unit=True,
        chart="asked",
        dates=True,
        utf8=False,
    ),
    Format(
        "json",
        Help("the report for scripts, its keys stable", "スクリプト向けの報告（キーは変わりません）"),
        _json,
        (".json",),
        document=_as_json,
    ),
    Format(
        "csv",
        Help("the main table, amounts in yen", "主な表（金額は円単位。見出しは --lang の言語）"),
        _csv,
        (".csv",),
        bom=True,
        dates=True,
        table_only=True,
    ),
    Format(
        "xlsx",
        Help("an Excel workbook (needs --output)", "Excel ブック（--output が必要）"),
        _xlsx,
        (".xlsx",),
        binary=True,
        display_unit=True,
        chart="always",
        board=True,
        dates=True,
    ),
    Format(
        "markdown",
        Help(
            "GitHub-flavoured Markdown, for a job summary or a pull request comment",
            "GitHub 形式の Markdown（ジョブサマリーやプルリクエストのコメントに）",
        ),
        _markdown,
        (".md", ".markdown"),
        document=_fenced,
        display_unit=True,
        chart="asked",
        dates=True,
    ),
    Format(
        "github",
        Help(
            "workflow commands that annotate the lines in a GitHub Actions run",
            "GitHub Actions の実行画面で、該当する行に注釈を付けるワークフローコマンド",
        ),
        _github,
        (".txt",),
        commands=frozenset({"check"}),
    ),
    Format(
        "junit",
        Help("a JUnit XML report, one test case per file", "JUnit XML の報告（計画ファイルごとに1テストケース）"),
        _junit,
        (".xml",),
        commands=frozenset({"check"}),
    ),
    Format(
        "sarif",
        Help(
            "a SARIF 2.1.0 log for GitHub code scanning, one result per violation at its line",
            "GitHub のコードスキャン用の SARIF 2.1.0 ログ（違反ごとに1件、該当する行に）",
        ),
        _sarif,
        (".sarif",),
        commands=frozenset({"check"}),
    ),
)
#: The format of a command's output when neither --format nor --output's extension asks for one.
DEFAULT = "table"


def formats_for(command: str, *, document: bool = False) -> tuple[str, ...]:
    """The names of the formats ``command`` takes (one that prints a document, when ``document``).

    >>> formats_for("budget")
    ('table', 'json', 'csv', 'xlsx', 'markdown')
    >>> formats_for("check")[-3:], formats_for("schema", document=True)
    (('github', 'junit', 'sarif'), ('table', 'json', 'markdown'))
    """
    return tuple(f.name for f in FORMATS.values() if f.takes(command, document=document))


def format_help(names: Sequence[str]) -> Help:
    """``--format``'s help for a command that takes ``names``, in both languages."""
    takes = [FORMATS[n] for n in names]
    default = FORMATS[DEFAULT]
    extensions = [e for f in takes if f is not default for e in f.extensions[:1]] + list(default.extensions[:1])
    listed = " ".join(dict.fromkeys(extensions))
    return Help(
        f"Output format (default: from the --output file's extension, {listed}, else {DEFAULT}). "
        + "; ".join(f"{f.name}: {f.help}" for f in takes)
        + ".",
        f"出力形式（既定：--output のファイルの拡張子 {listed} から。指定がなければ {DEFAULT}）。"
        + "、".join(f"{f.name}：{f.help.ja}" for f in takes)
        + "。",
    )


def _join(names: Iterable[str], lang: Lang) -> str:
    """``a, b and c`` (``a、b、c``).

    >>> _join(["table", "xlsx", "markdown"], "en"), _join(["table"], "ja")
    ('table, xlsx and markdown', 'table')
    """
    items = list(names)
    if lang == "ja":
        return "、".join(items)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def choose_format(given: str | None, output: str | None, command: str = "", *, document: bool = False) -> str:
    """The output format: ``--format`` if given, else the one ``--output``'s extension asks for,
    else the default; refused when ``command`` does not take it, when it contradicts the file
    name (a text table in a file named .xlsx is what Excel cannot open), and when it is binary
    and there is no file to write.

    >>> choose_format(None, "r.XLSX"), choose_format(None, "r.out"), choose_format("json", None)
    ('xlsx', 'table', 'json')
    >>> choose_format("table", "r.xlsx")
    Traceback (most recent call last):
    ...
    astep_calc.text.InputError: --format 'table' contradicts --output 'r.xlsx': a .xlsx file is written as xlsx; drop --format or change the file name
    """
    names = formats_for(command, document=document) if command else tuple(FORMATS)
    ext = os.path.splitext(output)[1].lower() if output and output != "-" else ""
    fits = [f.name for f in FORMATS.values() if ext and ext in f.extensions]
    if given is None:
        name = fits[0] if fits else DEFAULT
        how = Text(f" (from --output {output!r})", f"（--output「{output}」の拡張子から）") if fits else Text("", "")
    else:
        name = given.strip().lower()
        how = Text("", "")
    fmt = FORMATS.get(name)
    if fmt is None:
        raise InputError(
            f"--format {given!r} is not one of {', '.join(names)}",
            f"「{given}」という形式はありません。{'、'.join(names)} のいずれかを指定してください",
            field="format",
        )
    if name not in names:
        if fmt.commands is not None and command not in fmt.commands:
            only = [f"astep {c}" for c in sorted(fmt.commands)]
            raise InputError(
                f"--format {name}{how.en} applies only to {_join(only, 'en')}",
                f"--format {name}{how.ja}は {_join(only, 'ja')} でだけ使えます。"
                f"{'、'.join(names)} のいずれかを指定してください",
                field="format",
            )
        raise InputError(
            f"astep {command} prints a document as it is, not tables; --format {name}{how.en} does not "
            f"apply: use {', '.join(names)}",
            f"astep {command} は表ではなく文書をそのまま出力するため、--format {name}{how.ja}は使えません。"
            f"{'、'.join(names)} のいずれかを指定してください",
        )
    if given is not None and fits and name not in fits:
        raise InputError(
            f"--format {given!r} contradicts --output {output!r}: a {ext} file is written as {fits[0]}; "
            "drop --format or change the file name",
            f"--format「{given}」と --output「{output}」が矛盾します（{ext} ファイルは {fits[0]} 形式で書きます）。"
            "--format を外すか、ファイル名を変えてください",
            field="format",
        )
    if fmt.binary and (output is None or output == "-"):
        raise InputError(
            f"--format {name} needs --output FILE: a workbook is a file, not text for the terminal",
            f"--format {name} には --output FILE を指定してください（ブックは端末に表示できません）",
        )
    return name


def choose_report(given: str, command: str) -> tuple[str, str]:
    """``--report FORMAT:PATH``: the format and the file, refused as ``--format`` and ``--output``
    are (a format the command does not take, a file name that asks for another format) and
    where only a report is refused: no colon, no file, standard output (``-``: that is where
    ``--format``'s output goes), a binary format (a workbook is written with ``--output``).

    >>> choose_report("junit:out/junit.xml", "check"), choose_report(" SARIF :a.sarif", "check")
    (('junit', 'out/junit.xml'), ('sarif', 'a.sarif'))
    >>> choose_report("junit:r.json", "check")
    Traceback (most recent call last):
    ...
    astep_calc.text.InputError: --report 'junit:r.json': a .json file is written as json; change the format or the file name
    """
    names = [n for n in formats_for(command) if not FORMATS[n].binary]
    name, colon, path = given.partition(":")
    name = name.strip().lower()
    example = "junit:junit.xml"
    if not colon or not name or not path:
        raise InputError(
            f"--report {given!r} must be FORMAT:PATH, e.g. {example} (FORMAT one of {', '.join(names)})",
            f"--report「{given}」は 形式:ファイル名 で指定してください（例：{example}。形式は {'、'.join(names)} のいずれか）",
            field="report",
        )
    fmt = FORMATS.get(name)
    if fmt is None or name not in formats_for(command):
        raise InputError(
            f"--report {given!r}: astep {command} writes no {name!r} report; FORMAT is one of {', '.join(names)}",
            f"--report「{given}」：astep {command} は「{name}」形式のレポートを書けません。"
            f"{'、'.join(names)} のいずれかを指定してください",
            field="report",
        )
    if fmt.binary:
        raise InputError(
            f"--report {given!r}: {name} is a binary file, which --report does not write; "
            f"use --format {name} --output FILE for it",
            f"--report「{given}」：{name} はバイナリ形式のため --report では書けません。"
            f"--format {name} --output FILE で書き出してください",
            field="report",
        )
    if path.strip() == "-":
        raise InputError(
            f"--report {given!r}: a report is written to a file; standard output shows --format's output",
            f"--report「{given}」：レポートはファイルに書きます（標準出力には --format の形式で出力します）",
            field="report",
        )
    ext = os.path.splitext(path)[1].lower()
    fits = [f.name for f in FORMATS.values() if ext and ext in f.extensions]
    if fits and name not in fits:
        raise InputError(
            f"--report {given!r}: a {ext} file is written as {fits[0]}; change the format or the file name",
            f"--report「{given}」：{ext} ファイルは {fits[0]} 形式で書きます。形式かファイル名を変えてください",
            field="report",
        )
    return name, path


def check_reports(reports: Sequence[tuple[str, str]], output: str | None) -> None:
    """Refuse two reports to one file, and a report to the ``--output`` file."""
    seen: dict[str, str] = {}
    if output is not None and output != "-":
        seen[_same_file(output)] = "--output"
    for name, path in reports:
        key = _same_file(path)
        if key in seen:
            other = seen[key]
            raise InputError(
                f"--report '{name}:{path}' writes the same file as {other}: give each report its own file",
                f"--report「{name}:{path}」は {other} と同じファイルに書くことになります。"
                "レポートごとに別のファイルを指定してください",
                field="report",
            )
        seen[key] = f"--report '{name}:{path}'"


def _same_file(path: str) -> str:
    """A file name as compared for sameness: absolute, and through a symbolic link that exists."""
    return os.path.normcase(os.path.realpath(path))


def check_options(name: str, names: Sequence[str], *, bom: bool, display_unit: str | None) -> DisplayUnit | None:
    """The ``--display-unit`` asked for (None when not given), after refusing ``--bom`` and a
    unit other than yen with a format they do not apply to: refused, not ignored, since a
    script that asked for 千円 and got yen would be 1,000 times off. ``names``: the formats
    the command takes."""
    fmt = FORMATS[name]
    if bom and not fmt.bom:
        with_bom = [n for n in names if FORMATS[n].bom] or [n for n in FORMATS if FORMATS[n].bom]
        raise InputError(
            f"--bom applies to {_join(with_bom, 'en').upper()} only (the format here is {name})",
            f"--bom は {_join(with_bom, 'ja').upper()} でだけ使えます（この出力の形式は {name}）。"
            f"--format {with_bom[0]} にするか、--bom を外してください",
            field="bom",
        )
    unit = None if display_unit is None else parse_display_unit(display_unit)
    if unit not in (None, DisplayUnit.YEN) and not fmt.display_unit:
        scaled = [n for n in names if FORMATS[n].display_unit]
        raise InputError(
            f"--display-unit {display_unit!r} applies to {_join(scaled, 'en')}; {name} is always in yen",
            f"--display-unit「{display_unit}」は {_join(scaled, 'ja')} でだけ使えます（{name} は常に円単位）。"
            "--display-unit を外してください",
            field="display_unit",
        )
    return unit


def check_date_style(name: str, names: Sequence[str], given: str | None, lang: Lang) -> DateStyle | None:
    """The ``--date-style`` asked for (None when not given), after refusing the era with a
    format whose dates are a contract (JSON: ISO, always) and with English output (the era
    is Japanese): refused, not ignored, as ``--display-unit`` is."""
    if given is None:
        return None
    style = parse_date_style(given)
    if style is DateStyle.ISO:
        return style
    if not FORMATS[name].dates:
        dated = [n for n in names if FORMATS[n].dates]
        raise InputError(
            f"--date-style {given!r} applies to {_join(dated, 'en')}; {name} dates are always ISO (2026-10-01)",
            f"--date-style「{given}」は {_join(dated, 'ja')} でだけ使えます（{name} の日付は常に ISO の 2026-10-01）。"
            "--date-style を外してください",
            field="date_style",
        )
    if lang != "ja":
        raise InputError(
            f"--date-style {given!r} writes dates in the Japanese era (令和8年10月1日), in Japanese output only: "
            "add --lang ja, or leave --date-style out",
            f"--date-style「{given}」（令和8年10月1日）は日本語の出力でだけ使えます。--lang ja を指定してください",
            field="date_style",
        )
    return style


def check_chart(name: str, command: str) -> None:
    """Refuse ``--chart`` with a format that cannot draw it, as ``--display-unit`` is refused."""
    if FORMATS[name].chart != "no":
        return
    drawing = [n for n in formats_for(command) if FORMATS[n].chart != "no"]
    raise InputError(
        f"--chart draws in {_join(drawing, 'en')}; {name} has no chart: drop --chart",
        f"--chart はグラフを描ける形式（{_join(drawing, 'ja')}）でだけ使えます（{name} にはグラフがありません）。"
        "--chart を外してください",
        field="chart",
    )


# --------------------------------------------------------------------------- the one cleaning step


def render(view: View, opts: OutputOptions) -> Output:
    """The report in the chosen format, cleaned first (:func:`clean`): bytes for a binary
    format, else text in pieces (JSON a check's file entry at a time, so that a report of
    any size is written without being held whole). A check's JSON entries and tables were
    rendered where each file was checked, from parts cleaned there
    (:mod:`~astep_calc.cli.check_scale`)."""
    fmt = FORMATS[opts.format]
    if isinstance(view, Document):
        assert fmt.document is not None  # refused with the options (choose_format)
        return iter([fmt.document(clean_document(view))])
    report = clean(view, opts.lang)
    if report.command == "check":  # each file's JSON entry or table may come rendered already
        from astep_calc.cli.check_scale import render_check  # the scale path, loaded for check only

        pieces = render_check(report, opts.format, opts.lang, opts.table_console)
        if pieces is not None:
            return pieces
    return fmt.render(report, opts)


def clean(report: Report, lang: Lang) -> Report:
    """The report with every text as :func:`~astep_calc.cli.safe.clean_text` shows it: its
    tables, data, summary, violations, assumptions, sources and files (``lang`` for a note
    on text that was cut). What is clean already is kept as it is, the same object."""
    if report.command == "check":
        from astep_calc.cli.check_scale import CheckReport

        if isinstance(report, CheckReport) and report.cleaned:
            return report  # cleaned file by file where each was checked (clean_part)
    c = _Cleaner(lang)
    return dataclasses.replace(
        report,
        tables=c.each(report.tables, c.table),
        data=c.value(report.data),
        summary=c.each(report.summary, c.pair),
        violations=None if report.violations is None else c.each(report.violations, c.finding),
        assumptions=c.each(report.assumptions, c.assumption),
        sources=c.each(report.sources, c.text),
        files=c.each(report.files, c.status),
    )


def clean_table(table: Table, lang: Lang) -> Table:
    """A table with its title, labels, rows, totals and note cleaned (see :func:`clean`); the
    same table when nothing changed."""
    return _Cleaner(lang).table(table)


def clean_part(part: FilePart, lang: Lang) -> FilePart:
    """A check's part of one file cleaned as :func:`clean` cleans a report, where the file is
    checked (a worker process shares the work); its JSON entry is left to :func:`clean_json`,
    which encodes it."""
    c = _Cleaner(lang)
    status, table, row = c.status(part.status), c.table(part.table), c.value(part.summary_row)
    assumptions, sources = c.each(part.assumptions, c.text), c.each(part.sources, c.text)
    if status is part.status and table is part.table and row is part.summary_row:
        if assumptions is part.assumptions and sources is part.sources:
            return part
    return dataclasses.replace(
        part, status=status, table=table, summary_row=row, assumptions=tuple(assumptions), sources=tuple(sources)
    )


def clean_value(value: Any, lang: Lang, limit: int | None = TEXT_LIMIT) -> Any:
    """A value of a report's data or a table's row, its texts cleaned: strings, :class:`Text`,
    and what dictionaries, lists and tuples hold (keys too); numbers, dates and the like as
    they are. ``limit``: the longest text kept whole (None: none is cut)."""
    return _Cleaner(lang, limit).value(value)


_T = TypeVar("_T")
#: What holds no text: left as it is at once.
_PLAIN = frozenset({int, bool, float, type(None), date, datetime, Fraction, Decimal})


class _Cleaner:
    """One cleaning of a report. What it cleaned once it does not clean again: a label shared
    by thousands of a check's tables, a finding listed both with its file and in the report."""

    def __init__(self, lang: Lang, limit: int | None = TEXT_LIMIT) -> None:
        self.lang, self.limit = lang, limit
        self._longest = sys.maxsize if limit is None else limit
        # By identity: each original kept beside its cleaned self, so that its id stays its own.
        self._done: dict[int, tuple[Any, Any]] = {}
        # Keys, by value, and what they clean to: a few, met again in every row.
        self._keys: dict[str, str] = {}

    def each(self, items: Sequence[_T], clean_one: Callable[[_T], _T]) -> Sequence[_T]:
        """``items`` cleaned one by one: the same sequence when none changed, else a list."""
        out: list[_T] | None = None
        for i, item in enumerate(items):
            cleaned = clean_one(item)
            if cleaned is not item and out is None:
                out = list(items[:i])
            if out is not None:
                out.append(cleaned)
        return items if out is None else out

    def _once(self, item: _T, clean_one: Callable[[_T], _T]) -> _T:
        done = self._done.get(id(item))
        if done is None:
            done = self._done[id(item)] = (item, clean_one(item))
        return done[1]

    def string(self, s: str) -> str:
        return s if s.isprintable() and len(s) <= self._longest else clean_text(s, self.lang, self.limit)

    def value(self, value: Any) -> Any:
        kind = type(value)
        if kind in _PLAIN:
            return value
        if kind is str:
            return self.string(value)
        if kind is dict:
            out: dict[Any, Any] | None = None
            keys = self._keys
            for i, (k, v) in enumerate(value.items()):
                ck = k
                if type(k) is str:
                    known = keys.get(k, k)  # the key cleaned, or the key itself when it is clean
                    if known is k and k not in keys:
                        known = keys[k] = self.string(k)
                    ck = k if known == k else known
                kind = type(v)
                cv = v if kind in _PLAIN else self.string(v) if kind is str else self.value(v)
                if out is None and (ck is not k or cv is not v):
                    out = dict(itertools.islice(value.items(), i))
                if out is not None:
                    out[ck] = cv
            return value if out is None else out
        if kind is list or kind is tuple:
            items = self.each(value, self.value)
            return value if items is value else kind(items)
        if kind is Text:
            return self.text(value)
        if isinstance(value, Mapping):  # another mapping (a violation's details): kept when clean
            plain = dict(value)
            cleaned = self.value(plain)
            return value if cleaned is plain else cleaned
        return value

    def text(self, text: Text) -> Text:
        en, ja, longest = text.en, text.ja, self._longest
        if en.isprintable() and ja.isprintable() and len(en) <= longest and len(ja) <= longest:
            return text  # most text: nothing to clean
        return self._once(text, self._text)

    def _text(self, text: Text) -> Text:
        en, ja = clean_text(text.en, "en", self.limit), clean_text(text.ja, "ja", self.limit)
        return text if en is text.en and ja is text.ja else Text(en, ja)

    def table(self, table: Table) -> Table:
        """A table's title, labels, note, and the cells of its columns (what every format
        shows of a row: a row's other keys are shown by none)."""
        keys = [c.key for c in table.columns]

        def row(r: Mapping[str, Any]) -> Mapping[str, Any]:
            cells = [(k, r[k], self.value(r[k])) for k in keys if k in r]
            if all(new is old for _, old, new in cells):
                return r
            return {**r, **{k: new for k, _, new in cells}}

        title, columns, rows = self.text(table.title), self.each(table.columns, self.column), self.each(table.rows, row)
        totals = None if table.totals is None else row(table.totals)
        note = None if table.note is None else self.text(table.note)
        if title is table.title and columns is table.columns and rows is table.rows:
            if totals is table.totals and note is table.note:
                return table
        return dataclasses.replace(table, title=title, columns=columns, rows=rows, totals=totals, note=note)

    def column(self, column: Column) -> Column:
        label = self.text(column.label)
        return column if label is column.label else dataclasses.replace(column, label=label)

    def assumption(self, item: Text | Assumption) -> Text | Assumption:
        if isinstance(item, Text):
            return self.text(item)
        text = self.text(item.text)
        return item if text is item.text else dataclasses.replace(item, text=text)

    def pair(self, pair: tuple[Text, Any]) -> tuple[Text, Any]:
        name, value = self.text(pair[0]), self.value(pair[1])
        return pair if name is pair[0] and value is pair[1] else (name, value)

    def finding(self, finding: Finding) -> Finding:
        return self._once(finding, self._finding)

    def _finding(self, f: Finding) -> Finding:
        v = f.violation
        text, details = self.text(v.text), self.value(v.details)
        violation = v if text is v.text and details is v.details else dataclasses.replace(v, text=text, details=details)
        path = None if f.path is None else self.string(f.path)
        if violation is v and path is f.path:
            return f
        return dataclasses.replace(f, violation=violation, path=path)

    def status(self, s: FileStatus) -> FileStatus:
        path, error = self.string(s.path), None if s.error is None else self.text(s.error)
        findings = self.each(s.findings, self.finding)
        if path is s.path and error is s.error and findings is s.findings:
            return s
        return dataclasses.replace(s, path=path, error=error, findings=tuple(findings))


def clean_json(value: Any, lang: Lang, dumps: Callable[[Any], str]) -> str:
    """``dumps(clean_value(value, lang))``: the value as JSON, cleaned; walked string by string
    only when its JSON shows something to clean (:func:`~astep_calc.cli.safe.json_is_clean`),
    which a check's entries, schedules and all, almost never do."""
    text = dumps(value)
    return text if json_is_clean(text) else dumps(clean_value(value, lang))


def clean_document(document: Document) -> Document:
    """A document with its strings escaped as in a report (none cut: a document is the tool's
    own, printed whole): a JSON document's strings (``astep schema``'s), another's lines and
    its JSON form (``astep init``'s plan); the same document when it is clean (a schema built
    from a rulebook whose wording holds controls is written again)."""
    if document.syntax != "json":
        text = "\n".join(clean_text(line, "en", None) for line in document.text.split("\n"))
        as_json = None if document.json is None else _clean_json_text(document.json)
        if text == document.text and as_json == document.json:
            return document
        return dataclasses.replace(document, text=text, json=as_json)
    text = _clean_json_text(document.text)
    return document if text == document.text else dataclasses.replace(document, text=text)


def _clean_json_text(text: str) -> str:
    if json_is_clean(text, limit=None):
        return text
    import json  # only here: JSON output, not every command's

    value = clean_value(json.loads(text), "en", limit=None)
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"
