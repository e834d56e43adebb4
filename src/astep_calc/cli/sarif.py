"""``astep check --format sarif``: a check's verdicts as SARIF 2.1.0, as GitHub code scanning reads it.

One run of one tool (``astep``). Every rule of the registry (:data:`astep_calc.checks.CHECKS`)
is declared as a SARIF rule, and so is ``unreadable`` (a file that is not a readable plan):
its id, when it is broken (``shortDescription``; ``fullDescription`` with its source), its
sources in the rulebook in force (``properties``) and ``helpUri``, the rule's row of the rule
table in docs/rules.md (:func:`help_uri`). Each violation is one result at its file and the
line of the offending key; an unreadable file is one result of rule ``unreadable``, at its
line and column when known. A file is named by a URI reference relative to the working
folder (``plans/my%20plan.toml``), as code scanning resolves it against the repository's
root; a file outside the working folder by its absolute ``file:`` URI.

The same inputs give the same bytes: no timestamps, no run ids.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from astep_calc.cli.ci import UNREADABLE
from astep_calc.cli.views import Finding, Report
from astep_calc.text import Lang, Text

if TYPE_CHECKING:
    from astep_calc.checks import Check
    from astep_calc.rulebook import Rulebook

#: The SARIF version written, and the JSON Schema a SARIF file names (the one code scanning
#: and editors know it by).
VERSION = "2.1.0"
SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"

#: Where astep-calc's documentation is published: the rule table of docs/rules.md (and
#: docs/ja/rules.md) is under it. One constant: :func:`help_uri` builds every rule's link
#: from it, and docs/ci.md documents the form.
HOME = "https://github.com/astep-calc/astep-calc"
DOCS = f"{HOME}/blob/main/docs/"

#: The SARIF rule of a file that is not a readable plan.
UNREADABLE_TEXT = Text(
    "the file is not a readable plan: not TOML or JSON, an unknown key, a value of the wrong type, or "
    "no such file (exit 2)",
    "計画ファイルとして読み込めない（TOML・JSONとして読めない、未知のキー、値の型の誤り、ファイルがないなど。終了コード2）",
)


def help_uri(rule_id: str, lang: Lang) -> str:
    """The rule's row in the rule table of docs/rules.md (docs/ja/rules.md in Japanese): its
    anchor is ``rule-`` and the rule id; a file that is not a readable plan points at the
    table of plan keys.

    >>> help_uri("budget.fy_cap", "en")
    'https://github.com/astep-calc/astep-calc/blob/main/docs/rules.md#rule-budget.fy_cap'
    >>> help_uri("unreadable", "ja")
    'https://github.com/astep-calc/astep-calc/blob/main/docs/ja/rules.md#plan-keys'
    """
    page = "ja/rules.md" if lang == "ja" else "rules.md"
    anchor = "plan-keys" if rule_id == UNREADABLE else f"rule-{rule_id}"
    return f"{DOCS}{page}#{anchor}"


def artifact_uri(path: str, cwd: str | None = None) -> str:
    """A checked file as SARIF names it: a URI reference relative to ``cwd`` (the working
    folder), percent-encoded; a file outside it by its absolute ``file:`` URI.

    >>> artifact_uri("plans/my plan.toml", "/w"), artifact_uri("./a:b#1.toml", "/w")
    ('plans/my%20plan.toml', 'a%3Ab%231.toml')
    >>> artifact_uri("/w/plans/a.toml", "/w"), artifact_uri("/elsewhere/a.toml", "/w")
    ('plans/a.toml', 'file:///elsewhere/a.toml')
    >>> artifact_uri("計画.toml", "/w")
    '%E8%A8%88%E7%94%BB.toml'
    """
    base = os.path.abspath(cwd if cwd is not None else os.getcwd())
    full = os.path.normpath(os.path.join(base, path))
    try:
        relative = os.path.relpath(full, base)
    except ValueError:  # another drive (Windows)
        relative = ""
    if not relative or relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return Path(full).as_uri()
    return quote(relative.replace(os.sep, "/"), safe="/")


def to_sarif(report: Report, lang: Lang, rules: Rulebook) -> str:
    """The SARIF log of a check: one run, every rule declared, one result a violation and an
    unreadable file, in the order of the files."""
    from astep_calc import __version__
    from astep_calc.checks import CHECKS

    declared = [_rule(c, lang, rules) for c in CHECKS] + [_unreadable_rule(lang)]
    index = {r["id"]: i for i, r in enumerate(declared)}
    results: list[dict[str, Any]] = []
    for status in report.files:
        uri = artifact_uri(status.path)
        if status.error is not None:
            line, col, reason = status.located()
            results.append(_result(UNREADABLE, index, reason.in_lang(lang), uri, line, col))
        for f in status.findings:
            results.append(_result(f.rule, index, f.text.in_lang(lang), uri, f.line, None, _properties(f)))
    log = {
        "$schema": SCHEMA,
        "version": VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "astep",
                        "fullName": "astep check (astep-calc)",
                        "informationUri": HOME,
                        "version": __version__,
                        "rules": declared,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "properties": {"rulebook": report.rules_id},
                "results": results,
            }
        ],
    }
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def _rule(check: Check, lang: Lang, rules: Rulebook) -> dict[str, Any]:
    sources = check.sources(rules)
    named = ("、" if lang == "ja" else "; ").join(s.name.in_lang(lang) for s in sources)
    description = check.description.in_lang(lang)
    full = Text(f"{check.description.en} (source: {named})", f"{check.description.ja}（出典：{named}）")
    return {
        "id": check.id,
        "shortDescription": {"text": description},
        "fullDescription": {"text": full.in_lang(lang) if sources else description},
        "helpUri": help_uri(check.id, lang),
        "defaultConfiguration": {"level": "error"},
        "properties": {
            "source": named or None,
            "source_ids": [s.id for s in sources],
            "rulebook_keys": [c.key for c in check.cites],
        },
    }


def _unreadable_rule(lang: Lang) -> dict[str, Any]:
    text = UNREADABLE_TEXT.in_lang(lang)
    return {
        "id": UNREADABLE,
        "shortDescription": {"text": text},
        "fullDescription": {"text": text},
        "helpUri": help_uri(UNREADABLE, lang),
        "defaultConfiguration": {"level": "error"},
        "properties": {"source": None, "source_ids": [], "rulebook_keys": []},
    }


def _properties(f: Finding) -> dict[str, Any] | None:
    phase = getattr(f.violation, "phase", None)
    return {"phase": phase} if phase else None


def _result(
    rule: str,
    index: dict[str, int],
    message: str,
    uri: str,
    line: int | None,
    col: int | None,
    properties: dict[str, Any] | None = None,
) -> dict[str, Any]:
    location: dict[str, Any] = {"artifactLocation": {"uri": uri}}
    if line is not None:
        location["region"] = {"startLine": line, **({"startColumn": col} if col is not None else {})}
    out: dict[str, Any] = {
        "ruleId": rule,
        "ruleIndex": index[rule],
        "level": "error",
        "message": {"text": message},
        "locations": [{"physicalLocation": location}],
    }
    if properties:
        out["properties"] = properties
    return out
