"""Views: what every output format shows of a result, built once, rendered by each format.

A command turns the pure core's results into one :class:`Report` (or, for ``astep
schema``, a :class:`Document`); the renderers in :mod:`astep_calc.cli.report` (table,
JSON, CSV, and any new one) consume nothing else. A report is a small value:

- ``tables``: titled tables of typed :class:`Column` s and rows of plain values (``int``
  yen, ``date``, ``Text``), with an optional totals row;
- ``data``: the command's own JSON keys (SPEC §6), values as plain as the rows';
- ``summary``: label and value pairs printed under the tables;
- ``violations``: the broken rules as :class:`Finding` s (``None`` when the command
  checks no rule, like ``astep rules``);
- ``assumptions`` and ``sources``: what the numbers rely on, and the brochure text used;
- ``files``: for a check over plan files, each file and why it could not be read.

The builders below (a budget, a schedule, advances, a check result) are shared by every
command that shows that kind of result, so ``astep check`` shows a plan's budget exactly
as ``astep budget`` does, without importing another command's module.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

from astep_calc.cli.labels import Labels, count, rulebook_line
from astep_calc.text import Assumption, Lang, Text, Violation

if TYPE_CHECKING:
    from astep_calc.budget import BudgetPlan
    from astep_calc.company import CompanyResult
    from astep_calc.jisso import Disbursement
    from astep_calc.phases import Evaluation, PhaseResult
    from astep_calc.repayment import Schedule
    from astep_calc.rulebook import Rulebook

#: What a column holds, which decides how each format shows it: ``money`` (int yen),
#: ``int``, ``date``, ``date_weekday`` (a date with its weekday in tables),
#: ``fiscal_year`` (an int year, with its era in Japanese tables), ``quarter`` (an int
#: fiscal quarter, 第3四半期 / Q3 in tables, the number in CSV), ``percent`` (a rate as
#: a ``Fraction``: ``8%`` in a table, a number formatted as a percentage in a workbook),
#: ``verbatim`` (a path or a short status, never wrapped in a table), ``text`` (wraps freely).
ColumnKind = Literal["money", "int", "date", "date_weekday", "fiscal_year", "quarter", "percent", "verbatim", "text"]

Row = Mapping[str, Any]


@dataclass(frozen=True)
class Column:
    """A table column: its stable key (CSV header, JSON key), its label and its kind."""

    key: str
    label: Text
    kind: ColumnKind = "text"
    #: Shown in a table or a workbook only when a row has a value in it (the date a
    #: business-day convention moved a payment from); a CSV file always has it, so that its
    #: header is the same whatever the data, and the cell is empty where there is no value.
    optional: bool = False
    #: The key of the column this one is the running sum of (a cumulative column): a
    #: workbook writes each cell as the formula "the previous one + this row's".
    running: str | None = None
    #: Text bars drawing the figures beside it (``--chart`` in a terminal or Markdown): a
    #: workbook, whose native chart draws them, leaves the column out (:meth:`Table.shown`).
    bars: bool = False

    @property
    def numeric(self) -> bool:
        """Right-aligned and written as a number: money, counts and rates."""
        return self.kind in ("money", "int", "percent")

    @property
    def whole(self) -> bool:
        """Never cut or wrapped in a table: amounts, counts, dates, years, paths."""
        return self.kind != "text"


#: A row key marking a row that details the sum row after it (a fiscal year's part of one
#: phase): shown, but neither summed into the totals nor carried in a running sum.
DETAIL = "_detail"
#: The sheet of a workbook that lists the inputs; the workbook adds every assumption under
#: them, and its notes sheet then leaves the assumptions out.
INPUTS = Text("Inputs", "入力条件")


@dataclass(frozen=True)
class Table:
    """One table: title, columns, rows (mappings keyed by column key), optional totals row.

    ``note`` is printed under the title instead of an empty table ("within the rules").
    ``main`` marks the table a flat format (CSV) writes when it is not the first one.
    ``chart`` names a column a workbook (xlsx) draws as a native chart, against the
    columns before it as categories; or several columns, drawn as lines against the first
    column (the company's cash with and without A-STEP, month by month). ``sheet`` names
    the workbook sheet the table gets (by default the command's name, numbered).
    """

    title: Text
    columns: Sequence[Column]
    rows: Sequence[Row]
    totals: Row | None = None
    note: Text | None = None
    main: bool = False
    chart: str | tuple[str, ...] | None = None
    sheet: Text | None = None

    def shown(self, *, bars: bool = True) -> Table:
        """The table as a person reads it (a terminal, a workbook): optional columns with no
        value dropped, and its text bars too unless ``bars`` (a workbook draws a native chart)."""
        keep = [
            c
            for c in self.columns
            if (bars or not c.bars) and (not c.optional or any(r.get(c.key) is not None for r in self.rows))
        ]
        return self if len(keep) == len(self.columns) else replace(self, columns=keep)


@dataclass(frozen=True)
class Finding:
    """A broken rule as a report lists it: the violation and, in a check, the file it is in."""

    violation: Violation
    path: str | None = None
    #: The line of the plan key the violation is about (:func:`key_line`), when known.
    line: int | None = None

    @property
    def rule(self) -> str:
        return self.violation.rule

    @property
    def text(self) -> Text:
        return self.violation.text

    @property
    def at(self) -> str | None:
        """``file:line`` (or the file alone) for a violation found in a file."""
        if self.path is None:
            return None
        return self.path if self.line is None else f"{self.path}:{self.line}"

    def json(self, lang: Lang) -> dict[str, Any]:
        """``{"path"?, "rule", "message", "line"?, "details"?}`` as SPEC §6 lists a violation.

        A violation found in a plan file also has ``line`` (``null`` when no key of the file
        is to blame) and ``details``, the numbers behind it; a command's own violations keep
        the two keys SPEC §6 gives every report.
        """
        out: dict[str, Any] = {} if self.path is None else {"path": self.path}
        out.update(rule=self.rule, message=self.text.in_lang(lang))
        phase = getattr(self.violation, "phase", None)  # a violation of one phase of a plan
        if phase:
            out["phase"] = phase
        if self.path is not None:
            out.update(line=self.line, details=details_json(self.violation.details))
        return out


def details_json(details: Mapping[str, Any]) -> dict[str, Any]:
    """A violation's details as JSON carries them: dates in ISO form, numbers as they are."""
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in details.items()}


#: One part of a dotted key: a name, or an index in brackets.
_KEY_PART = re.compile(r"\[\d+\]|[^.\[\]]+")


def key_line(lines: Mapping[str, int], key: str | None) -> int | None:
    """The line of a plan key, or of the nearest enclosing key or table that has one.

    A period's ``end`` is given by ``months`` in a plan that gives its length instead.

    >>> lines = {"budget": 10, "budget.2026": 11, "months": 8, "repayment.payments[1].due": 21}
    >>> key_line(lines, "budget.2026"), key_line(lines, "budget.2031"), key_line(lines, "end")
    (11, 10, 8)
    >>> key_line(lines, "repayment.payments[1].due"), key_line(lines, "amount"), key_line(lines, None)
    (21, None, None)
    """
    if not key:
        return None
    parts = _KEY_PART.findall(key)
    for n in range(len(parts), 0, -1):
        name = "".join(p if i == 0 or p.startswith("[") else f".{p}" for i, p in enumerate(parts[:n]))
        for candidate in (name, *([name[: -len("end")] + "months"] if n == len(parts) and parts[-1] == "end" else [])):
            if candidate in lines:
                return lines[candidate]
    return None


@dataclass(frozen=True)
class FileStatus:
    """One input file of a check: its path and, when it could not be read, why; else the rules it breaks."""

    path: str
    error: Text | None = None
    #: Its violations, in the order the report lists them (every format groups them by file).
    findings: tuple[Finding, ...] = ()

    def located(self) -> tuple[int | None, int | None, Text]:
        """Where the error of an unreadable file is (line, column) and what it says without the
        ``file:line:column:`` it starts with, so that a format naming the file and the line
        itself (a CI annotation, a workbook row) names them once.

        The plan reader words every error ``file:line: ...`` (``file:line:column: ...`` for
        a syntax error, ``file: ...`` when it knows no line; ``：`` after them in Japanese).

        >>> FileStatus("a.toml", Text("a.toml:3: key 'x': bad", "a.toml:3：キー 'x'：不正")).located()
        (3, None, Text(en="key 'x': bad", ja="キー 'x'：不正"))
        >>> FileStatus("a.toml", Text("a.toml:1:15: not valid TOML", "a.toml:1:15：TOML…")).located()[:2]
        (1, 15)
        >>> FileStatus("a.toml", Text("a.toml: cannot be read", "a.toml：読めません")).located()
        (None, None, Text(en='cannot be read', ja='読めません'))
        """
        assert self.error is not None
        prefix = re.compile(re.escape(self.path) + r"(?::(\d+)(?::(\d+))?)?(?:: |：)")
        found = prefix.match(self.error.en)
        if found is None:
            return None, None, self.error
        line, col = (int(n) if n else None for n in found.groups())
        return line, col, Text(prefix.sub("", self.error.en, count=1), prefix.sub("", self.error.ja, count=1))


@dataclass(frozen=True)
class Report:
    """Everything one command outputs, in every format (see the module docstring)."""

    command: str
    rules_id: str
    tables: Sequence[Table]
    data: Mapping[str, Any]
    summary: Sequence[tuple[Text, Any]] = ()
    violations: Sequence[Finding] | None = ()
    #: Core assumptions name the setting that changes them; the command line words it
    #: as its option before rendering (see ``options.assumption_text``).
    assumptions: Sequence[Text | Assumption] = ()
    sources: Sequence[Text] = ()
    files: Sequence[FileStatus] = ()

    @property
    def exit_code(self) -> int:
        """SPEC §6: 2 when an input file is unreadable, 1 when a rule is broken, else 0."""
        if any(f.error is not None for f in self.files):
            return 2
        return 1 if self.violations else 0


@dataclass(frozen=True)
class Document:
    """A document printed as it is, whatever the format allows (``astep schema``'s JSON Schema,
    ``astep init``'s plan file)."""

    command: str
    text: str
    #: What the text is written in, as a Markdown fence names it: ``json``, ``toml``, ``text``.
    syntax: str = "json"
    #: The same document as JSON, for ``--format json``, when the text is not JSON (a TOML plan
    #: as a JSON plan); None when it is.
    json: str | None = None

    def as_json(self) -> str:
        """The document as JSON: its text, or the JSON form of it."""
        if self.syntax == "json":
            return self.text
        assert self.json is not None, f"a {self.syntax} document without its JSON form"
        return self.json


def as_text(item: Text | Assumption) -> Text:
    """An assumption's words, without naming the setting that changes it."""
    return item if isinstance(item, Text) else item.text


def plan_key_text(item: Text | Assumption) -> Text:
    """An assumption as ``astep check`` words it: the plan key that changes it, never an option.

    >>> plan_key_text(Assumption(Text("rounded down", "切り捨て"), "round")).en
    'rounded down (plan key round)'
    """
    if isinstance(item, Text) or item.setting is None:
        return as_text(item)
    key = item.setting if item.value is None else f'{item.setting} = "{item.value}"'
    return Text(f"{item.text.en} (plan key {key})", f"{item.text.ja}（計画ファイルのキー {key} で変更可）")


def findings(
    violations: Iterable[Violation], path: str | None = None, lines: Mapping[str, int] | None = None
) -> tuple[Finding, ...]:
    """Violations as a report lists them; in a file, each at the line of its key (``lines``)."""
    return tuple(Finding(v, path, key_line(lines or {}, v.key)) for v in violations)


def unique(items: Iterable[Any]) -> list[Any]:
    """Items in first-seen order, each once (assumptions and sources shared by several results)."""
    out: list[Any] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


# --------------------------------------------------------------------------- budget


def budget_rows(plan: BudgetPlan) -> list[dict[str, Any]]:
    """A budget's fiscal years as rows (the SPEC §6 ``fiscal_years`` keys, plus days)."""
    return [
        {
            "fiscal_year": r.fiscal_year,
            "start": r.start,
            "end": r.end,
            "months": r.months,
            "days": r.days,
            "cap": r.cap,
            "direct_max": r.direct_max,
            "indirect_max": r.indirect_max,
        }
        for r in plan.rows
    ]


def budget_table(plan: BudgetPlan, head: Text | None = None) -> Table:
    """Caps per fiscal year with the direct/indirect split and a totals row (days with day proration).

    The title starts with ``head`` (a plan's ``フェーズ1（ステージⅠ）``), else the menu's name.
    """
    from astep_calc.budget import Proration

    columns = [
        Column("fiscal_year", Labels.fiscal_year, "fiscal_year"),
        Column("start", Labels.start, "date"),
        Column("end", Labels.end, "date"),
        Column("months", Labels.calendar_months, "int"),
        *([Column("days", Labels.days, "int")] if plan.proration is Proration.DAY else []),
        Column("cap", Labels.cap, "money"),
        Column("direct_max", Labels.direct_max, "money"),
        Column("indirect_max", Labels.indirect_max, "money"),
    ]
    totals = {
        "fiscal_year": Labels.total,
        "months": months_total(plan),
        "days": sum(r.days for r in plan.rows),
        "cap": plan.total_cap,
        "direct_max": plan.total_direct,
        "indirect_max": plan.total_indirect,
    }
    m, s, e = plan.menu, plan.start.isoformat(), plan.end.isoformat()
    h = head or m.name
    title = Text(f"{h.en}: caps per fiscal year, {s} to {e} (yen)", f"{h.ja}：年度別の上限額 {s}〜{e}（単位：円）")
    return Table(title, columns, budget_rows(plan), totals)


def months_total(plan: BudgetPlan) -> Text:
    """The months column's total: the calendar months counted and, where it differs, the
    period's length (民法143条) beside it — 30 months from the 15th touch 31 (SPEC §4).

    >>> from datetime import date
    >>> from astep_calc.budget import fiscal_year_caps
    >>> from astep_calc.rulebook import load_rulebook
    >>> months_total(fiscal_year_caps(load_rulebook(), "stage1", date(2026, 10, 15), date(2029, 4, 14))).ja
    '31（実施期間30か月）'
    >>> months_total(fiscal_year_caps(load_rulebook(), "stage1", date(2026, 10, 1), date(2029, 3, 31))).en
    '30 months'
    """
    from astep_calc.periods import format_period

    counted, (months, days) = plan.calendar_months, plan.length
    period = format_period(plan.start, plan.end)
    if counted == months and not days:
        return period
    return Text(f"{counted} (period: {period.en})", f"{counted}（実施期間{period.ja}）")


def budget_data(plan: BudgetPlan) -> dict[str, Any]:
    """A budget's JSON keys (SPEC §6 ``budget``)."""
    return {
        "menu": plan.menu.id,
        "start": plan.start,
        "end": plan.end,
        "fiscal_years": budget_rows(plan),
        "calendar_months": plan.calendar_months,
        "period_months": plan.length[0],
        "period_days": plan.length[1],
        "total_cap": plan.total_cap,
        "total_direct_max": plan.total_direct,
        "total_indirect_max": plan.total_indirect,
        "indirect_rate": plan.indirect_rate,
        "proration": plan.proration.value,
        "prorate_last": plan.prorate_last,
        "round": plan.round_unit,
    }


# --------------------------------------------------------------------------- advances

#: How a 実装支援 table's title starts outside a plan (in a plan: its phase).
JISSO = Text("実装支援", "実装支援")


def advance_rows(plan: Disbursement) -> list[dict[str, Any]]:
    """Quarterly advances as rows: key, label, date, months, amount, cumulative."""
    return [
        {
            "quarter": a.key,
            "label": a.label,
            "date": a.date,
            **({"scheduled": a.scheduled} if a.scheduled is not None else {}),
            "months": a.months,
            "amount": a.amount,
            "cumulative": a.cumulative,
        }
        for a in plan.advances
    ]


#: The unmoved date beside a date the business-day convention moved (shown when one moved;
#: always in CSV, empty where the date stayed).
SCHEDULED_COLUMN = Column("scheduled", Labels.scheduled, "date_weekday", optional=True)


def advances_table(plan: Disbursement, head: Text = JISSO) -> Table:
    """The advances with their weekdays, a cumulative column and a totals row; the title starts with ``head``."""
    columns = [
        Column("label", Labels.quarter),
        Column("date", Labels.advance_date, "date_weekday"),
        SCHEDULED_COLUMN,
        Column("months", Labels.months, "int"),
        Column("amount", Labels.advance_amount, "money"),
        Column("cumulative", Labels.cumulative, "money", running="amount"),
    ]
    totals = {
        "label": Labels.total,
        "months": sum(a.months for a in plan.advances),
        "amount": plan.total,
        "cumulative": plan.total,
    }
    s, e = plan.start.isoformat(), plan.end.isoformat()
    return Table(
        Text(
            f"{head.en}: quarterly advances, {s} to {e} (yen)",
            f"{head.ja}：四半期毎の前払い（概算）、{s}〜{e}（単位：円）",
        ),
        columns,
        advance_rows(plan),
        totals,
    )


def advances_data(plan: Disbursement) -> dict[str, Any]:
    """The advances' JSON keys (SPEC §6 ``disburse``, without the collateral)."""
    return {
        "amount": plan.amount,
        "start": plan.start,
        "end": plan.end,
        "advances": [
            {k: r[k] for k in ("quarter", "date", "scheduled", "months", "amount") if k in r}
            for r in advance_rows(plan)
        ],
        "total": plan.total,
    }


# --------------------------------------------------------------------------- schedule

SCHEDULE_COLUMNS = (
    Column("no", Labels.no, "int"),
    Column("due", Labels.due, "date_weekday"),
    Column("amount", Labels.payment, "money"),
    Column("cumulative", Labels.cumulative, "money", running="amount"),
    Column("balance", Labels.balance, "money"),
)


def schedule_rows(s: Schedule) -> list[dict[str, Any]]:
    """A schedule's payments as rows (JSON keys no, due, amount, cumulative, balance; ``scheduled``,
    the unmoved date, after ``due`` when the business-day convention moved it)."""
    # Two literal forms rather than one merged from parts, which is slower: a check's JSON
    # report of 10,000 monthly plans builds 1.2 million of these rows.
    return [
        {"no": p.no, "due": p.due, "amount": p.amount, "cumulative": p.cumulative, "balance": p.balance}
        if p.scheduled is None
        else {
            "no": p.no,
            "due": p.due,
            "scheduled": p.scheduled,
            "amount": p.amount,
            "cumulative": p.cumulative,
            "balance": p.balance,
        }
        for p in s.payments
    ]


def schedule_table(s: Schedule, head: Text = JISSO) -> Table:
    """The payments with their weekdays and a totals row; the title starts with ``head`` and
    names the development end, or the stop date (中止日) of a discontinued case."""
    from astep_calc.rulebook import grade_label

    name, e = grade_label(s.grade), s.dev_end.isoformat()
    end = Labels.stop_date if s.stopped else Labels.dev_end
    return Table(
        Text(
            f"{head.en}: repayment schedule, {name.en}, {end.en.lower()} {e} (yen)",
            f"{head.ja}：返済計画（{name.ja}、{end.ja}{e}）（単位：円）",
        ),
        (*SCHEDULE_COLUMNS[:2], SCHEDULED_COLUMN, *SCHEDULE_COLUMNS[2:]),
        schedule_rows(s),
        {"no": Labels.total, "amount": s.total},
    )


# --------------------------------------------------------------------------- check


@dataclass(frozen=True)
class FilePart:
    """One file's part of a check report: what every format shows of the file."""

    #: The file, and the violations it breaks or why it cannot be read.
    status: FileStatus
    #: Its entry in the JSON report's ``files``, or None when it is not kept as a value
    #: (a check encodes each entry as soon as it is built, see :mod:`astep_calc.cli.check_scale`).
    entry: dict[str, Any] | None
    table: Table
    summary_row: dict[str, Any]
    assumptions: tuple[Text, ...] = ()
    sources: tuple[Text, ...] = ()


class CheckView:
    """How ``astep check`` shows each file: its :class:`FilePart` (:meth:`checked`,
    :meth:`checked_phases`, :meth:`unreadable`); :func:`check_report` puts the parts together.

    Tables: one per file (its violations, or a note that it holds or cannot be read),
    then the summary of every file. JSON: ``ok``, ``files``, ``counts`` and every
    violation with its file. CSV: every violation with its file.
    """

    def __init__(self, rules: Rulebook, *, details: bool = True) -> None:
        """``details``: give each file's entry the numbers behind its check (the JSON report
        shows them; other formats need not hold them)."""
        self.rules = rules
        self.details = details

    def unreadable(self, path: str, reason: Text) -> FilePart:
        """A file that is not a readable plan: its row says why; the exit code will be 2."""
        return FilePart(
            FileStatus(path, reason),
            {"path": path, "ok": False, "menu": None, "violations": [], "error": reason},
            Table(
                Text(path, path),
                VIOLATION_COLUMNS,
                [],
                note=Text(f"✗ Not a readable plan: {reason.en}", f"✗ 計画ファイルとして読み込めません：{reason.ja}"),
            ),
            {"path": path, "menu": None, "result": Labels.unreadable, "violations": None},
        )

    def checked(
        self,
        path: str,
        result: Evaluation,
        lines: Mapping[str, int] | None = None,
        company: CompanyResult | None = None,
        notes: Sequence[Text] = (),
    ) -> FilePart:
        """A single-phase plan that was read and checked: its one phase, named by its menu, with
        its company's rules when it has ``[company]``; ``notes``: more assumptions."""
        (r,) = result.phases
        menu, phase = r.menu, r.phase
        violations = (*r.violations, *(company.violations if company else ()))
        assumptions = (*r.assumptions, *(company.assumptions if company else ()), *notes)
        found = findings(violations, path, lines)
        rows = [_finding_row(f) for f in found]
        entry = {
            "path": path,
            "ok": not rows,
            "menu": menu.id,
            "start": phase.start,
            "end": phase.end,
            "violations": [_finding_json(row) for row in rows],
            "error": None,
            **(check_details(r) if self.details else {}),
        }
        n = len(rows)
        broken = count(n, "violation", "violations", "違反 {n}件")
        s, e = phase.start.isoformat(), phase.end.isoformat()
        title = Text(
            f"{path}: {menu.id}, {s} to {e}" + (f" — {broken.en}" if n else ""),
            f"{path}：{menu.name.ja}、{s}〜{e}" + (f" — {broken.ja}" if n else ""),
        )
        totals = {"rule": Labels.total, "message": broken} if n else None
        return FilePart(
            FileStatus(path, findings=found),
            entry,
            Table(title, VIOLATION_COLUMNS, rows, totals, note=Labels.ok),
            {
                "path": path,
                "menu": Text(menu.id, menu.short.ja),
                "violations": n,
                "result": Text(f"✗ {broken.en}", f"✗ {broken.ja}") if n else Labels.holds,
            },
            tuple(unique(map(plan_key_text, assumptions))),
            (rulebook_line(self.rules.id, menu.cite),),
        )

    def checked_phases(
        self,
        path: str,
        title: str | None,
        result: Evaluation,
        lines: Mapping[str, int] | None = None,
        company: CompanyResult | None = None,
        notes: Sequence[Text] = (),
    ) -> FilePart:
        """A plan of several phases that was read and checked: each violation names its phase
        (the company's rules, when it has ``[company]``, none), and each phase carries the
        numbers a single-phase file's check shows."""
        first = min(r.phase.start for r in result.phases)
        last = max(r.phase.last_day for r in result.phases)
        violations: list[Violation] = [*result.violations, *(company.violations if company else ())]
        assumptions = [*result.assumptions, *(company.assumptions if company else ()), *notes]
        found = findings(violations, path, lines)
        rows = [{**_finding_row(f), "phase": getattr(v, "phase", None)} for f, v in zip(found, violations, strict=True)]
        entry = {
            "path": path,
            "ok": not rows,
            "menu": None,
            "title": title,
            "start": first,
            "end": last,
            "violations": [_finding_json(r) for r in rows],
            "error": None,
            **({"phases": [phase_details(r) for r in result.phases]} if self.details else {}),
        }
        n = len(rows)
        broken = count(n, "violation", "violations", "違反 {n}件")
        phases = count(len(result.phases), "phase", "phases", "{n}フェーズ")
        s, e = first.isoformat(), last.isoformat()
        name = f"{title}, " if title else ""
        table = Table(
            Text(
                f"{path}: {name}{phases.en}, {s} to {e}" + (f" — {broken.en}" if n else ""),
                f"{path}：{name.replace(', ', '、')}{phases.ja}、{s}〜{e}" + (f" — {broken.ja}" if n else ""),
            ),
            VIOLATION_COLUMNS,
            rows,
            {"rule": Labels.total, "message": broken} if n else None,
            note=Labels.ok,
        )
        menus = Text(" → ".join(r.menu.id for r in result.phases), " → ".join(r.menu.short.ja for r in result.phases))
        return FilePart(
            FileStatus(path, findings=found),
            entry,
            table,
            {
                "path": path,
                "menu": menus,
                "violations": n,
                "result": Text(f"✗ {broken.en}", f"✗ {broken.ja}") if n else Labels.holds,
            },
            tuple(unique(map(plan_key_text, assumptions))),
            tuple(unique(rulebook_line(self.rules.id, r.menu.cite) for r in result.phases)),
        )


def check_report(rules_id: str, parts: Iterable[FilePart]) -> Report:
    """The report of ``astep check`` from each file's part, in the order the files were given.

    Its ``data`` holds ``ok`` and ``counts``; the JSON report writes the files' entries
    between them (``files``), as :mod:`astep_calc.cli.check_scale` keeps them.
    """
    statuses: list[FileStatus] = []
    tables: list[Table] = []
    summary_rows: list[dict[str, Any]] = []
    violations: list[Finding] = []
    # Each once, in first-seen order (dictionary keys: 10,000 files share the same few).
    assumptions: dict[Text, None] = {}
    sources: dict[Text, None] = {}
    for part in parts:
        statuses.append(part.status)
        tables.append(part.table)
        summary_rows.append(part.summary_row)
        violations += part.status.findings
        assumptions.update(dict.fromkeys(part.assumptions))
        sources.update(dict.fromkeys(part.sources))
    n_files = len(statuses)
    unreadable = sum(1 for f in statuses if f.error is not None)
    broken = sum(1 for f in statuses if f.findings)
    totals = {
        "path": Text(f"{count(n_files, 'file', 'files', '').en} checked", f"{n_files}ファイルを検査"),
        "result": Text(
            f"{broken} with violations" + (f", {unreadable} unreadable" if unreadable else ""),
            (f"違反あり {broken}ファイル" if broken else "違反なし")
            + (f"、読み込めない {unreadable}ファイル" if unreadable else ""),
        ),
        "violations": len(violations),
    }
    summary = Table(Labels.plans_checked, CHECK_SUMMARY_COLUMNS, summary_rows, totals)
    return Report(
        command="check",
        rules_id=rules_id,
        tables=[*tables, summary],
        data={
            "ok": not broken and not unreadable,
            "counts": {
                "files": n_files,
                "with_violations": broken,
                "unreadable": unreadable,
                "violations": len(violations),
            },
        },
        violations=violations,
        assumptions=list(assumptions),
        sources=list(sources),
        files=statuses,
    )


VIOLATION_COLUMNS = (
    Column("rule", Labels.rule, "verbatim"),
    Column("at", Labels.where, "verbatim"),
    Column("message", Labels.violation),
)
#: A check's violations, one row per violation with its file and line: the CSV of ``astep check``.
FINDING_COLUMNS = (
    Column("path", Labels.file),
    Column("rule", Labels.rule, "verbatim"),
    Column("message", Labels.violation),
    Column("line", Labels.line, "int"),
)


def _finding_row(f: Finding) -> dict[str, Any]:
    """A violation of a plan file as its file's table shows it (``at`` is ``file:line``)."""
    return {"rule": f.rule, "message": f.text, "at": f.at, "line": f.line, "details": details_json(f.violation.details)}


def _finding_json(row: Mapping[str, Any]) -> dict[str, Any]:
    """A file's violation as the JSON report lists it: the table row without ``at``."""
    return {k: v for k, v in row.items() if k != "at"}


# The menu is text: a roadmap's "stage1 → stage2-gate → jisso" wraps between its menus at a
# narrow terminal, so that the summary keeps its columns and every path whole.
CHECK_SUMMARY_COLUMNS = (
    Column("path", Labels.file, "verbatim"),
    Column("menu", Labels.menu, "text"),
    Column("result", Labels.result),
    Column("violations", Labels.violations, "int"),
)


def check_details(r: PhaseResult) -> dict[str, Any]:
    """The numbers behind a single-phase file's check: what ``astep budget`` / ``astep repay`` would show."""
    p = r.phase
    if r.caps is not None:
        return _budget_details(r.caps, p.budget)
    assert r.schedule is not None and p.amount is not None
    return _repay_details(p.amount, p.collateral, r.collateral_required, r.schedule)


def phase_details(r: PhaseResult) -> dict[str, Any]:
    """One phase of a plan with its numbers, as :func:`check_details` gives a single-phase file's."""
    p = r.phase
    out: dict[str, Any] = {"phase": r.no, "menu": r.menu.id, "start": p.start, "end": p.end}
    if r.caps is not None:
        out.update(_budget_details(r.caps, p.budget))
        if p.matching:
            out["matching"] = [{"fiscal_year": fy, "amount": amount} for fy, amount in p.matching]
            out["total_matching"] = r.company_total
            from astep_calc.money import ratio_decimal

            out["matching_ratio"] = None if r.matching_ratio is None else ratio_decimal(r.matching_ratio)
        return out
    assert r.schedule is not None and p.amount is not None
    out.update(_repay_details(p.amount, p.collateral, r.collateral_required, r.schedule))
    if p.stop is not None:
        out.update(stop=p.stop, paid=r.paid)
    return out


def _budget_details(caps: BudgetPlan, budget: Sequence[tuple[int, int]]) -> dict[str, Any]:
    requested = dict(budget)
    return {
        "fiscal_years": [{**row, "request": requested.get(row["fiscal_year"])} for row in budget_rows(caps)],
        "budget": [{"fiscal_year": fy, "request": amount} for fy, amount in budget],
        "total_cap": caps.total_cap,
        "total_request": sum(requested.values()),
    }


def _repay_details(amount: int, posted: int | None, required: int | None, s: Schedule) -> dict[str, Any]:
    return {
        "amount": amount,
        "collateral": posted,
        "collateral_required": required,
        "dev_end": s.dev_end,
        "grade": s.grade.id,
        "custom": s.terms is None,
        "owed": s.owed,
        "payments": schedule_rows(s),
        "total": s.total,
    }


#: The ``rule`` of a check's CSV row for a file that is not a readable plan.
UNREADABLE_RULE = "unreadable"


def main_table(report: Report) -> Table:
    """The one table a flat format (CSV) writes, else the first table: for a check, every
    violation with its file, and a row (rule ``unreadable``) for each file that could not be read."""
    if report.files:
        rows: list[dict[str, Any]] = []
        for status in report.files:
            if status.error is not None:
                rows.append(
                    {"path": status.path, "rule": UNREADABLE_RULE, "message": status.error, "line": status.located()[0]}
                )
            rows += [{"path": f.path, "rule": f.rule, "message": f.text, "line": f.line} for f in status.findings]
        return Table(Labels.violations, FINDING_COLUMNS, rows)
    return next((t for t in report.tables if t.main), report.tables[0])
