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
        2, f"{plan}:8: key 'phase[0].repayment.term': 11988 months (999 years) paid every month is 11,988 payments"
    )


def test_a_plan_whose_schedules_add_up_past_the_bound_names_the_phase(cli: Cli, tmp_path: Path) -> None:
    plan = tmp_path / "p.toml"
    # 500 years monthly: 6,000 payments each; the second phase brings the plan to 12,000.
    plan.write_text(jisso_phases(2, "500y", step=10), "utf-8")
    for command in ("plan", "check"):
        cli(command, str(plan)).expect(
            2,
            f"{plan}:17: key 'phase[1].repayment': with this phase the plan's repayment schedules have 12,000 "
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
