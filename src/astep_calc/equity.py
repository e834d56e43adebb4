"""Equity or A-STEP: the stake an equity round would sell for the same money, the cost of the
A-STEP money under each grade case, and the discount-rate sensitivity grid (SPEC §10).

The brochure's first selling point for 実装支援 is 希薄化防止: development money without
issuing shares. Raising the same A as equity at a pre-money valuation V sells the stake
s = A / (V + A); with an exit value X at date T that stake is worth s·X then. The A-STEP
money's cost is measured against receiving A at once on the value date, as an equity round
would pay it: A − Σ PV(advances) + Σ PV(repayments) + the collateral's cost. Every present
value is a / (1 + r)^(days / 365) from the value date (:func:`astep_calc.repayment.discounted`),
summed at 40 digits and rounded half-even to the yen once, at the end.

>>> from datetime import date
>>> from astep_calc.phases import Phase, Plan, evaluate
>>> from astep_calc.repayment import Terms
>>> from astep_calc.rulebook import load_rulebook
>>> plan = evaluate(load_rulebook(), Plan((Phase("jisso", date(2027, 4, 1), date(2028, 3, 31),
...     amount=100_000_000, terms=Terms(lump=True)),)))
>>> eq = compare_equity(plan, Equity(900_000_000, 5_000_000_000, date(2032, 3, 31)), Fraction(1, 10))
>>> eq.stake_percent, eq.stake_pv          # 100M ÷ 1,000M = 10.00%; 500M ÷ 1.1^(1826/365)
(Decimal('10.00'), 310379603)
>>> [(c.case, c.astep_cost, c.equity_cost, c.difference) for c in eq.cases]
[('S/A/B', 87866051, 310379603, 222513552), ('C', 13485886, 310379603, 296893717)]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, localcontext
from fractions import Fraction

from astep_calc.company import Company, GradeCase, case_names, guarantee_fees, in_case, plan_cases
from astep_calc.money import MAX_YEN, Rounding, format_yen, percent
from astep_calc.phases import Evaluation
from astep_calc.repayment import PV_DIGITS, discounted, pv_sum, round_yen
from astep_calc.text import Assumption, InputError, Text, quoted


@dataclass(frozen=True)
class Equity:
    """An equity round for the same money: its pre-money valuation V and, optionally, an exit
    value X at ``exit_date`` (both or neither). Checked when built; an error names the field
    as a plan spells it (``company.equity.exit_date``).

    >>> Equity(2_000_000_000, exit_value=20_000_000_000)
    Traceback (most recent call last):
    ...
    astep_calc.text.InputError: an exit value needs the date of the exit
    """

    pre_money: int
    exit_value: int | None = None
    exit_date: date | None = None

    def __post_init__(self) -> None:
        for name, value, low in (("pre_money", self.pre_money, 1), ("exit_value", self.exit_value, 0)):
            if value is None and name == "exit_value":
                continue
            if not isinstance(value, int) or isinstance(value, bool):
                raise InputError(
                    f"{quoted(value)} is not a whole number of yen",
                    f"「{value}」は使えません。円単位の整数にしてください",
                    field=f"company.equity.{name}",
                )
            if not low <= value <= MAX_YEN:
                raise InputError(
                    f"{format_yen(value)} yen is outside {format_yen(low)} to {format_yen(MAX_YEN)} yen",
                    f"{format_yen(value)}円は範囲外です。{format_yen(low)}円以上{format_yen(MAX_YEN)}円以下にしてください",
                    field=f"company.equity.{name}",
                )
        if self.exit_date is not None and not isinstance(self.exit_date, date):
            raise InputError(
                f"{quoted(self.exit_date)} is not a date",
                f"「{self.exit_date}」は日付ではありません。2033-03-31 のような日付にしてください",
                field="company.equity.exit_date",
            )
        if self.exit_value is not None and self.exit_date is None:
            raise InputError(
                "an exit value needs the date of the exit",
                "エグジット時の企業価値（exit_value）には、その時期（exit_date）も指定してください",
                field="company.equity.exit_date",
            )
        if self.exit_date is not None and self.exit_value is None:
            raise InputError(
                "an exit date needs the value at the exit",
                "エグジットの時期（exit_date）には、その時の企業価値（exit_value）も指定してください",
                field="company.equity.exit_value",
            )


def stake(amount: int, pre_money: int) -> Fraction:
    """The stake an equity round sells for ``amount`` at a pre-money valuation V: s = A / (V + A)
    (SPEC §10), exact.

    >>> stake(300_000_000, 2_000_000_000)      # 3億 ÷ 23億
    Fraction(3, 23)
    """
    return Fraction(amount, pre_money + amount)


def stake_percent(s: Fraction) -> Decimal:
    """A stake as a percentage to two decimals, rounded half-even (SPEC §10).

    >>> stake_percent(Fraction(3, 23)), stake_percent(Fraction(1, 8000)), stake_percent(Fraction(3, 8000))
    (Decimal('13.04'), Decimal('0.01'), Decimal('0.04'))
    """
    return Decimal(Rounding.HALF_EVEN.to_int(s * 10_000)).scaleb(-2)


def stake_pv(s: Fraction, exit_value: int, exit_date: date, rate: Fraction, at: date) -> int:
    """The present value at ``at`` of the stake s at an exit worth X on ``exit_date``:
    s·X / (1 + r)^(days / 365), exact s, rounded half-even to the yen once (SPEC §10).

    >>> stake_pv(Fraction(1, 10), 1_100_000_000, date(2028, 3, 31), Fraction(1, 10), date(2027, 4, 1))  # 110M ÷ 1.1
    100000000
    """
    (pv,) = discounted([(exit_date, exit_value)], at, rate)
    with localcontext() as ctx:
        ctx.prec = PV_DIGITS
        return round_yen(pv * s.numerator / s.denominator)


def value_date(plan: Evaluation) -> date:
    """The date present values are taken at: the plan's ``value_date``, else the first
    実装支援 phase's development start (as the loan value of SPEC §8).

    >>> from astep_calc.phases import Phase, Plan, evaluate
    >>> from astep_calc.rulebook import load_rulebook
    >>> value_date(evaluate(load_rulebook(), Plan((Phase("jisso", date(2027, 4, 1), date(2028, 3, 31),
    ...     amount=1_000_000),))))
    datetime.date(2027, 4, 1)
    """
    if plan.model.value_date is not None:
        return plan.model.value_date
    starts = [r.phase.start for r in plan.phases if r.kind == "jisso"]
    if not starts:
        raise _no_jisso()
    return min(starts)


def _no_jisso() -> InputError:
    return InputError(
        "the cost of the A-STEP money needs a 実装支援 (jisso) phase in the plan",
        "A-STEPの資金の費用を求めるには、計画に実装支援（jisso）のフェーズが必要です",
        field="company.equity",
    )


@dataclass(frozen=True)
class CaseCost:
    """The A-STEP money under one grade case, valued at ``value_date`` at ``rate``.

    ``astep_cost`` = A − Σ PV(advances) + Σ PV(repayments) + ``collateral_cost`` and
    ``loan_value`` = Σ PV(advances) − Σ PV(repayments) are each summed exactly and rounded
    once; the PV sums beside them are rounded on their own, so they may differ by a yen.
    """

    case: str
    rate: Fraction
    value_date: date
    amount: int
    advances_pv: int
    repayments_pv: int
    collateral_cost: int
    astep_cost: int
    loan_value: int


def flows_cost(
    case: str,
    amount: int,
    advances: Iterable[tuple[date, int]],
    repayments: Iterable[tuple[date, int]],
    collateral_out: Iterable[tuple[date, int]],
    collateral_back: Iterable[tuple[date, int]],
    rate: Fraction,
    at: date,
) -> CaseCost:
    """The cost of the A-STEP money from its dated flows, against receiving ``amount`` at once
    on ``at`` as an equity round would (SPEC §10):

        A − Σ PV(advances) + Σ PV(repayments) + Σ PV(collateral out) − Σ PV(collateral back)

    and the value of the repayable funds Σ PV(advances) − Σ PV(repayments) (SPEC §8). Each
    PV is a / (1 + r)^(days / 365) from ``at``, every sum exact at 40 digits, each figure
    rounded half-even to the yen once. ``collateral_out`` is what leaves the company for the
    collateral (a deposit posted, or guarantee fees), ``collateral_back`` what comes back.

    >>> c = flows_cost("S/A/B", 100, [(date(2027, 4, 1), 100)], [(date(2028, 3, 31), 105)],
    ...     [(date(2027, 4, 1), 10)], [(date(2028, 3, 31), 21)], Fraction(1, 20), date(2027, 4, 1))
    >>> c.advances_pv, c.repayments_pv, c.collateral_cost, c.astep_cost, c.loan_value  # 105 / 1.05, 21 / 1.05
    (100, 100, -10, 90, 0)
    """
    with localcontext() as ctx:
        ctx.prec = PV_DIGITS
        adv = pv_sum(discounted(advances, at, rate))
        rep = pv_sum(discounted(repayments, at, rate))
        coll = pv_sum(
            (pv_sum(discounted(collateral_out, at, rate)), pv_sum(discounted(collateral_back, at, rate)).copy_negate())
        )
        return CaseCost(
            case=case,
            rate=rate,
            value_date=at,
            amount=amount,
            advances_pv=round_yen(adv),
            repayments_pv=round_yen(rep),
            collateral_cost=round_yen(coll),
            astep_cost=round_yen(pv_sum((Decimal(amount), adv.copy_negate(), rep, coll))),
            loan_value=round_yen(pv_sum((adv, rep.copy_negate()))),
        )


def _collateral_flows(
    c: GradeCase, company: Company | None
) -> tuple[tuple[tuple[date, int], ...], tuple[tuple[date, int], ...]]:
    """The collateral's money in one case: out and back for a deposit, the fees out for a guarantee."""
    posted, start = c.phase.collateral_posted, c.phase.phase.start
    if company is not None and company.collateral_kind == "guarantee":
        return guarantee_fees(start, c.release, posted, company.fee), ()
    return ((start, posted),), ((c.release, posted),)


def case_cost(cases: Sequence[GradeCase], rate: Fraction, at: date, company: Company | None = None) -> CaseCost:
    """The cost of the A-STEP money in one case (one :class:`~astep_calc.company.GradeCase` per
    phase, as :func:`~astep_calc.company.in_case` picks them), against receiving the same A at
    once on ``at`` as an equity round would (SPEC §10), by :func:`flows_cost`:

        A − Σ PV(advances) + Σ PV(repayments) + the collateral's cost

    the collateral's cost being PV(posted) − PV(released) for a deposit (``company`` ``None``
    or ``collateral_kind = "deposit"``), Σ PV(guarantee fees) for a guarantee. Also the loan
    value Σ PV(advances) − Σ PV(repayments) (:func:`astep_calc.cashflow.loan_value`'s).

    >>> from astep_calc.phases import Phase, Plan, evaluate
    >>> from astep_calc.repayment import Terms
    >>> from astep_calc.rulebook import load_rulebook
    >>> plan = evaluate(load_rulebook(), Plan((Phase("jisso", date(2027, 4, 1), date(2027, 4, 30),
    ...     amount=100_000_000, terms=Terms(due=date(2028, 4, 1), lump=True), collateral_release=date(2028, 4, 1)),)))
    >>> c = case_cost(plan_cases(plan)[:1], Fraction(1, 20), date(2027, 4, 1))   # all on 2027-04-01, back 366 days later
    >>> c.amount, c.advances_pv, c.repayments_pv, c.collateral_cost, c.astep_cost   # 100M ÷ 1.05^(366/365)
    (100000000, 100000000, 95225365, 477463, 95702829)
    """
    if not cases:
        raise ValueError("a case cost needs at least one phase")
    collateral = [_collateral_flows(c, company) for c in cases]
    return flows_cost(
        cases[0].case,
        sum(c.amount for c in cases),
        (a for c in cases for a in c.advances),
        ((p.due, p.amount) for c in cases for p in c.schedule.payments),
        (f for out, _ in collateral for f in out),
        (f for _, back in collateral for f in back),
        rate,
        at,
    )


@dataclass(frozen=True)
class EquityCase:
    """One row of the comparison: the A-STEP money's cost in a case, the equity round's cost
    for the same A (the stake's PV at the exit; ``None`` without an exit), and
    ``difference`` = equity_cost − astep_cost (positive: equity costs more)."""

    case: str
    cost: CaseCost
    stake: Fraction
    equity_cost: int | None

    @property
    def astep_cost(self) -> int:
        return self.cost.astep_cost

    @property
    def difference(self) -> int | None:
        return None if self.equity_cost is None else self.equity_cost - self.cost.astep_cost


@dataclass(frozen=True)
class EquityComparison:
    """Equity or A-STEP for a plan (SPEC §10): the stake sold for the plan's A, its PV at the
    exit, and each grade case's costs."""

    equity: Equity
    amount: int
    stake: Fraction
    stake_pv: int | None
    rate: Fraction
    value_date: date
    cases: tuple[EquityCase, ...]
    assumptions: tuple[Text | Assumption, ...]

    @property
    def stake_percent(self) -> Decimal:
        return stake_percent(self.stake)


def compare_equity(
    plan: Evaluation, equity: Equity, rate: Fraction, *, company: Company | None = None, at: date | None = None
) -> EquityComparison:
    """The equity round against the A-STEP money, valued at ``at`` (default :func:`value_date`)
    at ``rate``. A is the advances the plan receives (those up to a stop). For each case —
    S/A/B, C and, with a stop, 開発中止 (:func:`~astep_calc.company.grade_cases`) — the A-STEP
    cost (:func:`case_cost`) and the cost of raising that case's A as equity: the PV of
    A / (V + A) of the exit value; S/A/B and C assume the development runs to its end, 開発中止
    receives the advances up to the stop. See the module's docstring for an example.
    """
    at = at if at is not None else value_date(plan)
    cases = plan_cases(plan)
    if not cases:
        raise _no_jisso()
    own = in_case(cases, None)
    amount = sum(c.amount for c in own)
    s = stake(amount, equity.pre_money)

    def equity_cost(x: Fraction) -> int | None:
        if equity.exit_value is None or equity.exit_date is None:
            return None
        return stake_pv(x, equity.exit_value, equity.exit_date, rate, at)

    rows = []
    for name in case_names(cases):
        chosen = in_case(cases, name)
        cost = case_cost(chosen, rate, at, company)
        x = stake(cost.amount, equity.pre_money)
        rows.append(EquityCase(name, cost, x, equity_cost(x)))
    return EquityComparison(
        equity, amount, s, equity_cost(s), rate, at, tuple(rows), equity_assumptions(rate, at, equity)
    )


@dataclass(frozen=True)
class SensitivityRow:
    """One cell row of the sensitivity grid: a rate, a case, the loan value and the A-STEP cost."""

    rate: Fraction
    case: str
    loan_value: int
    astep_cost: int


def sensitivity(
    plan: Evaluation, rates: Iterable[Fraction], *, company: Company | None = None, at: date | None = None
) -> tuple[SensitivityRow, ...]:
    """The grid of SPEC §10: for each rate (in the order given) and each grade case, the loan
    value Σ PV(advances) − Σ PV(repayments) and the A-STEP cost (:func:`case_cost`), each as
    a single-rate run computes it.

    >>> from astep_calc.phases import Phase, Plan, evaluate
    >>> from astep_calc.repayment import Terms
    >>> from astep_calc.rulebook import load_rulebook
    >>> plan = evaluate(load_rulebook(), Plan((Phase("jisso", date(2026, 4, 1), date(2027, 3, 31),
    ...     amount=100_000_000, terms=Terms(lump=True)),)))
    >>> [(str(r.rate), r.case, r.loan_value) for r in sensitivity(plan, [Fraction(0), Fraction(1, 20)])]
    [('0', 'S/A/B', 0), ('0', 'C', 90000000), ('1/20', 'S/A/B', 7488355), ('1/20', 'C', 89121009)]
    """
    at = at if at is not None else value_date(plan)
    cases = plan_cases(plan)
    if not cases:
        raise _no_jisso()
    names = case_names(cases)
    out = []
    for rate in rates:
        for name in names:
            cost = case_cost(in_case(cases, name), rate, at, company)
            out.append(SensitivityRow(rate, name, cost.loan_value, cost.astep_cost))
    return tuple(out)


# ---------------------------------------------------------------------------------------
# What the comparison assumes, in words

EXIT_ASSUMPTION = Text(
    "Equity's cost depends on the exit, which nobody knows: it is the present value of the stake at the exit "
    "value and date given, so a higher or later-valued exit makes equity dearer and a failed one makes it "
    "cost nothing. The A-STEP money's cost depends only on its dates and the discount rate",
    "資本調達の費用はエグジット（株式の売却・上場等）の時期と企業価値によって決まり、それは誰にも分からない。ここでは"
    "指定したエグジット時の企業価値に対する持分の現在価値とした。企業価値が高ければ費用は大きく、事業が失敗すれば"
    "費用はない。A-STEPの資金の費用は、資金の出入りの日付と割引率だけで決まる",
)
CASES_ASSUMPTION = Text(
    "Grades S/A/B and C assume that development runs to its end and JST pays every advance; 開発中止 receives "
    "and repays the advances paid up to the stop. An equity round for each case raises that case's amount",
    "事後評価 S/A/B と C は開発が終了日まで続き、JSTがすべての前払いを行うものとし、開発中止の場合は中止日までの前払額を"
    "受け取って返済するものとする。資本調達は、それぞれの場合の金額を調達するものとして比べる",
)


def equity_assumptions(rate: Fraction, at: date, equity: Equity) -> tuple[Text, ...]:
    """How the comparison is computed, in words."""
    r, day = percent(rate), at.isoformat()
    out = [
        Text(
            "Stake sold = A ÷ (pre-money valuation + A), A the advances the plan receives; shown as a percentage "
            "to two decimals, rounded half-even",
            "資本調達で手放す持分＝A÷（調達前企業価値＋A）。A は計画で受け取る前払額の合計。百分率で小数第2位まで"
            "表示（偶数丸め）",
        ),
        Text(
            f"Cost of the A-STEP money at {r.en} a year, valued at {day}, against receiving the same amount at once "
            "on that day as an equity round would: the amount − PV of the advances + PV of the repayments + the "
            "collateral's cost (PV of posting it − PV of its release, or the PV of the guarantee fees). Each amount "
            f"discounted at {r.en} compounded over its days from {day} (a year of 365 days), summed to 40 "
            "significant digits and rounded half-even to the yen once, at the end",
            f"A-STEPの資金の費用（年{r.ja}、{day}時点）：同じ額を資本調達のように{day}に一括で受け取る場合と比べた費用で、"
            "金額−前払額の現在価値＋返済額の現在価値＋担保又は保証の費用（担保等の設定額の現在価値−解除額の現在価値、保証の場合は保証料の"
            f"現在価値）。各額を{day}からの日数に応じて年{r.ja}の複利（1年＝365日）で割り引き、有効数字40桁で合計して、"
            "最後に1円未満を偶数丸め",
        ),
        CASES_ASSUMPTION,
    ]
    if equity.exit_value is not None and equity.exit_date is not None:
        out.append(
            Text(
                f"Equity's cost = the stake × the exit value {format_yen(equity.exit_value)} yen on "
                f"{equity.exit_date.isoformat()}, discounted to {day} at {r.en}; difference = equity's cost − "
                "the A-STEP money's cost (positive: equity costs more)",
                f"資本調達の費用＝持分×エグジット時（{equity.exit_date.isoformat()}）の企業価値"
                f"{format_yen(equity.exit_value)}円を、年{r.ja}で{day}時点に割り引いた額。差額＝資本調達の費用−"
                "A-STEPの資金の費用（正なら資本調達の方が高い）",
            )
        )
    else:
        out.append(
            Text(
                "No exit value given: equity's cost is not computed, only the stake sold",
                "エグジット時の企業価値の指定なし：資本調達の費用は求めず、手放す持分のみ示す",
            )
        )
    out.append(EXIT_ASSUMPTION)
    return tuple(out)


__all__ = [
    "CASES_ASSUMPTION",
    "EXIT_ASSUMPTION",
    "CaseCost",
    "Equity",
    "EquityCase",
    "EquityComparison",
    "SensitivityRow",
    "case_cost",
    "compare_equity",
    "equity_assumptions",
    "flows_cost",
    "sensitivity",
    "stake",
    "stake_percent",
    "stake_pv",
    "value_date",
]
