"""Bilingual text: every message the core produces exists in English and Japanese.

The core knows nothing of the terminal, but it does know what it assumed and which
rule broke; it says so in both languages and lets the caller pick one.

>>> Text("cap", "上限").in_lang("ja")
'上限'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Lang = Literal["ja", "en"]


@dataclass(frozen=True)
class Text:
    """One message in English and Japanese."""

    en: str
    ja: str

    def in_lang(self, lang: Lang) -> str:
        return self.ja if lang == "ja" else self.en

    def __str__(self) -> str:
        return self.en


def basis_text(basis: str) -> Text:
    """Where a rule comes from, as the rulebook's ``basis`` keys say it.

    >>> basis_text("assumption").ja, basis_text("public call guidelines, 2025 edition").en
    ('仮定', 'public call guidelines, 2025 edition')
    """
    known = {
        "brochure": Text("brochure", "パンフレット"),
        "assumption": Text("assumption", "仮定"),
        "given": Text("given", "指定値"),
        "public call guidelines, 2025 edition": Text("public call guidelines, 2025 edition", "公募要領 2025年度"),
    }
    return known.get(basis, Text(basis, basis))


@dataclass(frozen=True)
class Violation:
    """A programme rule the input breaks: a stable rule id (SPEC §6) and what happened.

    >>> Violation("period.max", Text("too long", "長すぎる")).rule
    'period.max'
    """

    rule: str
    text: Text

    def message(self, lang: Lang) -> str:
        return self.text.in_lang(lang)


class InputError(ValueError):
    """The input itself is unusable (exit 2): a bad amount, date, option or file.

    The message quotes the offending input, in both languages.
    """

    def __init__(self, en: str, ja: str | None = None) -> None:
        super().__init__(en)
        self.text = Text(en, ja if ja is not None else en)

    def message(self, lang: Lang) -> str:
        return self.text.in_lang(lang)
