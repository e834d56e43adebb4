"""``astep check --format github|junit``: a check's verdicts in the forms CI systems read.

- ``github``: one GitHub Actions workflow command a violation,
  ``::error file=F,line=N,title=RULE::MESSAGE``, and one an unreadable file (title
  ``unreadable``, with ``line`` and ``col`` where the error's position is known), so the run annotates the offending lines of the pull request. Values
  are escaped as the runner requires: in the message ``%``, CR and LF; in the properties
  also ``:`` and ``,``.
- ``junit``: a JUnit XML report, one ``testcase`` a plan file, with one ``failure`` when
  the plan breaks rules (its ``type`` the rule ids, its text each violation at its line)
  or one ``error`` when the file cannot be read, in the structure Jenkins, GitLab and
  most CI servers read. No timestamps, and ``time`` 0: the same inputs give the same
  bytes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from astep_calc.cli.safe import printable
from astep_calc.cli.views import Finding, Report
from astep_calc.text import Lang, Text

#: The title of an unreadable file's annotation, and the type of its JUnit error (the
#: rule column of ``check --format csv`` says the same).
UNREADABLE = "unreadable"


def escape_data(text: str) -> str:
    """A workflow command's message, escaped as the runner unescapes it.

    >>> escape_data("100% over\\nthe cap")
    '100%25 over%0Athe cap'
    """
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value (file, title): the message's escapes plus ``:`` and ``,``.

    >>> escape_property("C:/plans/a,b.toml")
    'C%3A/plans/a%2Cb.toml'
    """
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(kind: str, message: str, **properties: object) -> str:
    """``::kind k=v,k=v::message``, properties left out when None.

    >>> workflow_command("error", "over", file="a.toml", line=3, title="budget.fy_cap")
    '::error file=a.toml,line=3,title=budget.fy_cap::over'
    """
    props = ",".join(f"{k}={escape_property(inert(str(v)))}" for k, v in properties.items() if v is not None)
    return f"::{kind}{' ' + props if props else ''}::{escape_data(inert(message))}"


def to_github(report: Report, lang: Lang) -> str:
    """One ``::error`` line a violation and an unreadable file, in the order of the files."""
    lines: list[str] = []
    for status in report.files:
        if status.error is not None:
            line, col, reason = status.located()
            lines.append(
                workflow_command("error", reason.in_lang(lang), file=status.path, line=line, col=col, title=UNREADABLE)
            )
        for f in status.findings:
            lines.append(workflow_command("error", f.text.in_lang(lang), file=status.path, line=f.line, title=f.rule))
    return "".join(line + "\n" for line in lines)


def to_junit(report: Report, lang: Lang) -> str:
    """A JUnit XML report: one test suite, one test case a file.

    A test case holds at most one ``failure`` (a plan that breaks rules: its ``type`` the
    rule ids, its text every violation, one a line) or one ``error`` (a file that is not a
    readable plan), as JUnit consumers expect of a test. ``time`` is 0: a check is no
    timing, and the same inputs give the same bytes.
    """
    import xml.etree.ElementTree as ET

    files = report.files
    failed = sum(1 for status in files if status.error is None and status.findings)
    errors = sum(1 for status in files if status.error is not None)
    counts = {"tests": str(len(files)), "failures": str(failed), "errors": str(errors), "time": "0"}
    root = ET.Element("testsuites", {"name": "astep check", **counts})
    suite = ET.SubElement(root, "testsuite", {"name": f"astep check ({report.rules_id})", **counts, "skipped": "0"})
    for status in files:
        path = inert(status.path)
        case = ET.SubElement(suite, "testcase", {"name": path, "classname": "astep.check", "file": path, "time": "0"})
        if status.error is not None:
            line, col, reason = status.located()
            message = inert(reason.in_lang(lang))
            error = ET.SubElement(case, "error", {"type": UNREADABLE, "message": message})
            error.text = f"{_where(path, line, col)}: {message}"
        elif status.findings:
            failure = ET.SubElement(case, "failure", _failure(status.findings, lang))
            failure.text = "".join(
                f"{_where(path, f.line)}: {f.rule}: {inert(f.text.in_lang(lang))}\n" for f in status.findings
            )
    ET.indent(root)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode", xml_declaration=False) + "\n"
    )


def _failure(findings: Sequence[Finding], lang: Lang) -> dict[str, str]:
    """A test case's one failure: its type the rule ids broken, its message the violation (one)
    or how many and which rules (several)."""
    rules = list(dict.fromkeys(f.rule for f in findings))
    if len(findings) == 1:
        message = inert(findings[0].text.in_lang(lang))
    else:
        said = Text(f"{len(findings)} violations: ", f"違反 {len(findings)}件：")
        message = said.in_lang(lang) + ("、" if lang == "ja" else ", ").join(rules)
    return {"type": " ".join(rules), "message": message}


def _where(path: str, line: int | None, col: int | None = None) -> str:
    return path if line is None else f"{path}:{line}" + ("" if col is None else f":{col}")


# What XML 1.0 cannot hold even escaped, beyond what printable() already shows (controls,
# and a file name's bytes that are not UTF-8): the two non-characters U+FFFE, U+FFFF.
_NOT_XML = re.compile("[\ufffe\uffff]")


def inert(text: str) -> str:
    r"""Text a CI log or an XML file can hold: controls and undecodable bytes shown as escapes.

    >>> inert("plan\x1b[2J.toml"), inert("bad\udcff.toml"), inert("two\nlines")
    ('plan\\x1b[2J.toml', 'bad\\xff.toml', 'two\nlines')
    """
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", printable(text, keep_newlines=True))
