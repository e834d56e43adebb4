"""`astep check` on 400 plan files: cost per plan beyond the first. Target: at most 3 ms.

python benchmarks/check_scaling.py [runs]
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from _common import PYTHON, ROOT, side_by_side, verdict

FILES = 400


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    examples = sorted(p for p in (ROOT / "examples").glob("*.toml"))
    if not examples:
        raise SystemExit("no examples/*.toml to copy")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        paths = []
        for i in range(FILES):
            src = examples[i % len(examples)]
            dst = folder / f"{i:03d}-{src.name}"
            shutil.copyfile(src, dst)
            paths.append(str(dst))
        base = [PYTHON, "-m", "astep_calc", "check", "--format", "json"]
        t_one, t_all = side_by_side(base + paths[:1], base + paths, runs)
    per_plan = (t_all - t_one) / (FILES - 1) * 1000
    print(f"check 1 plan        : {t_one * 1000:7.1f} ms (median of {runs})")
    print(f"check {FILES} plans     : {t_all * 1000:7.1f} ms")
    print(f"per plan beyond 1st : {per_plan:7.2f} ms  (target ≤ 3 ms)  {verdict(per_plan <= 3)}")


if __name__ == "__main__":
    main()
