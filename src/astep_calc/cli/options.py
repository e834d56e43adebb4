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
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, NoReturn

import typer

from astep_calc.business_days import BusinessDay
from astep_calc.cli import complete
from astep_calc.cli.formats import (
    FORMATS,
    Format,
    check_date_style,
    check_options,
    check_reports,
    choose_format,
    choose_report,
    format_help,
    formats_for,
    render,
)
from astep_calc.cli.helptext import AstepCommand, Help, describe
from astep_calc.cli.safe import one_line, printable
from astep_calc.cli.usage import is_utf8
from astep_calc.cli.views import Document, Report
from astep_calc.dates import DateStyle
from astep_calc.money import DisplayUnit
from astep_calc.rulebook import Rulebook, load_rulebook
from astep_calc.text import Assumption, InputError, Lang, Text


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
    #: More reports of the same result, each its format and file (``--report FORMAT:PATH``).
    reports: tuple[tuple[str, str], ...] = ()
    #: How dates read in output for people (``--date-style``); JSON stays ISO. None when the
    #: option is not given: ISO, or the plan's ``date_style`` for ``astep plan``.
    date_style: DateStyle | None = None

    @property
    def formats(self) -> frozenset[str]:
        """Every format the result is written in: ``--format``'s and each ``--report``'s."""
        return frozenset((self.format, *(name for name, _ in self.reports)))

    def report_options(self) -> "list[OutputOptions]":
        """The options each ``--report`` is written with: its format, its file, the rest as given."""
        return [dataclasses.replace(self, format=name, output=path, reports=()) for name, path in self.reports]

    def rulebook(self) -> Rulebook:
        return load_rulebook(self.rules_path)

    @property
    def spec(self) -> Format:
        """The chosen format as :data:`~astep_calc.cli.formats.FORMATS` declares it."""
        return FORMATS[self.format]

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
    report: Sequence[str] | None = None,
    date_style: str | None = None,
    *,
    command: str = "",
    document: bool = False,
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
    fmt = choose_format(format_, output, command, document=document)
    unit = check_options(fmt, formats_for(command, document=document), bom=bom, display_unit=display_unit)
    reports = tuple(choose_report(r, command) for r in report or ())
    check_reports(reports, output)
    style = check_date_style(fmt, formats_for(command, document=document), date_style, chosen)
    return OutputOptions(fmt, chosen, rules, output, force, debug, bom, unit, reports, style)


_KW = inspect.Parameter.KEYWORD_ONLY


def format_parameter(formats: Sequence[str]) -> inspect.Parameter:
    """``--format``, listing the formats a command takes (the same option for every command)."""
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
                help=format_help(formats),
                autocompletion=complete.formats(formats),
            ),
        ],
    )


COMMON_PARAMETERS = [
    format_parameter(tuple(FORMATS)),  # each command lists its own (see command())
    inspect.Parameter(
        "lang",
        _KW,
        default=None,
        annotation=Annotated[
            str | None,
            typer.Option(
                "--lang",
                metavar="ja|en",
                help=Help(
                    "Output language, and --help's (default: Japanese when LC_ALL/LANG starts with ja).",
                    "出力とヘルプの言語（既定：環境変数 LC_ALL／LANG が ja で始まれば日本語）。",
                ),
                autocompletion=complete.lang,
            ),
        ],
    ),
    inspect.Parameter(
        "rules",
        _KW,
        default=None,
        annotation=Annotated[
            str | None,
            typer.Option(
                "--rules",
                metavar="FILE",
                help=Help(
                    "Rulebook TOML to use instead of the bundled one.",
                    "同梱のルールブックの代わりに使うルールブック（TOML）。公募要領の数字が変わったときに。",
                ),
            ),
        ],
    ),
    inspect.Parameter(
        "output",
        _KW,
        default=None,
        annotation=Annotated[
            str | None,
            typer.Option(
                "--output",
                "-o",
                metavar="FILE",
                help=Help(
                    "Write the output to FILE (atomically) instead of the terminal.",
                    "結果を端末ではなく FILE に書き出します（途中で失敗しても壊れたファイルは残りません）。",
                ),
            ),
        ],
    ),
    inspect.Parameter(
        "force",
        _KW,
        default=False,
        annotation=Annotated[
            bool,
            typer.Option(
                "--force",
                help=Help("Replace the --output file if it exists.", "--output のファイルが既にあれば上書きします。"),
            ),
        ],
    ),
    inspect.Parameter(
        "debug",
        _KW,
        default=False,
        annotation=Annotated[
            bool,
            typer.Option(
                "--debug",
                help=Help(
                    "Show the Python traceback of an unexpected error.",
                    "想定外のエラーが起きたとき、Python のトレースバックを表示します。",
                ),
            ),
        ],
    ),
    inspect.Parameter(
        "bom",
        _KW,
        default=False,
        annotation=Annotated[
            bool,
            typer.Option(
                "--bom",
                help=Help(
                    "CSV as UTF-8 with a byte order mark and CRLF line ends, which Japanese Excel "
                    "opens without mojibake (plain CSV stays UTF-8 with LF, for scripts).",
                    "CSV を BOM 付き UTF-8・改行 CRLF で書きます。日本語版 Excel で開いても文字化けしません"
                    "（指定しない CSV はスクリプト向けに BOM なし UTF-8・改行 LF）。",
                ),
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
                help=Help(
                    "Show amounts in tables and xlsx in yen, thousands (千円) or ten thousands (万円) of yen; "
                    "the title names the unit, and an amount not whole in it shows its decimals (never rounded). "
                    "JSON and CSV are always in yen: with them any other unit is an error.",
                    "表と xlsx の金額を円・千円（thousand）・万円（ten-thousand）で表示します。単位は表題に示し、"
                    "単位で割り切れない金額は小数で示します（丸めません）。JSON と CSV は常に円単位で、"
                    "ほかの単位を指定するとエラーになります。",
                ),
                autocompletion=complete.display_unit,
            ),
        ],
    ),
    inspect.Parameter("report", _KW, default=None),  # a command that writes reports gets report_parameter()
    inspect.Parameter(
        "date_style",
        _KW,
        default=None,
        annotation=Annotated[
            str | None,
            typer.Option(
                "--date-style",
                metavar="iso|wareki",
                show_default=False,
                help=Help(
                    "Dates in tables, CSV, xlsx and markdown as ISO 2026-10-01 (the default) or, in Japanese "
                    "output, in the era: wareki, 令和8年10月1日 (a workbook keeps date cells). JSON is always ISO.",
                    "表・CSV・xlsx・markdown の日付の書き方：ISO の 2026-10-01（既定）、または和暦（wareki）の"
                    "令和8年10月1日（日本語の出力のみ。ブックでは日付のセルのまま和暦で表示）。JSON は常に ISO です。",
                ),
                autocompletion=complete.date_style,
            ),
        ],
    ),
]
_COMMON_NAMES = [p.name for p in COMMON_PARAMETERS]


def report_parameter(formats: Sequence[str]) -> inspect.Parameter:
    """``--report FORMAT:PATH``, repeatable, for a command that writes several reports of one result."""
    names = [f for f in formats if not FORMATS[f].binary]
    return inspect.Parameter(
        "report",
        _KW,
        default=None,
        annotation=Annotated[
            list[str] | None,
            typer.Option(
                "--report",
                metavar="FORMAT:PATH",
                show_default=False,
                help=Help(
                    "Also write the result as FORMAT to the file PATH (repeatable; each file is what --format "
                    f"FORMAT --output PATH would write, the plans read once). FORMAT: {', '.join(names)}.",
                    "同じ結果を FORMAT 形式でファイル PATH にも書きます（繰り返し指定可。各ファイルは "
                    "--format FORMAT --output PATH で書くものと同じで、計画ファイルは1回だけ読みます）。"
                    f"FORMAT：{'、'.join(names)}。",
                ),
                autocompletion=complete.reports(names),
            ),
        ],
    )


#: ``--business-day``, declared once for every command that dates money (disburse, repay,
#: scenarios, plan); :func:`business_day` reads it.
BusinessDayOpt = Annotated[
    str | None,
    typer.Option(
        "--business-day",
        metavar="none|following|preceding|modified-following|modified-preceding",
        show_default=False,
        autocompletion=complete.business_day,
        help=Help(
            "An advance or due date on a Saturday, Sunday, national holiday or Dec 31–Jan 3 moves to the next "
            "business day (following), the previous one (preceding), or that one unless it leaves the month "
            "(modified-following, modified-preceding), never out of its window (an advance's quarter, a "
            "payment's term); default none: not moved, but marked in tables.",
            "前払日・返済期日が土曜・日曜・祝日・12月31日〜1月3日に当たるときの移し方：翌営業日（following）、"
            "前営業日（preceding）、月をまたぐ場合は逆方向にする修正翌営業日（modified-following）・"
            "修正前営業日（modified-preceding）。前払いは当該四半期、返済は返済期間の外には移しません。"
            "既定の none は移さず、表で休業日に印を付けます。",
        ),
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
#: The formats each registered command takes, in ``--format``'s order (filled by :func:`command`).
COMMAND_FORMATS: dict[str, tuple[str, ...]] = {}

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
    "company": ("--company",),
    "discount_rate": ("--discount-rate",),
    "value_date": ("--value-date",),
    "pre_money": ("--pre-money",),
    "exit_value": ("--exit-value",),
    "exit_date": ("--exit-date",),
    "business_day": ("--business-day",),
    "display_unit": ("--display-unit",),
    "date_style": ("--date-style",),
    "rate": ("--discount-rate", "--indirect-rate"),
    "format": ("--format",),
    "report": ("--report",),
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
    >>> assumption_text(Assumption(Text("by days", "日数按分"), "proration", "day"), {"--proration"}).en
    'by days (--proration day)'
    """
    if isinstance(item, Text):
        return item
    flag = flag_for(item.setting, options)
    if flag is None:
        return item.text
    if item.value is not None:
        flag = f"{flag} {item.value}"
    return Text(f"{item.text.en} ({flag})", f"{item.text.ja}（{flag} で変更可）")


def command(
    app: typer.Typer, name: str, *, ja: str, amounts: bool = True, dates: bool = True, reports: bool = False
) -> Callable[[Command], Command]:
    """Register ``fn(**own_options, opts=OutputOptions) -> Report`` as an ``astep`` subcommand.

    Its description is ``fn``'s docstring, ending in an example, and ``ja`` the same in
    Japanese without the example (:func:`~astep_calc.cli.helptext.describe`): ``--help``
    shows the one of the run's language, as each option's :class:`~astep_calc.cli.helptext.Help`.

    The ``--format`` values it takes are those of :data:`~astep_calc.cli.formats.FORMATS`
    that take the command (a command returning a :class:`Document` takes those that print
    one); ``--bom`` is offered when one of them is CSV. ``amounts=False``: its output has no
    amounts a unit could scale (a check's verdicts, the schema), so it does not offer
    ``--display-unit``: asking for one is a usage error, never a unit silently ignored.
    ``dates=False``: its output shows no dates a style could change, so it does not offer
    ``--date-style``. ``reports=True``: it takes ``--report FORMAT:PATH`` (``astep check``), each report
    rendered from the one result and written as ``--output`` would write it.
    """

    def register(fn: Command) -> Command:
        # eval_str: a module with `from __future__ import annotations` gives its option types as strings
        signature = inspect.signature(fn, eval_str=True)
        document = signature.return_annotation is Document
        formats = COMMAND_FORMATS[name] = formats_for(name, document=document)
        own = [p for p in signature.parameters.values() if p.name != "opts"]
        offered = {
            "display_unit": amounts,
            "date_style": dates,
            "bom": any(FORMATS[f].bom for f in formats),
            "report": reports,
        }
        common = [
            format_parameter(formats) if p.name == "format_" else report_parameter(formats) if p.name == "report" else p
            for p in COMMON_PARAMETERS
            if offered.get(p.name, True)
        ]
        options = option_names(own + common)

        @functools.wraps(fn)
        def run(**kwargs: Any) -> None:
            given = {k: kwargs.pop(k, None) for k in _COMMON_NAMES}
            given["bom"] = bool(given["bom"])
            debug = bool(given["debug"])
            lang: Lang = default_lang()
            try:
                if str(given["lang"] or "").strip().lower() in ("ja", "en"):  # errors in --format speak it too
                    lang = "ja" if str(given["lang"]).strip().lower() == "ja" else "en"
                opts = _parse_common(**given, command=name, document=document)
                lang = opts.lang
                if opts.reports:  # before the work: refuse a file that can never be written
                    from astep_calc.cli.output import check_target

                    for target in opts.report_options():
                        assert target.output is not None
                        check_target(target.output, opts.force)
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
        describe(name, fn.__doc__, ja)
        app.command(name, cls=AstepCommand)(run)
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
    warn(message, lang)
    raise typer.Exit(2)


def warn(message: str, lang: Lang = "en") -> None:
    """One ``astep: error:`` (``astep: エラー：``) line on standard error, safe for a terminal
    (see :func:`one_line`).

    A standard error that cannot be written (closed, full) changes nothing else; one that is
    not UTF-8 shows "?" for what it cannot encode, as a table does.
    """
    try:
        sys.stderr.write(f"{ERROR_PREFIX.in_lang(lang)}{one_line(message)}\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def emit(report: View, opts: OutputOptions) -> None:
    """Print the report, or write it to ``--output`` atomically (see :mod:`astep_calc.cli.output`).

    CSV carries only the table, so with CSV the broken rules go to standard error: the
    exit code 1 never comes without its reason. JSON and CSV are always UTF-8, whatever
    the terminal's encoding, and so is a document (the schema's JSON) in any format; a
    table shows "?" for what the terminal cannot encode (see
    :func:`~astep_calc.cli.usage.ensure_standard_streams`). A reader that stops reading
    (``| head``) does not change the exit code.
    """
    if opts.spec.table_only and isinstance(report, Report) and not report.files:
        for v in report.violations or ():
            with contextlib.suppress(OSError, ValueError):
                sys.stderr.write(f"astep: {v.rule}: {printable(v.text.in_lang(opts.lang))}\n")
    if opts.to_file:  # "-" is standard output, as in most tools
        _write_file(report, opts)
    else:
        _print(report, opts)
    for each in opts.report_options():  # --report: the same result, each as --output would write it
        _write_file(report, each)


def _print(report: View, opts: OutputOptions) -> None:
    """The report on standard output."""
    try:
        pieces = render(report, opts)
        assert not isinstance(pieces, bytes)  # xlsx needs --output (checked with the options)
        buffer = getattr(sys.stdout, "buffer", None)
        utf8 = opts.spec.utf8 or isinstance(report, Document)  # a document (JSON, a plan file) is UTF-8
        if buffer is not None and not is_utf8(sys.stdout) and utf8:
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
