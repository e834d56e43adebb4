"""Shell completion of option values, from where each list is declared (never a second list).

``astep --install-completion`` installs completion for bash, zsh, fish or PowerShell; then
``astep budget --menu <Tab>`` offers the menus of the rulebook in force, ``--format <Tab>``
the formats the command takes (:mod:`astep_calc.cli.formats`), ``--grade`` the rulebook's
grades, ``--every``, ``--business-day``, ``--lang``, ``--display-unit``, ``--proration`` and
``--remainder`` their choices, ``--date-style`` its styles and ``astep init`` its templates. Each function here is given to its option as Typer's
``autocompletion``; the rulebook is the one ``--rules`` names when it is on the command line
already, else the bundled one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, get_args

import typer


def _starting(values: Iterable[str], incomplete: str) -> list[str]:
    return [v for v in values if v.startswith(incomplete)]


def _rulebook(ctx: typer.Context) -> Any:
    from astep_calc.rulebook import load_rulebook

    path = (ctx.params or {}).get("rules")
    try:
        return load_rulebook(path if isinstance(path, str) and path else None)
    except Exception:  # a --rules file that cannot be read: offer the bundled rulebook's
        return load_rulebook()


def menus(ctx: typer.Context, incomplete: str) -> list[str]:
    """Every menu of the rulebook (``astep plan``, ``astep init``...)."""
    return _starting((m.id for m in _rulebook(ctx).menus), incomplete)


def stage_menus(ctx: typer.Context, incomplete: str) -> list[str]:
    """The menus ``astep budget`` computes: those with an annual cap (Stage I / II)."""
    return _starting((m.id for m in _rulebook(ctx).menus if m.cap_kind == "annual"), incomplete)


def grades(ctx: typer.Context, incomplete: str) -> list[str]:
    """The rulebook's repayment grades."""
    return _starting((g.id for g in _rulebook(ctx).jisso.repayment.grades), incomplete)


def every(incomplete: str) -> list[str]:
    from astep_calc.repayment import FREQUENCIES

    return _starting(FREQUENCIES, incomplete)


def remainder(incomplete: str) -> list[str]:
    from astep_calc.repayment import REMAINDERS

    return _starting(REMAINDERS, incomplete)


def business_day(incomplete: str) -> list[str]:
    from astep_calc.business_days import BusinessDay

    return _starting((b.value for b in BusinessDay), incomplete)


def proration(incomplete: str) -> list[str]:
    from astep_calc.budget import Proration

    return _starting((p.value for p in Proration), incomplete)


def display_unit(incomplete: str) -> list[str]:
    from astep_calc.money import DISPLAY_UNITS

    return _starting(DISPLAY_UNITS, incomplete)


def date_style(incomplete: str) -> list[str]:
    from astep_calc.dates import DATE_STYLES

    return _starting(DATE_STYLES, incomplete)


def templates(incomplete: str) -> list[str]:
    """The plans ``astep init`` writes."""
    from astep_calc.templates import template_names

    return _starting(template_names(), incomplete)


def lang(incomplete: str) -> list[str]:
    from astep_calc.text import Lang

    return _starting(get_args(Lang), incomplete)


def formats(names: Iterable[str]) -> Callable[[str], list[str]]:
    """``--format``'s values for a command that takes ``names`` (from the registry)."""
    taken = tuple(names)

    def complete(incomplete: str) -> list[str]:
        return _starting(taken, incomplete)

    return complete


def reports(names: Iterable[str]) -> Callable[[str], list[str]]:
    """``--report``'s formats, each with its colon (the path follows)."""
    taken = tuple(f"{n}:" for n in names)

    def complete(incomplete: str) -> list[str]:
        return _starting(taken, incomplete)

    return complete
