"""Startup: a 120-row `astep repay --every month` table, and `astep --version`, against a bare
Typer+Rich program that prints a 120-row table. Target: ours ≤ 1.15 × bare, in wall and CPU
time, each the median of the ratios of runs taken in turn.

    python benchmarks/startup.py [runs]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from _common import PYTHON, paired, verdict

BARE = """
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
"""


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    astep = [PYTHON, "-m", "astep_calc"]
    commands = {
        "astep repay --every month (120 rows)": [
            *astep,
            "repay",
            "--amount",
            "1億",
            "--dev-end",
            "2028-03-31",
            "--every",
            "month",
            "--lang",
            "en",
        ],
        "astep --version": [*astep, "--version"],
    }
    with tempfile.TemporaryDirectory() as tmp:
        bare = Path(tmp) / "bare.py"
        bare.write_text(BARE)
        print(f"against a bare Typer+Rich program printing a 120-row table; {runs} pairs, medians")
        for name, ours in commands.items():
            r = paired([PYTHON, str(bare)], ours, runs)
            print(
                f"{name:38}: wall {r.b.wall * 1000:6.1f} ms vs {r.a.wall * 1000:6.1f} ms, ratio {r.wall_ratio:.3f}; "
                f"CPU {r.b.cpu * 1000:6.1f} ms vs {r.a.cpu * 1000:6.1f} ms, ratio {r.cpu_ratio:.3f}  "
                f"(target ≤ 1.15)  {verdict(r.wall_ratio <= 1.15 and r.cpu_ratio <= 1.15)}"
            )


if __name__ == "__main__":
    main()
