"""Valuation on the command line, shared by ``scenarios`` and ``plan`` (SPEC §8, §10).

- ``--discount-rate`` takes one rate or a list (``8%,10%,12%``): the first values every
  figure the command shows, and a list adds the sensitivity grid, each rate's figures
  exactly as a run with that rate alone computes them. One rate changes nothing else.
- ``--value-date`` is the date present values are taken at (the plan key ``value_date``).
- The sensitivity grid and the equity comparison as tables and JSON.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any

import typer

from astep_calc.cli.labels import L
from astep_calc.cli.views import Column, Report, Table, unique
from astep_calc.text import InputError, Text

if TYPE_CHECKING:
    from datetime import date
    from fractions import Fraction

    from astep_calc.company import Company
    from astep_calc.equity import SensitivityRow
    from astep_calc.phases import PlanResult

RatesOpt = Annotated[
    str | None,
    typer.Option(
        "--discount-rate",
        metavar="RATE[,RATE...]",
        show_default=False,
        help="Discount rate a year for present values, e.g. 8% or 0.08; a list (8%,10%,12%) adds the "
        "sensitivity grid, the first rate valuing everything else.",
    ),
]
ValueDateOpt = Annotated[
    str | None,
    typer.Option(
        "--value-date",
        metavar="DATE",
        show_default=False,
        help="The date present values are taken at (default: the development start); needs a discount rate.",
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
        "a value date needs a discount rate: give --discount-rate (or the plan's discount_rate)",
        "評価日を指定するときは割引率も指定してください（--discount-rate、または計画ファイルの discount_rate）",
        field="value_date",
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
            f"感応度：割引率ごとの返済型資金の経済的価値とA-STEPの資金の費用（{day}時点）（円）",
        ),
        [
            Column("rate", L.discount_rate, "percent"),
            Column("case", L.grade),
            Column("loan_value", L.economic_value, "money"),
            Column("astep_cost", L.astep_cost, "money"),
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
    listed = ", ".join(r.given for r in rates)
    return Text(
        f"Sensitivity: for each discount rate ({listed}), the value of the repayable funds (PV of advances − PV "
        "of repayments) and the cost of the A-STEP money (the amount − PV of advances + PV of repayments + the "
        f"collateral's cost) under each grade case, valued at {at.isoformat()}; every other figure uses the "
        f"first rate, {rates[0].given}",
        f"感応度：割引率（{'、'.join(r.given for r in rates)}）ごとに、各事後評価等の返済型資金の経済的価値"
        "（前払額の現在価値−返済額の現在価値）とA-STEPの資金の費用（金額−前払額の現在価値＋返済額の現在価値"
        f"＋担保又は保証の費用）を{at.isoformat()}時点で求める。そのほかの数値は最初の率（{rates[0].given}）による",
    )


def with_sensitivity(report: Report, plan: PlanResult, rates: Sequence[Rate], company: Company | None = None) -> Report:
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
