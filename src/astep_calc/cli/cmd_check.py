"""``astep check``: every programme rule each plan file breaks, for people and for CI; ``astep schema``."""

import functools
import gc
import os
import signal
from collections.abc import Callable, Iterator
from typing import Annotated

import typer

from astep_calc.cli.app import app
from astep_calc.cli.options import CHECK_FORMATS, FORMATS, OutputOptions, command, warn
from astep_calc.cli.safe import undecodable
from astep_calc.cli.views import CheckView, Document, FilePart, LaidOut, Report, Table
from astep_calc.text import InputError, Text


@command(app, "check", formats=(*FORMATS, *CHECK_FORMATS), amounts=False)
def check(
    plans: Annotated[
        list[str],
        typer.Argument(
            metavar="PLAN...", help="Plan files (TOML, or JSON ending in .json) to check.", show_default=False
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

    For CI: --format github prints one GitHub Actions annotation a violation (and
    unreadable file) at its file and line; --format junit writes a JUnit XML report,
    one test case a file.

    Example: astep check plans/*.toml --format json
    """
    rules = opts.rulebook()
    as_json = opts.format == "json"
    view = CheckView(rules, json_lang=opts.lang if as_json else None, details=as_json, lay_out=_lay_out(opts))
    for part in _check_all(view, distinct_paths(plans)):
        if part.status.error is not None:
            warn(part.status.error.in_lang(opts.lang), opts.lang)
        view.append(part)
    return view.report()


def _lay_out(opts: OutputOptions) -> Callable[[Table], LaidOut | None] | None:
    """For a table report, how each file's table is laid out as the file is checked: for the
    console the report will be drawn on (its width read here, once)."""
    if opts.format != "table":
        return None
    from astep_calc.cli.report import lay_out_table

    console = opts.table_console()
    return functools.partial(lay_out_table, lang=opts.lang, width=console.width, terminal=bool(console.is_terminal))


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
        try:
            st = os.stat(path)
            key: object = (st.st_dev, st.st_ino)
        except (OSError, ValueError):  # missing, unreadable folder, a NUL in the name...
            key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            out.append(path)
    return out


def check_one(view: CheckView, path: str) -> FilePart:
    """Read and check one plan file: its part of the report, or why it is no readable plan."""
    from astep_calc.phases import evaluate
    from astep_calc.plans import check_file, load_plan_file

    # Each file is named as every format can show it: a name that is not UTF-8 with \xNN escapes.
    shown = undecodable(path)
    try:
        plan_file = load_plan_file(path, view.rules)
        if plan_file.multi:  # [[phase]] tables: each violation is named by its phase
            return view.checked_phases(
                shown, plan_file.model.title, evaluate(view.rules, plan_file.model), plan_file.lines
            )
        return view.checked(shown, check_file(view.rules, plan_file))
    except InputError as exc:
        reason = Text(undecodable(exc.text.en), undecodable(exc.text.ja))  # it names the file
        return view.unreadable(shown, reason)


#: From this many files on, a check runs in worker processes, one a core (at most
#: MAX_WORKERS): a file costs about half a millisecond, starting a worker tens of them.
PARALLEL_FROM = 200
MAX_WORKERS = 4
#: Files a worker takes at a time: few enough to share the work evenly, enough that
#: passing them to and fro costs little.
CHUNK = 50


def _check_all(view: CheckView, plans: list[str]) -> Iterator[FilePart]:
    """Every file's part, in the order given; from worker processes when there are many files.

    A worker runs :func:`check_one` as the main process would, so the parts, and so the
    report, are the same byte for byte; a file that cannot be read is a part like any
    other, and anything else a worker raises is raised here.
    """
    workers = min(usable_cores(), MAX_WORKERS)
    if len(plans) < PARALLEL_FROM or workers < 2:
        yield from (check_one(view, path) for path in plans)
        return
    from concurrent.futures import ProcessPoolExecutor

    from astep_calc.cli.output import interruptible

    with interruptible():  # SIGTERM and SIGHUP too end the workers, never leave them waiting
        pool = ProcessPoolExecutor(workers, initializer=_start_worker, initargs=(view,))
        try:
            for part in pool.map(_check_in_worker, plans, chunksize=CHUNK):
                yield part
                # The parts are kept until the report is written and hold no reference cycle:
                # set aside from the cycle collector, which walked them again and again
                # (0.6 s for 10,000 files, most while the report was drawn). Reference
                # counting still frees them.
                gc.freeze()
        finally:  # after Ctrl-C or an error, the files no worker has taken yet are left
            pool.shutdown(cancel_futures=True)


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


_WORKER_VIEW: CheckView | None = None


def _start_worker(view: CheckView) -> None:
    """A worker checks files for ``view``. Signals are the main process's to handle: a
    worker ignores Ctrl-C and ends quietly on SIGTERM or SIGHUP (sent to the whole group)."""
    global _WORKER_VIEW
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
    _WORKER_VIEW = view


def _check_in_worker(path: str) -> FilePart:
    assert _WORKER_VIEW is not None
    return check_one(_WORKER_VIEW, path)


@command(app, "schema", amounts=False)
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
