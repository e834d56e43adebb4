"""The format from ``--output``'s extension, and the options shared by every format (SPEC §6)."""

from __future__ import annotations

import csv
import io
import json
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


@pytest.mark.parametrize(("fmt", "name"), [("table", "x.xlsx"), ("csv", "x.json"), ("json", "x.csv"),
                                           ("xlsx", "x.txt"), ("json", "x.xlsx"), ("csv", "x.TXT")])
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
