"""The fiscal-year cash flow of a whole plan, and the loan value of 実装支援 (SPEC §8).

Every phase's money becomes dated movements: a stage phase's request for each fiscal
year (or its cap when the plan gives none) and the companies' matching contribution;
a 実装支援 phase's advances as ``advances`` dates them, the collateral posted at the
development start and released on ``collateral_release`` (default: the last
repayment), and the repayments as ``schedule`` dates them. The movements are summed
per fiscal year (or fiscal quarter); a period shared by phases shows each phase's part:

    net = jst_in − repaid − collateral_posted + collateral_released

>>> from datetime import date
>>> from astep_calc.phases import Phase, Plan, evaluate
>>> from astep_calc.rulebook import load_rulebook
>>> plan = evaluate(load_rulebook(), Plan((
...     Phase("stage1", date(2026, 10, 1), date(2028, 3, 31), budget=((2026, 7_500_000), (2027, 15_000_000))),)))
>>> [(r.key, r.amounts.jst_in, r.cumulative) for r in cash_flow(plan).rows]
[('FY2026', 7500000, 7500000), ('FY2027', 15000000, 22500000)]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date
from fractions import Fraction
from typing import Literal

from astep_calc.dates import (
    ONE_DAY,
    FiscalYear,
    add_months,
    fiscal_quarter,
    fiscal_year_label,
    fiscal_year_of,
    months_touched,
    quarter_start,
)
from astep_calc.money import percent
from astep_calc.phases import Evaluation, PhaseResult
from astep_calc.repayment import discounted, pv_sum, round_yen
from astep_calc.text import Lang, Text

By = Literal["year", "quarter"]
Column = Literal["jst_in", "company_in", "collateral_posted", "collateral_released", "repaid"]
COLUMNS: tuple[Column, ...] = ("jst_in", "company_in", "collateral_posted", "collateral_released", "repaid")


@dataclass(frozen=True)
class Amounts:
    """The money of one period (or one phase's part of it), in yen."""

    jst_in: int = 0
    company_in: int = 0
    collateral_posted: int = 0
    collateral_released: int = 0
    repaid: int = 0

    @property
    def net(self) -> int:
        """jst_in − repaid − collateral_posted + collateral_released (the companies' matching is their own money)."""
        return self.jst_in - self.repaid - self.collateral_posted + self.collateral_released

    def __add__(self, other: Amounts) -> Amounts:
        return Amounts(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(Amounts)))

    def is_zero(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(Amounts))


@dataclass(frozen=True)
class Movement:
    """One amount of money on one day, of one phase, in one column of the cash flow."""

    date: date
    phase: int
    column: Column
    amount: int


@dataclass(frozen=True)
class PhasePart:
    """One phase's part of a period; ``matching_fund``: a phase of a matching-fund menu (Stage II)."""

    phase: int
    menu: str
    amounts: Amounts
    matching_fund: bool = False


@dataclass(frozen=True)
class CashFlowRow:
    """A fiscal year (or quarter): each phase's part, their sum and the running total of ``net``."""

    fiscal_year: int
    quarter: int | None
    start: date
    end: date
    parts: tuple[PhasePart, ...]
    amounts: Amounts
    cumulative: int

    @property
    def matching_ratio(self) -> Fraction | None:
        """The companies' contribution ÷ JST's money, over the period's matching-fund phases only
        (a Stage I grant in the same year is no money the companies match); ``None`` without either.

        >>> row = CashFlowRow(2029, None, date(2029, 4, 1), date(2030, 3, 31), (
        ...     PhasePart(1, "stage1", Amounts(jst_in=11_000_000)),
        ...     PhasePart(2, "stage2-gate", Amounts(jst_in=10_000_000, company_in=10_000_000), matching_fund=True)),
        ...     Amounts(jst_in=21_000_000, company_in=10_000_000), 0)
        >>> row.matching_ratio   # 10,000,000 / 10,000,000, not 10/21
        Fraction(1, 1)
        """
        matched = [p.amounts for p in self.parts if p.matching_fund]
        company, jst = sum(a.company_in for a in matched), sum(a.jst_in for a in matched)
        return Fraction(company, jst) if company and jst else None

    @property
    def key(self) -> str:
        """``FY2026`` or ``FY2026-Q3``."""
        return f"FY{self.fiscal_year}" + (f"-Q{self.quarter}" if self.quarter is not None else "")

    def label(self, lang: Lang) -> str:
        fy = fiscal_year_label(self.fiscal_year).in_lang(lang)
        if self.quarter is None:
            return fy
        return f"{fy} 第{self.quarter}四半期" if lang == "ja" else f"{fy} Q{self.quarter}"


@dataclass(frozen=True)
class LoanValue:
    """A 実装支援 phase's loan valued at ``value_date`` at ``rate`` a year (SPEC §8).

    ``value`` = Σ PV(advances) − Σ PV(repayments) and ``collateral_cost`` = PV(posted) −
    PV(released), each summed exactly and rounded half-even once; the four PV sums
    beside them are rounded on their own, so they may differ from the result by a yen.
    """

    phase: int
    rate: Fraction
    value_date: date
    advances: int
    repayments: int
    value: int
    collateral_posted: int
    collateral_released: int
    collateral_cost: int


@dataclass(frozen=True)
class CashFlow:
    """The plan's cash flow: one row per period from the first phase's start to the last movement."""

    by: By
    rows: tuple[CashFlowRow, ...]
    totals: Amounts
    loans: tuple[LoanValue, ...]
    assumptions: tuple[Text, ...]

    @property
    def cumulative(self) -> int:
        return self.rows[-1].cumulative if self.rows else 0


def _period(d: date, by: By) -> tuple[int, int | None]:
    return fiscal_quarter(d) if by == "quarter" else (fiscal_year_of(d), None)


def split_by_months(amount: int, weights: list[int]) -> list[int]:
    """Split ``amount`` in proportion to ``weights`` (months): floor(amount × w / Σw) each,
    the remainder to the first — the rule the quarterly advances follow.

    >>> split_by_months(10_000_000, [3, 3, 3, 3]), split_by_months(100, [1, 3, 3])   # 14 + 42 + 42 = 98, +2
    ([2500000, 2500000, 2500000, 2500000], [16, 42, 42])
    """
    total = sum(weights)
    parts = [amount * w // total for w in weights]
    parts[0] += amount - sum(parts)
    return parts


def _per_fiscal_year(phase: PhaseResult, fy: int, amount: int, column: Column, by: By) -> list[Movement]:
    """A stage phase's amount for a fiscal year, dated where the phase starts working in that
    year; by quarter, split over the year's quarters the phase runs in by their months."""
    p = phase.phase
    fy_start, fy_end = FiscalYear(fy).start, FiscalYear(fy).end
    s, e = max(p.start, fy_start), min(p.end, fy_end)
    if s > e:  # a request outside the phase's period (a budget.outside_period violation) still counts
        return [Movement(fy_start, phase.no, column, amount)]
    if by == "year":
        return [Movement(s, phase.no, column, amount)]
    dates: list[date] = []
    weights: list[int] = []
    for q in range(1, 5):
        qs = quarter_start(fy, q)
        qe = add_months(qs, 3) - ONE_DAY
        a, b = max(s, qs), min(e, qe)
        if a <= b:
            dates.append(a)
            weights.append(months_touched(a, b))
    return [Movement(d, phase.no, column, x) for d, x in zip(dates, split_by_months(amount, weights), strict=True)]


def movements(phase: PhaseResult, by: By = "year") -> tuple[Movement, ...]:
    """Every amount of money the phase moves, dated."""
    out: list[Movement] = []
    if phase.kind == "annual":
        for fy, amount in phase.jst_by_fiscal_year:
            out += _per_fiscal_year(phase, fy, amount, "jst_in", by)
        for fy, amount in phase.phase.matching:
            out += _per_fiscal_year(phase, fy, amount, "company_in", by)
        return tuple(out)
    out += [Movement(a.date, phase.no, "jst_in", a.amount) for a in phase.paid_advances]
    out.append(Movement(phase.phase.start, phase.no, "collateral_posted", phase.collateral_posted))
    released = phase.collateral_released_on
    if released is not None:
        out.append(Movement(released, phase.no, "collateral_released", phase.collateral_posted))
    assert phase.schedule is not None
    out += [Movement(p.due, phase.no, "repaid", p.amount) for p in phase.schedule.payments]
    return tuple(out)


def loan_value(phase: PhaseResult, rate: Fraction, value_date: date | None = None) -> LoanValue:
    """Σ PV(advances) − Σ PV(repayments) at ``value_date`` (default the development start), each
    a / (1 + r)^(days / 365) with days from ``value_date`` (negative before it); and the
    collateral's cost PV(posted) − PV(released). Decimal at 40 digits, half-even once.

    >>> from astep_calc.phases import Phase, Plan, evaluate
    >>> from astep_calc.rulebook import load_rulebook
    >>> from astep_calc.repayment import Terms
    >>> plan = evaluate(load_rulebook(), Plan((Phase("jisso", date(2026, 4, 1), date(2027, 3, 31),
    ...     amount=100_000_000, terms=Terms(lump=True)),)))   # 4 × 25,000,000; 100,000,000 due 2028-03-31
    >>> lv = loan_value(plan.phases[0], Fraction(1, 20))
    >>> lv.advances, lv.repayments, lv.value, lv.collateral_cost
    (98191303, 90702948, 7488355, 929705)
    """
    if phase.schedule is None:
        raise ValueError("a loan value needs a 実装支援 phase")
    at = value_date if value_date is not None else phase.phase.start
    adv, rep, value = loan_present_value(
        ((a.date, a.amount) for a in phase.paid_advances),
        ((p.due, p.amount) for p in phase.schedule.payments),
        rate,
        at,
    )
    released_on = phase.collateral_released_on
    assert released_on is not None
    posted, released, cost = loan_present_value(
        [(phase.phase.start, phase.collateral_posted)], [(released_on, phase.collateral_posted)], rate, at
    )
    return LoanValue(
        phase=phase.no,
        rate=rate,
        value_date=at,
        advances=adv,
        repayments=rep,
        value=value,
        collateral_posted=posted,
        collateral_released=released,
        collateral_cost=cost,
    )


def loan_present_value(
    money_in: Iterable[tuple[date, int]], money_out: Iterable[tuple[date, int]], rate: Fraction, at: date
) -> tuple[int, int, int]:
    """(Σ PV(in), Σ PV(out), Σ PV(in) − Σ PV(out)) at ``at``, each a / (1 + r)^(days / 365);
    the sums exact at 40 digits, each of the three rounded half-even once.

    >>> loan_present_value([(date(2027, 4, 1), 105)], [(date(2028, 3, 31), 105)], Fraction(1, 20),
    ...                    date(2027, 4, 1))   # 105 − 105 / 1.05^(365/365)
    (105, 100, 5)
    """
    pv_in = pv_sum(discounted(money_in, at, rate))
    pv_out = pv_sum(discounted(money_out, at, rate))
    return round_yen(pv_in), round_yen(pv_out), round_yen(pv_sum((pv_in, pv_out.copy_negate())))


def cash_flow(plan: Evaluation, by: By = "year") -> CashFlow:
    """The plan's cash flow per fiscal year (``by="quarter"``: per fiscal quarter)."""
    moves = [m for r in plan.phases for m in movements(r, by)]
    first = min([r.phase.start for r in plan.phases] + [m.date for m in moves])
    last = max([r.phase.last_day for r in plan.phases] + [m.date for m in moves])
    sums: dict[tuple[int, int | None], dict[int, dict[Column, int]]] = defaultdict(
        lambda: defaultdict(lambda: dict.fromkeys(COLUMNS, 0))
    )
    for m in moves:
        sums[_period(m.date, by)][m.phase][m.column] += m.amount
    rows: list[CashFlowRow] = []
    cumulative = 0
    period = _period(first, by)
    end_period = _period(last, by)
    menus = {r.no: r.menu.id for r in plan.phases}
    matching_fund = {r.no: r.menu.fund_type == "matching" for r in plan.phases}
    while period <= end_period:  # (fy, None) pairs or (fy, q) pairs: one kind per `by`
        start, end = _bounds(period)
        parts = []
        for r in plan.phases:
            amounts = Amounts(**sums[period][r.no]) if r.no in sums.get(period, {}) else Amounts()
            if not amounts.is_zero() or (r.phase.start <= end and start <= r.phase.last_day):
                parts.append(PhasePart(r.no, menus[r.no], amounts, matching_fund[r.no]))
        total = sum((p.amounts for p in parts), Amounts())
        cumulative += total.net
        rows.append(CashFlowRow(period[0], period[1], start, end, tuple(parts), total, cumulative))
        period = _next(period)
    totals = sum((row.amounts for row in rows), Amounts())
    loans: tuple[LoanValue, ...] = ()
    rate = plan.model.discount_rate
    if rate is not None:
        loans = tuple(loan_value(r, rate, plan.model.value_date) for r in plan.phases if r.kind == "jisso")
    return CashFlow(by, tuple(rows), totals, loans, _assumptions(plan, by, rate))


def _bounds(period: tuple[int, int | None]) -> tuple[date, date]:
    fy, q = period
    if q is None:
        return FiscalYear(fy).start, FiscalYear(fy).end
    start = quarter_start(fy, q)
    return start, add_months(start, 3) - ONE_DAY


def _next(period: tuple[int, int | None]) -> tuple[int, int | None]:
    fy, q = period
    if q is None:
        return fy + 1, None
    return (fy, q + 1) if q < 4 else (fy + 1, 1)


RELEASE_ASSUMPTION = Text(
    "The collateral is posted at the development start and released on collateral_release, or by "
    "default on the last repayment's due date (assumption)",
    "担保又は保証は開発開始日に設定し、collateral_release の日（指定がなければ最終回の期日）に解除（仮定）",
)


def loan_value_assumption(rate: Fraction) -> Text:
    """How the repayable funds are valued, in words (``astep plan`` and ``astep scenarios``)."""
    r = percent(rate)
    return Text(
        f"Economic value of the repayable funds at {r.en} a year (A-STEP money comes under a development "
        "contract, not a loan agreement): the PV of the advances less the PV of the repayments, each amount "
        "discounted at that rate compounded over its days from the value date (a year of 365 days; an amount "
        "before the value date is compounded forward), valued at value_date or else the development start. "
        "The collateral's cost is the PV of posting it less the PV of its release. Computed to 40 significant "
        "digits and rounded half-even to the yen once, at the end",
        f"年{r.ja}で割り引いた返済型資金の経済的価値（A-STEPの資金は開発委託契約によるもので、融資ではない）："
        f"前払額の現在価値の合計−返済額の現在価値の合計。各額を評価日からの日数に応じて年{r.ja}の複利（1年＝365日）"
        "で割り引く（評価日より前の額は割り増す）。評価日は value_date（指定がなければ開発開始日）。担保又は保証の"
        "費用＝担保等の設定額の現在価値−解除額の現在価値。有効数字40桁で計算し、最後に1円未満を偶数丸め",
    )


def _assumptions(plan: Evaluation, by: By, rate: Fraction | None) -> tuple[Text, ...]:
    out = [
        Text(
            "JST's money in a fiscal year: a Stage I/II phase's request for that year, or its cap when the plan "
            "gives none; a 実装支援 phase's advances dated in that year",
            "各年度のJSTからの資金：ステージⅠ／Ⅱのフェーズはその年度の申請額（指定がなければ上限額）、"
            "実装支援のフェーズはその年度中の前払日の前払額",
        ),
        Text(
            "net = JST's money − repaid − collateral posted + collateral released; the companies' own "
            "contribution (matching) is shown beside it, not in it",
            "純額＝JSTからの資金−返済額−担保等の設定額＋担保等の解除額。企業等の自己資金（マッチング）は別欄に"
            "表示し、純額には含めない",
        ),
    ]
    if any(r.kind == "jisso" for r in plan.phases):
        out.append(RELEASE_ASSUMPTION)
    if by == "quarter":
        out.append(
            Text(
                "By fiscal quarter: a Stage I/II fiscal-year amount is split over the quarters the phase runs in by "
                "their months (a partial month counting whole), the remainder to the first, as the advances are",
                "四半期別：ステージⅠ／Ⅱの年度額は、そのフェーズを実施する四半期に月数で按分"
                "（月の途中から始まる月も1か月と数え、端数は最初の四半期に加算。前払いと同じ方法）",
            )
        )
    if rate is not None and any(r.kind == "jisso" for r in plan.phases):
        out.append(loan_value_assumption(rate))
    return tuple(out)


__all__ = [
    "COLUMNS",
    "Amounts",
    "CashFlow",
    "CashFlowRow",
    "LoanValue",
    "Movement",
    "PhasePart",
    "cash_flow",
    "loan_present_value",
    "loan_value",
    "loan_value_assumption",
    "movements",
    "split_by_months",
]
