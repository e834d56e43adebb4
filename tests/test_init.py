"""``astep init`` (issue 22 item 7): a commented plan to start from, in the language chosen,
which ``astep check`` accepts whatever the start; ``astep init --list`` names the templates."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from astep_calc.dates import add_months
from astep_calc.plan_format import KEYS
from astep_calc.rulebook import load_rulebook
from astep_calc.templates import DEFAULT_START, template, template_names

Cli = Callable[..., Any]
TEMPLATES = template_names()
#: Starts that test the calendar: the default, a month end, a leap day, a day that no
#: later month has, a fiscal year's first day.
STARTS = ["2026-10-01", "2027-08-31", "2028-02-29", "2027-01-31", "2030-04-01"]
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def init_and_check(cli: Cli, name: str, lang: str, start: str, target: str = "p.toml") -> str:
    cli("init", name, "--start", start, "--lang", lang, "-o", target, "--force").expect(0)
    cli("check", target).expect(0)
    cli("plan", target).expect(0)
    return Path(target).read_text("utf-8")


# --------------------------------------------------------------------------- every template checks


def test_the_spinout_plan_checks(cli: Cli, here: Path) -> None:
    # The "done when": astep init spinout -o p.toml && astep check p.toml exits 0.
    cli("init", "spinout", "-o", "p.toml").expect(0)
    cli("check", "p.toml").expect(0)
    assert "[company]" in Path("p.toml").read_text("utf-8")


@pytest.mark.parametrize("name", TEMPLATES)
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_every_template_checks_in_both_languages(cli: Cli, here: Path, name: str, lang: str) -> None:
    text = init_and_check(cli, name, lang, "2026-10-01")
    # Each comment (a block of comment lines, or a note beside a value) in the file's language.
    comments = re.findall(r"(?:^# .*\n)+|(?<= # ).*", text, re.M)
    if lang == "ja":  # as a 研究者 or 経理 writes them
        assert all(JAPANESE.search(c) for c in comments), [c for c in comments if not JAPANESE.search(c)]
    else:  # English may name a Japanese term (担保又は保証), never write a Japanese sentence
        assert not re.search("[、。]|です|ます", text), re.findall("[、。]|です|ます", text)


@pytest.mark.slow
@pytest.mark.parametrize("name", TEMPLATES)
@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("start", STARTS[1:])
def test_every_template_checks_whatever_the_start(cli: Cli, here: Path, name: str, lang: str, start: str) -> None:
    init_and_check(cli, name, lang, start)


@pytest.mark.slow
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(TEMPLATES), start=st.dates(date(1990, 1, 1), date(2150, 12, 31)))
def test_any_start_gives_a_plan_that_checks(cli: Cli, here: Path, name: str, start: date) -> None:
    cli("init", name, "--start", start.isoformat(), "-o", "any.toml", "--force").expect(0)
    cli("check", "any.toml").expect(0)


@pytest.mark.parametrize("name", TEMPLATES)
def test_the_json_plan_is_the_same_plan(cli: Cli, here: Path, name: str) -> None:
    cli("init", name, "-o", "p.json").expect(0)
    cli("check", "p.json").expect(0)
    cli("init", name, "-o", "p.toml").expect(0)
    as_toml = tomllib.loads(Path("p.toml").read_text("utf-8"))
    assert json.loads(Path("p.json").read_text("utf-8")) == json.loads(json.dumps(as_toml, default=str))


# --------------------------------------------------------------------------- --start moves every date


def _dates(value: Any) -> list[date]:
    if isinstance(value, date):
        return [value]
    if isinstance(value, dict):
        return [d for v in value.values() for d in _dates(v)]
    if isinstance(value, list):
        return [d for v in value for d in _dates(v)]
    return []


def _years(value: Any, found: list[int] | None = None) -> list[int]:
    found = [] if found is None else found
    if isinstance(value, dict):
        for k, v in value.items():
            if re.fullmatch(r"[0-9]{4}", k):
                found.append(int(k))
            _years(v, found)
    elif isinstance(value, list):
        for v in value:
            _years(v, found)
    return found


def _amounts(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [a for k, v in sorted(value.items()) for a in ([v] if re.fullmatch(r"[0-9]{4}", k) else _amounts(v))]
    if isinstance(value, list):
        return [a for v in value for a in _amounts(v)]
    return []


@pytest.mark.parametrize("name", TEMPLATES)
@pytest.mark.parametrize("years", [1, 3])
def test_a_later_start_moves_every_date_and_fiscal_year_with_it(name: str, years: int) -> None:
    # Whole years later: every date is the same number of months later (the phases keep their
    # lengths and order), every fiscal year key follows, every amount stays.
    rules = load_rulebook()
    before = tomllib.loads(template(rules, name, DEFAULT_START).toml("en"))
    after = tomllib.loads(template(rules, name, add_months(DEFAULT_START, 12 * years)).toml("en"))
    assert _dates(after) == [add_months(d, 12 * years) for d in _dates(before)]
    assert _years(after) == [y + years for y in _years(before)]
    assert _amounts(after) == _amounts(before)


def test_a_start_in_another_month_moves_the_fiscal_years() -> None:
    # From October 2026, Stage I touches FY2026-2028 (6 months in the first); from July 2027,
    # FY2027-2029 with 9 in the first (30 months: July 2027 to December 2029).
    rules = load_rulebook()
    plan = tomllib.loads(template(rules, "stage1", date(2027, 7, 1)).toml("ja"))
    assert plan["end"] == date(2029, 12, 31)
    assert plan["budget"] == {"2027": "1125万", "2028": "1500万", "2029": "1125万"}


def test_the_second_phase_starts_the_day_after_the_first_ends() -> None:
    plan = tomllib.loads(template(load_rulebook(), "stage1-stage2", date(2027, 8, 31)).toml("en"))
    first, second = plan["phase"]
    assert (first["menu"], first["start"], first["months"]) == ("stage1", date(2027, 8, 31), 30)
    # 30 months from 2027-08-31 end on 2030-02-28 (民法143条: the day before the 31st's
    # corresponding day, which February lacks: its last day), so the gate starts on 2030-03-01.
    assert (second["menu"], second["start"], second["months"]) == ("stage2-gate", date(2030, 3, 1), 48)


# --------------------------------------------------------------------------- the comments


@pytest.mark.parametrize("name", TEMPLATES)
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_each_key_is_explained_by_its_declaration(name: str, lang: str) -> None:
    # One declaration: the line above each key is its plan_format text in the file's language.
    declared = {k.text.en: k for k in KEYS} | {k.text.ja: k for k in KEYS}
    lines = template(load_rulebook(), name).toml(lang).splitlines()
    explained = 0
    for k, line in enumerate(lines):
        m = re.match(r"([a-z_]+) = ", line)
        if m is None:
            continue
        above = []  # the comment lines just above (a long text wraps)
        for prev in reversed(lines[:k]):
            if not prev.startswith("# "):
                break
            above.insert(0, prev[2:])
        text = "".join(above) if lang == "ja" else " ".join(above)
        key = declared.get(text)
        assert key is not None and key.name == m[1], (line, text)
        explained += 1
    assert explained >= 3


def test_a_long_comment_wraps_to_the_width() -> None:
    for name in TEMPLATES:
        for lang in ("ja", "en"):
            for line in template(load_rulebook(), name).toml(lang).splitlines():
                if line.startswith("#"):
                    assert sum(2 if ord(c) > 0x2E7F else 1 for c in line) <= 90, line


# --------------------------------------------------------------------------- the command


def test_init_never_replaces_a_file_without_force(cli: Cli, here: Path) -> None:
    Path("p.toml").write_text("mine\n", "utf-8")
    cli("init", "stage1", "-o", "p.toml").expect(2, ["p.toml", "--force"])
    assert Path("p.toml").read_text("utf-8") == "mine\n"
    cli("init", "stage1", "-o", "p.toml", "--force").expect(0)
    assert Path("p.toml").read_text("utf-8").startswith("# A-STEP")


def test_init_to_standard_output_and_as_markdown(cli: Cli) -> None:
    out = cli("init", "jisso", "--lang", "ja").expect(0).stdout
    assert (
        out.startswith("# astep init jisso で作成した、A-STEP 実装支援（返済型）の計画ファイルのひな形です")
        and 'amount = "3億"' in out
    )
    md = cli("init", "jisso", "--format", "markdown").expect(0).stdout
    assert md.startswith("```toml\n") and md.endswith("```\n")


def test_list_names_the_templates(cli: Cli) -> None:
    ja = cli("init", "--list", "--lang", "ja").expect(0).stdout
    assert [line.split()[0] for line in ja.splitlines()] == list(TEMPLATES)
    assert "ステージⅠ（産学共同 育成フェーズ）：1フェーズ、年度ごとの申請額" in ja
    listed = json.loads(cli("init", "--list", "--format", "json").expect(0).stdout)
    assert [t["template"] for t in listed] == list(TEMPLATES) and all(t["description"] for t in listed)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["jiso"], ["'jiso' is not a template", "did you mean jisso"]),
        ([], ["name a template", "stage1, stage1-stage2, jisso, spinout"]),
        (["stage1", "--list"], ["--list"]),
        (["stage1", "--start", "2026-13-01"], ["--start", "2026-13-01"]),
        (["stage1", "--format", "csv"], ["prints a document", "--format csv", "use table, json, markdown"]),
        (["stage1", "-o", "plan.xlsx"], ["--format xlsx (from --output 'plan.xlsx')", "use table, json, markdown"]),
    ],
)
def test_init_errors_are_one_line(cli: Cli, args: list[str], said: list[str]) -> None:
    cli("init", *args).expect(2, said)


def test_init_errors_in_japanese(cli: Cli) -> None:
    line = cli("init", "jiso", "--lang", "ja").expect(2).error
    assert (
        line
        == "「jiso」というひな形はありません。stage1、stage1-stage2、jisso、spinout のいずれかを指定してください（jisso のことですか？）"
    )
