"""The JSON Schema of plan files (``astep schema``), generated from the plan format's
declaration (:mod:`astep_calc.plan_format`) and the rulebook in force.

Every key's schema comes from its :class:`~astep_calc.plan_format.PlanKey`: its kind
(a value pattern of :mod:`astep_calc.plan_syntax`, an enum of choices, a table of the keys
of a level), its bounds, the menus that take it, the key it may replace. The rules between
``[repayment]``'s keys that a schema can say, and the smallest amount a grade owes
anything on, are generated from the rulebook (:func:`_layout_rules`, :func:`_owes_nothing`).
What a schema cannot say is listed in the schema's description, from
:data:`~astep_calc.plan_format.BEYOND_SCHEMA`.

>>> schema = plan_schema()
>>> schema["properties"]["menu"]["enum"]
['stage1', 'stage2', 'stage2-gate', 'jisso']
>>> schema["$defs"]["phase"]["properties"]["months"]["maximum"]
1200
"""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

from astep_calc import plan_syntax
from astep_calc.money import MAX_RATIO, MAX_YEN
from astep_calc.plan_format import (
    BEYOND_SCHEMA,
    BOOL,
    CHOICE,
    COLLATERAL_KIND,
    COMPANY,
    DATE,
    DURATION,
    EQUITY,
    EXIT_DATE,
    EXIT_VALUE,
    FISCAL_YEAR_TABLES,
    FISCAL_YEARS,
    GUARANTEE_FEE,
    INTEGER,
    KEYS,
    MENU,
    MENU_WORDS,
    PHASE,
    RATE,
    RATIO,
    REPAYMENT,
    SIGNED_YEN,
    STRING,
    TABLE,
    TABLES,
    TOP_LEVELS,
    YEN,
    PlanKey,
    keys,
)
from astep_calc.repayment import FREQUENCIES, Terms
from astep_calc.rulebook import Rulebook, load_rulebook

DRAFT = "https://json-schema.org/draft/2020-12/schema"
TITLE = "A-STEP plan file (astep check, astep plan)"
DESCRIPTION = (
    "A plan for JST's A-STEP programme, checked by `astep check` and laid out by `astep plan`: a Stage I / "
    "Stage II budget per fiscal year, or a 実装支援 (返済型) amount, collateral and repayment — one phase at the "
    "top of the file, or several as [[phase]] tables. TOML or JSON with the same keys. `astep check` is the "
    "authority: it also checks the programme rules (caps, period limits, repayment terms, phases that overlap "
    "or skip the stage gate), which this schema does not, and refuses what a schema cannot say "
    "(astep_calc.plan_format.BEYOND_SCHEMA): "
)
#: The most years a duration may be written with as a number (999 years and 9 months).
_MOST_YEARS = plan_syntax.MAX_YEARS + 0.75


def _value_defs() -> dict[str, Any]:
    """The schemas of values, by the name keys refer to them with (``#/$defs/yen``)."""
    yen = plan_syntax.anchored(plan_syntax.YEN)
    duration = plan_syntax.anchored(plan_syntax.DURATION)
    return {
        "date": {
            "description": "A date from 1900-01-01 to 2200-12-31: a TOML date, or a string as Japanese offices "
            "write one (2026-10-01, 2026/10/1, 2026.10.1, 2026年10月1日, 令和8年10月1日, 令和元年5月1日, R8.10.1, "
            "R8/10/1, H31.4.30; full-width digits too). An era date lies within its era (令和 from 2019-05-01, "
            "平成 to 2019-04-30).",
            "type": "string",
            "pattern": plan_syntax.anchored(plan_syntax.DATE),
        },
        "yen": {
            "description": f"Whole yen: an integer from 0 to {MAX_YEN:,}, or a string below that in the money "
            'syntax such as "15,000,000", "1500万", "1.5億", "3億5000万", "500千円" (no spaces; a decimal only in '
            "the last unit).",
            "anyOf": [
                {"type": "integer", "minimum": 0, "maximum": MAX_YEN},
                {"type": "string", "pattern": yen},
            ],
        },
        "rate": {
            "description": 'A rate from 0 to 1, or a string such as "0.3" or "30%" (0% to 100%).',
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": 1},
                {"type": "string", "pattern": plan_syntax.anchored(plan_syntax.RATE)},
            ],
        },
        "duration": {
            "description": 'Whole months: "3y", "18m", "1.5y" (lower-case units), or a number of years that is a '
            f"whole number of months (a multiple of 0.25), up to {plan_syntax.MAX_YEARS} years.",
            "anyOf": [
                {"type": "number", "minimum": 0, "maximum": _MOST_YEARS, "multipleOf": 0.25},
                {"type": "string", "pattern": duration},
            ],
        },
        "signed_yen": {
            "description": f"Whole yen, may be negative: an integer from {-MAX_YEN:,} to {MAX_YEN:,}, or a string "
            'in the money syntax, a minus sign (-, △, ▲) in front or the amount in parentheses, such as "-2.4億", '
            '"△1,200,000", "(1,200,000)", "5億".',
            "anyOf": [
                {"type": "integer", "minimum": -MAX_YEN, "maximum": MAX_YEN},
                {"type": "string", "pattern": plan_syntax.anchored(plan_syntax.SIGNED_YEN)},
            ],
        },
        "ratio": {
            "description": f'A ratio of more than 0 and at most {MAX_RATIO}: a number such as 1.2, or a string such as "1.2", '
            '"1.2倍" or "120%".',
            "anyOf": [
                {"type": "number", "exclusiveMinimum": 0, "maximum": MAX_RATIO},
                {
                    "type": "string",
                    "pattern": plan_syntax.anchored(plan_syntax.RATIO),
                    "not": {"pattern": plan_syntax.anchored(plan_syntax.ZERO_RATIO)},
                },
            ],
        },
        "positive_yen": {
            "description": "Whole yen, more than 0.",
            "anyOf": [
                {"type": "integer", "minimum": 1, "maximum": MAX_YEN},
                {"type": "string", "pattern": yen, "not": {"pattern": plan_syntax.anchored(plan_syntax.ZERO_YEN)}},
            ],
        },
        "positive_duration": {
            "description": "A duration of at least 1 month.",
            "anyOf": [
                {"type": "number", "exclusiveMinimum": 0, "maximum": _MOST_YEARS, "multipleOf": 0.25},
                {
                    "type": "string",
                    "pattern": duration,
                    "not": {"pattern": plan_syntax.anchored(plan_syntax.ZERO_DURATION)},
                },
            ],
        },
    }


def plan_schema(rules: Rulebook | None = None) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of plan files, its menus and grades those of ``rules``."""
    rules = rules if rules is not None else load_rulebook()
    top = [k for k in KEYS if set(k.levels) & set(TOP_LEVELS) and not k.listed_phases_only]
    phase_only = [k.name for k in top if "plan" not in k.levels]
    required = [k.name for k in keys("phase") if k.required and k.menus is None]
    schema: dict[str, Any] = {
        "$schema": DRAFT,
        "title": TITLE,
        "description": DESCRIPTION + "; ".join(b.text.en for b in BEYOND_SCHEMA) + ".",
        "type": "object",
        "properties": {k.name: _property(k, rules) for k in top},
        "oneOf": [
            {"required": required, "not": {"required": [PHASE.name]}},  # one phase at the top
            {"required": [PHASE.name], "properties": dict.fromkeys(phase_only, False)},  # [[phase]] tables
        ],
        "additionalProperties": False,
        **_menu_conditions(rules),
        "$defs": {"phase": _phase(rules, {k.name for k in top}), **_value_defs()},
    }
    owes_nothing = _owes_nothing(rules)
    if owes_nothing:
        schema["allOf"] = owes_nothing
    return schema


def _phase(rules: Rulebook, at_top: set[str]) -> dict[str, Any]:
    """One ``[[phase]]`` table: a single-phase file's keys (referred to), and ``months``."""
    out: dict[str, Any] = {
        "description": "One phase: the keys of a single-phase plan, with months (a whole number of months from "
        "start) allowed instead of end.",
        **_table("phase", rules),
        **_menu_conditions(rules),
    }
    out["properties"] = {
        k.name: {"$ref": f"#/properties/{k.name}"} if k.name in at_top else _property(k, rules) for k in keys("phase")
    }
    owes_nothing = _owes_nothing(rules)
    if owes_nothing:
        out["allOf"] = owes_nothing
    return out


def _menu_conditions(rules: Rulebook) -> dict[str, Any]:
    """The keys only some menus take: the repayable menu's (required there), the stage
    menus', and the matching-fund menus'."""
    repayable = next(m.id for m in rules.menus if m.fund_type == "repayable")
    no_matching = [m.id for m in rules.menus if m.cap_kind == "annual" and m.fund_type != "matching"]
    phase = keys("phase")
    return {
        "if": {"properties": {MENU.name: {"const": repayable}}, "required": [MENU.name]},
        "then": {
            "required": [k.name for k in phase if k.menus == "repayable" and k.required],
            "properties": {k.name: False for k in phase if k.menus in ("annual", "matching")},
        },
        "else": {"properties": {k.name: False for k in phase if k.menus == "repayable"}},
        "dependentSchemas": {
            k.name: {"not": {"properties": {MENU.name: {"enum": no_matching}}, "required": [MENU.name]}}
            for k in phase
            if k.menus == "matching"
        },
    }


def _table(level: str, rules: Rulebook) -> dict[str, Any]:
    """A table of the keys of ``level``: each key's schema, the required ones, and keys
    that replace another (``instead_of``): one or the other when that one is required,
    else not both."""
    level_keys = keys(level)
    replaced = {k.instead_of for k in level_keys if k.instead_of is not None}
    out: dict[str, Any] = {
        "type": "object",
        "properties": {k.name: _property(k, rules) for k in level_keys},
        "required": [k.name for k in level_keys if k.required and k.menus is None and k.name not in replaced],
    }
    alternatives: list[dict[str, Any]] = []
    excluded: dict[str, dict[str, Any]] = {}
    for other in replaced:
        instead = [k.name for k in level_keys if k.instead_of == other]
        if any(k.name == other and k.required and k.menus is None for k in level_keys):
            alternatives += [{"required": [name]} for name in (other, *instead)]
        else:
            excluded[other] = {"properties": dict.fromkeys(instead, False)}
    if not out["required"]:
        del out["required"]
    if alternatives:
        out["oneOf"] = alternatives
    out["additionalProperties"] = False
    if excluded:
        out["dependentSchemas"] = excluded
    return out


def _property(key: PlanKey[Any], rules: Rulebook) -> dict[str, Any]:
    """The schema of one key's value."""
    text = key.text.en
    if key.menus is not None:
        text += f" ({MENU_WORDS[key.menus].en} only)"
    if key.default is not None:
        text += f". Default: {key.default.en}"
    out: dict[str, Any] = {"description": text + "."}
    kind = key.kind
    if kind is YEN:
        out["$ref"] = "#/$defs/positive_yen" if key.minimum else "#/$defs/yen"
    elif kind is DURATION:
        out["$ref"] = "#/$defs/positive_duration" if key.minimum else "#/$defs/duration"
    elif kind is SIGNED_YEN:
        out["$ref"] = "#/$defs/signed_yen"
    elif kind is RATE:
        out["$ref"] = "#/$defs/rate"
    elif kind is RATIO:
        out["$ref"] = "#/$defs/ratio"
    elif kind is DATE:
        out["$ref"] = "#/$defs/date"
    elif kind is CHOICE:
        assert key.choices is not None
        out["enum"] = list(key.choices(rules))
    elif kind is BOOL:
        out["type"] = "boolean"
    elif kind is STRING:
        out["type"] = "string"
    elif kind is INTEGER:
        out.update(type="integer", minimum=key.minimum, maximum=key.maximum)
    elif kind in (FISCAL_YEARS, FISCAL_YEAR_TABLES):
        year = plan_syntax.FISCAL_YEAR if kind is FISCAL_YEARS else plan_syntax.PROJECTED_YEAR
        out.update(type="object", propertyNames={"pattern": plan_syntax.anchored(year)})
        out["additionalProperties"] = {"$ref": "#/$defs/yen"} if kind is FISCAL_YEARS else _held(key, rules)
        if kind is FISCAL_YEAR_TABLES:  # projections of no year at all are none
            out["minProperties"] = 1
    elif kind is TABLE:
        out.update(_held(key, rules))
        if key is REPAYMENT:
            out["allOf"] = _layout_rules(rules)
        elif key is COMPANY:
            out["allOf"] = [_fee_needs_a_guarantee()]
        elif key is EQUITY:  # an exit is a value at a date: both or neither
            out["dependentRequired"] = {EXIT_VALUE.name: [EXIT_DATE.name], EXIT_DATE.name: [EXIT_VALUE.name]}
    elif kind is TABLES:
        out.update(type="array", minItems=1, items=_held(key, rules))
        if key.maximum is not None:
            out["maxItems"] = key.maximum
    else:  # pragma: no cover - every kind is above
        raise AssertionError(f"no schema for {kind.name}")
    return out


def _held(key: PlanKey[Any], rules: Rulebook) -> dict[str, Any]:
    """The table (or each table) a table key holds; a phase is one of the schema's $defs."""
    assert key.holds is not None
    return {"$ref": "#/$defs/phase"} if key.holds == "phase" else _table(key.holds, rules)


def _layout_rules(rules: Rulebook) -> list[dict[str, Any]]:
    """What the reader refuses between ``[repayment]``'s keys that a JSON Schema can say:
    a lump-only grade (C) takes no deferral; a due date is for a lump sum only; with no
    deferral, a term of installments is a whole number of periods of ``every`` (a term of
    10.5y paid yearly is not), and a lump sum's term reaches its due date. With a deferral
    the periods are counted from its end (term − deferral), arithmetic between two values
    that a schema cannot do: that is left to ``astep check``.
    """
    rp = rules.jisso.repayment

    def grade_in(ids: list[str]) -> dict[str, Any]:
        cond: dict[str, Any] = {"required": ["grade"], "properties": {"grade": {"enum": ids}}}
        # no grade given is the default grade
        return {"anyOf": [cond, {"not": {"required": ["grade"]}}]} if rp.default_grade in ids else cond

    def duration(number: dict[str, Any], pattern: str) -> dict[str, Any]:
        return {"anyOf": [{"type": "number", **number}, {"type": "string", "pattern": plan_syntax.anchored(pattern)}]}

    def years(months: int) -> int | float:
        y = Fraction(months, 12)
        return int(y) if y.denominator == 1 else float(y)

    lump_only = [g.id for g in rp.grades if g.lump_only]
    lump_grade = grade_in(lump_only)
    discontinued = grade_in([g.id for g in rp.grades if rp.is_discontinued(g)])
    lump_asked = {"required": ["lump"], "properties": {"lump": {"const": True}}}
    zero = duration({"maximum": 0}, plan_syntax.ZERO_DURATION)
    no_deferral = {"properties": {"deferral": zero}}
    default_every = next(name for name, p in FREQUENCIES.items() if p == Terms().every_months)
    out: list[dict[str, Any]] = []
    if lump_only:
        out.append({"if": lump_grade, "then": no_deferral})
    # A due date needs a lump sum: asked for, a lump-only grade, or 開発中止 with no installments asked.
    defaults = {
        "properties": {
            "deferral": zero,
            "every": {"const": default_every},
            "remainder": {"const": Terms().remainder},
            "unit": {
                "anyOf": [
                    {"type": "number", "const": Terms().unit},
                    {"type": "string", "pattern": plan_syntax.anchored(plan_syntax.ONE_YEN)},
                ]
            },
        },
        "not": {"required": ["term"]},
    }
    out.append(
        {"if": {"required": ["due"]}, "then": {"anyOf": [lump_asked, lump_grade, {"allOf": [discontinued, defaults]}]}}
    )
    # A lump sum with no due date falls due a fixed time after the deferral, within the term.
    # (With a term given, 開発中止 is a lump sum only when asked: the term asks for installments.)
    for cond, gap in (
        ({"anyOf": [lump_asked, lump_grade], "not": discontinued}, rp.lump_due_months),
        ({"allOf": [lump_asked, discontinued]}, rp.discontinued_due_months),
    ):
        out.append(
            {
                "if": {"allOf": [cond, no_deferral, {"not": {"required": ["due"]}}]},
                "then": {
                    "properties": {
                        "term": {"not": duration({"exclusiveMaximum": years(gap)}, plan_syntax.duration_below(gap))}
                    }
                },
            }
        )
    # Installments: with no deferral, the term is a whole number of periods.
    for name, p in FREQUENCIES.items():
        if p == 1:
            continue
        every: dict[str, Any] = {"properties": {"every": {"const": name}}}
        if name != default_every:
            every["required"] = ["every"]
        installments = {
            "allOf": [
                every,
                no_deferral,
                {"properties": {"lump": {"const": False}}},
                {"not": {"required": ["payments"]}},
                {"not": lump_grade},
            ]
        }
        then: dict[str, Any] = {
            "properties": {"term": duration({"multipleOf": years(p)}, plan_syntax.duration_in_periods(p))}
        }
        if rp.term_max_months % p:  # no term given is the longest term
            then["required"] = ["term"]
        out.append({"if": installments, "then": then})
    return out


def _fee_needs_a_guarantee() -> dict[str, Any]:
    """A guarantee fee of more than 0 needs ``collateral_kind = "guarantee"`` (a deposit pays none)."""
    zero = {
        "anyOf": [
            {"type": "number", "maximum": 0},
            {"type": "string", "pattern": plan_syntax.anchored(plan_syntax.ZERO_RATE)},
        ]
    }
    return {
        "if": {"required": [GUARANTEE_FEE.name], "properties": {GUARANTEE_FEE.name: {"not": zero}}},
        "then": {"required": [COLLATERAL_KIND.name], "properties": {COLLATERAL_KIND.name: {"const": "guarantee"}}},
    }


def _owes_nothing(rules: Rulebook) -> list[dict[str, Any]]:
    """A generated schedule of a grade that repays a share of the amount needs an amount on
    which the share is at least 1 yen (grade C repays floor(10% × amount): 9 yen owe 0).
    Said where it fits a one-digit pattern; an explicit list of payments, or a stop date
    (which makes the case 開発中止), takes any amount."""
    rp = rules.jisso.repayment
    out: list[dict[str, Any]] = []
    for g in rp.grades:
        if g.share >= 1:
            continue
        most = -(-1 // g.share) - 1  # the largest amount with floor(amount × share) = 0
        if not 1 <= most <= 9:
            continue
        grade: dict[str, Any] = {"required": ["grade"], "properties": {"grade": {"const": g.id}}}
        cond: dict[str, Any] = {"not": {"required": ["stop"]}}
        if g.id == rp.default_grade:  # no grade given (or no [repayment]) is the default grade
            grade = {"anyOf": [grade, {"not": {"required": ["grade"]}}]}
        else:
            cond["required"] = ["repayment"]
        cond["properties"] = {"repayment": {"allOf": [grade, {"not": {"required": ["payments"]}}]}}
        small = {
            "anyOf": [
                {"type": "number", "maximum": int(most)},
                {"type": "string", "pattern": plan_syntax.anchored(plan_syntax.yen_of(f"[1-{most}]"))},
            ]
        }
        out.append({"if": cond, "then": {"properties": {"amount": {"not": small}}}})
    return out


def plan_schema_text(rules: Rulebook | None = None) -> str:
    """:func:`plan_schema` as the JSON text ``astep schema`` prints."""
    return json.dumps(plan_schema(rules), ensure_ascii=False, indent=2) + "\n"


__all__ = ["plan_schema", "plan_schema_text"]
