"""実装支援 (返済型): the collateral to post and JST's quarterly advances (SPEC §5).

Brochure: 開発開始時に開発費総額の10％相当の担保又は保証を設定できること;
JSTから四半期毎の前払い（概算）; 上限5億円（総額）; 期間：最長3年間.

>>> from astep_calc.rulebook import load_rulebook
>>> rb = load_rulebook()
>>> collateral(rb, 123_456_789)            # ceil(123,456,789 × 10%) = ceil(12,345,678.9)
12345679
>>> plan = advances(rb, 100_000_000, date(2026, 10, 1), date(2027, 6, 30))
>>> [(a.label.en, a.date.isoformat(), a.amount) for a in plan.advances]
[('FY2026 Q3', '2026-10-01', 33333334), ('FY2026 Q4', '2027-01-01', 33333333), ('FY2027 Q1', '2027-04-01', 33333333)]
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import date
from itertools import accumulate

from astep_calc.business_days import BusinessDay, adjust_within, business_day_assumption, window_note
from astep_calc.checks import AMOUNT_MAX
from astep_calc.dates import ONE_DAY, add_months, fiscal_quarter, fiscal_year_label, months_touched, quarter_start
from astep_calc.money import Rounding, apply_rate, format_yen, percent
from astep_calc.periods import period_violations
from astep_calc.rulebook import Menu, Rulebook
from astep_calc.text import Assumption, InputError, Text, Violation


def jisso_menu(rules: Rulebook) -> Menu:
    """The rulebook's repayable (実装支援) menu."""
    return next(m for m in rules.menus if m.fund_type == "repayable")


def collateral(rules: Rulebook, amount: int) -> int:
    """Collateral or guarantee required: ceil(total development cost × 10%).

    Rounded up: the smallest whole-yen amount that satisfies "10% 相当".

    >>> from astep_calc.rulebook import load_rulebook
    >>> collateral(load_rulebook(), 500_000_000)
    50000000
    """
    return apply_rate(amount, rules.jisso.collateral_rate, Rounding.CEIL)


def amount_violations(rules: Rulebook, amount: int) -> tuple[Violation, ...]:
    """``amount.max``: the total development cost is over the menu's total cap.

    >>> from astep_calc.rulebook import load_rulebook
    >>> [v.rule for v in amount_violations(load_rulebook(), 600_000_000)]
    ['amount.max']
    """
    menu = jisso_menu(rules)
    if amount <= menu.cap:
        return ()
    return (
        Violation(
            AMOUNT_MAX.id,
            Text(
                f"the total development cost {format_yen(amount)} yen is over the "
                f"{menu.id} cap of {format_yen(menu.cap)} yen (incl. indirect and subcontract costs)",
                f"開発費総額{format_yen(amount)}円は、上限額{format_yen(menu.cap)}円"
                "（間接経費・再委託費を含む総額）を超えています",
            ),
            "amount",
            {"amount": amount, "cap": menu.cap, "excess": amount - menu.cap},
        ),
    )


def require_positive(amount: int) -> int:
    """Reject an amount of 0 yen or less: there is nothing to post, advance or repay.

    The wording matches :func:`~astep_calc.money.parse_yen` with ``minimum=1``.
    """
    if amount <= 0:
        raise InputError(
            f"{format_yen(amount)!r} must be more than 0 yen",
            f"「{format_yen(amount)}」は使えません。0円より大きい金額にしてください",
            field="amount",
        )
    return amount


def collateral_assumptions(rules: Rulebook) -> tuple[Text, ...]:
    rate = percent(rules.jisso.collateral_rate)
    return (
        Text(
            f"Collateral or guarantee worth {rate.en} of the total development cost, set at "
            "development start; rounded up to the yen (the smallest whole-yen amount that is "
            f"at least {rate.en})",
            f"開発開始時に開発費総額の{rate.ja}相当の担保又は保証を設定（1円未満切り上げ：{rate.ja}以上となる最小の額）",
        ),
    )


@dataclass(frozen=True)
class Advance:
    """One advance from JST for a fiscal period of ``every_months`` months (3: a quarter)."""

    fiscal_year: int
    quarter: int
    date: date
    months: int
    amount: int
    cumulative: int
    every_months: int = 3
    #: The first day of the quarter (or the start) as scheduled, when the business-day
    #: convention moved ``date``, the day the money moves.
    scheduled: dt.date | None = None

    @property
    def key(self) -> str:
        return f"FY{self.fiscal_year}-{'Q' if self.every_months == 3 else 'P'}{self.quarter}"

    @property
    def label(self) -> Text:
        unit = "四半期" if self.every_months == 3 else f"期（{self.every_months}か月毎）"
        fy = fiscal_year_label(self.fiscal_year)
        return Text(
            f"{fy.en} {'Q' if self.every_months == 3 else 'P'}{self.quarter}", f"{fy.ja} 第{self.quarter}{unit}"
        )


@dataclass(frozen=True)
class Disbursement:
    """The advances over a development period, with the period and amount checks."""

    amount: int
    start: date
    end: date
    advances: tuple[Advance, ...]
    violations: tuple[Violation, ...]
    assumptions: tuple[Text | Assumption, ...]

    @property
    def total(self) -> int:
        return sum(a.amount for a in self.advances)


def advances(
    rules: Rulebook, amount: int, start: date, end: date, *, business_day: BusinessDay = BusinessDay.NONE
) -> Disbursement:
    """JST's advances for each fiscal quarter the development period touches.

    Quarter q gets floor(P × m_q / M), m_q its development months (partial months
    whole), M their sum; the remainder goes to the first quarter. Each advance is
    dated the first day of its quarter, the first one the start date, then moved to a
    business day by ``business_day`` (the unmoved date kept as ``scheduled``), never out of
    its quarter nor before the start (:func:`~astep_calc.business_days.adjust_within`).

    >>> from astep_calc.rulebook import load_rulebook
    >>> d = advances(load_rulebook(), 10_000_000, date(2026, 5, 15), date(2026, 9, 30))
    >>> [(a.key, a.months, a.amount) for a in d.advances]   # 10,000,000 × 2/5 and × 3/5
    [('FY2026-Q1', 2, 4000000), ('FY2026-Q2', 3, 6000000)]
    >>> d = advances(load_rulebook(), 10_000_000, date(2027, 10, 1), date(2028, 3, 31),
    ...              business_day=BusinessDay.FOLLOWING)
    >>> [(a.date.isoformat(), a.scheduled and a.scheduled.isoformat()) for a in d.advances]
    [('2027-10-01', None), ('2028-01-04', '2028-01-01')]
    >>> d = advances(load_rulebook(), 10_000_000, date(2027, 1, 1), date(2027, 6, 30),
    ...              business_day=BusinessDay.PRECEDING)   # not to 2026-12-30, before the start
    >>> [a.date.isoformat() for a in d.advances]
    ['2027-01-04', '2027-04-01']
    """
    menu = jisso_menu(rules)
    every = rules.jisso.advance_every_months
    # An end before the start is an InputError from period_violations, so there is a period here.
    violations = period_violations(menu, start, end) + amount_violations(rules, amount)
    total_months = months_touched(start, end)
    # Fiscal periods of `every` months from April 1: with 3, the fiscal quarters.
    shares: list[tuple[int, int, date, date, int]] = []
    fy, q = fiscal_quarter(start, every)
    while (p_start := quarter_start(fy, q, every)) <= end:
        p_end = add_months(p_start, every) - ONE_DAY
        s, e = max(start, p_start), min(end, p_end)
        shares.append((fy, q, s, p_end, months_touched(s, e)))
        fy, q = (fy, q + 1) if q < 12 // every else (fy + 1, 1)
    base = [amount * m // total_months for *_, m in shares]
    base[0] += amount - sum(base)
    paid = accumulate(base)
    rows, moves = [], []
    for (fy, q, scheduled, p_end, m), a, c in zip(shares, base, paid, strict=True):
        # The window: the advance's own fiscal quarter, never before the development start.
        move = adjust_within(scheduled, business_day, scheduled, p_end)
        moves.append(move)
        rows.append(Advance(fy, q, move.date, m, a, c, every, scheduled=scheduled if move.date != scheduled else None))
    assumptions = (
        Text(
            f"JST pays in advance every {every} months, by fiscal quarter (Apr–Jun, Jul–Sep, "
            "Oct–Dec, Jan–Mar). Each advance = total development cost × the quarter's development months "
            "÷ all development months, rounded down to the yen, a month the period starts or ends in "
            "counting whole; the remainder is added to the first advance",
            f"JSTから四半期毎（{every}か月毎：4〜6月、7〜9月、10〜12月、1〜3月）に前払い（概算）。"
            "各四半期の前払額＝開発費総額×その四半期の開発月数÷全開発月数（1円未満切り捨て。月の途中から始まる月、"
            "途中で終わる月も1か月と数える）、端数は初回に加算",
        ),
        Text(
            "Each advance is dated the first day of its quarter, the first one the development "
            "start; the amounts are estimates (概算) that JST settles",
            "前払日は各四半期の初日（初回は開発開始日）。前払額は概算で、精算はJSTが行う",
        ),
    )
    note = window_note(
        moves,
        business_day,
        Text(
            "out of their fiscal quarter or before the development start", "当該四半期の外または開発開始日より前になる"
        ),
    )
    return Disbursement(
        amount,
        start,
        end,
        tuple(rows),
        violations,
        (*assumptions, business_day_assumption(business_day), *((note,) if note else ())),
    )


def paid_until(d: Disbursement, stop: date) -> int:
    """What JST had paid when development stopped on ``stop`` (開発中止, or a milestone
    graded C): the advances dated on or before it.

    >>> from astep_calc.rulebook import load_rulebook
    >>> d = advances(load_rulebook(), 100_000_000, date(2026, 10, 1), date(2027, 6, 30))
    >>> paid_until(d, date(2027, 2, 15))   # 33,333,334 on 2026-10-01 + 33,333,333 on 2027-01-01
    66666667
    """
    return sum(a.amount for a in advances_until(d, stop))


def advances_until(d: Disbursement, stop: date) -> tuple[Advance, ...]:
    """The advances JST pays when development stops on ``stop``: those dated on or before it.

    >>> from astep_calc.rulebook import load_rulebook
    >>> d = advances(load_rulebook(), 100_000_000, date(2026, 10, 1), date(2027, 6, 30))
    >>> [a.date.isoformat() for a in advances_until(d, date(2027, 1, 1))]
    ['2026-10-01', '2027-01-01']
    """
    if not d.start <= stop <= d.end:
        raise InputError(
            f"{stop.isoformat()} is outside the development period {d.start.isoformat()} to {d.end.isoformat()}",
            f"{stop.isoformat()} は開発期間 {d.start.isoformat()}〜{d.end.isoformat()} の外です",
            field="stop",
        )
    return tuple(a for a in d.advances if a.date <= stop)


__all__ = [
    "Advance",
    "Disbursement",
    "advances",
    "advances_until",
    "amount_violations",
    "collateral",
    "collateral_assumptions",
    "jisso_menu",
    "paid_until",
    "require_positive",
]
