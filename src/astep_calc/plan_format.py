"""The plan file format (SPEC §7), declared once: every key a plan may hold.

Each :class:`PlanKey` says what one key is: its kind of value, the tables (levels) that
hold it, the menus that take it, its bounds and default, and one line in English and
Japanese. From this declaration come

- the reader's checks (:mod:`astep_calc.plans`): unknown keys with a did-you-mean hint,
  keys a menu does not take, wrong types and bounds, each error naming file, line and key;
- the JSON Schema that ``astep schema`` prints (:mod:`astep_calc.plan_schema`);
- the key table of docs/rules.md (:func:`key_table`, kept real by tools/docs_output.py).

What a JSON Schema cannot say (arithmetic between dates and durations, numbers JSON
rounds) stays in the reader and the core, and is listed in one place,
:data:`BEYOND_SCHEMA`, which the schema's description repeats.

Levels are the tables keys live in: ``plan`` (the top of any plan file), ``phase`` (the
top of a single-phase file, or each ``[[phase]]``), ``repayment`` (``[repayment]``),
``payment`` (each ``[[repayment.payments]]``), ``company`` (``[company]``) and
``company.flows`` (each fiscal year's table in ``[company.flows]``). A table key names the level of the keys it
holds (``holds``); adding a table of keys is one entry for the table and one per key.

>>> [k.name for k in keys("repayment")][:4]
['grade', 'deferral', 'term', 'every']
>>> AMOUNT.kind.name, AMOUNT.menus, AMOUNT.minimum, AMOUNT.text.ja
('amount', 'repayable', 1, '開発費総額（間接経費・再委託費を含む）')
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, cast

from astep_calc.budget import Proration
from astep_calc.business_days import BusinessDay
from astep_calc.dates import DATE_STYLES, DateStyle
from astep_calc.money import DISPLAY_UNITS, MAX_RATIO
from astep_calc.periods import MAX_MONTHS
from astep_calc.plan_syntax import FISCAL_YEAR, PROJECTED_YEAR
from astep_calc.reader import MAX_PAYMENTS, MAX_PHASES, Section
from astep_calc.repayment import FREQUENCIES, REMAINDERS
from astep_calc.text import Lang, Text

if TYPE_CHECKING:
    from astep_calc.rulebook import Menu, Rulebook

T = TypeVar("T")

#: Which menus take a key: those with a cap per fiscal year (stage1, stage2, stage2-gate),
#: the matching-fund ones among them (Stage II), or the repayable one (実装支援, jisso).
MenuKind = Literal["annual", "matching", "repayable"]


@dataclass(frozen=True)
class Kind(Generic[T]):
    """A kind of value; ``T`` is what the reader makes of it (``int`` yen, a ``date``...)."""

    name: str
    #: What a value of this kind is, for the key table.
    text: Text


YEN: Kind[int] = Kind("amount", Text("whole yen", "円単位の金額"))
#: Whole yen that may be negative (a company's projections: "-2.4億", "△1,200,000").
SIGNED_YEN: Kind[int] = Kind(
    "signed amount",
    Text("whole yen, may be negative (-2.4億, △1,200,000)", "円単位の金額（マイナス可。-2.4億、△1,200,000）"),
)
RATE: Kind[Fraction] = Kind("rate", Text("a rate, 0 to 1 or 0% to 100%", "率（0〜1 または 0%〜100%）"))
#: A ratio of more than 0 (a repayment coverage: 1.2, "1.2倍", "120%"), at most the key's maximum.
RATIO: Kind[Fraction] = Kind("ratio", Text("a ratio (1.2, 1.2倍, 120%)", "倍率（1.2、1.2倍、120%）"))
DATE: Kind[date] = Kind("date", Text("a date", "日付"))
DURATION: Kind[int] = Kind("duration", Text("whole months (3y, 18m, 1.5y)", "月単位の期間（3y、18m、1.5y）"))
CHOICE: Kind[str] = Kind("choice", Text("one of a list", "一覧のいずれか"))
BOOL: Kind[bool] = Kind("bool", Text("true or false", "true または false"))
INTEGER: Kind[int] = Kind("integer", Text("an integer", "整数"))
STRING: Kind[str] = Kind("string", Text("a string", "文字列"))
#: ``[budget]``: whole yen per fiscal year, keyed by the year it starts in.
FISCAL_YEARS: Kind[tuple[tuple[int, int], ...]] = Kind(
    "fiscal years", Text("yen per fiscal year (2026 = ...)", "年度ごとの金額（2026 = ...）")
)
#: A table per fiscal year, keyed by the year it starts in (1900 to 2199), each holding the keys of a level.
FISCAL_YEAR_TABLES: Kind[tuple[tuple[int, Section], ...]] = Kind(
    "fiscal-year tables", Text("a table per fiscal year (2026 = {...})", "年度ごとのテーブル（2026 = {...}）")
)
#: A table holding the keys of a level (``[repayment]``).
TABLE: Kind[Section] = Kind("table", Text("a table", "テーブル"))
#: A non-empty list of tables holding the keys of a level (``[[phase]]``).
TABLES: Kind[list[Section]] = Kind("tables", Text("a list of tables", "テーブルの配列"))


@dataclass(frozen=True)
class PlanKey(Generic[T]):
    """One key of the plan format.

    ``minimum`` and ``maximum`` bound the value: yen for an amount, months for a
    duration, the number for an integer, the entries for a list of tables. ``required``
    means required in the menus that take the key. ``instead_of`` names another key of
    the same table that this one replaces (``months`` for ``end``): a plan gives one or
    the other, never both.
    """

    name: str
    kind: Kind[T]
    levels: tuple[str, ...]
    text: Text
    menus: MenuKind | None = None
    required: bool = False
    minimum: int | None = None
    maximum: int | None = None
    #: The default when the key is left out, in words (None: no default, or nothing happens).
    default: Text | None = None
    #: The choices of a CHOICE key, from the rulebook in force or fixed.
    choices: Callable[[Rulebook], Sequence[str]] | None = None
    #: What a value is, in a message: "a menu" (a choice), "a non-empty list of ..." (tables).
    what: Text | None = None
    #: The level of the keys a table (or each table of a list) holds.
    holds: str | None = None
    instead_of: str | None = None
    #: Only in a ``[[phase]]`` table: not at the top of a single-phase file.
    listed_phases_only: bool = False

    def read(self, t: Section, rules: Rulebook) -> T:
        """The key's value in ``t``, checked as declared; a missing key is an error, except a
        table or fiscal years, which read as empty."""
        return cast("T", self._value(t, rules))

    def get(self, t: Section, rules: Rulebook) -> T | None:
        """The key's value in ``t``, or None when the plan leaves it out."""
        if self.name not in t:
            t.value(self.name, None)  # seen, for a table that refuses the keys nobody read
            return None
        return self.read(t, rules)

    def _value(self, t: Section, rules: Rulebook) -> object:
        name, kind = self.name, self.kind
        if kind is YEN:
            return t.yen(name, minimum=self.minimum or 0)
        if kind is SIGNED_YEN:
            return t.signed_yen(name)
        if kind is RATE:
            return t.rate(name)
        if kind is RATIO:
            return t.ratio(name)
        if kind is DATE:
            return t.day(name)
        if kind is DURATION:
            return t.months(name)
        if kind is CHOICE:
            assert self.choices is not None and self.what is not None
            return t.choice(name, self.choices(rules), what=self.what)
        if kind is BOOL:
            return t.boolean(name)
        if kind is INTEGER:
            assert self.minimum is not None and self.maximum is not None
            return t.integer(name, minimum=self.minimum, maximum=self.maximum)
        if kind is STRING:
            return t.string(name)
        if kind is FISCAL_YEARS:
            return tuple((year, table.yen(key)) for year, key, table in _fiscal_years(t, name, _FISCAL_YEAR_KEY))
        if kind is FISCAL_YEAR_TABLES:
            return tuple((year, table.table(key)) for year, key, table in _fiscal_years(t, name, _PROJECTED_YEAR_KEY))
        if kind is TABLE:
            return t.table(name, default_empty=True)
        if kind is TABLES:
            assert self.what is not None
            return t.array_of_tables(name, want=self.what, most=self.maximum)
        raise AssertionError(f"no reader for {kind.name}")


_FISCAL_YEAR_KEY = re.compile(FISCAL_YEAR)  # ASCII digits, as the schema says
_PROJECTED_YEAR_KEY = re.compile(PROJECTED_YEAR)


def _fiscal_years(t: Section, name: str, pattern: re.Pattern[str]) -> list[tuple[int, str, Section]]:
    """The fiscal years of table ``name`` (absent: none), each with its key and the table."""
    if name not in t:
        return []
    table = t.table(name, default_empty=True)
    out: list[tuple[int, str, Section]] = []
    for key in table.names():
        if not pattern.fullmatch(key):
            raise table.error(
                key,
                "is not a fiscal year: write the year it starts in, e.g. 2026"
                + ("" if pattern is _FISCAL_YEAR_KEY else " (1900 to 2199)"),
                "年度ではありません（2026 のように年度の始まる年で書いてください"
                + ("）" if pattern is _FISCAL_YEAR_KEY else "。1900〜2199年度）"),
            )
        out.append((int(key), key, table))
    return out


def checkable_menus(rules: Rulebook) -> list[str]:
    """The menus a plan may name: those with a cap per fiscal year, and the repayable one."""
    return [m.id for m in rules.menus if m.cap_kind == "annual" or m.fund_type == "repayable"]


def takes(menu: Menu, key: PlanKey[Any]) -> bool:
    """Whether a phase of ``menu`` takes ``key``."""
    if key.menus is None:
        return True
    if key.menus == "repayable":
        return menu.fund_type == "repayable"
    annual = menu.cap_kind == "annual"
    return annual and (key.menus == "annual" or menu.fund_type == "matching")


def _fixed(values: Sequence[str]) -> Callable[[Rulebook], Sequence[str]]:
    return lambda _rules: values


def _collateral_kinds(_rules: Rulebook) -> Sequence[str]:
    # The company's model is loaded when a plan, the schema or the docs ask for its choices,
    # not by every plan read.
    from astep_calc.company import COLLATERAL_KINDS

    return COLLATERAL_KINDS


def _literal(value: str) -> Text:
    return Text(value, value)


# ---------------------------------------------------------------------------------------
# The keys, in the order they are listed (messages, the schema, the key table)

SCHEMA: PlanKey[str] = PlanKey(
    "$schema",
    STRING,
    ("plan",),
    Text(
        "The JSON Schema the file follows, for editors; astep check ignores it",
        "エディタ用のスキーマの指定（astep check は読み飛ばします）",
    ),
)
MENU: PlanKey[str] = PlanKey(
    "menu",
    CHOICE,
    ("phase",),
    Text(
        "The A-STEP menu, one of the rulebook's",
        "A-STEPのメニュー（ルールブックにあるもののいずれか）",
    ),
    required=True,
    choices=checkable_menus,
    what=Text("a menu", "メニュー"),
)
START: PlanKey[date] = PlanKey(
    "start",
    DATE,
    ("phase",),
    Text("Project (development) start date", "実施期間（開発期間）の開始日"),
    required=True,
)
END: PlanKey[date] = PlanKey(
    "end",
    DATE,
    ("phase",),
    Text(
        "Project (development) end date, inclusive; 実装支援 repayment is measured from it",
        "実施期間（開発期間）の終了日（当日を含む）。実装支援の返済はこの日から起算",
    ),
    required=True,
)
MONTHS: PlanKey[int] = PlanKey(
    "months",
    INTEGER,
    ("phase",),
    Text("The phase runs this many months from start, instead of end", "開始日からの月数（end の代わりに指定）"),
    minimum=1,
    maximum=MAX_MONTHS,
    instead_of="end",
    listed_phases_only=True,
)
INDIRECT_RATE: PlanKey[Fraction] = PlanKey(
    "indirect_rate",
    RATE,
    ("plan", "phase"),
    Text(
        'Indirect-cost rate as a share of direct cost, 0.30 or "30%"',
        '間接経費率（直接経費に対する割合。0.30 または "30%"）',
    ),
    menus="annual",
    default=Text("the rulebook's indirect.rate", "ルールブックの indirect.rate"),
)
BUDGET: PlanKey[tuple[tuple[int, int], ...]] = PlanKey(
    "budget",
    FISCAL_YEARS,
    ("phase",),
    Text(
        "The request per fiscal year, incl. indirect costs (間接経費), keyed by the year it starts in",
        "年度ごとの申請額（間接経費込み）。キーは年度の始まる年",
    ),
    menus="annual",
)
MATCHING: PlanKey[tuple[tuple[int, int], ...]] = PlanKey(
    "matching",
    FISCAL_YEARS,
    ("phase",),
    Text(
        "The companies' own contribution per fiscal year, shown beside JST's money as a ratio",
        "年度ごとの企業等の自己資金（JSTからの資金に対する比率で表示）",
    ),
    menus="matching",
)
AMOUNT: PlanKey[int] = PlanKey(
    "amount",
    YEN,
    ("phase",),
    Text(
        "Total development cost (開発費総額), incl. indirect and subcontract costs",
        "開発費総額（間接経費・再委託費を含む）",
    ),
    menus="repayable",
    required=True,
    minimum=1,
)
COLLATERAL: PlanKey[int] = PlanKey(
    "collateral",
    YEN,
    ("phase",),
    Text(
        "Collateral or guarantee (担保又は保証) provided at development start", "開発開始時に提供する担保又は保証の額"
    ),
    menus="repayable",
    required=True,
)
REPAYMENT: PlanKey[Section] = PlanKey(
    "repayment",
    TABLE,
    ("phase",),
    Text(
        "How the development cost is repaid: a generated layout, or an explicit list of payments",
        "返済の条件（返済方法の指定、または各回の期日と金額の一覧）",
    ),
    menus="repayable",
    holds="repayment",
)
STOP: PlanKey[date] = PlanKey(
    "stop",
    DATE,
    ("phase",),
    Text(
        "Development stopped on this date (開発中止, or a milestone graded C)",
        "開発中止日（マイルストーン評価がCとなった日を含む）",
    ),
    menus="repayable",
)
COLLATERAL_RELEASE: PlanKey[date] = PlanKey(
    "collateral_release",
    DATE,
    ("phase",),
    Text("The date the collateral is released", "担保の解除日"),
    menus="repayable",
    default=Text("the last repayment's due date", "最終回の返済期日"),
)
TITLE: PlanKey[str] = PlanKey(
    "title", STRING, ("plan",), Text("The plan's name, shown by astep plan", "計画の名称（astep plan が表示）")
)
DISCOUNT_RATE: PlanKey[Fraction] = PlanKey(
    "discount_rate",
    RATE,
    ("plan",),
    Text(
        "Discount rate a year for present values: the economic value of 実装支援 phases' repayable funds "
        "(none: not computed; --discount-rate)",
        "現在価値を求める年率の割引率。実装支援フェーズの返済型資金の経済的価値を求める（指定しなければ求めない。"
        "--discount-rate）",
    ),
)
VALUE_DATE: PlanKey[date] = PlanKey(
    "value_date",
    DATE,
    ("plan",),
    Text("The date present values are taken at (--value-date)", "現在価値の評価日（--value-date）"),
    default=Text("each 実装支援 phase's development start", "各実装支援フェーズの開発開始日"),
)
PRORATION: PlanKey[str] = PlanKey(
    "proration",
    CHOICE,
    ("plan",),
    Text(
        "How a partial fiscal year's cap is prorated (astep budget --proration)",
        "年度途中の上限額の按分方法（astep budget --proration）",
    ),
    default=_literal(Proration.MONTH.value),
    choices=_fixed([p.value for p in Proration]),
    what=Text("a proration", "按分方法"),
)
PRORATE_LAST: PlanKey[bool] = PlanKey(
    "prorate_last",
    BOOL,
    ("plan",),
    Text(
        "Whether a partial last fiscal year's cap is prorated like the first (--prorate-last)",
        "1年に満たない最終年度の上限額を初年度と同様に按分するか（--prorate-last）",
    ),
    default=_literal("true"),
)
ROUND: PlanKey[int] = PlanKey(
    "round",
    YEN,
    ("plan",),
    Text(
        "Caps are rounded down to a multiple of this many yen, e.g. 1000 (--round)",
        "上限額を切り捨てる単位（円）。例：1000（--round）",
    ),
    minimum=1,
    default=_literal("1"),
)
BUSINESS_DAY: PlanKey[str] = PlanKey(
    "business_day",
    CHOICE,
    ("plan",),
    Text(
        "How an advance or due date on a closed day moves, in every 実装支援 phase (--business-day)",
        "休業日に当たる前払日・返済期日の移し方（実装支援の全フェーズ。--business-day）",
    ),
    default=_literal(BusinessDay.NONE.value),
    choices=_fixed([b.value for b in BusinessDay]),
    what=Text("a business-day convention", "営業日の調整方法"),
)
DISPLAY_UNIT: PlanKey[str] = PlanKey(
    "display_unit",
    CHOICE,
    ("plan",),
    Text(
        "The unit astep plan shows amounts in, in its tables and workbook (--display-unit wins)",
        "astep plan の表とブックの金額の単位（--display-unit の指定が優先）",
    ),
    default=_literal("yen"),
    choices=_fixed(list(DISPLAY_UNITS)),
    what=Text("a display unit", "表示単位"),
)
DATE_STYLE: PlanKey[str] = PlanKey(
    "date_style",
    CHOICE,
    ("plan",),
    Text(
        "How astep plan's Japanese tables, CSV and workbook write dates: iso (2026-10-01) or wareki "
        "(令和8年10月1日); JSON and English output stay ISO (--date-style wins)",
        "astep plan の日本語の表・CSV・ブックの日付の書き方：iso（2026-10-01）または wareki（令和8年10月1日）。"
        "JSON と英語の出力は常に ISO（--date-style の指定が優先）",
    ),
    default=_literal(DateStyle.ISO.value),
    choices=_fixed(list(DATE_STYLES)),
    what=Text("a date style", "日付の書き方"),
)
# The company that receives the 実装支援 money (SPEC §9): [company] and [company.flows].
COMPANY: PlanKey[Section] = PlanKey(
    "company",
    TABLE,
    ("plan",),
    Text(
        "The company that receives the A-STEP money: astep plan shows its cash with and without A-STEP, "
        "runway, repayment coverage and obligation",
        "A-STEPの資金を受け取る会社（astep plan がA-STEPあり・なしの現預金、資金が続く月、返済カバー率、返済義務を示します）",
    ),
    holds="company",
)
COMPANY_NAME: PlanKey[str] = PlanKey(
    "name", STRING, ("company",), Text("The company's name, shown in titles", "会社名（表の表題に表示）")
)
CASH: PlanKey[int] = PlanKey(
    "cash",
    YEN,
    ("company",),
    Text(
        "Cash and deposits (現預金) on April 1 of the first projected fiscal year",
        "収支見込みの最初の年度の4月1日の現預金",
    ),
    required=True,
)
MIN_CASH: PlanKey[int] = PlanKey(
    "min_cash",
    YEN,
    ("company",),
    Text(
        "Month-end cash, A-STEP money included, must stay at or above this; the rule company.cash checks it",
        "月末の現預金（A-STEPの資金を含む）の最低残高。ルール「company.cash」で検査します",
    ),
    default=_literal("0"),
)
COVERAGE: PlanKey[Fraction] = PlanKey(
    "coverage",
    RATIO,
    ("company",),
    Text(
        "Each fiscal year's operating cash flow ÷ its repayments must be at least this; the rule "
        "company.coverage checks it",
        "各年度の返済カバー率（営業キャッシュフロー÷返済額）の下限。ルール「company.coverage」で検査します",
    ),
    maximum=MAX_RATIO,
    default=Text("not checked", "検査しない"),
)
COLLATERAL_KIND: PlanKey[str] = PlanKey(
    "collateral_kind",
    CHOICE,
    ("company",),
    Text(
        "How the collateral is provided: a deposit leaves the company's cash until its release, a guarantee "
        "moves none but costs a yearly fee",
        "担保の提供方法（deposit：解除まで現預金から差し入れる、guarantee：現預金は動かず毎年保証料を支払う）",
    ),
    default=_literal("deposit"),
    choices=_collateral_kinds,
    what=Text("a kind of collateral", "担保の種類"),
)
GUARANTEE_FEE: PlanKey[Fraction] = PlanKey(
    "guarantee_fee",
    RATE,
    ("company",),
    Text(
        'With collateral_kind = "guarantee": the yearly fee, a share of the guaranteed amount',
        'collateral_kind = "guarantee" の場合の年間の保証料率（保証額に対する割合）',
    ),
    default=_literal("0"),
)
FLOWS: PlanKey[tuple[tuple[int, Section], ...]] = PlanKey(
    "flows",
    FISCAL_YEAR_TABLES,
    ("company",),
    Text(
        "The company's own projections per fiscal year, without any A-STEP money (or astep plan --company FILE)",
        "年度ごとの会社の収支見込み（A-STEPの資金を含まない。astep plan --company FILE でも指定可）",
    ),
    holds="company.flows",
)
OPERATING: PlanKey[int] = PlanKey(
    "operating",
    SIGNED_YEN,
    ("company.flows",),
    Text("Operating cash flow (営業CF) of the fiscal year", "その年度の営業キャッシュフロー"),
    required=True,
)
INVESTING: PlanKey[int] = PlanKey(
    "investing",
    SIGNED_YEN,
    ("company.flows",),
    Text("Investing cash flow (投資CF) of the fiscal year", "その年度の投資キャッシュフロー"),
    default=_literal("0"),
)
FINANCING: PlanKey[int] = PlanKey(
    "financing",
    SIGNED_YEN,
    ("company.flows",),
    Text(
        "Financing cash flow (財務CF: equity, bank loans) of the fiscal year",
        "その年度の財務キャッシュフロー（増資・借入れなど）",
    ),
    default=_literal("0"),
)
# An equity round for the same money, to set beside the A-STEP money (SPEC §10): [company.equity].
EQUITY: PlanKey[Section] = PlanKey(
    "equity",
    TABLE,
    ("company",),
    Text(
        "An equity round raising the same money, which astep plan compares with the A-STEP money",
        "同じ額を出資（エクイティ）で調達する場合の条件（astep plan がA-STEPの資金と比べます）",
    ),
    holds="company.equity",
)
PRE_MONEY: PlanKey[int] = PlanKey(
    "pre_money",
    YEN,
    ("company.equity",),
    Text(
        "Pre-money valuation: the stake sold is the amount ÷ (pre_money + the amount)",
        "調達前の企業価値（プレマネー）。手放す持分＝調達額÷（pre_money＋調達額）",
    ),
    required=True,
    minimum=1,
)
EXIT_VALUE: PlanKey[int] = PlanKey(
    "exit_value",
    YEN,
    ("company.equity",),
    Text(
        "The company's value at the exit (a sale or listing), with exit_date: equity's cost is the stake's "
        "present value then",
        "エグジット（株式の売却・上場等）時の企業価値（exit_date とともに指定）。資本調達の費用はその時の持分の現在価値",
    ),
    default=Text("equity's cost is not computed", "資本調達の費用は求めない"),
)
EXIT_DATE: PlanKey[date] = PlanKey(
    "exit_date",
    DATE,
    ("company.equity",),
    Text("The date of the exit, with exit_value", "エグジットの時期（exit_value とともに指定）"),
)
PHASE: PlanKey[list[Section]] = PlanKey(
    "phase",
    TABLES,
    ("plan",),
    Text(
        "The plan's phases, one after another, instead of one menu at the top of the file",
        "計画のフェーズを順に並べたもの（ファイル先頭の menu の代わり）",
    ),
    maximum=MAX_PHASES,
    what=Text("a non-empty list of [[phase]] tables", "[[phase]] テーブルを1件以上並べた配列"),
    holds="phase",
)

GRADE: PlanKey[str] = PlanKey(
    "grade",
    CHOICE,
    ("repayment",),
    Text(
        "Post-evaluation grade (事後評価), one of the rulebook's; astep rules shows them",
        "事後評価（ルールブックの評価のいずれか。astep rules で確認できます）",
    ),
    default=Text("the rulebook's default_grade", "ルールブックの default_grade"),
    choices=lambda rules: [g.id for g in rules.jisso.repayment.grades],
    what=Text("a grade", "評価"),
)
_LAYOUT = "payments"  # an explicit list of payments gives the whole schedule: no layout key with it
DEFERRAL: PlanKey[int] = PlanKey(
    "deferral",
    DURATION,
    ("repayment",),
    Text("Deferral (返済猶予) before the first payment", "初回返済までの返済猶予期間"),
    minimum=0,
    default=_literal("0"),
    instead_of=_LAYOUT,
)
TERM: PlanKey[int] = PlanKey(
    "term",
    DURATION,
    ("repayment",),
    Text("Repayment term from development end, deferral included", "開発終了日からの返済期間（返済猶予期間を含む）"),
    minimum=1,
    default=Text("the rulebook's longest term", "ルールブックの最長の返済期間"),
    instead_of=_LAYOUT,
)
EVERY: PlanKey[str] = PlanKey(
    "every",
    CHOICE,
    ("repayment",),
    Text("How often installments fall due", "分割返済の間隔"),
    default=_literal("year"),
    choices=_fixed(list(FREQUENCIES)),
    what=Text("a payment frequency", "返済間隔"),
    instead_of=_LAYOUT,
)
LUMP: PlanKey[bool] = PlanKey(
    "lump",
    BOOL,
    ("repayment",),
    Text("Repay in one payment", "一括返済にする"),
    default=_literal("false"),
    instead_of=_LAYOUT,
)
DUE: PlanKey[date] = PlanKey(
    "due",
    DATE,
    ("repayment",),
    Text("Due date of a lump-sum payment", "一括返済の期日"),
    default=Text("the rulebook's lump_due_months after the deferral", "返済猶予の後、ルールブックの lump_due_months"),
    instead_of=_LAYOUT,
)
REMAINDER: PlanKey[str] = PlanKey(
    "remainder",
    CHOICE,
    ("repayment",),
    Text("Which installment takes the remainder of the division", "割り切れない端数を加える回"),
    default=_literal("first"),
    choices=_fixed(list(REMAINDERS)),
    what=Text("first or last", "端数の加え方"),
    instead_of=_LAYOUT,
)
UNIT: PlanKey[int] = PlanKey(
    "unit",
    YEN,
    ("repayment",),
    Text("Installments are multiples of this many yen, e.g. 1000", "各回の返済額の単位（円）。例：1000"),
    minimum=1,
    default=_literal("1"),
    instead_of=_LAYOUT,
)
PAYMENTS: PlanKey[list[Section]] = PlanKey(
    "payments",
    TABLES,
    ("repayment",),
    Text(
        "An explicit schedule, instead of the layout keys above",
        "各回の期日と金額を並べた返済計画（上の返済方法の指定の代わり）",
    ),
    maximum=MAX_PAYMENTS,
    what=Text("a non-empty list of {due, amount} tables", "{due, amount} のテーブルを1件以上並べた配列"),
    holds="payment",
)
PAYMENT_DUE: PlanKey[date] = PlanKey(
    "due", DATE, ("payment",), Text("The payment's due date", "この回の期日"), required=True
)
PAYMENT_AMOUNT: PlanKey[int] = PlanKey(
    "amount", YEN, ("payment",), Text("The payment's amount", "この回の返済額"), required=True
)

#: Every key, in the order they are listed.
KEYS: tuple[PlanKey[Any], ...] = (
    SCHEMA,
    MENU,
    START,
    END,
    MONTHS,
    INDIRECT_RATE,
    BUDGET,
    MATCHING,
    AMOUNT,
    COLLATERAL,
    REPAYMENT,
    STOP,
    COLLATERAL_RELEASE,
    TITLE,
    DISCOUNT_RATE,
    VALUE_DATE,
    PRORATION,
    PRORATE_LAST,
    ROUND,
    BUSINESS_DAY,
    DISPLAY_UNIT,
    DATE_STYLE,
    COMPANY,
    COMPANY_NAME,
    CASH,
    MIN_CASH,
    COVERAGE,
    COLLATERAL_KIND,
    GUARANTEE_FEE,
    FLOWS,
    OPERATING,
    INVESTING,
    FINANCING,
    EQUITY,
    PRE_MONEY,
    EXIT_VALUE,
    EXIT_DATE,
    PHASE,
    GRADE,
    DEFERRAL,
    TERM,
    EVERY,
    LUMP,
    DUE,
    REMAINDER,
    UNIT,
    PAYMENTS,
    PAYMENT_DUE,
    PAYMENT_AMOUNT,
)

#: The levels at the top of a plan file: the whole plan's keys, and (in a single-phase file) its one phase's.
TOP_LEVELS = ("plan", "phase")


def keys(level: str) -> tuple[PlanKey[Any], ...]:
    """The keys of a level, in order."""
    return tuple(k for k in KEYS if level in k.levels)


def names(level: str) -> tuple[str, ...]:
    """The names of a level's keys, in order."""
    return tuple(k.name for k in keys(level))


def top_names() -> tuple[str, ...]:
    """The keys a plan file may hold at its top: the plan's and one phase's (a single-phase
    file), but not those of a ``[[phase]]`` table only (``months``)."""
    return tuple(k.name for k in KEYS if set(k.levels) & set(TOP_LEVELS) and not k.listed_phases_only)


def for_menus(level: str, *kinds: MenuKind) -> tuple[str, ...]:
    """The keys of a level that only menus of ``kinds`` take."""
    return tuple(k.name for k in keys(level) if k.menus in kinds)


# ---------------------------------------------------------------------------------------
# What a JSON Schema cannot say


@dataclass(frozen=True)
class Beyond:
    """A check the reader (or the core) makes that the JSON Schema cannot: ``text`` says
    it; ``says`` are words of the English message that reports it."""

    text: Text
    says: tuple[str, ...]


#: Everything ``astep check`` refuses that the plan's JSON Schema accepts: arithmetic
#: between keys, and what JSON itself cannot carry. The schema's description lists them.
BEYOND_SCHEMA: tuple[Beyond, ...] = (
    Beyond(
        Text("an end before its start", "終了日が開始日より前"),
        ("before its start", "before the start"),
    ),
    Beyond(
        Text(
            "a stop date outside the development period, or a collateral release before the development start",
            "開発中止日が開発期間の外、または担保の解除日が開発開始日より前",
        ),
        ("outside the development period", "cannot be released on"),
    ),
    Beyond(
        Text(
            "with a deferral, a term less the deferral that leaves no time to repay, is not a whole number of "
            "every's periods, or ends before a lump sum falls due",
            "返済猶予があるとき、返済期間から返済猶予を除いた期間が、ない・返済間隔で割り切れない・一括返済の期日に届かない",
        ),
        ("no time to repay", "less the deferral of", "after which a lump sum"),
    ),
    Beyond(
        Text("a due date after the end of the term given", "期日が指定した返済期間の終わりより後"),
        ("after the end of the term", "lump-sum payment only"),
    ),
    Beyond(
        Text(
            "an amount too small for its installments, or on which its grade owes 0 yen",
            "金額が小さすぎて分割できない、または評価による返済額が0円",
        ),
        ("too small for", "owes 0 yen"),
    ),
    Beyond(
        Text("a date so far from start that it leaves the calendar", "開始日から遠すぎて暦の範囲を外れる日付"),
        ("falls outside the calendar",),
    ),
    Beyond(
        Text(
            "company projections that skip a fiscal year, or miss one in which A-STEP money moves",
            "会社の収支見込みの年度が途中で抜けている、またはA-STEPの資金が動く年度がない",
        ),
        ("must cover every fiscal year", "not in the company's projections"),
    ),
    Beyond(
        Text(
            "numbers JSON rounds (over 30 digits or an exponent beyond ±30, NaN, infinities), "
            "a key given twice, text that is not TOML or JSON",
            "JSONが丸めてしまう数値（30桁超・指数±30超、NaN、無限大）、同じキーの重複、TOMLやJSONとして読めない内容",
        ),
        (
            "larger exponent",
            "more digits",
            "not a finite number",
            "appears twice",
            "nested too deeply",
            "not valid TOML",
            "not valid JSON",
        ),
    ),
)


# ---------------------------------------------------------------------------------------
# The key table of the docs

#: The menus that take a key, in words.
MENU_WORDS: dict[MenuKind, Text] = {
    "annual": Text("stage menus", "ステージのメニュー"),
    "matching": Text("Stage II menus", "ステージⅡのメニュー"),
    "repayable": Text("jisso", "jisso"),
}


def header(level: str) -> str:
    """Where the keys of a level are written: the table header, or the top of the file.

    >>> header("payment"), header("repayment"), header("phase"), header("plan")
    ('[[repayment.payments]]', '[repayment]', '[[phase]]', 'top')
    """
    if level == "plan":
        return "top"
    holder = next(k for k in KEYS if k.holds == level)
    outer = header(holder.levels[-1])
    name = holder.name if outer in ("top", "[[phase]]") else f"{outer.strip('[]')}.{holder.name}"
    return f"[[{name}]]" if holder.kind is TABLES else f"[{name}]"


def _where(key: PlanKey[Any], lang: Lang) -> str:
    if key.listed_phases_only:
        return "`[[phase]]`"
    words = {
        "plan": Text("plan", "計画全体"),
        "phase": Text("phase", "フェーズ"),
    }
    return " / ".join(words[lv].in_lang(lang) if lv in words else f"`{header(lv)}`" for lv in key.levels)


def _value_words(key: PlanKey[Any], rules: Rulebook, lang: Lang) -> str:
    """What a key's value is, with its choices or bounds, for the key table."""
    kind = key.kind
    if kind is CHOICE and key.choices is not None:
        listed = [f"`{c}`" for c in key.choices(rules)]
        return Text(f"one of {', '.join(listed)}", f"{'、'.join(listed)} のいずれか").in_lang(lang)
    if kind is INTEGER:
        return Text(
            f"an integer, {key.minimum:,} to {key.maximum:,}", f"{key.minimum:,}〜{key.maximum:,}の整数"
        ).in_lang(lang)
    if kind in (TABLE, TABLES) and key.holds is not None:
        table = f"`{header(key.holds)}`"
        held = Text(f"the keys of {table}", f"{table} のキー")
        if key.maximum is not None:
            held = Text(f"{held.en}, 1 to {key.maximum:,} tables", f"{held.ja}（1〜{key.maximum:,}件）")
        return held.in_lang(lang)
    words = kind.text.in_lang(lang)
    if kind is RATIO and key.maximum:
        words += Text(f", at most {key.maximum}", f"（{key.maximum}以下）").in_lang(lang)
    if kind is YEN and key.minimum:
        words += Text(f", at least {key.minimum:,}", f"（{key.minimum:,}円以上）").in_lang(lang)
    elif kind is DURATION and key.minimum:
        words += Text(f", at least {key.minimum} month", f"（{key.minimum}か月以上）").in_lang(lang)
    return words


def key_table(rules: Rulebook, lang: Lang = "en") -> str:
    """Every key as a Markdown table (docs/rules.md): where it goes, which menus take it,
    its value, and its default or whether it is required."""
    rows = [
        Text(
            "| key | in | menus | value | default | what it is |",
            "| キー | 場所 | メニュー | 値 | 既定値 | 内容 |",
        ).in_lang(lang),
        "|---|---|---|---|---|---|",
    ]
    for key in KEYS:
        menus = MENU_WORDS[key.menus].in_lang(lang) if key.menus else ""
        if key.default is None:
            default = Text("required", "必須").in_lang(lang) if key.required else ""
        elif key.default.en == key.default.ja:  # a value as a plan writes it
            default = f"`{key.default.en}`"
        else:
            default = key.default.in_lang(lang)
        rows.append(
            f"| `{key.name}` | {_where(key, lang)} | {menus} | {_value_words(key, rules, lang)} | {default} "
            f"| {key.text.in_lang(lang)} |"
        )
    return "\n".join(rows) + "\n"


__all__ = [
    "BEYOND_SCHEMA",
    "KEYS",
    "MENU_WORDS",
    "Beyond",
    "Kind",
    "PlanKey",
    "checkable_menus",
    "for_menus",
    "header",
    "key_table",
    "keys",
    "names",
    "takes",
    "top_names",
]
