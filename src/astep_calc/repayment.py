"""実装支援 (返済型) repayment: schedules by grade, custom schedules, present value (SPEC §5).

Brochure: S,A,B評価の場合：開発費の全額を返済・利率：無利子・返済期間：開発終了後、10年以内
（うち最長3年間の返済猶予可）・返済方法：一括又は分割／C評価の場合：開発費の10％を一括返済.

Every due date is ``add_months(E, D + k·p)`` from the development end E, never chained.

>>> from astep_calc.rulebook import load_rulebook
>>> s = schedule(load_rulebook(), 123_456_789, date(2028, 3, 31), Terms(deferral_months=36))
>>> len(s.payments), s.payments[0].amount, s.payments[0].due, s.payments[-1].due
(7, 17636685, datetime.date(2032, 3, 31), datetime.date(2038, 3, 31))
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction
from itertools import accumulate
from typing import Literal, NamedTuple, get_args

from astep_calc.business_days import BusinessDay, adjust_within, business_day_assumption, window_note
from astep_calc.checks import REPAY_DEFERRAL, REPAY_LUMP, REPAY_TERM, REPAY_TOTAL, REPAY_WINDOW
from astep_calc.dates import ONE_DAY, add_months, format_months, parse_date, parse_months, years_or_months
from astep_calc.jisso import Disbursement, amount_violations, paid_until, require_positive
from astep_calc.money import Rounding, apply_rate, format_yen, parse_yen, percent, unit_rounding
from astep_calc.reader import MAX_PAYMENTS
from astep_calc.rulebook import Grade, RepaymentRules, Rulebook, grade_label
from astep_calc.text import Assumption, InputError, Text, Violation, did_you_mean, not_one_of, quoted

#: Repayment frequencies: name → months between payments.
FREQUENCIES = {"year": 12, "half": 6, "quarter": 3, "month": 1}

Remainder = Literal["first", "last"]
REMAINDERS: tuple[Remainder, ...] = get_args(Remainder)

#: The fields that lay out a generated schedule; a payment list gives the whole schedule
#: instead, so it takes none of them.
LAYOUT_FIELDS = ("deferral", "term", "every", "lump", "due", "remainder", "unit")
#: Every field :func:`terms_from` reads.
TERMS_FIELDS = ("grade", *LAYOUT_FIELDS, "payments")


@dataclass(frozen=True)
class Terms:
    """How a generated schedule is laid out; ``term_months=None`` means the rulebook's maximum.

    ``every_months`` p, ``deferral_months`` D and ``term_months`` T give
    N = (T − D) / p installments; ``lump`` makes one payment; ``due`` moves a lump or
    grade-C payment; ``remainder`` puts P − N·base on the first or last installment;
    installments are multiples of ``unit`` yen. Checked when built: an impossible value
    raises :class:`InputError` naming its field.

    >>> Terms(remainder="middle")
    Traceback (most recent call last):
    ...
    astep_calc.text.InputError: 'middle' is not one of first, last
    >>> Terms(unit=0).unit
    Traceback (most recent call last):
    ...
    astep_calc.text.InputError: 0 yen is less than 1 yen
    """

    grade: str | None = None
    deferral_months: int = 0
    term_months: int | None = None
    every_months: int = 12
    lump: bool = False
    due: date | None = None
    remainder: Remainder = "first"
    unit: int = 1

    def __post_init__(self) -> None:
        if self.remainder not in REMAINDERS:
            raise not_one_of(self.remainder, REMAINDERS, field="remainder")
        for name, value, field_ in (
            ("unit", self.unit, "unit"),
            ("deferral", self.deferral_months, "deferral"),
            ("term", self.term_months, "term"),
            ("frequency", self.every_months, "every"),
        ):
            if value is not None and not _whole(value):
                raise InputError(
                    f"a {name} of {quoted(value)} is not a whole number given as an int",
                    f"「{value}」は使えません。整数にしてください",
                    field=field_,
                )
        if self.unit < 1:
            raise InputError(
                f"{self.unit} yen is less than 1 yen",
                f"{self.unit}円は使えません。1円以上の単位にしてください",
                field="unit",
            )
        if self.every_months not in FREQUENCIES.values():
            raise InputError(
                f"every {self.every_months} months is not a payment frequency (12, 6, 3 or 1 months)",
                f"{self.every_months}か月ごとの返済はできません。12、6、3、1か月のいずれかにしてください",
                field="every",
            )
        if self.deferral_months < 0:
            raise InputError(
                f"{self.deferral_months} months is negative",
                f"{self.deferral_months}か月は使えません。0か月以上にしてください",
                field="deferral",
            )
        if self.term_months is not None and self.term_months < 1:
            raise InputError(
                f"{self.term_months} months is less than 1 month",
                f"{self.term_months}か月は使えません。1か月以上にしてください",
                field="term",
            )
        if not isinstance(self.lump, bool):
            raise InputError(
                f"{quoted(self.lump)} is not true or false",
                f"「{self.lump}」は使えません。true、false のいずれかにしてください",
                field="lump",
            )
        if self.due is not None and not isinstance(self.due, date):
            raise InputError(
                f"{quoted(self.due)} is not a date",
                f"「{self.due}」は日付ではありません。2032-03-31 のような日付にしてください",
                field="due",
            )


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@contextmanager
def _about(field: str) -> Iterator[None]:
    """Give an error raised while reading one field that field's name."""
    try:
        yield
    except InputError as exc:
        raise InputError(exc.text.en.strip(), exc.text.ja.strip(), field=field) from None


def terms_from(raw: Mapping[str, object]) -> Terms:
    """Repayment terms from raw values keyed by field, as a command line or a plan file gives them.

    Fields: ``grade``, ``deferral`` and ``term`` (``3y``, ``18m``, ``1.5y`` or years),
    ``every`` (year, half, quarter, month), ``lump`` (bool), ``due`` (a date),
    ``remainder`` (first, last), ``unit`` (yen) and ``payments`` (present when a payment
    list gives the whole schedule: then no layout field may be given, and the terms
    carry only the grade). A field left out keeps the default; an unusable value raises
    :class:`InputError` naming the field, its message quoting the value.

    >>> terms_from({"deferral": "3y", "every": "half", "unit": "1千"})
    Terms(grade=None, deferral_months=36, term_months=None, every_months=6, lump=False, due=None, remainder='first', unit=1000)
    >>> terms_from({"payments": "plan.csv", "term": "10y"})
    Traceback (most recent call last):
    ...
    astep_calc.text.InputError: '10y' cannot be combined with a payment list, which gives every due date and amount
    """
    for name in raw:
        if name not in TERMS_FIELDS:
            hint = did_you_mean(name, TERMS_FIELDS)
            raise InputError(
                f"{name!r} is not a repayment setting{hint.en}",
                f"「{name}」という返済の設定項目はありません{hint.ja}。"
                f"{'、'.join(TERMS_FIELDS)} のいずれかを指定してください",
                field=name,
            )
    if "payments" in raw:
        for name in LAYOUT_FIELDS:
            if name in raw:
                value = raw[name]
                raise InputError(
                    f"{quoted(value)} cannot be combined with a payment list, which gives every due date and amount",
                    f"「{value}」は、各回の期日と金額を並べた返済計画とは併用できません。どちらか一方にしてください",
                    field=name,
                )
        return Terms(grade=_grade_id(raw.get("grade")))
    given: dict[str, object] = {"grade": _grade_id(raw.get("grade"))}
    if "deferral" in raw:
        given["deferral_months"] = _months(raw["deferral"], "deferral")
    if "term" in raw:
        given["term_months"] = _months(raw["term"], "term")
    if "every" in raw:
        with _about("every"):
            given["every_months"] = parse_every(_string(raw["every"], "a payment frequency", "返済間隔"))
    if "lump" in raw:
        given["lump"] = raw["lump"]
    if "due" in raw:
        value = raw["due"]
        with _about("due"):
            given["due"] = parse_date(value) if isinstance(value, str | date) else _not(value, "a date", "日付")
    if "remainder" in raw:
        given["remainder"] = _string(raw["remainder"], "first or last", "first、last のいずれか").strip().lower()
    if "unit" in raw:
        value = raw["unit"]
        with _about("unit"):
            given["unit"] = parse_yen(value) if isinstance(value, str | int) else _not(value, "an amount", "金額")
    return Terms(**given)  # type: ignore[arg-type]


def _grade_id(value: object) -> str | None:
    if value is None:
        return None
    with _about("grade"):
        return _string(value, "a grade", "評価")


def _string(value: object, what_en: str, what_ja: str) -> str:
    if not isinstance(value, str):
        _not(value, what_en, what_ja)
    assert isinstance(value, str)
    return value


def _not(value: object, what_en: str, what_ja: str) -> date:
    from astep_calc.reader import show

    raise InputError(
        f"{show(value)} is not {what_en}", f"{show(value, lang='ja')}は使えません。{what_ja}を指定してください"
    )


def _months(value: object, name: str) -> int:
    if isinstance(value, Decimal):
        value = format(value, "f")
    with _about(name):
        if isinstance(value, bool) or not isinstance(value, int | str):
            _not(value, "a duration such as 3y, 18m or 1.5y", "3y、18m、1.5y のような期間")
        assert isinstance(value, int | str)
        return parse_months(value, field=name)


class Payment(NamedTuple):
    """One payment: its number, due date, amount, what has been paid and what is left after it.

    A named tuple rather than a frozen dataclass: as immutable, and built in a third of the
    time (a frozen dataclass sets each field through ``object.__setattr__``), which counts
    when ``astep check`` lays out 10,000 schedules of 120 payments.
    """

    no: int
    #: The date the money moves: the scheduled date moved to a business day (see
    #: :mod:`astep_calc.business_days`); present values use it.
    due: date
    amount: int
    cumulative: int
    balance: int
    #: The date as scheduled from the anchor, when the business-day convention moved it.
    scheduled: date | None = None


@dataclass(frozen=True)
class Schedule:
    """A repayment schedule for an amount P that JST paid, with its rule checks and assumptions.

    ``terms`` is ``None`` for a custom schedule (a payment list); ``term_months`` is the
    term the schedule was laid out in (the rulebook's maximum unless given).
    """

    amount: int
    dev_end: date
    grade: Grade
    owed: int
    payments: tuple[Payment, ...]
    terms: Terms | None
    violations: tuple[Violation, ...]
    assumptions: tuple[Text | Assumption, ...]
    term_months: int | None
    #: One payment, by choice (``Terms.lump``), by grade (C) or for a discontinued case.
    lump: bool
    #: The rulebook's 開発中止 case: ``dev_end`` is the stop date (中止日), and the output says so.
    stopped: bool = False

    @property
    def total(self) -> int:
        return sum(p.amount for p in self.payments)

    @property
    def first_due(self) -> date:
        return self.payments[0].due

    @property
    def last_due(self) -> date:
        return self.payments[-1].due


def parse_every(text: str) -> int:
    """``year``, ``half``, ``quarter`` or ``month`` → months between payments.

    >>> parse_every("quarter")
    3
    """
    key = text.strip().lower()
    if key not in FREQUENCIES:
        raise not_one_of(text, FREQUENCIES, noun=Text("payment frequency", "返済間隔"), field="every")
    return FREQUENCIES[key]


def owed(amount: int, grade: Grade) -> int:
    """What a grade repays: floor(P × share), dropping fractions of a yen in the payer's favour.

    >>> from astep_calc.rulebook import load_rulebook
    >>> owed(123_456_789, load_rulebook().jisso.repayment.grade("C"))   # floor(12,345,678.9)
    12345678
    """
    return apply_rate(amount, grade.share, Rounding.FLOOR)


def installments(total: int, count: int, *, unit: int = 1, remainder: Remainder = "first") -> list[int]:
    """Split ``total`` into ``count`` installments of base = floor(total / (count·unit))·unit,
    the remainder total − count·base on the first (or last) one.

    >>> installments(123_456_789, 7)      # 7 × 17,636,684 = 123,456,788; +1 on the first
    [17636685, 17636684, 17636684, 17636684, 17636684, 17636684, 17636684]
    >>> installments(1_000_000, 3, unit=1000, remainder="last")
    [333000, 333000, 334000]
    """
    if count < 1:
        raise InputError(
            f"{count} installments is fewer than 1", f"返済回数が{count}回です。1回以上にしてください", field="payments"
        )
    if unit < 1:
        raise InputError(
            f"{unit!r} yen is less than 1 yen", f"{unit}円は使えません。1円以上の単位にしてください", field="unit"
        )
    base = total // (count * unit) * unit
    if base == 0 and unit == 1:  # no unit can help: the amount is what is too small
        raise InputError(
            f"{format_yen(total)} yen to repay is too small for {count} installments of at least 1 yen each: "
            "give a larger amount or fewer installments",
            f"返済すべき額{format_yen(total)}円は少なすぎて、1円以上ずつ{count}回に分割できません。"
            "金額を大きくするか、回数を減らしてください",
            field="amount",
        )
    if base == 0:  # both are to blame: the error names the unit and the message the amount
        raise InputError(
            f"{format_yen(total)} yen to repay is too small for {count} installments of at least "
            f"{format_yen(unit)} yen each: give a smaller unit, a larger amount or fewer installments",
            f"返済すべき額{format_yen(total)}円は少なすぎて、{format_yen(unit)}円単位で{count}回に分割できません。"
            "単位か回数を小さくするか、金額を大きくしてください",
            field="unit",
        )
    amounts = [base] * count
    amounts[0 if remainder == "first" else -1] += total - base * count
    return amounts


def _payments(
    owed_total: int, scheduled: list[date], amounts: list[int], convention: BusinessDay, window: tuple[date, date]
) -> tuple[tuple[Payment, ...], Assumption | None]:
    """Number the payments, carry what has been paid and what is left after each, and move
    each date to a business day by ``convention``, never out of ``window`` (after the
    development end and any deferral, within the term: both days inclusive here); with the
    note naming any date that moved the other way to stay in it.

    The rule checks keep the scheduled dates (the contract's), computed from the anchor;
    only the date the money moves is adjusted (``due``, the scheduled date kept beside it
    when it moved), so an adjustment never drifts.

    >>> w = (date(2027, 1, 1), date(2037, 12, 31))
    >>> p, note = _payments(100, [date(2028, 1, 1), date(2028, 1, 5)], [60, 40], BusinessDay.FOLLOWING, w)   # 2028-01-01 a Saturday
    >>> [(x.due.isoformat(), x.scheduled and x.scheduled.isoformat(), x.balance) for x in p], note
    ([('2028-01-04', '2028-01-01', 40), ('2028-01-05', None, 0)], None)
    """
    cumulative = accumulate(amounts)
    if convention is BusinessDay.NONE:  # nothing moves (most schedules): no Move a payment
        rows = enumerate(zip(scheduled, amounts, cumulative, strict=True), start=1)
        return tuple(Payment(no, day, amount, paid, owed_total - paid) for no, (day, amount, paid) in rows), None
    payments, moves = [], []
    for no, (day, amount, paid) in enumerate(zip(scheduled, amounts, cumulative, strict=True), start=1):
        move = adjust_within(day, convention, *window)
        moves.append(move)
        payments.append(Payment(no, move.date, amount, paid, owed_total - paid, day if move.date != day else None))
    note = window_note(
        moves,
        convention,
        Text(
            "onto or before the development end, into the deferral or past the term",
            "開発終了日以前、返済猶予期間中または返済期間の後になる",
        ),
    )
    return tuple(payments), note


def _refuse_unusable_terms(grade: Grade, amount: int, total_owed: int, terms: Terms, term: int, lump: bool) -> None:
    """:func:`schedule`'s checks of terms it cannot lay out at all (an :class:`InputError`
    naming the field), as opposed to the rule breaks it computes and reports."""
    d = terms.deferral_months
    if grade.lump_only and d:
        raise InputError(
            f"{format_months(d).en}: {grade_label(grade, grouped=False).en} repays in one lump sum and "
            "takes no deferral",
            f"{format_months(d).ja}の返済猶予は指定できません。{grade_label(grade, grouped=False).ja}は一括返済で、"
            "返済猶予はありません",
            field="deferral",
        )
    if terms.due is not None and not lump:
        raise InputError(
            f"{terms.due.isoformat()}: a due date applies to a lump-sum payment only",
            f"{terms.due.isoformat()}：期日は一括返済の場合にだけ指定できます",
            field="due",
        )
    if d >= term:
        raise InputError(
            f"{format_months(d).en} leaves no time to repay within the term ({format_months(term).en})",
            f"返済猶予{format_months(d).ja}が返済期間{format_months(term).ja}以上で、返済できる期間がありません。"
            "返済猶予を短くするか、返済期間を延ばしてください",
            field="deferral",
        )
    if total_owed == 0:
        raise InputError(
            f"{format_yen(amount)} yen: {grade_label(grade, grouped=False).en} owes 0 yen on it, nothing to schedule",
            f"{format_yen(amount)}円では{grade_label(grade, grouped=False).ja}の返済すべき額が0円になり、"
            "返済計画を作れません",
            field="amount",
        )


def _lump_due(rp: RepaymentRules, dev_end: date, terms: Terms, term: int, discontinued: bool) -> date:
    """The due date of a lump sum: ``terms.due``, else add_months(E, D + 12) (the
    discontinued grade's own gap for 開発中止); refused when it cannot fall within the term."""
    d = terms.deferral_months
    gap = rp.discontinued_due_months if discontinued else rp.lump_due_months
    if terms.due is None and term - d < gap:
        raise InputError(
            f"{format_months(term).en} leaves {format_months(term - d).en} after the deferral, less "
            f"than the {format_months(gap).en} after which a lump sum falls due; give a due date or a "
            "longer term",
            f"返済期間{format_months(term).ja}では、返済猶予の後が{format_months(term - d).ja}しかなく、"
            f"一括返済の期日（{years_or_months(gap).ja}後）まで届きません。期日を指定するか、返済期間を延ばしてください",
            field="term",
        )
    due = terms.due if terms.due is not None else add_months(dev_end, d + gap)
    if terms.term_months is not None and due > add_months(dev_end, term) and term < rp.term_max_months:
        raise InputError(
            f"{due.isoformat()} is after the end of the term given "
            f"({add_months(dev_end, term).isoformat()}, {format_months(term).en} after development end)",
            f"期日{due.isoformat()}が、指定した返済期間の終わり（{add_months(dev_end, term).isoformat()}、"
            f"開発終了日の{format_months(term).ja}後）より後です。期日を早めるか、返済期間を延ばしてください",
            field="due",
        )
    return due


def _installment_dues(rp: RepaymentRules, dev_end: date, terms: Terms, term: int) -> list[date]:
    """Installment k's due date add_months(E, D + k·p), k = 1..N, N = (T − D) / p, each
    from the anchor E; refused when T − D is not a whole number of periods."""
    d, p = terms.deferral_months, terms.every_months
    if (term - d) % p:
        left = (
            Text(
                f"{format_months(term).en} less the deferral of {format_months(d).en} leaves {term - d} months, which",
                f"返済期間{format_months(term).ja}から返済猶予{format_months(d).ja}を除いた{term - d}か月は",
            )
            if d
            else Text(f"{format_months(term).en}", f"返済期間{format_months(term).ja}は")
        )
        raise InputError(
            f"{left.en} is not a whole number of {p}-month periods; change the term, the deferral or the frequency",
            f"{left.ja}、{p}か月ごとの返済で割り切れません。返済期間、返済猶予または返済間隔を変えてください",
            field="term" if terms.term_months is not None else "deferral",
        )
    n = (term - d) // p
    if n > MAX_PAYMENTS:
        raise too_many_payments(rp, term, p, n)
    return [add_months(dev_end, d + k * p) for k in range(1, n + 1)]


def schedule(
    rules: Rulebook, amount: int, dev_end: date, terms: Terms = Terms(), *, business_day: BusinessDay = BusinessDay.NONE
) -> Schedule:
    """The generated repayment schedule for P = ``amount`` after development end E.

    S/A/B repay P; C repays floor(P × 10%) as one payment due add_months(E, 12) (or
    ``terms.due``) whatever the frequency. Installment k falls due on
    add_months(E, D + k·p), k = 1..N, N = (T − D) / p; a lump sum by choice on
    add_months(E, D + 12). For the discontinued grade (開発中止) E is the stop date and
    P what JST paid up to it: one lump sum due add_months(E, 12) unless installments
    are asked for (a deferral, term, frequency, unit or remainder given). Rule breaks (deferral over 36 months, term over 120, a first
    payment after E + 48 months, P over 500,000,000) are still computed and reported as
    violations; impossible layouts raise :class:`InputError` naming the field.

    >>> from astep_calc.rulebook import load_rulebook
    >>> s = schedule(load_rulebook(), 123_456_789, date(2028, 3, 31), Terms(grade="C", every_months=1))
    >>> [(p.due.isoformat(), p.amount) for p in s.payments]
    [('2029-03-31', 12345678)]
    """
    rp = rules.jisso.repayment
    grade = rp.grade(terms.grade or rp.default_grade)
    require_positive(amount)
    term = rp.term_max_months if terms.term_months is None else terms.term_months
    d = terms.deferral_months
    discontinued = rp.is_discontinued(grade)
    lump = terms.lump or grade.lump_only or (discontinued and not installments_asked(terms))
    total_owed = owed(amount, grade)
    _refuse_unusable_terms(grade, amount, total_owed, terms, term, lump)
    violations = list(amount_violations(rules, amount)) + _term_violations(rp, d, term)
    if lump:
        due = _lump_due(rp, dev_end, terms, term, discontinued)
        dues, amounts = [due], [total_owed]
        violations += _lump_window(rp, dev_end, due, d)
    else:
        dues = _installment_dues(rp, dev_end, terms, term)
        amounts = installments(total_owed, len(dues), unit=terms.unit, remainder=terms.remainder)
    if not any(v.rule == REPAY_DEFERRAL.id for v in violations):
        violations += first_due_violations(rp, dev_end, dues[0])
    # A payment moves to a business day within (E + D, E + T]: after the deferral, within the term.
    window = (add_months(dev_end, d) + ONE_DAY, add_months(dev_end, term))
    payments, note = _payments(total_owed, dues, amounts, business_day, window)
    return Schedule(
        amount,
        dev_end,
        grade,
        total_owed,
        payments,
        terms,
        tuple(violations),
        (
            *schedule_assumptions(rp, grade, terms, lump),
            business_day_assumption(business_day),
            *((note,) if note else ()),
        ),
        term,
        lump,
        discontinued,
    )


def too_many_payments(rp: RepaymentRules, term: int, every: int, n: int) -> InputError:
    """A schedule of ``n`` payments, more than the :data:`~astep_calc.reader.MAX_PAYMENTS` any
    schedule may have (listed or generated), is unusable input, refused before it is laid out.

    The rulebook's longest term paid monthly is 120 payments: a schedule of more than
    10,000 is longer than the rules allow by far (SPEC §6), and laying it out would cost
    seconds and hundreds of megabytes for nothing anyone could use.

    >>> from astep_calc.rulebook import load_rulebook
    >>> too_many_payments(load_rulebook().jisso.repayment, 11988, 1, 11988).text.en
    '11988 months (999 years) paid every month is 11,988 payments, more than the 10,000 a schedule may have (the rules allow a term of up to 120 months (10 years))'
    """
    months = "month" if every == 1 else f"{every} months"
    return InputError(
        f"{format_months(term).en} paid every {months} is {n:,} payments, more than the "
        f"{MAX_PAYMENTS:,} a schedule may have (the rules allow a term of up to "
        f"{format_months(rp.term_max_months).en})",
        f"返済期間{format_months(term).ja}を{every}か月ごとに返済すると{n:,}回になり、返済計画の上限"
        f"{MAX_PAYMENTS:,}回を超えます（ルール上の返済期間は{format_months(rp.term_max_months).ja}まで）",
        field="term",
    )


def installments_asked(terms: Terms) -> bool:
    """Whether ``terms`` ask for installments: any of deferral, term, frequency, unit or
    remainder differs from the defaults, and no lump sum is asked for.

    >>> installments_asked(Terms()), installments_asked(Terms(every_months=6)), installments_asked(Terms(lump=True))
    (False, True, False)
    """
    default = Terms()
    layout = (terms.deferral_months, terms.term_months, terms.every_months, terms.remainder, terms.unit)
    return not terms.lump and layout != (
        default.deferral_months,
        default.term_months,
        default.every_months,
        default.remainder,
        default.unit,
    )


def _term_violations(rp: RepaymentRules, deferral: int, term: int) -> list[Violation]:
    out: list[Violation] = []
    if deferral > rp.deferral_max_months:
        out.append(
            Violation(
                REPAY_DEFERRAL.id,
                Text(
                    f"a deferral of {format_months(deferral).en} is over the limit of "
                    f"{format_months(rp.deferral_max_months).en}",
                    f"返済猶予（元本据置）{format_months(deferral).ja}は、上限の{format_months(rp.deferral_max_months).ja}"
                    "を超えています",
                ),
                "repayment.deferral",
                {"deferral_months": deferral, "limit_months": rp.deferral_max_months},
            )
        )
    if term > rp.term_max_months:
        out.append(
            Violation(
                REPAY_TERM.id,
                Text(
                    f"a term of {format_months(term).en} is over the limit of "
                    f"{format_months(rp.term_max_months).en} after development end",
                    f"返済期間{format_months(term).ja}は、上限（開発終了後、{format_months(rp.term_max_months).ja}以内）"
                    "を超えています",
                ),
                "repayment.term",
                {"term_months": term, "limit_months": rp.term_max_months},
            )
        )
    return out


def first_due_violations(
    rp: RepaymentRules, dev_end: date, first_due: date, key: str = "repayment.deferral"
) -> list[Violation]:
    """``repay.deferral``: the first payment, however the schedule is laid out, falls due
    after add_months(E, 48) — a 3-year deferral followed by at most one yearly period.

    >>> from astep_calc.rulebook import load_rulebook
    >>> rp = load_rulebook().jisso.repayment
    >>> [v.rule for v in first_due_violations(rp, date(2029, 9, 30), date(2039, 9, 30))]
    ['repay.deferral']
    >>> first_due_violations(rp, date(2029, 9, 30), date(2033, 9, 30))   # exactly 48 months: allowed
    []
    """
    limit = add_months(dev_end, rp.first_due_max_months)
    if first_due <= limit:
        return []
    source = rp.first_due_cite.source.name
    return [
        Violation(
            REPAY_DEFERRAL.id,
            Text(
                f"the first payment {first_due.isoformat()} is after {limit.isoformat()}, "
                f"{format_months(rp.first_due_max_months).en} after development end: the latest a "
                f"first payment may fall after a deferral of at most {format_months(rp.deferral_max_months).en} "
                f"({source.en})",
                f"初回期日{first_due.isoformat()}が、開発終了日の{format_months(rp.first_due_max_months).ja}後"
                f"（{limit.isoformat()}）を過ぎています。返済猶予（元本据置）は最長{format_months(rp.deferral_max_months).ja}"
                f"で、初回期日はその後1年以内（{source.ja}）",
            ),
            key,
            {"first_due": first_due, "latest_first_due": limit, "dev_end": dev_end},
        )
    ]


def _lump_window(rp: RepaymentRules, dev_end: date, due: date, deferral: int) -> list[Violation]:
    if due <= add_months(dev_end, deferral):
        where = "on or before the development end" if deferral == 0 else "inside the deferral"
        until = add_months(dev_end, deferral).isoformat()
        where_ja = f"開発終了日（{until}）以前" if deferral == 0 else f"返済猶予期間中（{until}まで）"
        return [
            Violation(
                REPAY_WINDOW.id,
                Text(
                    f"the payment due {due.isoformat()} is {where} ({until})", f"期日{due.isoformat()}が{where_ja}です"
                ),
                "repayment.due",
                {"due": due, "due_after": add_months(dev_end, deferral)},
            )
        ]
    limit = add_months(dev_end, rp.term_max_months)
    if due > limit:
        return [
            Violation(
                REPAY_TERM.id,
                Text(
                    f"the payment due {due.isoformat()} is after {limit.isoformat()}, "
                    f"{format_months(rp.term_max_months).en} after development end",
                    f"期日{due.isoformat()}が返済期限（{limit.isoformat()}、開発終了日の"
                    f"{format_months(rp.term_max_months).ja}後）を過ぎています",
                ),
                "repayment.due",
                {"due": due, "latest_due": limit},
            )
        ]
    return []


def custom_schedule(
    rules: Rulebook,
    amount: int,
    dev_end: date,
    rows: list[tuple[date, int]],
    grade: str | None = None,
    *,
    business_day: BusinessDay = BusinessDay.NONE,
) -> Schedule:
    """Check an explicit schedule (plan file or a payments CSV) against the rules.

    It must sum to the amount owed (``repay.total``), every date must lie in
    (E, E + 120 months] (``repay.window``, ``repay.term``), and the first payment may
    fall no later than add_months(E, 48) (``repay.deferral``), as for every layout.

    >>> from astep_calc.rulebook import load_rulebook
    >>> s = custom_schedule(load_rulebook(), 100, date(2028, 3, 31), [(date(2033, 3, 31), 90)])
    >>> sorted(v.rule for v in s.violations)
    ['repay.deferral', 'repay.total']
    """
    rp = rules.jisso.repayment
    g = rp.grade(grade or rp.default_grade)
    require_positive(amount)
    if not rows:
        raise InputError(
            "the payment list is empty",
            "返済計画に返済が1件もありません。期日と金額を1件以上指定してください",
            field="payments",
        )
    given = list(rows)  # in the order given: a violation names the payment by its place there
    rows = sorted(rows, key=lambda r: r[0])
    total_owed = owed(amount, g)

    def due_key(day: date) -> str:
        return f"repayment.payments[{next(i for i, (d, _) in enumerate(given) if d == day)}].due"

    violations = list(amount_violations(rules, amount))
    total = sum(a for _, a in rows)
    if total != total_owed:
        gap = format_yen(abs(total - total_owed))
        short = total < total_owed
        violations.append(
            Violation(
                REPAY_TOTAL.id,
                Text(
                    f"the payments sum to {format_yen(total)} yen, {gap} yen {'short of' if short else 'over'} "
                    f"the {format_yen(total_owed)} yen owed",
                    f"各回返済額の合計{format_yen(total)}円は、返済すべき額{format_yen(total_owed)}円に"
                    + (f"{gap}円不足しています" if short else f"比べて{gap}円多すぎます"),
                ),
                "repayment.payments",
                {"total": total, "owed": total_owed, "difference": total - total_owed},
            )
        )
    early = [d for d, _ in rows if d <= dev_end]
    if early:
        violations.append(
            Violation(
                REPAY_WINDOW.id,
                Text(
                    f"{_payments_count(len(early))} due on or before the development end ({dev_end.isoformat()}); "
                    f"the first on {early[0].isoformat()}",
                    f"期日が開発終了日（{dev_end.isoformat()}）以前の返済が{len(early)}件あります"
                    f"（最初の期日：{early[0].isoformat()}）",
                ),
                due_key(early[0]),
                {"count": len(early), "due": early[0], "dev_end": dev_end},
            )
        )
    limit = add_months(dev_end, rp.term_max_months)
    late = [d for d, _ in rows if d > limit]
    if late:
        violations.append(
            Violation(
                REPAY_TERM.id,
                Text(
                    f"{_payments_count(len(late))} due after {limit.isoformat()}, the end of the "
                    f"{format_months(rp.term_max_months).en} term; the first on {late[0].isoformat()}",
                    f"期日が返済期限（{limit.isoformat()}）を過ぎている返済が{len(late)}件あります"
                    f"（最初の期日：{late[0].isoformat()}）",
                ),
                due_key(late[0]),
                {"count": len(late), "due": late[0], "latest_due": limit},
            )
        )
    violations += first_due_violations(rp, dev_end, rows[0][0], due_key(rows[0][0]))
    if g.lump_only and len(rows) > 1:
        violations.append(
            Violation(
                REPAY_LUMP.id,
                Text(
                    f"{grade_label(g, grouped=False).en} repays in one lump sum, but the schedule has {len(rows)} payments",
                    f"{grade_label(g, grouped=False).ja}は一括返済ですが、返済計画が{len(rows)}回に分かれています",
                ),
                "repayment.payments",
                {"grade": g.id, "payments": len(rows)},
            )
        )
    window = (dev_end + ONE_DAY, add_months(dev_end, rp.term_max_months))  # (E, E + 120 months]
    payments, note = _payments(total_owed, [d for d, _ in rows], [a for _, a in rows], business_day, window)
    return Schedule(
        amount,
        dev_end,
        g,
        total_owed,
        payments,
        None,
        tuple(violations),
        (
            *schedule_assumptions(rp, g, None, len(rows) == 1),
            business_day_assumption(business_day),
            *((note,) if note else ()),
        ),
        None,
        len(rows) == 1,
        rp.is_discontinued(g),
    )


def _payments_count(n: int) -> str:
    return f"{n} payment{'s' if n != 1 else ''}"


def deferral_assumption(rp: RepaymentRules, deferral: int | None) -> Assumption:
    """The deferral as the contract words it: principal held (元本据置) for a while, at most
    36 months, with JST's prior consent; ``deferral`` is this schedule's (``None``: a
    schedule given payment by payment)."""
    most = format_months(rp.deferral_max_months)
    if deferral is None:
        return Assumption(
            Text(
                f"Deferral of principal: at most {most.en}, with JST's prior consent",
                f"返済猶予（元本据置）：最長{most.ja}※JSTの事前了承が必要",
            )
        )
    this = format_months(deferral) if deferral else Text("none", "なし")
    return Assumption(
        Text(
            f"Deferral of principal: {this.en}; at most {most.en}, with JST's prior consent",
            f"返済猶予（元本据置）：{this.ja}。設定できるのは最長{most.ja}で、JSTの事前了承が必要",
        ),
        "repayment.deferral",
    )


def schedule_assumptions(
    rp: RepaymentRules, grade: Grade, terms: Terms | None, lump: bool
) -> tuple[Text | Assumption, ...]:
    """What a schedule assumed, worded when it is built: the grade's meaning, rounding,
    the layout (``terms``; ``None`` for a custom schedule), dates."""
    out: list[Text | Assumption] = []
    name = grade_label(grade)
    title = name.en[0].upper() + name.en[1:]
    basis = grade.cite.source.name
    discontinued = rp.is_discontinued(grade)
    term = format_months(rp.term_max_months)
    d = terms.deferral_months if terms is not None else 0
    if discontinued:
        stop_gap, stop_cite = rp.discontinued_due_months, rp.discontinued_due_cite
        out.append(
            Text(
                f"{title}: development stopped on the date given as its end; what JST paid up to then is repaid "
                f"in full, interest-free ({basis.en})",
                f"{name.ja}：指定した開発終了日を中止日とし、それまでにJSTが支払った額の全額を無利子で返済（{basis.ja}）",
            )
        )
        if terms is not None and lump:
            out.append(
                Assumption(
                    Text(
                        f"{title}: one lump sum due {years_or_months(stop_gap).en} after the stop "
                        f"({stop_cite.source.name.en}: {stop_cite.note.en})",
                        f"{name.ja}（{stop_cite.source.name.ja}：{stop_cite.note.ja}）：中止日の{years_or_months(stop_gap).ja}後に一括返済",
                    ),
                    "due",
                )
            )
        elif terms is not None:
            out.append(
                Text(
                    f"{title}: installments as asked; whether a stopped project may repay in installments is "
                    f"JST's decision (by default one lump sum {years_or_months(stop_gap).en} after the stop)",
                    f"{name.ja}：指定どおり分割返済で計算。開発中止の場合に分割返済を認めるかはJSTが決める"
                    f"（既定は中止日の{years_or_months(stop_gap).ja}後に一括返済）",
                )
            )
        milestone = rp.milestone_cite
        out.append(
            Text(
                f"{milestone.note.en[:1].upper()}{milestone.note.en[1:]} ({milestone.source.name.en})",
                f"{milestone.note.ja}（{milestone.source.name.ja}）",
            )
        )
    elif grade.share == 1:
        out.append(
            Text(
                f"{title}: repay the full development cost JST paid, interest-free, within {term.en} of the "
                f"development end ({basis.en})",
                f"{name.ja}：開発費の全額を無利子で返済。返済期間は開発終了後、{term.ja}以内（{basis.ja}）",
            )
        )
        out.append(deferral_assumption(rp, d if terms is not None else None))
    else:
        out.append(
            Text(
                f"{title}: repay {percent(grade.share).en} of the development cost as one lump sum, "
                "rounded down to the yen (in the payer's favour)",
                f"{name.ja}：開発費の{percent(grade.share).ja}を一括返済（1円未満切り捨て。返済する側に有利な端数処理）",
            )
        )
    first = rp.first_due_cite.source.name
    gap, gap_source = rp.lump_due_months, rp.lump_due_cite.source.name
    if terms is None:
        out.append(
            REPAY_TOTAL.explain(term=term, first_months=format_months(rp.first_due_max_months), first_source=first)
        )
    elif grade.lump_only:
        out.append(
            Assumption(
                Text(
                    f"{title}: no deferral; the one payment falls due {years_or_months(gap).en} after the development end, "
                    f"whatever the installment frequency ({gap_source.en})",
                    f"{name.ja}（期日は{gap_source.ja}）：返済猶予なし。返済間隔によらず開発終了日の{years_or_months(gap).ja}後に一括返済",
                ),
                "repayment.due",
            )
        )
    elif discontinued and lump:
        pass  # worded above
    elif lump:
        after = (
            Text("the development end", "開発終了日")
            if not d
            else Text(
                f"the end of the deferral ({format_months(d).en} after the development end)",
                f"返済猶予期間の終わり（開発終了日の{format_months(d).ja}後）",
            )
        )
        out.append(
            Assumption(
                Text(
                    f"Lump sum ({gap_source.en}): due {years_or_months(gap).en} after {after.en}, whatever the installment frequency",
                    f"一括返済（{gap_source.ja}）：期日は返済間隔によらず{after.ja}の{years_or_months(gap).ja}後",
                ),
                "repayment.due",
            )
        )
    else:
        where = Text("first", "初回") if terms.remainder == "first" else Text("last", "最終回")
        out.append(
            Assumption(
                Text(
                    f"Each installment = amount owed ÷ number of installments ({unit_rounding(terms.unit).en}); "
                    f"the remainder is added to the {where.en} installment",
                    f"各回返済額＝返済すべき額÷回数（{unit_rounding(terms.unit).ja}）、端数は{where.ja}に加算",
                ),
                "repayment.remainder",
            )
        )
    if terms is not None:
        out.append(
            Text(
                "Each due date falls on the development end's day of the month (the month's last day where "
                "there is no such day); when the development end is a month end, every due date is a month end",
                "各期日は開発終了日の応当日（応当日がない月は月末日）。開発終了日が月末の場合は各月末日",
            )
        )
    out.append(Text("Interest-free (無利子): no interest is added", "無利子：利息は加算しない"))
    return tuple(out)


#: Significant digits of every present-value computation (SPEC §5, §8).
PV_DIGITS = 40


def discounted(flows: Iterable[tuple[date, int]], at: date, rate: Fraction) -> tuple[Decimal, ...]:
    """Each amount a due on d, valued at ``at``: a / (1 + r)^(days(at, d) / 365).

    ``days`` may be negative (money before ``at`` counts for more). Decimal at
    :data:`PV_DIGITS` significant digits, not rounded: the caller sums at the same
    precision and rounds once, half-even, with :func:`round_yen`.

    >>> [f"{v:.6f}" for v in discounted([(date(2029, 3, 31), 105), (date(2027, 3, 31), 100)],
    ...                                 date(2028, 3, 31), Fraction(1, 20))]   # 105 / 1.05; 100 × 1.05^(366/365)
    ['100.000000', '105.014036']
    """
    with localcontext() as ctx:
        ctx.prec = PV_DIGITS
        log_growth = (Decimal(1) + Decimal(rate.numerator) / Decimal(rate.denominator)).ln()
        return tuple(Decimal(a) / (log_growth * Decimal((d - at).days) / Decimal(365)).exp() for d, a in flows)


def pv_sum(values: Iterable[Decimal]) -> Decimal:
    """Σ of present values at :data:`PV_DIGITS` digits (the default context keeps only 28).

    A value to subtract is passed negated with ``Decimal.copy_negate``, which is exact:
    unary minus rounds to the context in force, 28 digits outside this function.

    >>> x = Decimal("1.000000000000000000000000000000000001")
    >>> pv_sum((x, Decimal(1).copy_negate())), pv_sum((x, -Decimal(1)))
    (Decimal('1E-36'), Decimal('1E-36'))
    >>> pv_sum((Decimal(2), x.copy_negate())), pv_sum((Decimal(2), -x))   # -x rounds x to 28 digits first
    (Decimal('0.999999999999999999999999999999999999'), Decimal('1.000000000000000000000000000'))
    """
    with localcontext() as ctx:
        ctx.prec = PV_DIGITS
        return sum(values, Decimal(0))


def round_yen(value: Decimal) -> int:
    """Round an exact present value half-even to the yen (once, at the end).

    >>> round_yen(Decimal("2.5")), round_yen(Decimal("3.5")), round_yen(Decimal("-0.5"))
    (2, 4, 0)
    """
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


@dataclass(frozen=True)
class PresentValue:
    """Present value at the development end of a schedule, and the grant equivalent."""

    rate: Fraction
    each: tuple[Decimal, ...]
    total: int
    grant_equivalent: int


def present_value(s: Schedule, rate: Fraction) -> PresentValue:
    """Σ a / (1 + r)^(days(E, due) / 365) at the development end E, and P − Σ PV.

    Computed in Decimal at 40 digits; rounded half-even to the yen only at the end.

    >>> from astep_calc.rulebook import load_rulebook
    >>> s = schedule(load_rulebook(), 100_000_000, date(2028, 3, 31), Terms(lump=True))
    >>> pv = present_value(s, Fraction(1, 20))   # 100,000,000 / 1.05^(365/365)
    >>> pv.total, pv.grant_equivalent
    (95238095, 4761905)
    """
    each = discounted(((p.due, p.amount) for p in s.payments), s.dev_end, rate)
    total_pv = pv_sum(each)
    return PresentValue(rate, each, round_yen(total_pv), round_yen(pv_sum((Decimal(s.amount), total_pv.copy_negate()))))


def pv_assumption(rate: Fraction, stopped: bool = False) -> Text:
    """How repayments are valued; ``stopped`` when a 開発中止 case is among them, whose
    schedule runs from the stop date rather than the development end."""
    r = percent(rate)
    text = Text(
        f"PV of repayments at the development end: each payment discounted at {r.en} a year, compounded over "
        "its days from the development end (a year of 365 days), summed and rounded half-even to the yen "
        "only at the end. Amount forgiven = amount JST paid − amount owed (grade C never repays 90%); "
        "benefit of no interest = amount owed − PV of repayments: what repaying without interest is worth, "
        "not a grant. In JSON, grant_equivalent is their sum",
        f"開発終了日時点の返済額の現在価値：各回返済額を、開発終了日からの日数に応じて年{r.ja}の複利（1年＝365日）で"
        "割り引いた額の合計（合計してから1円未満を偶数丸め）。返済免除額＝JSTからの支払額−返済すべき額"
        "（C評価では開発費の90％を返済しない）。無利子による利益相当額＝返済すべき額−返済額の現在価値"
        "（利息なしで返済することによる経済的な利益）。JSONの grant_equivalent は両者の合計",
    )
    if not stopped:
        return text
    return Text(
        f"{text.en}. For development stopped (開発中止), the stop date takes the development end's place",
        f"{text.ja}。開発中止の場合は、開発終了日を中止日と読み替える",
    )


@dataclass(frozen=True)
class Scenario:
    """One row of the board table: a group of grades that repay alike."""

    grades: tuple[str, ...]
    schedule: Schedule
    pv: PresentValue | None

    @property
    def label(self) -> str:
        return "/".join(self.grades)


def scenarios(
    rules: Rulebook,
    amount: int,
    dev_end: date,
    terms: Terms = Terms(),
    discount_rate: Fraction | None = None,
    *,
    stop: date | None = None,
    disbursement: Disbursement | None = None,
    business_day: BusinessDay = BusinessDay.NONE,
) -> tuple[Scenario, ...]:
    """The same inputs under every grade, grades that repay alike grouped (S/A/B).

    A lump-only grade (C) takes no deferral and ignores the installment layout; a due
    date applies to it alone unless every grade repays in a lump sum (``terms.lump``).
    The discontinued case (開発中止) is its own: development stopped on ``stop``
    (default: the development end), JST had paid the advances of ``disbursement``
    dated on or before it (default: all of P), repaid as one lump sum 12 months after
    the stop whatever the layout.

    >>> from astep_calc.rulebook import load_rulebook
    >>> [(s.label, s.schedule.owed, s.schedule.first_due.isoformat())
    ...  for s in scenarios(load_rulebook(), 123_456_789, date(2028, 3, 31))]
    [('S/A/B', 123456789, '2029-03-31'), ('C', 12345678, '2029-03-31'), ('discontinued', 123456789, '2029-03-31')]
    """
    rp = rules.jisso.repayment
    groups: dict[str, list[Grade]] = {}
    for g in rp.grades:
        groups.setdefault(g.scenario, []).append(g)
    out: list[Scenario] = []
    for group in groups.values():
        g = group[0]
        if rp.is_discontinued(g):
            s = _discontinued_scenario(rules, amount, dev_end, g, stop, disbursement, business_day)
        else:
            if g.lump_only:
                t = replace(terms, grade=g.id, deferral_months=0, lump=True)
            else:
                t = replace(terms, grade=g.id, due=terms.due if terms.lump else None)
            s = schedule(rules, amount, dev_end, t, business_day=business_day)
        out.append(
            Scenario(
                tuple(x.id for x in group), s, present_value(s, discount_rate) if discount_rate is not None else None
            )
        )
    return tuple(out)


def _discontinued_scenario(
    rules: Rulebook,
    amount: int,
    dev_end: date,
    grade: Grade,
    stop: date | None,
    disbursement: Disbursement | None,
    business_day: BusinessDay,
) -> Schedule:
    """開発中止 beside the grades: what JST paid up to the stop, as its default lump sum."""
    if stop is None:
        paid, at = (amount if disbursement is None else disbursement.total), dev_end
        note = Text(
            f"No stop date given: the discontinued row assumes development stopped at the development end "
            f"{dev_end.isoformat()}, when JST had paid {format_yen(paid)} yen",
            f"中止日の指定なし：開発中止の場合の行は、開発終了日（{dev_end.isoformat()}）に中止し、"
            f"JSTの支払額を{format_yen(paid)}円として計算",
        )
    else:
        if disbursement is None:
            raise InputError(
                f"{stop.isoformat()}: what JST had paid by a stop date follows from the development start and "
                "end (the advances dated on or before it); give both",
                f"{stop.isoformat()}：中止日までのJSTの支払額は、開発開始日と開発終了日から求めた前払い"
                "（中止日以前の分）です。開発開始日と開発終了日の両方を指定してください",
                field="stop",
            )
        paid, at = paid_until(disbursement, stop), stop
        note = Text(
            f"Development stopped on {stop.isoformat()}: JST had paid {format_yen(paid)} yen, the advances "
            f"dated on or before it (of {format_yen(disbursement.total)} yen)",
            f"{stop.isoformat()}に開発中止：JSTの支払額は、その日以前の前払いの{format_yen(paid)}円"
            f"（前払いの総額{format_yen(disbursement.total)}円のうち）",
        )
    s = schedule(rules, paid, at, Terms(grade=grade.id), business_day=business_day)
    return replace(s, assumptions=(note, *s.assumptions))
