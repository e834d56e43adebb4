"""The grid that draws tables: column widths, Rich's word wrap and Japanese line breaking.

A table reaches here as text: each cell already written out (see
:func:`astep_calc.cli.report.cell`), with which columns hold whole values (amounts, dates,
paths: never cut or wrapped) and which are numeric (aligned right). :func:`lay_out` sizes
the columns to a width and :func:`draw_grid` draws them as Rich draws a
``box.SIMPLE_HEAVY`` table, as lines with their style. Rich's own ``Table`` is the
reference (``tests/test_table_layout.py`` draws random grids both ways); laying tables out
here rather than through it keeps start-up short, and lets Japanese text break as
Japanese is set (:func:`wrap_japanese`, 禁則).

Nothing here knows of reports, languages or consoles: Rich is used only to measure text
in terminal cells and to cut a word that no line can hold.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

#: A wrapping text column (a violation, a menu name) needs its longest word, up to this
#: width (a longer word, or Japanese without spaces, folds).
TEXT_MIN = 20
#: Off a terminal, a text column no wider than this is never wrapped.
SHORT_TEXT = 40

#: A line laid out already, and its style ("bold", or "" for none).
Line = tuple[str, str]


def lay_out(
    headers: list[str],
    body: list[list[str]],
    totals: list[str] | None,
    whole: Sequence[bool],
    numeric: Sequence[bool],
    width: int,
    terminal: bool,
    ascii_only: bool = False,
) -> list[Line] | None:
    r"""A table's lines (without its title) ``width`` cells wide, its whole columns whole; None
    when they cannot fit a terminal (the caller shows the table another way).

    ``headers``, each row of ``body`` and ``totals`` hold a column's cells, written out;
    ``whole[i]``: the column's cells are never cut or wrapped; ``numeric[i]``: aligned right.
    Off a terminal a table too wide is drawn wider than ``width`` (nothing wraps in a file).

    >>> row = ["a.b", "the request is over the cap of its fiscal year"]
    >>> lines = lay_out(["Rule", "Message"], [row], None, [True, False], [False, False], 30, True)
    >>> print(*(line.rstrip() for line, style in lines), sep="\n")
    Rule   Message
    ━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━
    a.b    the request is over the
           cap of its fiscal year
    """
    from rich.cells import cell_len

    rows = [*body, *([totals] if totals else []), headers]
    natural = [max(cell_len(line) for row in rows for line in row[i].split("\n")) for i in range(len(headers))]
    # Each column is padded by one cell a side and divided by one, the outer edges unpadded.
    padding = 3 * len(headers) - 3
    least = [
        n if kept else _text_min(n, [row[i] for row in rows])
        for i, (n, kept) in enumerate(zip(natural, whole, strict=True))
    ]
    if not terminal:
        # Off a terminal a short text (a status, a count, a name) stays on one line too.
        least = [n if n <= SHORT_TEXT else m for n, m in zip(natural, least, strict=True)]
    need = sum(least) + padding
    if need > width and terminal:
        return None
    room = max(width, need) - (need - sum(least))  # off a terminal, a table too wide is drawn wider
    widths = _fit(natural, least, room)
    # A text column that wraps keeps only the width its wrapped lines take ("stage1 →" over
    # "stage2-gate →"); the cells it frees go to the other text columns. The column that
    # frees most first, then fit again, until none frees any.
    natural = list(natural)
    for _ in headers:
        slack = {
            i: w - _wrapped_width([row[i] for row in rows], w)
            for i, (n, w, kept) in enumerate(zip(natural, widths, whole, strict=True))
            if not kept and w < n
        }
        i = max(slack, key=lambda k: slack[k], default=None)
        if i is None or slack[i] <= 0:
            break
        natural[i] = widths[i] - slack[i]
        widths = _fit(natural, least, room)

    def laid(values: list[str]) -> list[str]:  # Japanese text wrapped as Japanese is set
        return [v if kept else wrap_text(v, w) for v, kept, w in zip(values, whole, widths, strict=True)]

    return draw_grid(
        widths,
        list(numeric),
        [not c for c in whole],
        headers,
        [laid(values) for values in body],
        laid(totals) if totals is not None else None,
        ascii_only=ascii_only,
    )


#: Between two columns: a cell of padding either side of a one-cell rule (blank in this box).
_GAP = "   "


def draw_grid(
    widths: list[int],
    right: list[bool],
    wrap: list[bool],
    header: list[str],
    body: list[list[str]],
    totals: list[str] | None,
    *,
    ascii_only: bool = False,
) -> list[Line]:
    r"""A table's lines, laid out as Rich draws a ``box.SIMPLE_HEAVY`` table without edges: the
    bold header, a heavy rule, the rows, then a blank line and the bold totals row (no blank
    line when there are no rows).

    Each column is ``widths[i]`` cells wide; its cells are aligned right when ``right[i]``,
    at the top of their row (the header's at its bottom), and wrapped as Rich wraps a table
    cell when ``wrap[i]`` (between words, a longer word folded). The columns are three cells
    apart. ``ascii_only`` draws it as Rich does for a stream that cannot encode the heavy
    rule (``PYTHONIOENCODING=ascii``, a Windows code page): ``|`` between the columns,
    ``-+-`` rules, and a rule, not a blank line, above the totals. Drawn here rather than by
    a Rich ``Table``, which takes about a millisecond a table: a check of 10,000 plans draws
    thousands.

    >>> lines = draw_grid([4, 9], [False, True], [False, False], ["Rule", "Amount"],
    ...                   [["a.b", "1,000"], ["c", "25,000"]], ["Sum", "26,000"])
    >>> print(*(line.rstrip() for line, style in lines), sep="\n")
    Rule      Amount
    ━━━━━━━━━━━━━━━━
    a.b        1,000
    c         25,000
    <BLANKLINE>
    Sum       26,000
    """

    def row(values: list[str], *, bottom: bool = False) -> list[str]:
        """A row's lines: its cells side by side, the shorter ones filled up with blank lines
        below them (above them in the header, whose labels sit on the rule)."""
        columns = [_cell_lines(v, w, right=r, wrap=x) for v, w, r, x in zip(values, widths, right, wrap, strict=True)]
        height = max(map(len, columns))
        columns = [
            [" " * w] * (height - len(col)) + col if bottom else col + [" " * w] * (height - len(col))
            for col, w in zip(columns, widths, strict=True)
        ]
        return [gap.join(line) for line in zip(*columns, strict=True)]

    gap = " | " if ascii_only else _GAP
    full = sum(widths) + len(gap) * (len(widths) - 1)
    rule = "-+-".join("-" * w for w in widths) if ascii_only else "━" * full
    lines = [(line, "bold") for line in row(header, bottom=True)] + [(rule, "")]
    lines += [(line, "") for values in body for line in row(values)]
    if totals is not None:
        lines += [(rule if ascii_only else " " * full, "")] * bool(body) + [(line, "bold") for line in row(totals)]
    return lines


def _cell_lines(text: str, width: int, *, right: bool, wrap: bool) -> list[str]:
    """A table cell's lines, each ``width`` cells wide: wrapped (when ``wrap``) as Rich wraps a
    table cell (:func:`_fold`), and aligned left or right as Rich aligns them."""
    from rich.cells import set_cell_size

    cells = _cells(text.replace("\n", " "))
    lines = text.split("\n")
    if wrap and any(cells(line) > width for line in lines):
        lines = [piece for line in lines for piece in _fold(line, width)]
    if right:
        lines = [line.rstrip() for line in lines]
        return [
            " " * (width - cells(line)) + line if cells(line) <= width else set_cell_size(line, width) for line in lines
        ]
    return [
        line + " " * (width - cells(line)) if cells(line) <= width else set_cell_size(line, width) for line in lines
    ]


def _cells(text: str) -> Callable[[str], int]:
    """How to measure parts of ``text`` in terminal cells: by their length when every character
    of it takes one cell (printable ASCII, as most messages are), else by Rich's measure."""
    from rich.cells import cell_len

    return len if text.isascii() and text.isprintable() else cell_len


#: A word as Rich's word wrap takes it: the spaces before the first one and after each.
_WORD = re.compile(r"\s*\S+\s*")
_TRAILING_SPACE = re.compile(r"\s+$")


def _fold(line: str, width: int) -> list[str]:
    """``line`` wrapped as Rich wraps text in a table cell (its word wrap, ``rich._wrap``):
    greedily between words, each word with the spaces after it; a word wider than ``width``
    folded at the width. Rich's own tables are the reference: a hypothesis test draws
    grids both ways. Done here because Rich builds a styled text object for every line,
    which took 0.1 ms a cell: a check of 10,000 plans wraps 30,000 messages.
    """
    from rich.cells import chop_cells

    cell_len = _cells(line)
    pieces: list[str] = []
    current, used = "", 0  # the line so far and the cells it takes (its last spaces included)
    for match in _WORD.finditer(line):
        word = match.group()
        size = cell_len(word.rstrip())
        if width - used >= size:
            current, used = current + word, used + cell_len(word)
        elif size > width:  # no line can hold it: folded, from a line of its own
            if match.start():
                pieces.append(current)
            *whole, current = chop_cells(word, width)
            pieces += whole
            used = cell_len(current)
        elif used and match.start():
            pieces.append(current)
            current, used = word, cell_len(word)
    if not pieces and not current:
        return [line]  # nothing but spaces
    pieces.append(current)
    # Spaces that end a line beyond the width go (as many as it is characters too long).
    return [
        piece[: len(piece) - min(len(m.group()), len(piece) - width)]
        if len(piece) > width and (m := _TRAILING_SPACE.search(piece))
        else piece
        for piece in pieces
    ]


def _fit(natural: list[int], least: list[int], room: int) -> list[int]:
    """Column widths within ``room``: the widest columns give way first, none below its least width.

    The widths are ``min(natural, max(level, least))`` for the highest level that fits.

    >>> _fit([10, 30, 12], [10, 8, 8], 40), _fit([10, 30, 12], [10, 8, 8], 60), _fit([10, 30], [10, 8], 5)
    ([10, 18, 12], [10, 30, 12], [10, 8])
    """

    def widths(level: int) -> list[int]:
        return [min(n, max(level, m)) for n, m in zip(natural, least, strict=True)]

    low, high = 0, max(natural, default=0)  # widths(low) is the narrowest; widths(high) is natural
    while low < high:
        mid = (low + high + 1) // 2
        if sum(widths(mid)) <= room:
            low = mid
        else:
            high = mid - 1
    return widths(low)


def _wrapped_width(cells: list[str], width: int) -> int:
    """The widest line of ``cells`` wrapped at ``width`` (between words, Japanese between characters).

    >>> _wrapped_width(["stage1 → stage2-gate → jisso", "Menu"], 16)
    13
    """
    from rich.cells import cell_len

    return max(
        (cell_len(line) for text in cells for part in text.split("\n") for line in wrap_japanese(part, width)),
        default=0,
    )


def _text_min(natural: int, cells: list[str]) -> int:
    """The narrowest a wrapping text column is drawn: its longest word, at least 8 and at most TEXT_MIN cells."""

    def words(text: str) -> list[str]:  # what no line break splits: Japanese breaks between characters
        return [u for u in _UNIT.findall(text) if not u.isspace()] if JAPANESE.search(text) else text.split()

    longest = max((max(map(_cells(text), words(text)), default=0) for text in cells), default=0)
    return min(natural, TEXT_MIN, max(longest, 8))


def wrap_text(text: str, width: int) -> str:
    """Text with Japanese in it wrapped as Japanese is set (see wrap_japanese); other text as it is."""
    if not JAPANESE.search(text):
        return text
    return "\n".join(line for part in text.split("\n") for line in wrap_japanese(part, width))


JAPANESE = re.compile(r"[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]")
#: 禁則 (JIS X 4051 line breaking): characters no line may start with (the long-vowel
#: mark, small kana, closing brackets and punctuation) ...
NO_LINE_START = "ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ、。，．）」』】〕〉》・：；？！)]},.:;!?"
#: ... and characters no line may end with (opening brackets).
NO_LINE_END = "（「『【〔〈《([{"
#: A bracketed unit kept whole, as （千円） or (開発中止): up to four characters in （） or
#: (), and a title's unit line （単位：千円）.
#: ASCII in () is a unit only where its ASCII run ends ("(00)" in "(00)0" is part of a run).
_BRACKETED = (
    r"（単位：[^\s（）]{1,3}）|（[^\s（）]{1,4}）|\((?=[^\s()]*[^\x00-\x7f])[^\s()]{1,4}\)|\([!-'*-~]{1,4}\)(?![!-~])"
)
#: A run of ASCII without spaces (a number, an option, a word) that does not end with an
#: opening bracket: "(" before Japanese goes with what follows it.
_ASCII_RUN = r"[!-~]*[!-'\)-Z\\-z|-~]"
#: A date as Japanese writes it, kept on one line: 令和8年10月1日, 2026年4月1日.
_DATE = r"(?:令和|平成)?(?:元|[0-9]{1,4})年[0-9]{1,2}月[0-9]{1,2}日"
# Units that stay whole: a space; a short bracketed unit; or a date, an ASCII run or one
# other character, with the opening brackets before it and every character that may not
# start a line after it (so キー stays whole).
_UNIT = re.compile(
    rf"\s+|(?:{_BRACKETED}|[{re.escape(NO_LINE_END)}]*(?:{_DATE}|{_ASCII_RUN}|\S))"
    rf"[{re.escape(NO_LINE_START)}]*"
)


def wrap_japanese(text: str, width: int) -> list[str]:
    """Greedy line filling for Japanese: break between characters, never inside an ASCII run,
    and as 禁則 asks: no line starts with ー, a small kana or closing punctuation, none ends
    with an opening bracket, and a bracketed unit such as （千円） stays whole.

    >>> wrap_japanese("上限 15,000,000円（年額、間接経費を含む）", 16)
    ['上限 15,000,000', '円（年額、間接経', '費を含む）']
    >>> wrap_japanese("計画ファイルのキー proration", 16)
    ['計画ファイルの', 'キー proration']
    >>> wrap_japanese("年度別の上限額（千円）", 18), wrap_japanese("年度別の上限額（単位：千円）", 20)
    (['年度別の上限額', '（千円）'], ['年度別の上限額', '（単位：千円）'])
    >>> wrap_japanese("上限額 令和8年10月1日〜令和11年3月31日", 24)
    ['上限額 令和8年10月1日〜', '令和11年3月31日']
    """
    cell_len = _cells(text)
    lines: list[str] = []
    # The line so far, unit by unit (joined when it ends: linear in the text, whatever the
    # units' widths), and its width in cells.
    line: list[str] = []
    used = 0
    for unit in _UNIT.findall(text):
        if not line and unit.isspace():
            continue  # no line starts with a space
        size = cell_len(unit)
        if line and used + size > width:
            lines.append("".join(line).rstrip())
            first = unit.lstrip()
            line, used = [first] if first else [], cell_len(first)
        else:
            line.append(unit)
            used += size
    if "".join(line).strip():
        lines.append("".join(line).rstrip())
    return lines
