"""``--help`` in the language of the run, every text of it declared once in both languages.

An option's help is a :class:`Help`: the English that Click sees, with its Japanese beside
it (``typer.Option(help=Help("Project start date.", "実施期間の開始日。"))``). A command's
description is its docstring and the ``ja=`` of :func:`~astep_calc.cli.options.command`
(:func:`describe`), the example that ends it written once. When the run is in Japanese —
``--lang ja`` anywhere on the command line, or a ``ja`` locale, as for the output
(:func:`~astep_calc.cli.usage.lang_of`) — :class:`AstepCommand` and the ``astep`` group
print the Japanese: headings, descriptions, each option's help and its default, wrapped as
Japanese is set. English help is Click's own, unchanged.
"""

from __future__ import annotations

import inspect
import re
from typing import Any

from typer.core import TyperCommand

from astep_calc.text import Lang, Text


class Help(str):
    """An option's help: the string is the English; :attr:`ja` the Japanese.

    Click keeps an option's help as a plain string (Typer cleans it up), so each Help is
    also found by its English (:func:`japanese`): one English line has one Japanese.

    >>> h = Help("Repay in one payment.", "一括で返済します。")
    >>> str(h), h.ja, h.in_lang("ja"), japanese("Repay in one payment.")
    ('Repay in one payment.', '一括で返済します。', '一括で返済します。', '一括で返済します。')
    """

    ja: str

    def __new__(cls, en: str, ja: str) -> Help:
        obj = super().__new__(cls, en)
        obj.ja = ja
        key = inspect.cleandoc(en)
        if _JAPANESE.setdefault(key, ja) != ja:
            raise ValueError(f"two Japanese helps for one English help: {en!r}")
        return obj

    def in_lang(self, lang: Lang) -> str:
        return self.ja if lang == "ja" else str(self)


_JAPANESE: dict[str, str] = {}


def japanese(en: str) -> str | None:
    """The Japanese of an option's help, from its English (None: not a :class:`Help`)."""
    return _JAPANESE.get(inspect.cleandoc(en))


#: The description of the program (``astep``) and of each command, by name.
DESCRIPTIONS: dict[str, Text] = {}

#: The options that Click and Typer add themselves, by parameter name.
BUILTIN: dict[str, Text] = {
    "help": Text("Show this message and exit.", "このヘルプを表示して終了します。"),
    "install_completion": Text(
        "Install completion for the current shell.", "使用中のシェルに、コマンドとオプションの補完を設定します。"
    ),
    "show_completion": Text(
        "Show completion for the current shell, to copy it or customize the installation.",
        "使用中のシェルの補完スクリプトを表示します（コピーして自分で設定する場合）。",
    ),
}

_EXAMPLE = "\n\nExample: "


def describe(name: str, en: str | None, ja: str) -> Text:
    """Declare a command's description: ``en`` its docstring, ending in ``Example: astep ...``;
    ``ja`` the same in Japanese without the example, which is added as ``例：...``.

    >>> describe("x", "Do it.\\n\\nExample: astep x --amount 3億", "実行します。").ja
    '実行します。\\n\\n例：astep x --amount 3億'
    """
    doc = inspect.cleandoc(en or "")
    _, found, example = doc.rpartition(_EXAMPLE)
    text = Text(doc, inspect.cleandoc(ja) + (f"\n\n例：{example}" if found else ""))
    DESCRIPTIONS[name] = text
    return text


def help_lang(ctx: Any) -> Lang:
    """The language of this run's help: the one the command line asks for (set by the group
    when it starts), else the locale's."""
    from astep_calc.cli.options import default_lang

    lang = getattr(ctx.find_root().command, "help_lang", None)
    return lang if lang in ("ja", "en") else default_lang()


# --------------------------------------------------------------------------- Japanese layout


def unwrap(paragraph: str) -> str:
    """A paragraph written over several source lines as one line: lines of Japanese join
    without a space, English words with one (but none after Japanese punctuation).

    >>> unwrap("年度ごとの\\n上限額を示します"), unwrap("--start\\nから"), unwrap("a\\nb"), unwrap("適合、\\n1 違反")
    ('年度ごとの上限額を示します', '--start から', 'a b', '適合、1 違反')
    """
    out = ""
    for line in (part.strip() for part in paragraph.split("\n")):
        if out and line:
            prev, nxt = out[-1], line[0]
            out += " " if prev.isascii() or (nxt.isascii() and prev not in _CLOSED) else ""
        out += line
    return out


#: Japanese punctuation that no space follows.
_CLOSED = "、。，．（「『：・"


def _wrap(text: str, width: int) -> list[str]:
    from astep_calc.cli.grid import wrap_japanese

    return wrap_japanese(text, max(width, 10)) or [""]


def _width(text: str) -> int:
    from rich.cells import cell_len

    return int(cell_len(text))


def _heading(formatter: Any, heading: str) -> None:
    formatter.write_paragraph()
    formatter.write(f"{'':>{formatter.current_indent}}{heading}：\n")


def _text(formatter: Any, text: str) -> None:
    """Paragraphs, each wrapped to the formatter's width at the current indentation."""
    indent = " " * formatter.current_indent
    for k, paragraph in enumerate(text.split("\n\n")):
        if k:
            formatter.write("\n")
        for line in _wrap(unwrap(paragraph), formatter.width - formatter.current_indent):
            formatter.write(f"{indent}{line}\n")


def _definitions(formatter: Any, rows: list[tuple[str, str]], col_max: int = 30, spacing: int = 2) -> None:
    """Click's definition list (option, then its help), measured in terminal cells and
    wrapped as Japanese is: the help beside a short option, under a long one."""
    first = min(max((_width(name) for name, _ in rows), default=0), col_max) + spacing
    indent = formatter.current_indent
    room = max(formatter.width - indent - first, 10)
    for name, text in rows:
        formatter.write(f"{'':>{indent}}{name}")
        if not text:
            formatter.write("\n")
            continue
        if _width(name) <= first - spacing:
            formatter.write(" " * (first - _width(name)))
        else:
            formatter.write("\n" + " " * (indent + first))
        lines = _wrap(text, room)
        formatter.write(lines[0] + "\n")
        for line in lines[1:]:
            formatter.write(f"{'':>{indent + first}}{line}\n")


_EXTRA = re.compile(r"\s*\[(?P<extra>[^\[\]]*)\]\s*$")


def option_help(param: Any, record: str) -> str:
    """An option's help line (Click's ``record``, its default and "required" appended) in Japanese.

    >>> class P:
    ...     name, help = "round", Help("Round down.", "切り捨てます。")
    >>> option_help(P(), "Round down.  [default: 1]")
    '切り捨てます（既定値：1）。'
    """
    own = str(param.help or "")
    extra = record[len(own) :] if record.startswith(own) else record
    found = japanese(own) if own else None
    if found is not None:
        ja = found
    elif param.name in BUILTIN:
        ja = BUILTIN[param.name].ja
    else:
        ja = own
    m = _EXTRA.fullmatch(extra)
    if m is None:
        return ja + extra.strip()
    parts = []
    for part in m["extra"].split("; "):
        if part.startswith("default: "):
            parts.append(f"既定値：{part.removeprefix('default: ')}")
        elif part == "required":
            parts.append("必須")
        else:
            parts.append(part)
    return f"{ja.removesuffix('。')}（{'、'.join(parts)}）" + ("。" if ja.endswith("。") else "")


def short_description(text: str, width: int) -> str:
    """A command's description in the list of commands: its first sentence, cut to ``width``.

    >>> short_description("年度別の上限額を示します。按分は…", 40), short_description("あいうえおかきくけこ", 10)
    ('年度別の上限額を示します', 'あいうえ…')
    """
    first = unwrap(text.split("\n\n")[0]).split("。")[0]
    if _width(first) <= width:
        return first
    cut = ""
    for ch in first:
        if _width(cut + ch + "…") > width:
            break
        cut += ch
    return cut + "…"


class Localised:
    """Help in the run's language, for the group and every command (a mixin over Click's
    command classes): English as Click prints it, Japanese laid out here."""

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        if help_lang(ctx) == "en":
            super().format_usage(ctx, formatter)  # type: ignore[misc]
            return
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix="使い方：")

    def format_help_text(self, ctx: Any, formatter: Any) -> None:
        described = DESCRIPTIONS.get(str(getattr(self, "name", "")))
        if help_lang(ctx) == "en" or described is None:
            super().format_help_text(ctx, formatter)  # type: ignore[misc]
            return
        formatter.write_paragraph()
        with formatter.indentation():
            _text(formatter, described.ja)

    def format_options(self, ctx: Any, formatter: Any) -> None:
        if help_lang(ctx) == "en":
            super().format_options(ctx, formatter)  # type: ignore[misc]
            return
        arguments: list[tuple[str, str]] = []
        options: list[tuple[str, str]] = []
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            record = param.get_help_record(ctx)
            if record is None:
                continue
            row = (record[0], option_help(param, record[1]))
            (arguments if param.param_type_name == "argument" else options).append(row)
        for heading, rows in (("引数", arguments), ("オプション", options)):
            if rows:
                _heading(formatter, heading)
                with formatter.indentation():
                    _definitions(formatter, rows)
        if hasattr(self, "list_commands"):  # the group: its commands
            self._format_commands_ja(ctx, formatter)

    def _format_commands_ja(self, ctx: Any, formatter: Any) -> None:
        names = [n for n in self.list_commands(ctx) if not self.get_command(ctx, n).hidden]  # type: ignore[attr-defined]
        if not names:
            return
        room = formatter.width - 6 - max(map(len, names))
        rows = []
        for name in names:
            described = DESCRIPTIONS.get(name)
            rows.append((name, short_description(described.ja, room) if described else ""))
        _heading(formatter, "コマンド")
        with formatter.indentation():
            _definitions(formatter, rows)


class AstepCommand(Localised, TyperCommand):
    """An ``astep`` subcommand: Typer's command, its help in the run's language."""


__all__ = ["BUILTIN", "DESCRIPTIONS", "AstepCommand", "Help", "Localised", "describe", "help_lang", "japanese"]
