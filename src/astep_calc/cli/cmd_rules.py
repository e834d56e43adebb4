"""``astep rules``: the rulebook in force, as the brochure's table."""

from typing import TYPE_CHECKING

from astep_calc.cli.labels import Labels, rulebook_line
from astep_calc.cli.options import OutputOptions, command
from astep_calc.cli.program import app
from astep_calc.cli.views import Column, Report, Table
from astep_calc.text import Text

if TYPE_CHECKING:
    from astep_calc.checks import Check
    from astep_calc.money import DisplayUnit
    from astep_calc.rulebook import Rulebook


@command(
    app,
    "rules",
    dates=False,
    ja="使用中のルールブックを示します：メニュー、資金タイプ、上限額、実施期間の上限、実装支援の返済の条件。",
)
def rules(*, opts: OutputOptions) -> Report:
    """The rulebook in force: menus, fund type, caps, periods and 実装支援 repayment terms.

    Example: astep rules --lang en
    """
    from astep_calc.money import DisplayUnit, format_rate, percent

    rb = opts.rulebook()
    rp = rb.jisso.repayment
    unit = opts.unit or DisplayUnit.YEN  # --display-unit: the caps in 千円 or 万円, as the forms write them
    return Report(
        command="rules",
        rules_id=rb.id,
        tables=[menus_table(rb, unit), jisso_terms_table(rb), checks_table(rb)],
        data=rules_data(rb),
        assumptions=[
            Text(
                f"Indirect costs at {format_rate(rb.indirect_rate)} of direct cost "
                f"({rb.indirect_cite.source.name.en}): {rb.indirect_cite.note.en}",
                f"間接経費は直接経費の{percent(rb.indirect_rate).ja}（{rb.indirect_cite.source.name.ja}）："
                f"{rb.indirect_cite.note.ja}",
            ),
        ],
        sources=[rulebook_line(rb.id, m.cite) for m in rb.menus]
        + [rulebook_line(rb.id, rp.cite)]
        + [rulebook_line(rb.id, g.cite) for g in rp.grades if g.cite.source != rp.cite.source]
        + [rulebook_line(rb.id, rp.milestone_cite)],
        violations=None,
    )


def menus_table(rb: "Rulebook", unit: "DisplayUnit") -> Table:
    """The support menus: name, fund type, cap (in ``unit``) and period limit, with sources."""
    from astep_calc.cli.units import title_in_unit
    from astep_calc.dates import format_months
    from astep_calc.money import DisplayUnit, format_in_unit

    rows = []
    for m in rb.menus:
        cap, en, ja = format_in_unit(m.cap, unit.yen), unit.label.en, unit.label.ja
        cap_text = (
            Text(
                f"{cap} {en} a fiscal year" + ("; first year prorated" if m.first_year_prorated else ""),
                f"年額{cap}{ja}" + ("（初年度は按分）" if m.first_year_prorated else ""),
            )
            if m.cap_kind == "annual"
            else Text(f"{cap} {en} in total", f"総額{cap}{ja}")
        )
        rows.append(
            {
                "menu": m.id,
                "name": m.name,
                "fund_type": rb.fund_type_label(m.fund_type),
                "cap": m.cap,
                "cap_kind": m.cap_kind,
                "cap_text": cap_text,
                "period_months": m.period_months,
                "period": Text(format_months(m.period_months).en, format_months(m.period_months).ja),
                "source": m.cite.source.name,
            }
        )
    columns = [
        Column("menu", Labels.menu, "verbatim"),
        Column("name", Labels.name),
        Column("fund_type", Labels.fund_type),
        Column("cap_text", Labels.cap),
        Column("period", Labels.period_limit),
        Column("source", Labels.source),
    ]
    menus_title = Text(
        f"A-STEP support menus ({rb.id}, brochure {rb.edition})",
        f"A-STEP 支援メニュー（{rb.id}、{edition_ja(rb.edition)}）",
    )
    return Table(menus_title if unit is DisplayUnit.YEN else title_in_unit(menus_title, unit), columns, rows)


def jisso_terms_table(rb: "Rulebook") -> Table:
    """実装支援's terms in words: collateral, advances, interest, term, deferral, first and
    lump-sum due dates, and what each grade repays."""
    from astep_calc.dates import format_months, years_or_months
    from astep_calc.money import format_rate, percent

    j = rb.jisso
    rp = j.repayment
    terms: list[dict[str, object]] = [
        {
            "term": Text("Collateral or guarantee", "担保又は保証"),
            "value": Text(
                f"{format_rate(j.collateral_rate)} of the total development cost, rounded up to the yen",
                f"開発開始時に開発費総額の{percent(j.collateral_rate).ja}相当（1円未満切り上げ）",
            ),
            "source": j.collateral_cite.source.name,
        },
        {
            "term": Text("Advances", "前払い"),
            "value": Text(
                f"every {j.advance_every_months} months (fiscal quarters), as estimates",
                "四半期毎の前払い（概算）"
                if j.advance_every_months == 3
                else f"{j.advance_every_months}か月毎の前払い（概算）",
            ),
            "source": j.advance_cite.source.name,
        },
        {
            "term": Text("Interest", "利率"),
            "value": Text(
                "interest-free" if rp.interest_rate == 0 else format_rate(rp.interest_rate),
                "無利子" if rp.interest_rate == 0 else format_rate(rp.interest_rate),
            ),
            "source": rp.cite.source.name,
        },
        {
            "term": Text("Repayment term", "返済期間"),
            "value": Text(
                f"within {format_months(rp.term_max_months).en} of development end",
                f"開発終了後、{format_months(rp.term_max_months).ja}以内",
            ),
            "source": rp.cite.source.name,
        },
        {
            "term": Text("Deferral of principal", "返済猶予（元本据置）"),
            "value": Text(
                f"up to {format_months(rp.deferral_max_months).en}, with JST's prior consent",
                f"最長{format_months(rp.deferral_max_months).ja}※JSTの事前了承が必要",
            ),
            "source": rp.cite.source.name,
        },
        {
            "term": Labels.first_due,
            "value": Text(
                f"no later than {format_months(rp.first_due_max_months).en} after development end, "
                "however the schedule is laid out",
                f"開発終了日の{years_or_months(rp.first_due_max_months).ja}後まで（返済方法によらない）",
            ),
            "source": rp.first_due_cite.source.name,
        },
        {
            "term": Text("Lump sum due", "一括返済の期日"),
            "value": Text(
                f"{format_months(rp.lump_due_months).en} after development end (after the deferral, "
                "if any), whatever the installment frequency",
                f"開発終了日（返済猶予がある場合は猶予期間の終わり）の{years_or_months(rp.lump_due_months).ja}後。"
                "返済間隔によらない",
            ),
            "source": rp.lump_due_cite.source.name,
        },
    ]
    terms += grade_terms(rb)
    return Table(
        Text("実装支援 (repayable): terms", "実装支援（返済型）：条件"),
        [Column("term", Labels.item), Column("value", Labels.rule_text), Column("source", Labels.source)],
        terms,
    )


def grade_terms(rb: "Rulebook") -> list[dict[str, object]]:
    """What each grade repays and how, in words; 開発中止 with the milestone evaluation that
    leads to it."""
    from astep_calc.dates import format_months, years_or_months
    from astep_calc.money import format_rate, percent
    from astep_calc.rulebook import grade_label

    rp = rb.jisso.repayment
    terms: list[dict[str, object]] = []
    for g in rp.grades:
        share = "the full development cost" if g.share == 1 else f"{format_rate(g.share)} of the development cost"
        share_ja = "開発費の全額" if g.share == 1 else f"開発費の{percent(g.share).ja}"
        how = "as a lump sum" if g.lump_only else "as a lump sum or in installments"
        how_ja = "を一括返済" if g.lump_only else "を返済（一括又は分割）"
        name = grade_label(g, grouped=False)
        if rp.is_discontinued(g):
            months = rp.discontinued_due_months
            terms.append(
                {
                    "term": Text(f"Development stopped: {name.en}", f"{name.ja}"),
                    "value": Text(
                        f"repay {share} JST paid up to the stop, by default in one lump sum "
                        f"{format_months(months).en} after the stop",
                        f"中止までにJSTが支払った{share_ja}を返済。既定では中止日の"
                        f"{years_or_months(months).ja}後に一括返済",
                    ),
                    "source": g.cite.source.name,
                }
            )
            terms.append(
                {
                    "term": Text("Milestone evaluation graded C", "マイルストーン評価でC評価"),
                    "value": rp.milestone_cite.note,
                    "source": rp.milestone_cite.source.name,
                }
            )
            continue
        terms.append(
            {
                "term": Text(f"Post-evaluation: {name.en}", name.ja),
                "value": Text(f"repay {share} {how}", f"{share_ja}{how_ja}"),
                "source": g.cite.source.name,
            }
        )
    return terms


def rules_data(rb: "Rulebook") -> dict[str, object]:
    """``astep rules``'s JSON keys (SPEC §6): the rulebook's numbers and the registry of checks."""
    j = rb.jisso
    rp = j.repayment
    return {
        "edition": rb.edition,
        "source": rb.source,
        "indirect_rate": rb.indirect_rate,
        "sources": {src.id: src.name.en for src in rb.sources},
        "menus": [
            {
                "id": m.id,
                "name_ja": m.name.ja,
                "name_en": m.name.en,
                "short_ja": m.short.ja,
                "short_en": m.short.en,
                "fund_type": m.fund_type,
                "cap_kind": m.cap_kind,
                "cap": m.cap,
                "first_year_prorated": m.first_year_prorated,
                "period_months": m.period_months,
                "source": m.cite.source.id,
            }
            for m in rb.menus
        ],
        "jisso": {
            "collateral_rate": j.collateral_rate,
            "advance_every_months": j.advance_every_months,
            "interest_rate": rp.interest_rate,
            "term_max_months": rp.term_max_months,
            "deferral_max_months": rp.deferral_max_months,
            "custom_first_due_max_months": rp.first_due_max_months,
            "first_due_max_months": rp.first_due_max_months,
            "lump_due_months": rp.lump_due_months,
            "discontinued_grade": rp.discontinued_grade,
            "discontinued_due_months": rp.discontinued_due_months,
            "default_grade": rp.default_grade,
            "grades": [
                {"id": g.id, "share": g.share, "lump_only": g.lump_only, "source": g.cite.source.id} for g in rp.grades
            ],
        },
        "checks": checks_data(rb),
    }


def checks_table(rb: "Rulebook") -> Table:
    """Every rule checked (the registry): its id, when it is broken, its sources in ``rb``."""
    from astep_calc.checks import CHECKS

    rows = [{"rule": c.id, "description": c.description, "source": source_names(c, rb)} for c in CHECKS]
    columns = [
        Column("rule", Labels.rule, "verbatim"),
        Column("description", Labels.broken_when),
        Column("source", Labels.source),
    ]
    return Table(Text("Rules checked", "検査する規則"), columns, rows)


def checks_data(rb: "Rulebook") -> list[dict[str, object]]:
    """``"checks"`` of the JSON: each rule's ``"id"``; its ``"description"`` and ``"source"``
    (the names of the sources it rests on in ``rb``, as the table shows them; null when
    ``rb`` cites none) in the output language; ``"source_ids"``, those sources' ids."""
    from astep_calc.checks import CHECKS

    return [
        {
            "id": c.id,
            "description": c.description,
            "source": source_names(c, rb) if c.sources(rb) else None,
            "source_ids": [s.id for s in c.sources(rb)],
        }
        for c in CHECKS
    ]


def source_names(check: "Check", rb: "Rulebook") -> Text:
    """``brochure, edition of 23 April 2024; assumption`` / ``パンフレット2024年4月23日版、仮定``."""
    names = [s.name for s in check.sources(rb)]
    return Text("; ".join(n.en for n in names), "、".join(n.ja for n in names))


def edition_ja(edition: str) -> str:
    """The brochure's edition as Japanese cites it: ``20240423`` → ``パンフレット2024年4月23日版``.

    >>> edition_ja("20240423"), edition_ja("2024a")
    ('パンフレット2024年4月23日版', 'パンフレット 2024a')
    """
    if len(edition) == 8 and edition.isdigit():
        return f"パンフレット{int(edition[:4])}年{int(edition[4:6])}月{int(edition[6:])}日版"
    return f"パンフレット {edition}"
