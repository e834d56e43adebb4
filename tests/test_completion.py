"""Shell completion offers option values from where each list is declared: the rulebook, the
registry of formats, the enums. Run as a shell runs it (``_ASTEP_COMPLETE=complete_bash``)."""

from __future__ import annotations

import os
import subprocess
import sys
from types import SimpleNamespace

import pytest

from astep_calc.business_days import BusinessDay
from astep_calc.cli import complete
from astep_calc.cli.options import COMMAND_FORMATS
from astep_calc.repayment import FREQUENCIES
from astep_calc.rulebook import Rulebook


def offered(words: str, cword: int | None = None) -> list[str]:
    """What bash completion offers for the command line ``words`` (the last word being typed)."""
    env = {
        **os.environ,
        "_ASTEP_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split(" ")) - 1 if cword is None else cword),
    }
    done = subprocess.run(
        [sys.executable, "-c", "from astep_calc.cli.program import main; main()"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0 and done.stderr == "", done.stderr
    return done.stdout.split()


@pytest.mark.slow
def test_the_done_when_of_issue_21() -> None:
    # _ASTEP_COMPLETE=complete_bash COMP_WORDS="astep budget --menu " COMP_CWORD=3 astep
    assert offered("astep budget --menu ", 3) == ["stage1", "stage2", "stage2-gate"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("astep budget --menu stage2", ["stage2", "stage2-gate"]),
        ("astep repay --grade ", ["S", "A", "B", "C", "discontinued"]),
        ("astep repay --every ", list(FREQUENCIES)),
        ("astep scenarios --remainder ", ["first", "last"]),
        ("astep repay --business-day modified", ["modified-following", "modified-preceding"]),
        ("astep budget --lang ", ["ja", "en"]),
        ("astep budget --proration ", ["month", "day"]),
        ("astep budget --display-unit t", ["thousand", "ten-thousand"]),
        ("astep budget --format ", list(COMMAND_FORMATS["budget"])),
        ("astep check --format ", list(COMMAND_FORMATS["check"])),
        ("astep schema --format ", list(COMMAND_FORMATS["schema"])),
        ("astep check plans --report j", ["json:", "junit:"]),
    ],
)
def test_option_values_are_offered(words: str, expected: list[str]) -> None:
    assert offered(words) == expected


def test_the_lists_are_the_declarations(rb: Rulebook) -> None:
    # Each list is read where it is declared: the rulebook in force, the registry, the enums.
    ctx = SimpleNamespace(params={})
    assert complete.stage_menus(ctx, "") == [m.id for m in rb.menus if m.cap_kind == "annual"]  # type: ignore[arg-type]
    assert complete.menus(ctx, "j") == ["jisso"]  # type: ignore[arg-type]
    assert complete.grades(ctx, "") == [g.id for g in rb.jisso.repayment.grades]  # type: ignore[arg-type]
    ctx.params = {"rules": "nosuch.toml"}  # a --rules file that cannot be read: the bundled rulebook's
    assert complete.grades(ctx, "d") == ["discontinued"]  # type: ignore[arg-type]
    assert complete.business_day("") == [b.value for b in BusinessDay]
    assert complete.formats(COMMAND_FORMATS["check"])("s") == ["sarif"]
    assert complete.reports(["json", "junit"])("ju") == ["junit:"]
