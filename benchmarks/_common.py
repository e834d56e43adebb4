"""Shared helpers: run commands side by side, alternating, and compare medians."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

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
