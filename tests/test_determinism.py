"""The same inputs give byte-identical JSON and CSV, whatever the locale or terminal width.

Each run is a subprocess (``python -m astep_calc``) so that the locale and width really
are those of a fresh process; the ``astep_process`` fixture checks every result against
the contract of SPEC §6 (conftest.py).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow

Process = Callable[..., Any]

COMMANDS = [
    ["budget", "--menu", "stage1", "--start", "2026-10-01", "--months", "30"],
    ["repay", "--amount", "123,456,789", "--dev-end", "2028-03-31", "--deferral", "3y", "--discount-rate", "3%"],
    ["scenarios", "--amount", "3億", "--dev-end", "2028-03-31", "--every", "half", "--discount-rate", "2.5%"],
    ["disburse", "--amount", "3億", "--start", "2026-10-01", "--months", "36"],
    # Relative paths, run from the repository root: the output names them as given, so
    # it does not depend on where the checkout lives.
    ["check", "examples/stage1-valid.toml", "examples/jisso-invalid.toml"],
]
# Locales and widths that change number formatting, collation or wrapping in programs that
# let them: none may change a machine-readable byte.
ENVIRONMENTS = [
    {"LC_ALL": "C", "COLUMNS": "40", "TERM": "dumb"},
    {"LC_ALL": "C.UTF-8", "COLUMNS": "300", "TERM": "xterm-256color"},
    {"LC_ALL": "de_DE.UTF-8", "LC_NUMERIC": "de_DE.UTF-8", "COLUMNS": "80"},
    {"LANG": "ja_JP.UTF-8", "LC_ALL": "", "COLUMNS": "120", "FORCE_COLOR": "1"},
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
@pytest.mark.parametrize("fmt", ["json", "csv"])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_machine_output_is_byte_identical_across_environments(
    astep_process: Process, args: list[str], fmt: str, lang: str
) -> None:
    results = [astep_process(*args, "--format", fmt, "--lang", lang, env=env) for env in ENVIRONMENTS]
    assert {r.exit_code for r in results} == {1 if args[0] == "check" else 0}
    outputs = {r.stdout_bytes for r in results}
    assert len(outputs) == 1
    output = next(iter(outputs))
    assert output.strip()
    assert b"\x1b[" not in output  # no colour codes in machine output, even with FORCE_COLOR


def test_output_file_is_byte_identical_to_stdout(astep_process: Process, tmp_path: Path) -> None:
    args = [*COMMANDS[1], "--format", "json", "--lang", "en"]
    stdout = astep_process(*args, env={"COLUMNS": "50"}).expect(0).stdout_bytes
    astep_process(*args, "--output", str(tmp_path / "r.json"), env={"COLUMNS": "200"}).expect(0)
    assert (tmp_path / "r.json").read_bytes() == stdout
