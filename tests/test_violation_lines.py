"""Each violation of a plan file points at the line of its key and carries its numbers (SPEC §6)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

Cli = Callable[..., Result]

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

#: For each invalid example, each violation's rule and the text its line starts with.
EXPECTED_LINES = {
    "stage1-invalid.toml": [("period.max", "end ="), ("budget.fy_cap", "2026 ="), ("budget.outside_period", "2030 =")],
    "jisso-invalid.toml": [
        ("amount.max", "amount ="),
        ("collateral.min", "collateral ="),
        ("repay.deferral", "deferral ="),
        ("repay.term", "term ="),
    ],
    "jisso-custom-invalid.toml": [
        ("repay.total", "[[repayment.payments]]"),
        ("repay.window", "due = 2029-03-31"),
        ("repay.term", "due = 2040-03-31"),
    ],
    "roadmap-overlap-invalid.toml": [("phase.overlap", "start = 2028-10-01")],
}


def check(cli: Cli, *paths: str | Path) -> dict[str, Any]:
    result = cli("check", *map(str, paths), "--format", "json", "--lang", "en")
    assert result.exit_code in (1, 2), result.stderr
    return json.loads(result.stdout)


def line_text(path: str | Path, line: int) -> str:
    return Path(path).read_text("utf-8").splitlines()[line - 1].strip()


@pytest.mark.parametrize("name", sorted(EXPECTED_LINES))
def test_each_violation_is_at_the_line_of_its_key(cli: Cli, name: str) -> None:
    path = EXAMPLES / name
    report = check(cli, path)
    found = [(v["rule"], line_text(path, v["line"])) for v in report["violations"]]
    assert [
        (rule, text[: len(start)]) for (rule, text), (_, start) in zip(found, EXPECTED_LINES[name], strict=True)
    ] == EXPECTED_LINES[name]
    # The file's own list says the same.
    assert [v["line"] for v in report["files"][0]["violations"]] == [v["line"] for v in report["violations"]]


def test_a_period_given_in_months_points_at_months(cli: Cli, tmp_path: Path) -> None:
    plan = tmp_path / "p.toml"
    plan.write_text('[[phase]]\nmenu = "stage1"\nstart = 2026-04-01\n# a comment\nmonths = 31\n', encoding="utf-8")
    (v,) = check(cli, plan)["violations"]
    assert (v["rule"], v["line"]) == ("period.max", 5)
    # 2026-04-01 + 31 months − 1 day = 2028-10-31; stage1 must end by 2028-09-30: 31 days over.
    assert v["details"] == {
        "phase": 1,
        "menu": "stage1",
        "start": "2026-04-01",
        "end": "2028-10-31",
        "limit_months": 30,
        "latest_end": "2028-09-30",
        "excess_days": 31,
    }


def test_a_json_plan_points_at_its_own_lines(cli: Cli, tmp_path: Path) -> None:
    plan = tmp_path / "p.json"
    plan.write_text(
        '{\n  "menu": "stage1",\n  "start": "2026-10-01",\n  "end": "2029-03-31",\n'
        '  "budget": {\n    "2026": "1000万",\n    "2027": "1500万"\n  }\n}\n',
        encoding="utf-8",
    )
    (v,) = check(cli, plan)["violations"]
    assert (v["rule"], v["line"]) == ("budget.fy_cap", 6)


def test_details_are_the_numbers_of_the_message(cli: Cli) -> None:
    report = check(cli, EXAMPLES / "stage1-invalid.toml", EXAMPLES / "jisso-invalid.toml")
    by_rule = {v["rule"]: v["details"] for v in report["violations"]}
    # FY2026 of stage1 from 2026-10-01: 6 of 12 months of 15,000,000 = 7,500,000; asked 10,000,000.
    assert by_rule["budget.fy_cap"] == {
        "fiscal_year": 2026,
        "cap": 7_500_000,
        "requested": 10_000_000,
        "excess": 2_500_000,
        "months": 6,
    }
    assert by_rule["budget.outside_period"] == {"fiscal_year": 2030, "requested": 5_000_000}
    # 実装支援 cap 500,000,000; 6億 asked. Collateral 10% of 6億 = 60,000,000; 5000万 posted.
    assert by_rule["amount.max"] == {"amount": 600_000_000, "cap": 500_000_000, "excess": 100_000_000}
    assert by_rule["collateral.min"] == {
        "collateral": 50_000_000,
        "required": 60_000_000,
        "shortfall": 10_000_000,
        "amount": 600_000_000,
    }
    assert by_rule["repay.deferral"] == {"deferral_months": 48, "limit_months": 36}
    assert by_rule["repay.term"] == {"term_months": 144, "limit_months": 120}


def test_a_phase_violation_names_its_phase(cli: Cli) -> None:
    (v,) = check(cli, EXAMPLES / "roadmap-overlap-invalid.toml")["violations"]
    assert v["details"]["phase"] == 2 and v["details"]["other_phase"] == 1
    assert v["details"]["overlap_start"] == "2028-10-01"


def test_table_and_csv_show_file_and_line(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    out = cli("check", "examples/stage1-invalid.toml", "--lang", "en").stdout
    for line in (8, 11, 15):  # end, budget.2026, budget.2030
        assert f"examples/stage1-invalid.toml:{line}" in out
    csv = cli("check", "examples/stage1-invalid.toml", "--format", "csv").stdout.splitlines()
    assert csv[0] == "path,rule,message,line" and [row.rsplit(",", 1)[1] for row in csv[1:]] == ["8", "11", "15"]


def test_github_annotations_carry_the_line(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    paths = [f"examples/{name}" for name in sorted(EXPECTED_LINES)]
    out = cli("check", *paths, "--format", "github").stdout.splitlines()
    report = check(cli, *paths)
    assert len(out) == len(report["violations"])
    for annotation, v in zip(out, report["violations"], strict=True):
        assert annotation.startswith(f"::error file={v['path']},line={v['line']},title={v['rule']}::")


def test_commands_without_a_file_keep_rule_and_message(cli: Cli) -> None:
    data = json.loads(cli("collateral", "--amount", "6億", "--format", "json").stdout)
    (v,) = data["violations"]
    assert set(v) == {"rule", "message"} and v["rule"] == "amount.max"


@pytest.mark.parametrize(
    "lang, words",
    [
        ("en", "(prorated for 168 of 365 days)"),
        ("ja", "（365日中168日分で按分）"),
    ],
)
def test_a_cap_prorated_by_days_says_days(cli: Cli, tmp_path: Path, lang: str, words: str) -> None:
    # proration = "day" from 2026-10-15: FY2026 runs 168 of its 365 days (Oct 17 + Nov 30 + Dec 31 + Jan 31
    # + Feb 28 + Mar 31 = 168); cap floor(15,000,000 × 168 / 365) = 6,904,109; asked 7,000,000.
    plan = tmp_path / "pd.toml"
    plan.write_text(
        'menu = "stage1"\nstart = 2026-10-15\nend = 2029-03-31\nproration = "day"\n[budget]\n2026 = "700万"\n',
        encoding="utf-8",
    )
    result = cli("check", str(plan), "--format", "json", "--lang", lang)
    (v,) = json.loads(result.stdout)["violations"]
    assert words in v["message"] and "months" not in v["message"] and "か月" not in v["message"]
    assert v["details"] == {
        "fiscal_year": 2026,
        "cap": 6_904_109,
        "requested": 7_000_000,
        "excess": 95_891,
        "days": 168,
        "year_days": 365,
    }
    github = cli("check", str(plan), "--format", "github", "--lang", lang).stdout
    assert words in github.replace("%0A", "")
