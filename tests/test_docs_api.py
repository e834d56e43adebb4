"""The Python examples in docs/python-api.md run, and print what the page says they print."""

from __future__ import annotations

import doctest
from pathlib import Path

API_DOC = Path(__file__).resolve().parent.parent / "docs" / "python-api.md"


def test_python_api_examples_run() -> None:
    assert API_DOC.is_file(), "docs/python-api.md does not exist"
    result = doctest.testfile(
        str(API_DOC),
        module_relative=False,
        encoding="utf-8",
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE,
        raise_on_error=False,
        verbose=False,
    )
    assert result.attempted > 0, "docs/python-api.md has no >>> examples"
    assert result.failed == 0, (
        f"{result.failed} of {result.attempted} examples in docs/python-api.md fail; "
        "the captured doctest report shows each expected and actual output"
    )
