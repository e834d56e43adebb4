"""Multi-phase plans (SPEC §7): Stage I → stage gate → Stage II → 実装支援 as one plan.

A :class:`Plan` holds :class:`Phase` values one after another. :func:`evaluate`
checks every phase with the core the single commands use (``fiscal_year_caps`` and the
request check for the stage menus; ``advances``, ``collateral`` and ``schedule`` /
``custom_schedule`` for 実装支援) — never a second copy of a rule — and adds the rules
between phases: ``phase.overlap`` (two phases overlap) and ``phase.gate`` (a menu that
must follow another, ``stage2-gate`` after ``stage1``, has none before it). Every
violation is tagged with its phase.

>>> from astep_calc.rulebook import load_rulebook
>>> rb = load_rulebook()
>>> model = Plan((Phase("stage1", date(2026, 7, 1), date(2028, 12, 31)),
...                    Phase("stage2-gate", date(2028, 10, 1), date(2032, 9, 30))))
>>> [(v.rule, v.phase) for v in evaluate(rb, model).violations]
[('phase.overlap', 2)]
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from fractions import Fraction
from typing import Any, Literal

from astep_calc.budget import BudgetPlan, Proration, fiscal_year_caps
from astep_calc.business_days import BusinessDay
from astep_calc.checks import (
    BUDGET_FY_CAP,
    BUDGET_MATCHING,
    BUDGET_OUTSIDE_PERIOD,
    COLLATERAL_MIN,
    MATCHING_UNCHECKED,
    PHASE_GATE,
    PHASE_OVERLAP,
)
from astep_calc.dates import fiscal_year_label, fiscal_year_of
from astep_calc.jisso import (
    Advance,
    Disbursement,
    advances,
    advances_until,
    collateral,
    collateral_assumptions,
    paid_until,
)
from astep_calc.money import Rounding, apply_rate, format_yen, percent
from astep_calc.periods import require_order
from astep_calc.repayment import Schedule, Terms, custom_schedule, schedule
from astep_calc.rulebook import Menu, Rulebook
from astep_calc.text import Assumption, InputError, Lang, Text, Violation

Kind = Literal["annual", "jisso"]


@dataclass(frozen=True)
class Phase:
    """One phase of a plan: a menu over a period and its money.

    Stage menus (stage1, stage2, stage2-gate): ``budget`` (fiscal year, requested yen
    incl. 間接経費) and, for matching-fund menus, ``matching`` (fiscal year, the
    companies' own contribution). 実装支援 (jisso): ``amount`` (total development
    cost), ``collateral`` posted (``None``: exactly the required 10%), the repayment
    ``terms`` or explicit ``payments``, an optional ``stop`` (開発中止 or a milestone
    grade C on that date) and ``collateral_release`` (default: the last repayment).
    ``indirect_rate`` ``None`` means the plan's, then the rulebook's.

    >>> Phase("jisso", date(2026, 4, 1), date(2029, 3, 31), amount=1, stop=date(2030, 1, 1))
    Traceback (most recent call last):
    ...
    astep_calc.text.InputError: the stop date 2030-01-01 is outside the development period 2026-04-01 to 2029-03-31
    """

    menu: str
    start: date
    end: date
    budget: tuple[tuple[int, int], ...] = ()
    matching: tuple[tuple[int, int], ...] = ()
    indirect_rate: Fraction | None = None
    amount: int | None = None
    collateral: int | None = None
    terms: Terms = field(default_factory=Terms)
    payments: tuple[tuple[date, int], ...] = ()
    stop: date | None = None
    collateral_release: date | None = None

    def __post_init__(self) -> None:
        require_order(self.start, self.end)  # an end before the start is unusable (field "end")
        for name, rows in (("budget", self.budget), ("matching", self.matching)):
            years = [fy for fy, _ in rows]
            if len(set(years)) != len(years):
                raise InputError(f"{name}: a fiscal year appears twice", f"{name}：同じ年度が2回あります", field=name)
            if any(a < 0 for _, a in rows):
                raise InputError(
                    f"{name}: amounts must not be negative", f"{name}：金額は0円以上にしてください", field=name
                )
        for name, value in (("amount", self.amount), ("collateral", self.collateral)):
            if value is not None and value < 0:
                raise InputError(f"{name} must not be negative", f"{name} は0円以上にしてください", field=name)
        if self.stop is not None and not self.start <= self.stop <= self.end:
            raise InputError(
                f"the stop date {self.stop.isoformat()} is outside the development period "
                f"{self.start.isoformat()} to {self.end.isoformat()}",
                f"中止日 {self.stop.isoformat()} が開発期間 {self.start.isoformat()}〜{self.end.isoformat()} の外です",
                field="stop",
            )
        if self.collateral_release is not None and self.collateral_release < self.start:
            raise InputError(
                f"the collateral cannot be released on {self.collateral_release.isoformat()}, before it is "
                f"posted at the development start {self.start.isoformat()}",
                f"担保の解除日 {self.collateral_release.isoformat()} が設定日（開発開始日 {self.start.isoformat()}）より前です",
                field="collateral_release",
            )

    @property
    def last_day(self) -> date:
        """The last day of the phase's work: the stop date when development stopped early."""
        return self.stop if self.stop is not None else self.end


@dataclass(frozen=True)
class Plan:
    """A whole plan: its phases in order, and the settings they share.

    ``discount_rate`` values every 実装支援 phase's loan at ``value_date`` (``None``:
    each phase's development start). ``proration``, ``prorate_last`` and
    ``round_unit`` go to every stage phase's caps (``None``: the budget core's default).
    """

    phases: tuple[Phase, ...]
    title: str | None = None
    indirect_rate: Fraction | None = None
    discount_rate: Fraction | None = None
    value_date: date | None = None
    proration: Proration | None = None
    prorate_last: bool | None = None
    round_unit: int | None = None
    #: How advance and due dates on a closed day move (every 実装支援 phase).
    business_day: BusinessDay = BusinessDay.NONE
    #: The plan lists its phases (a roadmap): the rules between phases apply. A plan file of
    #: one menu at its top is not a roadmap: its stage2-gate plan needs no stage1 beside it.
    phased: bool = True

    def __post_init__(self) -> None:
        if not self.phases:
            raise InputError(
                "a plan needs at least one phase",
                "計画ファイルには1つ以上のフェーズが必要です。[[phase]] を追加してください",
                field="phase",
            )


@dataclass(frozen=True)
class PhaseViolation(Violation):
    """A violation tagged with the phase (1-based) it belongs to; ``text`` names the phase,
    ``detail`` is the rule's own message."""

    phase: int = 0
    menu: str = ""
    detail: Text | None = None


def phase_label(no: int, menu: Menu) -> Text:
    """``Phase 2 (stage2-gate)`` / ``フェーズ2（ステージⅡ（移行））``: English
    names the menu by the id a plan gives, Japanese by the menu's short name.

    >>> from astep_calc.rulebook import load_rulebook
    >>> phase_label(1, load_rulebook().menu("stage1"))
    Text(en='Phase 1 (stage1)', ja='フェーズ1（ステージⅠ）')
    """
    return Text(f"Phase {no} ({menu.id})", f"フェーズ{no}（{menu.short.ja}）")


def tag(violation: Violation, no: int, menu: Menu) -> PhaseViolation:
    """The violation, its message led by the phase it belongs to, its key within that [[phase]]."""
    label = phase_label(no, menu)
    key = f"phase[{no - 1}]" + (f".{violation.key}" if violation.key else "")
    return PhaseViolation(
        violation.rule,
        Text(f"{label.en}: {violation.text.en}", f"{label.ja}：{violation.text.ja}"),
        key,
        {"phase": no, **violation.details},
        phase=no,
        menu=menu.id,
        detail=violation.text,
    )


@dataclass(frozen=True)
class PhaseResult:
    """One phase checked, with the single commands' results for it."""

    no: int
    phase: Phase
    menu: Menu
    violations: tuple[Violation, ...]
    assumptions: tuple[Text | Assumption, ...]
    caps: BudgetPlan | None = None
    disbursement: Disbursement | None = None
    schedule: Schedule | None = None
    collateral_required: int | None = None

    @property
    def kind(self) -> Kind:
        return "annual" if self.caps is not None else "jisso"

    def label(self, lang: Lang) -> str:
        return phase_label(self.no, self.menu).in_lang(lang)

    @property
    def jst_by_fiscal_year(self) -> tuple[tuple[int, int], ...]:
        """JST's money per fiscal year: a stage phase's request for the year, or its cap when
        the plan gives none; a 実装支援 phase's advances paid in the year."""
        out: dict[int, int] = defaultdict(int)
        if self.caps is not None:
            requested = dict(self.phase.budget)
            for row in self.caps.rows:
                out[row.fiscal_year] = requested.pop(row.fiscal_year, row.cap)
            out.update(requested)  # requests outside the period (budget.outside_period) still count
        else:
            for a in self.paid_advances:
                out[fiscal_year_of(a.date)] += a.amount
        return tuple(sorted(out.items()))

    @property
    def jst_total(self) -> int:
        return sum(a for _, a in self.jst_by_fiscal_year)

    @property
    def company_total(self) -> int:
        return sum(a for _, a in self.phase.matching)

    @property
    def matching_ratio(self) -> Fraction | None:
        """The companies' contribution as a share of JST's money (``None`` without either)."""
        if not self.phase.matching or not self.jst_total:
            return None
        return Fraction(self.company_total, self.jst_total)

    @property
    def paid_advances(self) -> tuple[Advance, ...]:
        """The advances JST pays: all of them, or those dated on or before the stop date."""
        if self.disbursement is None:
            return ()
        if self.phase.stop is None:
            return self.disbursement.advances
        return advances_until(self.disbursement, self.phase.stop)

    @property
    def paid(self) -> int:
        """What JST paid (P of the repayment): all the advances, or with a stop ``paid_until`` it."""
        if self.disbursement is None:
            return 0
        if self.phase.stop is None:
            return self.disbursement.total
        return paid_until(self.disbursement, self.phase.stop)

    @property
    def collateral_posted(self) -> int:
        """The collateral posted at the development start: as given, else exactly the required."""
        if self.phase.collateral is not None:
            return self.phase.collateral
        return self.collateral_required or 0

    @property
    def collateral_released_on(self) -> date | None:
        """When the collateral comes back: ``collateral_release``, else the last repayment's due date."""
        if self.schedule is None:
            return None
        return self.phase.collateral_release or self.schedule.last_due


@dataclass(frozen=True)
class Evaluation:
    """A plan checked: every phase's result and every violation, tagged with its phase."""

    model: Plan
    phases: tuple[PhaseResult, ...]
    violations: tuple[PhaseViolation, ...]
    assumptions: tuple[Text | Assumption, ...]
    rules: Rulebook = field(repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return not self.violations


def evaluate(rules: Rulebook, model: Plan) -> Evaluation:
    """Check every phase and the rules between them; see the module's docstring."""
    results = tuple(evaluate_phase(rules, model, no, phase) for no, phase in enumerate(model.phases, start=1))
    between = _between_phases(rules, results) if model.phased else {}
    violations: list[PhaseViolation] = []
    for r in results:
        violations += between.get(r.no, [])
        violations += [tag(v, r.no, r.menu) for v in r.violations]
    assumptions: list[Text | Assumption] = []
    for r in results:
        assumptions += [a for a in r.assumptions if a not in assumptions]
    if model.phased:
        assumptions += _gate_gaps(results)
    return Evaluation(model, results, tuple(violations), tuple(assumptions), rules)


#: The last phase evaluated, and its result: reading a plan file evaluates each phase to
#: refuse an impossible layout, and checking the file right after asks for the same phase,
#: whose schedule need not be laid out again (``astep check`` over thousands of plans).
_LAST: list[tuple[Rulebook, Plan, int, Phase, PhaseResult]] = []


def evaluate_phase(rules: Rulebook, model: Plan, no: int, phase: Phase) -> PhaseResult:
    """One phase's own checks, through the functions ``astep budget`` / ``disburse`` / ``repay`` use."""
    if _LAST:
        last_rules, last_model, last_no, last_phase, result = _LAST[0]
        if last_rules is rules and last_no == no and last_phase == phase and last_model == model:
            return result
    result = _evaluate_phase(rules, model, no, phase)
    _LAST[:] = [(rules, model, no, phase, result)]
    return result


def _evaluate_phase(rules: Rulebook, model: Plan, no: int, phase: Phase) -> PhaseResult:
    menu = rules.menu(phase.menu)
    if menu.cap_kind == "annual":
        return _annual(rules, model, no, phase, menu)
    if menu.fund_type == "repayable":
        return _jisso(rules, no, phase, menu, model.business_day)
    raise InputError(
        f"menu {menu.id!r} has neither a cap per fiscal year nor repayment",
        f"メニュー「{menu.id}」には年度別の上限も返済もありません。ルールブックを確認してください",
        field="menu",
    )


def _not_for(menu: Menu, names: list[str]) -> InputError:
    return InputError(
        f"{', '.join(names)} do not apply to menu {menu.id!r}",
        f"メニュー「{menu.id}」では {'、'.join(names)} は使えません。削除してください",
        field=names[0],
    )


def _annual(rules: Rulebook, model: Plan, no: int, phase: Phase, menu: Menu) -> PhaseResult:
    extra = [
        name
        for name, given in (
            ("amount", phase.amount is not None),
            ("collateral", phase.collateral is not None),
            ("payments", bool(phase.payments)),
            ("stop", phase.stop is not None),
            ("collateral_release", phase.collateral_release is not None),
        )
        if given
    ]
    if extra:
        raise _not_for(menu, extra)
    if phase.matching and menu.fund_type != "matching":
        raise InputError(
            f"matching applies to matching-fund menus (Stage II), not to {menu.id!r} ({menu.fund_type})",
            f"matching（企業等の自己資金）はマッチングファンドのメニュー（ステージⅡ）にだけ指定できます。"
            f"「{menu.id}」のフェーズからは削除してください",
            field="matching",
        )
    options: dict[str, Any] = {}
    if model.proration is not None:
        options["proration"] = model.proration
    if model.prorate_last is not None:
        options["prorate_last"] = model.prorate_last
    if model.round_unit is not None:
        options["round_unit"] = model.round_unit
    rate = phase.indirect_rate if phase.indirect_rate is not None else model.indirect_rate
    caps = fiscal_year_caps(rules, menu.id, phase.start, phase.end, indirect_rate=rate, **options)
    found = list(caps.violations)
    if caps.rows:  # with the dates reversed there are no fiscal years to compare
        found += request_violations(caps, phase.budget)
    result = PhaseResult(no, phase, menu, (), (), caps=caps)
    found += _matching_violations(result)
    assumptions: list[Text | Assumption] = [*caps.assumptions, BUDGET_FY_CAP.explain()]
    assumptions += _caps_taken(caps, phase, phase_label(no, menu) if model.phased else None)
    if phase.matching:
        minimum = menu.matching_min_ratio
        assumptions.append(MATCHING_UNCHECKED if minimum is None else BUDGET_MATCHING.explain(ratio=percent(minimum)))
    return replace(result, violations=tuple(found), assumptions=tuple(assumptions))


def _caps_taken(caps: BudgetPlan, phase: Phase, label: Text | None) -> list[Assumption]:
    """A note for each fiscal year of the period that ``[budget]`` gives no request for: its
    cap is taken as JST's money that year (in the cash flow, and in the plan's totals)."""
    requested = {fy for fy, _ in phase.budget}
    missing = [r for r in caps.rows if r.fiscal_year not in requested]
    if not missing:
        return []
    who = Text(f"{label.en}: ", f"{label.ja}：") if label else Text("", "")
    if not phase.budget:
        text = Text(
            f"{who.en}no [budget] is given: each fiscal year's cap is taken as its request, JST's money that year",
            f"{who.ja}[budget] の指定がないため、各年度の上限額をその年度の申請額（JSTからの資金）とみなす",
        )
    else:
        years = Text(
            " and ".join(f"FY{r.fiscal_year}" for r in missing), "・".join(f"{r.fiscal_year}年度" for r in missing)
        )
        amounts = Text(
            ", ".join(f"FY{r.fiscal_year} {format_yen(r.cap)} yen" for r in missing),
            "、".join(f"{r.fiscal_year}年度{format_yen(r.cap)}円" for r in missing),
        )
        one = len(missing) == 1
        text = Text(
            f"{who.en}[budget] gives no request for {years.en}: "
            + (f"its cap, {format_yen(missing[0].cap)} yen, is" if one else f"their caps ({amounts.en}) are")
            + f" taken as JST's money {'that year' if one else 'those years'}",
            f"{who.ja}[budget] に{years.ja}の申請額がないため、上限額（{amounts.ja}）をその年度のJSTからの資金とみなす",
        )
    return [Assumption(text, "budget")]


def _gate_gaps(results: tuple[PhaseResult, ...]) -> list[Text]:
    """A note for a phase entered through the stage gate that starts after a break from the
    phase it follows: the brochure's gate lets a project move on 切れ目なく (without a break)."""
    out: list[Text] = []
    for r in results:
        need = r.menu.follows
        before = [p for p in results if p is not r and p.menu.id == need and p.phase.last_day < r.phase.start]
        if need is None or not before:
            continue
        p = max(before, key=lambda x: x.phase.last_day)
        first_gap, last_gap = p.phase.last_day + timedelta(days=1), r.phase.start - timedelta(days=1)
        if first_gap > last_gap:
            continue
        days = (last_gap - first_gap).days + 1
        a, b = phase_label(r.no, r.menu), phase_label(p.no, p.menu)  # b in Japanese; English says "phase N"
        span_en, span_ja = (
            f"{first_gap.isoformat()} to {last_gap.isoformat()}",
            f"{first_gap.isoformat()}〜{last_gap.isoformat()}",
        )
        out.append(
            Text(
                f"{a.en} starts on {r.phase.start.isoformat()}, after a break of {days} day{'s' if days != 1 else ''} "
                f"({span_en}) from the end of phase {p.no} ({p.menu.id}). The brochure's stage gate lets a "
                "project found fit move on without a break (「移行可と評価された場合には切れ目なく研究実施することが可能」)",
                f"{a.ja}の開始日{r.phase.start.isoformat()}と{b.ja}の終了日{p.phase.last_day.isoformat()}の間に"
                f"{days}日の空白（{span_ja}）がある。パンフレットでは、ステージゲート評価で移行可と評価された場合は"
                "「切れ目なく研究実施することが可能」",
            )
        )
    return out


def _matching_violations(result: PhaseResult) -> list[Violation]:
    """``budget.outside_period`` for a contribution outside the phase's fiscal years;
    ``budget.matching`` when the rulebook sets a minimum share and the phase is under it."""
    assert result.caps is not None
    out: list[Violation] = []
    years = {r.fiscal_year for r in result.caps.rows}
    for fy, amount in result.phase.matching:
        if fy not in years and amount:
            out.append(
                Violation(
                    BUDGET_OUTSIDE_PERIOD.id,
                    Text(
                        f"{fiscal_year_label(fy).en}: a matching contribution of {format_yen(amount)} yen for a fiscal "
                        "year the phase does not run in",
                        f"{fiscal_year_label(fy).ja}：実施期間外の年度に企業等の自己資金{format_yen(amount)}円を計上しています",
                    ),
                    f"matching.{fy}",
                    {"fiscal_year": fy, "requested": amount},
                )
            )
    minimum = result.menu.matching_min_ratio
    if minimum is not None:
        jst, company = result.jst_total, result.company_total
        required = apply_rate(jst, minimum, Rounding.CEIL)  # a minimum the company must provide: ceil
        if company < required:
            out.append(
                Violation(
                    BUDGET_MATCHING.id,
                    Text(
                        f"the companies' contribution of {format_yen(company)} yen is under {percent(minimum).en} of "
                        f"JST's {format_yen(jst)} yen ({format_yen(required)} yen); short by {format_yen(required - company)} yen",
                        f"企業等の自己資金{format_yen(company)}円は、JSTからの資金{format_yen(jst)}円の{percent(minimum).ja}"
                        f"（{format_yen(required)}円）に{format_yen(required - company)}円不足しています",
                    ),
                    "matching",
                    {"jst": jst, "matching": company, "required": required, "shortfall": required - company},
                )
            )
    return out


def _jisso(rules: Rulebook, no: int, phase: Phase, menu: Menu, business_day: BusinessDay) -> PhaseResult:
    extra = [
        name
        for name, given in (
            ("budget", bool(phase.budget)),
            ("matching", bool(phase.matching)),
            ("indirect_rate", phase.indirect_rate is not None),
        )
        if given
    ]
    if extra:
        raise _not_for(menu, extra)
    if phase.amount is None:
        raise InputError(
            f"a {menu.id} phase needs its total development cost (amount)",
            f"{menu.short.ja}のフェーズには開発費総額（amount）を指定してください",
            field="amount",
        )
    disbursement = advances(rules, phase.amount, phase.start, phase.end, business_day=business_day)
    required = collateral(rules, phase.amount)
    found = list(disbursement.violations)  # period.max, amount.max
    if phase.collateral is not None and phase.collateral < required:
        found.append(collateral_violation(rules, phase.amount, phase.collateral, required))
    result = PhaseResult(no, phase, menu, (), (), disbursement=disbursement, collateral_required=required)
    s = _repayment(rules, phase, result.paid, business_day)
    found += [v for v in s.violations if v not in found]  # amount.max is found by both
    assumptions = [
        *collateral_assumptions(rules),
        *s.assumptions,
        REPAYMENT_ASSUMPTION if phase.stop is None else _stop_assumption(phase.stop),
    ]
    return replace(result, violations=tuple(found), assumptions=tuple(assumptions), schedule=s)


def _repayment(rules: Rulebook, phase: Phase, paid: int, business_day: BusinessDay) -> Schedule:
    """The phase's schedule from its development end. Stopped (開発中止) on X: the advances paid up
    to X repaid in full, by default one lump sum one year after X; a layout or payments given for
    the grade ``discontinued`` are used as given."""
    if phase.stop is None:
        assert phase.amount is not None
        if phase.payments:
            return custom_schedule(
                rules, phase.amount, phase.end, list(phase.payments), phase.terms.grade, business_day=business_day
            )
        return schedule(rules, phase.amount, phase.end, phase.terms, business_day=business_day)
    rp = rules.jisso.repayment
    discontinued = rp.discontinued_grade  # the rulebook names its 開発中止 grade
    explicit = phase.terms.grade is not None and rp.is_discontinued(rp.grade(phase.terms.grade))
    if explicit and phase.payments:
        return custom_schedule(rules, paid, phase.stop, list(phase.payments), discontinued, business_day=business_day)
    # The repayment core lays out 開発中止: one lump sum unless installments are asked for.
    return schedule(
        rules, paid, phase.stop, phase.terms if explicit else Terms(grade=discontinued), business_day=business_day
    )


def _stop_assumption(stop: date) -> Text:
    return Text(
        f"Development stopped on {stop.isoformat()} (開発中止): JST pays only the advances dated on or before "
        "it, and that amount is repaid in full from the stop date, by default as one lump sum a year later",
        f"{stop.isoformat()}に開発中止：JSTの前払いは中止日以前の前払日の分のみ。その全額を中止日から起算して返済"
        "（既定は中止日の1年後に一括返済）",
    )


# ---------------------------------------------------------------------------------------
# The rules of one phase


REPAYMENT_ASSUMPTION = Text(
    "Repayment is measured from the development end (the plan's end) on the total development "
    "cost (amount), taken as what JST paid",
    "返済は計画ファイルの end（開発終了日）から起算し、開発費総額（amount）をJSTからの支払額とみなして計算",
)


def request_violations(caps: BudgetPlan, budget: tuple[tuple[int, int], ...]) -> list[Violation]:
    """``budget.outside_period`` and ``budget.fy_cap``: each request against its fiscal year's cap."""
    out: list[Violation] = []
    first, last = caps.rows[0].fiscal_year, caps.rows[-1].fiscal_year
    for year, requested in budget:
        row = caps.row(year)
        label = fiscal_year_label(year)
        fy_en, fy_ja = label.en, label.ja
        if row is None:
            if requested:
                out.append(
                    Violation(
                        BUDGET_OUTSIDE_PERIOD.id,
                        Text(
                            f"{fy_en}: {format_yen(requested)} yen requested for a fiscal year the project does not run in "
                            f"({caps.start.isoformat()} to {caps.end.isoformat()} covers FY{first} to FY{last})",
                            f"{fy_ja}：実施期間（{caps.start.isoformat()}〜{caps.end.isoformat()}、{first}〜{last}年度）"
                            f"外の年度に{format_yen(requested)}円を計上しています",
                        ),
                        f"budget.{year}",
                        {"fiscal_year": year, "requested": requested},
                    )
                )
        elif requested > row.cap:
            by_day = caps.proration is Proration.DAY
            share: dict[str, int] = {"days": row.days, "year_days": row.year_days} if by_day else {"months": row.months}
            how_en = how_ja = ""
            if row.prorated:
                how_en = (
                    f" (prorated for {row.days} of {row.year_days} days)"
                    if by_day
                    else f" (prorated for {row.months} of 12 months)"
                )
                how_ja = f"（{row.year_days}日中{row.days}日分で按分）" if by_day else f"（{row.months}か月分で按分）"
            out.append(
                Violation(
                    BUDGET_FY_CAP.id,
                    Text(
                        f"{fy_en}: the request of {format_yen(requested)} yen is over the cap of "
                        f"{format_yen(row.cap)} yen{how_en} by {format_yen(requested - row.cap)} yen",
                        f"{fy_ja}：申請額{format_yen(requested)}円は、上限額{format_yen(row.cap)}円{how_ja}を"
                        f"{format_yen(requested - row.cap)}円超えています",
                    ),
                    f"budget.{year}",
                    {
                        "fiscal_year": year,
                        "cap": row.cap,
                        "requested": requested,
                        "excess": requested - row.cap,
                        **share,
                    },
                )
            )
    return out


def collateral_violation(rules: Rulebook, amount: int, posted: int, required: int) -> Violation:
    """``collateral.min``: the collateral posted is under the required share of the cost."""
    rate = percent(rules.jisso.collateral_rate)
    return Violation(
        COLLATERAL_MIN.id,
        Text(
            f"the collateral or guarantee of {format_yen(posted)} yen is under the required "
            f"{format_yen(required)} yen ({rate.en} of the total development cost {format_yen(amount)} yen, "
            f"rounded up); short by {format_yen(required - posted)} yen",
            f"担保又は保証{format_yen(posted)}円は、必要額{format_yen(required)}円（開発費総額"
            f"{format_yen(amount)}円の{rate.ja}、1円未満切り上げ）に{format_yen(required - posted)}円不足しています",
        ),
        "collateral",
        {"collateral": posted, "required": required, "shortfall": required - posted, "amount": amount},
    )


# ---------------------------------------------------------------------------------------
# Rules between phases


def _between_phases(rules: Rulebook, results: tuple[PhaseResult, ...]) -> dict[int, list[PhaseViolation]]:
    """``phase.overlap`` for every pair of overlapping phases (tagged with the later one) and
    ``phase.gate`` for a menu that must follow another with no such phase starting before it.

    A stage2-gate phase that starts before its stage1 phase ends is one mistake, reported
    once, as the overlap; ``phase.gate`` is for a gate phase with no stage1 phase before it.
    """
    out: dict[int, list[PhaseViolation]] = defaultdict(list)
    for i, a in enumerate(results):
        for b in results[i + 1 :]:
            first, later = (a, b) if (a.phase.start, a.no) <= (b.phase.start, b.no) else (b, a)
            if later.phase.start <= first.phase.last_day:
                out[later.no].append(tag(_overlap(first, later), later.no, later.menu))
    for r in results:
        need = r.menu.follows
        if need is None:
            continue
        if not any(p.menu.id == need and p.phase.start < r.phase.start for p in results if p is not r):
            before = rules.menu(need).short.ja  # the rulebook checks that follows names a menu
            out[r.no].append(
                tag(
                    Violation(
                        PHASE_GATE.id,
                        Text(
                            f"it is entered from {need} through the stage gate, but no {need} phase comes before it "
                            f"(it starts {r.phase.start.isoformat()})",
                            f"ステージゲート評価を経て{before}から移行するメニューですが、"
                            f"その前（開始日{r.phase.start.isoformat()}より前）に{before}のフェーズがありません",
                        ),
                        "start",
                        {"menu": r.menu.id, "needs": need, "start": r.phase.start},
                    ),
                    r.no,
                    r.menu,
                )
            )
    return out


def _overlap(first: PhaseResult, later: PhaseResult) -> Violation:
    a, b = first.phase, later.phase
    until = min(a.last_day, b.last_day)
    s, e = a.start.isoformat(), a.last_day.isoformat()
    return Violation(
        PHASE_OVERLAP.id,
        Text(
            f"it overlaps phase {first.no} ({first.menu.id}, {s} to {e}) from {b.start.isoformat()} to "
            f"{until.isoformat()}; a phase starts after the one before it ends",
            f"フェーズ{first.no}（{first.menu.short.ja}、{s}〜{e}）と{b.start.isoformat()}〜{until.isoformat()}が"
            "重なっています。前のフェーズの終了後に開始してください",
        ),
        "start",
        {"other_phase": first.no, "overlap_start": b.start, "overlap_end": until},
    )


__all__ = [
    "Evaluation",
    "Phase",
    "PhaseResult",
    "PhaseViolation",
    "Plan",
    "evaluate",
    "evaluate_phase",
    "phase_label",
    "tag",
]
