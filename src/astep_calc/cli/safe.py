"""What reaches a terminal or a spreadsheet cell is inert: no control characters, no formulas.

File names, rulebook strings and typed inputs come from whoever wrote them. Before they
reach a terminal, control characters (an escape sequence that clears the screen, a
bidirectional override that reorders a line) are shown as escapes; an echoed input is cut
to a readable length; a spreadsheet cell that would start a formula is neutralised as
OWASP recommends (a leading single quote), numbers staying numbers.
"""

from __future__ import annotations

import re

from astep_calc.text import Lang

# What a terminal does not show as itself: C0 and C1 controls, DEL, the line and paragraph
# separators, and the invisible format characters (Unicode category Cf), among them those
# that reorder text (bidirectional embeddings, overrides and isolates) or hide it (zero-width
# spaces, tags). The zero-width joiner and non-joiner stay: they are part of some scripts'
# ordinary text. A test checks the list against the Unicode database.
_FORMAT_BMP = (
    r"\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b\u200e\u200f\u2028-\u202e"
    r"\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
)
_FORMAT = (
    _FORMAT_BMP + r"\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    r"\U000e0001\U000e0020-\U000e007f"
)
_CONTROL = re.compile(rf"[\x00-\x1f\x7f-\x9f{_FORMAT}]")
#: The same but the line break, as text: ``re`` compiles (and keeps) it the first time a text
#: with a line break is cleaned (:func:`clean_text`), not at every start-up.
_CONTROL_KEEP_NEWLINE = rf"[\x00-\x09\x0b-\x1f\x7f-\x9f{_FORMAT}]"


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    code = ord(ch)
    if ch == "\n":
        return "\\n"
    if ch == "\t":
        return "\\t"
    if ch == "\r":
        return "\\r"
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def printable(text: str, *, keep_newlines: bool = False) -> str:
    r"""The text with every control or reordering character shown as an escape, and a file
    name's bytes that are not UTF-8 shown as :func:`undecodable` does.

    >>> printable("plan\x1b[2J.toml"), printable("a\nb"), printable("a\nb", keep_newlines=True)
    ('plan\\x1b[2J.toml', 'a\\nb', 'a\nb')
    >>> printable("evil\u202etxt.toml"), printable("inv\udcfe.toml")
    ('evil\\u202etxt.toml', 'inv\\xfe.toml')
    """
    if keep_newlines:
        return re.sub(_CONTROL_KEEP_NEWLINE, _escape, undecodable(text))
    return _CONTROL.sub(_escape, undecodable(text))


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


#: The longest text a report shows whole (a title, a file name, a message, each cell):
#: longer text is cut in the middle, with a note saying how much was left out. The tool's
#: own longest sentence (an assumption) has under 500 characters.
TEXT_LIMIT = 1000


def clean_text(text: str, lang: Lang = "en", limit: int | None = TEXT_LIMIT) -> str:
    r"""Text from anywhere (a plan's title, a file name, a rulebook's wording) as every format
    shows it: controls and invisible characters escaped as :func:`printable` shows them, line
    breaks kept (each format shows them its own way), and at most ``limit`` characters, a
    longer text cut in the middle with a note in ``lang`` (``limit`` None: never cut).

    It changes no ordinary text, and cleaning twice changes nothing more. Linear in the
    length of the text.

    >>> clean_text("x\x1b[2J\x07\u009b\u202e\ud800\nnext")
    'x\\x1b[2J\\x07\\x9b\\u202e\\ud800\nnext'
    >>> cut = clean_text("a" * 5000, "ja")
    >>> len(cut) <= TEXT_LIMIT, cut[630:647]
    (True, 'aaa…（4,050文字省略）…a')
    >>> clean_text(cut, "ja") == cut
    True
    """
    # Python's printable (no Cc, Cf, Cs, Zl, Zp, nor unassigned) is all printable() leaves as
    # it is, and so most text: nothing to escape.
    if not text.isprintable():
        text = printable(text, keep_newlines=True)
    if limit is None or len(text) <= limit:
        return text
    kept = limit - 50  # the note takes fewer than 50 characters
    head = kept * 2 // 3
    left_out = len(text) - kept
    note = f"…（{left_out:,}文字省略）…" if lang == "ja" else f" … [{left_out:,} characters left out] … "
    return text[:head] + note + text[len(text) - (kept - head) :]


# In JSON text (ensure_ascii=False), what may be a string clean_text would change: a character
# it escapes that JSON leaves as it is (any character beyond the BMP, for speed: the test is
# allowed to answer "maybe"), an escape JSON makes for a control other than a line break,
# and a run of TEXT_LIMIT characters without a quote. Patterns as text, for JSON output only:
# ``re`` compiles (and keeps) each the first time it is used, not at every start-up.
_JSON_SUSPECT = rf"[\x7f-\x9f{_FORMAT_BMP}\ud800-\udfff\U00010000-\U0010ffff]"
_JSON_ESCAPE = r"\\(.)"


def json_is_clean(text: str, limit: int | None = TEXT_LIMIT) -> bool:
    r"""Whether every string of JSON text written with ``ensure_ascii=False`` is one
    :func:`clean_text` leaves as it is (with this ``limit``). May answer False for text that is clean (a character
    beyond the BMP, an escaped backslash): then clean the value the long way. Much cheaper
    than walking a large value (a check's entry with its schedules) string by string.

    >>> json_is_clean('{"title": "ok", "path": "a\\nb"}'), json_is_clean('{"title": "\u202e"}')
    (True, False)
    >>> json_is_clean('{"title": "a\\u001b"}'), json_is_clean('{"t": "' + "x" * (TEXT_LIMIT + 1) + '"}')
    (False, False)
    """
    if text.isascii():
        if "\x7f" in text:
            return False
    elif re.search(_JSON_SUSPECT, text):
        return False
    if "\\" in text:
        if any(c not in '"\\n' for c in re.findall(_JSON_ESCAPE, text, re.DOTALL)):
            return False
        # An escaped quote counts as one character of its string (a quote ends the run).
        text = text.replace('\\"', "_")
    if limit is None:
        return True
    return re.search(f'"[^"]{{{limit}}}', text) is None


#: The longest echoed input an error line quotes in full.
QUOTE_LIMIT = 80
#: The longest error line: a message quoting several long inputs is cut here.
LINE_LIMIT = 1000
_LONG = f"{{{QUOTE_LIMIT + 1},}}"  # more than QUOTE_LIMIT characters
#: As text: compiled the first time an error line is written, not at start-up.
_QUOTED = f"'[^'\n]{_LONG}'|\"[^\"\n]{_LONG}\"|「[^」\n]{_LONG}」"


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
    line = re.sub(_QUOTED, _cut_quote, printable(message))
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
