"""The company section of ``astep plan`` (SPEC §9): what every format shows of a
:class:`~astep_calc.company.CompanyResult`.

- a table per fiscal year: the projections, the A-STEP money, cash at the year's end with
  and without it, the repayments and their coverage, the outstanding amount at 3/31 and its
  part due within a year, and, until the 事後評価, the outstanding under each grade case;
- with ``--by month`` (and in a workbook), the month-end series; with ``--chart`` (and in
  a workbook, as a native chart), both cash series as bars;
- the runway lines under the tables, and the JSON keys ``company.months``,
  ``company.fiscal_years``, ``company.runway``.

The core computes every figure; this module only lays them out.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING, Any

from astep_calc.cli.labels import Labels, Month, Yen
from astep_calc.cli.views import Column, Table
from astep_calc.text import Text

if TYPE_CHECKING:
    from astep_calc.company import AstepFlow, CompanyResult, CompanyYear, GradeCase, MonthEnd
    from astep_calc.phases import Evaluation

#: Width of each of the two bars of the company's ``--chart``, in terminal cells.
CHART_WIDTH = 24
#: The workbook sheet of each of the company's tables.
SHEETS = {
    "years": Text("Company cash", "資金繰り"),
    "owed": Text("Repayment capacity", "返済能力"),
    "months": Text("Month-end cash", "月末現預金"),
    "chart": Text("Cash chart", "現預金の推移"),
}


def case_key(case: str) -> str:
    """A grade case as a column key's suffix: ``S/A/B`` → ``sab``, ``C`` → ``c``.

    >>> case_key("S/A/B"), case_key("C")
    ('sab', 'c')
    """
    return re.sub(r"[^a-z0-9]", "", case.lower())


def _case_labels(plan: Evaluation) -> dict[str, Text]:
    """Each grade case's name as the rulebook words it (``事後評価 S/A/B``)."""
    from astep_calc.company import plan_cases
    from astep_calc.rulebook import grade_label

    out: dict[str, Text] = {}
    cases: tuple[GradeCase, ...] = plan_cases(plan)
    for c in cases:
        out.setdefault(c.case, grade_label(c.schedule.grade))
    return out


def _outstanding_if(case: Text) -> Text:
    """The outstanding amount under one grade case, shown until the 事後評価."""
    return Text(f"{Labels.balance.en}, {case.en}", f"{Labels.balance.ja}（{case.ja}）")


def _title(result: CompanyResult, en: str, ja: str) -> Text:
    name = result.company.name
    if name:
        return Text(f"{name}: {en} (yen)", f"{name}：{ja}（単位：円）")
    return Text(f"The company's {en} (yen)", f"会社の{ja}（単位：円）")


# --------------------------------------------------------------------------- per fiscal year


def _year_row(y: CompanyYear) -> dict[str, Any]:
    row: dict[str, Any] = {
        "fiscal_year": y.fiscal_year,
        "operating": y.operating,
        "investing": y.investing,
        "financing": y.financing,
        "astep": y.astep,
        "cash_end": y.cash_end,
        "cash_end_without": y.cash_end_without,
        "repaid": y.repaid,
        "coverage": y.coverage,  # a number in a workbook, "2.00" in JSON (years_data)
        "outstanding": y.outstanding,
        "due_within_year": y.due_within_year,
    }
    for o in y.obligation.by_case:
        row[f"outstanding_{case_key(o.case or '')}"] = o.outstanding
    return row


#: The columns of the cash per fiscal year, and of the repayments and what is owed.
_CASH_KEYS = ("fiscal_year", "operating", "investing", "financing", "astep", "cash_end", "cash_end_without")
_OWED_KEYS = ("fiscal_year", "operating", "repaid", "coverage", "outstanding", "due_within_year")


def _year_columns(plan: Evaluation) -> dict[str, Column]:
    labels = _case_labels(plan)
    columns = [
        Column("fiscal_year", Labels.fiscal_year, "fiscal_year"),
        Column("operating", Labels.operating_cf, "money"),
        Column("investing", Labels.investing_cf, "money"),
        Column("financing", Labels.financing_cf, "money"),
        Column("astep", Labels.astep_money, "money"),
        Column("cash_end", Labels.cash_end, "money"),
        Column("cash_end_without", Labels.cash_end_without, "money"),
        Column("repaid", Labels.repaid, "money"),
        Column("coverage", Labels.coverage, "int"),
        Column("outstanding", Labels.balance, "money"),
        Column("due_within_year", Labels.due_within_year, "money"),
        *(
            Column(f"outstanding_{case_key(c)}", _outstanding_if(label), "money", optional=True)
            for c, label in labels.items()
        ),
    ]
    return {c.key: c for c in columns}


def years_tables(plan: Evaluation, result: CompanyResult, *, main: bool = False, flat: bool = False) -> list[Table]:
    """The fiscal years as two tables for people: the cash (projections, A-STEP money, cash at
    the year's end with and without it), then the repayments, their coverage and what is owed
    at the year's end; or, ``flat`` (a CSV file, one table), one table of every column.
    ``main``: the table a CSV file writes."""
    years = result.years
    rows = [_year_row(y) for y in years]
    columns = _year_columns(plan)
    sums = {k: sum(getattr(y, k) for y in years) for k in ("operating", "investing", "financing", "astep", "repaid")}
    totals = {"fiscal_year": Labels.total, **sums}
    if flat:
        title = _title(result, "cash, repayments and what is owed per fiscal year", "年度別の資金繰りと返済")
        return [Table(title, list(columns.values()), rows, totals, main=main, sheet=SHEETS["years"])]
    owed = [c for k, c in columns.items() if k in _OWED_KEYS or k.startswith("outstanding_")]
    return [
        Table(
            _title(result, "cash per fiscal year", "年度別の資金繰り"),
            [columns[k] for k in _CASH_KEYS],
            rows,
            totals,
            main=main,
            sheet=SHEETS["years"],
        ),
        Table(
            _title(
                result,
                "repayments, coverage and what is owed at each fiscal year end",
                "年度別の返済額・返済カバー率・年度末の返済義務",
            ),
            owed,
            rows,
            {"fiscal_year": Labels.total, "operating": sums["operating"], "repaid": sums["repaid"]},
            sheet=SHEETS["owed"],
        ),
    ]


def years_data(result: CompanyResult) -> list[dict[str, Any]]:
    """``company.fiscal_years`` (SPEC §9), each with ``by_case`` beside: the outstanding
    amount and its current part under each grade case until the 事後評価 (else empty)."""
    out = []
    for y in result.years:
        row = {k: v for k, v in _year_row(y).items() if not k.startswith("outstanding_")}
        row["coverage"] = None if y.coverage is None else str(y.coverage)  # SPEC §9: a decimal string
        row["by_case"] = [
            {"case": o.case, "outstanding": o.outstanding, "due_within_year": o.due_within_year}
            for o in y.obligation.by_case
        ]
        out.append(row)
    return out


# --------------------------------------------------------------------------- per month


def _month_row(m: MonthEnd) -> dict[str, Any]:
    return {
        "month": Month(m.end),
        "projected": m.projected,
        "astep": m.astep,
        "cash": m.cash,
        "cash_without": m.cash_without,
    }


def months_table(result: CompanyResult, *, main: bool = False) -> Table:
    """The month-end series (``--by month``): each month's share of the projections, the
    A-STEP money in it, and cash at its end with and without A-STEP."""
    columns = [
        Column("month", Labels.month, "date"),
        Column("projected", Labels.projected, "money"),
        Column("astep", Labels.astep_money, "money"),
        Column("cash", Labels.cash_month_end, "money"),
        Column("cash_without", Labels.cash_month_end_without, "money"),
    ]
    months = result.months
    totals = {
        "month": Labels.total,
        "projected": sum(m.projected for m in months),
        "astep": sum(m.astep for m in months),
    }
    return Table(
        _title(result, "cash at each month end", "月末の現預金"),
        columns,
        [_month_row(m) for m in months],
        totals,
        main=main,
        sheet=SHEETS["months"],
    )


def chart_table(result: CompanyResult) -> Table:
    """Both month-end cash series as bars on one scale (``--chart``); a workbook draws them
    as a native chart."""
    from astep_calc.cli.cmd_plan import bars

    months = result.months
    drawn = bars([m.cash for m in months] + [m.cash_without for m in months], CHART_WIDTH)
    n = len(months)
    rows = [
        {
            "month": Month(m.end),
            "cash": m.cash,
            "bar": drawn[i],
            "cash_without": m.cash_without,
            "bar_without": drawn[n + i],
        }
        for i, m in enumerate(months)
    ]
    return Table(
        _title(result, "cash at each month end, with and without A-STEP", "月末の現預金の推移（A-STEPあり・なし）"),
        [
            Column("month", Labels.month, "date"),
            Column("cash", Labels.cash_month_end, "money"),
            Column("bar", Labels.with_astep, "verbatim", bars=True),
            Column("cash_without", Labels.cash_month_end_without, "money"),
            Column("bar_without", Labels.without_astep, "verbatim", bars=True),
        ],
        rows,
        chart=("cash", "cash_without"),
        sheet=SHEETS["chart"],
    )


# --------------------------------------------------------------------------- runway and JSON


def _month_words(d: date) -> Text:
    return Text(f"{d.year:04d}-{d.month:02d}", f"{d.year}年{d.month}月")


def runway_lines(result: CompanyResult) -> list[tuple[Text, Any]]:
    """The summary lines: the company, its cash at the start, and how long its cash lasts
    with and without A-STEP ("to 2028-02 without A-STEP, beyond the projections with it")
    and the months A-STEP adds."""
    c, r = result.company, result.runway
    last = result.months[-1].end
    out: list[tuple[Text, Any]] = []
    if c.name:
        out.append((Labels.company_name, c.name))
    first = result.months[0].end
    start = f"{first.year:04d}-{first.month:02d}-01"
    out.append(
        (Text(f"{Labels.cash.en} on {start}", f"{first.year}年{first.month}月1日の{Labels.cash.ja}"), Yen(c.cash))
    )
    if c.min_cash:
        out.append((Labels.min_cash, Yen(c.min_cash)))

    def lasts(to: date | None) -> Text:
        if to is None:
            end = _month_words(last)
            return Text(f"beyond the projections (to {end.en})", f"見込み期間の最後（{end.ja}）まで続く")
        w = _month_words(to)
        return Text(f"to {w.en}", f"{w.ja}まで")

    with_, without = lasts(r.with_astep), lasts(r.without)
    out.append(
        (
            Labels.runway,
            Text(
                f"{without.en} without A-STEP, {with_.en} with it",
                f"A-STEPなしでは{without.ja}、A-STEPありでは{with_.ja}",
            ),
        )
    )
    n = r.months_added
    if r.with_astep is None and r.without is None:
        added = Text("no month: cash lasts beyond the projections either way", "どちらも見込み期間の最後まで続く")
    elif n >= 0:
        most = Text(" at least", "以上") if r.open_ended else Text("", "")
        added = Text(f"{most.en} {n} month{'s' if n != 1 else ''}".strip(), f"{n}か月{most.ja}")
    else:
        fewer = Text(" at least", "以上") if r.open_ended else Text("", "")
        added = Text(
            f"{-n} month{'s' if n != -1 else ''} fewer{fewer.en} (A-STEP money out before it comes in)",
            f"{-n}か月{fewer.ja}短くなる（A-STEPの資金が入る前に出ていくため）",
        )
    out.append((Labels.months_added, added))
    return out


def _flow_data(f: AstepFlow) -> dict[str, Any]:
    return {"date": f.date, "phase": f.phase, "kind": f.kind, "amount": f.amount}


def company_data(result: CompanyResult) -> dict[str, Any]:
    """The ``company`` key of ``astep plan --format json`` (SPEC §9)."""
    from astep_calc.company import month_key

    c, r = result.company, result.runway
    return {
        "name": c.name,
        "cash": c.cash,
        "min_cash": c.min_cash,
        "coverage": c.coverage,
        "collateral_kind": c.collateral_kind,
        "guarantee_fee": c.guarantee_fee,
        "flows": [_flow_data(f) for f in result.flows],
        "months": [_month_row(m) for m in result.months],
        "fiscal_years": years_data(result),
        "runway": {
            "with": None if r.with_astep is None else month_key(r.with_astep),
            "without": None if r.without is None else month_key(r.without),
            "months_added": r.months_added,
            "open_ended": r.open_ended,
        },
        "violations": [v.rule for v in result.violations],
    }


__all__ = [
    "CHART_WIDTH",
    "case_key",
    "chart_table",
    "company_data",
    "months_table",
    "runway_lines",
    "years_data",
    "years_tables",
]
