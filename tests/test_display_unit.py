"""``--display-unit``: tables and xlsx in 円, 千円 or 万円, exactly; JSON and CSV always in yen."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import Result

from astep_calc.cli.units import Scaled
from astep_calc.money import DisplayUnit, format_in_unit, parse_display_unit

Cli = Callable[..., Result]

BUDGET = ("budget", "--menu", "stage1", "--start", "2026-10-01", "--months", "30")


def table_lines(result: Result) -> list[str]:
    assert result.exit_code == 0, result.stderr
    return result.stdout.splitlines()


# --------------------------------------------------------------------------- tables


def test_budget_in_thousands_of_yen(cli: Cli) -> None:
    lines = table_lines(cli(*BUDGET, "--display-unit", "千円", "--lang", "ja"))
    assert lines[0].endswith("（単位：千円）") and "（単位：円）" not in lines[0]
    rows = {
        line.split()[0]: line.split() for line in lines if line.startswith(("2026年度", "2027年度", "2028年度", "合計"))
    }
    # SPEC §4: caps 7,500,000 / 15,000,000 / 15,000,000 yen are 7,500 / 15,000 / 15,000 千円.
    # The last three columns: cap, direct max, indirect max.
    assert [rows[fy][-3] for fy in ("2026年度", "2027年度", "2028年度")] == ["7,500", "15,000", "15,000"]
    # The direct maximum 5,769,231 yen is not whole in 千円: its decimals are shown, not rounded.
    assert rows["2026年度"][-2:] == ["5,769.231", "1,730.769"]
    assert rows["合計"][-3:] == ["37,500", "28,846.155", "8,653.845"]


@pytest.mark.parametrize(
    ("unit", "title_end", "cap"),
    [
        ("thousand", "(thousand yen)", "7,500"),
        ("ten-thousand", "(ten thousand yen)", "750"),
        ("万円", "(ten thousand yen)", "750"),
        ("yen", "(yen)", "7,500,000"),
        ("円", "(yen)", "7,500,000"),
    ],
)
def test_unit_names_and_english_titles(cli: Cli, unit: str, title_end: str, cap: str) -> None:
    out = cli(*BUDGET, "--display-unit", unit, "--lang", "en").stdout
    words = " ".join(out.split())  # the title, however it wrapped
    assert f"2026-10-01 to 2029-03-31 {title_end}" in words and f" {cap} " in out


def test_repay_schedule_in_ten_thousands(cli: Cli) -> None:
    # 123,456,789 yen over 10 payments: 12,345,678 each plus the remainder 9 on the first,
    # 12,345,687 (SPEC §5). In 万円 that is 1,234.5687; the balance after it 11,111.1102.
    out = cli(
        "repay", "--amount", "123,456,789", "--dev-end", "2028-03-31", "--display-unit", "万円", "--lang", "ja"
    ).stdout
    first = next(line for line in out.splitlines() if line.strip().startswith("1 "))
    assert first.split()[-3:] == ["1,234.5687", "1,234.5687", "11,111.1102"]
    assert "（単位：万円）" in out.splitlines()[0]


@pytest.mark.parametrize("args", [("check", "examples/stage1-invalid.toml"), ("schema",)])
def test_commands_without_amounts_do_not_offer_a_unit(cli: Cli, args: tuple[str, ...]) -> None:
    # A check's verdicts and the schema have no amounts to scale: a unit asked for would be
    # silently ignored, so the option is not there (a usage error, exit 2, one line).
    for unit in ("thousand", "yen"):
        cli(*args, "--display-unit", unit, "--lang", "en").expect(2, "--display-unit")
    assert "--display-unit" not in cli(*args, "--help").stdout


def test_rules_shows_the_caps_in_the_unit(cli: Cli, tmp_path: Path) -> None:
    # Stage I: 15,000,000 yen a fiscal year = 15,000 千円 = 1,500 万円; 実装支援: 5億 in total = 500,000 千円.
    ja = cli("rules", "--display-unit", "千円", "--lang", "ja").stdout
    assert "年額15,000千円（初年度は按分）" in ja and "総額500,000千円" in ja and "15,000,000" not in ja
    assert ja.splitlines()[0].endswith("（単位：千円）")
    en = cli("rules", "--display-unit", "ten-thousand", "--lang", "en", env={"COLUMNS": "300"}).stdout
    assert en.splitlines()[0].endswith("(ten thousand yen)") and "50,000 ten thousand yen in total" in en
    plain = cli("rules", "--lang", "ja").stdout
    assert "年額15,000,000円" in plain and cli("rules", "--display-unit", "yen", "--lang", "ja").stdout == plain
    target = tmp_path / "r.xlsx"
    cli("rules", "--display-unit", "千円", "--lang", "ja", "-o", str(target)).expect(0)
    ws = openpyxl.load_workbook(target).worksheets[0]
    assert str(ws["A1"].value).endswith("（単位：千円）") and "年額15,000千円（初年度は按分）" in [
        c.value for c in ws["D"]
    ]


# --------------------------------------------------------------------------- machine formats stay in yen


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_json_and_csv_refuse_another_unit(cli: Cli, fmt: str) -> None:
    result = cli(*BUDGET, "--format", fmt, "--display-unit", "千円")
    assert result.exit_code == 2 and result.stdout == ""
    assert "yen" in result.stderr and "--display-unit" in result.stderr and len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_json_and_csv_take_yen(cli: Cli, fmt: str) -> None:
    assert cli(*BUDGET, "--format", fmt, "--display-unit", "yen").stdout == cli(*BUDGET, "--format", fmt).stdout


def test_an_unknown_unit_is_exit_2(cli: Cli) -> None:
    result = cli(*BUDGET, "--display-unit", "百円")
    assert result.exit_code == 2 and "'百円'" in result.stderr and "千円" in result.stderr


# --------------------------------------------------------------------------- xlsx


def test_xlsx_in_thousands_is_exact_numbers(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "b.xlsx"
    assert cli(*BUDGET, "--display-unit", "千円", "-o", str(target), "--lang", "ja").exit_code == 0
    data = json.loads(cli(*BUDGET, "--format", "json").stdout)
    ws = openpyxl.load_workbook(target)["予算上限"]  # the sheet named in the --lang language
    assert ws["A1"].value.endswith("（単位：千円）")
    keys = ["cap", "direct_max", "indirect_max"]
    for row, fy in zip(ws.iter_rows(min_row=3, min_col=5, max_col=7), data["fiscal_years"], strict=False):
        for cell, key in zip(row, keys, strict=True):
            assert isinstance(cell.value, int | float)
            assert Fraction(repr(cell.value)) * 1000 == fy[key]  # exactly the yen, in 千円
    assert (ws["E3"].value, ws["E3"].number_format) == (7500, "#,##0")
    assert (ws["F3"].value, ws["F3"].number_format) == (5769.231, "#,##0.000")  # 5,769,231 yen


# --------------------------------------------------------------------------- the plan key

#: A one-phase plan whose amounts are shown in 千円 by its own display_unit key (SPEC §7).
PLAN_IN_THOUSANDS = (
    'display_unit = "千円"\nmenu = "stage1"\nstart = 2026-10-01\nend = 2029-03-31\n[budget]\n2026 = "750万"\n'
)


def test_a_plans_display_unit_sets_astep_plans_table(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text(PLAN_IN_THOUSANDS, "utf-8")
    lines = table_lines(cli("plan", str(path), "--lang", "ja"))
    assert any(line.endswith("（単位：千円）") for line in lines[:3]), lines[:3]
    assert any("7,500" in line and "7,500,000" not in line for line in lines)  # 7,500,000 yen = 7,500 千円
    # --display-unit wins over the key; JSON stays in yen, the key is no error there.
    lines = table_lines(cli("plan", str(path), "--lang", "ja", "--display-unit", "yen"))
    assert any("7,500,000" in line for line in lines) and not any(line.endswith("（単位：千円）") for line in lines)
    in_yen = tmp_path / "q.toml"
    in_yen.write_text(PLAN_IN_THOUSANDS.replace('display_unit = "千円"\n', ""), "utf-8")
    as_json = [cli("plan", str(p), "--format", "json").stdout.replace(p.name, "x") for p in (path, in_yen)]
    assert as_json[0] == as_json[1] and '"7500000"' not in as_json[0] and "7500000" in as_json[0]


def test_a_plans_display_unit_sets_the_workbook(cli: Cli, tmp_path: Path) -> None:
    path, target = tmp_path / "p.toml", tmp_path / "p.xlsx"
    path.write_text(PLAN_IN_THOUSANDS, "utf-8")
    assert cli("plan", str(path), "-o", str(target), "--lang", "ja").exit_code == 0
    titles = [ws["A1"].value for ws in openpyxl.load_workbook(target).worksheets]
    assert any(str(t).endswith("（単位：千円）") for t in titles), titles


def test_check_validates_the_display_unit(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "p.toml"
    path.write_text(PLAN_IN_THOUSANDS, "utf-8")
    assert cli("check", str(path)).exit_code == 0
    path.write_text(PLAN_IN_THOUSANDS.replace("千円", "百円"), "utf-8")
    result = cli("check", str(path), "--lang", "en")
    assert result.exit_code == 2
    assert "p.toml:1: key 'display_unit': '百円' is not a display unit" in result.stderr


# --------------------------------------------------------------------------- exact formatting


@given(amount=st.integers(min_value=-(10**15), max_value=10**15), unit=st.sampled_from([u.yen for u in DisplayUnit]))
def test_format_in_unit_is_exact(amount: int, unit: int) -> None:
    text = format_in_unit(amount, unit)
    assert Decimal(text.replace(",", "")) * unit == amount  # nothing rounded away
    assert not text.endswith(("0", ".")) or "." not in text  # no padding zeros, no bare point
    assert Scaled(amount, unit).value == Fraction(amount, unit)
    assert str(Scaled(amount, unit)) == text


@given(amount=st.integers(min_value=0, max_value=10**15), unit=st.sampled_from([1000, 10_000]))
def test_places_are_the_decimals_shown(amount: int, unit: int) -> None:
    text = format_in_unit(amount, unit)
    assert Scaled(amount, unit).places == (len(text.split(".")[1]) if "." in text else 0)


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("yen", DisplayUnit.YEN),
        ("THOUSAND", DisplayUnit.THOUSAND),
        (" 千円 ", DisplayUnit.THOUSAND),
        ("ten thousand", DisplayUnit.TEN_THOUSAND),
        ("万円", DisplayUnit.TEN_THOUSAND),
        ("円", DisplayUnit.YEN),
    ],
)
def test_parse_unit(text: str, unit: DisplayUnit) -> None:
    assert parse_display_unit(text) is unit


# --------------------------------------------------------------------------- decimal points line up

REPAY_HAND = (
    "repay",
    "--amount",
    "123,456,789",
    "--dev-end",
    "2028-03-31",
    "--deferral",
    "3y",
    "--display-unit",
    "千円",
    "--lang",
    "en",
)


def test_a_column_shows_its_most_decimals_on_every_row(cli: Cli) -> None:
    # Outstanding after payment 2: 88,183,420 yen is 88,183.42 千円 and was printed so, beside
    # 105,820.104 above it: the decimal points did not line up. Both now show 3 places.
    lines = table_lines(cli(*REPAY_HAND))
    row1 = next(line for line in lines if line.lstrip().startswith("1 "))
    row2 = next(line for line in lines if line.lstrip().startswith("2 "))
    assert row1.endswith("105,820.104") and row2.endswith(" 88,183.420")
    assert row1.rindex(".") == row2.rindex(".")
    last = next(line for line in lines if line.lstrip().startswith("7 "))
    assert last.endswith(" 0.000") and last.rindex(".") == row1.rindex(".")


def test_a_workbook_column_has_one_number_format(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "r.xlsx"
    assert cli(*REPAY_HAND, "-o", str(target)).exit_code == 0
    ws = openpyxl.load_workbook(target).worksheets[0]
    for col in "CDE":  # payment, cumulative, outstanding: every body row "#,##0.000"
        assert {ws[f"{col}{r}"].number_format for r in range(3, 10)} == {"#,##0.000"}, col
    assert ws["E4"].value == 88183.42  # the number stays exact; only its format pads


def test_padding_never_changes_the_amount() -> None:
    assert str(Scaled(88_183_420, 1000, 3)) == "88,183.420" and str(Scaled(88_183_420, 1000)) == "88,183.42"
    assert str(Scaled(15_000, 10_000, 4)) == "1.5000" and str(Scaled(20_000, 10_000, 2)) == "2.00"
    assert str(Scaled(5_769_231, 1000, 1)) == "5,769.231"  # never fewer than the amount needs
