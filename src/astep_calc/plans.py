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

from astep_calc import plan_syntax
from astep_calc.budget import BudgetPlan, Proration
from astep_calc.business_days import BusinessDay
from astep_calc.money import DISPLAY_UNITS, DisplayUnit
from astep_calc.periods import period_end
from astep_calc.phases import Phase, PhaseResult, PlanModel, evaluate_phase
from astep_calc.reader import MAX_PAYMENTS, MAX_PHASES, Document, Table, parse_json, parse_toml, read_text
from astep_calc.repayment import FREQUENCIES, REMAINDERS, TERMS_FIELDS, Schedule, Terms, terms_from
from astep_calc.rulebook import Menu, Rulebook, load_rulebook, package_file
from astep_calc.text import Assumption, InputError, Text, Violation

#: The keys a plan file may hold at its top, in the JSON Schema's order: one phase's keys
#: (a single-phase file), the plan-wide keys, and ``phase`` (a plan of several phases).
TOP_KEYS = (
    "$schema",
    "menu",
    "start",
    "end",
    "indirect_rate",
    "budget",
    "amount",
    "collateral",
    "repayment",
    "matching",
    "stop",
    "collateral_release",
    "title",
    "discount_rate",
    "value_date",
    "proration",
    "prorate_last",
    "round",
    "business_day",
    "display_unit",
    "phase",
)
#: Keys of the whole plan, whatever its shape (proration, prorate_last and round set every
#: stage phase's caps, as ``astep budget --proration``, ``--prorate-last`` and ``--round`` do;
#: business_day every 実装支援 phase's dates, as ``--business-day`` does; display_unit the unit of
#: astep plan's tables and workbook, as ``--display-unit`` does).
PLAN_KEYS = (
    "title",
    "discount_rate",
    "value_date",
    "proration",
    "prorate_last",
    "round",
    "business_day",
    "display_unit",
)
#: The keys of one phase: a ``[[phase]]`` table, or the top of a single-phase file (without
#: ``months``: a single-phase file gives its end, as it always has).
PHASE_KEYS = (
    "menu",
    "start",
    "end",
    "months",
    "indirect_rate",
    "budget",
    "matching",
    "amount",
    "collateral",
    "repayment",
    "stop",
    "collateral_release",
)
#: Keys only an annual-cap menu (stage1, stage2, stage2-gate) takes; ``matching`` only a matching-fund one.
ANNUAL_KEYS = ("indirect_rate", "budget", "matching")
#: Keys only the repayable menu (jisso) takes.
JISSO_KEYS = ("amount", "collateral", "repayment", "stop", "collateral_release")
#: ``[repayment]``: a generated schedule (deferral, term, every, lump, due) or ``payments``.
REPAYMENT_KEYS = ("grade", "deferral", "term", "every", "lump", "due", "remainder", "unit", "payments")
LAYOUT_KEYS = ("deferral", "term", "every", "lump", "due", "remainder", "unit")
PAYMENT_KEYS = ("due", "amount")
#: The longest phase accepted as ``months`` (far above any menu's limit, which is checked as a rule).
MAX_MONTHS = 1200
_FISCAL_YEAR_KEY = re.compile(plan_syntax.FISCAL_YEAR)  # ASCII digits, as the schema says
_PLAN_SYNTAX = plan_syntax.plan_syntax()


@dataclass(frozen=True)
class Repayment:
    """A jisso plan's repayment: a generated layout (``terms``) or explicit ``payments``."""

    grade: str | None = None
    terms: Terms | None = None
    payments: tuple[tuple[date, int], ...] = ()


@dataclass(frozen=True)
class Plan:
    """A single-phase plan file, validated. ``budget`` holds (fiscal year, requested yen incl. 間接経費).

    A file of several phases is read with :func:`load_plan_file`; this is the one-phase view
    of the same keys, kept for the library's callers.
    """

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
    matching: tuple[tuple[int, int], ...] = ()
    stop: date | None = None
    collateral_release: date | None = None


@dataclass(frozen=True)
class PlanFile:
    """A plan file, validated, as the model of its phases.

    ``multi`` says the file lists its phases (``[[phase]]``); a single-phase file (menu,
    start, end at the top) is a plan of one phase and keeps its one-phase output in
    ``astep check``.
    """

    path: str
    model: PlanModel
    multi: bool
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)
    #: The unit ``astep plan`` shows amounts in (tables and xlsx) unless ``--display-unit`` is given.
    display_unit: DisplayUnit = DisplayUnit.YEN


@dataclass(frozen=True)
class PlanCheck:
    """A plan checked: every violation, the assumptions, and the numbers behind them."""

    plan: Plan
    menu: Menu
    violations: tuple[Violation, ...]
    assumptions: tuple[Text | Assumption, ...]
    caps: BudgetPlan | None = None
    collateral_required: int | None = None
    schedule: Schedule | None = None


# ---------------------------------------------------------------------------------------
# Reading the file


def load_plan_file(path: str | Path, rules: Rulebook | None = None) -> PlanFile:
    """Read and validate a plan file of one phase or several: JSON when it ends in ``.json``, TOML otherwise.

    Anything unusable raises :class:`InputError` naming the file, the dotted key and,
    where it can be found, the line. At most :data:`~astep_calc.reader.MAX_INPUT_BYTES`
    are read.
    """
    origin = str(path)
    text = read_text(path)
    return parse_plan_file(text, origin, rules, json_format=origin.lower().endswith(".json"))


def parse_plan_file(text: str, origin: str, rules: Rulebook | None = None, *, json_format: bool = False) -> PlanFile:
    """:func:`load_plan_file` for a plan given as text (TOML, or JSON with ``json_format``).

    >>> f = parse_plan_file('[[phase]]\\nmenu = "stage1"\\nstart = 2026-07-01\\nmonths = 30\\n'
    ...                     '[[phase]]\\nmenu = "stage2-gate"\\nstart = 2029-01-01\\nmonths = 48\\n', "p.toml")
    >>> [(p.menu, p.end.isoformat()) for p in f.model.phases]
    [('stage1', '2028-12-31'), ('stage2-gate', '2032-12-31')]
    """
    rules = rules if rules is not None else load_rulebook()
    doc = parse_json(text, origin) if json_format else parse_toml(text, origin)
    return read_plan_file(doc, rules)


def load_plan(path: str | Path, rules: Rulebook | None = None) -> Plan:
    """Read and validate a single-phase plan file (see :func:`load_plan_file` for any plan)."""
    origin = str(path)
    text = read_text(path)
    return parse_plan(text, origin, rules, json_format=origin.lower().endswith(".json"))


def parse_plan(text: str, origin: str, rules: Rulebook | None = None, *, json_format: bool = False) -> Plan:
    """Validate a single-phase plan given as text (TOML, or JSON with ``json_format``); see :func:`load_plan`."""
    rules = rules if rules is not None else load_rulebook()
    doc = parse_json(text, origin) if json_format else parse_toml(text, origin)
    return read_plan(doc, rules)


def checkable_menus(rules: Rulebook) -> list[str]:
    """The menus a plan may name: those with a cap per fiscal year, and the repayable one."""
    return [m.id for m in rules.menus if m.cap_kind == "annual" or m.fund_type == "repayable"]


def read_plan(doc: Document, rules: Rulebook) -> Plan:
    """Validate a parsed single-phase plan document key by key; see :func:`read_plan_file`."""
    return single_plan(read_plan_file(doc, rules))


def single_plan(plan_file: PlanFile) -> Plan:
    """The one-phase view of a single-phase plan file."""
    if plan_file.multi:
        raise InputError(
            f"{plan_file.path}: holds several phases ([[phase]]): read it with load_plan_file "
            "(astep check and astep plan do)",
            f"{plan_file.path}：複数のフェーズ（[[phase]]）を含む計画ファイルです。load_plan_file で読み込んでください",
        )
    p = plan_file.model.phases[0]
    repayment = None
    if p.amount is not None:
        terms = None if p.payments else p.terms
        repayment = Repayment(grade=p.terms.grade, terms=terms, payments=p.payments)
    return Plan(
        path=plan_file.path,
        menu=p.menu,
        start=p.start,
        end=p.end,
        indirect_rate=p.indirect_rate,
        budget=p.budget,
        amount=p.amount,
        collateral=p.collateral,
        repayment=repayment,
        lines=plan_file.lines,
        matching=p.matching,
        stop=p.stop,
        collateral_release=p.collateral_release,
    )


def read_plan_file(doc: Document, rules: Rulebook) -> PlanFile:
    """Validate a parsed plan document key by key; every error names the file, key and line.

    A single-phase file holds one phase's keys at its top; a plan of several phases lists
    them as ``[[phase]]`` tables, with ``indirect_rate`` and the plan-wide keys at the top.
    Each phase is read by the same code either way.
    """
    doc = replace(doc, syntax=_PLAN_SYNTAX, whole_decimals=True)  # values as the plan's JSON Schema says
    top = doc.root()
    if "months" in top and "phase" not in top:
        raise _months_in_a_single_phase(top)
    top.only(TOP_KEYS)
    top.string("$schema", None)
    shared: dict[str, Any] = {
        "title": top.string("title", None),
        "discount_rate": top.rate("discount_rate", None),
        "value_date": top.day("value_date", None),
        "prorate_last": top.boolean("prorate_last", None),
    }
    if "proration" in top:
        shared["proration"] = Proration(
            top.choice("proration", [p.value for p in Proration], what=Text("a proration", "按分方法"))
        )
    if "business_day" in top:
        shared["business_day"] = BusinessDay(
            top.choice(
                "business_day",
                [b.value for b in BusinessDay],
                what=Text("a business-day convention", "営業日の調整方法"),
            )
        )
    unit = DisplayUnit.YEN
    if "display_unit" in top:  # spelled exactly, as the JSON Schema's enum says
        unit = DISPLAY_UNITS[top.choice("display_unit", list(DISPLAY_UNITS), what=Text("a display unit", "表示単位"))]
    if "round" in top:
        shared["round_unit"] = top.yen("round")
        if shared["round_unit"] < 1:
            raise top.error("round", "must be at least 1 yen", "1円以上にしてください")
    if "phase" not in top:
        phase = _phase(top, rules)
        model = PlanModel((phase,), phased=False, **shared)
        with top.core():  # the caps options, checked by the budget core as astep budget checks them
            _evaluate(rules, model, 1, phase)
        return PlanFile(doc.origin, model, multi=False, lines=doc.lines, display_unit=unit)
    for name in PHASE_KEYS:
        if name in top and name != "indirect_rate":
            raise top.error(
                name,
                "belongs in a [[phase]] table: this plan lists its phases",
                "[[phase]] テーブルの中に書いてください（この計画ファイルはフェーズを並べています）",
            )
    rate = top.rate("indirect_rate", None)
    tables = top.array_of_tables(
        "phase",
        want=Text("a non-empty list of [[phase]] tables", "[[phase]] テーブルを1件以上並べた配列"),
        most=MAX_PHASES,
    )
    phases = tuple(_phase(t, rules) for t in tables)
    _bounded(rules, tables, phases)
    model = PlanModel(phases, indirect_rate=rate, **shared)
    return PlanFile(doc.origin, model, multi=True, lines=doc.lines, display_unit=unit)


def _phase(t: Table, rules: Rulebook) -> Phase:
    """One phase's keys, at the top of a single-phase file or in a ``[[phase]]`` table."""
    where = Text("is not a phase key", "フェーズのキーではありません") if t.key else None
    t.only(PHASE_KEYS if t.key else [k for k in TOP_KEYS if k != "phase"], where=where)
    menu = rules.menu(t.choice("menu", checkable_menus(rules), what=Text("a menu", "メニュー")))
    start = t.day("start")
    if "end" in t and "months" in t:
        raise t.error("months", "give end or months, not both", "end と months はどちらか一方だけを指定してください")
    if "months" in t:  # a period of N months from start ends the day before start + N months
        months = t.integer("months", minimum=1, maximum=MAX_MONTHS)
        with t.core("months"):
            end = period_end(start, months)
    else:
        end = t.day("end")
    annual = menu.cap_kind == "annual"
    kind_keys, other_keys = (ANNUAL_KEYS, JISSO_KEYS) if annual else (JISSO_KEYS, ANNUAL_KEYS)
    for name in other_keys:
        if name in t:
            raise t.error(
                name,
                f"does not apply to menu {menu.id!r} (it takes {', '.join(kind_keys)})",
                f"メニュー「{menu.id}」では使えません。使えるキー：{'、'.join(kind_keys)}",
            )
    if annual:
        if "matching" in t and menu.fund_type != "matching":
            raise t.error(
                "matching",
                f"applies to matching-fund menus (Stage II), not to {menu.id!r}",
                f"マッチングファンドのメニュー（ステージⅡ）にだけ指定できます。「{menu.id}」の計画ファイルからは削除してください",
            )
        # Every key is read (and its own error located) before the phase is built: t.core()
        # locates only the errors of the phase's own checks.
        budget, matching = _per_fiscal_year(t, "budget"), _per_fiscal_year(t, "matching")
        rate = t.rate("indirect_rate", None)
        with t.core():
            phase = Phase(menu.id, start, end, budget=budget, matching=matching, indirect_rate=rate)
    else:
        amount = t.yen("amount", minimum=1)  # -5 and 0 read alike: must be more than 0 yen
        posted = t.yen("collateral")
        repayment = t.table("repayment", default_empty=True)
        terms, payments = _repayment(repayment, rules)
        stop, release = t.day("stop", None), t.day("collateral_release", None)
        with t.core():
            phase = Phase(
                menu.id,
                start,
                end,
                amount=amount,
                collateral=posted,
                terms=terms,
                payments=payments,
                stop=stop,
                collateral_release=release,
            )
        try:  # an impossible layout is an unusable plan: fail here, naming the key
            _evaluate(rules, PlanModel((phase,), phased=False), 1, phase)
        except InputError as exc:  # a repayment field (deferral, term, ...) is a key of [repayment]
            if exc.field in TERMS_FIELDS:
                raise repayment.doc.core_error(exc, repayment.key) from None
            raise t.doc.core_error(exc, t.key, "repayment") from None
    return phase


def _bounded(rules: Rulebook, tables: list[Table], phases: tuple[Phase, ...]) -> None:
    """Refuse a plan whose schedules add up to more than :data:`MAX_PAYMENTS` payments, naming
    the phase that passes the bound: one schedule may have that many (a plan's work stays
    within seconds), twenty may not have that many each (issue 23 item 6)."""
    total = 0
    for t, phase in zip(tables, phases, strict=True):
        if rules.menu(phase.menu).cap_kind == "annual":  # a cap per fiscal year: no repayment
            continue
        # Reading the phase evaluated it just now: this is the remembered result.
        schedule = _evaluate(rules, PlanModel((phase,), phased=False), 1, phase).schedule
        total += len(schedule.payments) if schedule is not None else 0
        if total > MAX_PAYMENTS:
            raise t.error(
                "repayment",
                f"with this phase the plan's repayment schedules have {total:,} payments, more than the "
                f"{MAX_PAYMENTS:,} a plan may have in all",
                f"このフェーズまでで計画の返済が{total:,}回になり、計画全体の上限{MAX_PAYMENTS:,}回を超えます",
            )


def _months_in_a_single_phase(t: Table) -> InputError:
    """``months`` at the top of a single-phase file, which gives its ``end`` (``months`` is a
    ``[[phase]]`` key): the end the months would give is suggested when it can be."""
    why = Text(
        "a single-phase file gives its end, not months (months is a [[phase]] key)",
        "1フェーズの計画ファイルでは months ではなく end で終了日を書きます（months は [[phase]] のキーです）",
    )
    if "end" in t:
        return t.error(
            "months", f"{why.en}: drop months, end is given", f"{why.ja}。end があるので months を削除してください"
        )
    end: date | None = None
    try:
        end = period_end(t.day("start"), t.integer("months", minimum=1, maximum=MAX_MONTHS))
    except InputError:
        pass
    write = (
        Text(f"end = {end}", f"end = {end}")
        if end
        else Text("end = YYYY-MM-DD (the last day)", "end = YYYY-MM-DD（最終日）")
    )
    return t.error("months", f"{why.en}: write {write.en}", f"{why.ja}。{write.ja} と書いてください")


def _per_fiscal_year(t: Table, name: str) -> tuple[tuple[int, int], ...]:
    """``[budget]`` or ``[matching]``: fiscal year (the year it starts in) = yen."""
    if name not in t:
        return ()
    table = t.table(name, default_empty=True)
    out: list[tuple[int, int]] = []
    for key in table.names():
        if not _FISCAL_YEAR_KEY.fullmatch(key):
            raise table.error(
                key,
                "is not a fiscal year: write the year it starts in, e.g. 2026",
                "年度ではありません（2026 のように年度の始まる年で書いてください）",
            )
        out.append((int(key), table.yen(key)))
    return tuple(sorted(out))


def _repayment(t: Table, rules: Rulebook) -> tuple[Terms, tuple[tuple[date, int], ...]]:
    """The layout (with the grade) and any explicit payments of a jisso phase's ``[repayment]``."""
    t.only(REPAYMENT_KEYS)
    grade = t.choice("grade", [g.id for g in rules.jisso.repayment.grades], what=Text("a grade", "評価"), default=None)
    if "payments" in t:
        layout = [k for k in LAYOUT_KEYS if k in t]
        if layout:
            raise t.error(
                layout[0],
                "cannot be combined with payments: an explicit schedule gives every due date",
                "各回の期日と金額を並べた返済計画（payments）とは併用できません。どちらか一方にしてください",
            )
        rows = t.array_of_tables(
            "payments",
            want=Text("a non-empty list of {due, amount} tables", "{due, amount} のテーブルを1件以上並べた配列"),
            most=MAX_PAYMENTS,
        )
        payments = []
        for row in rows:
            row.only(PAYMENT_KEYS)
            payments.append((row.day("due"), row.yen("amount")))
        return Terms(grade=grade), tuple(payments)
    # Each key is read (and located) here; terms_from then lays them out as the command
    # line's options are, and any error it finds names its field, which is the key.
    given: dict[str, object] = {"grade": grade} if grade is not None else {}
    for name in ("deferral", "term"):
        if name in t:
            given[name] = f"{t.months(name)}m"
    if "every" in t:
        given["every"] = t.choice("every", list(FREQUENCIES), what=Text("a payment frequency", "返済間隔"))
    if "lump" in t:
        given["lump"] = t.boolean("lump")
    if "due" in t:
        given["due"] = t.day("due")
    if "remainder" in t:
        given["remainder"] = t.choice("remainder", list(REMAINDERS), what=Text("first or last", "端数の加え方"))
    if "unit" in t:
        given["unit"] = str(t.yen("unit", minimum=1))
    with t.core():
        terms = terms_from(given)
    return terms, ()


# ---------------------------------------------------------------------------------------
# Checking


def phase_of(plan: Plan) -> Phase:
    """A single-phase plan as the phase it is."""
    rp = plan.repayment or Repayment()
    terms = rp.terms if rp.terms is not None else Terms(grade=rp.grade)
    return Phase(
        plan.menu,
        plan.start,
        plan.end,
        budget=plan.budget,
        matching=plan.matching,
        indirect_rate=plan.indirect_rate,
        amount=plan.amount,
        collateral=plan.collateral,
        terms=terms,
        payments=rp.payments,
        stop=plan.stop,
        collateral_release=plan.collateral_release,
    )


_LAST: list[tuple[Rulebook, PlanModel, int, Phase, PhaseResult]] = []


def _evaluate(rules: Rulebook, model: PlanModel, no: int, phase: Phase) -> PhaseResult:
    """``evaluate_phase``, the last result remembered: reading a plan evaluates its phase to
    refuse an impossible layout, and checking it right after must not build its schedule
    again (``astep check`` over thousands of plans)."""
    if _LAST and _LAST[0][0] is rules and _LAST[0][2] == no and _LAST[0][3] == phase and _LAST[0][1] == model:
        return _LAST[0][4]
    result = evaluate_phase(rules, model, no, phase)
    _LAST[:] = [(rules, model, no, phase, result)]
    return result


def check_file(rules: Rulebook, plan_file: PlanFile) -> PlanCheck:
    """Check a single-phase plan file with every plan-wide key it gives (``proration``, ``round``...)."""
    phase = plan_file.model.phases[0]
    r = _evaluate(rules, plan_file.model, 1, phase)
    return PlanCheck(
        single_plan(plan_file),
        r.menu,
        r.violations,
        r.assumptions,
        caps=r.caps,
        collateral_required=r.collateral_required,
        schedule=r.schedule,
    )


def check_plan(rules: Rulebook, plan: Plan) -> tuple[Violation, ...]:
    """Every programme rule the plan breaks, with SPEC §6 rule ids."""
    return evaluate_plan(rules, plan).violations


def evaluate_plan(rules: Rulebook, plan: Plan) -> PlanCheck:
    """Check a single-phase plan as :func:`astep_calc.phases.evaluate_phase` checks a phase, with the
    core the commands use: ``fiscal_year_caps`` for stage menus; ``advances``, ``collateral``
    and ``schedule`` / ``custom_schedule`` for 実装支援 (repayment from the development end = ``end``)."""
    menu = rules.menu(plan.menu)
    if menu.fund_type == "repayable" and (plan.amount is None or plan.collateral is None):
        raise InputError(
            f"{plan.path}: a {menu.id} plan needs amount and collateral",
            f"{plan.path}：{menu.id} の計画ファイルには amount と collateral を指定してください",
        )
    phase = phase_of(plan)
    try:
        r = _evaluate(rules, PlanModel((phase,), phased=False), 1, phase)
    except InputError as exc:  # an impossible layout (grade C with a deferral, N not whole, ...)
        raise Document(plan.path, {}, plan.lines).core_error(exc, ("repayment",)) from None
    return PlanCheck(
        plan,
        r.menu,
        r.violations,
        r.assumptions,
        caps=r.caps,
        collateral_required=r.collateral_required,
        schedule=r.schedule,
    )


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
    props["display_unit"]["enum"] = list(DISPLAY_UNITS)
    props["phase"]["maxItems"] = MAX_PHASES  # the reader's bounds (astep_calc.reader)
    props["repayment"]["properties"]["payments"]["maxItems"] = MAX_PAYMENTS
    props["repayment"]["allOf"] = _layout_rules(rules)
    repayable = next(m.id for m in rules.menus if m.fund_type == "repayable")
    no_matching = [m.id for m in rules.menus if m.cap_kind == "annual" and m.fund_type != "matching"]
    defs = schema["$defs"]  # the value patterns the reader applies (astep_calc.plan_syntax)
    defs["date"]["pattern"] = plan_syntax.anchored(plan_syntax.DATE)
    defs["yen"]["anyOf"][1]["pattern"] = plan_syntax.anchored(plan_syntax.YEN)
    defs["positive_yen"]["anyOf"][1]["pattern"] = plan_syntax.anchored(plan_syntax.YEN)
    defs["positive_yen"]["anyOf"][1]["not"]["pattern"] = plan_syntax.anchored(plan_syntax.ZERO_YEN)
    defs["rate"]["anyOf"][1]["pattern"] = plan_syntax.anchored(plan_syntax.RATE)
    defs["duration"]["anyOf"][1]["pattern"] = plan_syntax.anchored(plan_syntax.DURATION)
    defs["positive_duration"]["anyOf"][1]["pattern"] = plan_syntax.anchored(plan_syntax.DURATION)
    defs["positive_duration"]["anyOf"][1]["not"]["pattern"] = plan_syntax.anchored(plan_syntax.ZERO_DURATION)
    owes_nothing = _owes_nothing(rules)
    for where in (schema, schema["$defs"]["phase"]):  # a single-phase file, and each [[phase]]
        if owes_nothing:
            where["allOf"] = owes_nothing
        else:
            where.pop("allOf", None)
        where["if"]["properties"]["menu"]["const"] = repayable
        where["dependentSchemas"]["matching"]["not"]["properties"]["menu"]["enum"] = no_matching
    return schema


def _layout_rules(rules: Rulebook) -> list[dict[str, Any]]:
    """What the reader refuses between ``[repayment]``'s keys that a JSON Schema can say:
    a lump-only grade (C) takes no deferral; a due date is for a lump sum only; with no
    deferral, a term of installments is a whole number of periods of ``every`` (a term of
    10.5y paid yearly is not), and a lump sum's term reaches its due date. With a deferral
    the periods are counted from its end (term − deferral), arithmetic between two values
    that a schema cannot do: that is left to ``astep check``.
    """
    rp = rules.jisso.repayment

    def grade_in(ids: list[str]) -> dict[str, Any]:
        cond: dict[str, Any] = {"required": ["grade"], "properties": {"grade": {"enum": ids}}}
        # no grade given is the default grade
        return {"anyOf": [cond, {"not": {"required": ["grade"]}}]} if rp.default_grade in ids else cond

    def duration(number: dict[str, Any], pattern: str) -> dict[str, Any]:
        return {"anyOf": [{"type": "number", **number}, {"type": "string", "pattern": plan_syntax.anchored(pattern)}]}

    def years(months: int) -> int | float:
        y = Fraction(months, 12)
        return int(y) if y.denominator == 1 else float(y)

    lump_only = [g.id for g in rp.grades if g.lump_only]
    lump_grade = grade_in(lump_only)
    discontinued = grade_in([g.id for g in rp.grades if rp.is_discontinued(g)])
    lump_asked = {"required": ["lump"], "properties": {"lump": {"const": True}}}
    zero = duration({"maximum": 0}, plan_syntax.ZERO_DURATION)
    no_deferral = {"properties": {"deferral": zero}}
    default_every = next(name for name, p in FREQUENCIES.items() if p == Terms().every_months)
    out: list[dict[str, Any]] = []
    if lump_only:
        out.append({"if": lump_grade, "then": no_deferral})
    # A due date needs a lump sum: asked for, a lump-only grade, or 開発中止 with no installments asked.
    defaults = {
        "properties": {
            "deferral": zero,
            "every": {"const": default_every},
            "remainder": {"const": Terms().remainder},
            "unit": {
                "anyOf": [
                    {"type": "number", "const": Terms().unit},
                    {"type": "string", "pattern": plan_syntax.anchored(plan_syntax.ONE_YEN)},
                ]
            },
        },
        "not": {"required": ["term"]},
    }
    out.append(
        {"if": {"required": ["due"]}, "then": {"anyOf": [lump_asked, lump_grade, {"allOf": [discontinued, defaults]}]}}
    )
    # A lump sum with no due date falls due a fixed time after the deferral, within the term.
    # (With a term given, 開発中止 is a lump sum only when asked: the term asks for installments.)
    for cond, gap in (
        ({"anyOf": [lump_asked, lump_grade], "not": discontinued}, rp.lump_due_months),
        ({"allOf": [lump_asked, discontinued]}, rp.discontinued_due_months),
    ):
        out.append(
            {
                "if": {"allOf": [cond, no_deferral, {"not": {"required": ["due"]}}]},
                "then": {
                    "properties": {
                        "term": {"not": duration({"exclusiveMaximum": years(gap)}, plan_syntax.duration_below(gap))}
                    }
                },
            }
        )
    # Installments: with no deferral, the term is a whole number of periods.
    for name, p in FREQUENCIES.items():
        if p == 1:
            continue
        every: dict[str, Any] = {"properties": {"every": {"const": name}}}
        if name != default_every:
            every["required"] = ["every"]
        installments = {
            "allOf": [
                every,
                no_deferral,
                {"properties": {"lump": {"const": False}}},
                {"not": {"required": ["payments"]}},
                {"not": lump_grade},
            ]
        }
        then: dict[str, Any] = {
            "properties": {"term": duration({"multipleOf": years(p)}, plan_syntax.duration_in_periods(p))}
        }
        if rp.term_max_months % p:  # no term given is the longest term
            then["required"] = ["term"]
        out.append({"if": installments, "then": then})
    return out


def _owes_nothing(rules: Rulebook) -> list[dict[str, Any]]:
    """A generated schedule of a grade that repays a share of the amount needs an amount on
    which the share is at least 1 yen (grade C repays floor(10% × amount): 9 yen owe 0).
    Said where it fits a one-digit pattern; an explicit list of payments, or a stop date
    (which makes the case 開発中止), takes any amount."""
    rp = rules.jisso.repayment
    out: list[dict[str, Any]] = []
    for g in rp.grades:
        if g.share >= 1:
            continue
        most = -(-1 // g.share) - 1  # the largest amount with floor(amount × share) = 0
        if not 1 <= most <= 9:
            continue
        grade: dict[str, Any] = {"required": ["grade"], "properties": {"grade": {"const": g.id}}}
        cond: dict[str, Any] = {"not": {"required": ["stop"]}}
        if g.id == rp.default_grade:  # no grade given (or no [repayment]) is the default grade
            grade = {"anyOf": [grade, {"not": {"required": ["grade"]}}]}
        else:
            cond["required"] = ["repayment"]
        cond["properties"] = {"repayment": {"allOf": [grade, {"not": {"required": ["payments"]}}]}}
        small = {
            "anyOf": [
                {"type": "number", "maximum": int(most)},
                {"type": "string", "pattern": plan_syntax.anchored(plan_syntax.yen_of(f"[1-{most}]"))},
            ]
        }
        out.append({"if": cond, "then": {"properties": {"amount": {"not": small}}}})
    return out


def plan_schema_text(rules: Rulebook | None = None) -> str:
    """:func:`plan_schema` as the JSON text ``astep schema`` prints."""
    return json.dumps(plan_schema(rules), ensure_ascii=False, indent=2) + "\n"


__all__ = [
    "Plan",
    "PlanCheck",
    "PlanFile",
    "Repayment",
    "check_file",
    "check_plan",
    "evaluate_plan",
    "load_plan",
    "load_plan_file",
    "parse_plan",
    "parse_plan_file",
    "phase_of",
    "plan_schema",
    "plan_schema_text",
    "read_plan",
    "read_plan_file",
    "single_plan",
]
