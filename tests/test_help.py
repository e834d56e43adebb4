"""``--help`` in the language of the run (issue 22 item 3): Japanese when ``--lang ja`` is on
the command line or the locale is Japanese, English otherwise; every text declared once, in
both languages (``cli/helptext.py``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
import typer.main
from rich.cells import cell_len

from astep_calc.cli import app
from astep_calc.cli.helptext import DESCRIPTIONS, Help, japanese, option_help

Cli = Callable[..., Any]
KANA = re.compile(r"[\u3040-\u30ff]")
JA = {"LANG": "ja_JP.UTF-8"}


def group() -> Any:
    return typer.main.get_command(app)


def commands() -> list[str]:
    return list(group().commands)


@pytest.mark.parametrize("name", ["astep", *commands()])
def test_every_command_is_described_in_both_languages_ending_in_an_example(name: str) -> None:
    text = DESCRIPTIONS[name]
    assert KANA.search(text.ja) and text.ja != text.en, name
    if name != "astep":  # each command's help ends in an example, the same in both languages
        example = text.en.rpartition("\n\nExample: ")[2]
        assert example.startswith(f"astep {name}") and "\n" not in example
        assert text.ja.endswith(f"\n\n例：{example}")


@pytest.mark.parametrize("name", ["astep", *commands()])
def test_every_option_has_its_japanese(name: str) -> None:
    # An option declared with a plain string would print English in Japanese help: each one
    # (and the options Click and Typer add) has a Help.
    command = group() if name == "astep" else group().commands[name]
    ctx = command.make_context(name, [], resilient_parsing=True)
    for param in command.get_params(ctx):
        record = param.get_help_record(ctx)
        if record is None:
            continue
        shown = option_help(param, record[1])
        assert KANA.search(shown), f"astep {name} {param.opts}: no Japanese help ({shown!r})"


def test_repay_help_in_a_japanese_locale_describes_the_options_in_japanese(cli: Cli) -> None:
    # The "done when": LANG=ja_JP.UTF-8 astep repay --help.
    out = cli("repay", "--help", env=JA).expect(0).stdout
    assert out.startswith("使い方：astep repay [OPTIONS]\n")
    assert "開発終了後の返済計画を示します" in out and "\nオプション：\n" in out
    assert re.search(r"--amount YEN +開発費総額（3億、", out) and "（必須）" in out
    assert "このヘルプを表示して終了します。" in out
    assert "例：astep repay --amount 123,456,789" in out
    assert "Usage" not in out and "Options" not in out and "Total development cost" not in out


def test_repay_help_in_a_c_locale_stays_english(cli: Cli) -> None:
    out = cli("repay", "--help").expect(0).stdout
    assert out.startswith("Usage: astep repay [OPTIONS]\n") and "\nOptions:\n" in out
    assert "Total development cost P" in out and "[required]" in out
    assert not KANA.search(out.replace("開発中止", ""))  # the English names a Japanese term, no sentence


@pytest.mark.parametrize(
    ("args", "env", "japanese_help"),
    [
        (["budget", "--help", "--lang", "ja"], {}, True),
        (["budget", "--lang=ja", "-h"], {}, True),
        (["budget", "--help", "--lang", "en"], JA, False),
        (["budget", "--help"], {"LANG": "en_US.UTF-8", "LC_ALL": "ja_JP.UTF-8"}, True),
        (["budget", "--help"], {"LANG": "ja_JP.UTF-8", "LC_ALL": "C"}, False),
        (["--help"], JA, True),
        ([], JA, True),  # a bare astep shows the help (on standard error, exit 2)
    ],
)
def test_the_language_of_help_is_the_language_of_the_output(
    cli: Cli, args: list[str], env: dict[str, str], japanese_help: bool
) -> None:
    result = cli(*args, env=env, strict=False)
    assert result.exit_code in (0, 2)
    shown = result.stdout or result.stderr
    assert shown.startswith("使い方：" if japanese_help else "Usage:"), shown[:80]


def test_the_group_lists_each_command_in_japanese(cli: Cli) -> None:
    out = cli("--help", env=JA).expect(0).stdout
    listed = out.split("\nコマンド：\n")[1]
    for name in commands():
        line = next(line for line in listed.splitlines() if line.strip().startswith(name + " "))
        assert KANA.search(line), line
    assert "年度別の上限額" in listed and "\nオプション：\n" in out


@pytest.mark.parametrize("name", commands())
def test_japanese_help_is_wrapped_to_the_width(cli: Cli, name: str) -> None:
    # Japanese breaks between characters: lines fit the 80 columns Click lays help out in,
    # but for an option's own names, which are never broken (as in English).
    out = cli(name, "--help", "--lang", "ja").expect(0).stdout
    for line in out.splitlines():
        if line.lstrip().startswith("-") or line.startswith(("使い方：", "  例：")):
            continue
        assert cell_len(line) <= 80, line
    assert out == cli(name, "-h", "--lang", "ja").stdout


def test_a_help_has_one_japanese_for_its_english() -> None:
    assert japanese("Repay in one payment.") == "一括で返済します。"
    assert japanese("An English line nobody declared.") is None
    with pytest.raises(ValueError, match="two Japanese"):
        Help("Repay in one payment.", "一回で返します。")


def test_usage_errors_in_japanese_name_the_help(cli: Cli) -> None:
    line = cli("repay", "--amont", "3億", env=JA).expect(2).error
    assert line == "オプション --amont はありません（--amount のことですか？）（astep repay --help を参照）"
