"""Budget caps per fiscal year for Stage I / Stage II, and the direct/indirect split.

The rules are in docs/rules.md, "Budget caps per fiscal year" and "The direct/indirect
split"; the period limit is :mod:`astep_calc.periods`.

The brochure: 上限1,500万円（年額）（間接経費を含む）※初年度は実施期間を踏まえて上限を設定.
The first fiscal year's cap is prorated by the months the project runs in it (or by its
days, ``Proration.DAY``), and so, by
default, is a partial last fiscal year (a 30-month project gets 30 months of caps, not
3.5 years of them); every other year gets the full annual cap.

>>> from astep_calc.rulebook import load_rulebook
>>> plan = fiscal_year_caps(load_rulebook(), "stage1", date(2026, 10, 1), date(2029, 3, 31))
>>> [(r.fiscal_year, r.months, r.cap, r.direct_max) for r in plan.rows]
[(2026, 6, 7500000, 5769231), (2027, 12, 15000000, 11538462), (2028, 12, 15000000, 11538462)]
>>> plan.total_cap, plan.length
(37500000, (30, 0))
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import Enum
from fractions import Fraction

from astep_calc.checks import PERIOD_MAX
from astep_calc.dates import FiscalYear, fiscal_year_of, format_months, is_month_end, months_touched
from astep_calc.money import floor_to_unit, format_yen, percent, unit_rounding
from astep_calc.periods import format_period, period_length, period_violations
from astep_calc.rulebook import Menu, Rulebook
from astep_calc.text import Assumption, InputError, Text, Violation


class Proration(Enum):
    """How a partial fiscal year's cap is prorated."""

    MONTH = "month"
    DAY = "day"


@dataclass(frozen=True)
class FiscalYearCap:
    """One fiscal year's cap and its largest direct/indirect split."""

    fiscal_year: int
    start: date
    end: date
    months: int
    days: int
    prorated: bool
    cap: int
    direct_max: int
    indirect_max: int

    @property
    def year_days(self) -> int:
        """Days in the whole fiscal year (365 or 366), the denominator of day proration."""
        return FiscalYear(self.fiscal_year).days


@dataclass(frozen=True)
class BudgetPlan:
    """Caps for every fiscal year a project touches, with the period check."""

    menu: Menu
    start: date
    end: date
    rows: tuple[FiscalYearCap, ...]
    indirect_rate: Fraction
    proration: Proration
    prorate_last: bool
    round_unit: int
    violations: tuple[Violation, ...]
    assumptions: tuple[Assumption, ...]

    @property
    def total_cap(self) -> int:
        return sum(r.cap for r in self.rows)

    @property
    def total_direct(self) -> int:
        return sum(r.direct_max for r in self.rows)

    @property
    def total_indirect(self) -> int:
        return sum(r.indirect_max for r in self.rows)

    @property
    def calendar_months(self) -> int:
        """Calendar months touched, summed over the fiscal years (a partial month counts whole)."""
        return sum(r.months for r in self.rows)

    @property
    def months_of_caps(self) -> int:
        """How many months of the annual cap the caps come to: a prorated fiscal year's
        months, 12 for every other (a full year, or a partial last year at the full cap)."""
        return sum(r.months if r.prorated else 12 for r in self.rows)

    @property
    def length(self) -> tuple[int, int]:
        """The period's length in whole months and days (:func:`~astep_calc.periods.period_length`)."""
        return period_length(self.start, self.end)

    def row(self, fiscal_year: int) -> FiscalYearCap | None:
        return next((r for r in self.rows if r.fiscal_year == fiscal_year), None)


def split_cap(cap: int, indirect_rate: Fraction, unit: int = 1) -> tuple[int, int]:
    """The largest direct cost d with d + floor(d × R) ≤ cap, and that indirect cost.

    ``floor(cap / (1 + R))`` can be one yen short; this is exact. With a ``unit`` (1000
    for 千円 forms) both parts are multiples of it: the largest multiple d of the unit
    with d + floor_to_unit(floor(d × R)) ≤ cap.

    >>> split_cap(15_000_000, Fraction(3, 10))   # 11,538,462 + 3,461,538 = 15,000,000
    (11538462, 3461538)
    >>> split_cap(7_500_000, Fraction(3, 10))    # 5,769,231 + 1,730,769 = 7,500,000
    (5769231, 1730769)
    >>> split_cap(6_250_000, Fraction(3, 10), 1000)   # 4,808,000 + 1,442,000 = 6,250,000
    (4808000, 1442000)
    """
    if cap < 0:
        raise ValueError("cap must not be negative")
    # With R = p/q (q > 0), floor(d × R) is d·p // q and floor(cap / (1 + R)) is cap·q // (q + p):
    # the same integers as the Fraction forms, since // on ints is floor division (tested
    # against them in tests/test_budget.py), without building a Fraction a step.
    p, q = indirect_rate.numerator, indirect_rate.denominator

    def indirect(d: int) -> int:
        return floor_to_unit(d * p // q, unit)

    direct = floor_to_unit(cap * q // (q + p), unit)
    # That always fits; d + indirect(d) ≥ d(1 + R) − unit bounds what is left to at most two steps.
    while direct + unit + indirect(direct + unit) <= cap:
        direct += unit
    return direct, indirect(direct)


def fiscal_year_caps(
    rules: Rulebook,
    menu_id: str,
    start: date,
    end: date,
    *,
    indirect_rate: Fraction | None = None,
    proration: Proration = Proration.MONTH,
    prorate_last: bool = True,
    round_unit: int = 1,
) -> BudgetPlan:
    """Per-fiscal-year caps for an annual-cap menu (stage1, stage2, stage2-gate).

    First FY: floor(annual cap × months / 12) (or × days / days in FY with
    ``Proration.DAY``); a partial last FY the same way unless ``prorate_last=False``
    (the brochure's literal reading); every other FY the annual cap. Caps are floored to
    ``round_unit``; each is split exactly. An end before the start raises
    :class:`InputError`.

    The indirect rate defaults to the rulebook's.

    >>> from astep_calc.rulebook import load_rulebook
    >>> p = fiscal_year_caps(load_rulebook(), "stage2", date(2026, 7, 1), date(2027, 6, 30),
    ...                      proration=Proration.DAY)
    >>> [(r.fiscal_year, r.days, r.cap) for r in p.rows]   # 25,000,000 × 274 / 365 and × 91 / 366
    [(2026, 274, 18767123), (2027, 91, 6215846)]
    """
    menu = rules.menu(menu_id)
    if indirect_rate is None:
        indirect_rate, indirect_basis = rules.indirect_rate, rules.indirect_cite.source.name
    else:
        indirect_basis = Text("given", "指定値")
    if menu.cap_kind != "annual":
        raise InputError(
            f"menu {menu.id!r} has a total cap, not a cap per fiscal year; "
            "use the 実装支援 commands (collateral, disburse, repay) for it",
            f"メニュー「{menu.id}」の上限は総額で、年度別の上限はありません。"
            "collateral、disburse、repay コマンドを使ってください",
        )
    if round_unit < 1:
        raise InputError(
            f"a rounding unit of {round_unit!r} yen is less than 1 yen",
            f"丸め単位 {round_unit}円は使えません。1円以上にしてください",
            field="round",
        )
    violations = period_violations(menu, start, end)
    rows: list[FiscalYearCap] = []
    first_fy, last_fy = fiscal_year_of(start), fiscal_year_of(end)
    for year in range(first_fy, last_fy + 1):
        fy = FiscalYear(year)
        s, e = max(start, fy.start), min(end, fy.end)
        months = months_touched(s, e)
        days = (e - s).days + 1
        partial = s != fy.start or e != fy.end
        prorate = partial and ((year == first_fy and menu.first_year_prorated) or (year == last_fy and prorate_last))
        # The share of the annual cap is part / whole (days / days in the FY, months / 12, or 1);
        # floor(cap × part / whole) is cap·part // whole, the same integer as the Fraction form.
        part, whole = ((days, fy.days) if proration is Proration.DAY else (months, 12)) if prorate else (1, 1)
        cap = floor_to_unit(menu.cap * part // whole, round_unit)
        direct, indirect = split_cap(cap, indirect_rate, round_unit)
        rows.append(FiscalYearCap(year, s, e, months, days, prorate and part != whole, cap, direct, indirect))
    plan = BudgetPlan(
        menu=menu,
        start=start,
        end=end,
        rows=tuple(rows),
        indirect_rate=indirect_rate,
        proration=proration,
        prorate_last=prorate_last,
        round_unit=round_unit,
        violations=violations,
        assumptions=(),
    )
    return replace(plan, assumptions=_assumptions(plan, indirect_basis))


def _assumptions(plan: BudgetPlan, basis: Text) -> tuple[Assumption, ...]:
    menu, proration, prorate_last = plan.menu, plan.proration, plan.prorate_last
    round_unit, rate = plan.round_unit, plan.indirect_rate
    cap = format_yen(menu.cap)
    first = (
        Text(
            f"Cap {cap} yen a fiscal year including indirect costs; the first fiscal year's cap is "
            "prorated by the period (the brochure)",
            f"上限額は年額{cap}円（間接経費込み）。初年度は実施期間を踏まえて按分（パンフレットの記載）",
        )
        if menu.first_year_prorated
        else Text(
            f"Cap {cap} yen a fiscal year including indirect costs; the rulebook prorates no fiscal year "
            "(first_year_prorated = false)",
            f"上限額は年額{cap}円（間接経費込み）。ルールブックの設定により年度の按分はしない"
            "（first_year_prorated = false）",
        )
    )
    how = (
        Text(
            "Proration by months: annual cap × months of the period in the fiscal year ÷ 12, a month "
            "the period starts or ends in counting as a whole month",
            "月数按分：年額の上限額×当該年度の実施月数÷12。月の途中から始まる月、途中で終わる月も1か月と数える",
        )
        if proration is Proration.MONTH
        else Text(
            "Proration by days: annual cap × days of the period in the fiscal year ÷ days in that fiscal year",
            "日数按分：年額の上限額×当該年度の実施日数÷当該年度の日数",
        )
    )
    months, days = plan.length
    # The caps add up to the period's length only when month proration counts exactly its months.
    exact = proration is Proration.MONTH and not days and plan.calendar_months == months == plan.months_of_caps
    length = format_period(plan.start, plan.end)
    last = (
        Text(
            "A partial last fiscal year is prorated the same way"
            + (f", so that the caps add up to the period's length, {length.en}" if exact else " as the first")
            + " (an assumption: the brochure names only the first year)",
            "1年に満たない最終年度も初年度と同じく按分"
            + (f"し、上限額の合計を実施期間の長さ（{length.ja}）に合わせる" if exact else "")
            + "。パンフレットの記載は初年度のみのため、これは仮定",
        )
        if prorate_last
        else Text(
            "A partial last fiscal year gets the full annual cap (the brochure's literal reading: "
            "only the first year is prorated)",
            "1年に満たない最終年度も年額の上限額（パンフレットの文言どおり、按分は初年度のみ）",
        )
    )
    rounded = unit_rounding(round_unit)
    pct = percent(rate)
    most = format_months(menu.period_months)
    out = [
        Assumption(first),
        *((Assumption(how, "proration"),) if menu.first_year_prorated or prorate_last else ()),
        *_extra_months(plan),
        Assumption(last, "prorate_last"),
        Assumption(
            Text(
                f"Caps and their direct and indirect parts are {rounded.en}",
                f"上限額、うち直接経費、うち間接経費は{rounded.ja}",
            ),
            "round",
        ),
        Assumption(
            Text(
                f"Indirect costs at {pct.en} of direct cost ({basis.en}); the direct part is the "
                f"largest amount that, with {pct.en} indirect costs on top ({rounded.en}), stays "
                "within the cap",
                f"間接経費は直接経費の{pct.ja}（{basis.ja}）。うち直接経費は、{pct.ja}の間接経費"
                f"（{rounded.ja}）を加えても上限額以内となる最大額",
            ),
            "indirect_rate",
        ),
        # English names the menu by the id a user types; Japanese by its name (ステージⅠ).
        Assumption(PERIOD_MAX.explain(menu=Text(menu.id, menu.short.ja), most=most)),
    ]
    return tuple(out)


def _extra_months(plan: BudgetPlan) -> tuple[Assumption, ...]:
    """The note for a period that month proration counts longer than it is (SPEC §4).

    A period that starts mid-month touches one calendar month more than its length (30
    months from 2026-10-15 touch 31), and month proration counts each of them whole; the
    note says so, with the caps' total when every partial fiscal year is prorated, and
    names day proration, which follows the exact days.
    """
    months, days = plan.length
    counted = plan.calendar_months
    if plan.proration is not Proration.MONTH or not any(r.prorated for r in plan.rows):
        return ()
    if counted <= months and not days:
        return ()
    length = format_period(plan.start, plan.end)
    starts, ends = plan.start.day != 1, not is_month_end(plan.end)
    why = (
        Text("it starts and ends mid-month", "月の途中から始まり月の途中で終わる")
        if starts and ends
        else Text("it starts mid-month", "月の途中から始まる")
        if starts
        else Text("it ends mid-month", "月の途中で終わる")
    )
    en = (
        f"The period is {length.en} long but touches {counted} calendar months, since {why.en}; "
        "prorating by months counts a partial month as a whole one"
    )
    ja = f"実施期間は{length.ja}だが、{why.ja}ため暦月では{counted}か月にわたる。月数按分では端数の月も1か月と数える"
    if plan.months_of_caps == counted:  # every partial fiscal year prorated: the caps are counted months' worth
        total = format_yen(plan.total_cap)
        en += f", so the caps total {counted} months of the annual cap ({total} yen)"
        ja += f"ため、上限額の合計は年額の{counted}か月分（{total}円）"
        if not days:
            extra = counted - months
            en += f", {extra} month{'s' if extra != 1 else ''} more than the period's length"
            ja += f"となり、実施期間より{extra}か月分多い"
        else:
            ja += "となる"
    en += ". Prorating by days follows the period's exact days"
    ja += "。日数按分なら実施日数どおり"
    return (Assumption(Text(en, ja), "proration", "day"),)
