"""Plan files for ``astep check`` (SPEC §6-7): load a TOML or JSON plan, check it against the rules.

A plan is what a team keeps in its repository: the menu, the period, and either the
budget requested per fiscal year (stage1, stage2, stage2-gate) or the 実装支援 amount,
collateral and repayment (jisso). :func:`load_plan` validates every key and names the
file, the dotted key and the line of anything it cannot use; :func:`check_plan` lists
every programme rule the plan breaks, computed by the same core functions as
``astep budget`` and ``astep repay`` (never a second implementation of a rule).

>>> from astep_calc.rulebook import load_rulebook
>>> rb = load_rulebook()
>>> plan = parse_plan('menu = "stage1"\\nstart = 2026-10-01\\nend = 2029-03-31\\n'
...                   '[budget]\\n2026 = "800万"\\n2030 = 1\\n', "plan.toml", rb)
>>> [v.rule for v in check_plan(rb, plan)]
['budget.fy_cap', 'budget.outside_period']
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

from astep_calc.budget import BudgetPlan, fiscal_year_caps, period_violations
from astep_calc.dates import fiscal_year_label
from astep_calc.jisso import amount_violations, collateral, collateral_assumptions, require_positive
from astep_calc.money import format_rate, format_yen
from astep_calc.reader import Document, Table, parse_json, parse_toml, read_text
from astep_calc.repayment import FREQUENCIES, Schedule, Terms, custom_schedule, schedule
from astep_calc.rulebook import Menu, Rulebook, load_rulebook, package_file
from astep_calc.text import InputError, Text, Violation

#: The keys a plan file may hold, per table; the JSON Schema lists exactly these.
TOP_KEYS = ("$schema", "menu", "start", "end", "indirect_rate", "budget", "amount", "collateral",
            "repayment")
#: Keys only an annual-cap menu (stage1, stage2, stage2-gate) takes.
ANNUAL_KEYS = ("indirect_rate", "budget")
#: Keys only the repayable menu (jisso) takes.
JISSO_KEYS = ("amount", "collateral", "repayment")
#: ``[repayment]``: a generated schedule (deferral, term, every, lump, due) or ``payments``.
REPAYMENT_KEYS = ("grade", "deferral", "term", "every", "lump", "due", "payments")
LAYOUT_KEYS = ("deferral", "term", "every", "lump", "due")
PAYMENT_KEYS = ("due", "amount")
_FISCAL_YEAR_KEY = re.compile(r"\d{4}")

@dataclass(frozen=True)
class Repayment:
    """A jisso plan's repayment: a generated layout (``terms``) or explicit ``payments``."""

    grade: str | None = None
    terms: Terms | None = None
    payments: tuple[tuple[date, int], ...] = ()


@dataclass(frozen=True)
class Plan:
    """One plan file, validated. ``budget`` holds (fiscal year, requested yen incl. 間接経費)."""

    path: str
    menu: str
    start: date
    end: date
    indirect_rate: Fraction | None = None
    budget: tuple[tuple[int, int], ...] = ()
    amount: int | None = None
    collateral: int | None = None
    repayment: Repayment | None = None
    #: Line of each dotted key in the file, for messages; not part of the plan itself.
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class PlanCheck:
    """A plan checked: every violation, the assumptions, and the numbers behind them."""

    plan: Plan
    menu: Menu
    violations: tuple[Violation, ...]
    assumptions: tuple[Text, ...]
    caps: BudgetPlan | None = None
    collateral_required: int | None = None
    schedule: Schedule | None = None


# ---------------------------------------------------------------------------------------
# Reading the file


def load_plan(path: str | Path, rules: Rulebook | None = None) -> Plan:
    """Read and validate a plan file: JSON when it ends in ``.json``, TOML otherwise.

    Anything unusable raises :class:`InputError` naming the file, the dotted key and,
    where it can be found, the line. At most :data:`~astep_calc.reader.MAX_INPUT_BYTES`
    are read.
    """
    origin = str(path)
    text = read_text(path)
    return parse_plan(text, origin, rules, json_format=origin.lower().endswith(".json"))


def parse_plan(text: str, origin: str, rules: Rulebook | None = None, *, json_format: bool = False) -> Plan:
    """Validate a plan given as text (TOML, or JSON with ``json_format``); see :func:`load_plan`."""
    rules = rules if rules is not None else load_rulebook()
    doc = parse_json(text, origin) if json_format else parse_toml(text, origin)
    return read_plan(doc, rules)


def checkable_menus(rules: Rulebook) -> list[str]:
    """The menus a plan may name: those with a cap per fiscal year, and the repayable one."""
    return [m.id for m in rules.menus if m.cap_kind == "annual" or m.fund_type == "repayable"]


def read_plan(doc: Document, rules: Rulebook) -> Plan:
    """Validate a parsed plan document key by key; every error names the file, key and line."""
    top = doc.root()
    top.only(TOP_KEYS)
    top.string("$schema", None)
    menu = rules.menu(top.choice("menu", checkable_menus(rules), what=Text("a menu", "メニュー")))
    start = top.day("start")
    end = top.day("end")
    kind_keys, other_keys = (ANNUAL_KEYS, JISSO_KEYS) if menu.cap_kind == "annual" else (JISSO_KEYS, ANNUAL_KEYS)
    for name in other_keys:
        if name in top:
            raise top.error(name, f"does not apply to menu {menu.id!r} (it takes {', '.join(kind_keys)})",
                            f"メニュー {menu.id!r} では使えません（使えるキー：{', '.join(kind_keys)}）")
    base = Plan(path=doc.origin, menu=menu.id, start=start, end=end, lines=doc.lines)
    if menu.cap_kind == "annual":
        return _annual(top, base)
    return _jisso(top, base, rules)


def _annual(top: Table, plan: Plan) -> Plan:
    rate = top.rate("indirect_rate", None)
    budget = top.table("budget", default_empty=True) if "budget" in top else None
    requests: list[tuple[int, int]] = []
    if budget is not None:
        for name in budget.names():
            if not _FISCAL_YEAR_KEY.fullmatch(name):
                raise budget.error(name, "is not a fiscal year: write the year it starts in, e.g. 2026",
                                   "年度ではありません（2026 のように年度の始まる年で書いてください）")
            requests.append((int(name), budget.yen(name)))
    return replace(plan, indirect_rate=rate, budget=tuple(sorted(requests)))


def _jisso(top: Table, plan: Plan, rules: Rulebook) -> Plan:
    amount = top.yen("amount")
    with top.core("amount"):
        require_positive(amount, Text("the total development cost", "開発費総額"))
    posted = top.yen("collateral")
    repayment = _repayment(top.table("repayment", default_empty=True), rules)
    out = replace(plan, amount=amount, collateral=posted, repayment=repayment)
    _schedule(rules, out)  # an impossible layout is an unusable plan: fail here, naming the key
    return out


def _repayment(t: Table, rules: Rulebook) -> Repayment:
    t.only(REPAYMENT_KEYS)
    grade = t.choice("grade", [g.id for g in rules.jisso.repayment.grades], what=Text("a grade", "評価"),
                     default=None)
    if "payments" in t:
        layout = [k for k in LAYOUT_KEYS if k in t]
        if layout:
            raise t.error(layout[0], "cannot be combined with payments: an explicit schedule gives every due date",
                          "payments（返済計画の明示）と併用できません")
        rows = t.array_of_tables("payments", want=Text("a non-empty list of {due, amount} tables",
                                                       "{due, amount} のテーブルを1件以上並べた配列"))
        payments = []
        for row in rows:
            row.only(PAYMENT_KEYS)
            payments.append((row.day("due"), row.yen("amount")))
        return Repayment(grade=grade, payments=tuple(payments))
    given: dict[str, Any] = {"grade": grade}  # keys left out keep the Terms defaults, as on the command line
    if "every" in t:
        given["every_months"] = FREQUENCIES[t.choice("every", list(FREQUENCIES),
                                                     what=Text("a payment frequency", "返済間隔"))]
    if "lump" in t:
        given["lump"] = t.boolean("lump")
    if "deferral" in t:
        given["deferral_months"] = t.months("deferral")
    if "term" in t:
        given["term_months"] = t.months("term")
    if "due" in t:
        given["due"] = t.day("due")
    with t.core():
        terms = Terms(**given)
    return Repayment(grade=grade, terms=terms)


# ---------------------------------------------------------------------------------------
# Checking


def _schedule(rules: Rulebook, plan: Plan) -> Schedule:
    """The plan's repayment schedule, from the development end = the plan's end."""
    assert plan.amount is not None
    rp = plan.repayment or Repayment(terms=Terms())
    try:
        if rp.payments:
            return custom_schedule(rules, plan.amount, plan.end, list(rp.payments), rp.grade)
        return schedule(rules, plan.amount, plan.end, rp.terms or Terms(grade=rp.grade))
    except InputError as exc:  # an impossible layout (grade C with a deferral, N not whole, ...)
        raise Document(plan.path, {}, plan.lines).core_error(exc, ("repayment",)) from None


def check_plan(rules: Rulebook, plan: Plan) -> tuple[Violation, ...]:
    """Every programme rule the plan breaks, with SPEC §6 rule ids."""
    return evaluate_plan(rules, plan).violations


def evaluate_plan(rules: Rulebook, plan: Plan) -> PlanCheck:
    """Check a plan with the core the commands use: ``fiscal_year_caps`` for stage menus;
    ``period_violations``, ``amount_violations``, ``collateral`` and ``schedule`` /
    ``custom_schedule`` for 実装支援 (repayment measured from the development end = ``end``)."""
    menu = rules.menu(plan.menu)
    if menu.cap_kind == "annual":
        caps = fiscal_year_caps(rules, menu.id, plan.start, plan.end, indirect_rate=plan.indirect_rate)
        found = list(caps.violations)
        if plan.end >= plan.start:  # with the dates reversed there are no fiscal years to compare
            found += _request_violations(caps, plan.budget)
        return PlanCheck(plan, menu, tuple(found), (*caps.assumptions, REQUEST_ASSUMPTION), caps=caps)
    if plan.amount is None or plan.collateral is None:
        raise InputError(f"{plan.path}: a {menu.id} plan needs amount and collateral",
                         f"{plan.path}: {menu.id} のプランには amount と collateral が必要です")
    required = collateral(rules, plan.amount)
    found = list(period_violations(menu, plan.start, plan.end)) + list(amount_violations(rules, plan.amount))
    if plan.collateral < required:
        found.append(_collateral_violation(rules, plan.amount, plan.collateral, required))
    s = _schedule(rules, plan)
    found += [v for v in s.violations if v not in found]  # amount.max is found by both
    return PlanCheck(plan, menu, tuple(found),
                     (*collateral_assumptions(rules), *s.assumptions, REPAYMENT_ASSUMPTION),
                     collateral_required=required, schedule=s)


REQUEST_ASSUMPTION = Text(
    "Each [budget] entry is the fiscal year's request including indirect costs, compared with "
    "that year's cap as `astep budget` computes it; a request for a fiscal year outside the "
    "period is a violation unless it is 0",
    "[budget] の各年度の額は間接経費を含む申請額で、`astep budget` と同じ計算による当該年度の上限額と比較。"
    "実施期間外の年度への計上は、0円でない限り違反",
)
REPAYMENT_ASSUMPTION = Text(
    "Repayment is measured from the development end (the plan's end) on the total development "
    "cost (amount), taken as what JST paid",
    "返済はプランの end（開発終了日）から起算し、開発費総額（amount）をJSTからの支払額とみなして計算",
)


def _request_violations(caps: BudgetPlan, budget: tuple[tuple[int, int], ...]) -> list[Violation]:
    out: list[Violation] = []
    first, last = caps.rows[0].fiscal_year, caps.rows[-1].fiscal_year
    for year, requested in budget:
        row = caps.row(year)
        fy_en, fy_ja = fiscal_year_label(year, "en"), fiscal_year_label(year, "ja")
        if row is None:
            if requested:
                out.append(Violation("budget.outside_period", Text(
                    f"{fy_en}: {format_yen(requested)} yen requested for a fiscal year the project does not run in "
                    f"({caps.start.isoformat()} to {caps.end.isoformat()} covers FY{first} to FY{last})",
                    f"{fy_ja}：実施期間（{caps.start.isoformat()}〜{caps.end.isoformat()}、{first}〜{last}年度）"
                    f"外の年度に {format_yen(requested)}円 を計上しています")))
        elif requested > row.cap:
            how_en = f" (prorated for {row.months} of 12 months)" if row.prorated else ""
            how_ja = f"（{row.months}か月分で按分）" if row.prorated else ""
            out.append(Violation("budget.fy_cap", Text(
                f"{fy_en}: the request of {format_yen(requested)} yen is over the cap of "
                f"{format_yen(row.cap)} yen{how_en} by {format_yen(requested - row.cap)} yen",
                f"{fy_ja}：申請額 {format_yen(requested)}円 が上限額 {format_yen(row.cap)}円{how_ja} を "
                f"{format_yen(requested - row.cap)}円 超えています")))
    return out


def _collateral_violation(rules: Rulebook, amount: int, posted: int, required: int) -> Violation:
    rate = format_rate(rules.jisso.collateral_rate)
    return Violation("collateral.min", Text(
        f"the collateral or guarantee of {format_yen(posted)} yen is under the required "
        f"{format_yen(required)} yen ({rate} of the total development cost {format_yen(amount)} yen, "
        f"rounded up); short by {format_yen(required - posted)} yen",
        f"担保又は保証 {format_yen(posted)}円 が必要額 {format_yen(required)}円（開発費総額 "
        f"{format_yen(amount)}円 の{rate}、1円未満切り上げ）に {format_yen(required - posted)}円 足りません"))


def plan_schema(rules: Rulebook | None = None) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of plan files, its menus and grades those of ``rules``.

    >>> plan_schema()["properties"]["menu"]["enum"]
    ['stage1', 'stage2', 'stage2-gate', 'jisso']
    """
    rules = rules if rules is not None else load_rulebook()
    with open(package_file("schema", "plan.schema.json"), encoding="utf-8") as fh:
        schema: dict[str, Any] = json.load(fh)
    props = schema["properties"]
    props["menu"]["enum"] = checkable_menus(rules)
    props["repayment"]["properties"]["grade"]["enum"] = [g.id for g in rules.jisso.repayment.grades]
    schema["if"]["properties"]["menu"]["const"] = next(m.id for m in rules.menus if m.fund_type == "repayable")
    return schema


def plan_schema_text(rules: Rulebook | None = None) -> str:
    """:func:`plan_schema` as the JSON text ``astep schema`` prints."""
    return json.dumps(plan_schema(rules), ensure_ascii=False, indent=2) + "\n"


__all__ = [
    "Plan",
    "PlanCheck",
    "Repayment",
    "check_plan",
    "evaluate_plan",
    "load_plan",
    "parse_plan",
    "plan_schema",
    "plan_schema_text",
    "read_plan",
]
