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
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any, Literal, get_args

from astep_calc.money import parse_rate
from astep_calc.text import InputError, Text, did_you_mean

DEFAULT_RULEBOOK = "a-step-2024.toml"

FundType = Literal["grant", "matching", "repayable"]
CapKind = Literal["annual", "total"]
FUND_TYPES: tuple[FundType, ...] = get_args(FundType)
CAP_KINDS: tuple[CapKind, ...] = get_args(CapKind)
NO_TEXT = Text("", "")


@dataclass(frozen=True)
class Source:
    """Where a rule comes from: the brochure, the call guidelines, a JST page, or an assumption.

    >>> load_rulebook().source_named("assumption").name.ja
    '仮定'
    """

    id: str
    name: Text


@dataclass(frozen=True)
class Citation:
    """A rule's source, with the source's own words (``quote``) or a summary (``note``)."""

    source: Source
    quote: str = ""
    note: Text = NO_TEXT

    @property
    def words(self) -> Text:
        """What the source says: the quote (in its own language) when there is one, else the note."""
        return Text(self.quote, self.quote) if self.quote else self.note


@dataclass(frozen=True)
class Menu:
    """One support menu: its cap, whether it is per fiscal year or in total, its period limit."""

    id: str
    name: Text
    fund_type: FundType
    cap_kind: CapKind
    cap: int
    first_year_prorated: bool
    period_months: int
    cite: Citation
    #: The companies' own contribution must be at least this share of JST's money (a
    #: matching-fund menu only; optional, absent in the 2024 brochure: none is invented).
    matching_min_ratio: Fraction | None = None
    #: The menu a phase of this one must follow in a plan (``phase.gate``): stage2-gate
    #: is entered from stage1 through the stage gate.
    follows: str | None = None

    def __post_init__(self) -> None:
        if self.fund_type not in FUND_TYPES:
            raise InputError(f"fund type {self.fund_type!r} is not one of {', '.join(FUND_TYPES)}",
                             f"資金の種類 {self.fund_type!r} は {'・'.join(FUND_TYPES)} のいずれでもありません",
                             field="fund_type")
        if self.cap_kind not in CAP_KINDS:
            raise InputError(f"cap kind {self.cap_kind!r} is not one of {', '.join(CAP_KINDS)}",
                             f"上限の種類 {self.cap_kind!r} は {'・'.join(CAP_KINDS)} のいずれでもありません",
                             field="cap_kind")


@dataclass(frozen=True)
class Grade:
    """A post-evaluation grade: the share of the development cost it repays, and how it reads."""

    id: str
    share: Fraction
    lump_only: bool
    label: Text
    scenario: str
    scenario_label: Text
    cite: Citation


def grade_label(grade: Grade, *, grouped: bool = True) -> Text:
    """How a grade reads, from the rulebook: ``S/A/B評価`` for the grades that repay alike
    (``A評価`` with ``grouped=False``), ``開発中止`` for discontinued.

    >>> a = load_rulebook().jisso.repayment.grade("A")
    >>> grade_label(a).ja, grade_label(a, grouped=False).en
    ('S/A/B評価', 'grade A')
    """
    return grade.scenario_label if grouped else grade.label


@dataclass(frozen=True)
class RepaymentRules:
    """実装支援 repayment terms."""

    default_grade: str
    interest_rate: Fraction
    term_max_months: int
    deferral_max_months: int
    cite: Citation
    #: Every layout's first payment falls due no later than add_months(E, this).
    first_due_max_months: int
    first_due_cite: Citation
    #: A lump sum (grade C or by choice) falls due add_months(E, D + this).
    lump_due_months: int
    lump_due_cite: Citation
    #: The grade id that stands for 開発中止, and its default lump sum's months after the stop.
    discontinued_grade: str
    discontinued_due_months: int
    discontinued_due_cite: Citation
    milestone_cite: Citation
    grades: tuple[Grade, ...]

    def grade(self, grade_id: str) -> Grade:
        wanted = grade_id.strip()
        for g in self.grades:
            if g.id.lower() == wanted.lower():
                return g
        choices = ", ".join(g.id for g in self.grades)
        hint = did_you_mean(grade_id, [g.id for g in self.grades])
        raise InputError(
            f"{grade_id!r} is not one of {choices}{hint.en}",
            f"{grade_id!r} は {choices} のいずれでもありません{hint.ja}",
            field="grade",
        )

    def is_discontinued(self, grade: Grade) -> bool:
        """Whether ``grade`` is the rulebook's 開発中止 case."""
        return grade.id == self.discontinued_grade

    @property
    def custom_first_due_max_months(self) -> int:
        """The first-payment limit (its name before it applied to every layout)."""
        return self.first_due_max_months


@dataclass(frozen=True)
class JissoRules:
    """実装支援 (返済型): collateral, advances and repayment."""

    collateral_rate: Fraction
    collateral_cite: Citation
    advance_every_months: int
    advance_cite: Citation
    repayment: RepaymentRules


@dataclass(frozen=True)
class Rulebook:
    """All programme numbers in force, with the edition they come from."""

    id: str
    edition: str
    source: str
    sources: tuple[Source, ...]
    fund_types: Mapping[FundType, Text]
    indirect_rate: Fraction
    indirect_cite: Citation
    menus: tuple[Menu, ...]
    jisso: JissoRules
    path: str = field(default="", compare=False)

    def menu(self, menu_id: str) -> Menu:
        """The menu with this id; the error lists the ids that exist."""
        for m in self.menus:
            if m.id == menu_id.strip().lower():
                return m
        choices = ", ".join(m.id for m in self.menus)
        hint = did_you_mean(menu_id, [m.id for m in self.menus])
        raise InputError(
            f"{menu_id!r} is not one of {choices}{hint.en}",
            f"{menu_id!r} は {choices} のいずれでもありません{hint.ja}",
            field="menu",
        )

    def source_named(self, source_id: str) -> Source:
        """The source with this id (a key of the rulebook's ``[sources]``)."""
        return next(s for s in self.sources if s.id == source_id)

    def fund_type_label(self, fund_type: FundType) -> Text:
        """How a fund type reads (グラント, マッチングファンド, 返済型)."""
        return self.fund_types[fund_type]

    @property
    def indirect_basis(self) -> str:
        """The id of the indirect rate's source (``assumption`` in the bundled rulebook)."""
        return self.indirect_cite.source.id


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


def _text(t: _Table, name: str, default: Text | None = None) -> Text:
    """A bilingual value: an inline table ``{ en = "...", ja = "..." }``."""
    if name not in t.data and default is not None:
        t.seen.add(name)
        return default
    sub = t.table(name)
    text = Text(sub.get("en", str), sub.get("ja", str))
    sub.done()
    return text


def _cite(t: _Table, sources: Mapping[str, Source], prefix: str = "") -> Citation:
    """A rule's ``source`` (a key of ``[sources]``) with its ``quote`` and/or ``note``
    (``<prefix>_source`` ... for a rule kept among other keys)."""
    key = f"{prefix}_" if prefix else ""
    source_id = t.get(f"{key}source", str)
    if source_id not in sources:
        raise _bad(t.origin, t.key(f"{key}source"), f"must name a source defined in [sources] "
                   f"({', '.join(sources)})", source_id)
    return Citation(sources[source_id], t.get(f"{key}quote", str, ""), _text(t, f"{key}note", NO_TEXT))


def _menu(t: _Table, menu_id: str, sources: Mapping[str, Source]) -> Menu:
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
        name=_text(t, "name"),
        fund_type=fund_type,
        cap_kind=cap_kind,
        cap=t.positive_int("cap"),
        first_year_prorated=t.get("first_year_prorated", bool),
        period_months=t.positive_int("period_months"),
        cite=_cite(t, sources),
        matching_min_ratio=t.ratio("matching_min_ratio") if "matching_min_ratio" in t.data else None,
        follows=t.get("follows", str, None),
    )
    if menu.matching_min_ratio is not None and fund_type != "matching":
        raise _bad(t.origin, t.key("matching_min_ratio"), "applies to a matching-fund menu only", fund_type)
    t.done()
    return menu


def _grade(t: _Table, grade_id: str, sources: Mapping[str, Source]) -> Grade:
    label = _text(t, "label")
    grade = Grade(
        id=grade_id,
        share=t.rate("share"),
        lump_only=t.get("lump_only", bool),
        label=label,
        scenario=t.get("scenario", str, grade_id),
        scenario_label=_text(t, "scenario_label", label),
        cite=_cite(t, sources),
    )
    t.done()
    return grade


def _repayment(t: _Table, sources: Mapping[str, Source]) -> RepaymentRules:
    grades_t = t.table("grades")
    grades = tuple(_grade(grades_t.table(gid), gid, sources) for gid in list(grades_t.data))
    grades_t.done()
    if not grades:
        raise _bad(t.origin, grades_t.where, "must define at least one grade", {})
    rules = RepaymentRules(
        default_grade=t.get("default_grade", str),
        interest_rate=t.rate("interest_rate"),
        term_max_months=t.positive_int("term_max_months"),
        deferral_max_months=t.get("deferral_max_months", int),
        cite=_cite(t, sources),
        first_due_max_months=t.positive_int("first_due_max_months"),
        first_due_cite=_cite(t, sources, "first_due"),
        lump_due_months=t.positive_int("lump_due_months"),
        lump_due_cite=_cite(t, sources, "lump_due"),
        discontinued_grade=t.get("discontinued_grade", str),
        discontinued_due_months=t.positive_int("discontinued_due_months"),
        discontinued_due_cite=_cite(t, sources, "discontinued_due"),
        milestone_cite=_cite(t, sources, "milestone"),
        grades=grades,
    )
    ids = {g.id for g in grades}
    if rules.default_grade not in ids:
        raise _bad(t.origin, t.key("default_grade"), "must name a grade defined below", rules.default_grade)
    if rules.discontinued_grade not in ids:
        raise _bad(t.origin, t.key("discontinued_grade"), "must name a grade defined below",
                   rules.discontinued_grade)
    if not 0 <= rules.deferral_max_months < rules.term_max_months:
        raise _bad(t.origin, t.key("deferral_max_months"), "must be 0 or more and below the term",
                   rules.deferral_max_months)
    for name in ("first_due_max_months", "lump_due_months", "discontinued_due_months"):
        if getattr(rules, name) > rules.term_max_months:
            raise _bad(t.origin, t.key(name), "must not be beyond the term", getattr(rules, name))
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
    sources_t = top.table("sources")
    sources: dict[str, Source] = {}
    for sid in list(sources_t.data):
        st = sources_t.table(sid)
        sources[sid] = Source(sid, _text(st, "name"))
        st.done()
    sources_t.done()
    fund_t = top.table("fund_types")
    fund_types = {ft: _text(fund_t, ft) for ft in FUND_TYPES}
    fund_t.done()
    indirect = top.table("indirect")
    menus_t = top.table("menus")
    menus = tuple(_menu(menus_t.table(mid), mid, sources) for mid in list(menus_t.data))
    menus_t.done()
    jisso_t = top.table("jisso")
    jisso = JissoRules(
        collateral_rate=jisso_t.rate("collateral_rate"),
        collateral_cite=_cite(jisso_t, sources, "collateral"),
        advance_every_months=_divisor_of_a_year(jisso_t, "advance_every_months"),
        advance_cite=_cite(jisso_t, sources, "advance"),
        repayment=_repayment(jisso_t.table("repayment"), sources),
    )
    jisso_t.done()
    book = Rulebook(
        id=top.get("id", str),
        edition=top.get("edition", str),
        source=top.get("source", str),
        sources=tuple(sources.values()),
        fund_types=fund_types,
        indirect_rate=indirect.rate("rate"),
        indirect_cite=_cite(indirect, sources),
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
