"""The one reader of table files (CSV in Excel's encodings, .xlsx), as a caller other than
``--payments`` declares its columns: a company's projections by fiscal year (issue 20 item 2)."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from astep_calc.tabular import (
    Column,
    Layout,
    decode,
    fiscal_year_cell,
    header_key,
    read_table,
    signed_yen_cell,
    yen_cell,
)
from astep_calc.text import InputError, Text

#: Projections as SPEC §9 lays them out: a year, operating CF, and optional investing and
#: financing CF, signed, with a totals row checked for each flow.
PROJECTIONS = Layout(
    (
        Column("year", Text("fiscal-year", "年度"), ("年度", "fiscal year", "year", "FY"), fiscal_year_cell),
        Column(
            "operating",
            Text("operating", "営業CF"),
            ("営業CF", "営業キャッシュフロー", "operating"),
            signed_yen_cell,
            total=True,
        ),
        Column(
            "investing",
            Text("investing", "投資CF"),
            ("投資CF", "investing"),
            signed_yen_cell,
            total=True,
            required=False,
        ),
        Column(
            "financing",
            Text("financing", "財務CF"),
            ("財務CF", "financing"),
            signed_yen_cell,
            total=True,
            required=False,
        ),
    ),
    noun=Text("The projections file", "収支計画ファイル"),
    kept=Text("the fiscal year and the cash flows", "年度・キャッシュフロー"),
    row=Text("fiscal year", "年度"),
    max_rows=200,
    field="company",
)

# FY2027 to FY2030 as a 経理 writes them: cp932, Japanese headers, the yen sign as 0x5C,
# △ for negatives, a title and a unit line, a 合計 row.
#   operating: -240,000,000 - 180,000,000 - 60,000,000 + 120,000,000 = -360,000,000
#   financing: 500,000,000 (FY2028 only)
OFFICE = (
    "株式会社サンプルセンサー 事業計画\r\n"
    "（単位：円）\r\n"
    "年度,営業キャッシュフロー,投資CF,財務CF,備考\r\n"
    '令和9年度,"△240,000,000",,,\r\n'
    '令和10年度,"\\-180,000,000",,"\\500,000,000",シリーズB\r\n'
    "2029年度,-0.6億,,,\r\n"
    "FY2030,1億2000万,,,\r\n"
    '合計,"△360,000,000",0,"500,000,000",\r\n'
)


def values(raw: bytes, name: str = "c.csv") -> list[tuple[object, ...]]:
    return [r.values for r in read_table(raw, name, PROJECTIONS).records]


def test_projections_as_an_office_keeps_them() -> None:
    f = read_table(OFFICE.encode("cp932"), "c.csv", PROJECTIONS)
    assert [r.values for r in f.records] == [
        (2027, -240_000_000, None, None),
        (2028, -180_000_000, None, 500_000_000),
        (2029, -60_000_000, None, None),
        (2030, 120_000_000, None, None),
    ]
    assert [r.line for r in f.records] == [4, 5, 6, 7]
    assert f.encoding == "cp932 (Shift_JIS)" and f.ignored == ("備考",)
    assert f.titles == ((1, "株式会社サンプルセンサー 事業計画"), (2, "（単位：円）"))
    assert f.total_line == 8
    assert [a.ja for a in f.assumptions] == [
        "収支計画ファイルは cp932（Shift_JIS）として読み込み",
        "年度・キャッシュフロー以外の列（備考）は使わない",
        "見出し行の上の1行目「株式会社サンプルセンサー 事業計画」は表題とみなし、読み飛ばす",
        "見出し行の上の2行目「（単位：円）」は表題とみなし、読み飛ばす",
        "8行目の合計行は各行の合計と一致することを確かめ、行としては読まない",
    ]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16"])
def test_the_same_file_in_every_encoding(encoding: str) -> None:
    # U+00A5 or a backslash: in Unicode files the yen sign is itself; the backslash still reads as one.
    text = OFFICE.replace("\\", "¥") if encoding != "utf-8" else OFFICE
    assert values(text.encode(encoding)) == values(OFFICE.encode("cp932"))


def test_english_headers_in_any_order_and_fiscal_years_in_every_form() -> None:
    text = "Financing,Operating,Fiscal year\n5億,(1.2億),FY2027\n0,1200000,2028\n,▲1,平成31年度\n"
    assert values(text.encode()) == [
        (2027, -120_000_000, None, 500_000_000),
        (2028, 1_200_000, None, 0),
        (2019, -1, None, None),
    ]


def test_a_totals_row_off_in_one_column_names_it() -> None:
    bad = OFFICE.replace('"500,000,000",\r\n', '"500,000,001",\r\n')
    with pytest.raises(InputError) as info:
        read_table(bad.encode("cp932"), "c.csv", PROJECTIONS)
    assert info.value.text.en == (
        "c.csv line 8: the totals row (合計) says 500,000,001 for financing, but the rows above it add up to 500,000,000"
    )
    assert info.value.field == "company"


def test_a_header_is_required_when_the_layout_says_so() -> None:
    with pytest.raises(InputError) as info:
        read_table("2027,-1億\n".encode(), "c.csv", PROJECTIONS)
    assert info.value.text.en.startswith("c.csv line 1: no header row naming the fiscal-year column (年度, fiscal year")
    with pytest.raises(InputError, match=r"c\.csv line 1: no header row"):
        read_table("表題\n\n(単位: 円)\n".encode() + "表題\n".encode() * 6, "c.csv", PROJECTIONS)


def test_a_header_missing_a_required_column_or_naming_one_twice() -> None:
    for header in ("年度,投資CF", "年度,営業CF,operating"):
        with pytest.raises(InputError, match=r"c\.csv line 1: the header needs exactly one fiscal-year column"):
            read_table(f"{header}\n2027,1\n".encode(), "c.csv", PROJECTIONS)


@pytest.mark.parametrize(
    ("row", "needle"),
    [
        ("2027年,1", "'2027年' is not a fiscal year"),
        ("令和0年度,1", "not a fiscal year of 令和"),
        ("2027,1.5", "not a whole number of yen"),
        ("2027,-(1)", "'-(1)' is not an amount of yen"),
        ("2027,1,2,3,4", "expected 3 columns as in the header (年度, 営業CF, 投資CF), got 5"),
    ],
)
def test_each_bad_cell_names_its_line(row: str, needle: str) -> None:
    with pytest.raises(InputError) as info:
        read_table(f"年度,営業CF,投資CF\n{row}\n".encode(), "c.csv", PROJECTIONS)
    assert info.value.text.en.startswith("c.csv line 2: ") and needle in info.value.text.en, info.value.text.en


def test_a_workbook_holds_numbers_and_labels_as_excel_does() -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (
        ["事業計画（単位：円）"],
        [None],
        ["年度", "営業CF", "財務CF", None, None],
        [2027.0, -240_000_000.0, None],
        ["令和10年度", "△180,000,000", 500_000_000],
        ["計", -420_000_000, 500_000_000],
    ):
        sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    f = read_table(buf.getvalue(), "c.xlsx", PROJECTIONS)
    assert [r.values for r in f.records] == [(2027, -240_000_000, None, None), (2028, -180_000_000, None, 500_000_000)]
    assert f.encoding == "xlsx (first sheet)" and f.total_line == 6 and f.total_label == "計"


@given(
    st.lists(st.tuples(st.integers(-(10**12), 10**12), st.integers(-(10**12), 10**12)), min_size=1, max_size=10),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp932"]),
    st.sampled_from(["-{:,}", "△{:,}", "({:,})", "-{}円", "\\-{:,}", "▲{:,}"]),
)
def test_round_trip_signed_projections(rows: list[tuple[int, int]], encoding: str, negative: str) -> None:
    def cell(v: int) -> str:
        return '"' + (negative.format(-v) if v < 0 else f"{v:,}") + '"'

    lines = ["収支計画", "年度,営業CF,財務CF"]
    lines += [f"{2027 + i}年度,{cell(op)},{cell(fin)}" for i, (op, fin) in enumerate(rows)]
    lines.append(f"合計,{cell(sum(r[0] for r in rows))},{cell(sum(r[1] for r in rows))}")
    raw = ("\r\n".join(lines) + "\r\n").encode(encoding)
    assert values(raw) == [(2027 + i, op, None, fin) for i, (op, fin) in enumerate(rows)]


def test_cells_as_excel_holds_them() -> None:
    assert yen_cell("\\1,200,000") == yen_cell("¥1,200,000") == yen_cell("1,200,000円") == 1_200_000
    assert yen_cell(1.2e8) == 120_000_000
    assert signed_yen_cell("\\(1,200,000)") == -1_200_000
    assert fiscal_year_cell(2027.0) == fiscal_year_cell("２０２７年度") == 2027
    with pytest.raises(InputError):
        fiscal_year_cell(2027.5)
    with pytest.raises(InputError):
        yen_cell(True)
    assert header_key("　営業　ＣＦ ") == "営業 cf"


def test_a_file_in_no_encoding_names_the_encodings_tried() -> None:
    with pytest.raises(InputError) as info:
        decode(b"\x81\x20\x82\xff", "c.csv", field="company")
    assert "UTF-8, UTF-16 (with BOM), cp932 (Shift_JIS)" in info.value.text.en and info.value.field == "company"
    with pytest.raises(InputError, match="not text in any of"):
        decode(b"\xff\xfe\x00", "c.csv")  # a UTF-16 BOM and an odd byte
