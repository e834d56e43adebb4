"""The views every renderer consumes: one builder per kind of result, a small report value."""

from __future__ import annotations

import ast
import dataclasses
import errno
import io
import json
import os
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import astep_calc.cli as cli_package
from astep_calc.budget import fiscal_year_caps
from astep_calc.cli.check_scale import CheckReport, Rendering, check_files, json_parts
from astep_calc.cli.labels import Labels
from astep_calc.cli.report import to_csv
from astep_calc.cli.views import (
    CheckView,
    FilePart,
    FileStatus,
    Finding,
    Report,
    Table,
    budget_rows,
    budget_table,
    main_table,
)
from astep_calc.rulebook import Rulebook
from astep_calc.text import Text, Violation

CLI_DIR = Path(cli_package.__file__).parent
V = Violation("period.max", Text("too long", "長すぎる"))


def test_no_command_module_imports_another() -> None:
    # Views hold what several commands show; a command never borrows rows from a sibling.
    for path in CLI_DIR.glob("cmd_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
        siblings = {m for m in imported if m.rsplit(".", 1)[-1].startswith("cmd_")}
        assert not siblings, f"{path.name} imports {siblings}"


def test_report_is_a_small_value() -> None:
    # command, rules, tables, data, summary, violations, assumptions, sources, files: nothing
    # that only one command uses.
    assert len(dataclasses.fields(Report)) <= 9


def test_exit_code_follows_the_findings_and_the_files() -> None:
    base = Report("x", "r", [], {})
    assert base.exit_code == 0
    assert dataclasses.replace(base, violations=[Finding(V)]).exit_code == 1
    assert dataclasses.replace(base, violations=None).exit_code == 0
    unreadable = dataclasses.replace(base, files=[FileStatus("a.toml"), FileStatus("b.toml", Text("gone", "なし"))])
    assert unreadable.exit_code == 2
    assert dataclasses.replace(unreadable, violations=[Finding(V, "a.toml")]).exit_code == 2


def test_a_finding_in_json_names_its_file_first() -> None:
    assert Finding(V).json("en") == {"rule": "period.max", "message": "too long"}
    assert list(Finding(V, "p.toml").json("ja").items()) == [
        ("path", "p.toml"),
        ("rule", "period.max"),
        ("message", "長すぎる"),
        ("line", None),
        ("details", {}),
    ]
    # In a file, the line of the key the violation is about (SPEC §6), and its numbers.
    over = Violation("budget.fy_cap", Text("over", "超過"), "budget.2026", {"cap": 7_500_000, "fiscal_year": 2026})
    assert Finding(over, "p.toml", 11).json("en") == {
        "path": "p.toml",
        "rule": "budget.fy_cap",
        "message": "over",
        "line": 11,
        "details": {"cap": 7_500_000, "fiscal_year": 2026},
    }


def test_budget_table_rows_are_the_budget_rows(rb: Rulebook) -> None:
    # stage1 2026-10-01 to 2029-03-31 (30 months): FY2026 (6 months), FY2027 and FY2028 (12 each).
    plan = fiscal_year_caps(rb, "stage1", date(2026, 10, 1), date(2029, 3, 31))
    table = budget_table(plan)
    assert list(table.rows) == budget_rows(plan)
    assert [r["fiscal_year"] for r in table.rows] == [2026, 2027, 2028]
    assert table.totals is not None and table.totals["cap"] == plan.total_cap
    assert "days" not in [c.key for c in table.columns]


def _unreadable(rb: Rulebook, *names: str) -> CheckReport:
    """A check's report of files that cannot be read (checked by a stand-in for the plan reader)."""
    view = CheckView(rb)

    def check(name: str) -> FilePart:
        return view.unreadable(name, Text("cannot be read", "読めません"))

    return check_files(names, check, Rendering(json_lang="en"), rb.id)


def test_check_view_csv_lists_each_violation_with_its_file(rb: Rulebook) -> None:
    report = _unreadable(rb, "gone.toml")
    assert report.exit_code == 2
    assert [c.key for c in main_table(report).columns] == ["path", "rule", "message", "line"]
    # A file that cannot be read is a row too (issue 14 item 5): CSV consumers see every failure.
    assert to_csv(report, "en") == "path,rule,message,line\ngone.toml,unreadable,cannot be read,\n"
    assert '"error": "cannot be read"' in "".join(json_parts(report, "en"))
    # The summary table is last and shows the unreadable file.
    summary = report.tables[-1]
    assert summary.title == Labels.plans_checked and summary.rows[0]["result"] == Labels.unreadable


def test_a_checks_json_comes_a_file_entry_at_a_time(rb: Rulebook) -> None:
    # --output writes the JSON piece by piece: each file's entry is a piece of its own.
    report = _unreadable(rb, "a.toml", "b.toml", "c.toml")
    pieces = list(json_parts(report, "en"))
    entries = [p.strip(",\n ") for p in pieces if '{"path"' in p]
    assert [json.loads(p)["path"] for p in entries] == ["a.toml", "b.toml", "c.toml"]
    assert json.loads("".join(pieces))["counts"]["unreadable"] == 3


_JSON_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
_JSON_VALUE = st.recursive(
    st.none() | st.booleans() | st.integers() | _JSON_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_JSON_TEXT, inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(
    entries=st.lists(st.dictionaries(_JSON_TEXT, _JSON_VALUE, max_size=4), max_size=4),
    assumptions=st.lists(_JSON_TEXT, max_size=3),
    counts=st.dictionaries(_JSON_TEXT, st.integers(), max_size=3),
)
def test_a_checks_json_written_by_hand_is_json_dumps_of_the_whole(
    entries: list[dict[str, Any]], assumptions: list[str], counts: dict[str, int]
) -> None:
    # The outer object is written out by hand around the entries; json.dumps(indent=2) of the
    # whole object, each entry swapped for its one-line form, is the oracle.
    from astep_calc import __version__
    from astep_calc.cli.check_scale import encode_entry

    report = CheckReport(
        "check",
        "r",
        [],
        {"ok": not entries, "counts": counts},
        assumptions=[Text(a, a) for a in assumptions],
        entries=[encode_entry(e, "en") for e in entries],
    )
    marks = [f"\0entry{k}\0" for k in range(len(entries))]
    whole = {"command": "check", "rules": "r", "version": __version__, "ok": not entries, "files": marks}
    whole.update(counts=counts, assumptions=assumptions, violations=[], sources=[])
    expected = json.dumps(whole, ensure_ascii=False, indent=2) + "\n"
    for mark, entry in zip(marks, entries, strict=True):
        expected = expected.replace(json.dumps(mark), json.dumps(entry, ensure_ascii=False), 1)
    assert "".join(json_parts(report, "en")) == expected


def test_csv_of_a_single_result_is_its_first_table() -> None:
    table = Table(Text("t", "t"), [], [])
    assert main_table(Report("x", "r", [table, Table(Text("u", "u"), [], [])], {})) is table


def test_a_title_with_nul_characters_is_written_as_it_is(tmp_path: Path) -> None:
    # A plan's title may hold any character, NUL too; the entry, schedules included, is whole.
    from typer.testing import CliRunner

    from astep_calc.cli import app

    source = (Path(__file__).parent.parent / "examples" / "roadmap-spinout.toml").read_text("utf-8")
    for title in ("\\u0000raw0\\u0000", "\\u0000raw7\\u0000 and \\u0000raw0\\u0000"):
        plan = tmp_path / "p.toml"
        plan.write_text(source.replace('title = "Sensor spin-out roadmap"', f'title = "{title}"'), "utf-8")
        result = CliRunner().invoke(app, ["check", str(plan), "--format", "json", "--lang", "en"])
        entry = json.loads(result.stdout)["files"][0]
        assert entry["title"] == title.replace("\\u0000", "\\x00")  # a control, shown escaped
        assert [len(p.get("payments", ())) for p in entry["phases"]][-1] > 1  # the schedule is whole


class _FullDisk(io.RawIOBase):
    """A file on a disk with ``room`` bytes left: a write past it writes what fits, then fails
    with ENOSPC, as a full TMPDIR does (a write at or beyond the room fails at once)."""

    def __init__(self, room: int) -> None:
        self.data, self.pos, self.room = bytearray(), 0, room

    def readable(self) -> bool:
        return True

    def writable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        self.pos = {io.SEEK_SET: 0, io.SEEK_CUR: self.pos, io.SEEK_END: len(self.data)}[whence] + offset
        return self.pos

    def readinto(self, buffer: Any) -> int:
        chunk = self.data[self.pos : self.pos + len(buffer)]
        buffer[: len(chunk)] = chunk
        self.pos += len(chunk)
        return len(chunk)

    def write(self, b: Any) -> int:
        n = min(len(b), self.room - self.pos)
        if n <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.data[self.pos : self.pos + n] = bytes(b)[:n]
        self.pos += n
        return n


def test_a_temporary_file_that_fills_up_leaves_the_json_report_whole(tmp_path: Path, monkeypatch: Any) -> None:
    # The JSON entries wait in a temporary file; when TMPDIR fills up part way, the entries
    # that no longer fit stay in memory and the report is the same, exit 1 as before, never
    # "standard output cannot be written" (a write that failed must not fail every later read).
    import tempfile

    from typer.testing import CliRunner

    from astep_calc.cli import app

    source = (Path(__file__).parent.parent / "examples" / "jisso-valid.toml").read_text("utf-8")
    plans = []
    for k in range(12):  # entries of a few hundred bytes to several KB: some buffered, some not
        plan = tmp_path / f"p{k}.toml"
        plan.write_text(source.replace('every = "year"', 'every = "month"') if k % 3 == 0 else source, "utf-8")
        plans.append(str(plan))
    args = ["check", *plans, "--format", "json", "--lang", "en"]
    expected = CliRunner().invoke(app, args)
    for room in (0, 700, 5_000, 9_000, 20_000, 40_000):

        def full(*_: Any, buffering: int = -1, room: int = room, **__: Any) -> Any:
            raw = _FullDisk(room)
            return raw if buffering == 0 else io.BufferedRandom(raw)

        monkeypatch.setattr(tempfile, "TemporaryFile", full)
        result = CliRunner().invoke(app, args)
        assert (result.exit_code, result.stdout) == (expected.exit_code, expected.stdout), room
