"""Labels shared by every command's output, in Japanese and English.

Each label is a typed attribute of :class:`Labels` (``Labels.cap``), so a misspelt label is a mypy
error, not a ``KeyError`` at run time; and each meaning has one label with one wording
(the cumulative column reads 累計 in every table, what is owed reads 返済すべき額 everywhere,
the sum of the payments 各回返済額の合計). docs/rules.md's glossary lists the terms; a test
checks that no other Text in the code gives a second wording of a label here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, Final

from astep_calc.text import Text

if TYPE_CHECKING:
    from astep_calc.rulebook import Citation


class Labels:
    """Every label of the command line's tables, summaries and headings."""

    # verdicts and headings
    ok: Final = Text("✓ Within the programme rules.", "✓ 制度のルールにすべて適合しています。")
    assumptions: Final = Text("Assumptions", "前提")
    sources: Final = Text("Rules applied", "適用したルール")
    total: Final = Text("Total", "合計")
    # budget
    fiscal_year: Final = Text("Fiscal year", "年度")
    start: Final = Text("From", "開始日")
    end: Final = Text("To", "終了日")
    months: Final = Text("Months", "月数")
    calendar_months: Final = Text("Months (calendar)", "月数（暦月）")
    days: Final = Text("Days", "日数")
    cap: Final = Text("Cap (incl. indirect)", "上限額（間接経費込み）")
    direct_max: Final = Text("Direct part", "うち直接経費")
    indirect_max: Final = Text("Indirect part", "うち間接経費")
    menu: Final = Text("Menu", "メニュー")
    # 実装支援
    item: Final = Text("Item", "項目")
    amount: Final = Text("Amount", "金額")
    value: Final = Text("Value", "値")
    #: Where an input comes from: the plan key (or the option) that sets it.
    setting: Final = Text("Plan key or option", "計画ファイルのキー・オプション")
    development_cost: Final = Text("Total development cost", "開発費総額")
    collateral_at_start: Final = Text("Collateral to set at development start", "開発開始時に設定する担保又は保証")
    quarter: Final = Text("Quarter", "四半期")
    date: Final = Text("Date", "日付")
    advance_date: Final = Text("Advance date", "前払日")
    advance_amount: Final = Text("Advance (estimate)", "前払額（概算）")
    cumulative: Final = Text("Cumulative", "累計")
    # repayment
    no: Final = Text("No.", "回")
    due: Final = Text("Due", "期日")
    #: The date as scheduled, beside the business day the money moves on (--business-day).
    scheduled: Final = Text("Scheduled", "本来の日付")
    payment: Final = Text("Payment", "各回返済額")
    balance: Final = Text("Outstanding", "未返済残高")
    grade: Final = Text("Grade or case", "事後評価等")
    paid: Final = Text("Amount JST paid", "JSTからの支払額（開発費）")
    owed: Final = Text("Amount owed", "返済すべき額")
    payments_count: Final = Text("Payments", "返済回数")
    first_due: Final = Text("First due date", "初回期日")
    last_due: Final = Text("Last due date", "最終期日")
    #: The unmoved first and last due dates, beside the ones the business-day convention moved.
    first_scheduled: Final = Text("Scheduled (first due)", "本来の日付（初回期日）")
    last_scheduled: Final = Text("Scheduled (last due)", "本来の日付（最終期日）")
    last_after_end: Final = Text("Development end to last due date", "開発終了日から最終期日まで")
    #: A discontinued case (開発中止) is measured from its stop date, and says so.
    dev_end: Final = Text("Development end", "開発終了日")
    stop_date: Final = Text("Stop date", "中止日")
    last_after_stop: Final = Text("Stop date to last due date", "中止日から最終期日まで")
    total_repaid: Final = Text("Sum of payments", "各回返済額の合計")
    # check
    file: Final = Text("File", "ファイル")
    where: Final = Text("Where", "箇所")
    line: Final = Text("Line", "行")
    rule: Final = Text("Rule", "ルール")
    violation: Final = Text("Violation", "違反の内容")
    violations: Final = Text("Violations", "違反件数")
    result: Final = Text("Result", "結果")
    plans_checked: Final = Text("Plan files checked", "検査した計画ファイル")
    holds: Final = Text("✓ holds", "✓ 適合")
    unreadable: Final = Text("✗ unreadable", "✗ 読み込めません")
    # plan (several phases, the fiscal-year cash flow)
    phase: Final = Text("Phase", "フェーズ")
    request: Final = Text("Request", "申請額")
    company_in: Final = Text("Company", "企業等の自己資金")
    matching_ratio: Final = Text("Ratio", "比率")
    period: Final = Text("Period", "実施期間")
    jst_in: Final = Text("JST in", "JSTからの資金")
    collateral_posted: Final = Text("Collateral posted", "担保等の設定")
    collateral_released: Final = Text("Collateral released", "担保等の解除")
    repaid: Final = Text("Repaid", "返済額")
    net: Final = Text("Net", "純額")
    phases_sum: Final = Text("Both phases", "フェーズ計")
    plan: Final = Text("Plan", "計画")
    jst_in_total: Final = Text("JST's money in total", "JSTからの資金の合計")
    company_in_total: Final = Text("The companies' own contribution", "企業等の自己資金の合計")
    repaid_total: Final = Text("Repaid in total", "返済額の合計")
    position_end: Final = Text("Position at the end (cumulative net)", "最終的な累計（純額）")
    chart: Final = Text("Cumulative position", "累計の推移")
    # valuation: every present value is labelled as one, its date in the title (SPEC §10)
    discount_rate: Final = Text("Discount rate", "割引率")
    value_date: Final = Text("Value date", "評価日")
    advances_pv: Final = Text("PV of advances", "前払額の現在価値")
    repayments_pv: Final = Text("PV of repayments", "返済額の現在価値")
    #: What grade C never repays: the amount JST paid less the amount owed (its 90%).
    forgiven: Final = Text("Amount forgiven", "返済免除額")
    #: What paying no interest is worth: the amount owed less the PV of its repayments.
    interest_benefit: Final = Text("Benefit of no interest", "無利子による利益相当額")
    #: Σ PV(advances) − Σ PV(repayments): money under a 開発委託契約, not a loan agreement.
    economic_value: Final = Text("Economic value of the repayable funds", "返済型資金の経済的価値")
    collateral_posted_pv: Final = Text("PV of collateral posted", "担保等の設定額の現在価値")
    collateral_released_pv: Final = Text("PV of collateral released", "担保等の解除額の現在価値")
    collateral_cost: Final = Text("Collateral's cost", "担保又は保証の費用")
    astep_cost: Final = Text("Cost of the A-STEP money", "A-STEPの資金の費用")
    equity_cost: Final = Text("Cost of equity", "資本調達の費用")
    difference: Final = Text("Difference (equity − A-STEP)", "差額（資本調達−A-STEP）")
    amount_raised: Final = Text("Amount raised", "調達額")
    #: The share of the company an equity round sells for the same money: A ÷ (pre-money + A).
    stake: Final = Text("Stake sold", "手放す持分")
    pre_money: Final = Text("Pre-money valuation", "調達前の企業価値（プレマネー）")
    exit_value: Final = Text("Value at the exit", "エグジット時の企業価値")
    exit_date: Final = Text("Date of the exit", "エグジットの時期")
    # the company (SPEC §9), as a 経理 writes it
    company_name: Final = Text("Company name", "会社名")
    cash: Final = Text("Cash and deposits", "現預金")
    min_cash: Final = Text("Minimum cash at month end", "月末現預金の最低残高")
    operating_cf: Final = Text("Operating CF", "営業キャッシュフロー")
    investing_cf: Final = Text("Investing CF", "投資キャッシュフロー")
    financing_cf: Final = Text("Financing CF", "財務キャッシュフロー")
    astep_money: Final = Text("A-STEP money", "A-STEPの資金")
    cash_end: Final = Text("FY-end cash, with A-STEP", "期末現預金（A-STEPあり）")
    cash_end_without: Final = Text("FY-end cash, without A-STEP", "期末現預金（A-STEPなし）")
    coverage: Final = Text("Repayment coverage", "返済カバー率")
    due_within_year: Final = Text("Due within a year", "1年内返済予定額")
    month: Final = Text("Month", "月")
    projected: Final = Text("Projections", "収支見込み")
    cash_month_end: Final = Text("Month-end cash, with A-STEP", "月末現預金（A-STEPあり）")
    cash_month_end_without: Final = Text("Month-end cash, without A-STEP", "月末現預金（A-STEPなし）")
    with_astep: Final = Text("With A-STEP", "A-STEPあり")
    without_astep: Final = Text("Without A-STEP", "A-STEPなし")
    runway: Final = Text("Cash lasts", "資金が続く月")
    months_added: Final = Text("Months A-STEP adds", "A-STEPにより資金が続く期間の延び")
    # rules
    name: Final = Text("Name", "名称")
    fund_type: Final = Text("Fund type", "資金タイプ")
    period_limit: Final = Text("Longest period", "実施期間の上限")
    rule_text: Final = Text("What it says", "内容")
    broken_when: Final = Text("Broken when", "違反となる場合")
    source: Final = Text("Source", "出典")


def count(n: int, en_one: str, en_many: str, ja: str) -> Text:
    """``3 violations`` / ``違反 3件``: a count with its noun (``ja`` holds ``{n}``).

    >>> count(1, "violation", "violations", "違反 {n}件").en, count(2, "file", "files", "{n}ファイル").ja
    ('1 violation', '2ファイル')
    """
    return Text(f"{n} {en_one if n == 1 else en_many}", ja.format(n=n))


def yen(amount: int) -> Text:
    """An amount with its unit: ``123,456,789 yen`` / ``123,456,789円``."""
    from astep_calc.money import format_yen

    return Text(f"{format_yen(amount)} yen", f"{format_yen(amount)}円")


@dataclass(frozen=True)
class Yen:
    """A summary value that is an amount: read as :func:`yen` in a table, a number with the
    yen format in a workbook (so that a spreadsheet can add it up).

    >>> Yen(300_000_000).text.ja
    '300,000,000円'
    """

    amount: int

    @property
    def text(self) -> Text:
        return yen(self.amount)


@dataclass(frozen=True)
class Percent:
    """A ratio shown as a percentage to ``places`` decimals, rounded half-even: ``50.0%`` /
    ``50.0％`` in a table, a number formatted as a percentage in a workbook.

    >>> p = Percent(Fraction(3, 23), 2)
    >>> p.text, p.shown
    (Text(en='13.04%', ja='13.04％'), Fraction(163, 1250))
    """

    ratio: Fraction
    places: int

    @property
    def shown(self) -> Fraction:
        """The ratio as shown: rounded half-even to ``places`` decimals of a percent."""
        from astep_calc.money import Rounding

        scale = 100 * 10**self.places
        return Fraction(Rounding.HALF_EVEN.to_int(self.ratio * scale), scale)

    @property
    def text(self) -> Text:
        from decimal import Decimal

        digits = Decimal(self.shown.numerator * 100) / Decimal(self.shown.denominator)
        shown = f"{digits:.{self.places}f}%"
        return Text(shown, shown.replace("%", "％"))


@dataclass(frozen=True)
class Month:
    """A month of a month-end series, dated its last day (the day its cash is counted at):
    ``2027-04`` in a table, CSV and Markdown, as the JSON names it; in a workbook a date
    formatted as the year and month, so that a spreadsheet sorts and charts it. ``era``
    (``--date-style wareki``): the Japanese era in Japanese output, ``令和9年4月``.

    >>> Month(date(2027, 4, 30)).text, Month(date(2019, 5, 31), era=True).text.ja
    (Text(en='2027-04', ja='2027-04'), '令和元年5月')
    """

    end: date
    era: bool = False

    @property
    def text(self) -> Text:
        key = f"{self.end.year:04d}-{self.end.month:02d}"
        if not self.era:
            return Text(key, key)
        from astep_calc.dates import wareki

        return Text(key, wareki(self.end).removesuffix(f"{self.end.day}日"))


@dataclass(frozen=True)
class Wareki:
    """A date as the era writes it, ``--date-style wareki`` (:mod:`~astep_calc.cli.wareki`).

    >>> Wareki(date(2026, 10, 1)).text
    '令和8年10月1日'
    """

    day: date

    @property
    def text(self) -> str:
        from astep_calc.dates import wareki

        return wareki(self.day)


def rulebook_line(rules_id: str, cite: Citation) -> Text:
    """One line naming the rulebook, the rule's own source and what that source says."""
    words, name = cite.words, cite.source.name
    tail_en, tail_ja = (f": {words.en}", f"：{words.ja}") if words.en else ("", "")
    return Text(f"{rules_id} ({name.en}){tail_en}", f"{rules_id}（{name.ja}）{tail_ja}")
