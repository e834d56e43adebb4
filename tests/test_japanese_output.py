"""Japanese all the way, and the small things seen on the way (issue 22 items 3, 8 and 9).

Each case runs in both languages where wording is involved: the Japanese reads in JST's
own words (menus by their names, 翌営業日, 中止日, 第2四半期, （単位：円）, 6年3か月), the
English keeps the ids a user types where they read well. tests/test_wording.py scans every
output for codes, half-width brackets and the polite form; these tests pin each item.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from astep_calc.rulebook import load_rulebook

ROOT = Path(__file__).resolve().parent.parent
Cli = Callable[..., Any]


def flat(text: str) -> str:
    """The text with its wrapped lines joined: Japanese wraps between characters, English
    between words (a space), and each wrapped line is indented."""
    return re.sub(r"(?<=[!-~]) *\n *(?=[!-~])", " ", re.sub(r"(?<![!-~]) *\n *|(?<=[!-~]) *\n *(?![!-~])", "", text))


@pytest.fixture(autouse=True)
def _from_the_repository(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the examples and tests/data/plans by relative names


# --------------------------------------------------------------------------- menus by name


def test_done_when_the_roadmap_reads_in_japanese(cli: Cli) -> None:
    # issue 22, done when: no stage1, stage2-gate or jisso, and 翌営業日.
    ja = cli("plan", "examples/roadmap-spinout.toml", "--lang", "ja", "--business-day", "following").expect(0).stdout
    for code in ("stage1", "stage2-gate", "jisso"):
        assert code not in ja
    assert "翌営業日" in ja and "following" not in ja
    # The phases by the menus' Japanese names, each table titled once by its phase.
    for label in ("フェーズ1（ステージⅠ）：年度別の上限額", "フェーズ2（ステージⅡ（移行））：年度別の上限額"):
        assert label in ja
    assert "フェーズ3（実装支援）：四半期毎の前払い（概算）" in ja and "フェーズ3（実装支援）：返済計画" in ja
    assert "実装支援：実装支援" not in ja and "フェーズ3（実装支援）：実装支援" not in ja
    # The cash flow's menu column too; English keeps the ids the plan gives.
    flow = ja[ja.index("年度別の資金の流れ") :]
    assert "ステージⅠ" in flow and "ステージⅡ（移行）" in flow and "実装支援" in flow
    en = cli("plan", "examples/roadmap-spinout.toml", "--lang", "en", "--business-day", "following").stdout
    assert "Phase 1 (stage1): caps per fiscal year" in en and "Phase 3 (jisso): quarterly advances" in en
    assert "Business days (following)" in en


def test_the_short_names_are_rulebook_data(rb: Any, write_rules: Callable[..., Path], cli: Cli) -> None:
    assert [(m.id, m.short.ja) for m in rb.menus] == [
        ("stage1", "ステージⅠ"),
        ("stage2", "ステージⅡ"),
        ("stage2-gate", "ステージⅡ（移行）"),
        ("jisso", "実装支援"),
    ]
    # Another rulebook names the menu its own way; one without `short` uses the full name.
    renamed = write_rules(('short = { en = "Stage I", ja = "ステージⅠ" }', 'short = { en = "S1", ja = "育成" }'))
    out = cli("plan", "examples/roadmap-spinout.toml", "--rules", str(renamed), "--lang", "ja").expect(0).stdout
    assert "フェーズ1（育成）" in out
    plain = write_rules(('short = { en = "Stage I", ja = "ステージⅠ" }\n', ""))
    assert load_rulebook(str(plain)).menu("stage1").short == load_rulebook(str(plain)).menu("stage1").name
    out = cli("plan", "examples/roadmap-spinout.toml", "--rules", str(plain), "--lang", "ja").expect(0).stdout
    assert "フェーズ1（産学共同　ステージⅠ（育成フェーズ））" in out
    rules = json.loads(cli("rules", "--format", "json").stdout)
    assert {m["id"]: m["short_ja"] for m in rules["menus"]}["jisso"] == "実装支援"


def test_the_check_summary_names_the_menus(cli: Cli) -> None:
    files = ("examples/roadmap-spinout.toml", "examples/stage2-valid.toml")
    ja = cli("check", *files, "--lang", "ja").expect(0).stdout
    assert "ステージⅠ → ステージⅡ（移行） → 実装支援" in ja and "stage1 →" not in ja
    en = cli("check", *files, "--lang", "en").stdout
    assert "stage1 → stage2-gate → jisso" in en


def test_a_phase_rule_is_named_once_with_its_phase(cli: Cli) -> None:
    # 48 months of 実装支援, over its 36: the violation is led by its phase, never by the
    # menu a second time (「フェーズ1（実装支援）：実装支援：実施期間…」).
    plan = "tests/data/plans/jisso-too-long.toml"
    ja = flat(cli("plan", plan, "--lang", "ja").expect(1, rule="period.max").stdout)
    assert "フェーズ1（実装支援）：実施期間2027-04-01〜2031-03-31は上限を365日超えています" in ja
    assert "（実装支援の実施期間は最長36か月（3年）のため" in ja
    en = flat(cli("plan", plan, "--lang", "en").stdout)
    assert "Phase 1 (jisso): the period 2027-04-01 to 2031-03-31 ends 365 days too late: jisso runs" in en
    gate = flat(cli("plan", "examples/roadmap-gate-invalid.toml", "--lang", "ja").expect(1, rule="phase.gate").stdout)
    assert "フェーズ1（ステージⅡ（移行））：ステージゲート評価を経てステージⅠから移行するメニューですが" in gate


# --------------------------------------------------------------------------- units, quarters, 中止日, durations


def test_titles_name_their_unit_in_japanese(cli: Cli) -> None:
    args = ("budget", "--menu", "stage1", "--start", "2026-10-01", "--months", "30")
    assert cli(*args, "--lang", "ja").stdout.splitlines()[0].endswith("（単位：円）")
    assert cli(*args, "--lang", "ja", "--display-unit", "万円").stdout.splitlines()[0].endswith("（単位：万円）")
    assert cli(*args, "--lang", "en").stdout.splitlines()[0].endswith("(yen)")


def test_the_quarter_column_says_which_quarter(cli: Cli) -> None:
    # FY2026 Q2 (July–September) is the roadmap's first quarter: 第2四半期 / Q2 in tables,
    # the number in CSV (a machine format), as the fiscal year is.
    args = ("plan", "examples/roadmap-spinout.toml", "--by", "quarter")
    ja = cli(*args, "--lang", "ja").stdout
    flow = ja[ja.index("四半期別の資金の流れ") :]
    assert "2026年度         第2四半期" in flow and "第4四半期" in flow
    en = cli(*args, "--lang", "en").stdout
    assert "FY2026   Q2 " in en
    rows = list(csv.reader(io.StringIO(cli(*args, "--lang", "ja", "--format", "csv").stdout)))
    assert rows[0][:2] == ["年度", "四半期"] and rows[1][:2] == ["2026", "2"]


def test_a_discontinued_schedule_is_measured_from_its_stop_date(cli: Cli) -> None:
    args = ("repay", "--amount", "3億", "--dev-end", "2029-09-30", "--grade", "discontinued", "--discount-rate", "3%")
    ja = cli(*args, "--lang", "ja").expect(0).stdout
    assert ja.splitlines()[0] == "実装支援：返済計画（開発中止の場合、中止日2029-09-30）（単位：円）"
    assert "中止日から最終期日まで" in ja and "返済額の現在価値（中止日2029-09-30時点）" in ja
    assert "開発終了日から最終期日" not in ja and "開発終了日2029" not in ja
    en = flat(cli(*args, "--lang", "en").stdout)
    assert "stop date 2029-09-30 (yen)" in en and "Stop date to last due date" in en
    assert "PV of repayments at the stop date 2029-09-30" in en
    # A grade that is not 開発中止 keeps the development end.
    assert (
        "開発終了日から最終期日まで"
        in cli("repay", "--amount", "3億", "--dev-end", "2029-09-30", "--lang", "ja").stdout
    )


def test_durations_read_in_years_and_months(cli: Cli) -> None:
    # 2028-03-31 to 2034-09-30: 78 months, 6年6か月 (never 6.5年).
    out = cli(
        "repay", "--amount", "1億", "--dev-end", "2028-03-31", "--payments", "docs/payments-excel.csv", "--lang", "ja"
    )
    assert "78か月（6年6か月）" in out.stdout and "6.5年" not in out.stdout
    rules = cli("rules", "--lang", "ja").stdout
    assert "30か月（2年6か月）" in rules and "54か月（4年6か月）" in rules and "2.5年）" not in rules.split("適用")[0]


# --------------------------------------------------------------------------- phases counted from 1


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "third-phase-matching.toml:17: key 'phase[2].matching' (phase 3): applies to matching-fund menus"),
        (
            "ja",
            "third-phase-matching.toml:17：キー「phase[2].matching」（フェーズ3）：メニュー「stage1」（ステージⅠ）では使えません",
        ),
    ],
)
def test_a_key_error_counts_its_phase_from_one(cli: Cli, lang: str, expected: str) -> None:
    # phase[2] is the third [[phase]]: the output calls it フェーズ3 / phase 3 everywhere else.
    cli("plan", "tests/data/plans/third-phase-matching.toml", "--lang", lang).expect(2, expected)


# --------------------------------------------------------------------------- notes (item 8)


def test_a_gate_phase_after_a_gap_gets_a_note(cli: Cli) -> None:
    # Stage I ends 2028-12-31, the gate phase starts 2029-04-01: 90 days between them
    # (January 31 + February 28 + March 31), which the brochure's gate does not need.
    plan = "tests/data/plans/gate-after-a-gap.toml"
    ja = flat(cli("check", plan, "--lang", "ja").expect(0).stdout)
    assert (
        "フェーズ2（ステージⅡ（移行））の開始日2029-04-01とフェーズ1（ステージⅠ）の終了日2028-12-31の間に90日の"
        "空白（2029-01-01〜2029-03-31）がある。パンフレットでは、ステージゲート評価で移行可と評価された場合は"
        "「切れ目なく研究実施することが可能」" in ja
    )
    en = flat(cli("check", plan, "--lang", "en").stdout)
    assert "Phase 2 (stage2-gate) starts on 2029-04-01, after a break of 90 days (2029-01-01 to 2029-03-31)" in en
    # Without the gap, no note: the roadmap's gate phase starts the day after Stage I ends.
    assert "切れ目なく" not in cli("check", "examples/roadmap-spinout.toml", "--lang", "ja").stdout


def test_a_fiscal_year_missing_from_budget_is_noted(cli: Cli) -> None:
    # Stage I's [budget] leaves out FY2028 (2028-04-01..12-31, 9 months: 15,000,000 × 9 / 12 =
    # 11,250,000 yen taken); the gate phase has no [budget] at all.
    plan = "tests/data/plans/gate-after-a-gap.toml"
    ja = flat(cli("plan", plan, "--lang", "ja").expect(0).stdout)
    assert "フェーズ1（ステージⅠ）：[budget] に2028年度の申請額がないため、上限額（2028年度11,250,000円）を" in ja
    assert "フェーズ2（ステージⅡ（移行））：[budget] の指定がないため、各年度の上限額をその年度の申請額" in ja
    en = flat(cli("plan", plan, "--lang", "en").stdout)
    assert "Phase 1 (stage1): [budget] gives no request for FY2028: its cap, 11,250,000 yen, is taken" in en
    # A plan that requests every year has no such note.
    assert "[budget] gives no request" not in cli("plan", "examples/roadmap-spinout.toml", "--lang", "en").stdout


def test_months_gives_the_length(cli: Cli) -> None:
    base = ("budget", "--menu", "stage1", "--start", "2026-10-01", "--lang", "en")
    cli(*base).expect(2, "--months gives the length in months: a period needs its length or its end date")
    cli(*base, "--months", "30", "--end", "2029-03-31").expect(2, "--months gives the length in months: a period takes")
