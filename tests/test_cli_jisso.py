"""The 実装支援 commands through the command line: collateral, disburse, repay, scenarios.

Runs ``astep`` in-process with Typer's CliRunner (see the ``cli`` fixture in conftest:
no locale, NO_COLOR, 120 columns). In this Typer version ``Result.stdout`` and
``Result.stderr`` are kept apart (``Result.output`` is the two interleaved), so the
tests check that reports go to stdout and errors are one line on stderr.

The expected numbers are the hand-worked ones of test_jisso.py / test_repayment.py,
with the arithmetic repeated in the comments.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

Cli = Callable[..., Result]

# The hand case: 123,456,789 yen, development end 2028-03-31, a 3-year deferral, yearly:
# N = (120 − 36) / 12 = 7; floor(123,456,789 / 7) = 17,636,684 (× 7 = 123,456,788), +1 on the first.
HAND = ("--amount", "123,456,789", "--dev-end", "2028-03-31")
HAND_AMOUNTS = [17_636_685] + [17_636_684] * 6
HAND_DUES = [f"{y}-03-31" for y in range(2032, 2039)]


def _hand_pv_at_3_percent() -> tuple[int, int]:
    """Present value and grant equivalent of the hand schedule at 3%, worked out here, not by
    the tool: Σ a / 1.03^(days from 2028-03-31 / 365) with Decimal's power at 60 digits,
    rounded half-even. Days per payment: 1461, 1826, 2191, 2556, 2922, 3287, 3652 (4 × 365 + 1
    … 10 × 365 + 2: the leap days of 2032 and 2036); test_repayment.py shows every term:
    Σ = 100,545,740.546… → 100,545,741, and 123,456,789 − Σ = 22,911,048.453… → 22,911,048."""
    dev_end = date(2028, 3, 31)
    with localcontext() as ctx:
        ctx.prec = 60
        total = sum(
            (
                Decimal(a) / Decimal("1.03") ** (Decimal((date.fromisoformat(d) - dev_end).days) / 365)
                for a, d in zip(HAND_AMOUNTS, HAND_DUES, strict=True)
            ),
            Decimal(0),
        )
        return (
            int(total.quantize(Decimal(1), rounding=ROUND_HALF_EVEN)),
            int((123_456_789 - total).quantize(Decimal(1), rounding=ROUND_HALF_EVEN)),
        )


HAND_PV, HAND_GRANT = _hand_pv_at_3_percent()


def ok(result: Result, code: int = 0) -> Result:
    """Assert the exit code, that stderr holds at most the broken rules, and that no traceback leaked."""
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    # With exit 1, CSV output names each broken rule on stderr ("astep: rule: message").
    assert all(line.startswith("astep: ") and code == 1 for line in result.stderr.splitlines())
    assert "Traceback" not in result.output
    assert "\x1b[" not in result.stdout  # NO_COLOR: no escape sequences
    return result


def as_json(result: Result) -> dict[str, Any]:
    obj: dict[str, Any] = json.loads(result.stdout)
    # SPEC §6: every object has command, rules, assumptions and violations
    assert obj["rules"] == "a-step-2024"
    assert isinstance(obj["assumptions"], list) and obj["assumptions"]
    assert all(isinstance(a, str) and a for a in obj["assumptions"])
    assert isinstance(obj["violations"], list)
    assert all(set(v) == {"rule", "message"} for v in obj["violations"])
    return obj


def as_csv(result: Result) -> list[list[str]]:
    return list(csv.reader(io.StringIO(result.stdout)))


def failed(result: Result, *needles: str) -> str:
    """Exit 2, exactly one line on stderr naming the problem, nothing on stdout, no traceback."""
    assert result.exit_code == 2, (result.exit_code, result.stdout, result.stderr)
    assert "Traceback" not in result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(("astep: error: ", "astep: エラー："))
    assert (
        "unexpected error" not in lines[0] and "予期しない" not in lines[0]
    )  # a named input problem, not the catch-all
    for n in needles:
        assert n in lines[0], (n, lines[0])
    return lines[0]


def rule_ids(obj: dict[str, Any]) -> list[str]:
    return sorted(v["rule"] for v in obj["violations"])


# --------------------------------------------------------------------------- collateral


def test_collateral_json(cli: Cli) -> None:
    # ceil(123,456,789 × 10%) = ceil(12,345,678.9) = 12,345,679
    obj = as_json(ok(cli("collateral", "--amount", "123,456,789", "--format", "json")))
    assert obj["command"] == "collateral"
    assert (obj["amount"], obj["collateral"]) == (123_456_789, 12_345_679)
    assert obj["violations"] == []


@pytest.mark.parametrize(
    ("amount", "p", "c"),
    [
        ("1.5億", 150_000_000, 15_000_000),
        ("3億5000万", 350_000_000, 35_000_000),
        ("¥15,000,001", 15_000_001, 1_500_001),  # 1,500,000.1 → 1,500,001
        ("500千円", 500_000, 50_000),
    ],
)
def test_collateral_amount_forms(cli: Cli, amount: str, p: int, c: int) -> None:
    obj = as_json(ok(cli("collateral", "--amount", amount, "--format", "json")))
    assert (obj["amount"], obj["collateral"]) == (p, c)


def test_collateral_table_and_csv_in_both_languages(cli: Cli) -> None:
    en = ok(cli("collateral", "--amount", "123,456,789", "--lang", "en")).stdout
    assert "12,345,679" in en and "123,456,789" in en
    assert "Collateral or guarantee" in en and "Assumptions" in en and "Within the programme rules" in en
    ja = ok(cli("collateral", "--amount", "123,456,789", "--lang", "ja")).stdout
    assert "12,345,679" in ja and "担保又は保証" in ja and "前提" in ja and "切り上げ" in ja
    rows = as_csv(ok(cli("collateral", "--amount", "123,456,789", "--format", "csv", "--lang", "en")))
    assert rows[0] == ["item", "amount"]
    assert [r[1] for r in rows[1:]] == ["123456789", "12345679"]
    rows_ja = as_csv(ok(cli("collateral", "--amount", "123,456,789", "--format", "csv", "--lang", "ja")))
    assert rows_ja[1][0] == "開発費総額"


def test_collateral_over_cap_still_computes_and_exits_1(cli: Cli) -> None:
    # 6億 = 600,000,000 > 500,000,000 → amount.max; collateral 60,000,000 is still shown.
    obj = as_json(ok(cli("collateral", "--amount", "6億", "--format", "json"), code=1))
    assert obj["collateral"] == 60_000_000
    assert rule_ids(obj) == ["amount.max"]
    table = ok(cli("collateral", "--amount", "6億"), code=1).stdout
    assert "60,000,000" in table and "amount.max" in table


@pytest.mark.parametrize("amount", ["0", "-5", "1.5", "abc", "5ドル", ""])
def test_collateral_bad_amount(cli: Cli, amount: str) -> None:
    failed(cli("collateral", "--amount", amount))


# --------------------------------------------------------------------------- disburse


def test_disburse_json_hand_case(cli: Cli) -> None:
    # 3 quarters × 3 months (M = 9): floor(100,000,000 × 3/9) = 33,333,333 each, +1 on the first.
    obj = as_json(
        ok(cli("disburse", "--amount", "1億", "--start", "2026-10-01", "--end", "2027-06-30", "--format", "json"))
    )
    assert obj["command"] == "disburse"
    assert [{k: a[k] for k in ("quarter", "date", "amount")} for a in obj["advances"]] == [
        {"quarter": "FY2026-Q3", "date": "2026-10-01", "amount": 33_333_334},
        {"quarter": "FY2026-Q4", "date": "2027-01-01", "amount": 33_333_333},
        {"quarter": "FY2027-Q1", "date": "2027-04-01", "amount": 33_333_333},
    ]
    assert obj["total"] == 100_000_000
    assert obj["violations"] == []


def test_disburse_months_equals_end(cli: Cli) -> None:
    # --months 9 from 2026-10-01: add_months(2026-10-01, 9) − 1 day = 2027-06-30.
    by_months = as_json(
        ok(cli("disburse", "--amount", "1億", "--start", "2026-10-01", "--months", "9", "--format", "json"))
    )
    assert by_months["end"] == "2027-06-30"
    assert [a["amount"] for a in by_months["advances"]] == [33_333_334, 33_333_333, 33_333_333]


def test_disburse_mid_quarter_start(cli: Cli) -> None:
    # 2026-05-15..2027-05-14, M = 13: 2/13, 3/13 × 3, 2/13 of 10,000,000 floored
    # (1,538,461; 2,307,692 × 3; 1,538,461 → Σ 9,999,998) and +2 on the first, dated the start.
    obj = as_json(
        ok(cli("disburse", "--amount", "1000万", "--start", "2026-05-15", "--end", "2027-05-14", "--format", "json"))
    )
    assert [(a["date"], a["amount"]) for a in obj["advances"]] == [
        ("2026-05-15", 1_538_463),
        ("2026-07-01", 2_307_692),
        ("2026-10-01", 2_307_692),
        ("2027-01-01", 2_307_692),
        ("2027-04-01", 1_538_461),
    ]


def test_disburse_table_and_csv_in_both_languages(cli: Cli) -> None:
    args = ("disburse", "--amount", "1億", "--start", "2026-10-01", "--end", "2027-06-30")
    en = ok(cli(*args, "--lang", "en")).stdout
    assert "FY2026 Q3" in en and "Total" in en and "33,333,334" in en and "100,000,000" in en
    assert "2026-10-01 (Thu)" in en
    ja = ok(cli(*args, "--lang", "ja")).stdout
    assert "合計" in ja and "第3四半期" in ja and "2026年度" in ja and "令和8年度" in ja
    assert "2026-10-01（木）" in ja
    rows = as_csv(ok(cli(*args, "--format", "csv", "--lang", "en")))
    # The header is the same whatever the data: "scheduled" (the date before a business-day
    # move) is there, empty, when no date moved.
    assert rows[0] == ["label", "date", "scheduled", "months", "amount", "cumulative"]
    assert rows[1] == ["FY2026 Q3", "2026-10-01", "", "3", "33333334", "33333334"]
    assert rows[-1] == ["Total", "", "", "9", "100000000", "100000000"]
    assert as_csv(ok(cli(*args, "--format", "csv", "--lang", "ja")))[-1][0] == "合計"


def test_disburse_over_period_limit_exits_1(cli: Cli) -> None:
    # 37 months > 36 → period.max; the 13 advances are still listed.
    obj = as_json(
        ok(cli("disburse", "--amount", "3.7億", "--start", "2026-04-01", "--months", "37", "--format", "json"), code=1)
    )
    assert rule_ids(obj) == ["period.max"]
    assert len(obj["advances"]) == 13 and obj["total"] == 370_000_000


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--start", "2026-10-01"), "months"),  # neither
        (("--start", "2026-10-01", "--months", "9", "--end", "2027-06-30"), "not both"),  # both
        (("--start", "2026-13-01", "--months", "9"), "2026-13-01"),
        (("--start", "2026-10-01", "--months", "nine"), "nine"),
    ],
)
def test_disburse_bad_input(cli: Cli, args: tuple[str, ...], needle: str) -> None:
    failed(cli("disburse", "--amount", "1億", *args), needle)


# --------------------------------------------------------------------------- repay: the JSON contract


def test_repay_json_hand_case(cli: Cli) -> None:
    obj = as_json(ok(cli("repay", *HAND, "--deferral", "3y", "--format", "json")))
    assert obj["command"] == "repay"
    assert obj["owed"] == 123_456_789
    assert obj["total"] == 123_456_789
    assert [p["no"] for p in obj["payments"]] == [1, 2, 3, 4, 5, 6, 7]
    assert [p["due"] for p in obj["payments"]] == HAND_DUES
    assert [p["amount"] for p in obj["payments"]] == HAND_AMOUNTS
    # balance after each payment: 123,456,789 − 17,636,685 = 105,820,104, then −17,636,684 …
    assert [p["balance"] for p in obj["payments"]] == [
        105_820_104,
        88_183_420,
        70_546_736,
        52_910_052,
        35_273_368,
        17_636_684,
        0,
    ]
    assert {"no", "due", "amount", "balance"} <= set(obj["payments"][0])
    assert "present_value" not in obj and "grant_equivalent" not in obj
    assert obj["violations"] == []


@pytest.mark.parametrize("rate", ["3%", "0.03", "３％"])
def test_repay_json_present_value(cli: Cli, rate: str) -> None:
    # The hand schedule at 3%, worked out independently above (HAND_PV, HAND_GRANT).
    obj = as_json(ok(cli("repay", *HAND, "--deferral", "3y", "--discount-rate", rate, "--format", "json")))
    assert (obj["present_value"], obj["grant_equivalent"]) == (HAND_PV, HAND_GRANT)


def test_repay_present_value_lump_at_5_percent(cli: Cli) -> None:
    # 100,000,000 due 365 days after E: 100,000,000 / 1.05 = 95,238,095.238… → 95,238,095;
    # grant equivalent 4,761,904.76… → 4,761,905.
    obj = as_json(
        ok(
            cli(
                "repay",
                "--amount",
                "1億",
                "--dev-end",
                "2028-03-31",
                "--lump",
                "--discount-rate",
                "5%",
                "--format",
                "json",
            )
        )
    )
    assert [(p["due"], p["amount"]) for p in obj["payments"]] == [("2029-03-31", 100_000_000)]
    assert (obj["present_value"], obj["grant_equivalent"]) == (95_238_095, 4_761_905)


# --------------------------------------------------------------------------- repay: every option


@pytest.mark.parametrize("deferral", ["3y", "36m", "3", "3年", "36か月"])
def test_repay_deferral_forms(cli: Cli, deferral: str) -> None:
    obj = as_json(ok(cli("repay", *HAND, "--deferral", deferral, "--format", "json")))
    assert [p["amount"] for p in obj["payments"]] == HAND_AMOUNTS
    assert [p["due"] for p in obj["payments"]] == HAND_DUES


@pytest.mark.parametrize("deferral", ["18m", "1.5y"])
def test_repay_eighteen_month_deferral_half_yearly(cli: Cli, deferral: str) -> None:
    # N = (120 − 18) / 6 = 17; first due E + 24 = 2030-03-31; floor(123,456,789 / 17) = 7,262,164
    # (× 17 = 123,456,788), +1 on the first.
    obj = as_json(ok(cli("repay", *HAND, "--deferral", deferral, "--every", "half", "--format", "json")))
    assert len(obj["payments"]) == 17
    assert obj["payments"][0] == {**obj["payments"][0], "due": "2030-03-31", "amount": 7_262_165}
    assert obj["payments"][-1]["due"] == "2038-03-31"


@pytest.mark.parametrize(
    ("every", "count", "first", "first_due"),
    [
        # N = 120 / p; base = floor(123,456,789 / N); remainder on the first
        ("year", 10, 12_345_687, "2029-03-31"),  # 12,345,678 × 10 = 123,456,780, +9
        ("half", 20, 6_172_848, "2028-09-30"),  # 6,172,839 × 20 = 123,456,780, +9
        ("quarter", 40, 3_086_448, "2028-06-30"),  # 3,086,419 × 40 = 123,456,760, +29
        ("month", 120, 1_028_875, "2028-04-30"),  # 1,028,806 × 120 = 123,456,720, +69
    ],
)
def test_repay_every(cli: Cli, every: str, count: int, first: int, first_due: str) -> None:
    obj = as_json(ok(cli("repay", *HAND, "--every", every, "--format", "json")))
    assert len(obj["payments"]) == count
    assert (obj["payments"][0]["amount"], obj["payments"][0]["due"]) == (first, first_due)
    assert obj["payments"][-1]["due"] == "2038-03-31"
    assert obj["total"] == 123_456_789


@pytest.mark.parametrize("term", ["5y", "60m", "5"])
def test_repay_term_forms(cli: Cli, term: str) -> None:
    # T = 60, yearly: 5 payments of 20,000,000 due 2029-03-31 … 2033-03-31.
    obj = as_json(ok(cli("repay", "--amount", "1億", "--dev-end", "2028-03-31", "--term", term, "--format", "json")))
    assert [(p["due"], p["amount"]) for p in obj["payments"]] == [(f"{y}-03-31", 20_000_000) for y in range(2029, 2034)]


def test_repay_remainder_last_and_unit(cli: Cli) -> None:
    last = as_json(ok(cli("repay", *HAND, "--deferral", "3y", "--remainder", "last", "--format", "json")))
    assert [p["amount"] for p in last["payments"]] == [17_636_684] * 6 + [17_636_685]
    # --unit 1000: floor(123,456,789 / 7,000) × 1,000 = 17,636,000; remainder 4,789 → 17,640,789
    unit = as_json(ok(cli("repay", *HAND, "--deferral", "3y", "--unit", "1000", "--format", "json")))
    assert [p["amount"] for p in unit["payments"]] == [17_640_789] + [17_636_000] * 6
    both = as_json(
        ok(cli("repay", *HAND, "--deferral", "3y", "--unit", "1千", "--remainder", "LAST", "--format", "json"))
    )
    assert [p["amount"] for p in both["payments"]] == [17_636_000] * 6 + [17_640_789]


def test_repay_lump_and_due(cli: Cli) -> None:
    lump = as_json(ok(cli("repay", *HAND, "--deferral", "3y", "--lump", "--format", "json")))
    # one payment on add_months(E, 36 + 12) = 2032-03-31
    assert [(p["due"], p["amount"], p["balance"]) for p in lump["payments"]] == [("2032-03-31", 123_456_789, 0)]
    moved = as_json(ok(cli("repay", *HAND, "--lump", "--due", "2030-06-15", "--format", "json")))
    assert [p["due"] for p in moved["payments"]] == ["2030-06-15"]


@pytest.mark.parametrize("grade", ["S", "A", "B", "b"])
def test_repay_full_grades(cli: Cli, grade: str) -> None:
    obj = as_json(ok(cli("repay", *HAND, "--grade", grade, "--deferral", "3y", "--format", "json")))
    assert obj["grade"] == grade.upper()
    assert obj["owed"] == 123_456_789
    assert [p["amount"] for p in obj["payments"]] == HAND_AMOUNTS


def test_repay_grade_c(cli: Cli) -> None:
    # floor(123,456,789 × 10%) = 12,345,678, one payment on E + 12 = 2029-03-31
    obj = as_json(ok(cli("repay", *HAND, "--grade", "C", "--format", "json")))
    assert obj["owed"] == 12_345_678 and obj["total"] == 12_345_678
    assert [(p["due"], p["amount"], p["balance"]) for p in obj["payments"]] == [("2029-03-31", 12_345_678, 0)]
    moved = as_json(ok(cli("repay", *HAND, "--grade", "C", "--due", "2029-09-30", "--format", "json")))
    assert [p["due"] for p in moved["payments"]] == ["2029-09-30"]
    # its collateral on the same amount is the ceiling: 12,345,679
    col = as_json(ok(cli("collateral", "--amount", "123,456,789", "--format", "json")))
    assert col["collateral"] == obj["owed"] + 1


def test_repay_grade_discontinued(cli: Cli) -> None:
    obj = as_json(ok(cli("repay", *HAND, "--grade", "discontinued", "--deferral", "3y", "--format", "json")))
    assert obj["grade"] == "discontinued" and obj["owed"] == 123_456_789
    ja = ok(cli("repay", *HAND, "--grade", "discontinued", "--lang", "ja")).stdout
    assert "開発中止" in ja
    en = ok(cli("repay", *HAND, "--grade", "discontinued", "--lang", "en")).stdout
    assert "discontinued" in en


def test_repay_table_in_both_languages(cli: Cli) -> None:
    en = ok(cli("repay", *HAND, "--deferral", "3y", "--discount-rate", "3%", "--lang", "en")).stdout
    for word in (
        "Total",
        "Grade or case",
        "Payment",
        "Outstanding",
        "Due",
        "PV of repayments at the development end 2028-03-31",
        "Benefit of no interest",
        "17,636,685",
        "2032-03-31 (Wed)",
        "2038-03-31",
        "123,456,789",
        f"{HAND_PV:,} yen",
        f"{HAND_GRANT:,} yen",
        "Within the programme rules",
        "Assumptions",
    ):
        assert word in en, word
    ja = ok(cli("repay", *HAND, "--deferral", "3y", "--discount-rate", "3%", "--lang", "ja")).stdout
    for word in (
        "合計",
        "事後評価等",
        "事後評価 S/A/B",
        "各回返済額",
        "未返済残高",
        "期日",
        "現在価値",
        "無利子による利益相当額",
        "返済すべき額",
        "返済猶予（元本据置）",
        "応当日",
        "17,636,685",
        "2032-03-31（水）",
        f"{HAND_PV:,}円",
        "前提",
        "制度のルールにすべて適合しています",
    ):
        assert word in ja, word
    assert "Total" not in ja and "合計" not in en


def test_repay_csv_in_both_languages(cli: Cli) -> None:
    rows = as_csv(ok(cli("repay", *HAND, "--deferral", "3y", "--format", "csv", "--lang", "en")))
    assert rows[0] == ["no", "due", "scheduled", "amount", "cumulative", "balance"]
    assert rows[1] == ["1", "2032-03-31", "", "17636685", "17636685", "105820104"]
    assert rows[7] == ["7", "2038-03-31", "", "17636684", "123456789", "0"]
    assert rows[8] == ["Total", "", "", "123456789", "", ""]
    assert len(rows) == 9
    rows_ja = as_csv(ok(cli("repay", *HAND, "--deferral", "3y", "--format", "csv", "--lang", "ja")))
    # English keeps the stable keys (scripts read them); Japanese has the table's labels, as
    # an office opens the file in Excel (issue 22 item 3). The values are the same.
    assert rows_ja[0] == ["回", "期日", "本来の日付", "各回返済額", "累計", "未返済残高"]
    assert rows_ja[1:8] == rows[1:8] and rows_ja[8][0] == "合計"


def test_repay_default_language_from_environment(cli: Cli) -> None:
    ja = ok(cli("repay", *HAND, env={"LANG": "ja_JP.UTF-8"})).stdout
    assert "合計" in ja
    en = ok(cli("repay", *HAND, env={"LANG": "en_US.UTF-8"})).stdout
    assert "Total" in en
    # LC_ALL wins over LANG
    assert "合計" in ok(cli("repay", *HAND, env={"LANG": "en_US.UTF-8", "LC_ALL": "ja_JP.UTF-8"})).stdout


def test_repay_output_file(cli: Cli, tmp_path: Path) -> None:
    out = tmp_path / "schedule.json"
    r = ok(cli("repay", *HAND, "--deferral", "3y", "--format", "json", "--output", str(out)))
    assert r.stdout == ""
    assert [p["amount"] for p in json.loads(out.read_text("utf-8"))["payments"]] == HAND_AMOUNTS
    # an existing file is kept unless --force
    failed(cli("repay", *HAND, "--format", "json", "--output", str(out)), "--force")
    assert len(json.loads(out.read_text("utf-8"))["payments"]) == 7
    ok(cli("repay", *HAND, "--format", "json", "--output", str(out), "--force"))
    assert len(json.loads(out.read_text("utf-8"))["payments"]) == 10


# --------------------------------------------------------------------------- repay: rule breaks exit 1


@pytest.mark.parametrize(
    ("args", "rule", "count"),
    [
        # D = 48: N = (120 − 48) / 12 = 6 payments
        (("--amount", "1億", "--deferral", "4y"), "repay.deferral", 6),
        # T = 132: N = 11 payments
        (("--amount", "1億", "--term", "11y"), "repay.term", 11),
        # 600,000,000 > 500,000,000: 10 payments of 60,000,000
        (("--amount", "6億"), "amount.max", 10),
    ],
)
def test_repay_rule_breaks_print_the_schedule_and_exit_1(
    cli: Cli, args: tuple[str, ...], rule: str, count: int
) -> None:
    obj = as_json(ok(cli("repay", *args, "--dev-end", "2028-03-31", "--format", "json"), code=1))
    assert rule_ids(obj) == [rule]
    assert len(obj["payments"]) == count
    assert obj["total"] == obj["owed"]
    table = ok(cli("repay", *args, "--dev-end", "2028-03-31", "--lang", "en"), code=1).stdout
    assert rule in table and "Total" in table and obj["payments"][-1]["due"] in table
    table_ja = ok(cli("repay", *args, "--dev-end", "2028-03-31", "--lang", "ja"), code=1).stdout
    assert rule in table_ja and "合計" in table_ja
    rows = as_csv(ok(cli("repay", *args, "--dev-end", "2028-03-31", "--format", "csv"), code=1))
    assert len(rows) == count + 2  # header, payments, totals


def test_repay_all_breaks_at_once(cli: Cli) -> None:
    obj = as_json(
        ok(
            cli(
                "repay",
                "--amount",
                "6億",
                "--dev-end",
                "2028-03-31",
                "--deferral",
                "4y",
                "--term",
                "11y",
                "--format",
                "json",
            ),
            code=1,
        )
    )
    assert rule_ids(obj) == ["amount.max", "repay.deferral", "repay.term"]
    # N = (132 − 48) / 12 = 7; floor(600,000,000 / 7) = 85,714,285 (× 7 = 599,999,995), +5 first
    assert [p["amount"] for p in obj["payments"]] == [85_714_290] + [85_714_285] * 6


def test_repay_due_outside_the_window_exits_1(cli: Cli) -> None:
    on_e = as_json(ok(cli("repay", *HAND, "--lump", "--due", "2028-03-31", "--format", "json"), code=1))
    assert rule_ids(on_e) == ["repay.window"]
    late = as_json(ok(cli("repay", *HAND, "--grade", "C", "--due", "2038-04-01", "--format", "json"), code=1))
    assert rule_ids(late) == ["repay.deferral", "repay.term"]  # after E + 48 and after E + 120


# --------------------------------------------------------------------------- repay: --payments FILE


def write_csv(tmp_path: Path, body: str, name: str = "payments.csv") -> str:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return str(path)


def test_repay_payments_file_within_the_rules(cli: Cli, tmp_path: Path) -> None:
    f = write_csv(tmp_path, "due,amount\n2032-03-31,5000万\n2038-03-31,50000000\n")
    obj = as_json(ok(cli("repay", "--amount", "1億", "--dev-end", "2028-03-31", "--payments", f, "--format", "json")))
    assert obj["custom"] is True
    assert [(p["no"], p["due"], p["amount"], p["balance"]) for p in obj["payments"]] == [
        (1, "2032-03-31", 50_000_000, 50_000_000),
        (2, "2038-03-31", 50_000_000, 0),
    ]
    assert obj["total"] == obj["owed"] == 100_000_000


def test_repay_payments_file_with_bom_and_discount_rate(cli: Cli, tmp_path: Path) -> None:
    # A BOM (as Excel writes) is ignored. One payment 365 days after E at 5%: 95,238,095.
    path = tmp_path / "bom.csv"
    path.write_bytes("due,amount\n2029-03-31,1億\n".encode("utf-8-sig"))
    obj = as_json(
        ok(
            cli(
                "repay",
                "--amount",
                "1億",
                "--dev-end",
                "2028-03-31",
                "--payments",
                str(path),
                "--discount-rate",
                "0.05",
                "--format",
                "json",
            )
        )
    )
    assert (obj["present_value"], obj["grant_equivalent"]) == (95_238_095, 4_761_905)


@pytest.mark.parametrize(
    ("body", "rules"),
    [
        ("2030-03-31,9999万\n", ["repay.total"]),  # 99,990,000 ≠ 100,000,000
        ("2028-03-31,5000万\n2030-03-31,5000万\n", ["repay.window"]),  # on E
        ("2030-03-31,5000万\n2038-04-01,5000万\n", ["repay.term"]),  # after E + 120 months
        ("2032-04-01,1億\n", ["repay.deferral"]),  # first after E + 48 months
    ],
)
def test_repay_payments_file_violations_exit_1(cli: Cli, tmp_path: Path, body: str, rules: list[str]) -> None:
    f = write_csv(tmp_path, body)
    obj = as_json(
        ok(cli("repay", "--amount", "1億", "--dev-end", "2028-03-31", "--payments", f, "--format", "json"), code=1)
    )
    assert rule_ids(obj) == rules
    table = ok(cli("repay", "--amount", "1億", "--dev-end", "2028-03-31", "--payments", f), code=1).stdout
    assert rules[0] in table


def test_repay_payments_file_with_comment_before_header(cli: Cli, tmp_path: Path) -> None:
    f = write_csv(tmp_path, "# board plan v3\ndue,amount\n2032-03-31,1億\n")
    obj = as_json(ok(cli("repay", "--amount", "1億", "--dev-end", "2028-03-31", "--payments", f, "--format", "json")))
    assert [(p["due"], p["amount"]) for p in obj["payments"]] == [("2032-03-31", 100_000_000)]


def test_repay_payments_file_for_grade_c(cli: Cli, tmp_path: Path) -> None:
    f = write_csv(tmp_path, "2029-03-31,12345678\n")
    obj = as_json(ok(cli("repay", *HAND, "--grade", "C", "--payments", f, "--format", "json")))
    assert obj["owed"] == 12_345_678 and obj["violations"] == []


@pytest.mark.parametrize(
    ("body", "needles"),
    [
        ("due,amount\n2032-03-31,5000万,3\n", ("line 2", "2 columns")),
        ("due,amount\n2032-02-30,1億\n", ("line 2", "2032-02-30")),
        ("due,amount\n2032-03-31,1億\n2033-03-31,lots\n", ("line 3", "lots")),
        ("due,amount\n", ("no payments",)),
        ("", ("no payments",)),
    ],
)
def test_repay_bad_payments_file_exits_2(cli: Cli, tmp_path: Path, body: str, needles: tuple[str, ...]) -> None:
    f = write_csv(tmp_path, body)
    line = failed(cli("repay", "--amount", "1億", "--dev-end", "2028-03-31", "--payments", f), *needles)
    if "line" in needles[0]:
        assert f in line  # the file is named


def test_repay_bad_payments_file_in_japanese(cli: Cli, tmp_path: Path) -> None:
    f = write_csv(tmp_path, "due,amount\n2032-03-31,lots\n")
    failed(cli("repay", "--amount", "1億", "--dev-end", "2028-03-31", "--payments", f, "--lang", "ja"), "2行目")


def test_repay_payments_file_missing_or_mixed_with_layout_options(cli: Cli, tmp_path: Path) -> None:
    failed(
        cli("repay", "--amount", "1億", "--dev-end", "2028-03-31", "--payments", str(tmp_path / "none.csv")), "none.csv"
    )
    f = write_csv(tmp_path, "2032-03-31,1億\n")
    failed(
        cli("repay", "--amount", "1億", "--dev-end", "2028-03-31", "--payments", f, "--deferral", "3y"), "--deferral"
    )
    failed(cli("repay", "--amount", "1億", "--dev-end", "2028-03-31", "--payments", f, "--lump"), "--lump")


# --------------------------------------------------------------------------- repay: impossible input exits 2


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--grade", "C", "--deferral", "1y"), "deferral"),  # C takes no deferral
        (("--deferral", "1.5y"), "102"),  # 120 − 18 = 102, not a multiple of 12
        (("--term", "10y", "--deferral", "1.5y", "--every", "year"), "102"),
        (("--amount", "5"), "too small"),  # 5 yen over 10 payments
        (("--amount", "9999", "--unit", "1000"), "too small"),  # floor(9,999 / 10,000) = 0
        (("--deferral", "10y"), "deferral"),  # D ≥ T
        (("--deferral", "5y", "--term", "3y"), "deferral"),
        (("--due", "2030-01-01"), "--due 2030-01-01"),  # --due without --lump, grade A
        (("--every", "weekly"), "weekly"),
        (("--every", "12"), "'12'"),
        (("--remainder", "middle"), "middle"),
        (("--unit", "0"), "--unit"),
        (("--unit", "1.5"), "1.5"),
        (("--grade", "D"), "'D'"),
        (("--deferral", "1.05y"), "1.05y"),  # 12.6 months
        (("--deferral", "soon"), "soon"),
        (("--term", "-1y"), "-1y"),
        (("--discount-rate", "3x"), "3x"),
        (("--discount-rate", "150%"), "150%"),
        (("--dev-end", "2028-02-30"), "2028-02-30"),
        (("--dev-end", "31/03/2028"), "31/03/2028"),
        (("--dev-end", "9999-06-30"), "9999-06-30"),  # due dates past year 9999
        (("--dev-end", "9999-06-30", "--lump"), "9999-06-30"),
        (("--dev-end", "9999-06-30", "--grade", "C"), "9999-06-30"),
        (("--amount", "0"), "--amount"),
        (("--amount", "-1億"), "-1億"),
        (("--amount", "1.5"), "1.5"),
        (("--grade", "C", "--amount", "9"), "0 yen"),  # floor(0.9) = 0 owed
        (("--format", "xml"), "xml"),
        (("--lang", "fr"), "fr"),
    ],
)
def test_repay_impossible_input_exits_2(cli: Cli, args: tuple[str, ...], needle: str) -> None:
    base = {"--amount": "1億", "--dev-end": "2028-03-31"}
    flat: list[str] = []
    given = {a for a in args if a.startswith("--")}
    for k, v in base.items():
        if k not in given:
            flat += [k, v]
    failed(cli("repay", *flat, *args), needle)


def test_repay_error_in_japanese(cli: Cli) -> None:
    line = failed(cli("repay", *HAND, "--grade", "C", "--deferral", "1y", "--lang", "ja"))
    assert "返済猶予" in line


def test_missing_required_option_exits_2_without_traceback(cli: Cli) -> None:
    r = cli("repay", "--dev-end", "2028-03-31")
    assert r.exit_code == 2
    assert "--amount" in r.stderr and "Traceback" not in r.output
    r = cli("repay", *HAND, "--no-such-option")
    assert r.exit_code == 2 and "Traceback" not in r.output


# --------------------------------------------------------------------------- scenarios


def test_scenarios_json(cli: Cli) -> None:
    obj = as_json(ok(cli("scenarios", *HAND, "--deferral", "3y", "--discount-rate", "3%", "--format", "json")))
    assert obj["command"] == "scenarios"
    rows = {r["scenario"]: r for r in obj["scenarios"]}
    assert list(rows) == ["S/A/B", "C", "discontinued"]
    assert rows["S/A/B"]["grades"] == ["S", "A", "B"]
    # S/A/B: the hand schedule; C: 12,345,678 at once on 2029-03-31.
    r = rows["S/A/B"]
    assert (r["owed"], r["payment_count"], r["first_due"], r["last_due"]) == (
        123_456_789,
        7,
        "2032-03-31",
        "2038-03-31",
    )
    assert [p["amount"] for p in r["payments"]] == HAND_AMOUNTS
    assert (r["present_value"], r["grant_equivalent"]) == (HAND_PV, HAND_GRANT)
    # discontinued, no stop date: stopped at E with all of P paid, one lump sum on E + 12;
    # 123,456,789 / 1.03 = 119,860,960.19… → 119,860,960; grant 3,595,828.8… → 3,595,829
    d = rows["discontinued"]
    assert (d["paid"], d["dev_end"], d["owed"], d["payment_count"], d["first_due"]) == (
        123_456_789,
        "2028-03-31",
        123_456_789,
        1,
        "2029-03-31",
    )
    assert (d["present_value"], d["grant_equivalent"]) == (119_860_960, 3_595_829)
    assert any(a.startswith("No stop date given") for a in obj["assumptions"])
    c = rows["C"]
    assert (c["owed"], c["payment_count"], c["first_due"]) == (12_345_678, 1, "2029-03-31")
    # 12,345,678 / 1.03 = 11,986,095.1…; 123,456,789 − 11,986,095.1… = 111,470,693.8… → 111,470,694
    assert (c["present_value"], c["grant_equivalent"]) == (11_986_095, 111_470_694)


def test_scenarios_table_and_csv_in_both_languages(cli: Cli) -> None:
    args = ("scenarios", *HAND, "--deferral", "3y", "--discount-rate", "3%")
    en = ok(cli(*args, "--lang", "en")).stdout
    # (numeric column headers break between words, so look for the words one by one)
    for word in (
        "Grade or case",
        "grades S/A/B",
        "grade C",
        "discontinued",
        "PV of",
        "forgiven",
        "Benefit",
        f"{HAND_PV:,}",
        "11,986,095",
        # grade C: 123,456,789 − 12,345,678 forgiven; 12,345,678 − 11,986,095 the benefit of no interest
        "111,111,111",
        "359,583",
    ):
        assert word in en, word
    ja = ok(cli(*args, "--lang", "ja")).stdout
    for word in (
        "事後評価等",
        "事後評価 S/A/B",
        "事後評価 C",
        "開発中止の場合",
        "返済額の現在価値",
        "返済免除額",
        "無利子による利益相当額",
        "返済すべき額",
        "各回返済額の合計",
    ):
        assert word in ja, word
    # 開発中止 is a status, not a grade; the money is no 補助金 (a legal category it is not in)
    assert "補助金" not in ja and "評価：開発中止" not in ja and "開発中止評価" not in ja
    rows = as_csv(ok(cli(*args, "--format", "csv", "--lang", "en")))
    assert rows[0] == [
        "name",
        "owed",
        "forgiven",
        "payment_count",
        "first_due",
        "first_scheduled",
        "last_due",
        "last_scheduled",
        "total",
        "present_value",
        "interest_benefit",
    ]
    assert [r[1] for r in rows[1:]] == ["123456789", "12345678", "123456789"]
    assert [r[2] for r in rows[1:]] == ["0", "111111111", "0"]
    assert rows[2][9:] == ["11986095", "359583"]


def test_scenarios_without_rate_has_no_pv_columns(cli: Cli) -> None:
    rows = as_csv(ok(cli("scenarios", *HAND, "--format", "csv")))
    assert "present_value" not in rows[0]
    obj = as_json(ok(cli("scenarios", *HAND, "--format", "json")))
    assert all("present_value" not in r for r in obj["scenarios"])


def test_scenarios_layout_options(cli: Cli) -> None:
    # --every quarter --unit 1000 --remainder last over 120 months: N = 40,
    # floor(123,456,789 / 40,000) × 1,000 = 3,086,000; 40 × 3,086,000 = 123,440,000; +16,789 last.
    obj = as_json(
        ok(cli("scenarios", *HAND, "--every", "quarter", "--unit", "1000", "--remainder", "last", "--format", "json"))
    )
    sab = obj["scenarios"][0]
    assert sab["payment_count"] == 40
    assert [p["amount"] for p in sab["payments"]][-2:] == [3_086_000, 3_102_789]
    # grade C is still one payment, on add_months(E, 12) = 2029-03-31 whatever --every says
    assert obj["scenarios"][1]["payments"] == [
        {"no": 1, "due": "2029-03-31", "amount": 12_345_678, "cumulative": 12_345_678, "balance": 0},
    ]


def test_scenarios_lump_with_due(cli: Cli) -> None:
    # --due moves the grades' lump sums; discontinued keeps its own default (stop + 12 months)
    obj = as_json(ok(cli("scenarios", *HAND, "--lump", "--due", "2030-06-15", "--format", "json")))
    assert [r["first_due"] for r in obj["scenarios"]] == ["2030-06-15", "2030-06-15", "2029-03-31"]
    assert [r["payment_count"] for r in obj["scenarios"]] == [1, 1, 1]


@pytest.mark.parametrize("every", ["year", "half", "quarter", "month"])
def test_scenarios_grade_c_due_a_year_after_the_end_whatever_every_says(cli: Cli, every: str) -> None:
    # Issue 10 done-when: grade C (and discontinued) due add_months(2029-09-30, 12) = 2030-09-30;
    # the present value of C does not move either: 30,000,000 / 1.05 = 28,571,428.57… → 28,571,429.
    obj = as_json(
        ok(
            cli(
                "scenarios",
                "--amount",
                "3億",
                "--dev-end",
                "2029-09-30",
                "--every",
                every,
                "--discount-rate",
                "5%",
                "--format",
                "json",
            )
        )
    )
    rows = {r["scenario"]: r for r in obj["scenarios"]}
    assert rows["C"]["payments"] == [
        {"no": 1, "due": "2030-09-30", "amount": 30_000_000, "cumulative": 30_000_000, "balance": 0}
    ]
    assert rows["C"]["present_value"] == 28_571_429
    assert rows["discontinued"]["first_due"] == "2030-09-30"
    table = ok(cli("scenarios", "--amount", "3億", "--dev-end", "2029-09-30", "--every", every)).stdout
    assert "2030-09-30" in next(line for line in table.splitlines() if line.startswith("grade C"))


def test_scenarios_with_start_end_and_stop(cli: Cli) -> None:
    # 12 quarterly advances of 25,000,000 from 2026-10-01; stopped 2028-06-30 → the 7 dated up to
    # 2028-04-01 = 175,000,000, repaid on 2029-06-30.
    obj = as_json(
        ok(
            cli(
                "scenarios",
                "--amount",
                "3億",
                "--start",
                "2026-10-01",
                "--end",
                "2029-09-30",
                "--stop",
                "2028-06-30",
                "--format",
                "json",
            )
        )
    )
    assert (obj["start"], obj["end"], obj["stop"], obj["dev_end"]) == (
        "2026-10-01",
        "2029-09-30",
        "2028-06-30",
        "2029-09-30",
    )
    d = obj["scenarios"][2]
    assert (d["paid"], d["dev_end"], d["owed"], d["first_due"]) == (
        175_000_000,
        "2028-06-30",
        175_000_000,
        "2029-06-30",
    )
    assert obj["scenarios"][0]["owed"] == 300_000_000
    # without --stop, with the period: stopped at the end, all 300,000,000 paid
    obj = as_json(
        ok(cli("scenarios", "--amount", "3億", "--start", "2026-10-01", "--end", "2029-09-30", "--format", "json"))
    )
    assert (obj["scenarios"][2]["paid"], obj["scenarios"][2]["first_due"]) == (300_000_000, "2030-09-30")
    # --dev-end agreeing with --end is fine
    ok(
        cli(
            "scenarios",
            "--amount",
            "3億",
            "--start",
            "2026-10-01",
            "--end",
            "2029-09-30",
            "--dev-end",
            "2029-09-30",
            "--stop",
            "2028-06-30",
        )
    )
    # a period over 36 months is still computed and named
    obj = as_json(
        ok(
            cli(
                "scenarios",
                "--amount",
                "3億",
                "--start",
                "2026-10-01",
                "--end",
                "2030-09-30",
                "--stop",
                "2028-06-30",
                "--format",
                "json",
            ),
            code=1,
        )
    )
    assert rule_ids(obj) == ["period.max"]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--dev-end", "2029-09-30", "--stop", "2028-06-30"), "--stop 2028-06-30"),  # no period to pay from
        (("--start", "2026-10-01", "--end", "2029-09-30", "--stop", "2030-01-01"), "outside the development period"),
        (("--start", "2026-10-01", "--end", "2029-09-30", "--stop", "2026-09-30"), "--stop 2026-09-30"),
        (("--start", "2026-10-01", "--end", "2029-09-30", "--stop", "soon"), "--stop 'soon'"),
        (
            (
                "--start",
                "2026-10-01",
            ),
            "--end",
        ),
        (
            (
                "--end",
                "2029-09-30",
            ),
            "--start",
        ),
        (("--start", "2029-10-01", "--end", "2029-09-30"), "before the start"),
        (("--start", "2026-10-01", "--end", "2029-09-30", "--dev-end", "2029-06-30"), "--dev-end '2029-06-30'"),
        ((), "--dev-end"),
    ],
)
def test_scenarios_period_and_stop_errors_exit_2(cli: Cli, args: tuple[str, ...], needle: str) -> None:
    failed(cli("scenarios", "--amount", "3億", *args), needle)


def test_repay_first_payment_rule_is_one_for_every_layout(cli: Cli, tmp_path: Path) -> None:
    # Issue 10 done-when: a lump sum at year 10 exits 1 naming repay.deferral, and so does the
    # same single payment given as a CSV.
    lump = cli(
        "repay", "--amount", "3億", "--dev-end", "2029-09-30", "--lump", "--due", "2039-09-30", "--format", "json"
    )
    f = tmp_path / "p.csv"
    f.write_text("due,amount\n2039-09-30,3億\n", "utf-8")
    custom = cli("repay", "--amount", "3億", "--dev-end", "2029-09-30", "--payments", str(f), "--format", "json")
    for result in (lump, custom):
        assert rule_ids(as_json(ok(result, code=1))) == ["repay.deferral"]


def test_repay_discontinued(cli: Cli) -> None:
    obj = as_json(
        ok(cli("repay", "--amount", "1億", "--dev-end", "2028-06-30", "--grade", "discontinued", "--format", "json"))
    )
    assert (obj["owed"], obj["payment_count"], obj["first_due"], obj["lump"]) == (100_000_000, 1, "2029-06-30", True)
    assert any("JST decides" in a for a in obj["assumptions"])
    # installments only when asked, with the note
    obj = as_json(
        ok(
            cli(
                "repay",
                "--amount",
                "1億",
                "--dev-end",
                "2028-06-30",
                "--grade",
                "discontinued",
                "--every",
                "half",
                "--format",
                "json",
            )
        )
    )
    assert obj["payment_count"] == 20 and any("JST's decision" in a for a in obj["assumptions"])


def test_rules_applied_never_files_another_source_under_the_brochure(cli: Cli) -> None:
    for args in (
        ("repay", "--amount", "1億", "--dev-end", "2028-06-30", "--grade", "discontinued"),
        ("scenarios", *HAND),
        ("rules",),
    ):
        out = ok(cli(*args, "--format", "json")).stdout
        table = ok(cli(*args, "--lang", "en")).stdout
        applied = table[table.index("Rules applied") :]
        for line in applied.split("  • ")[1:]:
            if "開発中止" in line.split(":", 1)[-1][:10]:
                assert "(2025 call guidelines, as publicly summarised)" in line, line
            if "milestone" in line:
                assert "(JST's A-STEP repayment page)" in line, line
        assert "(brochure 20240423): 開発中止" not in " ".join(applied.split())
        assert json.loads(out)["command"] == args[0]


def test_rules_shows_a_source_column(cli: Cli) -> None:
    obj = as_json(ok(cli("rules", "--format", "json")))
    assert {m["source"] for m in obj["menus"]} == {"brochure"}
    assert {g["id"]: g["source"] for g in obj["jisso"]["grades"]}["discontinued"] == "guidelines-2025"
    assert obj["jisso"]["lump_due_months"] == 12 and obj["jisso"]["first_due_max_months"] == 48
    table = ok(cli("rules", "--lang", "en")).stdout
    assert "Source" in table and "assumption" in table and "2025 call guidelines" in table
    assert "出典" in ok(cli("rules", "--lang", "ja")).stdout


def test_scenarios_rule_break_exits_1(cli: Cli) -> None:
    obj = as_json(ok(cli("scenarios", *HAND, "--deferral", "4y", "--format", "json"), code=1))
    assert rule_ids(obj) == ["repay.deferral"]  # reported once, not once per scenario
    assert len(obj["scenarios"]) == 3
    obj = as_json(ok(cli("scenarios", "--amount", "6億", "--dev-end", "2028-03-31", "--format", "json"), code=1))
    assert rule_ids(obj) == ["amount.max"]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("--deferral", "1.5y"), "102"),
        (("--every", "fortnight"), "fortnight"),
        (("--amount", "5"), "too small"),
        (("--discount-rate", "abc"), "abc"),
    ],
)
def test_scenarios_impossible_input_exits_2(cli: Cli, args: tuple[str, ...], needle: str) -> None:
    base = {"--amount": "123,456,789", "--dev-end": "2028-03-31"}
    flat = [x for k, v in base.items() if k not in args for x in (k, v)]
    failed(cli("scenarios", *flat, *args), needle)


def test_csv_names_broken_rules_on_stderr(cli: Cli) -> None:
    # CSV holds only the table; the reason for exit 1 goes to standard error.
    result = cli("repay", "--amount", "6億", "--dev-end", "2028-03-31", "--format", "csv", "--lang", "en")
    assert result.exit_code == 1
    assert as_csv(result)[0][:2] == ["no", "due"]
    assert "amount.max" in result.stderr and "amount.max" not in result.stdout


def test_lump_with_a_term_shorter_than_one_period_is_unusable(cli: Cli) -> None:
    # --lump falls due one period (12 months) after the deferral; a 6-month term cannot hold it.
    result = cli("repay", "--amount", "1億", "--dev-end", "2028-03-31", "--lump", "--term", "6m", "--lang", "en")
    failed(result, "6 months")


def test_rates_in_json_are_exact_decimal_strings(cli: Cli) -> None:
    obj = as_json(
        cli("repay", "--amount", "1億", "--dev-end", "2028-03-31", "--discount-rate", "3%", "--format", "json")
    )
    assert obj["discount_rate"] == "0.03"


def test_present_value_assumption_reads_the_stop_date_for_development_stopped(cli: Cli) -> None:
    # 開発中止's schedule runs from its stop date, so the valuation date named "the development
    # end" must be read as the stop date there, and only where such a case is shown.
    stop = ("--amount", "3億", "--start", "2027-04-01", "--end", "2030-03-31", "--discount-rate", "8%")
    out = cli("scenarios", *stop, "--stop", "2029-03-31", "--lang", "ja").expect(0)
    assert "開発中止の場合は、開発終了日を中止日と読み替える" in out.stdout.replace("\n", "").replace(" ", "")
    repay = ("repay", "--amount", "3億", "--dev-end", "2030-03-31", "--discount-rate", "8%", "--lang", "en")
    said = "the stop date takes the development end's place"
    assert said in " ".join(cli(*repay, "--grade", "discontinued").expect(0).stdout.split())
    assert said not in " ".join(cli(*repay, "--grade", "A").expect(0).stdout.split())
