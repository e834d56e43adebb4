"""Payment files as a Japanese office saves them (SPEC §2): the ``--payments`` schedule.

A custom repayment schedule is a list of (due date, amount) rows. People keep it in
Excel, so the file may be:

- CSV in UTF-8 (with or without a BOM), UTF-16 with a BOM, or cp932 (Shift_JIS, what
  Japanese Excel writes for "CSV (コンマ区切り)") — detected in that order, and the
  encoding found is reported as an assumption;
- an ``.xlsx`` workbook (its first sheet; numbers and dates as Excel holds them).

A header row is optional. Japanese or English headers name the two columns
(:data:`DUE_HEADERS`, :data:`AMOUNT_HEADERS`); other columns (No, 備考) are ignored and
named in a note. Without a header the file has exactly two columns, due then amount.
Amounts take the money syntax of :func:`astep_calc.money.parse_yen`, plus the yen sign as
cp932 shows it (a backslash, byte 0x5C: Excel's ``\\100,000,000``). Dates take every
form :func:`astep_calc.dates.parse_date` reads.

>>> f = read_payments("期日,金額,備考\\n2032-09-30,\\"\\\\100,000,000\\",初回\\n".encode("cp932"), "p.csv")
>>> f.rows, f.encoding, f.ignored
(((datetime.date(2032, 9, 30), 100000000),), 'cp932 (Shift_JIS)', ('備考',))
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from typing import Any

from astep_calc.dates import parse_date
from astep_calc.money import parse_yen
from astep_calc.reader import MAX_INPUT_BYTES, MAX_PAYMENTS
from astep_calc.text import InputError, Text, fold_width

#: Header names of the due-date column (compared after NFKC folding, case-insensitively).
DUE_HEADERS = ("期日", "返済日", "返済期日", "支払日", "due", "date", "due date")
#: Header names of the amount column.
AMOUNT_HEADERS = ("金額", "返済額", "返済金額", "amount")

#: What is tried, in order, on a CSV without a BOM.
TRIED = "UTF-8, UTF-16 (with BOM), cp932 (Shift_JIS)"

#: The most rows read from a file, blank and comment rows included: reading stops there,
#: so a workbook of a million rows is refused without being read whole.
MAX_ROWS = 2 * MAX_PAYMENTS
#: The columns read from each row of a workbook (openpyxl pads a row to its widest cell:
#: one value in column XFD would make every row 16,384 cells). Columns past it are not read.
MAX_COLUMNS = 50
#: The most bytes a workbook may unpack to (every part together). Excel's XML packs about
#: tenfold; the bound keeps a small zip of repeated XML (a "zip bomb") from hours of parsing.
MAX_UNPACKED_BYTES = 2 * MAX_INPUT_BYTES

_XLSX_MAGIC = b"PK\x03\x04"
#: An OLE2 compound file: Excel 97-2003's .xls.
_XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class PaymentsFile:
    """The rows of a payments file, and how it was read (for the assumptions)."""

    rows: tuple[tuple[date, int], ...]
    encoding: str
    ignored: tuple[str, ...] = ()

    @property
    def assumptions(self) -> tuple[Text, ...]:
        """How the file was read, in words.

        >>> PaymentsFile((), "cp932 (Shift_JIS)", ("No",)).assumptions[0].en
        'The payments file was read as cp932 (Shift_JIS)'
        """
        out = [
            Text(
                f"The payments file was read as {self.encoding}",
                f"返済計画ファイルは {self.encoding} として読み込みました",
            )
        ]
        if self.ignored:
            names = ", ".join(self.ignored)
            out.append(
                Text(
                    f"Columns other than the due date and the amount are ignored: {names}",
                    f"期日・金額以外の列は読み飛ばしました：{'、'.join(self.ignored)}",
                )
            )
        return tuple(out)


def read_payments(raw: bytes, origin: str) -> PaymentsFile:
    """Read a payments file's bytes: an ``.xlsx`` workbook, or CSV in a detected encoding.

    A workbook is known by its bytes (a zip) or by its name: a file named ``.xlsx`` that
    is not a workbook says so, rather than being read as CSV. An old binary ``.xls``
    workbook is refused with how to save it.

    >>> read_payments(b"hello\\n", "p.xlsx")
    Traceback (most recent call last):
    ...
    astep_calc.text.InputError: p.xlsx: cannot be read as an .xlsx workbook: not a workbook (no zip archive); save it from Excel as .xlsx, or name a CSV file .csv
    """
    if raw.startswith(_XLSX_MAGIC) or origin.lower().endswith(".xlsx"):
        return _rows(_xlsx_cells(raw, origin), origin, "xlsx (first sheet)")
    if raw.startswith(_XLS_MAGIC):
        raise InputError(
            f"{origin}: cannot be read: an old Excel 97-2003 workbook (.xls); save it from Excel "
            'as .xlsx or as "CSV UTF-8 (Comma delimited)"',
            f"{origin}：読めません：古い Excel 97-2003 形式のブック（.xls）です。Excel で .xlsx "
            "または「CSV UTF-8（コンマ区切り）」として保存してください",
            field="payments",
        )
    text, encoding = decode(raw, origin)
    return _rows(_csv_cells(text, origin), origin, encoding)


def parse_payments_csv(text: str, origin: str = "payments") -> list[tuple[date, int]]:
    """The (due, amount) rows of CSV text already decoded; see :func:`read_payments`.

    >>> parse_payments_csv("due,amount\\n2032-03-31,5000万\\n2033-03-31,50000000\\n")
    [(datetime.date(2032, 3, 31), 50000000), (datetime.date(2033, 3, 31), 50000000)]
    """
    return list(_rows(_csv_cells(text, origin), origin, "text").rows)


def _csv_cells(text: str, origin: str) -> list[list[Any]]:
    reader = csv.reader(io.StringIO(text), skipinitialspace=True)
    try:
        return list(islice(reader, MAX_ROWS + 1))
    except csv.Error as exc:  # a field over csv.field_size_limit(), a NUL byte, ...
        raise InputError(
            f"{origin} line {reader.line_num}: not a readable CSV row: {exc}",
            f"{origin} {reader.line_num}行目：CSVの行として読み込めません：{exc}",
            field="payments",
        ) from None


def decode(raw: bytes, origin: str) -> tuple[str, str]:
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
        except UnicodeDecodeError:
            continue
    raise InputError(
        f"{origin}: cannot be read: not text in any of {TRIED}; save it from Excel as "
        '"CSV UTF-8 (Comma delimited)" or as .xlsx',
        f"{origin}：読めません：{TRIED.replace(', ', '、')} のいずれのテキストでもありません。"
        "Excel で「CSV UTF-8（コンマ区切り）」または .xlsx として保存してください",
        field="payments",
    )


def _xlsx_cells(raw: bytes, origin: str) -> list[list[Any]]:
    """The first sheet's cell values, row by row (openpyxl, imported only here)."""
    from zipfile import BadZipFile, ZipFile

    from openpyxl import load_workbook

    if not raw.startswith(_XLSX_MAGIC):
        raise InputError(
            f"{origin}: cannot be read as an .xlsx workbook: not a workbook (no zip archive); "
            "save it from Excel as .xlsx, or name a CSV file .csv",
            f"{origin}：.xlsx ブックとして読めません：ブック（zip 形式）ではありません。"
            "Excel で .xlsx として保存するか、CSV ならファイル名を .csv にしてください",
            field="payments",
        )
    try:
        # zipfile stops a part at its declared size (and then fails its CRC check), so the
        # declared sizes bound what parsing the workbook can cost.
        with ZipFile(io.BytesIO(raw)) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (BadZipFile, OSError, ValueError) as exc:
        raise InputError(
            f"{origin}: cannot be read as an .xlsx workbook: {exc}",
            f"{origin}：.xlsx ブックとして読めません：{exc}",
            field="payments",
        ) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise InputError(
            f"{origin}: cannot be read as an .xlsx workbook: too large when unpacked (more than "
            f"{MAX_UNPACKED_BYTES:,} bytes); save the schedule alone as .xlsx or CSV",
            f"{origin}：.xlsx ブックとして読めません：展開すると大きすぎます（{MAX_UNPACKED_BYTES:,}バイト超）。"
            "返済計画だけを .xlsx または CSV として保存してください",
            field="payments",
        )
    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        # Read-only mode trusts the sheet's <dimension> tag, which other writers leave stale
        # (A1:D2 over four rows): rows past it would be lost without a word. Forget it and
        # read every row the sheet holds, up to the bounds.
        sheet.reset_dimensions()
        rows = sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)
        cells = [list(row) for row in islice(rows, MAX_ROWS + 1)]
        book.close()
    except (BadZipFile, KeyError, OSError, ValueError, IndexError) as exc:
        raise InputError(
            f"{origin}: cannot be read as an .xlsx workbook: {exc}",
            f"{origin}：.xlsx ブックとして読めません：{exc}",
            field="payments",
        ) from None
    return cells


def _fold(cell: Any) -> str:
    return fold_width("" if cell is None else str(cell)).strip().lower()


def _is_blank(row: Sequence[Any]) -> bool:
    return all(_fold(c) == "" for c in row)


def _header(row: Sequence[Any]) -> tuple[int, int, tuple[str, ...]] | None:
    """(due column, amount column, other columns' names) when ``row`` is a header row."""
    names = [_fold(c) for c in row]
    due = [i for i, n in enumerate(names) if n in DUE_HEADERS]
    amount = [i for i, n in enumerate(names) if n in AMOUNT_HEADERS]
    if not due and not amount:
        return None
    if len(due) != 1 or len(amount) != 1:
        return (-1, -1, ())
    others = tuple(str(row[i]).strip() for i, n in enumerate(names) if i not in (due[0], amount[0]) and n)
    return due[0], amount[0], others


def _rows(records: list[list[Any]], origin: str, encoding: str) -> PaymentsFile:
    rows: list[tuple[date, int]] = []
    columns: tuple[int, int] | None = None
    width = 2  # cells a row may have: the header's, or due and amount
    ignored: tuple[str, ...] = ()
    for line_no, record in enumerate(records, start=1):
        if line_no > MAX_ROWS:
            raise _too_many(
                origin,
                Text(f"more than {MAX_ROWS:,} rows, blank ones included", f"空行を含めて{MAX_ROWS:,}行を超えています"),
            )
        if _is_blank(record) or _fold(record[0]).startswith("#"):
            continue
        if columns is None:  # the first row that is not blank: a header, or the first payment
            header = _header(record)
            if header is not None:
                due_col, amount_col, ignored = header
                if due_col < 0:
                    raise _line_error(
                        origin,
                        line_no,
                        Text(
                            f"the header needs exactly one due-date column ({', '.join(DUE_HEADERS)}) and one amount "
                            f"column ({', '.join(AMOUNT_HEADERS)})",
                            f"見出し行には期日の列（{'、'.join(DUE_HEADERS)}）と金額の列（{'、'.join(AMOUNT_HEADERS)}）を"
                            "1つずつ置いてください",
                        ),
                    )
                columns, width = (due_col, amount_col), len(record)
                continue
            columns = (0, 1)
        cells = len(record) - next((i for i, c in enumerate(reversed(record)) if _fold(c)), 0)
        if cells > width or max(columns) >= cells:
            raise _line_error(
                origin,
                line_no,
                Text(
                    f"expected {width} columns as in the header, got {cells}"
                    if width > 2
                    else f"expected 2 columns (due, amount), got {cells}; for more columns, add a header row "
                    "naming the due-date and amount columns (期日,金額 or due,amount)",
                    f"{cells}列あります。見出し行と同じ{width}列にしてください"
                    if width > 2
                    else f"{cells}列あります。期日と金額の2列にしてください。列を増やす場合は見出し行"
                    "（期日,金額 または due,amount）を付けてください",
                ),
            )
        if len(rows) == MAX_PAYMENTS:
            raise _too_many(
                origin, Text(f"more than {MAX_PAYMENTS:,} payments", f"返済が{MAX_PAYMENTS:,}行を超えています")
            )
        due_col, amount_col = columns
        try:
            rows.append((_due(record[due_col]), _amount(record[amount_col])))
        except InputError as exc:
            raise _line_error(origin, line_no, exc.text) from None
    if not rows:
        raise InputError(
            f"{origin} has no payments (expected rows of due date and amount)",
            f"{origin} に返済の行がありません。期日と金額の行を1行以上書いてください",
            field="payments",
        )
    return PaymentsFile(tuple(rows), encoding, ignored)


def _due(cell: Any) -> date:
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


def _amount(cell: Any) -> int:
    if isinstance(cell, bool):
        raise InputError(
            f"{cell} is not an amount of yen", f"「{cell}」は金額ではありません。円単位の数値にしてください"
        )
    if isinstance(cell, float):  # Excel keeps every number as a double: whole yen are exact below 2**53
        if not cell.is_integer():
            raise InputError(
                f"{cell!r} is not a whole number of yen",
                f"「{cell}」は1円未満の端数を含みます。円単位の金額にしてください",
            )
        cell = int(cell)
    if isinstance(cell, int):
        return parse_yen(cell)
    text = str(cell or "").strip()
    if text.startswith("\\"):  # the yen sign as cp932 shows byte 0x5C
        text = "¥" + text[1:]
    return parse_yen(text)


def _too_many(origin: str, what: Text) -> InputError:
    return InputError(
        f"{origin}: too many rows: {what.en} (a repayment schedule has one row a payment)",
        f"{origin}：行が多すぎます：{what.ja}。返済計画は1回の返済を1行に、{MAX_PAYMENTS:,}行までで書いてください",
        field="payments",
    )


def _line_error(origin: str, line_no: int, what: Text) -> InputError:
    return InputError(f"{origin} line {line_no}: {what.en}", f"{origin} {line_no}行目：{what.ja}", field="payments")


__all__ = [
    "AMOUNT_HEADERS",
    "DUE_HEADERS",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "MAX_UNPACKED_BYTES",
    "PaymentsFile",
    "decode",
    "parse_payments_csv",
    "read_payments",
]
