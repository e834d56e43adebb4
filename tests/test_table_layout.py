"""Tables never lie: at any width, piped or on a terminal, amounts, dates and paths print whole.

Everything is rendered in-process on a Rich console of a given width, told whether it is a
terminal, so no test depends on the real terminal.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console
from typer.testing import Result

from astep_calc.cli.cmd_check import check
from astep_calc.cli.cmd_jisso import repay
from astep_calc.cli.grid import draw_grid
from astep_calc.cli.options import OutputOptions
from astep_calc.cli.report import _print_lines, table_text
from astep_calc.cli.views import Report
from astep_calc.money import format_yen
from astep_calc.text import Lang

Cli = Callable[..., Result]
ROOT = Path(__file__).resolve().parent.parent
WIDTHS = [60, 80, 200]


def opts(lang: Lang = "en") -> OutputOptions:
    return OutputOptions("table", lang, None, None, False, False)


def draw(report: Report, width: int, terminal: bool, lang: Lang = "en") -> str:
    console = Console(
        file=io.StringIO(),
        width=width,
        force_terminal=terminal,
        color_system=None,
        highlight=False,
        legacy_windows=False,
    )
    return table_text(report, lang, console)


def repay_report(lang: Lang = "en") -> Report:
    return repay(amount="123,456,789", dev_end="2028-03-31", deferral="3y", opts=opts(lang))


def assert_tidy(text: str, width: int, terminal: bool) -> None:
    for line in text.splitlines():
        assert line == line.rstrip(), f"trailing spaces: {line!r}"
        if terminal:
            assert cell_len(line) <= width, f"wider than the terminal ({width}): {line!r}"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("terminal", [True, False])
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_amount_and_date_of_a_schedule_prints_whole(width: int, terminal: bool, lang: Lang) -> None:
    report = repay_report(lang)
    text = draw(report, width, terminal, lang)
    assert_tidy(text, width, terminal)
    words = set(re.split(r"[\s（）()円]+", text))
    for p in report.data["payments"]:
        for key in ("amount", "cumulative", "balance"):
            assert format_yen(p[key]) in words, (key, format_yen(p[key]))
        assert p["due"].isoformat() in words
    assert "123,456,789" in words  # the total
    # Summary, verdict and assumptions are all there.
    assert ("Within the programme rules" in text) or ("制度のルール" in text)
    assert ("Assumptions" in text) or ("前提" in text)


def test_a_wide_table_on_a_narrow_terminal_becomes_a_list() -> None:
    text = draw(repay_report(), 60, terminal=True)
    # One block a payment: "Outstanding  105,820,104" on its own line, never cut.
    assert re.search(r"^Outstanding\s+105,820,104$", text, re.M), text
    assert re.search(r"^Due\s+2032-03-31 \(Wed\)$", text, re.M), text


def test_a_wide_table_off_a_terminal_keeps_its_columns() -> None:
    text = draw(repay_report(), 60, terminal=False)
    header = next(line for line in text.splitlines() if "Payment" in line and "Outstanding" in line)
    assert re.search(r"\bNo\.\s+Due\s+Payment\s+Cumulative\s+Outstanding$", header), header
    assert re.search(r"^\s+1\s+2032-03-31 \(Wed\)\s+17,636,685\s+17,636,685\s+105,820,104$", text, re.M), text


@pytest.mark.parametrize("width", [80, 200])
def test_at_a_terminal_the_table_fits_when_it_can(width: int) -> None:
    text = draw(repay_report(), width, terminal=True)
    assert re.search(r"^\s+1\s+2032-03-31 \(Wed\)\s+17,636,685\s+17,636,685\s+105,820,104$", text, re.M), text


def check_report(tmp_path: Path, lang: Lang = "en") -> tuple[Report, list[str]]:
    # A path longer than anything a column would give it at 60 cells.
    deep = tmp_path / "plans-for-the-fiscal-year-2027-stage-gate" / "stage2-gate-invalid.toml"
    deep.parent.mkdir()
    deep.write_bytes((ROOT / "examples" / "stage2-gate-invalid.toml").read_bytes())
    paths = [str(deep), str(ROOT / "examples" / "stage1-valid.toml"), str(tmp_path / "nosuch.toml")]
    return check(plans=paths, opts=opts(lang)), paths


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("terminal", [True, False])
def test_check_never_cuts_a_path_or_drops_a_column(tmp_path: Path, width: int, terminal: bool) -> None:
    report, paths = check_report(tmp_path)
    text = draw(report, width, terminal)
    summary = text[text.index("Plan files checked") :]
    if not terminal:
        for path in paths:
            assert path in summary.replace("\n", " ").split(), path  # whole, on one line

        assert_tidy(text, width, terminal)
        header = next(line for line in summary.splitlines() if line.startswith("File"))
        assert re.fullmatch(r"File\s+Menu\s+Result\s+Violations", header), header
        assert re.search(r"1\s+unreadable", summary)  # a text cell may wrap, never be cut
    else:
        # A path longer than the terminal folds at its edge, but nothing of it is lost.
        joined = re.sub(r"\n\s*", "", summary)
        assert all(path in joined for path in paths)
        assert_tidy(text, width, terminal)


def test_at_80_columns_the_check_summary_keeps_every_column(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    report = check(
        plans=["./examples/stage2-gate-invalid.toml", "./examples/jisso-custom-invalid.toml", "nosuch.toml"],
        opts=opts(),
    )
    text = draw(report, 80, terminal=True)
    summary = text[text.index("Plan files checked") :]
    assert re.search(r"^File\s+Menu\s+Result\s+Violations$", summary, re.M), summary
    assert re.search(r"^\./examples/stage2-gate-invalid\.toml\s+stage2-gate\s+✗ 2 violations\s+2$", summary, re.M)
    assert re.search(r"^\./examples/jisso-custom-invalid\.toml\s+jisso\s+✗ 3 violations\s+3$", summary, re.M)
    assert_tidy(text, 80, terminal=True)


def test_violations_and_assumptions_print_at_columns_0(cli: Cli) -> None:
    result = cli("budget", "--menu", "stage1", "--start", "2026-10-01", "--months", "40", env={"COLUMNS": "0"})
    assert result.exit_code == 1
    assert "period.max" in result.stdout and "Assumptions" in result.stdout
    # 7,500,000 + 2 × 15,000,000 + FY2029 Apr–Jan prorated (10/12): 12,500,000 = 50,000,000.
    assert "50,000,000" in result.stdout


def test_columns_60_repay_shows_every_amount_whole(cli: Cli) -> None:
    args = ("repay", "--amount", "123,456,789", "--dev-end", "2028-03-31", "--deferral", "3y")
    text = cli(*args, env={"COLUMNS": "60"}).stdout
    data = json.loads(cli(*args, "--format", "json").stdout)
    words = set(text.split())
    for p in data["payments"]:
        assert {format_yen(p["amount"]), format_yen(p["cumulative"]), format_yen(p["balance"])} <= words


def test_piped_check_shows_both_paths_whole_and_every_column(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = cli("check", "./examples/stage2-gate-invalid.toml", "nosuch.toml", env={"COLUMNS": None})
    assert result.exit_code == 2
    summary = result.stdout[result.stdout.index("Plan files checked") :]
    assert re.search(r"^\./examples/stage2-gate-invalid\.toml\s+stage2-gate\s+✗ 2 violations\s+2$", summary, re.M)
    assert re.search(r"^nosuch\.toml\s+✗ unreadable$", summary, re.M)
    assert re.search(r"^File\s+Menu\s+Result\s+Violations$", summary, re.M)
    assert all(line == line.rstrip() for line in result.stdout.splitlines())


# --------------------------------------------------------------------------- closed streams


def run_closed(args: list[str], close: tuple[int, ...], cwd: Path) -> subprocess.CompletedProcess[bytes]:
    def closing() -> None:
        for fd in close:
            os.close(fd)

    keep = {1: subprocess.PIPE, 2: subprocess.PIPE}
    return subprocess.run(
        [sys.executable, "-m", "astep_calc", *args],
        cwd=cwd,
        timeout=60,
        stdout=None if 1 in close else keep[1],
        stderr=None if 2 in close else keep[2],
        preexec_fn=closing,
        env={**os.environ, "LANG": "C.UTF-8", "LC_ALL": ""},
    )


@pytest.mark.slow
@pytest.mark.skipif(os.name != "posix", reason="closing descriptors in the child")
@pytest.mark.parametrize("close", [(1,), (2,), (1, 2)])
def test_a_closed_stream_never_changes_the_exit_code(tmp_path: Path, close: tuple[int, ...]) -> None:
    over = ["budget", "--menu", "stage1", "--start", "2026-10-01", "--months", "40"]
    assert run_closed(over, close, tmp_path).returncode == 1
    assert run_closed([*over, "--format", "csv"], close, tmp_path).returncode == 1
    assert (
        run_closed(["budget", "--menu", "nope", "--start", "2026-10-01", "--months", "4"], close, tmp_path).returncode
        == 2
    )
    assert run_closed(["budget", "--nope"], close, tmp_path).returncode == 2
    done = run_closed([*over, "--format", "json", "--output", "out.json"], close, tmp_path)
    assert done.returncode == 1
    assert json.loads((tmp_path / "out.json").read_text("utf-8"))["violations"][0]["rule"] == "period.max"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]
    for stream in (done.stdout, done.stderr):
        assert b"unexpected" not in (stream or b"")


@pytest.mark.slow
@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_standard_output_is_one_clear_line(tmp_path: Path) -> None:
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [sys.executable, "-m", "astep_calc", "rules"],
            stdout=full,
            stderr=subprocess.PIPE,
            timeout=60,
            cwd=tmp_path,
            env={**os.environ, "LANG": "C.UTF-8", "LC_ALL": ""},
        )  # English whatever the locale
    assert result.returncode == 2
    assert result.stderr.decode().splitlines() == [
        "astep: error: standard output cannot be written: No space left on device"
    ]


# --------------------------------------------------------------------------- a real terminal


def run_in_terminal(args: list[str], columns: int, cwd: Path = ROOT) -> str:
    """``python -m astep_calc ARGS`` with its standard output a pseudo-terminal ``columns`` wide."""
    import fcntl
    import pty
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "LANG", "LC_ALL", "LANGUAGE")}
    env.update({"NO_COLOR": "1", "TERM": "xterm"})
    proc = subprocess.Popen(
        [sys.executable, "-m", "astep_calc", *args],
        cwd=cwd,
        env=env,
        stdout=follower,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closes when the process ends
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    proc.wait(timeout=60)
    text = b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
    return re.sub(r"\x1b\[[0-9;]*m", "", text)  # bold stays on without colour


SUMMARY_FILES = ["examples/stage2-gate-invalid.toml", "examples/roadmap-spinout.toml", "nosuch.toml"]


@pytest.mark.slow  # a subprocess on a pseudo-terminal
@pytest.mark.parametrize("lang", ["en", "ja"])
def test_at_an_80_column_terminal_the_check_summary_is_a_table(lang: str) -> None:
    # The paths (33 cells at most) and the counts fit 80 columns whole: the roadmap's menu
    # and the result wrap in their cells, and the summary stays a table.
    text = run_in_terminal(["check", *SUMMARY_FILES, "--lang", lang], 80)
    head = "Plan files checked" if lang == "en" else "検査した計画ファイル"
    summary = text[text.index(head) :]
    header = r"File\s+Menu\s+Result\s+Violations" if lang == "en" else r"ファイル\s+メニュー\s+結果\s+違反件数"
    assert re.search(rf"^{header}$", summary, re.M), summary
    # English names the menus by their ids; Japanese by their names (ステージⅡ（移行）), which
    # wrap between characters as Japanese is set.
    gate, first = ("stage2-gate", "stage1 →") if lang == "en" else ("ステージⅡ", "ステージⅠ → ス")
    assert re.search(
        rf"^examples/stage2-gate-invalid\.toml\s+{gate}\s+✗ (2 violations|違反 2件)\s+2$", summary, re.M
    ), summary
    assert re.search(rf"^examples/roadmap-spinout\.toml\s+{first}\s+✓ \S+\s+0$", summary, re.M), summary
    table = re.split(r"\n(?:前提|Assumptions)\n", summary)[0]
    assert "stage1" not in table if lang == "ja" else "ステージ" not in table
    assert re.search(r"^nosuch\.toml\s+✗", summary, re.M), summary
    assert not re.search(r"^(File|ファイル)\s+\S", summary.split("\n", 2)[2], re.M), "a list, not a table"
    for line in text.splitlines():
        assert cell_len(line) <= 80 and line == line.rstrip(), repr(line)


def test_at_80_columns_a_roadmap_summary_keeps_its_columns(monkeypatch: pytest.MonkeyPatch) -> None:
    # The same in-process: the menus wrap between themselves, never inside one.
    monkeypatch.chdir(ROOT)
    text = draw(check(plans=SUMMARY_FILES, opts=opts("en")), 80, terminal=True, lang="en")
    assert re.search(r"^\s+stage2-gate →$", text, re.M) and re.search(r"^\s+jisso$", text, re.M), text
    assert_tidy(text, 80, terminal=True)
    # Japanese names the menus (ステージⅠ → ステージⅡ（移行） → 実装支援), wrapped as Japanese
    # is set, between characters: the table keeps its four columns.
    text = draw(check(plans=SUMMARY_FILES, opts=opts("ja")), 80, terminal=True, lang="ja")
    summary = text[text.index("検査した計画ファイル") :]
    assert re.search(r"^ファイル\s+メニュー\s+結果\s+違反件数$", summary, re.M), summary
    assert re.search(r"^\s+→ 実装支援$", summary, re.M) and "jisso" not in summary, summary
    assert_tidy(text, 80, terminal=True)


def test_the_list_layout_labels_its_totals_total(monkeypatch: pytest.MonkeyPatch) -> None:
    # Too narrow for the paths: one block a file, and the totals block is "Total", not "File".
    monkeypatch.chdir(ROOT)
    text = draw(check(plans=SUMMARY_FILES, opts=opts()), 50, terminal=True)
    summary = text[text.index("Plan files checked") :]
    assert re.search(r"^File\s+examples/roadmap-spinout\.toml$", summary, re.M), summary
    assert re.search(r"^Total\s+3 files checked$", summary, re.M), summary
    assert not re.search(r"^File\s+3 files checked", summary, re.M)
    ja = draw(check(plans=SUMMARY_FILES, opts=opts("ja")), 50, terminal=True, lang="ja")
    assert re.search(r"^合計\s+3ファイルを検査$", ja, re.M), ja
    # A budget's totals row says Total once, not "Fiscal year  Total".
    budget = draw(budget_report(), 50, terminal=True)
    assert re.search(r"^Total$", budget, re.M) and not re.search(r"^Fiscal year\s+Total$", budget, re.M), budget


def budget_report() -> Report:
    from astep_calc.cli.cmd_budget import budget

    return budget(menu="stage1", start="2026-10-01", months="30", opts=opts())


# --------------------------------------------------------------------------- the grid itself
# draw_grid lays a table out as Rich's own Table draws it; Rich is the oracle here.

_WORD = st.text(alphabet="abcXYZ019,.-:/()→年度計画ー", min_size=1, max_size=40)
_CELL = st.lists(st.tuples(_WORD, st.sampled_from([" ", "  ", "\u3000", "\n"])), min_size=0, max_size=8).map(
    lambda words: "".join(w + gap for w, gap in words).strip(" ")
)


def _rich_drawn(
    widths: list[int],
    right: list[bool],
    wrap: list[bool],
    header: list[str],
    body: list[list[str]],
    totals: list[str] | None,
    encoding: str = "utf-8",
) -> list[str]:
    from rich import box
    from rich.table import Table as RichTable
    from rich.text import Text as RichText

    table = RichTable(box=box.SIMPLE_HEAVY, show_edge=False, pad_edge=False)
    for label, w, r, x in zip(header, widths, right, wrap, strict=True):
        table.add_column(RichText(label), justify="right" if r else "left", no_wrap=not x, width=w, overflow="fold")
    for values in body:
        table.add_row(*(RichText(v, overflow="fold") for v in values))
    if totals is not None:
        table.add_section()
        table.add_row(*(RichText(v, overflow="fold") for v in totals), style="bold")
    console = Console(
        file=io.TextIOWrapper(io.BytesIO(), encoding=encoding),
        width=sum(widths) + 3 * (len(widths) - 1),
        color_system=None,
    )
    with console.capture() as captured:
        console.print(table)
    return [line.rstrip() for line in captured.get().split("\n")[:-1]]


@st.composite
def _grids(draw_: st.DrawFn) -> tuple[list[int], list[bool], list[bool], list[str], list[list[str]], list[str] | None]:
    n = draw_(st.integers(1, 4))
    wrap = draw_(st.lists(st.booleans(), min_size=n, max_size=n))
    right = draw_(st.lists(st.booleans(), min_size=n, max_size=n))
    rows = draw_(st.lists(st.lists(_CELL, min_size=n, max_size=n), min_size=0, max_size=4))
    totals = draw_(st.none() | st.lists(_CELL, min_size=n, max_size=n))
    header = draw_(st.lists(_CELL, min_size=n, max_size=n))
    every = [header, *rows, *([totals] if totals is not None else [])]
    widths = []
    for i in range(n):
        natural = max((cell_len(line) for row in every for line in row[i].split("\n")), default=0)
        # A column that never wraps is as wide as its widest line (render_table sizes it so);
        # one that wraps may be narrower, down to the 8 cells render_table gives it at least.
        widths.append(max(natural, 1) + draw_(st.integers(0, 3)) if not wrap[i] else draw_(st.integers(8, 30)))
    return widths, right, wrap, header, rows, totals


@settings(max_examples=1000, deadline=None)
@given(_grids())
def test_the_grid_is_laid_out_as_richs_own_table(grid: tuple[Any, ...]) -> None:
    widths, right, wrap, header, body, totals = grid
    ours = [line.rstrip() for line, _ in draw_grid(widths, right, wrap, header, body, totals)]
    assert ours == _rich_drawn(widths, right, wrap, header, body, totals)


def test_the_grid_makes_its_header_and_totals_bold_on_a_terminal() -> None:
    console = Console(file=io.StringIO(), width=40, color_system="standard", force_terminal=True)
    with console.capture() as captured:
        table_text_lines = draw_grid(
            [4, 6], [False, True], [False, False], ["Rule", "Amount"], [["a.b", "1,000"]], ["Sum", "1,000"]
        )
        _print_lines(console, table_text_lines)
    out = captured.get().split("\n")
    assert out[0].startswith("\x1b[1mRule") and out[4].startswith("\x1b[1mSum")  # bold
    assert "\x1b" not in out[2]  # the rows are plain


def test_a_long_path_in_a_title_stays_whole_off_a_terminal(tmp_path: Path) -> None:
    deep = tmp_path / ("d" * 90) / ("e" * 60)
    deep.mkdir(parents=True)
    plan = deep / "p.toml"
    plan.write_text((ROOT / "examples" / "stage1-valid.toml").read_text("utf-8"), "utf-8")
    text = draw(check(plans=[str(plan)], opts=opts()), 80, terminal=False)
    assert text.splitlines()[0].startswith(f"{plan}:")  # the title: the path whole on its first line


@settings(max_examples=300, deadline=None)
@given(_grids())
def test_the_grid_in_ascii_is_laid_out_as_richs_own_table_on_an_ascii_stream(grid: tuple[Any, ...]) -> None:
    # A stream that cannot encode "━" (PYTHONIOENCODING=ascii, a Windows code page): Rich
    # drew "|" between the columns and "-+-" rules; a heavy rule there came out as "????".
    widths, right, wrap, header, body, totals = grid
    ours = [line.rstrip() for line, _ in draw_grid(widths, right, wrap, header, body, totals, ascii_only=True)]
    assert ours == _rich_drawn(widths, right, wrap, header, body, totals, encoding="ascii")


def test_a_checks_tables_laid_out_already_are_drawn_again_in_ascii_for_an_ascii_stream() -> None:
    # check lays each file's table out for the console of --output (UTF-8); drawn on a stream
    # that cannot encode the heavy rule, the tables are drawn again, as Rich drew them there.
    from astep_calc.cli.check_scale import CheckReport, render_check

    report = check(
        plans=[str(ROOT / "examples" / "stage1-invalid.toml")],
        opts=OutputOptions("table", "en", None, "x.txt", False, False),
    )
    assert isinstance(report, CheckReport) and report.laid_out[0] is not None
    console = Console(
        file=io.TextIOWrapper(io.BytesIO(), encoding="ascii"),
        width=120,
        color_system=None,
        highlight=False,
        legacy_windows=False,
    )
    text = "".join(render_check(report, "table", "en", lambda: console) or ())
    assert "━" not in text
    lines = text.splitlines()
    header = next(k for k, line in enumerate(lines) if line.startswith("Rule "))
    assert " | " in lines[header] and "-+-" in lines[header + 1]
