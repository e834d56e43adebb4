"""Reading input files: one byte-capped file reader, and one key-by-key table reader.

Every file the tool reads (a plan, a rulebook, a ``--payments`` CSV) goes through
:func:`read_input`: at most :data:`MAX_INPUT_BYTES` bytes, a UTF-8 BOM accepted, and one
wording for a file that cannot be read. TOML and JSON documents are parsed by
:func:`parse_toml` / :func:`parse_json` into a :class:`ParsedFile` that knows the line of
every key, and read key by key through :class:`Section`, so that every error names the
file, the dotted key and its line, and an unknown key gets a did-you-mean hint.

Numbers are bounded while the document is parsed: a number with more digits or a larger
exponent than any amount, rate or duration needs (``1e-999999``, ``1e999999999``, a
5,000-digit integer) becomes an :class:`UnusableNumber` that the table reader refuses,
naming the key, instead of exact arithmetic that would run for minutes.

>>> doc = parse_toml('menu = "stage1"\\nrate = 1e-999999\\n', "p.toml")
>>> t = doc.root()
>>> t.string("menu")
'stage1'
>>> t.rate("rate")
Traceback (most recent call last):
...
astep_calc.reader.LocatedError: p.toml:2: key 'rate': 1e-999999 has more digits or a larger exponent than any amount, rate or duration needs
"""

from __future__ import annotations

import errno
import functools
import os
import re
import stat
import tomllib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal, NoReturn, TypeVar, overload

from astep_calc.text import InputError, Lang, Text, did_you_mean, listing

#: The most bytes read from any input file (plan, rulebook, payments). A real plan or
#: rulebook is a few kilobytes; this keeps ``/dev/zero`` or a mistaken file from
#: turning into minutes of work and gigabytes of memory.
MAX_INPUT_BYTES = 4 * 1024 * 1024

#: Bytes asked for first. A file is read up to the limit only when it is longer: asking
#: for 4 MiB at once makes Python set aside (and release) 4 MiB for every file, which took
#: longer than reading a plan.
FIRST_READ = 64 * 1024

#: The most payments in a schedule given row by row: a ``--payments`` file or a plan's
#: ``repayment.payments``. A real schedule has a few dozen rows (monthly over ten years is
#: 120); this bound keeps a large file from turning into seconds of work and hundreds of
#: megabytes.
MAX_PAYMENTS = 10_000

#: The most phases in one plan. A real road is two to four (Stage I, the stage gate,
#: Stage II, 実装支援); each phase is computed and checked against every other, so a
#: file of thousands took seconds and most of a gigabyte.
MAX_PHASES = 20

#: Numbers in an input document: at most this many significant digits and an exponent of
#: at most this size either way. Amounts stay under 10^16, rates and durations are short.
MAX_DIGITS = 30

#: The longest string accepted where a value (amount, rate, duration, date) is expected.
MAX_VALUE_CHARS = 64

Key = tuple[str | int, ...]
NO_LABEL = Text("", "")
#: A getter's default when the key must be there.
_MISSING = object()
#: The type of a getter's default (``None``, ``""``...): what it returns when the key is absent.
D = TypeVar("D")
#: The type of a choice (a ``Literal`` of ids, or ``str``).
C = TypeVar("C", bound=str)


# ---------------------------------------------------------------------------------------
# Files


#: What a file system error means, by errno, in Japanese (the system's own wording is
#: English whatever the locale).
_OS_REASONS_JA: dict[int, str] = {
    errno.ENOENT: "ファイルまたはフォルダがありません",
    errno.EACCES: "アクセス権がありません",
    errno.EPERM: "この操作は許可されていません",
    errno.EISDIR: "フォルダです",
    errno.ENOTDIR: "フォルダではありません",
    errno.ENOSPC: "ディスクの空き容量がありません",
    errno.EROFS: "読み取り専用のファイルシステムです",
    errno.EPIPE: "読み手が終了しています",
    errno.EBADF: "閉じられています",
}


def os_reason(exc: OSError) -> Text:
    """Why a file could not be opened or written: the system's words, and the same in Japanese.

    >>> os_reason(FileNotFoundError(2, "No such file or directory")).ja
    'ファイルまたはフォルダがありません'
    """
    system = exc.strerror or str(exc) or type(exc).__name__
    return Text(system, _OS_REASONS_JA.get(exc.errno or 0, system))


def read_input(path: str | Path, *, label: Text = NO_LABEL, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of an input file, at most ``limit`` of them.

    ``label`` goes in front of the path in messages (``rulebook ``, ``--payments ``).
    A file that cannot be opened, is not a regular file (a FIFO, socket or device: it is
    opened without waiting for a writer, and refused at once) or is larger than ``limit``
    raises :class:`InputError`.
    """
    origin = str(path)
    try:
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise cannot_read(origin, _special(path) or os_reason(exc), label) from None
    except ValueError:  # a NUL in the name: no file can have it
        raise cannot_read(
            origin, os_reason(FileNotFoundError(errno.ENOENT, "No such file or directory")), label
        ) from None
    try:
        with os.fdopen(fd, "rb") as fh:
            kind = os.fstat(fh.fileno()).st_mode
            if stat.S_ISDIR(kind):
                raise cannot_read(origin, os_reason(IsADirectoryError(errno.EISDIR, "Is a directory")), label)
            if not stat.S_ISREG(kind):
                raise cannot_read(origin, NOT_REGULAR, label)
            raw = fh.read(min(limit + 1, FIRST_READ))
            if len(raw) == FIRST_READ:  # there may be more: read on, up to one byte over the limit
                raw += fh.read(limit + 1 - len(raw))
    except OSError as exc:
        raise cannot_read(origin, os_reason(exc), label) from None
    except MemoryError:  # pragma: no cover - a limit near the machine's memory
        raw = b"\0" * (limit + 1)
    if len(raw) > limit:
        raise cannot_read(
            origin,
            Text(
                f"too large (more than {limit:,} bytes; an input file is a few kilobytes)",
                f"大きすぎます（{limit:,}バイト超。入力ファイルは数キロバイト程度です）",
            ),
            label,
        )
    return raw


#: Why a FIFO, socket or device is not read: it could block for ever, or never end.
NOT_REGULAR = Text(
    "not a regular file (a FIFO, socket or device); give a file saved on disk",
    "通常のファイルではありません（FIFO・ソケット・デバイスなど）。保存したファイルを指定してください",
)

#: Opening a FIFO for reading waits for a writer unless it is opened non-blocking.
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


def _special(path: str | Path) -> Text | None:
    """:data:`NOT_REGULAR` when ``path`` names something that is not a regular file (a
    socket cannot be opened at all, ENXIO); None when it is one or cannot be looked at."""
    try:
        kind = os.stat(path).st_mode
    except (OSError, ValueError):
        return None
    return NOT_REGULAR if not (stat.S_ISREG(kind) or stat.S_ISDIR(kind)) else None


def cannot_read(origin: str, reason: Text, label: Text = NO_LABEL) -> InputError:
    """``<label><file>: cannot be read: <reason>``, the one wording for an unreadable file."""
    return InputError(
        f"{label.en}{origin}: cannot be read: {reason.en}", f"{label.ja}{origin}：読めません：{reason.ja}"
    )


def decode_utf8(raw: bytes, origin: str, *, label: Text = NO_LABEL) -> str:
    """UTF-8 text, a leading BOM dropped; the error gives the line of the first bad byte.

    >>> decode_utf8("\\ufeffa = 1".encode(), "x.toml")
    'a = 1'
    """
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        byte = f"0x{raw[exc.start]:02x}"
        raise cannot_read(
            f"{origin}:{line}",
            Text(
                f"not UTF-8 text (byte {byte}); save the file as UTF-8",
                f"UTF-8のテキストではありません（バイト {byte}）。UTF-8で保存してください",
            ),
            label,
        ) from None


def read_text(path: str | Path, *, label: Text = NO_LABEL) -> str:
    """:func:`read_input` then :func:`decode_utf8`."""
    return decode_utf8(read_input(path, label=label), str(path), label=label)


# ---------------------------------------------------------------------------------------
# Numbers


@dataclass(frozen=True)
class UnusableNumber:
    """A number in a document that no amount, rate or duration can be: too long, too
    large an exponent, or not finite. Kept as text so the reader can name its key."""

    text: str
    finite: bool = True


def bounded_decimal(text: str) -> Decimal | UnusableNumber:
    """A document's decimal number, or :class:`UnusableNumber` when it is out of bounds.

    >>> bounded_decimal("0.30"), bounded_decimal("1e999999999")
    (Decimal('0.30'), UnusableNumber(text='1e999999999', finite=True))
    """
    if len(text) > 2 * MAX_DIGITS:
        return UnusableNumber(text)
    try:
        d = Decimal(text)
    except InvalidOperation:
        return UnusableNumber(text)
    if not d.is_finite():
        return UnusableNumber(text, finite=False)
    exponent = d.as_tuple().exponent
    assert isinstance(exponent, int)
    if len(d.as_tuple().digits) > MAX_DIGITS or abs(exponent) > MAX_DIGITS:
        return UnusableNumber(text)
    return d


def bounded_int(text: str) -> int | UnusableNumber:
    """A document's integer, or :class:`UnusableNumber` when it has too many digits."""
    return UnusableNumber(text) if len(text.lstrip("+-")) > MAX_DIGITS else int(text)


def number_problem(value: Any) -> Text | None:
    """Why a parsed value is an unusable number, or None."""
    if isinstance(value, UnusableNumber):
        shown = show(value)
        if not value.finite:
            return Text(f"{shown} is not a finite number", f"{show(value, lang='ja')}は有限の数値ではありません")
        return Text(
            f"{shown} has more digits or a larger exponent than any amount, rate or duration needs",
            f"{show(value, lang='ja')}は金額・率・期間としては桁数または指数が大きすぎます",
        )
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**MAX_DIGITS:
        digits = len(str(abs(value)))  # a document holds no integer Python cannot print
        return Text(
            f"an integer of {digits:,} digits has more than any amount or duration needs",
            f"{digits:,}桁の整数は金額・期間としては桁数が大きすぎます",
        )
    return None


# ---------------------------------------------------------------------------------------
# Documents


class LocatedError(InputError):
    """An input error that already names its file, key and line (not to be wrapped again)."""


@dataclass(frozen=True)
class Syntax:
    """How a document writes one kind of value: a pattern, what the value is and how to write
    it, for the message that refuses a value the pattern does not match.

    The pattern is compiled when a value first needs it: the date pattern spells out every
    day of every form and takes ~30 ms to compile, which a plan of TOML dates never pays.
    """

    pattern: str
    what: Text
    how: Text

    @functools.cached_property
    def regex(self) -> re.Pattern[str]:
        return re.compile(self.pattern)

    def matches(self, text: str) -> bool:
        """Whether ``text`` is written as the pattern says (the whole of it)."""
        return self.regex.fullmatch(text) is not None


def _toml_lines(text: str) -> dict[str, int]:
    from astep_calc.key_lines import toml_key_lines  # a scan only a message needs

    return toml_key_lines(text)


def _json_lines(text: str) -> dict[str, int]:
    from astep_calc.key_lines import json_key_lines

    return json_key_lines(text)


class KeyLines(Mapping[str, int]):
    """The line of each dotted key, found only when a message first asks for one.

    A document that reads cleanly never pays for the scan.
    """

    def __init__(self, scan: Callable[[str], dict[str, int]], text: str) -> None:
        self._scan: Callable[[str], dict[str, int]] | None = scan
        self._text = text
        self._lines: dict[str, int] = {}

    def _found(self) -> dict[str, int]:
        if self._scan is not None:
            self._lines, self._scan, self._text = self._scan(self._text), None, ""
        return self._lines

    def __getitem__(self, key: str) -> int:
        return self._found()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._found())

    def __len__(self) -> int:
        return len(self._found())


@dataclass(frozen=True)
class ParsedFile:
    """A parsed TOML or JSON document: its data and the line of each dotted key."""

    origin: str
    data: dict[str, Any]
    lines: Mapping[str, int] = field(default_factory=dict)
    #: Goes in front of the file name in messages (``rulebook ``).
    label: Text = NO_LABEL
    #: How this kind of document writes its values, by kind (``date``, ``yen``, ``rate``,
    #: ``duration``): a value the core would read but its pattern refuses is refused too
    #: (plan files: :mod:`astep_calc.plan_syntax`, which the JSON Schema shares).
    syntax: Mapping[str, Syntax] = field(default_factory=dict)
    #: A decimal number with nothing after the point (``1500000.0``) counts as the integer
    #: it equals, as JSON Schema counts it (plan files); otherwise it is not an integer.
    whole_decimals: bool = False

    def loc(self, key: Key) -> str:
        """``file:line`` of the key, or of its nearest enclosing table with a line; else ``file``."""
        for n in range(len(key), 0, -1):
            line = self.lines.get(dotted(key[:n]))
            if line is not None:
                return f"{self.origin}:{line}"
        return self.origin

    def line(self, key: Key) -> int | None:
        """The line of the key or of its nearest enclosing table, if known."""
        for n in range(len(key), 0, -1):
            line = self.lines.get(dotted(key[:n]))
            if line is not None:
                return line
        return None

    def error(self, key: Key, en: str, ja: str) -> InputError:
        """``file:line: key 'a.b': what is wrong``, the shape of every error about a key."""
        name = dotted(key)
        if not key:
            return LocatedError(f"{self.label.en}{self.origin}: {en}", f"{self.label.ja}{self.origin}：{ja}")
        which = counted(name)
        return LocatedError(
            f"{self.label.en}{self.loc(key)}: key {name!r}{which.en}: {en}",
            f"{self.label.ja}{self.loc(key)}：キー「{name}」{which.ja}：{ja}",
            field=name,
        )

    def core_error(self, exc: InputError, base: Key, name: str | None = None) -> InputError:
        """A core error raised while reading table ``base`` (key ``name``), with file, key and line.

        The key is the core error's ``field`` (relative to ``base``, or from the top of the
        document) when it has one, else ``name``, else ``base`` itself.
        """
        key = base if name is None else (*base, name)
        if exc.field:
            parts = exc.field.split(".")
            own = [str(p) for p in base]
            if parts[: len(own)] == own and len(parts) > len(own):
                parts = parts[len(own) :]  # a field named from the top of the document
            key = (*base, *parts)
        return self.error(key, exc.text.en.strip(), exc.text.ja.strip())

    def root(self) -> Section:
        return Section(self, (), self.data)


#: How an entry of an array of tables is counted in words, from 1 as people count
#: (``phase[2]`` is the plan's third phase, フェーズ3, as every other message calls it).
COUNTED = {
    "phase": Text("phase {n}", "フェーズ{n}"),
    "payments": Text("payment {n}", "{n}回目の返済"),
}
_INDEX = re.compile(r"([A-Za-z_][\w-]*)\[(\d+)\]")


def counted(name: str) -> Text:
    """The entries a dotted key names, counted from 1 in words, for a message after the key.

    >>> counted("phase[2].matching")
    Text(en=' (phase 3)', ja='（フェーズ3）')
    >>> counted("phase[0].repayment.payments[1].due").ja, counted("budget.2026")
    ('（フェーズ1、2回目の返済）', Text(en='', ja=''))
    """
    words = [
        Text(COUNTED[m[1]].en.format(n=int(m[2]) + 1), COUNTED[m[1]].ja.format(n=int(m[2]) + 1))
        for m in _INDEX.finditer(name)
        if m[1] in COUNTED
    ]
    if not words:
        return Text("", "")
    return Text(f" ({', '.join(w.en for w in words)})", f"（{'、'.join(w.ja for w in words)}）")


def dotted(key: Key) -> str:
    """A key path as it reads in messages: ``repayment.payments[0].due``.

    >>> dotted(("repayment", "payments", 0, "due"))
    'repayment.payments[0].due'
    """
    out = ""
    for part in key:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out


def parse_toml(text: str, origin: str, *, label: Text = NO_LABEL) -> ParsedFile:
    """Parse TOML with decimals kept exact and numbers bounded; errors give the line."""
    try:
        data = tomllib.loads(text, parse_float=bounded_decimal)
    except tomllib.TOMLDecodeError as exc:
        # tomllib ends its message with "(at line N, column M)" or "(at end of document)".
        msg = str(exc)
        at = re.search(r"\s*\(at (?:line (\d+), column (\d+)|(end of document))\)$", msg)
        reason = msg[: at.start()] if at else msg
        if at is None:
            where = origin
        elif at.group(3):
            where = f"{origin}:{max(1, text.count(chr(10)) + (not text.endswith(chr(10))))}"
        else:
            where = f"{origin}:{at.group(1)}:{at.group(2)}"
        raise InputError(
            f"{label.en}{where}: not valid TOML: {reason}",
            f"{label.ja}{where}：TOMLとして読み込めません（{reason}）。この位置の書き方を確認してください",
        ) from None
    except RecursionError:
        raise _too_deep(origin, "TOML", label) from None
    except ValueError:  # an integer longer than Python converts (sys.get_int_max_str_digits)
        raise _long_integer(text, origin, label) from None
    return ParsedFile(origin, data, KeyLines(_toml_lines, text), label)


def _too_deep(origin: str, kind: str, label: Text) -> InputError:
    return InputError(
        f"{label.en}{origin}: not valid {kind}: nested too deeply",
        f"{label.ja}{origin}：{kind}として読めません：入れ子が深すぎます",
    )


def _long_integer(text: str, origin: str, label: Text) -> InputError:
    m = re.search(r"[0-9][0-9_]{999,}", text)
    line = text.count("\n", 0, m.start()) + 1 if m else None
    if line is None:
        return InputError(
            f"{label.en}{origin}: an integer has more digits than any amount or duration needs",
            f"{label.ja}{origin}：金額・期間としては桁数が大きすぎる整数があります",
        )
    names = [k for k, n in _toml_lines(text).items() if n == line]
    doc = ParsedFile(origin, {}, {names[-1]: line} if names else {}, label)
    what = Text(
        "an integer with more digits than any amount or duration needs", "金額・期間としては桁数が大きすぎる整数です"
    )
    if names:
        return doc.error((names[-1],), what.en, what.ja)
    return InputError(f"{label.en}{origin}:{line}: {what.en}", f"{label.ja}{origin}:{line}：{what.ja}")


class _JsonProblem(InputError):
    """A JSON document that decodes but is not acceptable (a duplicate key, NaN)."""


class _DuplicateKey(_JsonProblem):
    """A key given twice in one JSON object (located by :func:`~astep_calc.key_lines.json_duplicate_key`)."""


def parse_json(text: str, origin: str, *, label: Text = NO_LABEL) -> ParsedFile:
    """Parse a JSON object with decimals kept exact, numbers bounded and duplicate keys refused
    (naming the key and the line it is given again on)."""
    import json  # here: for a JSON plan, not the TOML rulebook every command reads

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in items:
            if k in out:
                raise _DuplicateKey(
                    f"the key {k!r} appears twice in one object",
                    f"同じオブジェクトにキー「{k}」が2回あります。1つにしてください",
                )
            out[k] = v
        return out

    def constant(name: str) -> NoReturn:
        raise _JsonProblem(f"{name} is not a number", f"{name} は数値ではありません。数値にしてください")

    try:
        data = json.loads(
            text, object_pairs_hook=pairs, parse_float=bounded_decimal, parse_int=bounded_int, parse_constant=constant
        )
    except json.JSONDecodeError as exc:
        where = f"{origin}:{exc.lineno}:{exc.colno}"
        raise InputError(
            f"{label.en}{where}: not valid JSON: {exc.msg}",
            f"{label.ja}{where}：JSONとして読み込めません（{exc.msg}）。この位置の書き方を確認してください",
        ) from None
    except _DuplicateKey as exc:
        from astep_calc.key_lines import json_duplicate_key

        found = json_duplicate_key(text)
        if found is None:  # not found again by the scan (never seen): the key without its line
            raise InputError(
                f"{label.en}{origin}: not valid JSON: {exc.text.en}",
                f"{label.ja}{origin}：JSONとして読めません：{exc.text.ja}",
            ) from None
        key, line = found
        doc = ParsedFile(origin, {}, {dotted(key): line}, label)
        raise doc.error(
            key, "appears twice in one object; keep one", "同じオブジェクトに2回あります。1つにしてください"
        ) from None
    except _JsonProblem as exc:
        raise InputError(
            f"{label.en}{origin}: not valid JSON: {exc.text.en}",
            f"{label.ja}{origin}：JSONとして読めません：{exc.text.ja}",
        ) from None
    except RecursionError:
        raise _too_deep(origin, "JSON", label) from None
    if not isinstance(data, dict):
        raise InputError(
            f"{label.en}{origin}: must be a JSON object {{...}}, got {kind(data).en}",
            f"{label.ja}{origin}：JSONオブジェクト {{...}} にしてください（{kind(data).ja}になっています）",
        )
    return ParsedFile(origin, data, KeyLines(_json_lines, text), label)


def kind(value: Any) -> Text:
    """What a parsed value is, in words.

    >>> kind(True).en, kind(date(2026, 4, 1)).ja
    ('true/false', '日付')
    """
    if isinstance(value, bool):
        return Text("true/false", "真偽値")
    if isinstance(value, int):
        return Text("an integer", "整数")
    if isinstance(value, float | Decimal | UnusableNumber):
        return Text("a decimal number", "小数")
    if isinstance(value, str):
        return Text("a string", "文字列")
    if isinstance(value, datetime):
        return Text("a date with a time", "時刻付きの日時")
    if isinstance(value, date):
        return Text("a date", "日付")
    if isinstance(value, time):
        return Text("a time", "時刻")
    if isinstance(value, dict):
        return Text("a table", "テーブル")
    if isinstance(value, list):
        return Text("a list", "配列")
    return Text("null", "null") if value is None else Text(type(value).__name__, type(value).__name__)


def show(value: Any, limit: int = 40, lang: Lang = "en") -> str:
    """A value as it is quoted in a message, cut to a readable length: a string in
    Python's quotes in English; any value in 「」 in Japanese.

    >>> show("x" * 50)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…'"
    >>> show("stage9", lang="ja"), show(12, lang="ja"), show([1], lang="ja")
    ('「stage9」', '「12」', '「[...]」')
    """
    if lang == "ja":
        if isinstance(value, str):
            return f"「{value}」" if len(value) <= limit else f"「{value[: limit - 3]}…」"
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**limit:
            return f"約{int(abs(value).bit_length() * 0.30103) + 1:,}桁の整数"
        return f"「{show(value, limit)}」"
    if value is None:
        return "null"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict | list | tuple):
        return "{...}" if isinstance(value, dict) else "[...]"
    text: str
    if isinstance(value, UnusableNumber):
        text = value.text
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**limit:
        return f"an integer of about {int(abs(value).bit_length() * 0.30103) + 1:,} digits"
    else:
        text = str(value) if isinstance(value, Decimal | int) else repr(value)
    if len(text) <= limit:
        return text
    return text[: limit - 5] + "…" + (text[-1] if text[-1] in "'\"" else "")


class CoreErrors:
    """``with table.core(name):`` re-raises a core :class:`InputError` as the table's error
    about ``name``; the reader's own errors (:class:`LocatedError`) and any other exception
    pass as they are. A class, not a ``@contextmanager`` generator: a plan reads each of its
    values inside one, and the generator's machinery cost more than reading a date."""

    __slots__ = ("name", "table")

    def __init__(self, table: Section, name: str | None) -> None:
        self.table, self.name = table, name

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        if isinstance(exc, InputError) and not isinstance(exc, LocatedError):
            raise self.table.doc.core_error(exc, self.table.key, self.name) from None


class Section:
    """A table of a :class:`ParsedFile`, read key by key: every error names its dotted key.

    Each ``get``-style method marks its key as seen; :meth:`done` then refuses any key
    nobody asked for, with a did-you-mean hint. :meth:`only` refuses unknown keys up front.
    """

    def __init__(self, doc: ParsedFile, key: Key, data: object) -> None:
        if not isinstance(data, dict):
            raise doc.error(key, *_must_be(data, Text("a table", "テーブル")))
        self.doc = doc
        self.key = key
        self.data: dict[str, Any] = data
        self.seen: list[str] = []

    def __contains__(self, name: object) -> bool:
        return name in self.data

    def names(self) -> list[str]:
        """The keys of this table, in document order."""
        return list(self.data)

    def child(self, name: str | int) -> Key:
        return (*self.key, name)

    # Errors -----------------------------------------------------------------------------

    def error(self, name: str | int | None, en: str, ja: str) -> InputError:
        """An error about ``name`` in this table (or the table itself with ``None``)."""
        return self.doc.error(self.key if name is None else self.child(name), en, ja)

    def wrong_type(self, name: str | int, value: Any, want: Text) -> InputError:
        return self.error(name, *_must_be(value, want))

    def core(self, name: str | None = None) -> CoreErrors:
        """Re-raise a core :class:`InputError` with the file, key and line in front.

        The key is the core error's ``field`` (relative to this table) when it has one,
        else ``name``, else this table.
        """
        return CoreErrors(self, name)

    def missing(self, name: str) -> InputError:
        loc = self.doc.loc(self.key)
        full = dotted(self.child(name))
        which = counted(full)
        return LocatedError(
            f"{self.doc.label.en}{loc}: key {full!r}{which.en} is missing",
            f"{self.doc.label.ja}{loc}：キー「{full}」{which.ja}がありません。指定してください",
            field=full,
        )

    def only(self, allowed: Sequence[str], *, where: Text | None = None) -> None:
        """Refuse any key not in ``allowed``, naming the first, with a did-you-mean hint."""
        for name in self.data:
            if name not in allowed:
                raise self.unknown(name, allowed, where)

    def done(self) -> None:
        """Refuse any key no reader asked for."""
        for name in self.data:
            if name not in self.seen:
                raise self.unknown(name, self.seen)

    def unknown(self, name: str, allowed: Sequence[str], where: Text | None = None) -> InputError:
        hint = did_you_mean(name, allowed)
        choices = listing(allowed)
        if where is not None:
            return self.error(
                name, f"{where.en} (it takes {choices.en}){hint.en}", f"{where.ja}{hint.ja}。使えるキー：{choices.ja}"
            )
        return self.error(
            name,
            f"unknown key here (expected one of {choices.en}){hint.en}",
            f"ここでは使えないキーです{hint.ja}。使えるキー：{choices.ja}",
        )

    # Raw values -------------------------------------------------------------------------

    def value(self, name: str, default: object = _MISSING) -> object:
        """The raw value of ``name`` (marked as seen); an unusable number is refused here."""
        if name not in self.seen:
            self.seen.append(name)
        if name not in self.data:
            if default is _MISSING:
                raise self.missing(name)
            return default
        value = self.data[name]
        problem = number_problem(value)
        if problem is not None:
            raise self.error(name, problem.en, problem.ja)
        return value

    def table(self, name: str, *, default_empty: bool = False) -> Section:
        value = self.value(name, {} if default_empty else _MISSING)
        return Section(self.doc, self.child(name), value)

    def tables(self) -> Iterator[tuple[str, Section]]:
        """Every key of this table as a sub-table (``[menus.<id>]``), each marked as seen."""
        for name in list(self.data):
            yield name, self.table(name)

    def array_of_tables(self, name: str, *, want: Text, most: int | None = None) -> list[Section]:
        """A non-empty list of tables (``[[repayment.payments]]``), at most ``most`` of them."""
        value = self.value(name)
        if not isinstance(value, list) or not value:
            raise self.wrong_type(name, value, want)
        if most is not None and len(value) > most:
            raise self.error(
                name,
                f"{len(value):,} entries, more than the {most:,} accepted",
                f"{len(value):,}件あります。{most:,}件までにしてください",
            )
        key = self.child(name)
        return [Section(self.doc, (*key, i), item) for i, item in enumerate(value)]

    # Typed values -----------------------------------------------------------------------
    # Each getter reads a key that must be there, or, given a default, returns the default
    # when the key is absent: ``t.day("start")`` is a date, ``t.day("stop", None)`` a date or None.

    @overload
    def string(self, name: str) -> str: ...
    @overload
    def string(self, name: str, default: D) -> str | D: ...
    def string(self, name: str, default: object = _MISSING) -> object:
        value = self.value(name, default)
        if name in self.data and not isinstance(value, str):
            raise self.wrong_type(name, value, Text("a string", "文字列"))
        return value

    @overload
    def boolean(self, name: str) -> bool: ...
    @overload
    def boolean(self, name: str, default: D) -> bool | D: ...
    def boolean(self, name: str, default: object = _MISSING) -> object:
        value = self.value(name, default)
        if name in self.data and not isinstance(value, bool):
            raise self.wrong_type(name, value, Text("true or false", "true または false"))
        return value

    @overload
    def integer(self, name: str, *, minimum: int, maximum: int) -> int: ...
    @overload
    def integer(self, name: str, *, minimum: int, maximum: int, default: D) -> int | D: ...
    def integer(self, name: str, *, minimum: int, maximum: int, default: object = _MISSING) -> object:
        """An integer in [minimum, maximum]."""
        value = self.value(name, default)
        if name not in self.data:
            return value
        value = self._whole(value)
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.wrong_type(name, value, Text("an integer", "整数"))
        if not minimum <= value <= maximum:
            raise self.error(
                name,
                f"must be from {minimum:,} to {maximum:,}, got {show(value)}",
                f"{show(value, lang='ja')}は範囲外です。{minimum:,}〜{maximum:,}の範囲で指定してください",
            )
        return value

    @overload
    def choice(self, name: str, choices: Sequence[C], *, what: Text) -> C: ...
    @overload
    def choice(self, name: str, choices: Sequence[C], *, what: Text, default: D) -> C | D: ...
    def choice(self, name: str, choices: Sequence[str], *, what: Text, default: object = _MISSING) -> object:
        """One of ``choices``, spelled exactly (the JSON Schema's enum); a near miss gets a hint."""
        value = self.string(name, default)
        if name in self.data and value not in choices:
            assert isinstance(value, str)  # the key is there: string() read it as one
            hint = did_you_mean(value, choices)
            listed = listing(choices)
            raise self.error(
                name,
                f"{show(value)} is not {what.en}: one of {listed.en}{hint.en}",
                f"{show(value, lang='ja')}という{what.ja}はありません{hint.ja}。"
                f"{listed.ja} のいずれかを指定してください",
            )
        return value

    def _text_value(self, name: str, value: object) -> object:
        if isinstance(value, str) and len(value) > MAX_VALUE_CHARS:
            raise self.error(
                name,
                f"{show(value)} is too long ({len(value):,} characters) for a value",
                f"{show(value, lang='ja')}は値として長すぎます（{len(value):,}文字）",
            )
        return value

    def _written(self, name: str, kind: str, text: str, parse: Callable[[str], object]) -> None:
        """Refuse ``text`` unless it is written as this document writes a ``kind``: with the
        core's own message when the core refuses it too, else naming the accepted forms."""
        syntax = self.doc.syntax.get(kind)
        if syntax is None or syntax.matches(text):
            return
        with self.core(name):
            parse(text)
        raise self.error(
            name,
            f"{show(text)} is not {syntax.what.en}: {syntax.how.en}",
            f"{show(text, lang='ja')}は{syntax.what.ja}として読めません。{syntax.how.ja}",
        )

    @overload
    def day(self, name: str) -> date: ...
    @overload
    def day(self, name: str, default: D) -> date | D: ...
    def day(self, name: str, default: object = _MISSING) -> object:
        """A date: a TOML date or a string ``parse_date`` reads, within the years the tool plans for."""
        from astep_calc.dates import parse_date

        value = self._text_value(name, self.value(name, default))
        if name not in self.data:
            return value
        if isinstance(value, datetime) or not isinstance(value, str | date):
            raise self.wrong_type(name, value, Text("a date such as 2026-10-01", "2026-10-01 のような日付"))
        if isinstance(value, str):
            self._written(name, "date", value, parse_date)
        # a TOML date is a real calendar day: only its year is checked (by the core)
        with self.core(name):
            return parse_date(value)

    @overload
    def yen(self, name: str, *, minimum: int = 0) -> int: ...
    @overload
    def yen(self, name: str, default: D, *, minimum: int = 0) -> int | D: ...
    def yen(self, name: str, default: object = _MISSING, *, minimum: int = 0) -> object:
        """Whole yen of at least ``minimum``: an integer, or a string in the money syntax (``"1500万"``)."""
        from astep_calc.money import parse_yen

        value = self._text_value(name, self.value(name, default))
        if name not in self.data:
            return value
        value = self._whole(value)
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise self.wrong_type(
                name,
                value,
                Text('whole yen: an integer or a string such as "1500万"', '整数または "1500万" のような文字列の金額'),
            )
        if isinstance(value, str):
            self._written(name, "yen", value, lambda v: parse_yen(v, minimum=minimum))
        with self.core(name):
            return parse_yen(value, minimum=minimum)

    def signed_yen(self, name: str) -> int:
        """Whole yen that may be negative (a company's projections): an integer, or a string
        as :func:`~astep_calc.money.parse_signed_yen` reads it (``"-2.4億"``, ``"△1,200,000"``)."""
        from astep_calc.money import parse_signed_yen

        value = self._whole(self._text_value(name, self.value(name)))
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise self.wrong_type(
                name,
                value,
                Text('whole yen: an integer or a string such as "-2.4億"', '整数または "-2.4億" のような文字列の金額'),
            )
        if isinstance(value, str):
            self._written(name, "signed_yen", value, parse_signed_yen)
        with self.core(name):
            return parse_signed_yen(value)

    def ratio(self, name: str) -> Fraction:
        """A ratio of more than 0 (a repayment coverage): a number (``1.2``) or a string
        (``"1.2"``, ``"1.2倍"``, ``"120%"``)."""
        from astep_calc.money import parse_ratio

        value = self._text_value(name, self.value(name))
        if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
            raise self.wrong_type(
                name, value, Text('a ratio such as 1.2 or "1.2倍"', '1.2 または "1.2倍" のような倍率')
            )
        if isinstance(value, str):
            self._written(name, "ratio", value, lambda v: parse_ratio(v, name=""))
        with self.core(name):
            return parse_ratio(value, name="")

    @overload
    def rate(self, name: str) -> Fraction: ...
    @overload
    def rate(self, name: str, default: D) -> Fraction | D: ...
    def rate(self, name: str, default: object = _MISSING) -> object:
        """A rate from 0 to 1: a number (``0.30``) or a string (``"0.30"``, ``"30%"``)."""
        from astep_calc.money import parse_rate

        value = self._text_value(name, self.value(name, default))
        if name not in self.data:
            return value
        if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
            raise self.wrong_type(name, value, Text('a rate such as 0.30 or "30%"', '0.30 または "30%" のような率'))
        if isinstance(value, str):
            self._written(name, "rate", value, lambda v: parse_rate(v, name=""))
        with self.core(name):
            return parse_rate(value, name="")

    @overload
    def months(self, name: str) -> int: ...
    @overload
    def months(self, name: str, default: D) -> int | D: ...
    def months(self, name: str, default: object = _MISSING) -> object:
        """Whole months: ``"3y"``, ``"18m"``, ``"1.5y"`` or a number of years."""
        from astep_calc.dates import parse_months

        value = self._text_value(name, self.value(name, default))
        if name not in self.data:
            return value
        if isinstance(value, Decimal):  # a number of years, as written without needless zeros
            value = format(value.normalize(), "f")
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise self.wrong_type(
                name,
                value,
                Text('a duration such as "3y", "18m" or a number of years', '"3y"、"18m" または年数のような期間'),
            )
        text = str(value)
        self._written(name, "duration", text, parse_months)
        with self.core(name):
            return parse_months(text)

    def _whole(self, value: object) -> object:
        """With ``whole_decimals``, a decimal number with nothing after the point as its integer."""
        if self.doc.whole_decimals and isinstance(value, Decimal) and value == value.to_integral_value():
            return int(value)
        return value


def _must_be(value: Any, want: Text) -> tuple[str, str]:
    k = kind(value)
    return (
        f"must be {want.en}, got {k.en} ({show(value)})",
        f"{k.ja}{show(value, lang='ja')}になっています。{want.ja}で指定してください",
    )


Format = Literal["toml", "json"]


def parse_document(text: str, origin: str, fmt: Format, *, label: Text = NO_LABEL) -> ParsedFile:
    """:func:`parse_toml` or :func:`parse_json`."""
    return parse_json(text, origin, label=label) if fmt == "json" else parse_toml(text, origin, label=label)


__all__ = [
    "MAX_DIGITS",
    "MAX_INPUT_BYTES",
    "MAX_PAYMENTS",
    "MAX_PHASES",
    "LocatedError",
    "ParsedFile",
    "Section",
    "Syntax",
    "UnusableNumber",
    "bounded_decimal",
    "cannot_read",
    "decode_utf8",
    "dotted",
    "kind",
    "parse_document",
    "parse_json",
    "parse_toml",
    "read_input",
    "read_text",
    "show",
]
