"""Tables as Japanese offices keep them: one reader of CSV and ``.xlsx`` input files (SPEC §2, §9).

A ``--payments`` schedule and a ``--company`` projection are both a table somebody saved
from Excel. :func:`read_table` turns the file's bytes into typed rows, for any caller that
says which columns it wants (:class:`Layout`, :class:`Column`):

- **Bytes.** CSV in UTF-8 (with or without a BOM), UTF-16 with a BOM, or cp932
  (Shift_JIS, Japanese Excel's "CSV (コンマ区切り)"), detected in that order and reported
  (:func:`decode`); or an ``.xlsx`` workbook, its first sheet, numbers and dates as Excel
  holds them (:func:`workbook_cells`). A workbook that cannot be read, whatever the library
  underneath says (a truncated zip, broken XML, an entity bomb), is one
  :class:`~astep_calc.text.InputError`: "not a readable workbook".
- **Rows.** Blank rows and rows starting with ``#`` are skipped. A header row names the
  columns, in Japanese or English (each column's ``headers``, compared after NFKC folding,
  case and spaces aside); up to :data:`MAX_TITLE_LINES` title lines above it are skipped
  with a note. Columns the layout does not name are ignored with a note. Without a header
  (where the layout allows it) the file holds exactly the required columns, in order.
- **Totals.** A row labelled 合計 / 計 / 総計 / total is checked against the sum of the
  rows above it, column by column (a blank cell is not checked); it must be the last row.
- **Cells.** :func:`yen_cell`, :func:`signed_yen_cell`, :func:`date_cell` and
  :func:`fiscal_year_cell` read a cell as Excel or a CSV holds it: numbers as numbers,
  the cp932 yen sign (a backslash, byte 0x5C: ``"\\1,200,000"``), ``1,200,000円``,
  ``1.2億``, and for signed amounts ``-1.2億``, ``△1,200,000``, ``(1,200,000)``.

Every error names the file and, for a row, its line (the row number Excel shows).

>>> layout = Layout((Column("year", Text("fiscal-year", "年度"), ("年度", "fiscal year"), fiscal_year_cell),
...                  Column("operating", Text("operating", "営業CF"), ("営業CF", "operating"), signed_yen_cell,
...                         total=True)),
...                 noun=Text("The projections file", "収支計画ファイル"), kept=Text("the year and the flows", "年度・収支"),
...                 row=Text("fiscal year", "年度"), max_rows=200, field="company")
>>> text = "収支計画（単位：円）\\n年度,営業CF\\n令和9年度,△240000000\\n2028年度,\\"\\\\120,000,000\\"\\n合計,-120000000\\n"
>>> f = read_table(text.encode("cp932"), "c.csv", layout)
>>> [r.values for r in f.records], f.titles, f.total_line
([(2027, -240000000), (2028, 120000000)], ((1, '収支計画（単位：円）'),), 5)
"""

from __future__ import annotations

import csv
import io
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from typing import Any

from astep_calc.dates import parse_date, parse_fiscal_year
from astep_calc.money import format_yen, parse_signed_yen, parse_yen
from astep_calc.reader import MAX_INPUT_BYTES
from astep_calc.text import InputError, Text, fold_width

#: What is tried, in order, on a CSV without a BOM.
TRIED = "UTF-8, UTF-16 (with BOM), cp932 (Shift_JIS)"

#: The columns read from each row of a workbook (openpyxl pads a row to its widest cell:
#: one value in column XFD would make every row 16,384 cells). Columns past it are not read.
MAX_COLUMNS = 50
#: The most bytes a workbook may unpack to (every part together). Excel's XML packs about
#: tenfold; the bound keeps a small zip of repeated XML (a "zip bomb") from hours of parsing.
MAX_UNPACKED_BYTES = 2 * MAX_INPUT_BYTES
#: Title lines (a sheet's title, a unit line such as （単位：円）) skipped above a header.
MAX_TITLE_LINES = 5
#: The labels of a totals row, compared after NFKC folding, case and spaces aside.
TOTAL_LABELS = ("合計", "計", "総計", "total")

_XLSX_MAGIC = b"PK\x03\x04"
#: An OLE2 compound file: Excel 97-2003's .xls.
_XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


# ---------------------------------------------------------------------------------------
# What a caller reads


@dataclass(frozen=True)
class Column:
    """A column a caller reads: its key, its name in messages, the headers that name it
    (compared as :func:`header_key` folds them), and how a cell is read (a function that
    raises :class:`InputError` for a cell it refuses). ``total`` columns are summed and
    checked against a totals row; an optional column may be left out (its value is None)."""

    key: str
    label: Text
    headers: tuple[str, ...]
    parse: Callable[[Any], Any]
    total: bool = False
    required: bool = True


@dataclass(frozen=True)
class Layout:
    """What a caller reads from a table file.

    ``noun`` names the file in notes (``The payments file`` / ``返済計画ファイル``), ``kept``
    the columns read (``the due date and the amount`` / ``期日・金額``), ``row`` one row's
    thing (``payment`` / ``返済``). At most ``max_rows`` rows of data, and twice as many
    rows in all, blank ones included. ``field`` is the :class:`InputError` field of every
    error (the command line words it as its option). With ``headerless``, a file without a
    header holds the required columns in their order.
    """

    columns: tuple[Column, ...]
    noun: Text
    kept: Text
    row: Text
    max_rows: int
    field: str
    headerless: bool = False


@dataclass(frozen=True)
class Record:
    """One row of data: its line, and a value a column (None for an optional one left out)."""

    line: int
    values: tuple[Any, ...]


@dataclass(frozen=True)
class TableFile:
    """The rows of a table file, and how it was read (for the notes)."""

    records: tuple[Record, ...]
    encoding: str
    layout: Layout
    #: Columns the layout does not name, as their headers are written.
    ignored: tuple[str, ...] = ()
    #: Title lines skipped above the header: (line, text).
    titles: tuple[tuple[int, str], ...] = ()
    #: The line of the totals row, checked against the rows; its label as written.
    total_line: int | None = None
    total_label: str = ""

    @property
    def assumptions(self) -> tuple[Text, ...]:
        """How the file was read, in words.

        >>> layout = Layout((), Text("The payments file", "返済計画ファイル"), Text("the due date and the amount", "期日・金額"),
        ...                 Text("payment", "返済"), max_rows=10, field="payments")
        >>> [a.en for a in TableFile((), "cp932 (Shift_JIS)", layout, ("No",), ((1, "返済計画"),), 9, "合計").assumptions]
        ['The payments file was read as cp932 (Shift_JIS)', 'Columns other than the due date and the amount are ignored: No', "Line 1 above the header is taken as a title and skipped: '返済計画'", 'The totals row (合計, line 9) matches the sum of the rows above it and is not read as a row']
        """
        noun, kept = self.layout.noun, self.layout.kept
        # Plain form, as every item of the 前提 list; full-width brackets in the Japanese.
        encoding_ja = self.encoding.replace(" (", "（").replace(")", "）")
        gap = "" if encoding_ja.endswith("）") else " "
        out = [Text(f"{noun.en} was read as {self.encoding}", f"{noun.ja}は {encoding_ja}{gap}として読み込み")]
        if self.ignored:
            out.append(
                Text(
                    f"Columns other than {kept.en} are ignored: {', '.join(self.ignored)}",
                    f"{kept.ja}以外の列（{'、'.join(self.ignored)}）は使わない",
                )
            )
        for line, title in self.titles:
            out.append(
                Text(
                    f"Line {line} above the header is taken as a title and skipped: {title!r}",
                    f"見出し行の上の{line}行目「{title}」は表題とみなし、読み飛ばす",
                )
            )
        if self.total_line is not None:
            out.append(
                Text(
                    f"The totals row ({self.total_label}, line {self.total_line}) matches the sum of the rows above "
                    "it and is not read as a row",
                    f"{self.total_line}行目の{self.total_label}行は各行の合計と一致することを確かめ、行としては読まない",
                )
            )
        return tuple(out)


# ---------------------------------------------------------------------------------------
# Cells


def _whole_number(cell: float) -> int:
    """A number Excel holds as a double, as the whole number it is (exact below 2**53)."""
    if not cell.is_integer():
        raise InputError(
            f"{cell!r} is not a whole number of yen", f"「{cell}」は1円未満の端数を含みます。円単位の金額にしてください"
        )
    return int(cell)


def _amount_text(cell: Any) -> str:
    """A text cell's amount, the yen sign as cp932 shows byte 0x5C (a backslash) made ¥."""
    return str(cell or "").strip().replace("\\", "¥")


def yen_cell(cell: Any) -> int:
    """Whole yen of 0 or more, as a cell holds them: a number, or text in the money syntax.

    >>> yen_cell(100_000_000.0), yen_cell("\\\\100,000,000"), yen_cell("1,200,000円"), yen_cell("1.2億")
    (100000000, 100000000, 1200000, 120000000)
    """
    return _amount(cell, parse_yen)


def signed_yen_cell(cell: Any) -> int:
    """Whole yen that may be negative, as a cell holds them (:func:`~astep_calc.money.parse_signed_yen`).

    >>> signed_yen_cell(-1.2e8), signed_yen_cell("△1,200,000"), signed_yen_cell("\\\\-1,200,000"), signed_yen_cell("(5)")
    (-120000000, -1200000, -1200000, -5)
    """
    return _amount(cell, parse_signed_yen)


def _amount(cell: Any, parse: Callable[[str | int], int]) -> int:
    """A cell's yen through ``parse`` (the money syntax): a whole float as its integer, text as
    written; a boolean cell is no amount."""
    if isinstance(cell, bool):
        raise InputError(
            f"{cell} is not an amount of yen", f"「{cell}」は金額ではありません。円単位の数値にしてください"
        )
    if isinstance(cell, float):
        cell = _whole_number(cell)
    if isinstance(cell, int):
        return parse(cell)
    return parse(_amount_text(cell))


def date_cell(cell: Any) -> date:
    """A day, as a cell holds it: an Excel date (with no time of day) or text :func:`parse_date` reads.

    >>> date_cell(datetime(2032, 9, 30)), date_cell("2032/9/30"), date_cell("R14.9.30")
    (datetime.date(2032, 9, 30), datetime.date(2032, 9, 30), datetime.date(2032, 9, 30))
    """
    if isinstance(cell, datetime):
        if cell.time() != datetime.min.time():
            raise InputError(
                f"{cell.isoformat()} has a time of day; a due date is a day",
                f"{cell.isoformat()}は時刻付きです。期日は日付で指定してください",
            )
        return parse_date(cell.date())
    if isinstance(cell, date):
        return parse_date(cell)
    return parse_date(str(cell or ""))


def fiscal_year_cell(cell: Any) -> int:
    """A fiscal year, as a cell holds it: a number (2027) or a label (2027年度, 令和9年度, FY2027).

    >>> fiscal_year_cell(2027.0), fiscal_year_cell("令和9年度"), fiscal_year_cell("FY2027")
    (2027, 2027, 2027)
    """
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    if isinstance(cell, int) and not isinstance(cell, bool):
        return parse_fiscal_year(cell)
    return parse_fiscal_year(str(cell if cell is not None else "").strip())


def header_key(cell: Any) -> str:
    """A header cell as headers are compared: NFKC-folded, lower case, spaces aside.

    >>> header_key(" Due  Date "), header_key("営業ＣＦ"), header_key("合　計")
    ('due date', '営業cf', '合 計')
    """
    return " ".join(fold_width("" if cell is None else str(cell)).lower().split())


def _is_blank(row: Sequence[Any]) -> bool:
    return all(header_key(c) == "" for c in row)


def _is_total_label(cell: Any) -> bool:
    return header_key(cell).replace(" ", "") in TOTAL_LABELS


def _shown(cell: Any) -> str:
    return "" if cell is None else str(cell).strip()


# ---------------------------------------------------------------------------------------
# Bytes


def decode(raw: bytes, origin: str, *, field: str | None = None) -> tuple[str, str]:
    """The text of a CSV file and the name of its encoding: BOMs first, then UTF-8, then cp932.

    >>> decode("期日".encode("utf-16"), "p.csv")
    ('期日', 'UTF-16')
    >>> decode("期日".encode("cp932"), "p.csv")
    ('期日', 'cp932 (Shift_JIS)')
    """
    candidates: tuple[tuple[str, str], ...]
    if raw.startswith(b"\xef\xbb\xbf"):
        candidates = (("utf-8-sig", "UTF-8 (BOM)"),)
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = (("utf-16", "UTF-16"),)
    else:
        candidates = (("utf-8", "UTF-8"), ("cp932", "cp932 (Shift_JIS)"))
    for codec, name in candidates:
        try:
            return raw.decode(codec), name
        except UnicodeError:  # a byte no encoding of the list has, or an odd number of UTF-16 bytes
            continue
    raise InputError(
        f"{origin}: cannot be read: not text in any of {TRIED}; save it from Excel as "
        '"CSV UTF-8 (Comma delimited)" or as .xlsx',
        f"{origin}：読めません：{TRIED.replace(', ', '、')} のいずれのテキストでもありません。"
        "Excel で「CSV UTF-8（コンマ区切り）」または .xlsx として保存してください",
        field=field,
    )


def csv_cells(text: str, origin: str, *, limit: int, field: str | None = None) -> list[list[Any]]:
    """The cells of CSV text, row by row, at most ``limit`` rows (one more, to tell it went over)."""
    reader = csv.reader(io.StringIO(text), skipinitialspace=True)
    try:
        return list(islice(reader, limit + 1))
    except csv.Error as exc:  # a field over csv.field_size_limit(), a NUL byte, ...
        raise InputError(
            f"{origin} line {reader.line_num}: not a readable CSV row: {exc}",
            f"{origin} {reader.line_num}行目：CSVの行として読み込めません：{exc}",
            field=field,
        ) from None


def _not_a_workbook(origin: str, reason: Text, field: str | None) -> InputError:
    return InputError(
        f"{origin}: not a readable workbook: {reason.en}; save it again from Excel as .xlsx, or as CSV",
        f"{origin}：Excel ブックとして読めません：{reason.ja}。Excel で .xlsx または CSV として保存し直してください",
        field=field,
    )


def workbook_cells(raw: bytes, origin: str, *, limit: int, field: str | None = None) -> list[list[Any]]:
    """The first sheet's cell values, row by row, at most ``limit`` rows (one more, to tell it
    went over) of at most :data:`MAX_COLUMNS` cells (openpyxl, imported only here).

    Whatever the bytes, the only exception is :class:`InputError`: a workbook is parsed by
    openpyxl, zipfile, zlib and an XML parser (lxml or ElementTree), each with its own
    errors, and none of them may reach the user as anything but "not a readable workbook".
    openpyxl's warnings (an unknown extension, a data validation it drops) are not shown.
    """
    from zipfile import ZipFile

    if not raw.startswith(_XLSX_MAGIC):
        raise _not_a_workbook(
            origin, Text("not a zip archive, as an .xlsx file is", "xlsx 形式（zip）のファイルではありません"), field
        )
    try:
        # zipfile stops a part at its declared size (and then fails its CRC check), so the
        # declared sizes bound what parsing the workbook can cost.
        with ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except Exception:
        raise _not_a_workbook(origin, Text("its zip archive is damaged", "zip 形式が壊れています"), field) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise _not_a_workbook(
            origin,
            Text(
                f"too large when unpacked (more than {MAX_UNPACKED_BYTES:,} bytes)",
                f"展開すると大きすぎます（{MAX_UNPACKED_BYTES:,}バイト超）",
            ),
            field,
        )
    from openpyxl import load_workbook

    book = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
            if not book.worksheets:
                raise _not_a_workbook(origin, Text("it has no worksheet", "ワークシートがありません"), field)
            sheet = book.worksheets[0]
            # Read-only mode trusts the sheet's <dimension> tag, which other writers leave stale
            # (A1:D2 over four rows): rows past it would be lost without a word. Forget it and
            # read every row the sheet holds, up to the bounds.
            sheet.reset_dimensions()
            rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
            return [_trimmed(row) for row in islice(rows, limit + 1)]
    except InputError:
        raise
    except Exception:
        raise _not_a_workbook(
            origin, Text("its contents cannot be read", "ブックの中身を読み取れません"), field
        ) from None
    finally:
        if book is not None:
            try:
                book.close()
            except Exception:
                pass


def _trimmed(row: Sequence[Any]) -> list[Any]:
    """A row without its blank cells at the end (openpyxl pads every row to ``max_col``)."""
    cells = list(row)
    while cells and (cells[-1] is None or (isinstance(cells[-1], str) and not cells[-1].strip())):
        cells.pop()
    return cells


def read_cells(raw: bytes, origin: str, *, limit: int, field: str | None = None) -> tuple[list[list[Any]], str]:
    """The cells of a table file and how it was read: an ``.xlsx`` workbook or CSV in a detected encoding.

    A workbook is known by its bytes (a zip) or by its name: a file named ``.xlsx`` that
    is not a workbook says so, rather than being read as CSV. An old binary ``.xls``
    workbook is refused with how to save it.

    >>> read_cells(b"hello\\n", "p.xlsx", limit=10)
    Traceback (most recent call last):
    ...
    astep_calc.text.InputError: p.xlsx: not a readable workbook: not a zip archive, as an .xlsx file is; save it again from Excel as .xlsx, or as CSV
    """
    if raw.startswith(_XLSX_MAGIC) or origin.lower().endswith(".xlsx"):
        return workbook_cells(raw, origin, limit=limit, field=field), "xlsx (first sheet)"
    if raw.startswith(_XLS_MAGIC):
        raise InputError(
            f"{origin}: cannot be read: an old Excel 97-2003 workbook (.xls); save it from Excel "
            'as .xlsx or as "CSV UTF-8 (Comma delimited)"',
            f"{origin}：読めません：古い Excel 97-2003 形式のブック（.xls）です。Excel で .xlsx "
            "または「CSV UTF-8（コンマ区切り）」として保存してください",
            field=field,
        )
    text, encoding = decode(raw, origin, field=field)
    return [_trimmed(row) for row in csv_cells(text, origin, limit=limit, field=field)], encoding


# ---------------------------------------------------------------------------------------
# Rows


def read_table(raw: bytes, origin: str, layout: Layout) -> TableFile:
    """Read a table file's bytes as ``layout`` says: see the module docstring."""
    cells, encoding = read_cells(raw, origin, limit=2 * layout.max_rows, field=layout.field)
    return table_rows(cells, origin, layout, encoding)


def table_rows(records: list[list[Any]], origin: str, layout: Layout, encoding: str) -> TableFile:
    """:func:`read_table` for cells already read (row by row, line 1 first)."""
    return _Rows(records, origin, layout).read(encoding)


@dataclass(frozen=True)
class _Header:
    """Where the data starts, each column's index, and what the header row says."""

    start: int
    columns: tuple[int | None, ...]
    width: int
    names: tuple[str, ...] = ()
    ignored: tuple[str, ...] = ()
    titles: tuple[tuple[int, str], ...] = ()


class _Rows:
    """The walk over a file's rows: header, titles, data, totals."""

    def __init__(self, records: list[list[Any]], origin: str, layout: Layout) -> None:
        self.records, self.origin, self.layout = records, origin, layout

    def error(self, line: int, what: Text) -> InputError:
        return InputError(
            f"{self.origin} line {line}: {what.en}", f"{self.origin} {line}行目：{what.ja}", field=self.layout.field
        )

    def too_many(self, what: Text) -> InputError:
        row, most = self.layout.row, self.layout.max_rows
        return InputError(
            f"{self.origin}: too many rows: {what.en} (one row a {row.en}, at most {most:,})",
            f"{self.origin}：行が多すぎます：{what.ja}。{row.ja}は1行に1件、{most:,}行までで書いてください",
            field=self.layout.field,
        )

    def read(self, encoding: str) -> TableFile:
        layout = self.layout
        limit = 2 * layout.max_rows
        if len(self.records) > limit:
            raise self.too_many(
                Text(f"more than {limit:,} rows, blank ones included", f"空行を含めて{limit:,}行を超えています")
            )
        lines = [
            (n, row)
            for n, row in enumerate(self.records, start=1)
            if not (_is_blank(row) or header_key(row[0]).startswith("#"))
        ]
        head = self.header(lines)
        totals = {i for c, i in zip(layout.columns, head.columns, strict=True) if c.total and i is not None}
        records: list[Record] = []
        total: tuple[int, list[Any]] | None = None
        for n, row in lines[head.start :]:
            if total is not None:
                raise self.error(
                    n,
                    Text(
                        f"a row after the totals row (line {total[0]}); the totals row must be the last",
                        f"{total[0]}行目の合計行の後に行があります。合計行は最後の行にしてください",
                    ),
                )
            if any(_is_total_label(c) for i, c in enumerate(row) if i not in totals):
                total = (n, row)
                continue
            if len(records) == layout.max_rows:
                raise self.too_many(
                    Text(
                        f"more than {layout.max_rows:,} {layout.row.en}s",
                        f"{layout.row.ja}が{layout.max_rows:,}行を超えています",
                    )
                )
            records.append(self.record(n, row, head))
        required = [c for c in layout.columns if c.required]
        if not records:
            raise InputError(
                f"{self.origin} has no {layout.row.en}s (expected rows of "
                f"{' and '.join(c.label.en.replace('-', ' ') for c in required)})",
                f"{self.origin} に{layout.row.ja}の行がありません。"
                f"{'と'.join(c.label.ja for c in required)}の行を1行以上書いてください",
                field=layout.field,
            )
        if total is None:
            return TableFile(tuple(records), encoding, layout, head.ignored, head.titles)
        label = self.check_total(total[0], total[1], head, records)
        return TableFile(tuple(records), encoding, layout, head.ignored, head.titles, total[0], label)

    # The header ---------------------------------------------------------------------------

    def header(self, lines: list[tuple[int, list[Any]]]) -> _Header:
        """The header among the first lines, with the title lines above it; or the layout's
        own columns in order, for a file without a header (where the layout allows one)."""
        layout = self.layout
        for k, (n, row) in enumerate(lines[: MAX_TITLE_LINES + 1]):
            found = self.header_columns(n, row)
            if found is not None:
                names = tuple(_shown(c) for c in row)
                used = {i for i in found if i is not None}
                return _Header(
                    k + 1,
                    found,
                    len(row),
                    names,
                    tuple(name for i, name in enumerate(names) if i not in used and name),
                    tuple((m, " ".join(_shown(c) for c in r if _shown(c))) for m, r in lines[:k]),
                )
            if not self.is_title(row):
                break  # a row of data: there is no header above the data
        if layout.headerless:
            width = sum(1 for c in layout.columns if c.required)
            return _Header(0, tuple(range(width)), width)
        raise self.error(
            lines[0][0] if lines else 1,
            Text(
                f"no header row naming the {self.vocabulary().en} in the first {MAX_TITLE_LINES + 1} lines",
                f"先頭{MAX_TITLE_LINES + 1}行に{self.vocabulary().ja}の見出しがありません。見出し行を付けてください",
            ),
        )

    def header_columns(self, line: int, row: list[Any]) -> tuple[int | None, ...] | None:
        """Each column's index when ``row`` is a header; None when it names no column."""
        names = [header_key(c) for c in row]
        wanted = [{header_key(h) for h in c.headers} for c in self.layout.columns]
        found = [[i for i, name in enumerate(names) if name in w] for w in wanted]
        if not any(found):
            return None
        for column, at in zip(self.layout.columns, found, strict=True):
            if len(at) > 1 or (column.required and not at):
                raise self.error(
                    line,
                    Text(
                        f"the header needs exactly one {self.vocabulary().en}",
                        f"見出し行には{self.vocabulary().ja}を1つずつ置いてください",
                    ),
                )
        return tuple(at[0] if at else None for at in found)

    def vocabulary(self) -> Text:
        """The columns and their headers, for messages: ``due column (期日, due) and one amount column (...)``."""
        en = [
            f"{c.label.en} column ({', '.join(c.headers)}){'' if c.required else ', optional'}"
            for c in self.layout.columns
        ]
        ja = [
            f"{c.label.ja}の列（{'、'.join(c.headers)}）{'' if c.required else '（省略可）'}"
            for c in self.layout.columns
        ]
        return Text(" and one ".join(en) if len(en) == 2 else ", ".join(en), "と".join(ja))

    def is_title(self, row: list[Any]) -> bool:
        """A row above the header is a title when none of its cells reads as any column's
        value: a row of data is never taken for a title and skipped."""
        for cell in row:
            if _shown(cell) == "":
                continue
            for column in self.layout.columns:
                try:
                    column.parse(cell)
                except InputError:
                    continue
                return False
        return True

    # Data ---------------------------------------------------------------------------------

    def record(self, n: int, row: list[Any], head: _Header) -> Record:
        layout = self.layout
        cells = len(row)  # rows are trimmed: the last cell is not blank
        required = [c for c in layout.columns if c.required]
        needed = max(i for c, i in zip(layout.columns, head.columns, strict=True) if c.required and i is not None)
        if cells > head.width or needed >= cells:
            if not head.names:  # no header: the required columns, in order
                japanese = ",".join(c.headers[0] for c in required)
                english = ",".join(next((h for h in c.headers if h.isascii()), c.key) for c in required)
                raise self.error(
                    n,
                    Text(
                        f"expected {head.width} columns ({', '.join(c.key for c in required)}), got {cells}; for more "
                        f"columns, add a header row naming the {' and '.join(c.label.en for c in required)} columns "
                        f"({japanese} or {english})",
                        f"{cells}列あります。{'と'.join(c.label.ja for c in required)}の{head.width}列にしてください。"
                        f"列を増やす場合は見出し行（{japanese} または {english}）を付けてください",
                    ),
                )
            names = [name for name in head.names if name]
            raise self.error(
                n,
                Text(
                    f"expected {head.width} columns as in the header ({', '.join(names)}), got {cells}",
                    f"{cells}列あります。見出し行（{'、'.join(names)}）と同じ{head.width}列にしてください",
                ),
            )
        values: list[Any] = []
        for column, i in zip(layout.columns, head.columns, strict=True):
            cell = row[i] if i is not None and i < cells else None
            if not column.required and _shown(cell) == "":
                values.append(None)
                continue
            try:
                values.append(column.parse(cell))
            except InputError as exc:
                raise self.error(n, exc.text) from None
        return Record(n, tuple(values))

    # Totals -------------------------------------------------------------------------------

    def check_total(self, n: int, row: list[Any], head: _Header, records: list[Record]) -> str:
        """Check each total column's figure in the totals row against the sum of the rows above
        it; the row's label as written."""
        label = next(_shown(c) for c in row if _is_total_label(c))
        for k, (column, i) in enumerate(zip(self.layout.columns, head.columns, strict=True)):
            if not column.total or i is None or i >= len(row) or _shown(row[i]) == "":
                continue
            try:
                stated = column.parse(row[i])
            except InputError as exc:
                raise self.error(n, exc.text) from None
            summed = sum(r.values[k] or 0 for r in records)
            if stated != summed:
                raise self.error(
                    n,
                    Text(
                        f"the totals row ({label}) says {format_yen(stated)} for {column.label.en}, but the rows "
                        f"above it add up to {format_yen(summed)}",
                        f"{label}行の{column.label.ja}は{format_yen(stated)}ですが、各行を合計すると"
                        f"{format_yen(summed)}です。どちらかを直してください",
                    ),
                )
        return label


__all__ = [
    "MAX_COLUMNS",
    "MAX_TITLE_LINES",
    "MAX_UNPACKED_BYTES",
    "TOTAL_LABELS",
    "TRIED",
    "Column",
    "Layout",
    "Record",
    "TableFile",
    "csv_cells",
    "date_cell",
    "decode",
    "fiscal_year_cell",
    "header_key",
    "read_cells",
    "read_table",
    "signed_yen_cell",
    "table_rows",
    "workbook_cells",
    "yen_cell",
]
