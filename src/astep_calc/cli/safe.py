"""What reaches a terminal or a spreadsheet cell is inert: no control characters, no formulas.

File names, rulebook strings and typed inputs come from whoever wrote them. Before they
reach a terminal, control characters (an escape sequence that clears the screen, a
bidirectional override that reorders a line) are shown as escapes; an echoed input is cut
to a readable length; a spreadsheet cell that would start a formula is neutralised as
OWASP recommends (a leading single quote), numbers staying numbers.
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, and the Unicode format characters that reorder or hide text
# (bidirectional embeddings, overrides and isolates; zero-width joiners stay: they are
# part of some scripts' ordinary text).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_CONTROL_KEEP_NEWLINE = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    code = ord(ch)
    if ch == "\n":
        return "\\n"
    if ch == "\t":
        return "\\t"
    if ch == "\r":
        return "\\r"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str, *, keep_newlines: bool = False) -> str:
    r"""The text with every control or reordering character shown as an escape, and a file
    name's bytes that are not UTF-8 shown as :func:`undecodable` does.

    >>> printable("plan\x1b[2J.toml"), printable("a\nb"), printable("a\nb", keep_newlines=True)
    ('plan\\x1b[2J.toml', 'a\\nb', 'a\nb')
    >>> printable("evil\u202etxt.toml"), printable("inv\udcfe.toml")
    ('evil\\u202etxt.toml', 'inv\\xfe.toml')
    """
    pattern = _CONTROL_KEEP_NEWLINE if keep_newlines else _CONTROL
    return pattern.sub(_escape, undecodable(text))


_SURROGATE = re.compile("[\ud800-\udfff]")


def undecodable(text: str) -> str:
    r"""Text with the bytes of a file name that are not UTF-8 shown as ``\xNN`` escapes.

    Python reads such a name from the command line as lone surrogates (``surrogateescape``),
    which no UTF-8 output (JSON, a workbook, a CI log) can hold. A path typed on the command
    line goes through this once, where a command takes it in (``astep check`` names each
    file by it), so that every format shows the same name; :func:`printable` applies it too.
    A surrogate that stands for no byte is shown as ``\udNNN``.

    >>> undecodable("inv\udcfe.toml"), undecodable("計画.toml"), undecodable("odd\ud800")
    ('inv\\xfe.toml', '計画.toml', 'odd\\ud800')
    """
    if not _SURROGATE.search(text):
        return text
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate Python's decoding never makes: not a byte
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


#: The longest echoed input an error line quotes in full.
QUOTE_LIMIT = 80
#: The longest error line: a message quoting several long inputs is cut here.
LINE_LIMIT = 1000
_LONG = f"{{{QUOTE_LIMIT + 1},}}"  # more than QUOTE_LIMIT characters
_QUOTED = re.compile(f"'[^'\n]{_LONG}'|\"[^\"\n]{_LONG}\"|「[^」\n]{_LONG}」")


def _cut_quote(match: re.Match[str]) -> str:
    """A quoted input longer than QUOTE_LIMIT: its quotes, its ends and "…" between."""
    s = match.group()
    keep = QUOTE_LIMIT // 2
    return f"{s[: keep + 1]}…{s[-keep - 1 :]}"


def one_line(message: str) -> str:
    """An error message as one readable line: controls escaped, long quoted inputs cut.

    >>> one_line("menu 'x" + "y" * 200 + "z' is not a menu")[:20], len(one_line("'" + "n" * 10**6 + "'"))
    ("menu 'xyyyyyyyyyyyyy", 83)
    >>> one_line("a\\nb\x1b")
    'a\\\\nb\\\\x1b'
    """
    line = _QUOTED.sub(_cut_quote, printable(message))
    return line if len(line) <= LINE_LIMIT else line[: LINE_LIMIT - 1] + "…"


def shorten(text: str, limit: int = QUOTE_LIMIT) -> str:
    """An input as an error message quotes it: whole when short, else its ends around "…".

    >>> shorten("stage1"), shorten("a" * 50 + "b" * 50, 20)
    ('stage1', 'aaaaaaaaaa…bbbbbbbbbb')
    """
    if len(text) <= limit:
        return text
    keep = limit // 2
    return f"{text[:keep]}…{text[-keep:]}"


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """A text cell for CSV or xlsx that no spreadsheet runs as a formula (OWASP CSV injection).

    A cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
    leading single quote. Apply it to text only: an amount stays a number (``-5`` in a
    numeric column is a number, not a formula).

    >>> neutralise('=HYPERLINK("x").toml'), neutralise("-5"), neutralise("stage1")
    ('\\'=HYPERLINK("x").toml', "'-5", 'stage1')
    """
    return "'" + value if value.startswith(_FORMULA_START) else value
