"""Run every benchmark and print its ratio against its target.

python benchmarks/run_all.py
"""

from __future__ import annotations

import platform
import runpy
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


#: check_at_scale.py is left out: 10,000 plans in three formats take minutes; run it on its own.


def main() -> None:
    sys.path.insert(0, str(HERE))
    print(
        f"# {platform.platform()} · Python {platform.python_version()} · {platform.processor() or platform.machine()}"
    )
    for name in ("import_cost", "startup", "check_scaling", "schedule_throughput", "json_plan_load"):
        print(f"\n## {name}")
        sys.argv = [name]
        runpy.run_path(str(HERE / f"{name}.py"), run_name="__main__")


if __name__ == "__main__":
    main()
