"""Plan files for ``astep check`` and ``astep plan`` (SPEC §6-7): read a TOML or JSON plan.

A plan is what a team keeps in its repository: the menu, the period, and either the
budget requested per fiscal year (stage1, stage2, stage2-gate) or the 実装支援 amount,
collateral and repayment (jisso) — one phase at the top of the file, or several as
``[[phase]]`` tables. :func:`load_plan_file` reads every key as
:mod:`astep_calc.plan_format` declares it and names the file, the dotted key and the line
of anything it cannot use; :func:`astep_calc.phases.evaluate` then lists every programme
rule the plan breaks, computed by the same core functions as ``astep budget`` and
``astep repay`` (never a second implementation of a rule).

>>> from astep_calc.phases import evaluate
>>> from astep_calc.rulebook import load_rulebook
>>> rb = load_rulebook()
>>> plan = parse_plan_file('menu = "stage1"\\nstart = 2026-10-01\\nend = 2029-03-31\\n'
...                        '[budget]\\n2026 = "800万"\\n2030 = 1\\n', "plan.toml", rb)
>>> [v.rule for v in evaluate(rb, plan.model).phases[0].violations]
['budget.fy_cap', 'budget.outside_period']
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from astep_calc import plan_syntax
from astep_calc.budget import Proration
from astep_calc.business_days import BusinessDay
from astep_calc.dates import DATE_STYLES, DateStyle
from astep_calc.money import DISPLAY_UNITS, DisplayUnit
from astep_calc.periods import period_end
from astep_calc.phases import Phase, Plan, evaluate_phase
from astep_calc.plan_format import (
    AMOUNT,
    BUDGET,
    BUSINESS_DAY,
    CASH,
    COLLATERAL,
    COLLATERAL_KIND,
    COLLATERAL_RELEASE,
    COMPANY,
    COMPANY_NAME,
    COVERAGE,
    DATE_STYLE,
    DISCOUNT_RATE,
    DISPLAY_UNIT,
    DURATION,
    END,
    EQUITY,
    EXIT_DATE,
    EXIT_VALUE,
    FINANCING,
    FLOWS,
    GRADE,
    GUARANTEE_FEE,
    INDIRECT_RATE,
    INVESTING,
    MATCHING,
    MENU,
    MIN_CASH,
    MONTHS,
    OPERATING,
    PAYMENT_AMOUNT,
    PAYMENT_DUE,
    PAYMENTS,
    PHASE,
    PRE_MONEY,
    PRORATE_LAST,
    PRORATION,
    REPAYMENT,
    ROUND,
    SCHEMA,
    START,
    STOP,
    TITLE,
    VALUE_DATE,
    for_menus,
    keys,
    names,
    top_names,
)
from astep_calc.reader import MAX_PAYMENTS, ParsedFile, Section, parse_json, parse_toml, read_text
from astep_calc.repayment import TERMS_FIELDS, Terms, terms_from
from astep_calc.rulebook import Rulebook, load_rulebook
from astep_calc.text import InputError, Text

if TYPE_CHECKING:
    from astep_calc.company import CollateralKind, Company, CompanyResult, Projection
    from astep_calc.equity import Equity
    from astep_calc.phases import Evaluation

#: The keys a plan file may hold at its top (plan_format declares them).
TOP_KEYS = top_names()
_PLAN_SYNTAX = plan_syntax.plan_syntax()


@dataclass(frozen=True)
class PlanFile:
    """A plan file, validated, as the model of its phases.

    ``multi`` says the file lists its phases (``[[phase]]``); a single-phase file (menu,
    start, end at the top) is a plan of one phase and keeps its one-phase output in
    ``astep check``.
    """

    path: str
    model: Plan
    multi: bool
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)
    #: The unit ``astep plan`` shows amounts in (tables and xlsx) unless ``--display-unit`` is given.
    display_unit: DisplayUnit = DisplayUnit.YEN
    #: How ``astep plan``'s Japanese output for people writes dates unless ``--date-style`` is given.
    date_style: DateStyle = DateStyle.ISO
    #: The company that receives the money (``[company]``, SPEC §9), with its projections.
    company: Company | None = None
    #: Where the projections came from when not from ``[company.flows]`` (``astep plan --company FILE``).
    projections_origin: str | None = None
    #: An equity round for the same money, to compare with (``[company.equity]``, SPEC §10).
    equity: Equity | None = None


# ---------------------------------------------------------------------------------------
# Reading the file


def load_plan_file(
    path: str | Path, rules: Rulebook | None = None, *, projections: Projections | None = None
) -> PlanFile:
    """Read and validate a plan file of one phase or several: JSON when it ends in ``.json``, TOML otherwise.

    Anything unusable raises :class:`InputError` naming the file, the dotted key and,
    where it can be found, the line. At most :data:`~astep_calc.reader.MAX_INPUT_BYTES`
    are read. ``projections`` are the company's, read from elsewhere (``astep plan
    --company FILE``) for the plan's ``[company]``, which then gives no ``[company.flows]``.
    """
    origin = str(path)
    text = read_text(path)
    return parse_plan_file(text, origin, rules, json_format=origin.lower().endswith(".json"), projections=projections)


@dataclass(frozen=True)
class Projections:
    """A company's projections read from a file (``astep plan --company FILE``), for a plan's
    ``[company]``: the file's name, for messages, and one projection per fiscal year."""

    origin: str
    flows: tuple[Projection, ...]


def parse_plan_file(
    text: str,
    origin: str,
    rules: Rulebook | None = None,
    *,
    json_format: bool = False,
    projections: Projections | None = None,
) -> PlanFile:
    """:func:`load_plan_file` for a plan given as text (TOML, or JSON with ``json_format``).

    >>> f = parse_plan_file('[[phase]]\\nmenu = "stage1"\\nstart = 2026-07-01\\nmonths = 30\\n'
    ...                     '[[phase]]\\nmenu = "stage2-gate"\\nstart = 2029-01-01\\nmonths = 48\\n', "p.toml")
    >>> [(p.menu, p.end.isoformat()) for p in f.model.phases]
    [('stage1', '2028-12-31'), ('stage2-gate', '2032-12-31')]
    """
    rules = rules if rules is not None else load_rulebook()
    doc = parse_json(text, origin) if json_format else parse_toml(text, origin)
    return read_plan_file(doc, rules, projections=projections)


def read_plan_file(doc: ParsedFile, rules: Rulebook, *, projections: Projections | None = None) -> PlanFile:
    """Validate a parsed plan document key by key, as :mod:`astep_calc.plan_format` declares
    the keys; every error names the file, key and line.

    A single-phase file holds one phase's keys at its top; a plan of several phases lists
    them as ``[[phase]]`` tables, with ``indirect_rate`` and the plan-wide keys at the top.
    Each phase is read by the same code either way.
    """
    doc = replace(doc, syntax=_PLAN_SYNTAX, whole_decimals=True)  # values as the plan's JSON Schema says
    top = doc.root()
    if MONTHS.name in top and PHASE.name not in top:
        raise _months_in_a_single_phase(top, rules)
    top.only(TOP_KEYS)
    SCHEMA.get(top, rules)
    shared: dict[str, Any] = {
        "title": TITLE.get(top, rules),
        "discount_rate": DISCOUNT_RATE.get(top, rules),
        "value_date": VALUE_DATE.get(top, rules),
        "prorate_last": PRORATE_LAST.get(top, rules),
    }
    proration = PRORATION.get(top, rules)
    if proration is not None:
        shared["proration"] = Proration(proration)
    business_day = BUSINESS_DAY.get(top, rules)
    if business_day is not None:
        shared["business_day"] = BusinessDay(business_day)
    unit = DISPLAY_UNIT.get(top, rules)  # spelled exactly, as the JSON Schema's enum says
    round_unit = ROUND.get(top, rules)
    if round_unit is not None:
        shared["round_unit"] = round_unit
    display_unit = DisplayUnit.YEN if unit is None else DISPLAY_UNITS[unit]
    style = DATE_STYLE.get(top, rules)
    date_style = DateStyle.ISO if style is None else DATE_STYLES[style]
    company = _company(top, rules, projections)
    origin = None if projections is None else projections.origin
    extra: dict[str, Any] = {
        "company": company,
        "projections_origin": origin,
        "equity": _equity(top, rules),
        "date_style": date_style,
    }
    if PHASE.name not in top:
        phase = _phase(top, rules)
        model = Plan((phase,), phased=False, **shared)
        with top.core():  # the caps options, checked by the budget core as astep budget checks them
            evaluate_phase(rules, model, 1, phase)
        return PlanFile(doc.origin, model, multi=False, lines=doc.lines, display_unit=display_unit, **extra)
    for key in keys("phase"):
        if key.name in top and "plan" not in key.levels:
            raise top.error(
                key.name,
                "belongs in a [[phase]] table: this plan lists its phases",
                "[[phase]] テーブルの中に書いてください（この計画ファイルはフェーズを並べています）",
            )
    rate = INDIRECT_RATE.get(top, rules)
    tables = PHASE.read(top, rules)
    phases = tuple(_phase(t, rules) for t in tables)
    _bounded(rules, tables, phases)
    model = Plan(phases, indirect_rate=rate, **shared)
    return PlanFile(doc.origin, model, multi=True, lines=doc.lines, display_unit=display_unit, **extra)


def _company(top: Section, rules: Rulebook, projections: Projections | None) -> Company | None:
    """``[company]`` (SPEC §9) with its projections: ``[company.flows]``, or ``projections``
    read from a file, never both; or none yet (a plan whose projections are kept in a file)."""
    if COMPANY.name not in top:
        if projections is not None:
            raise InputError(
                f"{top.doc.origin}: the projections of {projections.origin} are for the plan's [company], which it "
                "does not have: add [company] with the company's cash (cash = ...)",
                f"{top.doc.origin}：{projections.origin} の収支見込みは計画ファイルの [company] に対応しますが、"
                "[company] がありません。会社の現預金（cash = ...）とともに追加してください",
            )
        return None
    from astep_calc.company import Company, Projection  # only for a plan with [company]

    t = COMPANY.read(top, rules)
    t.only(names("company"))
    name, cash = COMPANY_NAME.get(t, rules), CASH.read(t, rules)
    min_cash, coverage = MIN_CASH.get(t, rules), COVERAGE.get(t, rules)
    kind, fee = COLLATERAL_KIND.get(t, rules), GUARANTEE_FEE.get(t, rules)
    # [company.equity] (SPEC §10) is read by _equity.
    flows: list[Projection] = []
    if FLOWS.name in t:
        if projections is not None:
            raise t.error(
                FLOWS.name,
                f"the projections are given both here and in {projections.origin} (--company): keep one",
                f"収支見込みがここと {projections.origin}（--company）の両方にあります。どちらか一方にしてください",
            )
        for year, row in FLOWS.read(t, rules):
            row.only(names("company.flows"))
            operating = OPERATING.read(row, rules)
            investing, financing = INVESTING.get(row, rules), FINANCING.get(row, rules)
            with t.core():
                flows.append(Projection(year, operating, investing or 0, financing or 0))
        if not flows:
            raise t.error(
                FLOWS.name,
                'holds no fiscal year: give the projections of each, e.g. 2027 = { operating = "-2.4億" }',
                '年度がありません。2027 = { operating = "-2.4億" } のように年度ごとの収支見込みを書いてください',
            )
    elif projections is not None:
        flows = list(projections.flows)
    # else: the projections are still to be given (astep plan --company FILE); a check of
    # the plan leaves the company's rules out, and says so.
    with t.core():
        return Company(
            cash, tuple(flows), name, min_cash or 0, coverage, cast("CollateralKind", kind or "deposit"), fee
        )


def _equity(top: Section, rules: Rulebook) -> Equity | None:
    """``[company.equity]`` (SPEC §10): the pre-money valuation and, both or neither, the exit's
    value and date; None when the plan gives none."""
    if COMPANY.name not in top:
        return None
    company = COMPANY.read(top, rules)
    if EQUITY.name not in company:
        return None
    from astep_calc.equity import Equity  # only for a plan with [company.equity]

    t = EQUITY.read(company, rules)
    t.only(names("company.equity"))
    pre_money, exit_value, exit_date = PRE_MONEY.read(t, rules), EXIT_VALUE.get(t, rules), EXIT_DATE.get(t, rules)
    with t.core():
        return Equity(pre_money, exit_value, exit_date)


def company_result(plan_file: PlanFile, result: Evaluation) -> CompanyResult | None:
    """The company's side of the evaluated plan (None without ``[company]``): an unusable one
    (a fiscal year in which A-STEP money moves that the projections miss) names the file and
    line of ``[company.flows]``, or the file the projections came from."""
    if plan_file.company is None:
        return None
    from astep_calc.company import evaluate_company

    try:
        return evaluate_company(result, plan_file.company)
    except InputError as exc:
        origin = plan_file.projections_origin
        if origin is not None and (exc.field or "").startswith(f"{COMPANY.name}.{FLOWS.name}"):
            raise InputError(f"{origin}: {exc.text.en}", f"{origin}：{exc.text.ja}") from None
        raise ParsedFile(plan_file.path, {}, plan_file.lines).core_error(exc, ()) from None


def _phase(t: Section, rules: Rulebook) -> Phase:
    """One phase's keys, at the top of a single-phase file or in a ``[[phase]]`` table."""
    if t.key:
        t.only(names("phase"), where=Text("is not a phase key", "フェーズのキーではありません"))
    else:
        t.only([name for name in TOP_KEYS if name != PHASE.name])
    menu = rules.menu(MENU.read(t, rules))
    start = START.read(t, rules)
    if END.name in t and MONTHS.name in t:
        raise t.error("months", "give end or months, not both", "end と months はどちらか一方だけを指定してください")
    if MONTHS.name in t:  # a period of N months from start ends the day before start + N months
        months = MONTHS.read(t, rules)
        with t.core("months"):
            end = period_end(start, months)
    else:
        end = END.read(t, rules)
    annual = menu.cap_kind == "annual"
    annual_keys, jisso_keys = for_menus("phase", "annual", "matching"), for_menus("phase", "repayable")
    kind_keys, other_keys = (annual_keys, jisso_keys) if annual else (jisso_keys, annual_keys)
    for name in other_keys:
        if name in t:
            raise t.error(
                name,
                f"does not apply to menu {menu.id!r} (it takes {', '.join(kind_keys)})",
                f"メニュー「{menu.id}」では使えません。使えるキー：{'、'.join(kind_keys)}",
            )
    if annual:
        for name in for_menus("phase", "matching"):
            if name in t and menu.fund_type != "matching":
                raise t.error(
                    name,
                    f"applies to matching-fund menus (Stage II), not to {menu.id!r}",
                    f"メニュー「{menu.id}」（{menu.short.ja}）では使えません。マッチングファンドのメニュー"
                    "（ステージⅡ）にだけ指定できます",
                )
        # Every key is read (and its own error located) before the phase is built: t.core()
        # locates only the errors of the phase's own checks.
        budget, matching = BUDGET.read(t, rules), MATCHING.read(t, rules)
        rate = INDIRECT_RATE.get(t, rules)
        with t.core():
            phase = Phase(menu.id, start, end, budget=budget, matching=matching, indirect_rate=rate)
    else:
        amount = AMOUNT.read(t, rules)  # -5 and 0 read alike: must be more than 0 yen
        posted = COLLATERAL.read(t, rules)
        repayment = REPAYMENT.read(t, rules)
        terms, payments = _repayment(repayment, rules)
        stop, release = STOP.get(t, rules), COLLATERAL_RELEASE.get(t, rules)
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
            evaluate_phase(rules, Plan((phase,), phased=False), 1, phase)
        except InputError as exc:  # a repayment field (deferral, term, ...) is a key of [repayment]
            if exc.field in TERMS_FIELDS:
                raise repayment.doc.core_error(exc, repayment.key) from None
            raise t.doc.core_error(exc, t.key, "repayment") from None
    return phase


def _bounded(rules: Rulebook, tables: list[Section], phases: tuple[Phase, ...]) -> None:
    """Refuse a plan whose schedules add up to more than :data:`MAX_PAYMENTS` payments, naming
    the phase that passes the bound: one schedule may have that many (a plan's work stays
    within seconds), twenty may not have that many each (issue 23 item 6)."""
    total = 0
    for t, phase in zip(tables, phases, strict=True):
        if rules.menu(phase.menu).cap_kind == "annual":  # a cap per fiscal year: no repayment
            continue
        # Reading the phase evaluated it just now: this is the remembered result.
        schedule = evaluate_phase(rules, Plan((phase,), phased=False), 1, phase).schedule
        total += len(schedule.payments) if schedule is not None else 0
        if total > MAX_PAYMENTS:
            raise t.error(
                "repayment",
                f"with this phase the plan's repayment schedules have {total:,} payments, more than the "
                f"{MAX_PAYMENTS:,} a plan may have in all",
                f"このフェーズまでで計画の返済が{total:,}回になり、計画全体の上限{MAX_PAYMENTS:,}回を超えます",
            )


def _months_in_a_single_phase(t: Section, rules: Rulebook) -> InputError:
    """``months`` at the top of a single-phase file, which gives its ``end`` (``months`` is a
    ``[[phase]]`` key): the end the months would give is suggested when it can be."""
    why = Text(
        "a single-phase file gives its end, not months (months is a [[phase]] key)",
        "1フェーズの計画ファイルでは months ではなく end で終了日を書きます（months は [[phase]] のキーです）",
    )
    if END.name in t:
        return t.error(
            "months", f"{why.en}: drop months, end is given", f"{why.ja}。end があるので months を削除してください"
        )
    end: date | None = None
    try:
        end = period_end(START.read(t, rules), MONTHS.read(t, rules))
    except InputError:
        pass
    write = (
        Text(f"end = {end}", f"end = {end}")
        if end
        else Text("end = YYYY-MM-DD (the last day)", "end = YYYY-MM-DD（最終日）")
    )
    return t.error("months", f"{why.en}: write {write.en}", f"{why.ja}。{write.ja} と書いてください")


def _repayment(t: Section, rules: Rulebook) -> tuple[Terms, tuple[tuple[date, int], ...]]:
    """The layout (with the grade) and any explicit payments of a jisso phase's ``[repayment]``."""
    t.only(names("repayment"))
    grade = GRADE.get(t, rules)
    layout_keys = [key for key in keys("repayment") if key.instead_of == PAYMENTS.name]
    if PAYMENTS.name in t:
        layout = [key.name for key in layout_keys if key.name in t]
        if layout:
            raise t.error(
                layout[0],
                "cannot be combined with payments: an explicit schedule gives every due date",
                "各回の期日と金額を並べた返済計画（payments）とは併用できません。どちらか一方にしてください",
            )
        payments = []
        for row in PAYMENTS.read(t, rules):
            row.only(names("payment"))
            payments.append((PAYMENT_DUE.read(row, rules), PAYMENT_AMOUNT.read(row, rules)))
        return Terms(grade=grade), tuple(payments)
    # Each key is read (and located) here; terms_from then lays them out as the command
    # line's options are, and any error it finds names its field, which is the key.
    given: dict[str, object] = {"grade": grade} if grade is not None else {}
    for key in layout_keys:
        value = key.get(t, rules)
        if value is not None:  # a duration in months, as the command line would write it
            given[key.name] = f"{value}m" if key.kind is DURATION else value
    with t.core():
        terms = terms_from(given)
    return terms, ()


__all__ = [
    "PlanFile",
    "Projections",
    "company_result",
    "load_plan_file",
    "parse_plan_file",
    "read_plan_file",
]
