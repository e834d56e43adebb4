"""Labels shared by every command's output, in Japanese and English."""

from __future__ import annotations

from astep_calc.text import Text

L: dict[str, Text] = {
    "ok": Text("✓ Within the programme rules.", "✓ 制度上のルールをすべて満たしています。"),
    "assumptions": Text("Assumptions", "前提"),
    "sources": Text("Rules applied", "適用したルール"),
    "total": Text("Total", "合計"),
    "fiscal_year": Text("Fiscal year", "年度"),
    "from": Text("From", "開始"),
    "to": Text("To", "終了"),
    "months": Text("Months", "月数"),
    "cap": Text("Cap", "上限額"),
    "direct_max": Text("Direct max", "直接経費上限"),
    "indirect_max": Text("Indirect max", "間接経費上限"),
    "in_yen": Text("amounts in yen", "金額は円"),
    "menu": Text("Menu", "メニュー"),
    "period": Text("Period", "期間"),
    "no": Text("No.", "回"),
    "due": Text("Due", "期日"),
    "amount": Text("Amount", "金額"),
    "payment": Text("Payment", "各回返済額"),
    "cumulative": Text("Cumulative", "累計返済額"),
    "balance": Text("Balance", "残高"),
    "quarter": Text("Quarter", "四半期"),
    "date": Text("Date", "日付"),
    "payments_count": Text("Payments", "返済回数"),
    "first_due": Text("First due", "初回期日"),
    "last_due": Text("Last due", "最終期日"),
}


def yen(amount: int) -> Text:
    """An amount with its unit: ``123,456,789 yen`` / ``123,456,789円``."""
    from astep_calc.money import format_yen

    return Text(f"{format_yen(amount)} yen", f"{format_yen(amount)}円")


def rulebook_line(rules_id: str, edition: str, quote: str) -> Text:
    """One line naming the rulebook, its brochure edition and the brochure's words."""
    tail_en, tail_ja = (f": {quote}", f"：{quote}") if quote else ("", "")
    return Text(f"{rules_id} (brochure {edition}){tail_en}", f"{rules_id}（パンフレット {edition}）{tail_ja}")
