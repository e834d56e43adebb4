"""``astep check``: every programme rule each plan file breaks, for people and for CI; ``astep schema``."""

from typing import TYPE_CHECKING, Annotated, Any

import typer

from astep_calc.cli.app import app
from astep_calc.cli.cmd_budget import fiscal_year_rows
from astep_calc.cli.cmd_jisso import schedule_rows
from astep_calc.cli.labels import L, rulebook_line
from astep_calc.cli.options import OutputOptions, command
from astep_calc.cli.report import Column, Report, TableSpec
from astep_calc.text import InputError, Text

if TYPE_CHECKING:
    from astep_calc.plans import PlanCheck

VIOLATION_COLUMNS = [Column("rule", Text("Rule", "ルール")), Column("message", Text("Violation", "違反の内容"))]


def _details(result: "PlanCheck") -> dict[str, Any]:
    """The numbers behind a file's check: what `astep budget` / `astep repay` would show."""
    plan = result.plan
    if result.caps is not None:
        requested = dict(plan.budget)
        return {
            "fiscal_years": [{**row, "request": requested.get(row["fiscal_year"])}
                             for row in fiscal_year_rows(result.caps)],
            "budget": [{"fiscal_year": fy, "request": amount} for fy, amount in plan.budget],
            "total_cap": result.caps.total_cap,
            "total_request": sum(requested.values()),
        }
    s = result.schedule
    assert s is not None
    return {
        "amount": plan.amount, "collateral": plan.collateral, "collateral_required": result.collateral_required,
        "dev_end": plan.end, "grade": s.grade.id, "custom": s.terms is None, "owed": s.owed,
        "payments": schedule_rows(s),
        "total": s.total,
    }


@command(app, "check")
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
    `astep repay` on the same inputs.

    Example: astep check plans/*.toml --format json
    """
    from astep_calc.plans import evaluate_plan, load_plan

    rules = opts.rulebook()
    files: list[dict[str, Any]] = []
    tables: list[TableSpec] = []
    summary_rows: list[dict[str, Any]] = []
    all_violations: list[dict[str, Any]] = []
    assumptions: list[Text] = []
    sources: list[Text] = []
    for path in plans:
        try:
            result = evaluate_plan(rules, load_plan(path, rules))
        except InputError as exc:
            message = exc.message(opts.lang)
            typer.echo(f"astep: error: {message}", err=True)
            files.append({"path": path, "ok": False, "menu": None, "violations": [], "error": message})
            tables.append(TableSpec(Text(path, path), VIOLATION_COLUMNS, [],
                                    note=Text(f"✗ Not a readable plan: {exc.text.en}",
                                              f"✗ プランとして読めません：{exc.text.ja}")))
            summary_rows.append({"path": path, "menu": None, "result": Text("✗ unreadable", "✗ 読めません"),
                                 "violations": None})
            continue
        plan, menu = result.plan, result.menu
        rows = [{"rule": v.rule, "message": v.text} for v in result.violations]
        files.append({"path": path, "ok": not rows, "menu": menu.id, "start": plan.start, "end": plan.end,
                      "violations": rows, "error": None, **_details(result)})
        all_violations += [{"path": path, **row} for row in rows]
        count = len(rows)
        title = Text(f"{path}: {menu.id}, {plan.start.isoformat()} to {plan.end.isoformat()}"
                     + (f" — {count} violation{'s' if count > 1 else ''}" if count else ""),
                     f"{path}：{menu.name_ja}、{plan.start.isoformat()}〜{plan.end.isoformat()}"
                     + (f" — 違反 {count}件" if count else ""))
        file_totals: dict[str, Any] | None = {
            "rule": L["total"], "message": Text(f"{count} violation{'s' if count > 1 else ''}", f"違反 {count}件"),
        } if count else None
        tables.append(TableSpec(title, VIOLATION_COLUMNS, rows, file_totals, note=L["ok"]))
        summary_rows.append({"path": path, "menu": menu.id, "violations": count,
                             "result": Text(f"✗ {count} violation{'s' if count > 1 else ''}", f"✗ 違反 {count}件")
                             if count else Text("✓ holds", "✓ ルール内")})
        assumptions += [a for a in result.assumptions if a not in assumptions]
        line = rulebook_line(rules.id, rules.edition, menu.brochure)
        if line not in sources:
            sources.append(line)
    unreadable = sum(1 for f in files if f["error"] is not None)
    broken = sum(1 for f in files if f["violations"])
    totals = {
        "path": Text(f"{len(files)} file{'s' if len(files) != 1 else ''} checked", f"{len(files)}ファイルを検査"),
        "result": Text(f"{broken} with violations" + (f", {unreadable} unreadable" if unreadable else ""),
                       f"違反あり {broken}件" + (f"、読めない {unreadable}件" if unreadable else "")),
        "violations": len(all_violations),
    }
    tables.append(TableSpec(
        Text("Plans checked", "検査したプラン"),
        [Column("path", Text("File", "ファイル"), "verbatim"), Column("menu", L["menu"]),
         Column("result", Text("Result", "結果"), "verbatim"), Column("violations", Text("Violations", "違反"), "int")],
        summary_rows, totals))
    return Report(
        command="check",
        rules_id=rules.id,
        tables=tables,
        json={"ok": not broken and not unreadable, "files": files,
              "counts": {"files": len(files), "with_violations": broken, "unreadable": unreadable,
                         "violations": len(all_violations)}},
        # The per-file tables list the violations, and the JSON list says which file each
        # came from; the exit code counts unreadable files too.
        violations=[],
        json_violations=all_violations,
        assumptions=assumptions,
        sources=sources,
        csv_table=TableSpec("", [Column("path", Text("File", "ファイル")), *VIOLATION_COLUMNS], all_violations),
        checked=False,
        exit_override=2 if unreadable else (1 if broken else 0),
    )


@command(app, "schema")
def schema(*, opts: OutputOptions) -> Report:
    """Print the JSON Schema (draft 2020-12) of plan files, for editors to validate plans as they are typed.

    Its menus and grades are those of the rulebook in force (--rules). Save it next to
    your plans, then point your editor at it: "$schema" in a JSON plan, a
    "#:schema ./plan.schema.json" first line in a TOML plan (Even Better TOML / Taplo),
    or your editor's schema settings.

    Example: astep schema --output plan.schema.json
    """
    from astep_calc.plans import plan_schema_text

    rules = opts.rulebook()
    return Report(command="schema", rules_id=rules.id, tables=[], json={}, checked=False,
                  document=plan_schema_text(rules))
