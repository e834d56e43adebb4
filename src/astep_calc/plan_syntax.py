"""How a plan file writes its values: one regular expression per kind, shared by the reader
and the JSON Schema, so that the schema accepts a value exactly when ``astep check`` can read it.

Each pattern is a subset of what the core parsers accept (``parse_date``, ``parse_yen``,
``parse_rate``, ``parse_months``), chosen so that a regular expression can say everything
the core would check of the value alone: a real calendar day from 1900 to 2200; whole yen
below 1,000兆円 (a decimal only in the last group, with no more decimals than its unit
has zeros; units descending; each later group below the unit before it); a rate from 0
to 100%; a whole number of months. The reader refuses what the pattern refuses (with the
core's own message when the core refuses it too), so no plan reads differently in an
editor and in CI. The patterns use only what JSON Schema's ECMA-262 dialect and Python
share (no look-around), so editors (VS Code, Taplo) can run them.

Full-width digits, commas and points (１，５００万) are accepted in amounts, rates and
durations, as the core folds them; dates are ASCII ``YYYY-MM-DD`` (a TOML date is one).

>>> import re
>>> [bool(re.fullmatch(YEN, s)) for s in ("1500万", "3億5000万", "1.5億", "1.2.3万", "１，５００万円", "1.23456789億")]
[True, True, True, False, True, True]
>>> [bool(re.fullmatch(DATE, s)) for s in ("2028-02-29", "2100-02-29", "2026-04-31", "0001-01-01")]
[True, False, False, False]
"""

from __future__ import annotations

import re

from astep_calc.reader import Syntax
from astep_calc.text import Text

DIGIT = "[0-9０-９]"
NONZERO = "[1-9１-９]"
ZERO = "[0０]"
POINT = "[.．]"
COMMA = "[,，]"

# --------------------------------------------------------------------------- dates

_YEAR = "(19[0-9]{2}|2[01][0-9]{2}|2200)"
_MONTH_DAY = ("((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])"
              "|(0[469]|11)-(0[1-9]|[12][0-9]|30)"
              "|02-(0[1-9]|1[0-9]|2[0-8]))")
#: Leap years from 1900 to 2200: divisible by 4, except 1900, 2100 and 2200.
_LEAP_DAY = "(19(0[48]|[2468][048]|[13579][26])|20([02468][048]|[13579][26])|21(0[48]|[2468][048]|[13579][26]))-02-29"
#: A calendar day from 1900-01-01 to 2200-12-31, written YYYY-MM-DD.
DATE = f"({_YEAR}-{_MONTH_DAY}|{_LEAP_DAY})"

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

# --------------------------------------------------------------------------- rates

_DECIMALS = 20
#: A rate from 0 to 1 (``0.3``, ``.3``, ``1``) or 0% to 100% (``30%``, ``2.5%``).
RATE = (f"({ZERO}({POINT}{DIGIT}{{0,{_DECIMALS}}})?|{POINT}{DIGIT}{{1,{_DECIMALS}}}|[1１]({POINT}{ZERO}{{0,{_DECIMALS}}})?"
        f"|({DIGIT}{{1,2}}({POINT}{DIGIT}{{0,{_DECIMALS}}})?|{POINT}{DIGIT}{{1,{_DECIMALS}}}"
        f"|[1１]{ZERO}{ZERO}({POINT}{ZERO}{{0,{_DECIMALS}}})?)[%％])")

# --------------------------------------------------------------------------- durations

_YEARS_UNIT = "(y|yr|yrs|year|years|年)"
_MONTHS_UNIT = "(m|mo|month|months|か月|ヶ月|カ月|ケ月)"
#: The most years a duration may be written with (and its upper bound as a number).
MAX_YEARS = 999
#: A whole number of months: years (``3y``, ``1.5y``, ``1.25年``, or a bare number of years)
#: up to 999, or months (``18m``, ``18か月``) up to 9,999. Lower-case units.
DURATION = (f"({DIGIT}{{1,3}}({POINT}({ZERO}{{1,8}}|[2２][5５]{ZERO}{{0,8}}|[5５]{ZERO}{{0,8}}|[7７][5５]{ZERO}{{0,8}}))?"
            f"{_YEARS_UNIT}?|{DIGIT}{{1,4}}({POINT}{ZERO}{{1,8}})?{_MONTHS_UNIT})")
#: A duration of no months at all: refused for a term.
ZERO_DURATION = f"{ZERO}+({POINT}{ZERO}+)?({_YEARS_UNIT}|{_MONTHS_UNIT})?"

#: A fiscal year key of ``[budget]`` and ``[matching]``: the year it starts in.
FISCAL_YEAR = "[0-9]{4}"


def plan_syntax() -> dict[str, Syntax]:
    """The patterns as the reader applies them to a plan file's values, by kind."""
    return {
        "date": Syntax(re.compile(DATE), Text("a date YYYY-MM-DD from 1900 to 2200, e.g. 2026-10-01",
                                              "1900〜2200年の YYYY-MM-DD 形式の日付（例：2026-10-01）")),
        "yen": Syntax(re.compile(YEN), Text(
            "whole yen below 1,000兆円 such as 15000000, 15,000,000, 1500万, 1.5億, 3億5000万 or 500千円 "
            "(no spaces; a decimal only in the last unit)",
            "1,000兆円未満の円単位の金額（例：15000000、15,000,000、1500万、1.5億、3億5000万、500千円。"
            "空白なし、小数は最後の単位だけ）")),
        "rate": Syntax(re.compile(RATE), Text("a rate such as 0.3 or 30% (0 to 100%)",
                                              "0.3 や 30% のような率（0〜100%）")),
        "duration": Syntax(re.compile(DURATION), Text(
            "whole months such as 3y, 1.5y, 18m or a number of years (up to 999 years, lower-case units)",
            "3y、1.5y、18m または年数のような月単位の期間（999年まで、単位は小文字）")),
    }


def anchored(pattern: str) -> str:
    """The pattern as a JSON Schema ``pattern`` (which searches): anchored at both ends."""
    return f"^({pattern})$"


__all__ = ["DATE", "DURATION", "FISCAL_YEAR", "RATE", "YEN", "ZERO_DURATION", "ZERO_YEN", "anchored", "plan_syntax"]
