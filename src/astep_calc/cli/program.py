"""The ``astep`` Typer application and its entry point.

Each command is registered when its module is imported (``@command(app, NAME)``). A run of
``astep NAME`` imports only NAME's module (:data:`COMMAND_MODULES`): the other commands'
options are never built, which is most of what start-up would spend on them. Help, completion
and anything that is not a known command import every module, so that they list every
command and a misspelt one gets its did-you-mean.
"""

import importlib
import os
import sys
from collections.abc import Iterable, Sequence
from typing import Annotated

import typer

from astep_calc.cli.helptext import Help, describe
from astep_calc.cli.usage import AstepGroup

ABOUT = describe(
    "astep",
    "Calculator for JST's A-STEP programme (研究成果最適展開支援プログラム): "
    "Stage I / II budget caps, 実装支援 (返済型) collateral, advances and repayment, "
    "and plan checks for CI. Exit codes: 0 within the rules, 1 a rule is broken, "
    "2 unusable input.\n\nEach command's options: astep COMMAND --help. With --lang ja (or a "
    "Japanese locale) help is in Japanese.",
    """JST の A-STEP（研究成果最適展開支援プログラム）の計算ツールです。ステージⅠ・ステージⅡの
    年度別の上限額、実装支援（返済型）の担保又は保証・四半期毎の前払い・返済計画を求め、
    計画ファイルが制度のルールに合っているかを CI で検査します。終了コード：0 ルールに適合、
    1 ルールに違反、2 入力が正しくない。

    コマンドごとのオプションは astep コマンド --help で確認できます。--lang ja（または日本語の
    ロケール）でヘルプも日本語になります。""",
)

app = typer.Typer(
    cls=AstepGroup,
    name="astep",
    help=ABOUT.en,
    no_args_is_help=True,
    # `--install-completion` / `--show-completion` for bash, zsh, fish and PowerShell. Typer
    # imports its completion support whether or not it is on, so it costs next to nothing at
    # startup (docs/performance.md).
    add_completion=True,
    # `-h` everywhere `--help` is: Click hands the names down to every subcommand's context.
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _print_version(value: bool) -> None:
    if value:
        from astep_calc import __version__

        typer.echo(f"astep {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            is_eager=True,
            callback=_print_version,
            help=Help("Print the version and exit.", "バージョンを表示して終了します。"),
        ),
    ] = False,
) -> None:
    """Options of the program itself; each subcommand's options follow its name."""


#: The module that registers each command, by the command's name
#: (``tests/test_cli_app.py`` holds it to what the modules register).
COMMAND_MODULES = {
    "budget": "cmd_budget",
    "check": "cmd_check",
    "schema": "cmd_check",
    "collateral": "cmd_jisso",
    "disburse": "cmd_jisso",
    "repay": "cmd_jisso",
    "scenarios": "cmd_jisso",
    "init": "cmd_init",
    "plan": "cmd_plan",
    "rules": "cmd_rules",
}


def load_commands(names: Iterable[str] | None = None) -> None:
    """Register the commands ``names`` (every command with ``None``) by importing their modules."""
    wanted = COMMAND_MODULES.values() if names is None else (COMMAND_MODULES[n] for n in names)
    for module in sorted(set(wanted)):
        importlib.import_module(f"astep_calc.cli.{module}")


def command_named(argv: Sequence[str]) -> str | None:
    """The command a command line runs, when it names a known one before any other word
    (``astep``'s own options are flags); None for help, completion or anything unknown.

    >>> command_named(["repay", "--amount", "1億"]), command_named(["--help"]), command_named(["repai"])
    ('repay', None, None)
    """
    if "_ASTEP_COMPLETE" in os.environ:
        return None
    name = next((a for a in argv if not a.startswith("-")), None)
    return name if name in COMMAND_MODULES else None


def main() -> None:
    """Run ``astep``; whatever happens, exit 0, 1 or 2 and never print a traceback."""
    from astep_calc.cli.output import Interrupted, interruptible

    debug = "--debug" in sys.argv[1:]
    name = command_named(sys.argv[1:])
    load_commands(None if name is None else [name])
    try:
        with interruptible():  # from here on Ctrl-C, SIGTERM and SIGHUP end the run with one line
            app(prog_name="astep")
    except SystemExit:
        raise
    except (Interrupted, KeyboardInterrupt):
        from astep_calc.cli.usage import interrupted

        interrupted(sys.argv[1:])
    except Exception as exc:  # outside any command (the option parser itself): same line as inside one
        if debug:
            raise
        from astep_calc.cli.options import ERROR_PREFIX, unexpected
        from astep_calc.cli.usage import lang_of

        lang = lang_of(sys.argv[1:])
        sys.stderr.write(f"{ERROR_PREFIX.in_lang(lang)}{unexpected(exc).in_lang(lang)}\n")
        sys.exit(2)
