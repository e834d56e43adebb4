"""Usage errors (a missing option, an unknown one) as one line, like every other error.

Click prints a usage block, a hint and ``Error: …`` over four lines. ``astep`` says
``astep: error: …`` in one line, in the language of ``--lang`` (or ``LANG``), naming the
help to read, and exits 2 as for any unusable input.
"""

from __future__ import annotations

import contextlib
import re
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

import typer
from typer.core import TyperGroup

from astep_calc.cli.helptext import Localised
from astep_calc.cli.output import Interrupted, interruptible
from astep_calc.text import Lang, Text

# Click's wording of its usage errors, and the same in Japanese. Patterns as text: ``re``
# compiles (and keeps) one the first time a usage error needs it, never at start-up.
_NO_SUCH_OPTION = r"No such option: (?P<x>\S+)(?: \((?:Possible options|Did you mean):? (?P<y>[^)]*)\))?\.?"
_NO_SUCH_COMMAND = r"No such command '(?P<x>[^']+)'\.?(?: Did you mean .*)?"
_JA: list[tuple[str, str]] = [
    (r"Missing option '(?P<x>[^']+)'\.?", "オプション {x} を指定してください"),
    (r"Missing argument '(?P<x>[^']+)'\.?", "引数 {x} を指定してください"),
    (_NO_SUCH_OPTION, "オプション {x} はありません"),
    (_NO_SUCH_COMMAND, "コマンド {x} はありません"),
    (r"Option '(?P<x>[^']+)' requires an argument\.?", "オプション {x} の値を指定してください"),
    (r"Option '(?P<x>[^']+)' does not take a value\.?", "オプション {x} には値を付けないでください"),
    (
        r"Got unexpected extra argument(?:s|\(s\))? \((?P<x>.*)\)\.?",
        "余分な引数「{x}」があります。削除するか、オプション名を確認してください",
    ),
]


def usage_text(message: str, ctx: Any = None) -> Text:
    """Click's message in English and, where its wording is known, in Japanese.

    An unknown option gets the closest option of the command as a hint, if one is close.

    >>> usage_text("Missing option '--start'.").ja
    'オプション --start を指定してください'
    >>> usage_text("Missing option '--start'.").en
    "missing option '--start'"
    """
    from astep_calc.text import did_you_mean

    message = message.strip()
    for pattern, ja in _JA:
        m = re.fullmatch(pattern, message)
        if m is None:
            continue
        if pattern is _NO_SUCH_OPTION:  # no such option: our hint instead of Click's list
            # Compared without the dashes, which every option shares.
            options = [o.lstrip("-") for p in getattr(getattr(ctx, "command", None), "params", ()) for o in p.opts]
            hint = did_you_mean(m.group("x").lstrip("-"), options)
            hint = Text(hint.en.replace(" mean ", " mean --"), hint.ja.replace("（", "（--", 1)) if hint.en else hint
            return Text(f"no such option: {m.group('x')}{hint.en}", ja.format(x=m.group("x")) + hint.ja)
        en = message.rstrip(".")
        en = en[:1].lower() + en[1:]
        group: Any = getattr(ctx, "command", None)
        if pattern is _NO_SUCH_COMMAND and hasattr(
            group, "list_commands"
        ):  # no such command: the closest, and the list
            names = group.list_commands(ctx)
            hint = did_you_mean(m.group("x"), names)
            en = f"no such command {m.group('x')!r}"
            return Text(
                en + hint.en, ja.format(x=m.group("x")) + hint.ja + f"。{'、'.join(names)} のいずれかを指定してください"
            )
        return Text(en, ja.format(x=m.group("x")))
    en = message.rstrip(".")
    en = en[:1].lower() + en[1:]
    return Text(en, f"コマンドラインを読めません（{en}）")


def lang_of(args: Sequence[str]) -> Lang:
    """The language the command line asks for (``--lang ja``, ``--lang=en``), else LANG's."""
    from astep_calc.cli.options import default_lang

    for i, arg in enumerate(args):
        value = (
            arg.split("=", 1)[1]
            if arg.startswith("--lang=")
            else (args[i + 1] if arg == "--lang" and i + 1 < len(args) else None)
        )
        if value is not None and value.strip().lower() in ("ja", "en"):
            return "ja" if value.strip().lower() == "ja" else "en"
    return default_lang()


def ensure_standard_streams() -> None:
    """Give a closed standard stream (``>&-``, ``2>&-``) to /dev/null, and let standard
    output and error replace what their encoding cannot hold.

    Python leaves ``sys.stdout`` as None when file descriptor 1 is closed at start: every
    write would raise and turn a result into an error. Filling the descriptor also keeps a
    file opened later (the ``--output`` temporary file) from becoming standard output.
    """
    import os

    for fd, name, mode in ((0, "stdin", "r"), (1, "stdout", "w"), (2, "stderr", "w")):
        if getattr(sys, name) is not None:
            continue
        try:
            os.fstat(fd)
        except OSError:
            null = os.open(os.devnull, os.O_RDWR)
            if null != fd:
                os.dup2(null, fd)
                os.close(null)
        setattr(sys, name, open(fd, mode, encoding="utf-8", errors="replace", closefd=False))
    # A terminal or redirect that is not UTF-8 (cp932 on Japanese Windows, ascii, latin-1):
    # what it cannot encode is shown as "?" (help, tables, error lines), never an error.
    # JSON, CSV, Markdown and documents bypass this: they are written as UTF-8 bytes.
    for stream in (sys.stdout, sys.stderr):
        if not is_utf8(stream) and hasattr(stream, "reconfigure"):
            with contextlib.suppress(ValueError, OSError):
                stream.reconfigure(errors="replace")


def is_utf8(stream: Any) -> bool:
    """Whether a text stream encodes UTF-8 (``utf-8``, ``UTF8``, ``utf_8``)."""
    return str(getattr(stream, "encoding", "") or "").lower().replace("-", "").replace("_", "") == "utf8"


def help_path(group: Any, ctx: Any, argv: Sequence[str]) -> str:
    """The command whose help a usage error points to: the error's own context, else (an
    option's missing value is found before the command has one) the command named first
    on the command line, else the group.

    >>> from astep_calc.cli import app
    >>> import typer.main
    >>> group = typer.main.get_command(app)
    >>> help_path(group, None, ["repay", "--amount", "1億", "--every"]), help_path(group, None, ["--every"])
    ('astep repay', 'astep')
    """
    if ctx is not None:
        return str(ctx.command_path)
    name = next((a for a in argv if not a.startswith("-")), None)
    commands = getattr(group, "commands", {})
    return f"astep {name}" if name is not None and name in commands else "astep"


#: The one line of a run ended by Ctrl-C, SIGTERM or SIGHUP (exit 2).
INTERRUPTED = Text("astep: interrupted", "astep: 中断しました")


def interrupted(argv: Sequence[str]) -> NoReturn:
    """End a run that a signal interrupted: one line on standard error, exit 2."""
    with contextlib.suppress(OSError, ValueError):  # a terminal that hung up takes no line
        sys.stderr.write(INTERRUPTED.in_lang(lang_of(list(argv))) + "\n")
        sys.stderr.flush()
    sys.exit(2)


class AstepGroup(Localised, TyperGroup):
    """The ``astep`` command group: Click's usage errors become one ``astep: error:`` line,
    and help is in the language of the run (:mod:`~astep_calc.cli.helptext`)."""

    #: The language of this run's help and usage errors, from the command line (set by :meth:`main`).
    help_lang: Lang | None = None

    def main(
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> Any:
        argv = list(sys.argv[1:] if args is None else args)
        ensure_standard_streams()
        self.help_lang = lang_of(argv)
        try:
            with interruptible():
                rv = super().main(
                    argv,
                    prog_name,
                    complete_var,
                    standalone_mode=False,
                    windows_expand_args=windows_expand_args,
                    **extra,
                )
        except (typer.Exit, typer.Abort):
            raise
        except (Interrupted, KeyboardInterrupt):  # Ctrl-C, SIGTERM, SIGHUP: what was open is cleaned up
            interrupted(argv)
        except Exception as exc:
            # A Click usage error: it carries an exit code and a message (checked by shape,
            # as Click's exception classes are not part of Typer's public interface).
            if not (hasattr(exc, "format_message") and hasattr(exc, "exit_code")):
                raise
            if type(exc).__name__ == "NoArgsIsHelpError":  # bare "astep": the help, as Click shows it
                exc.show()  # type: ignore[attr-defined]
                sys.exit(exc.exit_code)
            from astep_calc.cli.options import warn

            lang = lang_of(argv)
            ctx = getattr(exc, "ctx", None)
            text = usage_text(exc.format_message(), ctx)
            where = f"{help_path(self, ctx, argv)} --help"
            hint = Text(f" (see {where})", f"（{where} を参照）")
            warn(text.in_lang(lang) + hint.in_lang(lang), lang)
            if not standalone_mode:
                return 2
            sys.exit(2)
        if not standalone_mode:
            return rv
        sys.exit(rv if isinstance(rv, int) else 0)
