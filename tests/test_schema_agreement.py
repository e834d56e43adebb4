"""The JSON Schema of plan files (``astep schema``) accepts a plan exactly when ``astep check``
can read it (exit 0 or 1), issue 14 item 4.

The reader and the schema both come from one declaration (astep_calc.plan_format): the
keys, their kinds, bounds and menus agree by construction. What is left to prove is here:
each value pattern of :mod:`astep_calc.plan_syntax` accepts only what the core parsers read
(so the reader, which applies both, is exactly the pattern); generated plans from valid and
broken values, in every declared key, get the same verdict from both; the examples and the
plan texts of the other test modules too.

What a JSON Schema cannot say is left out, on purpose, and listed in one place,
plan_format.BEYOND_SCHEMA: arithmetic and comparisons between fields (an end before its
start; with a deferral, a term less the deferral that is not a whole number of periods or
leaves no time to repay; a due date after the end of the term; a term and frequency that make more than
MAX_PAYMENTS payments, alone or with the other phases' schedules), numbers JSON itself cannot
tell apart from their rounded float (more than 30 digits or an exponent beyond ±30, which
the reader refuses to keep its work bounded; NaN and infinities, which only TOML writes).
Rules between fields that a schema can say, it says (plan_schema.py, _layout_rules and
_owes_nothing): grade C takes no deferral
and needs an amount of at least 10 yen (it owes floor(10%)), a due date needs a lump sum,
and with no deferral a term is a whole number of periods and reaches a lump sum's due
date.
"""

from __future__ import annotations

import json
import re
import tomllib
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from astep_calc import plan_syntax
from astep_calc.dates import parse_date, parse_months
from astep_calc.money import MAX_RATIO, MAX_YEN, parse_rate, parse_ratio, parse_signed_yen, parse_yen
from astep_calc.plan_format import BEYOND_SCHEMA, KEYS, PHASE, PlanKey
from astep_calc.plan_schema import plan_schema
from astep_calc.plans import parse_plan_file
from astep_calc.rulebook import Rulebook
from astep_calc.text import InputError

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def validator() -> Any:
    schema = plan_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def jsonable(value: Any) -> Any:
    """A parsed TOML value as a JSON editor sees it: dates as ISO strings, decimals as floats."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal | float):
        return float(value)
    return value


def readable(rb: Rulebook, text: str, *, json_format: bool) -> tuple[bool, str]:
    """Whether ``astep check`` can read the plan (exit 0 or 1), and the error if not."""
    try:
        parse_plan_file(text, "p.json" if json_format else "p.toml", rb, json_format=json_format)
    except InputError as exc:
        return False, exc.text.en
    return True, ""


def verdicts(rb: Rulebook, validator: Any, data: dict[str, Any]) -> tuple[bool, bool, str]:
    text = json.dumps(data, ensure_ascii=False)
    schema_ok = not list(validator.iter_errors(json.loads(text)))
    reader_ok, error = readable(rb, text, json_format=True)
    return schema_ok, reader_ok, error


# ---------------------------------------------------------------------------
# Each pattern accepts only what the core reads
# ---------------------------------------------------------------------------


@SETTINGS
@given(st.from_regex(re.compile(plan_syntax.anchored(plan_syntax.YEN)), fullmatch=True))
def test_every_amount_the_pattern_accepts_the_core_reads(text: str) -> None:
    assert 0 <= parse_yen(text) < MAX_YEN


@SETTINGS
@given(st.from_regex(re.compile(plan_syntax.anchored(plan_syntax.ZERO_YEN)), fullmatch=True))
def test_the_zero_pattern_is_zero(text: str) -> None:
    assert not re.fullmatch(plan_syntax.YEN, text) or parse_yen(text) == 0


@SETTINGS
@given(st.from_regex(re.compile(plan_syntax.anchored(plan_syntax.RATE)), fullmatch=True))
def test_every_rate_the_pattern_accepts_the_core_reads(text: str) -> None:
    assert 0 <= parse_rate(text) <= 1


@SETTINGS
@given(
    st.one_of(
        st.from_regex(re.compile(plan_syntax.anchored(plan_syntax.ZERO_RATE)), fullmatch=True),
        st.from_regex(re.compile(plan_syntax.anchored(plan_syntax.RATE)), fullmatch=True),
    )
)
def test_the_zero_rate_pattern_is_the_rates_of_zero(text: str) -> None:
    """A guarantee fee of 0 goes with a deposit: the schema tells it by this pattern."""
    if re.fullmatch(plan_syntax.RATE, text):
        assert (parse_rate(text) == 0) == bool(re.fullmatch(plan_syntax.ZERO_RATE, text))


@SETTINGS
@given(st.from_regex(re.compile(plan_syntax.anchored(plan_syntax.SIGNED_YEN)), fullmatch=True))
def test_every_signed_amount_the_pattern_accepts_the_core_reads(text: str) -> None:
    assert -MAX_YEN < parse_signed_yen(text) < MAX_YEN


@SETTINGS
@given(st.from_regex(re.compile(plan_syntax.anchored(plan_syntax.YEN)), fullmatch=True), st.sampled_from("-－−△▲("))
def test_every_amount_with_a_sign_is_a_signed_amount_of_the_opposite_sign(text: str, sign: str) -> None:
    signed = f"({text})" if sign == "(" else sign + text
    assert re.fullmatch(plan_syntax.SIGNED_YEN, signed) and parse_signed_yen(signed) == -parse_yen(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("-2.4億", -240_000_000),
        ("△1,200,000", -1_200_000),
        ("▲1,200,000", -1_200_000),
        ("(1,200,000)", -1_200_000),
        ("（3億）", -300_000_000),
        ("¥-1,200", -1200),
        ("-¥1,200", -1200),
        ("−5万円", -50_000),
        ("5億", 500_000_000),
        ("0", 0),
    ],
)
def test_signed_amounts_plans_write(text: str, value: int) -> None:
    assert re.fullmatch(plan_syntax.SIGNED_YEN, text) and parse_signed_yen(text) == value


@pytest.mark.parametrize("text", ["--1", "-(1,000)", "(-1)", "- 1", "1.5", "-", "()", "(1", "1-", "△", "+5"])
def test_signed_amounts_plans_do_not_write(text: str) -> None:
    assert not re.fullmatch(plan_syntax.SIGNED_YEN, text)


@SETTINGS
@given(st.from_regex(re.compile(plan_syntax.anchored(plan_syntax.RATIO)), fullmatch=True))
def test_every_ratio_the_pattern_accepts_but_zero_the_core_reads(text: str) -> None:
    if re.fullmatch(plan_syntax.ZERO_RATIO, text):
        with pytest.raises(InputError):
            parse_ratio(text)
    else:
        assert 0 < parse_ratio(text) <= MAX_RATIO


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("1.2", True),
        ("1.2倍", True),
        ("120%", True),
        ("100", True),
        ("10000%", True),
        ("0.5", True),
        ("１．５倍", True),
        ("100.01", False),
        ("10001%", False),
        ("0", False),
        ("0.0倍", False),
        ("0%", False),
        ("-1", False),
        ("1.2x", False),
        ("", False),
    ],
)
def test_ratios_plans_write(text: str, ok: bool) -> None:
    pattern = bool(re.fullmatch(plan_syntax.RATIO, text)) and not re.fullmatch(plan_syntax.ZERO_RATIO, text)
    assert pattern == ok
    try:
        parse_ratio(text)
    except InputError:
        assert not ok
    else:
        assert ok


@SETTINGS
@given(st.from_regex(re.compile(plan_syntax.anchored(plan_syntax.DURATION)), fullmatch=True))
def test_every_duration_the_pattern_accepts_the_core_reads(text: str) -> None:
    assert 0 <= parse_months(text) <= 999 * 12 + 9


@SETTINGS
@given(st.from_regex(re.compile(plan_syntax.anchored(plan_syntax.DATE)), fullmatch=True))
def test_every_date_the_pattern_accepts_the_core_reads(text: str) -> None:
    assert 1900 <= parse_date(text).year <= 2200


@SETTINGS
@given(st.dates(date(1890, 1, 1), date(2210, 12, 31)))
def test_the_date_pattern_is_every_day_from_1900_to_2200(day: date) -> None:
    assert bool(re.fullmatch(plan_syntax.DATE, day.isoformat())) == (1900 <= day.year <= 2200)


def _core_reads(text: str) -> bool:
    try:
        parse_date(text)
    except InputError:
        return False
    return True


#: How a date is written, with the year, month and day as numbers: the Western forms and
#: the era forms of issue 13 (the era forms take the era year).
DATE_FORMS = [
    "{y}-{m}-{d}",
    "{y}/{m}/{d}",
    "{y}.{m}.{d}",
    "{y}年{m}月{d}日",
    "令和{e}年{m}月{d}日",
    "R{e}.{m}.{d}",
    "R{e}/{m}/{d}",
    "r{e}-{m}-{d}",
    "平成{e}年{m}月{d}日",
    "H{e}.{m}.{d}",
    "H{e}/{m}/{d}",
    "h{e}-{m}-{d}",
]


@SETTINGS
@given(
    form=st.sampled_from(DATE_FORMS),
    y=st.integers(1895, 2205),
    e=st.integers(0, 190),
    m=st.integers(0, 13),
    d=st.integers(0, 32),
    pad=st.booleans(),
    wide=st.booleans(),
)
def test_the_date_pattern_is_exactly_the_days_the_core_reads(
    form: str, y: int, e: int, m: int, d: int, pad: bool, wide: bool
) -> None:
    """Any form, any numbers (impossible months and days, years outside an era or the
    range): the pattern matches exactly when parse_date reads the date."""
    text = form.format(y=y, e=e, m=f"{m:02d}" if pad else m, d=f"{d:02d}" if pad else d)
    if wide:
        text = text.translate(str.maketrans("0123456789/.-", "０１２３４５６７８９／．－"))
    assert bool(re.fullmatch(plan_syntax.DATE, text)) == _core_reads(text), text


@pytest.mark.parametrize("form", DATE_FORMS)
def test_leap_days_and_era_bounds_in_every_form(form: str) -> None:
    """February 29 of every year and era year, and the first and last days of each era."""
    checked = 0
    for y in range(1895, 2206):
        for e in range(0, 190):
            if "{e}" not in form and e:
                break
            for m, d in ((2, 29), (2, 28), (1, 7), (1, 8), (4, 30), (5, 1), (12, 31)):
                text = form.format(y=y, e=e, m=m, d=d)
                assert bool(re.fullmatch(plan_syntax.DATE, text)) == _core_reads(text), text
                checked += 1
        if "{y}" not in form:
            break
    assert checked > 1000


@pytest.mark.parametrize(
    "text",
    [
        "2026-10-01",
        "2026/10/1",
        "2026/4/1",
        "2026.4.1",
        "2026年4月1日",
        "令和8年4月1日",
        "令和元年5月1日",
        "R8.4.1",
        "R8/4/1",
        "H31.4.30",
        "２０２６／１０／１",
        "令和８年４月１日",
        "Ｒ８．４．１",
        "R元.5.1",
        "2028/2/29",
        "R2.2.29",
    ],
)
def test_dates_plans_write(text: str) -> None:
    assert re.fullmatch(plan_syntax.DATE, text)
    assert _core_reads(text)


@pytest.mark.parametrize(
    "text",
    [
        "2026/13/1",
        "2026/2/30",
        "2026/2/29",
        "H31.5.1",
        "R1.4.30",
        "令和元年4月30日",
        "H1.1.7",
        "R183.1.1",
        "2026-10/01",
        "2026年4月1",
        " 2026-10-01",
        "2026-10-01T09:00",
        "R0.5.1",
        "2201/1/1",
        "1899/12/31",
    ],
)
def test_dates_plans_do_not_write(text: str) -> None:
    assert not re.fullmatch(plan_syntax.DATE, text)


@pytest.mark.parametrize(
    "text",
    [
        "1500万",
        "3億5000万",
        "1.5億",
        "500千円",
        "¥15,000,000",
        "１，５００万円",
        "15_000_000",
        "5千万",
        "2百万",
        "999,999,999,999,999",
        "9999999億9999万9999",
        "1.23456789億",
        "0",
        "0円",
    ],
)
def test_amounts_plans_write(text: str) -> None:
    assert re.fullmatch(plan_syntax.YEN, text)


@pytest.mark.parametrize(
    "text",
    [
        "1.2.3万",
        "1.5",
        "-5",
        "5 億",
        "1億2億",
        "1千1万",
        "1,2345",
        "1,000,000,000,000,000",
        "1.234567891億",
        "3億50000000万",
        "1.5億5000万",
        "abc",
        "",
        "1e3",
        "¥",
        "円",
    ],
)
def test_amounts_plans_do_not_write(text: str) -> None:
    assert not re.fullmatch(plan_syntax.YEN, text)


# ---------------------------------------------------------------------------
# Generated plans: the same verdict from the schema and the reader
# ---------------------------------------------------------------------------

VALID_DATES = [
    "2026-10-01",
    "2028-02-29",
    "1900-01-01",
    "2200-12-31",
    "２０２６-１０-０１",
    "2026/10/01",
    "2026/10/1",
    "令和8年10月1日",
    "R8.10.1",
    "R8/10/1",
]
BROKEN_DATES = [
    "2026-02-30",
    "2100-02-29",
    "0001-01-01",
    "2026-13-01",
    "2026/13/1",
    "H31.10.1",
    "R1.4.1",
    20261001,
    "next april",
    "",
    True,
    None,
    "2201-01-01",
    "2026-10-01T09:00:00",
    "2026-10/01",
]
VALID_YEN = [0, 1, 15_000_000, 10**15, "1500万", "3億5000万", "1.5億", "１，５００万円", "0円", "15_000_000"]
BROKEN_YEN = ["1.2.3万", -5, 10**15 + 1, 10**30, "1.5", 1.5, "5 億", "abc", "1e3", True, None, [], "-1"]
VALID_SIGNED_YEN = [-5, "-2.4億", "△1,200,000", "(1,200,000)", -(10**15), "▲1", "¥-1,200"]
BROKEN_SIGNED_YEN = ["--1", "-(1,000)", -(10**15) - 1, "- 1", "-1.5", "+5"]
VALID_RATIOS = [1.2, "1.2", "1.2倍", "120%", 100, "0.5"]
BROKEN_RATIOS = [0, "0", "0倍", -1, 100.5, "10001%", "1.2x", 1e-40]
VALID_RATES = [0, 1, 0.3, "30%", "0.3", ".5", "100%", "2.5%", "１００％"]
BROKEN_RATES = ["150%", 1.5, -0.1, "30 %", "abc", "1e-3", True, "101%", 2, None]
VALID_DEFERRALS = ["3y", "18m", 1.5, 0, "1.25y", "0m", "2年", "24か月", 3]
BROKEN_DURATIONS = ["3q", "1.3y", "3Y", -1, 1000, 1.3, True, "", "10 years ago", None]


def plan(kind: str, **keys: Any) -> dict[str, Any]:
    """A plan of ``kind`` (stage1 or jisso) that holds or merely breaks rules, with ``keys`` put in."""
    base: dict[str, Any] = (
        {"menu": kind, "start": "2026-10-01", "end": "2029-03-31", "budget": {"2026": 7_000_000}}
        if kind != "jisso"
        else {
            "menu": "jisso",
            "start": "2025-07-01",
            "end": "2028-06-30",
            "amount": "5億",
            "collateral": "5000万",
            "repayment": {"grade": "A", "every": "month"},
        }
    )
    for key, value in keys.items():
        target, name = base, key
        if "." in key:
            table, name = key.split(".", 1)
            target = base[table]
        target[name] = value
    return base


FIELD_CASES = st.one_of(
    st.tuples(st.just("start"), st.sampled_from(VALID_DATES[:1] + VALID_DATES[4:] + BROKEN_DATES)),
    st.tuples(st.just("end"), st.sampled_from(["2029-03-31", "2029-04-01", *BROKEN_DATES])),
    st.tuples(st.just("budget.2026"), st.sampled_from(VALID_YEN + BROKEN_YEN)),
    st.tuples(st.just("budget.2026"), st.from_regex(re.compile(plan_syntax.anchored(plan_syntax.YEN)), fullmatch=True)),
    st.tuples(st.just("indirect_rate"), st.sampled_from(VALID_RATES + BROKEN_RATES)),
    st.tuples(st.just("menu"), st.sampled_from(["stage1", "stage2", "Stage1", "stage-1", "stage3", "", 1])),
    st.tuples(st.just("round"), st.sampled_from([1, 1000, "1千", 0, "0", -1, "1.5", "abc"])),
    st.tuples(st.just("proration"), st.sampled_from(["month", "day", "Day", "week", 1])),
    st.tuples(st.just("prorate_last"), st.sampled_from([True, False, "yes", 1])),
    st.tuples(
        st.just("display_unit"),
        st.sampled_from(["千円", "thousand", "ten-thousand", "円", "Thousand", "百円", "", 1000]),
    ),
)
JISSO_CASES = st.one_of(
    # Amounts large enough for 120 monthly installments of the largest unit below (a smaller
    # one is refused for the installments, a rule between fields).
    st.tuples(
        st.just("amount"),
        st.sampled_from([10**15, "1.5億", "3億5000万", "５億円", 200_000_000, *BROKEN_YEN, 0, "0円", "0万", "0.0億"]),
    ),
    st.tuples(st.just("collateral"), st.sampled_from(VALID_YEN + BROKEN_YEN)),
    st.tuples(st.just("repayment.grade"), st.sampled_from(["S", "A", "B", "a", "D", "", 1])),
    st.tuples(st.just("repayment.every"), st.sampled_from(["month", "Year", "week", 12])),
    st.tuples(st.just("repayment.deferral"), st.sampled_from(VALID_DEFERRALS + BROKEN_DURATIONS)),
    st.tuples(st.just("repayment.term"), st.sampled_from(["10y", "120m", 10, "9.5y", "0", 0, "0m", *BROKEN_DURATIONS])),
    st.tuples(st.just("repayment.remainder"), st.sampled_from(["first", "last", "First", "middle"])),
    st.tuples(st.just("repayment.unit"), st.sampled_from([1, 1000, "1千", 0, "0", "abc", -1])),
    st.tuples(st.just("repayment.lump"), st.sampled_from(["yes", 1])),
    st.tuples(st.just("extra"), st.sampled_from([1, "x"])),
    st.tuples(st.just("repayment.extra"), st.sampled_from([1])),
)


@SETTINGS
@given(st.lists(FIELD_CASES, min_size=1, max_size=3))
def test_stage_plans_get_the_same_verdict(rb: Rulebook, validator: Any, changes: list[tuple[str, Any]]) -> None:
    data = plan("stage1", **dict(changes))
    schema_ok, reader_ok, error = verdicts(rb, validator, data)
    assert schema_ok == reader_ok, (data, error)


@SETTINGS
@given(st.lists(JISSO_CASES, min_size=1, max_size=3))
def test_jisso_plans_get_the_same_verdict(rb: Rulebook, validator: Any, changes: list[tuple[str, Any]]) -> None:
    data = plan("jisso", **dict(changes))
    schema_ok, reader_ok, error = verdicts(rb, validator, data)
    assert schema_ok == reader_ok, (data, error)


#: Repayment layouts: each key left out, or given a value the reader reads or refuses.
LAYOUT = {
    "grade": ["A", "C", "discontinued"],
    "every": ["year", "half", "quarter", "month"],
    "term": [
        "10y",
        "10.5y",
        "10.25y",
        "9.75",
        "126m",
        "114m",
        "63m",
        "120か月",
        "１０.５年",
        10,
        10.5,
        9.25,
        "5y",
        "1y",
        "0.5y",
        "6m",
    ],
    "lump": [True, False],
    "due": ["2029-06-30", "2030-03-31"],
    "remainder": ["first", "last"],
    "unit": [1, "1円", "0.001千", 1000],
}
ZERO_DEFERRALS = [0, "0m", "0y", "０"]


@SETTINGS
@given(
    st.fixed_dictionaries({}, optional={k: st.sampled_from(v) for k, v in LAYOUT.items()}),
    st.one_of(st.none(), st.sampled_from(ZERO_DEFERRALS)),
)
def test_layouts_without_a_deferral_get_the_same_verdict(
    rb: Rulebook, validator: Any, layout: dict[str, Any], deferral: Any
) -> None:
    """A lump-only grade, a lump sum, a frequency and a term that may or may not be a whole
    number of its periods: without a deferral the schema says all the reader says."""
    if deferral is not None:
        layout["deferral"] = deferral
    data = plan("jisso", repayment=layout)
    schema_ok, reader_ok, error = verdicts(rb, validator, data)
    if schema_ok and not reader_ok:  # a due date after the end of the term: date arithmetic
        assert "after the end of the term" in error, (data, error)
    else:
        assert schema_ok == reader_ok, (data, error)


@SETTINGS
@given(
    st.fixed_dictionaries(
        {"deferral": st.sampled_from(["1y", "18m", 1.5, "3y", "0.25y", 2])},
        optional={k: st.sampled_from(v) for k, v in LAYOUT.items()},
    )
)
def test_with_a_deferral_only_arithmetic_between_keys_escapes_the_schema(
    rb: Rulebook, validator: Any, layout: dict[str, Any]
) -> None:
    """With a deferral, the periods are counted from its end: (term − deferral) must be a
    whole number of periods and positive. A schema cannot subtract, so there (and only
    there) the schema may accept what the reader refuses; never the other way round."""
    data = plan("jisso", repayment=layout)
    schema_ok, reader_ok, error = verdicts(rb, validator, data)
    if schema_ok and not reader_ok:
        assert any(
            part in error
            for part in (
                "less the deferral of",
                "no time to repay",
                "after which a lump sum",
                "after the end of the term",
            )
        ), (data, error)
    else:
        assert schema_ok == reader_ok, (data, error)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        # The 78 probes of issue 14, by kind: the schema accepted these and check refused them...
        ("indirect_rate", "150%"),
        ("amount", 0),
        ("repayment.term", 0),
        ("budget.2026", "1.2.3万"),
        ("budget.2026", 10**30),
        ("repayment.term", "0"),
        ("amount", "0万"),
        # ...and rejected these that check accepted.
        ("menu", "Stage1"),
        ("repayment.grade", "a"),
        ("repayment.every", "Year"),
    ],
)
def test_the_probes_of_issue_14_agree(rb: Rulebook, validator: Any, key: str, value: Any) -> None:
    menu = "jisso" if key.startswith(("amount", "repayment")) else "stage1"
    schema_ok, reader_ok, error = verdicts(rb, validator, plan(menu, **{key: value}))
    assert (schema_ok, reader_ok) == (False, False), error


@pytest.mark.parametrize(
    "repayment",
    [
        {"term": "10.5y"},
        {"term": "10.5y", "every": "year"},
        {"term": "126m"},
        {"term": 10.5},
        {"term": "63m", "every": "half"},
        {"grade": "C", "deferral": "1y"},
        {"grade": "C", "deferral": 1},
        {"due": "2029-06-30"},
        {"grade": "discontinued", "every": "half", "due": "2029-06-30"},
        {"lump": True, "term": "0.5y"},
    ],
)
def test_the_layouts_of_the_audit_are_refused_by_both(rb: Rulebook, validator: Any, repayment: dict[str, Any]) -> None:
    """The schema accepted these and check refused them (a term that is not a whole number
    of the frequency's periods; grade C, a lump sum, with a deferral; a due date without a
    lump sum; a lump sum whose term ends before it falls due)."""
    schema_ok, reader_ok, error = verdicts(rb, validator, plan("jisso", repayment={"grade": "A"} | repayment))
    assert (schema_ok, reader_ok) == (False, False), error


@pytest.mark.parametrize(
    ("key", "value"),
    [
        # A full-width date, and the Japanese forms of issue 13: both read them now.
        ("start", "２０２６-１０-０１"),
        ("start", "2026/10/1"),
        ("start", "令和8年10月1日"),
        ("end", "R11.3.31"),
    ],
)
def test_japanese_dates_are_read_by_both(rb: Rulebook, validator: Any, key: str, value: Any) -> None:
    schema_ok, reader_ok, error = verdicts(rb, validator, plan("stage1", **{key: value}))
    assert (schema_ok, reader_ok) == (True, True), error


@pytest.mark.parametrize("amount", [5, 9, 10, "9円", "¥1", "0.005千", "0万9", "10円", "0.01千", "１０", "0.00000009億"])
@pytest.mark.parametrize(
    "extra",
    [{}, {"stop": "2026-01-01"}, {"repayment": {"grade": "C", "payments": [{"due": "2029-06-30", "amount": 1}]}}],
)
def test_grade_c_below_10_yen_owes_nothing_for_both(
    rb: Rulebook, validator: Any, amount: Any, extra: dict[str, Any]
) -> None:
    """Grade C repays floor(10% × amount): below 10 yen it owes nothing and the reader
    refuses the generated schedule (not an explicit list, nor a stop date's 開発中止)."""
    data = plan("jisso", amount=amount, repayment={"grade": "C"}) | extra
    schema_ok, reader_ok, error = verdicts(rb, validator, data)
    assert schema_ok == reader_ok, (data, error)


def test_a_toml_plan_and_its_json_get_the_same_verdicts(rb: Rulebook, validator: Any) -> None:
    text = (
        'menu = "stage1"\nstart = 2026-10-01\nend = 2029-03-31\nindirect_rate = 0.30\nround = 1000\n'
        "[budget]\n2026 = 7_000_000\n2027 = 1500000.0\n"
    )
    assert not list(validator.iter_errors(jsonable(tomllib.loads(text))))
    assert readable(rb, text, json_format=False)[0]


#: Values of every kind of key, some read and some refused: each declared key is given each.
SAMPLES: list[Any] = sorted(
    {
        json.dumps(v, ensure_ascii=False)
        for v in [
            *VALID_DATES,
            *BROKEN_DATES,
            *VALID_YEN,
            *BROKEN_YEN,
            *VALID_SIGNED_YEN,
            *BROKEN_SIGNED_YEN,
            *VALID_RATIOS,
            *BROKEN_RATIOS,
            *VALID_RATES,
            *BROKEN_RATES,
            *VALID_DEFERRALS,
            *BROKEN_DURATIONS,
            "stage1",
            "Stage1",
            "jisso",
            "A",
            "a",
            "month",
            "Month",
            "day",
            "last",
            "following",
            "千円",
            "deposit",
            "guarantee",
            "Deposit",
            12,
            1200,
            1201,
            "x",
            {},
            {"2026": 1},
            {"FY2026": 1},
            {"2026": {"operating": 1}},
            {"2026": {"operating": "-1億"}, "2028": {"operating": 0}},
            {"1899": {"operating": 1}},
            [],
            [{"due": "2033-03-31", "amount": 1}],
            [{"menu": "stage1", "start": "2026-10-01", "months": 12}],
        ]
    }
)


def placed(key: PlanKey[Any], level: str, value: Any) -> dict[str, Any]:
    """A plan that holds ``key`` at ``level`` with ``value`` and every other key it needs."""
    if level == "payment":
        row = {"due": "2033-03-31", "amount": 1} | {key.name: value}
        return plan("jisso", repayment={"grade": "A", "payments": [row]})
    if level == "repayment":
        return plan("jisso", repayment={key.name: value})
    if level == "company":
        company = {"cash": 0, "flows": {"2026": {"operating": 0}}} | {key.name: value}
        return plan("stage2") | {"company": company}
    if level == "company.flows":
        return plan("stage2") | {"company": {"cash": 0, "flows": {"2026": {"operating": 0} | {key.name: value}}}}
    if level == "company.equity":
        exit_ = {"exit_value": 0, "exit_date": "2033-03-31"} if key.name != "pre_money" else {}
        equity = {"pre_money": 1} | exit_ | {key.name: value}
        return plan("stage2") | {"company": {"cash": 0, "flows": {"2026": {"operating": 0}}, "equity": equity}}
    if key.listed_phases_only:
        return {"phase": [{"menu": "stage1", "start": "2026-10-01", key.name: value}]}
    if key is PHASE:
        return {"phase": value}
    return plan("jisso" if key.menus == "repayable" else "stage2") | {key.name: value}


@SETTINGS
@given(st.sampled_from([(k, level) for k in KEYS for level in k.levels]), st.sampled_from(SAMPLES))
def test_every_declared_key_gets_the_same_verdict(
    rb: Rulebook, validator: Any, place: tuple[PlanKey[Any], str], value: str
) -> None:
    """Any value of any kind, in any key the declaration lists: the schema accepts the plan
    exactly when the reader reads it, but for what the declaration lists as beyond a schema."""
    data = placed(*place, json.loads(value))
    schema_ok, reader_ok, error = verdicts(rb, validator, data)
    if schema_ok and not reader_ok and any(part in error for part in BEYOND_A_SCHEMA):
        return
    assert schema_ok == reader_ok, (data, error)


# ---------------------------------------------------------------------------
# The examples and every plan text of the other test modules
# ---------------------------------------------------------------------------

#: Errors a JSON Schema cannot see, as the one list of them says (the schema's description repeats it).
BEYOND_A_SCHEMA = tuple(part for beyond in BEYOND_SCHEMA for part in beyond.says)


def _plan_texts() -> list[tuple[str, str]]:
    """Every TOML plan of the examples, and every plan text the other test modules
    parametrize their tests with or keep as constants."""
    import importlib
    import sys

    out = [(p.name, p.read_text("utf-8")) for p in sorted((ROOT / "examples").glob("*.toml"))]
    sys.path.insert(0, str(ROOT / "tests"))
    try:
        for name in ("test_plans", "test_reader", "test_cli_check", "test_phases"):
            module = importlib.import_module(name)
            found: list[str] = []
            for obj in vars(module).values():
                found += _texts_in(obj)
                for mark in getattr(obj, "pytestmark", []):
                    if mark.name == "parametrize":
                        found += _texts_in(mark.args[1])
            out += [(name, text) for text in dict.fromkeys(found)]
    finally:
        sys.path.remove(str(ROOT / "tests"))
    return out


def _texts_in(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if value.startswith(("menu =", "[[phase]]", "title =")) and "start" in value else []
    if isinstance(value, list | tuple):
        return [t for v in value for t in _texts_in(v)]
    return []


@pytest.mark.parametrize(("where", "text"), _plan_texts(), ids=lambda v: v if len(v) < 30 else None)
def test_examples_and_fixtures_get_the_same_verdict(rb: Rulebook, validator: Any, where: str, text: str) -> None:
    try:
        data = tomllib.loads(text)
    except ValueError:  # not TOML on its own, or an integer Python will not convert
        pytest.skip("not readable as TOML by itself")
    reader_ok, error = readable(rb, text, json_format=False)
    try:
        schema_ok = not list(validator.iter_errors(jsonable(data)))
    except OverflowError:  # jsonschema cannot divide an integer of thousands of digits (multipleOf)
        assert not reader_ok and "digits" in error
        return
    if schema_ok != reader_ok and not reader_ok and any(part in error for part in BEYOND_A_SCHEMA):
        pytest.skip(f"beyond a schema: {error}")  # only where the two disagree
    assert schema_ok == reader_ok, (where, text, error)


@pytest.mark.parametrize(
    ("company", "ok"),
    [
        ({"collateral_kind": "guarantee", "guarantee_fee": "1%"}, True),
        ({"collateral_kind": "guarantee"}, True),
        ({"guarantee_fee": "0%"}, True),
        ({"guarantee_fee": 0}, True),
        ({"collateral_kind": "deposit", "guarantee_fee": "0.0"}, True),
        ({"guarantee_fee": "1%"}, False),
        ({"collateral_kind": "deposit", "guarantee_fee": 0.01}, False),
        ({"flows": {}}, False),
        ({"flows": {"2026": {}}}, False),
        ({"flows": {"2026": {"operating": 1, "revenue": 1}}}, False),
        ({"cash": -1}, False),
        ({"min_cash": "3000万", "coverage": "1.2倍", "name": "株式会社サンプル"}, True),
    ],
)
@pytest.mark.parametrize("phased", [False, True])
def test_company_tables_get_the_same_verdict(
    rb: Rulebook, validator: Any, company: dict[str, Any], ok: bool, phased: bool
) -> None:
    """A guarantee fee needs a guarantee (a deposit pays none), said by the schema too; the
    projections hold at least one year, each with its operating cash flow."""
    table = {"cash": "2億", "flows": {"2026": {"operating": "-1億", "financing": "5億"}}} | company
    data = plan("stage2") | {"company": table}
    if phased:
        data = {"company": table, "phase": [{"menu": "stage1", "start": "2026-10-01", "months": 12}]}
    schema_ok, reader_ok, error = verdicts(rb, validator, data)
    assert (schema_ok, reader_ok) == (ok, ok), error
