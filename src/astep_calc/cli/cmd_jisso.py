"""実装支援 (返済型) commands: ``collateral``, ``disburse``, ``repay`` and ``scenarios``."""

from fractions import Fraction
from typing import TYPE_CHECKING, Annotated, Any

import typer

from astep_calc.cli import complete
from astep_calc.cli.helptext import Help
from astep_calc.cli.labels import Labels, Yen, rulebook_line, yen
from astep_calc.cli.options import BusinessDayOpt, OutputOptions, business_day, command
from astep_calc.cli.program import app
from astep_calc.cli.valuation import (
    RatesOpt,
    ValueDateOpt,
    case_names,
    discount_rates,
    no_rate_for_value_date,
    pv_data,
    sensitivity_assumption,
    sensitivity_data,
    sensitivity_table,
    value_date_option,
)
from astep_calc.cli.views import (
    Column,
    Report,
    Table,
    advances_data,
    advances_table,
    findings,
    schedule_rows,
    schedule_table,
    unique,
)
from astep_calc.text import Assumption, InputError, Text

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import date

    from astep_calc.business_days import BusinessDay
    from astep_calc.cli.valuation import Rate
    from astep_calc.equity import SensitivityRow
    from astep_calc.jisso import Advance, Disbursement
    from astep_calc.payments_file import PaymentsFile
    from astep_calc.repayment import PresentValue, Scenario, Schedule, Terms
    from astep_calc.rulebook import Rulebook

AmountOpt = Annotated[
    str,
    typer.Option(
        "--amount",
        metavar="YEN",
        help=Help(
            "Total development cost P, e.g. 3億, 123,456,789 or 5000万円.",
            "開発費総額（3億、123,456,789、5000万円 など）。",
        ),
    ),
]


def _amount(text: str) -> int:
    from astep_calc.money import parse_yen

    try:
        return parse_yen(text, minimum=1)
    except InputError as exc:
        raise InputError(exc.text.en, exc.text.ja, field="amount") from None


@command(
    app,
    "collateral",
    dates=False,
    ja="開発開始時に設定する担保又は保証の額を示します（開発費総額に対するルールブックの割合。1円未満切り上げ）。",
)
def collateral(amount: AmountOpt, *, opts: OutputOptions) -> Report:
    """The collateral or guarantee (担保又は保証) to set at development start: the rulebook's share of the cost, rounded up.

    Example: astep collateral --amount 3億
    """
    from astep_calc.jisso import amount_violations, collateral_assumptions, jisso_menu
    from astep_calc.jisso import collateral as required
    from astep_calc.money import format_rate, percent

    rules = opts.rulebook()
    p = _amount(amount)
    c = required(rules, p)
    rate = rules.jisso.collateral_rate
    rows = [
        {"item": Labels.development_cost, "amount": p},
        {
            "item": Text(
                f"Collateral or guarantee ({format_rate(rate)}, rounded up)",
                f"担保又は保証（{percent(rate).ja}相当、1円未満切り上げ）",
            ),
            "amount": c,
        },
    ]
    return Report(
        command="collateral",
        rules_id=rules.id,
        tables=[
            Table(
                Text(
                    "実装支援 (repayable): collateral required (yen)",
                    "実装支援（返済型）：必要な担保又は保証（単位：円）",
                ),
                [Column("item", Labels.item), Column("amount", Labels.amount, "money")],
                rows,
            )
        ],
        data={"amount": p, "collateral": c, "collateral_rate": rate},
        violations=findings(amount_violations(rules, p)),
        assumptions=collateral_assumptions(rules),
        sources=[rulebook_line(rules.id, rules.jisso.collateral_cite), rulebook_line(rules.id, jisso_menu(rules).cite)],
    )


@command(
    app,
    "disburse",
    ja="開発期間中のJSTからの四半期毎の前払い（概算）を、開発期間と開発費総額の上限の検査とともに示します。",
)
def disburse(
    amount: AmountOpt,
    start: Annotated[
        str,
        typer.Option(
            metavar="DATE",
            help=Help("Development start, YYYY-MM-DD.", "開発開始日（2026-10-01、令和8年10月1日、R8.10.1 など）。"),
        ),
    ],
    months: Annotated[
        str | None,
        typer.Option(metavar="N", help=Help("Development length in months.", "開発期間の月数（--end の代わりに）。")),
    ] = None,
    end: Annotated[
        str | None,
        typer.Option(
            metavar="DATE",
            help=Help("Development end (inclusive).", "開発終了日（当日を含む。--months の代わりに）。"),
        ),
    ] = None,
    business_day_: BusinessDayOpt = None,
    *,
    opts: OutputOptions,
) -> Report:
    """JST's quarterly advances (四半期毎の前払い) over the development period, with the period and total-cap checks.

    Example: astep disburse --amount 3億 --start 2026-10-01 --months 36
    """
    from astep_calc.jisso import advances, collateral_assumptions, jisso_menu
    from astep_calc.jisso import collateral as required
    from astep_calc.periods import resolve_period

    rules = opts.rulebook()
    p = _amount(amount)
    s, e = resolve_period(start, months, end)
    convention = business_day(business_day_)
    plan = advances(rules, p, s, e, business_day=convention)
    c = required(rules, p)
    return Report(
        command="disburse",
        rules_id=rules.id,
        tables=[advances_table(plan)],
        data={**advances_data(plan), "collateral": c, "business_day": convention.value},
        summary=[(Labels.collateral_at_start, Yen(c))],
        violations=findings(plan.violations),
        assumptions=plan.assumptions + collateral_assumptions(rules),
        sources=[rulebook_line(rules.id, rules.jisso.advance_cite), rulebook_line(rules.id, jisso_menu(rules).cite)],
    )


DevEndOpt = Annotated[
    str,
    typer.Option(
        "--dev-end",
        metavar="DATE",
        help=Help("Development end date E, YYYY-MM-DD.", "開発終了日（返済期間はこの日から数えます）。"),
    ),
]
GradeOpt = Annotated[
    str | None,
    typer.Option(
        metavar="S|A|B|C|discontinued",
        autocompletion=complete.grades,
        help=Help(
            "Post-evaluation grade (default A; S, A and B repay alike). With discontinued (開発中止, or a milestone "
            "evaluation graded C), --dev-end is the stop date and --amount what JST paid up to it: one lump sum "
            "12 months later unless installments are asked for.",
            "事後評価（既定は A。S・A・B の返済は同じ）。discontinued（開発中止。マイルストーン評価が C の場合を"
            "含む）なら、--dev-end は中止日、--amount は中止日までにJSTが支払った額で、分割を指定しなければ"
            "12か月後に一括返済です。",
        ),
    ),
]
DeferralOpt = Annotated[
    str | None,
    typer.Option(
        metavar="D",
        help=Help(
            "Deferral before the first payment: 3y, 18m, 1.5y or years (default 0).",
            "初回返済までの返済猶予（元本据置）期間：3y、18m、1.5y、または年数（既定 0）。",
        ),
    ),
]
TermOpt = Annotated[
    str | None,
    typer.Option(
        metavar="T",
        help=Help(
            "Term from development end, deferral included (default 10y).",
            "開発終了日からの返済期間（返済猶予期間を含む。既定 10y）。",
        ),
    ),
]
EveryOpt = Annotated[
    str | None,
    typer.Option(
        metavar="year|half|quarter|month",
        help=Help(
            "How often installments fall due (default year).",
            "分割返済の間隔：年（year、既定）、半年（half）、四半期（quarter）、月（month）。",
        ),
        autocompletion=complete.every,
    ),
]
LumpOpt = Annotated[bool, typer.Option("--lump", help=Help("Repay in one payment.", "一括で返済します。"))]
DueOpt = Annotated[
    str | None,
    typer.Option(
        metavar="DATE",
        help=Help("Due date of a lump sum or grade-C payment.", "一括返済（C評価の返済を含む）の期日。"),
    ),
]
RemainderOpt = Annotated[
    str | None,
    typer.Option(
        metavar="first|last",
        help=Help(
            "Which installment takes the remainder (default first).",
            "割り切れない端数を加える回：初回（first、既定）か最終回（last）。",
        ),
        autocompletion=complete.remainder,
    ),
]
UnitOpt = Annotated[
    str | None,
    typer.Option(
        metavar="YEN",
        help=Help(
            "Installments are multiples of this unit, e.g. 1000 (default 1).",
            "各回の返済額をこの単位（円）の倍数にします（1000 など。既定 1）。",
        ),
    ),
]
RateOpt = Annotated[
    str | None,
    typer.Option(
        "--discount-rate",
        metavar="RATE",
        help=Help(
            "Discount rate a year for present value, e.g. 3% or 0.03.",
            "現在価値を求める年率の割引率（3% または 0.03 など）。",
        ),
    ),
]


def _terms(
    grade: str | None,
    deferral: str | None,
    term: str | None,
    every: str | None,
    lump: bool,
    due: str | None,
    remainder: str | None,
    unit: str | None,
    payments: str | None = None,
) -> "Terms":
    """The options as :func:`~astep_calc.repayment.terms_from` reads them (options left out keep the defaults)."""
    from astep_calc.repayment import terms_from

    given = {
        "grade": grade,
        "deferral": deferral,
        "term": term,
        "every": every,
        "lump": lump or None,
        "due": due,
        "remainder": remainder,
        "unit": unit,
        "payments": payments,
    }
    return terms_from({k: v for k, v in given.items() if v is not None})


def _rate(text: str | None) -> Fraction | None:
    from astep_calc.money import parse_rate

    if text is None:
        return None
    try:
        return parse_rate(text, name="")
    except InputError as exc:
        raise InputError(exc.text.en.strip(), exc.text.ja.strip(), field="discount_rate") from None


def _forgiven(s: "Schedule") -> list[tuple[Text, Any]]:
    """What a grade never repays (grade C's 90%), when it is something: no rate needed."""
    if s.amount == s.owed:
        return []
    return [
        (
            Text(f"{Labels.forgiven.en} (paid − owed)", f"{Labels.forgiven.ja}（JSTからの支払額−返済すべき額）"),
            Yen(s.amount - s.owed),
        )
    ]


def _pv_summary(s: "Schedule", pv: "PresentValue | None") -> list[tuple[Text, Any]]:
    """The present value at the development end, and what repaying without interest is worth
    (the benefit of no interest, apart from the amount forgiven)."""
    if pv is None:
        return []
    end = s.dev_end.isoformat()
    at = Labels.stop_date if s.stopped else Labels.dev_end  # a 開発中止 case is valued at its stop date
    out: list[tuple[Text, Any]] = [
        (
            Text(
                f"{Labels.repayments_pv.en} at the {at.en.lower()} {end}",
                f"{Labels.repayments_pv.ja}（{at.ja}{end}時点）",
            ),
            Yen(pv.total),
        )
    ]
    out.append(
        (
            Text(
                f"{Labels.interest_benefit.en} (owed − {Labels.repayments_pv.en})",
                f"{Labels.interest_benefit.ja}（返済すべき額−{Labels.repayments_pv.ja}）",
            ),
            Yen(s.owed - pv.total),
        )
    )
    return out


def _grade_sources(rules: "Rulebook", s: "Schedule") -> list[Text]:
    rp = rules.jisso.repayment
    return [rulebook_line(rules.id, rp.cite)] + (
        [rulebook_line(rules.id, s.grade.cite)] if s.grade.cite.source != rp.cite.source else []
    )


@command(
    app,
    "repay",
    ja="""開発終了後の返済計画を示します：期日、各回返済額、累計、未返済残高、現在価値。

    返済猶予・返済期間・金額がルールブックの上限を超えても計算して示し、終了コード 1 です。
    組み立てられない返済方法は終了コード 2 です。""",
)
def repay(
    amount: AmountOpt,
    dev_end: DevEndOpt,
    grade: GradeOpt = None,
    deferral: DeferralOpt = None,
    term: TermOpt = None,
    every: EveryOpt = None,
    lump: LumpOpt = False,
    due: DueOpt = None,
    remainder: RemainderOpt = None,
    unit: UnitOpt = None,
    payments: Annotated[
        str | None,
        typer.Option(
            metavar="FILE",
            help=Help(
                "A custom schedule to check: CSV (UTF-8, UTF-16 or cp932 as Excel saves it) or .xlsx, "
                "with a due-date and an amount column (期日,金額 or due,amount headers; other columns ignored).",
                "検査する独自の返済計画：Excel で保存した CSV（UTF-8、UTF-16、cp932）または .xlsx。期日と金額の列"
                "（見出しは 期日,金額 または due,amount。ほかの列は読み飛ばします）。",
            ),
        ),
    ] = None,
    discount_rate: RateOpt = None,
    business_day_: BusinessDayOpt = None,
    *,
    opts: OutputOptions,
) -> Report:
    """The repayment schedule after development end: due dates, payments, balance, present value.

    Rule breaks (a deferral, term or amount over the rulebook's limits) are still
    computed and exit 1; impossible layouts exit 2.

    Example: astep repay --amount 123,456,789 --dev-end 2028-03-31 --deferral 3y --discount-rate 3%
    """
    from astep_calc.dates import parse_date
    from astep_calc.repayment import present_value, pv_assumption

    rules = opts.rulebook()
    p = _amount(amount)
    e = parse_date(dev_end, field="dev_end")
    rate = _rate(discount_rate)
    terms = _terms(grade, deferral, term, every, lump, due, remainder, unit, payments)
    convention = business_day(business_day_)
    s, read = _repay_schedule(rules, p, e, terms, payments, convention)
    pv = present_value(s, rate) if rate is not None else None
    return Report(
        command="repay",
        rules_id=rules.id,
        tables=[schedule_table(s)],
        data=_repay_data(p, e, s, pv, custom=payments is not None, business_day=convention.value),
        summary=_repay_summary(e, s, pv),
        violations=findings(s.violations),
        assumptions=(
            *(read.assumptions if read is not None else ()),
            *s.assumptions,
            *((pv_assumption(rate, s.stopped),) if rate is not None else ()),
        ),
        sources=_grade_sources(rules, s),
    )


def _repay_schedule(
    rules: "Rulebook", p: int, e: "date", terms: "Terms", payments: str | None, convention: "BusinessDay"
) -> "tuple[Schedule, PaymentsFile | None]":
    """The schedule the terms lay out, or the one of ``--payments FILE`` checked (and how it was read)."""
    from astep_calc.repayment import custom_schedule, schedule

    if payments is None:
        return schedule(rules, p, e, terms, business_day=convention), None
    from astep_calc.payments_file import read_payments  # the table-file reader, only for --payments
    from astep_calc.reader import read_input

    read = read_payments(read_input(payments, label=Text("--payments ", "--payments ")), payments)
    return custom_schedule(rules, p, e, list(read.rows), terms.grade, business_day=convention), read


def _repay_summary(e: "date", s: "Schedule", pv: "PresentValue | None") -> list[tuple[Text, Any]]:
    """The lines above the schedule: grade, amounts, the payments' count and span, present value."""
    from astep_calc.dates import format_span
    from astep_calc.rulebook import grade_label

    return [
        (Labels.grade, Text(f"{s.grade.id} ({grade_label(s.grade).en})", grade_label(s.grade).ja)),
        (Labels.paid, Yen(s.amount)),
        (Labels.owed, Yen(s.owed)),
        *_forgiven(s),
        (Labels.payments_count, Text(f"{len(s.payments)}", f"{len(s.payments)}回")),
        (Labels.first_due, s.first_due),
        (Labels.last_due, s.last_due),
        (Labels.last_after_stop if s.stopped else Labels.last_after_end, format_span(e, s.last_due)),
        *_pv_summary(s, pv),
    ]


def _repay_data(
    p: int, e: "date", s: "Schedule", pv: "PresentValue | None", *, custom: bool, business_day: str
) -> dict[str, Any]:
    """``astep repay``'s JSON: the schedule, its terms when laid out from them, its present value."""
    data: dict[str, Any] = {
        "amount": p,
        "dev_end": e,
        "grade": s.grade.id,
        "owed": s.owed,
        "forgiven": s.amount - s.owed,
        "payments": schedule_rows(s),
        "total": s.total,
        "payment_count": len(s.payments),
        "first_due": s.first_due,
        "last_due": s.last_due,
        "custom": custom,
        "business_day": business_day,
    }
    if s.terms is not None:
        data.update(
            {
                "deferral_months": s.terms.deferral_months,
                "term_months": s.term_months,
                "every_months": s.terms.every_months,
                "unit": s.terms.unit,
                "remainder": s.terms.remainder,
                "lump": s.lump,
            }
        )
    if pv is not None:
        data.update({"discount_rate": pv.rate, **pv_data(s, pv)})
    return data


@command(
    app,
    "scenarios",
    ja="""事後評価ごとの返済を並べて比べます：S/A/B、C、開発中止。

    C評価は返済すべき額を開発終了日の12か月後に一括で返済し、分割のオプションにかかわらず返済猶予は
    ありません。開発中止（マイルストーン評価が C の場合を含む）は、中止日（--stop。既定は開発終了日）
    までにJSTが支払った額を、その12か月後に一括で返済します。

    --start と --end と割引率を指定すると、各行に開発開始日（または --value-date）時点の返済型資金の
    経済的価値も示します。率を並べると（--discount-rate 8%,10%,12%）、その価値とA-STEPの資金の
    費用の感応度の表が加わります。""",
)
def scenarios(
    amount: AmountOpt,
    dev_end: Annotated[
        str | None,
        typer.Option(
            "--dev-end",
            metavar="DATE",
            help=Help("Development end date E (or give --start and --end).", "開発終了日（または --start と --end）。"),
        ),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option(
            metavar="DATE",
            help=Help(
                "Development start: with --end, what JST paid by --stop follows from the advances.",
                "開発開始日。--end とともに指定すると、--stop までにJSTが支払った額を前払いから求めます。",
            ),
        ),
    ] = None,
    end: Annotated[
        str | None,
        typer.Option(
            metavar="DATE",
            help=Help("Development end (inclusive), with --start.", "開発終了日（当日を含む。--start とともに）。"),
        ),
    ] = None,
    stop: Annotated[
        str | None,
        typer.Option(
            metavar="DATE",
            help=Help(
                "開発中止 (or a milestone evaluation graded C) on this date: the discontinued row "
                "repays the advances dated on or before it (needs --start and --end; default: the development end).",
                "開発中止日（マイルストーン評価が C となった日を含む）。開発中止の行は、この日までの前払いを"
                "返済します（--start と --end が必要。既定は開発終了日）。",
            ),
        ),
    ] = None,
    deferral: DeferralOpt = None,
    term: TermOpt = None,
    every: EveryOpt = None,
    lump: LumpOpt = False,
    due: DueOpt = None,
    remainder: RemainderOpt = None,
    unit: UnitOpt = None,
    discount_rate: RatesOpt = None,
    value_date: ValueDateOpt = None,
    business_day_: BusinessDayOpt = None,
    *,
    opts: OutputOptions,
) -> Report:
    """What is repaid under each post-evaluation grade, side by side: S/A/B, C and discontinued.

    Grade C repays its share in one lump sum 12 months after the development end and
    takes no deferral, whatever the installment options say. Discontinued (開発中止)
    repays what JST paid up to the stop (--stop, a milestone evaluation graded C
    included; default the development end) as one lump sum 12 months after it.

    With --start and --end and a discount rate, each row also carries the economic value of the
    repayable funds at the development start (or --value-date); a list of rates
    (--discount-rate 8%,10%,12%) adds the sensitivity grid of that value and of the cost of the
    A-STEP money.

    Example: astep scenarios --amount 3億 --start 2026-10-01 --end 2029-09-30 --stop 2028-06-30
    """
    from astep_calc.cli.board import scenario_case_tables, scenario_inputs
    from astep_calc.dates import parse_date
    from astep_calc.jisso import Disbursement, advances
    from astep_calc.repayment import scenarios as by_grade

    rules = opts.rulebook()
    p = _amount(amount)
    e, period = _development(dev_end, start, end)
    terms = _terms(None, deferral, term, every, lump, due, remainder, unit)
    rates = discount_rates(discount_rate)
    rate = rates[0].value if rates else None
    at = _value_date(value_date, rate, len(rates) > 1, period)
    x = None if stop is None else parse_date(stop, field="stop")
    convention = business_day(business_day_)
    disbursement: Disbursement | None = None if period is None else advances(rules, p, *period, business_day=convention)
    result = by_grade(rules, p, e, terms, rate, stop=x, disbursement=disbursement, business_day=convention)
    rows = [_scenario_row(rules, sc, disbursement, x, rate, at) for sc in result]
    violations = unique(
        [
            *(disbursement.violations if disbursement is not None else ()),
            *(v for sc in result for v in sc.schedule.violations),
        ]
    )
    assumptions = _scenario_assumptions(rules, result, rate, disbursement)
    grid: list[Table] = []
    extra: dict[str, Any] = {}
    board = opts.spec.board  # a workbook: the inputs, each case's schedule, the grid at one rate too
    if (len(rates) > 1 or (board and rates)) and disbursement is not None and at is not None:
        table, extra, more = _scenario_grid(rules, disbursement, result, x, rates, at)
        grid.append(table)
        assumptions += more
    inputs = (
        [
            scenario_inputs(
                rules, p, e, period, x, terms, [r.value for r in rates], at if value_date else None, convention.value
            )
        ]
        if board
        else []
    )
    return Report(
        command="scenarios",
        rules_id=rules.id,
        tables=[
            *inputs,
            Table(
                _scenarios_title(p, e, rate, at if disbursement is not None else None),
                _scenario_columns(rate, disbursement),
                rows,
                sheet=Text("scenarios", "返済の比較"),
            ),
            *(scenario_case_tables(result) if board else ()),
            *grid,
        ],
        data={
            "amount": p,
            "dev_end": e,
            "scenarios": rows,
            **({"start": period[0], "end": period[1]} if period is not None else {}),
            **({"stop": x} if x is not None else {}),
            **({"discount_rate": rate} if rate is not None else {}),
            **extra,
            "business_day": convention.value,
        },
        violations=findings(violations),
        assumptions=assumptions,
        sources=_scenario_sources(rules),
    )


def _value_date(
    value_date: str | None, rate: Fraction | None, several: bool, period: "tuple[date, date] | None"
) -> "date | None":
    """The date the repayable funds are valued at: --value-date, else the development start."""
    at = value_date_option(value_date)
    if at is not None and rate is None:
        raise no_rate_for_value_date()
    if period is None and (at is not None or several):
        raise InputError(
            "valuing the repayable funds needs their advances: give --start and --end",
            "返済型資金の価値を求めるには前払いの日付が必要です。--start と --end を指定してください",
            field="value_date" if at is not None else "discount_rate",
        )
    return at if at is not None or period is None else period[0]


def _scenario_row(
    rules: "Rulebook",
    sc: "Scenario",
    d: "Disbursement | None",
    stop: "date | None",
    rate: Fraction | None,
    at: "date | None",
) -> dict[str, Any]:
    """One grade case of the comparison, as its table row and its JSON entry."""
    from astep_calc.rulebook import grade_label

    s = sc.schedule
    row: dict[str, Any] = {
        "scenario": sc.label,
        "name": grade_label(s.grade),
        "grades": list(sc.grades),
        "paid": s.amount,
        "dev_end": s.dev_end,
        "owed": s.owed,
        "forgiven": s.amount - s.owed,
        "payment_count": len(s.payments),
        "first_due": s.first_due,
        "last_due": s.last_due,
        "total": s.total,
    }
    # The unmoved dates beside the first and last due dates the business-day convention moved.
    first, last = s.payments[0], s.payments[-1]
    if first.scheduled is not None:
        row["first_scheduled"] = first.scheduled
    if last.scheduled is not None:
        row["last_scheduled"] = last.scheduled
    if sc.pv is not None:
        row.update(pv_data(s, sc.pv))
    if rate is not None and d is not None and at is not None:
        row["loan_value"] = _loan_value(rules, d, s, stop, rate, at)
    row["payments"] = schedule_rows(s)
    return row


def _scenario_columns(rate: Fraction | None, d: "Disbursement | None") -> list[Column]:
    """The comparison's columns: the values only with a rate, the funds' value only with advances."""
    columns = [
        Column("name", Labels.grade),
        Column("owed", Labels.owed, "money"),
        Column("forgiven", Labels.forgiven, "money"),
        Column("payment_count", Labels.payments_count, "int"),
        Column("first_due", Labels.first_due, "date_weekday"),
        Column("first_scheduled", Labels.first_scheduled, "date_weekday", optional=True),
        Column("last_due", Labels.last_due, "date_weekday"),
        Column("last_scheduled", Labels.last_scheduled, "date_weekday", optional=True),
        Column("total", Labels.total_repaid, "money"),
    ]
    if rate is not None:
        columns += [
            Column("present_value", Labels.repayments_pv, "money"),
            Column("interest_benefit", Labels.interest_benefit, "money"),
        ]
        if d is not None:  # the funds valued at the value date, from their advances
            columns.append(Column("loan_value", Labels.economic_value, "money"))
    return columns


def _scenario_assumptions(
    rules: "Rulebook", result: "Sequence[Scenario]", rate: Fraction | None, d: "Disbursement | None"
) -> list[Text | Assumption]:
    """The schedules' assumptions, then how the repayments (and the funds) are valued."""
    from astep_calc.repayment import pv_assumption

    assumptions: list[Text | Assumption] = unique(a for sc in result for a in sc.schedule.assumptions)
    if rate is not None:
        stopped = any(sc.schedule.stopped for sc in result)
        assumptions.append(pv_assumption(rate, stopped))
        if d is not None:
            from astep_calc.cashflow import loan_value_assumption

            assumptions.append(loan_value_assumption(rate))
    return assumptions


def _scenario_grid(
    rules: "Rulebook",
    d: "Disbursement",
    result: "Sequence[Scenario]",
    stop: "date | None",
    rates: "Sequence[Rate]",
    at: "date",
) -> tuple[Table, dict[str, Any], list[Text]]:
    """The sensitivity grid (SPEC §10): its table, its JSON keys and its assumptions."""
    from astep_calc.cashflow import RELEASE_ASSUMPTION

    rows_by_rate = _sensitivity(rules, d, result, stop, [r.value for r in rates], at)
    table = sensitivity_table(rows_by_rate, at, case_names(rules), main=True)
    data = {"value_date": at, "sensitivity": sensitivity_data(rows_by_rate, {r.value: r.given for r in rates})}
    return table, data, [sensitivity_assumption(rates, at), RELEASE_ASSUMPTION]


def _scenario_sources(rules: "Rulebook") -> list[Text]:
    """The rulebook lines of the repayment, of each grade cited apart, and of the milestone evaluation."""
    rp = rules.jisso.repayment
    return (
        [rulebook_line(rules.id, rp.cite)]
        + [rulebook_line(rules.id, g.cite) for g in rp.grades if g.cite.source != rp.cite.source]
        + [rulebook_line(rules.id, rp.milestone_cite)]
    )


def _scenarios_title(p: int, e: "date", rate: Fraction | None, at: "date | None") -> Text:
    """The comparison's title, naming the date of each present value it shows."""
    head = Text(
        f"実装支援: repayment by post-evaluation grade, {yen(p).en} paid, development end {e.isoformat()}",
        f"実装支援：事後評価等による返済の比較（JSTからの支払額{yen(p).ja}、開発終了日{e.isoformat()}",
    )
    if rate is None:
        return Text(f"{head.en} (yen)", f"{head.ja}）（単位：円）")
    from astep_calc.money import percent

    r = percent(rate)
    if at is None:
        return Text(
            f"{head.en}; PV of repayments at the development end, at {r.en} a year (yen)",
            f"{head.ja}。返済額の現在価値は開発終了日時点、年{r.ja}）（単位：円）",
        )
    day = at.isoformat()
    return Text(
        f"{head.en}; PV of repayments at the development end, economic value of the repayable funds at {day}, "
        f"both at {r.en} a year (yen)",
        f"{head.ja}。返済額の現在価値は開発終了日時点、返済型資金の経済的価値は{day}時点、いずれも年{r.ja}）（単位：円）",
    )


def _paid(rules: "Rulebook", d: "Disbursement", s: "Schedule", stop: "date | None") -> "tuple[Advance, ...]":
    """The advances JST pays in a row: 開発中止 stops them at the stop date, as its row repays them."""
    from astep_calc.jisso import advances_until

    if stop is not None and rules.jisso.repayment.is_discontinued(s.grade):
        return advances_until(d, stop)
    return d.advances


def _loan_value(
    rules: "Rulebook", d: "Disbursement", s: "Schedule", stop: "date | None", rate: Fraction, at: "date"
) -> int:
    """The repayable funds' economic value at ``at`` (SPEC §8): Σ PV(advances JST pays) − Σ PV(repayments)."""
    from astep_calc.cashflow import loan_present_value

    paid = _paid(rules, d, s, stop)
    return loan_present_value(((a.date, a.amount) for a in paid), ((p.due, p.amount) for p in s.payments), rate, at)[2]


def _sensitivity(
    rules: "Rulebook",
    d: "Disbursement",
    result: "Sequence[Scenario]",
    stop: "date | None",
    rates: "Sequence[Fraction]",
    at: "date",
) -> "tuple[SensitivityRow, ...]":
    """The grid of SPEC §10 for ``scenarios``: each rate by each row, the economic value and the
    cost of the A-STEP money, the collateral posted at the development start and released with
    the row's last payment (a deposit: the command knows no guarantee)."""
    from astep_calc.equity import SensitivityRow, flows_cost
    from astep_calc.jisso import collateral

    posted = collateral(rules, d.total)
    out = []
    for rate in rates:
        for sc in result:
            s = sc.schedule
            paid = _paid(rules, d, s, stop)
            cost = flows_cost(
                sc.label,
                sum(a.amount for a in paid),
                ((a.date, a.amount) for a in paid),
                ((p.due, p.amount) for p in s.payments),
                [(d.start, posted)],
                [(s.last_due, posted)],
                rate,
                at,
            )
            out.append(SensitivityRow(rate, sc.label, cost.loan_value, cost.astep_cost))
    return tuple(out)


def _development(dev_end: str | None, start: str | None, end: str | None) -> "tuple[date, tuple[date, date] | None]":
    """The development end E, and the period (start, end) when both are given."""
    from astep_calc.dates import parse_date

    if start is None and end is None:
        if dev_end is None:
            raise InputError(
                "give the development end (or the development start and end)",
                "開発終了日（または開発開始日と終了日）を指定してください",
                field="dev_end",
            )
        return parse_date(dev_end, field="dev_end"), None
    if start is None or end is None:
        missing, given = ("--start", "--end") if start is None else ("--end", "--start")
        raise InputError(
            f"{missing} is missing: with {given}, give both ends of the development period",
            f"{given} を指定したときは {missing} も指定してください（開発期間の両端が必要です）",
        )
    s, e = parse_date(start, field="start"), parse_date(end, field="end")
    if e < s:
        raise InputError(
            f"{e.isoformat()} is before the start {s.isoformat()}",
            f"{e.isoformat()}は開始日{s.isoformat()}より前です。開始日以降の日付にしてください",
            field="end",
        )
    if dev_end is not None and parse_date(dev_end, field="dev_end") != e:
        raise InputError(
            f"{dev_end!r} is not the development end {e.isoformat()} given as the end",
            f"「{dev_end}」は --end の開発終了日{e.isoformat()}と異なります。どちらか一方だけを指定してください",
            field="dev_end",
        )
    return e, (s, e)
