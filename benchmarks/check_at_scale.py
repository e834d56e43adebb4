"""`astep check` on 10,000 plans, in every format: wall time and peak memory. Target: each
under 5 s and 400 MB.

    python benchmarks/check_at_scale.py [files] [format ...]         # jisso plans
    python benchmarks/check_at_scale.py --stage1 [files] [format ...] # Stage I plans

A jisso plan repays 1億円 and more by monthly installments over 10 years after a 3-year
development (120 payments), so the JSON report carries 1.2 million payment rows. A Stage I
plan asks for a budget by fiscal year and breaks three rules (a period over 30 months, a
first year over its prorated cap, a year after the end), so the table report lays out
30,000 violations. Peak memory is the child's own maximum resident set size (``os.wait4``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from _common import PYTHON, env, verdict

FILES = 10_000
FORMATS = ("table", "json", "csv")
PLAN = """menu = "jisso"
start = {start}
end = {end}
amount = "{amount}"
collateral = "{collateral}"

[repayment]
grade = "A"
term = "10y"
every = "month"
"""


def write_plans(folder: Path, n: int) -> list[str]:
    """``n`` jisso plans, varying start, amount and collateral so no two are alike; every other
    plan runs a day over the 36-month limit (period.max), so the report lists violations too."""
    paths = []
    for i in range(n):
        year, month = 2025 + i % 5, 1 + i % 12
        amount = 100_000_000 + i * 1_000
        end = date(year + 3, month, 1) - timedelta(days=1 - i % 2)  # one plan in two a day too long
        path = folder / f"plan-{i:05d}.toml"
        path.write_text(
            PLAN.format(
                start=f"{year}-{month:02d}-01", end=end.isoformat(), amount=amount, collateral=amount // 10 + i % 2
            ),
            "utf-8",
        )
        paths.append(str(path))
    return paths


STAGE1 = """menu = "stage1"
start = {start}
end = {end}

[budget]
{first} = "1500万"
{second} = "1500万"
{third} = "1500万"
{after} = "500万"
"""


def write_stage1_plans(folder: Path, n: int) -> list[str]:
    """``n`` Stage I plans of 36 months (over the 30 allowed), each with a first fiscal year
    over its prorated cap and a request for a year after the end: three violations each."""
    paths = []
    for i in range(n):
        year, month = 2026 + i % 4, 5 + i % 8  # from May to December: a first fiscal year of 4 to 11 months
        start = date(year, month, 1)
        end = date(year + 3, month, 1) - timedelta(days=1)
        path = folder / f"plan-{i:05d}.toml"
        path.write_text(
            STAGE1.format(
                start=start.isoformat(),
                end=end.isoformat(),
                first=year,
                second=year + 1,
                third=year + 2,
                after=year + 4,
            ),
            "utf-8",
        )
        paths.append(str(path))
    return paths


def run(paths: list[str], fmt: str, folder: Path) -> tuple[float, float, float, int]:
    """Wall seconds, CPU seconds, peak MB and exit code of one `astep check` run (output to a file)."""
    out = folder / f"report.{fmt}"
    out.unlink(missing_ok=True)
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [PYTHON, "-m", "astep_calc", "check", "--format", fmt, "--output", str(out), *paths],
        env=env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    assert proc.stderr is not None
    stderr = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)  # this run's own CPU time and peak, not the largest so far
    elapsed = time.perf_counter() - t0
    proc.returncode = code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"check --format {fmt} failed ({code}): {stderr.decode()[-500:]}")
    # CPU of the run and of any worker it waited for; ru_maxrss the largest peak among them
    cpu = usage.ru_utime + usage.ru_stime
    return elapsed, cpu, usage.ru_maxrss / 1024, code


def main() -> None:
    args = sys.argv[1:]
    stage1 = "--stage1" in args
    args = [a for a in args if a != "--stage1"]
    n = int(args[0]) if args else FILES
    formats = args[1:] or list(FORMATS)
    kind = "Stage I" if stage1 else "jisso"
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = (write_stage1_plans if stage1 else write_plans)(folder, n)
        for fmt in formats:
            seconds, cpu, mb, code = run(paths, fmt, folder)
            size = (folder / f"report.{fmt}").stat().st_size / 1e6
            ok = seconds <= 5 and mb <= 400
            print(
                f"check {n} {kind} plans --format {fmt:5}: {seconds:6.2f} s wall ({cpu:5.2f} s CPU), "
                f"peak {mb:4.0f} MB, report {size:6.1f} MB, exit {code}  (target ≤ 5 s, ≤ 400 MB)  {verdict(ok)}"
            )


if __name__ == "__main__":
    main()
