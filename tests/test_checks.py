"""The registry of rules (astep_calc.checks): every rule declared once, and the code, the
docs, the strict CLI check and `astep rules` all reading that one declaration."""

from __future__ import annotations

import ast
import re
import string
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from astep_calc import checks
from astep_calc.checks import CHECKS, CITE_KEYS, RULE_IDS, Check, Cite
from astep_calc.rulebook import Rulebook, load_rulebook
from astep_calc.text import Text

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "astep_calc"

#: The rule ids SPEC §6 (edition 3) lists: the contract the registry must keep.
SPEC_IDS = {
    "period.max",
    "phase.overlap",
    "phase.gate",
    "budget.fy_cap",
    "budget.outside_period",
    "amount.max",
    "collateral.min",
    "repay.total",
    "repay.window",
    "repay.term",
    "repay.deferral",
    "company.cash",
    "company.coverage",
}

#: Emitted by the core (company.py, SPEC §9) but reported by no command yet: no command
#: reads a [company] table. When one does, its case goes into CASES below.
NO_CLI_CASE_YET = {"company.cash", "company.coverage"}


def test_every_spec_rule_id_is_registered_and_ids_are_stable_words() -> None:
    assert SPEC_IDS <= RULE_IDS, sorted(SPEC_IDS - RULE_IDS)
    assert len({c.id for c in CHECKS}) == len(CHECKS)
    for c in CHECKS:
        assert re.fullmatch(r"[a-z]+\.[a-z_]+", c.id), c.id
        assert checks.by_id(c.id) is c


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.id)
def test_every_rule_has_a_description_in_both_languages(check: Check) -> None:
    d = check.description
    assert d.en.strip() and d.ja.strip(), check.id
    assert d.en == d.en.strip() and d.ja == d.ja.strip()
    assert d.en.isascii() or "実装支援" in d.en, f"{check.id}: English text with Japanese: {d.en!r}"
    assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", d.ja), f"{check.id}: no Japanese in {d.ja!r}"
    # A programme number is the rulebook's, never the description's (another rulebook differs).
    assert not re.search(r"\d", d.en + d.ja), f"{check.id}: a number in the description"


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.id)
def test_every_rule_cites_a_source_of_the_bundled_rulebook(check: Check, rb: Rulebook) -> None:
    assert check.cites, check.id
    for cite in check.cites:
        found = cite.citations(rb)
        assert found, f"{check.id}: {cite.key} cites nothing in the bundled rulebook"
        assert all(c.source in rb.sources for c in found)
    assert check.sources(rb)


def _toml_has(data: Any, parts: list[str]) -> bool:
    """Whether the dotted key (``*``: every table at that level) is in every table it names."""
    if not parts:
        return True
    head, rest = parts[0], parts[1:]
    if head == "*":
        return isinstance(data, dict) and bool(data) and all(_toml_has(v, rest) for v in data.values())
    return isinstance(data, dict) and head in data and _toml_has(data[head], rest)


@pytest.mark.parametrize("key", sorted(CITE_KEYS))
def test_every_cite_key_is_a_key_of_the_bundled_rulebook(key: str, bundled_toml: str) -> None:
    assert _toml_has(tomllib.loads(bundled_toml), key.split(".")), key


def test_a_cite_key_must_be_one_the_registry_knows() -> None:
    with pytest.raises(ValueError, match="names a source"):
        Cite("menus.*.quote")
    with pytest.raises(ValueError, match=r"menus\.\*\.source only"):
        Cite("jisso.repayment.source", "annual")


#: Every use of the source "assumption" in the bundled rulebook, renamed "guess".
GUESS = (
    ('source = "assumption"\nnote = { en = "the common', 'source = "guess"\nnote = { en = "the common'),
    ('first_due_source = "assumption"', 'first_due_source = "guess"'),
    ('lump_due_source = "assumption"', 'lump_due_source = "guess"'),
    ('discontinued_due_source = "assumption"', 'discontinued_due_source = "guess"'),
)


def test_a_rule_points_into_the_rulebook_in_force(write_rules: Callable[..., Path]) -> None:
    # Another rulebook: Stage I from the call guidelines, no entry for JST's plan check, the
    # assumption source renamed. Each rule cites what that rulebook says, and nothing it lacks.
    bundled = load_rulebook()
    path = write_rules(
        (
            'period_months = 30\nsource = "brochure"',
            'period_months = 30\nsource = "guidelines-2025"',
        ),
        ("[sources.assumption]", "[sources.guess]"),
        *GUESS,
        ('plan_check_source = "brochure"\n', ""),
        ('plan_check_quote = "事前にJST', 'xx = "'),
        ('\nxx = "', '\n# "'),
    )
    other = load_rulebook(str(path))
    ids = {c.id: [s.id for s in c.sources(other)] for c in CHECKS}
    assert ids["period.max"] == ["guidelines-2025", "brochure"]  # stage1 first, then the others
    assert ids["budget.fy_cap"] == ["guidelines-2025", "brochure"]
    assert ids["amount.max"] == ["brochure"]  # the 実装支援 menu's own
    assert ids["repay.deferral"] == ["brochure", "guess"]
    assert ids["company.cash"] == []  # neither the plan check nor a source "assumption"
    assert ids["phase.overlap"] == []
    assert [s.id for s in checks.REPAY_DEFERRAL.sources(bundled)] == ["brochure", "assumption"]


def test_explain_fills_the_assumption_in_each_language() -> None:
    t = checks.PERIOD_MAX.explain(menu=Text("stage1", "ステージⅠ"), most=Text("30 months", "30か月"))
    assert t.en.startswith("stage1 runs at most 30 months. A period of N months")
    assert t.ja.startswith("ステージⅠの実施期間は最長30か月。")
    with pytest.raises(ValueError, match=r"amount\.max has no assumption"):
        checks.AMOUNT_MAX.explain()


@pytest.mark.parametrize("check", [c for c in CHECKS if c.assumption is not None], ids=lambda c: c.id)
def test_an_assumption_has_the_same_fields_in_both_languages(check: Check) -> None:
    assert check.assumption is not None
    fields = [
        {f for _, f, _, _ in string.Formatter().parse(t) if f} for t in (check.assumption.en, check.assumption.ja)
    ]
    assert fields[0] == fields[1], check.id
    filled = check.explain(**dict.fromkeys(fields[0], "X"))
    assert "{" not in filled.en + filled.ja


# ---------------------------------------------------------------------------------------
# Every id the code emits is registered


def _violation_calls() -> list[tuple[str, int, ast.expr]]:
    """The first argument of every ``Violation(...)`` / ``PhaseViolation(...)`` call in src."""
    out = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id.endswith("Violation"):
                first = node.args[0] if node.args else next(k.value for k in node.keywords if k.arg == "rule")
                out.append((str(path.relative_to(ROOT)), node.lineno, first))
    return out


def _emitted() -> set[str]:
    ids = set()
    for where, line, first in _violation_calls():
        if isinstance(first, ast.Attribute) and first.attr == "rule":
            continue  # an existing violation tagged again (phases.tag)
        assert isinstance(first, ast.Attribute) and first.attr == "id" and isinstance(first.value, ast.Name), (
            f"{where}:{line}: a Violation's rule id must be a registry constant (checks.X.id), not {ast.unparse(first)}"
        )
        check = getattr(checks, first.value.id, None)
        assert isinstance(check, Check), f"{where}:{line}: {first.value.id} is not a Check of astep_calc.checks"
        ids.add(check.id)
    return ids


def test_the_strict_check_knows_every_rule_id_the_code_emits(rule_ids: frozenset[str]) -> None:
    # conftest.RULE_IDS is how the strict check recognises "exit 1 names a rule": the
    # registry's ids. Every Violation in src takes its id from a registry constant, and
    # every registered id is emitted somewhere.
    assert rule_ids == RULE_IDS
    assert _emitted() == rule_ids


def test_no_rule_id_is_spelled_out_where_a_rule_is_compared() -> None:
    # `v.rule == "repay.deferral"` is a second declaration of the id: compare with the
    # constant (REPAY_DEFERRAL.id). (A plan key may share a rule's name: company.cash.)
    found = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if not isinstance(node, ast.Compare):
                continue
            sides = [node.left, *node.comparators]
            if any(isinstance(x, ast.Attribute) and x.attr == "rule" for x in sides):
                words = [c.value for x in sides for c in ast.walk(x) if isinstance(c, ast.Constant)]
                if any(w in RULE_IDS for w in words):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)}")
    assert not found, found


# ---------------------------------------------------------------------------------------
# A hand-worked CLI case per rule: the one rule broken, and only it

STAGE1 = 'menu = "stage1"\nstart = 2026-10-01\nend = 2029-03-31\n'  # FY2026 to FY2028, 30 months
JISSO = 'menu = "jisso"\nstart = 2026-04-01\nend = 2029-03-31\namount = "3億"\n'  # collateral 30,000,000
POSTED = 'collateral = "3000万"\n'

#: rule id → (plan file text or None, the astep arguments; PLAN stands for the plan file).
CASES: dict[str, tuple[str | None, list[str]]] = {
    # 2026-10-01 + 31 months; stage1 allows 30.
    "period.max": (None, ["budget", "--menu", "stage1", "--start", "2026-10-01", "--months", "31"]),
    # FY2026's cap: 15,000,000 × 6/12 months = 7,500,000; asked 7,500,001.
    "budget.fy_cap": (STAGE1 + "[budget]\n2026 = 7_500_001\n", ["check", "PLAN"]),
    # 2029-03-31 is the last day of FY2028: FY2029 is outside the period.
    "budget.outside_period": (STAGE1 + "[budget]\n2029 = 1\n", ["check", "PLAN"]),
    # With a 50% minimum: JST 25,000,000 (FY2026, no request: its cap) + 15,000,000 = 40,000,000;
    # 50% is 20,000,000; 19,999,999 contributed.
    "budget.matching": (
        'menu = "stage2"\nstart = 2026-04-01\nend = 2028-03-31\n[budget]\n2027 = "1500万"\n'
        "[matching]\n2026 = 19_999_999\n",
        ["check", "PLAN", "--rules", "RULES"],
    ),
    # 500,000,001 yen: one over the 500,000,000 cap.
    "amount.max": (None, ["collateral", "--amount", "500000001"]),
    # ceil(300,000,000 × 10%) = 30,000,000; 29,999,999 posted.
    "collateral.min": (JISSO + "collateral = 29_999_999\n", ["check", "PLAN"]),
    # Owed 300,000,000 (grade A); one payment of 299,999,999 a year after the end.
    "repay.total": (
        JISSO + POSTED + "[[repayment.payments]]\ndue = 2030-03-31\namount = 299_999_999\n",
        ["check", "PLAN"],
    ),
    # A lump sum due on the development end itself.
    "repay.window": (None, ["repay", "--amount", "1億", "--dev-end", "2028-03-31", "--lump", "--due", "2028-03-31"]),
    # 11 years of yearly installments: the term may be 10 years.
    "repay.term": (None, ["repay", "--amount", "1億", "--dev-end", "2028-03-31", "--term", "11y"]),
    # 4 years deferred (at most 3), then 6 yearly installments to the 10th year.
    "repay.deferral": (None, ["repay", "--amount", "1億", "--dev-end", "2028-03-31", "--deferral", "4y"]),
    # Grade C owes floor(300,000,000 × 10%) = 30,000,000 in one lump sum; given in two halves.
    "repay.lump": (
        JISSO
        + POSTED
        + '[repayment]\ngrade = "C"\n[[repayment.payments]]\ndue = 2030-03-31\namount = "1500万"\n'
        + '[[repayment.payments]]\ndue = 2031-03-31\namount = "1500万"\n',
        ["check", "PLAN"],
    ),
    # Stage II from 2028-10-01 while Stage I runs to 2028-12-31.
    "phase.overlap": (
        '[[phase]]\nmenu = "stage1"\nstart = 2026-07-01\nend = 2028-12-31\n'
        '[[phase]]\nmenu = "stage2-gate"\nstart = 2028-10-01\nend = 2032-09-30\n',
        ["check", "PLAN"],
    ),
    # A stage-gate phase with no Stage I phase before it.
    "phase.gate": ('[[phase]]\nmenu = "stage2-gate"\nstart = 2027-04-01\nmonths = 48\n', ["check", "PLAN"]),
}


def test_every_emitted_rule_has_a_cli_case() -> None:
    assert set(CASES) == RULE_IDS - NO_CLI_CASE_YET


def _rules_reported(data: dict[str, Any]) -> list[str]:
    found = [v["rule"] for v in data.get("violations", [])]
    for f in data.get("files", []):
        found += [v["rule"] for v in f["violations"]]
    return found


@pytest.mark.parametrize("rule", sorted(CASES))
def test_a_hand_worked_case_breaks_its_rule_and_only_it(
    rule: str, cli: Callable[..., Any], tmp_path: Path, write_rules: Callable[..., Path]
) -> None:
    plan, args = CASES[rule]
    if plan is not None:
        (tmp_path / "plan.toml").write_text(plan, encoding="utf-8")
    rules = write_rules(("period_months = 54\n", 'period_months = 54\nmatching_min_ratio = "50%"\n'))
    argv = [str(tmp_path / "plan.toml") if a == "PLAN" else str(rules) if a == "RULES" else a for a in args]
    result = cli(*argv, "--format", "json").expect(1, rule=rule)
    assert set(_rules_reported(result.json())) == {rule}


# ---------------------------------------------------------------------------------------
# `astep rules` lists them


def test_rules_json_lists_every_check_with_description_and_source(cli: Callable[..., Any]) -> None:
    for lang in ("en", "ja"):
        data = cli("rules", "--format", "json", "--lang", lang).expect(0).json()
        listed = {c["id"]: c for c in data["checks"]}
        assert list(listed) == [c.id for c in CHECKS]
        deferral = checks.REPAY_DEFERRAL
        assert listed["repay.deferral"] == {
            "id": "repay.deferral",
            "description": deferral.description.ja if lang == "ja" else deferral.description.en,
            "source": "brochure, edition of 23 April 2024; assumption"
            if lang == "en"
            else "パンフレット2024年4月23日版、仮定",
            "source_ids": ["brochure", "assumption"],
        }
        # The keys that were there before stay.
        assert {"edition", "source", "indirect_rate", "sources", "menus", "jisso"} <= set(data)


def test_rules_json_source_is_null_when_the_rulebook_cites_nothing(
    cli: Callable[..., Any], write_rules: Callable[..., Path]
) -> None:
    path = write_rules(('plan_check_source = "brochure"\n', ""), ("plan_check_quote = ", "# "))
    listed = {c["id"]: c for c in cli("rules", "--format", "json", "--rules", str(path)).expect(0).json()["checks"]}
    assert listed["company.cash"]["source"] == "assumption"
    assert listed["company.cash"]["source_ids"] == ["assumption"]
    renamed = write_rules(("[sources.assumption]", "[sources.guess]"), *GUESS)
    listed = {c["id"]: c for c in cli("rules", "--format", "json", "--rules", str(renamed)).expect(0).json()["checks"]}
    assert listed["phase.overlap"] == {
        "id": "phase.overlap",
        "description": checks.PHASE_OVERLAP.description.en,
        "source": None,
        "source_ids": [],
    }


def test_rules_table_and_workbook_show_the_checks(cli: Callable[..., Any], tmp_path: Path) -> None:
    table = cli("rules", "--lang", "ja").expect(0).stdout
    listed = table[table.index("検査する規則") :]
    assert [i for i in re.findall(r"^(\S+)  ", listed, re.M) if i in RULE_IDS] == [c.id for c in CHECKS]
    import openpyxl

    cli("rules", "--lang", "en", "--output", str(tmp_path / "rules.xlsx")).expect(0)
    book = openpyxl.load_workbook(tmp_path / "rules.xlsx")
    rows = [r for ws in book.worksheets for r in ws.iter_rows(values_only=True)]
    assert ("repay.lump", checks.REPAY_LUMP.description.en, "brochure, edition of 23 April 2024") in rows


# ---------------------------------------------------------------------------------------
# docs/rules.md's list is the registry's


@pytest.mark.parametrize(("doc", "lang"), [("docs/rules.md", "en"), ("docs/ja/rules.md", "ja")])
def test_the_docs_list_of_rule_ids_is_generated_from_the_registry(doc: str, lang: str) -> None:
    text = (ROOT / doc).read_text("utf-8")
    marker = "<!-- generated: rule-ids -->" if lang == "en" else "<!-- generated: rule-ids ja -->"
    block = re.search(re.escape(marker) + r"\n(.*?)<!-- end generated -->", text, re.S)
    assert block, f"{doc} has lost its generated list of rule ids"
    # Each with its anchor, the rule's link (SARIF helpUri).
    ids = re.findall(r'^\| <a id="rule-([a-z_.]+)"></a>`\1` \|', block.group(1), re.M)
    assert ids == [c.id for c in CHECKS]
    # The block is what the generator writes now (tests/test_docs.py shows the diff).
    import importlib.util

    spec = importlib.util.spec_from_file_location("docs_output", ROOT / "tools" / "docs_output.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert block.group(1) == module.GENERATORS["rule-ids"](lang)
