"""``astep check`` over many files: the scale path, in one place.

A check over a folder of plans in CI may name thousands of files. What keeps 10,000 of
them within a few seconds and a few hundred MB lives here, behind two calls:
:func:`check_files` checks the files and gives a :class:`CheckReport`, and
:func:`render_check` writes its JSON or its tables (every other format reads it as the plain
:class:`~astep_calc.cli.views.Report` it is).

- **Worker processes.** From :data:`PARALLEL_FROM` files on, the files are checked in
  worker processes, one a core; the parts come back in the order the files were given,
  so the report is the same bytes whichever process checked a file.
- **Each file rendered where it is checked.** In a JSON report a file's entry is
  ``json.dumps``-ed as soon as it is built, and in a table report its table is laid out
  (:func:`~astep_calc.cli.report.lay_out_table`) for the console the report goes to: the
  workers share that work, and the main process holds text, not 1.2 million payment rows.
- **Spooling.** The encoded JSON entries wait in a temporary file until the report is
  written (:class:`Spool`), so that memory does not grow with the report's size.
- **gc.freeze.** The parts the main process keeps hold no reference cycle; they are set
  aside from the cycle collector, which would walk them again and again.
- **Workers end with their parent**, even one killed by SIGKILL (:func:`_end_with`).

The timings behind each of these are in docs/performance.md.
"""

from __future__ import annotations

import dataclasses
import gc
import json
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import IO, Any, NamedTuple

from astep_calc.cli.grid import Line
from astep_calc.cli.report import Layout, lay_out_table, plain, table_text
from astep_calc.cli.views import FilePart, FileStatus, Report, as_text, check_report
from astep_calc.text import Lang, Text

#: From this many files on, a check runs in worker processes, one a core (at most
#: MAX_WORKERS): a file costs about half a millisecond, starting a worker tens of them.
PARALLEL_FROM = 200
MAX_WORKERS = 4
#: Files a worker takes at a time: few enough to share the work evenly, enough that
#: passing them to and fro costs little.
CHUNK = 50


@dataclass(frozen=True)
class Rendering:
    """What is rendered of each file where it is checked: its JSON entry in ``json_lang``, its
    table laid out in ``layout``, or neither (the other formats read the plain parts).
    ``lang``: the report's language, that of a note on a text cut short."""

    json_lang: Lang | None = None
    layout: Layout | None = None
    lang: Lang = "en"


@dataclass(frozen=True)
class CheckReport(Report):
    """A check's report (:func:`~astep_calc.cli.views.check_report`) with what was rendered of
    each file where it was checked: its JSON entry (``entries``, encoded, in the order of
    ``files``), or its table's lines (``laid_out``, in ``layout``; None for a table left to
    the console). ``cleaned``: every text in it is clean already, each file's part cleaned
    where the file was checked (:func:`~astep_calc.cli.formats.clean_part`), the rest the
    tool's own words."""

    entries: Iterable[str] = ()
    layout: Layout | None = None
    laid_out: Sequence[Sequence[Line] | None] = ()
    cleaned: bool = False


def check_files(
    paths: Sequence[str],
    check: Callable[[str], FilePart],
    rendering: Rendering,
    rules_id: str,
    on_file: Callable[[FileStatus], None] = lambda status: None,
) -> CheckReport:
    """Check every file with ``check`` (a function a worker process can be given: a module's
    function, or a :func:`functools.partial` of one) and put the report together.

    ``on_file`` sees each file's status as it comes, in the order given (to warn of an
    unreadable file at once). Whatever ``check`` raises in a worker is raised here.
    """
    parts: list[FilePart] = []
    entries = Spool() if rendering.json_lang is not None else None
    laid_out: list[Sequence[Line] | None] = []
    for part, entry, lines in _checked(paths, check, rendering):
        on_file(part.status)
        parts.append(part)
        if entries is not None and entry is not None:
            entries.add(entry)
        if rendering.layout is not None:
            laid_out.append(lines)
    report = check_report(rules_id, parts)
    fields = {f.name: getattr(report, f.name) for f in dataclasses.fields(Report)}
    return CheckReport(**fields, entries=entries or (), layout=rendering.layout, laid_out=laid_out, cleaned=True)


def render_check(report: Report, fmt: str, lang: Lang, console: Callable[[], Any]) -> Iterator[str] | None:
    """A check's report as JSON or a table, from what was rendered of each file where it was
    checked; None for any other format, or a report that is no :class:`CheckReport` (they
    read the plain report)."""
    if not isinstance(report, CheckReport):
        return None
    if fmt == "json":
        return json_parts(report, lang)
    if fmt == "table":
        on = console()
        laid_out = report.laid_out if report.layout == Layout.of(on, lang) else ()
        return iter([table_text(report, lang, on, laid_out)])
    return None


def json_parts(report: CheckReport, lang: Lang) -> Iterator[str]:
    """The JSON report of a check (SPEC §6), written out by hand around the files' entries, a
    piece at a time: the same text as ``json.dumps(..., indent=2)`` of the whole object, each
    entry on one line, without ever holding the report whole (120 MB for 10,000 plans with
    monthly schedules).

    >>> r = CheckReport("check", "r", [], {"ok": True, "counts": {"files": 1}}, entries=['{"path": "a.toml"}'])
    >>> print("".join(json_parts(r, "en")).replace(__import__("astep_calc").__version__, "V"))
    {
      "command": "check",
      "rules": "r",
      "version": "V",
      "ok": true,
      "files": [
        {"path": "a.toml"}
      ],
      "counts": {
        "files": 1
      },
      "assumptions": [],
      "violations": [],
      "sources": []
    }
    <BLANKLINE>
    """
    from astep_calc import __version__

    head = {"command": report.command, "rules": report.rules_id, "version": __version__, "ok": report.data["ok"]}
    yield "{\n" + "".join(_member(key, value) + ",\n" for key, value in head.items()) + '  "files": ['
    n = 0
    for n, entry in enumerate(report.entries, 1):
        yield ("\n    " if n == 1 else ",\n    ") + entry
    yield "\n  ],\n" if n else "],\n"
    tail = {
        "counts": report.data["counts"],
        "assumptions": [as_text(a).in_lang(lang) for a in report.assumptions],
        "violations": [f.json(lang) for f in report.violations or ()],
        "sources": [s.in_lang(lang) for s in report.sources],
    }
    yield ",\n".join(_member(key, value) for key, value in tail.items()) + "\n}\n"


def _member(key: str, value: Any) -> str:
    """``"key": value`` as ``json.dumps(indent=2)`` writes a member of the outer object."""
    return f"  {json.dumps(key)}: " + json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  ")


def encode_entry(entry: dict[str, Any], lang: Lang) -> str:
    """A file's JSON entry as one line, strings in ``lang``, dates in ISO form.

    >>> encode_entry({"path": "a.toml", "error": Text("gone", "ありません"), "start": date(2026, 4, 1)}, "ja")
    '{"path": "a.toml", "error": "ありません", "start": "2026-04-01"}'
    """

    def jsonable(v: Any) -> Any:  # a date first: the commonest (a schedule's due dates)
        return v.isoformat() if type(v) is date else plain(v, lang)

    # A tree of dicts and lists a view built: no cycle to look for.
    return json.dumps(entry, ensure_ascii=False, check_circular=False, default=jsonable)


class Spool:
    """Encoded JSON entries, in the order added, kept in a temporary file until they are read.

    When no temporary file can be made or written (a full TMPDIR), the entries from there
    on stay in memory: the report is the same.

    >>> spool = Spool()
    >>> spool.add('{"path": "a.toml"}'); spool.add('{"path": "日本.toml"}')
    >>> list(spool), len(spool)
    (['{"path": "a.toml"}', '{"path": "日本.toml"}'], 2)
    """

    def __init__(self) -> None:
        self._file: IO[bytes] | None = None
        self._sizes: list[int] = []  # of the entries in the file, from its start
        self._held: list[str] = []  # the entries that came after the file failed
        self._spooling = True

    def add(self, entry: str) -> None:
        if self._spooling:
            try:
                self._write(entry.encode("utf-8"))
                return
            except OSError:
                self._spooling = False
        self._held.append(entry)

    def _write(self, data: bytes) -> None:
        if self._file is None:
            import tempfile
            import weakref

            # Unbuffered: a buffered file that failed to write keeps the bytes it could not
            # write and fails again at every later seek, the reads of earlier entries too.
            self._file = tempfile.TemporaryFile(buffering=0)
            weakref.finalize(self, self._file.close)
        view, written = memoryview(data), 0
        while written < len(view):  # an unbuffered write may write less than it is given
            written += self._file.write(view[written:]) or 0
        self._sizes.append(len(view))

    def __len__(self) -> int:
        return len(self._sizes) + len(self._held)

    def __iter__(self) -> Iterator[str]:
        if self._sizes:
            assert self._file is not None
            self._file.seek(0)
            for size in self._sizes:
                data = bytearray()
                while len(data) < size:  # an unbuffered read too may return less
                    chunk = self._file.read(size - len(data))
                    if not chunk:
                        raise OSError(f"the temporary file of the JSON report ends {size - len(data)} bytes early")
                    data += chunk
                yield data.decode("utf-8")
        yield from self._held


class _Checked(NamedTuple):
    """One file's part as a worker sends it: the part (without its JSON entry once that is
    encoded), the encoded entry, its table's lines."""

    part: FilePart
    entry: str | None
    lines: list[Line] | None


def _rendered(part: FilePart, rendering: Rendering) -> _Checked:
    """A file's part as the main process keeps it, and what is rendered of it where it is checked.

    The part keeps no JSON entry (the main process needs only its text), and its
    assumptions and sources are the same objects from file to file: thousands of files
    share a few, and pickle writes an object once a batch of parts (they were 85% of a part).
    """
    from astep_calc.cli.formats import clean_json, clean_part

    # Cleaned here, as formats.render cleans a report: before it is rendered, and by every
    # worker, each its share.
    part = clean_part(part, rendering.lang)
    entry, lang = None, rendering.json_lang
    if lang is not None and part.entry is not None:
        entry = clean_json(part.entry, lang, lambda value: encode_entry(value, lang))
    lines = lay_out_table(part.table, rendering.layout) if rendering.layout is not None else None
    kept = dataclasses.replace(
        part,
        entry=None,
        assumptions=tuple(_TEXTS.setdefault(t, t) for t in part.assumptions),
        sources=tuple(_TEXTS.setdefault(t, t) for t in part.sources),
    )
    return _Checked(kept, entry, lines)


#: Every assumption and source met so far, each as one object (see :func:`_rendered`).
_TEXTS: dict[Text, Text] = {}


def _checked(paths: Sequence[str], check: Callable[[str], FilePart], rendering: Rendering) -> Iterator[_Checked]:
    """Every file checked and rendered, in the order given; by worker processes when there are many."""
    workers = min(usable_cores(), MAX_WORKERS)
    if len(paths) < PARALLEL_FROM or workers < 2:
        yield from (_rendered(check(path), rendering) for path in paths)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from astep_calc.cli.output import interruptible, signals_held

    # On Linux a worker is forked from this process, so that the kernel can end it with this
    # process (see _end_with); elsewhere the platform's way.
    context = multiprocessing.get_context("fork") if sys.platform == "linux" else None
    with interruptible():  # SIGTERM and SIGHUP too end the workers, never leave them waiting
        pool = None
        try:
            with signals_held():  # the pool starts whole, so that it can always be shut down
                pool = ProcessPoolExecutor(
                    workers, mp_context=context, initializer=_start_worker, initargs=(check, rendering, os.getpid())
                )
                results = pool.map(_check_in_worker, paths, chunksize=CHUNK)
            for checked in results:
                yield checked
                # The parts are kept until the report is written and hold no reference cycle:
                # set aside from the cycle collector, which walked them again and again while
                # the report was drawn. Reference counting still frees them.
                gc.freeze()
        finally:  # after Ctrl-C or an error, the files no worker has taken yet are left
            if pool is not None:
                pool.shutdown(cancel_futures=True)


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity where the system tells it)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


_JOB: tuple[Callable[[str], FilePart], Rendering] | None = None


def _start_worker(check: Callable[[str], FilePart], rendering: Rendering, parent: int) -> None:
    """A worker checks files with ``check``. Signals are the main process's to handle: a worker
    ignores Ctrl-C and ends quietly on SIGTERM or SIGHUP (sent to the whole group)."""
    global _JOB
    _end_with(parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    held = [getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)]
    for signum in held:
        signal.signal(signum, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):  # started while the parent held them (signals_held)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT, *held})
    _JOB = check, rendering


def _check_in_worker(path: str) -> _Checked:
    assert _JOB is not None
    check, rendering = _JOB
    return _rendered(check(path), rendering)


#: prctl(2): the signal the kernel sends this process when its parent ends.
_PR_SET_PDEATHSIG = 1


def _end_with(parent: int) -> None:
    """End this worker when ``parent``, the process that started it, ends: even killed by
    SIGKILL, which no handler of its sees, it must not leave workers running (they would
    hold its pipes open, and work on for no one).

    On Linux the kernel sends the worker SIGKILL when its parent ends (``prctl``'s
    ``PR_SET_PDEATHSIG``); elsewhere a watchdog thread sees the worker handed to another
    parent (``os.getppid`` changes) and ends it.
    """
    if sys.platform == "linux":
        import ctypes

        try:
            asked = ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
        except (OSError, AttributeError):
            asked = False
        if asked:
            if os.getppid() != parent:  # it ended before the signal was asked for
                os._exit(1)
            return
    import threading

    threading.Thread(target=_watch, args=(parent,), name="astep-parent-watch", daemon=True).start()


def _watch(parent: int) -> None:
    import time

    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


__all__ = [
    "CHUNK",
    "MAX_WORKERS",
    "PARALLEL_FROM",
    "CheckReport",
    "Rendering",
    "check_files",
    "render_check",
    "usable_cores",
]
