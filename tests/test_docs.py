"""The command output pasted in README*.md and docs/**/*.md is what the tool prints, and
every relative link in them leads somewhere.

Each doc's ``console`` blocks are rerun through tools/docs_output.py; any difference
fails with a diff. To refresh the docs after a deliberate change in output:

    .venv/bin/python tools/docs_output.py --update
"""

from __future__ import annotations

import difflib
import importlib.util
import re
from collections import Counter
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load_docs_output() -> ModuleType:
    path = ROOT / "tools" / "docs_output.py"
    spec = importlib.util.spec_from_file_location("docs_output", path)
    assert spec is not None and spec.loader is not None, f"cannot import {path}"
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


docs_output = _load_docs_output()


#: The docs the suite checks: a deleted or renamed one must fail, not be skipped. The guides
#: the READMEs link (English in docs/, Japanese in docs/ja/; rules and the Python API are in
#: English only).
GUIDES = ["researcher", "cfo", "excel", "ci", "commands"]
REQUIRED_DOCS = [
    "README.md",
    "README.ja.md",
    "docs/rules.md",
    "docs/python-api.md",
    "docs/ja/rules.md",
    *(f"docs/{name}.md" for name in GUIDES),
    *(f"docs/ja/{name}.md" for name in GUIDES),
]


def test_every_doc_exists_and_is_checked() -> None:
    missing = [name for name in REQUIRED_DOCS if not (ROOT / name).is_file()]
    assert not missing, f"missing docs: {missing}"
    assert set(REQUIRED_DOCS) <= set(docs_output.DOCS), "tools/docs_output.py no longer checks every doc"
    # Every page under docs/ is checked, listed or not.
    on_disk = {p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").rglob("*.md")}
    assert on_disk <= set(docs_output.DOCS)


@pytest.mark.parametrize(("readme", "prefix"), [("README.md", "docs/"), ("README.ja.md", "docs/ja/")])
def test_each_readme_links_every_guide_in_its_language(readme: str, prefix: str) -> None:
    targets = {target for target, _ in links((ROOT / readme).read_text("utf-8"))}
    wanted = {f"{prefix}{name}.md" for name in GUIDES} | {"docs/rules.md", "docs/python-api.md"}
    assert wanted <= targets, f"{readme} does not link {sorted(wanted - targets)}"


@pytest.mark.parametrize("name", docs_output.DOCS)
def test_pasted_output_matches_the_tool(name: str) -> None:
    path = ROOT / name
    assert path.is_file(), f"{name} does not exist"
    text = path.read_text(encoding="utf-8")
    fresh = docs_output.regenerate(text)
    if fresh != text:
        diff = "".join(
            difflib.unified_diff(
                text.splitlines(True), fresh.splitlines(True), f"{name} (pasted)", f"{name} (tool prints)"
            )
        )
        pytest.fail(
            f"{name}: the pasted command output has drifted from what astep prints.\n"
            f"Run `.venv/bin/python tools/docs_output.py --update` and review the change.\n{diff}",
            pytrace=False,
        )


def test_every_console_block_holds_astep_commands() -> None:
    """A console block without a ``$ astep`` line would never be checked."""
    for name in docs_output.DOCS:
        path = ROOT / name
        assert path.is_file(), f"{name} does not exist"
        for match in docs_output._BLOCK.finditer(path.read_text(encoding="utf-8")):
            assert list(docs_output.commands(match.group(2))), (
                f"{name}: a ```console block has no `$ astep ...` line:\n{match.group(2)[:200]}"
            )


# ---------------------------------------------------------------------------
# Links: every relative link names a file that exists, and an anchor that its page has
# ---------------------------------------------------------------------------

_FENCE = re.compile(r"^```.*?^```", re.S | re.M)
_CODE = re.compile(r"`[^`\n]*`")
_LINK = re.compile(r"(?<!!)\[[^\]\n]*\]\(([^)\s]+)\)")
_HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$", re.M)


def links(text: str) -> list[tuple[str, str]]:
    """(path, anchor) of every link in a Markdown text, outside code; path '' for the page itself."""
    prose = _CODE.sub("", _FENCE.sub("", text))
    found = []
    for target in _LINK.findall(prose):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # https:, mailto: ...
            continue
        path, _, anchor = target.partition("#")
        found.append((path, anchor))
    return found


def anchors(text: str) -> set[str]:
    """The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as
    hyphens (Japanese letters kept), a repeated heading numbered -1, -2, ..."""
    seen: Counter[str] = Counter()
    result = set()
    for heading in _HEADING.findall(_FENCE.sub("", text)):
        heading = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link in a heading: its text
        slug = re.sub(r"[^\w\- ]", "", heading.lower()).replace(" ", "-")
        result.add(slug if not seen[slug] else f"{slug}-{seen[slug]}")
        seen[slug] += 1
    result |= set(re.findall(r"<a (?:name|id)=\"([^\"]+)\"", text))
    return result


def broken_links(name: str, text: str) -> list[str]:
    base = (ROOT / name).parent
    problems = []
    for path, anchor in links(text):
        target = (base / path).resolve() if path else ROOT / name
        if not target.is_relative_to(ROOT) or not target.exists():
            problems.append(f"{name}: ({path}) does not exist")
        elif anchor and target.suffix == ".md" and anchor not in anchors(target.read_text("utf-8")):
            problems.append(f"{name}: ({path}#{anchor}) names no heading of {target.relative_to(ROOT)}")
    return problems


@pytest.mark.parametrize("name", docs_output.DOCS)
def test_every_relative_link_leads_somewhere(name: str) -> None:
    text = (ROOT / name).read_text("utf-8")
    assert links(text) or name.startswith("docs/"), f"{name} links nothing"
    assert broken_links(name, text) == []


def test_the_link_check_would_catch_a_slip() -> None:
    text = (
        "[a](docs/rules.md#plan-check-rule-ids) [b](docs/rule.md) [c](docs/rules.md#no-such-heading) "
        "[d](#quick-start) [e](#nowhere) [f](https://example.com/x) `[g](nowhere.md)`\n"
        "## Quick start\n```sh\n[h](nowhere.md)\n```\n"
    )
    assert broken_links("README.md", text) == [
        "README.md: (docs/rule.md) does not exist",
        "README.md: (docs/rules.md#no-such-heading) names no heading of docs/rules.md",
        "README.md: (#nowhere) names no heading of README.md",
    ]
    # GitHub's anchors: punctuation dropped, Japanese kept, a repeated heading numbered.
    assert anchors(
        "# The direct/indirect split\n## Glossary / 用語集\n## 計画全体：ステージⅠ → 実装支援\n## A\n## A\n"
    ) == {
        "the-directindirect-split",
        "glossary--用語集",
        "計画全体ステージⅰ--実装支援",
        "a",
        "a-1",
    }


def test_the_architecture_names_every_module() -> None:
    # docs/architecture.md is the map a newcomer reads first: a module it does not name is
    # one nobody will find. A module counts as named by its file name or its module name.
    text = (ROOT / "docs" / "architecture.md").read_text("utf-8")
    package = ROOT / "src" / "astep_calc"
    modules = sorted(p.relative_to(package) for p in package.rglob("*.py") if p.name != "__init__.py")
    assert len(modules) > 40
    unnamed = [str(m) for m in modules if not re.search(rf"\b{re.escape(m.stem)}\b", text)]
    assert unnamed == []
