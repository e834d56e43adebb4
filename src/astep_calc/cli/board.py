"""The board workbook's own sheets (SPEC §10): ``astep plan PLAN -o board.xlsx`` and
``astep scenarios ... -o board.xlsx`` carry, beside every table the command prints,

- 入力条件 (inputs): every value the plan (or the command line) gives, each named by the
  plan key (or option) that sets it, with the defaults in force; the workbook lists every
  assumption under them (:data:`~astep_calc.cli.views.INPUTS`);
- one repayment schedule per grade case (S/A/B, C and, with a stop, 開発中止), each on its
  own sheet;
- the sensitivity grid (感応度) at the discount rates given, one rate included.

Only a workbook (a format with ``board``) asks for them; tables and JSON stay as they were.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal

from astep_calc.cli.labels import Labels, Yen
from astep_calc.cli.views import INPUTS, Column, Report, Table, schedule_table
from astep_calc.money import percent
from astep_calc.text import Text

if TYPE_CHECKING:
    from astep_calc.company import Company, GradeCase
    from astep_calc.equity import Equity
    from astep_calc.phases import Evaluation, PhaseResult, Plan
    from astep_calc.plan_format import PlanKey
    from astep_calc.repayment import Scenario, Terms
    from astep_calc.rulebook import Rulebook

#: An input: what it is, the plan key (or the option) that sets it, its value.
Input = tuple[Text, "str | Text", Any]


def option(flag: str) -> Text:
    """An option in the inputs' key column (a cell never starts with ``-``: it would read as a formula)."""
    return Text(f"option {flag}", f"オプション {flag}")


INPUT_COLUMNS = (
    Column("item", Labels.item),
    Column("key", Labels.setting, "verbatim"),
    Column("value", Labels.value),
)


def inputs_table(title: Text, rows: Sequence[Input]) -> Table:
    """The inputs as one table on the inputs sheet."""
    return Table(
        title,
        INPUT_COLUMNS,
        [{"item": item, "key": key, "value": value} for item, key, value in rows],
        sheet=INPUTS,
    )


def _months(n: int) -> Text:
    from astep_calc.dates import format_months

    return format_months(n)


def _key(key: PlanKey[Any], prefix: str = "") -> tuple[Text, str]:
    """A plan key's own line (plan_format declares it once) and its name where it sits."""
    return key.text, f"{prefix}{key.name}"


def _terms_inputs(terms: Terms, rules: Rulebook, where: Callable[[PlanKey[Any]], str | Text]) -> list[Input]:
    """A repayment layout's values (the defaults in force), each named by ``where``: a plan
    key (``repayment.term``) or an option (``--term``)."""
    from astep_calc import plan_format as k

    term = terms.term_months if terms.term_months is not None else rules.jisso.repayment.term_max_months
    every = next((name for name, m in _frequencies().items() if m == terms.every_months), str(terms.every_months))
    out: list[Input] = [
        (k.GRADE.text, where(k.GRADE), terms.grade or "A"),
        (k.DEFERRAL.text, where(k.DEFERRAL), _months(terms.deferral_months)),
        (k.TERM.text, where(k.TERM), _months(term)),
        (k.EVERY.text, where(k.EVERY), every),
        (k.LUMP.text, where(k.LUMP), Text("yes", "する") if terms.lump else Text("no", "しない")),
    ]
    if terms.due is not None:
        out.append((k.DUE.text, where(k.DUE), terms.due))
    out += [(k.REMAINDER.text, where(k.REMAINDER), terms.remainder), (k.UNIT.text, where(k.UNIT), Yen(terms.unit))]
    return out


def _frequencies() -> dict[str, int]:
    from astep_calc.repayment import FREQUENCIES

    return FREQUENCIES


def _phase_inputs(r: PhaseResult, rules: Rulebook, phased: bool) -> list[Input]:
    from astep_calc import plan_format as k
    from astep_calc.phases import phase_label

    p = r.phase
    at = f"phase[{r.no - 1}]." if phased else ""
    name = phase_label(r.no, r.menu)

    def named(item: Text) -> Text:
        return Text(f"{name.en}: {item.en}", f"{name.ja}：{item.ja}") if phased else item

    rows: list[Input] = [
        (*_key(k.MENU, at), r.menu.id),
        (*_key(k.START, at), p.start),
        (*_key(k.END, at), p.end),
    ]
    if r.caps is not None:
        if p.indirect_rate is not None:
            rows.append((*_key(k.INDIRECT_RATE, at), p.indirect_rate))
        rows += [(k.BUDGET.text, f"{at}budget.{fy}", Yen(a)) for fy, a in p.budget]
        rows += [(k.MATCHING.text, f"{at}matching.{fy}", Yen(a)) for fy, a in p.matching]
    else:
        assert p.amount is not None
        rows += [(*_key(k.AMOUNT, at), Yen(p.amount)), (*_key(k.COLLATERAL, at), Yen(r.collateral_posted))]
        if p.payments:
            rows.append((*_key(k.GRADE, f"{at}repayment."), p.terms.grade or "A"))
            for i, (d, a) in enumerate(p.payments):
                rows += [
                    (*_key(k.PAYMENT_DUE, f"{at}repayment.payments[{i}]."), d),
                    (*_key(k.PAYMENT_AMOUNT, f"{at}repayment.payments[{i}]."), Yen(a)),
                ]
        else:
            rows += _terms_inputs(p.terms, rules, lambda key: f"{at}repayment.{key.name}")
        if p.stop is not None:
            rows.append((*_key(k.STOP, at), p.stop))
        rows.append((*_key(k.COLLATERAL_RELEASE, at), r.collateral_released_on))
    return [(named(item), key, value) for item, key, value in rows]


def plan_inputs(
    result: Evaluation,
    *,
    company: Company | None = None,
    equity: Equity | None = None,
    rates: Sequence[Fraction] = (),
) -> Table:
    """Every value of a plan, as the plan keys name them (the options that replace a key in
    force): the plan's own keys, each phase's, the company's and the equity round's."""
    from astep_calc import plan_format as k

    model: Plan = result.model
    rules = result.rules
    rows: list[Input] = []
    if model.title:
        rows.append((*_key(k.TITLE), model.title))
    if model.indirect_rate is not None:
        rows.append((*_key(k.INDIRECT_RATE), model.indirect_rate))
    if len(rates) > 1:
        shown = Text(", ".join(percent(r).en for r in rates), "、".join(percent(r).ja for r in rates))
        rows.append((k.DISCOUNT_RATE.text, option("--discount-rate"), shown))
    elif model.discount_rate is not None:
        rows.append((*_key(k.DISCOUNT_RATE), model.discount_rate))
    if model.discount_rate is not None:
        starts = [r.phase.start for r in result.phases if r.kind == "jisso"]
        rows.append((*_key(k.VALUE_DATE), model.value_date or (min(starts) if starts else None)))
    if model.proration is not None:
        rows.append((*_key(k.PRORATION), model.proration.value))
    if model.prorate_last is not None:
        rows.append((*_key(k.PRORATE_LAST), Text("yes", "する") if model.prorate_last else Text("no", "しない")))
    if model.round_unit is not None:
        rows.append((*_key(k.ROUND), Yen(model.round_unit)))
    rows.append((*_key(k.BUSINESS_DAY), model.business_day.value))
    for r in result.phases:
        rows += _phase_inputs(r, rules, model.phased)
    if company is not None:
        rows += [
            (*_key(k.COMPANY_NAME, "company."), company.name),
            (*_key(k.CASH, "company."), Yen(company.cash)),
            (*_key(k.MIN_CASH, "company."), Yen(company.min_cash)),
            (
                *_key(k.COVERAGE, "company."),
                None if company.coverage is None else Decimal(_plain(company.coverage)),  # a number: 1.2
            ),
            (*_key(k.COLLATERAL_KIND, "company."), company.collateral_kind),
        ]
        if company.collateral_kind == "guarantee":
            rows.append((*_key(k.GUARANTEE_FEE, "company."), company.fee))
        for p in company.flows:
            year = f"company.flows.{p.fiscal_year}."
            rows += [
                (*_key(k.OPERATING, year), Yen(p.operating)),
                (*_key(k.INVESTING, year), Yen(p.investing)),
                (*_key(k.FINANCING, year), Yen(p.financing)),
            ]
    if equity is not None:
        rows.append((*_key(k.PRE_MONEY, "company.equity."), Yen(equity.pre_money)))
        if equity.exit_value is not None:
            rows += [
                (*_key(k.EXIT_VALUE, "company.equity."), Yen(equity.exit_value)),
                (*_key(k.EXIT_DATE, "company.equity."), equity.exit_date),
            ]
    title = Text(f"Inputs: {model.title}", f"入力条件：{model.title}") if model.title else Text("Inputs", "入力条件")
    return inputs_table(title, rows)


def _plain(x: Fraction) -> str:
    from astep_calc.money import ratio_decimal

    return ratio_decimal(x)


def phase_sheet(no: int, part: Literal["caps", "advances", "repayment"]) -> Text:
    """The sheet of one of a phase's tables: ``フェーズ1 上限額``, ``フェーズ3 前払い``."""
    words = {
        "caps": Text("caps", "上限額"),
        "advances": Text("advances", "前払い"),
        "repayment": Text("repayment", "返済"),
    }[part]
    return Text(f"Phase {no} {words.en}", f"フェーズ{no} {words.ja}")


def with_board(
    report: Report,
    result: Evaluation,
    *,
    company: Company | None,
    equity: Equity | None,
    rates: Sequence[Fraction],
) -> Report:
    """``astep plan``'s report as a board reads it in a workbook: the inputs first, and each
    実装支援 phase's schedule under every grade case in place of its own grade's alone."""
    own = {phase_sheet(r.no, "repayment") for r in result.phases if r.kind == "jisso"}
    tables = [t for t in report.tables if t.sheet not in own]
    inputs = plan_inputs(result, company=company, equity=equity, rates=rates)
    return replace(report, tables=[inputs, *tables, *plan_case_tables(result)])


# --------------------------------------------------------------------------- one schedule per case


def case_sheet(case: str, phase: Text | None = None) -> Text:
    """A grade case's sheet: ``返済計画（S・A・B）`` (``/`` is not allowed in a sheet's name).

    >>> case_sheet("S/A/B").ja, case_sheet("discontinued", Text("Phase 2", "フェーズ2")).en
    ('返済計画（S・A・B）', 'Phase 2 Repayment discontinued')
    """
    short = Text(case.replace("/", "-"), case.replace("/", "・"))
    if case == "discontinued":
        short = Text("discontinued", "開発中止")
    head = Text(f"{phase.en} ", f"{phase.ja} ") if phase is not None else Text("", "")
    return Text(f"{head.en}Repayment {short.en}", f"{head.ja}返済計画（{short.ja}）")


def plan_case_tables(result: Evaluation) -> list[Table]:
    """Each 実装支援 phase's repayment schedule under every grade case (the plan's own grade
    among them), a sheet each."""
    from astep_calc.company import plan_cases
    from astep_calc.phases import phase_label

    cases: Sequence[GradeCase] = plan_cases(result)
    several = len({c.phase.no for c in cases}) > 1
    out = []
    for c in cases:
        table = schedule_table(c.schedule, phase_label(c.phase.no, c.phase.menu))
        short = Text(f"Phase {c.phase.no}", f"フェーズ{c.phase.no}") if several else None
        out.append(replace(table, sheet=case_sheet(c.case, short)))
    return out


def scenario_case_tables(result: Sequence[Scenario]) -> list[Table]:
    """``scenarios``' rows, each one's repayment schedule on its own sheet."""
    return [replace(schedule_table(sc.schedule), sheet=case_sheet(sc.label)) for sc in result]


def scenario_inputs(
    rules: Rulebook,
    amount: int,
    dev_end: date,
    period: tuple[date, date] | None,
    stop: date | None,
    terms: Terms,
    rates: Sequence[Fraction],
    value_date: date | None,
    business_day: str,
) -> Table:
    """``scenarios``' inputs, each named by its option, the defaults in force."""
    from astep_calc import plan_format as k

    rows: list[Input] = [(k.AMOUNT.text, option("--amount"), Yen(amount))]
    if period is not None:
        rows += [(k.START.text, option("--start"), period[0]), (k.END.text, option("--end"), period[1])]
    else:
        rows.append((k.END.text, option("--dev-end"), dev_end))
    if stop is not None:
        rows.append((k.STOP.text, option("--stop"), stop))
    rows += _terms_inputs(terms, rules, lambda key: option("--" + key.name.replace("_", "-")))[1:]  # every grade
    if len(rates) == 1:
        rows.append((k.DISCOUNT_RATE.text, option("--discount-rate"), rates[0]))
    elif rates:
        shown = Text(", ".join(percent(r).en for r in rates), "、".join(percent(r).ja for r in rates))
        rows.append((k.DISCOUNT_RATE.text, option("--discount-rate"), shown))
    if value_date is not None:
        rows.append((k.VALUE_DATE.text, option("--value-date"), value_date))
    rows.append((k.BUSINESS_DAY.text, option("--business-day"), business_day))
    return inputs_table(Text("Inputs", "入力条件"), rows)


__all__ = [
    "INPUT_COLUMNS",
    "Input",
    "case_sheet",
    "inputs_table",
    "option",
    "phase_sheet",
    "plan_case_tables",
    "plan_inputs",
    "scenario_case_tables",
    "scenario_inputs",
    "with_board",
]
