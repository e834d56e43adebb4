"""The terminal layer: Typer commands and Rich rendering over the pure core.

One module per command group; each only builds a report from core results. ``astep``
itself (:func:`main`) imports only the module of the command it runs; ``app`` here is the
application with every command registered, as tests and embedding programs want it.
"""

from typing import Any

from astep_calc.cli.program import load_commands, main

__all__ = ["app", "load_commands", "main"]


def __getattr__(name: str) -> Any:
    """``app``: the Typer application with every command registered."""
    if name == "app":
        from astep_calc.cli.program import app

        load_commands()
        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
