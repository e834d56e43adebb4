"""Payment files as a Japanese office saves them (SPEC §2): the ``--payments`` schedule.

A custom repayment schedule is a list of (due date, amount) rows. People keep it in
Excel, so the file is read by :mod:`astep_calc.tabular`, the one reader of table files:

- CSV in UTF-8 (with or without a BOM), UTF-16 with a BOM, or cp932 (Shift_JIS, what
  Japanese Excel writes for "CSV (コンマ区切り)") — detected in that order, and the
  encoding found is reported as an assumption;
- an ``.xlsx`` workbook (its first sheet; numbers and dates as Excel holds them).

A header row is optional. Japanese or English headers name the two columns
(:data:`DUE_HEADERS`, :data:`AMOUNT_HEADERS`); other columns (No, 備考) are ignored and
named in a note; a title line above the header is skipped with a note; a 合計 / 計 row
is checked against the sum of the payments. Without a header the file has exactly two
columns, due then amount. Amounts take the money syntax of
:func:`astep_calc.money.parse_yen`, plus the yen sign as cp932 shows it (a backslash,
byte 0x5C: Excel's ``\\100,000,000``). Dates take every form
:func:`astep_calc.dates.parse_date` reads.

>>> f = read_payments("期日,金額,備考\\n2032-09-30,\\"\\\\100,000,000\\",初回\\n".encode("cp932"), "p.csv")
>>> f.rows, f.encoding, f.ignored
(((datetime.date(2032, 9, 30), 100000000),), 'cp932 (Shift_JIS)', ('備考',))
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from astep_calc.reader import MAX_PAYMENTS
from astep_calc.tabular import (
    MAX_COLUMNS,
    MAX_UNPACKED_BYTES,
    TRIED,
    Column,
    Layout,
    TableFile,
    csv_cells,
    date_cell,
    read_table,
    table_rows,
    yen_cell,
)
from astep_calc.tabular import decode as decode_table
from astep_calc.text import Text

#: Header names of the due-date column (compared after NFKC folding, case-insensitively).
DUE_HEADERS = ("期日", "返済日", "返済期日", "支払日", "due", "date", "due date")
#: Header names of the amount column.
AMOUNT_HEADERS = ("金額", "返済額", "返済金額", "amount")

#: The most rows read from a file, blank and comment rows included: reading stops there,
#: so a workbook of a million rows is refused without being read whole.
MAX_ROWS = 2 * MAX_PAYMENTS

#: What a payments file holds, for the table reader.
LAYOUT = Layout(
    (
        Column("due", Text("due", "期日"), DUE_HEADERS, date_cell),
        Column("amount", Text("amount", "金額"), AMOUNT_HEADERS, yen_cell, total=True),
    ),
    noun=Text("The payments file", "返済計画ファイル"),
    kept=Text("the due date and the amount", "期日・金額"),
    row=Text("payment", "返済"),
    max_rows=MAX_PAYMENTS,
    field="payments",
    headerless=True,
)


@dataclass(frozen=True)
class PaymentsFile:
    """The rows of a payments file, and how it was read (for the assumptions)."""

    rows: tuple[tuple[date, int], ...]
    file: TableFile

    @property
    def encoding(self) -> str:
        return self.file.encoding

    @property
    def ignored(self) -> tuple[str, ...]:
        return self.file.ignored

    @property
    def assumptions(self) -> tuple[Text, ...]:
        """How the file was read, in words.

        >>> read_payments("No,期日,金額\\n1,2032-09-30,1億\\n".encode("cp932"), "p.csv").assumptions[0].en
        'The payments file was read as cp932 (Shift_JIS)'
        """
        return self.file.assumptions


def read_payments(raw: bytes, origin: str) -> PaymentsFile:
    """Read a payments file's bytes: an ``.xlsx`` workbook, or CSV in a detected encoding.

    A workbook is known by its bytes (a zip) or by its name: a file named ``.xlsx`` that
    is not a workbook says so, rather than being read as CSV. An old binary ``.xls``
    workbook is refused with how to save it.

    >>> read_payments(b"hello\\n", "p.xlsx")
    Traceback (most recent call last):
    ...
    astep_calc.text.InputError: p.xlsx: not a readable workbook: not a zip archive, as an .xlsx file is; save it again from Excel as .xlsx, or as CSV
    """
    return _payments(read_table(raw, origin, LAYOUT))


def parse_payments_csv(text: str, origin: str = "payments") -> list[tuple[date, int]]:
    """The (due, amount) rows of CSV text already decoded; see :func:`read_payments`.

    >>> parse_payments_csv("due,amount\\n2032-03-31,5000万\\n2033-03-31,50000000\\n")
    [(datetime.date(2032, 3, 31), 50000000), (datetime.date(2033, 3, 31), 50000000)]
    """
    cells = csv_cells(text, origin, limit=MAX_ROWS, field=LAYOUT.field)
    return list(_payments(table_rows(cells, origin, LAYOUT, "text")).rows)


def decode(raw: bytes, origin: str) -> tuple[str, str]:
    """The text of a CSV payments file and its encoding's name (:func:`astep_calc.tabular.decode`).

    >>> decode("期日".encode("cp932"), "p.csv")
    ('期日', 'cp932 (Shift_JIS)')
    """
    return decode_table(raw, origin, field=LAYOUT.field)


def _payments(file: TableFile) -> PaymentsFile:
    return PaymentsFile(tuple((r.values[0], r.values[1]) for r in file.records), file)


__all__ = [
    "AMOUNT_HEADERS",
    "DUE_HEADERS",
    "LAYOUT",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "MAX_UNPACKED_BYTES",
    "TRIED",
    "PaymentsFile",
    "decode",
    "parse_payments_csv",
    "read_payments",
]
