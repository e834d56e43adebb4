"""The line of each key in TOML or JSON text, found by scanning the text (best effort, for
messages): ``tomllib`` and ``json`` give the values but not where they stand.

:class:`~astep_calc.reader.KeyLines` runs a scan only when a message first asks for a
line, so a file that reads cleanly never loads this module.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field

from astep_calc.reader import Key, dotted

#: A table header: [name] or [[name]], with a comment after it or not.
_TOML_HEADER = re.compile(r"""\s*(\[\[?)\s*((?:[^\[\]#"']|"(?:[^"\\]|\\.)*"|'[^']*')+?)\s*\]\]?\s*(?:#.*)?$""")
#: A key: bare, "basic" (escapes allowed) or 'literal', dotted.
_TOML_PART = re.compile(r"""[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*'""")
_TOML_KEY = re.compile(rf"""\s*((?:{_TOML_PART.pattern})(?:\s*\.\s*(?:{_TOML_PART.pattern}))*)\s*=""")
_TOML_BARE = re.compile(r"[A-Za-z0-9_-]+")


def _toml_parts(name: str) -> tuple[str, ...]:
    """The parts of a dotted TOML key, quotes dropped and a basic string's escapes read as
    TOML reads them.

    >>> _toml_parts("budget"), _toml_parts("a . 'b.c' . d-e")
    (('budget',), ('a', 'b.c', 'd-e'))
    >>> _toml_parts('"20\\\\u00327".x')
    ('2027', 'x')
    """
    if _TOML_BARE.fullmatch(name):  # one bare key, as nearly every key is: findall would find just it
        return (name,)
    return tuple(_toml_part(p) for p in _TOML_PART.findall(name))


def _toml_part(part: str) -> str:
    if part[0] == "'":
        return part[1:-1]
    if part[0] != '"':
        return part
    if "\\" not in part:
        return part[1:-1]
    try:  # the escapes as TOML itself reads them (\u0032, \t, \\...)
        value = tomllib.loads(f"k = {part}")["k"]
    except tomllib.TOMLDecodeError:
        return part[1:-1]
    return str(value)


def toml_key_lines(text: str) -> dict[str, int]:
    """The first line of each table header and key, by dotted key (best effort, for messages).

    A dotted key gives its tables their line too (``2027.x = 5`` under ``[budget]`` is the
    line of ``budget.2027``, which it defines). A table header under an array of tables
    belongs to its latest element (``[phase.budget]`` after the second ``[[phase]]`` is
    ``phase[1].budget``).

    >>> toml_key_lines('a = 1\\n[[t]]\\nb = 2\\n[[t]]\\nb = 3\\n')
    {'a': 1, 't': 2, 't[0]': 2, 't[0].b': 3, 't[1]': 4, 't[1].b': 5}
    >>> toml_key_lines('[[t]]\\n[[t]]\\n[t.u]\\nc = 1\\n[[t.v]]\\n')
    {'t': 1, 't[0]': 1, 't[1]': 2, 't[1].u': 3, 't[1].u.c': 4, 't[1].v': 5, 't[1].v[0]': 5}
    >>> toml_key_lines('[budget]\\n2026 = 1\\n2027.x = 5\\n')
    {'budget': 1, 'budget.2026': 2, 'budget.2027': 3, 'budget.2027.x': 3}
    """
    out: dict[str, int] = {}
    table: Key = ()
    arrays: dict[Key, int] = {}  # an array of tables (its key, parents' indices in it) → its latest index
    for n, line in enumerate(text.split("\n"), start=1):
        header = _TOML_HEADER.match(line)
        if header:
            is_array = header.group(1) == "[["
            names = _toml_parts(header.group(2))
            parts: Key = ()
            for i, name in enumerate(names):
                parts += (name,)
                if parts in arrays and not (is_array and i == len(names) - 1):
                    parts += (arrays[parts],)
            if is_array:
                arrays[parts] = arrays.get(parts, -1) + 1
                out.setdefault(dotted(parts), n)
                parts += (arrays[parts],)
            table = parts
            out.setdefault(dotted(table), n)
            continue
        kv = _TOML_KEY.match(line)
        if kv:
            names = _toml_parts(kv.group(1))
            for i in range(1, len(names) + 1):
                out.setdefault(dotted(table + names[:i]), n)
    return out


_JSON_TOKEN = re.compile(r'"((?:[^"\\]|\\.)*)"(\s*:)?|[\[\]{},]')


@dataclass
class _Frame:
    """An open JSON object or array while scanning for key lines."""

    path: Key
    array: bool
    index: int = 0
    key: str = ""
    #: The keys of an object met so far (looked for duplicates only).
    seen: set[str] = field(default_factory=set)


def json_key_lines(text: str) -> dict[str, int]:
    """The line of each object key and array element, by dotted key (best effort, for messages).

    One pass: newlines are counted from the previous token, never from the start.

    >>> json_key_lines('{"a": 1,\\n "t": [\\n {"b": 2},\\n {"b": 3}]}')
    {'a': 1, 't': 2, 't[0]': 3, 't[0].b': 3, 't[1]': 4, 't[1].b': 4}
    """
    return _scan_json(text)[0]


def json_duplicate_key(text: str) -> tuple[Key, int] | None:
    """The first key given again in the same object, and the line it is given again on.

    >>> json_duplicate_key('{"budget": {"2026": 1,\\n  "2026": 2}}')
    (('budget', '2026'), 2)
    >>> json_duplicate_key('{"a": {"x": 1}, "b": {"x": 1}}') is None
    True
    """
    return _scan_json(text, stop_at_duplicate=True)[1]


def _scan_json(text: str, *, stop_at_duplicate: bool = False) -> tuple[dict[str, int], tuple[Key, int] | None]:
    import json  # here: for a JSON plan, not the TOML rulebook every command reads

    out: dict[str, int] = {}
    frames: list[_Frame] = []
    line, counted = 1, 0
    for m in _JSON_TOKEN.finditer(text):
        line += text.count("\n", counted, m.start())
        counted = m.start()
        tok = m.group(0)
        top = frames[-1] if frames else None
        if m.group(2) is not None:  # "name": an object key
            if top is not None and not top.array:
                top.key = m.group(1)
                if "\\" in top.key:
                    try:
                        top.key = json.loads(f'"{top.key}"')
                    except ValueError:
                        pass
                if stop_at_duplicate:
                    if top.key in top.seen:
                        return out, ((*top.path, top.key), line)
                    top.seen.add(top.key)
                out.setdefault(dotted((*top.path, top.key)), line)
        elif tok in "{[":
            child: Key = () if top is None else (*top.path, top.index if top.array else top.key)
            if child:
                out.setdefault(dotted(child), line)
            frames.append(_Frame(child, tok == "["))
        elif tok in "}]":
            if frames:
                frames.pop()
        elif tok == "," and top is not None and top.array:
            top.index += 1
    return out, None


# ---------------------------------------------------------------------------------------
# Tables
