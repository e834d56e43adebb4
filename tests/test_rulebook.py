"""The rulebook (SPEC §1): the bundled numbers, and errors that name the dotted key."""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path

import pytest

from astep_calc.rulebook import Rulebook, load_rulebook, parse_rulebook
from astep_calc.text import InputError


def test_bundled_rulebook_identity(rb: Rulebook) -> None:
    assert rb.id == "a-step-2024"
    assert rb.edition == "20240423"  # the brochure edition SPEC names
    assert "20240423" in rb.source


@pytest.mark.parametrize(
    ("menu_id", "fund_type", "cap_kind", "cap", "prorated", "period_months"),
    [
        # SPEC §1's table.
        ("stage1", "grant", "annual", 15_000_000, True, 30),  # 1,500万円/年, 2.5 years
        ("stage2", "matching", "annual", 25_000_000, True, 54),  # 2,500万円/年, 4.5 years
        ("stage2-gate", "matching", "annual", 25_000_000, True, 48),  # 4 years
        ("jisso", "repayable", "total", 500_000_000, False, 36),  # 5億円 in total, 3 years
    ],
)
def test_bundled_menus_have_the_spec_numbers(
    rb: Rulebook, menu_id: str, fund_type: str, cap_kind: str, cap: int, prorated: bool, period_months: int
) -> None:
    m = rb.menu(menu_id)
    assert (m.id, m.fund_type, m.cap_kind, m.cap, m.first_year_prorated, m.period_months) == (
        menu_id,
        fund_type,
        cap_kind,
        cap,
        prorated,
        period_months,
    )
    assert isinstance(m.cap, int) and not isinstance(m.cap, bool)
    assert m.name.in_lang("ja") == m.name.ja and m.name.in_lang("en") == m.name.en
    assert m.name.ja and m.name.en
    assert m.cite.source.id == "brochure" and m.cite.quote  # every menu quotes the brochure


def test_bundled_menu_order_and_names(rb: Rulebook) -> None:
    assert [m.id for m in rb.menus] == ["stage1", "stage2", "stage2-gate", "jisso"]
    assert "ステージⅠ（育成フェーズ）" in rb.menu("stage1").name.ja  # as the brochure writes it
    assert "ステージⅡ（本格フェーズ）" in rb.menu("stage2").name.ja
    assert "実装支援" in rb.menu("jisso").name.ja


def test_bundled_rates_and_repayment_terms(rb: Rulebook) -> None:
    assert rb.indirect_rate == Fraction(3, 10)  # 30% of direct cost (assumption)
    assert rb.indirect_basis == "assumption"
    j = rb.jisso
    assert j.collateral_rate == Fraction(1, 10)  # 10% 相当の担保又は保証
    assert j.advance_every_months == 3  # 四半期毎の前払い
    r = j.repayment
    assert r.interest_rate == 0  # 無利子
    assert r.term_max_months == 120  # 10年以内
    assert r.deferral_max_months == 36  # 最長3年間の返済猶予
    assert r.custom_first_due_max_months == 48
    assert r.default_grade == "A"
    shares = {g.id: (g.share, g.lump_only) for g in r.grades}
    assert shares == {
        "S": (Fraction(1), False),
        "A": (Fraction(1), False),
        "B": (Fraction(1), False),
        "C": (Fraction(1, 10), True),  # 開発費の10％を一括返済
        "discontinued": (Fraction(1), False),
    }
    assert r.grade("c").id == "C"  # grade lookup ignores case
    with pytest.raises(InputError, match="'D'"):
        r.grade("D")


def test_menu_lookup(rb: Rulebook) -> None:
    assert rb.menu(" Stage1 ").id == "stage1"
    with pytest.raises(InputError) as info:
        rb.menu("stage3")
    message = str(info.value)
    assert "'stage3'" in message
    for mid in ("stage1", "stage2", "stage2-gate", "jisso"):
        assert mid in message


def test_bundled_file_is_the_source_of_the_numbers(bundled_toml: str) -> None:
    # The numbers come from the data file: parsing it independently gives the same caps.
    data = tomllib.loads(bundled_toml)
    book = parse_rulebook(data, "copy")
    assert {m.id: m.cap for m in book.menus} == {k: v["cap"] for k, v in data["menus"].items()}


def test_a_modified_copy_loads_with_its_numbers(write_rules: Callable[..., Path]) -> None:
    path = write_rules(
        ('id = "a-step-2024"', 'id = "a-step-test"'),
        ("cap = 15_000_000", "cap = 10_000_000"),
        ('rate = "0.30"', 'rate = "25%"'),
    )
    book = load_rulebook(str(path))
    assert book.id == "a-step-test"
    assert book.menu("stage1").cap == 10_000_000
    assert book.menu("stage2").cap == 25_000_000
    assert book.indirect_rate == Fraction(1, 4)
    assert book.path == str(path)


@pytest.mark.parametrize(
    ("old", "new", "key", "what"),
    [
        # Wrong types.
        ("cap = 15_000_000", 'cap = "1500万"', "menus.stage1.cap", "must be an integer"),
        ("cap = 15_000_000", "cap = 15000000.0", "menus.stage1.cap", "must be an integer"),
        ("cap = 15_000_000", "cap = true", "menus.stage1.cap", "must be an integer"),
        ("cap = 15_000_000", "cap = 0", "menus.stage1.cap", "must be from 1"),
        ("cap = 15_000_000", "cap = -15_000_000", "menus.stage1.cap", "must be from 1"),
        ("period_months = 30", 'period_months = "30"', "menus.stage1.period_months", "integer"),
        ('rate = "0.30"', "rate = true", "indirect.rate", "must be a rate"),
        ('rate = "0.30"', 'rate = "thirty"', "indirect.rate", "rate"),
        ('rate = "0.30"', 'rate = "130%"', "indirect.rate", "rate"),
        ('collateral_rate = "0.10"', "collateral_rate = 10", "jisso.collateral_rate", "rate"),  # 1000%
        ('fund_type = "grant"', 'fund_type = "loan"', "menus.stage1.fund_type", "is not a fund type: one of"),
        ('id = "a-step-2024"', "id = 2024", "id", "must be a str"),
        ("term_max_months = 120", "term_max_months = 0", "jisso.repayment.term_max_months", "must be from 1"),
        ('default_grade = "A"', 'default_grade = "Z"', "jisso.repayment.default_grade", "grade"),
        ('interest_rate = "0"', 'interest_rate = "0.01"', "jisso.repayment.interest_rate", "interest-free"),
        (
            "deferral_max_months = 36",
            "deferral_max_months = 120",
            "jisso.repayment.deferral_max_months",
            "below the term",
        ),
        ('share = "0.10"', "share = [0.1]", "jisso.repayment.grades.C.share", "must be a rate"),
        ("advance_every_months = 3", "advance_every_months = 5", "jisso.advance_every_months", "divide"),
        ("[menus.stage1]", "[menus.Stage1]", "menus.Stage1", "lowercase"),
        # Bounded numbers: a limit far beyond any programme would make schedules huge.
        ("period_months = 30", "period_months = 100_000", "menus.stage1.period_months", "from 1 to 360"),
        ("term_max_months = 120", "term_max_months = 99_999_999", "jisso.repayment.term_max_months", "to 360"),
        ("first_due_max_months = 48", "first_due_max_months = 0", "jisso.repayment.first_due_max_months", "from 1"),
        ('share = "0.10"', 'share = "0"', "jisso.repayment.grades.C.share", "more than 0"),
        ("cap = 15_000_000", "cap = 10_000_000_000_000_000", "menus.stage1.cap", "to 1,000,000,000,000,000"),
        # Missing keys.
        ("cap = 15_000_000\n", "", "menus.stage1.cap", "missing"),
        ("period_months = 54\n", "", "menus.stage2.period_months", "missing"),
        ('edition = "20240423"\n', "", "edition", "missing"),
        ('rate = "0.30"\n', "", "indirect.rate", "missing"),
        ("advance_every_months = 3\n", "", "jisso.advance_every_months", "missing"),
        (
            '[jisso.repayment.grades.C]\nshare = "0.10"\n',
            "[jisso.repayment.grades.C]\n",
            "jisso.repayment.grades.C.share",
            "missing",
        ),
        # Unknown keys.
        ("period_months = 30\n", "period_months = 30\nperiod_years = 2.5\n", "menus.stage1.period_years", "unknown"),
        ('edition = "20240423"\n', 'edition = "20240423"\nedtion = "x"\n', "edtion", "unknown"),
        ("advance_every_months = 3\n", "advance_every_months = 3\nadvance_day = 1\n", "jisso.advance_day", "unknown"),
    ],
)
def test_broken_rulebook_names_the_dotted_key(
    write_rules: Callable[..., Path], old: str, new: str, key: str, what: str
) -> None:
    path = write_rules((old, new))
    with pytest.raises(InputError) as info:
        load_rulebook(str(path))
    message = str(info.value)
    assert repr(key) in message, message
    assert what in message, message
    assert str(path) in message  # and the file
    ja = info.value.message("ja")
    assert f"「{key}」" in ja and "'" not in ja.replace(str(path), ""), ja


def test_missing_table(write_rules: Callable[..., Path], bundled_toml: str) -> None:
    start = bundled_toml.index("[jisso]")
    path = write_rules(text=bundled_toml[:start])  # no jisso table at all
    with pytest.raises(InputError, match="'jisso'"):
        load_rulebook(str(path))


def test_a_menu_that_is_not_a_table(write_rules: Callable[..., Path], bundled_toml: str) -> None:
    text = bundled_toml.replace("[indirect]", "[menus]\nstage9 = 5\n\n[indirect]", 1)
    path = write_rules(text=text)
    with pytest.raises(InputError) as info:
        load_rulebook(str(path))
    assert "'menus.stage9'" in str(info.value)
    assert "table" in str(info.value)


def test_a_rulebook_needs_a_repayable_menu(write_rules: Callable[..., Path]) -> None:
    path = write_rules(('fund_type = "repayable"', 'fund_type = "grant"'))
    with pytest.raises(InputError, match="repayable"):
        load_rulebook(str(path))


def test_bad_toml_is_an_input_error(write_rules: Callable[..., Path]) -> None:
    path = write_rules(("cap = 15_000_000", "cap = = 15_000_000"))
    with pytest.raises(InputError) as info:
        load_rulebook(str(path))
    message = str(info.value)
    assert "not valid TOML" in message
    assert str(path) in message
    assert re.search(rf"{re.escape(str(path))}:\d+:\d+: not valid TOML", message), message  # file:line:column


def test_unreadable_rulebook(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(InputError) as info:
        load_rulebook(str(missing))
    assert f"rulebook {missing}: cannot be read" in str(info.value)
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(InputError, match="cannot be read"):
        load_rulebook(str(binary))
    with pytest.raises(InputError, match="cannot be read"):
        load_rulebook(str(tmp_path))  # a folder


def test_toml_decimal_rates_are_read_exactly(write_rules: Callable[..., Path]) -> None:
    # A bare TOML 0.30 is the decimal 0.30, not the binary float 0.299999999999999988898…
    path = write_rules(('rate = "0.30"', "rate = 0.30"), ('share = "0.10"', "share = 0.1"))
    rb = load_rulebook(str(path))
    assert rb.indirect_rate == Fraction(3, 10)
    assert rb.jisso.repayment.grade("C").share == Fraction(1, 10)


def test_an_edited_rulebook_is_read_again(write_rules: Callable[..., Path]) -> None:
    path = write_rules(("cap = 15_000_000", "cap = 20_000_000"))
    assert load_rulebook(str(path)).menu("stage1").cap == 20_000_000
    text = path.read_text("utf-8").replace("cap = 20_000_000", "cap = 18_000_000")
    path.write_text(text, "utf-8")
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1_000_000_000))
    assert load_rulebook(str(path)).menu("stage1").cap == 18_000_000


def test_every_rule_names_its_own_source(rb: Rulebook) -> None:
    rp = rb.jisso.repayment
    cites = {
        **{f"menus.{m.id}": m.cite for m in rb.menus},
        **{f"grades.{g.id}": g.cite for g in rp.grades},
        "indirect": rb.indirect_cite,
        "collateral": rb.jisso.collateral_cite,
        "advances": rb.jisso.advance_cite,
        "repayment": rp.cite,
        "first_due": rp.first_due_cite,
        "lump_due": rp.lump_due_cite,
        "discontinued_due": rp.discontinued_due_cite,
        "milestone": rp.milestone_cite,
    }
    assert {k: c.source.id for k, c in cites.items() if c.source.id != "brochure"} == {
        "grades.discontinued": "guidelines-2025",  # SPEC §1: not the brochure
        "indirect": "assumption",
        "first_due": "assumption",
        "lump_due": "assumption",
        "discontinued_due": "assumption",
        "milestone": "repayment-page",
    }
    for key, cite in cites.items():
        assert cite.source in rb.sources, key
        # a brochure rule quotes the brochure; any other says what it rests on in both languages
        assert cite.quote if cite.source.id == "brochure" else (cite.words.en and cite.words.ja), key
    assert rp.discontinued_grade == "discontinued" and rp.is_discontinued(rp.grade("discontinued"))
    assert rb.fund_type_label("matching").ja == "マッチングファンド"
    assert rp.grade("C").label.ja == "事後評価 C" and rp.grade("A").scenario_label.en == "grades S/A/B"


@pytest.mark.parametrize(
    ("old", "new", "key", "what"),
    [
        (
            'first_due_source = "assumption"',
            'first_due_source = "guess"',
            "jisso.repayment.first_due_source",
            "is not a source defined in [sources]",
        ),
        (
            'discontinued_grade = "discontinued"',
            'discontinued_grade = "stopped"',
            "jisso.repayment.discontinued_grade",
            "is not a grade defined below",
        ),
        ("lump_due_months = 12", "lump_due_months = 121", "jisso.repayment.lump_due_months", "beyond the term"),
        (
            'label = { en = "grade C", ja = "事後評価 C" }',
            'label = { en = "grade C" }',
            "jisso.repayment.grades.C.label.ja",
            "missing",
        ),
        ('repayable = { en = "repayable", ja = "返済型" }\n', "", "fund_types.repayable", "missing"),
        (
            '[sources.assumption]\nname = { en = "assumption", ja = "仮定" }\n',
            "",
            "jisso.repayment.first_due_source",
            "is not a source defined in [sources]",
        ),
    ],
)
def test_broken_sources_and_labels_name_the_key(
    write_rules: Callable[..., Path], old: str, new: str, key: str, what: str
) -> None:
    with pytest.raises(InputError) as info:
        load_rulebook(str(write_rules((old, new))))
    assert repr(key) in str(info.value) and what in str(info.value), str(info.value)


def test_menu_values_are_checked_when_built(rb: Rulebook) -> None:
    import dataclasses

    m = rb.menu("stage1")
    for name, value in (("fund_type", "loan"), ("cap_kind", "monthly")):
        with pytest.raises(InputError, match=repr(value)) as info:
            dataclasses.replace(m, **{name: value})
        assert info.value.field == name
