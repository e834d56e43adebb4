"""Payment files as a Japanese office saves them: encodings, headers, extra columns, xlsx."""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from astep_calc.payments_file import decode, read_payments
from astep_calc.text import InputError

ROWS = ((date(2032, 9, 30), 100_000_000), (date(2033, 9, 30), 200_000_000))


@pytest.mark.parametrize(
    ("encoding", "name"),
    [("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8 (BOM)"), ("utf-16", "UTF-16"), ("cp932", "cp932 (Shift_JIS)")],
)
def test_each_encoding_excel_writes_is_detected_and_named(encoding: str, name: str) -> None:
    text = "期日,金額\r\n2032-09-30,1億\r\n2033-09-30,2億\r\n"
    f = read_payments(text.encode(encoding), "p.csv")
    assert f.rows == ROWS
    assert f.encoding == name
    assert name in f.assumptions[0].en
    # Japanese prose takes full-width brackets: cp932（Shift_JIS）
    assert name.replace(" (", "（").replace(")", "）") in f.assumptions[0].ja


def test_cp932_yen_sign_quoted_amounts_and_ignored_columns() -> None:
    # As Japanese Excel saves a yen-formatted cell: "\100,000,000" (0x5C is ¥ in cp932).
    raw = 'No,期日,金額,備考\r\n1,2032-09-30,"\\100,000,000",初回\r\n2,2033-09-30,"\\200,000,000",\r\n'.encode("cp932")
    assert raw.count(b"\\") == 2  # the yen sign really is byte 0x5C
    f = read_payments(raw, "p.csv")
    assert f.rows == ROWS
    assert f.ignored == ("No", "備考")
    assert "No、備考" in f.assumptions[1].ja


@pytest.mark.parametrize(
    "header", ["due,amount", "Date,Amount", "返済日,返済額", "支払日,返済金額", "ＤＵＥ,ＡＭＯＵＮＴ"]
)
def test_japanese_or_english_headers(header: str) -> None:
    assert read_payments(f"{header}\n2032-09-30,1億\n2033-09-30,2億\n".encode(), "p.csv").rows == ROWS


def test_columns_in_any_order_when_the_header_names_them() -> None:
    assert read_payments("金額,期日\n1億,2032-09-30\n2億,2033-09-30\n".encode(), "p.csv").rows == ROWS


def test_no_header_means_due_then_amount() -> None:
    assert read_payments(b"2032-09-30,100000000\n2033-09-30,200000000\n", "p.csv").rows == ROWS


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ("期日,期日,金額\n2032-09-30,2032-09-30,1億\n", "exactly one"),  # two due-date columns
        ("期日,備考\n2032-09-30,x\n", "exactly one"),  # no amount column
        ("2032-09-30,1億,初回\n", "add a header row"),  # extra column without a header
        ("期日,金額\n2032-09-30,1億,extra\n", "2 columns"),  # more cells than the header
        ("No,期日,金額\n1,2032-09-30\n", "3 columns"),  # fewer cells than the header needs
    ],
)
def test_layout_errors_name_the_line(body: str, needle: str) -> None:
    with pytest.raises(InputError) as info:
        read_payments(body.encode(), "p.csv")
    assert needle in info.value.message("en")
    assert "p.csv line" in info.value.message("en") and "行目" in info.value.message("ja")


def test_bytes_in_no_encoding_name_the_encodings_tried_and_how_to_save() -> None:
    with pytest.raises(InputError) as info:
        read_payments(b"\x81\x20\x82\xff,1\n", "p.csv")  # a cp932 lead byte with no valid trail byte
    en, ja = info.value.message("en"), info.value.message("ja")
    assert "UTF-8" in en and "cp932" in en and "UTF-16" in en and "CSV UTF-8" in en
    assert "CSV UTF-8（コンマ区切り）" in ja


def test_decode_prefers_utf8_over_cp932() -> None:
    # "期日" in UTF-8 is not valid cp932 either way round, but plain ASCII is both: UTF-8 wins.
    assert decode(b"due,amount\n", "p.csv") == ("due,amount\n", "UTF-8")


def _xlsx(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def test_xlsx_first_sheet_with_dates_and_numbers_as_excel_holds_them() -> None:
    raw = _xlsx(
        [["No", "期日", "金額"], [1, datetime(2032, 9, 30), 100_000_000.0], [2, date(2033, 9, 30), 200_000_000]]
    )
    f = read_payments(raw, "p.xlsx")
    assert f.rows == ROWS
    assert f.encoding == "xlsx (first sheet)" and f.ignored == ("No",)


def _with_dimension(raw: bytes, ref: str) -> bytes:
    """The workbook ``raw`` with its first sheet's ``<dimension>`` tag rewritten to ``ref``."""
    import re
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, n = re.subn(rb'<dimension ref="[^"]*"/>', f'<dimension ref="{ref}"/>'.encode(), data)
                assert n == 1
            dst.writestr(item, data)
    return out.getvalue()


def test_xlsx_rows_past_a_stale_dimension_tag_are_read() -> None:
    # Writers other than Excel leave <dimension ref="A1:D2"/> over more rows; read-only openpyxl
    # trusted it and dropped the second payment (200,000,000 yen) without a word.
    raw = _with_dimension(
        _xlsx([["期日", "金額"], [datetime(2032, 9, 30), 100_000_000], [datetime(2033, 9, 30), 200_000_000]]), "A1:B2"
    )
    assert read_payments(raw, "p.xlsx").rows == ROWS


@pytest.mark.parametrize(
    ("cell", "needle"),
    [(1.5, "whole number of yen"), (True, "not an amount"), (-5, "more than 0"), ("abc", "abc")],
)
def test_xlsx_bad_amount_cells(cell: object, needle: str) -> None:
    with pytest.raises(InputError, match=r"p\.xlsx line 2") as info:
        read_payments(_xlsx([["期日", "金額"], [datetime(2032, 9, 30), cell]]), "p.xlsx")
    assert needle in info.value.message("en") or needle == "more than 0"


def test_xlsx_date_with_a_time_is_refused() -> None:
    with pytest.raises(InputError, match="time of day"):
        read_payments(_xlsx([["期日", "金額"], [datetime(2032, 9, 30, 12, 0), 1]]), "p.xlsx")


def test_a_broken_xlsx_is_an_input_error() -> None:
    with pytest.raises(InputError, match=r"^p\.xlsx: not a readable workbook: its zip archive is damaged"):
        read_payments(b"PK\x03\x04" + b"\0" * 64, "p.xlsx")


@pytest.mark.parametrize("name", ["x.xlsx", "x.XLSX"])
def test_a_file_named_xlsx_that_is_no_workbook_says_so(name: str) -> None:
    # Read as CSV it would say "expected 2 columns": the name promised a workbook.
    with pytest.raises(InputError, match=r"x\.xlsx: not a readable workbook: not a zip archive") as info:
        read_payments(b"hello\n", name.lower())
    assert (
        "save it again from Excel as .xlsx" in info.value.text.en
        and ".xlsx または CSV として保存" in info.value.text.ja
    )
    with pytest.raises(InputError, match=r"not a readable workbook"):
        read_payments("期日,金額\n2032-09-30,3億\n".encode(), name)  # a CSV misnamed: not guessed at


def test_an_old_xls_workbook_says_how_to_save_it() -> None:
    with pytest.raises(InputError, match=r"p\.xls: cannot be read: an old Excel 97-2003 workbook"):
        read_payments(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504, "p.xls")


def test_repay_with_a_text_file_named_xlsx(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "x.xlsx"
    path.write_text("hello\n", encoding="utf-8")
    cli("repay", "--amount", "3億", "--dev-end", "2029-09-30", "--payments", str(path), "--lang", "en").expect(
        2, [f"--payments {path}: not a readable workbook: not a zip archive"]
    )


@given(
    st.lists(
        st.tuples(st.dates(date(1990, 1, 1), date(2190, 12, 31)), st.integers(1, 10**12)), min_size=1, max_size=12
    ),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp932"]),
    st.sampled_from(["期日,金額,備考", "due,amount", None]),
)
def test_round_trip_any_rows_any_encoding_any_header(
    rows: list[tuple[date, int]], encoding: str, header: str | None
) -> None:
    extra = header is not None and header.count(",") == 2
    lines = ([header] if header else []) + [f'{d.isoformat()},"{a:,}"' + (",メモ" if extra else "") for d, a in rows]
    assert list(read_payments(("\r\n".join(lines) + "\r\n").encode(encoding), "p.csv").rows) == rows


# --------------------------------------------------------------------------- the command line


@pytest.mark.slow
def test_repay_takes_a_cp932_file_as_japanese_excel_saves_it(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "返済計画.csv"
    # Issue 13's case: Japanese headers, Excel's own date form (2032/9/30), the yen sign as cp932 has it.
    path.write_bytes(
        '期日,金額,備考\r\n2032/9/30,"\\100,000,000",初回\r\n2033/9/30,"\\200,000,000",\r\n'.encode("cp932")
    )
    result = cli("repay", "--amount", "3億", "--dev-end", "2029-09-30", "--payments", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    obj = json.loads(result.stdout)
    assert [(p["due"], p["amount"]) for p in obj["payments"]] == [
        ("2032-09-30", 100_000_000),
        ("2033-09-30", 200_000_000),
    ]
    assert any("cp932" in a for a in obj["assumptions"])
    assert any("備考" in a for a in obj["assumptions"])


def test_repay_takes_an_xlsx_payments_file(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "plan.xlsx"
    path.write_bytes(_xlsx([["期日", "金額"], [datetime(2032, 9, 30), 300_000_000]]))
    result = cli("repay", "--amount", "3億", "--dev-end", "2029-09-30", "--payments", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    obj = json.loads(result.stdout)
    assert [(p["due"], p["amount"]) for p in obj["payments"]] == [("2032-09-30", 300_000_000)]
    assert any("xlsx" in a for a in obj["assumptions"])


# --------------------------------------------------------------------------- bounded work


def test_more_payments_than_the_bound_is_refused_naming_file_and_limit() -> None:
    from astep_calc.reader import MAX_PAYMENTS

    # 300,000 rows fit in the 4 MiB byte cap and took 11.6 s and 735 MB to read and lay out.
    line = "2032-09-30,1\n"
    assert len(read_payments((line * MAX_PAYMENTS).encode(), "p.csv").rows) == MAX_PAYMENTS
    with pytest.raises(InputError) as info:
        read_payments(("期日,金額\n" + line * (MAX_PAYMENTS + 1)).encode(), "p.csv")
    assert info.value.text.en == "p.csv: too many rows: more than 10,000 payments (one row a payment, at most 10,000)"
    assert "10,000行" in info.value.text.ja


def _sheet_xml(rows: bytes) -> bytes:
    return (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + rows
        + b"</sheetData></worksheet>"
    )


def _with_sheet(raw: bytes, xml: bytes) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            dst.writestr(item.filename, xml if item.filename == "xl/worksheets/sheet1.xml" else src.read(item))
    return out.getvalue()


def test_a_million_row_workbook_is_refused_without_reading_it_whole() -> None:
    from astep_calc.payments_file import MAX_ROWS
    from astep_calc.tabular import workbook_cells

    # One cell in row 1,000,000: openpyxl yields the 999,999 rows before it, each padded.
    raw = _with_sheet(_xlsx([["x"]]), _sheet_xml(b'<row r="1000000"><c r="A1000000"><v>1</v></c></row>'))
    assert len(workbook_cells(raw, "p.xlsx", limit=MAX_ROWS)) == MAX_ROWS + 1  # reading stopped just past the bound
    with pytest.raises(InputError, match=r"p\.xlsx: too many rows: more than 20,000 rows, blank ones included"):
        read_payments(raw, "p.xlsx")


def test_a_workbook_row_is_read_only_as_wide_as_a_payments_sheet_needs() -> None:
    from astep_calc.tabular import MAX_COLUMNS, workbook_cells

    # A value in column XFD made openpyxl pad every row to 16,384 cells.
    raw = _with_sheet(
        _xlsx([["x"]]),
        _sheet_xml(
            b'<row r="1"><c r="A1" t="inlineStr"><is><t>2032-09-30</t></is>'
            b'</c><c r="B1"><v>5</v></c><c r="XFD1"><v>1</v></c></row>'
        ),
    )
    # Read as MAX_COLUMNS cells (XFD1 is past them), the blank ones at the end dropped.
    assert MAX_COLUMNS < 16_384
    assert workbook_cells(raw, "p.xlsx", limit=10) == [["2032-09-30", 5]]
    assert read_payments(raw, "p.xlsx").rows == ((date(2032, 9, 30), 5),)


def test_a_workbook_that_unpacks_too_large_is_refused_before_parsing() -> None:
    from astep_calc.payments_file import MAX_UNPACKED_BYTES

    # Repeated XML packs a thousandfold: under the byte cap, minutes of parsing.
    filler = b"<row/>" * (MAX_UNPACKED_BYTES // 6 + 1)
    raw = _with_sheet(_xlsx([["x"]]), _sheet_xml(filler))
    assert len(raw) < 1_000_000
    with pytest.raises(
        InputError,
        match=r"p\.xlsx: not a readable workbook: too large when unpacked \(more than 8,388,608 bytes\)",
    ) as info:
        read_payments(raw, "p.xlsx")
    assert "展開すると大きすぎます" in info.value.text.ja


def test_repay_refuses_a_long_payments_file_in_one_line(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "many.csv"
    path.write_text("2032-09-30,1\n" * 10_001, encoding="utf-8")
    cli("repay", "--amount", "10001", "--dev-end", "2029-09-30", "--payments", str(path), "--lang", "en").expect(
        2, [f"--payments {path}: too many rows: more than 10,000 payments"]
    )


# --------------------------------------------------------------------------- offices' own layout (issue 22 item 5)


def test_a_title_line_above_the_header_is_skipped_with_a_note() -> None:
    text = '返済計画表（2026年12月版）,,\r\n\r\n期日,金額,備考\r\n2032/9/30,"\\100,000,000",初回\r\n2033/9/30,2億,\r\n'
    f = read_payments(text.encode("cp932"), "p.csv")
    assert f.rows == ROWS
    assert f.file.titles == ((1, "返済計画表（2026年12月版）"),)
    assert [a.ja for a in f.assumptions][
        2
    ] == "見出し行の上の1行目「返済計画表（2026年12月版）」は表題とみなし、読み飛ばす"


def test_a_row_of_data_is_never_taken_for_a_title() -> None:
    # A payment above a header is a payment: the header below it is the error, on its line.
    with pytest.raises(InputError, match=r"p\.csv line 2: 'due' is not a date"):
        read_payments(b"2032-09-30,1\ndue,amount\n2033-09-30,2\n", "p.csv")


@pytest.mark.parametrize("label", ["合計", "計", "合　計", "Total", "総計"])
def test_a_totals_row_that_matches_is_checked_and_not_read_as_a_payment(label: str) -> None:
    # 100,000,000 + 200,000,000 = 300,000,000
    text = f'期日,金額\r\n2032-09-30,"\\100,000,000"\r\n2033-09-30,"\\200,000,000"\r\n{label},"\\300,000,000"\r\n\r\n'
    f = read_payments(text.encode("cp932"), "p.csv")
    assert f.rows == ROWS
    assert f.file.total_line == 4 and f.file.total_label == label
    assert f"The totals row ({label}, line 4) matches the sum of the rows above it" in f.assumptions[-1].en


def test_a_totals_row_in_another_column_and_a_formula_left_blank() -> None:
    # 合計 in the No column with the date left empty; a totals row with no figure checks nothing.
    text = "No,期日,金額\n1,2032-09-30,1億\n2,2033-09-30,2億\n合計,,3億\n"
    assert read_payments(text.encode(), "p.csv").rows == ROWS
    assert read_payments(b"due,amount\n2032-09-30,1\n\xe5\x90\x88\xe8\xa8\x88,\n", "p.csv").rows == (
        (date(2032, 9, 30), 1),
    )


def test_a_totals_row_that_does_not_match_names_the_row_and_both_figures() -> None:
    text = '期日,金額\r\n2032-09-30,"\\100,000,000"\r\n2033-09-30,"\\200,000,000"\r\n合計,"\\299,999,999"\r\n'
    with pytest.raises(InputError) as info:
        read_payments(text.encode("cp932"), "p.csv")
    assert info.value.text.en == (
        "p.csv line 4: the totals row (合計) says 299,999,999 for amount, but the rows above it add up to 300,000,000"
    )
    assert info.value.text.ja == (
        "p.csv 4行目：合計行の金額は299,999,999ですが、各行を合計すると300,000,000です。どちらかを直してください"
    )


def test_nothing_but_blank_rows_may_follow_the_totals_row() -> None:
    with pytest.raises(InputError, match=r"p\.csv line 4: a row after the totals row \(line 3\)"):
        read_payments("期日,金額\n2032-09-30,1\n計,1\n2033-09-30,2\n".encode(), "p.csv")


def test_a_workbook_with_a_title_a_total_and_the_column_count_named_from_its_header() -> None:
    raw = _xlsx(
        [
            ["返済計画"],
            [],
            ["期日", "金額", "備考"],
            [datetime(2032, 9, 30), 100_000_000, "初回"],
            [datetime(2033, 9, 30), 200_000_000],
            ["合計", 300_000_000],
        ]
    )
    f = read_payments(raw, "p.xlsx")
    assert f.rows == ROWS and f.file.titles == ((1, "返済計画"),) and f.file.total_line == 6
    wide = _xlsx([["期日", "金額"], [datetime(2032, 9, 30), 1, None, "x"]])
    with pytest.raises(InputError) as info:
        read_payments(wide, "p.xlsx")
    # It said "expected 50 columns": openpyxl pads every row to the columns read.
    assert info.value.text.en == "p.xlsx line 2: expected 2 columns as in the header (期日, 金額), got 4"
    assert info.value.text.ja == "p.xlsx 2行目：4列あります。見出し行（期日、金額）と同じ2列にしてください"


@given(
    st.lists(st.tuples(st.dates(date(1990, 1, 1), date(2190, 12, 31)), st.integers(1, 10**12)), min_size=1, max_size=8),
    st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp932"]),
    st.sampled_from(["", "返済計画表\r\n", "株式会社サンプル,返済計画\r\n（単位：円）\r\n\r\n"]),
    st.integers(-1, 1),
)
def test_round_trip_with_a_title_and_a_totals_row(
    rows: list[tuple[date, int]], encoding: str, title: str, off_by: int
) -> None:
    total = sum(a for _, a in rows) + off_by
    body = "".join(f'{d:%Y/%m/%d},"\\{a:,}"\r\n' for d, a in rows)
    raw = (title + "期日,金額\r\n" + body + f'合計,"\\{total:,}"\r\n').encode(encoding)
    if off_by:
        with pytest.raises(InputError, match="the totals row"):
            read_payments(raw, "p.csv")
    else:
        assert list(read_payments(raw, "p.csv").rows) == rows


def test_repay_with_an_office_payments_file(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "返済計画.csv"
    path.write_bytes(
        '返済計画表\r\n期日,金額\r\n2032/9/30,"\\100,000,000"\r\n2033/9/30,"\\200,000,000"\r\n合計,"\\300,000,000"\r\n'.encode(
            "cp932"
        )
    )
    obj = (
        cli("repay", "--amount", "3億", "--dev-end", "2029-09-30", "--payments", str(path), "--format", "json")
        .expect(0)
        .json()
    )
    assert [(p["due"], p["amount"]) for p in obj["payments"]] == [
        ("2032-09-30", 100_000_000),
        ("2033-09-30", 200_000_000),
    ]
    assert any("title" in a for a in obj["assumptions"]) and any("totals row" in a for a in obj["assumptions"])
    path.write_bytes(path.read_bytes().replace(b"300,000,000", b"300,000,001"))
    cli("repay", "--amount", "3億", "--dev-end", "2029-09-30", "--payments", str(path), "--lang", "ja").expect(
        2, ["5行目", "合計行の金額は300,000,001ですが、各行を合計すると300,000,000です"]
    )
