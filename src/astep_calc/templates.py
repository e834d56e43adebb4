"""Plans to start from (``astep init``): a commented plan file that ``astep check`` accepts.

A template is built from a start date and the rulebook in force, so that every figure in
it holds the rules whatever the start: the period is the menu's longest, each fiscal
year's request is its cap (computed as ``astep budget`` computes it), the collateral is
the required share, the company's projections cover every fiscal year in which A-STEP
money moves. Moving the start moves every date with it: the phases keep their lengths and
order, and the fiscal years of ``[budget]``, ``[matching]`` and ``[company.flows]``
follow.

Each key is explained by its own line in :mod:`astep_calc.plan_format` (one declaration
for the reader, the schema, the docs and these comments), and the template adds what is
particular to it beside the value. :meth:`PlanTemplate.toml` writes the file with its
comments in one language; :meth:`PlanTemplate.data` the same plan as JSON carries it.

>>> from astep_calc.rulebook import load_rulebook
>>> plan = template(load_rulebook(), "stage1", date(2026, 10, 1))
>>> [line for line in plan.toml("en").splitlines() if line.startswith(("start", "end", "2026"))]
['start = 2026-10-01', 'end = 2029-03-31         # 30 months from the start: the longest Stage I allows', \
'2026 = "750万"           # cap 7,500,000 yen (6 months of the annual cap)']
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from astep_calc.dates import ONE_DAY, add_months, fiscal_year_of
from astep_calc.money import format_yen, percent
from astep_calc.periods import period_end
from astep_calc.plan_format import (
    AMOUNT,
    BUDGET,
    CASH,
    COLLATERAL,
    COMPANY,
    COMPANY_NAME,
    COVERAGE,
    DEFERRAL,
    DISCOUNT_RATE,
    END,
    EQUITY,
    EVERY,
    EXIT_DATE,
    EXIT_VALUE,
    FLOWS,
    GRADE,
    MATCHING,
    MENU,
    MIN_CASH,
    MONTHS,
    PHASE,
    PRE_MONEY,
    REPAYMENT,
    START,
    TERM,
    TITLE,
    PlanKey,
)
from astep_calc.text import InputError, Lang, Text, did_you_mean

if TYPE_CHECKING:
    from astep_calc.rulebook import Menu, Rulebook

#: The start of every template when none is given: a fixed date, so that the same command
#: writes the same file whenever it runs.
DEFAULT_START = date(2026, 10, 1)

#: A 実装支援 amount to start from (an example, not a rule): the menu's cap if it is lower.
EXAMPLE_AMOUNT = 300_000_000

#: A value of the plan: a string, an amount, a switch, a date, a ratio, an inline table, or
#: text in the file's language (a title, a name).
Value = str | int | bool | date | Fraction | Text | dict[str, Any]


@dataclass(frozen=True)
class Entry:
    """One ``key = value`` line: the key's own description (its :class:`PlanKey`, or None for a
    fiscal year's line) above it, and ``note``, what this template says of it, beside it."""

    name: str
    value: Value
    key: PlanKey[Any] | None = None
    note: Text | None = None


@dataclass(frozen=True)
class Section:
    """The top of the file, or a table: its header (``[budget]``, ``[[phase]]``), the key it
    stands for (described above it) and a note beside it, then its entries."""

    header: str | None
    entries: tuple[Entry, ...]
    key: PlanKey[Any] | None = None
    note: Text | None = None
    #: Where the table sits in the plan's data: ``("phase", 1, "budget")`` (``[phase.budget]``
    #: of the second phase); ``()`` for the top.
    path: tuple[str | int, ...] = ()


@dataclass(frozen=True)
class PlanTemplate:
    """A plan to start from: its heading comment and its sections, in order."""

    name: str
    heading: Text
    sections: tuple[Section, ...] = field(default_factory=tuple)

    def toml(self, lang: Lang) -> str:
        """The plan as a TOML file, every key with its description and the template's notes in ``lang``."""
        lines = [line for part in self.heading.in_lang(lang).split("\n") for line in _comment(part)]
        for section in self.sections:
            lines.append("")
            if section.key is not None:
                lines += _comment(section.key.text.in_lang(lang))
            if section.header is not None:
                lines.append(_beside(section.header, section.note, lang))
            for entry in section.entries:
                if entry.key is not None:
                    lines += _comment(entry.key.text.in_lang(lang))
                lines.append(_beside(f"{_toml_key(entry.name)} = {_toml(entry.value, lang)}", entry.note, lang))
        return "\n".join(lines) + "\n"

    def data(self, lang: Lang) -> dict[str, Any]:
        """The same plan as a JSON plan file holds it (no comments: JSON has none)."""
        out: dict[str, Any] = {}
        for section in self.sections:
            table: Any = out
            for k, step in enumerate(section.path):
                if isinstance(step, int):  # the step-th of a list of tables ([[phase]])
                    while len(table) <= step:
                        table.append({})
                    table = table[step]
                else:
                    listed = k + 1 < len(section.path) and isinstance(section.path[k + 1], int)
                    table = table.setdefault(step, [] if listed else {})
            for entry in section.entries:
                table[entry.name] = _json(entry.value, lang)
        return out


# --------------------------------------------------------------------------- the file's text

#: The column a note beside a value starts at, when the line is shorter; and the width
#: comment lines are wrapped to, in terminal cells.
_NOTE_COLUMN = 25
_WIDTH = 88
#: Where a comment line may break: after a space, or after Japanese punctuation; never inside
#: a short bracketed phrase (「astep check ファイル名」, （astep init jisso で作成）).
_BREAK = re.compile(r"(?:「[^」、。]*」|（[^）、。]*）|[^ 、。])*[ 、。]*")
#: The same, inside a piece too long for a line whole.
_ANY_BREAK = re.compile(r"[^ 、。]*[ 、。]*")


def _cells(text: str) -> int:
    """Terminal cells ``text`` takes: East Asian wide characters two.

    >>> _cells('amount = "3億"'), _cells("上限額")
    (14, 6)
    """
    return sum(2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text)


def _comment(text: str) -> list[str]:
    """``# text`` as comment lines of at most :data:`_WIDTH` cells, broken after a space or
    Japanese punctuation (a longer run stays whole).

    >>> _comment("短い説明"), _comment("")
    (['# 短い説明'], ['#'])
    """
    if not text:
        return ["#"]
    lines: list[str] = []
    line = ""
    pieces = _BREAK.findall(text)
    for piece in [
        p for whole in pieces for p in (_ANY_BREAK.findall(whole) if _cells(whole) + 2 > _WIDTH else [whole])
    ]:
        if line and _cells(line + piece.rstrip()) + 2 > _WIDTH:
            lines.append(line.rstrip())
            line = ""
        line += piece
    if line.strip():
        lines.append(line.rstrip())
    return [f"# {line}" for line in lines]


def _beside(line: str, note: Text | None, lang: Lang) -> str:
    if note is None:
        return line
    return f"{line}{' ' * max(_NOTE_COLUMN - 1 - _cells(line), 0)} # {note.in_lang(lang)}"


def _toml_key(name: str) -> str:
    return name if name.replace("_", "").replace("-", "").isalnum() and name.isascii() else json.dumps(name)


def _toml(value: Value, lang: Lang) -> str:
    """A value as TOML writes it (a string in JSON's escapes, which TOML's basic strings share).

    >>> _toml(date(2026, 10, 1), "en"), _toml(15_000_000, "en"), _toml(Fraction(6, 5), "en"), _toml("3億", "ja")
    ('2026-10-01', '15_000_000', '1.2', '"3億"')
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return f"{value:_}"
    if isinstance(value, Fraction):
        return _decimal(value)
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml(v, lang)}" for k, v in value.items()) + " }"
    if isinstance(value, Text):
        value = value.in_lang(lang)
    return json.dumps(value, ensure_ascii=False)


def _json(value: Value, lang: Lang) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Fraction):
        return float(_decimal(value))  # a ratio of a few decimals, which a double holds exactly enough
    if isinstance(value, Text):
        return value.in_lang(lang)
    if isinstance(value, dict):
        return {k: _json(v, lang) for k, v in value.items()}
    return value


def _decimal(value: Fraction) -> str:
    """A ratio with a terminating decimal, written as one (1.2)."""
    whole, rest = divmod(value.numerator * 10**6, value.denominator)
    assert rest == 0, value
    return f"{whole / 10**6:g}"


def amount_words(amount: int) -> str | int:
    """An amount as a plan may write it: ``"3億"``, ``"1億2500万"``, ``"750万"`` when it is whole
    in 万, else the integer (written ``5_769_231``).

    >>> amount_words(300_000_000), amount_words(125_000_000), amount_words(7_500_000), amount_words(2_083_333)
    ('3億', '1億2500万', '750万', 2083333)
    """
    if amount % 10_000 or amount <= 0:
        return amount
    oku, man = divmod(amount // 10_000, 10_000)
    return (f"{oku}億" if oku else "") + (f"{man}万" if man else "")


def _signed(amount: int) -> str | int:
    """A projection's amount, which may be negative: ``"-1億5000万"``, ``"2億"``.

    >>> _signed(-150_000_000), _signed(200_000_000)
    ('-1億5000万', '2億')
    """
    words = amount_words(abs(amount))
    if isinstance(words, int):
        return amount
    return f"-{words}" if amount < 0 else words


# --------------------------------------------------------------------------- the templates


@dataclass(frozen=True)
class About:
    """A template's name and what it is for (``astep init --list``)."""

    name: str
    text: Text


TEMPLATES: tuple[About, ...] = (
    About(
        "stage1",
        Text(
            "Stage I (産学共同 育成フェーズ): one phase, its request per fiscal year",
            "ステージⅠ（産学共同 育成フェーズ）：1フェーズ、年度ごとの申請額",
        ),
    ),
    About(
        "stage1-stage2",
        Text(
            "Stage I, then Stage II through the stage gate: both requests and the companies' own contribution",
            "ステージⅠからステージゲートを経てステージⅡへ：両フェーズの申請額と企業等の自己資金",
        ),
    ),
    About(
        "jisso",
        Text(
            "実装支援 (返済型): the development cost, collateral and how it is repaid",
            "実装支援（返済型）：開発費総額、担保又は保証、返済の条件",
        ),
    ),
    About(
        "spinout",
        Text(
            "実装支援 for a spin-out, with the company's cash and projections and an equity round to compare",
            "スタートアップの実装支援：会社の現預金と収支見込み、同じ額を出資で調達する場合との比較つき",
        ),
    ),
)


def template_names() -> tuple[str, ...]:
    return tuple(t.name for t in TEMPLATES)


def template(rules: Rulebook, name: str, start: date = DEFAULT_START) -> PlanTemplate:
    """The plan ``name`` starting on ``start``, its figures from ``rules``.

    >>> from astep_calc.rulebook import load_rulebook
    >>> template(load_rulebook(), "jiso")
    Traceback (most recent call last):
    ...
    astep_calc.text.InputError: 'jiso' is not a template: one of stage1, stage1-stage2, jisso, spinout (did you mean jisso?)
    """
    builders = {"stage1": _stage1, "stage1-stage2": _stage1_stage2, "jisso": _jisso, "spinout": _spinout}
    key = name.strip().lower()
    if key not in builders:
        hint = did_you_mean(name, template_names())
        listed = ", ".join(template_names())
        raise InputError(
            f"{name!r} is not a template: one of {listed}{hint.en}",
            f"「{name}」というひな形はありません。{'、'.join(template_names())} のいずれかを指定してください{hint.ja}",
            field="template",
        )
    return builders[key](rules, start)


def _check_intro(file: Text) -> Text:
    return Text(
        f"{file.en}\n\nReplace the figures with your own, then check the file: astep check FILE; "
        'astep plan FILE shows every figure.\nDates are written 2026-10-01; amounts as "750万", '
        '"1.5億" or 15_000_000.',
        f"{file.ja}\n\n数字を実際の計画に合わせて書き換えたら、「astep check ファイル名」でルールに合っているかを"
        "確かめてください。\n「astep plan ファイル名」で各年度の数字を確認できます。日付は 2026-10-01 の形、"
        '金額は "750万"・"1.5億"・15_000_000 のどの形でも書けます。',
    )


def _longest(menu: Menu) -> Text:
    return Text(
        f"{menu.period_months} months from the start: the longest {menu.short.en} allows",
        f"開始日から{menu.period_months}か月（{menu.short.ja}の実施期間の上限）",
    )


def _cap_note(cap: int, months: int, prorated: bool) -> Text:
    if not prorated:
        return Text(f"cap {format_yen(cap)} yen (the annual cap)", f"上限額 {format_yen(cap)}円（年額）")
    return Text(
        f"cap {format_yen(cap)} yen ({months} months of the annual cap)",
        f"上限額 {format_yen(cap)}円（年額を{months}か月分で按分）",
    )


def _budget(rules: Rulebook, menu: Menu, start: date, end: date, path: tuple[str | int, ...]) -> Section:
    """``[budget]``: each fiscal year's request at its cap, as ``astep budget`` computes it."""
    from astep_calc.budget import fiscal_year_caps

    caps = fiscal_year_caps(rules, menu.id, start, end)
    return Section(
        _header(path, BUDGET),
        tuple(
            Entry(str(r.fiscal_year), amount_words(r.cap), note=_cap_note(r.cap, r.months, r.prorated))
            for r in caps.rows
        ),
        BUDGET,
        Text(
            "each year at its cap: write what you request", "各年度とも上限額いっぱい。申請する額に書き換えてください"
        ),
        path,
    )


def _matching(rules: Rulebook, menu: Menu, start: date, end: date, path: tuple[str | int, ...]) -> Section:
    """``[matching]``: the companies' own contribution, half of JST's money each year (or the
    rulebook's least ratio, if it sets one), in 万."""
    from astep_calc.budget import fiscal_year_caps

    caps = fiscal_year_caps(rules, menu.id, start, end)
    ratio = max(Fraction(1, 2), menu.matching_min_ratio or Fraction(0))
    entries = []
    for r in caps.rows:
        share = -(-r.cap * ratio.numerator // ratio.denominator)  # rounded up, then to 万 above
        entries.append(Entry(str(r.fiscal_year), amount_words(-(-share // 10_000) * 10_000)))
    return Section(
        _header(path, MATCHING),
        tuple(entries),
        MATCHING,
        Text("an example: half of JST's money each year", "例として各年度のJSTからの資金の半額"),
        path,
    )


def _header(path: tuple[str | int, ...], key: PlanKey[Any]) -> str:
    inside = ".".join(str(p) for p in path if isinstance(p, str))
    return f"[{inside}]" if inside else f"[{key.name}]"


def _phase_start(menu: Menu, start: date, path: tuple[str | int, ...], note: Text | None = None) -> Section:
    months = menu.period_months
    return Section(
        "[[phase]]",
        (
            Entry(MENU.name, menu.id, MENU, Text(menu.name.en, menu.name.ja)),
            Entry(START.name, start, START, note),
            Entry(MONTHS.name, months, MONTHS, _longest(menu)),
        ),
        PHASE,
        path=path,
    )


def _stage1(rules: Rulebook, start: date) -> PlanTemplate:
    menu = rules.menu("stage1")
    end = period_end(start, menu.period_months)
    top = Section(
        None,
        (
            Entry(MENU.name, menu.id, MENU, Text(menu.name.en, menu.name.ja)),
            Entry(START.name, start, START),
            Entry(END.name, end, END, _longest(menu)),
        ),
    )
    heading = _check_intro(
        Text(
            f"A-STEP {menu.name.en}: a plan to start from (astep init stage1).\n"
            f"The period is the longest the menu allows and each fiscal year's request is its cap.",
            f"astep init stage1 で作成した、A-STEP {menu.name.ja}の計画ファイルのひな形です。\n"
            "実施期間はメニューの上限いっぱい、各年度の申請額は上限額いっぱいで入れてあります。",
        )
    )
    return PlanTemplate("stage1", heading, (top, _budget(rules, menu, start, end, ("budget",))))


def _stage1_stage2(rules: Rulebook, start: date) -> PlanTemplate:
    first = rules.menu("stage1")
    gate = next((m for m in rules.menus if m.follows == first.id), rules.menu("stage2-gate"))
    first_end = period_end(start, first.period_months)
    second = first_end + ONE_DAY
    second_end = period_end(second, gate.period_months)
    top = Section(None, (Entry(TITLE.name, Text("From Stage I to Stage II", "ステージⅠからステージⅡへ"), TITLE),))
    heading = _check_intro(
        Text(
            f"A-STEP {first.short.en}, then {gate.short.en} through the stage gate: a plan to start from "
            "(astep init stage1-stage2).\nThe second phase starts the day after the first ends, without a gap; "
            "each phase runs as long as its menu allows and each fiscal year's request is its cap.",
            "astep init stage1-stage2 で作成した、"
            f"A-STEP {first.short.ja}からステージゲート評価を経て{gate.short.ja}へ進む計画のひな形です。\n2つ目のフェーズは1つ目の終了日の翌日から切れ目なく始まります。"
            "各フェーズの実施期間はメニューの上限いっぱい、各年度の申請額は上限額いっぱいで入れてあります。",
        )
    )
    after = Text(
        f"the day after {first.short.en} ends: the stage gate without a gap",
        f"{first.short.ja}の終了日の翌日（ステージゲートを経て切れ目なく移行）",
    )
    return PlanTemplate(
        "stage1-stage2",
        heading,
        (
            top,
            _phase_start(first, start, ("phase", 0)),
            _budget(rules, first, start, first_end, ("phase", 0, "budget")),
            _phase_start(gate, second, ("phase", 1), after),
            _budget(rules, gate, second, second_end, ("phase", 1, "budget")),
            _matching(rules, gate, second, second_end, ("phase", 1, "matching")),
        ),
    )


def _jisso_sections(rules: Rulebook, start: date, term: int) -> tuple[tuple[Section, ...], date, int]:
    """The 実装支援 phase at the top of the file and its ``[repayment]``: the longest development
    the menu allows, :data:`EXAMPLE_AMOUNT`, the collateral required, a year's deferral, then
    yearly payments to ``term`` months after the development end. Also the development end
    and the amount."""
    from astep_calc.jisso import collateral, jisso_menu

    menu = jisso_menu(rules)
    end = period_end(start, menu.period_months)
    amount = min(EXAMPLE_AMOUNT, menu.cap)
    posted = collateral(rules, amount)
    rate = rules.jisso.collateral_rate
    top = (
        Entry(MENU.name, menu.id, MENU, Text(menu.name.en, menu.name.ja)),
        Entry(START.name, start, START),
        Entry(END.name, end, END, _longest(menu)),
        Entry(
            AMOUNT.name,
            amount_words(amount),
            AMOUNT,
            Text(f"an example; at most {format_yen(menu.cap)} yen", f"例。上限は総額{format_yen(menu.cap)}円"),
        ),
        Entry(
            COLLATERAL.name,
            amount_words(posted),
            COLLATERAL,
            Text(
                f"{percent(rate).en} of the amount, rounded up: the least the rules ask",
                f"開発費総額の{percent(rate).ja}（1円未満切り上げ）。下回るとルール違反",
            ),
        ),
    )
    repayment = Section(
        "[repayment]",
        (
            Entry(
                GRADE.name,
                rules.jisso.repayment.default_grade,
                GRADE,
                Text("S, A and B repay alike", "S・A・B の返済は同じ"),
            ),
            Entry(
                DEFERRAL.name, "1y", DEFERRAL, Text("up to 3y, with JST's consent", "最長3年（JSTの事前了承が必要）")
            ),
            Entry(TERM.name, f"{term // 12}y", TERM),
            Entry(
                EVERY.name, "year", EVERY, Text("year, half, quarter or month", "year（毎年）・half・quarter・month")
            ),
        ),
        REPAYMENT,
        path=("repayment",),
    )
    return (Section(None, top), repayment), end, amount


def _jisso(rules: Rulebook, start: date) -> PlanTemplate:
    sections, _, _ = _jisso_sections(rules, start, rules.jisso.repayment.term_max_months)
    heading = _check_intro(
        Text(
            "A-STEP 実装支援 (返済型): a plan to start from (astep init jisso).\n"
            "The development runs as long as the menu allows; after a year's deferral the cost is repaid "
            "yearly over the longest term.",
            "astep init jisso で作成した、A-STEP 実装支援（返済型）の計画ファイルのひな形です。\n"
            "開発期間はメニューの上限いっぱい、1年の返済猶予の後、返済期間の上限まで毎年返済する形で"
            "入れてあります。",
        )
    )
    return PlanTemplate("jisso", heading, sections)


#: The company's projections of the spin-out template, a fiscal year during the development
#: and after it (examples, not rules): it burns cash while it develops and earns after.
_BURN, _EARN, _SERIES_B = -150_000_000, 200_000_000, 500_000_000


def _spinout(rules: Rulebook, start: date) -> PlanTemplate:
    term = 60
    (top, repayment), end, amount = _jisso_sections(rules, start, term)
    title = Section(
        None,
        (
            Entry(
                TITLE.name,
                Text("Sample Co.: 実装支援 and the company's cash", "株式会社サンプル：実装支援と資金繰り"),
                TITLE,
            ),
            Entry(DISCOUNT_RATE.name, "8%", DISCOUNT_RATE, Text("an example", "例")),
            *top.entries,
        ),
    )
    first, last = fiscal_year_of(start), fiscal_year_of(add_months(end, term))
    flows = []
    for year in range(first, last + 1):
        flow: dict[str, Any] = {"operating": _signed(_BURN if year <= fiscal_year_of(end) else _EARN)}
        if year == first + 1:
            flow["financing"] = _signed(_SERIES_B)
        note = Text("a Series B", "シリーズBの資金調達") if year == first + 1 else None
        flows.append(Entry(str(year), flow, note=note))
    company = Section(
        "[company]",
        (
            Entry(COMPANY_NAME.name, Text("Sample Co., Ltd.", "株式会社サンプル"), COMPANY_NAME),
            Entry(
                CASH.name,
                "3億",
                CASH,
                Text(f"on {date(first, 4, 1).isoformat()}", f"{first}年4月1日時点"),
            ),
            Entry(MIN_CASH.name, "3000万", MIN_CASH),
            Entry(COVERAGE.name, Fraction(6, 5), COVERAGE),
        ),
        COMPANY,
        path=("company",),
    )
    equity = Section(
        "[company.equity]",
        (
            Entry(PRE_MONEY.name, "20億", PRE_MONEY, Text("an example", "例")),
            Entry(
                EXIT_VALUE.name,
                "200億",
                EXIT_VALUE,
                Text("an example: nobody knows it", "例（誰にも分からない値です）"),
            ),
            Entry(EXIT_DATE.name, add_months(end, 36), EXIT_DATE),
        ),
        EQUITY,
        Text(
            f"the same {format_yen(amount)} yen raised as equity",
            f"同じ{format_yen(amount)}円を出資で調達する場合",
        ),
        ("company", "equity"),
    )
    projections = Section(
        "[company.flows]",
        tuple(flows),
        FLOWS,
        Text(
            "in yen: operating, investing and financing cash flows",
            "operating：営業CF、investing：投資CF、financing：財務CF",
        ),
        ("company", "flows"),
    )
    heading = _check_intro(
        Text(
            "A-STEP 実装支援 (返済型) for a spin-out: a plan to start from (astep init spinout).\n"
            "With [company], astep plan shows the company's cash month by month with and without A-STEP, "
            "how long it lasts, how many times each year's operating cash flow covers the repayments, and "
            "what is owed; with [company.equity], raising the same money as equity beside it.\n"
            "The projections must cover every fiscal year in which A-STEP money moves.",
            "astep init spinout で作成した、スタートアップが実装支援（返済型）を受ける計画のひな形です。\n"
            "[company] があると、astep plan がA-STEPの資金がある場合とない場合の月末の現預金、資金が何か月もつか、"
            "各年度の営業キャッシュフローが返済額の何倍か、返済義務の残りを示します。[company.equity] があると、"
            "同じ額を出資で調達する場合と比べます。\n収支見込みは、A-STEPの資金が動くすべての年度について"
            "書いてください。",
        )
    )
    return PlanTemplate("spinout", heading, (title, repayment, company, equity, projections))
