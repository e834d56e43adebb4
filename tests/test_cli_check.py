"""``astep check`` and ``astep schema`` through the command line (SPEC §6-7) and the example
plans. The files a user copies for CI (action, workflows, pre-commit hook): test_ci_files.py."""

from __future__ import annotations

import csv
import glob
import io
import json
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from astep_calc.plan_schema import plan_schema_text

Cli = Callable[..., Result]

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
VALID = sorted(EXAMPLES.glob("*-valid.toml"))
INVALID = sorted(EXAMPLES.glob("*-invalid.toml"))
ALL_RULES = {
    "period.max",
    "budget.fy_cap",
    "budget.outside_period",
    "amount.max",
    "collateral.min",
    "repay.total",
    "repay.window",
    "repay.term",
    "repay.deferral",
    "phase.overlap",
    "phase.gate",
}

#: What each invalid example breaks, as its leading comment says.
EXPECTED = {
    "stage1-invalid.toml": ["period.max", "budget.fy_cap", "budget.outside_period"],
    "stage2-invalid.toml": ["budget.fy_cap"],
    "stage2-gate-invalid.toml": ["period.max", "budget.fy_cap"],
    "jisso-invalid.toml": ["amount.max", "collateral.min", "repay.deferral", "repay.term"],
    "jisso-custom-invalid.toml": ["repay.total", "repay.window", "repay.term"],
    "roadmap-overlap-invalid.toml": ["phase.overlap"],
    "roadmap-gate-invalid.toml": ["phase.gate"],
}

STAGE1 = 'menu = "stage1"\nstart = 2026-10-01\nend = 2029-03-31\n'


def without_lines(value: Any) -> Any:
    """A report without the ``line`` of each violation: what stays the same whatever the file's layout."""
    if isinstance(value, dict):
        return {k: without_lines(v) for k, v in value.items() if k != "line"}
    if isinstance(value, list):
        return [without_lines(v) for v in value]
    return value


def as_a_command_says(violations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Violations of a plan file as the command with the same inputs lists them: rule and message
    (a plan file's violations add the line and the numbers behind them)."""
    return [{"rule": v["rule"], "message": v["message"]} for v in violations]


def run_json(cli: Cli, *args: str) -> tuple[int, dict[str, Any], Result]:
    result = cli("check", *args, "--format", "json")
    return result.exit_code, json.loads(result.stdout), result


def no_traceback(result: Any) -> None:
    result.check()  # conftest's strict check (the cli fixture has run it already)


# ---------------------------------------------------------------------------
# The examples
# ---------------------------------------------------------------------------


def test_there_is_a_valid_and_an_invalid_example_for_each_menu() -> None:
    names = {p.name for p in EXAMPLES.glob("*.toml")}
    for stem in ("stage1", "stage2", "stage2-gate", "jisso", "jisso-custom"):
        assert {f"{stem}-valid.toml", f"{stem}-invalid.toml"} <= names
    assert set(EXPECTED) == {p.name for p in INVALID}
    assert {rule for rules in EXPECTED.values() for rule in rules} == ALL_RULES  # every rule id appears


@pytest.mark.parametrize("example", VALID + INVALID, ids=lambda p: p.name)
def test_each_example_opens_with_a_comment_saying_what_it_shows(example: Path) -> None:
    first = example.read_text("utf-8").splitlines()[0]
    assert first.startswith("# ") and len(first) > 30
    if example in INVALID:  # the comment names each rule the plan breaks
        text = example.read_text("utf-8")
        comment = text[: text.index("\nmenu")]
        for rule in EXPECTED[example.name]:
            assert rule in comment


@pytest.mark.parametrize("example", VALID, ids=lambda p: p.name)
def test_each_valid_example_alone_exits_0(cli: Cli, example: Path) -> None:
    code, report, _ = run_json(cli, str(example))
    assert code == 0
    assert report["ok"] is True and report["violations"] == []
    assert cli("check", str(example)).exit_code == 0


@pytest.mark.parametrize("example", INVALID, ids=lambda p: p.name)
def test_each_invalid_example_alone_exits_1_with_its_rules(cli: Cli, example: Path) -> None:
    code, report, _ = run_json(cli, str(example))
    assert code == 1
    assert [v["rule"] for v in report["files"][0]["violations"]] == EXPECTED[example.name]


def test_all_examples_exit_1_listing_exactly_the_invalid_examples_violations(cli: Cli) -> None:
    paths = sorted(glob.glob(str(EXAMPLES / "*.toml")))  # what the shell makes of examples/*.toml
    code, report, result = run_json(cli, *paths)
    assert code == 1 and result.stderr == ""
    found = sorted((Path(v["path"]).name, v["rule"]) for v in report["violations"])
    assert found == sorted((name, rule) for name, rules in EXPECTED.items() for rule in rules)
    for f in report["files"]:
        assert f["ok"] == (not Path(f["path"]).name.endswith("-invalid.toml"))  # roadmap-*.toml hold too
    assert report["counts"] == {
        "files": len(paths),
        "with_violations": len(EXPECTED),
        "unreadable": 0,
        "violations": len(found),
    }


# ---------------------------------------------------------------------------
# The report: JSON shape, table, CSV
# ---------------------------------------------------------------------------


def test_json_report_has_the_documented_shape(cli: Cli) -> None:
    ok, bad = str(EXAMPLES / "stage1-valid.toml"), str(EXAMPLES / "jisso-invalid.toml")
    code, report, _ = run_json(cli, ok, bad)
    assert code == 1
    assert report["command"] == "check" and report["rules"] == "a-step-2024"
    assert report["ok"] is False
    assert isinstance(report["assumptions"], list) and all(isinstance(a, str) for a in report["assumptions"])
    assert [f["path"] for f in report["files"]] == [ok, bad]
    for f in report["files"]:
        assert {"path", "ok", "violations", "error"} <= set(f)
        assert f["error"] is None
        # SPEC §6: a plan's violation also carries the line of its key and the numbers behind it.
        assert all({"rule", "message", "line", "details"} == set(v) for v in f["violations"])
    assert report["files"][0]["ok"] is True and report["files"][0]["violations"] == []
    assert report["files"][1]["ok"] is False
    assert report["violations"] == [{"path": bad, **v} for v in report["files"][1]["violations"]]
    assert all(set(v) == {"path", "rule", "message", "line", "details"} for v in report["violations"])
    assert all(isinstance(v["line"], int) for v in report["violations"])


def test_check_uses_the_budget_commands_numbers(cli: Cli) -> None:
    _, check, _ = run_json(cli, str(EXAMPLES / "stage1-valid.toml"))
    budget = json.loads(
        cli(
            "budget",
            "--menu",
            "stage1",
            "--start",
            "2026-10-01",
            "--end",
            "2029-03-31",
            "--indirect-rate",
            "0.30",
            "--format",
            "json",
        ).stdout
    )
    rows = check["files"][0]["fiscal_years"]
    assert [{k: r[k] for k in budget["fiscal_years"][0]} for r in rows] == budget["fiscal_years"]
    fy2026 = next(r for r in rows if r["fiscal_year"] == 2026)
    assert fy2026["cap"] == budget["fiscal_years"][0]["cap"] == 7_500_000
    assert fy2026["request"] == 7_500_000
    assert check["files"][0]["total_cap"] == budget["total_cap"]


def test_check_uses_the_budget_commands_numbers_when_over(cli: Cli) -> None:
    _, check, _ = run_json(cli, str(EXAMPLES / "stage2-gate-invalid.toml"))
    budget = json.loads(
        cli(
            "budget", "--menu", "stage2-gate", "--start", "2027-10-01", "--end", "2032-03-31", "--format", "json"
        ).stdout
    )
    assert [r["cap"] for r in check["files"][0]["fiscal_years"]] == [r["cap"] for r in budget["fiscal_years"]]
    assert {v["rule"] for v in budget["violations"]} == {"period.max"}
    assert budget["violations"][0] in as_a_command_says(check["files"][0]["violations"])


@pytest.mark.parametrize(
    ("example", "repay_args"),
    [
        (
            "jisso-valid.toml",
            [
                "--amount",
                "5億",
                "--dev-end",
                "2028-06-30",
                "--grade",
                "A",
                "--deferral",
                "3y",
                "--term",
                "10y",
                "--every",
                "year",
            ],
        ),
        (
            "jisso-invalid.toml",
            [
                "--amount",
                "6億",
                "--dev-end",
                "2028-06-30",
                "--grade",
                "A",
                "--deferral",
                "4y",
                "--term",
                "12y",
                "--every",
                "year",
            ],
        ),
    ],
)
def test_check_uses_the_repay_commands_schedule(cli: Cli, example: str, repay_args: list[str]) -> None:
    _, check, _ = run_json(cli, str(EXAMPLES / example))
    repay = json.loads(cli("repay", *repay_args, "--format", "json").stdout)
    f = check["files"][0]
    assert f["payments"] == repay["payments"]
    assert (f["owed"], f["total"]) == (repay["owed"], repay["total"])
    # Every rule repay finds, check finds too; check adds the collateral.
    assert all(v in as_a_command_says(f["violations"]) for v in repay["violations"])
    collateral = json.loads(cli("collateral", "--amount", repay_args[1], "--format", "json").stdout)
    assert f["collateral_required"] == collateral["collateral"]


@pytest.mark.parametrize("example", ["jisso-custom-valid.toml", "jisso-custom-invalid.toml"])
def test_check_uses_the_repay_commands_custom_schedule(cli: Cli, tmp_path: Path, example: str) -> None:
    plan = tomllib.loads((EXAMPLES / example).read_text("utf-8"))
    csv_file = tmp_path / "payments.csv"
    csv_file.write_text(
        "due,amount\n" + "".join(f"{p['due']},{p['amount']}\n" for p in plan["repayment"]["payments"]), "utf-8"
    )
    _, check, _ = run_json(cli, str(EXAMPLES / example))
    repay = json.loads(
        cli(
            "repay",
            "--amount",
            plan["amount"],
            "--dev-end",
            plan["end"].isoformat(),
            "--payments",
            str(csv_file),
            "--format",
            "json",
        ).stdout
    )
    f = check["files"][0]
    assert f["payments"] == repay["payments"]
    assert as_a_command_says(f["violations"]) == repay["violations"]


def test_table_output_one_table_per_file_and_totals(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Short relative paths in a folder of our own: a title names its file, and the test must
    # not depend on how long the path to the checkout (or to the temporary folder) is.
    monkeypatch.chdir(tmp_path)
    for name in ("stage1-valid.toml", "stage1-invalid.toml"):
        Path(name).write_bytes((EXAMPLES / name).read_bytes())
    Path("bad.toml").write_text(STAGE1 + "months = 30\n", "utf-8")
    ok, broken = "stage1-valid.toml", "stage1-invalid.toml"
    result = cli("check", ok, broken, "bad.toml", "--lang", "en")
    assert result.exit_code == 2
    out = result.stdout
    assert f"{ok}: stage1, 2026-10-01 to 2029-03-31" in out
    assert "✓ Within the programme rules." in out
    assert f"{broken}: stage1, 2026-10-01 to 2029-09-30 — 3 violations" in out
    for rule in EXPECTED["stage1-invalid.toml"]:
        assert rule in out
    assert "Not a readable plan" in out
    assert "3 files checked" in out and "1 with violations, 1 unreadable" in out
    assert out.index(ok) < out.index(broken) < out.index("Plan files checked")
    ja = cli("check", ok, broken, "--lang", "ja").stdout
    assert "検査した計画ファイル" in ja and "違反 3件" in ja and "2ファイルを検査" in ja and "違反あり 1ファイル" in ja
    assert "制度のルールにすべて適合しています" in ja and "✓ 適合" in ja
    assert "2026年度（令和8年度）：申請額10,000,000円は、上限額7,500,000円" in ja.replace("\n", "")


def test_csv_output_one_row_per_violation(cli: Cli) -> None:
    paths = [str(EXAMPLES / "stage1-valid.toml"), str(EXAMPLES / "jisso-custom-invalid.toml")]
    result = cli("check", *paths, "--format", "csv")
    assert result.exit_code == 1
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["path", "rule", "message", "line"]
    assert [(r[0], r[1]) for r in rows[1:]] == [(paths[1], rule) for rule in EXPECTED["jisso-custom-invalid.toml"]]


def test_output_file(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "report.json"
    result = cli("check", str(EXAMPLES / "stage1-invalid.toml"), "--format", "json", "--output", str(target))
    assert result.exit_code == 1 and result.stdout == ""
    assert json.loads(target.read_text("utf-8"))["ok"] is False


def test_the_same_plan_in_toml_and_json_gives_the_same_report(cli: Cli, tmp_path: Path) -> None:
    for example in VALID + INVALID:
        data = tomllib.loads(example.read_text("utf-8"))
        as_json = tmp_path / (example.stem + ".json")
        as_json.write_text(json.dumps(data, default=lambda d: d.isoformat(), ensure_ascii=False), "utf-8")
        code_t, from_toml, _ = run_json(cli, str(example))
        code_j, from_json, _ = run_json(cli, str(as_json))
        assert code_t == code_j
        text = json.dumps(from_json, ensure_ascii=False).replace(str(as_json), str(example))
        # The same report but for the lines, which follow each file's layout.
        assert without_lines(json.loads(text)) == without_lines(from_toml), example.name


# ---------------------------------------------------------------------------
# Unreadable files: exit 2, one line each on stderr, the others still reported
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "fragments"),
    [
        ("syntax.toml", STAGE1.replace("end = 2029-03-31", "end = "), ["syntax.toml:3:", "not valid TOML"]),
        ("syntax.json", '{\n  "menu": "stage1",\n}\n', ["syntax.json:3:", "not valid JSON"]),
        ("unknown.toml", STAGE1 + "months = 30\n", ["unknown.toml:4:", "'months'"]),
        ("type.toml", STAGE1 + "[budget]\n2026 = true\n", ["type.toml:5:", "'budget.2026'"]),
        ("date.toml", STAGE1.replace("end = 2029-03-31", 'end = "2029-02-29"'), ["date.toml:3:", "'end'"]),
        ("menu.toml", STAGE1.replace("stage1", "stage3"), ["menu.toml:1:", "'menu'", "stage3"]),
        ("latin1.toml", b'menu = "stage1"\n# \xe9t\xe9\n', ["latin1.toml:2:", "UTF-8"]),
        ("missing.toml", None, ["missing.toml", "cannot be read"]),
        ("folder.toml", "folder", ["folder.toml", "cannot be read"]),
    ],
)
def test_unreadable_plan_exits_2_with_one_line(
    cli: Cli, tmp_path: Path, name: str, content: str | bytes | None, fragments: list[str]
) -> None:
    path = tmp_path / name
    if content == "folder":
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, "utf-8")
    for fmt in ("table", "json", "csv"):
        result = cli("check", str(path), "--format", fmt)
        assert result.exit_code == 2
        no_traceback(result)
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("astep: error: "), result.stderr
        for part in fragments:
            assert part in lines[0], lines[0]


def test_an_unreadable_file_does_not_hide_the_others(cli: Cli, tmp_path: Path) -> None:
    first, second = tmp_path / "first.toml", tmp_path / "second.json"
    first.write_text("menu = \n", "utf-8")
    second.write_text("{", "utf-8")
    broken = str(EXAMPLES / "stage2-invalid.toml")
    code, report, result = run_json(cli, str(first), broken, str(second))
    assert code == 2
    no_traceback(result)
    errors = result.stderr.splitlines()
    assert len(errors) == 2 and "first.toml:1:" in errors[0] and "second.json:1:" in errors[1]
    assert report["ok"] is False
    assert [f["ok"] for f in report["files"]] == [False, False, False]
    assert report["files"][0]["error"] and report["files"][2]["error"]
    assert report["files"][0]["error"] in errors[0]
    assert [v["rule"] for v in report["files"][1]["violations"]] == ["budget.fy_cap"]
    assert report["violations"] == [{"path": broken, **v} for v in report["files"][1]["violations"]]
    assert report["counts"]["unreadable"] == 2


@pytest.mark.parametrize("fmt", ["json", "csv", "table"])
def test_one_bad_plan_never_hides_the_others(
    cli: Cli, tmp_path: Path, fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each of these once turned the whole run into one "unexpected error" with no report.
    # Short relative paths: the table shows each whole, wherever the checkout and tmp_path live.
    monkeypatch.chdir(tmp_path)
    Path("stage1-invalid.toml").write_bytes((EXAMPLES / "stage1-invalid.toml").read_bytes())
    bad = {
        "ancient.toml": STAGE1.replace("start = 2026-10-01", "start = 0001-01-01"),
        "digits.toml": STAGE1 + "[budget]\n2026 = " + "1" * 5000 + "\n",
        "exponent.toml": STAGE1 + "indirect_rate = 1e-999999\n",
    }
    paths = ["stage1-invalid.toml"]
    for name, text in bad.items():
        Path(name).write_text(text, "utf-8")
        paths.append(name)
    paths.append("/dev/zero")
    out = tmp_path / f"report.{fmt}"
    result = cli("check", *paths, "--format", fmt, "--output", str(out))
    assert result.exit_code == 2
    no_traceback(result)
    errors = result.stderr.splitlines()
    assert len(errors) == 4 and all(e.startswith("astep: error: ") for e in errors), errors
    assert "unexpected" not in result.stderr
    for name, key in (
        ("ancient.toml:2:", "'start'"),
        ("digits.toml:5:", "'budget.2026'"),
        ("exponent.toml:4:", "'indirect_rate'"),
    ):
        assert any(name in e and key in e for e in errors), (name, errors)
    text = out.read_text("utf-8")
    if fmt == "json":
        report = json.loads(text)
        assert [f["path"] for f in report["files"]] == paths
        assert report["files"][0]["violations"] and report["files"][0]["error"] is None
        assert all(f["error"] for f in report["files"][1:])
        assert report["counts"]["unreadable"] == 4
    elif fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(text)))
        assert rows[0]["path"] == paths[0] and rows[0]["rule"] == "period.max"
        unreadable = [r for r in rows if r["rule"] == "unreadable"]
        assert [r["path"] for r in unreadable] == paths[1:]
        assert [r["message"].startswith(r["path"]) for r in unreadable] == [True] * 4
        # The line the message names is in the line column too; /dev/zero has none.
        assert [r["line"] for r in unreadable] == ["2", "5", "4", ""]
    else:
        for path in paths:
            assert path in text


def test_json_report_writes_each_file_on_one_line(cli: Cli, tmp_path: Path) -> None:
    # Each file's entry is encoded as the file is checked: a report over thousands of plans
    # holds text, not their schedules, and stays one line per file to grep.
    paths = [str(p) for p in VALID + INVALID] + [str(tmp_path / "none.toml")]
    result = cli("check", *paths, "--format", "json")
    report = json.loads(result.stdout)
    assert [f["path"] for f in report["files"]] == paths
    lines = [line.strip().rstrip(",") for line in result.stdout.splitlines() if line.lstrip().startswith('{"path"')]
    assert [json.loads(line) for line in lines] == report["files"]
    jisso = next(f for f in report["files"] if f["path"].endswith("jisso-valid.toml"))
    assert [p["due"] for p in jisso["payments"]][:1] == ["2032-06-30"] and jisso["owed"] == 500_000_000


def test_a_readable_plan_among_unreadable_ones_still_exits_2(cli: Cli, tmp_path: Path) -> None:
    result = cli("check", str(EXAMPLES / "stage1-valid.toml"), str(tmp_path / "nope.toml"))
    assert result.exit_code == 2


def test_check_needs_a_plan(cli: Cli) -> None:
    result = cli("check")
    assert result.exit_code == 2
    no_traceback(result)


def test_errors_in_japanese(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text(STAGE1 + '[budget]\n2026 = "1.5"\n', "utf-8")
    result = cli("check", str(path), "--lang", "ja")
    assert result.exit_code == 2
    assert "p.toml:5：キー「budget.2026」：「1.5」は1円未満の端数を含みます" in result.stderr


def test_a_bad_rulebook_is_one_error(cli: Cli, tmp_path: Path) -> None:
    result = cli("check", str(EXAMPLES / "stage1-valid.toml"), "--rules", str(tmp_path / "none.toml"))
    assert result.exit_code == 2 and result.stdout == ""
    assert len(result.stderr.splitlines()) == 1


# ---------------------------------------------------------------------------
# astep schema
# ---------------------------------------------------------------------------


def test_schema_prints_the_packaged_json_schema(cli: Cli) -> None:
    result = cli("schema")
    assert result.exit_code == 0
    assert result.stdout == plan_schema_text()
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["properties"]["menu"]["enum"] == ["stage1", "stage2", "stage2-gate", "jisso"]


def test_help_lists_check_and_schema(cli: Cli) -> None:
    out = cli("--help").stdout
    assert "check" in out and "schema" in out
    assert "PLAN..." in cli("check", "--help").stdout


def test_a_file_name_that_is_not_utf8_is_shown_escaped_in_every_format(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Python reads the byte 0xfe of a file name as the lone surrogate U+DCFE, which UTF-8
    # output cannot hold: every format shows the name as inv\xfe.toml instead.
    import os

    import openpyxl

    monkeypatch.chdir(tmp_path)
    good, bad = os.fsdecode(b"inv\xfe.toml"), os.fsdecode(b"bad\xfe.toml")
    try:
        Path(good).write_text((ROOT / "examples" / "stage1-valid.toml").read_text("utf-8"), encoding="utf-8")
        Path(bad).write_text("menu = [\n", encoding="utf-8")
    except (OSError, UnicodeError):
        pytest.skip("this file system takes UTF-8 names only")
    for fmt in ("table", "json", "csv", "github", "junit"):
        result = cli("check", good, bad, "--format", fmt, "--lang", "en")
        result.expect(2)
        assert "\\xfe.toml" in result.stdout + result.stderr, fmt
        assert "bad\\xfe.toml:1" in result.error, fmt
        if fmt == "json":
            paths = [f["path"] for f in json.loads(result.stdout)["files"]]
            assert paths == ["inv\\xfe.toml", "bad\\xfe.toml"]
    cli("check", good, bad, "-o", "o.xlsx").expect(2)
    cells = [c for ws in openpyxl.load_workbook("o.xlsx") for row in ws.iter_rows(values_only=True) for c in row]
    assert "inv\\xfe.toml" in cells and "bad\\xfe.toml" in cells


@pytest.mark.parametrize("start", ["2026/10/01", "2026/10/1", "令和8年10月1日", "R8.10.1", "２０２６．１０．１"])
def test_check_reads_a_plan_with_japanese_dates(cli: Cli, tmp_path: Path, start: str) -> None:
    """Issue 13: the dates options and payment files read, plan files read too (exit 0, not 2)."""
    path = tmp_path / "d.toml"
    path.write_text(f'menu = "stage1"\nstart = "{start}"\nend = 2029-03-31\n', "utf-8")
    result = cli("check", str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""


def test_an_impossible_plan_date_is_one_line_quoting_it(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "d.toml"
    path.write_text('menu = "stage1"\nstart = "2026/13/1"\nend = 2029-03-31\n', "utf-8")
    result = cli("check", str(path), "--format", "json", "--lang", "en")
    assert result.exit_code == 2
    assert result.error_lines == [f"{path}:2: key 'start': '2026/13/1' is not a valid date: there is no month 13"]


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "github", "junit", "xlsx"])
def test_many_files_checked_in_worker_processes_give_the_same_report(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    # Every example (single files, roadmaps of phases, valid and not), a file that is no
    # plan and one that does not exist, twice over (copies in two folders: a file named
    # twice is checked once): the same stdout, stderr and exit code whether the files
    # are checked here or by two worker processes.
    import concurrent.futures
    import shutil

    from astep_calc.cli import check_scale

    files: list[str] = []
    for folder in (tmp_path / "a", tmp_path / "b"):
        folder.mkdir()
        for example in sorted(EXAMPLES.glob("*.toml")):
            files.append(str(shutil.copy(example, folder / example.name)))
        broken = folder / "broken.toml"
        broken.write_text('menu = "stage1"\nstart = 2026-10-01\nend = "soon"\n', "utf-8")
        files += [str(broken), str(folder / "missing.toml")]
    monkeypatch.setattr(check_scale, "usable_cores", lambda: 2)
    pools: list[int] = []

    class CountedPool(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            pools.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", CountedPool)
    out = ["--output", str(tmp_path / "here.xlsx")] if fmt == "xlsx" else []
    monkeypatch.setattr(check_scale, "PARALLEL_FROM", 10**9)
    here = cli("check", *files, "--format", fmt, *out, strict=False)
    monkeypatch.setattr(check_scale, "PARALLEL_FROM", 2)
    monkeypatch.setattr(check_scale, "CHUNK", 3)  # several chunks a worker, so that order matters
    out = ["--output", str(tmp_path / "workers.xlsx")] if fmt == "xlsx" else []
    workers = cli("check", *files, "--format", fmt, *out, strict=False)
    assert pools == [1]
    assert here.exit_code == workers.exit_code == 2
    assert workers.stdout == here.stdout and workers.stderr == here.stderr
    if fmt == "xlsx":
        assert (tmp_path / "workers.xlsx").read_bytes() == (tmp_path / "here.xlsx").read_bytes()
    assert here.stderr.count("broken.toml") == 2 and here.stderr.count("missing.toml") == 2


def _state(pid: int) -> str | None:
    """A process's state letter from /proc (``Z`` for a zombie), or None once it is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return None


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads worker processes from Linux's /proc")
def test_sigterm_during_a_check_in_workers_leaves_no_worker_behind(tmp_path: Path) -> None:
    import os
    import signal
    import subprocess
    import sys
    import time

    from astep_calc.cli import check_scale

    if min(check_scale.usable_cores(), check_scale.MAX_WORKERS) < 2:
        pytest.skip("one core: a check runs without workers")
    plan = (
        'menu = "jisso"\nstart = 2026-04-01\nend = 2029-03-31\namount = "3億"\ncollateral = "3000万"\n'
        '[repayment]\nevery = "month"\n'
    )
    plans = []
    for i in range(3000):
        (tmp_path / f"p{i}.toml").write_text(plan, "utf-8")
        plans.append(f"p{i}.toml")
    proc = subprocess.Popen(
        [sys.executable, "-m", "astep_calc", "check", *plans, "--output", "out.json"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    deadline = time.monotonic() + 30
    workers: list[int] = []
    try:
        while not workers and time.monotonic() < deadline and proc.poll() is None:
            workers = [int(p) for p in children.read_text().split()] if children.exists() else []
            time.sleep(0.01)
        assert workers, "no worker process started"
        os.kill(proc.pid, signal.SIGTERM)
        _, err = proc.communicate(timeout=30)
        assert proc.returncode == 2
        assert err.decode() == "astep: interrupted\n"
        assert not (tmp_path / "out.json").exists() and not list(tmp_path.glob(".astep-*"))
        while time.monotonic() < deadline and any(_state(pid) not in (None, "Z") for pid in workers):
            time.sleep(0.05)
        assert all(_state(pid) in (None, "Z") for pid in workers)
    finally:  # a failing run leaves nothing running either
        proc.kill()
        for pid in workers:
            if _state(pid) not in (None, "Z"):
                os.kill(pid, signal.SIGKILL)


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads worker processes from Linux's /proc")
def test_sigkill_of_a_check_in_workers_ends_its_workers(tmp_path: Path) -> None:
    # SIGKILL reaches no handler of the check: its workers must end on their own, not work on
    # for no one, holding its pipes open (issue 23 item 4).
    import os
    import signal
    import subprocess
    import sys
    import time

    from astep_calc.cli import check_scale

    if min(check_scale.usable_cores(), check_scale.MAX_WORKERS) < 2:
        pytest.skip("one core: a check runs without workers")
    plan = (
        'menu = "jisso"\nstart = 2026-04-01\nend = 2029-03-31\namount = "3億"\ncollateral = "3000万"\n'
        '[repayment]\nevery = "month"\n'
    )
    plans = []
    for i in range(3000):
        (tmp_path / f"p{i}.toml").write_text(plan, "utf-8")
        plans.append(f"p{i}.toml")
    proc = subprocess.Popen(
        [sys.executable, "-m", "astep_calc", "check", *plans, "--format", "json"],
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    deadline = time.monotonic() + 30
    workers: list[int] = []
    try:
        while len(workers) < 2 and time.monotonic() < deadline and proc.poll() is None:
            workers = [int(p) for p in children.read_text().split()] if children.exists() else []
            time.sleep(0.01)
        assert len(workers) >= 2, "the worker processes did not start"
        time.sleep(0.2)  # the workers at work
        proc.kill()
        proc.wait(timeout=30)
        gone = time.monotonic() + 5  # "within a few seconds"
        while time.monotonic() < gone and any(_state(pid) not in (None, "Z") for pid in workers):
            time.sleep(0.05)
        assert [pid for pid in workers if _state(pid) not in (None, "Z")] == []
    finally:  # a failing run leaves nothing running either
        proc.kill()
        for pid in workers:
            if _state(pid) not in (None, "Z"):
                os.kill(pid, signal.SIGKILL)


def test_a_file_named_twice_is_checked_once(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import xml.etree.ElementTree as ET

    monkeypatch.chdir(tmp_path)
    bad = tmp_path / "bad.toml"
    bad.write_text((EXAMPLES / "stage1-invalid.toml").read_text("utf-8"), encoding="utf-8")
    good = tmp_path / "good.toml"
    good.write_text(VALID[0].read_text("utf-8"), encoding="utf-8")
    (tmp_path / "link.toml").symlink_to(bad)
    # The same string, another spelling of it, a link to it; a missing file by two names.
    names = [
        "bad.toml",
        "good.toml",
        "bad.toml",
        "./bad.toml",
        str(bad),
        "link.toml",
        "nosuch.toml",
        "./nosuch.toml",
        "good.toml",
    ]
    junit = ET.fromstring(cli("check", *names, "--format", "junit", "--lang", "en", strict=False).stdout)
    assert [c.get("name") for c in junit.iter("testcase")] == ["bad.toml", "good.toml", "nosuch.toml"]
    # stage1-invalid breaks 3 rules: one failure listing 3 lines, not 4; one error for the
    # missing file, not 2.
    (failure,) = junit.iter("failure")
    assert len((failure.text or "").splitlines()) == 3 and len(list(junit.iter("error"))) == 1
    report = json.loads(cli("check", *names, "--format", "json", "--lang", "en", strict=False).stdout)
    assert [f["path"] for f in report["files"]] == ["bad.toml", "good.toml", "nosuch.toml"]
    assert report["counts"] == {"files": 3, "with_violations": 1, "unreadable": 1, "violations": 3}
    table = cli("check", "good.toml", "good.toml", "--lang", "en").stdout
    assert "1 file checked" in table


def test_json_entries_wait_in_a_temporary_file_and_read_back_the_same(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A check's JSON entries are kept on disk until written (memory stays the same whatever the
    number of files); without a temporary file they stay in memory and the report is the same."""
    import tempfile

    from astep_calc.cli import check_scale

    files = [str(p) for p in sorted(EXAMPLES.glob("*.toml"))]
    reports: list[Any] = []
    check_files = check_scale.check_files

    def watched(*args: Any) -> Any:
        reports.append(check_files(*args))
        return reports[-1]

    monkeypatch.setattr(check_scale, "check_files", watched)
    spooled = cli("check", *files, "--format", "json", strict=False)
    entries = reports[-1].entries
    assert len(entries._sizes) == len(files) and not entries._held  # none held as text

    def no_room(*args: Any, **kwargs: Any) -> Any:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "TemporaryFile", no_room)
    held = cli("check", *files, "--format", "json", strict=False)
    entries = reports[-1].entries
    assert not entries._sizes and len(entries._held) == len(files)
    assert held.exit_code == spooled.exit_code == 1
    assert held.stdout == spooled.stdout
    json.loads(held.stdout)


@pytest.mark.parametrize("to_file", [True, False])
def test_each_files_table_is_laid_out_where_it_is_checked_and_drawn_the_same(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, to_file: bool
) -> None:
    # Laid out as each file is checked (in a worker when there are many), a file's table is
    # the same as when laid out with the report; only the summary is laid out at the end.
    from astep_calc.cli import cmd_check, report
    from astep_calc.cli.check_scale import Rendering

    files = [str(p) for p in sorted(EXAMPLES.glob("*.toml"))] + [str(tmp_path / "missing.toml")]
    drawn: list[str] = []
    table_lines = report.table_lines

    def counted(spec: Any, *args: Any) -> Any:
        drawn.append(spec.title.en)
        return table_lines(spec, *args)

    monkeypatch.setattr(report, "table_lines", counted)

    def run(name: str) -> str:
        out = ["--output", str(tmp_path / name)] if to_file else []
        result = cli("check", *files, "--lang", "en", *out, strict=False)
        assert result.exit_code == 2
        return (tmp_path / name).read_text("utf-8") if to_file else result.stdout

    laid_out = run("laid.txt")
    assert drawn.count("Plan files checked") == 1 and len(drawn) == len(files) + 1  # none laid out twice
    drawn.clear()
    monkeypatch.setattr(cmd_check, "_rendering", lambda opts: Rendering())
    at_the_end = run("end.txt")
    assert len(drawn) == len(files) + 1
    assert laid_out == at_the_end and "missing.toml" in laid_out


def test_a_table_laid_out_for_another_console_is_laid_out_again() -> None:
    # A report's tables laid out for one console (a file, 120 columns) and drawn on another
    # (a 60-column terminal): drawn for the console they are drawn on.
    import functools
    import io

    from rich.console import Console

    from astep_calc.cli.check_scale import Rendering, check_files, render_check
    from astep_calc.cli.cmd_check import check_one
    from astep_calc.cli.options import OutputOptions
    from astep_calc.cli.report import Layout
    from astep_calc.cli.views import CheckView

    rules = OutputOptions("table", "en", None, None, False, False).rulebook()
    paths = [str(p) for p in sorted(EXAMPLES.glob("*-invalid.toml"))]

    def drawn(rendering: Rendering) -> str:
        report = check_files(paths, functools.partial(check_one, CheckView(rules)), rendering, rules.id)
        console = Console(file=io.StringIO(), width=60, force_terminal=True, color_system=None)
        return "".join(render_check(report, "table", "en", lambda: console) or ())

    laid = Rendering(layout=Layout("en", 120, False))
    assert drawn(laid) == drawn(Rendering())


@pytest.mark.slow
def test_a_signal_while_the_worker_pool_starts_is_one_line(tmp_path: Path) -> None:
    # SIGTERM once arrived after the pool had made its manager thread and before it started
    # it: shutting the half-started pool down raised "cannot join thread before it is
    # started" (printed as an unexpected error), or the run hung. The signal is sent at
    # exactly that moment here, in a child process with a time limit.
    import subprocess
    import sys

    from astep_calc.cli import check_scale

    if min(check_scale.usable_cores(), check_scale.MAX_WORKERS) < 2:
        pytest.skip("one core: a check runs without workers")
    code = (
        "import os, signal, sys\n"
        "from concurrent.futures import process\n"
        "start = process._ExecutorManagerThread.start\n"
        "def start_after_a_signal(thread):\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    start(thread)\n"
        "process._ExecutorManagerThread.start = start_after_a_signal\n"
        "from astep_calc.cli import main\n"
        "sys.argv = ['astep', 'check', '--format', 'json', *sys.argv[1:]]\n"
        "main()\n"
    )
    names = [f"p{i}.toml" for i in range(check_scale.PARALLEL_FROM)]
    for name in names:
        (tmp_path / name).write_text('menu = "stage1"\nstart = 2026-10-01\nend = 2029-03-31\n', "utf-8")
    proc = subprocess.run([sys.executable, "-c", code, *names], cwd=tmp_path, capture_output=True, timeout=120)
    assert (proc.returncode, proc.stderr.decode()) == (2, "astep: interrupted\n")
