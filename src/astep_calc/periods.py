"""Project periods: the end of a period of N months, the period limit, ``period.max``.

The rules are in docs/rules.md, "Date conventions" (inclusive periods) and "Support
menus, caps and period limits" (the limit). Budget menus and 実装支援 share them.

A project runs from start S to end E, both days included. A period of N months from S
ends on add_months(S, N) − 1 day, and a limit of L months holds when E is no later than
the end of a period of L months.

>>> period_end(date(2026, 10, 1), 30)
datetime.date(2029, 3, 31)
>>> within_limit(date(2026, 10, 1), date(2029, 4, 1), 30)
False
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from typing import TYPE_CHECKING

from astep_calc.dates import ONE_DAY, add_months, format_months, parse_date
from astep_calc.text import InputError, Text, Violation

if TYPE_CHECKING:
    from astep_calc.rulebook import Menu

#: The longest period a month count may give: a hundred years.
MAX_MONTHS = 1200


def period_end(start: date, months: int) -> date:
    """The inclusive end of a period of ``months`` months from ``start``.

    E = add_months(S, N) − 1 day.

    >>> period_end(date(2026, 10, 1), 30), period_end(date(2026, 10, 15), 1)
    (datetime.date(2029, 3, 31), datetime.date(2026, 11, 14))
    """
    return add_months(start, months) - ONE_DAY


def within_limit(start: date, end: date, limit_months: int) -> bool:
    """Does the inclusive period start..end fit a limit of ``limit_months`` months?

    True when E ≤ period_end(S, L).

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
    s = unicodedata.normalize("NFKC", str(text)).strip()
    # ASCII digits only: other scripts' digits pass str.isdigit() but are no month count.
    if not re.fullmatch(r"[0-9]{1,5}", s) or not 1 <= int(s) <= MAX_MONTHS:
        raise InputError(f"{text!r} is not a whole number of months from 1 to {MAX_MONTHS}",
                         f"{text!r} は1〜{MAX_MONTHS}の整数（月数）ではありません", field="months")
    return int(s)


def resolve_period(start: str | date, months: str | int | None = None,
                   end: str | date | None = None) -> tuple[date, date]:
    """Start and inclusive end from a start and exactly one of a month count or an end date.

    >>> resolve_period("2026-10-01", months="30")
    (datetime.date(2026, 10, 1), datetime.date(2029, 3, 31))
    >>> resolve_period("2026-10-01", end="2028-03-31")
    (datetime.date(2026, 10, 1), datetime.date(2028, 3, 31))
    """
    s = parse_date(start)
    if months is not None and end is not None:
        raise InputError("give the length in months or the end date, not both",
                         "期間は月数か終了日のどちらか一方だけで指定してください", field="months")
    if months is not None:
        return s, period_end(s, parse_month_count(months))
    if end is None:
        raise InputError("give the length in months or the end date",
                         "期間を月数か終了日で指定してください", field="months")
    return s, parse_date(end)


def period_violations(menu: Menu, start: date, end: date) -> tuple[Violation, ...]:
    """``period.order`` and ``period.max`` for a project running start..end inclusive.

    >>> from astep_calc.rulebook import load_rulebook
    >>> v = period_violations(load_rulebook().menu("stage1"), date(2026, 4, 1), date(2028, 10, 31))
    >>> [x.rule for x in v]
    ['period.max']
    """
    if end < start:
        return (
            Violation(
                "period.order",
                Text(
                    f"the end {end.isoformat()} is before the start {start.isoformat()}",
                    f"終了日 {end.isoformat()} が開始日 {start.isoformat()} より前です",
                ),
            ),
        )
    if within_limit(start, end, menu.period_months):
        return ()
    limit = period_end(start, menu.period_months)
    over = (end - limit).days
    most = format_months(menu.period_months)
    return (
        Violation(
            "period.max",
            Text(
                f"{menu.id}: the period {start.isoformat()} to {end.isoformat()} ends {over} day"
                f"{'s' if over != 1 else ''} too late: {menu.id} runs at most "
                f"{most.en}, so from {start.isoformat()} it must end by {limit.isoformat()}",
                f"{menu.id}：期間 {start.isoformat()}〜{end.isoformat()} は上限を {over}日超えています"
                f"（最長 {most.ja}のため、{start.isoformat()} 開始なら "
                f"{limit.isoformat()} までに終える必要があります）",
            ),
        ),
    )
