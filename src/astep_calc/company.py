"""The company's side of a plan: cash, runway, repayment capacity and obligation (SPEC §9).

JST judges a 実装支援 applicant's 事業計画・返済計画 before it may apply, and the brochure sells
the money as 次の調達までのつなぎ資金 without dilution (希薄化防止). So a plan may describe the
company that receives it: its cash and deposits (現預金) on April 1 of its first projected
fiscal year, and its own projections per fiscal year (operating, investing, financing), which
are its whole spending without any A-STEP money. Every figure below is whole yen and can be
redone by hand:

- each fiscal year's net projection falls on its 12 month-ends (:func:`spread`);
- the A-STEP money moves the company's cash on its own dates (:func:`astep_flows`): the
  実装支援 advances in, the collateral out and back (or the guarantee fees out), the
  repayments under the plan's grade out, a Stage II phase's matching contribution out;
  Stage I/II grants go to the university and never touch the company's cash;
- month-end cash with and without A-STEP (:func:`month_end_cash`), how long each lasts
  (:func:`runway`), how many times each year's operating cash flow covers its repayments
  (:func:`coverage`), and what is owed at each fiscal year end (:func:`obligation`).

>>> from astep_calc.phases import Phase, Plan, evaluate
>>> from astep_calc.repayment import Terms
>>> from astep_calc.rulebook import load_rulebook
>>> plan = evaluate(load_rulebook(), Plan((Phase("jisso", date(2027, 4, 1), date(2028, 3, 31),
...     amount=100_000_000, terms=Terms(lump=True)),)))   # 4 × 25,000,000; 100,000,000 due 2029-03-31
>>> firm = Company(cash=50_000_000, flows=(Projection(2027, -60_000_000), Projection(2028, 120_000_000)))
>>> result = evaluate_company(plan, firm)
>>> [(m.month, m.cash, m.cash_without) for m in result.months[:2]]   # April: 50M − 5M + 25M − 10M collateral
[('2027-04', 60000000, 45000000), ('2027-05', 55000000, 40000000)]
>>> result.runway.with_astep, result.runway.without   # without: 50M − 11 × 5M < 0 in 2028-02
(None, datetime.date(2028, 1, 31))
>>> [(y.fiscal_year, y.repaid, str(y.coverage)) for y in result.years]   # 120,000,000 ÷ 100,000,000
[(2027, 0, 'None'), (2028, 100000000, '1.20')]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise
from typing import Literal, get_args

from astep_calc.cashflow import movements
from astep_calc.checks import COMPANY_CASH, COMPANY_COVERAGE
from astep_calc.dates import (
    FIRST_YEAR,
    LAST_YEAR,
    ONE_DAY,
    FiscalYear,
    add_months,
    fiscal_year_label,
    fiscal_year_of,
    month_index,
    month_length,
    months_touched,
)
from astep_calc.money import MAX_YEN, Rounding, apply_rate, format_yen, percent
from astep_calc.phases import Evaluation, PhaseResult
from astep_calc.repayment import Schedule, scenarios
from astep_calc.text import Assumption, InputError, Text, Violation, not_one_of, quoted

CollateralKind = Literal["deposit", "guarantee"]
COLLATERAL_KINDS: tuple[CollateralKind, ...] = get_args(CollateralKind)

#: What an A-STEP flow into (or out of) the company's cash is.
FlowKind = Literal["advance", "collateral", "collateral_release", "guarantee_fee", "repayment", "matching"]
FLOW_KINDS: tuple[FlowKind, ...] = get_args(FlowKind)
FLOW_LABELS: dict[FlowKind, Text] = {
    "advance": Text("advance from JST", "JSTからの前払い"),
    "collateral": Text("collateral posted", "担保の差入れ"),
    "collateral_release": Text("collateral released", "担保の返還"),
    "guarantee_fee": Text("guarantee fee", "保証料"),
    "repayment": Text("repayment to JST", "JSTへの返済"),
    "matching": Text("matching contribution (Stage II)", "マッチング（ステージⅡの自己資金）"),
}


# ---------------------------------------------------------------------------------------
# The values


def _whole_yen(value: object, field: str, *, signed: bool = False) -> int:
    """``value`` as whole yen within ±:data:`~astep_calc.money.MAX_YEN` (0 and up unless
    ``signed``), or an :class:`InputError` naming ``field``."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise InputError(
            f"{quoted(value)} is not a whole number of yen",
            f"「{value}」は使えません。円単位の整数にしてください",
            field=field,
        )
    low = -MAX_YEN if signed else 0
    if not low <= value <= MAX_YEN:
        raise InputError(
            f"{format_yen(value)} yen is outside {format_yen(low)} to {format_yen(MAX_YEN)} yen",
            f"{format_yen(value)}円は範囲外です。{format_yen(low)}円以上{format_yen(MAX_YEN)}円以下にしてください",
            field=field,
        )
    return value


def _rate(value: object, field: str) -> Fraction:
    if not isinstance(value, Fraction):
        raise InputError(
            f"{quoted(value)} is not an exact rate",
            f"「{value}」は率として使えません。1.2 や 1% のように書いてください",
            field=field,
        )
    return value


@dataclass(frozen=True)
class Projection:
    """The company's own projection for one fiscal year, without any A-STEP money: operating
    (営業CF), investing (投資CF) and financing (財務CF: equity, bank loans) cash flow, in yen,
    each may be negative. Checked when built.

    >>> Projection(2027, -240_000_000, financing=500_000_000).net
    260000000
    >>> Projection(2027, operating=True)
    Traceback (most recent call last):
    ...
    astep_calc.text.InputError: 'True' is not a whole number of yen
    """

    fiscal_year: int
    operating: int
    investing: int = 0
    financing: int = 0

    def __post_init__(self) -> None:
        if (
            not isinstance(self.fiscal_year, int)
            or isinstance(self.fiscal_year, bool)
            or not FIRST_YEAR <= self.fiscal_year < LAST_YEAR
        ):
            raise InputError(
                f"{quoted(self.fiscal_year)} is not a fiscal year from {FIRST_YEAR} to {LAST_YEAR - 1}",
                f"「{self.fiscal_year}」は年度として使えません。{FIRST_YEAR}〜{LAST_YEAR - 1}の年度にしてください",
                field="company.flows",
            )
        for name in ("operating", "investing", "financing"):
            _whole_yen(getattr(self, name), f"company.flows.{self.fiscal_year}.{name}", signed=True)

    @property
    def net(self) -> int:
        """operating + investing + financing."""
        return self.operating + self.investing + self.financing


@dataclass(frozen=True)
class Company:
    """The company that receives the A-STEP money, as a plan's ``[company]`` describes it.

    ``cash``: cash and deposits (現預金) on April 1 of the first fiscal year in ``flows``;
    ``flows``: its projections, one per fiscal year, consecutive (kept in year order); none
    while they are still to be given (a plan whose projections come from a file):
    :func:`evaluate_company` then refuses the company;
    ``min_cash``: month-end cash must stay at or above it (``company.cash``);
    ``coverage``: each year's operating cash flow ÷ its repayments must be at least this
    (``company.coverage``; ``None``: not checked); ``collateral_kind``: ``deposit`` (cash
    leaves at the development start and comes back on release) or ``guarantee`` (no cash
    moves but a yearly ``guarantee_fee`` on the guaranteed amount). Checked when built; an
    error names the field as a plan spells it (``company.guarantee_fee``).

    >>> Company(cash=1, flows=(Projection(2027, 0),), collateral_kind="pledge")
    Traceback (most recent call last):
    ...
    astep_calc.text.InputError: 'pledge' is not one of deposit, guarantee
    >>> Company(cash=1, flows=(Projection(2029, 0), Projection(2027, 0)))
    Traceback (most recent call last):
    ...
    astep_calc.text.InputError: FY2028 is missing between FY2027 and FY2029: the projections must cover every fiscal year in between
    """

    cash: int
    flows: tuple[Projection, ...]
    name: str | None = None
    min_cash: int = 0
    coverage: Fraction | None = None
    collateral_kind: CollateralKind = "deposit"
    guarantee_fee: Fraction | None = None

    def __post_init__(self) -> None:
        if self.name is not None and not isinstance(self.name, str):
            raise InputError(
                f"{quoted(self.name)} is not a name", f"「{self.name}」は名称として使えません", field="company.name"
            )
        _whole_yen(self.cash, "company.cash")
        _whole_yen(self.min_cash, "company.min_cash")
        if self.coverage is not None and _rate(self.coverage, "company.coverage") <= 0:
            raise InputError(
                f"a coverage of {_plain(self.coverage)} is not more than 0",
                f"返済カバー率{_plain(self.coverage)}は使えません。0より大きくしてください",
                field="company.coverage",
            )
        if self.collateral_kind not in COLLATERAL_KINDS:
            raise not_one_of(
                self.collateral_kind,
                COLLATERAL_KINDS,
                noun=Text("kind of collateral", "担保の種類"),
                field="company.collateral_kind",
            )
        if self.guarantee_fee is not None:
            fee = _rate(self.guarantee_fee, "company.guarantee_fee")
            if not 0 <= fee <= 1:
                raise InputError(
                    f"a guarantee fee of {percent(fee).en} is outside 0% to 100%",
                    f"保証料率{percent(fee).ja}は範囲外です。0%〜100%にしてください",
                    field="company.guarantee_fee",
                )
            if self.collateral_kind != "guarantee" and fee:
                raise InputError(
                    f'a guarantee fee of {percent(fee).en} applies to collateral_kind = "guarantee" only',
                    f'保証料率{percent(fee).ja}は collateral_kind = "guarantee"（保証）の場合にだけ指定できます',
                    field="company.guarantee_fee",
                )
        if not isinstance(self.flows, tuple) or not all(isinstance(p, Projection) for p in self.flows):
            raise InputError(
                f"{quoted(self.flows)} is not a list of fiscal-year projections",
                "会社の収支見込み（company.flows）は年度ごとの見込みの一覧にしてください",
                field="company.flows",
            )
        flows = sorted(self.flows, key=lambda p: p.fiscal_year)
        for a, b in pairwise(flows):
            if a.fiscal_year == b.fiscal_year:
                label = fiscal_year_label(a.fiscal_year)
                raise InputError(
                    f"{label.en} appears twice in the projections",
                    f"{label.ja}が収支見込みに2回あります",
                    field=f"company.flows.{a.fiscal_year}",
                )
            if b.fiscal_year != a.fiscal_year + 1:
                gap, x, y = (fiscal_year_label(n) for n in (a.fiscal_year + 1, a.fiscal_year, b.fiscal_year))
                raise InputError(
                    f"{gap.en} is missing between {x.en} and {y.en}: the projections must cover every fiscal "
                    "year in between",
                    f"{x.ja}と{y.ja}の間の{gap.ja}の収支見込みがありません。間のすべての年度を指定してください",
                    field="company.flows",
                )
        object.__setattr__(self, "flows", tuple(flows))  # in year order, as every figure reads them

    @property
    def fee(self) -> Fraction:
        """The yearly guarantee fee rate (0 when none is given)."""
        return self.guarantee_fee if self.guarantee_fee is not None else Fraction(0)

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(p.fiscal_year for p in self.flows)


def _plain(x: Fraction) -> str:
    """An exact ratio as a plain decimal: ``1.2``, ``1.5`` (28 digits where it does not end)."""
    shown = format(Decimal(x.numerator) / Decimal(x.denominator), "f")
    return shown.rstrip("0").rstrip(".") if "." in shown else shown


# ---------------------------------------------------------------------------------------
# The monthly spread


def spread(amount: int, months: int = 12) -> tuple[int, ...]:
    """``amount`` spread over ``months`` months: month i (1-based) gets
    floor(n·i/k) − floor(n·(i−1)/k) (SPEC §9, "Monthly spread"), which adds up to n
    exactly, a negative n included. A fiscal year's net projection falls on its 12
    month-ends this way (April = 1); a Stage II matching contribution on the k months of
    the year its phase runs in.

    >>> spread(1_000_000)            # 83,333.3 a month: 83,333, 83,333, 83,334, ...
    (83333, 83333, 83334, 83333, 83333, 83334, 83333, 83333, 83334, 83333, 83333, 83334)
    >>> spread(-100, 3), sum(spread(-100, 3))   # floor(−33.3) = −34; −67 − (−34) = −33; −100 − (−67)
    ((-34, -33, -33), -100)
    """
    if months < 1:
        raise ValueError("a spread needs at least one month")
    return tuple(amount * i // months - amount * (i - 1) // months for i in range(1, months + 1))


def _month_end(year: int, month: int) -> date:
    return date(year, month, month_length(year, month))


def _fiscal_month_end(fiscal_year: int, i: int) -> date:
    """The end of the i-th month (April = 1) of a fiscal year."""
    return _month_end(fiscal_year + (i + 2) // 12, (i + 2) % 12 + 1)


def month_key(d: date) -> str:
    """``YYYY-MM``, as the JSON names a month.

    >>> month_key(date(2028, 2, 29))
    '2028-02'
    """
    return f"{d.year:04d}-{d.month:02d}"


# ---------------------------------------------------------------------------------------
# The A-STEP flows into the company's cash


@dataclass(frozen=True)
class AstepFlow:
    """One movement of A-STEP money in the company's cash: ``amount`` in yen, positive in
    (an advance, the collateral back), negative out; counted at the end of its month."""

    date: date
    phase: int
    kind: FlowKind
    amount: int


def guarantee_fees(start: date, release: date, guaranteed: int, fee: Fraction) -> tuple[tuple[date, int], ...]:
    """The guarantee fees: floor(fee × guaranteed amount), paid at the development start and
    at each anniversary add_months(start, 12·k) before the release (SPEC §9; the fee is a
    payment owed at a rate, rounded down to the yen as SPEC §2 says). None when the fee is 0.

    >>> guarantee_fees(date(2027, 4, 1), date(2030, 3, 31), 30_000_001, Fraction(1, 100))   # 300,000.01
    ((datetime.date(2027, 4, 1), 300000), (datetime.date(2028, 4, 1), 300000), (datetime.date(2029, 4, 1), 300000))
    """
    amount = apply_rate(guaranteed, fee, Rounding.FLOOR)
    if amount == 0:
        return ()
    out = [(start, amount)]
    k = 1
    while (day := add_months(start, 12 * k)) < release:
        out.append((day, amount))
        k += 1
    return tuple(out)


def matching_flows(phase: PhaseResult) -> tuple[AstepFlow, ...]:
    """A Stage II phase's matching contribution m for a fiscal year, out of the company's cash,
    spread over the k months of that year the phase runs in (a partial month whole), its i-th
    such month getting floor(m·i/k) − floor(m·(i−1)/k), each dated its month's end. A
    contribution for a year the phase does not run in (a ``budget.outside_period``
    violation) still counts, in April of that year.

    >>> from astep_calc.phases import Phase, Plan, evaluate
    >>> from astep_calc.rulebook import load_rulebook
    >>> plan = evaluate(load_rulebook(), Plan((Phase("stage2", date(2027, 1, 15), date(2029, 3, 31),
    ...     matching=((2026, 1_000_000),)),)))   # Jan, Feb, Mar 2027: 333,333 / 333,333 / 333,334
    >>> [(f.date.isoformat(), f.amount) for f in matching_flows(plan.phases[0])]
    [('2027-01-31', -333333), ('2027-02-28', -333333), ('2027-03-31', -333334)]
    """
    out: list[AstepFlow] = []
    p = phase.phase
    for fy, m in p.matching:
        if not m:
            continue
        s, e = max(p.start, FiscalYear(fy).start), min(p.last_day, FiscalYear(fy).end)
        if s > e:
            out.append(AstepFlow(_month_end(fy, 4), phase.no, "matching", -m))
            continue
        for i, part in enumerate(spread(m, months_touched(s, e))):
            first = add_months(date(s.year, s.month, 1), i)
            out.append(AstepFlow(_month_end(first.year, first.month), phase.no, "matching", -part))
    return tuple(out)


def astep_flows(plan: Evaluation, company: Company) -> tuple[AstepFlow, ...]:
    """Every A-STEP movement of the company's cash, in date order (SPEC §9):

    - + each 実装支援 advance JST pays (those up to a stop), on its business-day-moved date;
    - with ``collateral_kind = "deposit"``: − the collateral at the development start and + it
      on its release (``collateral_release``, else the last repayment's due date); with
      ``"guarantee"``: − :func:`guarantee_fees` instead;
    - − each repayment under the plan's grade, on its (moved) due date;
    - − each Stage II matching contribution, as :func:`matching_flows` spreads it.

    Stage I/II grants go to the university and never enter the company's cash. The
    実装支援 movements are :func:`astep_calc.cashflow.movements`, the fiscal-year cash flow's own.

    >>> from astep_calc.phases import Phase, Plan, evaluate
    >>> from astep_calc.repayment import Terms
    >>> from astep_calc.rulebook import load_rulebook
    >>> plan = evaluate(load_rulebook(), Plan((Phase("jisso", date(2027, 4, 1), date(2027, 9, 30),
    ...     amount=10_000_000, terms=Terms(lump=True)),)))
    >>> firm = Company(cash=0, flows=(Projection(2027, 0),), collateral_kind="guarantee", guarantee_fee=Fraction(1, 50))
    >>> [(f.date.isoformat(), f.kind, f.amount) for f in astep_flows(plan, firm)]   # fee 2% × 1,000,000
    [('2027-04-01', 'advance', 5000000), ('2027-04-01', 'guarantee_fee', -20000), ('2027-07-01', 'advance', 5000000), ('2028-04-01', 'guarantee_fee', -20000), ('2028-09-30', 'repayment', -10000000)]
    """
    out: list[AstepFlow] = []
    for r in plan.phases:
        if r.kind == "annual":
            out += matching_flows(r)
            continue
        for m in movements(r):
            if m.column == "jst_in":
                out.append(AstepFlow(m.date, r.no, "advance", m.amount))
            elif m.column == "repaid":
                out.append(AstepFlow(m.date, r.no, "repayment", -m.amount))
            elif company.collateral_kind == "deposit" and m.column == "collateral_posted":
                out.append(AstepFlow(m.date, r.no, "collateral", -m.amount))
            elif company.collateral_kind == "deposit" and m.column == "collateral_released":
                out.append(AstepFlow(m.date, r.no, "collateral_release", m.amount))
        release = r.collateral_released_on
        if company.collateral_kind == "guarantee" and release is not None:
            fees = guarantee_fees(r.phase.start, release, r.collateral_posted, company.fee)
            out += [AstepFlow(d, r.no, "guarantee_fee", -a) for d, a in fees]
    return tuple(sorted((f for f in out if f.amount), key=lambda f: (f.date, f.phase)))


# ---------------------------------------------------------------------------------------
# Month-end cash and runway


@dataclass(frozen=True)
class MonthEnd:
    """One month-end: the projections' part of the month, the A-STEP flows in it, and cash
    with and without A-STEP at its end."""

    end: date
    projected: int
    astep: int
    cash: int
    cash_without: int

    @property
    def month(self) -> str:
        return month_key(self.end)

    @property
    def fiscal_year(self) -> int:
        return fiscal_year_of(self.end)


def require_covered(company: Company, flows: Iterable[AstepFlow]) -> None:
    """Every fiscal year in which an A-STEP flow falls must be in the projections; an
    :class:`InputError` names the years that are not (field ``company.flows``).

    >>> firm = Company(cash=0, flows=(Projection(2027, 0),))
    >>> require_covered(firm, [AstepFlow(date(2029, 3, 31), 1, "repayment", -1)])
    Traceback (most recent call last):
    ...
    astep_calc.text.InputError: FY2028 is not in the company's projections, but A-STEP money moves in it (repayment to JST: 1 yen on 2029-03-31): add its projection
    """
    years = set(company.years)
    missing: dict[int, AstepFlow] = {}
    for f in flows:
        fy = fiscal_year_of(f.date)
        if fy not in years:
            missing.setdefault(fy, f)
    if not missing:
        return
    first = missing[min(missing)]
    labels = [fiscal_year_label(fy) for fy in sorted(missing)]
    these = Text(", ".join(x.en for x in labels), "、".join(x.ja for x in labels))
    what = FLOW_LABELS[first.kind]
    amount = format_yen(abs(first.amount))
    day = first.date.isoformat()
    if len(labels) == 1:
        en = (
            f"{these.en} is not in the company's projections, but A-STEP money moves in it "
            f"({what.en}: {amount} yen on {day}): add its projection"
        )
        ja = (
            f"{these.ja}はA-STEPの資金が動く年度ですが、会社の収支見込みにありません"
            f"（{day}の{what.ja}{amount}円）。この年度の収支見込みを追加してください"
        )
    else:
        en = (
            f"{these.en} are not in the company's projections, but A-STEP money moves in each of them "
            f"(the earliest: {what.en}, {amount} yen on {day}): add their projections"
        )
        ja = (
            f"{these.ja}はA-STEPの資金が動く年度ですが、会社の収支見込みにありません"
            f"（最初は{day}の{what.ja}{amount}円）。これらの年度の収支見込みを追加してください"
        )
    raise InputError(
        en,
        ja,
        field="company.flows",
    )


def month_end_cash(company: Company, flows: Sequence[AstepFlow]) -> tuple[MonthEnd, ...]:
    """Month-end cash from April of the first projected fiscal year to March of the last
    (SPEC §9): without A-STEP, ``cash`` plus the :func:`spread` of every year's net
    projection up to that month's end; with A-STEP, that plus every flow dated up to the
    month's end. A fiscal year in which a flow falls must be projected
    (:func:`require_covered`).

    >>> firm = Company(cash=1_000, flows=(Projection(2027, -1_200, financing=-1),))   # net −1,201
    >>> months = month_end_cash(firm, [AstepFlow(date(2027, 5, 20), 1, "advance", 500)])
    >>> [(m.month, m.projected, m.cash_without, m.cash) for m in months[:3]]   # −1,201 × 1/12 = −100.08: −101
    [('2027-04', -101, 899, 899), ('2027-05', -100, 799, 1299), ('2027-06', -100, 699, 1199)]
    >>> months[-1].month, months[-1].cash_without, months[-1].cash    # 1,000 − 1,201; + 500
    ('2028-03', -201, 299)
    """
    require_covered(company, flows)
    by_month: dict[tuple[int, int], int] = defaultdict(int)
    for f in flows:
        by_month[f.date.year, f.date.month] += f.amount
    out: list[MonthEnd] = []
    without, astep = company.cash, 0
    for p in company.flows:
        for i, part in enumerate(spread(p.net), start=1):
            end = _fiscal_month_end(p.fiscal_year, i)
            moved = by_month.get((end.year, end.month), 0)
            without += part
            astep += moved
            out.append(MonthEnd(end, part, moved, without + astep, without))
    return tuple(out)


@dataclass(frozen=True)
class Runway:
    """How long each cash series lasts: the last month-end before the first one below
    ``min_cash`` (``None``: beyond the projections), and the months A-STEP adds."""

    with_astep: date | None
    without: date | None
    #: month(with) − month(without), a series that lasts beyond the projections counted to
    #: their last month. Negative when A-STEP shortens the runway (a collateral deposit can).
    months_added: int
    #: One series lasts beyond the projections and the other does not: the true difference
    #: is at least ``months_added`` months (in its sign's direction), not exactly.
    open_ended: bool


def cash_lasts_to(series: Sequence[tuple[date, int]], min_cash: int) -> date | None:
    """The last month-end before the first one whose cash is under ``min_cash``, or ``None``
    when none is ("beyond the projections"). Under it in the first month: the month-end
    before the series starts (the cash lasted to the day before it).

    >>> cash_lasts_to([(date(2027, 4, 30), 5), (date(2027, 5, 31), 1), (date(2027, 6, 30), 9)], 2)
    datetime.date(2027, 4, 30)
    >>> cash_lasts_to([(date(2027, 4, 30), 1)], 2), cash_lasts_to([(date(2027, 4, 30), 2)], 2)
    (datetime.date(2027, 3, 31), None)
    """
    for end, cash in series:
        if cash < min_cash:
            return date(end.year, end.month, 1) - ONE_DAY
    return None


def runway(months: Sequence[MonthEnd], min_cash: int) -> Runway:
    """Each series' :func:`cash_lasts_to`, and the months A-STEP adds: month(with) −
    month(without), a series lasting beyond the projections counted to their last month
    (then ``open_ended``: at least that many).

    >>> m = [MonthEnd(date(2027, 4, 30), 0, 0, 10, 10), MonthEnd(date(2027, 5, 31), 0, 0, 10, -1),
    ...      MonthEnd(date(2027, 6, 30), 0, 0, 10, -2)]
    >>> runway(m, 0)   # without: lasts to April; with: beyond June, so at least 2 months more
    Runway(with_astep=None, without=datetime.date(2027, 4, 30), months_added=2, open_ended=True)
    """
    with_astep = cash_lasts_to([(m.end, m.cash) for m in months], min_cash)
    without = cash_lasts_to([(m.end, m.cash_without) for m in months], min_cash)
    last = months[-1].end
    added = month_index(with_astep or last) - month_index(without or last)
    return Runway(with_astep, without, added, (with_astep is None) != (without is None))


def cash_violations(months: Sequence[MonthEnd], min_cash: int) -> tuple[Violation, ...]:
    """``company.cash``: the first month-end whose cash, A-STEP flows included, is under
    ``min_cash``, with the month and the shortfall (one violation, the first month).

    >>> [v.details for v in cash_violations([MonthEnd(date(2028, 9, 30), 0, 0, 12, 0)], 30)]
    [{'month': '2028-09', 'cash': 12, 'min_cash': 30, 'shortfall': 18}]
    """
    for m in months:
        if m.cash < min_cash:
            short = min_cash - m.cash
            ja_month = f"{m.end.year}年{m.end.month}月末"
            return (
                Violation(
                    COMPANY_CASH.id,
                    Text(
                        f"cash at the end of {m.month} is {format_yen(m.cash)} yen, under the minimum "
                        f"{format_yen(min_cash)} yen by {format_yen(short)} yen (A-STEP money included)",
                        f"{ja_month}の現預金{format_yen(m.cash)}円が、最低残高{format_yen(min_cash)}円を"
                        f"{format_yen(short)}円下回ります（A-STEPの資金の出入りを含む）",
                    ),
                    "company.min_cash",
                    {"month": m.month, "cash": m.cash, "min_cash": min_cash, "shortfall": short},
                ),
            )
    return ()


# ---------------------------------------------------------------------------------------
# Coverage


def coverage(operating: int, repaid: int) -> Decimal:
    """Repayment coverage (返済カバー率): operating cash flow ÷ repayments of the fiscal year,
    rounded DOWN to two decimals (floor(100·operating / repaid) / 100, exact integers: never
    shown above what it is). ``repaid`` must be more than 0.

    >>> coverage(150_000_000, 100_000_000), coverage(149_999_999, 100_000_000), coverage(-1, 3)
    (Decimal('1.50'), Decimal('1.49'), Decimal('-0.34'))
    """
    if repaid <= 0:
        raise ValueError("coverage needs repayments of more than 0 yen")
    return Decimal(operating * 100 // repaid).scaleb(-2)


def coverage_holds(operating: int, repaid: int, required: Fraction) -> bool:
    """Operating cash flow covers the repayments at least ``required`` times, compared
    exactly (not the rounded figure); an operating cash flow of 0 or less never does.

    >>> coverage_holds(150, 100, Fraction(3, 2)), coverage_holds(149, 100, Fraction(3, 2)), coverage_holds(0, 1, Fraction(0))
    (True, False, False)
    """
    return operating > 0 and Fraction(operating, repaid) >= required


def coverage_violations(years: Iterable[CompanyYear], required: Fraction) -> tuple[Violation, ...]:
    """``company.coverage`` (SPEC §9) for each fiscal year with repayments whose operating cash
    flow covers them fewer than ``required`` times (:func:`coverage_holds`), with the year, the
    coverage as shown (rounded down) and the coverage required.

    >>> from astep_calc.phases import Phase, Plan, evaluate
    >>> from astep_calc.repayment import Terms
    >>> from astep_calc.rulebook import load_rulebook
    >>> plan = evaluate(load_rulebook(), Plan((Phase("jisso", date(2027, 4, 1), date(2028, 3, 31),
    ...     amount=100_000_000, terms=Terms(lump=True)),)))   # 100,000,000 repaid in FY2028
    >>> firm = Company(10**9, (Projection(2027, 0), Projection(2028, 149_999_999)), coverage=Fraction(3, 2))
    >>> [v.details for v in coverage_violations(evaluate_company(plan, firm).years, Fraction(3, 2))]
    [{'fiscal_year': 2028, 'coverage': '1.49', 'required': '1.5'}]
    """
    out: list[Violation] = []
    for y in years:
        if y.coverage is None or coverage_holds(y.operating, y.repaid, required):
            continue
        label = fiscal_year_label(y.fiscal_year)
        need = _plain(required)
        if y.operating <= 0:
            en = (
                f"{label.en}: an operating cash flow of {format_yen(y.operating)} yen does not cover repayments of "
                f"{format_yen(y.repaid)} yen; the coverage must be at least {need}"
            )
            ja = (
                f"{label.ja}：営業キャッシュフロー{format_yen(y.operating)}円では返済額{format_yen(y.repaid)}円を"
                f"賄えません（必要な返済カバー率{need}倍以上）"
            )
        else:
            en = (
                f"{label.en}: the operating cash flow of {format_yen(y.operating)} yen covers repayments of "
                f"{format_yen(y.repaid)} yen {y.coverage} times, under the required {need}"
            )
            ja = (
                f"{label.ja}：営業キャッシュフロー{format_yen(y.operating)}円は返済額{format_yen(y.repaid)}円の"
                f"{y.coverage}倍で、必要な返済カバー率{need}倍を下回ります"
            )
        out.append(
            Violation(
                COMPANY_COVERAGE.id,
                Text(en, ja),
                "company.coverage",
                {"fiscal_year": y.fiscal_year, "coverage": str(y.coverage), "required": need},
            )
        )
    return tuple(out)


# ---------------------------------------------------------------------------------------
# The obligation at each fiscal year end, by grade case


@dataclass(frozen=True)
class GradeCase:
    """One 実装支援 phase under one grade case: the advances JST pays in that case and the
    schedule that repays them. ``case`` is the rulebook's scenario (``S/A/B``, ``C``,
    ``discontinued``); ``own`` marks the plan's own grade (its schedule is the plan's)."""

    phase: PhaseResult
    case: str
    schedule: Schedule
    advances: tuple[tuple[date, int], ...]
    own: bool
    discontinued: bool

    @property
    def amount(self) -> int:
        """A: what JST pays in this case."""
        return sum(a for _, a in self.advances)

    @property
    def release(self) -> date:
        """When the collateral comes back: ``collateral_release``, else this case's last payment."""
        return self.phase.phase.collateral_release or self.schedule.last_due


def grade_cases(plan: Evaluation, phase: PhaseResult) -> tuple[GradeCase, ...]:
    """A 実装支援 phase under every grade case that ``astep scenarios`` shows: S/A/B and C, and
    開発中止 when it is the plan's own case (a ``stop``, or the grade ``discontinued``). The
    plan's own case keeps the plan's schedule and the advances paid up to any stop; every
    other case is laid out by :func:`astep_calc.repayment.scenarios` from the plan's terms,
    on all the advances.

    >>> from astep_calc.phases import Phase, Plan, evaluate
    >>> from astep_calc.rulebook import load_rulebook
    >>> plan = evaluate(load_rulebook(), Plan((Phase("jisso", date(2027, 4, 1), date(2028, 3, 31),
    ...     amount=100_000_000),)))
    >>> [(c.case, c.own, c.schedule.owed, c.amount) for c in grade_cases(plan, plan.phases[0])]
    [('S/A/B', True, 100000000, 100000000), ('C', False, 10000000, 100000000)]
    """
    if phase.schedule is None or phase.disbursement is None or phase.phase.amount is None:
        raise ValueError("grade cases need a 実装支援 phase")
    rules = plan.rules
    rp = rules.jisso.repayment
    own = phase.schedule.grade.scenario
    everything = tuple((a.date, a.amount) for a in phase.disbursement.advances)
    out: list[GradeCase] = []
    for sc in scenarios(
        rules,
        phase.phase.amount,
        phase.phase.end,
        phase.phase.terms,
        stop=phase.phase.stop,
        disbursement=phase.disbursement,
        business_day=plan.model.business_day,
    ):
        case = sc.schedule.grade.scenario
        stopped = rp.is_discontinued(sc.schedule.grade)
        if case == own:
            paid = tuple((a.date, a.amount) for a in phase.paid_advances)
            out.append(GradeCase(phase, case, phase.schedule, paid, True, stopped))
        elif not stopped:
            out.append(GradeCase(phase, case, sc.schedule, everything, False, False))
    return tuple(out)


def plan_cases(plan: Evaluation) -> tuple[GradeCase, ...]:
    """:func:`grade_cases` of every 実装支援 phase of the plan."""
    return tuple(c for r in plan.phases if r.kind == "jisso" for c in grade_cases(plan, r))


def case_names(cases: Iterable[GradeCase]) -> tuple[str, ...]:
    """The cases in the order the rulebook lists them, each once.

    >>> from astep_calc.phases import Phase, Plan, evaluate
    >>> from astep_calc.rulebook import load_rulebook
    >>> plan = evaluate(load_rulebook(), Plan((Phase("jisso", date(2027, 4, 1), date(2028, 3, 31),
    ...     amount=100_000_000, stop=date(2027, 9, 30)),)))
    >>> case_names(plan_cases(plan))
    ('S/A/B', 'C', 'discontinued')
    """
    return tuple(dict.fromkeys(c.case for c in cases))


def in_case(cases: Iterable[GradeCase], case: str | None) -> tuple[GradeCase, ...]:
    """One :class:`GradeCase` per phase: the one of ``case``, or the plan's own grade where
    the phase has no such case (or ``case`` is ``None``).

    >>> from astep_calc.phases import Phase, Plan, evaluate
    >>> from astep_calc.rulebook import load_rulebook
    >>> plan = evaluate(load_rulebook(), Plan((Phase("jisso", date(2027, 4, 1), date(2028, 3, 31),
    ...     amount=100_000_000),)))
    >>> [(c.case, c.own) for c in in_case(plan_cases(plan), "C")], [c.case for c in in_case(plan_cases(plan), None)]
    ([('C', False)], ['S/A/B'])
    >>> [c.case for c in in_case(plan_cases(plan), "discontinued")]   # no such case: the plan's grade
    ['S/A/B']
    """
    by_phase: dict[int, list[GradeCase]] = defaultdict(list)
    for c in cases:
        by_phase[c.phase.no].append(c)
    return tuple(
        next((c for c in group if c.case == case), next(c for c in group if c.own)) for group in by_phase.values()
    )


@dataclass(frozen=True)
class Obligation:
    """What the company owes JST at ``at`` under ``case`` (``None``: the plan's grade)."""

    at: date
    case: str | None
    outstanding: int
    #: 1年内返済予定額: the repayments due in the 12 months after ``at``.
    due_within_year: int

    @property
    def due_after_year(self) -> int:
        return self.outstanding - self.due_within_year


def obligation(cases: Sequence[GradeCase], at: date, case: str | None = None) -> Obligation:
    """The obligation at ``at`` under ``case`` (each phase under it, or under the plan's grade
    where it has no such case; ``None``: the plan's grade), summed over the phases:

    - outstanding = floor(A_at × share) − repaid_at, A_at the advances received by ``at``
      and share the case's (1 for S/A/B and 開発中止, 10% for C), repaid_at the payments due
      by ``at``: under S/A/B, the advances received less what is repaid (SPEC §9); under
      C, the 10% it would repay of what has been received;
    - due within a year (1年内返済予定額) = the payments due in (at, add_months(at, 12)].

    >>> from astep_calc.phases import Phase, Plan, evaluate
    >>> from astep_calc.repayment import Terms
    >>> from astep_calc.rulebook import load_rulebook
    >>> plan = evaluate(load_rulebook(), Plan((Phase("jisso", date(2027, 4, 1), date(2028, 3, 31),
    ...     amount=100_000_000, terms=Terms(every_months=12)),)))   # 10 × 10,000,000 from 2029-03-31
    >>> cases = plan_cases(plan)
    >>> obligation(cases, date(2027, 12, 31))     # three advances of 25,000,000 received
    Obligation(at=datetime.date(2027, 12, 31), case=None, outstanding=75000000, due_within_year=0)
    >>> obligation(cases, date(2027, 12, 31), "C").outstanding      # floor(75,000,000 × 10%)
    7500000
    >>> obligation(cases, date(2029, 3, 31))      # 100,000,000 − 10,000,000; the next one 2030-03-31
    Obligation(at=datetime.date(2029, 3, 31), case=None, outstanding=90000000, due_within_year=10000000)
    """
    horizon = add_months(at, 12)
    outstanding = due = 0
    for c in in_case(cases, case):
        received = sum(a for d, a in c.advances if d <= at)
        repaid = sum(p.amount for p in c.schedule.payments if p.due <= at)
        outstanding += apply_rate(received, c.schedule.grade.share, Rounding.FLOOR) - repaid
        due += sum(p.amount for p in c.schedule.payments if at < p.due <= horizon)
    return Obligation(at, case, outstanding, due)


@dataclass(frozen=True)
class YearEndObligation:
    """The obligation at a fiscal year's end (3/31): under the plan's grade, and, while a
    phase's 事後評価 is still to come (its development under way at that date, no stop),
    under every grade case beside it (S/A/B, C): the grade is not known yet."""

    fiscal_year: int
    plan: Obligation
    by_case: tuple[Obligation, ...]


def year_end_obligation(cases: Sequence[GradeCase], fiscal_year: int) -> YearEndObligation:
    """:func:`obligation` at March 31 closing ``fiscal_year``; ``by_case`` while a phase's
    development runs on past that day (start ≤ 3/31 < development end, no stop).

    >>> from astep_calc.phases import Phase, Plan, evaluate
    >>> from astep_calc.rulebook import load_rulebook
    >>> plan = evaluate(load_rulebook(), Plan((Phase("jisso", date(2026, 10, 1), date(2028, 3, 31),
    ...     amount=60_000_000),)))   # 6 quarters × 10,000,000
    >>> y = year_end_obligation(plan_cases(plan), 2026)
    >>> y.plan.outstanding, [(o.case, o.outstanding) for o in y.by_case]
    (20000000, [('S/A/B', 20000000), ('C', 2000000)])
    >>> year_end_obligation(plan_cases(plan), 2027).by_case   # 2028-03-31 is the development end
    ()
    """
    at = FiscalYear(fiscal_year).end
    pending = any(c.own and c.phase.phase.stop is None and c.phase.phase.start <= at < c.phase.phase.end for c in cases)
    names = case_names(c for c in cases if not c.discontinued) if pending else ()
    return YearEndObligation(fiscal_year, obligation(cases, at), tuple(obligation(cases, at, k) for k in names))


# ---------------------------------------------------------------------------------------
# The whole company view


@dataclass(frozen=True)
class CompanyYear:
    """One projected fiscal year: the projection, the A-STEP flows in it, cash at its end with
    and without them, its repayments and their coverage, the obligation at its end."""

    projection: Projection
    astep: int
    cash_end: int
    cash_end_without: int
    repaid: int
    coverage: Decimal | None
    obligation: YearEndObligation

    @property
    def fiscal_year(self) -> int:
        return self.projection.fiscal_year

    @property
    def operating(self) -> int:
        return self.projection.operating

    @property
    def investing(self) -> int:
        return self.projection.investing

    @property
    def financing(self) -> int:
        return self.projection.financing

    @property
    def outstanding(self) -> int:
        return self.obligation.plan.outstanding

    @property
    def due_within_year(self) -> int:
        return self.obligation.plan.due_within_year


@dataclass(frozen=True)
class CompanyResult:
    """The company's side of a plan (SPEC §9), with its violations and assumptions."""

    company: Company
    flows: tuple[AstepFlow, ...]
    months: tuple[MonthEnd, ...]
    years: tuple[CompanyYear, ...]
    runway: Runway
    violations: tuple[Violation, ...]
    assumptions: tuple[Text | Assumption, ...]


def evaluate_company(plan: Evaluation, company: Company) -> CompanyResult:
    """The company's cash with and without A-STEP, runway, coverage and obligation per
    fiscal year, and the rules ``company.cash`` and ``company.coverage``; see the module's
    docstring. An A-STEP flow in a fiscal year the projections miss is an :class:`InputError`,
    and so are projections not given.

    >>> from astep_calc.phases import Phase, Plan, evaluate
    >>> from astep_calc.rulebook import load_rulebook
    >>> plan = evaluate(load_rulebook(), Plan((Phase("stage1", date(2027, 4, 1), date(2028, 3, 31)),)))
    >>> evaluate_company(plan, Company(cash=1, flows=()))
    Traceback (most recent call last):
    ...
    astep_calc.text.InputError: the company's projections are not given: write them in [company.flows], one table per fiscal year, or give them with astep plan --company FILE
    """
    if not company.flows:
        raise InputError(
            "the company's projections are not given: write them in [company.flows], one table per fiscal year, "
            "or give them with astep plan --company FILE",
            "会社の収支見込みがありません。[company.flows] に年度ごとに書くか、astep plan --company FILE で"
            "指定してください",
            field="company.flows",
        )
    flows = astep_flows(plan, company)
    months = month_end_cash(company, flows)
    cases = plan_cases(plan)
    astep_by_year: dict[int, int] = defaultdict(int)
    repaid_by_year: dict[int, int] = defaultdict(int)
    for f in flows:
        astep_by_year[fiscal_year_of(f.date)] += f.amount
        if f.kind == "repayment":
            repaid_by_year[fiscal_year_of(f.date)] -= f.amount
    years = []
    for p in company.flows:
        last = months[(p.fiscal_year - company.flows[0].fiscal_year) * 12 + 11]
        repaid = repaid_by_year.get(p.fiscal_year, 0)
        years.append(
            CompanyYear(
                p,
                astep_by_year.get(p.fiscal_year, 0),
                last.cash,
                last.cash_without,
                repaid,
                coverage(p.operating, repaid) if repaid > 0 else None,
                year_end_obligation(cases, p.fiscal_year),
            )
        )
    violations = cash_violations(months, company.min_cash)
    if company.coverage is not None:
        violations += coverage_violations(years, company.coverage)
    return CompanyResult(
        company,
        flows,
        months,
        tuple(years),
        runway(months, company.min_cash),
        violations,
        company_assumptions(plan, company),
    )


# ---------------------------------------------------------------------------------------
# What the figures assume, in words

PROJECTIONS_ASSUMPTION = Text(
    "The company's projections are its whole spending, the development included, without any A-STEP "
    "money: cash without A-STEP shows the gap that the A-STEP money fills",
    "会社の収支見込みは、開発費を含む支出のすべてで、A-STEPの資金を含まない。「A-STEPなし」の現預金は、"
    "A-STEPの資金で埋める不足額を示す",
)
SPREAD_ASSUMPTION = Text(
    "Monthly spread: a fiscal year's net projection (operating + investing + financing) falls on its 12 "
    "month-ends. The total up to the i-th month (April the first) is the year's amount × i ÷ 12, rounded down "
    "to the whole yen below (a negative amount too), and each month gets its total less the month before's, "
    "so the 12 months add up to the year exactly",
    "月次への配分：各年度の収支見込みの合計（営業CF＋投資CF＋財務CF）を12の月末に配分する。4月から i か月目までの"
    "累計を「年度の額×i÷12」の1円未満を小さい方の整数に切り下げた額（マイナスの額も同じ）とし、各月の額はその月までの"
    "累計と前月までの累計の差。12か月の合計は年度の額に一致する",
)
FLOWS_ASSUMPTION = Text(
    "A-STEP money in the company's cash, counted at the end of its month on its (business-day-moved) date: "
    "+ each 実装支援 advance, − each repayment under the plan's grade, − a Stage II matching contribution, "
    "spread as the projections are over the months of its fiscal year that the phase runs in (a partial month "
    "whole). Stage I/II grants go to the university and never enter the company's cash",
    "A-STEPの資金の出入りは、各日付（営業日調整後）の属する月の月末に計上：実装支援の前払いを＋、計画の評価による"
    "返済を−、ステージⅡのマッチング（自己資金）を−とし、マッチングはその年度のうちフェーズを実施する月（月の途中から"
    "始まる月も1か月と数える）に収支見込みと同じ方法で配分する。ステージⅠ／Ⅱのグラントは大学等に支払われ、会社の"
    "現預金には入らない",
)
DEPOSIT_ASSUMPTION = Assumption(
    Text(
        "Collateral as a deposit (collateral_kind = deposit): the cash leaves at the development start and "
        "comes back on its release",
        "担保は預金等の差入れ（collateral_kind = deposit）：開発開始日に現預金から差し入れ、解除日に戻る",
    ),
    "company.collateral_kind",
)
RUNWAY_ASSUMPTION = Assumption(
    Text(
        "Cash lasts to the last month-end before the first one under the minimum cash (min_cash, default 0); "
        '"beyond the projections" means it never falls under it up to the last projected month, so how much '
        "longer it lasts is not known. The months A-STEP adds count such a series to that last month: then "
        "it adds at least that many",
        "資金が続く月：月末の現預金が最低残高（min_cash、既定0円）を初めて下回る月の前月。「見込み期間を超えて続く」は、"
        "収支見込みの最終月まで下回らないことを示し、それ以後は分からない。A-STEPにより延びる月数は、その場合は"
        "最終月までで数え、少なくともその月数",
    ),
    "company.min_cash",
)
COVERAGE_ASSUMPTION = COMPANY_COVERAGE.explain()
OBLIGATION_ASSUMPTION = Text(
    "Obligation at each fiscal year end (3/31): the outstanding amount = the advances received × the share "
    "the grade repays (all of it under S/A/B, 10% under C, rounded down to the yen) − what is repaid by then; "
    "1年内返済予定額 = the repayments due in the next 12 months. Until the post-evaluation (事後評価, at the "
    "development end) it is shown under every grade beside the plan's: the grade is not known yet",
    "各年度末（3月31日）の返済義務：残高＝受け取った前払額×評価による返済割合（S/A/Bは全額、Cは10％、1円未満切り捨て）"
    "−その日までの返済額。1年内返済予定額＝翌日から12か月以内に期日が来る返済額。事後評価（開発終了時）までは"
    "評価が決まっていないため、計画の評価のほか各評価による額も示す",
)


def guarantee_assumption(fee: Fraction) -> Assumption:
    """The guarantee fee, its dates and its rounding (SPEC §2: a payment owed at a rate is
    rounded down)."""
    r = percent(fee)
    return Assumption(
        Text(
            f"Guarantee (collateral_kind = guarantee): no cash is deposited; a fee of {r.en} of the guaranteed "
            "amount is paid at the development start and at each anniversary before the release, rounded down "
            "to the yen (a payment owed at a rate, in the payer's favour)",
            f"保証（collateral_kind = guarantee）：現預金の差入れはなく、保証額の{r.ja}の保証料を開発開始日と、解除日より前の"
            "毎年の応当日に支払う（率による支払額のため1円未満切り捨て。支払う側に有利な端数処理）",
        ),
        "company.guarantee_fee",
    )


def company_assumptions(plan: Evaluation, company: Company) -> tuple[Text | Assumption, ...]:
    """What the company figures assume, for this plan and company."""
    from astep_calc.cashflow import RELEASE_ASSUMPTION

    out: list[Text | Assumption] = [PROJECTIONS_ASSUMPTION, SPREAD_ASSUMPTION, FLOWS_ASSUMPTION]
    if any(r.kind == "jisso" for r in plan.phases):
        if company.collateral_kind == "deposit":
            out.append(DEPOSIT_ASSUMPTION)
        else:
            out.append(guarantee_assumption(company.fee))
        out.append(RELEASE_ASSUMPTION)
    out += [RUNWAY_ASSUMPTION, COVERAGE_ASSUMPTION]
    if any(r.kind == "jisso" for r in plan.phases):
        out.append(OBLIGATION_ASSUMPTION)
    return tuple(out)


__all__ = [
    "COLLATERAL_KINDS",
    "COVERAGE_ASSUMPTION",
    "FLOWS_ASSUMPTION",
    "FLOW_KINDS",
    "FLOW_LABELS",
    "OBLIGATION_ASSUMPTION",
    "PROJECTIONS_ASSUMPTION",
    "RUNWAY_ASSUMPTION",
    "SPREAD_ASSUMPTION",
    "AstepFlow",
    "CollateralKind",
    "Company",
    "CompanyResult",
    "CompanyYear",
    "FlowKind",
    "GradeCase",
    "MonthEnd",
    "Obligation",
    "Projection",
    "Runway",
    "YearEndObligation",
    "astep_flows",
    "case_names",
    "cash_lasts_to",
    "cash_violations",
    "company_assumptions",
    "coverage",
    "coverage_holds",
    "coverage_violations",
    "evaluate_company",
    "grade_cases",
    "guarantee_assumption",
    "guarantee_fees",
    "in_case",
    "matching_flows",
    "month_end_cash",
    "month_key",
    "obligation",
    "plan_cases",
    "require_covered",
    "runway",
    "spread",
    "year_end_obligation",
]
