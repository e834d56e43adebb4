"""``astep budget``: caps per fiscal year for Stage I / Stage II, with the direct/indirect split."""

from typing import Annotated

import typer

from astep_calc.cli import complete
from astep_calc.cli.helptext import Help
from astep_calc.cli.labels import rulebook_line
from astep_calc.cli.options import OutputOptions, command
from astep_calc.cli.program import app
from astep_calc.cli.views import Report, budget_data, budget_table, findings
from astep_calc.text import InputError, Text, not_one_of


@command(
    app,
    "budget",
    ja="""ステージⅠ・ステージⅡの年度別の上限額を、直接経費と間接経費に分けて示します。

    初年度は実施期間に含まれる月数（--proration day なら日数）で按分し、1年に満たない最終年度も
    同様に按分します（--no-prorate-last なら年額のまま）。そのほかの年度は年額の上限額です。
    Nか月の実施期間は、開始日のNか月後の応当日の前日に終わります（民法143条）。実施期間が
    メニューの上限を超えると終了コード 1 です。""",
)
def budget(
    menu: Annotated[
        str,
        typer.Option(
            help=Help(
                "stage1, stage2 or stage2-gate.",
                "メニュー：stage1（ステージⅠ）、stage2（ステージⅡ）、stage2-gate（ステージゲート評価から移行するステージⅡ）。",
            ),
            autocompletion=complete.stage_menus,
        ),
    ],
    start: Annotated[
        str,
        typer.Option(
            help=Help(
                "Project start date, YYYY-MM-DD.", "実施期間の開始日（2026-10-01、令和8年10月1日、R8.10.1 など）。"
            ),
            metavar="DATE",
        ),
    ],
    months: Annotated[
        str | None,
        typer.Option(help=Help("Project length in months.", "実施期間の月数（--end の代わりに）。"), metavar="N"),
    ] = None,
    end: Annotated[
        str | None,
        typer.Option(
            help=Help("Project end date (inclusive).", "実施期間の終了日（当日を含む。--months の代わりに）。"),
            metavar="DATE",
        ),
    ] = None,
    proration: Annotated[
        str,
        typer.Option(
            help=Help(
                "Prorate a partial year by month or day.", "1年に満たない年度の按分：月数（month）か日数（day）。"
            ),
            metavar="month|day",
            autocompletion=complete.proration,
        ),
    ] = "month",
    prorate_last: Annotated[
        bool,
        typer.Option(
            "--prorate-last/--no-prorate-last",
            help=Help(
                "Prorate a partial last fiscal year like the first (default); --no-prorate-last gives it the "
                "full annual cap, the brochure's literal reading.",
                "1年に満たない最終年度も初年度と同様に按分します（既定）。--no-prorate-last なら最終年度は"
                "年額の上限額のまま（パンフレットの文言どおりの読み方）。",
            ),
        ),
    ] = True,
    round_: Annotated[
        str,
        typer.Option(
            "--round",
            metavar="YEN",
            help=Help(
                "Round caps down to this unit (1000 for 千円 forms).",
                "上限額をこの単位（円）で切り捨てます（千円単位の様式なら 1000）。",
            ),
        ),
    ] = "1",
    indirect_rate: Annotated[
        str | None,
        typer.Option(
            help=Help(
                "Indirect-cost rate, 0.3 or 30% (default from the rulebook).",
                "間接経費率（直接経費に対する割合。0.3 または 30%。既定はルールブックの率）。",
            ),
            metavar="RATE",
        ),
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
