"""``astep plan``: a whole plan — every phase's own figures, then the fiscal-year cash flow (SPEC §7-8)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Annotated, Any

import typer

from astep_calc.cli.board import phase_sheet, with_board
from astep_calc.cli.formats import check_chart
from astep_calc.cli.helptext import Help
from astep_calc.cli.labels import Labels, Percent, Yen, count, rulebook_line, yen
from astep_calc.cli.options import BusinessDayOpt, OutputOptions, business_day, command
from astep_calc.cli.program import app
from astep_calc.cli.valuation import (
    ExitDateOpt,
    ExitValueOpt,
    PreMoneyOpt,
    Rate,
    RatesOpt,
    ValueDateOpt,
    discount_rates,
    equity_option,
    no_rate_for_value_date,
    pv_data,
    value_date_option,
    values_table,
    with_equity,
    with_sensitivity,
)
from astep_calc.cli.views import (
    DETAIL,
    Column,
    Report,
    Table,
    advances_data,
    advances_table,
    budget_data,
    budget_table,
    findings,
    plan_key_text,
    schedule_rows,
    schedule_table,
    unique,
)
from astep_calc.text import InputError, Text

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date
    from fractions import Fraction

    from astep_calc.cashflow import Amounts, CashFlow, CashFlowRow, LoanValue
    from astep_calc.company import CompanyResult
    from astep_calc.equity import Equity
    from astep_calc.phases import Evaluation, PhaseResult, Plan
    from astep_calc.plans import PlanFile, Projections
    from astep_calc.rulebook import Rulebook

#: Width of the longest bar of ``--chart``, in terminal cells.
CHART_WIDTH = 40


@command(
    app,
    "plan",
    ja="""計画全体を示します。フェーズごとの表（astep budget・disburse・repay と同じ）に続けて、
    年度別の資金の流れ（JSTからの資金、企業等の自己資金、担保等の設定と解除、返済額、純額、累計）を
    示します。2つのフェーズにまたがる年度は、フェーズごとに分けて示します。

    計画に discount_rate（または --discount-rate）があれば、実装支援フェーズの返済型資金の価値を
    value_date（または --value-date。既定は開発開始日）時点で求めます。率を並べると
    （--discount-rate 8%,10%,12%）感応度の表が加わります。[company.equity]（または --pre-money、
    --exit-value、--exit-date）があれば、同じ額を増資で調達した場合と比べます（手放す持分、
    エグジット時点の現在価値、それぞれの費用）。計画の display_unit（千円・万円）が表と
    ブックの単位になります（--display-unit の指定が優先）。いずれかのフェーズがルールに違反すると、
    そのフェーズを示して終了コード 1 です。

    計画に [company] があれば会社の側も示します：年度ごとの収支見込み、A-STEPの資金、A-STEPの
    資金がある場合とない場合の年度末の現預金、返済カバー率、返済義務、それぞれ資金が何か月もつか
    （--by month なら月ごと）。このとき CSV は会社の表です。--company FILE で Excel の
    収支計画から見込みを読み込めます。""",
)
def plan(
    path: Annotated[
        str,
        typer.Argument(
            metavar="PLAN",
            help=Help(
                "A plan file (TOML, or JSON ending in .json): one phase, or several as [[phase]].",
                "計画ファイル（TOML、または拡張子 .json の JSON）。1フェーズ、または [[phase]] で複数フェーズ。",
            ),
            show_default=False,
        ),
    ],
    by: Annotated[
        str,
        typer.Option(
            "--by",
            metavar="year|quarter|month",
            help=Help(
                "The cash flow per fiscal year (default) or fiscal quarter; month: the company's month-end cash too.",
                "資金の流れを年度ごと（既定）か四半期ごとに示します。month なら会社の月末の現預金も。",
            ),
        ),
    ] = "year",
    chart: Annotated[
        bool,
        typer.Option(
            "--chart",
            help=Help(
                "Draw the cumulative position per period as bars under the cash flow, and the company's cash.",
                "資金の流れの下に、期間ごとの累計と会社の現預金を棒グラフで示します。",
            ),
        ),
    ] = False,
    discount_rate: RatesOpt = None,
    value_date: ValueDateOpt = None,
    pre_money: PreMoneyOpt = None,
    exit_value: ExitValueOpt = None,
    exit_date: ExitDateOpt = None,
    company: Annotated[
        str | None,
        typer.Option(
            "--company",
            metavar="FILE",
            help=Help(
                "The company's projections per fiscal year, as CSV (UTF-8, UTF-16 or cp932) or .xlsx, for the "
                "plan's [company] instead of [company.flows]: columns 年度/fiscal year, 営業CF/operating and, if "
                "any, 投資CF/investing, 財務CF/financing.",
                "計画の [company] の収支見込みを、[company.flows] の代わりに CSV（UTF-8、UTF-16、cp932）または "
                ".xlsx から読み込みます。列は 年度、営業CF と、あれば 投資CF、財務CF（英語の見出しも可）。",
            ),
            show_default=False,
        ),
    ] = None,
    business_day_: BusinessDayOpt = None,
    *,
    opts: OutputOptions,
) -> Report:
    """A whole plan: every phase's own table (as budget, disburse and repay print it), then the
    fiscal-year cash flow: JST's money, the companies' own contribution, collateral posted and
    released, repaid, net and cumulative, a fiscal year shared by two phases shown part by part.

    With discount_rate in the plan (or --discount-rate), each 実装支援 phase's repayable funds are
    valued at value_date (or --value-date; default its development start); a list of rates
    (--discount-rate 8%,10%,12%) adds the sensitivity grid. With [company.equity] (or
    --pre-money, --exit-value and --exit-date), the equity round that would raise the same money
    beside it: the stake it sells, its present value at the exit, and the cost of each. The plan's display_unit (千円, 万円) sets the unit of the table and
    workbook unless --display-unit is given. Exits 1 when any phase breaks a rule, naming the phase.

    With [company] in the plan, the company's side too: per fiscal year its projections, the
    A-STEP money, cash at the year's end with and without it, repayment coverage and what is
    owed; how long its cash lasts either way (--by month: month by month). A CSV file is then
    the company's table. --company FILE gives its projections from a file kept in Excel.

    Example: astep plan examples/roadmap-spinout.toml --chart
    """
    from astep_calc.cashflow import cash_flow
    from astep_calc.phases import evaluate
    from astep_calc.plans import company_result, load_plan_file

    if chart:
        check_chart(opts.format, "plan")
    how = _by(by)
    rules = opts.rulebook()
    projections = None if company is None else _projections(company)
    plan_file = load_plan_file(path, rules, projections=None if projections is None else projections[0])
    if how == "month" and plan_file.company is None:
        raise InputError(
            f"--by month shows the company's month-end cash: {path} has no [company]",
            f"--by month は会社の月末の現預金を示します。{path} に [company] がありません",
        )
    model = plan_file.model  # --business-day, when given, overrides the plan's business_day key
    model = replace(model, business_day=business_day(business_day_, model.business_day))
    rates = discount_rates(discount_rate)  # the options, when given, override the plan's keys
    model = _valued_as_asked(model, rates, value_date_option(value_date))
    result = evaluate(rules, model)
    side = company_result(plan_file, result)  # the company's side, with [company]
    flow = cash_flow(result, "quarter" if how == "quarter" else "year")
    # A workbook always carries the cumulative position, as a native Excel chart.
    report = plan_report(
        rules,
        result,
        flow,
        chart=chart or opts.spec.chart == "always",
        company=side,
        by_month=how == "month",
        flat=opts.spec.table_only,
    )
    equity = equity_option(plan_file.equity, pre_money, exit_value, exit_date)
    report = _with_comparisons(report, result, plan_file, rates, equity, board=opts.spec.board)
    if projections is not None:  # how the file was read
        report = replace(report, assumptions=[*report.assumptions, *projections[1]])
    return _in_plan_style(report, plan_file, opts)


def _by(by: str) -> str:
    """``--by``: year, quarter or month, whatever its case and spacing."""
    how = by.strip().lower()
    if how not in ("year", "quarter", "month"):
        raise InputError(
            f"--by {by!r} is not one of year, quarter, month",
            f"--by：「{by}」は指定できません。year、quarter、month のいずれかを指定してください",
        )
    return how


def _valued_as_asked(model: Plan, rates: Sequence[Rate], at: date | None) -> Plan:
    """The plan with --discount-rate (its first rate) and --value-date, when given, over its own keys."""
    if rates:
        model = replace(model, discount_rate=rates[0].value)
    if at is not None:
        if model.discount_rate is None:
            raise no_rate_for_value_date()
        model = replace(model, value_date=at)
    return model


def _with_comparisons(
    report: Report,
    result: Evaluation,
    plan_file: PlanFile,
    rates: Sequence[Rate],
    equity: Equity | None,
    *,
    board: bool,
) -> Report:
    """The report with the board workbook's sheets, the sensitivity grid and the equity round, as asked."""
    if board:  # a workbook for a board: the inputs, a schedule per grade case, the grid
        report = with_board(report, result, company=plan_file.company, equity=equity, rates=[r.value for r in rates])
        if not rates and result.model.discount_rate is not None and any(r.kind == "jisso" for r in result.phases):
            from astep_calc.money import format_rate

            rates = (Rate(format_rate(result.model.discount_rate), result.model.discount_rate),)
    if len(rates) > 1 or (board and rates and any(r.kind == "jisso" for r in result.phases)):
        report = with_sensitivity(report, result, rates, plan_file.company)
    if equity is not None:
        report = with_equity(report, result, equity, plan_file.company)
    return report


def _in_plan_style(report: Report, plan_file: PlanFile, opts: OutputOptions) -> Report:
    """The report in the plan's display_unit and date_style, unless the options say otherwise."""
    if opts.unit is None and opts.spec.display_unit:
        # The plan's display_unit, unless --display-unit is given (JSON and CSV stay in yen).
        from astep_calc.cli.units import in_unit

        report = in_unit(report, plan_file.display_unit)
    if opts.date_style is None and opts.spec.dates:
        # The plan's date_style (its Japanese output), unless --date-style is given (JSON stays ISO).
        from astep_calc.cli.wareki import in_date_style

        report = in_date_style(report, plan_file.date_style, opts.lang)
    return report


def _projections(path: str) -> tuple[Projections, tuple[Text, ...]]:
    """The projections of ``--company FILE``, and how the file was read."""
    from astep_calc.plans import Projections
    from astep_calc.projections_file import read_projections
    from astep_calc.reader import read_input

    read = read_projections(read_input(path, label=Text("--company ", "--company ")), path)
    return Projections(path, read.projections), read.assumptions


def plan_report(
    rules: Rulebook,
    result: Evaluation,
    flow: CashFlow,
    *,
    chart: bool = False,
    company: CompanyResult | None = None,
    by_month: bool = False,
    flat: bool = False,
) -> Report:
    """The report of ``astep plan``: phase tables, the cash flow (the CSV table), the chart;
    with a company, its section after them (its table is then the CSV table: per fiscal
    year, or per month ``by_month``). ``flat``: for a format of one table (CSV), the
    company's fiscal years as one table of every column."""
    from astep_calc.repayment import pv_assumption

    model = result.model
    loans = {lv.phase: lv for lv in flow.loans}
    tables: list[Table] = []
    phases: list[dict[str, Any]] = []
    assumptions: list[Any] = list(result.assumptions)
    for r in result.phases:
        tables += phase_tables(r)
        phases.append(phase_data(r, loans.get(r.no), model.discount_rate))
        if r.disbursement is not None:
            assumptions += r.disbursement.assumptions
    tables.append(cash_flow_table(flow, model.title, rules, main=company is None))
    if flow.loans:
        tables.append(values_table(flow.loans))
    if chart:
        tables.append(chart_table(flow))
    violations: list[Any] = list(result.violations)
    if company is not None:
        from astep_calc.cli import company_section

        tables += company_section.years_tables(result, company, main=not by_month, flat=flat)
        if by_month:
            tables.append(company_section.months_table(company, main=True))
        if chart:
            tables.append(company_section.chart_table(company))
        violations += company.violations
    assumptions += flow.assumptions
    if model.discount_rate is not None and loans:
        stopped = any(r.schedule is not None and r.schedule.stopped for r in result.phases)
        assumptions.append(pv_assumption(model.discount_rate, stopped))
    key = "quarters" if flow.by == "quarter" else "fiscal_years"
    data: dict[str, Any] = {
        "title": model.title,
        "by": flow.by,
        "phases": phases,
        key: [period_data(row) for row in flow.rows],
        "totals": {**amounts_data(flow.totals), "cumulative": flow.cumulative},
    }
    if model.discount_rate is not None:
        data.update(
            discount_rate=model.discount_rate, value_date=model.value_date, loans=[loan_data(lv) for lv in flow.loans]
        )
    lines = summary(result, flow)
    if company is not None:
        data["company"] = company_section.company_data(company)
        lines += company_section.runway_lines(company)
        assumptions += company.assumptions
    return Report(
        command="plan",
        rules_id=rules.id,
        tables=tables,
        data=data,
        summary=lines,
        violations=findings(violations),
        assumptions=unique(map(plan_key_text, assumptions)),
        sources=sources(rules, result),
    )


# --------------------------------------------------------------------------- each phase


def phase_tables(r: PhaseResult) -> list[Table]:
    """A phase as its single command prints it: the budget (with the requests and the companies'
    contribution beside the caps), or the advances and the repayment schedule."""
    from dataclasses import replace

    from astep_calc.phases import phase_label

    label = phase_label(r.no, r.menu)  # the phase names its menu: the title does not again
    if r.caps is not None:
        return [replace(_budget_with_requests(r, label), sheet=phase_sheet(r.no, "caps"))]
    assert r.disbursement is not None and r.schedule is not None
    paid = replace(r.disbursement, advances=r.paid_advances)  # a stop ends the advances
    return [
        replace(advances_table(paid, label), sheet=phase_sheet(r.no, "advances")),
        replace(schedule_table(r.schedule, label), sheet=phase_sheet(r.no, "repayment")),
    ]


def _budget_with_requests(r: PhaseResult, label: Text) -> Table:
    assert r.caps is not None
    base = budget_table(r.caps, label)
    requested, matching = dict(r.phase.budget), dict(r.phase.matching)
    years = [row["fiscal_year"] for row in base.rows]
    jst = dict(r.jst_by_fiscal_year)
    rows: list[dict[str, Any]] = [
        {
            **row,
            "request": requested.get(row["fiscal_year"]),
            "company_in": matching.get(row["fiscal_year"]),
            "matching_ratio": _share(matching.get(row["fiscal_year"]), jst.get(row["fiscal_year"])),
        }
        for row in base.rows
    ]
    # A request outside the period (budget.outside_period) is still shown, on its own row.
    rows += [
        {"fiscal_year": fy, "request": requested.get(fy), "company_in": matching.get(fy)}
        for fy in sorted(set(requested) | set(matching))
        if fy not in years
    ]
    rows.sort(key=lambda row: row["fiscal_year"])
    columns = [*base.columns, Column("request", Labels.request, "money")]
    totals = {**(base.totals or {}), "request": sum(requested.values()) if requested else None}
    if matching:
        columns += [
            Column("company_in", Labels.company_in, "money"),
            Column("matching_ratio", Labels.matching_ratio, "percent"),
        ]
        # the share of JST's money in each year (its request, or its cap when none is given)
        totals.update(company_in=r.company_total, matching_ratio=_share(r.company_total, r.jst_total))
    return Table(base.title, columns, rows, totals)


def _share(part: int | None, whole: int | None) -> Percent | None:
    """``part / whole`` as a percentage to one decimal (``50.0%`` / ``50.0％``), or None."""
    from fractions import Fraction

    return Percent(Fraction(part, whole), 1) if part and whole else None


def _ratio(ratio: Fraction | None) -> str | None:
    """A matching ratio as JSON carries it: a decimal string (``"0.5"``), or None."""
    from astep_calc.money import ratio_decimal

    return None if ratio is None else ratio_decimal(ratio)


def phase_data(r: PhaseResult, loan: LoanValue | None, rate: Fraction | None) -> dict[str, Any]:
    """A phase's JSON: its menu, period and its own figures as ``budget`` or ``disburse``/``repay`` give them."""
    from astep_calc.repayment import present_value

    p = r.phase
    head: dict[str, Any] = {
        "phase": r.no,
        "menu": r.menu.id,
        "start": p.start,
        "end": p.end,
        "violations": [v.rule for v in r.violations],
    }
    if r.caps is not None:
        requested, matching = dict(p.budget), dict(p.matching)
        figures = budget_data(r.caps)
        figures["fiscal_years"] = [
            {**row, "request": requested.get(row["fiscal_year"]), "company_in": matching.get(row["fiscal_year"])}
            for row in figures["fiscal_years"]
        ]
        return {
            **head,
            **figures,
            "budget": [{"fiscal_year": fy, "request": a} for fy, a in p.budget],
            "total_request": sum(requested.values()),
            "jst_in": r.jst_total,
            "matching": [{"fiscal_year": fy, "amount": a} for fy, a in p.matching],
            "total_matching": r.company_total,
            "matching_ratio": _ratio(r.matching_ratio),
        }
    assert r.disbursement is not None and r.schedule is not None
    s = r.schedule
    advances = advances_data(r.disbursement)["advances"]
    paid_keys = {a.key for a in r.paid_advances}
    repayment: dict[str, Any] = {
        "dev_end": s.dev_end,
        "grade": s.grade.id,
        "owed": s.owed,
        "payments": schedule_rows(s),
        "total": s.total,
        "payment_count": len(s.payments),
        "first_due": s.first_due,
        "last_due": s.last_due,
        "custom": s.terms is None,
    }
    if rate is not None:
        repayment.update(pv_data(s, present_value(s, rate)))
    out = {
        **head,
        "amount": p.amount,
        "collateral": r.collateral_posted,
        "collateral_required": r.collateral_required,
        "collateral_release": r.collateral_released_on,
        "stop": p.stop,
        "advances": [a for a in advances if a["quarter"] in paid_keys],
        "paid": r.paid,
        "repayment": repayment,
    }
    if loan is not None:
        out["loan_value"] = loan_data(loan)
    return out


def loan_data(lv: LoanValue) -> dict[str, Any]:
    return {
        "phase": lv.phase,
        "rate": lv.rate,
        "value_date": lv.value_date,
        "advances_present_value": lv.advances,
        "repayments_present_value": lv.repayments,
        "loan_value": lv.value,
        "collateral_posted_present_value": lv.collateral_posted,
        "collateral_released_present_value": lv.collateral_released,
        "collateral_cost": lv.collateral_cost,
    }


# --------------------------------------------------------------------------- the cash flow

AMOUNT_COLUMNS = (
    Column("jst_in", Labels.jst_in, "money"),
    Column("company_in", Labels.company_in, "money"),
    Column("collateral_posted", Labels.collateral_posted, "money"),
    Column("collateral_released", Labels.collateral_released, "money"),
    Column("repaid", Labels.repaid, "money"),
    Column("net", Labels.net, "money"),
)


def amounts_data(a: Amounts) -> dict[str, int]:
    """The SPEC §8 columns of a period (or a phase's part of it)."""
    return {
        "jst_in": a.jst_in,
        "company_in": a.company_in,
        "collateral_posted": a.collateral_posted,
        "collateral_released": a.collateral_released,
        "repaid": a.repaid,
        "net": a.net,
    }


def period_data(row: CashFlowRow) -> dict[str, Any]:
    head: dict[str, Any] = {"fiscal_year": row.fiscal_year}
    if row.quarter is not None:
        head["quarter"] = row.quarter
    return {
        **head,
        "start": row.start,
        "end": row.end,
        **amounts_data(row.amounts),
        "cumulative": row.cumulative,
        "matching_ratio": _ratio(row.matching_ratio),
        "parts": [{"phase": p.phase, "menu": p.menu, **amounts_data(p.amounts)} for p in row.parts],
    }


def cash_flow_table(flow: CashFlow, title: str | None, rules: Rulebook, *, main: bool = True) -> Table:
    """One row per period; a period shared by phases has a row per phase, then their sum.

    The menu column reads as the plan gives it in English (``stage1``) and by the menu's
    short name in Japanese (``ステージⅠ``).
    """

    def menu(menu_id: str | None) -> Text | None:
        return None if menu_id is None else Text(menu_id, rules.menu(menu_id).short.ja)

    period = [Column("fiscal_year", Labels.fiscal_year, "fiscal_year")]
    if flow.by == "quarter":
        period.append(Column("quarter", Labels.quarter, "quarter"))
    columns = [
        *period,
        Column("phase", Labels.phase, "int"),
        Column("menu", Labels.menu, "text"),
        *AMOUNT_COLUMNS,
        Column("cumulative", Labels.cumulative, "money", running="net"),
    ]
    rows: list[dict[str, Any]] = []
    for row in flow.rows:
        head = {"fiscal_year": row.fiscal_year, "quarter": row.quarter}
        if len(row.parts) > 1:  # each phase's part, then their sum (which the totals count)
            rows += [
                {**head, "phase": p.phase, "menu": menu(p.menu), **amounts_data(p.amounts), DETAIL: True}
                for p in row.parts
            ]
            rows.append({**head, "menu": Labels.phases_sum, **amounts_data(row.amounts), "cumulative": row.cumulative})
        else:
            one = row.parts[0] if row.parts else None
            rows.append(
                {
                    **head,
                    "phase": one.phase if one else None,
                    "menu": menu(one.menu) if one else None,
                    **amounts_data(row.amounts),
                    "cumulative": row.cumulative,
                }
            )
    totals = {"fiscal_year": Labels.total, **amounts_data(flow.totals), "cumulative": flow.cumulative}
    per = Text("fiscal quarter", "四半期別") if flow.by == "quarter" else Text("fiscal year", "年度別")
    name = Text(f"{title}: ", f"{title}：") if title else Text("", "")
    return Table(
        Text(f"{name.en}cash flow per {per.en} (yen)", f"{name.ja}{per.ja}の資金の流れ（単位：円）"),
        columns,
        rows,
        totals,
        main=main,
        sheet=Text("Cash flow", "資金の流れ"),
    )


def bars(values: list[int], width: int = CHART_WIDTH) -> list[str]:
    """Horizontal bars for values, to a common scale: eighths of a cell for positive values;
    negative values (full cells) left of a zero axis when there are any. A negative value
    always shows at least one cell, however small beside the others: cash below zero is the
    one thing the chart must not hide.

    >>> bars([0, 50, 100], 4)
    ['', '██', '████']
    >>> bars([-50, 100], 6)   # 6 cells for 150: 2 left of the axis for −50, 4 right for 100
    ['██│', '  │████']
    >>> bars([-1, 1000], 4)   # −1 rounds to no cell: it gets one, and 100 keeps the other 3
    ['█│', ' │███']
    """
    top, low = max(max(values), 0), max(-min(values), 0)
    if not top and not low:
        return ["" for _ in values]
    left = max(round(width * low / (top + low)), 1) if low else 0
    right = width - left
    out = []
    for v in values:
        if v < 0:
            n = max(round(left * -v / low), 1)
            out.append(" " * (left - n) + "█" * n + "│")
            continue
        eighths = round(right * 8 * v / top) if top else 0
        full, part = divmod(eighths, 8)
        bar = "█" * full + (" ▏▎▍▌▋▊▉"[part] if part else "")
        out.append((" " * left + "│" + bar) if low else bar)
    return out


def chart_table(flow: CashFlow) -> Table:
    """The cumulative position per period as bars (``--chart``)."""
    period = [Column("fiscal_year", Labels.fiscal_year, "fiscal_year")]
    if flow.by == "quarter":
        period.append(Column("quarter", Labels.quarter, "quarter"))
    drawn = bars([row.cumulative for row in flow.rows])
    rows = [
        {"fiscal_year": row.fiscal_year, "quarter": row.quarter, "cumulative": row.cumulative, "bar": bar}
        for row, bar in zip(flow.rows, drawn, strict=True)
    ]
    return Table(
        Text(
            "Cumulative position: JST's money kept, net of repayments and collateral (yen)",
            "累計の推移：JSTからの資金から返済額と担保等を差し引いた額（単位：円）",
        ),
        [*period, Column("cumulative", Labels.cumulative, "money"), Column("bar", Labels.chart, "verbatim", bars=True)],
        rows,
        chart="cumulative",
        sheet=Labels.chart,
    )


# --------------------------------------------------------------------------- under the tables


def summary(result: Evaluation, flow: CashFlow) -> list[tuple[Text, Any]]:

    t = flow.totals
    out: list[tuple[Text, Any]] = []
    if result.model.title:
        out.append((Labels.plan, result.model.title))
    phases = count(len(result.phases), "phase", "phases", "{n}フェーズ")
    first = min(r.phase.start for r in result.phases)
    last = max(r.phase.last_day for r in result.phases)
    out.append(
        (
            Labels.phase,
            Text(
                f"{phases.en}, {first.isoformat()} to {last.isoformat()}",
                f"{phases.ja}、{first.isoformat()}〜{last.isoformat()}",
            ),
        )
    )
    out.append((Labels.jst_in_total, Yen(t.jst_in)))
    if t.company_in:  # beside JST's money in the phases that take the companies' contribution
        matched = sum(r.jst_total for r in result.phases if r.phase.matching)
        share = _share(t.company_in, matched)
        out.append(
            (
                Labels.company_in_total,
                Text(
                    f"{yen(t.company_in).en}" + (f" ({share.text.en} of JST's money in those phases)" if share else ""),
                    f"{yen(t.company_in).ja}" + (f"（当該フェーズのJSTからの資金の{share.text.ja}）" if share else ""),
                ),
            )
        )
    if t.repaid:
        out.append((Labels.repaid_total, Yen(t.repaid)))
    out.append((Labels.position_end, Yen(flow.cumulative)))
    return out


def sources(rules: Rulebook, result: Evaluation) -> list[Text]:
    out = [rulebook_line(rules.id, r.menu.cite) for r in result.phases]
    if any(r.kind == "jisso" for r in result.phases):
        out += [
            rulebook_line(rules.id, rules.jisso.collateral_cite),
            rulebook_line(rules.id, rules.jisso.advance_cite),
            rulebook_line(rules.id, rules.jisso.repayment.cite),
        ]
    for r in result.phases:  # a grade or a stop with its own source (開発中止: the call guidelines)
        if r.schedule is not None and r.schedule.grade.cite.source != rules.jisso.repayment.cite.source:
            out.append(rulebook_line(rules.id, r.schedule.grade.cite))
    return unique(out)
