"""What `import astep_calc` adds to an empty interpreter. Target: at most 30 ms.

python benchmarks/import_cost.py [runs]
"""

from __future__ import annotations

import sys

from _common import PYTHON, side_by_side, verdict


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 25
    t_empty, t_import = side_by_side([PYTHON, "-c", "pass"], [PYTHON, "-c", "import astep_calc"], runs)
    added = (t_import - t_empty) * 1000
    print(f"empty interpreter     : {t_empty * 1000:6.1f} ms (median of {runs})")
    print(f"import astep_calc     : {t_import * 1000:6.1f} ms")
    print(f"added by the import   : {added:6.1f} ms  (target ≤ 30 ms)  {verdict(added <= 30)}")
    t_empty2, t_core = side_by_side(
        [PYTHON, "-c", "pass"], [PYTHON, "-c", "import astep_calc.budget, astep_calc.repayment, astep_calc.plans"], runs
    )
    print(f"for information, the whole pure core (budget, repayment, plans): {(t_core - t_empty2) * 1000:.1f} ms added")
    # --format xlsx loads its writer on top of the command line; openpyxl (test-only, the
    # reader) is measured beside it for the record of why XlsxWriter writes the workbooks.
    base = "import astep_calc.cli, rich.console"
    for lib in ("xlsxwriter", "openpyxl"):
        try:
            __import__(lib)
        except ImportError:
            continue
        t_cli, t_lib = side_by_side([PYTHON, "-c", base], [PYTHON, "-c", f"{base}, {lib}"], runs)
        print(f"for information, {lib} on top of the command line: {(t_lib - t_cli) * 1000:.1f} ms added")


if __name__ == "__main__":
    main()
