"""The format from ``--output``'s extension, and the options shared by every format (SPEC §6)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

Cli = Callable[..., Result]

BUDGET = ("budget", "--menu", "stage1", "--start", "2026-10-01", "--months", "30", "--lang", "en")


def one_error_line(result: Any, *needles: str) -> str:
    """Exit 2, nothing on stdout, one 'astep: error:' line containing every needle (conftest's expect)."""
    return str(result.expect(2, needles).stderr.rstrip("\n"))


# --------------------------------------------------------------------------- format from the file name


@pytest.mark.parametrize("name", ["r.json", "R.JSON"])
def test_json_extension_writes_json(cli: Cli, tmp_path: Path, name: str) -> None:
    assert cli(*BUDGET, "-o", str(tmp_path / name)).exit_code == 0
    assert json.loads((tmp_path / name).read_text("utf-8"))["total_cap"] == 37_500_000


def test_csv_extension_writes_csv(cli: Cli, tmp_path: Path) -> None:
    assert cli(*BUDGET, "-o", str(tmp_path / "r.csv")).exit_code == 0
    rows = list(csv.DictReader(io.StringIO((tmp_path / "r.csv").read_text("utf-8"))))
    assert rows[0]["cap"] == "7500000"


def test_xlsx_extension_writes_a_workbook(cli: Cli, tmp_path: Path) -> None:
    assert cli(*BUDGET, "-o", str(tmp_path / "r.xlsx")).exit_code == 0
    assert (tmp_path / "r.xlsx").read_bytes()[:4] == b"PK\x03\x04"  # a zip, as .xlsx is


@pytest.mark.parametrize("name", ["r.txt", "r.out", "report"])
def test_txt_or_unknown_extension_writes_the_table(cli: Cli, tmp_path: Path, name: str) -> None:
    assert cli(*BUDGET, "-o", str(tmp_path / name)).exit_code == 0
    text = (tmp_path / name).read_text("utf-8")
    assert "37,500,000" in text and "Total" in text


@pytest.mark.parametrize(
    ("fmt", "name"),
    [
        ("table", "x.xlsx"),
        ("csv", "x.json"),
        ("json", "x.csv"),
        ("xlsx", "x.txt"),
        ("json", "x.xlsx"),
        ("csv", "x.TXT"),
    ],
)
def test_a_format_that_contradicts_the_extension_is_exit_2(cli: Cli, tmp_path: Path, fmt: str, name: str) -> None:
    one_error_line(cli(*BUDGET, "--format", fmt, "-o", str(tmp_path / name)), "contradicts", f"'{fmt}'", name)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("fmt", "name"), [("json", "x.json"), ("table", "x.txt"), ("csv", "x.dat")])
def test_a_format_that_agrees_is_fine(cli: Cli, tmp_path: Path, fmt: str, name: str) -> None:
    assert cli(*BUDGET, "--format", fmt, "-o", str(tmp_path / name)).exit_code == 0


def test_the_default_without_output_is_the_table(cli: Cli) -> None:
    assert "37,500,000" in cli(*BUDGET).stdout


def test_xlsx_to_standard_output_is_refused(cli: Cli) -> None:
    one_error_line(cli(*BUDGET, "--format", "xlsx", "-o", "-"), "--output")


def test_xml_asks_for_junit_which_only_check_takes(cli: Cli, tmp_path: Path) -> None:
    one_error_line(cli(*BUDGET, "-o", str(tmp_path / "r.xml")), "junit", "astep check", "r.xml")
    one_error_line(cli(*BUDGET, "--format", "github"), "github", "astep check")


# --------------------------------------------------------------------------- CSV's header

#: A run of every command that writes CSV, with a business-day move so that the optional
#: columns (the scheduled date) are there too.
CSV_RUNS = [
    ("rules",),
    ("budget", "--menu", "stage1", "--start", "2026-10-15", "--months", "30", "--proration", "day"),
    ("collateral", "--amount", "3億"),
    ("disburse", "--amount", "3億", "--start", "2026-10-01", "--months", "36", "--business-day", "following"),
    ("repay", "--amount", "3億", "--dev-end", "2029-09-30", "--business-day", "following"),
    ("scenarios", "--amount", "3億", "--dev-end", "2029-09-30", "--business-day", "following"),
    ("plan", "examples/roadmap-spinout.toml"),
    ("check", "examples/stage1-invalid.toml"),
]


@pytest.mark.parametrize("args", CSV_RUNS, ids=lambda a: a[0])
def test_csv_header_is_the_keys_in_english_and_the_labels_in_japanese(cli: Cli, args: tuple[str, ...]) -> None:
    # issue 22 item 3: Japanese CSV headers (期日, 累計, 未返済残高...), one label per meaning;
    # English keeps the stable keys scripts read. The rows are the same but for their words.
    en = list(csv.reader(io.StringIO(cli(*args, "--format", "csv", "--lang", "en").stdout)))
    ja = list(csv.reader(io.StringIO(cli(*args, "--format", "csv", "--lang", "ja").stdout)))
    assert all(re.fullmatch(r"[a-z_]+", key) for key in en[0]), en[0]
    assert len(ja[0]) == len(en[0]) and len(set(ja[0])) == len(ja[0]), ja[0]
    assert all(re.search(r"[\u3040-\u30ff\u3400-\u9fff]", label) or label.isupper() for label in ja[0]), ja[0]
    assert len(ja) == len(en)
    numbers = [[c for c in row if re.fullmatch(r"-?[0-9]+", c)] for row in en[1:]]
    assert numbers == [[c for c in row if re.fullmatch(r"-?[0-9]+", c)] for row in ja[1:]]


def test_repay_csv_in_japanese_starts_with_the_schedule_labels(cli: Cli, tmp_path: Path) -> None:
    args = ("repay", "--amount", "3億", "--dev-end", "2029-09-30", "--lang", "ja", "--format", "csv")
    assert cli(*args).stdout.startswith("回,期日,本来の日付,各回返済額,累計,未返済残高\n1,2030-09-30,,30000000,")
    cli(*args, "--bom", "-o", str(tmp_path / "r.csv")).expect(0)
    assert (tmp_path / "r.csv").read_bytes().startswith("\ufeff回,期日,本来の日付,".encode())


# --------------------------------------------------------------------------- --bom


def test_bom_csv_is_utf8_with_a_bom_and_crlf(cli: Cli, tmp_path: Path) -> None:
    plain = tmp_path / "plain.csv"
    excel = tmp_path / "excel.csv"
    args = ("check", "examples/stage1-invalid.toml", "--lang", "ja")
    assert cli(*args, "-o", str(plain)).exit_code == 1
    assert cli(*args, "-o", str(excel), "--bom").exit_code == 1
    data = excel.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    body = data[3:]
    records = body.split(b"\r\n")
    assert records[-1] == b"" and len(records) > 2
    assert b"\n" not in b"".join(records)  # no bare LF anywhere: every record ends CRLF
    # The same records as plain CSV, which stays as scripts expect it: no BOM, LF.
    assert plain.read_bytes() == body.replace(b"\r\n", b"\n")
    assert not plain.read_bytes().startswith(b"\xef\xbb\xbf") and b"\r" not in plain.read_bytes()
    # Japanese text survives: the BOM tells Excel it is UTF-8.
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0] == ["ファイル", "ルール", "違反の内容", "行"] and "年度" in rows[2][2] + rows[1][2] + rows[3][2]


def test_bom_to_standard_output(cli: Cli) -> None:
    result = cli(*BUDGET, "--format", "csv", "--bom")
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith("\ufefffiscal_year,".encode()) and b"\r\n" in result.stdout_bytes


def test_bom_with_the_format_from_the_file_name(cli: Cli, tmp_path: Path) -> None:
    assert cli(*BUDGET, "--bom", "-o", str(tmp_path / "r.csv")).exit_code == 0
    assert (tmp_path / "r.csv").read_bytes()[:3] == b"\xef\xbb\xbf"


@pytest.mark.parametrize("fmt", ["table", "json", "xlsx"])
def test_bom_with_another_format_is_exit_2(cli: Cli, tmp_path: Path, fmt: str) -> None:
    one_error_line(cli(*BUDGET, "--format", fmt, "--bom", "-o", str(tmp_path / "x")), "--bom", "CSV", fmt)
    assert list(tmp_path.iterdir()) == []
