"""Hostile input: random argument vectors and plan files never produce a traceback.

Whatever the input, `astep` exits 0, 1 or 2; exit 2 always comes with a message on
standard error. Hypothesis draws argument vectors from every command's options with
values that break parsers (random text, full-width digits, huge numbers, NaN and inf,
empty values, folders and missing paths) and plan files with random content in odd
encodings.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from astep_calc.cli import app

ENV = {"NO_COLOR": "1", "COLUMNS": "100", "LANG": "C.UTF-8", "LC_ALL": ""}

COMMANDS: dict[str, list[str]] = {
    "rules": [],
    "budget": ["--menu", "--start", "--months", "--end", "--proration", "--round", "--indirect-rate"],
    "collateral": ["--amount"],
    "disburse": ["--amount", "--start", "--months", "--end"],
    "repay": ["--amount", "--dev-end", "--grade", "--deferral", "--term", "--every", "--due", "--remainder",
              "--unit", "--payments", "--discount-rate"],
    "scenarios": ["--amount", "--dev-end", "--deferral", "--term", "--every", "--due", "--remainder", "--unit",
                  "--discount-rate"],
    "check": [],
    "schema": [],
}
COMMON = ["--format", "--lang", "--rules", "--output"]
FLAGS = ["--prorate-last", "--lump", "--force", "--help"]

NASTY = [
    "", " ", "NaN", "nan", "inf", "-inf", "1e309", "-1", "0", "9" * 60, "１５００万", "１，５００万円", "1.5億",
    "3億5000万", "¥", "円", "万", "1,50,000", "0x10", "1_000_", "２０２６－１０－０１", "2026-02-30", "2026-13-01",
    "0001-01-01", "9999-12-31", "2026/10/01", "30%", "150%", "-5%", "0.3", "3y", "1.1y", "99999y", "4y", "11y",
    "year", "half", "quarter", "month", "weekly", "A", "C", "discontinued", "Z", "stage1", "stage2",
    "stage2-gate", "jisso", "STAGE1", "first", "last", "table", "json", "csv", "xml", "ja", "en", "fr",
    "\x00", "\u202e", "💴", "[bold]x[/bold]", "%s%n", "../", ".", "/nonexistent/file.toml",
]
PATH_VALUES = ["<folder>", "<missing>", "<plan>", "<garbage>"]


def _value(text: str, tmp: Path) -> str:
    return {
        "<folder>": str(tmp),
        "<missing>": str(tmp / "missing.toml"),
        "<plan>": str(tmp / "plan.toml"),
        "<garbage>": str(tmp / "garbage.toml"),
    }.get(text, text)


value_text = st.one_of(
    st.sampled_from(NASTY + PATH_VALUES),
    st.text(max_size=12),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.dates().map(lambda d: d.isoformat()),
)


VALID: dict[str, list[str]] = {
    "budget": ["budget", "--menu", "stage1", "--start", "2026-10-01", "--months", "30"],
    "collateral": ["collateral", "--amount", "3億"],
    "disburse": ["disburse", "--amount", "3億", "--start", "2026-10-01", "--months", "36"],
    "repay": ["repay", "--amount", "123,456,789", "--dev-end", "2028-03-31", "--deferral", "3y"],
    "scenarios": ["scenarios", "--amount", "3億", "--dev-end", "2028-03-31", "--discount-rate", "3%"],
    "check": ["check", "<plan>"],
}


plausible = st.one_of(
    st.integers(min_value=1, max_value=10**9).map(str),
    st.dates().map(lambda d: d.isoformat()),
    st.sampled_from(["1億", "6億", "5000万", "12m", "2y", "4y", "11y", "120", "1000", "3%", "year", "C", "last"]),
)


@st.composite
def argv(draw: st.DrawFn) -> list[str]:
    if draw(st.booleans()):
        # A valid command with one or two values replaced and maybe an option added:
        # this reaches the calculations, not just the option parser.
        out = list(VALID[draw(st.sampled_from(sorted(VALID)))])
        values = [i for i in range(1, len(out)) if not out[i].startswith("--")]
        for _ in range(draw(st.integers(min_value=0, max_value=2))):
            out[draw(st.sampled_from(values))] = draw(st.one_of(value_text, plausible))
        if draw(st.booleans()):
            out += [draw(st.sampled_from(COMMANDS[out[0]] + COMMON + FLAGS[:3])), draw(value_text)]
        return [a for a in out if a != "--help"]
    command = draw(st.sampled_from(sorted(COMMANDS)))
    options = COMMANDS[command] + COMMON
    out = [command]
    for _ in range(draw(st.integers(min_value=0, max_value=7))):
        kind = draw(st.integers(min_value=0, max_value=9))
        if kind < 7:
            out += [draw(st.sampled_from(options)), draw(value_text)]
        elif kind < 9:
            flag = draw(st.sampled_from(FLAGS))
            if flag != "--help":
                out.append(flag)
        else:
            out.append(draw(value_text))  # a stray positional (plan paths for `check`)
    return out


def _write_fixtures(tmp: Path) -> None:
    (tmp / "plan.toml").write_text('menu = "stage1"\nstart = 2026-10-01\nend = 2029-03-31\n', encoding="utf-8")
    (tmp / "garbage.toml").write_bytes(b"\xff\xfe\x00m\x00e\x00n\x00u = [[[\n")


def assert_well_behaved(result: Result) -> None:
    """Exit 0, 1 or 2; no traceback; exit 2 always with a message on stderr."""
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    if result.exit_code == 2:
        assert result.stderr.strip(), result.output


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(args=argv())
def test_random_argument_vectors_never_crash(tmp_path: Path, args: list[str]) -> None:
    _write_fixtures(tmp_path)
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    resolved = [_value(a, tmp_path) for a in args]
    # --output goes into a scratch folder so that a fuzzed run never writes over a fixture.
    resolved = [str(out / "report") if i and resolved[i - 1] == "--output" and a not in (str(tmp_path),)
                else a for i, a in enumerate(resolved)]
    result = CliRunner().invoke(app, resolved, env=ENV)
    assert_well_behaved(result)
    event(f"exit {result.exit_code}")


plan_keys = st.sampled_from(["menu", "start", "end", "amount", "collateral", "indirect_rate", "budget",
                             "repayment", "grade", "deferral", "term", "every", "payments", "due", "x"])
toml_values = st.one_of(
    st.sampled_from(['"stage1"', '"jisso"', "2026-10-01", "2029-03-31", '"5億"', '"NaN"', "nan", "inf", "-1",
                     "1e309", '"１５００万"', "0.30", '""', "[]", "{}", '"3y"', "true", "9" * 40, "2026-02-30"]),
    st.integers().map(str),
    st.text(max_size=10).map(lambda s: '"' + s.replace("\\", "").replace('"', "") + '"'),
)


@st.composite
def toml_plan(draw: st.DrawFn) -> str:
    lines = [f"{draw(plan_keys)} = {draw(toml_values)}" for _ in range(draw(st.integers(0, 6)))]
    if draw(st.booleans()):
        lines.append("[budget]")
        lines += [f"{draw(st.integers(1990, 2100))} = {draw(toml_values)}" for _ in range(draw(st.integers(0, 3)))]
    if draw(st.booleans()):
        lines.append("[repayment]")
        lines += [f"{draw(plan_keys)} = {draw(toml_values)}" for _ in range(draw(st.integers(0, 3)))]
    return "\n".join(lines) + "\n"


plan_bytes = st.one_of(
    toml_plan().map(lambda s: s.encode("utf-8")),
    toml_plan().map(lambda s: s.encode("utf-16")),
    st.text(max_size=200).map(lambda s: s.encode("utf-8", "surrogatepass")),
    st.binary(max_size=200),
    st.sampled_from([b"", b"\x00\x00", b"{", b'{"menu": "stage1", "start": "2026-10-01"}', b"[1, 2]",
                     b'{"menu": "jisso", "amount": 1e400}', "menu = 'ステージ'".encode("shift_jis")]),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=plan_bytes, suffix=st.sampled_from([".toml", ".json", ".txt"]),
       fmt=st.sampled_from(["table", "json", "csv"]))
def test_random_plan_files_never_crash(tmp_path: Path, content: bytes, suffix: str, fmt: str) -> None:
    plan = tmp_path / f"plan{suffix}"
    plan.write_bytes(content)
    result = CliRunner().invoke(app, ["check", str(plan), "--format", fmt], env=ENV)
    assert_well_behaved(result)


@pytest.mark.parametrize("args", [["check"], ["check", "/"], ["repay"], ["budget", "--menu"], ["nope"], []])
def test_degenerate_invocations(args: list[str]) -> None:
    assert_well_behaved(CliRunner().invoke(app, args, env=ENV))


def test_unexpected_errors_become_one_line_with_a_debug_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    # A bug in the core must not reach the user as a traceback: one line, exit 2,
    # and --debug to see the traceback.
    import astep_calc.jisso as jisso

    def broken(*_args: object) -> int:
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(jisso, "collateral", broken)
    result = CliRunner().invoke(app, ["collateral", "--amount", "1億"], env=ENV)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "--debug" in result.stderr and "boom" in result.stderr
    debug = CliRunner().invoke(app, ["collateral", "--amount", "1億", "--debug"], env=ENV)
    assert isinstance(debug.exception, ZeroDivisionError)
