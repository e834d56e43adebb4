"""The options every command shares, declared once, and the one path from report to exit code.

A command is a function that takes its own options plus ``opts: OutputOptions`` and
returns a :class:`~astep_calc.cli.views.Report` (or a :class:`~astep_calc.cli.views.Document`). :func:`command` registers it with
``--format``, ``--lang``, ``--rules``, ``--output``, ``--force`` and ``--debug`` added,
renders the report, writes it (atomically with ``--output``), and turns bad input into
exit 2 with one line, never a traceback.
"""

import contextlib
import dataclasses
import errno
import functools
import inspect
import io
import os
import sys
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, NoReturn

import typer

from astep_calc.business_days import BusinessDay
from astep_calc.cli.check_scale import CheckReport, render_check
from astep_calc.cli.report import json_parts, table_text, to_csv
from astep_calc.cli.safe import one_line, printable
from astep_calc.cli.units import in_unit
from astep_calc.cli.views import Document, Report
from astep_calc.money import DisplayUnit, parse_display_unit
from astep_calc.rulebook import Rulebook, load_rulebook
from astep_calc.text import Assumption, InputError, Lang, Text

#: The formats every command takes; ``check`` also takes :data:`CHECK_FORMATS`.
FORMATS = ("table", "json", "csv", "xlsx")
CHECK_FORMATS = ("github", "junit")
#: The format a file name asks for by its extension (case does not matter), and the
#: formats it also fits: GitHub workflow commands are text, and may go to a .txt file.
EXTENSIONS: dict[str, tuple[str, ...]] = {
    ".json": ("json",),
    ".csv": ("csv",),
    ".xlsx": ("xlsx",),
    ".txt": ("table", "github"),
    ".xml": ("junit",),
}


def default_lang(environ: "dict[str, str] | os._Environ[str]" = os.environ) -> Lang:
    """Japanese when LC_ALL (or else LANG) starts with ``ja``, English otherwise."""
    for var in ("LC_ALL", "LANG"):
        value = environ.get(var, "")
        if value:
            return "ja" if value.lower().startswith("ja") else "en"
    return "en"


@dataclass(frozen=True)
class OutputOptions:
    """The shared options, validated."""

    format: str
    lang: Lang
    rules_path: str | None
    output: str | None
    force: bool
    debug: bool
    #: CSV as UTF-8 with a byte order mark and CRLF line ends, for Excel (``--bom``).
    bom: bool = False
    #: The unit of amounts in tables and xlsx (``--display-unit``); JSON and CSV stay in yen.
    #: None when the option is not given: yen, or the plan's ``display_unit`` for ``astep plan``.
    unit: DisplayUnit | None = None

    def rulebook(self) -> Rulebook:
        return load_rulebook(self.rules_path)

    @property
    def to_file(self) -> bool:
        """The report goes to the ``--output`` file (``-`` is standard output)."""
        return self.output is not None and self.output != "-"

    def table_console(self) -> Any:
        """The Rich console a table is drawn on: the terminal's, or 120 columns without styles
        for a file (the same width wherever the command runs)."""
        from rich.console import Console

        if self.to_file:
            return Console(width=120, color_system=None, force_terminal=False, file=io.StringIO(), highlight=False)
        return Console(highlight=False)


def _parse_common(
    format_: str | None,
    lang: str | None,
    rules: str | None,
    output: str | None,
    force: bool,
    debug: bool,
    bom: bool = False,
    display_unit: str | None = None,
    *,
    command: str = "",
    formats: Sequence[str] = FORMATS,
) -> OutputOptions:
    chosen: Lang
    if lang is None:
        chosen = default_lang()
    elif lang.strip().lower() in ("ja", "en"):
        chosen = "ja" if lang.strip().lower() == "ja" else "en"
    else:
        raise InputError(
            f"--lang {lang!r} is not one of ja, en",
            f"--lang：「{lang}」という言語はありません。ja、en のいずれかを指定してください",
        )
    fmt = choose_format(format_, output, command, formats)
    if fmt == "xlsx" and (output is None or output == "-"):
        raise InputError(
            "--format xlsx needs --output FILE: a workbook is a file, not text for the terminal",
            "--format xlsx には --output FILE を指定してください（ブックは端末に表示できません）",
        )
    if bom and fmt != "csv":
        raise InputError(
            f"--bom applies to CSV only (the format here is {fmt})",
            f"--bom は CSV でだけ使えます（この出力の形式は {fmt}）。--format csv にするか、--bom を外してください",
            field="bom",
        )
    unit = None if display_unit is None else parse_display_unit(display_unit)
    if unit not in (None, DisplayUnit.YEN) and fmt not in ("table", "xlsx"):
        # Refused, not ignored: a script that asked for 千円 and got yen would be 1,000 times off.
        raise InputError(
            f"--display-unit {display_unit!r} applies to the table and xlsx; {fmt} is always in yen",
            f"--display-unit「{display_unit}」は表と xlsx でだけ使えます（{fmt} は常に円単位）。"
            "--display-unit を外してください",
            field="display_unit",
        )
    return OutputOptions(fmt, chosen, rules, output, force, debug, bom, unit)


def choose_format(given: str | None, output: str | None, command: str = "", formats: Sequence[str] = FORMATS) -> str:
    """The output format: ``--format`` if given, else the one ``--output``'s extension asks for, else table.

    A format that contradicts the file's extension is an error, not a guess: a text table
    in a file named .xlsx is what Excel cannot open.

    >>> choose_format(None, "r.XLSX"), choose_format(None, "r.out"), choose_format("json", None)
    ('xlsx', 'table', 'json')
    >>> choose_format("table", "r.xlsx")
    Traceback (most recent call last):
    ...
    astep_calc.text.InputError: --format 'table' contradicts --output 'r.xlsx': a .xlsx file is written as xlsx; drop --format or change the file name
    """
    ext = os.path.splitext(output)[1].lower() if output and output != "-" else ""
    fits = EXTENSIONS.get(ext)
    if given is None:
        fmt = fits[0] if fits else "table"
        how = Text(f" (from --output {output!r})", f"（--output「{output}」の拡張子から）") if fits else Text("", "")
    else:
        fmt = given.strip().lower()
        how = Text("", "")
    every = (*formats, *(f for f in CHECK_FORMATS if f not in formats))
    if fmt not in every:
        raise InputError(
            f"--format {given!r} is not one of {', '.join(formats)}",
            f"「{given}」という形式はありません。{'、'.join(formats)} のいずれかを指定してください",
            field="format",
        )
    if fmt not in formats:
        raise InputError(
            f"--format {fmt}{how.en} applies only to astep check",
            f"--format {fmt}{how.ja}は astep check でだけ使えます。{'、'.join(formats)} のいずれかを指定してください",
            field="format",
        )
    if given is not None and fits and fmt not in fits:
        raise InputError(
            f"--format {given!r} contradicts --output {output!r}: a {ext} file is written as {fits[0]}; "
            "drop --format or change the file name",
            f"--format「{given}」と --output「{output}」が矛盾します（{ext} ファイルは {fits[0]} 形式で書きます）。"
            "--format を外すか、ファイル名を変えてください",
            field="format",
        )
    return fmt


_KW = inspect.Parameter.KEYWORD_ONLY


def format_parameter(formats: Sequence[str]) -> inspect.Parameter:
    """``--format``, listing the formats a command takes (the same option for every command)."""
    extra = (
        (
            "; github: workflow commands that annotate the lines in a GitHub Actions run; "
            "junit: a JUnit XML report, one test case per file"
        )
        if "github" in formats
        else ""
    )
    return inspect.Parameter(
        "format_",
        _KW,
        default=None,
        annotation=Annotated[
            str | None,
            typer.Option(
                "--format",
                "-f",
                metavar="|".join(formats),
                show_default=False,
                help="Output format (default: from the --output file's extension, .json .csv .xlsx .txt, else table); "
                f"xlsx needs --output{extra}.",
            ),
        ],
    )


COMMON_PARAMETERS = [
    format_parameter(FORMATS),
    inspect.Parameter(
        "lang",
        _KW,
        default=None,
        annotation=Annotated[
            str | None,
            typer.Option(
                "--lang", metavar="ja|en", help="Output language (default: Japanese when LC_ALL/LANG starts with ja)."
            ),
        ],
    ),
    inspect.Parameter(
        "rules",
        _KW,
        default=None,
        annotation=Annotated[
            str | None, typer.Option("--rules", metavar="FILE", help="Rulebook TOML to use instead of the bundled one.")
        ],
    ),
    inspect.Parameter(
        "output",
        _KW,
        default=None,
        annotation=Annotated[
            str | None,
            typer.Option(
                "--output", "-o", metavar="FILE", help="Write the output to FILE (atomically) instead of the terminal."
            ),
        ],
    ),
    inspect.Parameter(
        "force",
        _KW,
        default=False,
        annotation=Annotated[bool, typer.Option("--force", help="Replace the --output file if it exists.")],
    ),
    inspect.Parameter(
        "debug",
        _KW,
        default=False,
        annotation=Annotated[bool, typer.Option("--debug", help="Show the Python traceback of an unexpected error.")],
    ),
    inspect.Parameter(
        "bom",
        _KW,
        default=False,
        annotation=Annotated[
            bool,
            typer.Option(
                "--bom",
                help="CSV as UTF-8 with a byte order mark and CRLF line ends, which Japanese Excel "
                "opens without mojibake (plain CSV stays UTF-8 with LF, for scripts).",
            ),
        ],
    ),
    inspect.Parameter(
        "display_unit",
        _KW,
        default=None,
        annotation=Annotated[
            str | None,
            typer.Option(
                "--display-unit",
                metavar="yen|thousand|ten-thousand",
                show_default=False,
                help="Show amounts in tables and xlsx in yen, thousands (千円) or ten thousands (万円) of yen; "
                "the title names the unit, and an amount not whole in it shows its decimals (never rounded). "
                "JSON and CSV are always in yen: with them any other unit is an error.",
            ),
        ],
    ),
]
_COMMON_NAMES = [p.name for p in COMMON_PARAMETERS]


#: ``--business-day``, declared once for every command that dates money (disburse, repay,
#: scenarios, plan); :func:`business_day` reads it.
BusinessDayOpt = Annotated[
    str | None,
    typer.Option(
        "--business-day",
        metavar="none|following|preceding|modified-following|modified-preceding",
        show_default=False,
        help="An advance or due date on a Saturday, Sunday, national holiday or Dec 31–Jan 3 moves to the next "
        "business day (following), the previous one (preceding), or that one unless it leaves the month "
        "(modified-following, modified-preceding), never out of its window (an advance's quarter, a "
        "payment's term); default none: not moved, but marked in tables.",
    ),
]


def business_day(text: str | None, default: BusinessDay = BusinessDay.NONE) -> BusinessDay:
    """The ``--business-day`` convention (``default`` when the option is not given).

    >>> business_day("following"), business_day(None)
    (<BusinessDay.FOLLOWING: 'following'>, <BusinessDay.NONE: 'none'>)
    """
    return default if text is None else BusinessDay.parse(text)


View = Report | Document
Command = Callable[..., View]

#: The option that gives each input field the core names (``InputError.field``,
#: ``Assumption.setting``), in the core's vocabulary. Where several options give one
#: field, the first the command has is used: ``end`` is ``--end`` for ``budget`` and
#: ``--dev-end`` for ``repay``. A dotted field (``repayment.term``) falls back to its
#: last part. A switch is named as its pair (``--prorate-last/--no-prorate-last``), as
#: ``--help`` shows it, so the assumption names the way to change it whichever is in force.
FLAGS: dict[str, tuple[str, ...]] = {
    "menu": ("--menu",),
    "start": ("--start",),
    "stop": ("--stop",),
    "end": ("--end", "--dev-end"),
    "dev_end": ("--dev-end", "--end"),
    "months": ("--months",),
    "period": ("--months", "--end"),
    "proration": ("--proration",),
    "prorate_last": ("--prorate-last/--no-prorate-last",),  # a switch: either way may be the change
    "round": ("--round",),
    "round_unit": ("--round",),
    "indirect_rate": ("--indirect-rate",),
    "amount": ("--amount",),
    "grade": ("--grade",),
    "deferral": ("--deferral",),
    "deferral_months": ("--deferral",),
    "term": ("--term",),
    "term_months": ("--term",),
    "every": ("--every",),
    "every_months": ("--every",),
    "lump": ("--lump",),
    "due": ("--due",),
    "remainder": ("--remainder",),
    "unit": ("--unit",),
    "payments": ("--payments",),
    "discount_rate": ("--discount-rate",),
    "business_day": ("--business-day",),
    "display_unit": ("--display-unit",),
    "rate": ("--discount-rate", "--indirect-rate"),
    "format": ("--format",),
    "lang": ("--lang",),
    "rules": ("--rules",),
    "output": ("--output",),
}


def option_names(params: "Collection[inspect.Parameter]") -> frozenset[str]:
    """The options of a command, from its parameters (``round_`` is ``--round``)."""
    return frozenset("--" + p.name.rstrip("_").replace("_", "-") for p in params)


def flag_for(field: str | None, options: Collection[str]) -> str | None:
    """The option of this command that gives ``field``, or None.

    >>> flag_for("repayment.term", {"--term"}), flag_for("end", {"--dev-end"}), flag_for("end", set())
    ('--term', '--dev-end', None)
    >>> flag_for("prorate_last", {"--prorate-last"})
    '--prorate-last/--no-prorate-last'
    """
    if not field:
        return None
    for name in dict.fromkeys((field, field.rsplit(".", 1)[-1])):
        for flag in FLAGS.get(name, ()):
            if flag.split("/")[0] in options:
                return flag
    return None


def error_line(exc: InputError, lang: Lang, options: Collection[str]) -> str:
    """An input error as the command line says it: the option first, then the core's message.

    An error located in a file (a plan key at its line) names its key there: no option
    is put in front of it, even when an option shares the key's name.

    >>> error_line(InputError("'0' must be at least 1 month", field="term"), "en", {"--term"})
    "--term '0' must be at least 1 month"
    >>> from astep_calc.reader import LocatedError
    >>> error_line(LocatedError("p.toml:3: key 'term': bad", field="term"), "en", {"--term"})
    "p.toml:3: key 'term': bad"
    """
    from astep_calc.reader import LocatedError

    message = exc.message(lang)
    flag = None if isinstance(exc, LocatedError) else flag_for(exc.field, options)
    if flag is None or message.startswith(flag):
        return message
    return f"{flag}：{message}" if lang == "ja" else f"{flag} {message}"


def assumption_text(item: "Text | Assumption", options: Collection[str]) -> Text:
    """An assumption as the command line says it: with the option that changes it, if this command has it.

    >>> assumption_text(Assumption(Text("rounded down", "切り捨て"), "round"), {"--round"}).ja
    '切り捨て（--round で変更可）'
    """
    if isinstance(item, Text):
        return item
    flag = flag_for(item.setting, options)
    if flag is None:
        return item.text
    return Text(f"{item.text.en} ({flag})", f"{item.text.ja}（{flag} で変更可）")


def command(
    app: typer.Typer, name: str, *, formats: Sequence[str] = FORMATS, amounts: bool = True
) -> Callable[[Command], Command]:
    """Register ``fn(**own_options, opts=OutputOptions) -> Report`` as an ``astep`` subcommand.

    ``formats`` are the ``--format`` values it takes (``check`` adds github and junit).
    ``amounts=False``: its output has no amounts a unit could scale (a check's verdicts, the
    schema), so it does not offer ``--display-unit``: asking for one is a usage error,
    never a unit silently ignored.
    """

    def register(fn: Command) -> Command:
        # eval_str: a module with `from __future__ import annotations` gives its option types as strings
        own = [p for p in inspect.signature(fn, eval_str=True).parameters.values() if p.name != "opts"]
        common = [
            format_parameter(formats) if p.name == "format_" else p
            for p in COMMON_PARAMETERS
            if amounts or p.name != "display_unit"
        ]
        options = option_names(own + common)

        @functools.wraps(fn)
        def run(**kwargs: Any) -> None:
            given = {k: kwargs.pop(k, None) for k in _COMMON_NAMES}
            debug = bool(given["debug"])
            lang: Lang = default_lang()
            try:
                if str(given["lang"] or "").strip().lower() in ("ja", "en"):  # errors in --format speak it too
                    lang = "ja" if str(given["lang"]).strip().lower() == "ja" else "en"
                opts = _parse_common(**given, command=name, formats=formats)
                lang = opts.lang
                report = fn(opts=opts, **kwargs)
                if isinstance(report, Report):
                    report = dataclasses.replace(
                        report, assumptions=[assumption_text(a, options) for a in report.assumptions]
                    )
                emit(report, opts)
                raise typer.Exit(report.exit_code if isinstance(report, Report) else 0)
            except InputError as exc:
                fail(error_line(exc, lang, options), lang)
            except OSError as exc:
                fail(os_error(exc).in_lang(lang), lang)
            except (typer.Exit, typer.Abort, SystemExit, KeyboardInterrupt):
                raise
            except Exception as exc:
                if debug:
                    raise
                fail(unexpected(exc).in_lang(lang), lang)

        params = own + common
        run.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
        run.__annotations__ = {p.name: p.annotation for p in params}
        app.command(name)(run)
        return fn

    return register


def unexpected(exc: BaseException) -> Text:
    """The one line for an error nobody planned for (the traceback is behind ``--debug``)."""
    detail = " ".join(str(exc).split())[:200]
    return Text(
        f"unexpected error ({type(exc).__name__}: {detail}); run again with --debug to see the traceback",
        f"予期しないエラーです（{type(exc).__name__}: {detail}）。"
        "--debug を付けて再実行すると詳細（トレースバック）を表示します",
    )


def os_error(exc: OSError) -> Text:
    """A file system error as one line: what went wrong and the file.

    >>> os_error(FileNotFoundError(2, "No such file or directory", "p.toml")).ja
    '「p.toml」を開けません：ファイルまたはフォルダがありません'
    """
    from astep_calc.reader import os_reason

    reason = os_reason(exc)
    en = f"{reason.en}: {exc.filename!r}" if exc.filename else reason.en
    return Text(en, f"「{exc.filename}」を開けません：{reason.ja}" if exc.filename else reason.ja)


#: The prefix of every error line, in each language.
ERROR_PREFIX = Text("astep: error: ", "astep: エラー：")


def fail(message: str, lang: Lang = "en") -> NoReturn:
    """Exit 2 with one line on standard error (in UTF-8 where the terminal's encoding falls short)."""
    if not _utf8(sys.stderr) and hasattr(sys.stderr, "reconfigure"):
        sys.stderr.reconfigure(errors="replace")
    warn(message, lang)
    raise typer.Exit(2)


def warn(message: str, lang: Lang = "en") -> None:
    """One ``astep: error:`` (``astep: エラー：``) line on standard error, safe for a terminal
    (see :func:`one_line`).

    A standard error that cannot be written (closed, full) changes nothing else.
    """
    try:
        typer.echo(f"{ERROR_PREFIX.in_lang(lang)}{one_line(message)}", err=True)
    except (OSError, ValueError):
        pass


def render(report: View, opts: OutputOptions) -> Iterator[str] | bytes:
    """The report in the chosen format (a table laid out for the terminal unless ``--output``):
    bytes for a workbook, else text in pieces (JSON a check's file entry at a time, so that
    a report of any size is written without being held whole)."""
    if isinstance(report, Document):
        if opts.format in ("csv", "xlsx"):
            raise InputError(
                f"astep {report.command} prints a JSON document; --format {opts.format} does not apply",
                f"astep {report.command} はJSON文書を出力するため、--format {opts.format} は使えません。"
                "--format json または table を指定してください",
            )
        return iter([report.text])
    if isinstance(report, CheckReport):  # each file's JSON entry or table came rendered already
        pieces = render_check(report, opts.format, opts.lang, opts.table_console)
        if pieces is not None:
            return pieces
    if opts.format == "xlsx":
        from astep_calc.cli.xlsx import to_xlsx

        return to_xlsx(in_unit(report, opts.unit or DisplayUnit.YEN), opts.lang)
    if opts.format in CHECK_FORMATS:
        from astep_calc.cli.ci import to_github, to_junit

        return iter([(to_github if opts.format == "github" else to_junit)(report, opts.lang)])
    if opts.format == "json":
        return json_parts(report, opts.lang)
    if opts.format == "csv":
        return iter([to_csv(report, opts.lang, excel=opts.bom)])
    return iter([table_text(in_unit(report, opts.unit or DisplayUnit.YEN), opts.lang, opts.table_console())])


def _utf8(stream: Any) -> bool:
    return str(getattr(stream, "encoding", "") or "").lower().replace("-", "").replace("_", "") == "utf8"


def emit(report: View, opts: OutputOptions) -> None:
    """Print the report, or write it to ``--output`` atomically (see :mod:`astep_calc.cli.output`).

    CSV carries only the table, so with CSV the broken rules go to standard error: the
    exit code 1 never comes without its reason. JSON and CSV are always UTF-8, whatever
    the terminal's encoding; a table shows "?" for what the terminal cannot encode. A
    reader that stops reading (``| head``) does not change the exit code.
    """
    if opts.format == "csv" and isinstance(report, Report) and not report.files:
        for v in report.violations or ():
            with contextlib.suppress(OSError, ValueError):
                sys.stderr.write(f"astep: {v.rule}: {printable(v.text.in_lang(opts.lang))}\n")
    if opts.to_file:  # "-" is standard output, as in most tools
        _write_file(report, opts)
        return
    try:
        if opts.format == "table" and isinstance(report, Report) and not _utf8(sys.stdout):
            if hasattr(sys.stdout, "reconfigure"):
                sys.stdout.reconfigure(errors="replace")
        pieces = render(report, opts)
        assert not isinstance(pieces, bytes)  # xlsx needs --output (checked with the options)
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is not None and not _utf8(sys.stdout) and opts.format != "table":
            sys.stdout.flush()
            for text in pieces:
                buffer.write(text.encode("utf-8"))
            buffer.flush()
        else:
            for text in pieces:
                sys.stdout.write(text)
            sys.stdout.flush()
    except OSError as exc:
        # Send what is left nowhere, so that the flush at exit is quiet.
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError, io.UnsupportedOperation):
            pass
        if exc.errno in (errno.EPIPE, errno.EBADF):
            return  # the reader has gone (| head) or there is none (>&-): the exit code stands
        reason = exc.strerror or type(exc).__name__
        from astep_calc.reader import os_reason

        raise InputError(
            f"standard output cannot be written: {reason}", f"標準出力に書き込めません：{os_reason(exc).ja}"
        ) from None


def _write_file(report: View, opts: OutputOptions) -> None:
    from astep_calc.cli.output import check_target, publish

    assert opts.output is not None
    check_target(opts.output, opts.force)  # before rendering: refuse what can never be written
    data = render(report, opts)
    publish(opts.output, data if isinstance(data, bytes) else (text.encode("utf-8") for text in data), force=opts.force)
