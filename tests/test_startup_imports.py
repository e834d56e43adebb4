"""Each command imports only what it uses (checked with `python -X importtime`)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # every test starts an interpreter

ROOT = Path(__file__).resolve().parent.parent


def imported(args: list[str]) -> set[str]:
    """The modules a command run imports, from the interpreter's own import log."""
    env = {**os.environ, "NO_COLOR": "1", "LC_ALL": "C.UTF-8"}
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "astep_calc", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    return {line.rsplit("|", 1)[1].strip() for line in proc.stderr.splitlines() if line.startswith("import time:")}


def test_import_astep_calc_loads_no_terminal_layer() -> None:
    # The whole pure core (every module outside cli/), used: the rulebook loaded, a plan read.
    code = (
        "import importlib, pkgutil, sys, astep_calc\n"
        "for m in pkgutil.iter_modules(astep_calc.__path__, 'astep_calc.'):\n"
        "    if m.name not in ('astep_calc.cli', 'astep_calc.__main__'):\n"
        "        importlib.import_module(m.name)\n"
        "from astep_calc.plans import parse_plan_file\n"
        "from astep_calc.rulebook import load_rulebook\n"
        "parse_plan_file('menu = \"stage1\"\\nstart = 2026-10-01\\nend = 2029-03-31\\n', 'p.toml', load_rulebook())\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'rich', 'click', 'pydantic')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize(
    ("args", "absent"),
    [
        # JSON output never loads Rich's table machinery, nor the workbook writer.
        (
            ["collateral", "--amount", "1億", "--format", "json"],
            {"rich.table", "astep_calc.plans", "astep_calc.repayment", "astep_calc.budget", "xlsxwriter"},
        ),
        # A budget does not load the 実装支援 or plan modules.
        (
            ["budget", "--menu", "stage1", "--start", "2026-10-01", "--months", "30"],
            {"astep_calc.plans", "astep_calc.repayment", "astep_calc.jisso", "xlsxwriter"},
        ),
        # A repayment schedule does not load the plan loader or the budget rules.
        (
            ["repay", "--amount", "1億", "--dev-end", "2028-03-31", "--format", "csv"],
            {"astep_calc.plans", "astep_calc.budget", "rich.table", "xlsxwriter"},
        ),
        # The start-up benchmark's table: neither the table-file reader (--payments only),
        # check's scale path, json (benchmarks/startup.py), the board's tables (scenarios
        # only), nor --display-unit's and --date-style wareki's rewrites (yen and ISO dates
        # are the report's own).
        (
            ["repay", "--amount", "1億", "--dev-end", "2028-03-31", "--every", "month"],
            {
                "astep_calc.tabular",
                "astep_calc.payments_file",
                "astep_calc.cli.check_scale",
                "astep_calc.plans",
                "json",
                "astep_calc.cli.board",
                "astep_calc.cli.units",
                "astep_calc.cli.wareki",
            },
        ),
        # The rulebook table needs no schedule code.
        (["rules"], {"astep_calc.repayment", "astep_calc.plans"}),
        # A plan without [company] needs neither the company's model nor equity.
        (["check", "examples/stage1-valid.toml"], {"astep_calc.company", "astep_calc.cashflow", "astep_calc.equity"}),
    ],
    ids=["collateral-json", "budget", "repay-csv", "repay-table", "rules", "check-plan"],
)
def test_commands_import_only_what_they_use(args: list[str], absent: set[str]) -> None:
    loaded = imported(args)
    assert "astep_calc.cli" in loaded  # the log was read
    assert not absent & loaded, sorted(absent & loaded)


def test_only_xlsx_output_loads_the_workbook_writer(tmp_path: Path) -> None:
    loaded = imported(
        ["repay", "--amount", "1億", "--dev-end", "2028-03-31", "-f", "xlsx", "-o", str(tmp_path / "r.xlsx")]
    )
    assert "xlsxwriter" in loaded and "rich.table" not in loaded
    assert (tmp_path / "r.xlsx").read_bytes()[:2] == b"PK"
