"""`astep check --format github` on 6,000 plan files against 1,500: the work grows with the
number of files, not with its square. Target: at most 6 × (linear with start-up and worker
costs shared is about 3.5-4 ×).

    python benchmarks/check_github_scaling.py [runs]

The plans are Stage I plans that break three rules each (``check_at_scale.write_stage1_plans``),
so that every file has violations to annotate: 18,000 annotations for 6,000 files.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from _common import PYTHON, side_by_side, verdict
from check_at_scale import write_stage1_plans

SMALL, LARGE = 1_500, 6_000


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with tempfile.TemporaryDirectory() as tmp:
        paths = write_stage1_plans(Path(tmp), LARGE)
        base = [PYTHON, "-m", "astep_calc", "check", "--format", "github"]
        t_small, t_large = side_by_side(base + paths[:SMALL], base + paths, runs)
    ratio = t_large / t_small
    print(f"check {SMALL} plans --format github: {t_small:6.2f} s (median of {runs}, alternating)")
    print(f"check {LARGE} plans --format github: {t_large:6.2f} s")
    print(f"ratio {LARGE} / {SMALL}: {ratio:5.2f} ×  (target ≤ 6 ×)  {verdict(ratio <= 6)}")


if __name__ == "__main__":
    main()
