"""The check step of the astep-calc GitHub Action (action.yml at the repository's root).

Run by the Python that the install step set up (astep-calc installed in it), in the
workspace, with the Action's inputs in the environment:

    ASTEP_PATHS   glob patterns, one a line          ASTEP_LANG    en or ja
    ASTEP_RULES   a rulebook TOML, or empty          GITHUB_OUTPUT, RUNNER_TEMP  the runner's

It expands the patterns here, in Python, rather than in bash: macOS runners ship bash 3.2
(no globstar, no associative arrays) and Windows runners Git Bash, and the same code must
pick the same files on each. Then it runs `astep check` over those files, writes the
step's outputs (exit-code, report, files) and exits with the report's exit code: 0 every
plan holds, 1 a rule is broken, 2 a file is not a readable plan (or no file matched).

Standard library only: nothing but astep-calc's own locked dependencies is installed.
"""

from __future__ import annotations

import glob
import os
import subprocess
import sys
from pathlib import Path


def expand(patterns: str, rules: str = "") -> list[str]:
    """The plan files that ``patterns`` (one glob a line) name, each once, in the order found.

    Globs read as bash reads them with globstar: ``**`` is any depth (none too), a name
    starting with a dot is matched only where the pattern spells the dot, and each
    pattern's matches are sorted. A line is one pattern, spaces included; blank lines are
    skipped. A pattern without wildcards is kept as it is, so that a mistyped file name is
    reported by the check rather than skipped. Folders and the rulebook are left out.
    Paths are given with forward slashes, as GitHub's annotations want them.
    """
    files: list[str] = []
    seen: set[str] = set()
    for line in patterns.splitlines():
        pattern = line.strip()
        if not pattern:
            continue
        found = glob.glob(pattern, recursive=True) if glob.has_magic(pattern) else [pattern]
        for path in sorted(Path(match).as_posix() for match in found):
            if path in seen or os.path.isdir(path) or _is_file(path, rules):
                continue
            seen.add(path)
            files.append(path)
    return files


def _is_file(path: str, other: str) -> bool:
    """Whether ``path`` and ``other`` are one file (bash's ``-ef``; false when either is missing)."""
    try:
        return bool(other) and os.path.samefile(path, other)
    except OSError:
        return False


def escape(message: str) -> str:
    """A message as a workflow command's data: %, CR and LF escaped."""
    return message.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def set_output(name: str, value: object) -> None:
    with open(os.environ["GITHUB_OUTPUT"], "a", encoding="utf-8") as out:
        out.write(f"{name}={value}\n")


def runs(report: str) -> list[list[str]]:
    """The runs of ``astep check`` over the files, by their options.

    The first writes the JSON report, and its exit code is the verdict: a later run that
    fails (say, a format an older tool lacks) changes nothing. Then the annotations
    (workflow commands on standard output), then the table for whoever reads the log.
    A report in another format is one more entry here (or, once `astep check` writes
    several reports from one reading, one more option of a single run).
    """
    return [["--format", "json", "--output", report], ["--format", "github"], ["--format", "table"]]


def main() -> int:
    paths = os.environ.get("ASTEP_PATHS", "")
    rules = os.environ.get("ASTEP_RULES", "")
    report = Path(os.environ["RUNNER_TEMP"]) / "astep-check" / "astep-report.json"
    report.parent.mkdir(parents=True, exist_ok=True)
    report.unlink(missing_ok=True)
    set_output("report", report)

    files = expand(paths, rules)
    set_output("files", len(files))
    if not files:
        wanted = " ".join(line.strip() for line in paths.splitlines() if line.strip())
        print(f"::error title=astep check::{escape(f'no plan file matches the paths input: {wanted}')}", flush=True)
        set_output("exit-code", 2)
        return 2

    options = ["--lang", os.environ.get("ASTEP_LANG", "en")]
    if rules:
        options += ["--rules", rules]
    # -P: the workspace's own folders never shadow the installed astep_calc.
    command = [sys.executable, "-P", "-m", "astep_calc", "check", *options]
    status = None
    for run in runs(str(report)):
        code = subprocess.run([*command, *run, "--", *files], check=False).returncode
        status = code if status is None else status
    set_output("exit-code", status)
    return status or 0


if __name__ == "__main__":
    sys.exit(main())
