"""``astep check``: every programme rule each plan file breaks, for people and for CI; ``astep schema``."""

from typing import Annotated

import typer

from astep_calc.cli.app import app
from astep_calc.cli.options import CHECK_FORMATS, FORMATS, OutputOptions, command, warn
from astep_calc.cli.safe import undecodable
from astep_calc.cli.views import CheckView, Document, Report
from astep_calc.text import InputError, Text


@command(app, "check", formats=(*FORMATS, *CHECK_FORMATS), amounts=False)
def check(
    plans: Annotated[list[str], typer.Argument(
        metavar="PLAN...", help="Plan files (TOML, or JSON ending in .json) to check.", show_default=False)],
    *,
    opts: OutputOptions,
) -> Report:
    """Check plan files against the programme rules: every violation of every file, with its rule id.

    Exit 0 when every plan holds, 1 when any breaks a rule, 2 when any file is not a
    readable plan (each such file gets one line on standard error; the others are
    still checked and reported). The numbers are those of `astep budget` and
    `astep repay` on the same inputs. A plan of several phases ([[phase]]) is checked
    phase by phase, plus phase.overlap and phase.gate; each violation names its phase.

    For CI: --format github prints one GitHub Actions annotation a violation (and
    unreadable file) at its file and line; --format junit writes a JUnit XML report,
    one test case a file.

    Example: astep check plans/*.toml --format json
    """
    from astep_calc.phases import evaluate
    from astep_calc.plans import check_file, load_plan_file

    rules = opts.rulebook()
    as_json = opts.format == "json"
    view = CheckView(rules, json_lang=opts.lang if as_json else None, details=as_json)
    for path in plans:
        # Each file is named as every format can show it: a name that is not UTF-8 with \xNN escapes.
        shown = undecodable(path)
        try:
            plan_file = load_plan_file(path, rules)
            if plan_file.multi:  # [[phase]] tables: each violation is named by its phase
                view.add_phases(shown, plan_file.model.title, evaluate(rules, plan_file.model), plan_file.lines)
            else:
                view.add(shown, check_file(rules, plan_file))
        except InputError as exc:
            reason = Text(undecodable(exc.text.en), undecodable(exc.text.ja))  # it names the file
            warn(reason.in_lang(opts.lang), opts.lang)
            view.unreadable(shown, reason)
    return view.report()


@command(app, "schema", amounts=False)
def schema(*, opts: OutputOptions) -> Document:
    """Print the JSON Schema (draft 2020-12) of plan files, for editors to validate plans as they are typed.

    Its menus and grades are those of the rulebook in force (--rules). Save it next to
    your plans, then point your editor at it: "$schema" in a JSON plan, a
    "#:schema ./plan.schema.json" first line in a TOML plan (Even Better TOML / Taplo),
    or your editor's schema settings.

    Example: astep schema --output plan.schema.json
    """
    from astep_calc.plans import plan_schema_text

    rules = opts.rulebook()
    return Document("schema", plan_schema_text(rules))
