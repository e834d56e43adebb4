"""``--output``: a file is written whole or not at all, and nothing is ever replaced without --force."""

from __future__ import annotations

import errno
import json
import os
import signal
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

import astep_calc.cli.options as options
import astep_calc.cli.output as output

Cli = Callable[..., Result]
STAGE1 = ("budget", "--menu", "stage1", "--start", "2026-10-01", "--months", "30", "--format", "json")
posix = pytest.mark.skipif(os.name != "posix", reason="POSIX file types and signals")


def error_line(result: Any) -> str:
    line = str(result.expect(2).stderr.rstrip("\n"))  # one 'astep: error:' line (conftest)
    assert line.startswith("astep: error: --output "), line
    assert ".astep-" not in line and ".tmp" not in line, line  # never the temporary name
    return line


def only(folder: Path, *names: str) -> None:
    """Nothing but these names in the folder: no temporary file left behind."""
    assert sorted(p.name for p in folder.iterdir()) == sorted(names)


def render_then(action: Callable[[], None], monkeypatch: pytest.MonkeyPatch) -> None:
    """Run ``action`` while the report renders (after the early existence check)."""
    real = options.render

    def slow_render(*args: Any, **kwargs: Any) -> str:
        action()
        return real(*args, **kwargs)

    monkeypatch.setattr(options, "render", slow_render)


def test_a_file_written_during_rendering_is_kept(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # a short name, quoted whole whatever the temporary folder's path
    target = Path("out.json")
    render_then(lambda: target.write_text("theirs\n"), monkeypatch)
    line = error_line(cli(*STAGE1, "--output", str(target)))
    assert repr(str(target)) in line and "--force" in line
    assert target.read_text() == "theirs\n"
    only(tmp_path, "out.json")


def test_with_force_a_file_written_during_rendering_is_replaced(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.json"
    render_then(lambda: target.write_text("theirs\n"), monkeypatch)
    assert cli(*STAGE1, "--output", str(target), "--force").exit_code == 0
    assert json.loads(target.read_text())["command"] == "budget"
    only(tmp_path, "out.json")


def test_without_hard_links_the_file_is_still_never_replaced(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(src: Any, dst: Any, **kwargs: Any) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(output.os, "link", no_links)
    fresh = tmp_path / "fresh.json"
    assert cli(*STAGE1, "--output", str(fresh)).exit_code == 0
    assert json.loads(fresh.read_text())["command"] == "budget"
    target = tmp_path / "out.json"
    render_then(lambda: target.write_text("theirs\n"), monkeypatch)
    error_line(cli(*STAGE1, "--output", str(target)))
    assert target.read_text() == "theirs\n"
    only(tmp_path, "fresh.json", "out.json")


@posix
def test_a_dangling_symlink_counts_as_existing(cli: Cli, tmp_path: Path) -> None:
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "nowhere.json")
    assert "exists" in error_line(cli(*STAGE1, "--output", str(link)))
    assert "link" in error_line(cli(*STAGE1, "--output", str(link), "--force"))
    assert link.is_symlink() and not (tmp_path / "nowhere.json").exists()
    only(tmp_path, "link.json")


@posix
def test_force_through_a_symlink_replaces_the_file_it_points_to(cli: Cli, tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("old\n")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert cli(*STAGE1, "--output", str(link), "--force").exit_code == 0
    assert link.is_symlink() and json.loads(real.read_text())["command"] == "budget"
    only(tmp_path, "link.json", "real.json")


@posix
def test_force_never_replaces_a_fifo(cli: Cli, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert "exists" in error_line(cli(*STAGE1, "--output", str(fifo)))
    assert "regular file" in error_line(cli(*STAGE1, "--output", str(fifo), "--force"))
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    only(tmp_path, "pipe")


@posix
def test_force_never_replaces_a_device(cli: Cli) -> None:
    assert "regular file" in error_line(cli(*STAGE1, "--output", os.devnull, "--force"))
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_a_folder_path_is_a_clear_error(cli: Cli, tmp_path: Path) -> None:
    line = error_line(cli(*STAGE1, "--output", str(tmp_path / "newdir") + "/"))
    assert "folder" in line and "file name" in line
    assert "folder" in error_line(cli(*STAGE1, "--output", str(tmp_path), "--force"))
    only(tmp_path)


def test_dash_is_standard_output(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = cli(*STAGE1, "--output", "-")
    assert result.exit_code == 0 and json.loads(result.stdout)["command"] == "budget"
    only(tmp_path)


def test_errors_name_the_users_path_not_the_temporary_file(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(src: Any, dst: Any, **kwargs: Any) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", str(src))

    monkeypatch.setattr(output.os, "link", refuse)
    monkeypatch.chdir(tmp_path)  # a short name, quoted whole whatever the temporary folder's path
    target = Path("out.json")
    line = error_line(cli(*STAGE1, "--output", str(target)))
    assert repr(str(target)) in line and "Permission denied" in line
    only(tmp_path)


def test_a_long_but_valid_file_name_works(cli: Cli, tmp_path: Path) -> None:
    name_max = os.pathconf(tmp_path, "PC_NAME_MAX") if hasattr(os, "pathconf") else 255
    target = tmp_path / ("a" * (name_max - 5) + ".json")
    assert len(target.name) == name_max
    result = cli(*STAGE1, "--output", str(target))
    assert result.exit_code == 0, result.stderr
    assert json.loads(target.read_text())["command"] == "budget"
    only(tmp_path, target.name)


@posix
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_and_sighup_remove_the_temporary_file(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, signum: int
) -> None:
    # The signal arrives while the temporary file exists (during its fsync).
    monkeypatch.setattr(output.os, "fsync", lambda fd: os.kill(os.getpid(), signum))
    before = signal.getsignal(signum)
    result = cli(*STAGE1, "--output", str(tmp_path / "out.json"))
    assert result.exit_code == 2 and result.stderr == "astep: interrupted\n", (result.exit_code, result.stderr)
    only(tmp_path)
    assert signal.getsignal(signum) == before  # the handlers are put back
