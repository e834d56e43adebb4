"""A company's projections as an office keeps them (SPEC §9): ``astep plan --company FILE``.

The projections a plan's ``[company.flows]`` gives may come from a table file instead,
one row per fiscal year, read by :mod:`astep_calc.tabular`, the one reader of table files:
CSV in UTF-8 (with or without a BOM), UTF-16 with a BOM or cp932 (Shift_JIS), or an
``.xlsx`` workbook (its first sheet). The header row names the columns, in Japanese or
English (:data:`YEAR_HEADERS`, :data:`OPERATING_HEADERS`, :data:`INVESTING_HEADERS`,
:data:`FINANCING_HEADERS`; investing and financing may be left out, and a blank cell is
0); a title line above it is skipped; a 合計 / 計 row is checked against the sum of each
column. Fiscal years are written 2027, 2027年度, 令和9年度 or FY2027; amounts as Excel
writes them (``"\\1,200,000"``, ``1,200,000円``, ``-1.2億``, ``△1,200,000``,
``(1,200,000)``). The years must follow one another, each once.

>>> text = "収支計画（単位：円）\\n年度,営業CF,財務CF\\n令和9年度,△240000000,\\n2028年度,-1.8億,5億\\n合計,-420000000,500000000\\n"
>>> f = read_projections(text.encode("cp932"), "c.csv")
>>> [(p.fiscal_year, p.operating, p.financing) for p in f.projections]
[(2027, -240000000, 0), (2028, -180000000, 500000000)]
>>> f.encoding
'cp932 (Shift_JIS)'
"""

from __future__ import annotations

from dataclasses import dataclass

from astep_calc.company import Projection
from astep_calc.dates import FIRST_YEAR, LAST_YEAR, fiscal_year_label
from astep_calc.tabular import Column, Layout, TableFile, fiscal_year_cell, read_table, signed_yen_cell
from astep_calc.text import InputError, Text

#: Header names of each column (compared after NFKC folding, case and spaces aside).
YEAR_HEADERS = ("年度", "事業年度", "会計年度", "fiscal year", "year", "fy")
OPERATING_HEADERS = (
    "営業CF",
    "営業キャッシュフロー",
    "営業活動によるキャッシュフロー",
    "営業活動によるキャッシュ・フロー",
    "operating",
    "operating cf",
    "operating cash flow",
)
INVESTING_HEADERS = (
    "投資CF",
    "投資キャッシュフロー",
    "投資活動によるキャッシュフロー",
    "投資活動によるキャッシュ・フロー",
    "investing",
    "investing cf",
    "investing cash flow",
)
FINANCING_HEADERS = (
    "財務CF",
    "財務キャッシュフロー",
    "財務活動によるキャッシュフロー",
    "財務活動によるキャッシュ・フロー",
    "financing",
    "financing cf",
    "financing cash flow",
)

#: What a projections file holds, for the table reader: at most one row per fiscal year
#: the tool plans for.
LAYOUT = Layout(
    (
        Column("fiscal_year", Text("fiscal year", "年度"), YEAR_HEADERS, fiscal_year_cell),
        Column("operating", Text("operating", "営業CF"), OPERATING_HEADERS, signed_yen_cell, total=True),
        Column(
            "investing", Text("investing", "投資CF"), INVESTING_HEADERS, signed_yen_cell, total=True, required=False
        ),
        Column(
            "financing", Text("financing", "財務CF"), FINANCING_HEADERS, signed_yen_cell, total=True, required=False
        ),
    ),
    noun=Text("The projections file", "収支見込みファイル"),
    kept=Text("the fiscal year and the cash flows", "年度・キャッシュフロー"),
    row=Text("fiscal year", "年度"),
    max_rows=LAST_YEAR - FIRST_YEAR,
    field="company",
)


@dataclass(frozen=True)
class ProjectionsFile:
    """The projections of a file, in year order, and how it was read (for the assumptions)."""

    projections: tuple[Projection, ...]
    file: TableFile

    @property
    def encoding(self) -> str:
        return self.file.encoding

    @property
    def assumptions(self) -> tuple[Text, ...]:
        return self.file.assumptions


def read_projections(raw: bytes, origin: str) -> ProjectionsFile:
    """Read a projections file's bytes (see the module docstring). Every error names the
    file and, for a row, its line.

    >>> read_projections("年度,営業CF\\n2027,1\\n2029,1\\n".encode(), "c.csv")
    Traceback (most recent call last):
    ...
    astep_calc.text.InputError: c.csv line 3: FY2028 is missing between FY2027 (line 2) and FY2029: the projections must cover every fiscal year in between
    """
    file = read_table(raw, origin, LAYOUT)
    rows = sorted(file.records, key=lambda r: r.values[0])
    out: list[Projection] = []
    for before, record in zip([None, *rows], rows, strict=False):
        year = record.values[0]
        if before is not None:
            last = before.values[0]
            if year == last:
                label = fiscal_year_label(year)
                raise InputError(
                    f"{origin} line {record.line}: {label.en} is given twice (line {before.line} too)",
                    f"{origin} {record.line}行目：{label.ja}が2回あります（{before.line}行目にも）",
                    field=LAYOUT.field,
                )
            if year != last + 1:
                gap, x, y = (fiscal_year_label(n) for n in (last + 1, last, year))
                raise InputError(
                    f"{origin} line {record.line}: {gap.en} is missing between {x.en} (line {before.line}) and "
                    f"{y.en}: the projections must cover every fiscal year in between",
                    f"{origin} {record.line}行目：{x.ja}（{before.line}行目）と{y.ja}の間の{gap.ja}がありません。"
                    "間のすべての年度を書いてください",
                    field=LAYOUT.field,
                )
        _, operating, investing, financing = record.values
        try:
            out.append(Projection(year, operating, investing or 0, financing or 0))
        except InputError as exc:
            raise InputError(
                f"{origin} line {record.line}: {exc.text.en}", f"{origin} {record.line}行目：{exc.text.ja}"
            ) from None
    return ProjectionsFile(tuple(out), file)


__all__ = [
    "FINANCING_HEADERS",
    "INVESTING_HEADERS",
    "LAYOUT",
    "OPERATING_HEADERS",
    "YEAR_HEADERS",
    "ProjectionsFile",
    "read_projections",
]
