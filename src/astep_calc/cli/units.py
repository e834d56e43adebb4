"""``--display-unit``: amounts in tables and workbooks in yen, thousands of yen (千円) or ten thousands (万円).

Japanese budget forms are in 千円. The unit changes only how tables and xlsx show an
amount, exactly: a table cell is :func:`~astep_calc.money.format_in_unit` (decimals when
the amount is not whole in the unit, never rounded), and the title names the unit.
JSON and CSV are machine formats and always carry whole yen.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from astep_calc.cli.views import Report, Table
from astep_calc.money import DisplayUnit, format_in_unit
from astep_calc.text import Text


@dataclass(frozen=True)
class Scaled:
    """An amount of whole yen as a table shows it in a larger unit (see the module docstring).

    ``column_places`` is the most decimals any amount of its column needs: every amount of
    the column shows that many, so that the decimal points line up (a workbook gives the
    column one number format).

    >>> str(Scaled(88_183_420, 1000, 3)), str(Scaled(5_769_231, 1000, 3)), str(Scaled(7_500_000, 1000, 3))
    ('88,183.420', '5,769.231', '7,500.000')
    """

    amount: int
    unit: int
    column_places: int = 0

    @property
    def value(self) -> Fraction:
        """The exact number in the unit."""
        return Fraction(self.amount, self.unit)

    @property
    def places(self) -> int:
        """How many decimals the exact number needs (0 when whole in the unit)."""
        if self.amount % self.unit == 0:
            return 0
        rest = abs(self.amount) % self.unit
        return len(str(self.unit)) - 1 - (len(str(rest)) - len(str(rest).rstrip("0")))

    def __str__(self) -> str:
        text, pad = format_in_unit(self.amount, self.unit), self.column_places - self.places
        if pad <= 0:
            return text
        return text + ("0" * pad if self.places else "." + "0" * pad)


def title_in_unit(title: Text, unit: DisplayUnit) -> Text:
    """A table title that ends with its amounts' unit, "(yen)" / "（単位：円）", ending with the new unit.

    >>> title_in_unit(Text("caps (yen)", "上限額（単位：円）"), DisplayUnit.THOUSAND)
    Text(en='caps (thousand yen)', ja='上限額（単位：千円）')
    >>> title_in_unit(Text("caps", "上限額"), DisplayUnit.TEN_THOUSAND)
    Text(en='caps (ten thousand yen)', ja='上限額（単位：万円）')
    """
    en = title.en.removesuffix(" (yen)") + f" ({unit.label.en})"
    ja = title.ja.removesuffix("（単位：円）") + f"（単位：{unit.label.ja}）"
    return Text(en, ja)


def in_unit(report: Report, unit: DisplayUnit) -> Report:
    """The report with every amount of its tables in ``unit`` and the unit in those tables' titles."""
    if unit is DisplayUnit.YEN:
        return report
    return dataclasses.replace(report, tables=[_table_in_unit(t, unit) for t in report.tables])


def _table_in_unit(table: Table, unit: DisplayUnit) -> Table:
    money = [c.key for c in table.columns if c.kind == "money"]
    if not money:
        return table

    rows = [*table.rows, *([table.totals] if table.totals is not None else [])]
    places = {k: max((Scaled(r[k], unit.yen).places for r in rows if _is_amount(r.get(k))), default=0) for k in money}

    def scale(row: Mapping[str, Any]) -> dict[str, Any]:
        return {k: Scaled(v, unit.yen, places[k]) if k in money and _is_amount(v) else v for k, v in row.items()}

    return dataclasses.replace(
        table,
        title=title_in_unit(table.title, unit),
        rows=[scale(r) for r in table.rows],
        totals=None if table.totals is None else scale(table.totals),
    )


def _is_amount(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


__all__ = ["Scaled", "in_unit", "title_in_unit"]
