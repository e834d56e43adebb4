"""astep-calc: budgets, 実装支援 repayment schedules and plan checks for JST's A-STEP.

The library is pure: amounts are ``int`` yen, rates exact ``Fraction``, dates
``datetime.date``; nothing here imports the terminal layer (``astep_calc.cli``).

>>> from datetime import date
>>> from astep_calc import budget, rulebook
>>> rb = rulebook.load_rulebook()
>>> budget.fiscal_year_caps(rb, "stage1", date(2026, 10, 1), date(2029, 3, 31)).total_cap
37500000
"""


__version__ = "0.1.0"
