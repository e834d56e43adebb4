"""Keep the command output pasted in README*.md and every guide under docs/ real.

Every fenced block tagged ``console`` holds one or more ``$ astep ...`` commands, each
followed by its output. A block between ``<!-- generated: NAME [en|ja] -->`` and
``<!-- end generated -->`` is written by ``GENERATORS[NAME]`` from the code's own
declarations (the plan keys from ``astep_calc.plan_format``, the rule ids from
``astep_calc.checks``). ``--update`` reruns the commands and generators and rewrites the
docs; ``--check`` (the default) exits 1 and shows a diff when a doc has drifted from what
the tool prints. The suite runs the check (tests/test_docs.py).

    python tools/docs_output.py --update
"""

from __future__ import annotations

import difflib
import os
import re
import shlex
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Every README and every page under docs/ (the Japanese guides in docs/ja/ too), so that a
#: new guide is checked without being listed.
DOCS = sorted(p.relative_to(ROOT).as_posix() for p in [*ROOT.glob("README*.md"), *ROOT.glob("docs/**/*.md")])
WIDTH = "100"
_BLOCK = re.compile(r"(```console\n)(.*?)(```)", re.S)
_GENERATED = re.compile(r"(<!-- generated: ([\w-]+)(?: (en|ja))? -->\n)(.*?)(<!-- end generated -->)", re.S)


def plan_keys(lang: str) -> str:
    """The table of every plan key, as astep_calc.plan_format declares them."""
    from astep_calc.plan_format import key_table
    from astep_calc.rulebook import load_rulebook

    return key_table(load_rulebook(), "ja" if lang == "ja" else "en")


def run(command: str) -> str:
    """Run one ``astep ...`` command in-process at a fixed width, as the docs show it."""
    from typer.testing import CliRunner

    from astep_calc.cli import app

    argv = shlex.split(command)
    if argv[0] != "astep":
        raise ValueError(f"docs commands must start with astep: {command!r}")
    env = {"COLUMNS": WIDTH, "LINES": "50", "NO_COLOR": "1", "TERM": "dumb", "LANG": "C.UTF-8", "LC_ALL": ""}
    old = os.getcwd()
    os.chdir(ROOT)
    try:
        result = CliRunner().invoke(app, argv[1:], env=env, catch_exceptions=False)
    finally:
        os.chdir(old)
    # What a terminal shows: standard output, then any error line from standard error.
    out = "\n".join(line.rstrip() for line in (result.stdout + result.stderr).splitlines())
    return out.rstrip("\n") + "\n"


def render_block(body: str) -> str:
    """A console block's text with every command's output regenerated."""
    out: list[str] = []
    for command in commands(body):
        out.append(f"$ {command}\n")
        out.append(run(command))
    return "".join(out)


def commands(body: str) -> Iterator[str]:
    for line in body.splitlines():
        if line.startswith("$ "):
            yield line[2:].strip()


def rule_ids(lang: str) -> str:
    """The table of rule ids, from the registry of rules (astep_calc.checks) and the bundled
    rulebook's sources."""
    from astep_calc.checks import CHECKS, MENU_SCOPES
    from astep_calc.rulebook import load_rulebook

    rb = load_rulebook()
    ja = lang == "ja"
    head = (
        ("ルールID", "違反となる場合", "出典を示すルールブックのキー", "出典（同梱のルールブック）")
        if ja
        else ("rule id", "broken when", "rulebook key of its source", "source (bundled rulebook)")
    )
    lines = ["| " + " | ".join(head) + " |", "|---|---|---|---|"]
    for c in CHECKS:
        keys = ("、" if ja else ", ").join(
            f"`{cite.key}`" + ((f"（`{scope}`）" if ja else f" (`{scope}`)") if cite.menus != "every" else "")
            for cite in c.cites
            for scope in [MENU_SCOPES[cite.menus][0]]
        )
        sources = ("、" if ja else "; ").join(s.name.ja if ja else s.name.en for s in c.sources(rb))
        anchor = f"<a id=\"rule-{c.id}\"></a>"  # the rule's link (SARIF helpUri) points here
        lines.append(f"| {anchor}`{c.id}` | {c.description.ja if ja else c.description.en} | {keys} | {sources} |")
    return "\n".join(lines) + "\n"


#: What a generated block may hold, by name: a function of the language giving its text.
GENERATORS = {"plan-keys": plan_keys, "rule-ids": rule_ids}


def regenerate(text: str) -> str:
    text = _BLOCK.sub(lambda m: m.group(1) + render_block(m.group(2)) + m.group(3), text)
    return _GENERATED.sub(lambda m: m.group(1) + GENERATORS[m.group(2)](m.group(3) or "en") + m.group(5), text)


def main(argv: list[str]) -> int:
    update = "--update" in argv
    drifted = 0
    for name in DOCS:
        path = ROOT / name
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        fresh = regenerate(text)
        if fresh == text:
            continue
        if update:
            path.write_text(fresh, encoding="utf-8")
            print(f"updated {name}")
        else:
            drifted += 1
            sys.stdout.writelines(difflib.unified_diff(text.splitlines(True), fresh.splitlines(True),
                                                       f"{name} (pasted)", f"{name} (tool)"))
    return 1 if drifted else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
