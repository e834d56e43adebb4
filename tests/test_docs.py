"""The command output pasted in README.md, README.ja.md and docs/*.md is what the tool prints.

Each doc's ``console`` blocks are rerun through tools/docs_output.py; any difference
fails with a diff. To refresh the docs after a deliberate change in output:

    .venv/bin/python tools/docs_output.py --update
"""

from __future__ import annotations

import difflib
import importlib.util
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


#: The docs the suite checks: a deleted or renamed one must fail, not be skipped.
REQUIRED_DOCS = ["README.md", "README.ja.md", "docs/rules.md", "docs/python-api.md"]


def test_every_doc_exists_and_is_checked() -> None:
    missing = [name for name in REQUIRED_DOCS if not (ROOT / name).is_file()]
    assert not missing, f"missing docs: {missing}"
    assert set(REQUIRED_DOCS) <= set(docs_output.DOCS), "tools/docs_output.py no longer checks every doc"


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
