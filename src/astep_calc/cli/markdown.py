"""``--format markdown``: a report as GitHub-flavoured Markdown, for a job summary
(``$GITHUB_STEP_SUMMARY``) or a pull request comment.

- A heading names the command and its verdict on one line: ✓ within the programme rules,
  or ✗ and how many rules are broken (for a check: how many files break a rule and how
  many cannot be read). A command that checks no rule (``astep rules``) has no verdict.
- Each table follows under its title: a GitHub table, amounts and counts aligned right,
  the totals row in bold; a table without rows shows its note instead.
- Then the summary (label: value), the broken rules, the assumptions and the rules
  applied, each a list.

Text is escaped as in the terminal's tables (controls shown as ``\\x1b``), then made inert
for Markdown: the characters that make emphasis, links, code, tables, math or HTML are
escaped (``&`` and ``<`` as entities, so that no ``&#x202e;`` turns into the character it
names), so a plan's title or a file's name can neither break the layout nor turn into a
link. The same inputs give the same bytes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from astep_calc.cli.labels import Labels, count
from astep_calc.cli.report import cell
from astep_calc.cli.safe import printable
from astep_calc.cli.views import Report, Table, as_text
from astep_calc.text import Lang, Text

#: Characters Markdown reads as syntax anywhere in a line: backslash-escaped.
_SYNTAX = re.compile(r"([\\`*_\[\]|~$])")
#: What starts a block (a heading, a list, a quote) at the start of a line.
_BLOCK_START = re.compile(r"^(?:(\d{1,9})([.)])|([-+#=]))")


def md_text(text: str) -> str:
    r"""Text as Markdown shows it literally, on one line: controls escaped as in a terminal
    (:func:`~astep_calc.cli.safe.printable`), HTML and entities inert, Markdown's syntax
    characters escaped.

    >>> print(md_text("a|b *c* [x](y) <b>&#x202e; $1$ \x1b"))
    a\|b \*c\* \[x\](y) &lt;b&gt;&amp;#x202e; \$1\$ \\x1b
    >>> print(md_text("# not a heading"), md_text("1. not a list"))
    \# not a heading 1\. not a list
    """
    escaped = printable(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = _SYNTAX.sub(r"\\\1", escaped)
    return _BLOCK_START.sub(lambda m: f"{m[1]}\\{m[2]}" if m[1] else f"\\{m[3]}", escaped, count=1)


def code(text: str) -> str:
    """A rule id or a path as inline code (where nothing is markup: no emphasis, link or
    entity), shown as in a terminal; as :func:`md_text` when it holds what a code span
    cannot (a backtick, a table's pipe).

    >>> code("budget.fy_cap"), code("plans/a_b.toml:3"), code("a`b")
    ('`budget.fy_cap`', '`plans/a_b.toml:3`', 'a\\\\`b')
    """
    shown = printable(text)
    if not shown or "`" in shown or "|" in shown or shown != shown.strip():
        return md_text(text)
    return f"`{shown}`"


def to_markdown(report: Report, lang: Lang) -> str:
    """The report as GitHub-flavoured Markdown (see the module docstring)."""
    blocks: list[str] = [f"### {verdict(report).in_lang(lang)}"]
    for spec in report.tables:
        blocks += table_blocks(spec, lang)
    if report.summary:
        blocks.append(
            _list(
                f"**{md_text(cell(name, '', lang))}**: {md_text(cell(value, '', lang))}"
                for name, value in report.summary
            )
        )
    if report.violations and not report.files:  # a check lists each file's in its table
        blocks.append(_list(f"✗ {code(v.rule)} {md_text(v.text.in_lang(lang))}" for v in report.violations))
    if report.assumptions:
        blocks.append(f"**{md_text(Labels.assumptions.in_lang(lang))}**")
        blocks.append(_list(md_text(as_text(a).in_lang(lang)) for a in report.assumptions))
    if report.sources:
        blocks.append(f"**{md_text(Labels.sources.in_lang(lang))}**")
        blocks.append(_list(md_text(s.in_lang(lang)) for s in report.sources))
    return "\n\n".join(blocks) + "\n"


def verdict(report: Report) -> Text:
    """The heading: the command, and ✓ or ✗ with what is broken.

    >>> from astep_calc.cli.views import Report
    >>> verdict(Report("budget", "a-step-2024", [], {})).en
    'astep budget: ✓ within the programme rules'
    """
    name = f"astep {report.command}"
    if report.violations is None:
        return Text(name, name)
    if report.files:
        files = len(report.files)
        unreadable = sum(1 for f in report.files if f.error is not None)
        broken = len({f.path for f in report.violations})
        checked = Text(f"{count(files, 'file', 'files', '').en} checked", f"{files}ファイルを検査")
        if not broken and not unreadable:
            return Text(
                f"{name}: ✓ {checked.en}, all within the programme rules", f"{name}：✓ {checked.ja}、すべて適合"
            )
        parts = [
            *([Text(f"{broken} with violations", f"違反あり {broken}ファイル")] if broken else []),
            *([Text(f"{unreadable} unreadable", f"読み込めない {unreadable}ファイル")] if unreadable else []),
        ]
        return Text(
            f"{name}: ✗ {checked.en}: {', '.join(p.en for p in parts)}",
            f"{name}：✗ {checked.ja}：{'、'.join(p.ja for p in parts)}",
        )
    if not report.violations:
        return Text(f"{name}: ✓ within the programme rules", f"{name}：✓ 制度のルールにすべて適合")
    broken_rules = count(len(report.violations), "violation", "violations", "違反 {n}件")
    return Text(f"{name}: ✗ {broken_rules.en}", f"{name}：✗ {broken_rules.ja}")


def table_blocks(spec: Table, lang: Lang) -> list[str]:
    """A table's title, then its rows as a GitHub table (or its note when it has none)."""
    spec = spec.shown()
    title = f"#### {md_text(spec.title.in_lang(lang))}"
    if not spec.rows and spec.note is not None:
        return [title, md_text(spec.note.in_lang(lang))]
    header = [md_text(c.label.in_lang(lang)) for c in spec.columns]
    lines = [_row(header), _row(["---:" if c.numeric else "---" for c in spec.columns])]
    lines += [_row(_cells(row, spec, lang)) for row in spec.rows]
    if spec.totals is not None:
        lines.append(_row([f"**{text}**" if text else "" for text in _cells(spec.totals, spec, lang)]))
    return [title, "\n".join(lines)]


def _cells(row: Any, spec: Table, lang: Lang) -> list[str]:
    out = []
    for c in spec.columns:
        value = row.get(c.key)
        text = cell(value, c.kind, lang)
        if c.kind == "fiscal_year":  # its era goes on a line of its own only in a terminal's narrow column
            out.append(md_text(text.replace("\n", "")))
        elif c.kind == "verbatim" and isinstance(value, str) and text:  # a path, a rule id
            out.append(code(text))
        else:
            out.append(_lines(text))
    return out


def _lines(text: str) -> str:
    """A cell's text, its lines joined by ``<br>``."""
    return "<br>".join(md_text(line) for line in text.split("\n"))


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _list(items: Iterable[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def fenced(text: str, info: str = "") -> str:
    """``text`` as a fenced code block, the fence longer than any run of backticks in it.

    >>> print(fenced('{"a": 1}', "json"))
    ```json
    {"a": 1}
    ```
    <BLANKLINE>
    """
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    body = printable(text, keep_newlines=True)
    return f"{fence}{info}\n{body}{'' if body.endswith(chr(10)) else chr(10)}{fence}\n"
