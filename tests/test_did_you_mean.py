""" "Did you mean": a hint for a near miss over every list of choices the tool offers, never for a stranger."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from astep_calc.budget import Proration
from astep_calc.business_days import BusinessDay
from astep_calc.money import DISPLAY_UNITS
from astep_calc.plan_format import names, top_names
from astep_calc.repayment import FREQUENCIES, REMAINDERS
from astep_calc.rulebook import Rulebook
from astep_calc.text import HINT_CUTOFF, did_you_mean, edit_distance


def choice_lists(rb: Rulebook) -> dict[str, list[str]]:
    """Every list of choices a message may suggest from."""
    return {
        "menu": [m.id for m in rb.menus],
        "grade": [g.id for g in rb.jisso.repayment.grades],
        "every": list(FREQUENCIES),
        "remainder": list(REMAINDERS),
        "business_day": [b.value for b in BusinessDay],
        "proration": [p.value for p in Proration],
        "display_unit": list(DISPLAY_UNITS),
        "plan key": list(top_names()),
        "repayment key": list(names("repayment")),
        "format": ["table", "json", "csv", "xlsx", "github", "junit"],
    }


def hint(word: str, choices: list[str]) -> str | None:
    text = did_you_mean(word, choices).en
    return text.removeprefix(" (did you mean ").removesuffix("?)") if text else None


@pytest.mark.parametrize(
    ("word", "kind", "expected"),
    [
        ("stage-1", "menu", "stage1"),
        ("stagel", "menu", "stage1"),  # l for 1: half an edit, nearer stage1 than stage2
        ("stage9", "menu", "stage1"),  # as near stage1 as stage2: the one listed first
        ("Stage1", "menu", "stage1"),
        ("jiso", "menu", "jisso"),
        ("indirect-rate", "plan key", "indirect_rate"),
        ("busines_day", "plan key", "business_day"),
        ("follow", "business_day", "following"),
        ("modified_following", "business_day", "modified-following"),
        ("preceeding", "business_day", "preceding"),
        ("yearly", "every", "year"),
        ("quater", "every", "quarter"),
        ("dat", "proration", "day"),
        ("fist", "remainder", "first"),
        ("defferal", "repayment key", "deferral"),
        ("thousnad", "display_unit", "thousand"),
        ("jsn", "format", "json"),
    ],
)
def test_a_near_miss_gets_its_choice(rb: Rulebook, word: str, kind: str, expected: str) -> None:
    assert hint(word, choice_lists(rb)[kind]) == expected


@pytest.mark.parametrize("word", ["nonsense", "hello", "zzz", "foo", "x", "12345", "banana", "whatever"])
def test_an_unrelated_word_gets_no_hint_from_any_list(rb: Rulebook, word: str) -> None:
    # "nonsense" shares "non…e" with "none" (similarity 0.67): a short choice is not a guess.
    assert {
        kind: hint(word, choices) for kind, choices in choice_lists(rb).items() if hint(word, choices) is not None
    } == {}


def test_months_at_the_top_of_a_plan_is_not_taken_for_amount(rb: Rulebook) -> None:
    assert hint("months", choice_lists(rb)["plan key"]) is None
    # Edits per letter of the longer word: nonsense/none 4 of 8, months/amount 4 of 6.
    assert edit_distance("nonsense", "none") / 8 > HINT_CUTOFF and edit_distance("months", "amount") / 6 > HINT_CUTOFF


def test_every_choice_is_found_again_from_itself_misspelt(rb: Rulebook) -> None:
    # Each choice of three letters or more, with its last letter doubled, points back at itself.
    for kind, choices in choice_lists(rb).items():
        for c in choices:
            if len(c) >= 3 and not c.startswith("$"):
                assert hint(c + c[-1], choices) == c, (kind, c)


@given(st.text(alphabet="abcl1o0-", max_size=8), st.text(alphabet="abcl1o0-", max_size=8))
def test_edit_distance_is_a_distance(a: str, b: str) -> None:
    d = edit_distance(a, b)
    assert d == edit_distance(b, a)
    assert (d == 0) == (a == b)
    assert abs(len(a) - len(b)) / 2 <= d <= max(len(a), len(b))


@given(st.text(alphabet="abcdefgh", min_size=3, max_size=10))
def test_a_choice_one_edit_away_is_always_found(word: str) -> None:
    typo = word[:-1] + ("x" if word[-1] != "x" else "y")
    assert did_you_mean(typo, ["zzzzzzzzzzzz", word]).en == f" (did you mean {word}?)"
