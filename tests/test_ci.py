"""The test instructions a newcomer follows are the ones CI runs, and they run everything."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEST_COMMAND = re.compile(r"^python3 -m venv \.venv && .*\.venv/bin/pytest$", re.MULTILINE)


def _test_command(readme: str) -> str:
    found = TEST_COMMAND.findall((ROOT / readme).read_text("utf-8"))
    assert found, f"{readme} has no test command"
    return found[0]


def test_both_readmes_give_the_same_test_command_and_it_runs_everything() -> None:
    command = _test_command("README.md")
    assert _test_command("README.ja.md") == command
    # No marker filter, no -k, no path: the whole suite, slow tests included.
    assert command.endswith("&& .venv/bin/pytest")


def test_ci_runs_the_readme_command_it_reads_from_the_readme() -> None:
    # Run .ci/run's extraction line itself, so that a change to either side is caught.
    script = (ROOT / ".ci" / "run").read_text("utf-8")
    line = next(line for line in script.splitlines() if line.startswith("cmd=$(grep"))
    grep = line.removeprefix("cmd=$(").split(") ||")[0]
    out = subprocess.run(["bash", "-c", grep], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.strip() == _test_command("README.md")
    assert 'bash -c "$cmd"' in script


def test_the_quick_loop_is_documented_and_the_slow_marker_is_strict() -> None:
    for readme in ("README.md", "README.ja.md"):
        assert '.venv/bin/pytest -m "not slow"' in (ROOT / readme).read_text("utf-8"), readme
    pytest_config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["tool"]["pytest"]["ini_options"]
    assert "--strict-markers" in pytest_config["addopts"].split()
    assert any(m.startswith("slow:") for m in pytest_config["markers"])
    assert pytest_config["xfail_strict"] is True
