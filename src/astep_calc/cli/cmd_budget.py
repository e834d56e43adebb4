"""``astep budget``: caps per fiscal year for Stage I / Stage II, with the direct/indirect split."""

from typing import TYPE_CHECKING, Annotated, Any

import typer

from astep_calc.cli.app import app
from astep_calc.cli.labels import L, rulebook_line
from astep_calc.cli.options import OutputOptions, command
from astep_calc.cli.report import Column, Report, TableSpec
from astep_calc.text import InputError, Text

if TYPE_CHECKING:
    from astep_calc.budget import BudgetPlan


def fiscal_year_rows(plan: "BudgetPlan") -> list[dict[str, Any]]:
    """A budget's fiscal years as report rows (the SPEC §6 ``fiscal_years`` keys, plus days)."""
    return [
        {"fiscal_year": r.fiscal_year, "start": r.start, "end": r.end, "months": r.months, "days": r.days,
         "cap": r.cap, "direct_max": r.direct_max, "indirect_max": r.indirect_max}
        for r in plan.rows
    ]


@command(app, "budget")
def budget(
    menu: Annotated[str, typer.Option(help="stage1, stage2 or stage2-gate.")],
    start: Annotated[str, typer.Option(help="Project start date, YYYY-MM-DD.", metavar="DATE")],
    months: Annotated[str | None, typer.Option(help="Project length in months.", metavar="N")] = None,
    end: Annotated[str | None, typer.Option(help="Project end date (inclusive).",
                                            metavar="DATE")] = None,
    proration: Annotated[str, typer.Option(help="Prorate a partial year by month or day.",
                                           metavar="month|day")] = "month",
    prorate_last: Annotated[bool, typer.Option(
        "--prorate-last", help="Prorate a partial last fiscal year too.")] = False,
    round_: Annotated[str, typer.Option("--round", metavar="YEN",
                                        help="Round caps down to this unit (1000 for 千円 forms).")
                      ] = "1",
    indirect_rate: Annotated[str | None, typer.Option(
        help="Indirect-cost rate, 0.3 or 30% (default from the rulebook).",
        metavar="RATE")] = None,
    *,
    opts: OutputOptions,
) -> Report:
    """Caps per fiscal year for a Stage I / Stage II project, split into direct and indirect cost.

    The first fiscal year is prorated by the months the project runs in it; every
    later year gets the full annual cap. Exits 1 when the period is over the menu's
    limit.

    Example: astep budget --menu stage1 --start 2026-10-01 --months 30
    """
    from astep_calc.budget import Proration, fiscal_year_caps
    from astep_calc.dates import resolve_period
    from astep_calc.money import parse_rate, parse_yen

    rules = opts.rulebook()
    s, e = resolve_period(start, months, end)
    try:
        how = Proration(proration.strip().lower())
    except ValueError:
        raise InputError(f"--proration {proration!r} is not one of month, day",
                         f"--proration {proration!r} は month・day のいずれでもありません") from None
    unit = parse_yen(round_)
    if unit < 1:  # the core checks the number too; here the message quotes what was typed
        raise InputError(f"--round {round_!r} must be at least 1 yen", f"--round {round_!r} は1円以上にしてください")
    rate = None if indirect_rate is None else parse_rate(indirect_rate, name="--indirect-rate")
    plan = fiscal_year_caps(rules, menu, s, e, indirect_rate=rate, proration=how,
                            prorate_last=prorate_last, round_unit=unit)
    rows = fiscal_year_rows(plan)
    columns = [
        Column("fiscal_year", L["fiscal_year"], "fiscal_year"),
        Column("start", L["from"], "date"),
        Column("end", L["to"], "date"),
        Column("months", L["months"], "int"),
        *([Column("days", Text("Days", "日数"), "int")] if how is Proration.DAY else []),
        Column("cap", L["cap"], "money"),
        Column("direct_max", L["direct_max"], "money"),
        Column("indirect_max", L["indirect_max"], "money"),
    ]
    totals = {"fiscal_year": L["total"], "months": plan.total_months, "days": sum(r.days for r in plan.rows),
              "cap": plan.total_cap,
              "direct_max": plan.total_direct, "indirect_max": plan.total_indirect}
    m = plan.menu
    title = Text(
        f"{m.name_en}: caps per fiscal year, {s.isoformat()} to {e.isoformat()} (yen)",
        f"{m.name_ja}：年度別上限額 {s.isoformat()}〜{e.isoformat()}（円）",
    )
    return Report(
        command="budget",
        rules_id=rules.id,
        tables=[TableSpec(title, columns, rows, totals)],
        json={
            "menu": m.id,
            "start": s,
            "end": e,
            "fiscal_years": rows,
            "total_cap": plan.total_cap,
            "total_direct_max": plan.total_direct,
            "total_indirect_max": plan.total_indirect,
            "indirect_rate": plan.indirect_rate,
            "proration": plan.proration.value,
            "prorate_last": plan.prorate_last,
            "round": plan.round_unit,
        },
        violations=plan.violations,
        assumptions=plan.assumptions,
        sources=[rulebook_line(rules.id, rules.edition, m.brochure)],
    )
