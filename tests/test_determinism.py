"""The same inputs give byte-identical JSON and CSV, whatever the locale or terminal width."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
COMMANDS = [
    ["budget", "--menu", "stage1", "--start", "2026-10-01", "--months", "30"],
    ["repay", "--amount", "123,456,789", "--dev-end", "2028-03-31", "--deferral", "3y", "--discount-rate", "3%"],
    ["scenarios", "--amount", "3億", "--dev-end", "2028-03-31", "--every", "half", "--discount-rate", "2.5%"],
    ["disburse", "--amount", "3億", "--start", "2026-10-01", "--months", "36"],
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


def run(args: list[str], env_extra: dict[str, str]) -> bytes:
    env = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL", "COLUMNS", "NO_COLOR")}
    env.update(env_extra)
    proc = subprocess.run([sys.executable, "-m", "astep_calc", *args], cwd=ROOT, env=env,
                          capture_output=True, check=False)
    assert proc.returncode in (0, 1), proc.stderr.decode()
    return proc.stdout


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: a[0])
@pytest.mark.parametrize("fmt", ["json", "csv"])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_machine_output_is_byte_identical_across_environments(args: list[str], fmt: str, lang: str) -> None:
    outputs = {run([*args, "--format", fmt, "--lang", lang], env) for env in map(dict, ENVIRONMENTS)}
    assert len(outputs) == 1
    assert b"\x1b[" not in next(iter(outputs))  # no colour codes in machine output, even with FORCE_COLOR


def test_output_file_is_byte_identical_to_stdout(tmp_path: Path) -> None:
    args = [*COMMANDS[1], "--format", "json", "--lang", "en"]
    stdout = run(args, {"COLUMNS": "50"})
    run([*args, "--output", str(tmp_path / "r.json")], {"COLUMNS": "200"})
    assert (tmp_path / "r.json").read_bytes() == stdout
