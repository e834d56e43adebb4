"""The terminal layer: Typer commands and Rich rendering over the pure core.

One module per command group; each only builds a report from core results.
"""

from astep_calc.cli import cmd_budget, cmd_check, cmd_init, cmd_jisso, cmd_plan, cmd_rules
from astep_calc.cli.app import app, main

__all__ = ["app", "cmd_budget", "cmd_check", "cmd_init", "cmd_jisso", "cmd_plan", "cmd_rules", "main"]
