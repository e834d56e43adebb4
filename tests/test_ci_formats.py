"""``astep check --format github|junit``: annotations GitHub reads, JUnit XML CI servers read."""

from __future__ import annotations

import glob
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import Result

from astep_calc.cli.ci import escape_data, escape_property, workflow_command

Cli = Callable[..., Result]

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted(glob.glob("examples/*.toml", root_dir=ROOT))
XSD = Path(__file__).parent / "data" / "junit.xsd"

#: ``::error file=…,line=…,title=…::message`` as the runner splits it.
COMMAND = re.compile(r"^::(?P<kind>\w+)(?: (?P<props>[^:]*))?::(?P<message>.*)$")


def unescape_data(text: str) -> str:
    """What the runner shows for an escaped message (the inverse of the escapes GitHub documents)."""
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def unescape_property(text: str) -> str:
    return unescape_data(text.replace("%3A", ":").replace("%2C", ","))


def parse_commands(stdout: str) -> list[dict[str, str]]:
    """Every workflow command in the output: its kind, properties and message, unescaped."""
    out = []
    for line in stdout.splitlines():
        m = COMMAND.match(line)
        assert m is not None, line
        props = dict(p.split("=", 1) for p in (m["props"] or "").split(",") if p)
        out.append(
            {
                "kind": m["kind"],
                "message": unescape_data(m["message"]),
                **{k: unescape_property(v) for k, v in props.items()},
            }
        )
    return out


def check_json(cli: Cli, *paths: str) -> dict[str, object]:
    return json.loads(cli("check", *paths, "--format", "json", "--lang", "en").stdout)


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


# --------------------------------------------------------------------------- github


def test_github_prints_one_error_per_violation_at_its_file(cli: Cli) -> None:
    result = cli("check", *EXAMPLES, "--format", "github", "--lang", "en")
    assert result.exit_code == 1
    commands = parse_commands(result.stdout)
    expected = check_json(cli, *EXAMPLES)["violations"]
    assert isinstance(expected, list) and len(expected) > 5
    assert [(c["kind"], c["file"], c["title"], c["message"]) for c in commands] == [
        ("error", v["path"], v["rule"], v["message"]) for v in expected
    ]


def test_github_message_and_properties_are_escaped(cli: Cli, tmp_path: Path) -> None:
    # jisso-invalid's collateral message has "10%": the runner would read "%" as an escape.
    plan = tmp_path / "a,b:c.toml"
    plan.write_text((ROOT / "examples" / "jisso-invalid.toml").read_text("utf-8"), encoding="utf-8")
    result = cli("check", str(plan), "--format", "github", "--lang", "en")
    assert result.exit_code == 1
    assert "10%25 of" in result.stdout and "10% of" not in result.stdout
    assert f"file={str(plan).replace(':', '%3A').replace(',', '%2C')}," in result.stdout
    assert {c["file"] for c in parse_commands(result.stdout)} == {str(plan)}


def test_github_annotates_an_unreadable_file_at_its_line(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('menu = "stage1"\nstart = 2026-10-01\nmonths = "abc"\n', encoding="utf-8")
    result = cli("check", "examples/stage1-valid.toml", str(bad), "--format", "github", "--lang", "en")
    assert result.exit_code == 2
    (only,) = parse_commands(result.stdout)
    assert (only["file"], only["line"], only["title"]) == (str(bad), "3", "unreadable")
    assert only["message"].startswith("key 'months'")  # the file and line are in the properties
    assert result.stderr.count("astep: error:") == 1  # and the error line is still on stderr


@pytest.mark.parametrize(
    ("name", "content", "line", "col", "message"),
    [
        # start = 2026-10-01x: the parser stops at the "x", column 19 of line 2
        ("syntax.toml", b'menu = "stage1"\nstart = 2026-10-01x\n', "2", "19", "not valid TOML"),
        # "start": } : a value was expected at the "}", column 11 of line 2
        ("syntax.json", b'{"menu": "stage1",\n "start": }', "2", "11", "not valid JSON"),
        ("latin1.toml", b'menu = "stage1"\nstart = "\xe9"\n', "2", None, "cannot be read: not UTF-8"),
        (
            "key.toml",
            b'menu = "stage1"\nstart = 2026-10-01\nend = 2029-03-31\nbusiness_day = "foo"\n',
            "4",
            None,
            "key 'business_day'",
        ),
    ],
)
def test_github_annotates_a_syntax_error_at_its_line_and_column(
    cli: Cli, tmp_path: Path, name: str, content: bytes, line: str, col: str | None, message: str
) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    result = cli("check", str(bad), "--format", "github", "--lang", "en")
    assert result.exit_code == 2
    (only,) = parse_commands(result.stdout)
    assert (only["file"], only.get("line"), only.get("col"), only["title"]) == (str(bad), line, col, "unreadable")
    assert only["message"].startswith(message) and str(bad) not in only["message"]
    # the same place in the error line on stderr, which names the file
    assert result.error.startswith(f"{bad}:{line}" + (f":{col}: " if col else ": "))


def test_an_unreadable_file_is_named_once_in_junit_and_the_workbook(cli: Cli, tmp_path: Path) -> None:
    import openpyxl

    bad = tmp_path / "syntax.toml"
    bad.write_text('menu = "stage1"\nstart = 2026-10-01x\n', encoding="utf-8")
    missing = tmp_path / "nosuch.toml"
    for lang in ("en", "ja"):
        result = cli("check", str(bad), str(missing), "--format", "junit", "--lang", lang)
        root = ET.fromstring(result.stdout.encode("utf-8"))
        texts = [e.text or "" for e in root.iter("error")]
        assert texts[0].startswith(f"{bad}:2:19: ") and texts[1].startswith(f"{missing}: ")
        assert [t.count(str(tmp_path)) for t in texts] == [1, 1], texts
        target = tmp_path / f"{lang}.xlsx"
        cli("check", str(bad), str(missing), "-o", str(target), "--lang", lang).expect(2, errors=2)
        cells = [
            c
            for ws in openpyxl.load_workbook(target)
            for row in ws.iter_rows(values_only=True)
            for c in row
            if isinstance(c, str) and "✗" in c and ":" in c
        ]
        notes = [c for c in cells if c.startswith(str(tmp_path))]
        assert len(notes) == 2 and [c.count(str(tmp_path)) for c in notes] == [1, 1], notes
        assert notes[0].startswith(f"{bad}:2:19: ")


def test_github_prints_nothing_for_plans_that_hold(cli: Cli) -> None:
    result = cli("check", "examples/stage1-valid.toml", "--format", "github")
    assert result.exit_code == 0 and result.stdout == ""


@pytest.mark.parametrize(
    ("text", "data", "prop"),
    [
        ("100%", "100%25", "100%25"),
        ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
        ("C:/x,y", "C:/x,y", "C%3A/x%2Cy"),
        ("%0A", "%250A", "%250A"),  # an escape in the text stays text
    ],
)
def test_escapes_round_trip(text: str, data: str, prop: str) -> None:
    assert escape_data(text) == data and unescape_data(data) == text
    assert escape_property(text) == prop and unescape_property(prop) == text


def test_workflow_command_leaves_out_unknown_properties() -> None:
    assert workflow_command("error", "m", file="f", line=None, title="t") == "::error file=f,title=t::m"


def test_github_output_to_a_txt_file(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "annotations.txt"
    assert cli("check", "examples/stage1-invalid.toml", "-f", "github", "-o", str(target)).exit_code == 1
    assert target.read_text("utf-8").startswith("::error file=examples/stage1-invalid.toml")


# --------------------------------------------------------------------------- junit


def junit(cli: Cli, *paths: str) -> tuple[Result, ET.Element]:
    result = cli("check", *paths, "--format", "junit", "--lang", "en")
    assert result.stdout.startswith('<?xml version="1.0" encoding="UTF-8"?>\n')
    return result, ET.fromstring(result.stdout.encode("utf-8"))  # well-formed, or this raises


def test_junit_one_test_case_per_file_and_one_failure_listing_its_violations(cli: Cli) -> None:
    result, root = junit(cli, *EXAMPLES)
    assert result.exit_code == 1
    data = check_json(cli, *EXAMPLES)
    files = data["files"]
    assert isinstance(files, list)
    assert root.tag == "testsuites"
    (suite,) = root.findall("testsuite")
    cases = suite.findall("testcase")
    assert [c.get("name") for c in cases] == [f["path"] for f in files] == EXAMPLES
    several = 0
    for case, f in zip(cases, files, strict=True):
        assert case.get("time") == "0"
        failures = case.findall("failure")
        violations = f["violations"]
        if not violations:
            assert failures == []
            continue
        (failure,) = failures  # one a test case, as JUnit consumers expect
        rules = list(dict.fromkeys(v["rule"] for v in violations))
        assert failure.get("type") == " ".join(rules)
        if len(violations) == 1:
            assert failure.get("message") == violations[0]["message"]
        else:
            several += 1
            assert failure.get("message") == f"{len(violations)} violations: {', '.join(rules)}"
        # Each violation a line of its text, at its file and line.
        assert (failure.text or "").splitlines() == [
            f"{f['path']}{'' if v['line'] is None else ':' + str(v['line'])}: {v['rule']}: {v['message']}"
            for v in violations
        ]
        assert case.findall("error") == []
    assert several >= 2
    failed = sum(1 for f in files if f["violations"])
    for element in (root, suite):
        assert (element.get("tests"), element.get("failures"), element.get("errors"), element.get("time")) == (
            str(len(files)),
            str(failed),
            "0",
            "0",
        )


def test_junit_an_unreadable_file_is_an_error(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("menu = [", encoding="utf-8")
    result, root = junit(cli, "examples/stage1-valid.toml", str(bad))
    assert result.exit_code == 2
    valid, broken = root.iter("testcase")
    assert list(valid) == []  # a plan that holds: a passing test case
    (error,) = broken.findall("error")
    assert error.get("type") == "unreadable" and "not valid TOML" in (error.get("message") or "")
    assert (error.text or "").startswith(f"{bad}:1: ")
    assert root.get("errors") == "1" and root.get("failures") == "0"


def test_junit_stays_well_formed_with_hostile_file_names(cli: Cli, tmp_path: Path) -> None:
    # Control characters and a name that is not UTF-8 cannot appear in XML 1.0 as they are.
    names = ["esc\x1b[2J.toml", "bell\x07.toml", "latin1-\udcff.toml", "<&'\">.toml"]
    result, root = junit(cli, *(str(tmp_path / n) for n in names))
    assert result.exit_code == 2
    assert [c.get("name") for c in root.iter("testcase")] == [
        str(tmp_path / n) for n in ["esc\\x1b[2J.toml", "bell\\x07.toml", "latin1-\\xff.toml", "<&'\">.toml"]
    ]


def test_junit_validates_against_the_junit_schema(cli: Cli, tmp_path: Path) -> None:
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(XSD)))
    bad = tmp_path / "bad.toml"
    bad.write_text("menu = [", encoding="utf-8")
    for paths in (EXAMPLES, ["examples/stage1-valid.toml"], [*EXAMPLES[:2], str(bad)]):
        result, _ = junit(cli, *paths)
        document = etree.fromstring(result.stdout.encode("utf-8"))
        assert schema.validate(document), schema.error_log
    # The schema is not a rubber stamp: a failure outside a test case is refused, and so are
    # two failures in one.
    assert not schema.validate(
        etree.fromstring(b'<testsuites><testsuite name="x" tests="1"><failure/></testsuite></testsuites>')
    )
    two = b'<testsuites><testsuite name="x" tests="1"><testcase name="a"><failure/><failure/></testcase></testsuite></testsuites>'
    assert not schema.validate(etree.fromstring(two))


def test_junit_to_an_xml_file_by_its_name(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "report.xml"
    assert cli("check", *EXAMPLES, "-o", str(target)).exit_code == 1
    first = target.read_bytes()
    assert ET.fromstring(first).tag == "testsuites"
    # The same inputs give the same bytes (no timestamps, no durations).
    assert cli("check", *EXAMPLES, "-o", str(target), "--force").exit_code == 1
    assert target.read_bytes() == first


# --------------------------------------------------------------------------- annotations at the key's own line

_STAGE1 = 'menu = "stage1"\nstart = 2026-10-01\nend = 2029-03-31\n\n[budget]\n2026 = "750万"\n'


@pytest.mark.parametrize(
    ("name", "content", "line", "title"),
    [
        # A bad key inside a table: its own line (7), not the [budget] header's (5).
        ("dotted.toml", _STAGE1 + "2027.x = 5\n", "7", "unreadable"),
        # A quoted key with an escape: "20\u00327" is 2027, over its cap, at line 7.
        ("escaped.toml", _STAGE1 + '"20\\u00327" = 99_000_000\n', "7", "budget.fy_cap"),
        ("escaped-bad.toml", _STAGE1 + '"20\\u00327" = "x"\n', "7", "unreadable"),
        # A duplicate JSON key: the line it is given again on.
        (
            "dup.json",
            '{\n  "menu": "stage1",\n  "start": "2026-10-01",\n  "end": "2029-03-31",\n'
            '  "budget": {\n    "2026": "750万",\n    "2026": 1\n  }\n}\n',
            "7",
            "unreadable",
        ),
    ],
)
def test_annotations_are_at_the_key_s_own_line(
    cli: Cli, tmp_path: Path, name: str, content: str, line: str, title: str
) -> None:
    plan = tmp_path / name
    plan.write_text(content, encoding="utf-8")
    result = cli("check", str(plan), "--format", "github", "--lang", "en", strict=False)
    (only,) = parse_commands(result.stdout)
    assert (only["line"], only["title"]) == (line, title), only
    assert "2027" in only["message"] or "2026" in only["message"]
