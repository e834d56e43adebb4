"""Hostile files: what is given as an input file may be anything (issue 23).

- A FIFO, socket or device given as a plan, ``--payments`` or ``--rules`` is refused at
  once, never waited on (item 3).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
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
