"""実装支援 (返済型): the collateral to post and JST's quarterly advances (SPEC §5).

Brochure: 開発開始時に開発費総額の10％相当の担保又は保証を設定できること;
JSTから四半期毎の前払い（概算）; 上限5億円（総額）; 期間：最長3年間.

>>> from astep_calc.rulebook import load_rulebook
>>> rb = load_rulebook()
>>> collateral(rb, 123_456_789)            # ceil(123,456,789 × 10%) = ceil(12,345,678.9)
12345679
>>> plan = advances(rb, 100_000_000, date(2026, 10, 1), date(2027, 6, 30))
>>> [(a.label("en"), a.date.isoformat(), a.amount) for a in plan.advances]
[('FY2026 Q3', '2026-10-01', 33333334), ('FY2026 Q4', '2027-01-01', 33333333), ('FY2027 Q1', '2027-04-01', 33333333)]
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from astep_calc.dates import ONE_DAY, fiscal_year_label, fiscal_year_of, month_index, months_touched
from astep_calc.money import Rounding, apply_rate, format_rate, format_yen
from astep_calc.rulebook import Menu, Rulebook
from astep_calc.text import InputError, Lang, Text, Violation


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
            "amount.max",
            Text(
                f"the total development cost {format_yen(amount)} yen is over the "
                f"{menu.id} cap of {format_yen(menu.cap)} yen (incl. indirect and subcontract costs)",
                f"開発費総額 {format_yen(amount)}円 は上限 {format_yen(menu.cap)}円"
                "（間接経費・再委託費を含む総額）を超えています",
            ),
        ),
    )


def require_positive(amount: int, what: str = "--amount") -> int:
    """Reject a zero amount: there is nothing to post, advance or repay."""
    if amount <= 0:
        raise InputError(f"{what} must be more than 0 yen", f"{what} は0円より大きくしてください")
    return amount


def collateral_assumptions(rules: Rulebook) -> tuple[Text, ...]:
    rate = format_rate(rules.jisso.collateral_rate)
    return (
        Text(
            f"Collateral or guarantee worth {rate} of the total development cost, set at "
            "development start; rounded up to the yen (the smallest whole-yen amount that is "
            f"at least {rate})",
            f"開発開始時に開発費総額の{rate}相当の担保又は保証。1円未満切り上げ"
            f"（{rate}以上となる最小の円単位の額）",
        ),
    )


@dataclass(frozen=True)
class Advance:
    """One quarterly advance from JST."""

    fiscal_year: int
    quarter: int
    date: date
    months: int
    amount: int

    @property
    def key(self) -> str:
        return f"FY{self.fiscal_year}-Q{self.quarter}"

    def label(self, lang: Lang) -> str:
        if lang == "ja":
            return f"{fiscal_year_label(self.fiscal_year, 'ja')} 第{self.quarter}四半期"
        return f"FY{self.fiscal_year} Q{self.quarter}"


@dataclass(frozen=True)
class Disbursement:
    """The advances over a development period, with the period and amount checks."""

    amount: int
    start: date
    end: date
    advances: tuple[Advance, ...]
    violations: tuple[Violation, ...]
    assumptions: tuple[Text, ...]

    @property
    def total(self) -> int:
        return sum(a.amount for a in self.advances)


def advances(rules: Rulebook, amount: int, start: date, end: date) -> Disbursement:
    """JST's advances for each fiscal quarter the development period touches.

    Quarter q gets floor(P × m_q / M), m_q its development months (partial months
    whole), M their sum; the remainder goes to the first quarter. Each advance is
    dated the first day of its quarter, the first one the start date.

    >>> from astep_calc.rulebook import load_rulebook
    >>> d = advances(load_rulebook(), 10_000_000, date(2026, 5, 15), date(2026, 9, 30))
    >>> [(a.key, a.months, a.amount) for a in d.advances]   # 10,000,000 × 2/5 and × 3/5
    [('FY2026-Q1', 2, 4000000), ('FY2026-Q2', 3, 6000000)]
    """
    from astep_calc.budget import period_violations  # the period rule is shared with the budget menus

    menu = jisso_menu(rules)
    every = rules.jisso.advance_every_months
    violations = period_violations(menu, start, end) + amount_violations(rules, amount)
    rows: list[Advance] = []
    if end >= start:
        total_months = months_touched(start, end)
        # Periods of `every` months counted from April (month index 3): fiscal quarters.
        shares: list[tuple[int, int, date, int]] = []
        for p in range((month_index(start) - 3) // every, (month_index(end) - 3) // every + 1):
            p_start = _month_start(3 + p * every)
            p_end = _month_start(3 + (p + 1) * every) - ONE_DAY
            s, e = max(start, p_start), min(end, p_end)
            quarter = (p_start.month - 4) % 12 // every + 1
            shares.append((fiscal_year_of(p_start), quarter, s, months_touched(s, e)))
        base = [amount * m // total_months for *_, m in shares]
        base[0] += amount - sum(base)
        rows = [Advance(fy, q, d, m, a) for (fy, q, d, m), a in zip(shares, base, strict=True)]
    assumptions = (
        Text(
            f"JST pays in advance every {every} months, by fiscal quarter (Apr–Jun, Jul–Sep, "
            "Oct–Dec, Jan–Mar); each quarter gets floor(P × its development months / all "
            "development months), a partial month counting whole; the remainder goes to the "
            "first quarter",
            f"JSTから四半期毎（{every}か月毎：4–6月、7–9月、10–12月、1–3月）の前払い。各四半期の額は "
            "floor(P × その四半期の開発月数 ÷ 全開発月数)（月の途中も1か月）、端数は初回に加算",
        ),
        Text(
            "Each advance is dated the first day of its quarter, the first one the development "
            "start; actual amounts are estimates (概算) settled by JST",
            "各前払いの日付は四半期の初日（初回は開発開始日）。金額は概算で、精算はJSTによる",
        ),
    )
    return Disbursement(amount, start, end, tuple(rows), violations, assumptions)


def _month_start(index: int) -> date:
    """The first day of the month with this month index (see ``dates.month_index``)."""
    return date(index // 12, index % 12 + 1, 1)


__all__ = [
    "Advance",
    "Disbursement",
    "advances",
    "amount_violations",
    "collateral",
    "collateral_assumptions",
    "jisso_menu",
    "require_positive",
]
