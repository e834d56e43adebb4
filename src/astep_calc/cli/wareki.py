"""``--date-style wareki``: dates in tables, CSV, Markdown and workbooks as 令和8年10月1日.

Japanese offices write dates in the era (和暦). The style changes only how output for
people shows a date, as ``--display-unit`` changes only how it shows an amount: every
date of a report's tables and summary becomes a :class:`~astep_calc.cli.labels.Wareki`
(a workbook keeps it a date cell, with an era number format), and every ISO date the tool
wrote into a title, a note, an assumption or a message reads in the era too. JSON is the
machine contract and keeps ISO dates. The era is Japanese: English output stays ISO
(``--date-style wareki`` with ``--lang en`` is refused where the option is parsed; a
plan's ``date_style`` key applies to its Japanese output only).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from astep_calc.cli.labels import Month, Wareki
from astep_calc.cli.views import Finding, Report, Table
from astep_calc.dates import DateStyle, wareki
from astep_calc.text import Assumption, Lang, Text

#: An ISO date on its own in a text: not part of a path, a file name or a longer number
#: (``plans/2026-10-01.toml`` keeps its name).
_ISO = re.compile(r"(?<![0-9A-Za-z_/.-])([0-9]{4})-([0-9]{2})-([0-9]{2})(?![0-9A-Za-z_/.-])")


def wareki_text(text: str) -> str:
    """Every ISO date of ``text`` in the era; what is not a date is kept as it is.

    >>> wareki_text("年度別の上限額 2026-10-01〜2029-03-31（円）")
    '年度別の上限額 令和8年10月1日〜令和11年3月31日（円）'
    >>> wareki_text("開発終了日2029-09-30）"), wareki_text("plans/2026-10-01.toml 2026-13-01")
    ('開発終了日令和11年9月30日）', 'plans/2026-10-01.toml 2026-13-01')
    """
    if "-" not in text:
        return text

    def era(m: re.Match[str]) -> str:
        try:
            return wareki(date(int(m[1]), int(m[2]), int(m[3])))
        except ValueError:  # 2026-13-01: not a date, kept as written
            return m[0]

    return _ISO.sub(era, text)


def in_date_style(report: Report, style: DateStyle | None, lang: Lang) -> Report:
    """The report with its dates as ``style`` shows them in ``lang`` (the same report for ISO
    or English): the dates of its tables and summary as :class:`~astep_calc.cli.labels.Wareki`, the ISO dates in
    its titles, notes, cells, summary, assumptions and violations in the era."""
    if style is not DateStyle.WAREKI or lang != "ja":
        return report
    return dataclasses.replace(
        report,
        tables=[_table(t) for t in report.tables],
        summary=[(_text(name), _value(value)) for name, value in report.summary],
        violations=None if report.violations is None else [_finding(f) for f in report.violations],
        assumptions=[_assumption(a) for a in report.assumptions],
    )


def _text(text: Text) -> Text:
    ja = wareki_text(text.ja)
    return text if ja == text.ja else Text(text.en, ja)


def _value(value: object) -> object:
    if type(value) is date:
        return Wareki(value)
    if isinstance(value, Month):
        return dataclasses.replace(value, era=True)
    if isinstance(value, Text):
        return _text(value)
    return value


def _row(row: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _value(v) for k, v in row.items()}


def _table(table: Table) -> Table:
    return dataclasses.replace(
        table,
        title=_text(table.title),
        rows=[_row(r) for r in table.rows],
        totals=None if table.totals is None else _row(table.totals),
        note=None if table.note is None else _text(table.note),
    )


def _assumption(item: Text | Assumption) -> Text | Assumption:
    if isinstance(item, Text):
        return _text(item)
    return dataclasses.replace(item, text=_text(item.text))


def _finding(f: Finding) -> Finding:
    return dataclasses.replace(f, violation=dataclasses.replace(f.violation, text=_text(f.violation.text)))


__all__ = ["in_date_style", "wareki_text"]
