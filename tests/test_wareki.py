"""和暦 on request (issue 22 item 4): ``--date-style wareki`` and the plan key ``date_style``
show dates as 令和8年10月1日 in tables, CSV, Markdown and workbooks; JSON stays ISO."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from astep_calc.cli.wareki import wareki_text
from astep_calc.cli.xlsx import EXCEL_EPOCH, era_format
from astep_calc.dates import DateStyle, parse_date, parse_date_style, wareki
from astep_calc.text import InputError

Cli = Callable[..., Any]
ISO = re.compile(r"(?<![0-9])[0-9]{4}-[0-9]{2}-[0-9]{2}(?![0-9])")
BUDGET = ("budget", "--menu", "stage1", "--start", "R8.10.1", "--months", "30")
REPAY = ("repay", "--amount", "3億", "--dev-end", "2029-09-30")

# --------------------------------------------------------------------------- the core


@pytest.mark.parametrize(
    ("day", "written"),
    [
        (date(2026, 10, 1), "令和8年10月1日"),
        (date(2019, 5, 1), "令和元年5月1日"),  # the era's first day: 元年
        (date(2019, 12, 31), "令和元年12月31日"),
        (date(2020, 1, 1), "令和2年1月1日"),
        (date(2019, 4, 30), "平成31年4月30日"),  # 平成's last day
        (date(1989, 1, 8), "平成元年1月8日"),  # 平成's first day
        (date(1989, 1, 7), "1989年1月7日"),  # before 平成: the Western year (no earlier era is read)
        (date(2200, 12, 31), "令和182年12月31日"),
    ],
)
def test_a_date_in_its_era(day: date, written: str) -> None:
    assert wareki(day) == written


@given(st.dates(date(1900, 1, 1), date(2200, 12, 31)))
def test_the_era_form_reads_back_as_the_same_date(day: date) -> None:
    assert parse_date(wareki(day)) == day


def test_date_style_names() -> None:
    assert parse_date_style("wareki") is parse_date_style("和暦") is DateStyle.WAREKI
    assert parse_date_style(" ISO ") is parse_date_style("西暦") is DateStyle.ISO
    with pytest.raises(InputError, match=r"'warekki' is not a date style.*did you mean wareki"):
        parse_date_style("warekki")


def test_iso_dates_in_text_read_in_the_era_but_not_in_a_name() -> None:
    assert wareki_text("期間 2026-10-01〜2029-03-31（円）") == "期間 令和8年10月1日〜令和11年3月31日（円）"
    kept = "plans/2026-10-01.toml, 2026-10-01x, x2026-10-01, 12026-10-01, 2026-02-30"
    assert wareki_text(kept) == kept


@given(st.dates(date(1900, 1, 1), date(2200, 12, 31)))
def test_the_workbook_format_shows_the_era_year_of_every_date(day: date) -> None:
    # Excel and LibreOffice both show ggge as 令和1年: a section of the format writes 元年 itself,
    # chosen by the cell's value. Picked as a spreadsheet picks it, the section shows the era
    # year wareki() writes (LibreOffice 7.4 renders these formats so; docs/excel.md).
    sections = era_format(day).split(";")
    serial = (day - EXCEL_EPOCH).days
    chosen = next(
        (s for s in sections[:2] if serial < int(re.match(r"\[<([0-9]+)\]", s)[1])),  # type: ignore[index]
        sections[2],
    )
    era_year = re.match(r"(令和|平成)?(元|[0-9]+)?年", wareki(day))
    assert era_year is not None
    if "元年" in chosen:
        assert era_year[2] == "元" and era_year[1] in chosen
    elif "ggge" in chosen:
        assert era_year[1] is not None and era_year[2] != "元"
    else:  # before the first era
        assert "yyyy" in chosen and era_year[1] is None


# --------------------------------------------------------------------------- the command line


def test_budget_in_wareki_shows_every_date_in_the_era(cli: Cli) -> None:
    # The "done when".
    out = cli(*BUDGET, "--lang", "ja", "--date-style", "wareki").expect(0).stdout
    assert "令和8年10月1日" in out and "令和11年3月31日" in out and "年度別の上限額 令和8年10月1日〜" in out
    assert not ISO.search(out), ISO.findall(out)
    plain = cli(*BUDGET, "--lang", "ja").expect(0).stdout  # ISO stays the default
    assert "2026-10-01" in plain and "令和8年10月1日" not in plain


def test_weekdays_and_closed_days_stay_beside_the_era_date(cli: Cli) -> None:
    out = cli(*REPAY, "--lang", "ja", "--date-style", "wareki").expect(0).stdout
    assert "令和12年9月30日（月）" in out and "令和16年9月30日（土・休）" in out
    assert "開発終了日令和11年9月30日" in out


def test_csv_and_markdown_in_wareki(cli: Cli) -> None:
    rows = list(csv.reader(io.StringIO(cli(*REPAY, "--lang", "ja", "--date-style", "wareki", "-f", "csv").stdout)))
    assert rows[0][:2] == ["回", "期日"] and rows[1][:2] == ["1", "令和12年9月30日"] and rows[1][3] == "30000000"
    md = cli(*REPAY, "--lang", "ja", "--date-style", "wareki", "-f", "markdown").expect(0).stdout
    assert "| 1 | 令和12年9月30日（月） |" in md and not ISO.search(md)


def test_the_workbook_keeps_dates_as_dates_with_an_era_format(cli: Cli, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    target = tmp_path / "r.xlsx"
    cli(*REPAY, "--lang", "ja", "--date-style", "wareki", "-o", str(target)).expect(0)
    sheet = openpyxl.load_workbook(target).worksheets[0]
    due = sheet["B3"]
    assert due.is_date and due.value.date() == date(2030, 9, 30)
    assert "[$-411]ggge" in due.number_format and '"令和元年"' in due.number_format
    assert "令和11年9月30日" in sheet["A1"].value  # the title reads in the era too
    closed = next(r[1] for r in sheet.iter_rows(min_row=3) if r[1].value and r[1].value.date() == date(2034, 9, 30))
    assert closed.number_format.endswith('"（休）"')


def test_json_stays_iso_and_english_stays_iso(cli: Cli, tmp_path: Path) -> None:
    cli(*REPAY, "--lang", "ja", "--date-style", "wareki", "-f", "json").expect(2, ["--date-style", "json", "ISO"])
    cli(*REPAY, "--lang", "en", "--date-style", "wareki").expect(2, ["--date-style", "--lang ja"])
    cli(*REPAY, "--lang", "en", "--date-style", "iso", "-f", "json").expect(0)  # ISO is every format's
    cli(*REPAY, "--date-style", "heisei", "--lang", "ja").expect(2, ["「heisei」", "wareki"])


@pytest.mark.parametrize("command", ["collateral", "rules", "check", "schema"])
def test_a_command_without_dates_does_not_take_the_option(cli: Cli, command: str) -> None:
    args = {"collateral": ["--amount", "3億"], "check": ["examples/stage1-valid.toml"]}.get(command, [])
    cli(command, *args, "--date-style", "wareki", "--lang", "ja").expect(2, "--date-style")


def test_a_plans_date_style_applies_to_its_japanese_output(cli: Cli, tmp_path: Path) -> None:
    plan = tmp_path / "p.toml"
    example = Path(__file__).resolve().parent.parent / "examples/roadmap-spinout.toml"
    plan.write_text('date_style = "wareki"\n' + example.read_text("utf-8"), "utf-8")
    ja = cli("plan", str(plan), "--lang", "ja").expect(0).stdout
    assert "令和8年7月1日" in ja and "2026-07-01" not in ja
    assert "2026-07-01" in cli("plan", str(plan), "--lang", "ja", "--date-style", "iso").expect(0).stdout
    assert "2026-07-01" in cli("plan", str(plan), "--lang", "en").expect(0).stdout  # the era is Japanese
    data = json.loads(cli("plan", str(plan), "--lang", "ja", "-f", "json").expect(0).stdout)
    assert data["phases"][0]["start"] == "2026-07-01"
    cli("check", str(plan)).expect(0)  # a key check and the schema know


def test_a_closed_day_in_the_era_on_a_day_that_moves(cli: Cli) -> None:
    args = ("disburse", "--amount", "3億", "--start", "2027-01-01", "--months", "12", "--business-day", "following")
    out = cli(*args, "--lang", "ja", "--date-style", "wareki").expect(0).stdout
    assert "令和9年1月4日（月）" in out and "令和9年1月1日（金・休）" in out  # moved, and the date it was due
    assert not ISO.search(out.replace("\n", " ")), ISO.findall(out)
