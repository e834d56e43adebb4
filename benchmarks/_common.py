"""Shared helpers: run commands side by side, alternating, and compare medians."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


def env() -> dict[str, str]:
    """A quiet, deterministic environment; bytecode caches allowed, as after `pip install`."""
    e = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    e.update({"NO_COLOR": "1", "COLUMNS": "100", "LANG": "C.UTF-8"})
    return e


def wall(argv: list[str], *, cwd: Path | None = None) -> float:
    """Wall time of one run, in seconds; the run must succeed (exit 0 or 1)."""
    t0 = time.perf_counter()
    proc = subprocess.run(argv, cwd=cwd, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - t0
    if proc.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}): {proc.stderr.decode()[-500:]}")
    return elapsed


class Usage(NamedTuple):
    """One finished run: its wall seconds and its CPU seconds (user + system, its own children included)."""

    wall: float
    cpu: float


def usage(argv: list[str], *, cwd: Path | None = None) -> Usage:
    """Wall and CPU time of one run (CPU from ``os.wait4``: this run's own, not the largest so far)."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=cwd, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    stderr = proc.stderr.read()
    _, status, rusage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - t0
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed ({code}): {stderr.decode()[-500:]}")
    return Usage(elapsed, rusage.ru_utime + rusage.ru_stime)


class Paired(NamedTuple):
    """Runs of a and b in turn: the medians of each, and the median of the ratios b/a pair by pair."""

    a: Usage
    b: Usage
    wall_ratio: float
    cpu_ratio: float


def paired(a: list[str], b: list[str], runs: int, *, cwd: Path | None = None) -> Paired:
    """a and b run in turn after one warm-up each. On a shared machine whose speed drifts, the
    ratio of each pair (taken close together) holds better than the ratio of two medians, and
    CPU time better than wall time (waiting for a busy core is not counted)."""
    usage(a, cwd=cwd)
    usage(b, cwd=cwd)
    pairs = [(usage(a, cwd=cwd), usage(b, cwd=cwd)) for _ in range(runs)]
    med = statistics.median
    return Paired(
        Usage(med(x.wall for x, _ in pairs), med(x.cpu for x, _ in pairs)),
        Usage(med(y.wall for _, y in pairs), med(y.cpu for _, y in pairs)),
        med(y.wall / x.wall for x, y in pairs),
        med(y.cpu / x.cpu for x, y in pairs),
    )


def side_by_side(a: list[str], b: list[str], runs: int, *, cwd: Path | None = None) -> tuple[float, float]:
    """Median wall times of a and b, measured alternately after one warm-up each."""
    wall(a, cwd=cwd)
    wall(b, cwd=cwd)
    ta, tb = [], []
    for _ in range(runs):
        ta.append(wall(a, cwd=cwd))
        tb.append(wall(b, cwd=cwd))
    return statistics.median(ta), statistics.median(tb)


def verdict(ok: bool) -> str:
    return "OK" if ok else "OVER TARGET"
