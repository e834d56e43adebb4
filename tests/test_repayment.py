"""実装支援 (返済型) repayment: generated schedules, custom schedules, CSV, present value,
scenarios (SPEC §5).

Hand-worked values carry their arithmetic in a comment. The property tests recompute
due dates with a month walk written here (not ``add_months``) and present values with
``Decimal`` powers or exact ``Fraction`` arithmetic (not the package's ln/exp path).
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from astep_calc.jisso import advances
from astep_calc.payments_file import parse_payments_csv
from astep_calc.repayment import (
    FREQUENCIES,
    Schedule,
    Terms,
    custom_schedule,
    grade_label,
    installments,
    installments_asked,
    owed,
    parse_every,
    present_value,
    scenarios,
    schedule,
    terms_from,
)
from astep_calc.rulebook import Rulebook
from astep_calc.text import InputError, Text

E = date(2028, 3, 31)  # the development end of the hand-worked cases
P = 123_456_789


def dues(s: Schedule) -> list[date]:
    return [p.due for p in s.payments]


def amounts(s: Schedule) -> list[int]:
    return [p.amount for p in s.payments]


def rules_of(s: Schedule) -> list[str]:
    return sorted(v.rule for v in s.violations)


# --------------------------------------------------------------------------- hand-worked schedules


def test_three_year_deferral_yearly(rb: Rulebook) -> None:
    # N = (T − D) / p = (120 − 36) / 12 = 7.
    # base = floor(123,456,789 / 7) = 17,636,684 (7 × 17,636,684 = 123,456,788), remainder 1 → first.
    # due k = E + (36 + 12k) months: k = 1 → +48 → 2032-03-31 … k = 7 → +120 → 2038-03-31.
    s = schedule(rb, P, E, Terms(deferral_months=36))
    assert s.owed == P
    assert amounts(s) == [17_636_685] + [17_636_684] * 6
    assert dues(s) == [date(y, 3, 31) for y in range(2032, 2039)]
    # balances: 123,456,789 − 17,636,685 = 105,820,104, then − 17,636,684 each time
    assert [p.balance for p in s.payments] == [
        105_820_104,
        88_183_420,
        70_546_736,
        52_910_052,
        35_273_368,
        17_636_684,
        0,
    ]
    assert s.payments[0].cumulative == 17_636_685
    assert [p.no for p in s.payments] == [1, 2, 3, 4, 5, 6, 7]
    assert s.total == P
    assert s.violations == ()  # D = 36 and T = 120 are exactly at the limits


def test_remainder_last(rb: Rulebook) -> None:
    # Same split as above, the 1-yen remainder on the last installment.
    s = schedule(rb, P, E, Terms(deferral_months=36, remainder="last"))
    assert amounts(s) == [17_636_684] * 6 + [17_636_685]
    assert s.payments[-2].balance == 17_636_685


def test_unit_1000(rb: Rulebook) -> None:
    # base = floor(123,456,789 / (7 × 1,000)) × 1,000 = floor(17,636.684…) × 1,000 = 17,636,000;
    # 7 × 17,636,000 = 123,452,000; remainder 4,789 → first: 17,640,789.
    s = schedule(rb, P, E, Terms(deferral_months=36, unit=1000))
    assert amounts(s) == [17_640_789] + [17_636_000] * 6
    s_last = schedule(rb, P, E, Terms(deferral_months=36, unit=1000, remainder="last"))
    assert amounts(s_last) == [17_636_000] * 6 + [17_640_789]


def test_unit_10000(rb: Rulebook) -> None:
    # floor(123,456,789 / 70,000) = 1,763 → base 17,630,000; 7 × base = 123,410,000; remainder 46,789.
    s = schedule(rb, P, E, Terms(deferral_months=36, unit=10_000))
    assert amounts(s) == [17_676_789] + [17_630_000] * 6


def test_every_half(rb: Rulebook) -> None:
    # N = 120 / 6 = 20; floor(123,456,789 / 20) = 6,172,839 (× 20 = 123,456,780), remainder 9.
    # due k = E + 6k months, month-end kept: 2028-09-30, 2029-03-31, …, 2038-03-31.
    s = schedule(rb, P, E, Terms(every_months=6))
    assert amounts(s) == [6_172_848] + [6_172_839] * 19
    assert dues(s)[:3] == [date(2028, 9, 30), date(2029, 3, 31), date(2029, 9, 30)]
    assert dues(s)[-1] == date(2038, 3, 31)


def test_every_quarter(rb: Rulebook) -> None:
    # N = 120 / 3 = 40; floor(123,456,789 / 40) = 3,086,419 (× 40 = 123,456,760), remainder 29.
    s = schedule(rb, P, E, Terms(every_months=3))
    assert len(s.payments) == 40
    assert amounts(s) == [3_086_448] + [3_086_419] * 39
    assert dues(s)[:4] == [date(2028, 6, 30), date(2028, 9, 30), date(2028, 12, 31), date(2029, 3, 31)]
    assert dues(s)[-1] == date(2038, 3, 31)


def test_every_month(rb: Rulebook) -> None:
    # N = 120; floor(123,456,789 / 120) = 1,028,806 (× 120 = 123,456,720), remainder 69.
    # Month ends: k = 1 → 2028-04-30, k = 11 → 2029-02-28, k = 47 → 2032-02-29 (leap year).
    s = schedule(rb, P, E, Terms(every_months=1))
    assert len(s.payments) == 120
    assert amounts(s) == [1_028_875] + [1_028_806] * 119
    d = dues(s)
    assert d[0] == date(2028, 4, 30)
    assert d[1] == date(2028, 5, 31)
    assert d[10] == date(2029, 2, 28)
    assert d[46] == date(2032, 2, 29)
    assert d[-1] == date(2038, 3, 31)


def test_eighteen_month_deferral_half_yearly(rb: Rulebook) -> None:
    # N = (120 − 18) / 6 = 17; first due E + 24 = 2030-03-31, last E + 120.
    # floor(123,456,789 / 17) = 7,262,164 (× 17 = 123,456,788), remainder 1.
    s = schedule(rb, P, E, Terms(deferral_months=18, every_months=6))
    assert len(s.payments) == 17
    assert amounts(s) == [7_262_165] + [7_262_164] * 16
    assert s.first_due == date(2030, 3, 31)
    assert s.last_due == date(2038, 3, 31)


def test_shorter_term(rb: Rulebook) -> None:
    # T = 60, D = 12, yearly: N = 4, dues E + 24, 36, 48, 60; 100,000,000 / 4 = 25,000,000.
    s = schedule(rb, 100_000_000, E, Terms(deferral_months=12, term_months=60))
    assert amounts(s) == [25_000_000] * 4
    assert dues(s) == [date(2030, 3, 31), date(2031, 3, 31), date(2032, 3, 31), date(2033, 3, 31)]


def test_month_end_rule_from_february_29(rb: Rulebook) -> None:
    # E = 2028-02-29 is a month end, so every due date is a month end: Feb 28 in common
    # years, Feb 29 in 2032 and 2036.
    s = schedule(rb, 10_000_000, date(2028, 2, 29), Terms())
    assert dues(s) == [
        date(2029, 2, 28),
        date(2030, 2, 28),
        date(2031, 2, 28),
        date(2032, 2, 29),
        date(2033, 2, 28),
        date(2034, 2, 28),
        date(2035, 2, 28),
        date(2036, 2, 29),
        date(2037, 2, 28),
        date(2038, 2, 28),
    ]


def test_day_30_is_clamped_not_drifted(rb: Rulebook) -> None:
    # E = 2028-01-30 is not a month end: the day stays 30 where it exists, clamps to the
    # end of February, and comes back to 30 in March (computed from E, never chained).
    s = schedule(rb, 3_000_000, date(2028, 1, 30), Terms(every_months=1, term_months=3))
    assert dues(s) == [date(2028, 2, 29), date(2028, 3, 30), date(2028, 4, 30)]
    assert amounts(s) == [1_000_000] * 3


def test_lump_default_due(rb: Rulebook) -> None:
    # --lump: one payment of P on add_months(E, D + p) = E + 12 = 2029-03-31.
    s = schedule(rb, 100_000_000, E, Terms(lump=True))
    assert [(p.due, p.amount, p.balance) for p in s.payments] == [(date(2029, 3, 31), 100_000_000, 0)]
    assert s.violations == ()


@pytest.mark.parametrize("every", [12, 6, 3, 1])
def test_lump_after_deferral_whatever_the_frequency(rb: Rulebook, every: int) -> None:
    # A lump sum falls due add_months(E, D + 12) whatever --every says (rulebook
    # lump_due_months = 12): D = 36 → E + 48 = 2032-03-31; D = 0 → E + 12 = 2029-03-31.
    assert dues(schedule(rb, 100_000_000, E, Terms(lump=True, deferral_months=36, every_months=every))) == [
        date(2032, 3, 31)
    ]
    assert dues(schedule(rb, 100_000_000, E, Terms(lump=True, every_months=every))) == [date(2029, 3, 31)]


def test_lump_ignores_unit_and_remainder(rb: Rulebook) -> None:
    s = schedule(rb, 123_456_789, E, Terms(lump=True, unit=1000, remainder="last"))
    assert amounts(s) == [123_456_789]


@pytest.mark.parametrize(
    ("terms", "due", "expected_rules"),
    [
        # anywhere in (E, E + T] is fine
        (Terms(lump=True), date(2030, 6, 15), []),
        (Terms(lump=True), date(2028, 4, 1), []),  # the day after E
        (Terms(lump=True), date(2032, 3, 31), []),  # E + 48 months exactly: the latest first payment
        # one first-payment rule for every layout: after E + 48 months → repay.deferral
        (Terms(lump=True), date(2032, 4, 1), ["repay.deferral"]),
        (Terms(lump=True), date(2038, 3, 31), ["repay.deferral"]),  # E + 120 months: within the term
        # on E is not after E → repay.window; after E + 120 → repay.term
        (Terms(lump=True), date(2028, 3, 31), ["repay.window"]),
        (Terms(lump=True), date(2027, 1, 1), ["repay.window"]),
        (Terms(lump=True), date(2038, 4, 1), ["repay.deferral", "repay.term"]),
        # inside a 3-year deferral (on or before E + 36 = 2031-03-31) → repay.window
        (Terms(lump=True, deferral_months=36), date(2031, 3, 31), ["repay.window"]),
        (Terms(lump=True, deferral_months=36), date(2031, 4, 1), []),
        # a 5-year term ends E + 60 = 2033-03-31; a due date up to it stays within the term
        (Terms(lump=True, term_months=60), date(2032, 3, 31), []),
        (Terms(lump=True, term_months=60), date(2033, 3, 31), ["repay.deferral"]),
        # grade C: one payment, --due anywhere in (E, E + 120]
        (Terms(grade="C"), date(2029, 9, 30), []),
        (Terms(grade="C"), date(2028, 3, 31), ["repay.window"]),
        (Terms(grade="C"), date(2032, 4, 1), ["repay.deferral"]),
        (Terms(grade="C"), date(2038, 4, 1), ["repay.deferral", "repay.term"]),
    ],
)
def test_due_moves_a_lump_or_grade_c_payment(rb: Rulebook, terms: Terms, due: date, expected_rules: list[str]) -> None:
    t = Terms(
        grade=terms.grade,
        deferral_months=terms.deferral_months,
        term_months=terms.term_months,
        lump=terms.lump,
        due=due,
    )
    s = schedule(rb, 100_000_000, E, t)
    assert dues(s) == [due]
    assert rules_of(s) == expected_rules
    assert s.total == s.owed


def test_grade_c_repays_ten_percent_floored_in_one_payment(rb: Rulebook) -> None:
    # floor(123,456,789 × 10%) = floor(12,345,678.9) = 12,345,678, one payment on
    # add_months(E, 12) = 2029-03-31.
    s = schedule(rb, P, E, Terms(grade="C"))
    assert s.owed == 12_345_678
    assert [(p.due, p.amount, p.balance) for p in s.payments] == [(date(2029, 3, 31), 12_345_678, 0)]
    assert s.violations == ()
    # whatever the frequency: add_months(E, 12) = 2029-03-31 under every --every
    for every in (12, 6, 3, 1):
        assert dues(schedule(rb, P, E, Terms(grade="C", every_months=every))) == [date(2029, 3, 31)]


def test_grade_c_ignores_installment_layout(rb: Rulebook) -> None:
    # Grade C is lump-only: --unit and --remainder make no difference.
    s = schedule(rb, P, E, Terms(grade="C", unit=1000, remainder="last"))
    assert amounts(s) == [12_345_678]


@pytest.mark.parametrize("grade", ["S", "A", "B", "a"])
def test_full_repayment_grades(rb: Rulebook, grade: str) -> None:
    # Full repayment over 10 yearly payments: floor(123,456,789 / 10) = 12,345,678
    # (× 10 = 123,456,780), remainder 9 → first 12,345,687.
    s = schedule(rb, P, E, Terms(grade=grade))
    assert s.owed == P
    assert amounts(s) == [12_345_687] + [12_345_678] * 9
    assert dues(s)[0] == date(2029, 3, 31)


def test_grade_labels(rb: Rulebook) -> None:
    g = rb.jisso.repayment.grade
    assert grade_label(g("A")).ja == "事後評価 S/A/B"
    assert grade_label(g("C")).ja == "事後評価 C"
    assert grade_label(g("C")).en == "grade C"
    # 開発中止 is a status, not an evaluation grade
    assert grade_label(g("discontinued")).ja == "開発中止の場合"


def test_default_grade_is_a(rb: Rulebook) -> None:
    assert schedule(rb, P, E).grade.id == "A"


def test_installments_helper() -> None:
    # 1,000,000 over 3 in 1,000s: base floor(1,000,000 / 3,000) × 1,000 = 333,000; remainder 1,000.
    assert installments(1_000_000, 3, unit=1000) == [334_000, 333_000, 333_000]
    assert installments(1_000_000, 3, unit=1000, remainder="last") == [333_000, 333_000, 334_000]
    # 10 over 10: base 1, no remainder; 10,000 over 10 in 1,000s: base 1,000.
    assert installments(10, 10) == [1] * 10
    assert installments(10_000, 10, unit=1000) == [1000] * 10


def test_parse_every() -> None:
    assert [parse_every(x) for x in ("year", "half", "quarter", "month", " Year ")] == [12, 6, 3, 1, 12]
    with pytest.raises(InputError, match="weekly"):
        parse_every("weekly")


# --------------------------------------------------------------------------- rule breaks still compute


def test_deferral_over_36_months(rb: Rulebook) -> None:
    # D = 48, T = 120: N = 72 / 12 = 6; first due E + 60 = 2033-03-31; 120,000,000 / 6 = 20,000,000.
    s = schedule(rb, 120_000_000, E, Terms(deferral_months=48))
    assert rules_of(s) == ["repay.deferral"]
    assert amounts(s) == [20_000_000] * 6
    assert s.first_due == date(2033, 3, 31)
    assert s.last_due == date(2038, 3, 31)


def test_term_over_120_months(rb: Rulebook) -> None:
    # T = 132: N = 11, last due E + 132 = 2039-03-31; 110,000,000 / 11 = 10,000,000.
    s = schedule(rb, 110_000_000, E, Terms(term_months=132))
    assert rules_of(s) == ["repay.term"]
    assert amounts(s) == [10_000_000] * 11
    assert s.last_due == date(2039, 3, 31)


def test_amount_over_cap(rb: Rulebook) -> None:
    # 600,000,000 over 10 years: 60,000,000 a year.
    s = schedule(rb, 600_000_000, E, Terms())
    assert rules_of(s) == ["amount.max"]
    assert amounts(s) == [60_000_000] * 10


def test_all_three_breaks_at_once(rb: Rulebook) -> None:
    # D = 48, T = 132: N = 84 / 12 = 7; floor(600,000,000 / 7) = 85,714,285 (× 7 = 599,999,995), remainder 5.
    s = schedule(rb, 600_000_000, E, Terms(deferral_months=48, term_months=132))
    assert rules_of(s) == ["amount.max", "repay.deferral", "repay.term"]
    assert amounts(s) == [85_714_290] + [85_714_285] * 6
    msgs = {v.rule: v for v in s.violations}
    assert "48 months" in msgs["repay.deferral"].message("en")
    assert "48か月" in msgs["repay.deferral"].message("ja")
    assert "132 months" in msgs["repay.term"].message("en")


# --------------------------------------------------------------------------- impossible inputs


@pytest.mark.parametrize(
    ("amount", "given", "match", "field"),
    [
        # grade C takes no deferral
        (P, {"grade": "C", "deferral_months": 12}, "deferral", "deferral"),
        # T − D = 120 − 18 = 102 months is not a multiple of 12
        (P, {"deferral_months": 18}, "102", "deferral"),  # the deferral given breaks the default term
        # T − D = 126 − 0 = 126 months is not a multiple of 12 either (126 = 10 × 12 + 6)
        (P, {"term_months": 126}, "126", "term"),
        # 5 yen over 10 yearly payments: floor(5 / 10) = 0; the unit is already 1 yen, so the amount is wrong
        (5, {}, "too small", "amount"),
        # 9,999 yen over 10 payments in 1,000s: floor(9,999 / 10,000) = 0
        (9_999, {"unit": 1000}, "too small", "unit"),
        # deferral ≥ term
        (P, {"deferral_months": 120}, "120 months", "deferral"),
        (P, {"deferral_months": 48, "term_months": 36}, "48 months", "deferral"),
        # a due date without a lump sum for grade A
        (P, {"due": date(2030, 1, 1)}, "lump", "due"),
        # bad remainder, bad frequency, bad unit, zero term, negative deferral: rejected when Terms is built
        (P, {"remainder": "middle"}, "'middle'", "remainder"),
        (P, {"every_months": 2}, "2 months", "every"),
        (P, {"unit": 0}, "0 yen", "unit"),
        (P, {"unit": True}, "True", "unit"),
        (P, {"term_months": 0}, "0 months", "term"),
        (P, {"deferral_months": -12}, "-12 months", "deferral"),
        # nothing to repay: 0 yen, or grade C on 9 yen (floor(0.9) = 0)
        (0, {}, "more than 0", "amount"),
        (9, {"grade": "C"}, "0 yen", "amount"),
        # unknown grade
        (P, {"grade": "D"}, "'D'", "grade"),
    ],
)
def test_impossible_inputs_raise_naming_the_field(
    rb: Rulebook, amount: int, given: dict[str, Any], match: str, field: str
) -> None:
    with pytest.raises(InputError, match=match) as info:
        schedule(rb, amount, E, Terms(**given))
    assert info.value.field == field
    # the core never names a command-line option
    assert "--" not in info.value.message("en") and "--" not in info.value.message("ja")
    # every input error has a Japanese message too, different from the English one
    assert info.value.message("ja") != info.value.message("en")


def test_amount_just_large_enough(rb: Rulebook) -> None:
    # The boundaries of the two "too small" cases: 10 over 10 → 1 each; 10,000 in 1,000s → 1,000 each.
    assert amounts(schedule(rb, 10, E, Terms())) == [1] * 10
    assert amounts(schedule(rb, 10_000, E, Terms(unit=1000))) == [1000] * 10
    # grade C on 10 yen owes exactly 1
    assert amounts(schedule(rb, 10, E, Terms(grade="C"))) == [1]


# --------------------------------------------------------------------------- custom schedules


def test_custom_schedule_within_the_rules(rb: Rulebook) -> None:
    # First payment exactly E + 48 = 2032-03-31, last exactly E + 120 = 2038-03-31: both allowed.
    rows = [(date(2032, 3, 31), 50_000_000), (date(2038, 3, 31), 50_000_000)]
    s = custom_schedule(rb, 100_000_000, E, rows)
    assert s.violations == ()
    assert s.terms is None
    assert [(p.no, p.due, p.amount, p.cumulative, p.balance) for p in s.payments] == [
        (1, date(2032, 3, 31), 50_000_000, 50_000_000, 50_000_000),
        (2, date(2038, 3, 31), 50_000_000, 100_000_000, 0),
    ]


def test_custom_schedule_is_sorted_by_date(rb: Rulebook) -> None:
    rows = [(date(2033, 3, 31), 30_000_000), (date(2032, 3, 31), 70_000_000)]
    s = custom_schedule(rb, 100_000_000, E, rows)
    assert [(p.due, p.balance) for p in s.payments] == [(date(2032, 3, 31), 30_000_000), (date(2033, 3, 31), 0)]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # sums to 99,999,999, one yen short of the 100,000,000 owed
        ([(date(2030, 3, 31), 49_999_999), (date(2031, 3, 31), 50_000_000)], ["repay.total"]),
        # one yen over
        ([(date(2030, 3, 31), 100_000_001)], ["repay.total"]),
        # a payment on E (not after it)
        ([(E, 50_000_000), (date(2031, 3, 31), 50_000_000)], ["repay.window"]),
        # a payment the day after E + 120 months (2038-03-31)
        ([(date(2030, 3, 31), 50_000_000), (date(2038, 4, 1), 50_000_000)], ["repay.term"]),
        # the first payment the day after E + 48 months (2032-03-31)
        ([(date(2032, 4, 1), 100_000_000)], ["repay.deferral"]),
        # several at once
        ([(date(2027, 3, 31), 1), (date(2039, 3, 31), 2)], ["repay.term", "repay.total", "repay.window"]),
    ],
)
def test_custom_schedule_violations(rb: Rulebook, rows: list[tuple[date, int]], expected: list[str]) -> None:
    s = custom_schedule(rb, 100_000_000, E, rows)
    assert rules_of(s) == expected
    # still computed: every row is there, balances against the amount owed
    assert len(s.payments) == len(rows)
    assert s.payments[-1].balance == 100_000_000 - sum(a for _, a in rows)


def test_custom_schedule_total_message_shows_the_difference(rb: Rulebook) -> None:
    s = custom_schedule(rb, 100_000_000, E, [(date(2030, 3, 31), 99_999_999)])
    (v,) = s.violations
    assert v.message("en") == "the payments sum to 99,999,999 yen, 1 yen short of the 100,000,000 yen owed"
    assert v.message("ja") == "各回返済額の合計99,999,999円は、返済すべき額100,000,000円に1円不足しています"
    (over,) = custom_schedule(rb, 100_000_000, E, [(date(2030, 3, 31), 100_000_002)]).violations
    assert over.message("ja") == "各回返済額の合計100,000,002円は、返済すべき額100,000,000円に比べて2円多すぎます"


def test_custom_schedule_for_grade_c(rb: Rulebook) -> None:
    # grade C owes floor(123,456,789 × 10%) = 12,345,678
    ok = custom_schedule(rb, P, E, [(date(2029, 3, 31), 12_345_678)], grade="C")
    assert ok.owed == 12_345_678 and ok.violations == ()
    bad = custom_schedule(rb, P, E, [(date(2029, 3, 31), P)], grade="C")
    assert rules_of(bad) == ["repay.total"]


def test_custom_schedule_over_cap(rb: Rulebook) -> None:
    s = custom_schedule(rb, 600_000_000, E, [(date(2030, 3, 31), 600_000_000)])
    assert rules_of(s) == ["amount.max"]


def test_custom_schedule_empty_or_zero_amount(rb: Rulebook) -> None:
    with pytest.raises(InputError, match="empty"):
        custom_schedule(rb, 100, E, [])
    with pytest.raises(InputError, match="more than 0"):
        custom_schedule(rb, 0, E, [(date(2030, 3, 31), 0)])


# --------------------------------------------------------------------------- CSV


def test_parse_csv_with_header_money_syntax_blank_lines_and_comments() -> None:
    # "5000万" = 50,000,000; "50,000,000" has commas inside, so in CSV it is quoted.
    text = 'due,amount\n\n# first the big one\n2032-03-31,5000万\n2033-03-31,"50,000,000"\n 2034-03-31 , 1億 \n'
    assert parse_payments_csv(text) == [
        (date(2032, 3, 31), 50_000_000),
        (date(2033, 3, 31), 50_000_000),
        (date(2034, 3, 31), 100_000_000),
    ]


def test_parse_csv_header_after_comments_and_blank_lines() -> None:
    # The header is optional and may follow comments or blank lines (it used to be
    # recognised only on line 1, so "# plan\ndue,amount" failed with "'due' is not a date").
    text = "# repayment plan, board version 3\n\nDue,Amount\n2032-03-31,1億\n"
    assert parse_payments_csv(text) == [(date(2032, 3, 31), 100_000_000)]
    # but a header after a payment row is a bad row, reported on its line
    with pytest.raises(InputError, match="line 2"):
        parse_payments_csv("2032-03-31,1億\ndue,amount\n", "plan.csv")


def test_parse_csv_without_header() -> None:
    assert parse_payments_csv("2032-03-31,1億\n") == [(date(2032, 3, 31), 100_000_000)]


@pytest.mark.parametrize(
    ("text", "line", "what"),
    [
        ("due,amount\n2032-03-31,5000万,3\n", 2, "2 columns"),  # three columns
        ("due,amount\n2032-03-31\n", 2, "2 columns"),  # one column
        ("2032-03-31,1億\n2032-02-30,1億\n", 2, "2032-02-30"),  # no such day
        ("due,amount\n\n# note\n31/03/2032,1億\n", 4, "31/03/2032"),  # day first: no form; blank + comment counted
        ("due,amount\n2032-03-31,abc\n", 2, "abc"),  # not an amount
        ("due,amount\n2032-03-31,-5\n", 2, "-5"),  # negative
        ("due,amount\n2032-03-31,1.5\n", 2, "1.5"),  # fractional yen
    ],
)
def test_parse_csv_errors_name_the_line(text: str, line: int, what: str) -> None:
    with pytest.raises(InputError) as info:
        parse_payments_csv(text, "plan.csv")
    en, ja = info.value.message("en"), info.value.message("ja")
    assert f"plan.csv line {line}:" in en
    assert what in en
    assert f"plan.csv {line}行目" in ja


@pytest.mark.parametrize("text", ["", "\n\n", "due,amount\n", "# only a comment\n"])
def test_parse_csv_empty(text: str) -> None:
    with pytest.raises(InputError, match="no payments"):
        parse_payments_csv(text, "plan.csv")


# --------------------------------------------------------------------------- present value


def test_present_value_lump_one_year_at_5_percent(rb: Rulebook) -> None:
    # Due 2029-03-31, 365 days after E = 2028-03-31 (the leap day 2028-02-29 is before E).
    # PV = 100,000,000 / 1.05 = 95,238,095.238… → 95,238,095;
    # grant equivalent = 100,000,000 − 95,238,095.238… = 4,761,904.76… → 4,761,905.
    s = schedule(rb, 100_000_000, E, Terms(lump=True))
    assert (s.payments[0].due - E).days == 365
    pv = present_value(s, Fraction(5, 100))
    assert (pv.total, pv.grant_equivalent) == (95_238_095, 4_761_905)
    assert abs(pv.each[0] - Decimal("95238095.238095238095238095")) < Decimal("1e-15")


def test_present_value_whole_years_exactly(rb: Rulebook) -> None:
    # E = 2028-03-01, 3 yearly payments of 100,000,000 due 2029-03-01, 2030-03-01, 2031-03-01:
    # 365, 730 and 1,095 days (no Feb 29 in between), so the exponents are exactly 1, 2, 3 and
    # Fractions give the exact value:
    # 1e8 × (1/1.05 + 1/1.05² + 1/1.05³) = 1e8 × (0.952380952 + 0.907029478 + 0.863837599)
    #                                   = 272,324,802.937… → 272,324,803
    # grant = 300,000,000 − 272,324,802.937… = 27,675,197.06… → 27,675,197
    e = date(2028, 3, 1)
    s = schedule(rb, 300_000_000, e, Terms(term_months=36))
    assert [(p.due - e).days for p in s.payments] == [365, 730, 1095]
    r = Fraction(105, 100)
    exact = sum((Fraction(p.amount) / r ** ((p.due - e).days // 365) for p in s.payments), Fraction(0))
    assert round(exact) == 272_324_803
    assert round(300_000_000 - exact) == 27_675_197
    pv = present_value(s, Fraction(5, 100))
    assert (pv.total, pv.grant_equivalent) == (272_324_803, 27_675_197)


def _pv_by_decimal_power(s: Schedule, rate: Fraction) -> tuple[int, int, list[Decimal]]:
    """Independent PV: Decimal's ** with a fractional exponent at 60 digits (not ln/exp)."""
    with localcontext() as ctx:
        ctx.prec = 60
        growth = 1 + Decimal(rate.numerator) / Decimal(rate.denominator)
        each = [Decimal(p.amount) / growth ** (Decimal((p.due - s.dev_end).days) / 365) for p in s.payments]
        total = sum(each, Decimal(0))
        pv = int(total.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))
        grant = int((Decimal(s.amount) - total).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))
    return pv, grant, each


def _root(x: Decimal, n: int) -> Decimal:
    """x^(1/n) for x > 1 by Newton's iteration on g^n = x (no logarithms), in the current context.

    From g = 1 + (x − 1)/n, which is at least the root (Bernoulli), the iterates fall
    monotonically to it; stop when a step no longer lowers g.
    """
    g = 1 + (x - 1) / n
    while True:
        nxt = ((n - 1) * g + x / g ** (n - 1)) / n
        if nxt >= g:
            return g
        g = nxt


def _pv_by_whole_years_and_a_root(s: Schedule, rate: Fraction) -> tuple[int, int, list[Decimal]]:
    """Independent PV: days = 365q + r, so (1 + rate)^(days/365) = (1 + rate)^q × ρ^r with
    ρ = (1 + rate)^(1/365) found by Newton's iteration; integer powers only, at 60 digits."""
    with localcontext() as ctx:
        ctx.prec = 60
        growth = 1 + Decimal(rate.numerator) / Decimal(rate.denominator)
        rho = _root(growth, 365)
        each = []
        for p in s.payments:
            q, r = divmod((p.due - s.dev_end).days, 365)
            each.append(Decimal(p.amount) / (growth**q * rho**r))
        total = sum(each, Decimal(0))
        pv = int(total.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))
        grant = int((Decimal(s.amount) - total).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))
    return pv, grant, each


def test_present_value_across_leap_years(rb: Rulebook) -> None:
    # The hand schedule at 3%. Days from E = 2028-03-31 are not multiples of 365 (the leap
    # days 2032-02-29 and 2036-02-29 are in between), so split each into whole years and a rest:
    #   no  due         amount      days = 365q + r     PV = a / (1.03^q × ρ^r)
    #   1   2032-03-31  17,636,685  1461 = 4 × 365 + 1  15,668,697.241…
    #   2   2033-03-31  17,636,684  1826 = 5 × 365 + 1  15,212,326.556…
    #   3   2034-03-31  17,636,684  2191 = 6 × 365 + 1  14,769,249.083…
    #   4   2035-03-31  17,636,684  2556 = 7 × 365 + 1  14,339,076.780…
    #   5   2036-03-31  17,636,684  2922 = 8 × 365 + 2  13,920,306.413…
    #   6   2037-03-31  17,636,684  3287 = 9 × 365 + 2  13,514,860.595…
    #   7   2038-03-31  17,636,684  3652 = 10 × 365 + 2 13,121,223.879…
    # with ρ = 1.03^(1/365) = 1.0000809862990531…; Σ = 100,545,740.546… → 100,545,741 (half-even),
    # grant equivalent = 123,456,789 − 100,545,740.546… = 22,911,048.453… → 22,911,048.
    s = schedule(rb, P, E, Terms(deferral_months=36))
    assert [(p.due - E).days for p in s.payments] == [1461, 1826, 2191, 2556, 2922, 3287, 3652]
    want_pv, want_grant, each = _pv_by_whole_years_and_a_root(s, Fraction(3, 100))
    assert (want_pv, want_grant) == (100_545_741, 22_911_048)  # the table above
    assert [round(x, 3) for x in each] == [
        Decimal("15668697.241"),
        Decimal("15212326.556"),
        Decimal("14769249.083"),
        Decimal("14339076.780"),
        Decimal("13920306.413"),
        Decimal("13514860.595"),
        Decimal("13121223.879"),
    ]
    pv = present_value(s, Fraction(3, 100))
    assert (pv.total, pv.grant_equivalent) == (want_pv, want_grant)
    for mine, theirs in zip(pv.each, each, strict=True):
        assert abs(mine - theirs) < Decimal("1e-20")
    # a second independent route: Decimal's fractional power at 60 digits
    assert _pv_by_decimal_power(s, Fraction(3, 100))[:2] == (want_pv, want_grant)
    # sanity against a float computation, within a yen
    approx = sum(p.amount / 1.03 ** ((p.due - E).days / 365) for p in s.payments)
    assert abs(approx - pv.total) < 1


def test_present_value_grade_c(rb: Rulebook) -> None:
    # 12,345,678 / 1.03 = 11,986,095.145… → 11,986,095;
    # grant = 123,456,789 − 11,986,095.145… = 111,470,693.85… → 111,470,694.
    s = schedule(rb, P, E, Terms(grade="C"))
    pv = present_value(s, Fraction(3, 100))
    assert (pv.total, pv.grant_equivalent) == (11_986_095, 111_470_694)


def test_present_value_at_zero_rate(rb: Rulebook) -> None:
    # Nothing is discounted: PV = what is owed; grant = P − owed.
    a = schedule(rb, P, E, Terms(deferral_months=36))
    assert (present_value(a, Fraction(0)).total, present_value(a, Fraction(0)).grant_equivalent) == (P, 0)
    c = schedule(rb, P, E, Terms(grade="C"))
    # 123,456,789 − 12,345,678 = 111,111,111
    assert present_value(c, Fraction(0)).grant_equivalent == 111_111_111


def test_present_value_rounds_half_even(rb: Rulebook) -> None:
    # At 100% for exactly one year, 5 yen is worth 2.5 → 2 (half-even, not 3), and the grant
    # equivalent 5 − 2.5 = 2.5 → 2; 7 yen → 3.5 → 4 and 7 − 3.5 = 3.5 → 4.
    five = present_value(schedule(rb, 5, E, Terms(lump=True)), Fraction(1))
    assert (five.total, five.grant_equivalent) == (2, 2)
    seven = present_value(schedule(rb, 7, E, Terms(lump=True)), Fraction(1))
    assert (seven.total, seven.grant_equivalent) == (4, 4)


@given(
    amount=st.integers(min_value=1, max_value=10**10),
    dev_end=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
    every=st.sampled_from([12, 6, 3]),
    deferral=st.sampled_from([0, 12, 24, 36]),
    rate=st.fractions(min_value=0, max_value=Fraction(1, 5), max_denominator=1000),
)
@settings(max_examples=60, deadline=None)
def test_present_value_matches_independent_computation(
    rb: Rulebook, amount: int, dev_end: date, every: int, deferral: int, rate: Fraction
) -> None:
    n = (120 - deferral) // every
    if amount < n:
        return  # too small to split: covered by the schedule properties
    s = schedule(rb, amount, dev_end, Terms(deferral_months=deferral, every_months=every))
    pv = present_value(s, rate)
    want_pv, want_grant, _ = _pv_by_decimal_power(s, rate)
    assert (pv.total, pv.grant_equivalent) == (want_pv, want_grant)
    assert pv.total <= amount
    if rate > 0:
        assert pv.grant_equivalent >= 0


# --------------------------------------------------------------------------- scenarios


def test_scenarios_rows(rb: Rulebook) -> None:
    # S/A/B repay 123,456,789 over 7 years after a 3-year deferral; C repays 12,345,678
    # at once on E + 12 (no deferral for C, whatever was asked); discontinued, with no
    # stop date, stops at E having been paid all of P, and repays it at once on E + 12.
    rows = scenarios(rb, P, E, Terms(deferral_months=36))
    assert [(r.label, r.grades, r.schedule.owed, len(r.schedule.payments), r.schedule.first_due) for r in rows] == [
        ("S/A/B", ("S", "A", "B"), P, 7, date(2032, 3, 31)),
        ("C", ("C",), 12_345_678, 1, date(2029, 3, 31)),
        ("discontinued", ("discontinued",), P, 1, date(2029, 3, 31)),
    ]
    assert "No stop date given" in rows[2].schedule.assumptions[0].en
    assert all(r.pv is None for r in rows)


def test_scenarios_with_discount_rate(rb: Rulebook) -> None:
    rows = scenarios(rb, P, E, Terms(deferral_months=36), Fraction(3, 100))
    # S/A/B: the hand schedule, worked out in test_present_value_across_leap_years
    # (recomputed here by the same independent route); C: 12,345,678 / 1.03 = 11,986,095.145… →
    # 11,986,095 and 123,456,789 − 11,986,095.145… = 111,470,693.85… → 111,470,694.
    # Discontinued: 123,456,789 / 1.03 (one year, 2028-03-31 → 2029-03-31 = 365 days)
    # = 119,860,960.19… → 119,860,960; 123,456,789 − 119,860,960.19… = 3,595,828.8… → 3,595,829.
    hand = _pv_by_whole_years_and_a_root(schedule(rb, P, E, Terms(deferral_months=36)), Fraction(3, 100))[:2]
    assert [(r.pv.total, r.pv.grant_equivalent) for r in rows if r.pv] == [
        hand,
        (11_986_095, 111_470_694),
        (119_860_960, 3_595_829),
    ]


def test_scenarios_carry_rule_breaks(rb: Rulebook) -> None:
    # a 4-year deferral breaks repay.deferral for the installment grades only (discontinued
    # keeps its own default: one lump sum 12 months after the stop)
    rows = scenarios(rb, 120_000_000, E, Terms(deferral_months=48))
    assert [rules_of(r.schedule) for r in rows] == [["repay.deferral"], [], []]


@pytest.mark.parametrize("every", [12, 6, 3, 1])
def test_scenarios_grade_c_and_discontinued_ignore_the_frequency(rb: Rulebook, every: int) -> None:
    # E = 2029-09-30: C and discontinued both fall due add_months(E, 12) = 2030-09-30 under
    # every --every; so does their present value (one year of 365 days: 2029-09-30 → 2030-09-30).
    rows = scenarios(rb, 300_000_000, date(2029, 9, 30), Terms(every_months=every), Fraction(1, 20))
    c, stopped = rows[1], rows[2]
    assert dues(c.schedule) == [date(2030, 9, 30)] and dues(stopped.schedule) == [date(2030, 9, 30)]
    assert c.pv is not None and c.pv.total == 28_571_429  # 30,000,000 / 1.05 = 28,571,428.57…
    assert len(rows[0].schedule.payments) == 120 // every


def test_discontinued_repays_a_lump_sum_a_year_after_the_stop(rb: Rulebook) -> None:
    # --grade discontinued: E is the stop date and P what JST paid up to it; one payment of
    # P on add_months(2028-06-30, 12) = 2029-06-30, whatever the default frequency.
    s = schedule(rb, 100_000_000, date(2028, 6, 30), Terms(grade="discontinued"))
    assert [(p.due, p.amount, p.balance) for p in s.payments] == [(date(2029, 6, 30), 100_000_000, 0)]
    assert s.lump and s.violations == ()
    words = " ".join(a.en if isinstance(a, Text) else a.text.en for a in s.assumptions)
    assert "1 year after the stop" in words and "JST decides" in words
    assert "milestone evaluation graded C" in words
    # a due date moves it, as for any lump sum
    assert dues(schedule(rb, 100_000_000, date(2028, 6, 30), Terms(grade="discontinued", due=date(2029, 1, 31)))) == [
        date(2029, 1, 31)
    ]


def test_discontinued_in_installments_only_when_asked(rb: Rulebook) -> None:
    # Asked for half-yearly installments over the default 120 months: 20 payments, with the note.
    s = schedule(rb, 100_000_000, date(2028, 6, 30), Terms(grade="discontinued", every_months=6))
    assert len(s.payments) == 20 and dues(s)[0] == date(2028, 12, 31)
    assert any("JST's decision" in a.en for a in s.assumptions)
    assert installments_asked(Terms(deferral_months=12)) and installments_asked(Terms(unit=1000))
    assert not installments_asked(Terms()) and not installments_asked(Terms(grade="A", due=date(2030, 1, 1)))


def test_scenarios_with_a_stop_date(rb: Rulebook) -> None:
    # 300,000,000 over 2026-10-01..2029-09-30: 12 quarters of 3 months → 25,000,000 each,
    # dated 2026-10-01, 2027-01-01, ..., 2029-07-01. Stopped 2028-06-30: the 7 advances
    # dated up to 2028-04-01 → 175,000,000, repaid on add_months(2028-06-30, 12) = 2029-06-30.
    d = advances(rb, 300_000_000, date(2026, 10, 1), date(2029, 9, 30))
    rows = scenarios(rb, 300_000_000, date(2029, 9, 30), stop=date(2028, 6, 30), disbursement=d)
    stopped = rows[2].schedule
    assert (stopped.amount, stopped.owed, stopped.dev_end) == (175_000_000, 175_000_000, date(2028, 6, 30))
    assert dues(stopped) == [date(2029, 6, 30)]
    assert "2028-06-30" in stopped.assumptions[0].en and "175,000,000" in stopped.assumptions[0].en
    # the grades are unchanged by the stop date
    assert rows[0].schedule.owed == 300_000_000 and dues(rows[1].schedule) == [date(2030, 9, 30)]
    # stopped on the first day: only the first advance (25,000,000)
    first = scenarios(rb, 300_000_000, date(2029, 9, 30), stop=date(2026, 10, 1), disbursement=d)[2]
    assert first.schedule.owed == 25_000_000


def test_scenarios_stop_needs_the_period(rb: Rulebook) -> None:
    with pytest.raises(InputError) as info:
        scenarios(rb, P, E, stop=date(2027, 1, 1))
    assert info.value.field == "stop"
    d = advances(rb, P, date(2026, 10, 1), E)
    with pytest.raises(InputError, match="outside the development period") as info:
        scenarios(rb, P, E, stop=date(2028, 4, 1), disbursement=d)
    assert info.value.field == "stop"


def test_one_first_payment_rule_for_every_layout(rb: Rulebook) -> None:
    # E = 2029-09-30, E + 48 months = 2033-09-30. A single payment on 2039-09-30 (E + 120)
    # gets repay.deferral however it is entered: a lump sum with a due date, a custom list,
    # or grade C with a due date; on 2033-09-30 it is allowed in every form.
    e = date(2029, 9, 30)
    for due, verdict in ((date(2039, 9, 30), ["repay.deferral"]), (date(2033, 9, 30), [])):
        assert rules_of(schedule(rb, 300_000_000, e, Terms(lump=True, due=due))) == verdict
        assert rules_of(custom_schedule(rb, 300_000_000, e, [(due, 300_000_000)])) == verdict
        assert rules_of(schedule(rb, 300_000_000, e, Terms(grade="C", due=due))) == verdict


def test_terms_from_reads_raw_values_and_names_fields() -> None:
    assert terms_from({}) == Terms()
    assert terms_from(
        {
            "grade": "C",
            "deferral": "18m",
            "term": 10,
            "every": "Quarter",
            "lump": True,
            "due": "2030-01-31",
            "remainder": " LAST ",
            "unit": "1千",
        }
    ) == Terms(
        grade="C",
        deferral_months=18,
        term_months=120,
        every_months=3,
        lump=True,
        due=date(2030, 1, 31),
        remainder="last",
        unit=1000,
    )
    assert terms_from({"due": date(2030, 1, 31), "deferral": Decimal("1.5")}).deferral_months == 18
    for raw, field in (
        ({"deferral": "soon"}, "deferral"),
        ({"term": "0y"}, "term"),
        ({"every": "weekly"}, "every"),
        ({"every": 12}, "every"),
        ({"remainder": "middle"}, "remainder"),
        ({"unit": "0"}, "unit"),
        ({"unit": 1.5}, "unit"),
        ({"lump": "yes"}, "lump"),
        ({"due": "2030-02-30"}, "due"),
        ({"grade": 3}, "grade"),
        ({"deferal": "1y"}, "deferal"),
    ):
        with pytest.raises(InputError) as info:
            terms_from(raw)
        assert info.value.field == field, (raw, info.value.field)
        assert "--" not in info.value.message("en")


def test_terms_from_payments_exclude_the_layout() -> None:
    # A payment list gives the whole schedule: any layout field is refused, naming that field.
    assert terms_from({"payments": "p.csv", "grade": "C"}) == Terms(grade="C")
    for name, value in (
        ("deferral", "1y"),
        ("term", "10y"),
        ("every", "year"),
        ("lump", True),
        ("due", date(2030, 1, 1)),
        ("remainder", "last"),
        ("unit", "1000"),
    ):
        with pytest.raises(InputError, match="payment list") as info:
            terms_from({"payments": [], name: value})
        assert info.value.field == name


# --------------------------------------------------------------------------- properties


def _expected_due(e: date, months: int) -> date:
    """E plus ``months`` by a month walk written from SPEC §3: same day clamped, month end kept."""
    y, m = divmod(e.year * 12 + e.month - 1 + months, 12)
    m += 1
    last = calendar.monthrange(y, m)[1]
    e_is_month_end = e.day == calendar.monthrange(e.year, e.month)[1]
    return date(y, m, last if e_is_month_end else min(e.day, last))


_month_ends = st.builds(
    lambda y, m: date(y, m, calendar.monthrange(y, m)[1]),
    st.integers(min_value=2000, max_value=2100),
    st.integers(min_value=1, max_value=12),
)
_dev_ends = st.one_of(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
    _month_ends,
    st.sampled_from([date(2000, 2, 29), date(2028, 2, 29), date(2096, 2, 29), date(2100, 2, 28)]),
)


@st.composite
def _layouts(draw: st.DrawFn) -> tuple[int, int, int]:
    every = draw(st.sampled_from(sorted(FREQUENCIES.values())))
    deferral = draw(st.integers(min_value=0, max_value=48))
    n = draw(st.integers(min_value=1, max_value=max(1, (132 - deferral) // every)))
    return every, deferral, deferral + n * every


@given(
    amount=st.one_of(st.integers(min_value=1, max_value=10**10), st.integers(min_value=1, max_value=2000)),
    dev_end=_dev_ends,
    layout=_layouts(),
    unit=st.sampled_from([1, 1000, 10_000]),
    remainder=st.sampled_from(["first", "last"]),
    grade=st.sampled_from(["S", "A", "B", "discontinued"]),
)
@settings(max_examples=250, deadline=None)
def test_schedule_properties(
    rb: Rulebook, amount: int, dev_end: date, layout: tuple[int, int, int], unit: int, remainder: str, grade: str
) -> None:
    every, deferral, term = layout
    n = (term - deferral) // every
    terms = Terms(
        grade=grade, deferral_months=deferral, term_months=term, every_months=every, remainder=remainder, unit=unit
    )
    if amount < n * unit:
        # floor(P / (N·u)) = 0: no installment of at least one unit is possible
        with pytest.raises(InputError, match="too small"):
            schedule(rb, amount, dev_end, terms)
        return
    s = schedule(rb, amount, dev_end, terms)
    pays = list(s.payments)
    # count = (T − D) / p, the total is exactly what is owed (the whole amount for these grades)
    assert len(pays) == n
    assert s.owed == amount == sum(p.amount for p in pays) == s.total
    # every payment positive; all but the one holding the remainder equal a multiple of u
    assert all(p.amount > 0 for p in pays)
    holder = 0 if remainder == "first" else n - 1
    others = [p.amount for i, p in enumerate(pays) if i != holder]
    base = amount // (n * unit) * unit
    assert all(a == base for a in others)
    assert base % unit == 0
    assert 0 <= pays[holder].amount - base < n * unit
    # due dates: k-th = E + (D + k·p) months by the month walk; strictly increasing; inside
    # (E + D, E + T]; month ends stay month ends
    want = [_expected_due(dev_end, deferral + k * every) for k in range(1, n + 1)]
    assert [p.due for p in pays] == want
    assert all(a < b for a, b in pairwise(want))
    lo, hi = _expected_due(dev_end, deferral), _expected_due(dev_end, term)  # the walk, not add_months
    assert all(lo < d <= hi for d in want)
    if dev_end.day == calendar.monthrange(dev_end.year, dev_end.month)[1]:
        assert all(d + timedelta(days=1) == date(d.year + d.month // 12, d.month % 12 + 1, 1) for d in want)
    # balances fall to 0; cumulative + balance = owed; numbered 1..N
    assert [p.no for p in pays] == list(range(1, n + 1))
    assert all(p.cumulative + p.balance == s.owed for p in pays)
    assert all(a.balance > b.balance for a, b in pairwise(pays))
    assert pays[-1].balance == 0
    # rule breaks are reported, never refused
    expected = (
        (["amount.max"] if amount > 500_000_000 else [])
        + (["repay.deferral"] if deferral > 36 else [])
        + (["repay.term"] if term > 120 else [])
    )
    assert rules_of(s) == expected


@given(amount=st.integers(min_value=1, max_value=10**11), dev_end=_dev_ends, every=st.sampled_from([12, 6, 3, 1]))
@settings(max_examples=150, deadline=None)
def test_grade_c_properties(rb: Rulebook, amount: int, dev_end: date, every: int) -> None:
    terms = Terms(grade="C", every_months=every)
    if amount < 10:
        # floor(P × 10%) = 0: nothing to repay
        with pytest.raises(InputError):
            schedule(rb, amount, dev_end, terms)
        return
    s = schedule(rb, amount, dev_end, terms)
    o = s.owed
    # the largest whole yen o with o ≤ P × 10%: 10·o ≤ P < 10·(o + 1)
    assert o * 10 <= amount < (o + 1) * 10
    assert o == owed(amount, rb.jisso.repayment.grade("C"))
    assert [(p.due, p.amount, p.balance) for p in s.payments] == [
        (_expected_due(dev_end, 12), o, 0)
    ]  # 12 months, whatever `every`


@given(
    amount=st.integers(min_value=100, max_value=10**9),
    dev_end=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
    offsets=st.lists(st.integers(min_value=-400, max_value=4000), min_size=1, max_size=8),
    split=st.integers(min_value=-2, max_value=2),  # amount ≥ 100 keeps every part ≥ 10
)
@settings(max_examples=150, deadline=None)
def test_custom_schedule_properties(rb: Rulebook, amount: int, dev_end: date, offsets: list[int], split: int) -> None:
    # Payments at E + offset days; the amounts sum to P + split.
    k = len(offsets)
    parts = [amount // k] * k
    parts[0] += amount - sum(parts) + split
    rows = [(dev_end + timedelta(days=o), a) for o, a in zip(offsets, parts, strict=True)]
    s = custom_schedule(rb, amount, dev_end, rows)
    first = min(d for d, _ in rows)
    expected = set()
    if split:
        expected.add("repay.total")
    if any(d <= dev_end for d, _ in rows):
        expected.add("repay.window")
    if any(d > _expected_due(dev_end, 120) for d, _ in rows):
        expected.add("repay.term")
    if first > _expected_due(dev_end, 48):
        expected.add("repay.deferral")
    if amount > 500_000_000:
        expected.add("amount.max")
    assert set(rules_of(s)) == expected
    assert [p.due for p in s.payments] == sorted(d for d, _ in rows)
    assert all(p.cumulative + p.balance == amount for p in s.payments)
    assert s.payments[-1].balance == -split


def test_a_due_date_after_the_users_own_term_is_unusable_not_a_rule_break(rb: Rulebook) -> None:
    # A 5-year term ends E + 60 = 2033-03-31. 2033-04-01 breaks no programme rule (the
    # programme allows 120 months) but contradicts the term given: an input error.
    with pytest.raises(InputError, match="2033-04-01"):
        schedule(rb, 123_456_789, E, Terms(lump=True, term_months=60, due=date(2033, 4, 1)))


def test_grade_c_custom_schedule_in_installments_breaks_the_lump_rule(rb: Rulebook) -> None:
    # C repays floor(300,000,000 × 10%) = 30,000,000 一括; two payments of 15,000,000 sum right
    # but are not one lump sum.
    two = [(date(2030, 3, 31), 15_000_000), (date(2031, 3, 31), 15_000_000)]
    assert [v.rule for v in custom_schedule(rb, 300_000_000, date(2029, 3, 31), two, "C").violations] == ["repay.lump"]
    one = [(date(2030, 3, 31), 30_000_000)]
    assert custom_schedule(rb, 300_000_000, date(2029, 3, 31), one, "C").violations == ()


def test_scenarios_apply_a_due_date_to_the_lump_sum_grade_only(rb: Rulebook) -> None:
    # Without --lump a due date moves only C's one payment; S/A/B keep their installments.
    by_label = {s.label: s.schedule for s in scenarios(rb, 123_456_789, E, Terms(due=date(2029, 6, 30)))}
    assert [p.due for p in by_label["C"].payments] == [date(2029, 6, 30)]
    assert len(by_label["S/A/B"].payments) == 10


@pytest.mark.parametrize(
    ("given", "words"),
    [
        ({"unit": Decimal("1.5")}, "a unit of '1.5' is not a whole number"),
        ({"every_months": Fraction(3, 2)}, "a frequency of '3/2' is not a whole number"),
        ({"deferral_months": Decimal("-1")}, "a deferral of '-1' is not a whole number"),
        ({"term_months": Fraction(1, 2)}, "a term of '1/2' is not a whole number"),
        ({"due": Decimal("1")}, "'1' is not a date"),
    ],
)
def test_terms_quote_a_number_as_written(given: dict[str, object], words: str) -> None:
    # The Python API's errors quote the value as its caller wrote it, not Python's repr.
    with pytest.raises(InputError) as info:
        Terms(**given)  # type: ignore[arg-type]
    assert words in info.value.text.en and "Decimal(" not in info.value.text.en
    assert "Fraction(" not in info.value.text.en
