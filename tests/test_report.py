"""Properties of the report helpers: ``wrap_japanese`` (how violation and assumption texts
with Japanese in them are wrapped) and ``exact_decimal`` (how rates appear in JSON)."""

from __future__ import annotations

import re
import string
from decimal import Decimal
from fractions import Fraction

from hypothesis import example, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from astep_calc.cli.report import exact_decimal, wrap_japanese

# --------------------------------------------------------------------------- wrap_japanese

#: Closing punctuation never starts a line (禁則): it stays with what precedes it, so a line
#: may overflow by it. Written here from the rule, not imported from the module.
CLOSING = "）」』、。，．・：；"
KANA_KANJI = "あいうえおかきくけこアイウエオ上限年額円経費間接含む補助金現在価値返済１２３Ａ"
ASCII_WORDS = st.text(alphabet=string.ascii_letters + string.digits + ",.-%/()'=:", min_size=1, max_size=14)
PIECES = st.one_of(
    st.sampled_from(KANA_KANJI),
    st.sampled_from(CLOSING + "（「『"),
    ASCII_WORDS,
    st.sampled_from([" ", "  ", "\u3000"]),
)
TEXTS = st.lists(PIECES, max_size=30).map("".join)
WIDTHS = st.integers(min_value=1, max_value=40)

#: One unit the wrapper never breaks: an ASCII run without spaces, or one other character,
#: with the opening brackets before it and the closing punctuation after it.
OPENING = "（「『"
UNBREAKABLE = re.compile(rf"[{OPENING}]*(?:[!-~]+|[^\s])[{CLOSING}]*")


def no_space(text: str) -> str:
    return re.sub(r"\s", "", text)


@given(text=TEXTS, width=WIDTHS)
@example(text="上限 15,000,000円（年額、間接経費を含む）", width=16)
@example(text="a" * 30 + "です", width=10)
@example(text="あ。", width=3)
@settings(max_examples=400, deadline=None)
def test_no_line_is_wider_than_the_width_unless_it_cannot_be_broken(text: str, width: int) -> None:
    for line in wrap_japanese(text, width):
        if cell_len(line) > width:
            # Only a unit that cannot be broken stands alone on a line longer than the width:
            # a long ASCII run (a number, a path, an option), or one character kept with its
            # closing punctuation (wrap_japanese("あ。", 3) == ["あ。"], 4 cells).
            assert UNBREAKABLE.fullmatch(line), (line, width)


@given(text=TEXTS, width=WIDTHS)
@settings(max_examples=400, deadline=None)
def test_only_whitespace_is_dropped(text: str, width: int) -> None:
    lines = wrap_japanese(text, width)
    assert no_space("".join(lines)) == no_space(text)


@given(text=TEXTS, width=WIDTHS)
@example(text=" x", width=5)       # leading whitespace of the text
@example(text="ab  cd", width=2)   # two spaces where the line breaks
@settings(max_examples=400, deadline=None)
def test_no_line_starts_or_ends_with_whitespace(text: str, width: int) -> None:
    for line in wrap_japanese(text, width):
        assert line, f"an empty line in {wrap_japanese(text, width)!r}"
        assert not line[0].isspace() and not line[-1].isspace(), repr(line)


@given(text=TEXTS, width=WIDTHS)
@example(text="上限 15,000,000円（年額、間接経費を含む）", width=16)
@settings(max_examples=400, deadline=None)
def test_ascii_runs_are_never_split(text: str, width: int) -> None:
    lines = wrap_japanese(text, width)
    for run in re.findall(r"[!-~]+", text):
        if cell_len(run) <= width:
            assert any(run in line for line in lines), (run, lines)


def test_wrap_japanese_worked_example() -> None:
    # Width 16: "上限 15,000,000" is 2 + 2 + 1 + 10 = 15 cells, and "円" (2) would make 17;
    # then 8 full-width characters (16 cells) a line; "）" stays with "む".
    assert wrap_japanese("上限 15,000,000円（年額、間接経費を含む）", 16) == [
        "上限 15,000,000", "円（年額、間接経", "費を含む）",
    ]


# --------------------------------------------------------------------------- exact_decimal


@st.composite
def terminating(draw: st.DrawFn) -> Fraction:
    """A fraction whose reduced denominator has no prime factor but 2 and 5."""
    n = draw(st.integers(min_value=-(10**40), max_value=10**40))
    return Fraction(n, 2 ** draw(st.integers(0, 120)) * 5 ** draw(st.integers(0, 120)))


def only_twos_and_fives(d: int) -> bool:
    for p in (2, 5):
        while d % p == 0:
            d //= p
    return d == 1


@given(x=terminating())
@example(x=Fraction(3, 100))
@example(x=Fraction(1, 2**100))          # 100 decimal places
@example(x=Fraction(10**40 + 1, 2))      # 41 significant digits
@settings(max_examples=300, deadline=None)
def test_exact_decimal_of_a_terminating_fraction_is_exact(x: Fraction) -> None:
    out = exact_decimal(x)
    assert re.fullmatch(r"-?\d+(\.\d+)?", out), out  # a plain decimal: no exponent, no "n/d"
    assert Fraction(Decimal(out)) == x, out


@given(x=st.fractions(max_denominator=10**9))
@example(x=Fraction(1, 3))
@example(x=Fraction(-7, 30))
@settings(max_examples=300, deadline=None)
def test_exact_decimal_of_any_fraction(x: Fraction) -> None:
    out = exact_decimal(x)
    if only_twos_and_fives(x.denominator):
        assert "/" not in out and Fraction(Decimal(out)) == x, out
    else:
        assert out == f"{x.numerator}/{x.denominator}"
        assert Fraction(out) == x
