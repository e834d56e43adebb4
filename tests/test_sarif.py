"""``astep check --format sarif``: SARIF 2.1.0 as GitHub code scanning reads it, validated
against the published schema (tests/data/sarif-schema-2.1.0.json), formats included, as the
code scanning upload checks them."""

from __future__ import annotations

import glob
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import jsonschema
import pytest
from typer.testing import Result

from astep_calc.checks import CHECKS

Cli = Callable[..., Result]

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(glob.glob("examples/*.toml", root_dir=ROOT))
SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))
# Every format jsonschema knows (uri and uri-reference need rfc3986-validator), as GitHub checks them.
VALIDATOR = jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.FormatChecker())


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def sarif(cli: Cli, *args: str, lang: str = "en") -> tuple[Result, dict[str, Any]]:
    result = cli("check", *args, "--format", "sarif", "--lang", lang, strict=False)
    log = json.loads(result.stdout)
    errors = sorted(VALIDATOR.iter_errors(log), key=str)
    assert not errors, [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors]
    return result, log


def test_the_schema_checks_formats() -> None:
    # Not a rubber stamp: GitHub's upload refuses a relative helpUri and a path with a space.
    assert "uri" in VALIDATOR.format_checker.checkers and "uri-reference" in VALIDATOR.format_checker.checkers
    rule = {"id": "x", "helpUri": "docs/rules.md#x"}
    bad = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "astep", "rules": [rule]}}}]}
    assert not VALIDATOR.is_valid(bad)
    loc = {"physicalLocation": {"artifactLocation": {"uri": "my plan.toml"}}}
    bad = {
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "a"}}, "results": [{"message": {"text": "m"}, "locations": [loc]}]}],
    }
    assert not VALIDATOR.is_valid(bad)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_sarif_declares_every_rule_of_the_registry(cli: Cli, lang: str) -> None:
    _, log = sarif(cli, "examples/stage1-valid.toml", lang=lang)
    assert log["version"] == "2.1.0"
    (run,) = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [c.id for c in CHECKS] + ["unreadable"]
    for rule, check in zip(rules, CHECKS, strict=False):
        assert rule["shortDescription"]["text"] == check.description.in_lang(lang)  # type: ignore[arg-type]
        assert rule["fullDescription"]["text"].startswith(check.description.in_lang(lang))  # type: ignore[arg-type]
        assert rule["properties"]["source_ids"], rule  # every rule has a source in the bundled rulebook
        assert rule["properties"]["source"]
        page = "docs/ja/rules.md" if lang == "ja" else "docs/rules.md"
        uri = urlsplit(rule["helpUri"])
        assert uri.scheme == "https" and uri.path.endswith(page) and uri.fragment == f"rule-{check.id}"
        # The anchor is there, in the page the link names.
        assert f'<a id="rule-{check.id}"></a>' in (ROOT / page).read_text("utf-8")
    assert run["results"] == []


def test_one_result_per_violation_at_its_file_and_line(cli: Cli) -> None:
    result, log = sarif(cli, *EXAMPLES)
    assert result.exit_code == 1
    report = json.loads(cli("check", *EXAMPLES, "--format", "json", "--lang", "en").stdout)
    (run,) = log["runs"]
    rules = [r["id"] for r in run["tool"]["driver"]["rules"]]
    got = []
    for r in run["results"]:
        assert r["level"] == "error" and rules[r["ruleIndex"]] == r["ruleId"]
        (loc,) = r["locations"]
        physical = loc["physicalLocation"]
        got.append(
            (
                unquote(physical["artifactLocation"]["uri"]),
                physical.get("region", {}).get("startLine"),
                r["ruleId"],
                r["message"]["text"],
            )
        )
    assert got == [(v["path"], v["line"], v["rule"], v["message"]) for v in report["violations"]]
    assert all(line is not None for _, line, _, _ in got)  # every example violation has its key's line


def test_unreadable_files_are_results_at_their_line(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("syntax.toml").write_text('menu = "stage1"\nstart = 2026-10-01x\n', encoding="utf-8")
    Path("my plan.toml").write_text('menu = "stage1"\nstart = 2026-10-01\nmonths = "abc"\n', encoding="utf-8")
    result, log = sarif(cli, "syntax.toml", "my plan.toml", "nosuch.toml")
    assert result.exit_code == 2
    found = [
        (
            r["ruleId"],
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"].get("region"),
        )
        for r in log["runs"][0]["results"]
    ]
    assert found == [
        ("unreadable", "syntax.toml", {"startLine": 2, "startColumn": 19}),
        ("unreadable", "my%20plan.toml", {"startLine": 3}),
        ("unreadable", "nosuch.toml", None),
    ]
    assert log["runs"][0]["results"][1]["message"]["text"].startswith("key 'months'")


def test_paths_are_relative_uri_references(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plans = tmp_path / "plans"
    plans.mkdir()
    for name in ("a,b:c #1.toml", "計画 一.toml", "100%.toml"):
        (plans / name).write_text((ROOT / "examples" / "stage1-invalid.toml").read_text("utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    # Named relatively, absolutely, with ./: each as a URI reference from the working folder.
    _, log = sarif(cli, "plans/a,b:c #1.toml", str(plans / "計画 一.toml"), "./plans/100%.toml")
    uris = list(
        dict.fromkeys(
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]
        )
    )
    assert [unquote(u) for u in uris] == ["plans/a,b:c #1.toml", "plans/計画 一.toml", "plans/100%.toml"]
    assert all(u.isascii() and " " not in u and "#" not in u for u in uris)


def test_sarif_is_the_same_bytes_every_time_and_chosen_by_its_extension(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "astep.sarif"
    assert cli("check", *EXAMPLES, "-o", str(target), "--lang", "en").exit_code == 1
    first = target.read_bytes()
    assert json.loads(first)["version"] == "2.1.0"
    assert cli("check", *EXAMPLES, "-o", str(target), "--force", "--lang", "en").exit_code == 1
    assert target.read_bytes() == first


def test_sarif_applies_to_check_only(cli: Cli) -> None:
    cli("budget", "--menu", "stage1", "--start", "2026-10-01", "--months", "30", "--format", "sarif").expect(
        2, message_contains="applies only to astep check"
    )
