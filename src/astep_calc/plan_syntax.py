"""How a plan file writes its values: one regular expression per kind, shared by the reader
and the JSON Schema, so that the schema accepts a value exactly when ``astep check`` can read it.

Each pattern is a subset of what the core parsers accept (``parse_date``, ``parse_yen``,
``parse_rate``, ``parse_months``), chosen so that a regular expression can say everything
the core would check of the value alone: a real calendar day from 1900 to 2200 (within
its era when written in one); whole yen below 1,000兆円 (a decimal only in the last
group, with no more decimals than its unit has zeros; units descending; each later group
below the unit before it); a rate from 0 to 100%; a whole number of months. The reader
refuses what the pattern refuses (with the core's own message when the core refuses it
too), so no plan reads differently in an editor and in CI. The patterns use only what
JSON Schema's ECMA-262 dialect and Python share (no look-around, no back-references), so
editors (VS Code, Taplo) can run them.

Full-width digits, commas and points (１，５００万) are accepted in amounts, rates,
durations and dates, as the core folds them. Dates are written as Japanese offices write
them (``2026/4/1``, ``令和8年4月1日``, ``R8.4.1``...), or as a TOML date.

>>> import re
>>> [bool(re.fullmatch(YEN, s)) for s in ("1500万", "3億5000万", "1.5億", "1.2.3万", "１，５００万円", "1.23456789億")]
[True, True, True, False, True, True]
>>> [bool(re.fullmatch(DATE, s)) for s in ("2028-02-29", "2100-02-29", "2026-04-31", "0001-01-01")]
[True, False, False, False]
>>> [bool(re.fullmatch(DATE, s)) for s in ("2026/4/1", "令和元年5月1日", "R8.4.1", "H31.4.30", "H31.5.1", "Ｒ８／４／１")]
[True, True, True, True, False, True]
"""

from __future__ import annotations

from collections.abc import Iterable

from astep_calc.reader import Syntax
from astep_calc.text import Text

DIGIT = "[0-9０-９]"
NONZERO = "[1-9１-９]"
ZERO = "[0０]"
POINT = "[.．]"
COMMA = "[,，]"

# --------------------------------------------------------------------------- dates
# Written with ASCII digits and widened by _wide(), so that every digit may also be
# full-width (２０２６年４月１日), as parse_date folds them. Each form says exactly which days
# exist: month lengths, leap years, and the first and last days of 令和 and 平成.

_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def _wide(pattern: str) -> str:
    """``pattern`` with each ASCII digit (alone or in a class) also matching its full-width
    form; quantifiers (``{2}``) are left as they are.

    >>> _wide("2[01][0-9]{2}")
    '[2２][01０１][0-9０-９]{2}'
    """
    out: list[str] = []
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c in "{[":
            j = pattern.index("}" if c == "{" else "]", i)
            body = pattern[i + 1 : j]
            if c == "[" and any(ch.isdigit() for ch in body):
                body += body.translate(_FULL_WIDTH)
            out.append(f"{c}{body}{pattern[j]}")
            i = j + 1
            continue
        out.append(f"[{c}{c.translate(_FULL_WIDTH)}]" if "0" <= c <= "9" else c)
        i += 1
    return "".join(out)


#: Months of 31 and of 30 days, February; the days of each (one or two digits, as parse_date reads them).
_M31, _M30, _FEB = "(0?[13578]|1[02])", "(0?[469]|11)", "0?2"
_D31, _D30, _D28 = "(0?[1-9]|[12][0-9]|3[01])", "(0?[1-9]|[12][0-9]|30)", "(0?[1-9]|1[0-9]|2[0-8])"
#: Every day of a year that is not a leap day, as (month, day) patterns.
_ANY_DAY = ((_M31, _D31), (_M30, _D30), (_FEB, _D28))
_LEAP_DAY = ((_FEB, "29"),)

#: A calendar: (year, the days of that year) pairs, each year written as the form writes it.
Calendar = tuple[tuple[str, tuple[tuple[str, str], ...]], ...]

#: Years 1900 to 2200; the leap years among them (divisible by 4, except 1900, 2100 and 2200).
_WESTERN: Calendar = (
    ("(19[0-9]{2}|2[01][0-9]{2}|2200)", _ANY_DAY),
    ("(19(0[48]|[2468][048]|[13579][26])|20([02468][048]|[13579][26])|21(0[48]|[2468][048]|[13579][26]))", _LEAP_DAY),
)
#: 令和 from 2019-05-01 (元年 is 2019): years 1 to 182 (2200); leap years are those of 2 mod 4,
#: but 82 (2100) and 182 (2200).
_REIWA: Calendar = (
    ("(元|0?1)", (("(0?[578]|1[02])", _D31), ("(0?[69]|11)", _D30))),
    ("(0?[2-9]|[1-9][0-9]|1[0-7][0-9]|18[0-2])", _ANY_DAY),
    ("(0?[26]|[246][26]|86|[13579][048]|1(0[26]|[246][26]|[1357][048]))", _LEAP_DAY),
)
#: 平成 from 1989-01-08 to 2019-04-30 (元年 is 1989); leap years are those divisible by 4.
_HEISEI: Calendar = (
    ("(元|0?1)", (("0?1", "(0?[89]|[12][0-9]|3[01])"), ("(0?[3578]|1[02])", _D31), (_M30, _D30), (_FEB, _D28))),
    ("(0?[2-9]|[12][0-9]|30)", _ANY_DAY),
    ("(0?[48]|1[26]|2[048])", _LEAP_DAY),
    ("31", (("0?[13]", _D31), ("0?4", _D30), (_FEB, _D28))),
)
#: Year, month and day separated by the same mark twice: 2026-4-1, 2026/4/1, 2026.4.1.
_SEPARATORS = ("[-－]", "[/／]", "[.．]")


def _dates(prefix: str, calendar: Calendar, sep: str | None) -> str:
    """Every day of ``calendar`` after ``prefix``: ``YsMsD`` with separator ``sep``, or ``Y年M月D日``."""
    alts = []
    for year, days in calendar:
        if sep is None:
            alts.append(f"{year}年(" + "|".join(f"{m}月{d}日" for m, d in days) + ")")
        else:
            alts.append(f"{year}{sep}(" + "|".join(f"{m}{sep}{d}" for m, d in days) + ")")
    return prefix + "(" + "|".join(alts) + ")"


def _date() -> str:
    forms = [_dates("", _WESTERN, sep) for sep in (*_SEPARATORS, None)]
    for kanji, letter, calendar in (("(令和|㋿)", "[RrＲｒ]", _REIWA), ("(平成|㍻)", "[HhＨｈ]", _HEISEI)):
        forms.append(_dates(kanji, calendar, None))
        forms += [_dates(letter, calendar, sep) for sep in _SEPARATORS]
    return _wide("(" + "|".join(forms) + ")")


#: A calendar day from 1900-01-01 to 2200-12-31 as parse_date reads it, without spaces:
#: 2026-10-01, 2026/10/1, 2026.10.1, 2026年10月1日, 令和8年10月1日, 令和元年5月1日, R8.10.1,
#: R8/10/1, H31.4.30, in full-width digits too; an era date only within its era.
DATE = _date()

# --------------------------------------------------------------------------- amounts

#: Units of the money syntax and the power of ten each stands for, largest first.
_UNITS = (("億", 8), ("千万", 7), ("百万", 6), ("万", 4), ("千", 3))
#: Amounts written as text stay below 10^15 yen (1,000兆円).
_MAX_DIGITS = 15


def _integer(n: int) -> str:
    """1 to ``n`` digits: plain, or grouped by three with commas or underscores (no leading 0)."""
    alts = [f"{DIGIT}{{1,{n}}}"]
    for groups in range(1, (n - 1) // 3 + 1):
        lead = min(3, n - 3 * groups)
        for sep in (COMMA, "_"):
            alts.append(f"{NONZERO}{DIGIT}{{0,{lead - 1}}}({sep}{DIGIT}{{3}}){{{groups}}}")
    return "(" + "|".join(alts) + ")"


def _after(prev: int) -> str:
    """What may follow a group whose unit is 10^prev: nothing, a plain number below 10^prev,
    or a smaller unit's group (below 10^prev too), with what may follow that in turn."""
    alts = [_integer(prev)]
    for unit, exp in _UNITS:
        if exp < prev:
            alts.append(_groups(unit, exp, prev - exp))
    return "(" + "|".join(alts) + ")?"


def _groups(unit: str, exp: int, digits: int) -> str:
    """A group of ``unit`` with at most ``digits`` whole digits: either the last group, with
    up to ``exp`` decimals, or a whole group followed by smaller ones."""
    last = f"{_integer(digits)}{POINT}{DIGIT}{{1,{exp}}}{unit}"
    return f"({last}|{_integer(digits)}{unit}{_after(exp)})"


def _amount() -> str:
    alts = [_integer(_MAX_DIGITS)] + [_groups(unit, exp, _MAX_DIGITS - exp) for unit, exp in _UNITS]
    return "[¥￥]?(" + "|".join(alts) + ")円?"


#: Whole yen, 0 to 999,999,999,999,999, in the money syntax: 15000000, 15,000,000,
#: 15_000_000, ¥15,000,000, 1500万, 1,500万円, 1.5億, 3億5000万, 500千円, full-width digits.
YEN = _amount()
#: An amount of 0 yen, however written (``0``, ``0万``, ``0.0億``): refused where more than 0 is needed.
ZERO_YEN = f"[¥￥]?({ZERO}+({POINT}{ZERO}+)?(億|千万|百万|万|千)?)+円?"

#: How a spreadsheet writes a minus sign (money.NEGATIVE_SIGNS, and the full-width minus NFKC folds).
_MINUS = "[-－\u2212△▲]"
#: Whole yen that may be negative, as :func:`~astep_calc.money.parse_signed_yen` reads them: an
#: amount of :data:`YEN`, after a minus sign (``-1.2億``, ``△1,200,000``, ``¥-1,200``) or in
#: parentheses (``(1,200,000)``, ``（3億）``); the yen sign before or after the sign.
SIGNED_YEN = f"[¥￥]?({_MINUS}{YEN}|[(（]{YEN}[)）])|{YEN}"

# --------------------------------------------------------------------------- rates

_DECIMALS = 20
#: A rate from 0 to 1 (``0.3``, ``.3``, ``1``) or 0% to 100% (``30%``, ``2.5%``).
RATE = (
    f"({ZERO}({POINT}{DIGIT}{{0,{_DECIMALS}}})?|{POINT}{DIGIT}{{1,{_DECIMALS}}}|[1１]({POINT}{ZERO}{{0,{_DECIMALS}}})?"
    f"|({DIGIT}{{1,2}}({POINT}{DIGIT}{{0,{_DECIMALS}}})?|{POINT}{DIGIT}{{1,{_DECIMALS}}}"
    f"|[1１]{ZERO}{ZERO}({POINT}{ZERO}{{0,{_DECIMALS}}})?)[%％])"
)

#: A rate of 0, however written (``0``, ``0.0``, ``0%``): a guarantee fee that asks for nothing.
ZERO_RATE = f"({ZERO}+({POINT}{ZERO}*)?|{POINT}{ZERO}+)[%％]?"

# --------------------------------------------------------------------------- ratios

#: A ratio of more than 0 and at most money.MAX_RATIO (a repayment coverage): ``1.2``,
#: ``1.2倍`` or ``120%``. :data:`ZERO_RATIO` is the zero that must be refused beside it.
RATIO = (
    f"(({DIGIT}{{1,2}}({POINT}{DIGIT}{{0,{_DECIMALS}}})?|{POINT}{DIGIT}{{1,{_DECIMALS}}}"
    f"|[1１]{ZERO}{ZERO}({POINT}{ZERO}{{0,{_DECIMALS}}})?)倍?"
    f"|({DIGIT}{{1,4}}({POINT}{DIGIT}{{0,{_DECIMALS}}})?|{POINT}{DIGIT}{{1,{_DECIMALS}}}"
    f"|[1１]{ZERO}{{4}}({POINT}{ZERO}{{0,{_DECIMALS}}})?)[%％])"
)
#: A ratio of 0, however written (``0``, ``0.0倍``, ``0%``).
ZERO_RATIO = f"({ZERO}+({POINT}{ZERO}*)?|{POINT}{ZERO}+)(倍|[%％])?"

# --------------------------------------------------------------------------- durations

_YEARS_UNIT = "(y|yr|yrs|year|years|年)"
_MONTHS_UNIT = "(m|mo|month|months|か月|ヶ月|カ月|ケ月)"
#: The most years a duration may be written with (and its upper bound as a number).
MAX_YEARS = 999
#: A whole number of months: years (``3y``, ``1.5y``, ``1.25年``, or a bare number of years)
#: up to 999, or months (``18m``, ``18か月``) up to 9,999. Lower-case units.
DURATION = (
    f"({DIGIT}{{1,3}}({POINT}({ZERO}{{1,8}}|[2２][5５]{ZERO}{{0,8}}|[5５]{ZERO}{{0,8}}|[7７][5５]{ZERO}{{0,8}}))?"
    f"{_YEARS_UNIT}?|{DIGIT}{{1,4}}({POINT}{ZERO}{{1,8}})?{_MONTHS_UNIT})"
)
#: A duration of no months at all: refused for a term.
ZERO_DURATION = f"{ZERO}+({POINT}{ZERO}+)?({_YEARS_UNIT}|{_MONTHS_UNIT})?"


def _finite(strings: Iterable[str]) -> str:
    """A regular expression for exactly these ASCII strings, all of one length, grouped by
    first character (first characters with the same continuations share a class).

    >>> _finite(["00", "03", "30", "33", "12"])
    '([03][03]|12)'
    """
    words = sorted(set(strings))
    if words == [""]:
        return ""
    rests: dict[str, set[str]] = {}
    for w in words:
        rests.setdefault(w[0], set()).add(w[1:])
    heads: dict[frozenset[str], list[str]] = {}
    for first, rest in rests.items():
        heads.setdefault(frozenset(rest), []).append(first)
    alts = [
        (firsts[0] if len(firsts) == 1 else "[" + "".join(firsts) + "]") + _finite(rest)
        for rest, firsts in heads.items()
    ]
    return alts[0] if len(alts) == 1 else "(" + "|".join(alts) + ")"


def _multiple_of(p: int, digits: int = 4) -> str:
    """1 to ``digits`` digits (leading zeros allowed) whose value is a multiple of ``p``:
    the last two digits chosen by what the digits before them leave over (100·a mod p)."""
    alts = [_finite(f"{v:0{n}d}" for v in range(10**n) if v % p == 0) for n in (1, 2)]
    for n in range(3, digits + 1):
        by_rest: dict[int, list[str]] = {}
        for a in range(10 ** (n - 2)):
            by_rest.setdefault(a * 100 % p, []).append(f"{a:0{n - 2}d}")
        for rest, prefixes in by_rest.items():
            alts.append(_finite(prefixes) + _finite(f"{b:02d}" for b in range(100) if (rest + b) % p == 0))
    return "(" + "|".join(alts) + ")"


def duration_in_periods(p: int) -> str:
    """A duration (as :data:`DURATION` writes it) that is a whole number of ``p``-month
    periods: years with no fraction that leaves part of a period, or months that ``p``
    divides. The reader refuses a repayment term that is not, when there is no deferral.

    >>> import re
    >>> [bool(re.fullmatch(duration_in_periods(12), s)) for s in ("10y", "10.5y", "120m", "126m", "１２０か月")]
    [True, False, True, False, True]
    """
    fractions = [f"{ZERO}{{1,8}}"] + [
        f"{_wide(f)}{ZERO}{{0,8}}" for f, months in (("25", 3), ("5", 6), ("75", 9)) if months % p == 0
    ]
    years = f"{DIGIT}{{1,3}}({POINT}({'|'.join(fractions)}))?{_YEARS_UNIT}?"
    months = f"{_wide(_multiple_of(p))}({POINT}{ZERO}{{1,8}})?{_MONTHS_UNIT}"
    return f"({years}|{months})"


def _padded(values: Iterable[int], digits: int) -> str:
    """The numbers written with 1 to ``digits`` digits, leading zeros allowed (ASCII)."""
    numbers = list(values)
    alts = [_finite(f"{v:0{n}d}" for v in numbers if v < 10**n) for n in range(1, digits + 1)]
    return "(" + "|".join(a for a in alts if a) + ")"


def duration_below(limit: int) -> str:
    """A duration (as :data:`DURATION` writes it) of fewer than ``limit`` months.

    >>> import re
    >>> [bool(re.fullmatch(duration_below(12), s)) for s in ("0.5y", "0.75", "11m", "011m", "12m", "1y", "1.25y")]
    [True, True, True, True, False, False, False]
    """
    years = []
    for months, fraction in (
        (0, f"({POINT}{ZERO}{{1,8}})?"),
        (3, f"{POINT}{_wide('25')}{ZERO}{{0,8}}"),
        (6, f"{POINT}{_wide('5')}{ZERO}{{0,8}}"),
        (9, f"{POINT}{_wide('75')}{ZERO}{{0,8}}"),
    ):
        whole = [n for n in range(MAX_YEARS + 1) if 12 * n + months < limit]
        if whole:
            years.append(f"{_wide(_padded(whole, 3))}{fraction}")
    months_form = f"{_wide(_padded(range(limit), 4))}({POINT}{ZERO}{{1,8}})?{_MONTHS_UNIT}"
    return f"(({'|'.join(years)}){_YEARS_UNIT}?|{months_form})"


def yen_of(value: str) -> str:
    """An amount (as :data:`YEN` writes it) equal to one of the one-digit values of the ASCII
    class ``value``: groups of 0, then the value, plain or as the last decimal of a unit."""
    zero_groups = f"({ZERO}+(億|千万|百万|万|千))*"
    last = [f"{ZERO}*{_wide(value)}"] + [
        f"{ZERO}+{POINT}{ZERO}{{{exp - 1}}}{_wide(value)}{unit}" for unit, exp in _UNITS
    ]
    return f"[¥￥]?{zero_groups}({'|'.join(last)})円?"


#: An amount of exactly 1 yen, however written (``1``, ``1円``, ``0.001千``): the default installment unit.
ONE_YEN = yen_of("1")


#: A fiscal year key of ``[budget]`` and ``[matching]``: the year it starts in.
FISCAL_YEAR = "[0-9]{4}"
#: A fiscal year key of ``[company.flows]``: a year the calendar of the tool holds (1900 to 2199).
PROJECTED_YEAR = "19[0-9]{2}|2[01][0-9]{2}"


def plan_syntax() -> dict[str, Syntax]:
    """The patterns as the reader applies them to a plan file's values, by kind."""
    return {
        "date": Syntax(
            DATE,
            Text("a date", "日付"),
            Text(
                "write 2026-10-01, 2026/10/1, 2026年10月1日, 令和8年10月1日 or R8.10.1 (a day from 1900 to 2200)",
                "2026-10-01、2026/10/1、2026年10月1日、令和8年10月1日、R8.10.1 のように書いてください（1900〜2200年の日付）",
            ),
        ),
        "yen": Syntax(
            YEN,
            Text("an amount", "金額"),
            Text(
                "write whole yen below 1,000兆円 such as 15000000, 15,000,000, 1500万, 1.5億, 3億5000万 or 500千円 "
                "(no spaces; a decimal only in the last unit)",
                "15000000、15,000,000、1500万、1.5億、3億5000万、500千円 のように1,000兆円未満の円単位で書いてください"
                "（空白なし、小数は最後の単位だけ）",
            ),
        ),
        "signed_yen": Syntax(
            SIGNED_YEN,
            Text("an amount", "金額"),
            Text(
                "write whole yen below 1,000兆円 such as -240000000, -2.4億, △1,200,000, (1,200,000) or 5億 "
                "(no spaces; a decimal only in the last unit)",
                "-240000000、-2.4億、△1,200,000、(1,200,000)、5億 のように1,000兆円未満の円単位で書いてください"
                "（空白なし、小数は最後の単位だけ）",
            ),
        ),
        "ratio": Syntax(
            RATIO,
            Text("a ratio", "倍率"),
            Text(
                "write a ratio of more than 0 and at most 100, such as 1.2, 1.2倍 or 120%",
                "1.2、1.2倍、120% のように0より大きく100以下の倍率で書いてください",
            ),
        ),
        "rate": Syntax(
            RATE,
            Text("a rate", "率"),
            Text("write a rate from 0 to 100%, such as 0.3 or 30%", "0.3 や 30% のように0〜100%の率で書いてください"),
        ),
        "duration": Syntax(
            DURATION,
            Text("a duration", "期間"),
            Text(
                "write whole months such as 3y, 1.5y, 18m or a number of years (up to 999 years, lower-case units)",
                "3y、1.5y、18m または年数のように月単位になる期間で書いてください（999年まで、単位は小文字）",
            ),
        ),
    }


def anchored(pattern: str) -> str:
    """The pattern as a JSON Schema ``pattern`` (which searches): anchored at both ends."""
    return f"^({pattern})$"


__all__ = [
    "DATE",
    "DURATION",
    "FISCAL_YEAR",
    "ONE_YEN",
    "PROJECTED_YEAR",
    "RATE",
    "RATIO",
    "SIGNED_YEN",
    "YEN",
    "ZERO_DURATION",
    "ZERO_RATE",
    "ZERO_RATIO",
    "ZERO_YEN",
    "anchored",
    "duration_below",
    "duration_in_periods",
    "plan_syntax",
    "yen_of",
]
