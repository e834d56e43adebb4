"""``--output FILE``: written whole or not at all, and never over a file without ``--force``.

The text is written to a temporary file in the target's folder, then published:

- without ``--force``, by a hard link to the target name, which fails if anything has
  appeared there meanwhile (a file written while the report rendered is kept, and the
  run exits 2); where the file system has no hard links, by creating the target
  exclusively (``O_EXCL``) and copying the text in;
- with ``--force``, by renaming over the target, which must be a regular file or a
  symbolic link to one (the file the link points to is replaced, the link kept): a
  device, a FIFO, ``/dev/null`` or a folder is refused, never replaced by a file.

Anything at the name counts as existing, a dangling symbolic link too. Errors name the
path as the user typed it, never the temporary file, whose name is short whatever the
target's (a target name of the maximum length still works). SIGTERM and SIGHUP remove
the temporary file as Ctrl-C does.
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
    """SIGTERM or SIGHUP arrived while a temporary file existed; raised to clean it up."""

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
        fd, tmp = tempfile.mkstemp(prefix=".astep-", suffix=".tmp", dir=target.parent)
        try:
            try:
                with os.fdopen(fd, "wb") as fh:
                    for piece in [data] if isinstance(data, bytes) else data:
                        fh.write(piece)
                    fh.flush()
                    os.fsync(fh.fileno())
                if force:
                    _replace(path, tmp, target)
                else:
                    _create(path, tmp, target)
            except InputError:
                raise
            except OSError as exc:
                raise _error(
                    path, f"cannot be written: {_reason(exc).en}", f"に書き込めません：{_reason(exc).ja}"
                ) from None
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
    try:
        os.link(tmp, target)
        return
    except FileExistsError:
        raise _error(
            path,
            "appeared while the report was written; it is kept (add --force to replace it)",
            "は出力中に作成されました。そのまま残します（置き換えるには --force を付けてください）",
        ) from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV, errno.EMLINK, errno.ENOSYS):
            raise
    # No hard links here (some network and FAT file systems): create the name exclusively.
    try:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o666)
    except FileExistsError:
        raise _error(
            path,
            "appeared while the report was written; it is kept (add --force to replace it)",
            "は出力中に作成されました。そのまま残します（置き換えるには --force を付けてください）",
        ) from None
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
        if not stat.S_ISREG(info.st_mode):
            raise _error(
                path,
                "is not a regular file; --force does not replace it",
                "は通常のファイルではありません。--force でも置き換えません。別のファイル名を指定してください",
            )
        os.chmod(tmp, stat.S_IMODE(info.st_mode))
    os.replace(tmp, target)


@contextlib.contextmanager
def interruptible() -> Iterator[None]:
    """Within, SIGTERM and SIGHUP raise :class:`Interrupted` (as SIGINT raises KeyboardInterrupt),
    so that what is open is cleaned up: a temporary file, the worker processes of a check."""

    def handler(signum: int, frame: FrameType | None) -> None:
        raise Interrupted(signum)

    previous: dict[int, object] = {}
    for name in ("SIGTERM", "SIGHUP"):
        signum = getattr(signal, name, None)
        if signum is None:
            continue
        try:
            previous[signum] = signal.signal(signum, handler)
        except ValueError:  # not the main thread: signals cannot be handled here
            break
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)  # type: ignore[arg-type]
