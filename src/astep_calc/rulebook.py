"""The rulebook: every programme number, read from a TOML file that names its source.

The bundled rulebook (``rules/a-step-2024.toml``) comes from the A-STEP brochure,
edition 20240423. ``load_rulebook(path)`` reads another file of the same shape, so a
new call for proposals needs no code change. Errors name the bad key.

>>> rb = load_rulebook()
>>> rb.id, rb.menu("stage1").cap, rb.menu("stage1").period_months
('a-step-2024', 15000000, 30)
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any

from astep_calc.money import parse_rate
from astep_calc.text import InputError, Lang, Text

DEFAULT_RULEBOOK = "a-step-2024.toml"
FUND_TYPES = ("grant", "matching", "repayable")
CAP_KINDS = ("annual", "total")


@dataclass(frozen=True)
class Menu:
    """One support menu: its cap, whether it is per fiscal year or in total, its period limit."""

    id: str
    name_ja: str
    name_en: str
    fund_type: str
    cap_kind: str
    cap: int
    first_year_prorated: bool
    period_months: int
    brochure: str
    #: The companies' own contribution must be at least this share of JST's money (a
    #: matching-fund menu only; optional, absent in the 2024 brochure: none is invented).
    matching_min_ratio: Fraction | None = None
    #: The menu a phase of this one must follow in a plan (``phase.gate``): stage2-gate
    #: is entered from stage1 through the stage gate.
    follows: str | None = None

    def name(self, lang: Lang) -> str:
        return self.name_ja if lang == "ja" else self.name_en


@dataclass(frozen=True)
class Grade:
    """A post-evaluation grade: the share of the development cost it repays."""

    id: str
    share: Fraction
    lump_only: bool
    brochure: str
    basis: str
    scenario: str


def grade_label(grade: Grade, *, grouped: bool = True) -> Text:
    """How a grade reads: ``S/A/B評価`` for the grades that repay alike (``A評価`` with
    ``grouped=False``), ``開発中止`` for discontinued.

    >>> a = load_rulebook().jisso.repayment.grade("A")
    >>> grade_label(a).ja, grade_label(a, grouped=False).en
    ('S/A/B評価', 'grade A')
    """
    if grade.id == "discontinued":
        return Text("discontinued (開発中止)", "開発中止")
    name = grade.scenario if grouped else grade.id
    return Text(f"grade{'s' if '/' in name else ''} {name}", f"{name}評価")


@dataclass(frozen=True)
class RepaymentRules:
    """実装支援 repayment terms."""

    default_grade: str
    interest_rate: Fraction
    term_max_months: int
    deferral_max_months: int
    custom_first_due_max_months: int
    custom_first_due_basis: str
    brochure: str
    grades: tuple[Grade, ...]

    def grade(self, grade_id: str) -> Grade:
        wanted = grade_id.strip()
        for g in self.grades:
            if g.id.lower() == wanted.lower():
                return g
        choices = ", ".join(g.id for g in self.grades)
        raise InputError(
            f"grade {grade_id!r} is not one of {choices}",
            f"評価 {grade_id!r} は {choices} のいずれでもありません",
        )


@dataclass(frozen=True)
class JissoRules:
    """実装支援 (返済型): collateral, advances and repayment."""

    collateral_rate: Fraction
    collateral_brochure: str
    advance_every_months: int
    advance_brochure: str
    repayment: RepaymentRules


@dataclass(frozen=True)
class Rulebook:
    """All programme numbers in force, with the edition they come from."""

    id: str
    edition: str
    source: str
    indirect_rate: Fraction
    indirect_basis: str
    indirect_note: str
    indirect_note_ja: str
    menus: tuple[Menu, ...]
    jisso: JissoRules
    path: str

    def menu(self, menu_id: str) -> Menu:
        """The menu with this id; the error lists the ids that exist."""
        for m in self.menus:
            if m.id == menu_id.strip().lower():
                return m
        choices = ", ".join(m.id for m in self.menus)
        raise InputError(
            f"menu {menu_id!r} is not one of {choices}",
            f"メニュー {menu_id!r} は {choices} のいずれでもありません",
        )


class _Table:
    """A TOML table read key by key, so that every error names its dotted key."""

    def __init__(self, data: Any, where: str, origin: str) -> None:
        if not isinstance(data, dict):
            raise _bad(origin, where, "must be a table", data)
        self.data: dict[str, Any] = data
        self.where = where
        self.origin = origin
        self.seen: set[str] = set()

    def key(self, name: str) -> str:
        return f"{self.where}.{name}" if self.where else name

    def get(self, name: str, kind: type, default: Any = ...) -> Any:
        self.seen.add(name)
        if name not in self.data:
            if default is not ...:
                return default
            raise InputError(
                f"rulebook {self.origin}: key {self.key(name)!r} is missing",
                f"ルールブック {self.origin}：キー {self.key(name)!r} がありません",
            )
        value = self.data[name]
        self.bounded(name, value)
        if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            raise _bad(self.origin, self.key(name), "must be an integer", value)
        if not isinstance(value, kind):
            raise _bad(self.origin, self.key(name), f"must be a {kind.__name__}", value)
        return value

    def bounded(self, name: str, value: Any) -> None:
        """Refuse a number no rule needs (``1e-999999999``, a 40-digit integer), naming the key."""
        from astep_calc.reader import number_problem

        problem = number_problem(value)
        if problem is not None:
            raise InputError(f"rulebook {self.origin}: key {self.key(name)!r}: {problem.en}",
                             f"ルールブック {self.origin}：キー {self.key(name)!r}：{problem.ja}")

    def positive_int(self, name: str) -> int:
        value: int = self.get(name, int)
        if value <= 0:
            raise _bad(self.origin, self.key(name), "must be a positive integer", value)
        return value

    def rate(self, name: str) -> Fraction:
        self.seen.add(name)
        raw = self.data.get(name)
        self.bounded(name, raw)
        if not isinstance(raw, str | Decimal | int) or isinstance(raw, bool):
            raw = self.get(name, str)  # names the key: missing, or not a rate
        try:
            return parse_rate(raw, name=self.key(name))
        except InputError:
            raise _bad(self.origin, self.key(name), "must be a rate such as \"0.10\"", raw) from None

    def ratio(self, name: str) -> Fraction:
        """A ratio of 0 or more, such as "1", "0.5" or "150%" (unlike a rate, it may exceed 1)."""
        self.seen.add(name)
        raw = self.data[name]
        text = str(raw).strip() if isinstance(raw, str | Decimal | int) and not isinstance(raw, bool) else ""
        percent = text.endswith("%")
        try:
            value = Fraction(Decimal(text[:-1] if percent else text)) / (100 if percent else 1)
        except (ArithmeticError, ValueError):
            raise _bad(self.origin, self.key(name), "must be a ratio such as \"1\" or \"50%\"", raw) from None
        if value < 0:
            raise _bad(self.origin, self.key(name), "must not be negative", raw)
        return value

    def table(self, name: str) -> _Table:
        self.seen.add(name)
        if name not in self.data:
            raise InputError(
                f"rulebook {self.origin}: table {self.key(name)!r} is missing",
                f"ルールブック {self.origin}：テーブル {self.key(name)!r} がありません",
            )
        return _Table(self.data[name], self.key(name), self.origin)

    def done(self) -> None:
        extra = sorted(set(self.data) - self.seen)
        if extra:
            raise InputError(
                f"rulebook {self.origin}: unknown key {self.key(extra[0])!r}",
                f"ルールブック {self.origin}：不明なキー {self.key(extra[0])!r}",
            )


def _bad(origin: str, key: str, what: str, value: Any) -> InputError:
    return InputError(
        f"rulebook {origin}: key {key!r} {what}, got {value!r}",
        f"ルールブック {origin}：キー {key!r} の値 {value!r} が不正です（{what}）",
    )


def _menu(t: _Table, menu_id: str) -> Menu:
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", menu_id):
        raise _bad(t.origin, t.where, "must be a lowercase menu id (letters, digits, hyphens)", menu_id)
    fund_type = t.get("fund_type", str)
    if fund_type not in FUND_TYPES:
        raise _bad(t.origin, t.key("fund_type"), f"must be one of {', '.join(FUND_TYPES)}", fund_type)
    cap_kind = t.get("cap_kind", str)
    if cap_kind not in CAP_KINDS:
        raise _bad(t.origin, t.key("cap_kind"), f"must be one of {', '.join(CAP_KINDS)}", cap_kind)
    menu = Menu(
        id=menu_id,
        name_ja=t.get("name_ja", str),
        name_en=t.get("name_en", str),
        fund_type=fund_type,
        cap_kind=cap_kind,
        cap=t.positive_int("cap"),
        first_year_prorated=t.get("first_year_prorated", bool),
        period_months=t.positive_int("period_months"),
        brochure=t.get("brochure", str, ""),
        matching_min_ratio=t.ratio("matching_min_ratio") if "matching_min_ratio" in t.data else None,
        follows=t.get("follows", str, None),
    )
    if menu.matching_min_ratio is not None and fund_type != "matching":
        raise _bad(t.origin, t.key("matching_min_ratio"), "applies to a matching-fund menu only", fund_type)
    t.done()
    return menu


def _grade(t: _Table, grade_id: str) -> Grade:
    grade = Grade(
        id=grade_id,
        share=t.rate("share"),
        lump_only=t.get("lump_only", bool),
        brochure=t.get("brochure", str, ""),
        basis=t.get("basis", str, "brochure"),
        scenario=t.get("scenario", str, grade_id),
    )
    t.done()
    return grade


def _repayment(t: _Table) -> RepaymentRules:
    grades_t = t.table("grades")
    grades = tuple(_grade(grades_t.table(gid), gid) for gid in list(grades_t.data))
    grades_t.done()
    if not grades:
        raise _bad(t.origin, grades_t.where, "must define at least one grade", {})
    rules = RepaymentRules(
        default_grade=t.get("default_grade", str),
        interest_rate=t.rate("interest_rate"),
        term_max_months=t.positive_int("term_max_months"),
        deferral_max_months=t.get("deferral_max_months", int),
        custom_first_due_max_months=t.positive_int("custom_first_due_max_months"),
        custom_first_due_basis=t.get("custom_first_due_basis", str, "brochure"),
        brochure=t.get("brochure", str, ""),
        grades=grades,
    )
    if rules.default_grade not in {g.id for g in grades}:
        raise _bad(t.origin, t.key("default_grade"), "must name a grade defined below", rules.default_grade)
    if not 0 <= rules.deferral_max_months < rules.term_max_months:
        raise _bad(t.origin, t.key("deferral_max_months"), "must be 0 or more and below the term",
                   rules.deferral_max_months)
    if rules.interest_rate != 0:
        raise _bad(t.origin, t.key("interest_rate"),
                   "must be \"0\": this version computes interest-free repayment only",
                   str(rules.interest_rate))
    t.done()
    return rules


def _divisor_of_a_year(t: _Table, name: str) -> int:
    value = t.positive_int(name)
    if 12 % value:
        raise _bad(t.origin, t.key(name), "must divide a fiscal year evenly (1, 2, 3, 4, 6 or 12 months)", value)
    return value


def parse_rulebook(data: dict[str, Any], origin: str) -> Rulebook:
    """Validate a parsed rulebook; an error names the file and the dotted key."""
    top = _Table(data, "", origin)
    indirect = top.table("indirect")
    menus_t = top.table("menus")
    menus = tuple(_menu(menus_t.table(mid), mid) for mid in list(menus_t.data))
    menus_t.done()
    jisso_t = top.table("jisso")
    jisso = JissoRules(
        collateral_rate=jisso_t.rate("collateral_rate"),
        collateral_brochure=jisso_t.get("collateral_brochure", str, ""),
        advance_every_months=_divisor_of_a_year(jisso_t, "advance_every_months"),
        advance_brochure=jisso_t.get("advance_brochure", str, ""),
        repayment=_repayment(jisso_t.table("repayment")),
    )
    jisso_t.done()
    book = Rulebook(
        id=top.get("id", str),
        edition=top.get("edition", str),
        source=top.get("source", str),
        indirect_rate=indirect.rate("rate"),
        indirect_basis=indirect.get("basis", str, "brochure"),
        indirect_note=indirect.get("note", str, ""),
        indirect_note_ja=indirect.get("note_ja", str, ""),
        menus=menus,
        jisso=jisso,
        path=origin,
    )
    indirect.done()
    top.done()
    for m in menus:
        if m.follows is not None and m.follows not in {x.id for x in menus if x is not m}:
            raise _bad(origin, f"menus.{m.id}.follows", "must name another menu", m.follows)
    if not any(m.fund_type == "repayable" for m in menus):
        raise _bad(origin, "menus", "must include one repayable (実装支援) menu", list(menus_t.data))
    return book


def package_file(*parts: str) -> str:
    """A data file shipped inside the package (the package is installed unpacked)."""
    return os.path.join(os.path.dirname(__file__), *parts)


def load_rulebook(path: str | None = None) -> Rulebook:
    """Load and validate a rulebook: the bundled one, or the TOML file at ``path``.

    Parsed once per process and file version: a file edited since is read again.
    """
    if path is None:
        return _load(None, 0)
    try:
        version = os.stat(path).st_mtime_ns
    except OSError:
        version = -1
    return _load(str(path), version)


@lru_cache(maxsize=8)
def _load(path: str | None, _version: int) -> Rulebook:
    from astep_calc.reader import parse_toml, read_text

    if path is None:
        origin, file = DEFAULT_RULEBOOK, package_file("rules", DEFAULT_RULEBOOK)
    else:
        origin = file = str(path)
    label = Text("rulebook ", "ルールブック ")
    doc = parse_toml(read_text(file, label=label), origin, label=label)
    return parse_rulebook(doc.data, origin)
