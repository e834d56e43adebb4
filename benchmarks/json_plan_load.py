"""Loading a 1 MB JSON plan with 10,000 payment rows: linear, about a second. Target: ≤ 1.5 s.

    python benchmarks/json_plan_load.py [runs]

Measures `astep check big.json` end to end (median wall time) and, in this process, reading
the plan alone (``load_plan_file``) and the key-line scan that error messages use (which
once counted newlines from the start for every token: 88 s for 1 MB).
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _common import PYTHON, verdict, wall

ROWS = 10_000


def big_plan() -> str:
    rows = [{"due": f"{2029 + i // 12 % 100}-{i % 12 + 1:02d}-01", "amount": "1万円"} for i in range(ROWS)]
    data = {
        "menu": "jisso",
        "start": "2025-07-01",
        "end": "2028-06-30",
        "amount": ROWS * 10_000,
        "collateral": ROWS * 1_000,
        "repayment": {"grade": "A", "payments": rows},
    }
    return json.dumps(data, indent=6, ensure_ascii=False)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    from astep_calc.key_lines import json_key_lines
    from astep_calc.plans import load_plan_file
    from astep_calc.rulebook import load_rulebook

    text = big_plan()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.json"
        path.write_text(text, "utf-8")
        rules = load_rulebook()
        loads, scans = [], []
        for _ in range(runs):
            t0 = time.perf_counter()
            load_plan_file(path, rules)
            loads.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            json_key_lines(text)
            scans.append(time.perf_counter() - t0)
        cli = statistics.median(wall([PYTHON, "-m", "astep_calc", "check", str(path)]) for _ in range(runs))
    size = len(text.encode()) / 1e6
    print(f"plan: {size:.2f} MB, {ROWS:,} payment rows")
    print(f"load_plan_file      : {statistics.median(loads) * 1000:7.1f} ms (median of {runs})")
    print(f"key-line scan       : {statistics.median(scans) * 1000:7.1f} ms (only when a message needs a line)")
    print(f"astep check big.json: {cli * 1000:7.1f} ms  (target ≤ 1500 ms)  {verdict(cli <= 1.5)}")


if __name__ == "__main__":
    main()
