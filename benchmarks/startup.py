"""Startup: a 120-row `astep repay --every month` table against a bare Typer+Rich program
that prints a 120-row table. Target: ours ≤ 1.15 × bare.

    python benchmarks/startup.py [runs]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from _common import PYTHON, side_by_side, verdict

BARE = '''
import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer()


@app.command()
def main(rows: int = 120) -> None:
    table = Table(title="bare Typer+Rich: 120 rows")
    for name in ("no", "due", "payment", "cumulative", "balance"):
        table.add_column(name, justify="right")
    for i in range(1, rows + 1):
        table.add_row(str(i), "2030-01-31 (Thu)", "833,334", f"{i * 833_334:,}", f"{(120 - i) * 833_333:,}")
    table.add_section()
    table.add_row("Total", "", "100,000,000", "", "")
    Console().print(table)


app()
'''


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare.py"
        bare.write_text(BARE)
        ours = [PYTHON, "-m", "astep_calc", "repay", "--amount", "1億", "--dev-end", "2028-03-31",
                "--every", "month", "--lang", "en"]
        t_bare, t_ours = side_by_side([PYTHON, str(bare)], ours, runs)
    ratio = t_ours / t_bare
    print(f"bare Typer+Rich 120-row table : {t_bare * 1000:7.1f} ms (median of {runs})")
    print(f"astep repay --every month     : {t_ours * 1000:7.1f} ms")
    print(f"ratio                         : {ratio:.3f}  (target ≤ 1.15)  {verdict(ratio <= 1.15)}")


if __name__ == "__main__":
    main()
