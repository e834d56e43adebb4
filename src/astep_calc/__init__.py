"""astep-calc: budgets, 実装支援 repayment schedules and plan checks for JST's A-STEP.

The library is pure: amounts are ``int`` yen, rates exact ``Fraction``, dates
``datetime.date``; nothing here imports the terminal layer (``astep_calc.cli``).
Submodules load on first use, so ``import astep_calc`` costs next to nothing.

>>> from datetime import date
>>> import astep_calc
>>> rb = astep_calc.rulebook.load_rulebook()
>>> astep_calc.budget.fiscal_year_caps(rb, "stage1", date(2026, 10, 1), date(2029, 3, 31)).total_cap
37500000
"""

from __future__ import annotations

import importlib
from types import ModuleType

__version__ = "0.1.0"

_SUBMODULES = (
    "budget",
    "business_days",
    "cashflow",
    "checks",
    "company",
    "dates",
    "equity",
    "jisso",
    "money",
    "periods",
    "phases",
    "plans",
    "repayment",
    "rulebook",
    "text",
)
__all__ = ["__version__", *_SUBMODULES]


def __getattr__(name: str) -> ModuleType:
    if name in _SUBMODULES:
        return importlib.import_module(f"astep_calc.{name}")
    raise AttributeError(f"module 'astep_calc' has no attribute {name!r}")
