"""Plan files for ``astep check`` (SPEC §6-7): load a TOML or JSON plan, check it against the rules.

A plan is what a team keeps in its repository: the menu, the period, and either the
budget requested per fiscal year (stage1, stage2, stage2-gate) or the 実装支援 amount,
collateral and repayment (jisso). :func:`load_plan` validates every key and names the
file, the dotted key and the line of anything it cannot use; :func:`check_plan` lists
every programme rule the plan breaks, computed by the same core functions as
``astep budget`` and ``astep repay`` (never a second implementation of a rule).

>>> from astep_calc.rulebook import load_rulebook
>>> rb = load_rulebook()
>>> plan = parse_plan('menu = "stage1"\\nstart = 2026-10-01\\nend = 2029-03-31\\n'
...                   '[budget]\\n2026 = "800万"\\n2030 = 1\\n', "plan.toml", rb)
>>> [v.rule for v in check_plan(rb, plan)]
['budget.fy_cap', 'budget.outside_period']
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from astep_calc.budget import BudgetPlan, fiscal_year_caps, period_violations
from astep_calc.dates import fiscal_year_label, parse_date, parse_months
from astep_calc.jisso import amount_violations, collateral, collateral_assumptions, require_positive
from astep_calc.money import format_rate, format_yen, parse_rate, parse_yen
from astep_calc.repayment import Schedule, Terms, custom_schedule, parse_every, schedule
from astep_calc.rulebook import Menu, Rulebook, load_rulebook, package_file
from astep_calc.text import InputError, Text, Violation

#: The keys a plan file may hold, per table; the JSON Schema lists exactly these.
TOP_KEYS = ("$schema", "menu", "start", "end", "indirect_rate", "budget", "amount", "collateral",
            "repayment")
#: Keys only an annual-cap menu (stage1, stage2, stage2-gate) takes.
ANNUAL_KEYS = ("indirect_rate", "budget")
#: Keys only the repayable menu (jisso) takes.
JISSO_KEYS = ("amount", "collateral", "repayment")
#: ``[repayment]``: a generated schedule (deferral, term, every, lump, due) or ``payments``.
REPAYMENT_KEYS = ("grade", "deferral", "term", "every", "lump", "due", "payments")
LAYOUT_KEYS = ("deferral", "term", "every", "lump", "due")
PAYMENT_KEYS = ("due", "amount")
_FISCAL_YEAR_KEY = re.compile(r"\d{4}")

Key = tuple[str | int, ...]


@dataclass(frozen=True)
class Repayment:
    """A jisso plan's repayment: a generated layout (``terms``) or explicit ``payments``."""

    grade: str | None = None
    terms: Terms | None = None
    payments: tuple[tuple[date, int], ...] = ()


@dataclass(frozen=True)
class Plan:
    """One plan file, validated. ``budget`` holds (fiscal year, requested yen incl. 間接経費)."""

    path: str
    menu: str
    start: date
    end: date
    indirect_rate: Fraction | None = None
    budget: tuple[tuple[int, int], ...] = ()
    amount: int | None = None
    collateral: int | None = None
    repayment: Repayment | None = None
    #: Line of each dotted key in the file, for messages; not part of the plan itself.
    lines: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class PlanCheck:
    """A plan checked: every violation, the assumptions, and the numbers behind them."""

    plan: Plan
    menu: Menu
    violations: tuple[Violation, ...]
    assumptions: tuple[Text, ...]
    caps: BudgetPlan | None = None
    collateral_required: int | None = None
    schedule: Schedule | None = None


# ---------------------------------------------------------------------------------------
# Reading the file


def load_plan(path: str | Path, rules: Rulebook | None = None) -> Plan:
    """Read and validate a plan file: JSON when it ends in ``.json``, TOML otherwise.

    Anything unusable raises :class:`InputError` naming the file, the dotted key and,
    where it can be found, the line.
    """
    origin = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise InputError(f"{origin}: cannot be read: {reason}", f"{origin}: 読めません：{reason}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"{origin}:{line}: not UTF-8 text (byte 0x{raw[exc.start]:02x}); save the plan as UTF-8",
            f"{origin}:{line}: UTF-8 のテキストではありません（バイト 0x{raw[exc.start]:02x}）。"
            "プランは UTF-8 で保存してください",
        ) from None
    return parse_plan(text, origin, rules, json_format=origin.lower().endswith(".json"))


def parse_plan(text: str, origin: str, rules: Rulebook | None = None, *, json_format: bool = False) -> Plan:
    """Validate a plan given as text (TOML, or JSON with ``json_format``); see :func:`load_plan`."""
    rules = rules if rules is not None else load_rulebook()
    data = _parse_json(text, origin) if json_format else _parse_toml(text, origin)
    lines = _json_key_lines(text) if json_format else _toml_key_lines(text)
    return _Reader(origin, lines, rules).plan(data)


def _parse_toml(text: str, origin: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text, parse_float=Decimal)  # 0.30 is the decimal 0.30, exactly
    except tomllib.TOMLDecodeError as exc:
        # tomllib ends its message with "(at line N, column M)" or "(at end of document)".
        msg = str(exc)
        at = re.search(r"\s*\(at (?:line (\d+), column (\d+)|(end of document))\)$", msg)
        reason = msg[: at.start()] if at else msg
        if at is None:
            where = origin
        elif at.group(3):
            where = f"{origin}:{max(1, len(text.splitlines()))}"
        else:
            where = f"{origin}:{at.group(1)}:{at.group(2)}"
        raise InputError(f"{where}: not valid TOML: {reason}", f"{where}: TOML として読めません：{reason}") from None
    except RecursionError:
        raise InputError(f"{origin}: not valid TOML: nested too deeply",
                         f"{origin}: TOML として読めません：入れ子が深すぎます") from None


def _parse_json(text: str, origin: str) -> dict[str, Any]:
    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in items:
            if k in out:
                raise _JsonProblem(f"the key {k!r} appears twice in one object",
                                   f"同じオブジェクトにキー {k!r} が2回あります")
            out[k] = v
        return out

    def constant(name: str) -> Any:
        raise _JsonProblem(f"{name} is not a number", f"{name} は数値ではありません")

    try:
        data = json.loads(text, object_pairs_hook=pairs, parse_float=Decimal, parse_constant=constant)
    except json.JSONDecodeError as exc:
        raise InputError(f"{origin}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}",
                         f"{origin}:{exc.lineno}:{exc.colno}: JSON として読めません：{exc.msg}") from None
    except _JsonProblem as exc:
        raise InputError(f"{origin}: not valid JSON: {exc.text.en}",
                         f"{origin}: JSON として読めません：{exc.text.ja}") from None
    except RecursionError:
        raise InputError(f"{origin}: not valid JSON: nested too deeply",
                         f"{origin}: JSON として読めません：入れ子が深すぎます") from None
    if not isinstance(data, dict):
        raise InputError(f"{origin}: a plan must be a JSON object {{...}}, got {_kind(data)}",
                         f"{origin}: プランは JSON オブジェクト {{...}} でなければなりません（{_kind_ja(data)}です）")
    return data


class _JsonProblem(InputError):
    """A JSON document that decodes but is not acceptable (a duplicate key, NaN)."""


def _dotted(key: Key) -> str:
    out = ""
    for part in key:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


_TOML_HEADER = re.compile(r"\s*(\[\[?)\s*([^\[\]#]+?)\s*\]\]?\s*(?:#.*)?$")
_TOML_KEY = re.compile(r"""\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=""")
_TOML_PART = re.compile(r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'""")


def _toml_parts(dotted: str) -> tuple[str, ...]:
    return tuple(p[1:-1] if p[0] in "\"'" else p for p in _TOML_PART.findall(dotted))


def _toml_key_lines(text: str) -> dict[str, int]:
    """The first line of each table header and key, by dotted key (best effort, for messages)."""
    out: dict[str, int] = {}
    table: Key = ()
    arrays: dict[Key, int] = {}
    for n, line in enumerate(text.splitlines(), start=1):
        header = _TOML_HEADER.match(line)
        if header:
            parts: Key = _toml_parts(header.group(2))
            if header.group(1) == "[[":
                arrays[parts] = arrays.get(parts, -1) + 1
                out.setdefault(_dotted(parts), n)
                parts += (arrays[parts],)
            table = parts
            out.setdefault(_dotted(table), n)
            continue
        kv = _TOML_KEY.match(line)
        if kv:
            out.setdefault(_dotted(table + _toml_parts(kv.group(1))), n)
    return out


def _json_key_lines(text: str) -> dict[str, int]:
    """The line of each object key and array element, by dotted key (best effort, for messages)."""
    out: dict[str, int] = {}
    frames: list[_Frame] = []
    for m in _JSON_TOKEN.finditer(text):
        tok, line = m.group(0), text.count("\n", 0, m.start()) + 1
        top = frames[-1] if frames else None
        if m.group(2) is not None:  # "name": an object key
            if top is not None and not top.array:
                try:
                    top.key = json.loads(f'"{m.group(1)}"')
                except ValueError:
                    top.key = m.group(1)
                out.setdefault(_dotted((*top.path, top.key)), line)
        elif tok in "{[":
            child: Key = () if top is None else (*top.path, top.index if top.array else top.key)
            if child:
                out.setdefault(_dotted(child), line)
            frames.append(_Frame(child, tok == "["))
        elif tok in "}]":
            if frames:
                frames.pop()
        elif tok == "," and top is not None and top.array:
            top.index += 1
    return out


_JSON_TOKEN = re.compile(r'"((?:[^"\\]|\\.)*)"(\s*:)?|[\[\]{},]')


@dataclass
class _Frame:
    """An open JSON object or array while scanning for key lines."""

    path: Key
    array: bool
    index: int = 0
    key: str = ""


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float | Decimal):
        return "a decimal number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, datetime):
        return "a date with a time"
    if isinstance(value, date):
        return "a date"
    if isinstance(value, time):
        return "a time"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    return "null" if value is None else type(value).__name__


def _kind_ja(value: Any) -> str:
    return {"true/false": "真偽値", "an integer": "整数", "a decimal number": "小数", "a string": "文字列",
            "a date with a time": "時刻付きの日時", "a date": "日付", "a time": "時刻", "a table": "テーブル",
            "a list": "配列", "null": "null"}.get(_kind(value), _kind(value))


class _Reader:
    """Validates parsed plan data key by key; every error names the file, key and line."""

    def __init__(self, origin: str, lines: dict[str, int], rules: Rulebook) -> None:
        self.origin = origin
        self.lines = lines
        self.rules = rules

    def loc(self, key: Key) -> str:
        """``file:line`` of the key, or of its nearest enclosing table that has a line; else ``file``."""
        for n in range(len(key), 0, -1):
            line = self.lines.get(_dotted(key[:n]))
            if line is not None:
                return f"{self.origin}:{line}"
        return self.origin

    def error(self, key: Key, en: str, ja: str) -> InputError:
        return _key_error(self.loc(key), _dotted(key), en, ja)

    def wrong_type(self, key: Key, value: Any, want_en: str, want_ja: str) -> InputError:
        return self.error(key, f"must be {want_en}, got {_kind(value)} ({_show(value)})",
                          f"{want_ja}で指定してください（{_kind_ja(value)} {_show(value)} が指定されています）")

    @contextmanager
    def at(self, key: Key) -> Iterator[None]:
        """Re-raise a core :class:`InputError` with the file, key and line in front."""
        try:
            yield
        except InputError as exc:  # the key is named in front, so the core's own name is left out
            raise self.error(key, exc.text.en.strip(), exc.text.ja.strip()) from None

    def table(self, data: Any, key: Key, allowed: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise self.wrong_type(key, data, "a table", "テーブル")
        for name in data:
            if name not in allowed:
                raise self.error((*key, name), f"is not a plan key here (expected one of {', '.join(allowed)})",
                                 f"このキーは使えません（使えるキー：{', '.join(allowed)}）")
        return data

    def required(self, data: dict[str, Any], key: Key) -> Any:
        if key[-1] not in data:
            loc = self.loc(key[:-1])
            raise InputError(f"{loc}: key {_dotted(key)!r} is missing", f"{loc}: キー {_dotted(key)!r} がありません")
        return data[key[-1]]

    # Values -----------------------------------------------------------------------------

    def day(self, value: Any, key: Key) -> date:
        if isinstance(value, datetime) or not isinstance(value, str | date):
            raise self.wrong_type(key, value, "a date such as 2026-10-01", "2026-10-01 のような日付")
        with self.at(key):
            return parse_date(value)

    def yen(self, value: Any, key: Key) -> int:
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise self.wrong_type(key, value, 'whole yen: an integer or a string such as "1500万"',
                                  '整数または "1500万" のような文字列の金額')
        with self.at(key):
            return parse_yen(value)

    def rate(self, value: Any, key: Key) -> Fraction:
        if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
            raise self.wrong_type(key, value, 'a rate such as 0.30 or "30%"', '0.30 または "30%" のような率')
        with self.at(key):
            return parse_rate(value, name="")

    def months(self, value: Any, key: Key) -> int:
        if isinstance(value, Decimal):
            value = format(value, "f")
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise self.wrong_type(key, value, 'a duration such as "3y", "18m" or a number of years',
                                  '"3y"・"18m" または年数のような期間')
        with self.at(key):
            return parse_months(value, name="")

    def string(self, value: Any, key: Key) -> str:
        if not isinstance(value, str):
            raise self.wrong_type(key, value, "a string", "文字列")
        return value

    # The plan ---------------------------------------------------------------------------

    def plan(self, data: dict[str, Any]) -> Plan:
        top = self.table(data, (), TOP_KEYS)
        if "$schema" in top:
            self.string(top["$schema"], ("$schema",))
        menu_raw = self.string(self.required(top, ("menu",)), ("menu",))
        with self.at(("menu",)):
            menu = self.rules.menu(menu_raw)
        start = self.day(self.required(top, ("start",)), ("start",))
        end = self.day(self.required(top, ("end",)), ("end",))
        kind_keys: tuple[str, ...]
        other_keys: tuple[str, ...]
        if menu.cap_kind == "annual":
            kind_keys, other_keys = ANNUAL_KEYS, JISSO_KEYS
        elif menu.fund_type == "repayable":
            kind_keys, other_keys = JISSO_KEYS, ANNUAL_KEYS
        else:
            raise self.error(("menu",), f"{menu.id!r} has neither a cap per fiscal year nor repayment; "
                             "plan checks cover annual-cap menus and 実装支援",
                             f"{menu.id!r} は年度別上限も返済もないメニューのため、プランの検査に対応していません")
        for name in other_keys:
            if name in top:
                raise self.error((name,), f"does not apply to menu {menu.id!r} (it takes {', '.join(kind_keys)})",
                                 f"メニュー {menu.id!r} では使えません（使えるキー：{', '.join(kind_keys)}）")
        base = Plan(path=self.origin, menu=menu.id, start=start, end=end, lines=self.lines)
        if menu.cap_kind == "annual":
            return self.annual(top, base)
        return self.jisso(top, base)

    def annual(self, top: dict[str, Any], plan: Plan) -> Plan:
        rate = self.rate(top["indirect_rate"], ("indirect_rate",)) if "indirect_rate" in top else None
        requests: list[tuple[int, int]] = []
        if "budget" in top:
            budget = top["budget"]
            if not isinstance(budget, dict):
                raise self.wrong_type(("budget",), budget, "a table of fiscal year = amount",
                                      "「年度 = 金額」のテーブル")
            for name, value in budget.items():
                if not _FISCAL_YEAR_KEY.fullmatch(name):
                    raise self.error(("budget", name), "is not a fiscal year: write the year it starts in, e.g. 2026",
                                     "年度ではありません（2026 のように年度の始まる年で書いてください）")
                requests.append((int(name), self.yen(value, ("budget", name))))
        return replace(plan, indirect_rate=rate, budget=tuple(sorted(requests)))

    def jisso(self, top: dict[str, Any], plan: Plan) -> Plan:
        amount = self.yen(self.required(top, ("amount",)), ("amount",))
        with self.at(("amount",)):
            require_positive(amount, Text("the total development cost", "開発費総額"))
        posted = self.yen(self.required(top, ("collateral",)), ("collateral",))
        repayment = self.repayment(top.get("repayment", {}))
        out = replace(plan, amount=amount, collateral=posted, repayment=repayment)
        _schedule(self.rules, out)  # an impossible layout is an unusable plan: fail here, naming the key
        return out

    def repayment(self, data: Any) -> Repayment:
        key: Key = ("repayment",)
        t = self.table(data, key, REPAYMENT_KEYS)
        grade = None
        if "grade" in t:
            with self.at((*key, "grade")):
                grade = self.rules.jisso.repayment.grade(self.string(t["grade"], (*key, "grade"))).id
        if "payments" in t:
            layout = [k for k in LAYOUT_KEYS if k in t]
            if layout:
                raise self.error((*key, layout[0]),
                                 "cannot be combined with payments: an explicit schedule gives every due date",
                                 "payments（返済計画の明示）と併用できません")
            return Repayment(grade=grade, payments=self.payments(t["payments"], (*key, "payments")))
        given: dict[str, Any] = {"grade": grade}  # keys left out keep the Terms defaults, as on the command line
        if "every" in t:
            with self.at((*key, "every")):
                given["every_months"] = parse_every(self.string(t["every"], (*key, "every")))
        if "lump" in t:
            if not isinstance(t["lump"], bool):
                raise self.wrong_type((*key, "lump"), t["lump"], "true or false", "true または false")
            given["lump"] = t["lump"]
        if "deferral" in t:
            given["deferral_months"] = self.months(t["deferral"], (*key, "deferral"))
        if "term" in t:
            given["term_months"] = self.months(t["term"], (*key, "term"))
        if "due" in t:
            given["due"] = self.day(t["due"], (*key, "due"))
        terms = Terms(**given)
        return Repayment(grade=grade, terms=terms)

    def payments(self, value: Any, key: Key) -> tuple[tuple[date, int], ...]:
        if not isinstance(value, list) or not value:
            raise self.wrong_type(key, value, "a non-empty list of {due, amount} tables",
                                  "{due, amount} のテーブルを1件以上並べた配列")
        rows = []
        for i, item in enumerate(value):
            row = self.table(item, (*key, i), PAYMENT_KEYS)
            rows.append((self.day(self.required(row, (*key, i, "due")), (*key, i, "due")),
                         self.yen(self.required(row, (*key, i, "amount")), (*key, i, "amount"))))
        return tuple(rows)


def _key_error(loc: str, dotted: str, en: str, ja: str) -> InputError:
    """``file:line: key 'a.b': what is wrong``, the shape of every plan error about a key."""
    return InputError(f"{loc}: key {dotted!r}: {en}", f"{loc}: キー {dotted!r}：{ja}")


def _show(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict | list):
        return "{...}" if isinstance(value, dict) else "[...]"
    text = repr(value) if not isinstance(value, Decimal) else str(value)
    return text if len(text) <= 40 else text[:37] + "..."


# ---------------------------------------------------------------------------------------
# Checking


def _schedule(rules: Rulebook, plan: Plan) -> Schedule:
    """The plan's repayment schedule, from the development end = the plan's end."""
    assert plan.amount is not None
    rp = plan.repayment or Repayment(terms=Terms())
    try:
        if rp.payments:
            return custom_schedule(rules, plan.amount, plan.end, list(rp.payments), rp.grade)
        return schedule(rules, plan.amount, plan.end, rp.terms or Terms(grade=rp.grade))
    except InputError as exc:  # an impossible layout (grade C with a deferral, N not whole, ...)
        line = plan.lines.get("repayment")
        loc = f"{plan.path}:{line}" if line is not None else plan.path
        raise _key_error(loc, "repayment", exc.text.en, exc.text.ja) from None


def check_plan(rules: Rulebook, plan: Plan) -> tuple[Violation, ...]:
    """Every programme rule the plan breaks, with SPEC §6 rule ids."""
    return evaluate_plan(rules, plan).violations


def evaluate_plan(rules: Rulebook, plan: Plan) -> PlanCheck:
    """Check a plan with the core the commands use: ``fiscal_year_caps`` for stage menus;
    ``period_violations``, ``amount_violations``, ``collateral`` and ``schedule`` /
    ``custom_schedule`` for 実装支援 (repayment measured from the development end = ``end``)."""
    menu = rules.menu(plan.menu)
    if menu.cap_kind == "annual":
        caps = fiscal_year_caps(rules, menu.id, plan.start, plan.end, indirect_rate=plan.indirect_rate)
        found = list(caps.violations)
        if plan.end >= plan.start:  # with the dates reversed there are no fiscal years to compare
            found += _request_violations(caps, plan.budget)
        return PlanCheck(plan, menu, tuple(found), (*caps.assumptions, REQUEST_ASSUMPTION), caps=caps)
    if plan.amount is None or plan.collateral is None:
        raise InputError(f"{plan.path}: a {menu.id} plan needs amount and collateral",
                         f"{plan.path}: {menu.id} のプランには amount と collateral が必要です")
    required = collateral(rules, plan.amount)
    found = list(period_violations(menu, plan.start, plan.end)) + list(amount_violations(rules, plan.amount))
    if plan.collateral < required:
        found.append(_collateral_violation(rules, plan.amount, plan.collateral, required))
    s = _schedule(rules, plan)
    found += [v for v in s.violations if v not in found]  # amount.max is found by both
    return PlanCheck(plan, menu, tuple(found),
                     (*collateral_assumptions(rules), *s.assumptions, REPAYMENT_ASSUMPTION),
                     collateral_required=required, schedule=s)


REQUEST_ASSUMPTION = Text(
    "Each [budget] entry is the fiscal year's request including indirect costs, compared with "
    "that year's cap as `astep budget` computes it; a request for a fiscal year outside the "
    "period is a violation unless it is 0",
    "[budget] の各年度の額は間接経費を含む申請額で、`astep budget` と同じ計算による当該年度の上限額と比較。"
    "実施期間外の年度への計上は、0円でない限り違反",
)
REPAYMENT_ASSUMPTION = Text(
    "Repayment is measured from the development end (the plan's end) on the total development "
    "cost (amount), taken as what JST paid",
    "返済はプランの end（開発終了日）から起算し、開発費総額（amount）をJSTからの支払額とみなして計算",
)


def _request_violations(caps: BudgetPlan, budget: tuple[tuple[int, int], ...]) -> list[Violation]:
    out: list[Violation] = []
    first, last = caps.rows[0].fiscal_year, caps.rows[-1].fiscal_year
    for year, requested in budget:
        row = caps.row(year)
        fy_en, fy_ja = fiscal_year_label(year, "en"), fiscal_year_label(year, "ja")
        if row is None:
            if requested:
                out.append(Violation("budget.outside_period", Text(
                    f"{fy_en}: {format_yen(requested)} yen requested for a fiscal year the project does not run in "
                    f"({caps.start.isoformat()} to {caps.end.isoformat()} covers FY{first} to FY{last})",
                    f"{fy_ja}：実施期間（{caps.start.isoformat()}〜{caps.end.isoformat()}、{first}〜{last}年度）"
                    f"外の年度に {format_yen(requested)}円 を計上しています")))
        elif requested > row.cap:
            how_en = f" (prorated for {row.months} of 12 months)" if row.prorated else ""
            how_ja = f"（{row.months}か月分で按分）" if row.prorated else ""
            out.append(Violation("budget.fy_cap", Text(
                f"{fy_en}: the request of {format_yen(requested)} yen is over the cap of "
                f"{format_yen(row.cap)} yen{how_en} by {format_yen(requested - row.cap)} yen",
                f"{fy_ja}：申請額 {format_yen(requested)}円 が上限額 {format_yen(row.cap)}円{how_ja} を "
                f"{format_yen(requested - row.cap)}円 超えています")))
    return out


def _collateral_violation(rules: Rulebook, amount: int, posted: int, required: int) -> Violation:
    rate = format_rate(rules.jisso.collateral_rate)
    return Violation("collateral.min", Text(
        f"the collateral or guarantee of {format_yen(posted)} yen is under the required "
        f"{format_yen(required)} yen ({rate} of the total development cost {format_yen(amount)} yen, "
        f"rounded up); short by {format_yen(required - posted)} yen",
        f"担保又は保証 {format_yen(posted)}円 が必要額 {format_yen(required)}円（開発費総額 "
        f"{format_yen(amount)}円 の{rate}、1円未満切り上げ）に {format_yen(required - posted)}円 足りません"))


def plan_schema(rules: Rulebook | None = None) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of plan files, its menus and grades those of ``rules``.

    >>> plan_schema()["properties"]["menu"]["enum"]
    ['stage1', 'stage2', 'stage2-gate', 'jisso']
    """
    rules = rules if rules is not None else load_rulebook()
    with open(package_file("schema", "plan.schema.json"), encoding="utf-8") as fh:
        schema: dict[str, Any] = json.load(fh)
    props = schema["properties"]
    props["menu"]["enum"] = [m.id for m in rules.menus if m.cap_kind == "annual" or m.fund_type == "repayable"]
    props["repayment"]["properties"]["grade"]["enum"] = [g.id for g in rules.jisso.repayment.grades]
    schema["if"]["properties"]["menu"]["const"] = next(m.id for m in rules.menus if m.fund_type == "repayable")
    return schema


def plan_schema_text(rules: Rulebook | None = None) -> str:
    """:func:`plan_schema` as the JSON text ``astep schema`` prints."""
    return json.dumps(plan_schema(rules), ensure_ascii=False, indent=2) + "\n"


__all__ = [
    "Plan",
    "PlanCheck",
    "Repayment",
    "check_plan",
    "evaluate_plan",
    "load_plan",
    "parse_plan",
    "plan_schema",
    "plan_schema_text",
]
