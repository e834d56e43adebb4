"""Hostile files: what is given as an input file may be anything (issue 23).

- A FIFO, socket or device given as a plan, ``--payments`` or ``--rules`` is refused at
  once, never waited on (item 3).
- A schedule longer than the rules allow by far is refused, on the command line and in
  plan files, alone or with a plan's other phases (item 6).
- A workbook broken in any way is one "not a readable workbook" line, whatever library
  fails underneath, and no library's warning reaches the user (item 2).
- A run killed while it writes ``--output`` leaves nothing beside the target; Ctrl-C,
  SIGTERM and SIGHUP end a run with one line and exit 2; errors name the ``--output``
  given; every file opened is closed (item 4).
"""

from __future__ import annotations

import errno
import io
import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from astep_calc.reader import read_input
from astep_calc.text import InputError

#: The ``cli`` fixture of conftest.py; it returns a checked ``conftest.CliResult``.
Cli = Callable[..., Any]

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GOOD = EXAMPLES / "stage1-valid.toml"

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")


# ---------------------------------------------------------------------------------------
# Item 3: input files must be regular files


def _refused_at_once(path: Path) -> InputError:
    """read_input(path)'s error, raised within a few seconds (a FIFO is released if it waits)."""
    outcome: list[BaseException | bytes] = []

    def run() -> None:
        try:
            outcome.append(read_input(path))
        except BaseException as exc:
            outcome.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(5)
    if worker.is_alive():  # it waits for a writer: give it one, so the thread ends
        fd = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
        os.close(fd)
        worker.join(5)
        pytest.fail(f"reading {path.name} waited for a writer")
    (result,) = outcome
    assert isinstance(result, InputError), result
    return result


@needs_fifo
def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "p.toml"
    os.mkfifo(fifo)
    err = _refused_at_once(fifo)
    assert (
        err.text.en
        == f"{fifo}: cannot be read: not a regular file (a FIFO, socket or device); give a file saved on disk"
    )
    assert "通常のファイルではありません" in err.text.ja


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="needs Unix sockets")
def test_a_socket_is_refused_as_not_a_regular_file(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    if len(str(path)) > 100:  # sun_path holds about 108 bytes
        pytest.skip("temporary folder too deep for a socket")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        assert "not a regular file" in _refused_at_once(path).text.en


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="needs /dev/null")
def test_a_device_is_refused_even_when_it_reads_as_empty() -> None:
    assert "not a regular file" in _refused_at_once(Path("/dev/null")).text.en


def test_a_folder_is_still_a_folder(tmp_path: Path) -> None:
    assert _refused_at_once(tmp_path).text.en.endswith(": cannot be read: Is a directory")


@needs_fifo
@pytest.mark.parametrize(
    "args",
    [
        ["repay", "--amount", "1億", "--dev-end", "2029-09-30", "--payments", "FIFO"],
        ["rules", "--rules", "FIFO"],
        ["check", str(GOOD), "--rules", "FIFO"],
        ["plan", "FIFO"],
    ],
    ids=["payments", "rules", "check-rules", "plan"],
)
def test_every_input_option_refuses_a_fifo(cli: Cli, tmp_path: Path, args: list[str]) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    result = cli(*[str(fifo) if a == "FIFO" else a for a in args])
    result.expect(2, [str(fifo), "not a regular file"])


@pytest.mark.slow  # a subprocess: a FIFO that blocked would hang an in-process run for ever
@needs_fifo
def test_check_returns_at_once_with_a_fifo_among_the_plans(tmp_path: Path) -> None:
    """``mkfifo p.toml; astep check good.toml p.toml`` exits 2 at once, good.toml reported."""
    shutil.copy(GOOD, tmp_path / "good.toml")
    os.mkfifo(tmp_path / "p.toml")
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120", "LC_ALL": "C.UTF-8"}
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "astep_calc", "check", "good.toml", "p.toml", "--format", "json"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert time.monotonic() - started < 30
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.splitlines() == [
        "astep: error: p.toml: cannot be read: not a regular file (a FIFO, socket or device); give a file saved on disk"
    ]
    import json

    files = {f["path"]: f for f in json.loads(proc.stdout)["files"]}
    assert files["good.toml"]["ok"] is True


# ---------------------------------------------------------------------------------------
# Item 6: work bounded by the rulebook, on the command line and in plan files


def jisso_phases(count: int, term: str, every: str = "month", *, start: int = 1900, step: int = 4) -> str:
    """A plan of ``count`` 実装支援 phases, each repaid over ``term`` every ``every``."""
    return "\n".join(
        f'[[phase]]\nmenu = "jisso"\nstart = {start + i * step}-04-01\nend = {start + i * step + 3}-03-31\n'
        f'amount = "5億"\ncollateral = "5000万"\n[phase.repayment]\nterm = "{term}"\nevery = "{every}"\n'
        for i in range(count)
    )


def test_a_term_of_thousands_of_years_on_the_command_line_is_refused(cli: Cli) -> None:
    # 8096 years monthly: 8096 × 12 = 97,152 payments, > 10,000 (it computed for 22 s).
    cli("repay", "--amount", "3億", "--dev-end", "1903-09-30", "--term", "8096y", "--every", "month").expect(
        2,
        "--term 97152 months (8096 years) paid every month is 97,152 payments, more than the 10,000 "
        "a schedule may have (the rules allow a term of up to 120 months (10 years))",
    )
    cli(
        "repay", "--amount", "3億", "--dev-end", "1903-09-30", "--term", "8096y", "--every", "month", "--lang", "ja"
    ).expect(
        2, "--term：返済期間97152か月（8096年）を1か月ごとに返済すると97,152回になり、返済計画の上限10,000回を超えます"
    )


def test_the_longest_schedule_still_computed_is_ten_thousand_payments(cli: Cli) -> None:
    # 833 years and 4 months monthly: 10,000 payments exactly, computed (repay.term broken: exit 1);
    # one month more is 10,001, refused.
    data = (
        cli("repay", "--amount", "3億", "--dev-end", "1903-09-30", "--term", "10000m", "--every", "month", "-f", "json")
        .expect(1, rule="repay.term")
        .json()
    )
    assert len(data["payments"]) == 10_000
    cli("repay", "--amount", "3億", "--dev-end", "1903-09-30", "--term", "10001m", "--every", "month").expect(
        2, "is 10,001 payments, more than the 10,000"
    )


def test_a_plan_file_names_the_term_of_a_schedule_over_the_bound(cli: Cli, tmp_path: Path) -> None:
    plan = tmp_path / "p.toml"
    plan.write_text(jisso_phases(20, "999y"), "utf-8")  # 3 KB: it took 27 s and 642 MB for -o t.xlsx
    cli("plan", str(plan)).expect(
        2,
        f"{plan}:8: key 'phase[0].repayment.term' (phase 1): 11988 months (999 years) paid every month is 11,988 payments",
    )


def test_a_plan_whose_schedules_add_up_past_the_bound_names_the_phase(cli: Cli, tmp_path: Path) -> None:
    plan = tmp_path / "p.toml"
    # 500 years monthly: 6,000 payments each; the second phase brings the plan to 12,000.
    plan.write_text(jisso_phases(2, "500y", step=10), "utf-8")
    for command in ("plan", "check"):
        cli(command, str(plan)).expect(
            2,
            f"{plan}:17: key 'phase[1].repayment' (phase 2): with this phase the plan's repayment schedules have 12,000 "
            "payments, more than the 10,000 a plan may have in all",
        )
    plan.write_text(jisso_phases(2, "416y", step=10), "utf-8")  # 4,992 each: 9,984 in all, computed
    cli("check", str(plan)).expect(1, rule="repay.term")


#: What each command may spend on a plan the bounds let through (SPEC §6: a few seconds,
#: a few hundred MB). Generous: the machine running the suite may be busy.
SECONDS = 20
ADDRESS_SPACE = 600 * 2**20


def _limited() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


@pytest.mark.slow  # subprocesses, some of them seconds each
@pytest.mark.skipif(sys.platform == "win32", reason="needs resource limits")
@pytest.mark.parametrize(
    ("plan", "code"),
    [
        pytest.param(jisso_phases(20, "999y"), 2, id="20-phases-999y-monthly"),
        pytest.param(jisso_phases(20, "833y"), 2, id="20-phases-833y-monthly"),
        pytest.param(jisso_phases(20, "41y"), 1, id="20-phases-9840-payments"),
        pytest.param(jisso_phases(20, "41y", step=0).replace("1903-03-31", "2199-03-31"), 1, id="longest-phases"),
    ],
)
@pytest.mark.parametrize("output", [["--format", "json"], ["-o", "t.xlsx"], []], ids=["json", "xlsx", "table"])
def test_what_a_plan_may_expand_to_is_bounded(tmp_path: Path, plan: str, code: int, output: list[str]) -> None:
    (tmp_path / "p.toml").write_text(plan, "utf-8")
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120", "LC_ALL": "C.UTF-8"}
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "astep_calc", "plan", "p.toml", *output],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=SECONDS * 3,
        preexec_fn=_limited,
        check=False,
    )
    assert time.monotonic() - started < SECONDS
    assert proc.returncode == code, proc.stderr[-500:]
    if code == 2:
        assert proc.stderr.startswith("astep: error: p.toml:") and proc.stderr.count("\n") == 1, proc.stderr


# ---------------------------------------------------------------------------------------
# Item 2: every path to a library is wrapped. A corpus of hostile workbooks, made by
# mutating a small valid one: truncated and flipped zips, every part removed or replaced
# by broken XML, entity bombs and external entities, sheets and styles with values no
# writer makes. Each is read in a few milliseconds; all of them in a few seconds.


def base_workbook() -> bytes:
    """A small payments workbook as Excel-like writers make it: shared strings, a date style."""
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    sheet = book.add_worksheet()
    day = book.add_format({"num_format": "yyyy/m/d"})
    sheet.write_row(0, 0, ["返済計画"])
    sheet.write_row(1, 0, ["期日", "金額", "備考"])
    sheet.write_datetime(2, 0, datetime(2032, 9, 30), day)
    sheet.write_number(2, 1, 100_000_000)
    sheet.write_string(2, 2, "初回")
    sheet.write_string(3, 0, "合計")
    sheet.write_number(3, 1, 100_000_000)
    book.close()
    return buf.getvalue()


def parts(raw: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(raw)) as z:
        return {i.filename: z.read(i) for i in z.infolist()}


def rezip(files: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", method) as z:
        for name, data in files.items():
            z.writestr(name, data)
    return out.getvalue()


SECRET = "ASTEP-SECRET-7f3a"

XML_BODIES: dict[str, bytes] = {
    "empty": b"",
    "garbage": bytes(range(256)) * 4,
    "not-utf8": b'<?xml version="1.0" encoding="UTF-8"?><a>\xff\xfe\x80</a>',
    "unclosed": b'<?xml version="1.0"?><root><a>',
    "wrong-root": b'<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>',
    "text-only": b"hello",
    "billion-laughs": (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'.encode() for i in range(1, 10)
        )
        + b"]><root>&lol9;</root>"
    ),
    "quadratic": (
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "' + b"x" * 50_000 + b'">]><root>' + b"&a;" * 2_000 + b"</root>"
    ),
    "xxe-file": b"",  # filled in by xxe(): needs the secret file's path
    "xxe-parameter": b"",
    "deep": b'<?xml version="1.0"?>' + b"<a>" * 100_000 + b"</a>" * 100_000,
    "dtd-external": b'<?xml version="1.0"?><!DOCTYPE r SYSTEM "http://127.0.0.1:9/x.dtd"><root/>',
}


def xxe_bodies(secret_path: str) -> dict[str, bytes]:
    return {
        "xxe-file": (
            f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file://{secret_path}">]>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            '<row r="1"><c r="A1" t="inlineStr"><is><t>&x;</t></is></c><c r="B1"><v>1</v></c></row>'
            "</sheetData></worksheet>"
        ).encode(),
        "xxe-parameter": (
            f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "file://{secret_path}"> %p;]><root/>'
        ).encode(),
    }


def sheet_cells(cells: bytes) -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<sheetData>" + cells + b"</sheetData></worksheet>"
    )


SHEET_BODIES: dict[str, bytes] = {
    "huge-row-number": sheet_cells(b'<row r="99999999999"><c r="A99999999999"><v>1</v></c></row>'),
    "bad-ref": sheet_cells(b'<row r="1"><c r="ZZZZZZ1"><v>1</v></c></row>'),
    "negative-ref": sheet_cells(b'<row r="-1"><c r="A-1"><v>1</v></c></row>'),
    "bad-number": sheet_cells(b'<row r="1"><c r="A1"><v>1e999999</v></c><c r="B1"><v>NaN</v></c></row>'),
    "bad-type": sheet_cells(b'<row r="1"><c r="A1" t="zz"><v>1</v></c></row>'),
    "shared-out-of-range": sheet_cells(b'<row r="1"><c r="A1" t="s"><v>99999</v></c></row>'),
    "shared-not-a-number": sheet_cells(b'<row r="1"><c r="A1" t="s"><v>x</v></c></row>'),
    "style-out-of-range": sheet_cells(b'<row r="1"><c r="A1" s="9999"><v>1</v></c></row>'),
    "date-cell-garbage": sheet_cells(b'<row r="1"><c r="A1" t="d"><v>not-a-date</v></c></row>'),
    "bool-garbage": sheet_cells(b'<row r="1"><c r="A1" t="b"><v>7</v></c></row>'),
    "error-cell": sheet_cells(b'<row r="1"><c r="A1" t="e"><v>#REF!</v></c></row>'),
    "formula-no-value": sheet_cells(b'<row r="1"><c r="A1"><f>SUM(B1:B2)</f></c></row>'),
    "many-columns": sheet_cells(b'<row r="1">' + b"".join(b'<c r="XFD1"><v>1</v></c>' for _ in range(3)) + b"</row>"),
}

STYLES_BODIES: dict[str, bytes] = {
    "numfmt-huge-id": (
        b'<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<numFmts count="1"><numFmt numFmtId="99999999999999999999" formatCode="yyyy"/></numFmts>'
        b'<cellXfs count="1"><xf numFmtId="99999999999999999999"/></cellXfs></styleSheet>'
    ),
    "xf-garbage": (
        b'<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<cellXfs count="1"><xf numFmtId="x" fontId="-1" applyNumberFormat="maybe"/></cellXfs></styleSheet>'
    ),
    "color-garbage": (
        b'<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<fonts count="1"><font><color rgb="ZZZ"/></font></fonts></styleSheet>'
    ),
}


def corpus(raw: bytes, secret_path: str) -> Iterator[tuple[str, bytes]]:
    """(name, bytes) of every hostile variant of ``raw``: bounded, deterministic."""
    files = parts(raw)
    n = len(raw)
    # Truncations: inside the first local header, the data, the central directory, its end.
    for cut in sorted(
        {
            4,
            10,
            30,
            64,
            n // 8,
            n // 4,
            n // 3,
            n // 2,
            2 * n // 3,
            3 * n // 4,
            n - 200,
            n - 100,
            n - 60,
            n - 22,
            n - 10,
            n - 1,
        }
    ):
        yield f"truncated-{cut}", raw[:cut]
    # Flipped bytes, spread over the file (each alone), and the end of central directory's fields.
    for i in range(40):
        at = (i * 7919) % n
        flipped = bytearray(raw)
        flipped[at] ^= 0xFF
        yield f"flipped-{at}", bytes(flipped)
    for at in range(n - 22, n):
        flipped = bytearray(raw)
        flipped[at] ^= 0x55
        yield f"eocd-{at - n + 22}", bytes(flipped)
    bodies = {**XML_BODIES, **xxe_bodies(secret_path)}
    for part in sorted(files):
        removed = {k: v for k, v in files.items() if k != part}
        yield f"without-{part}", rezip(removed)
        if not part.endswith((".xml", ".rels")):
            continue
        for kind, body in bodies.items():
            yield f"{part}:{kind}", rezip({**files, part: body})
    sheet = next(p for p in files if p.startswith("xl/worksheets/"))
    for kind, body in SHEET_BODIES.items():
        yield f"{sheet}:{kind}", rezip({**files, sheet: body})
    for kind, body in STYLES_BODIES.items():
        yield f"xl/styles.xml:{kind}", rezip({**files, "xl/styles.xml": body})
    # Zip-level: stored parts with a wrong CRC, a bad compression method, a deflate stream cut short.
    stored = bytearray(rezip(files, zipfile.ZIP_STORED))
    crc_at = stored.find(b"PK\x03\x04") + 14
    stored[crc_at] ^= 0xFF
    yield "stored-bad-crc", bytes(stored)
    method = bytearray(raw)
    method[8] = 99  # the first local header's compression method: unknown
    yield "unknown-compression", bytes(method)
    for at in (raw.find(b"PK\x01\x02") + 10,):  # the first central header's method
        m = bytearray(raw)
        m[at] = 12  # bzip2 declared for a deflate stream
        yield "central-method-bzip2", bytes(m)
    broken = {**files}
    broken[sheet] = zlib.compress(files[sheet])  # zlib bytes where XML is expected
    yield "sheet-is-zlib", rezip(broken)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in files.items():
            z.writestr(name, data)
        z.writestr(sheet, b"<worksheet/>")  # the same name twice
    yield "same-name-twice", out.getvalue()
    yield "empty-zip", rezip({})
    yield "only-content-types", rezip({"[Content_Types].xml": files["[Content_Types].xml"]})


def _read_each(raw: bytes, secret_path: str) -> list[tuple[str, str]]:
    """Every corpus item read as a payments workbook: (name, what happened)."""
    from astep_calc.payments_file import read_payments

    out = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile's own "Duplicate name" while the corpus is made
        items = list(corpus(raw, secret_path))
    for name, data in items:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                read_payments(data, "p.xlsx")
                what = "read"
            except InputError as exc:
                what = f"error: {exc.text.en}"
            except Exception as exc:  # the defect this corpus is here to find
                what = f"BUG {type(exc).__module__}.{type(exc).__name__}: {exc}"
        if caught:
            what += f" WARNING {[str(w.message) for w in caught]}"
        out.append((name, what))
    return out


@pytest.fixture(scope="module")
def secret_file(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("secret") / "secret.txt"
    path.write_text(SECRET, "utf-8")
    return str(path)


def test_no_hostile_workbook_reaches_the_user_as_a_library_error(secret_file: str) -> None:
    raw = base_workbook()
    results = _read_each(raw, secret_file)
    assert len(results) > 200
    bugs = [(n, w) for n, w in results if w.startswith("BUG") or "WARNING" in w]
    assert not bugs, bugs[:5]
    leaks = [n for n, w in results if SECRET in w]
    assert not leaks, leaks  # an external entity is never read into a cell or a message
    unreadable = [n for n, w in results if "not a readable workbook" in w]
    # Most mutations break the workbook; the rest are read, or refused for what they hold.
    assert len(unreadable) > 100
    assert all(w == "read" or w.startswith("error: p.xlsx") for _, w in results)


@pytest.mark.slow  # a subprocess: openpyxl picks its XML parser when it is first imported
def test_the_corpus_with_elementtree_instead_of_lxml(secret_file: str, tmp_path: Path) -> None:
    script = tmp_path / "run.py"
    script.write_text(
        "import json, sys\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "import openpyxl.xml\n"
        "assert not openpyxl.xml.LXML\n"
        "from test_hostile_files import _read_each, base_workbook\n"
        f"print(json.dumps(_read_each(base_workbook(), {secret_file!r})))\n",
        "utf-8",
    )
    env = {**os.environ, "OPENPYXL_LXML": "False"}
    proc = subprocess.run(
        [sys.executable, str(script)], env=env, capture_output=True, text=True, timeout=300, check=False
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    results = json.loads(proc.stdout)
    assert not [(n, w) for n, w in results if w.startswith("BUG") or "WARNING" in w or SECRET in w]


@pytest.mark.parametrize("cut", [30, 1000, -22, -1], ids=["header", "data", "directory", "last-byte"])
def test_repay_on_a_truncated_workbook_prints_one_error_line(cli: Cli, tmp_path: Path, cut: int) -> None:
    path = tmp_path / "p.xlsx"
    path.write_bytes(base_workbook()[:cut])
    cli("repay", "--amount", "1億", "--dev-end", "2029-09-30", "--payments", str(path)).expect(
        2, f"--payments {path}: not a readable workbook"
    )


@pytest.mark.parametrize("kind", ["billion-laughs", "garbage", "deep"])
@pytest.mark.parametrize("part", ["[Content_Types].xml", "xl/styles.xml", "xl/sharedStrings.xml"])
def test_repay_on_a_workbook_with_a_broken_part(cli: Cli, tmp_path: Path, part: str, kind: str) -> None:
    path = tmp_path / "p.xlsx"
    path.write_bytes(rezip({**parts(base_workbook()), part: XML_BODIES[kind]}))
    result = cli("repay", "--amount", "1億", "--dev-end", "2029-09-30", "--payments", str(path), "--lang", "ja")
    result.expect(2, f"--payments：{path}：Excel ブックとして読めません")


# ---------------------------------------------------------------------------------------
# Item 4: killed runs leave nothing behind; Ctrl-C, SIGTERM and SIGHUP end a run with one line

STAGE1 = ("budget", "--menu", "stage1", "--start", "2026-10-01", "--months", "30", "--format", "json")
linux = pytest.mark.skipif(sys.platform != "linux", reason="O_TMPFILE and /proc are Linux's")


def _run_patched(tmp_path: Path, patch: str, *args: str) -> subprocess.CompletedProcess[str]:
    """``astep *args`` in a subprocess, in ``tmp_path``, after the Python statements ``patch``."""
    script = tmp_path.parent / f"{tmp_path.name}-run.py"
    script.write_text(
        "import os, signal, sys, time\n"
        "import astep_calc.cli.output as output\n"
        "import astep_calc.cli.options as options\n"
        f"{patch}\n"
        "from astep_calc.cli import main\n"
        f"sys.argv = ['astep', *{list(args)!r}]\n"
        "main()\n",
        "utf-8",
    )
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120", "LC_ALL": "C.UTF-8"}
    return subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60, check=False
    )


@linux
@pytest.mark.slow  # subprocesses
@pytest.mark.parametrize("force", [False, True], ids=["new", "force"])
def test_sigkill_while_writing_output_leaves_nothing_beside_the_target(tmp_path: Path, force: bool) -> None:
    # SIGKILL, which no handler sees, right after the text is written and before it is
    # published: the file without a name goes with the process.
    if force:
        (tmp_path / "out.json").write_text("theirs\n")
    proc = _run_patched(
        tmp_path,
        "output.os.fsync = lambda fd: os.kill(os.getpid(), signal.SIGKILL)",
        *STAGE1,
        "--output",
        "out.json",
        *(["--force"] if force else []),
    )
    assert proc.returncode == -signal.SIGKILL
    assert sorted(p.name for p in tmp_path.iterdir()) == (["out.json"] if force else [])
    if force:
        assert (tmp_path / "out.json").read_text() == "theirs\n"


@linux
def test_output_is_written_through_a_file_without_a_name(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import astep_calc.cli.output as output

    seen: list[list[str]] = []
    real = output._write

    def watch(fd: int, data: Any) -> None:
        real(fd, data)
        seen.append(sorted(p.name for p in tmp_path.iterdir()))  # nothing named while it is written

    monkeypatch.setattr(output, "_write", watch)
    (tmp_path / "old.json").write_text("old\n")
    os.chmod(tmp_path / "old.json", 0o640)
    cli(*STAGE1, "--output", str(tmp_path / "new.json")).expect(0)
    cli(*STAGE1, "--output", str(tmp_path / "old.json"), "--force").expect(0)
    assert seen == [["old.json"], ["new.json", "old.json"]]
    assert json.loads((tmp_path / "old.json").read_text())["command"] == "budget"
    assert stat.S_IMODE(os.stat(tmp_path / "old.json").st_mode) == 0o640  # the replaced file's mode is kept
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.json", "old.json"]


def test_an_error_names_the_output_given_never_a_temporary_file(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    import astep_calc.cli.output as output

    monkeypatch.chdir(tmp_path)
    hidden = str(tmp_path / ".astep-f1j9x7jf.tmp")

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(errno.EACCES, "Permission denied", hidden)

    real_open = os.open

    def refuse_tmpfile(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if flags & getattr(os, "O_TMPFILE", 0) == getattr(os, "O_TMPFILE", -1):
            refuse()
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(output.os, "open", refuse_tmpfile)
    monkeypatch.setattr(tempfile, "mkstemp", refuse)  # it raised outside the error handling
    result = cli(*STAGE1, "--output", "out.json")
    assert result.expect(2).error == "--output 'out.json' cannot be written: Permission denied"
    assert ".astep-" not in result.stderr


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
@pytest.mark.parametrize("signame", ["SIGINT", "SIGTERM", "SIGHUP"])
@pytest.mark.parametrize("output", [[], ["--output", "out.json"]], ids=["stdout", "output"])
def test_a_signal_ends_the_run_with_one_line_and_exit_2(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, signame: str, output: list[str]
) -> None:
    import astep_calc.cli.options as options

    signum = getattr(signal, signame)
    before = {name: signal.getsignal(getattr(signal, name)) for name in ("SIGINT", "SIGTERM", "SIGHUP")}
    real = options.render

    def interrupted(*args: Any, **kwargs: Any) -> Any:
        os.kill(os.getpid(), signum)  # as the report is drawn
        return real(*args, **kwargs)

    monkeypatch.setattr(options, "render", interrupted)
    monkeypatch.chdir(tmp_path)
    result = cli(*STAGE1, *output)
    assert (result.exit_code, result.stderr) == (2, "astep: interrupted\n")
    assert list(tmp_path.iterdir()) == []
    assert cli(*STAGE1, "--lang", "ja").stderr == "astep: 中断しました\n"
    monkeypatch.setattr(options, "render", real)
    assert {name: signal.getsignal(getattr(signal, name)) for name in before} == before  # put back


@pytest.mark.slow  # subprocesses, a few seconds each
@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
@pytest.mark.parametrize("signame", ["SIGINT", "SIGTERM", "SIGHUP"])
def test_a_signal_to_a_running_astep_process(tmp_path: Path, signame: str) -> None:
    # The process says when it has started drawing its report, then takes its time.
    signum = getattr(signal, signame)
    ready = tmp_path / "ready"
    script = tmp_path / "run.py"
    script.write_text(
        "import sys, time\n"
        "import astep_calc.cli.options as options\n"
        "real = options.render\n"
        "def slow(*a, **k):\n"
        f"    open({str(ready)!r}, 'w').close()\n"
        "    time.sleep(60)\n"
        "    return real(*a, **k)\n"
        "options.render = slow\n"
        "from astep_calc.cli import main\n"
        f"sys.argv = ['astep', *{list(STAGE1)!r}, '--output', 'out.json']\n"
        "main()\n",
        "utf-8",
    )
    env = {**os.environ, "NO_COLOR": "1", "LC_ALL": "C.UTF-8"}
    proc = subprocess.Popen(
        [sys.executable, str(script)], cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        deadline = time.monotonic() + 30
        while not ready.exists() and time.monotonic() < deadline and proc.poll() is None:
            time.sleep(0.01)
        assert ready.exists(), proc.stderr.read() if proc.stderr else ""
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert (proc.returncode, err.decode()) == (2, "astep: interrupted\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ready", "run.py"]


@pytest.mark.slow  # subprocesses
def test_every_file_is_closed_under_python_dev_mode(tmp_path: Path) -> None:
    """No ResourceWarning under PYTHONDEVMODE=1 -W error::ResourceWarning: every temporary
    file, workbook and archive is closed, on the good paths and the error paths."""
    import xlsxwriter  # noqa: F401 - the workbooks below are made with it

    (tmp_path / "p.xlsx").write_bytes(base_workbook())
    (tmp_path / "broken.xlsx").write_bytes(base_workbook()[:-40])
    (tmp_path / "p.csv").write_bytes(
        '返済計画\r\n期日,金額\r\n2032/9/30,"\\300,000,000"\r\n合計,3億\r\n'.encode("cp932")
    )
    for i in range(3):
        shutil.copy(GOOD, tmp_path / f"plan{i}.toml")
    runs = [
        [*STAGE1, "--output", "out.json"],
        [*STAGE1, "--output", "out.json", "--force"],
        ["repay", "--amount", "1億", "--dev-end", "2029-09-30", "--payments", "p.xlsx", "-o", "r.xlsx"],
        ["repay", "--amount", "3億", "--dev-end", "2029-09-30", "--payments", "p.csv", "--format", "csv"],
        ["repay", "--amount", "1億", "--dev-end", "2029-09-30", "--payments", "broken.xlsx"],
        ["check", "plan0.toml", "plan1.toml", "plan2.toml", "--format", "json", "--output", "c.json"],
        ["plan", str(EXAMPLES / "roadmap-spinout.toml"), "-o", "plan.xlsx"],
        ["check", "plan0.toml", "missing.toml", "--format", "junit"],
    ]
    env = {**os.environ, "PYTHONDEVMODE": "1", "NO_COLOR": "1", "LC_ALL": "C.UTF-8"}
    for args in runs:
        proc = subprocess.run(
            [sys.executable, "-W", "error::ResourceWarning", "-m", "astep_calc", *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert proc.returncode in (0, 1, 2), (args, proc.stderr)
        assert "ResourceWarning" not in proc.stderr and "Exception ignored" not in proc.stderr, (args, proc.stderr)
        assert "Warning" not in proc.stderr, (args, proc.stderr)
