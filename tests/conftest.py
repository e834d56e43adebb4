"""Shared fixtures: the bundled rulebook, its text (to write modified copies), and a strict CLI runner.

Every ``astep`` run made through the ``cli`` or ``astep_process`` fixture is checked
against the contract of SPEC §6 before the test sees it (``CliResult.check``):

- the exit code is 0, 1 or 2, and no output ever holds a traceback or "unexpected error";
- a run ended by Ctrl-C, SIGTERM or SIGHUP exits 2 with the one line ``astep: interrupted``
  (``astep: 中断しました``) on standard error, whatever it printed before;
- exit 2 is one line on standard error starting ``astep: error:`` (or ``astep: エラー：``)
  and nothing on standard output (``check`` may report several unreadable files, one
  line each, and still prints its report);
- exit 1 names a rule id (on standard output, standard error or in the ``--output`` file);
- exit 0 and 1 print no error line.

A test then states what it expects with ``cli(...).expect(2, message_contains="'x'")``.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from astep_calc import checks
from astep_calc.cli import app
from astep_calc.rulebook import Rulebook, load_rulebook

#: Environment for CLI runs: no locale, so the default language is English and the
#: tests do not depend on the machine's LANG; NO_COLOR so nothing is styled; a fixed
#: width so no table depends on the terminal the tests run in.
CLI_ENV: dict[str, str | None] = {"LC_ALL": None, "LANG": None, "NO_COLOR": "1", "COLUMNS": "120"}

#: The start of every exit-2 line, in English and in Japanese.
ERROR_PREFIXES = ("astep: error: ", "astep: エラー：")

#: The one line of a run ended by Ctrl-C, SIGTERM or SIGHUP (exit 2), in each language.
INTERRUPTED_LINES = ("astep: interrupted\n", "astep: 中断しました\n")

#: Text that means a bug reached the user. None of it may appear for any input.
#: Python's repr of a number is no way to quote what the user wrote ('-0.1', not Decimal('-0.1')).
FORBIDDEN = ("Traceback (most recent call last)", "unexpected error (", "予期しないエラー", "Decimal(", "Fraction(")

#: The stable violation rule ids (SPEC §6), from the one registry of rules
#: (``astep_calc.checks``): an exit 1 whose output names none of them fails every test that
#: sees it. tests/test_checks.py checks that every id the code emits is registered. An end
#: before its start is exit 2 (issue 10 item 8), not a rule id.
RULE_IDS = checks.RULE_IDS
_RULE_ID = re.compile(r"(?<![\w.])(" + "|".join(re.escape(r) for r in sorted(RULE_IDS)) + r")(?![\w])")


@dataclass(frozen=True)
class CliResult:
    """One ``astep`` run: what it printed, its exit code, and the checks of SPEC §6."""

    args: tuple[str, ...]
    exit_code: int
    stdout: str
    stderr: str
    #: stdout and stderr as the user saw them (interleaved for in-process runs).
    output: str
    exception: BaseException | None = None
    stdout_bytes: bytes = b""
    #: Where ``--output`` pointed, so that an exit 1 written to a file is checked too.
    cwd: Path | None = None

    # -- what every run must satisfy ---------------------------------------------------

    def check(self) -> CliResult:
        """Assert the contract every run keeps, whatever its input (see the module docstring)."""
        why = self._describe()
        assert self.exit_code in (0, 1, 2), f"exit {self.exit_code} is not 0, 1 or 2\n{why}"
        if self.interrupted:
            # Ctrl-C, SIGTERM or SIGHUP: one line saying so, after whatever was printed before.
            assert self.exit_code == 2, f"an interrupted run exits 2\n{why}"
            assert self.exception is None or isinstance(self.exception, SystemExit), f"raised {self.exception!r}\n{why}"
            assert not [t for t in FORBIDDEN if t in self.stdout], f"a bug reached the user\n{why}"
            return self
        assert self.exception is None or isinstance(self.exception, SystemExit), f"raised {self.exception!r}\n{why}"
        for text in FORBIDDEN:
            assert text not in self.stdout and text not in self.stderr, f"{text!r} reached the user\n{why}"
        # Lines are what a terminal or a CI log breaks on: "\n" (and no raw "\r", checked below).
        lines = self.stderr.split("\n")[:-1] if self.stderr.endswith("\n") else self.stderr.split("\n")
        error_lines = [line for line in lines if line.startswith(ERROR_PREFIXES)]
        if self.exit_code == 2:
            if not self.args:
                # `astep` alone prints the help on stderr and exits 2, as Click does.
                assert self.stderr.startswith("Usage: astep"), f"astep without arguments\n{why}"
                return self
            assert error_lines, f"exit 2 without an 'astep: error:' line on stderr\n{why}"
            if self.command == "check":
                # One line per unreadable file; CSV also lists the broken rules of the others.
                assert all(line.startswith("astep: ") for line in lines), (
                    f"check's stderr has a line that is not an 'astep:' line\n{why}"
                )
            else:
                assert self.stderr.count("\n") == 1 and self.stderr.endswith("\n"), (
                    f"exit 2 must be exactly one line on stderr\n{why}"
                )
                assert self.stdout == "", f"exit 2 printed a result on stdout as well\n{why}"
        else:
            assert not error_lines, f"exit {self.exit_code} with an error line\n{why}"
        assert "\r" not in self.stderr, f"a raw carriage return on stderr rewrites the line\n{why}"
        if self.exit_code == 1:
            assert self.rule_ids(), f"exit 1 names no rule id (known ids: conftest.RULE_IDS)\n{why}"
        if self.stdout.startswith("{"):  # a JSON report: every rule it names is a registered one
            unknown = set(_json_rules(_loads_or_none(self.stdout))) - RULE_IDS
            assert not unknown, f"rule ids not in astep_calc.checks: {sorted(unknown)}\n{why}"
        return self

    # -- what a test expects ----------------------------------------------------------

    def expect(
        self, code: int, message_contains: str | Iterable[str] = (), *, rule: str | None = None, errors: int = 1
    ) -> CliResult:
        """Assert the exit code, and the text of the error line (exit 2) or of the output (0, 1).

        ``message_contains`` is one string or several, each of which must occur: in the
        ``astep: error:`` line(s) for exit 2 (exactly ``errors`` of them), in standard
        output otherwise. ``rule`` names a rule id that must be among those reported.
        """
        why = self._describe()
        assert self.exit_code == code, f"expected exit {code}, got {self.exit_code}\n{why}"
        wanted = [message_contains] if isinstance(message_contains, str) else list(message_contains)
        if code == 2:
            lines = [line for line in self.stderr.split("\n") if line.startswith(ERROR_PREFIXES)]
            assert len(lines) == errors, f"expected {errors} error line(s), got {len(lines)}\n{why}"
            haystack = "\n".join(lines)
        else:
            haystack = self.stdout
        for text in wanted:
            assert text in haystack, f"{text!r} not in the {'error' if code == 2 else 'output'}\n{why}"
        if rule is not None:
            assert rule in self.rule_ids(), f"rule {rule!r} not reported (got {sorted(self.rule_ids())})\n{why}"
        return self

    # -- reading the result -----------------------------------------------------------

    @property
    def interrupted(self) -> bool:
        """Whether the run was ended by a signal: its standard error is the one line that says so."""
        return self.stderr in INTERRUPTED_LINES

    @property
    def command(self) -> str | None:
        return next((a for a in self.args if not a.startswith("-")), None)

    @property
    def error_lines(self) -> list[str]:
        """The messages of the ``astep: error:`` lines, without the prefix."""
        out = []
        for line in self.stderr.split("\n"):
            for prefix in ERROR_PREFIXES:
                if line.startswith(prefix):
                    out.append(line[len(prefix) :])
        return out

    @property
    def error(self) -> str:
        """The message of the one error line (exit 2)."""
        lines = self.error_lines
        assert len(lines) == 1, f"expected one error line, got {len(lines)}\n{self._describe()}"
        return lines[0]

    def json(self) -> Any:
        return json.loads(self.stdout)

    def rule_ids(self) -> set[str]:
        """The rule ids named on stdout, stderr or in the ``--output`` file."""
        texts = [self.stdout, self.stderr]
        for i, arg in enumerate(self.args[:-1]):
            if arg in ("--output", "-o"):
                target = Path(self.args[i + 1])
                if self.cwd is not None and not target.is_absolute():
                    target = self.cwd / target
                if target.is_file():
                    texts += _file_texts(target)
        return {m for text in texts for m in _RULE_ID.findall(text)}

    def _describe(self) -> str:
        return (
            f"  args:   {list(self.args)!r}\n  exit:   {self.exit_code}\n"
            f"  stdout: {self.stdout[-1500:]!r}\n  stderr: {self.stderr[-1500:]!r}\n"
            f"  raised: {self.exception!r}"
        )


def _loads_or_none(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _json_rules(data: Any) -> list[str]:
    """The ``"rule"`` of every violation in a JSON report (``check``'s per file too)."""
    if not isinstance(data, dict):
        return []
    found = [v.get("rule") for v in data.get("violations") or [] if isinstance(v, dict)]
    for f in data.get("files") or []:
        if isinstance(f, dict):
            found += [v.get("rule") for v in f.get("violations") or [] if isinstance(v, dict)]
    return [str(r) for r in found]


def _file_texts(path: Path) -> list[str]:
    """The text of an output file; for a workbook (a zip), the text of each XML part."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as book:
            return [book.read(n).decode("utf-8", "replace") for n in book.namelist() if n.endswith(".xml")]
    return [path.read_text("utf-8", errors="replace")]


def invoke(args: Iterable[str], env: Mapping[str, str | None] | None = None, *, strict: bool = True) -> CliResult:
    """Run ``astep`` in-process (Typer's CliRunner), stdout and stderr apart, in ``CLI_ENV``."""
    merged = dict(CLI_ENV)
    if env:
        merged.update(env)
    argv = [str(a) for a in args]
    raw = CliRunner().invoke(app, argv, env=merged)
    result = CliResult(
        tuple(argv), raw.exit_code, raw.stdout, raw.stderr, raw.output, raw.exception, raw.stdout_bytes, Path.cwd()
    )
    return result.check() if strict else result


#: The repository root, for subprocess runs that read ``examples/`` (never for output paths).
ROOT = Path(__file__).resolve().parent.parent


def run_process(
    args: Iterable[str],
    env: Mapping[str, str] | None = None,
    *,
    cwd: Path = ROOT,
    python_args: Iterable[str] = (),
    strict: bool = True,
) -> CliResult:
    """Run ``python -m astep_calc`` in a subprocess with a clean locale and width, plus ``env``."""
    base = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL", "LANGUAGE", "COLUMNS", "NO_COLOR")}
    base.update({"NO_COLOR": "1", "COLUMNS": "120"})
    base.update(env or {})
    argv = [str(a) for a in args]
    proc = subprocess.run(
        [sys.executable, *python_args, "-m", "astep_calc", *argv],
        cwd=cwd,
        env=base,
        capture_output=True,
        check=False,
        timeout=120,
    )
    out, err = proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace")
    result = CliResult(tuple(argv), proc.returncode, out, err, out + err, None, proc.stdout, cwd)
    return result.check() if strict else result


@pytest.fixture
def cli() -> Callable[..., CliResult]:
    """``cli(*args, env=None, strict=True)``: run ``astep`` in-process; the result is already checked."""

    def run(*args: str, env: dict[str, str | None] | None = None, strict: bool = True) -> CliResult:
        return invoke(args, env, strict=strict)

    return run


@pytest.fixture
def astep_process() -> Callable[..., CliResult]:
    """``astep_process(*args, env=None, cwd=ROOT)``: run ``python -m astep_calc``; the result is checked."""

    def run(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT, strict: bool = True) -> CliResult:
        return run_process(args, env, cwd=cwd, strict=strict)

    return run


@pytest.fixture(scope="session")
def rule_ids() -> frozenset[str]:
    """The rule ids the strict check recognises (``RULE_IDS``)."""
    return RULE_IDS


@pytest.fixture(scope="session")
def rb() -> Rulebook:
    """The bundled rulebook (a-step-2024)."""
    return load_rulebook()


@pytest.fixture(scope="session")
def bundled_toml() -> str:
    """The text of the bundled rulebook file, read directly (not through load_rulebook)."""
    return resources.files("astep_calc").joinpath("rules", "a-step-2024.toml").read_text("utf-8")


@pytest.fixture
def write_rules(tmp_path: Path, bundled_toml: str) -> Callable[..., Path]:
    """Write a copy of the bundled rulebook with text replacements; return its path.

    Each replacement must match exactly once, so a fixture that silently changes
    nothing cannot make a test pass.
    """
    counter = {"n": 0}

    def write(*replacements: tuple[str, str], text: str | None = None) -> Path:
        body = bundled_toml if text is None else text
        for old, new in replacements:
            assert body.count(old) == 1, f"replacement target {old!r} must occur exactly once"
            body = body.replace(old, new)
        counter["n"] += 1
        path = tmp_path / f"rules-{counter['n']}.toml"
        path.write_text(body, encoding="utf-8")
        return path

    return write
