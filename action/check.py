"""The check step of the astep-calc GitHub Action (action.yml at the repository's root).

Run by the Python that the install step set up (astep-calc installed in it), in the
workspace, with the Action's inputs in the environment:

    ASTEP_PATHS   folders and glob patterns, one a line     ASTEP_LANG    en or ja
    ASTEP_RULES   a rulebook TOML, or empty                 ASTEP_SARIF   true: write SARIF too
    GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, RUNNER_TEMP         the runner's

It expands the patterns here, in Python, rather than in bash: macOS runners ship bash 3.2
(no globstar, no associative arrays) and Windows runners Git Bash, and the same code must
pick the same files on each. A folder is passed as it is: `astep check` reads its plans.
Then it runs `astep check` once over them: the annotations on standard output (--format
github), the JSON report, the table for the log, the Markdown job summary and, when asked,
the SARIF log as --report files of that one reading of the plans. It prints the table,
appends the summary to the job's summary, writes the step's outputs (exit-code, report,
sarif, files) and exits with the check's exit code: 0 every plan holds, 1 a rule is
broken, 2 a file is not a readable plan (or no file matched).

Standard library only: nothing but astep-calc's own locked dependencies is installed.
"""

from __future__ import annotations

import glob
import json
import os
import subprocess
import sys
from pathlib import Path


def expand(patterns: str, rules: str = "") -> list[str]:
    """The plan files and folders that ``patterns`` (one a line) name, each once, in the order found.

    Globs read as bash reads them with globstar: ``**`` is any depth (none too), a name
    starting with a dot is matched only where the pattern spells the dot, and each
    pattern's matches are sorted; folders a glob matches and the rulebook are left out. A
    line without wildcards is kept as it is: a folder (`astep check` checks its plans) or a
    file, so that a mistyped name is reported by the check rather than skipped; but a line
    ending in ``/`` that names no folder matches nothing, like a glob. A line is one pattern,
    spaces included; blank lines are skipped. Paths are given with forward slashes, as
    GitHub's annotations want them.
    """
    files: list[str] = []
    seen: set[str] = set()
    for line in patterns.splitlines():
        pattern = line.strip()
        if not pattern:
            continue
        if glob.has_magic(pattern):
            found = [m for m in glob.glob(pattern, recursive=True) if not os.path.isdir(m)]
        elif pattern.endswith("/") and not os.path.isdir(pattern):
            found = []
        else:
            found = [pattern.rstrip("/") or pattern]
        for path in sorted(Path(match).as_posix() for match in found):
            if path in seen or _is_file(path, rules):
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


def reports(folder: Path, sarif: bool) -> dict[str, Path]:
    """The reports of the one run, by format: each a --report FORMAT:PATH in ``folder``."""
    out = {
        "json": folder / "astep-report.json",
        "table": folder / "astep-report.txt",
        "markdown": folder / "astep-summary.md",
    }
    if sarif:
        out["sarif"] = folder / "astep.sarif"
    return out


def main() -> int:
    paths = os.environ.get("ASTEP_PATHS", "")
    rules = os.environ.get("ASTEP_RULES", "")
    sarif = os.environ.get("ASTEP_SARIF", "").strip().lower() == "true"
    folder = Path(os.environ["RUNNER_TEMP"]) / "astep-check"
    folder.mkdir(parents=True, exist_ok=True)
    written = reports(folder, sarif)
    for path in written.values():  # a report left by an earlier run is never taken for this one's
        path.unlink(missing_ok=True)
    set_output("report", written["json"])

    files = expand(paths, rules)
    if not files:
        wanted = " ".join(line.strip() for line in paths.splitlines() if line.strip())
        print(f"::error title=astep check::{escape(f'no plan file matches the paths input: {wanted}')}", flush=True)
        set_output("files", 0)
        set_output("exit-code", 2)
        return 2

    options = ["--lang", os.environ.get("ASTEP_LANG", "en")]
    if rules:
        options += ["--rules", rules]
    for fmt, path in written.items():
        options += ["--report", f"{fmt}:{path}"]
    # -P: the workspace's own folders never shadow the installed astep_calc.
    command = [sys.executable, "-P", "-m", "astep_calc", "check", "--format", "github", *options, "--", *files]
    status = subprocess.run(command, check=False).returncode

    if written["table"].exists():  # the table, for whoever reads the log
        sys.stdout.write(written["table"].read_text("utf-8"))
        sys.stdout.flush()
    summary = os.environ.get("GITHUB_STEP_SUMMARY", "")
    if summary and written["markdown"].exists():
        with open(summary, "a", encoding="utf-8") as out:
            out.write(written["markdown"].read_text("utf-8"))
    set_output("files", checked(written["json"], len(files)))
    if sarif and written["sarif"].exists():
        set_output("sarif", written["sarif"])
    set_output("exit-code", status)
    return status


def checked(report: Path, named: int) -> int:
    """How many plan files the check read (a folder counts its plans), from the JSON report."""
    try:
        return int(json.loads(report.read_text("utf-8"))["counts"]["files"])
    except (OSError, ValueError, KeyError, TypeError):
        return named


if __name__ == "__main__":
    sys.exit(main())
