"""Valuation on the command line, shared by ``scenarios`` and ``plan`` (SPEC §8, §10).

- ``--discount-rate`` takes one rate or a list (``8%,10%,12%``): the first values every
  figure the command shows, and a list adds the sensitivity grid, each rate's figures
  exactly as a run with that rate alone computes them. One rate changes nothing else.
- ``--value-date`` is the date present values are taken at (the plan key ``value_date``).
- ``--pre-money``, ``--exit-value`` and ``--exit-date`` (the plan's ``[company.equity]``).
- The sensitivity grid and the equity comparison as tables and JSON.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import typer

from astep_calc.cli.helptext import Help
from astep_calc.cli.labels import Labels, Percent
from astep_calc.cli.views import Column, Report, Table, unique
from astep_calc.text import InputError, Text

if TYPE_CHECKING:
    from datetime import date
    from fractions import Fraction

    from astep_calc.cashflow import LoanValue
    from astep_calc.company import Company
    from astep_calc.equity import Equity, EquityComparison, SensitivityRow
    from astep_calc.phases import Evaluation
    from astep_calc.repayment import PresentValue, Schedule

RatesOpt = Annotated[
    str | None,
    typer.Option(
        "--discount-rate",
        metavar="RATE[,RATE...]",
        show_default=False,
        help=Help(
            "Discount rate a year for present values, e.g. 8% or 0.08; a list (8%,10%,12%) adds the "
            "sensitivity grid, the first rate valuing everything else.",
            "現在価値を求める年率の割引率（8% または 0.08 など）。8%,10%,12% のように並べると感応度の表が"
            "加わり、そのほかの数値は最初の率で求めます。",
        ),
    ),
]
ValueDateOpt = Annotated[
    str | None,
    typer.Option(
        "--value-date",
        metavar="DATE",
        show_default=False,
        help=Help(
            "The date present values are taken at (default: the development start); needs a discount rate.",
            "現在価値の評価日（既定は開発開始日）。割引率とともに指定します。",
        ),
    ),
]


@dataclass(frozen=True)
class Rate:
    """A discount rate as given on the command line (``8%``: JSON's ``rate``) and its value."""

    given: str
    value: Fraction


#: What separates the rates of a list: a comma, or the Japanese one.
_SEPARATORS = (",", "、")


def discount_rates(text: str | None) -> tuple[Rate, ...]:
    """The rates of ``--discount-rate``, in the order given (none when the option is not given).

    >>> [(r.given, str(r.value)) for r in discount_rates("8%, 10%,0.12")]
    [('8%', '2/25'), ('10%', '1/10'), ('0.12', '3/25')]
    >>> discount_rates("8%,0.08")
    Traceback (most recent call last):
    ...
    astep_calc.text.InputError: '0.08' is 8% again: give each rate once
    """
    from astep_calc.money import format_rate, parse_rate

    if text is None:
        return ()
    normal = unicodedata.normalize("NFKC", text)
    for sep in _SEPARATORS:
        normal = normal.replace(sep, ",")
    out: list[Rate] = []
    for item in normal.split(","):
        given = item.strip()
        if not given:
            raise InputError(
                f"{text!r} has an empty rate: list the rates as 8%,10%,12%",
                f"「{text}」に空の率があります。8%,10%,12% のように並べてください",
                field="discount_rate",
            )
        try:
            value = parse_rate(given, name="")
        except InputError as exc:
            raise InputError(exc.text.en.strip(), exc.text.ja.strip(), field="discount_rate") from None
        if any(r.value == value for r in out):
            raise InputError(
                f"{given!r} is {format_rate(value)} again: give each rate once",
                f"「{given}」は{format_rate(value)}と重複しています。同じ率は1回だけ指定してください",
                field="discount_rate",
            )
        out.append(Rate(given, value))
    return tuple(out)


def value_date_option(text: str | None) -> date | None:
    """``--value-date``, read as every date of the command line is."""
    from astep_calc.dates import parse_date

    return None if text is None else parse_date(text, field="value_date")


def no_rate_for_value_date() -> InputError:
    """``--value-date`` with nothing to value: refused, not ignored."""
    return InputError(
        "needs a discount rate: give --discount-rate (or the plan's discount_rate)",
        "評価日を指定するときは割引率も指定してください（--discount-rate、または計画ファイルの discount_rate）",
        field="value_date",
    )


def pv_data(s: Schedule, pv: PresentValue) -> dict[str, int]:
    """A schedule's present value at the development end as JSON carries it: the grant
    equivalent (paid − PV) and its two parts, the amount forgiven (grade C's 90%: paid − owed)
    and the benefit of no interest (owed − PV)."""
    return {
        "present_value": pv.total,
        "grant_equivalent": pv.grant_equivalent,
        "forgiven": s.amount - s.owed,
        "interest_benefit": s.owed - pv.total,
    }


def values_table(loans: Sequence[LoanValue]) -> Table:
    """Each 実装支援 phase's repayable funds valued (SPEC §8): the PVs of the advances and of the
    repayments, their difference, and the collateral's cost beside it. The title names the
    date and rate when the phases share them; else each row names its own."""
    from astep_calc.money import percent

    dates, rates = {lv.value_date for lv in loans}, {lv.rate for lv in loans}
    one = len(dates) == 1 and len(rates) == 1
    if one:
        day, r = loans[0].value_date.isoformat(), percent(loans[0].rate)
        title = Text(
            f"Economic value of the repayable funds: present values at {day} at {r.en} a year (yen)",
            f"返済型資金の経済的価値（{day}時点の現在価値、年{r.ja}）（単位：円）",
        )
    else:
        title = Text(
            "Economic value of the repayable funds: present values at each phase's value date, which differ (yen)",
            "返済型資金の経済的価値（フェーズごとに異なる評価日時点の現在価値）（単位：円）",
        )
    keys = (
        "advances_present_value",
        "repayments_present_value",
        "loan_value",
        "collateral_posted_present_value",
        "collateral_released_present_value",
        "collateral_cost",
    )
    rows = [
        {
            "phase": lv.phase,
            "value_date": lv.value_date,
            "rate": lv.rate,
            **dict(
                zip(
                    keys,
                    (
                        lv.advances,
                        lv.repayments,
                        lv.value,
                        lv.collateral_posted,
                        lv.collateral_released,
                        lv.collateral_cost,
                    ),
                    strict=True,
                )
            ),
        }
        for lv in loans
    ]
    return Table(
        title,
        [
            Column("phase", Labels.phase, "int"),
            Column("value_date", Labels.value_date, "date"),
            Column("rate", Labels.discount_rate, "percent"),
            Column("advances_present_value", Labels.advances_pv, "money"),
            Column("repayments_present_value", Labels.repayments_pv, "money"),
            Column("loan_value", Labels.economic_value, "money"),
            Column("collateral_posted_present_value", Labels.collateral_posted_pv, "money"),
            Column("collateral_released_present_value", Labels.collateral_released_pv, "money"),
            Column("collateral_cost", Labels.collateral_cost, "money"),
        ],
        rows,
        # Present values at one date and rate add up; at several, they do not.
        {"phase": Labels.total, **{k: sum(row[k] for row in rows) for k in keys}} if one else None,
        sheet=Text("Economic value", "経済的価値"),
    )


# --------------------------------------------------------------------------- sensitivity


def sensitivity_data(rows: Sequence[SensitivityRow], given: Mapping[Fraction, str]) -> list[dict[str, Any]]:
    """SPEC §10's ``"sensitivity"``: ``{"rate", "case", "loan_value", "astep_cost"}`` per rate
    and case, the rate as given."""
    return [
        {"rate": given[r.rate], "case": r.case, "loan_value": r.loan_value, "astep_cost": r.astep_cost} for r in rows
    ]


def sensitivity_table(rows: Sequence[SensitivityRow], at: date, names: Mapping[str, Text], *, main: bool) -> Table:
    """The grid: a row per rate and grade case, the value of the repayable funds and the cost
    of the A-STEP money beside each, both at ``at`` (named in the title)."""
    day = at.isoformat()
    return Table(
        Text(
            f"Sensitivity: the repayable funds' economic value and the A-STEP money's cost by discount rate, "
            f"valued at {day} (yen)",
            f"感応度：割引率ごとの返済型資金の経済的価値とA-STEPの資金の費用（{day}時点の現在価値）（単位：円）",
        ),
        [
            Column("rate", Labels.discount_rate, "percent"),
            Column("case", Labels.grade),
            Column("loan_value", Labels.economic_value, "money"),
            Column("astep_cost", Labels.astep_cost, "money"),
        ],
        [
            {
                "rate": r.rate,
                "case": names.get(r.case, Text(r.case, r.case)),
                "loan_value": r.loan_value,
                "astep_cost": r.astep_cost,
            }
            for r in rows
        ],
        main=main,
        sheet=Text("Sensitivity", "感応度"),
    )


def case_names(rules: Any) -> dict[str, Text]:
    """Each grade case (``S/A/B``, ``C``, ``discontinued``) as the rulebook words it."""
    from astep_calc.rulebook import grade_label

    out: dict[str, Text] = {}
    for g in rules.jisso.repayment.grades:
        out.setdefault(g.scenario, grade_label(g))
    return out


def sensitivity_assumption(rates: Sequence[Rate], at: date) -> Text:
    """What the grid is, in words."""
    en = ", ".join(r.given for r in rates)
    ja = "、".join(r.given.replace("%", "％") for r in rates)
    rest = (
        Text(
            f"; every other figure uses the first rate, {rates[0].given}",
            f"。そのほかの数値は最初の率（{ja.split('、')[0]}）による",
        )
        if len(rates) > 1
        else Text("", "")
    )
    return Text(
        f"Sensitivity: at each discount rate ({en}), the economic value of the repayable funds (PV of advances − PV "
        "of repayments) and the cost of the A-STEP money (the amount − PV of advances + PV of repayments + the "
        f"collateral's cost) under each grade case, valued at {at.isoformat()}{rest.en}",
        f"感応度：割引率（{ja}）ごとに、各事後評価等の返済型資金の経済的価値（前払額の現在価値−返済額の現在価値）と"
        "A-STEPの資金の費用（金額−前払額の現在価値＋返済額の現在価値＋担保又は保証の費用）を"
        f"{at.isoformat()}時点で求める{rest.ja}",
    )


def with_sensitivity(report: Report, plan: Evaluation, rates: Sequence[Rate], company: Company | None = None) -> Report:
    """``astep plan``'s report with the grid of a list of rates: the grid becomes the table a
    flat format (CSV) writes, since it is what the list asks for."""
    from dataclasses import replace

    from astep_calc.equity import sensitivity, value_date

    if not any(r.kind == "jisso" for r in plan.phases):
        raise InputError(
            "a list of discount rates values the 実装支援 money, and this plan has no jisso phase",
            "割引率を複数指定すると実装支援の資金を評価しますが、この計画には実装支援（jisso）のフェーズがありません",
            field="discount_rate",
        )
    at = value_date(plan)
    rows = sensitivity(plan, [r.value for r in rates], company=company, at=at)
    grid = sensitivity_table(rows, at, case_names(plan.rules), main=True)
    from astep_calc.cashflow import RELEASE_ASSUMPTION

    return replace(
        report,
        tables=[*(replace(t, main=False) for t in report.tables), grid],
        data={**report.data, "sensitivity": sensitivity_data(rows, {r.value: r.given for r in rates})},
        assumptions=unique([*report.assumptions, sensitivity_assumption(rates, at), RELEASE_ASSUMPTION]),
    )


# --------------------------------------------------------------------------- equity or A-STEP

PreMoneyOpt = Annotated[
    str | None,
    typer.Option(
        "--pre-money",
        metavar="YEN",
        show_default=False,
        help=Help(
            "Compare with an equity round for the same money at this pre-money valuation, e.g. 20億 "
            "(the plan's [company.equity] pre_money).",
            "同じ額を増資で調達した場合と比べます。この額がプレマネー評価額です（20億 など。計画の "
            "[company.equity] の pre_money）。",
        ),
    ),
]
ExitValueOpt = Annotated[
    str | None,
    typer.Option(
        "--exit-value",
        metavar="YEN",
        show_default=False,
        help=Help(
            "The company's value at the exit, with --exit-date: equity's cost is the stake's present value then.",
            "エグジット時の企業価値（--exit-date とともに）。増資の費用は、手放す持分のその時点の現在価値です。",
        ),
    ),
]
ExitDateOpt = Annotated[
    str | None,
    typer.Option(
        "--exit-date", metavar="DATE", show_default=False, help=Help("The date of the exit.", "エグジットの日付。")
    ),
]


def equity_option(
    planned: Equity | None, pre_money: str | None, exit_value: str | None, exit_date: str | None
) -> Equity | None:
    """The equity round to compare with: the plan's ``[company.equity]``, each value the options
    give replacing the plan's (None when neither gives a pre-money valuation)."""
    from astep_calc.dates import parse_date
    from astep_calc.equity import Equity
    from astep_calc.money import parse_yen

    if pre_money is None and exit_value is None and exit_date is None:
        return planned

    def yen(text: str, field: str, minimum: int) -> int:
        try:
            return parse_yen(text, minimum=minimum)
        except InputError as exc:
            raise InputError(exc.text.en, exc.text.ja, field=field) from None

    v = yen(pre_money, "pre_money", 1) if pre_money is not None else None
    x = yen(exit_value, "exit_value", 0) if exit_value is not None else None
    t = parse_date(exit_date, field="exit_date") if exit_date is not None else None
    if planned is not None:
        v = planned.pre_money if v is None else v
        if x is None and t is None:
            x, t = planned.exit_value, planned.exit_date
    if v is None:
        raise InputError(
            "--exit-value and --exit-date compare with an equity round: give its --pre-money valuation too",
            "--exit-value と --exit-date は資本調達との比較に使います。調達前の企業価値 --pre-money も指定してください",
            field="pre_money",
        )
    try:
        return Equity(v, x, t)
    except InputError as exc:  # an exit is a value at a date: name the option that is missing
        raise InputError(exc.text.en, exc.text.ja, field=(exc.field or "").rsplit(".", 1)[-1]) from None


def no_rate_for_equity() -> InputError:
    return InputError(
        "is needed to compare with equity, which values money at different dates (or the plan's discount_rate)",
        "資本調達との比較には割引率が必要です（または計画ファイルの discount_rate）",
        field="discount_rate",
    )


def equity_data(cmp: EquityComparison) -> dict[str, Any]:
    """SPEC §10's ``"equity"``, with the rate and the date its costs are valued at."""
    from astep_calc.equity import stake_percent

    e = cmp.equity
    return {
        "amount": cmp.amount,
        "pre_money": e.pre_money,
        "stake_percent": str(cmp.stake_percent),
        "exit_value": e.exit_value,
        "exit_date": e.exit_date,
        "stake_pv": cmp.stake_pv,
        "discount_rate": cmp.rate,
        "value_date": cmp.value_date,
        "cases": [
            {
                "case": c.case,
                "amount": c.cost.amount,
                "stake_percent": str(stake_percent(c.stake)),
                "astep_cost": c.astep_cost,
                "equity_cost": c.equity_cost,
                "difference": c.difference,
            }
            for c in cmp.cases
        ],
    }


def equity_table(cmp: EquityComparison, names: Mapping[str, Text]) -> Table:
    """Each grade case: the amount raised, the stake an equity round sells for it, the cost of
    the A-STEP money, equity's cost and the difference, all at the value date (in the title)."""
    from astep_calc.money import percent

    day, r = cmp.value_date.isoformat(), percent(cmp.rate)
    return Table(
        Text(
            f"Equity or A-STEP: the cost of the same money, present values at {day} at {r.en} a year (yen)",
            f"資本調達との比較：同じ額を調達する費用（{day}時点の現在価値、年{r.ja}）（単位：円）",
        ),
        [
            Column("case", Labels.grade),
            Column("amount", Labels.amount_raised, "money"),
            Column("stake", Labels.stake, "percent"),
            Column("astep_cost", Labels.astep_cost, "money"),
            Column("equity_cost", Labels.equity_cost, "money"),
            Column("difference", Labels.difference, "money"),
        ],
        [
            {
                "case": names.get(c.case, Text(c.case, c.case)),
                "amount": c.cost.amount,
                "stake": Percent(c.stake, 2),  # two decimals, half-even (SPEC §10)
                "astep_cost": c.astep_cost,
                "equity_cost": c.equity_cost,
                "difference": c.difference,
            }
            for c in cmp.cases
        ],
        sheet=Text("Equity or A-STEP", "資本調達との比較"),
    )


def equity_summary(cmp: EquityComparison) -> list[tuple[Text, Any]]:
    """The equity round's own inputs (the stake and its costs are the table's)."""
    from astep_calc.cli.labels import Yen

    e = cmp.equity
    out: list[tuple[Text, Any]] = [(Labels.pre_money, Yen(e.pre_money))]
    if e.exit_value is not None and e.exit_date is not None:
        out += [(Labels.exit_value, Yen(e.exit_value)), (Labels.exit_date, e.exit_date)]
    return out


def with_equity(report: Report, plan: Evaluation, equity: Equity, company: Company | None = None) -> Report:
    """``astep plan``'s report with the equity comparison of SPEC §10."""
    from dataclasses import replace

    from astep_calc.equity import compare_equity

    rate = plan.model.discount_rate
    if rate is None:
        raise no_rate_for_equity()
    cmp = compare_equity(plan, equity, rate, company=company, at=plan.model.value_date)
    return replace(
        report,
        tables=[*report.tables, equity_table(cmp, case_names(plan.rules))],
        data={**report.data, "equity": equity_data(cmp)},
        summary=[*report.summary, *equity_summary(cmp)],
        assumptions=unique([*report.assumptions, *cmp.assumptions]),
    )
