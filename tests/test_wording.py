"""One wording per thing, and no code in the prose (issue 15, docs/rules.md "Glossary").

Two kinds of checks:

- static: every ``Text(en, ja)`` literal in ``src/`` is read from the source (AST), so a
  label that the table in ``cli/labels.py`` already has cannot come back with a second
  wording, and no Japanese literal quotes an input with Python's ``repr`` (``{x!r}``),
  ASCII quotes or a formula in code (``floor(``, ``add_months``);
- dynamic: every command runs in both languages over a set of inputs (budgets,
  advances, every grade and layout of a repayment, custom schedules, plan checks with
  violations, errors), and what a person reads is scanned for the same things.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from astep_calc.cli.labels import Labels
from astep_calc.text import Text

SRC = Path(__file__).resolve().parent.parent / "src" / "astep_calc"
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")
#: Kana: an English sentence may name a Japanese term (実装支援, 1.5億) but holds no kana.
KANA = re.compile(r"[\u3040-\u309f]")

#: Code that must never reach prose, in either language.
CODE = ("floor(", "ceil(", "add_months", "d + floor", "S + N", "× 1円", "^(")
#: Words the Japanese output must not use (issue 15 items 1-2, 4): a legal category the
#: money is not in, a grade that is a status, a rule name that is no one's word.
NOT_JAPANESE_WORDS = (
    "補助金",
    "事後評価：開発中止",
    "月末ルール",
    "1期間後",
    "評価 S/A/B評価",
    "返済総額",
    "返済合計",
    "シナリオ",
    "プラン",
    "ステージI（",
    "ステージII（",
    "ステージI/II",
)
#: An ASCII-quoted input in Japanese ('stage9'); 「stage9」 is the Japanese form.
ASCII_QUOTED = re.compile(r"'[^'\s][^']*'")
#: A half-width space between a full-width closing bracket and Japanese text.
STRAY_SPACE = re.compile(r"[」）] (?=[\u3040-\u30ff\u3400-\u9fff])")


# --------------------------------------------------------------------------- the source


def _literal(node: ast.expr) -> str | None:
    """The text of a string literal, an f-string's literal parts with ``{}`` for each field."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _literal(node.left), _literal(node.right)
        return None if left is None or right is None else left + right
    return None


def _has_repr(node: ast.expr) -> bool:
    return any(isinstance(v, ast.FormattedValue) and v.conversion == ord("r") for v in ast.walk(node))


@functools.cache
def trees() -> tuple[tuple[str, ast.Module], ...]:
    """Every module of src, parsed once (so that nodes keep their identity between scans)."""
    return tuple((path.name, ast.parse(path.read_text("utf-8"))) for path in sorted(SRC.rglob("*.py")))


def text_literals() -> Iterator[tuple[str, int, ast.expr, ast.expr]]:
    """Every two-argument ``Text(en, ja)``, ``InputError(en, ja)`` and ``Violation`` text in src."""
    for name_of_file, tree in trees():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or len(node.args) < 2:
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name in ("Text", "InputError", "LocatedError"):
                yield name_of_file, node.lineno, node.args[0], node.args[1]


def japanese_literals() -> Iterator[tuple[str, int, ast.expr]]:
    """Every Japanese string literal (or f-string) in src: the Japanese argument of a
    ``Text``/``InputError``, and any other literal with kana in it."""
    ja_args = {id(ja) for *_, ja in text_literals()}
    for name_of_file, tree in trees():
        docstrings = {
            id(n.body[0].value)
            for n in ast.walk(tree)
            if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Module)
            and n.body
            and isinstance(n.body[0], ast.Expr)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant | ast.JoinedStr) and id(node) not in docstrings:
                text = _literal(node)
                if text and (KANA.search(text) or (id(node) in ja_args and JAPANESE.search(text))):
                    yield name_of_file, node.lineno, node


def _noun(en: str) -> str:
    return re.sub(r"^(a|an|the) ", "", en.lower())


def labels() -> dict[str, Text]:
    return {name: value for name, value in vars(Labels).items() if isinstance(value, Text)}


def test_the_label_table_has_one_wording_per_label() -> None:
    table = labels()
    for lang in ("en", "ja"):
        seen: dict[str, str] = {}
        for name, text in table.items():
            word = getattr(text, lang)
            assert word not in seen, f"Labels.{name} and Labels.{seen[word]} read the same in {lang}: {word!r}"
            seen[word] = name


def test_no_second_wording_of_a_label_in_the_code() -> None:
    # A Text whose English is a label's English must be that label (its Japanese too), and
    # the other way round: the table in cli/labels.py is the one place a label is worded.
    by_en = {t.en: t for t in labels().values()}
    by_ja = {t.ja: t for t in labels().values()}
    for where, line, en_node, ja_node in text_literals():
        if where == "labels.py":
            continue
        en, ja = _literal(en_node), _literal(ja_node)
        if en is None or ja is None or "{}" in en + ja:
            continue
        if en in by_en:
            assert ja == by_en[en].ja, f"{where}:{line}: {en!r} is worded {ja!r}, the label table says {by_en[en].ja!r}"
        if ja in by_ja:  # a noun in a sentence may take an article: "a menu" is the label "Menu"
            assert _noun(en) == _noun(by_ja[ja].en), (
                f"{where}:{line}: {ja!r} is worded {en!r}, the label table says {by_ja[ja].en!r}"
            )


def test_japanese_literals_quote_in_kagikakko_and_hold_no_code() -> None:
    problems = []
    for where, line, node in japanese_literals():
        text = _literal(node) or ""
        if _has_repr(node):
            problems.append(f"{where}:{line}: {{…!r}} in Japanese (quote an input as 「…」): {text!r}")
        if ASCII_QUOTED.search(text.replace("{}", "x")):
            problems.append(f"{where}:{line}: ASCII quotes in Japanese: {text!r}")
        for code in CODE:
            if code in text:
                problems.append(f"{where}:{line}: {code!r} in Japanese prose: {text!r}")
        for word in NOT_JAPANESE_WORDS:
            if word in text:
                problems.append(f"{where}:{line}: {word!r}: {text!r}")
        if STRAY_SPACE.search(text):
            problems.append(f"{where}:{line}: a half-width space after a full-width bracket: {text!r}")
    assert not problems, "\n".join(problems)


def test_japanese_inputs_are_quoted_in_kagikakko_in_every_core_error() -> None:
    # The ja argument of every InputError: an input it quotes is in 「」, never in repr.
    for where, line, _, ja in text_literals():
        assert not _has_repr(ja), f"{where}:{line}: a Japanese message quotes with {{…!r}}"


# --------------------------------------------------------------------------- the output

RUNS: list[tuple[str, ...]] = [
    ("rules",),
    ("budget", "--menu", "stage1", "--start", "2026-10-01", "--months", "30"),
    ("budget", "--menu", "stage2", "--start", "2026-07-15", "--months", "60", "--proration", "day", "--round", "1000"),
    ("collateral", "--amount", "6億"),
    ("disburse", "--amount", "3億", "--start", "2026-10-01", "--months", "36"),
    ("repay", "--amount", "3億", "--dev-end", "2029-09-30", "--discount-rate", "8%"),
    (
        "repay",
        "--amount",
        "3億",
        "--dev-end",
        "2029-09-30",
        "--deferral",
        "4y",
        "--term",
        "12y",
        "--every",
        "half",
        "--unit",
        "1000",
        "--remainder",
        "last",
    ),
    ("repay", "--amount", "3億", "--dev-end", "2029-09-30", "--lump", "--deferral", "1y"),
    ("repay", "--amount", "3億", "--dev-end", "2029-09-30", "--grade", "C"),
    ("repay", "--amount", "3億", "--dev-end", "2029-09-30", "--grade", "discontinued"),
    ("repay", "--amount", "3億", "--dev-end", "2029-09-30", "--payments", "docs/payments-late.csv"),
    ("scenarios", "--amount", "3億", "--dev-end", "2029-09-30", "--discount-rate", "3%"),
    (
        "scenarios",
        "--amount",
        "3億",
        "--start",
        "2026-10-01",
        "--end",
        "2029-09-30",
        "--stop",
        "2028-06-30",
        "--discount-rate",
        "3%",
    ),
    ("check", *sorted(str(p.relative_to(EXAMPLES.parent)) for p in EXAMPLES.glob("*.toml"))),
    ("plan", "examples/roadmap-spinout.toml"),
    ("plan", "examples/roadmap-stage1-stage2.toml", "--by", "quarter"),
    # issue 22: menus by name, conventions by name, notes, the extra month, 開発中止
    ("plan", "examples/roadmap-spinout.toml", "--business-day", "following", "--by", "quarter", "--chart"),
    ("plan", "examples/roadmap-gate-invalid.toml"),
    ("plan", "examples/roadmap-overlap-invalid.toml"),
    ("plan", "tests/data/plans/gate-after-a-gap.toml"),
    ("plan", "tests/data/plans/jisso-too-long.toml", "--business-day", "modified-preceding"),
    ("budget", "--menu", "stage1", "--start", "2026-10-15", "--months", "30"),
    ("budget", "--menu", "stage2-gate", "--start", "2027-01-01", "--months", "48", "--display-unit", "千円"),
    ("disburse", "--amount", "3億", "--start", "2027-01-01", "--months", "36", "--business-day", "preceding"),
    ("repay", "--amount", "3億", "--dev-end", "2029-09-30", "--every", "month", "--business-day", "modified-following"),
    ("check", "tests/data/plans/third-phase-matching.toml"),
    ("plan", "examples/company-spinout.toml", "--by", "quarter"),
    ("plan", "examples/company-file.toml", "--company", "examples/company-projections.csv"),
    ("check", "examples/company-file.toml"),
    ("repay", "--amount", "1億", "--dev-end", "2028-03-31", "--payments", "docs/payments-excel.csv"),
    ("plan", "tests/data/plans/third-phase-matching.toml"),
    ("plan", "examples/company-spinout.toml", "--by", "month", "--chart"),
    # errors
    ("budget", "--menu", "stage9", "--start", "2026-10-01", "--months", "30"),
    ("budget", "--menu", "stage1", "--start", "2026-13-01", "--months", "30"),
    ("repay", "--amount", "abc", "--dev-end", "2029-09-30"),
    ("repay", "--amount", "3億", "--dev-end", "2029-09-30", "--every", "week"),
    ("repay", "--amount", "3億", "--dev-end", "2029-09-30", "--grade", "C", "--deferral", "1y"),
    ("repay", "--amount", "3億", "--dev-end", "2029-09-30", "--deferral", "15m", "--every", "year"),
    ("collateral", "--amount", "3億", "--format", "xml"),
    ("budget", "--menu", "stage1", "--strat", "2026-10-01"),
    ("nope",),
]


#: A broken rule named on stderr beside a CSV on stdout: ``astep: period.max: …``.
RULE_NOTE = re.compile(r"astep: [a-z_]+\.[a-z_]+: ")


@pytest.fixture(scope="module")
def outputs() -> dict[tuple[str, tuple[str, ...]], str]:
    from typer.testing import CliRunner

    from astep_calc.cli import app

    env = {"LC_ALL": None, "LANG": None, "NO_COLOR": "1", "COLUMNS": "200"}
    out = {}
    for args in RUNS:
        for lang in ("ja", "en"):
            for fmt in (("table",), ("json",), ("csv",)) if args[0] not in ("nope",) else (("table",),):
                argv = [*args, "--lang", lang, *(("--format", fmt[0]) if fmt[0] != "table" else ())]
                if "--format" in args and fmt[0] != "table":
                    continue
                import os

                old = os.getcwd()
                os.chdir(SRC.parent.parent)
                try:
                    result = CliRunner().invoke(app, argv, env=env)
                finally:
                    os.chdir(old)
                out[(lang, tuple(argv))] = result.stdout + result.stderr
    return out


@pytest.mark.slow
def test_no_code_in_what_either_language_prints(outputs: dict[tuple[str, tuple[str, ...]], str]) -> None:
    assert len(outputs) > 60 and all(outputs.values())  # every run printed something
    assert sum("前提" in text for (lang, _), text in outputs.items() if lang == "ja") > 10
    for (lang, argv), text in outputs.items():
        for code in CODE:
            assert code not in text, (lang, argv, code)


@pytest.mark.slow
def test_japanese_output_uses_the_glossary_words(outputs: dict[tuple[str, tuple[str, ...]], str]) -> None:
    for (lang, argv), text in outputs.items():
        if lang != "ja":
            continue
        for word in NOT_JAPANESE_WORDS:
            assert word not in text, (argv, word)
        # inputs are quoted in 「」: no ASCII-quoted word (JSON's "…" are not '…')
        assert not ASCII_QUOTED.search(text), (argv, ASCII_QUOTED.search(text))
        for line in text.splitlines():
            if line.startswith("astep:") and not RULE_NOTE.match(line):
                assert line.startswith("astep: エラー："), (argv, line)


@pytest.mark.slow
def test_english_output_says_no_japanese_error_prefix(outputs: dict[tuple[str, tuple[str, ...]], str]) -> None:
    for (lang, argv), text in outputs.items():
        if lang == "en":
            for line in text.splitlines():
                if line.startswith("astep:") and not RULE_NOTE.match(line):
                    assert line.startswith("astep: error: "), (argv, line)


def test_done_when_of_issue_15(cli: Callable[..., object]) -> None:
    repay = cli("repay", "--amount", "3億", "--dev-end", "2029-09-30", "--discount-rate", "8%", "--lang", "ja")
    text = repay.stdout  # type: ignore[attr-defined]
    assert "補助金" not in text and "floor(" not in text
    deferral = next(line for line in text.splitlines() if "返済猶予" in line and "前提" not in line and "•" in line)
    assert "据置" in deferral
    error = cli("budget", "--menu", "stage9", "--start", "2026-10-01", "--months", "30", "--lang", "ja")
    lines = error.stderr.splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1 and lines[0].startswith("astep: エラー：")
    assert "「stage9」" in lines[0] and "stage1、stage2、stage2-gate、jisso" in lines[0]
    board = cli("scenarios", "--amount", "3億", "--dev-end", "2029-09-30", "--lang", "ja").stdout  # type: ignore[attr-defined]
    row = next(line for line in board.splitlines() if "開発中止" in line and "," in line)
    assert row.startswith("開発中止の場合"), row


# --------------------------------------------------------------------------- Japanese all the way (issue 22)

#: A menu or business-day code as a word of its own: not part of a path
#: (examples/stage1-valid.toml), a key (business_day) or a longer word.
JA_CODES = re.compile(
    r"(?<![\w\-/.])(stage1|stage2-gate|stage2|jisso|following|preceding|modified-following|modified-preceding)"
    r"(?![\w\-/.])"
)
#: A half-width bracket against Japanese text: Japanese prose takes （）.
HALF_WIDTH_BRACKET = re.compile(
    r"[\u3040-\u30ff\u3400-\u9fff、。：]\s*\([^()]*\)|\([^()]*\)\s*[\u3040-\u30ff\u3400-\u9fff、。]"
)
#: The polite form, in a list that is written in the plain form (常体、体言止め).
POLITE = re.compile(r"(です|ます|ました|ません)(?:[。）、（：]|$)")


def _prose(text: str) -> str:
    """What a person reads as prose: without what quotes a value the user typed (「stage1」)."""
    return re.sub(r"「[^」]*」", "「…」", text)


def _japanese_runs(outputs: dict[tuple[str, tuple[str, ...]], str]) -> Iterator[tuple[tuple[str, ...], str]]:
    """Every Japanese table, CSV and error the runs printed (JSON is the machine contract, in codes)."""
    for (lang, argv), text in outputs.items():
        if lang == "ja" and "json" not in argv:
            yield argv, text


@pytest.mark.slow
def test_no_menu_or_business_day_code_in_japanese_prose(outputs: dict[tuple[str, tuple[str, ...]], str]) -> None:
    # Menus by their names (ステージⅠ, ステージⅡ（移行）, 実装支援), conventions by theirs
    # (翌営業日, 前営業日, 修正翌営業日, 修正前営業日): in tables, titles, assumptions and
    # messages. A value the user typed may be quoted: 「stage1」, or a list of the values an
    # option takes in an error; a CSV's header row is its machine keys.
    checked = 0
    for argv, text in _japanese_runs(outputs):
        lines = text.splitlines()[1:] if "csv" in argv else text.splitlines()
        for line in lines:
            if line.startswith("astep: エラー：") and "いずれか" in line:
                continue  # the values an option takes, as the user types them
            if argv[0] == "rules" and JA_CODES.match(line):
                continue  # the rulebook's table: each menu's id, as --menu takes it, beside its name
            found = JA_CODES.search(_prose(line))
            assert found is None, (argv, line)
            checked += 1
    assert checked > 2000


@pytest.mark.slow
def test_japanese_prose_takes_full_width_brackets(outputs: dict[tuple[str, tuple[str, ...]], str]) -> None:
    for argv, text in _japanese_runs(outputs):
        for line in text.splitlines():
            assert not HALF_WIDTH_BRACKET.search(_prose(line)), (argv, line)


@pytest.mark.slow
def test_the_assumptions_are_written_in_one_style(outputs: dict[tuple[str, tuple[str, ...]], str]) -> None:
    # The 前提 list is in the plain form (である調 and 体言止め), item after item; only
    # messages that ask the user to do something are polite.
    items = 0
    for argv, text in _japanese_runs(outputs):
        if "\n前提\n" not in text:
            continue
        block = text.split("\n前提\n", 1)[1].split("\n適用したルール\n", 1)[0]
        for item in re.split(r"\n  • ", "\n" + block.rstrip()):
            item = " ".join(item.split())
            if item:
                items += 1
                assert not POLITE.search(_prose(item)), (argv, item)
    assert items > 100


@pytest.mark.slow
def test_japanese_titles_name_the_unit_and_quarters_read_as_quarters(
    outputs: dict[tuple[str, tuple[str, ...]], str],
) -> None:
    for argv, text in _japanese_runs(outputs):
        if "csv" in argv:
            continue
        assert "（円）" not in text and "（千円）" not in text, argv  # 「（単位：円）」
        if "--by" in argv:
            assert "第2四半期" in text, argv
        if "千円" in argv:
            assert "（単位：千円）" in text, argv


@pytest.mark.slow
def test_english_titles_and_labels_are_in_sentence_case(outputs: dict[tuple[str, tuple[str, ...]], str]) -> None:
    # "Caps per fiscal year", never "Caps Per Fiscal Year": a capital only at the start, and
    # on a name (Stage I, JST, Civil Code, FY2026, a plan's own title).
    names = {"Stage", "JST", "JST's", "Civil", "Code", "A-STEP", "Phase", "Sensor", "Gate", "Q1", "Q2", "Q3", "Q4"}
    for text in [t.en for t in labels().values()]:
        words = re.findall(r"[A-Za-z][\w'-]*", text)
        assert not [w for w in words[1:] if w[0].isupper() and w not in names and not w.isupper()], text
    for (lang, argv), text in outputs.items():
        if lang != "en" or "json" in argv or "csv" in argv:
            continue
        for line in text.splitlines():
            if line.endswith("(yen)") or line.endswith("yen)"):  # a table's title line
                words = re.findall(r"[A-Za-z][\w'-]*", line.rsplit(": ", 1)[-1])  # after a plan's own title
                assert not [w for w in words if w[0].isupper() and w not in names and not w.isupper()], line


def test_japanese_help_reads_as_japanese(cli: Callable[..., object]) -> None:
    # --help in Japanese (issue 22 item 3): the glossary's words, inputs in 「」, full-width
    # brackets in prose. Option values (stage1, following) are what the user types: help
    # names them, as an error listing an option's values does.
    from astep_calc.cli.options import COMMAND_FORMATS

    for name in ["", *COMMAND_FORMATS]:
        text = cli(*([name] if name else []), "--help", env={"LANG": "ja_JP.UTF-8"}).stdout  # type: ignore[attr-defined]
        for line in text.splitlines():
            prose = _prose(line)
            for word in NOT_JAPANESE_WORDS:
                assert word not in prose, (name, line)
            assert not ASCII_QUOTED.search(prose), (name, line)
            assert not HALF_WIDTH_BRACKET.search(prose), (name, line)
            assert not STRAY_SPACE.search(prose), (name, line)
