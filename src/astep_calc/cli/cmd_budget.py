"""``astep budget``: caps per fiscal year for Stage I / Stage II, with the direct/indirect split."""

from typing import Annotated

import typer

from astep_calc.cli import complete
from astep_calc.cli.app import app
from astep_calc.cli.labels import rulebook_line
from astep_calc.cli.options import OutputOptions, command
from astep_calc.cli.views import Report, budget_data, budget_table, findings
from astep_calc.text import InputError, Text, not_one_of


@command(app, "budget")
def budget(
    menu: Annotated[str, typer.Option(help="stage1, stage2 or stage2-gate.", autocompletion=complete.stage_menus)],
    start: Annotated[str, typer.Option(help="Project start date, YYYY-MM-DD.", metavar="DATE")],
    months: Annotated[str | None, typer.Option(help="Project length in months.", metavar="N")] = None,
    end: Annotated[str | None, typer.Option(help="Project end date (inclusive).", metavar="DATE")] = None,
    proration: Annotated[
        str,
        typer.Option(
            help="Prorate a partial year by month or day.", metavar="month|day", autocompletion=complete.proration
        ),
    ] = "month",
    prorate_last: Annotated[
        bool,
        typer.Option(
            "--prorate-last/--no-prorate-last",
            help="Prorate a partial last fiscal year like the first (default); --no-prorate-last gives it the "
            "full annual cap, the brochure's literal reading.",
        ),
    ] = True,
    round_: Annotated[
        str, typer.Option("--round", metavar="YEN", help="Round caps down to this unit (1000 for 千円 forms).")
    ] = "1",
    indirect_rate: Annotated[
        str | None, typer.Option(help="Indirect-cost rate, 0.3 or 30% (default from the rulebook).", metavar="RATE")
    ] = None,
    *,
    opts: OutputOptions,
) -> Report:
    """Caps per fiscal year for a Stage I / Stage II project, split into direct and indirect cost.

    The first fiscal year is prorated by the months the project runs in it (by its days
    with --proration day), and so is a partial last fiscal year unless --no-prorate-last; every other year gets the full
    annual cap. A period of N months ends on the day before the day corresponding to the
    start (民法143条). Exits 1 when the period is over the menu's limit.

    Example: astep budget --menu stage1 --start 2026-10-01 --months 30
    """
    from astep_calc.budget import Proration, fiscal_year_caps
    from astep_calc.money import parse_rate, parse_yen
    from astep_calc.periods import resolve_period

    rules = opts.rulebook()
    s, e = resolve_period(start, months, end)
    try:
        how = Proration(proration.strip().lower())
    except ValueError:
        raise not_one_of(
            proration, [p.value for p in Proration], noun=Text("proration", "按分方法"), field="proration"
        ) from None
    unit = parse_yen(round_)
    if unit < 1:  # the core checks the number too; here the message quotes what was typed
        raise InputError(
            f"{round_!r} is less than 1 yen", f"「{round_}」は使えません。1円以上の単位にしてください", field="round"
        )
    rate = None if indirect_rate is None else parse_rate(indirect_rate, name="--indirect-rate")
    plan = fiscal_year_caps(
        rules, menu, s, e, indirect_rate=rate, proration=how, prorate_last=prorate_last, round_unit=unit
    )
    return Report(
        command="budget",
        rules_id=rules.id,
        tables=[budget_table(plan)],
        data=budget_data(plan),
        violations=findings(plan.violations),
        assumptions=plan.assumptions,
        sources=[rulebook_line(rules.id, plan.menu.cite)],
    )
