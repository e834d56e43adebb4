"""The shared input reader: byte-capped files, one "cannot be read" wording, bounded numbers,
key-by-key tables whose errors name the file, the dotted key and its line."""

from __future__ import annotations

import json
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

from astep_calc import reader
from astep_calc.key_lines import json_key_lines, toml_key_lines
from astep_calc.payments_file import parse_payments_csv
from astep_calc.plans import load_plan_file, parse_plan_file
from astep_calc.reader import (
    UnusableNumber,
    bounded_decimal,
    parse_json,
    parse_toml,
    read_input,
)
from astep_calc.rulebook import Rulebook, load_rulebook
from astep_calc.text import InputError, Text

STAGE1 = 'menu = "stage1"\nstart = 2026-10-01\nend = 2029-03-31\n'
JISSO = 'menu = "jisso"\nstart = 2025-07-01\nend = 2028-06-30\namount = "5億"\ncollateral = "5000万"\n'
HUGE = "1" * 5000


def fast(action: Callable[[], object], seconds: float = 1.0) -> InputError:
    """Run ``action``, which must raise InputError, and in well under the CLI's 2 s budget."""
    t0 = time.perf_counter()
    with pytest.raises(InputError) as info:
        action()
    assert time.perf_counter() - t0 < seconds
    return info.value


# ---------------------------------------------------------------------------
# Files: capped, one wording, BOM accepted
# ---------------------------------------------------------------------------


def test_read_input_caps_the_bytes(tmp_path: Path) -> None:
    exact = tmp_path / "exact.toml"
    exact.write_bytes(b"#" * 1000)
    assert read_input(exact, limit=1000) == b"#" * 1000
    with pytest.raises(InputError, match=r"exact\.toml: cannot be read: too large \(more than 999 bytes"):
        read_input(exact, limit=999)


def test_read_input_reads_past_the_first_read_up_to_the_limit(tmp_path: Path) -> None:
    from astep_calc.reader import FIRST_READ

    # A file longer than the first read is read whole up to the limit, and refused one byte over it.
    for size in (FIRST_READ - 1, FIRST_READ, FIRST_READ + 1, 3 * FIRST_READ + 5):
        f = tmp_path / f"{size}.toml"
        f.write_bytes(bytes(range(256)) * (size // 256) + b"#" * (size % 256))
        assert read_input(f, limit=size) == f.read_bytes()
        with pytest.raises(InputError, match=r"too large"):
            read_input(f, limit=size - 1)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_dev_zero_is_refused_everywhere(rb: Rulebook) -> None:
    """A device is not read at all (issue 23 item 3), so /dev/zero costs nothing."""
    err = fast(lambda: load_plan_file("/dev/zero", rb))
    assert err.text.en.startswith("/dev/zero: cannot be read: not a regular file")
    assert err.text.ja.startswith("/dev/zero：読めません：通常のファイルではありません")
    err = fast(lambda: load_rulebook("/dev/zero"))
    assert err.text.en.startswith("rulebook /dev/zero: cannot be read: not a regular file")


def test_one_cannot_be_read_wording_for_plans_rulebooks_and_payments(tmp_path: Path, rb: Rulebook) -> None:
    from astep_calc.reader import read_text
    from astep_calc.text import Text

    missing = tmp_path / "none"
    messages = []
    for action in (
        lambda: load_plan_file(missing, rb),
        lambda: load_rulebook(str(missing)),
        lambda: read_text(missing, label=Text("--payments ", "--payments ")),
    ):
        with pytest.raises(InputError) as info:
            action()
        messages.append(info.value.text)
    assert [m.en for m in messages] == [
        f"{p}{missing}: cannot be read: No such file or directory" for p in ("", "rulebook ", "--payments ")
    ]
    assert [m.ja for m in messages] == [
        f"{p}{missing}：読めません：ファイルまたはフォルダがありません" for p in ("", "ルールブック ", "--payments ")
    ]


def test_not_utf8_names_the_line_in_the_same_wording(tmp_path: Path, rb: Rulebook) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes(b'menu = "stage1"\n\n# caf\xe9\n')
    with pytest.raises(InputError, match=r"latin1\.toml:3: cannot be read: not UTF-8 text \(byte 0xe9\)"):
        load_plan_file(path, rb)
    with pytest.raises(InputError, match=r"rulebook .*latin1\.toml:3: cannot be read: not UTF-8"):
        load_rulebook(str(path))


def test_a_rulebook_with_a_bom_is_read(tmp_path: Path, bundled_toml: str) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + bundled_toml.encode())
    assert load_rulebook(str(path)).id == load_rulebook().id


# ---------------------------------------------------------------------------
# Numbers: bounded while parsing, refused naming file, key and line
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "where", "what"),
    [
        (STAGE1 + "indirect_rate = 1e-999999\n", "p.toml:4: key 'indirect_rate'", "larger exponent"),
        (STAGE1 + "indirect_rate = 0e-999999999\n", "p.toml:4: key 'indirect_rate'", "larger exponent"),
        (STAGE1 + f"indirect_rate = 0.{HUGE}\n", "p.toml:4: key 'indirect_rate'", "more digits"),
        (STAGE1 + "indirect_rate = nan\n", "p.toml:4: key 'indirect_rate'", "not a finite number"),
        (STAGE1 + "indirect_rate = -inf\n", "p.toml:4: key 'indirect_rate'", "not a finite number"),
        (JISSO + "[repayment]\ndeferral = 1e999999999\n", "p.toml:7: key 'repayment.deferral'", "larger exponent"),
        (JISSO + "[repayment]\nterm = 1e31\n", "p.toml:7: key 'repayment.term'", "larger exponent"),
        (STAGE1 + f"[budget]\n2026 = {HUGE}\n", "p.toml:5: key 'budget.2026'", "more digits"),
        (STAGE1 + f"[budget]\n2026 = {'1' * 40}\n", "p.toml:5: key 'budget.2026'", "40 digits"),
        (JISSO + f"[repayment]\nterm = {'9' * 4000}\n", "p.toml:7: key 'repayment.term'", "4,000 digits"),
        (STAGE1 + f'[budget]\n2026 = "{HUGE}"\n', "p.toml:5: key 'budget.2026'", "too long"),
        (STAGE1 + f'indirect_rate = "0.{HUGE}"\n', "p.toml:4: key 'indirect_rate'", "too long"),
    ],
)
def test_unusable_numbers_are_refused_quickly_naming_the_key(rb: Rulebook, text: str, where: str, what: str) -> None:
    err = fast(lambda: parse_plan_file(text, "p.toml", rb))
    assert err.text.en.startswith(where), err.text.en
    assert what in err.text.en, err.text.en
    assert len(err.text.en) < 300 and len(err.text.ja) < 300  # the input is quoted, cut to a readable length
    file, key = where.split(": key ")
    assert err.text.ja.startswith(f"{file}：キー「{key.strip(chr(39))}」"), err.text.ja


@pytest.mark.parametrize(
    ("value", "what"),
    [("1e-999999", "larger exponent"), (HUGE, "more digits"), ("1" * 31, "more digits"), ("1E+400", "exponent")],
)
def test_unusable_numbers_in_json_plans(rb: Rulebook, value: str, what: str) -> None:
    text = '{"menu": "stage1", "start": "2026-10-01", "end": "2029-03-31",\n "budget": {"2026": ' + value + "}}"
    err = fast(lambda: parse_plan_file(text, "p.json", rb, json_format=True))
    assert err.text.en.startswith("p.json:2: key 'budget.2026'") and what in err.text.en, err.text.en


def test_bounded_decimal() -> None:
    from decimal import Decimal

    assert bounded_decimal("0.30") == Decimal("0.30")
    assert bounded_decimal("1" * 30) == Decimal("1" * 30)
    assert bounded_decimal("1" * 31) == UnusableNumber("1" * 31)
    assert bounded_decimal("1e30") == Decimal("1e30") and bounded_decimal("1e31") == UnusableNumber("1e31")
    assert bounded_decimal("inf") == UnusableNumber("inf", finite=False)


def test_a_rulebook_with_unusable_numbers(write_rules: Callable[..., Path]) -> None:
    err = fast(lambda: load_rulebook(str(write_rules(('rate = "0.30"', "rate = 1e-999999999")))))
    assert "'indirect.rate'" in err.text.en and "exponent" in err.text.en
    err = fast(lambda: load_rulebook(str(write_rules(("period_months = 30", f"period_months = {HUGE}")))))
    assert "more digits" in err.text.en and ":" in err.text.en


def test_a_deeply_nested_rulebook_is_an_input_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.toml"
    path.write_text("a = " + "[" * 100_000 + "]" * 100_000 + "\n", "utf-8")
    with pytest.raises(InputError, match="not valid TOML: nested too deeply"):
        load_rulebook(str(path))


def test_an_oversized_csv_field_is_an_input_error() -> None:
    text = "due,amount\n2030-03-31," + "1" * 200_000 + "\n"
    with pytest.raises(InputError, match=r"line 2: not a readable CSV row: field larger than field limit"):
        parse_payments_csv(text, "p.csv")


def test_a_toml_date_outside_the_years_is_refused(rb: Rulebook) -> None:
    with pytest.raises(InputError, match=r"p\.toml:2: key 'start': '0001-01-01' is outside the years"):
        parse_plan_file(STAGE1.replace("start = 2026-10-01", "start = 0001-01-01"), "p.toml", rb)


# ---------------------------------------------------------------------------
# Tables: unknown keys with a hint, core errors mapped to the key by their field
# ---------------------------------------------------------------------------


def test_unknown_keys_get_a_did_you_mean_hint(rb: Rulebook) -> None:
    with pytest.raises(InputError) as info:
        parse_plan_file(STAGE1 + "indirect-rate = 0.3\n", "p.toml", rb)
    assert info.value.text.en.startswith("p.toml:4: key 'indirect-rate': unknown key here")
    assert info.value.text.en.endswith("(did you mean indirect_rate?)")
    assert "ここでは使えないキーです（indirect_rate のことですか？）。使えるキー：$schema、menu" in info.value.text.ja
    with pytest.raises(InputError, match=r"'repayment\.defferal'.*did you mean deferral\?"):
        parse_plan_file(JISSO + '[repayment]\ndefferal = "1y"\n', "p.toml", rb)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('menu = "Stage1"\nstart = 2026-10-01\nend = 2029-03-31\n', "p.toml:1: key 'menu': 'Stage1' is not a menu"),
        ('menu = "stage-1"\nstart = 2026-10-01\nend = 2029-03-31\n', "(did you mean stage1?)"),
        (JISSO + '[repayment]\ngrade = "a"\n', "p.toml:7: key 'repayment.grade': 'a' is not a grade"),
        (JISSO + '[repayment]\nevery = "Year"\n', "'Year' is not a payment frequency: one of year, half"),
    ],
)
def test_ids_are_exact_as_in_the_schema_with_a_hint(rb: Rulebook, text: str, fragment: str) -> None:
    with pytest.raises(InputError) as info:
        parse_plan_file(text, "p.toml", rb)
    assert fragment in info.value.text.en and "did you mean" in info.value.text.en, info.value.text.en


def test_a_core_error_names_the_key_of_its_field() -> None:
    doc = parse_toml('[repayment]\ngrade = "A"\n\nterm = "0"\n', "p.toml")
    table = doc.root().table("repayment")
    with pytest.raises(InputError) as info, table.core():
        raise InputError("'0' must be at least 1 month", "「0」は1か月以上にしてください", field="term")
    assert info.value.text.en == "p.toml:4: key 'repayment.term': '0' must be at least 1 month"
    assert info.value.text.ja == "p.toml:4：キー「repayment.term」：「0」は1か月以上にしてください"
    assert info.value.field == "repayment.term"
    with pytest.raises(InputError, match=r"^p\.toml:1: key 'repayment': no field$"), table.core():
        raise InputError("no field")
    with pytest.raises(InputError, match=r"^p\.toml:4: key 'repayment\.term': named from the top"), table.core():
        raise InputError("named from the top", field="repayment.term")


# ---------------------------------------------------------------------------
# Key lines: linear, also for large JSON
# ---------------------------------------------------------------------------


def test_key_lines_in_toml_and_json() -> None:
    # A dotted key defines its table at its own line: "d.e = 3" gives t.d line 4.
    assert toml_key_lines('a = 1\n[t]\n"b.c" = 2\nd.e = 3\n') == {"a": 1, "t": 2, "t.b.c": 3, "t.d": 4, "t.d.e": 4}
    assert json_key_lines('{\n "a": {\n  "b": [1,\n 2, {"c": 3}]}}') == {"a": 2, "a.b": 3, "a.b[2]": 4, "a.b[2].c": 4}


def test_a_large_json_plan_loads_in_linear_time(rb: Rulebook) -> None:
    rows = [{"due": f"{2029 + i // 12 % 100}-{i % 12 + 1:02d}-01", "amount": "1円"} for i in range(10_000)]
    data = {
        "menu": "jisso",
        "start": "2025-07-01",
        "end": "2028-06-30",
        "amount": 10_000,
        "collateral": 1000,
        "repayment": {"payments": rows},
    }
    text = json.dumps(data, indent=6, ensure_ascii=False)
    assert len(text.encode()) > 1_000_000
    t0 = time.perf_counter()
    lines = json_key_lines(text)
    assert time.perf_counter() - t0 < 1.0
    assert lines["repayment.payments[9999].amount"] == text.count("\n") - 3
    doc = parse_json(text, "big.json")
    assert doc.line(("repayment", "payments", 9999, "due")) == text.count("\n") - 4
    assert reader.parse_document(text, "big.json", "json").data == doc.data


def test_a_reader_error_inside_a_core_block_is_not_located_twice() -> None:
    doc = parse_toml("[t]\nrate = 1e-999999\n", "p.toml")
    table = doc.root().table("t")
    with pytest.raises(InputError) as info, table.core():
        table.rate("rate")
    assert info.value.text.en.count("p.toml") == 1, info.value.text.en
    assert info.value.text.en.startswith("p.toml:2: key 't.rate': 1e-999999 has more digits")


def test_the_rulebook_is_read_by_the_same_reader(write_rules: Callable[..., Path], bundled_toml: str) -> None:
    # The same wording and the same line numbers as plan files, and a hint for a typo.
    path = write_rules(("period_months = 30\n", "period_months = 30\nperiod_month = 30\n"))
    line = bundled_toml[: bundled_toml.index("period_months = 30")].count("\n") + 2
    with pytest.raises(InputError) as info:
        load_rulebook(str(path))
    assert info.value.text.en == (
        f"rulebook {path}:{line}: key 'menus.stage1.period_month': unknown key here "
        f"(expected one of fund_type, cap_kind, name, short, cap, first_year_prorated, "
        f"period_months, source, quote, note, matching_min_ratio, follows)"
        f" (did you mean period_months?)"
    )
    assert info.value.text.ja.startswith(f"ルールブック {path}:{line}：キー「menus.stage1.period_month」：")
    path = write_rules(('follows = "stage1"', 'follows = "stage-1"'))
    with pytest.raises(InputError, match=r"key 'menus\.stage2-gate\.follows': must name another menu.*stage1\?"):
        load_rulebook(str(path))


def test_a_term_of_0_names_repayment_term_and_its_line(rb: Rulebook) -> None:
    # Issue 9: the core's error carries its field (term); the plan reader names the key and line.
    text = JISSO + '[repayment]\ngrade = "A"\nterm = "0"\n'
    with pytest.raises(InputError) as info:
        parse_plan_file(text, "p.toml", rb)
    assert info.value.text.en.startswith("p.toml:8: key 'repayment.term': "), info.value.text.en
    assert "--" not in info.value.text.en  # no command-line vocabulary in a plan's error
    assert info.value.text.ja.startswith("p.toml:8：キー「repayment.term」：")


def test_getters_return_typed_values_or_the_default() -> None:
    from datetime import date
    from fractions import Fraction

    doc = parse_toml('s = "x"\nb = true\nn = 3\nd = 2026-04-01\ny = "1万"\nr = "30%"\nm = "18m"\n', "p.toml")
    t = doc.root()
    assert (t.string("s"), t.boolean("b"), t.integer("n", minimum=1, maximum=9)) == ("x", True, 3)
    assert (t.day("d"), t.yen("y"), t.rate("r"), t.months("m")) == (date(2026, 4, 1), 10_000, Fraction(3, 10), 18)
    assert t.choice("s", ["x", "y"], what=Text("a letter", "文字")) == "x"
    # Given a default, an absent key is the default; without one, it is missing.
    assert [t.day("none", None), t.string("none", ""), t.yen("none", 0), t.rate("none", None)] == [None, "", 0, None]
    with pytest.raises(InputError, match="key 'none' is missing"):
        t.months("none")


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("2027.x = 5", "budget.2027.x"),  # a dotted key under [budget]: its own line, not the header's
        ('"20\\u00327" = 1', "budget.2027"),  # a basic string's escapes read as TOML reads them
        ('"20\\u00327".x = 1', "budget.2027"),
        ("'2027' = 1", "budget.2027"),
        ('"a\\"b" = 1', 'budget.a"b'),  # an escaped quote does not end the key
    ],
)
def test_toml_key_lines_find_every_spelling_of_a_key(line: str, key: str) -> None:
    text = f'menu = "stage1"\n\n[budget]\n2026 = 1\n{line}\n'
    assert toml_key_lines(text)[key] == 5
    assert tomllib.loads(text)  # the spelling is TOML


def test_a_quoted_table_header_keeps_its_line() -> None:
    assert toml_key_lines('a = 1\n["budget"]\n"2026" = 1\n[ "x.y" . z ]\n') == {
        "a": 1,
        "budget": 2,
        "budget.2026": 3,
        "x.y.z": 4,
    }


def test_a_duplicate_json_key_is_refused_at_its_line() -> None:
    text = '{\n  "menu": "stage1",\n  "budget": {\n    "2026": 1,\n    "2027": 2,\n    "2026": 3\n  }\n}\n'
    with pytest.raises(InputError) as info:
        parse_json(text, "p.json")
    assert info.value.text.en == "p.json:6: key 'budget.2026': appears twice in one object; keep one"
    assert info.value.text.ja == "p.json:6：キー「budget.2026」：同じオブジェクトに2回あります。1つにしてください"
    # In an array of objects, and spelt with an escape the second time.
    text = '{"phase": [{"menu": "a"},\n {"menu": "b",\n  "m\\u0065nu": "c"}]}'
    with pytest.raises(InputError, match=r"^p\.json:3: key 'phase\[1\]\.menu' \(phase 2\): appears twice"):
        parse_json(text, "p.json")
