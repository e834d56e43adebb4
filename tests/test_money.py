"""Money (SPEC §2): whole-yen parsing, exact rates, the three rounding directions."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from astep_calc.money import (
    MAX_YEN,
    Rounding,
    apply_rate,
    floor_to_unit,
    format_rate,
    format_yen,
    parse_rate,
    parse_signed_yen,
    parse_yen,
)
from astep_calc.text import InputError

# ---------------------------------------------------------------------------
# parse_yen: every form SPEC §2 lists
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("15000000", 15_000_000),
        ("15,000,000", 15_000_000),
        ("15_000_000", 15_000_000),
        ("¥15,000,000", 15_000_000),
        ("1500万", 1500 * 10_000),  # 15,000,000
        ("1,500万円", 1500 * 10_000),  # 15,000,000
        ("1.5億", 150_000_000),  # 1.5 × 100,000,000
        ("5億円", 5 * 100_000_000),  # 500,000,000: the 実装支援 cap
        ("3億5000万", 3 * 100_000_000 + 5000 * 10_000),  # 300,000,000 + 50,000,000
        ("500千円", 500 * 1000),  # 500,000
        ("750万", 7_500_000),  # the FY2026 stage1 cap in SPEC §7's plan example
        ("5千万", 5 * 10_000_000),  # 50,000,000 (千万 unit)
        ("2百万", 2 * 1_000_000),
        ("0", 0),
        ("0.5万", 5000),  # 0.5 × 10,000 is whole
        ("1,500.5万", 15_005_000),  # 1500.5 × 10,000
        ("¥15,000,000円", 15_000_000),
        ("  1500万  ", 15_000_000),  # surrounding blanks ignored
    ],
)
def test_parse_yen_accepts_the_documented_forms(text: str, expected: int) -> None:
    assert parse_yen(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("１５００万", 15_000_000),  # full-width digits
        ("１，５００万円", 15_000_000),  # full-width digits and comma
        ("￥１５，０００，０００", 15_000_000),  # full-width yen sign (U+FFE5)
        ("１５００００００", 15_000_000),
        ("１．５億", 150_000_000),  # full-width full stop
        ("１５００万\u3000", 15_000_000),  # trailing ideographic space
    ],
)
def test_parse_yen_folds_full_width_forms(text: str, expected: int) -> None:
    assert parse_yen(text) == expected


def test_parse_yen_accepts_int_and_rejects_bool() -> None:
    assert parse_yen(15_000_000) == 15_000_000
    with pytest.raises(InputError):
        parse_yen(True)  # a bool is an int in Python, never an amount
    with pytest.raises(InputError, match="-5"):
        parse_yen(-5)


def test_parse_yen_range_limit() -> None:
    assert parse_yen(MAX_YEN) == 10**15
    assert parse_yen("1000000000000000") == 10**15
    with pytest.raises(InputError, match="too large"):
        parse_yen(str(10**15 + 1))
    with pytest.raises(InputError, match="too large"):
        parse_yen("100000000億")  # 10**8 × 10**8 = 10**16


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("-1", "negative"),
        ("-15,000,000", "negative"),
        ("－1500万", "negative"),  # full-width minus folds to '-'
        ("1.5", "whole"),  # 1.5 yen
        ("1.00005万", "whole"),  # 10,000.5 yen
        ("0.000000001億", "whole"),  # 10**-9 × 10**8 = 0.1 yen
        ("3億5000.5", "whole"),  # 300,005,000.5 yen
        ("", "empty"),
        ("   ", "empty"),
        ("¥", "empty"),
        ("円", "empty"),
        ("15兆", "not an amount"),  # unknown unit
        ("15k", "not an amount"),
        ("15 dollars", "not an amount"),
        ("abc", "not an amount"),
        ("1,50,000", "not an amount"),  # Indian grouping: bad comma grouping
        ("15,000,00", "not an amount"),
        ("1,5000", "not an amount"),
        ("1500,000", "not an amount"),
        ("1,5億", "not an amount"),  # decimal comma
        ("1e6", "not an amount"),
        ("+5", "not an amount"),
        ("1__000", "not an amount"),
        ("1.", "not an amount"),
        (".5万", "not an amount"),
        ("万", "not an amount"),
        ("1万1万", "not an amount"),  # the same unit twice
        ("5000万3億", "not an amount"),  # units out of order
    ],
)
def test_parse_yen_rejects_with_the_input_quoted(text: str, why: str) -> None:
    with pytest.raises(InputError) as info:
        parse_yen(text)
    message = str(info.value)
    assert repr(text) in message, message
    assert why in message
    # The Japanese message quotes it too.
    assert f"「{text}」" in info.value.message("ja")


def test_parse_yen_unit_sums_are_exact() -> None:
    # 0.0000001億 = 10**-7 × 10**8 = 10 yen: whole even though the number is tiny.
    assert parse_yen("0.0000001億") == 10
    # 3億5000 = 300,000,000 + 5,000 (a bare number may close a unit sequence).
    assert parse_yen("3億5000") == 300_005_000
    # 1億2千万3百万 = 100,000,000 + 20,000,000 + 3,000,000
    assert parse_yen("1億2千万3百万") == 123_000_000


def test_input_error_is_a_value_error_with_both_languages() -> None:
    with pytest.raises(ValueError) as info:
        parse_yen("abc")
    err = info.value
    assert isinstance(err, InputError)
    assert err.message("en") != err.message("ja")
    assert "'abc'" in err.message("en") and "「abc」" in err.message("ja")


# ---------------------------------------------------------------------------
# format_yen
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "text"),
    [(0, "0"), (999, "999"), (1000, "1,000"), (7_500_000, "7,500,000"), (37_500_000, "37,500,000")],
)
def test_format_yen(amount: int, text: str) -> None:
    assert format_yen(amount) == text


@settings(max_examples=300)
@given(st.integers(min_value=0, max_value=10**15))
def test_parse_yen_round_trips_format_yen(x: int) -> None:
    assert parse_yen(format_yen(x)) == x


@settings(max_examples=200)
@given(st.integers(min_value=0, max_value=10**11))
def test_parse_yen_man_unit_is_times_ten_thousand(x: int) -> None:
    assert parse_yen(f"{x}万") == x * 10_000
    assert parse_yen(f"{format_yen(x)}万円") == x * 10_000


@settings(max_examples=200)
@given(st.integers(min_value=0, max_value=10**15), st.sampled_from(["", "¥"]), st.sampled_from(["", "円"]))
def test_parse_yen_underscores_and_affixes(x: int, prefix: str, suffix: str) -> None:
    assert parse_yen(f"{prefix}{x:_}{suffix}") == x


@settings(max_examples=200)
@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=9))
def test_parse_yen_fractional_man_is_whole_only_when_it_should_be(whole: int, tenths: int) -> None:
    # x.d万 = x × 10,000 + d × 1,000: always whole.
    assert parse_yen(f"{whole}.{tenths}万") == whole * 10_000 + tenths * 1000
    # x.d yen (no unit) is never whole for d in 1..9.
    with pytest.raises(InputError):
        parse_yen(f"{whole}.{tenths}")


# ---------------------------------------------------------------------------
# Rates
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0.3", Fraction(3, 10)),
        ("0.30", Fraction(3, 10)),
        ("30%", Fraction(3, 10)),
        ("2.5%", Fraction(1, 40)),  # 2.5 / 100 = 25 / 1000 = 1 / 40
        ("10%", Fraction(1, 10)),
        ("0", Fraction(0)),
        ("1", Fraction(1)),
        ("100%", Fraction(1)),
        (".5", Fraction(1, 2)),
        ("３０％", Fraction(3, 10)),  # full-width digits and percent sign
        (" 30 % ", Fraction(3, 10)),
        (Fraction(3, 10), Fraction(3, 10)),
        (Decimal("0.3"), Fraction(3, 10)),
        (1, Fraction(1)),
    ],
)
def test_parse_rate_accepts(text: object, expected: Fraction) -> None:
    value = parse_rate(text)  # type: ignore[arg-type]
    assert value == expected
    assert isinstance(value, Fraction)


def test_parse_rate_is_exact_not_float() -> None:
    # float(0.3) is 0.299999999999999988897769753748...; the rate must be exactly 3/10.
    assert parse_rate("0.3") != Fraction(0.3)
    assert parse_rate("0.1") + parse_rate("0.2") == parse_rate("0.3")


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("NaN", "not a rate"),
        ("nan", "not a rate"),
        ("inf", "not a rate"),
        ("Infinity", "not a rate"),
        # A negative rate is a rate, outside the range (as the plan key says it).
        ("-1", "outside"),
        ("-0.1", "outside"),
        ("-10%", "outside"),
        ("150%", "outside"),
        ("1.01", "outside"),
        ("abc", "not a rate"),
        ("", "not a rate"),
        ("%", "not a rate"),
        ("1e-1", "not a rate"),
        ("0.3.1", "not a rate"),
    ],
)
def test_parse_rate_rejects(text: str, why: str) -> None:
    with pytest.raises(InputError) as info:
        parse_rate(text, name="--indirect-rate")
    message = str(info.value)
    assert repr(text) in message
    assert "--indirect-rate" in message
    assert why in message


def test_parse_rate_rejects_bool_and_out_of_range_numbers() -> None:
    with pytest.raises(InputError):
        parse_rate(True)
    with pytest.raises(InputError, match="outside"):
        parse_rate(2)
    with pytest.raises(InputError, match="outside"):
        parse_rate(Fraction(-1, 10))


@pytest.mark.parametrize(
    ("rate", "text"),
    [
        (Fraction(3, 10), "30%"),
        (Fraction(1, 40), "2.5%"),
        (Fraction(1, 10), "10%"),
        (Fraction(0), "0%"),
        (Fraction(1), "100%"),
        (Fraction(1, 8), "12.5%"),
        (Fraction(1, 3), "33.333333%"),  # non-terminating: six decimals, truncated
        (Fraction(2, 3), "66.666666%"),
    ],
)
def test_format_rate(rate: Fraction, text: str) -> None:
    assert format_rate(rate) == text


@settings(max_examples=300)
@given(st.integers(min_value=0, max_value=10**8))
def test_rate_round_trips_through_format_rate(m: int) -> None:
    # m / 10**8 as a rate is m / 10**6 percent: a percentage with at most six decimals,
    # so format_rate writes it out exactly and parse_rate reads it back.
    rate = Fraction(m, 10**8)
    assert parse_rate(format_rate(rate)) == rate


# ---------------------------------------------------------------------------
# Rounding
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "floor", "ceil", "half_even"),
    [
        (Fraction(5, 2), 2, 3, 2),  # 2.5: half-even goes to 2
        (Fraction(7, 2), 3, 4, 4),  # 3.5: half-even goes to 4
        (Fraction(1, 3), 0, 1, 0),
        (Fraction(2, 3), 0, 1, 1),
        (Fraction(4), 4, 4, 4),
        (Fraction(-1, 3), -1, 0, 0),
        (Fraction(-5, 2), -3, -2, -2),
    ],
)
def test_rounding_directions(x: Fraction, floor: int, ceil: int, half_even: int) -> None:
    assert Rounding.FLOOR.to_int(x) == floor
    assert Rounding.CEIL.to_int(x) == ceil
    assert Rounding.HALF_EVEN.to_int(x) == half_even


def test_apply_rate_uses_the_direction_it_is_given() -> None:
    # 123,456,789 × 10% = 12,345,678.9
    assert apply_rate(123_456_789, Fraction(1, 10), Rounding.FLOOR) == 12_345_678  # C grade repayment
    assert apply_rate(123_456_789, Fraction(1, 10), Rounding.CEIL) == 12_345_679  # collateral
    assert apply_rate(123_456_789, Fraction(1, 10), Rounding.HALF_EVEN) == 12_345_679
    # 500,000,000 × 10% = 50,000,000 exactly: all agree.
    for r in Rounding:
        assert apply_rate(500_000_000, Fraction(1, 10), r) == 50_000_000


@settings(max_examples=300)
@given(st.integers(min_value=-(10**15), max_value=10**15), st.integers(min_value=1, max_value=10**6))
def test_rounding_brackets_the_exact_value(n: int, d: int) -> None:
    x = Fraction(n, d)
    lo, hi = Rounding.FLOOR.to_int(x), Rounding.CEIL.to_int(x)
    assert lo <= x < lo + 1
    assert hi - 1 < x <= hi
    he = Rounding.HALF_EVEN.to_int(x)
    assert abs(x - he) <= Fraction(1, 2)
    if abs(x - he) == Fraction(1, 2):
        assert he % 2 == 0


@pytest.mark.parametrize(
    ("amount", "unit", "expected"),
    [(7_500_999, 1000, 7_500_000), (7_479_452, 1000, 7_479_000), (999, 1000, 0), (15_000_000, 1, 15_000_000)],
)
def test_floor_to_unit(amount: int, unit: int, expected: int) -> None:
    assert floor_to_unit(amount, unit) == expected


@pytest.mark.parametrize("text", ["1 5", "15000000 5", "1,500 000"])
def test_spaces_between_digits_are_rejected(text: str) -> None:
    with pytest.raises(InputError) as err:
        parse_yen(text)
    assert repr(text) in str(err.value)


@pytest.mark.parametrize(("text", "yen"), [("5 億", 500_000_000), ("¥ 1,000", 1000), ("1,500 万円", 15_000_000)])
def test_spaces_beside_a_unit_or_sign_are_allowed(text: str, yen: int) -> None:
    assert parse_yen(text) == yen


@pytest.mark.parametrize("text", ["0", "-5", "-1億", "－1500万", "¥0", "0円", "-0"])
def test_a_positive_amount_has_one_message_for_zero_and_negatives(text: str) -> None:
    # minimum=1 (an amount that must be positive): -5 and 0 read alike, quoting the input.
    with pytest.raises(InputError) as info:
        parse_yen(text, minimum=1)
    assert info.value.message("en") == f"{text!r} must be more than 0 yen"
    assert info.value.message("ja") == f"「{text}」は使えません。0円より大きい金額にしてください"


@pytest.mark.parametrize("text", ["-", "--5", "-x", "-1.5"])
def test_a_minus_before_what_is_not_an_amount_is_not_an_amount(text: str) -> None:
    with pytest.raises(InputError, match=r"not an amount|whole") as info:
        parse_yen(text, minimum=1)
    assert repr(text) in info.value.message("en")
    assert "more than 0" not in info.value.message("en")


def test_minimum_bounds() -> None:
    assert parse_yen("1", minimum=1) == 1 and parse_yen(0) == 0
    with pytest.raises(InputError, match="at least 1,000 yen"):
        parse_yen("999", minimum=1000)


# ---------------------------------------------------------------------------
# parse_signed_yen: the sign forms of Japanese accounts and Excel
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-1.2億", -120_000_000),  # 1.2 × 10^8
        ("△1,200,000", -1_200_000),  # 会計の三角
        ("▲1,200,000", -1_200_000),
        ("(1,200,000)", -1_200_000),  # Excel's negative in parentheses
        ("（1,200,000）", -1_200_000),  # full-width parentheses
        ("－１，２００，０００", -1_200_000),  # full-width minus and digits
        ("\u22121200000", -1_200_000),  # U+2212 MINUS SIGN
        ("¥-1,200,000", -1_200_000),
        ("-¥1,200,000", -1_200_000),
        ("¥(1,200,000)", -1_200_000),
        ("(¥1,200,000)", -1_200_000),
        ("△ 1,200,000円", -1_200_000),
        ("1,200,000円", 1_200_000),
        ("3億5000万", 350_000_000),
        ("-0", 0),
        ("0", 0),
        (-5, -5),
        (12, 12),
    ],
)
def test_signed_amounts_in_every_form(text: str | int, expected: int) -> None:
    assert parse_signed_yen(text) == expected


@pytest.mark.parametrize(
    "text", ["-(1,000)", "--1", "△-1", "(-1)", "△", "-", "()", "(1,000", "1,000)", "¥¥1", "+1", "-1.5", "", True]
)
def test_signed_amounts_take_one_sign_and_a_whole_amount(text: str | bool) -> None:
    with pytest.raises(InputError) as caught:
        parse_signed_yen(text)  # type: ignore[arg-type]
    assert repr(text) in caught.value.text.en or str(text) in caught.value.text.en


def test_signed_amounts_are_bounded_both_ways() -> None:
    assert parse_signed_yen(-MAX_YEN) == -MAX_YEN
    for text in (f"-{MAX_YEN + 1}", str(MAX_YEN + 1), f"({MAX_YEN + 1:,})"):
        with pytest.raises(InputError, match="too large"):
            parse_signed_yen(text)
    with pytest.raises(InputError, match="too large"):
        parse_signed_yen(-MAX_YEN - 1)


@given(st.integers(-MAX_YEN, MAX_YEN), st.sampled_from(["-{:,}", "△{:,}", "▲{:,}", "({:,})", "¥-{:,}", "-{}円"]))
def test_every_sign_form_reads_back(value: int, form: str) -> None:
    text = form.format(abs(value)) if value < 0 else f"{value:,}"
    assert parse_signed_yen(text) == value


@settings(max_examples=300)
@given(st.text(alphabet="0123456789,._万億千円¥-()△ ", max_size=12))
def test_signed_reading_agrees_with_parse_yen_where_that_reads(text: str) -> None:
    try:
        unsigned = parse_yen(text)
    except InputError:
        return
    assert parse_signed_yen(text) == unsigned
