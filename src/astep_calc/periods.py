"""Project periods: the end of a period of N months, the period limit, a period's length.

The rules are in docs/rules.md, "Date conventions" (inclusive periods, 民法143条) and
"Support menus, caps and period limits" (the limit). Budget menus and 実装支援 share them.

A project runs from start S to end E, both days included. A period is counted as the
Civil Code counts it (民法143条): N months from S, S counted, end on the day before the
day of the N-th month that corresponds to S, or on that month's last day when it has no
such day. In one formula, E = add_months(S − 1 day, N), with the end-of-month rule of
:func:`~astep_calc.dates.add_months`. A limit of L months holds when
E ≤ add_months(S − 1 day, L), so the latest allowed end never moves earlier as the start
moves later.

>>> period_end(date(2026, 10, 1), 30), period_end(date(2027, 8, 31), 30)
(datetime.date(2029, 3, 31), datetime.date(2030, 2, 28))
>>> within_limit(date(2026, 9, 30), date(2029, 3, 30), 30)   # must end by 2029-03-29
False
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from astep_calc.checks import PERIOD_MAX
from astep_calc.dates import ONE_DAY, add_months, format_months, parse_date, span
from astep_calc.text import InputError, Text, Violation, fold_width

if TYPE_CHECKING:
    from astep_calc.rulebook import Menu

#: The longest period a month count may give: a hundred years.
MAX_MONTHS = 1200


def period_end(start: date, months: int) -> date:
    """The inclusive end of a period of ``months`` months from ``start`` (民法143条).

    E = add_months(S − 1 day, N): the day before the corresponding day, or the month's
    last day when there is none.

    >>> period_end(date(2026, 10, 15), 1), period_end(date(2027, 2, 28), 1)
    (datetime.date(2026, 11, 14), datetime.date(2027, 3, 27))
    >>> period_end(date(2026, 9, 30), 30), period_end(date(2027, 3, 1), 12)
    (datetime.date(2029, 3, 29), datetime.date(2028, 2, 29))
    """
    return add_months(start - ONE_DAY, months)


def within_limit(start: date, end: date, limit_months: int) -> bool:
    """Does the inclusive period start..end fit a limit of ``limit_months`` months?

    True when E ≤ add_months(S − 1 day, L) = period_end(S, L).

    >>> within_limit(date(2026, 4, 1), date(2028, 9, 30), 30)
    True
    >>> within_limit(date(2026, 4, 1), date(2028, 10, 31), 30)
    False
    """
    return end <= period_end(start, limit_months)


def parse_month_count(text: str | int) -> int:
    """A project length in whole months, 1 to 1200; full-width digits are read as digits.

    >>> parse_month_count("30"), parse_month_count("３０"), parse_month_count(12)
    (30, 30, 12)
    """
    s = fold_width(str(text)).strip()
    # ASCII digits only: other scripts' digits pass str.isdigit() but are no month count.
    if not re.fullmatch(r"[0-9]{1,5}", s) or not 1 <= int(s) <= MAX_MONTHS:
        raise InputError(
            f"{text!r} is not a whole number of months from 1 to {MAX_MONTHS}",
            f"「{text}」は月数として使えません。1〜{MAX_MONTHS}の整数にしてください",
            field="months",
        )
    return int(s)


def resolve_period(
    start: str | date, months: str | int | None = None, end: str | date | None = None
) -> tuple[date, date]:
    """Start and inclusive end from a start and exactly one of a month count or an end date.

    >>> resolve_period("2026-10-01", months="30")
    (datetime.date(2026, 10, 1), datetime.date(2029, 3, 31))
    >>> resolve_period("2026-10-01", end="2028-03-31")
    (datetime.date(2026, 10, 1), datetime.date(2028, 3, 31))
    """
    s = parse_date(start, field="start")
    if months is not None and end is not None:
        raise InputError(
            "gives the length in months: a period takes its length or its end date, not both",
            "期間は月数か終了日のどちらか一方だけを指定してください",
            field="months",
        )
    if months is not None:
        return s, period_end(s, parse_month_count(months))
    if end is None:
        raise InputError(
            "gives the length in months: a period needs its length or its end date",
            "期間を月数か終了日で指定してください",
            field="months",
        )
    return s, parse_date(end, field="end")


def period_length(start: date, end: date) -> tuple[int, int]:
    """The length of the inclusive period start..end: whole months N, then days D.

    N is the largest count with period_end(S, N) ≤ E, D the days after that end; D is
    0 exactly when E is the end of N months from S.

    >>> period_length(date(2026, 10, 1), date(2029, 3, 31)), period_length(date(2026, 10, 15), date(2029, 4, 28))
    ((30, 0), (30, 14))
    >>> period_length(date(2026, 10, 1), date(2026, 10, 1))
    (0, 1)
    """
    return span(start - ONE_DAY, end)


def format_period(start: date, end: date) -> Text:
    """A period's length as people say it: ``30 months``, ``30 months 14 days`` (``30か月14日``).

    >>> format_period(date(2026, 10, 1), date(2029, 3, 31))
    Text(en='30 months', ja='30か月')
    >>> format_period(date(2026, 10, 15), date(2029, 4, 28))
    Text(en='30 months 14 days', ja='30か月14日')
    >>> format_period(date(2026, 10, 1), date(2026, 10, 1))
    Text(en='1 day', ja='1日')
    """
    months, days = period_length(start, end)
    en = [f"{months} month{'s' if months != 1 else ''}"] if months else []
    ja = f"{months}か月" if months else ""
    if days or not months:
        en.append(f"{days} day{'s' if days != 1 else ''}")
        ja += f"{days}日"
    return Text(" ".join(en), ja)


def require_order(start: date, end: date) -> None:
    """An end before its start is unusable input (exit 2), not a rule to report.

    >>> require_order(date(2026, 10, 1), date(2026, 9, 30))
    Traceback (most recent call last):
    ...
    astep_calc.text.InputError: '2026-09-30' is before the start 2026-10-01
    """
    if end < start:
        raise InputError(
            f"{end.isoformat()!r} is before the start {start.isoformat()}",
            f"終了日「{end.isoformat()}」が開始日{start.isoformat()}より前です。開始日以降の日付にしてください",
            field="end",
        )


def period_violations(menu: Menu, start: date, end: date) -> tuple[Violation, ...]:
    """``period.max`` for a project running start..end inclusive; an end before the start raises.

    >>> from astep_calc.rulebook import load_rulebook
    >>> v = period_violations(load_rulebook().menu("stage1"), date(2026, 4, 1), date(2028, 10, 31))
    >>> [x.rule for x in v]
    ['period.max']
    """
    require_order(start, end)
    if within_limit(start, end, menu.period_months):
        return ()
    limit = period_end(start, menu.period_months)
    over = (end - limit).days
    most = format_months(menu.period_months)
    return (
        Violation(
            PERIOD_MAX.id,
            Text(
                f"the period {start.isoformat()} to {end.isoformat()} ends {over} day"
                f"{'s' if over != 1 else ''} too late: {menu.id} runs at most "
                f"{most.en}, so from {start.isoformat()} it must end by {limit.isoformat()}",
                f"実施期間{start.isoformat()}〜{end.isoformat()}は上限を{over}日超えています"
                f"（{menu.short.ja}の実施期間は最長{most.ja}のため、{start.isoformat()}開始なら"
                f"{limit.isoformat()}までに終える必要があります）",
            ),
            "end",  # or months, where the plan gives the length: the plan reader knows which
            {
                "menu": menu.id,
                "start": start,
                "end": end,
                "limit_months": menu.period_months,
                "latest_end": limit,
                "excess_days": over,
            },
        ),
    )
