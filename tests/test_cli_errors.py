"""The one error boundary: core fields named as options, usage errors in one line, safe lines."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from typing import Any

import pytest
from typer.testing import Result

from astep_calc.cli.options import FLAGS, error_line, flag_for
from astep_calc.text import Assumption, InputError, Text

Cli = Callable[..., Result]


def one_error_line(result: Any) -> str:
    """The single stderr line of an exit-2 run (conftest's expect: never a traceback, never 'unexpected')."""
    return str(result.expect(2).stderr.rstrip("\n"))


# --------------------------------------------------------------------------- fields → options


def test_every_flag_in_the_table_is_spelled_as_an_option() -> None:
    for field, flags in FLAGS.items():
        assert flags and all(f.startswith("--") and "_" not in f for f in flags), field


def test_a_field_maps_to_the_option_this_command_has() -> None:
    assert flag_for("end", {"--end", "--start"}) == "--end"
    assert flag_for("end", {"--dev-end"}) == "--dev-end"
    assert flag_for("repayment.term", {"--term"}) == "--term"
    assert flag_for("term", {"--round"}) is None
    assert flag_for(None, {"--term"}) is None
    # A switch is named as its pair: the default (prorated) is changed by --no-prorate-last.
    assert flag_for("prorate_last", {"--prorate-last"}) == "--prorate-last/--no-prorate-last"


def test_the_message_is_prefixed_once() -> None:
    exc = InputError("'0' must be at least 1 month", "「0」は1か月以上にしてください", field="term")
    assert error_line(exc, "en", {"--term"}) == "--term '0' must be at least 1 month"
    assert error_line(exc, "ja", {"--term"}) == "--term：「0」は1か月以上にしてください"
    assert error_line(InputError("--term 0 is bad", field="term"), "en", {"--term"}) == "--term 0 is bad"
    assert error_line(exc, "en", set()) == "'0' must be at least 1 month"


def test_a_core_error_with_a_field_names_the_option(cli: Cli) -> None:
    # The core says "'0' must be more than 0 yen" with field="amount"; the command line names the option.
    line = one_error_line(cli("collateral", "--amount", "0"))
    assert line == "astep: error: --amount '0' must be more than 0 yen"
    line = one_error_line(cli("collateral", "--amount", "0", "--lang", "ja"))
    assert line == "astep: エラー：--amount：「0」は使えません。0円より大きい金額にしてください"
    # -5 gets the same wording as 0
    assert one_error_line(cli("collateral", "--amount", "-5")) == "astep: error: --amount '-5' must be more than 0 yen"
    # a field set by Terms itself, when built
    line = one_error_line(cli("repay", "--amount", "1億", "--dev-end", "2028-03-31", "--remainder", "middle"))
    assert line == "astep: error: --remainder 'middle' is not one of first, last"


def test_an_assumption_names_the_option_that_changes_it(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import astep_calc.budget

    real = astep_calc.budget.fiscal_year_caps

    def with_setting(*args: Any, **kwargs: Any) -> Any:
        plan = real(*args, **kwargs)
        extra = Assumption(Text("Caps are rounded down", "上限額は切り捨て"), "round")
        return dataclasses.replace(plan, assumptions=(*plan.assumptions, extra))

    monkeypatch.setattr(astep_calc.budget, "fiscal_year_caps", with_setting)
    args = ("budget", "--menu", "stage1", "--start", "2026-10-01", "--months", "30", "--format", "json")
    assert json.loads(cli(*args).stdout)["assumptions"][-1] == "Caps are rounded down (--round)"
    assert json.loads(cli(*args, "--lang", "ja").stdout)["assumptions"][-1] == "上限額は切り捨て（--round で変更可）"


# --------------------------------------------------------------------------- usage errors


@pytest.mark.parametrize(
    ("args", "en", "ja"),
    [
        (
            ("budget", "--menu", "stage1"),
            "astep: error: missing option '--start' (see astep budget --help)",
            "astep: エラー：オプション --start を指定してください（astep budget --help を参照）",
        ),
        (
            ("budget", "--menu", "stage1", "--strat", "2026-10-01"),
            "astep: error: no such option: --strat (did you mean --start?) (see astep budget --help)",
            "astep: エラー：オプション --strat はありません（--start のことですか？）（astep budget --help を参照）",
        ),
        (
            ("nope",),
            "astep: error: no such command 'nope' (see astep --help)",
            "astep: エラー：コマンド nope はありません。budget、check、schema、init、collateral、disburse、repay、scenarios、"
            "plan、rules のいずれかを指定してください（astep --help を参照）",
        ),
        (
            ("check",),
            "astep: error: missing argument 'PLAN...' (see astep check --help)",
            "astep: エラー：引数 PLAN... を指定してください（astep check --help を参照）",
        ),
    ],
)
def test_usage_errors_are_one_line_in_the_chosen_language(cli: Cli, args: tuple[str, ...], en: str, ja: str) -> None:
    assert one_error_line(cli(*args)) == en
    assert one_error_line(cli(*args, "--lang", "ja")) == ja
    assert one_error_line(cli(*args, env={"LANG": "ja_JP.UTF-8"})) == ja
    assert cli(*args).stdout == ""


def test_an_option_without_its_value_is_one_line(cli: Cli) -> None:
    line = one_error_line(cli("budget", "--start", "2026-10-01", "--menu"))
    assert "--menu" in line
    # Its help is the command's, though the value is missed before the command has a context.
    assert line.endswith("(see astep budget --help)")
    assert one_error_line(cli("repay", "--amount", "1億", "--dev-end", "2028-03-31", "--every")) == (
        "astep: error: option '--every' requires an argument (see astep repay --help)"
    )
    assert one_error_line(cli("repay", "--amount", "1億", "--every", env={"LANG": "ja_JP.UTF-8"})) == (
        "astep: エラー：オプション --every の値を指定してください（astep repay --help を参照）"
    )


def test_help_still_works(cli: Cli) -> None:
    result = cli("budget", "--help")
    assert result.exit_code == 0 and "--menu" in result.stdout


# --------------------------------------------------------------------------- safe error lines


def test_control_characters_in_an_input_are_escaped(cli: Cli) -> None:
    line = one_error_line(cli("budget", "--menu", "\x1b[2Jstage9\x07", "--start", "2026-10-01", "--months", "3"))
    assert "\x1b" not in line and "\x07" not in line
    assert "\\x1b[2Jstage9\\x07" in line


def test_a_huge_input_is_cut_to_a_readable_line(cli: Cli) -> None:
    huge = "x" * 200_000
    line = one_error_line(cli("budget", "--menu", huge, "--start", "2026-10-01", "--months", "3"))
    assert len(line) < 400, len(line)
    assert "…" in line


def test_an_unreadable_plan_name_is_escaped(cli: Cli) -> None:
    result = cli("check", "\x1b]0;evil\x07.toml")
    assert result.exit_code == 2
    assert "\x1b" not in result.stderr and "\x1b" not in result.stdout


# --------------------------------------------------------------------------- CSV cells


def test_no_csv_cell_starts_a_formula(cli: Cli, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import csv
    import io
    import shutil
    from pathlib import Path

    examples = Path(__file__).resolve().parent.parent / "examples"
    monkeypatch.chdir(tmp_path)
    shutil.copy(examples / "stage1-valid.toml", "ok.toml")
    shutil.copy(examples / "stage1-invalid.toml", '=HYPERLINK("x").toml')
    shutil.copy(examples / "stage1-invalid.toml", "-1+2.toml")
    result = cli("check", "--format", "csv", "--", "ok.toml", '=HYPERLINK("x").toml', "-1+2.toml")
    assert result.exit_code == 1, result.stderr
    cells = [c for row in csv.reader(io.StringIO(result.stdout)) for c in row]
    assert '\'=HYPERLINK("x").toml' in cells and "'-1+2.toml" in cells
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]


def test_a_negative_amount_stays_a_number_in_csv() -> None:
    from astep_calc.cli.report import to_csv
    from astep_calc.cli.views import Column, Report, Table

    table = Table(
        Text("t", "t"),
        [Column("name", Text("n", "n")), Column("amount", Text("a", "a"), "money")],
        [{"name": "-5", "amount": -5}, {"name": "@x", "amount": 3}],
    )
    assert to_csv(Report("x", "r", [table], {}), "en") == "name,amount\n'-5,-5\n'@x,3\n"
