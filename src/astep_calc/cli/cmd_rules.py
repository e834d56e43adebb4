"""``astep rules``: the rulebook in force, as the brochure's table."""

from astep_calc.cli.app import app
from astep_calc.cli.labels import L, rulebook_line
from astep_calc.cli.options import OutputOptions, command
from astep_calc.cli.views import Column, Report, Table
from astep_calc.text import Text, basis_text

FUND_TYPES = {
    "grant": Text("grant", "グラント"),
    "matching": Text("matching fund", "マッチングファンド"),
    "repayable": Text("repayable", "返済型"),
}


@command(app, "rules")
def rules(*, opts: OutputOptions) -> Report:
    """The rulebook in force: menus, fund type, caps, periods and 実装支援 repayment terms.

    Example: astep rules --lang en
    """
    from astep_calc.dates import format_months
    from astep_calc.money import format_rate, format_yen
    from astep_calc.rulebook import grade_label

    rb = opts.rulebook()
    rows = []
    for m in rb.menus:
        cap = format_yen(m.cap)
        cap_text = (
            Text(f"{cap} yen a fiscal year" + ("; first year prorated" if m.first_year_prorated else ""),
                 f"{cap}円（年額）" + ("・初年度は按分" if m.first_year_prorated else ""))
            if m.cap_kind == "annual"
            else Text(f"{cap} yen in total", f"{cap}円（総額）")
        )
        rows.append({
            "menu": m.id,
            "name": Text(m.name_en, m.name_ja),
            "fund_type": FUND_TYPES[m.fund_type],
            "cap": m.cap,
            "cap_kind": m.cap_kind,
            "cap_text": cap_text,
            "period_months": m.period_months,
            "period": format_months(m.period_months),
        })
    columns = [
        Column("menu", L.menu),
        Column("name", L.name),
        Column("fund_type", L.fund_type),
        Column("cap_text", L.cap_text),
        Column("period", L.period_limit),
    ]
    j = rb.jisso
    rp = j.repayment
    terms: list[dict[str, object]] = [
        {"term": Text("Collateral or guarantee", "担保又は保証"),
         "value": Text(f"{format_rate(j.collateral_rate)} of the total development cost, "
                       "rounded up to the yen",
                       f"開発費総額の{format_rate(j.collateral_rate)}相当（1円未満切り上げ）")},
        {"term": Text("Advances", "前払い"),
         "value": Text(f"every {j.advance_every_months} months (fiscal quarters)",
                       f"{j.advance_every_months}か月毎（四半期毎）の前払い（概算）")},
        {"term": Text("Interest", "利率"),
         "value": Text("interest-free" if rp.interest_rate == 0 else format_rate(rp.interest_rate),
                       "無利子" if rp.interest_rate == 0 else format_rate(rp.interest_rate))},
        {"term": Text("Repayment term", "返済期間"),
         "value": Text(f"within {format_months(rp.term_max_months).en} of development end",
                       f"開発終了後 {format_months(rp.term_max_months).ja}以内")},
        {"term": Text("Deferral", "返済猶予"),
         "value": Text(f"up to {format_months(rp.deferral_max_months).en}",
                       f"最長 {format_months(rp.deferral_max_months).ja}")},
        {"term": Text("Custom schedule: first payment", "返済計画：初回返済"),
         "value": Text(f"no later than {rp.custom_first_due_max_months} months after development "
                       f"end ({basis_text(rp.custom_first_due_basis).en})",
                       f"開発終了後 {rp.custom_first_due_max_months}か月以内"
                       f"（{basis_text(rp.custom_first_due_basis).ja}）")},
    ]
    for g in rp.grades:
        share = "the full development cost" if g.share == 1 else f"{format_rate(g.share)} of the development cost"
        share_ja = "開発費の全額" if g.share == 1 else f"開発費の{format_rate(g.share)}"
        how = "as a lump sum" if g.lump_only else "as a lump sum or in installments"
        how_ja = "を一括返済" if g.lump_only else "を返済（一括又は分割）"
        name = grade_label(g, grouped=False)
        basis = basis_text(g.basis)
        terms.append({"term": Text(f"Post-evaluation: {name.en}", f"事後評価：{name.ja}"),
                      "value": Text(f"repay {share} {how} ({basis.en})", f"{share_ja}{how_ja}（{basis.ja}）")})
    return Report(
        command="rules",
        rules_id=rb.id,
        tables=[
            Table(Text(f"A-STEP support menus ({rb.id}, brochure {rb.edition})",
                           f"A-STEP 支援メニュー（{rb.id}、パンフレット {rb.edition}）"),
                      columns, rows),
            Table(Text("実装支援 (repayable): terms", "実装支援（返済型）：条件"),
                  [Column("term", L.item), Column("value", L.rule_text)],
                  terms),
        ],
        data={
            "edition": rb.edition,
            "source": rb.source,
            "indirect_rate": rb.indirect_rate,
            "menus": [{"id": m.id, "name_ja": m.name_ja, "name_en": m.name_en,
                       "fund_type": m.fund_type, "cap_kind": m.cap_kind, "cap": m.cap,
                       "first_year_prorated": m.first_year_prorated,
                       "period_months": m.period_months} for m in rb.menus],
            "jisso": {
                "collateral_rate": j.collateral_rate,
                "advance_every_months": j.advance_every_months,
                "interest_rate": rp.interest_rate,
                "term_max_months": rp.term_max_months,
                "deferral_max_months": rp.deferral_max_months,
                "custom_first_due_max_months": rp.custom_first_due_max_months,
                "default_grade": rp.default_grade,
                "grades": [{"id": g.id, "share": g.share, "lump_only": g.lump_only}
                           for g in rp.grades],
            },
        },
        assumptions=[
            Text(f"Indirect costs at {format_rate(rb.indirect_rate)} of direct cost "
                 f"({basis_text(rb.indirect_basis).en}): {rb.indirect_note}",
                 f"間接経費は直接経費の{format_rate(rb.indirect_rate)}（{basis_text(rb.indirect_basis).ja}）："
                 f"{rb.indirect_note_ja}"),
        ],
        sources=[rulebook_line(rb.id, rb.edition, m.brochure) for m in rb.menus]
        + [rulebook_line(rb.id, rb.edition, rp.brochure)],
        violations=None,
    )
