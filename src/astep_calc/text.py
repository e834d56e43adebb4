"""Bilingual text: every message the core produces exists in English and Japanese.

The core knows nothing of the terminal, but it does know what it assumed and which
rule broke; it says so in both languages and lets the caller pick one.

>>> Text("cap", "上限").in_lang("ja")
'上限'
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Lang = Literal["ja", "en"]
#: A number behind a violation: yen and counts as ``int``, dates as ``date``, ids as ``str``.
Detail = int | str | date


@dataclass(frozen=True)
class Text:
    """One message in English and Japanese."""

    en: str
    ja: str

    def in_lang(self, lang: Lang) -> str:
        return self.ja if lang == "ja" else self.en

    def __str__(self) -> str:
        return self.en


@dataclass(frozen=True)
class Violation:
    """A programme rule the input breaks: a stable rule id (SPEC §6) and what happened.

    ``key`` names the input it is about in the core's vocabulary, as a plan spells it
    (``budget.2026``, ``end``, ``repayment.payments[2].due``): a plan reader maps it to the
    line of that key. ``details`` are the numbers behind the message (``fiscal_year``,
    ``cap``, ``requested``, ``excess``...), for machines; the message says the same in words.

    >>> Violation("period.max", Text("too long", "長すぎる")).rule
    'period.max'
    >>> v = Violation("budget.fy_cap", Text("over", "超過"), "budget.2026", {"cap": 7_500_000})
    >>> v.key, v.details["cap"]
    ('budget.2026', 7500000)
    """

    rule: str
    text: Text
    key: str | None = None
    details: Mapping[str, Detail] = field(default_factory=dict, compare=False, hash=False)

    def message(self, lang: Lang) -> str:
        return self.text.in_lang(lang)


class InputError(ValueError):
    """The input itself is unusable (exit 2): a bad amount, date, option or file.

    The message quotes the offending input, in both languages. ``field`` names the
    input it is about in the core's own vocabulary (``term``, ``repayment.term``), never
    a CLI flag: the command line maps a field to its option, the plan reader to the
    plan key and its line. The message itself does not repeat the field's name.

    >>> InputError("'0' must be at least 1 month", "「0」は1か月以上にしてください", field="term").field
    'term'
    """

    def __init__(self, en: str, ja: str | None = None, *, field: str | None = None) -> None:
        super().__init__(en)
        self.text = Text(en, ja if ja is not None else en)
        self.field = field

    def message(self, lang: Lang) -> str:
        return self.text.in_lang(lang)


@dataclass(frozen=True)
class Assumption:
    """A convention an output relies on, and the setting that changes it (if any).

    ``setting`` is a field name in the core's vocabulary (``prorate_last``, ``round``):
    the command line shows it as its option, ``astep check`` as the plan key, so the
    core never names a flag. ``value``, when given, is the setting's value the text points
    to (``day``): the command line shows ``--proration day``, a plan ``proration = "day"``.

    >>> Assumption(Text("full cap for a partial last year", "最終年度も年額上限"), "prorate_last").setting
    'prorate_last'
    """

    text: Text
    setting: str | None = None
    value: str | None = None


def fold_width(text: str) -> str:
    """Typed input read in ASCII: NFKC folds full-width digits, letters, commas, ``％``
    and ``￥`` (and ``㋿`` to 令和), as Japanese documents write them.

    The one place every reader of amounts, counts, rates and dates folds its input. A
    character that NFKC would turn into a digit but that is no digit anyone writes in a
    number (``²``, ``①``, ``⑴``, ``𝟐``) leaves the text unfolded, so the reader rejects
    it with its usual message instead of reading ``①億`` as 100,000,000 yen.

    >>> fold_width("１,５００万円"), fold_width("Ｒ８．４．１"), fold_width("①億")
    ('1,500万円', 'R8.4.1', '①億')
    """
    if text.isascii():  # nothing to fold (ASCII is its own NFKC form)
        return text
    if any(ch.isdigit() and not ("0" <= ch <= "9" or "０" <= ch <= "９") for ch in text):
        return text
    return unicodedata.normalize("NFKC", text)


def quoted(value: object) -> str:
    """A value quoted in an English message as its user wrote it: a string or a number
    with a fraction in quotes, never Python's ``Decimal('…')`` or ``Fraction(…)``; a whole
    number as it is.

    >>> from decimal import Decimal
    >>> from fractions import Fraction
    >>> quoted("30%"), quoted(Decimal("-0.1")), quoted(Fraction(3, 2)), quoted(12), quoted(date(2030, 1, 31))
    ("'30%'", "'-0.1'", "'3/2'", '12', "'2030-01-31'")
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return repr(value if isinstance(value, str) else str(value))


def listing(items: Iterable[str]) -> Text:
    """Choices as a sentence lists them: ``a, b, c`` / ``a、b、c``.

    >>> listing(["stage1", "stage2", "jisso"]).ja
    'stage1、stage2、jisso'
    """
    words = [str(i) for i in items]
    return Text(", ".join(words), "、".join(words))


def not_one_of(
    value: object, choices: Iterable[str], *, noun: Text | None = None, field: str | None = None
) -> InputError:
    """The error for a value that is none of the choices: it quotes the value, names the
    closest choice and says what to give instead.

    >>> e = not_one_of("stage9", ["stage1", "stage2", "jisso"], noun=Text("menu", "メニュー"))
    >>> e.text.en
    "'stage9' is not one of stage1, stage2, jisso (did you mean stage1?)"
    >>> e.text.ja
    '「stage9」というメニューはありません（stage1 のことですか？）。stage1、stage2、jisso のいずれかを指定してください'
    """
    options = [str(c) for c in choices]
    hint = did_you_mean(str(value), options)
    shown = listing(options)
    said = f"「{value}」という{noun.ja}はありません" if noun is not None else f"「{value}」は指定できません"
    return InputError(
        f"{quoted(value)} is not one of {shown.en}{hint.en}",
        f"{said}{hint.ja}。{shown.ja} のいずれかを指定してください",
        field=field,
    )


def did_you_mean(word: str, choices: Iterable[str]) -> Text:
    """A hint naming the closest choice, or empty text when none is close.

    Close is: the same but for case, ``-`` and ``_``; else, for a word of three letters or
    more, the choice fewest edits away (:func:`edit_distance`: a letter left out, added,
    changed, or two neighbours swapped; a look-alike such as ``l`` for ``1`` counts half),
    if that is at most :data:`HINT_CUTOFF` of the longer word's letters. Ties go to the
    choice listed first. A short choice that merely shares letters with a longer word is
    not offered ("nonsense" is not "none").

    >>> did_you_mean("stage-1", ["stage1", "stage2", "jisso"]).en
    ' (did you mean stage1?)'
    >>> did_you_mean("stagel", ["stage1", "stage2", "stage2-gate"]).en
    ' (did you mean stage1?)'
    >>> did_you_mean("indirect-rate", ["indirect_rate", "budget"]).ja
    '（indirect_rate のことですか？）'
    >>> did_you_mean("zzz", ["stage1"]).en, did_you_mean("nonsense", ["none", "following"]).en
    ('', '')
    >>> did_you_mean("follow", ["none", "following"]).en, did_you_mean("dat", ["month", "day"]).en
    (' (did you mean following?)', ' (did you mean day?)')
    """
    folded: dict[str, str] = {}
    for c in choices:
        folded.setdefault(_fold_key(c), c)
    key = _fold_key(word)
    best = folded.get(key)
    if best is None and len(key) >= 3:
        scored = [
            (distance, i, choice)
            for i, (f, choice) in enumerate(folded.items())
            for distance in [edit_distance(key, f)]
            if distance <= HINT_CUTOFF * max(len(key), len(f))
        ]
        best = min(scored)[2] if scored else None
    if best is None:
        return Text("", "")
    return Text(f" (did you mean {best}?)", f"（{best} のことですか？）")


#: How far a word may be from a choice for "did you mean" to name it: edits
#: (:func:`edit_distance`) per letter of the longer of the two. At 0.4, "follow" →
#: "following" (3 edits, 9 letters) and "yearly" → "year" (2 of 6) are hints; "nonsense"
#: → "none" (4 of 8) and "months" → "amount" (4 of 6) are not.
HINT_CUTOFF = 0.4

#: Characters read or typed for one another: changing one into the other is half an edit,
#: so that "stagel" is nearer "stage1" than "stage2".
LOOKALIKES = frozenset(frozenset(pair) for pair in ("l1", "i1", "o0", "s5", "z2", "b8"))


def edit_distance(a: str, b: str) -> float:
    """The Damerau–Levenshtein distance (optimal string alignment) between ``a`` and ``b``:
    letters left out, added or changed, and neighbours swapped, one edit each; a look-alike
    changed (:data:`LOOKALIKES`) half an edit.

    >>> edit_distance("quater", "quarter"), edit_distance("thousnad", "thousand"), edit_distance("dat", "day")
    (1.0, 1.0, 1.0)
    >>> edit_distance("stagel", "stage1"), edit_distance("stagel", "stage2"), edit_distance("nonsense", "none")
    (0.5, 1.0, 4.0)
    """
    prev2: list[float] = []
    prev = [float(j) for j in range(len(b) + 1)]
    for i in range(1, len(a) + 1):
        row = [float(i)] + [0.0] * len(b)
        for j in range(1, len(b) + 1):
            x, y = a[i - 1], b[j - 1]
            change = 0.0 if x == y else 0.5 if frozenset((x, y)) in LOOKALIKES else 1.0
            row[j] = min(prev[j] + 1, row[j - 1] + 1, prev[j - 1] + change)
            if i > 1 and j > 1 and x == b[j - 2] and a[i - 2] == y and x != y:
                row[j] = min(row[j], prev2[j - 2] + 1)
        prev2, prev = prev, row
    return prev[len(b)]


def _fold_key(text: str) -> str:
    return text.strip().lower().replace("-", "").replace("_", "")
