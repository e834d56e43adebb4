"""``astep check``: every programme rule each plan file breaks, for people and for CI; ``astep schema``."""

import functools
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import typer

from astep_calc.cli.helptext import Help
from astep_calc.cli.options import OutputOptions, command, warn
from astep_calc.cli.program import app
from astep_calc.cli.safe import undecodable
from astep_calc.cli.views import CheckView, Document, FilePart, FileStatus, Report
from astep_calc.text import InputError, Text

if TYPE_CHECKING:
    from astep_calc.cli.check_scale import Rendering


@command(
    app,
    "check",
    amounts=False,
    dates=False,
    reports=True,
    ja="""計画ファイルを制度のルールに照らして検査し、各ファイルの違反をすべてルールIDとともに示します。

    すべての計画が適合すれば終了コード 0、いずれかがルールに違反すれば 1、計画ファイルとして
    読めないファイルがあれば 2 です（読めないファイルは1件ごとに標準エラーに1行。ほかのファイルは
    検査して結果を示します）。数値は同じ入力の astep budget・astep repay と同じです。複数フェーズの
    計画（[[phase]]）はフェーズごとに検査し、phase.overlap と phase.gate も検査します。違反には
    フェーズを示します。

    フォルダを指定すると、その中とサブフォルダの *.toml と *.json のファイルをすべて、名前の順に
    検査します（名前がドットで始まるフォルダとファイル、--rules のファイルは除きます）。計画ファイルの
    ないフォルダは読めないものとして示します。

    CI 向けに、--format github は違反（と読めないファイル）ごとに GitHub Actions の注釈をファイルと
    行に付け、--format junit はファイルごとに1テストケースの JUnit XML を、--format sarif は
    コードスキャン用の SARIF 2.1.0 を、--format markdown はジョブサマリーを書きます。
    --report FORMAT:PATH は同じ検査の別の形式の報告をファイルに書きます（繰り返し指定可。
    計画ファイルは1回だけ読みます）。""",
)
def check(
    plans: Annotated[
        list[str],
        typer.Argument(
            metavar="PLAN...",
            help=Help(
                "Plan files (TOML, or JSON ending in .json) to check, or folders: their *.toml and *.json "
                "files, recursively, in sorted order, hidden folders and files skipped.",
                "検査する計画ファイル（TOML、または拡張子 .json の JSON）、またはフォルダ（その中とサブフォルダの "
                "*.toml と *.json を名前の順に。隠しフォルダ・隠しファイルは除く）。",
            ),
            show_default=False,
        ),
    ],
    *,
    opts: OutputOptions,
) -> Report:
    """Check plan files against the programme rules: every violation of every file, with its rule id.

    Exit 0 when every plan holds, 1 when any breaks a rule, 2 when any file is not a
    readable plan (each such file gets one line on standard error; the others are
    still checked and reported). The numbers are those of `astep budget` and
    `astep repay` on the same inputs. A plan of several phases ([[phase]]) is checked
    phase by phase, plus phase.overlap and phase.gate; each violation names its phase.

    A folder stands for its plan files: every *.toml and *.json file in it and in its
    subfolders, in sorted order, leaving out folders and files whose name starts with a
    dot (and the --rules file); a folder with none is reported as unreadable.

    For CI: --format github prints one GitHub Actions annotation a violation (and
    unreadable file) at its file and line; --format junit writes a JUnit XML report,
    one test case a file; --format sarif a SARIF 2.1.0 log for code scanning;
    --format markdown a job summary (GitHub-flavoured). --report FORMAT:PATH writes
    another report of the same check to a file (repeatable), the plans read once.

    Example: astep check plans --format github --report junit:junit.xml --report sarif:astep.sarif
    """
    from astep_calc.cli.check_scale import check_files

    rules = opts.rulebook()
    view = CheckView(rules, details="json" in opts.formats)

    def warn_unreadable(status: FileStatus) -> None:
        if status.error is not None:
            warn(status.error.in_lang(opts.lang), opts.lang)

    return check_files(
        distinct_paths(plan_files(plans, opts.rules_path)),
        functools.partial(check_one, view),
        _rendering(opts),
        rules.id,
        warn_unreadable,
    )


def _rendering(opts: OutputOptions) -> "Rendering":
    """What is rendered of each file where it is checked: its JSON entry when a JSON report is
    written, its table laid out for the console the report will be drawn on (read here, once)
    when the output is a table."""
    from astep_calc.cli.check_scale import Rendering

    layout = None
    if opts.format == "table":
        from astep_calc.cli.report import Layout

        layout = Layout.of(opts.table_console(), opts.lang)
    return Rendering(json_lang=opts.lang if "json" in opts.formats else None, layout=layout, lang=opts.lang)


#: The file names a folder's plan files end in.
PLAN_SUFFIXES = (".toml", ".json")


def plan_files(paths: Sequence[str], rules: str | None = None) -> list[str]:
    """The files to check: a file as it is named, a folder as the plan files in it (:func:`plans_in`).

    A folder that holds no plan file is kept as it is named, so that the check reports it
    (a folder is no readable plan) rather than passing on nothing.
    """
    out: list[str] = []
    for path in paths:
        found = plans_in(path, rules) if os.path.isdir(path) else None
        out += found if found else [path]
    return out


def plans_in(folder: str, rules: str | None = None) -> list[str]:
    """The ``*.toml`` and ``*.json`` files under ``folder``, at any depth, in sorted order (by
    folder, then name), named from ``folder`` with forward slashes (``plans/sub/a.toml``).

    Folders and files whose name starts with a dot (``.git``, ``.github``) are left out,
    as is the rulebook ``rules`` (``--rules``) when it lies there; symbolic links to
    folders are not followed (no loop can make a check endless), those to files are.
    A subfolder that cannot be read is kept as it is named, so the check reports it.
    """
    skip = _identity(rules) if rules else None
    found: list[tuple[tuple[str, ...], str]] = []
    unreadable: list[str] = []

    def failed(exc: OSError) -> None:
        if exc.filename is not None and os.fsdecode(exc.filename) != folder:
            unreadable.append(os.fsdecode(exc.filename))

    prefix = "" if os.path.normpath(folder) == "." else folder.rstrip("/" + os.sep) + "/"
    for root, dirs, files in os.walk(folder, onerror=failed):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        parts = tuple(p for p in os.path.relpath(root, folder).split(os.sep) if p != ".")
        for name in files:
            if name.startswith(".") or not name.endswith(PLAN_SUFFIXES):
                continue
            if skip is not None and _identity(os.path.join(root, name)) == skip:
                continue
            found.append(((*parts, name), prefix + "/".join((*parts, name))))
    return [path for _, path in sorted(found)] + sorted(unreadable)


def _identity(path: str) -> object:
    """A file's device and inode (its real path when it cannot be looked up)."""
    try:
        st = os.stat(path)
        return (st.st_dev, st.st_ino)
    except (OSError, ValueError):
        return os.path.realpath(path)


def distinct_paths(paths: list[str]) -> list[str]:
    """Each file once, in the order first named: a path named twice, or two names of the
    same file (``./a.toml`` and ``a.toml``, a symbolic or hard link), is checked once.

    Files that exist are the same when :func:`os.path.samefile` would say so (device and
    inode); a name that cannot be looked up is compared by :func:`os.path.realpath`, so
    ``nosuch.toml`` and ``./nosuch.toml`` are one unreadable file, not two.

    >>> distinct_paths(["nosuch.toml", "./nosuch.toml", "other.toml", "nosuch.toml"])
    ['nosuch.toml', 'other.toml']
    """
    seen: set[object] = set()
    out: list[str] = []
    for path in paths:
        key = _identity(path)  # missing, unreadable folder, a NUL in the name...: its real path
        if key not in seen:
            seen.add(key)
            out.append(path)
    return out


#: What a check says of a ``[company]`` whose projections are kept in a file.
UNPROJECTED = Text(
    "A [company] without [company.flows]: company.cash and company.coverage are not checked here; "
    "astep plan PLAN --company FILE checks them with the projections' file",
    "[company.flows] のない [company] では、company.cash と company.coverage をここでは検査しない。"
    "収支見込みのファイルを指定した astep plan PLAN --company FILE で検査できる",
)


def check_one(view: CheckView, path: str) -> FilePart:
    """Read and check one plan file: its part of the report, or why it is no readable plan."""
    from astep_calc.phases import evaluate
    from astep_calc.plans import company_result, load_plan_file

    # Each file is named as every format can show it: a name that is not UTF-8 with \xNN escapes.
    shown = undecodable(path)
    if os.path.isdir(path):  # a folder with no plan file in it (plan_files keeps it as named)
        return view.unreadable(
            shown,
            Text(
                f"{shown}: cannot be read: a folder with no plan file (*.toml, *.json) in it",
                f"{shown}：読み込めません：計画ファイル（*.toml、*.json）が1つもないフォルダです",
            ),
        )
    try:
        plan_file = load_plan_file(path, view.rules)
        result = evaluate(view.rules, plan_file.model)
        projected = plan_file.company is not None and bool(plan_file.company.flows)
        # company.cash and company.coverage, when [company] gives its projections
        company = company_result(plan_file, result) if projected else None
        notes = (UNPROJECTED,) if plan_file.company is not None and not projected else ()
        if plan_file.multi:  # [[phase]] tables: each violation is named by its phase
            return view.checked_phases(shown, plan_file.model.title, result, plan_file.lines, company, notes)
        return view.checked(shown, result, plan_file.lines, company, notes)
    except InputError as exc:
        reason = Text(undecodable(exc.text.en), undecodable(exc.text.ja))  # it names the file
        return view.unreadable(shown, reason)


@command(
    app,
    "schema",
    amounts=False,
    dates=False,
    ja="""計画ファイルの JSON Schema（draft 2020-12）を出力します。エディタが入力中の計画ファイルを検査できます。

    メニューと評価は使用中のルールブック（--rules）のものです。計画ファイルと同じフォルダに保存し、
    エディタに指定してください：JSON の計画なら "$schema"、TOML の計画なら1行目に
    "#:schema ./plan.schema.json"（Even Better TOML／Taplo）、またはエディタのスキーマ設定。""",
)
def schema(*, opts: OutputOptions) -> Document:
    """Print the JSON Schema (draft 2020-12) of plan files, for editors to validate plans as they are typed.

    Its menus and grades are those of the rulebook in force (--rules). Save it next to
    your plans, then point your editor at it: "$schema" in a JSON plan, a
    "#:schema ./plan.schema.json" first line in a TOML plan (Even Better TOML / Taplo),
    or your editor's schema settings.

    Example: astep schema --output plan.schema.json
    """
    from astep_calc.plan_schema import plan_schema_text

    rules = opts.rulebook()
    return Document("schema", plan_schema_text(rules))
