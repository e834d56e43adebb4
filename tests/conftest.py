"""Shared fixtures: the bundled rulebook, its text (to write modified copies), a CLI runner."""

from __future__ import annotations

from collections.abc import Callable
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from astep_calc.cli import app
from astep_calc.rulebook import Rulebook, load_rulebook

#: Environment for CLI runs: no locale, so the default language is English and the
#: tests do not depend on the machine's LANG; NO_COLOR so nothing is styled.
CLI_ENV: dict[str, str | None] = {"LC_ALL": None, "LANG": None, "NO_COLOR": "1", "COLUMNS": "120"}


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


@pytest.fixture
def cli() -> Callable[..., Result]:
    """Invoke ``astep`` with the given arguments; stdout and stderr are kept apart."""
    runner = CliRunner()

    def invoke(*args: str, env: dict[str, str | None] | None = None) -> Result:
        merged = dict(CLI_ENV)
        if env:
            merged.update(env)
        return runner.invoke(app, list(args), env=merged)

    return invoke
