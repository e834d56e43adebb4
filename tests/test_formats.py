"""Every output format, from the registry (``cli/formats.py``): a format added there is run
through every test here without anyone listing it.

- Hostile text (a plan's title and a file's name holding ESC, BEL, CSI U+009B, U+202E and a
  lone surrogate) comes out escaped, with exit 0 or 1, in every format of ``plan`` and
  ``check``; a good plan checked beside it keeps its entry.
- The same inputs give the same bytes; the exit code is the same in every format.
- Help, the format an ``--output`` extension asks for, and every refusal follow the registry.
- A hypothesis property: arbitrary Unicode (surrogates and controls included) in a plan's
  title, checked beside a good plan, in every format.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
import urllib.parse
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from astep_calc.cli import app  # noqa: F401  (registers the commands)
from astep_calc.cli.formats import FORMATS, Format, formats_for
from astep_calc.cli.options import COMMAND_FORMATS

Cli = Callable[..., Any]
ROOT = Path(__file__).resolve().parent.parent

#: A run of each command (from a folder holding stage1-invalid.toml as other.toml and a valid
#: one as good.toml), and the exit code every format must give.
COMMANDS: dict[str, tuple[list[str], int]] = {
    "rules": ([], 0),
    "budget": (["--menu", "stage1", "--start", "2026-10-01", "--months", "30"], 0),
    "collateral": (["--amount", "6億"], 1),
    "disburse": (["--amount", "3億", "--start", "2026-10-01", "--months", "36"], 0),
    "repay": (["--amount", "3億", "--dev-end", "2029-09-30", "--discount-rate", "3%"], 0),
    "scenarios": (["--amount", "3億", "--dev-end", "2029-09-30"], 0),
    "plan": (["roadmap.toml"], 0),
    "check": (["good.toml", "other.toml"], 1),
    "schema": ([], 0),
    "init": (["spinout"], 0),
}

#: What no output may hold raw: C0 controls but the line feed, DEL, C1 controls, the line and
#: paragraph separators, invisible format characters (category Cf but the zero-width joiners)
#: and lone surrogates.
RAW = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff"
    + "".join(
        re.escape(chr(c)) for c in range(0x110000) if unicodedata.category(chr(c)) == "Cf" and c not in (0x200C, 0x200D)
    )
    + "]"
)

#: The hostile title: ESC (a screen clear), BEL, CSI U+009B, U+202E (right-to-left override), a lone surrogate.
TITLE = "x\x1b[2J\x07\u009b31m\u202eevil\ud800"
#: The same, as every format shows it (one backslash more in JSON and Markdown, which escape it).
TITLE_SHOWN = re.compile(r"x\\+x1b\\?\[2J\\+x07\\+x9b31m\\+u202eevil\\+ud800")
#: A file name with the same controls and a byte that is not UTF-8 (read as U+DCFF).
NAME = os.fsdecode(b"n\x1b[2J\x07\xc2\x9b\xe2\x80\xaeevil\xff.json")
NAME_SHOWN = re.compile(r"n\\+x1b\\?\[2J\\+x07\\+x9b\\+u202eevil\\+xff\.json")


def hostile_plan(title: str, months: int = 12) -> str:
    """A JSON plan (JSON can carry a lone surrogate as ``\\ud800``) of one Stage I phase."""
    plan = {"title": title, "phase": [{"menu": "stage1", "start": "2026-10-01", "months": months}]}
    return json.dumps(plan)  # ensure_ascii: every character as an escape, surrogates too


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working folder with the example plans under short relative names."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "good.toml").write_text((ROOT / "examples/stage1-valid.toml").read_text("utf-8"), "utf-8")
    (tmp_path / "other.toml").write_text((ROOT / "examples/stage1-invalid.toml").read_text("utf-8"), "utf-8")
    (tmp_path / "roadmap.toml").write_text((ROOT / "examples/roadmap-stage1-stage2.toml").read_text("utf-8"), "utf-8")
    return tmp_path


def output(cli: Cli, args: list[str], fmt: str, name: str, *, expect: int | None = None) -> tuple[str, bytes]:
    """Run ``astep ARGS --format FMT`` (to ``name`` + the format's extension when the format is
    binary, else to standard output): the text shown (a workbook's XML parts) and the bytes."""
    spec = FORMATS[fmt]
    target = f"{name}{spec.extensions[0]}" if spec.binary else None
    Path(target).unlink(missing_ok=True) if target else None
    result = cli(*args, "--format", fmt, "--lang", "en", *(["-o", target] if target else []))
    if expect is not None:
        result.expect(expect)
    assert not RAW.search(result.stderr), f"a raw control on stderr: {result.stderr!r}"
    if target is None:
        data = result.stdout_bytes
        return data.decode("utf-8"), data
    data = Path(target).read_bytes()
    with zipfile.ZipFile(target) as book:
        text = "\n".join(book.read(n).decode("utf-8") for n in sorted(book.namelist()) if n.endswith(".xml"))
    return text, data


def pairs(*commands: str) -> list[tuple[str, str]]:
    return [(command, fmt) for command in commands for fmt in COMMAND_FORMATS[command]]


# --------------------------------------------------------------------------- the registry


def test_every_format_is_taken_by_some_command_and_described() -> None:
    for fmt in FORMATS.values():
        assert any(fmt.name in formats for formats in COMMAND_FORMATS.values()), fmt.name
        assert fmt.help and "\n" not in fmt.help and fmt.extensions, fmt.name
        assert all(e.startswith(".") and e == e.lower() for e in fmt.extensions), fmt.name
    assert set(COMMAND_FORMATS) == set(COMMANDS)  # every command is run below


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_help_lists_the_formats_the_command_takes(cli: Cli, command: str) -> None:
    help_text = " ".join(cli(command, "--help").stdout.split())
    assert f"--format {'|'.join(COMMAND_FORMATS[command])} " in help_text
    for fmt in FORMATS.values():
        assert (f"{fmt.name}: {fmt.help}" in help_text) == (fmt.name in COMMAND_FORMATS[command])


def test_schema_takes_what_prints_a_document() -> None:
    assert COMMAND_FORMATS["schema"] == tuple(f.name for f in FORMATS.values() if f.document is not None)
    assert "markdown" in COMMAND_FORMATS["schema"] and "csv" not in COMMAND_FORMATS["schema"]


@pytest.mark.parametrize(("command", "fmt"), [(c, f) for c in sorted(COMMANDS) for f in FORMATS])
def test_a_format_the_command_does_not_take_is_one_error_line(cli: Cli, folder: Path, command: str, fmt: str) -> None:
    args, _ = COMMANDS[command]
    if fmt in COMMAND_FORMATS[command]:
        return  # taken: run in every other test
    cli(command, *args, "--format", fmt, "-o", "out").expect(2, fmt)
    assert not Path("out").exists()


@pytest.mark.parametrize(("fmt", "ext"), [(f.name, e) for f in FORMATS.values() for e in f.extensions])
@pytest.mark.parametrize("command", ["budget", "check", "schema"])
def test_the_output_extension_asks_for_the_first_format_that_lists_it(
    cli: Cli, folder: Path, command: str, fmt: str, ext: str
) -> None:
    args, code = COMMANDS[command]
    asked = next(f.name for f in FORMATS.values() if ext in f.extensions)
    inferred = cli(command, *args, "-o", f"a{ext.upper()}", strict=False)
    if asked not in COMMAND_FORMATS[command]:
        inferred.check().expect(2, [asked, f"a{ext.upper()}"])
        return
    inferred.check().expect(code)
    cli(command, *args, "--format", asked, "-o", f"b{ext}").expect(code)
    assert Path(f"a{ext.upper()}").read_bytes() == Path(f"b{ext}").read_bytes()
    others = [f for f in COMMAND_FORMATS[command] if f != fmt and ext not in FORMATS[f].extensions]
    for other in others[:1]:  # a format the name does not fit contradicts it
        cli(command, *args, "--format", other, "-o", f"c{ext}").expect(2, ["contradicts", f"c{ext}"])


@pytest.mark.parametrize("fmt", [f.name for f in FORMATS.values() if f.binary])
def test_a_binary_format_needs_an_output_file(cli: Cli, fmt: str) -> None:
    cli(*["budget", *COMMANDS["budget"][0]], "--format", fmt).expect(2, ["--output", fmt])
    cli(*["budget", *COMMANDS["budget"][0]], "--format", fmt, "-o", "-").expect(2, ["--output", fmt])


@pytest.mark.parametrize("fmt", COMMAND_FORMATS["budget"])
def test_bom_and_display_unit_apply_where_the_registry_says(cli: Cli, folder: Path, fmt: str) -> None:
    spec: Format = FORMATS[fmt]
    args = ["budget", *COMMANDS["budget"][0], "--format", fmt, "-o", f"r{spec.extensions[0]}", "--force"]
    cli(*args, "--bom").expect(0 if spec.bom else 2, [] if spec.bom else ["--bom", fmt])
    unit = cli(*args, "--display-unit", "thousand")
    unit.expect(0 if spec.display_unit else 2, [] if spec.display_unit else ["--display-unit", fmt])
    cli(*args, "--display-unit", "yen").expect(0)  # yen is every format's unit


@pytest.mark.parametrize("fmt", COMMAND_FORMATS["budget"])
def test_date_style_applies_where_the_registry_says(cli: Cli, folder: Path, fmt: str) -> None:
    spec: Format = FORMATS[fmt]
    args = ["budget", *COMMANDS["budget"][0], "--format", fmt, "-o", f"r{spec.extensions[0]}", "--force"]
    era = cli(*args, "--date-style", "wareki", "--lang", "ja")
    era.expect(0 if spec.dates else 2, [] if spec.dates else ["--date-style", fmt])
    cli(*args, "--date-style", "iso").expect(0)  # ISO is every format's


@pytest.mark.parametrize("fmt", COMMAND_FORMATS["plan"])
def test_chart_is_refused_by_a_format_that_cannot_draw(cli: Cli, folder: Path, fmt: str) -> None:
    spec = FORMATS[fmt]
    args = ["plan", "roadmap.toml", "--chart", "--format", fmt, "-o", f"r{spec.extensions[0]}"]
    if spec.chart == "no":
        cli(*args).expect(2, ["--chart", fmt])
        assert not Path(f"r{spec.extensions[0]}").exists()
    else:
        cli(*args).expect(0)
        drawn, _ = output(cli, ["plan", "roadmap.toml", "--chart"], fmt, "chart")
        plain, _ = output(cli, ["plan", "roadmap.toml"], fmt, "plain")
        assert ("Cumulative position" in plain) == (spec.chart == "always")
        assert "Cumulative position" in drawn


# --------------------------------------------------------------------------- every format, every command


@pytest.mark.parametrize(("command", "fmt"), pairs(*COMMANDS))
def test_the_same_inputs_give_the_same_bytes_and_exit_code(cli: Cli, folder: Path, command: str, fmt: str) -> None:
    args, code = COMMANDS[command]
    _, first = output(cli, [command, *args], fmt, "first", expect=code)
    _, second = output(cli, [command, *args], fmt, "second", expect=code)
    assert first == second and first.strip()


@pytest.mark.parametrize("fmt", COMMAND_FORMATS["check"])
def test_an_unreadable_plan_is_exit_2_and_the_others_are_reported(cli: Cli, folder: Path, fmt: str) -> None:
    Path("broken.toml").write_text('menu = "stage1"\nstart = 2026-13-01\n', "utf-8")
    text, _ = output(cli, ["check", "other.toml", "broken.toml"], fmt, "r", expect=2)
    assert "other.toml" in text and "broken.toml" in text


@pytest.mark.parametrize(("command", "fmt"), pairs("plan", "check"))
def test_a_hostile_title_and_file_name_come_out_escaped(cli: Cli, folder: Path, command: str, fmt: str) -> None:
    Path(NAME).write_text(hostile_plan(TITLE, months=36), "utf-8")  # 36 months: period.max, in every format
    args = ["plan", NAME] if command == "plan" else ["check", NAME, "other.toml"]
    text, _ = output(cli, args, fmt, "r", expect=1)
    assert not RAW.search(text), RAW.findall(text)
    if fmt == "sarif":  # SARIF names a file by its URI: the escaped name, percent-encoded
        text = urllib.parse.unquote(text)
    if command == "check":  # the file is named in every format, beside the other plan
        assert NAME_SHOWN.search(text) and "other.toml" in text
    # Wherever the title or the name is shown (a CSV of the cash flow has no title), it is escaped.
    assert "evil" not in NAME_SHOWN.sub("", TITLE_SHOWN.sub("", text))


def test_a_lone_surrogate_title_keeps_the_other_files_report(cli: Cli, folder: Path) -> None:
    # issue 23: one plan titled "x\ud800" once wiped out the whole JSON report of the check
    Path("bad.json").write_text(hostile_plan("x\ud800"), "utf-8")
    report = json.loads(cli("check", "good.toml", "bad.json", "--format", "json").expect(0).stdout)
    assert [f["path"] for f in report["files"]] == ["good.toml", "bad.json"]
    assert report["files"][1]["title"] == "x\\ud800"


def test_a_very_long_title_is_cut_with_a_note(cli: Cli, folder: Path) -> None:
    Path("long.json").write_text(hostile_plan("t" + "\u0301" * 600_000), "utf-8")
    title = json.loads(cli("plan", "long.json", "--format", "json").expect(0).stdout)["title"]
    assert len(title) <= 1000 and "characters left out" in title
    ja = cli("check", "long.json", "--lang", "ja").expect(0).stdout
    assert "文字省略" in ja and max(map(len, ja.splitlines())) < 2000


# --------------------------------------------------------------------------- Markdown


def test_markdown_tables_keep_their_columns_whatever_the_text(cli: Cli, folder: Path) -> None:
    Path("pipes.json").write_text(hostile_plan("a | b \\| c\nd <b>&amp; *e* [f](g)", months=36), "utf-8")
    text = cli("check", "pipes.json", "other.toml", "--format", "markdown").expect(1).stdout
    assert text.startswith("### astep check: ✗ 2 files checked: 2 with violations\n")
    for block in text.split("\n\n"):
        rows = [line for line in block.split("\n") if line.startswith("| ")]
        if rows:  # every row of a table has the header's number of cells (pipes not escaped)
            cells = {len(re.findall(r"(?<!\\)\|", row)) for row in rows}
            assert len(cells) == 1, block
    assert "<b>" not in text and "&amp;amp;" in text and "\\*e\\*" in text and "\\[f\\](g)" in text


def test_markdown_says_the_verdict_first_and_lists_assumptions(cli: Cli, folder: Path) -> None:
    ok = cli("budget", *COMMANDS["budget"][0], "--format", "markdown").expect(0).stdout
    assert ok.startswith("### astep budget: ✓ within the programme rules\n")
    assert "\n**Assumptions**\n\n- " in ok and "\n**Rules applied**\n\n- " in ok
    assert "| ---: |" in ok and "| **Total** |" in ok
    broken = cli("collateral", "--amount", "6億", "--format", "markdown", "--lang", "ja").expect(1).stdout
    assert broken.startswith("### astep collateral：✗ 違反 1件\n") and "\n- ✗ `amount.max` " in broken
    assert cli("rules", "--format", "markdown").expect(0).stdout.startswith("### astep rules\n")


def test_markdown_is_the_output_of_an_md_file(cli: Cli, folder: Path) -> None:
    cli("check", "good.toml", "-o", "summary.md").expect(0)
    assert (
        Path("summary.md")
        .read_text("utf-8")
        .startswith("### astep check: ✓ 1 file checked, all within the programme rules")
    )


def test_schema_in_markdown_is_the_json_schema_fenced(cli: Cli) -> None:
    text = cli("schema", "--format", "markdown").expect(0).stdout
    assert text.startswith("```json\n") and text.endswith("\n```\n")
    assert json.loads(text[len("```json\n") : -len("```\n")]) == json.loads(cli("schema").stdout)


# --------------------------------------------------------------------------- CSV


def test_a_carriage_return_in_a_csv_cell_is_quoted_as_with_bom() -> None:
    from astep_calc.cli.report import to_csv
    from astep_calc.cli.views import Column, Report, Table
    from astep_calc.text import Text

    table = Table(
        Text("t", "t"), [Column("a", Text("a", "a")), Column("b", Text("b", "b"))], [{"a": "x\r=1+1", "b": 2}]
    )
    report = Report("x", "r", [table], {})
    plain, excel = to_csv(report, "en"), to_csv(report, "en", excel=True)
    assert plain == 'a,b\n"x\r=1+1",2\n'
    assert excel == '\ufeffa,b\r\n"x\r=1+1",2\r\n'


def test_a_line_break_in_a_file_name_never_splits_a_csv_row(cli: Cli, folder: Path) -> None:
    name = "a\r=HYPERLINK(1)\nb.toml"
    Path(name).write_text((ROOT / "examples/stage1-invalid.toml").read_text("utf-8"), "utf-8")
    text = cli("check", name, "--format", "csv").expect(1).stdout
    assert "\r" not in text and not any(line.startswith("=") for line in text.split("\n"))


# --------------------------------------------------------------------------- any text at all


def test_the_escaped_characters_are_the_unicode_format_characters() -> None:
    from astep_calc.cli.safe import printable

    for c in range(0x110000):
        ch = chr(c)
        hidden = unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp") and c not in (0x200C, 0x200D)
        escaped = printable(ch) != ch
        # Beyond them, only format characters of a newer Unicode than this Python's (unassigned here).
        assert escaped == hidden or (escaped and unicodedata.category(ch) == "Cn"), hex(c)


#: Text that breaks things: controls, bidi, separators, surrogates, combining marks, Markdown,
#: CSV and JSON syntax, wide characters; or any code point at all.
HOSTILE = st.text(
    st.one_of(
        st.sampled_from(list('\x00\x07\x08\t\n\r\x1b\x7f\x85\x9b\u200b\u2028\u202e\u2066\ufeff\ud800\udcff|\\"<&*_`=')),
        st.sampled_from(["\u0301", "計", "\U0001f600", "\U000e0041", "\u200d"]),
        st.characters(exclude_categories=()),
    ),
    max_size=40,
)


@pytest.mark.slow  # every format of check and plan, for each example
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=HOSTILE)
def test_any_title_in_every_format(cli: Cli, folder: Path, title: str) -> None:
    Path("any.json").write_text(hostile_plan(title), "utf-8")
    for fmt in COMMAND_FORMATS["check"]:
        text, _ = output(cli, ["check", "other.toml", "any.json"], fmt, "c")  # conftest: 0/1/2, one-line errors
        assert not RAW.search(text), (fmt, RAW.findall(text))
        assert "other.toml" in text, fmt
    for fmt in COMMAND_FORMATS["plan"]:
        text, _ = output(cli, ["plan", "any.json"], fmt, "p")
        assert not RAW.search(text), (fmt, RAW.findall(text))


def test_every_command_takes_the_formats_the_registry_gives_it() -> None:
    for command, formats in COMMAND_FORMATS.items():
        assert formats == formats_for(command, document=command in ("schema", "init"))


# --------------------------------------------------------------------------- streams that are not UTF-8

#: Standard output as a redirect on Japanese Windows (cp932), or a C or Western locale.
ENCODINGS = ("cp932", "ascii", "latin-1")


def _stream_cases() -> list[tuple[str, str, str]]:
    """Every format of every command on cp932; each format once more on ascii and latin-1."""
    cases = [(command, fmt, "cp932") for command, fmt in pairs(*COMMANDS) if not FORMATS[fmt].binary]
    seen: set[str] = set()
    for command, fmt in pairs("schema", "check", "repay"):
        if fmt not in seen and not FORMATS[fmt].binary:
            seen.add(fmt)
            cases += [(command, fmt, "ascii"), (command, fmt, "latin-1")]
    return cases


def run_encoded(args: list[str], encoding: str, cwd: Path) -> tuple[int, bytes, bytes]:
    """``python -m astep_calc ARGS`` with standard output and error in ``encoding``: the exit
    code and the bytes of both (each must be in that encoding, or UTF-8 where promised)."""
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL", "LANGUAGE", "COLUMNS")}
    env.update({"NO_COLOR": "1", "COLUMNS": "120", "PYTHONIOENCODING": encoding})
    proc = subprocess.run(
        [sys.executable, "-m", "astep_calc", *args], cwd=cwd, env=env, capture_output=True, check=False, timeout=120
    )
    err = proc.stderr.decode(encoding)  # strict: an error line the terminal can show
    assert "Traceback" not in err and "unexpected error" not in err and "予期しない" not in err, err
    return proc.returncode, proc.stdout, proc.stderr


@pytest.mark.slow  # a subprocess each: the stream's encoding is set when Python starts
@pytest.mark.parametrize(("command", "fmt", "encoding"), _stream_cases())
def test_a_stream_that_is_not_utf8_takes_every_format(
    cli: Cli, folder: Path, command: str, fmt: str, encoding: str
) -> None:
    # issue 23 item 5: `astep schema` on a cp932 redirect ended in "unexpected error".
    # Machine formats (and a document in any format) are UTF-8 bytes whatever the stream; a
    # table replaces what the stream cannot encode with "?".
    args, code = COMMANDS[command]
    argv = [command, *args, "--format", fmt, "--lang", "ja"]
    exit_code, out, _ = run_encoded(argv, encoding, folder)
    assert exit_code == code
    if FORMATS[fmt].utf8 or command in ("schema", "init"):  # a document is UTF-8 in every format
        assert out == cli(*argv).stdout_bytes  # the same bytes as on a UTF-8 terminal
        if fmt == "json" or (command == "schema" and fmt == "table"):
            json.loads(out.decode("utf-8"))
    else:
        text = out.decode(encoding)  # strict: only what the stream can hold
        shown = re.search("[\u3040-\u30ff]", text) if encoding == "cp932" else "?" in text  # kana, or "?" for it
        assert shown and text.strip()


@pytest.mark.slow
@pytest.mark.parametrize("encoding", ENCODINGS)
def test_help_and_errors_on_a_stream_that_is_not_utf8(tmp_path: Path, encoding: str) -> None:
    code, out, _ = run_encoded(["repay", "--help", "--lang", "ja"], encoding, tmp_path)
    assert code == 0 and b"--amount" in out
    for args in (["repay", "--lang", "ja"], ["repay", "--amount", "x", "--dev-end", "2029-09-30", "--lang", "ja"]):
        code, out, err = run_encoded(args, encoding, tmp_path)
        assert code == 2 and out == b"" and err.count(b"\n") == 1 and b"--amount" in err
    code, out, _ = run_encoded(["schema"], encoding, tmp_path)
    assert code == 0 and json.loads(out.decode("utf-8"))["$schema"].startswith("https://json-schema.org/")


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(HOSTILE | st.text(max_size=1200), max_size=4))
def test_json_that_looks_clean_is_clean(texts: list[str]) -> None:
    # clean_json trusts json_is_clean to skip the walk: whenever it says clean, the walk
    # would have changed nothing (it may say "maybe" for clean text, never the reverse).
    from astep_calc.cli.formats import clean_json, clean_value
    from astep_calc.cli.safe import json_is_clean

    value = {"title": texts[0] if texts else "", "rows": [{"k": t, t: 1} for t in texts]}
    text = json.dumps(value, ensure_ascii=False)
    if json_is_clean(text):
        assert clean_value(value, "en") == value
    assert clean_json(value, "en", lambda v: json.dumps(v, ensure_ascii=False)) == json.dumps(
        clean_value(value, "en"), ensure_ascii=False
    )


def test_a_json_document_is_cleaned_and_stays_json() -> None:
    from astep_calc.cli.formats import clean_document
    from astep_calc.cli.views import Document

    plain = Document("schema", json.dumps({"title": "ok", "pattern": "x" * 5000}, indent=2) + "\n")
    assert clean_document(plain) is plain  # nothing to clean, and a document is never cut
    hostile = Document("schema", json.dumps({"title": "a\u009bb\u202e\ud800"}, ensure_ascii=False, indent=2))
    assert json.loads(clean_document(hostile).text) == {"title": "a\\x9bb\\u202e\\ud800"}
