"""The program itself: ``--version``, ``-h`` beside ``--help``, shell completion, and the
version in every JSON report (SPEC §6)."""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import typer.main
from typer.testing import Result

import astep_calc
from astep_calc.cli import app
from astep_calc.cli.report import to_json
from astep_calc.cli.views import Report

ROOT = Path(__file__).resolve().parent.parent
Cli = Callable[..., Result]


def command_names() -> list[str]:
    group = typer.main.get_command(app)
    assert isinstance(group, typer.core.TyperGroup)
    return sorted(group.commands)


# ---------------------------------------------------------------------------
# --version
# ---------------------------------------------------------------------------


def test_version_prints_the_program_and_its_version(cli: Cli) -> None:
    result = cli("--version")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"astep {astep_calc.__version__}\n"
    assert result.stderr == ""


def test_version_comes_before_any_command(cli: Cli) -> None:
    # Eager: it answers even when a command follows, and runs none of it.
    result = cli("--version", "budget", "--menu", "nosuch")
    assert result.exit_code == 0 and result.stdout == f"astep {astep_calc.__version__}\n"


def test_the_installed_package_reports_the_same_version() -> None:
    # pyproject.toml and astep_calc.__version__ name the version twice: they must agree,
    # or `pip show astep-calc` and `astep --version` would tell two stories.
    assert importlib.metadata.version("astep-calc") == astep_calc.__version__


def test_version_in_the_help(cli: Cli) -> None:
    assert "--version" in cli("--help").stdout


# ---------------------------------------------------------------------------
# -h is --help, on the program and on every command
# ---------------------------------------------------------------------------


def test_every_command_is_covered() -> None:
    # The list below is the app's own; a new command gets -h with no change here.
    assert {"budget", "check", "collateral", "disburse", "repay", "rules", "scenarios"} <= set(command_names())


@pytest.mark.parametrize("command", [[], *([name] for name in command_names())], ids=["astep", *command_names()])
def test_dash_h_is_help(cli: Cli, command: list[str]) -> None:
    long = cli(*command, "--help")
    short = cli(*command, "-h")
    assert long.exit_code == short.exit_code == 0, short.output
    assert short.stdout == long.stdout
    assert short.stdout.startswith(f"Usage: astep {' '.join(command)}".rstrip())
    assert "-h, --help" in short.stdout


def test_dash_h_after_other_options(cli: Cli) -> None:
    # Help wins over missing or bad options, as --help does.
    result = cli("repay", "--amount", "nonsense", "-h")
    assert result.exit_code == 0 and result.stdout.startswith("Usage: astep repay")


# ---------------------------------------------------------------------------
# Shell completion
# ---------------------------------------------------------------------------


def run_astep(*args: str, env: dict[str, str], cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """``python -m astep_calc`` in a child process with only the given environment added
    (completion reads the environment before any command runs)."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("_ASTEP_") and not k.startswith("_TYPER_")}
    return subprocess.run(
        [sys.executable, "-m", "astep_calc", *args],
        capture_output=True,
        text=True,
        env={**base, "NO_COLOR": "1", **env},
        cwd=cwd,
        timeout=60,
        stdin=subprocess.DEVNULL,
    )


def test_completion_options_are_offered(cli: Cli) -> None:
    out = cli("--help").stdout
    assert "--install-completion" in out and "--show-completion" in out


@pytest.mark.slow
@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        ("bash", "complete -o default -F _astep_completion astep"),
        ("zsh", "#compdef astep"),
        ("fish", "complete --command astep"),
    ],
)
def test_show_completion_prints_the_script(shell: str, marker: str) -> None:
    # Without shell detection, the shell is named on the command line.
    done = run_astep("--show-completion", shell, env={"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"})
    assert done.returncode == 0, done.stderr
    assert marker in done.stdout and "_ASTEP_COMPLETE" in done.stdout


@pytest.mark.slow
def test_completion_completes_commands_and_options() -> None:
    # What the bash script asks the program at each <TAB>.
    def complete(*words: str) -> list[str]:
        done = run_astep(
            env={
                "_ASTEP_COMPLETE": "complete_bash",
                "COMP_WORDS": " ".join(["astep", *words]),
                "COMP_CWORD": str(len(words)),
            }
        )
        assert done.returncode == 0, done.stderr
        assert "Traceback" not in done.stderr
        return done.stdout.split()

    assert complete("bu") == ["budget"]
    assert set(complete("")) >= {"budget", "check", "collateral", "repay", "rules"}
    assert complete("repay", "--ev") == ["--every"]
    assert "--format" in complete("check", "--f")


@pytest.mark.slow
def test_install_completion_writes_only_under_home(tmp_path: Path) -> None:
    done = run_astep(
        "--install-completion",
        "bash",
        cwd=tmp_path,
        env={"HOME": str(tmp_path), "_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"},
    )
    assert done.returncode == 0, done.stderr
    script = tmp_path / ".bash_completions" / "astep.sh"
    assert "_ASTEP_COMPLETE=complete_bash" in script.read_text()
    assert f"source '{script}'" in (tmp_path / ".bashrc").read_text()


@pytest.mark.slow
def test_unknown_shell_is_exit_2_without_traceback() -> None:
    done = run_astep("--show-completion", "nosuch", env={"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"})
    assert done.returncode == 2
    assert "nosuch" in done.stderr and "Traceback" not in done.stderr


# ---------------------------------------------------------------------------
# "version" in every JSON report
# ---------------------------------------------------------------------------


def test_to_json_always_carries_the_version() -> None:
    # Every command's JSON goes through to_json, so this covers commands added later too.
    report = Report(command="anything", rules_id="r", tables=(), data={"x": 1})
    obj = json.loads(to_json(report, "en"))
    assert obj["version"] == astep_calc.__version__
    assert list(obj)[:3] == ["command", "rules", "version"]
    assert obj["x"] == 1


EXAMPLES = ROOT / "examples"


@pytest.mark.parametrize(
    "args",
    [
        ["budget", "--menu", "stage1", "--start", "2026-10-01", "--months", "30"],
        ["budget", "--menu", "stage1", "--start", "2026-04-01", "--months", "31"],  # exit 1: still versioned
        ["collateral", "--amount", "5億"],
        ["disburse", "--amount", "3億", "--start", "2025-07-01", "--months", "36"],
        ["repay", "--amount", "1億", "--dev-end", "2028-03-31"],
        ["scenarios", "--amount", "1億", "--dev-end", "2028-03-31"],
        ["rules"],
        ["check", str(EXAMPLES / "stage1-valid.toml"), str(EXAMPLES / "jisso-invalid.toml")],
        ["check", "nosuch-plan.toml"],  # exit 2 for an unreadable file: the report still says its version
    ],
    ids=["budget", "budget-over", "collateral", "disburse", "repay", "scenarios", "rules", "check", "check-missing"],
)
def test_every_json_report_carries_the_version(cli: Cli, args: list[str]) -> None:
    result = cli(*args, "--format", "json")
    assert result.exit_code in (0, 1, 2), result.output
    obj = json.loads(result.stdout)
    assert obj["command"] == args[0]
    assert obj["version"] == astep_calc.__version__


# ---------------------------------------------------------------------------
# Which module registers each command (start-up imports only the one a run needs)
# ---------------------------------------------------------------------------


def test_every_command_is_registered_by_the_module_its_table_names() -> None:
    from astep_calc.cli.program import COMMAND_MODULES

    registered = {
        info.name: info.callback.__module__.rsplit(".", 1)[1]
        for info in app.registered_commands
        if info.name is not None and info.callback is not None
    }
    assert registered == COMMAND_MODULES


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "loaded", "absent"),
    [
        (["repay", "--amount", "1億", "--dev-end", "2030-03-31"], "cmd_jisso", {"cmd_plan", "cmd_check", "cmd_budget"}),
        (["rules", "--format", "json"], "cmd_rules", {"cmd_jisso", "cmd_plan", "cmd_check"}),
        # help lists every command, and a misspelt one is matched against all of them
        (["--help"], "cmd_plan", set()),
        (["repai"], "cmd_jisso", set()),
    ],
)
def test_a_run_imports_only_its_own_command_module(args: list[str], loaded: str, absent: set[str]) -> None:
    code = "import sys\nfrom astep_calc.cli import main\nsys.argv = ['astep', *sys.argv[1:]]\ntry:\n    main()\nexcept SystemExit:\n    pass\nprint(sorted(m for m in sys.modules if m.startswith('astep_calc.cli.cmd_')))"
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, cwd=ROOT, check=False)
    modules = {m.rsplit(".", 1)[1] for m in json.loads(proc.stdout.strip().splitlines()[-1].replace("'", '"'))}
    assert loaded in modules
    assert not modules & absent
    if not absent:
        assert {"cmd_budget", "cmd_check", "cmd_init", "cmd_jisso", "cmd_plan", "cmd_rules"} <= modules
