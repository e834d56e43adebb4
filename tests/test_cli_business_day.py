"""``--business-day`` through disburse, repay, scenarios and plan, and the plan key ``business_day``.

Hand cases (weekdays from the calendar, closed days from SPEC §3):
- advances of 3億 from 2027-10-01 for 12 months: 75,000,000 on 2027-10-01 (Fri), 2028-01-01 (Sat, 元日),
  2028-04-01 (Sat), 2028-07-01 (Sat). following: 01-04 (Tue; 01-03 is 銀行休業日), 04-03 (Mon),
  07-03 (Mon). preceding would move each back into the previous quarter (2027-12-30, 03-31,
  06-30): a move never leaves its window (SPEC §3), so they move forward, as with following.
- 1億 repaid as a lump sum 12 months after 2027-09-30: 2028-09-30 (Sat). following: 10-02 (Mon);
  modified-following stays in September: 09-29 (Fri).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result as CliResult

from astep_calc.dates import fiscal_quarter

Cli = Callable[..., CliResult]
DISBURSE = ("disburse", "--amount", "3億", "--start", "2027-10-01", "--months", "12")
LUMP = ("repay", "--amount", "1億", "--dev-end", "2027-09-30", "--lump")


def as_json(result: CliResult) -> Any:
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return json.loads(result.stdout)


def test_disburse_following_moves_new_years_day_to_january_4(cli: Cli) -> None:
    data = as_json(cli(*DISBURSE, "--business-day", "following", "--format", "json"))
    assert [(a["date"], a.get("scheduled"), a["amount"]) for a in data["advances"]] == [
        ("2027-10-01", None, 75_000_000),
        ("2028-01-04", "2028-01-01", 75_000_000),
        ("2028-04-03", "2028-04-01", 75_000_000),
        ("2028-07-03", "2028-07-01", 75_000_000),
    ]
    assert data["business_day"] == "following"
    assert any("Business days (following)" in a and "(--business-day)" in a for a in data["assumptions"])


def test_disburse_preceding_never_leaves_the_quarter(cli: Cli) -> None:
    data = as_json(cli(*DISBURSE, "--business-day", "preceding", "--format", "json"))
    # 2027-12-30, 2028-03-31 and 2028-06-30 are in the quarter before: forward instead.
    assert [a["date"] for a in data["advances"]] == ["2027-10-01", "2028-01-04", "2028-04-03", "2028-07-03"]
    note = next(a for a in data["assumptions"] if a.startswith("Under preceding"))
    assert "2028-01-01 → 2028-01-04, 2028-04-01 → 2028-04-03, 2028-07-01 → 2028-07-03" in note
    assert note.endswith("(--business-day)")


def test_the_first_advance_never_moves_before_the_start(cli: Cli) -> None:
    # Issue 22 item 2: from 2027-01-01 (元日, a Friday) preceding would pay on 2026-12-30, before
    # the development starts and before the collateral is posted; it moves to Mon 2027-01-04.
    # Over 36 months no advance may leave its fiscal quarter either.
    data = as_json(
        cli(
            "disburse",
            "--amount",
            "3億",
            "--start",
            "2027-01-01",
            "--months",
            "36",
            "--business-day",
            "preceding",
            "--format",
            "json",
        )
    )
    dates = [date.fromisoformat(a["date"]) for a in data["advances"]]
    assert min(dates) == date(2027, 1, 4)
    for a, d in zip(data["advances"], dates, strict=True):
        fy, q = int(a["quarter"][2:6]), int(a["quarter"][-1])
        assert fiscal_quarter(d) == (fy, q), a
    ja = as_json(
        cli(
            "disburse",
            "--amount",
            "3億",
            "--start",
            "2027-01-01",
            "--months",
            "36",
            "--business-day",
            "preceding",
            "--format",
            "json",
            "--lang",
            "ja",
        )
    )
    assert any(
        a.startswith("前営業日に移動すると当該四半期の外または開発開始日より前になるため") for a in ja["assumptions"]
    )


def test_modified_preceding(cli: Cli) -> None:
    # 1億 as a lump sum 12 months after 2027-10-31: 2028-10-31 is a Tuesday, so nothing moves;
    # after 2028-03-31: 2029-03-31 (Sat) → Fri 03-30 under preceding and modified-preceding alike.
    # 2026-08-01 (Sat): preceding goes back to Fri 07-31, out of August; modified-preceding
    # stays in August: Mon 08-03.
    lump = ("repay", "--amount", "1億", "--dev-end", "2025-08-01", "--lump", "--format", "json")
    assert as_json(cli(*lump, "--business-day", "preceding"))["payments"][0]["due"] == "2026-07-31"
    data = as_json(cli(*lump, "--business-day", "modified-preceding"))
    assert (data["payments"][0]["due"], data["payments"][0]["scheduled"]) == ("2026-08-03", "2026-08-01")
    assert data["business_day"] == "modified-preceding"
    ja = cli(*lump[:-2], "--business-day", "modified-preceding", "--lang", "ja").stdout
    assert "修正前営業日" in "".join(ja.split())


def test_disburse_table_shows_the_unmoved_date_beside_the_moved_one(cli: Cli) -> None:
    text = cli(*DISBURSE, "--business-day", "following", "--lang", "ja").stdout
    assert "2028-01-04（火）" in text and "2028-01-01（土・休）" in text
    assert "本来の日付" in text
    en = cli(*DISBURSE, "--business-day", "following", "--lang", "en").stdout
    assert "2028-01-04 (Tue)" in en and "2028-01-01 (Sat, closed)" in en and "Scheduled" in en


def test_with_none_dates_stay_but_closed_days_are_marked(cli: Cli) -> None:
    ja = cli(*DISBURSE, "--lang", "ja").stdout
    assert "2028-01-01（土・休）" in ja and "2027-10-01（金）" in ja
    assert "本来の日付" not in ja  # nothing moved: no extra column
    flat = "".join(ja.split())  # the assumption wraps wherever the table width puts it
    assert "期日・前払日が休日に当たっても調整しない" in flat and "--business-day" in flat
    en = cli(*DISBURSE, "--lang", "en").stdout
    assert "2028-01-01 (Sat, closed)" in en
    assert "Dates falling on a weekend or holiday are not adjusted" in " ".join(en.split())
    data = as_json(cli(*DISBURSE, "--format", "json"))
    assert [a["date"] for a in data["advances"]] == ["2027-10-01", "2028-01-01", "2028-04-01", "2028-07-01"]
    assert all("scheduled" not in a for a in data["advances"]) and data["business_day"] == "none"


def _pv_one_payment(days: int) -> int:
    # 100,000,000 / 1.03^(days / 365), rounded half-even, worked out here at 60 digits.
    with localcontext() as ctx:
        ctx.prec = 60
        pv = Decimal(100_000_000) / Decimal("1.03") ** (Decimal(days) / 365)
        return int(pv.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def test_repay_moves_the_due_date_and_values_it_on_the_moved_date(cli: Cli) -> None:
    data = as_json(cli(*LUMP, "--business-day", "modified-following", "--discount-rate", "3%", "--format", "json"))
    assert [(p["due"], p["scheduled"]) for p in data["payments"]] == [("2028-09-29", "2028-09-30")]
    # 2027-09-30 → 2028-09-29 is 365 days: exactly one year, 100,000,000 / 1.03 = 97,087,378.64… → 97,087,379.
    assert data["present_value"] == _pv_one_payment(365) == 97_087_379
    unmoved = as_json(cli(*LUMP, "--discount-rate", "3%", "--format", "json"))
    assert [p["due"] for p in unmoved["payments"]] == ["2028-09-30"] and "scheduled" not in unmoved["payments"][0]
    assert unmoved["present_value"] == _pv_one_payment(366)  # 2028 is a leap year
    following = as_json(cli(*LUMP, "--business-day", "following", "--format", "json"))
    assert following["payments"][0]["due"] == "2028-10-02"
    assert following["violations"] == []  # the rule checks keep the scheduled date


def test_repay_table_and_csv(cli: Cli) -> None:
    text = cli(*LUMP, "--business-day", "following", "--lang", "en").stdout
    assert "2028-10-02 (Mon)" in text and "2028-09-30 (Sat, closed)" in text
    csv_text = cli(*LUMP, "--business-day", "following", "--format", "csv").stdout
    header, row = csv_text.splitlines()[:2]
    assert header.split(",")[:3] == ["no", "due", "scheduled"]
    assert row.split(",")[:3] == ["1", "2028-10-02", "2028-09-30"]
    # The same header when no date moves: a script reads the CSV by column name.
    unmoved = cli(*LUMP, "--format", "csv").stdout.splitlines()
    assert unmoved[0] == header and unmoved[1].split(",")[:3] == ["1", "2028-09-30", ""]
    # The table shows the column only when a date moved.
    assert "Scheduled" not in cli(*LUMP, "--lang", "en").stdout


@pytest.mark.parametrize(
    ("args", "moving"),
    [
        (("disburse", "--amount", "3億", "--start", "2027-10-01", "--months", "12"), "following"),
        (("scenarios", "--amount", "1億", "--dev-end", "2028-09-30", "--deferral", "3y", "--term", "7y"), "following"),
    ],
)
def test_csv_header_is_the_same_whether_a_date_moved_or_not(cli: Cli, args: tuple[str, ...], moving: str) -> None:
    moved = cli(*args, "--business-day", moving, "--format", "csv").stdout.splitlines()
    still = cli(*args, "--business-day", "none", "--format", "csv").stdout.splitlines()
    assert moved != still  # a date did move...
    assert moved[0] == still[0]  # ...and the header did not change
    assert "scheduled" in moved[0]


def test_repay_custom_payments_move_too(cli: Cli, tmp_path: Path) -> None:
    f = tmp_path / "p.csv"
    f.write_text("due,amount\n2029-01-01,5000万\n2030-03-31,5000万\n", encoding="utf-8")  # Mon 元日; Sun
    data = as_json(
        cli(
            "repay",
            "--amount",
            "1億",
            "--dev-end",
            "2027-09-30",
            "--payments",
            str(f),
            "--business-day",
            "following",
            "--format",
            "json",
        )
    )
    assert [(p["due"], p.get("scheduled")) for p in data["payments"]] == [
        ("2029-01-04", "2029-01-01"),
        ("2030-04-01", "2030-03-31"),
    ]


def test_scenarios_move_every_schedule(cli: Cli) -> None:
    data = as_json(
        cli(
            "scenarios",
            "--amount",
            "1億",
            "--dev-end",
            "2027-09-30",
            "--lump",
            "--business-day",
            "modified-following",
            "--format",
            "json",
        )
    )
    for sc in data["scenarios"]:
        assert sc["payments"][0]["due"] == "2028-09-29", sc["scenario"]
        assert sc["payments"][0]["scheduled"] == "2028-09-30"
    assert data["business_day"] == "modified-following"
    assert sum("modified-following" in a for a in data["assumptions"]) == 1


# 3億 from 2025-09-30 in 10 yearly installments: the last falls due 2035-09-30, a Sunday
# (following would pay on Mon 2035-10-01, after the term: Fri 2035-09-28 instead); the first,
# 2026-09-30, is a Wednesday and never moves.
SCENARIOS = ("scenarios", "--amount", "3億", "--dev-end", "2025-09-30")


def test_scenarios_table_marks_closed_days_and_shows_the_unmoved_last_due(cli: Cli) -> None:
    ja = cli(*SCENARIOS, "--lang", "ja").stdout
    assert "2035-09-30（日・休）" in ja and "2026-09-30（水）" in ja and "本来の日付" not in ja
    en = cli(*SCENARIOS, "--business-day", "following", "--lang", "en").stdout
    row = next(line for line in en.splitlines() if line.startswith("grades S/A/B"))
    assert "2035-09-28 (Fri)" in row and "2035-09-30 (Sun, closed)" in row
    table = en.split("Assumptions")[0]
    assert "Scheduled" in table and "(first" not in table  # a column for the moved last due only


def test_scenarios_json_carries_the_unmoved_first_and_last_due(cli: Cli) -> None:
    moved = {
        sc["scenario"]: sc
        for sc in as_json(cli(*SCENARIOS, "--business-day", "following", "--format", "json"))["scenarios"]
    }
    sab = moved["S/A/B"]
    assert (sab["last_due"], sab["last_scheduled"]) == ("2035-09-28", "2035-09-30")
    assert "first_scheduled" not in sab and sab["payments"][-1]["scheduled"] == "2035-09-30"
    unmoved = as_json(cli(*SCENARIOS, "--format", "json"))["scenarios"]
    assert all("last_scheduled" not in sc and "first_scheduled" not in sc for sc in unmoved)


def test_scenarios_workbook_marks_closed_days_by_number_format(cli: Cli, tmp_path: Path) -> None:
    import openpyxl

    for convention, closed_cell in (("none", "F3"), ("following", "G3")):
        target = tmp_path / f"{convention}.xlsx"
        cli(*SCENARIOS, "--business-day", convention, "--lang", "en", "-o", str(target)).expect(0)
        ws = openpyxl.load_workbook(target)["scenarios"]
        assert ws["E3"].number_format == "yyyy-mm-dd"  # 2026-09-30, a Wednesday
        assert ws[closed_cell].value.date().isoformat() == "2035-09-30"
        assert ws[closed_cell].number_format == 'yyyy-mm-dd" (closed)"'
    assert [c.value for c in ws[2]][4:7] == ["First due date", "Last due date", "Scheduled (last due)"]
    assert ws["F3"].number_format == "yyyy-mm-dd"  # moved to Friday 2035-09-28, within the term


def test_scenarios_stop_counts_advances_by_the_day_the_money_moved(cli: Cli) -> None:
    # Stopped on 2028-01-03: the 2028-01-01 advance moved to 01-04 had not been paid yet.
    args = (
        "scenarios",
        "--amount",
        "3億",
        "--start",
        "2027-10-01",
        "--end",
        "2028-09-30",
        "--stop",
        "2028-01-03",
        "--format",
        "json",
    )
    moved = as_json(cli(*args, "--business-day", "following"))
    unmoved = as_json(cli(*args))
    paid = {sc["scenario"]: sc["paid"] for sc in moved["scenarios"]}
    assert paid["discontinued"] == 75_000_000
    assert {sc["scenario"]: sc["paid"] for sc in unmoved["scenarios"]}["discontinued"] == 150_000_000


PLAN = """\
menu = "jisso"
start = 2027-10-01
end = 2028-09-30
amount = "3億"
collateral = "3000万"
{key}
[repayment]
lump = true
"""


def test_plan_key_and_option(cli: Cli, tmp_path: Path) -> None:
    f = tmp_path / "plan.toml"
    f.write_text(PLAN.format(key='business_day = "following"'), encoding="utf-8")
    phase = as_json(cli("plan", str(f), "--format", "json"))["phases"][0]
    assert [a["date"] for a in phase["advances"]] == ["2027-10-01", "2028-01-04", "2028-04-03", "2028-07-03"]
    # lump 12 months after 2028-09-30: 2029-09-30 (Sun) → 2029-10-01 (Mon)
    assert [(p["due"], p["scheduled"]) for p in phase["repayment"]["payments"]] == [("2029-10-01", "2029-09-30")]
    # the option overrides the plan key
    phase = as_json(cli("plan", str(f), "--business-day", "none", "--format", "json"))["phases"][0]
    assert phase["advances"][1]["date"] == "2028-01-01"
    text = cli("plan", str(f), "--lang", "en").stdout
    assert "2028-01-04 (Tue)" in text and "2028-01-01 (Sat, closed)" in text
    check = cli("check", str(f), "--format", "json")
    assert check.exit_code == 0
    assert any("(plan key business_day)" in a for a in json.loads(check.stdout)["assumptions"])


def test_plan_cash_flow_uses_the_moved_dates(cli: Cli, tmp_path: Path) -> None:
    # following moves the 2028-04-01 advance to 2028-04-03 and the lump sum due 2029-09-30 (Sun)
    # to 2029-10-01: the cash flow counts them there. preceding would move the 2028-04-01 advance
    # into FY2027 (03-31): it stays in its quarter, so FY2027 keeps two advances.
    f = tmp_path / "plan.toml"
    for convention in ("following", "preceding"):
        f.write_text(PLAN.format(key=f'business_day = "{convention}"'), encoding="utf-8")
        data = as_json(cli("plan", str(f), "--format", "json"))
        jst = {row["fiscal_year"]: row["jst_in"] for row in data["fiscal_years"]}
        assert jst[2027] == 150_000_000 and jst[2028] == 150_000_000, convention


@pytest.mark.parametrize("command", [DISBURSE, LUMP, ("scenarios", "--amount", "1億", "--dev-end", "2027-09-30")])
def test_a_bad_convention_is_exit_2_quoting_it(cli: Cli, command: tuple[str, ...]) -> None:
    result = cli(*command, "--business-day", "follow", "--lang", "en", strict=False)
    assert result.exit_code == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "--business-day 'follow'" in result.stderr and "did you mean following" in result.stderr


def test_a_bad_plan_key_is_exit_2_naming_the_key(cli: Cli, tmp_path: Path) -> None:
    f = tmp_path / "plan.toml"
    f.write_text(PLAN.format(key='business_day = "modified following"'), encoding="utf-8")
    for command in ("plan", "check"):
        result = cli(command, str(f), "--lang", "en", strict=False)
        assert result.exit_code == 2, (command, result.stdout, result.stderr)
        assert "business_day" in result.output and "modified following" in result.output
        assert "Traceback" not in result.output


def test_a_payment_never_moves_past_the_term(cli: Cli) -> None:
    # 3億 yearly over the full 120-month term from 2025-09-30: the last due date is
    # add_months(2025-09-30, 120) = 2035-09-30, a Sunday. following would pay on Mon 2035-10-01,
    # after the term: it moves back to Fri 2035-09-28 instead (SPEC §3), with a note.
    args = ("repay", "--amount", "3億", "--dev-end", "2025-09-30", "--business-day", "following")
    data = as_json(cli(*args, "--format", "json"))
    last = data["payments"][-1]
    assert (last["due"], last["scheduled"]) == ("2035-09-28", "2035-09-30")
    assert data["payments"][2]["due"] == "2028-10-02"  # 2028-09-30 (Sat) still moves forward
    assert data["violations"] == []
    assert any(a.startswith("Under following") and "2035-09-30 → 2035-09-28" in a for a in data["assumptions"])
    ja = as_json(cli(*args, "--format", "json", "--lang", "ja"))
    assert any("民法142条" in a for a in ja["assumptions"])
    assert any("2035-09-30→2035-09-28" in a for a in ja["assumptions"])


def test_a_payment_never_moves_into_the_deferral_or_onto_the_end(cli: Cli) -> None:
    # A lump sum --due 2029-04-01 (Sun) after a development end 2029-03-31 (Sat), preceding:
    # back to 2029-03-30 would be before the end; forward to Mon 2029-04-02 instead.
    data = as_json(
        cli(
            "repay",
            "--amount",
            "1億",
            "--dev-end",
            "2029-03-31",
            "--lump",
            "--due",
            "2029-04-01",
            "--business-day",
            "preceding",
            "--format",
            "json",
        )
    )
    assert [(p["due"], p["scheduled"]) for p in data["payments"]] == [("2029-04-02", "2029-04-01")]
