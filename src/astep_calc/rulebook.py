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

from astep_calc.money import MAX_YEN
from astep_calc.reader import ParsedFile, Section, parse_toml, read_text, show
from astep_calc.text import Text, did_you_mean, not_one_of

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
    #: The menu's short name, as a phase label and a menu column read it (``ステージⅠ``);
    #: a rulebook without ``short`` uses the full name.
    short: Text = NO_TEXT

    def __post_init__(self) -> None:
        if not self.short.en:
            object.__setattr__(self, "short", self.name)
        if self.fund_type not in FUND_TYPES:
            raise not_one_of(self.fund_type, FUND_TYPES, noun=Text("fund type", "資金タイプ"), field="fund_type")
        if self.cap_kind not in CAP_KINDS:
            raise not_one_of(self.cap_kind, CAP_KINDS, noun=Text("cap kind", "上限の種類"), field="cap_kind")


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
    """How a grade reads, from the rulebook: ``事後評価 S/A/B`` for the grades that repay alike
    (``事後評価 A`` with ``grouped=False``), ``開発中止の場合`` for discontinued (a status, not a grade).

    >>> a = load_rulebook().jisso.repayment.grade("A")
    >>> grade_label(a).ja, grade_label(a, grouped=False).en
    ('事後評価 S/A/B', 'grade A')
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
        raise not_one_of(grade_id, [g.id for g in self.grades], noun=Text("grade", "評価"), field="grade")

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
    #: JST's check of the 事業計画・返済計画 before an application (optional), which the
    #: company checks cite.
    plan_check_cite: Citation | None = None


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
        raise not_one_of(menu_id, [m.id for m in self.menus], noun=Text("menu", "メニュー"), field="menu")

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


#: The longest period, term or first-payment limit a rulebook may set: far above any
#: programme (the 2024 brochure's longest is 120 months), low enough that every schedule
#: computed from it stays small.
MAX_RULE_MONTHS = 360


def _text(t: Section, name: str, default: Text | None = None) -> Text:
    """A bilingual value: an inline table ``{ en = "...", ja = "..." }``."""
    if name not in t and default is not None:
        t.value(name, None)
        return default
    sub = t.table(name)
    text = Text(sub.string("en"), sub.string("ja"))
    sub.done()
    return text


def _cite(t: Section, sources: Mapping[str, Source], prefix: str = "") -> Citation:
    """A rule's ``source`` (a key of ``[sources]``) with its ``quote`` and/or ``note``
    (``<prefix>_source`` ... for a rule kept among other keys)."""
    key = f"{prefix}_" if prefix else ""
    source_id = t.choice(
        f"{key}source", list(sources), what=Text("a source defined in [sources]", "[sources] で定義した出典")
    )
    return Citation(sources[source_id], t.string(f"{key}quote", ""), _text(t, f"{key}note", NO_TEXT))


def _months(t: Section, name: str, minimum: int = 1) -> int:
    """A number of months a rule sets: a whole number from ``minimum`` to :data:`MAX_RULE_MONTHS`."""
    value: int = t.integer(name, minimum=minimum, maximum=MAX_RULE_MONTHS)
    return value


def _ratio(t: Section, name: str) -> Fraction | None:
    """A ratio of 0 or more, such as "1", "0.5" or "150%" (unlike a rate, it may exceed 1); None when absent."""
    raw = t.value(name, None)
    if name not in t:
        return None
    text = str(raw).strip() if isinstance(raw, str | Decimal | int) and not isinstance(raw, bool) else ""
    percent = text.endswith("%")
    try:
        value = Fraction(Decimal(text[:-1] if percent else text)) / (100 if percent else 1)
    except (ArithmeticError, ValueError):
        raise t.wrong_type(name, raw, Text('a ratio such as "1" or "50%"', '"1" または "50%" のような比率')) from None
    if value < 0 or value > 100:
        raise t.error(
            name,
            f"must be from 0 to 100 (10000%), got {show(raw)}",
            f"{show(raw, lang='ja')}は範囲外です。0〜100（10000%）の範囲で指定してください",
        )
    return value


def _menu(t: Section, menu_id: str, sources: Mapping[str, Source]) -> Menu:
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", menu_id):
        raise t.error(
            None,
            "must be a lowercase menu id (letters, digits, hyphens)",
            "メニューIDは英小文字、数字、ハイフンで書いてください",
        )
    fund_type: FundType = t.choice("fund_type", FUND_TYPES, what=Text("a fund type", "資金タイプ"))
    cap_kind: CapKind = t.choice("cap_kind", CAP_KINDS, what=Text("a cap kind", "上限の種類"))
    menu = Menu(
        id=menu_id,
        name=_text(t, "name"),
        short=_text(t, "short", NO_TEXT),
        fund_type=fund_type,
        cap_kind=cap_kind,
        cap=t.integer("cap", minimum=1, maximum=MAX_YEN),
        first_year_prorated=t.boolean("first_year_prorated"),
        period_months=_months(t, "period_months"),
        cite=_cite(t, sources),
        matching_min_ratio=_ratio(t, "matching_min_ratio"),
        follows=t.string("follows", None),
    )
    if menu.matching_min_ratio is not None and fund_type != "matching":
        raise t.error(
            "matching_min_ratio",
            f"applies to a matching-fund menu only, not to a {fund_type} one",
            f"マッチングファンドのメニューにだけ指定できます（{fund_type} のメニューからは削除してください）",
        )
    t.done()
    return menu


def _grade(t: Section, grade_id: str, sources: Mapping[str, Source]) -> Grade:
    label = _text(t, "label")
    share: Fraction = t.rate("share")
    if share <= 0:
        raise t.error(
            "share",
            "must be more than 0: a grade repays some of the development cost",
            "0より大きくしてください（どの評価でも開発費の一部を返済します）",
        )
    grade = Grade(
        id=grade_id,
        share=share,
        lump_only=t.boolean("lump_only"),
        label=label,
        scenario=t.string("scenario", grade_id),
        scenario_label=_text(t, "scenario_label", label),
        cite=_cite(t, sources),
    )
    t.done()
    return grade


def _repayment(t: Section, sources: Mapping[str, Source]) -> RepaymentRules:
    grades_t = t.table("grades")
    grades = tuple(_grade(g, gid, sources) for gid, g in grades_t.tables())
    if not grades:
        raise t.error("grades", "must define at least one grade", "評価を1つ以上定義してください")
    ids = [g.id for g in grades]
    default_grade = t.choice("default_grade", ids, what=Text("a grade defined below", "下で定義した評価"))
    interest_rate = t.rate("interest_rate")
    if interest_rate != 0:
        raise t.error(
            "interest_rate",
            'must be "0": this version computes interest-free repayment only',
            '"0" にしてください（このバージョンは無利子の返済だけを計算します）',
        )
    term = _months(t, "term_max_months")
    deferral = _months(t, "deferral_max_months", minimum=0)
    if deferral >= term:
        raise t.error(
            "deferral_max_months",
            f"must be below the term ({term} months), got {deferral}",
            f"「{deferral}」は使えません。返済期間（{term}か月）より短くしてください",
        )
    limits = {name: _months(t, name) for name in ("first_due_max_months", "lump_due_months", "discontinued_due_months")}
    for name, value in limits.items():
        if value > term:
            raise t.error(
                name,
                f"must not be beyond the term ({term} months), got {value}",
                f"「{value}」は使えません。返済期間（{term}か月）以内にしてください",
            )
    rules = RepaymentRules(
        default_grade=default_grade,
        interest_rate=interest_rate,
        term_max_months=term,
        deferral_max_months=deferral,
        cite=_cite(t, sources),
        first_due_max_months=limits["first_due_max_months"],
        first_due_cite=_cite(t, sources, "first_due"),
        lump_due_months=limits["lump_due_months"],
        lump_due_cite=_cite(t, sources, "lump_due"),
        discontinued_grade=t.choice("discontinued_grade", ids, what=Text("a grade defined below", "下で定義した評価")),
        discontinued_due_months=limits["discontinued_due_months"],
        discontinued_due_cite=_cite(t, sources, "discontinued_due"),
        milestone_cite=_cite(t, sources, "milestone"),
        grades=grades,
    )
    t.done()
    return rules


def _divisor_of_a_year(t: Section, name: str) -> int:
    value: int = t.integer(name, minimum=1, maximum=12)
    if 12 % value:
        raise t.error(
            name,
            f"must divide a fiscal year evenly (1, 2, 3, 4, 6 or 12 months), got {value}",
            f"「{value}」は使えません。1年度を割り切る月数（1、2、3、4、6、12）にしてください",
        )
    return value


def parse_rulebook(data: dict[str, Any], origin: str) -> Rulebook:
    """Validate a parsed rulebook; an error names the file and the dotted key."""
    return read_rulebook(ParsedFile(origin, data, {}, RULEBOOK_LABEL))


#: In front of a rulebook's file name in messages.
RULEBOOK_LABEL = Text("rulebook ", "ルールブック ")


def read_rulebook(doc: ParsedFile) -> Rulebook:
    """Validate a rulebook document key by key (the reader plan files use): an error names
    the file, the dotted key and its line; an unknown key gets a did-you-mean hint."""
    top = doc.root()
    sources_t = top.table("sources")
    sources: dict[str, Source] = {}
    for sid, st in sources_t.tables():
        sources[sid] = Source(sid, _text(st, "name"))
        st.done()
    fund_t = top.table("fund_types")
    fund_types = {ft: _text(fund_t, ft) for ft in FUND_TYPES}
    fund_t.done()
    indirect = top.table("indirect")
    menus_t = top.table("menus")
    menus = tuple(_menu(mt, mid, sources) for mid, mt in menus_t.tables())
    jisso_t = top.table("jisso")
    jisso = JissoRules(
        collateral_rate=jisso_t.rate("collateral_rate"),
        collateral_cite=_cite(jisso_t, sources, "collateral"),
        advance_every_months=_divisor_of_a_year(jisso_t, "advance_every_months"),
        advance_cite=_cite(jisso_t, sources, "advance"),
        repayment=_repayment(jisso_t.table("repayment"), sources),
        plan_check_cite=_cite(jisso_t, sources, "plan_check") if "plan_check_source" in jisso_t else None,
    )
    jisso_t.done()
    book = Rulebook(
        id=top.string("id"),
        edition=top.string("edition"),
        source=top.string("source"),
        sources=tuple(sources.values()),
        fund_types=fund_types,
        indirect_rate=indirect.rate("rate"),
        indirect_cite=_cite(indirect, sources),
        menus=menus,
        jisso=jisso,
        path=doc.origin,
    )
    indirect.done()
    top.done()
    ids = [m.id for m in menus]
    for m, (_, mt) in zip(menus, menus_t.tables(), strict=True):
        if m.follows is not None and (m.follows not in ids or m.follows == m.id):
            hint = did_you_mean(m.follows, [i for i in ids if i != m.id])
            raise mt.error(
                "follows",
                f"must name another menu, got {show(m.follows)}{hint.en}",
                f"{show(m.follows, lang='ja')}は使えません{hint.ja}。ほかのメニューのIDを指定してください",
            )
    if not any(m.fund_type == "repayable" for m in menus):
        raise top.error(
            "menus", "must include one repayable (実装支援) menu", "返済型（実装支援）のメニューを1つ含めてください"
        )
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
    if path is None:
        origin, file = DEFAULT_RULEBOOK, package_file("rules", DEFAULT_RULEBOOK)
    else:
        origin = file = str(path)
    return read_rulebook(parse_toml(read_text(file, label=RULEBOOK_LABEL), origin, label=RULEBOOK_LABEL))
