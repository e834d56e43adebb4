"""The plan format's declaration (astep_calc.plan_format) drives the reader: each declared key
is refused with a wrong type (exit 2 naming file, line and key), a near miss of its name
gets it as a did-you-mean hint, its bounds and menus hold; and what the declaration says
of defaults and names agrees with the core that uses the values."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from inspect import signature
from pathlib import Path
from typing import Any

import pytest

from astep_calc import plan_format
from astep_calc.budget import fiscal_year_caps
from astep_calc.money import DISPLAY_UNITS
from astep_calc.plan_format import (
    BOOL,
    CHOICE,
    DATE,
    DURATION,
    FISCAL_YEAR_TABLES,
    FISCAL_YEARS,
    INTEGER,
    KEYS,
    PHASE,
    RATE,
    RATIO,
    SIGNED_YEN,
    STRING,
    TABLE,
    TABLES,
    YEN,
    Kind,
    PlanKey,
)
from astep_calc.plans import parse_plan_file
from astep_calc.reader import counted
from astep_calc.repayment import FREQUENCIES, LAYOUT_FIELDS, TERMS_FIELDS, Terms
from astep_calc.rulebook import Rulebook
from astep_calc.text import InputError

STAGE2 = 'menu = "stage2"\nstart = 2026-10-01\nend = 2029-03-31\n'
JISSO = 'menu = "jisso"\nstart = 2025-07-01\nend = 2028-06-30\namount = "5億"\ncollateral = "5000万"\n'
#: A value of the wrong type for each kind, as TOML writes it.
WRONG_TYPE: dict[Kind[Any], str] = {
    YEN: "true",
    SIGNED_YEN: "true",
    RATE: "true",
    RATIO: "true",
    DATE: "1",
    DURATION: "true",
    CHOICE: "1",
    BOOL: '"yes"',
    INTEGER: '"x"',
    STRING: "1",
    FISCAL_YEARS: "5",
    FISCAL_YEAR_TABLES: "5",
    TABLE: "5",
    TABLES: "5",
}
#: Every declared key at each level that holds it.
PLACES = [(key, level) for key in KEYS for level in key.levels]


def _id(value: Any) -> str:
    return f"{value[1]}.{value[0].name}" if isinstance(value, tuple) else str(value)


def written(name: str) -> str:
    """A key as TOML writes it (``$schema`` quoted)."""
    return name if name.replace("_", "").isalnum() else f'"{name}"'


def plan_with(key: PlanKey[Any], level: str, value: str) -> tuple[str, str, int]:
    """A plan that gives ``key`` (at ``level``) the TOML ``value`` last, with every other key
    it needs; the key as messages name it, and its line."""
    if level == "payment":
        other = "amount = 1\n" if key.name == "due" else "due = 2033-03-31\n"
        text, name = JISSO + "[[repayment.payments]]\n" + other, f"repayment.payments[0].{key.name}"
    elif level == "repayment":
        text, name = JISSO + "[repayment]\n", f"repayment.{key.name}"
    elif level == "company":
        flows = "" if key.name == "flows" else "[company.flows]\n2026 = { operating = 0 }\n"
        cash = "" if key.name == "cash" else "cash = 0\n"
        text, name = STAGE2 + flows + "[company]\n" + cash, f"company.{key.name}"
    elif level == "company.equity":
        others = {"pre_money": "1", "exit_value": "0", "exit_date": "2033-03-31"}  # an exit: both or neither
        given = [
            f"{k} = {v}\n" for k, v in others.items() if k != key.name and (k == "pre_money" or key.name != "pre_money")
        ]
        text = STAGE2 + "[company]\ncash = 0\n[company.flows]\n2026 = { operating = 0 }\n[company.equity]\n"
        text, name = text + "".join(given), f"company.equity.{key.name}"
    elif level == "company.flows":
        operating = "" if key.name == "operating" else "operating = 0\n"
        text = STAGE2 + "[company]\ncash = 0\n[company.flows.2026]\n" + operating
        name = f"company.flows.2026.{key.name}"
    elif key.listed_phases_only:
        text, name = '[[phase]]\nmenu = "stage1"\nstart = 2026-10-01\n', f"phase[0].{key.name}"
    elif key is PHASE:
        text, name = "", key.name
    else:
        base = JISSO if key.menus == "repayable" else STAGE2
        text = "".join(line + "\n" for line in base.splitlines() if not line.startswith(f"{key.name} ="))
        name = key.name
    text += f"{written(key.name)} = {value}\n"
    return text, name, text.count("\n")


def refused(rb: Rulebook, text: str) -> str:
    with pytest.raises(InputError) as info:
        parse_plan_file(text, "p.toml", rb)
    assert info.value.text.ja.startswith("p.toml")
    return info.value.text.en


@pytest.mark.parametrize(("key", "level"), PLACES, ids=[_id(p) for p in PLACES])
def test_every_key_of_the_wrong_type_names_file_line_and_key(
    rb: Rulebook, cli: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: Any, level: str
) -> None:
    text, name, line = plan_with(key, level, WRONG_TYPE[key.kind])
    assert refused(rb, text).startswith(f"p.toml:{line}: key '{name}'{counted(name).en}: must be ")
    monkeypatch.chdir(tmp_path)
    Path("p.toml").write_text(text, "utf-8")
    cli("check", "p.toml").expect(2, f"p.toml:{line}: key '{name}'{counted(name).en}: must be ")


@pytest.mark.parametrize(("key", "level"), PLACES, ids=[_id(p) for p in PLACES])
def test_every_key_misspelt_gets_a_did_you_mean_hint(rb: Rulebook, key: Any, level: str) -> None:
    misspelt = key.name.upper().replace("_", "-")  # case, - and _ are a near miss
    text, name, line = plan_with(key, level, "1")
    text = text.replace(f"{written(key.name)} = 1", f'"{misspelt}" = 1')
    message = refused(rb, text)
    assert f"p.toml:{line}: key '{name.replace(key.name, misspelt)}'" in message, message
    assert message.endswith(f"(did you mean {key.name}?)") or f"(did you mean {key.name}?)" in message, message


@pytest.mark.parametrize("key", [k for k in KEYS if k.kind is YEN and k.minimum], ids=lambda k: k.name)
def test_an_amount_under_its_minimum_is_refused(rb: Rulebook, key: Any) -> None:
    for level in key.levels:
        text, name, line = plan_with(key, level, str(key.minimum - 1))
        assert (
            refused(rb, text)
            == f"p.toml:{line}: key '{name}'{counted(name).en}: '{key.minimum - 1}' must be more than 0 yen"
        )
        try:  # the minimum itself is read (1 yen may still be too little to repay in installments)
            parse_plan_file(plan_with(key, level, str(key.minimum))[0], "p.toml", rb)
        except InputError as exc:
            assert "must be more than" not in exc.text.en, exc.text.en


@pytest.mark.parametrize("key", [k for k in KEYS if k.kind is INTEGER], ids=lambda k: k.name)
def test_an_integer_outside_its_bounds_is_refused(rb: Rulebook, key: Any) -> None:
    for value in (key.minimum - 1, key.maximum + 1):
        text, name, line = plan_with(key, key.levels[0], str(value))
        assert (
            f"p.toml:{line}: key '{name}'{counted(name).en}: must be from {key.minimum:,} to {key.maximum:,}"
            in refused(rb, text)
        )
    assert parse_plan_file(plan_with(key, key.levels[0], str(key.maximum))[0], "p.toml", rb)


@pytest.mark.parametrize("key", [k for k in KEYS if k.kind is TABLES], ids=lambda k: k.name)
def test_a_list_of_tables_is_not_empty_nor_over_its_maximum(rb: Rulebook, key: Any) -> None:
    level = key.levels[0]
    text, name, line = plan_with(key, level, "[]")
    assert f"p.toml:{line}: key '{name}'{counted(name).en}: must be {key.what.en}" in refused(rb, text)
    one = "{ menu = 'stage1', start = 2026-10-01, months = 12 }" if key is PHASE else "{ due = 2033-03-31, amount = 1 }"
    text, name, line = plan_with(key, level, "[" + ", ".join([one] * (key.maximum + 1)) + "]")
    assert refused(rb, text) == (
        f"p.toml:{line}: key '{name}'{counted(name).en}: {key.maximum + 1:,} entries, more than the {key.maximum:,} accepted"
    )


@pytest.mark.parametrize("key", [k for k in KEYS if k.menus is not None], ids=lambda k: k.name)
def test_a_key_for_other_menus_is_refused_naming_it(rb: Rulebook, key: Any) -> None:
    """A stage key in a jisso plan, a jisso key in a stage one, a matching-fund key in Stage I."""
    value = {YEN: "1", RATE: "0.3", DATE: "2026-10-01", FISCAL_YEARS: "{}", TABLE: "{}"}[key.kind]
    stage1 = STAGE2.replace("stage2", "stage1")
    base = {"annual": JISSO, "matching": stage1, "repayable": STAGE2}[key.menus]
    text = base + f"{key.name} = {value}\n"
    message = refused(rb, text)
    assert message.startswith(f"p.toml:{text.count(chr(10))}: key '{key.name}': "), message
    assert "does not apply to menu" in message or "applies to matching-fund menus" in message, message


@pytest.mark.parametrize(("key", "level"), [p for p in PLACES if p[0].required], ids=_id)
def test_a_required_key_left_out_is_missing(rb: Rulebook, key: Any, level: str) -> None:
    text, name, _ = plan_with(key, level, "0")
    text = text.replace(f"{key.name} = 0\n", "")
    assert f"key '{name}'{counted(name).en} is missing" in refused(rb, text)


# ---------------------------------------------------------------------------
# The declaration agrees with the core that uses the values
# ---------------------------------------------------------------------------


def test_the_repayment_keys_are_the_repayment_cores_fields() -> None:
    # terms_from lays out [repayment] as it lays out the command line's options.
    assert plan_format.names("repayment") == TERMS_FIELDS
    layout = tuple(k.name for k in plan_format.keys("repayment") if k.instead_of == plan_format.PAYMENTS.name)
    assert layout == LAYOUT_FIELDS


def test_the_declared_defaults_are_the_cores(rb: Rulebook) -> None:
    """A default written as a value (``every = "year"``) is the one the core applies."""
    literal = {k.name: k.default.en for k in KEYS if k.default is not None and k.default.en == k.default.ja}
    terms = Terms()
    assert FREQUENCIES[literal["every"]] == terms.every_months
    assert (literal["remainder"], literal["unit"], literal["lump"]) == (terms.remainder, str(terms.unit), "false")
    assert literal["deferral"] == str(terms.deferral_months)
    caps = fiscal_year_caps(rb, "stage1", date(2026, 10, 1), date(2028, 3, 31))
    assert (literal["proration"], literal["round"]) == (caps.proration.value, str(caps.round_unit))
    assert literal["prorate_last"] == str(signature(fiscal_year_caps).parameters["prorate_last"].default).lower()
    plan = parse_plan_file(STAGE2, "p.toml", rb)
    assert DISPLAY_UNITS[literal["display_unit"]] is plan.display_unit
    assert literal["business_day"] == plan.model.business_day.value


def test_every_table_key_holds_a_level_with_keys() -> None:
    held = {k.holds for k in KEYS if k.holds is not None}
    assert all(plan_format.keys(level) for level in held)
    # every level is the top or held by a table key: no key is out of reach
    assert {lv for k in KEYS for lv in k.levels} <= held | set(plan_format.TOP_LEVELS)
    assert all(k.choices is not None and k.what is not None for k in KEYS if k.kind is CHOICE)


def test_every_key_constant_is_declared() -> None:
    constants = [v for v in vars(plan_format).values() if isinstance(v, PlanKey)]
    assert set(map(id, constants)) == set(map(id, KEYS))


@pytest.mark.parametrize(("doc", "lang"), [("docs/rules.md", "en"), ("docs/ja/rules.md", "ja")])
def test_the_docs_show_the_declared_keys(rb: Rulebook, doc: str, lang: str) -> None:
    """The key table of the rules pages is generated (tools/docs_output.py keeps it real)."""
    text = (Path(__file__).resolve().parents[1] / doc).read_text("utf-8")
    marker = "<!-- generated: plan-keys -->\n" if lang == "en" else "<!-- generated: plan-keys ja -->\n"
    assert marker + plan_format.key_table(rb, lang) + "<!-- end generated -->" in text
