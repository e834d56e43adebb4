"""``astep check DIR`` and ``--report FORMAT:PATH``: folders of plans, and several reports of
one reading of them, each file what that format alone writes with ``--output``."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from astep_calc.cli.cmd_check import plan_files, plans_in
from astep_calc.cli.formats import FORMATS
from astep_calc.cli.options import COMMAND_FORMATS

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
Cli = Callable[..., object]

#: Every text format check writes: each can be a --report.
REPORT_FORMATS = [f for f in COMMAND_FORMATS["check"] if not FORMATS[f].binary]


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """plans/ with plans at several depths, a hidden folder and file, and files that are no plans."""
    monkeypatch.chdir(tmp_path)
    plans = Path("plans")
    for name, source in [
        ("b.toml", "stage1-valid.toml"),
        ("a-invalid.toml", "stage1-invalid.toml"),
        ("sub/jisso.toml", "jisso-invalid.toml"),
        ("sub/deeper/gate.toml", "stage2-gate-valid.toml"),
        ("a/z.toml", "stage2-valid.toml"),
        (".hidden/x.toml", "stage1-invalid.toml"),
        (".dot.toml", "stage1-invalid.toml"),
        ("sub/.secret/y.toml", "stage1-invalid.toml"),
    ]:
        target = plans / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(EXAMPLES / source, target)
    (plans / "plan.json").write_text(
        json.dumps({"menu": "stage1", "start": "2026-10-01", "end": "2029-03-31"}), encoding="utf-8"
    )
    (plans / "README.md").write_text("# plans\n", encoding="utf-8")
    (plans / "notes.txt").write_text("x\n", encoding="utf-8")
    (plans / "sub" / "data.csv").write_text("a,b\n", encoding="utf-8")
    (plans / "empty").mkdir()
    return plans


EXPECTED = [
    "plans/a/z.toml",  # plans/a/ before plans/a-invalid.toml: by folder, then name
    "plans/a-invalid.toml",
    "plans/b.toml",
    "plans/plan.json",
    "plans/sub/deeper/gate.toml",
    "plans/sub/jisso.toml",
]


def test_a_folder_is_its_plan_files_recursively_sorted_hidden_skipped(tree: Path) -> None:
    assert plans_in("plans") == EXPECTED
    assert plans_in("plans/") == EXPECTED
    assert plans_in(".") == EXPECTED
    # A folder beside files, named twice: each file once, in the order named.
    assert plan_files(["plans/b.toml", "plans/sub", "plans/sub/jisso.toml"]) == [
        "plans/b.toml",
        "plans/sub/deeper/gate.toml",
        "plans/sub/jisso.toml",
        "plans/sub/jisso.toml",  # distinct_paths makes it one
    ]


def test_the_rulebook_in_a_folder_is_not_a_plan(tree: Path) -> None:
    shutil.copy(ROOT / "src" / "astep_calc" / "rules" / "a-step-2024.toml", "plans/sub/rules.toml")
    assert "plans/sub/rules.toml" in plans_in("plans")
    assert plans_in("plans", "plans/sub/rules.toml") == EXPECTED
    assert plans_in("plans", "./plans/sub/../sub/rules.toml") == EXPECTED


def test_check_a_folder(cli: Cli, tree: Path) -> None:
    result = cli("check", "plans", "--format", "json", "--lang", "en")
    report = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert [f["path"] for f in report["files"]] == EXPECTED
    assert report["counts"]["files"] == 6 and report["counts"]["unreadable"] == 0
    assert result.exit_code == 1  # type: ignore[attr-defined]


def test_a_folder_with_no_plan_is_reported_not_passed(cli: Cli, tree: Path) -> None:
    result = cli("check", "plans/empty", "plans/b.toml", "--format", "json", "--lang", "en", strict=False)
    assert result.exit_code == 2  # type: ignore[attr-defined]
    report = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert [f["path"] for f in report["files"]] == ["plans/empty", "plans/b.toml"]
    assert "no plan file" in report["files"][0]["error"]
    assert result.stderr.count("astep: error:") == 1  # type: ignore[attr-defined]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any folder")
def test_an_unreadable_subfolder_is_reported(cli: Cli, tree: Path) -> None:
    locked = Path("plans/locked")
    locked.mkdir()
    locked.chmod(0)
    try:
        assert plans_in("plans")[-1] == "plans/locked"
    finally:
        locked.chmod(0o755)


# --------------------------------------------------------------------------- --report


def test_every_report_equals_that_format_alone(cli: Cli, tree: Path) -> None:
    # One run writes every format check takes as a report; each file is byte for byte what
    # --format F --output FILE writes, and standard output is --format github's alone.
    args = ["check", "plans", "plans/empty", "--lang", "en"]
    reports = [arg for f in REPORT_FORMATS for arg in ("--report", f"{f}:report-{f}{FORMATS[f].extensions[0]}")]
    together = cli(*args, "--format", "github", *reports, strict=False)
    alone = cli(*args, "--format", "github", strict=False)
    assert together.exit_code == alone.exit_code == 2  # type: ignore[attr-defined]
    assert together.stdout == alone.stdout and together.stderr == alone.stderr  # type: ignore[attr-defined]
    for f in REPORT_FORMATS:
        single = Path(f"single-{f}{FORMATS[f].extensions[0]}")
        cli(*args, "--format", f, "--output", str(single), strict=False)
        assert Path(f"report-{f}{FORMATS[f].extensions[0]}").read_bytes() == single.read_bytes(), f


@pytest.mark.parametrize("main", REPORT_FORMATS)
def test_reports_beside_every_format(cli: Cli, tree: Path, main: str) -> None:
    # Whatever --format is (it decides what is rendered where each file is checked), the
    # JSON report is the same bytes as astep check --format json.
    result = cli("check", "plans", "--format", main, "--report", "json:r.json", "--lang", "ja")
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert Path("r.json").read_text("utf-8") == cli("check", "plans", "--format", "json", "--lang", "ja").stdout  # type: ignore[attr-defined]
    if main == "json":
        assert result.stdout == Path("r.json").read_text("utf-8")  # type: ignore[attr-defined]


def test_the_done_when_of_issue_21(cli: Cli, tree: Path) -> None:
    result = cli(
        "check",
        "plans",
        "--format",
        "github",
        "--report",
        "junit:j.xml",
        "--report",
        "sarif:a.sarif",
        "--report",
        "json:r.json",
        "--lang",
        "en",
    )
    assert result.exit_code == 1  # type: ignore[attr-defined]
    assert Path("r.json").read_text("utf-8") == cli("check", "plans", "--format", "json", "--lang", "en").stdout  # type: ignore[attr-defined]
    sarif = json.loads(Path("a.sarif").read_text("utf-8"))
    report = json.loads(Path("r.json").read_text("utf-8"))
    lines = [
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for r in sarif["runs"][0]["results"]
    ]
    assert lines == [(v["path"], v["line"]) for v in report["violations"]]
    assert Path("j.xml").read_text("utf-8").startswith("<?xml")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--report", "junit"], "must be FORMAT:PATH"),
        (["--report", "junit:"], "must be FORMAT:PATH"),
        (["--report", ":j.xml"], "must be FORMAT:PATH"),
        (["--report", "yaml:r.yaml"], "writes no 'yaml' report"),
        (["--report", "xlsx:r.xlsx"], "xlsx is a binary file"),
        (["--report", "json:-"], "standard output shows --format's output"),
        (["--report", "junit:r.json"], "a .json file is written as json"),
        (["--report", "json:r.json", "--report", "json:./r.json"], "writes the same file as --report 'json:r.json'"),
        (["--output", "r.json", "--report", "json:r.json"], "writes the same file as --output"),
        (["--report", "json:nosuch/r.json"], "does not exist"),
    ],
)
def test_report_refusals_are_one_line(cli: Cli, tree: Path, args: list[str], message: str) -> None:
    cli("check", "plans/b.toml", *args, "--lang", "en").expect(2, message_contains=message)  # type: ignore[attr-defined]
    assert not Path("r.json").exists() and not Path("r.yaml").exists()


def test_an_existing_report_file_is_kept_unless_force(cli: Cli, tree: Path) -> None:
    Path("r.json").write_text("keep", encoding="utf-8")
    cli("check", "plans/b.toml", "--report", "json:r.json").expect(2, message_contains="r.json")  # type: ignore[attr-defined]
    assert Path("r.json").read_text("utf-8") == "keep"
    assert cli("check", "plans/b.toml", "--report", "json:r.json", "--force").exit_code == 0  # type: ignore[attr-defined]
    assert json.loads(Path("r.json").read_text("utf-8"))["ok"] is True


def test_report_is_check_s_only(cli: Cli) -> None:
    cli("budget", "--menu", "stage1", "--start", "2026-10-01", "--months", "30", "--report", "json:r.json").expect(
        2, message_contains="--report"
    )  # type: ignore[attr-defined]
