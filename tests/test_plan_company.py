"""``[company]`` in plan files (SPEC §9, issue 20 item 1): read key by key as plan_format
declares them, every error at ``file:line: key``; the projections from the plan or from
``astep plan --company FILE``, never both."""

from __future__ import annotations

from fractions import Fraction

import pytest

from astep_calc.company import Company, Projection
from astep_calc.phases import evaluate
from astep_calc.plans import Projections, company_result, parse_plan_file
from astep_calc.rulebook import Rulebook
from astep_calc.text import InputError

JISSO = (
    'menu = "jisso"\nstart = 2027-04-01\nend = 2028-03-31\namount = "1億"\ncollateral = "1000万"\n'
    "[repayment]\nlump = true\n"
)  # 4 advances of 25,000,000 from 2027-04-01; 100,000,000 due 2029-03-31
COMPANY = """[company]
name = "株式会社サンプルセンサー"
cash = "5000万"
min_cash = "1000万"
coverage = "1.2倍"
[company.flows]
2027 = { operating = "-6000万" }
2028 = { operating = "1.2億", investing = "△1,000,000", financing = "(2,000,000)" }
"""


def refused(rb: Rulebook, text: str, projections: Projections | None = None) -> str:
    with pytest.raises(InputError) as info:
        parse_plan_file(text, "p.toml", rb, projections=projections)
    return info.value.text.en


def test_every_key_is_read_as_declared(rb: Rulebook) -> None:
    company = parse_plan_file(JISSO + COMPANY, "p.toml", rb).company
    assert company == Company(
        cash=50_000_000,
        flows=(Projection(2027, -60_000_000), Projection(2028, 120_000_000, -1_000_000, -2_000_000)),
        name="株式会社サンプルセンサー",
        min_cash=10_000_000,
        coverage=Fraction(6, 5),
    )


def test_a_plan_without_company_has_none(rb: Rulebook) -> None:
    assert parse_plan_file(JISSO, "p.toml", rb).company is None


def test_a_plan_of_phases_takes_a_company_at_its_top(rb: Rulebook) -> None:
    text = '[[phase]]\nmenu = "stage1"\nstart = 2027-04-01\nmonths = 12\n' + COMPANY
    assert parse_plan_file(text, "p.toml", rb).company is not None


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ('coverage = "1.2倍"', "coverage = 0"),
            "p.toml:12: key 'company.coverage': 0 must be more than 0 and at most 100",
        ),
        (('coverage = "1.2倍"', 'coverage = "1.2x"'), "p.toml:12: key 'company.coverage': '1.2x' is not a ratio"),
        (('cash = "5000万"', 'cash = "-5000万"'), "p.toml:10: key 'company.cash': '-5000万' is negative"),
        (('min_cash = "1000万"\n', 'guarantee_fee = "1%"\n'), "p.toml:11: key 'company.guarantee_fee': a guarantee"),
        (("name = ", "nmae = "), "p.toml:9: key 'company.nmae': unknown key here"),
        (('operating = "-6000万"', 'operating = "-6000万円也"'), "p.toml:14: key 'company.flows.2027.operating'"),
        (('operating = "-6000万"', "revenue = 1"), "p.toml:14: key 'company.flows.2027.revenue': unknown key"),
        (("2027 = {", "FY2027 = {"), "p.toml:14: key 'company.flows.FY2027': is not a fiscal year"),
        (("2028 = {", "2029 = {"), "p.toml:13: key 'company.flows': FY2028 is missing between FY2027 and FY2029"),
    ],
)
def test_an_unusable_company_names_file_line_and_key(rb: Rulebook, change: tuple[str, str], message: str) -> None:
    text = JISSO + COMPANY.replace(*change)
    assert refused(rb, text).startswith(message), refused(rb, text)


def test_a_company_without_projections_is_read_and_refused_by_plan(rb: Rulebook) -> None:
    """Projections kept in a file: the plan reads (a check leaves the company's rules out),
    and astep plan without --company says where to give them."""
    plan = parse_plan_file(JISSO + COMPANY.split("[company.flows]")[0], "p.toml", rb)
    assert plan.company is not None and plan.company.flows == ()
    with pytest.raises(InputError) as info:
        company_result(plan, evaluate(rb, plan.model))
    assert info.value.text.en.startswith(
        "p.toml:8: key 'company.flows': the company's projections are not given: write them in [company.flows]"
    )
    assert "--company FILE" in info.value.text.en and "--company FILE" in info.value.text.ja
    assert refused(rb, JISSO + COMPANY.split("2027 =")[0]).startswith(
        "p.toml:13: key 'company.flows': holds no fiscal year"
    )


def test_projections_from_a_file_complete_the_company_but_never_twice(rb: Rulebook) -> None:
    file = Projections("c.csv", (Projection(2027, -60_000_000), Projection(2028, 120_000_000)))
    plan = parse_plan_file(JISSO + COMPANY.split("[company.flows]")[0], "p.toml", rb, projections=file)
    assert plan.company is not None and plan.company.flows == file.flows and plan.projections_origin == "c.csv"
    assert refused(rb, JISSO + COMPANY, file).startswith(
        "p.toml:13: key 'company.flows': the projections are given both here and in c.csv (--company): keep one"
    )
    assert refused(rb, JISSO, file).startswith("p.toml: the projections of c.csv are for the plan's [company]")


def test_a_year_the_projections_miss_names_the_year_and_where_the_projections_are(rb: Rulebook) -> None:
    """The 100,000,000 lump sum falls due 2029-03-31, in FY2028: projections that stop at
    FY2027 miss it (exit 2 naming the year), in the plan or in the file."""
    text = JISSO + COMPANY.replace(
        '2028 = { operating = "1.2億", investing = "△1,000,000", financing = "(2,000,000)" }\n', ""
    )
    plan = parse_plan_file(text, "p.toml", rb)
    with pytest.raises(InputError) as info:
        company_result(plan, evaluate(rb, plan.model))
    assert info.value.text.en.startswith(
        "p.toml:13: key 'company.flows': FY2028 is not in the company's projections, but A-STEP money moves in it "
        "(collateral released: 10,000,000 yen on 2029-03-31): add its projection"
    )
    file = Projections("c.csv", (Projection(2027, 0),))
    plan = parse_plan_file(JISSO + COMPANY.split("[company.flows]")[0], "p.toml", rb, projections=file)
    with pytest.raises(InputError) as info:
        company_result(plan, evaluate(rb, plan.model))
    assert info.value.text.en.startswith("c.csv: FY2028 is not in the company's projections")
    assert info.value.text.ja.startswith("c.csv：2028年度")
    # Projections from a file: the message asks for the year, not for a plan key it lacks.
    assert "company.flows" not in info.value.text.en + info.value.text.ja
