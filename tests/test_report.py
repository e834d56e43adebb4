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

from astep_calc.cli.grid import wrap_japanese
from astep_calc.cli.report import exact_decimal

# --------------------------------------------------------------------------- wrap_japanese

#: 禁則 (JIS X 4051): what never starts a line (the long-vowel mark, small kana, closing
#: brackets and punctuation) stays with what precedes it, so a line may overflow by it;
#: what never ends a line (opening brackets) goes with what follows. Written here from the
#: rule, not imported from the module.
CLOSING = "ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ、。，．）」』】〕〉》・：；？！)]},.:;!?"
OPENING = "（「『【〔〈《([{"
KANA_KANJI = "あいうえおかきくけこアイウエオキシフ上限年額円経費間接含む補助金現在価値返済千万１２３Ａ"
ASCII_WORDS = st.text(alphabet=string.ascii_letters + string.digits + ",.-%/()'=:", min_size=1, max_size=14)
PIECES = st.one_of(
    st.sampled_from(KANA_KANJI),
    st.sampled_from(CLOSING + OPENING),
    ASCII_WORDS,
    st.sampled_from([" ", "  ", "\u3000", "（千円）", "（円）", "(開発中止)", "キー", "ショック"]),
)
TEXTS = st.lists(PIECES, max_size=30).map("".join)
WIDTHS = st.integers(min_value=1, max_value=40)

#: One unit the wrapper never breaks: a bracketed unit of up to four characters such as
#: （千円） or (開発中止), or an ASCII run without spaces or one other character with the
#: opening brackets before it; then the characters that may not start a line.
UNBREAKABLE = re.compile(
    rf"(?:（[^\s（）]{{1,4}}）|\([^\s()]{{1,4}}\)|[{re.escape(OPENING)}]*(?:[!-~]+|[^\s]))"
    rf"[{re.escape(CLOSING)}]*"
)


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
@example(text=" x", width=5)  # leading whitespace of the text
@example(text="ab  cd", width=2)  # two spaces where the line breaks
@settings(max_examples=400, deadline=None)
def test_no_line_starts_or_ends_with_whitespace(text: str, width: int) -> None:
    for line in wrap_japanese(text, width):
        assert line, f"an empty line in {wrap_japanese(text, width)!r}"
        assert not line[0].isspace() and not line[-1].isspace(), repr(line)


@given(text=TEXTS, width=WIDTHS)
@example(text="上限 15,000,000円（年額、間接経費を含む）", width=16)
@example(text="あああああ(00)0", width=14)  # "(00)" is no bracketed unit inside the run "(00)0"
@settings(max_examples=400, deadline=None)
def test_ascii_runs_are_never_split(text: str, width: int) -> None:
    lines = wrap_japanese(text, width)
    # An opening bracket at a run's end goes with the Japanese after it ("0(" + "(開発中止)"),
    # closing punctuation at its start with the Japanese before it ("(開発中止)" + ")0").
    for run in (r.lstrip(")]},.:;!?").rstrip("([{") for r in re.findall(r"[!-~]+", text)):
        if run and cell_len(run) <= width:
            assert any(run in line for line in lines), (run, lines)


@given(text=TEXTS, width=WIDTHS)
@example(text="計画ファイルのキー proration で変更可）", width=16)
@example(text="ステージⅠ：年度別の上限額 2026-10-01〜2029-03-31（千円）", width=40)
@example(text="あっ", width=2)
@settings(max_examples=400, deadline=None)
def test_kinsoku_no_line_starts_or_ends_with_a_forbidden_character(text: str, width: int) -> None:
    lines = wrap_japanese(text, width)
    # Where each line begins in the text: the lines are the text in order, less whitespace.
    at = 0
    for i, line in enumerate(lines):
        start = text.index(line, at)
        assert not text[at:start].strip(), (text, lines)
        at = start + len(line)
        before = text[start - 1] if start else ""
        after = text[at] if at < len(text) else ""
        # Only a space in the text itself lets a line start with ー (or end with （): no
        # character is there to keep it with.
        if i > 0 and line[0] in CLOSING:
            assert before.isspace(), (line, lines)
        if i < len(lines) - 1 and line[-1] in OPENING:
            assert after.isspace(), (line, lines)


@given(text=TEXTS, width=WIDTHS)
@settings(max_examples=400, deadline=None)
def test_text_is_unchanged_when_joined(text: str, width: int) -> None:
    # The lines, joined by the whitespace the breaks took (possibly none), are the text.
    lines = wrap_japanese(text, width)
    pattern = r"\s*" + r"\s*".join(map(re.escape, lines)) + r"\s*"
    assert re.fullmatch(pattern, text), (text, lines)


def test_kinsoku_cases_the_audit_saw() -> None:
    # At 120 columns a check assumption broke キ / ー proration; at 80 a budget title （千 / 円）.
    assert wrap_japanese("計画ファイルのキー proration で変更可）", 16) == [
        "計画ファイルの",
        "キー proration",
        "で変更可）",
    ]
    assert wrap_japanese("上限額 2026-10-01〜2029-03-31（千円）", 36) == ["上限額 2026-10-01〜2029-03-31", "（千円）"]
    assert wrap_japanese("ショック", 6) == ["ショッ", "ク"]  # ョ and ッ stay with the kana before them
    # An ASCII bracket too: never "discontinued (" at a line's end.
    assert wrap_japanese("repaid as discontinued (開発中止)", 26) == ["repaid as discontinued", "(開発中止)"]


def test_wrap_japanese_worked_example() -> None:
    # Width 16: "上限 15,000,000" is 2 + 2 + 1 + 10 = 15 cells, and "円" (2) would make 17;
    # then 8 full-width characters (16 cells) a line; "）" stays with "む".
    assert wrap_japanese("上限 15,000,000円（年額、間接経費を含む）", 16) == [
        "上限 15,000,000",
        "円（年額、間接経",
        "費を含む）",
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
@example(x=Fraction(1, 2**100))  # 100 decimal places
@example(x=Fraction(10**40 + 1, 2))  # 41 significant digits
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
