"""The programme rules astep-calc checks, declared once: id, description, source, assumption.

Every rule a plan or a command can break is a :class:`Check` constant here. Its ``id`` is
the stable rule id of SPEC §6 that a :class:`~astep_calc.text.Violation` carries (JSON
``"rule"``, CSV, SARIF, JUnit). Its ``description`` says in English and Japanese when the
rule is broken, without a programme number (the numbers are the rulebook's). Its
``cites`` point into the rulebook at the citations the rule applies, so that the rule's
source is always the one of the rulebook in force (``--rules FILE``). Its ``assumption``
is the wording, printed under a result, of how the rule is applied.

A check function builds its violation from the constant, ``Violation(PERIOD_MAX.id, ...)``,
and its assumption from ``PERIOD_MAX.explain(...)``: rewording a rule happens here.

>>> from astep_calc.rulebook import load_rulebook
>>> PERIOD_MAX.id, PERIOD_MAX.description.ja
('period.max', '実施期間がメニューの最長期間を超える')
>>> [s.id for s in REPAY_DEFERRAL.sources(load_rulebook())]
['brochure', 'assumption']
>>> by_id("repay.lump").cites
(Cite(key='jisso.repayment.source', menus='every'),)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from astep_calc.text import Text

if TYPE_CHECKING:
    from astep_calc.rulebook import Citation, Menu, Rulebook, Source

#: Which menus a ``menus.*.source`` citation takes: a rule on some menus cites only theirs.
MenuScope = Literal["every", "annual", "repayable", "matching", "follows"]

#: Each scope: the rulebook key a menu of it has (as docs/rules.md shows it), and its test.
MENU_SCOPES: Mapping[MenuScope, tuple[str, Callable[[Menu], bool]]] = {
    "every": ("", lambda m: True),
    "annual": ('cap_kind = "annual"', lambda m: m.cap_kind == "annual"),  # the stage menus
    "repayable": ('fund_type = "repayable"', lambda m: m.fund_type == "repayable"),  # 実装支援
    "matching": ('fund_type = "matching"', lambda m: m.fund_type == "matching"),
    "follows": ('follows = "…"', lambda m: m.follows is not None),  # entered from another (stage2-gate)
}

#: Every place in the rulebook that names a source, by its TOML key (``*``: each table
#: there), and the citations it holds in a loaded :class:`~astep_calc.rulebook.Rulebook`.
CITE_KEYS: Mapping[str, Callable[[Rulebook], tuple[Citation, ...]]] = {
    "indirect.source": lambda rb: (rb.indirect_cite,),
    "menus.*.source": lambda rb: tuple(m.cite for m in rb.menus),
    "jisso.collateral_source": lambda rb: (rb.jisso.collateral_cite,),
    "jisso.advance_source": lambda rb: (rb.jisso.advance_cite,),
    "jisso.plan_check_source": lambda rb: () if rb.jisso.plan_check_cite is None else (rb.jisso.plan_check_cite,),
    "jisso.repayment.source": lambda rb: (rb.jisso.repayment.cite,),
    "jisso.repayment.first_due_source": lambda rb: (rb.jisso.repayment.first_due_cite,),
    "jisso.repayment.lump_due_source": lambda rb: (rb.jisso.repayment.lump_due_cite,),
    "jisso.repayment.discontinued_due_source": lambda rb: (rb.jisso.repayment.discontinued_due_cite,),
    "jisso.repayment.milestone_source": lambda rb: (rb.jisso.repayment.milestone_cite,),
    "jisso.repayment.grades.*.source": lambda rb: tuple(g.cite for g in rb.jisso.repayment.grades),
}


@dataclass(frozen=True)
class Cite:
    """Where in the rulebook a rule's source is kept.

    ``key`` is the TOML key of a ``source`` (one of :data:`CITE_KEYS`), or ``sources.<id>``
    for a rule that rests on a source as a whole with no rulebook entry of its own (an
    assumption). ``menus`` narrows ``menus.*.source`` to the menus the rule applies to.
    A key the rulebook in force lacks (an optional entry, a source id it does not define)
    gives no citation, never an error: another rulebook may be shaped more simply.

    >>> from astep_calc.rulebook import load_rulebook
    >>> [c.source.id for c in Cite("menus.*.source", "repayable").citations(load_rulebook())]
    ['brochure']
    >>> Cite("sources.guess").citations(load_rulebook())
    ()
    """

    key: str
    menus: MenuScope = "every"

    def __post_init__(self) -> None:
        if self.key not in CITE_KEYS and not self.key.startswith("sources."):
            raise ValueError(f"{self.key!r} is not a rulebook key that names a source")
        if self.menus != "every" and self.key != "menus.*.source":
            raise ValueError(f"menus={self.menus!r} applies to menus.*.source only, not to {self.key!r}")

    def citations(self, rules: Rulebook) -> tuple[Citation, ...]:
        """The citations at this key in ``rules``."""
        if self.key.startswith("sources."):
            from astep_calc.rulebook import Citation

            wanted = self.key.removeprefix("sources.")
            return tuple(Citation(s) for s in rules.sources if s.id == wanted)
        if self.key == "menus.*.source":
            keep = MENU_SCOPES[self.menus][1]
            return tuple(m.cite for m in rules.menus if keep(m))
        return CITE_KEYS[self.key](rules)


@dataclass(frozen=True)
class Check:
    """One programme rule: its stable id, when it is broken, its sources and how it is applied.

    ``assumption`` is the sentence printed under a result that the rule was applied to; its
    ``{name}`` fields are filled by :meth:`explain`, a :class:`Text` value in each language.

    >>> BUDGET_MATCHING.explain(ratio=Text("50%", "50％")).ja[:30]
    '企業等の自己資金はフェーズ全体でJSTからの資金の50％以上'
    """

    id: str
    description: Text
    cites: tuple[Cite, ...]
    assumption: Text | None = None

    def citations(self, rules: Rulebook) -> tuple[Citation, ...]:
        """Every citation the rule applies in ``rules``, in the order the rule names them."""
        return tuple(c for cite in self.cites for c in cite.citations(rules))

    def sources(self, rules: Rulebook) -> tuple[Source, ...]:
        """The distinct sources of those citations, the rule's main source first."""
        out: list[Source] = []
        for c in self.citations(rules):
            if c.source not in out:
                out.append(c.source)
        return tuple(out)

    def explain(self, **values: str | int | Text) -> Text:
        """The assumption with its fields filled in each language."""
        if self.assumption is None:
            raise ValueError(f"{self.id} has no assumption to explain")

        def fill(template: str, lang: Literal["en", "ja"]) -> str:
            return template.format(**{k: v.in_lang(lang) if isinstance(v, Text) else v for k, v in values.items()})

        return Text(fill(self.assumption.en, "en"), fill(self.assumption.ja, "ja"))


MENUS = "menus.*.source"
REPAYMENT = "jisso.repayment.source"
ASSUMPTION = "sources.assumption"

# ---------------------------------------------------------------------------------------
# Periods and budgets (the stage menus; period.max for 実装支援 too)

PERIOD_MAX = Check(
    "period.max",
    Text("the period is longer than the menu allows", "実施期間がメニューの最長期間を超える"),
    (Cite(MENUS),),
    Text(
        "{menu} runs at most {most}. A period of N months ends the day before the same "
        "date N months after the start, or on that month's last day where it has no such date "
        "(Civil Code art. 143)",
        "{menu}の実施期間は最長{most}。Nか月の期間は、開始日のNか月後の応当日の前日に"
        "終わる（応当日がない場合はその月の末日。民法143条）",
    ),
)

#: How a plan's [budget] is compared with the caps: budget.fy_cap and budget.outside_period.
_REQUESTS = Text(
    "Each [budget] entry is the fiscal year's request including indirect costs, compared with "
    "that year's cap as `astep budget` computes it; a request for a fiscal year outside the "
    "period is a violation unless it is 0",
    "[budget] の各年度の額は間接経費込みの申請額とし、astep budget と同じ計算による当該年度の上限額と比較。"
    "実施期間外の年度への計上は、0円でない限り違反",
)

BUDGET_FY_CAP = Check(
    "budget.fy_cap",
    Text(
        "a fiscal year's request (incl. indirect costs) is over that year's cap",
        "年度の申請額（間接経費込み）が当該年度の上限額を超える",
    ),
    (Cite(MENUS, "annual"),),
    _REQUESTS,
)

BUDGET_OUTSIDE_PERIOD = Check(
    "budget.outside_period",
    Text(
        "money is requested (or contributed) for a fiscal year the period does not touch",
        "実施期間に含まれない年度に申請額（または自己資金）を計上している",
    ),
    (Cite(MENUS, "annual"),),
    _REQUESTS,
)

BUDGET_MATCHING = Check(
    "budget.matching",
    Text(
        "the companies' own contribution is under the rulebook's minimum share of JST's money",
        "企業等の自己資金が、JSTからの資金に対するルールブックの下限割合に満たない",
    ),
    (Cite(MENUS, "matching"),),
    Text(
        "The companies' own contribution must be at least {ratio} of JST's money over the "
        "phase (rulebook matching_min_ratio), the minimum rounded up to the yen",
        "企業等の自己資金はフェーズ全体でJSTからの資金の{ratio}以上（ルールブックの matching_min_ratio）。"
        "必要額は1円未満切り上げ",
    ),
)

#: budget.matching's assumption when the rulebook sets no minimum (the 2024 brochure sets none).
MATCHING_UNCHECKED = Text(
    "The companies' own contribution (matching) is recorded and shown as a share of the matching-fund "
    "phase's own JST money (a Stage I grant in the same fiscal year is not counted), as a percentage to "
    "one decimal rounded half-even (JSON: a decimal string); the rulebook sets no minimum, so none is checked",
    "企業等の自己資金（マッチング）は記録し、マッチングファンドのフェーズ自身のJSTからの資金に対する比率で表示"
    "（同じ年度のステージⅠの資金は含めない。百分率で小数第1位まで、偶数丸め。JSONでは小数の文字列）。"
    "ルールブックに下限がないため検査しない",
)

# ---------------------------------------------------------------------------------------
# 実装支援 (返済型)

AMOUNT_MAX = Check(
    "amount.max",
    Text(
        "the 実装支援 total development cost is over the menu's total cap",
        "実装支援の開発費総額が上限額（総額）を超える",
    ),
    (Cite(MENUS, "repayable"),),
)

COLLATERAL_MIN = Check(
    "collateral.min",
    Text(
        "the collateral or guarantee posted is under the required share of the total development cost",
        "設定する担保又は保証が、開発費総額に対する所定の割合に満たない",
    ),
    (Cite("jisso.collateral_source"),),
)

REPAY_TOTAL = Check(
    "repay.total",
    Text(
        "a schedule's payments do not add up to the amount owed under its grade",
        "返済計画の各回返済額の合計が、評価に応じた返済すべき額と一致しない",
    ),
    (Cite("jisso.repayment.grades.*.source"),),
    # A custom schedule is where repay.total applies; the sentence names its other checks too.
    Text(
        "A schedule given payment by payment is checked: the payments sum to the amount owed, every "
        "due date falls after the development end and within {term} of it, and the first within "
        "{first_months} ({first_source})",
        "指定された返済計画を検査：各回返済額の合計が返済すべき額と一致すること、各期日が開発終了日の後"
        "{term}以内であること、初回期日が開発終了日の{first_months}後までで"
        "あること（初回期日の上限は{first_source}）",
    ),
)

REPAY_WINDOW = Check(
    "repay.window",
    Text(
        "a payment falls due on or before the development end, or inside the deferral",
        "開発終了日以前、または返済猶予期間中に期日が来る返済がある",
    ),
    (Cite(REPAYMENT),),
)

REPAY_TERM = Check(
    "repay.term",
    Text(
        "a payment falls due after the repayment term, or the term is longer than allowed",
        "返済期間の終わりより後に期日が来る返済がある、または返済期間が上限を超える",
    ),
    (Cite(REPAYMENT),),
)

REPAY_DEFERRAL = Check(
    "repay.deferral",
    Text(
        "the deferral is longer than allowed, or the first payment falls due later than allowed",
        "返済猶予（元本据置）が上限を超える、または初回期日が上限より遅い",
    ),
    (Cite(REPAYMENT), Cite("jisso.repayment.first_due_source")),
)

REPAY_LUMP = Check(
    "repay.lump",
    Text(
        "a grade that repays in one lump sum is given a schedule of several payments",
        "一括返済となる評価なのに、返済計画が複数回に分かれている",
    ),
    (Cite(REPAYMENT),),
)

# ---------------------------------------------------------------------------------------
# Between the phases of a plan

PHASE_OVERLAP = Check(
    "phase.overlap",
    Text(
        "two phases of a plan overlap (a phase starts after the one before it ends)",
        "計画のフェーズ同士の期間が重なっている（前のフェーズの終了後に次のフェーズを開始する）",
    ),
    (Cite(ASSUMPTION),),
)

PHASE_GATE = Check(
    "phase.gate",
    Text(
        "a menu entered through the stage gate has no phase of the menu it follows before it",
        "ステージゲート評価を経て移行するメニューのフェーズの前に、移行元のメニューのフェーズがない",
    ),
    (Cite(MENUS, "follows"),),
)

# ---------------------------------------------------------------------------------------
# The company's side (SPEC §9): JST confirms the 事業計画・返済計画 before an application (the
# rulebook's plan_check); the thresholds, min_cash and coverage, are the company's own
# settings, not JST's: an assumption.

COMPANY_CASH = Check(
    "company.cash",
    Text(
        "the company's month-end cash, A-STEP flows included, falls below its min_cash",
        "A-STEPによる入出金を含めた会社の月末の現預金が min_cash を下回る",
    ),
    (Cite("jisso.plan_check_source"), Cite(ASSUMPTION)),
)

COMPANY_COVERAGE = Check(
    "company.coverage",
    Text(
        "a fiscal year's operating cash flow covers that year's repayments fewer times than coverage",
        "年度の営業キャッシュフローが、当該年度の返済額の coverage 倍に満たない",
    ),
    (Cite("jisso.plan_check_source"), Cite(ASSUMPTION)),
    Text(
        "Repayment coverage = the fiscal year's operating cash flow ÷ its repayments under the plan's grade, shown "
        "rounded down to two decimals (never above what it is) and compared exactly with the required coverage; "
        "an operating cash flow of 0 or less never covers its repayments",
        "返済カバー率＝年度の営業キャッシュフロー÷計画の評価によるその年度の返済額。小数第2位未満を切り捨てて表示し"
        "（実際より高く表示しない）、必要な返済カバー率とは端数処理前の値で比べる。営業キャッシュフローが0円以下の年度は"
        "返済を賄えないものとする",
    ),
)

#: Every rule, in the order docs and ``astep rules`` list them.
CHECKS: tuple[Check, ...] = (
    PERIOD_MAX,
    BUDGET_FY_CAP,
    BUDGET_OUTSIDE_PERIOD,
    BUDGET_MATCHING,
    AMOUNT_MAX,
    COLLATERAL_MIN,
    REPAY_TOTAL,
    REPAY_WINDOW,
    REPAY_TERM,
    REPAY_DEFERRAL,
    REPAY_LUMP,
    PHASE_OVERLAP,
    PHASE_GATE,
    COMPANY_CASH,
    COMPANY_COVERAGE,
)

_BY_ID = {c.id: c for c in CHECKS}
if len(_BY_ID) != len(CHECKS):  # pragma: no cover - a declaration error, caught on import
    raise ValueError("two checks share one id")

#: Every stable rule id.
RULE_IDS: frozenset[str] = frozenset(_BY_ID)


def by_id(rule_id: str) -> Check:
    """The check with this rule id.

    >>> by_id("amount.max") is AMOUNT_MAX
    True
    """
    return _BY_ID[rule_id]


__all__ = [
    "AMOUNT_MAX",
    "BUDGET_FY_CAP",
    "BUDGET_MATCHING",
    "BUDGET_OUTSIDE_PERIOD",
    "CHECKS",
    "CITE_KEYS",
    "COLLATERAL_MIN",
    "COMPANY_CASH",
    "COMPANY_COVERAGE",
    "MATCHING_UNCHECKED",
    "MENU_SCOPES",
    "PERIOD_MAX",
    "PHASE_GATE",
    "PHASE_OVERLAP",
    "REPAY_DEFERRAL",
    "REPAY_LUMP",
    "REPAY_TERM",
    "REPAY_TOTAL",
    "REPAY_WINDOW",
    "RULE_IDS",
    "Check",
    "Cite",
    "by_id",
]
