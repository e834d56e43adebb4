"""``--output FILE``: written whole or not at all, and never over a file without ``--force``.

On Linux the text is written to a file without a name (``O_TMPFILE``) in the target's
folder, then given the target's name by ``linkat`` of ``/proc/self/fd/N``, following it. A run killed by SIGKILL while it writes leaves nothing: a file with no name
is freed with its last descriptor. Elsewhere (or where the file system has no
``O_TMPFILE``, or ``/proc`` is not mounted) it is written to a temporary file
``.astep-XXXX.tmp`` beside the target, removed on every way out a handler sees. Then:

- without ``--force``, published by a hard link to the target name, which fails if
  anything has appeared there meanwhile (a file written while the report rendered is
  kept, and the run exits 2); where the file system has no hard links, by creating the
  target exclusively (``O_EXCL``) and copying the text in;
- with ``--force``, by renaming over the target, which must be a regular file or a
  symbolic link to one (the file the link points to is replaced, the link kept): a
  device, a FIFO, ``/dev/null`` or a folder is refused, never replaced by a file. (A file
  without a name cannot be renamed: it is linked to a temporary name just before the
  rename, two system calls apart.)

Anything at the name counts as existing, a dangling symbolic link too. Errors name the
path as the user typed it, never the temporary file, whose name is short whatever the
target's (a target name of the maximum length still works).

Ctrl-C, SIGTERM and SIGHUP end a run the same way (:func:`interruptible`): what is open is
cleaned up, and the run exits 2 with one line, "astep: interrupted".
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import stat
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import FrameType

from astep_calc.text import InputError, Text

#: ``--output -`` writes to standard output, as ``-`` means in most tools.
STDOUT = "-"


class Interrupted(BaseException):
    """Ctrl-C, SIGTERM or SIGHUP arrived (see :func:`interruptible`); raised to clean up and end the run."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _error(path: str, en: str, ja: str) -> InputError:
    return InputError(f"{path!r} {en}", f"「{path}」{ja}", field="output")


def _reason(exc: OSError) -> Text:
    from astep_calc.reader import os_reason

    return os_reason(exc)


def check_target(path: str, force: bool) -> Path:
    """Refuse early what can never be written (before the report is rendered).

    Returns the path to publish at: the target itself, or with ``--force`` the regular
    file a symbolic link points to.
    """
    if path == "":
        raise _error(path, "is not a file name", "はファイル名ではありません")
    if path.endswith(("/", os.sep)) or Path(path).name in ("", ".", ".."):
        raise _error(
            path,
            "names a folder; give a file name (or - for standard output)",
            "はフォルダを指しています。ファイル名を指定してください（標準出力なら -）",
        )
    target = Path(path)
    folder = target.parent
    try:
        if not folder.is_dir():
            raise _error(
                path,
                f"cannot be written: folder {str(folder)!r} does not exist",
                f"に書き込めません：フォルダ「{folder}」がありません。先にフォルダを作ってください",
            )
        info = target.lstat()
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise _error(path, f"cannot be written: {_reason(exc).en}", f"に書き込めません：{_reason(exc).ja}") from None
    if stat.S_ISDIR(info.st_mode):
        raise _error(path, "is a folder", "はフォルダです。ファイル名を指定してください")
    if not force:
        raise _error(
            path, "exists; add --force to replace it", "は既にあります。置き換えるには --force を付けてください"
        )
    if stat.S_ISLNK(info.st_mode):
        try:
            real = Path(os.path.realpath(target, strict=True))
            info = real.stat()
        except OSError:
            raise _error(
                path,
                "is a symbolic link to nothing; --force replaces only a regular file",
                "はリンク先のないシンボリックリンクです（--force で置き換えられるのは通常のファイルだけです）",
            ) from None
        target = real
    if not stat.S_ISREG(info.st_mode):
        raise _error(
            path,
            "is not a regular file (a device, FIFO or socket); --force does not replace it",
            "は通常のファイルではありません（デバイス、FIFO など）。--force でも置き換えません。別のファイル名を指定してください",
        )
    return target


def publish(path: str, data: bytes | Iterable[bytes], *, force: bool) -> None:
    """Write ``data`` (bytes, or bytes in pieces as they are rendered) to the ``--output``
    path ``path`` (see the module docstring)."""
    target = check_target(path, force)
    with interruptible():
        try:
            if _publish_unnamed(path, data, target, force):
                return
            _publish_named(path, data, target, force)
        except InputError:
            raise
        except OSError as exc:  # whatever the file it names, the user's --output is the one to name
            raise _error(
                path, f"cannot be written: {_reason(exc).en}", f"に書き込めません：{_reason(exc).ja}"
            ) from None


def _write(fd: int, data: bytes | Iterable[bytes]) -> None:
    """Write every piece of ``data`` to ``fd`` and flush it to the disk; ``fd`` stays open."""
    with os.fdopen(os.dup(fd), "wb") as fh:
        for piece in [data] if isinstance(data, bytes) else data:
            fh.write(piece)
        fh.flush()
        os.fsync(fh.fileno())


#: Linux's flag for a file with no name in a folder; 0 where there is none.
_O_TMPFILE = getattr(os, "O_TMPFILE", 0)


def _publish_unnamed(path: str, data: bytes | Iterable[bytes], target: Path, force: bool) -> bool:
    """Publish through a file with no name (Linux). False, having written nothing, where the
    folder's file system has no such files; where it has them but no links, the text
    written is handed on to :func:`_publish_named`."""
    if not _O_TMPFILE or not os.path.isdir("/proc/self/fd"):
        return False
    try:
        fd = os.open(target.parent, _O_TMPFILE | os.O_RDWR | getattr(os, "O_CLOEXEC", 0), 0o666)
    except OSError as exc:
        if exc.errno in (errno.EOPNOTSUPP, errno.ENOTSUP, errno.EISDIR, errno.EINVAL):
            return False  # a file system without O_TMPFILE, or an old kernel: the named way
        raise
    try:
        _write(fd, data)
        if not _link_unnamed(path, fd, target, force):
            _publish_named(path, _written(fd), target, force)
        return True
    finally:
        os.close(fd)


def _link_unnamed(path: str, fd: int, target: Path, force: bool) -> bool:
    """Give the file without a name open as ``fd`` the name ``target``; False where the file
    system makes no links."""
    info: os.stat_result | None = None
    if force:
        with contextlib.suppress(FileNotFoundError):
            info = os.stat(target, follow_symlinks=False)
    if info is None:
        os.fchmod(fd, _new_file_mode())
        try:
            _link_fd(fd, target)
            return True
        except FileExistsError:
            if not force:
                raise _appeared(path) from None
            info = os.stat(target, follow_symlinks=False)  # it appeared meanwhile: --force replaces it
        except OSError as exc:
            if exc.errno in _NO_LINKS:
                return False
            raise
    _check_regular(path, info)
    os.fchmod(fd, stat.S_IMODE(info.st_mode))
    tmp = _temporary_name(target)
    try:
        _link_fd(fd, tmp)
    except OSError as exc:
        if exc.errno in _NO_LINKS:
            return False
        raise
    try:
        os.replace(tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return True


def _link_fd(fd: int, name: str | Path) -> None:
    """Give the file open as ``fd`` the name ``name``: linkat(2) of ``/proc/self/fd/N``,
    following it. (``os.link`` without a folder descriptor calls link(2), which links the
    /proc entry itself and fails across devices.)"""
    proc = os.open("/proc/self/fd", os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        os.link(str(fd), name, src_dir_fd=proc, follow_symlinks=True)
    finally:
        os.close(proc)


def _written(fd: int) -> Iterator[bytes]:
    """What was written to ``fd``, read back in pieces."""
    offset = 0
    while piece := os.pread(fd, 1 << 20, offset):
        yield piece
        offset += len(piece)


#: What ``link`` fails with where the file system has no hard links.
_NO_LINKS = (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV, errno.EMLINK, errno.ENOSYS, errno.ENOENT)


def _link_new(path: str, source: str, target: Path) -> bool:
    """Link ``source`` to the new name ``target``: True when done; False when links cannot
    be made here; a file that appeared at the name meanwhile is kept (exit 2)."""
    try:
        os.link(source, target)
        return True
    except FileExistsError:
        raise _appeared(path) from None
    except OSError as exc:
        if exc.errno in _NO_LINKS:
            return False
        raise


def _appeared(path: str) -> InputError:
    return _error(
        path,
        "appeared while the report was written; it is kept (add --force to replace it)",
        "は出力中に作成されました。そのまま残します（置き換えるには --force を付けてください）",
    )


def _temporary_name(target: Path) -> str:
    """A fresh name beside ``target`` for a moment: ``.astep-XXXXXXXX.tmp``."""
    return str(target.parent / f".astep-{os.urandom(6).hex()}.tmp")


def _publish_named(path: str, data: bytes | Iterable[bytes], target: Path, force: bool) -> None:
    """Publish through a named temporary file (where there is no file without a name)."""
    fd, tmp = tempfile.mkstemp(prefix=".astep-", suffix=".tmp", dir=target.parent)
    try:
        try:
            _write(fd, data)
        finally:
            os.close(fd)
        if force:
            _replace(path, tmp, target)
        else:
            _create(path, tmp, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _new_file_mode() -> int:
    """0o666 minus the umask: the mode a plain write gives a new file (mkstemp's is 0o600)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _create(path: str, tmp: str, target: Path) -> None:
    os.chmod(tmp, _new_file_mode())
    if _link_new(path, tmp, target):
        return
    # No hard links here (some network and FAT file systems): create the name exclusively.
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
    except FileExistsError:
        raise _appeared(path) from None
    try:
        with os.fdopen(fd, "wb") as fh, open(tmp, "rb") as written:
            shutil.copyfileobj(written, fh)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(target)
        raise


def _replace(path: str, tmp: str, target: Path) -> None:
    # Check again just before the rename: only a regular file is ever replaced.
    try:
        info = os.stat(target, follow_symlinks=False)
    except FileNotFoundError:
        os.chmod(tmp, _new_file_mode())
    else:
        _check_regular(path, info)
        os.chmod(tmp, stat.S_IMODE(info.st_mode))
    os.replace(tmp, target)


def _check_regular(path: str, info: os.stat_result) -> None:
    """Only a regular file is ever replaced (checked again just before it is)."""
    if not stat.S_ISREG(info.st_mode):
        raise _error(
            path,
            "is not a regular file; --force does not replace it",
            "は通常のファイルではありません。--force でも置き換えません。別のファイル名を指定してください",
        )


#: The signals that end a run as Ctrl-C does.
SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Within, Ctrl-C, SIGTERM and SIGHUP wait, and arrive when it ends (on systems that can
    hold signals: ``pthread_sigmask``; elsewhere they arrive as they come).

    What is started within is started whole: a signal in the middle of starting a pool of
    worker processes left it half started, and shutting it down then failed with an error
    of its own instead of the one line that says the run was interrupted. Threads and
    processes started within inherit the held signals: a worker lets them through again
    once it has set its own handlers.
    """
    held = {getattr(signal, name) for name in SIGNALS if hasattr(signal, name)}
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    before = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


@contextlib.contextmanager
def interruptible() -> Iterator[None]:
    """Within, Ctrl-C, SIGTERM and SIGHUP raise :class:`Interrupted`, once: what is open is
    cleaned up (a temporary file, the worker processes of a check) and the run ends with one
    line (see :class:`~astep_calc.cli.usage.AstepGroup`). A second signal while that happens
    is ignored, so the cleaning is never cut short. Nested, it changes nothing; outside the
    main thread (where no signal can be handled) it does nothing."""
    raised: list[int] = []

    def handler(signum: int, frame: FrameType | None) -> None:
        if not raised:
            raised.append(signum)
            raise Interrupted(signum)

    previous: dict[int, object] = {}
    for name in SIGNALS:
        signum = getattr(signal, name, None)
        if signum is None:
            continue
        try:
            current = signal.getsignal(signum)
            if getattr(current, "__qualname__", "") == handler.__qualname__:
                continue  # an enclosing interruptible() handles it already
            previous[signum] = signal.signal(signum, handler)
        except ValueError:  # not the main thread: signals cannot be handled here
            break
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)  # type: ignore[arg-type]
