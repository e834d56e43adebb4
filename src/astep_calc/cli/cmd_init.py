"""``astep init``: a commented plan file to start from, which ``astep check`` accepts."""

from __future__ import annotations

from typing import Annotated

import typer

from astep_calc.cli import complete
from astep_calc.cli.helptext import Help
from astep_calc.cli.options import OutputOptions, command
from astep_calc.cli.program import app
from astep_calc.cli.views import Document
from astep_calc.text import InputError


@command(
    app,
    "init",
    amounts=False,
    dates=False,
    ja="""コメント付きの計画ファイルのひな形を書き出します。そのまま astep check に通る形で、
    数字を書き換えて使います：stage1、stage1-stage2、jisso、spinout。

    日付はすべて --start（既定 2026-10-01）からの順と長さを保って決まり、各年度の申請額・担保・
    会社の収支見込みの年度も開始日に合わせます。金額は使用中のルールブック（--rules）の上限に
    収まります。コメントは --lang の言語です。-o FILE でファイルに書き出し（既存のファイルは
    --force がない限り上書きしません）、拡張子 .json なら JSON の計画ファイルになります。
    --list でひな形の一覧を示します。""",
)
def init(
    template: Annotated[
        str | None,
        typer.Argument(
            metavar="TEMPLATE",
            help=Help(
                "stage1, stage1-stage2, jisso or spinout (astep init --list describes them).",
                "ひな形：stage1、stage1-stage2、jisso、spinout（astep init --list で説明を表示）。",
            ),
            show_default=False,
            autocompletion=complete.templates,
        ),
    ] = None,
    start: Annotated[
        str | None,
        typer.Option(
            metavar="DATE",
            show_default=False,
            help=Help(
                "The plan's first day (default 2026-10-01); every date of the template follows it.",
                "計画の最初の日（既定 2026-10-01）。ひな形の日付はすべてこの日に合わせて動きます。",
            ),
        ),
    ] = None,
    list_: Annotated[
        bool,
        typer.Option("--list", help=Help("Name the templates and what each is for.", "ひな形の一覧と用途を示します。")),
    ] = False,
    *,
    opts: OutputOptions,
) -> Document:
    """Write a commented plan file to start from, which astep check accepts: stage1, stage1-stage2, jisso or spinout.

    Every date follows --start (default 2026-10-01), the phases keeping their lengths and
    order, and the fiscal years of the requests, the matching and the company's projections
    follow it; the amounts hold the caps of the rulebook in force (--rules). The comments
    are in the --lang language. -o FILE writes the file (never over an existing one without
    --force); a .json name writes a JSON plan. --list names the templates.

    Example: astep init stage1 --start 2027-04-01 -o plan.toml
    """
    import json  # only here: json is not loaded for every command

    from astep_calc.dates import parse_date
    from astep_calc.templates import DEFAULT_START, TEMPLATES, template_names
    from astep_calc.templates import template as build

    lang = opts.lang
    if list_:
        if template is not None or start is not None:
            raise InputError(
                "--list names the templates: give it alone, or a template without --list",
                "--list はひな形の一覧を示します。単独で指定するか、--list を外してひな形を指定してください",
                field="template",
            )
        width = max(len(t.name) for t in TEMPLATES) + 2
        text = "".join(f"{t.name.ljust(width)}{t.text.in_lang(lang)}\n" for t in TEMPLATES)
        listed = [{"template": t.name, "description": t.text.in_lang(lang)} for t in TEMPLATES]
        return Document("init", text, syntax="text", json=json.dumps(listed, ensure_ascii=False, indent=2) + "\n")
    if template is None:
        names = ", ".join(template_names())
        raise InputError(
            f"name a template: one of {names} (astep init --list describes them)",
            f"ひな形を指定してください：{'、'.join(template_names())} のいずれか（astep init --list で説明を表示）",
            field="template",
        )
    day = DEFAULT_START if start is None else parse_date(start, field="start")
    plan = build(opts.rulebook(), template, day)
    data = json.dumps(plan.data(lang), ensure_ascii=False, indent=2) + "\n"
    return Document("init", plan.toml(lang), syntax="toml", json=data)
