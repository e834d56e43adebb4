"""Money: whole yen as ``int``, rates as exact ``Fraction`` (SPEC §2).

Amounts are parsed from the forms Japanese documents use (``1,500万円``, ``1.5億``,
``3億5000万``, ``500千円``, ``¥15,000,000``), formatted with thousands separators, and
rounded only in one of three named directions, each chosen for a reason that the
output prints.

>>> parse_yen("3億5000万")
350000000
>>> format_yen(350000000)
'350,000,000'
>>> apply_rate(123_456_789, parse_rate("10%"), Rounding.CEIL)
12345679
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from enum import Enum
from fractions import Fraction

from astep_calc.text import InputError, Text, did_you_mean, fold_width, quoted

#: Largest amount accepted as input: 1,000 兆円. Far above any programme cap; it only
#: keeps absurd input from turning into absurd work.
MAX_YEN = 10**15

_UNITS = {"億": 10**8, "千万": 10**7, "百万": 10**6, "万": 10**4, "千": 10**3}
_NUMBER = r"(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+(?:_[0-9]+)*)(?:\.[0-9]+)?"
_GROUP = re.compile(rf"({_NUMBER})(億|千万|百万|万|千|)")


class Rounding(Enum):
    """The three rounding directions SPEC §2 allows, each with its reason."""

    FLOOR = "floor"
    CEIL = "ceil"
    HALF_EVEN = "half-even"

    def to_int(self, x: Fraction) -> int:
        """Round an exact value to a whole number in this direction.

        >>> Rounding.HALF_EVEN.to_int(Fraction(5, 2)), Rounding.CEIL.to_int(Fraction(1, 3))
        (2, 1)
        """
        if self is Rounding.FLOOR:
            return x.numerator // x.denominator
        if self is Rounding.CEIL:
            return -((-x.numerator) // x.denominator)
        return round(x)


def _normalise(text: str) -> str:
    # fold_width folds full-width digits, commas and the full-width yen sign to ASCII. Spaces
    # may stand beside a unit or sign ("5 億", "¥ 1,000") but never between two digits.
    s = fold_width(text).strip()
    return re.sub(r"(?<=\D)\s+|\s+(?=\D)", "", s)


def parse_yen(text: str | int, *, minimum: int = 0) -> int:
    """Parse an amount of yen; reject anything that is not a whole amount of at least ``minimum``.

    With ``minimum=1`` (an amount that must be positive) ``-5`` and ``0`` get the same
    message: must be more than 0 yen.

    Accepts ``15000000``, ``15,000,000``, ``15_000_000``, ``¥15,000,000``, ``1500万``,
    ``1,500万円``, ``1.5億``, ``5億円``, ``3億5000万``, ``500千円``, ``5千万``, ``2百万``
    and full-width digits (``１５００万``).

    >>> [parse_yen(s) for s in ("1,500万円", "1.5億", "500千円", "¥15,000,000")]
    [15000000, 150000000, 500000, 15000000]
    >>> parse_yen("1.5")
    Traceback (most recent call last):
    ...
    astep_calc.text.InputError: '1.5' is not a whole number of yen (a decimal point needs a unit, as in 1.5億)
    """
    if isinstance(text, bool):
        raise InputError(
            f"{text!r} is not an amount of yen",
            f"「{text}」は金額ではありません。15000000 や 1500万 のように書いてください",
        )
    if isinstance(text, int):
        return _check_range(text, str(text), minimum)
    raw = text
    s = _normalise(text)
    if s.startswith("-") or s.startswith("¥-"):  # a negative amount is too small; anything else is not an amount
        try:
            _magnitude(s.replace("-", "", 1), raw)
        except InputError:
            raise _not_an_amount(raw) from None
        raise _too_small(raw, minimum)
    return _check_range(_magnitude(s, raw), raw, minimum)


#: How a spreadsheet writes a negative amount: a minus sign (ASCII, full-width or U+2212),
#: the triangles of Japanese accounts (△, ▲), or parentheses.
NEGATIVE_SIGNS = ("-", "\u2212", "△", "▲")


def parse_signed_yen(text: str | int) -> int:
    """Parse an amount of yen that may be negative, as Japanese accounts and Excel write one.

    A company's projections (営業キャッシュフロー, 投資CF) are negative as often as not. The
    amount is written as :func:`parse_yen` reads it, with the sign in one of the forms of
    :data:`NEGATIVE_SIGNS` in front (``-1.2億``, ``△1,200,000``, ``▲1,200,000``, full-width
    ``－``, U+2212 ``−``), or in parentheses (``(1,200,000)``, ``（1,200,000）``); a yen
    sign may stand before or after the sign (``¥-1,200``, ``-¥1,200``). At most
    :data:`MAX_YEN` either way. One sign only: ``-(1,000)`` and ``--1`` are refused.

    >>> [parse_signed_yen(s) for s in ("-1.2億", "△1,200,000", "▲1,200,000", "(1,200,000)", "1,200,000円")]
    [-120000000, -1200000, -1200000, -1200000, 1200000]
    >>> parse_signed_yen("¥-1,200"), parse_signed_yen("-¥1,200"), parse_signed_yen(-5), parse_signed_yen("（3億）")
    (-1200, -1200, -5, -300000000)
    >>> parse_signed_yen("-(1,000)")
    Traceback (most recent call last):
    ...
    astep_calc.text.InputError: '-(1,000)' is not an amount of yen (try 1,200,000, -1.2億, △1,200,000, (1,200,000))
    """
    if isinstance(text, bool):
        raise _not_a_signed_amount(str(text))
    if isinstance(text, int):
        return -_check_range(-text, str(text)) if text < 0 else _check_range(text, str(text))
    raw = text
    s = _normalise(text)
    if s[:1] == "¥" and s[1:2] in (*NEGATIVE_SIGNS, "("):  # the yen sign before the sign: ¥-1,200, ¥(1,200)
        s = s[1:]
    negative = False
    if len(s) > 2 and s[0] == "(" and s[-1] == ")":
        s, negative = s[1:-1], True
    elif s.startswith(NEGATIVE_SIGNS):
        s, negative = s[1:], True
    if (negative and not s) or s.startswith((*NEGATIVE_SIGNS, "(")):
        raise _not_a_signed_amount(raw)
    value = _check_range(_magnitude(s, raw, _not_a_signed_amount), raw)
    return -value if negative else value


def _not_a_signed_amount(raw: str) -> InputError:
    return InputError(
        f"{raw!r} is not an amount of yen (try 1,200,000, -1.2億, △1,200,000, (1,200,000))",
        f"「{raw}」は金額として読めません。1,200,000、-1.2億、△1,200,000、(1,200,000) のように書いてください",
    )


def _magnitude(s: str, raw: str, not_an_amount: Callable[[str], InputError] | None = None) -> int:
    """The whole yen of ``s``, an amount already normalised, without a sign; messages quote ``raw``
    (``not_an_amount`` words the error for text that is no amount, and says what to try)."""
    bad = not_an_amount or _not_an_amount
    if s.startswith("¥"):
        s = s[1:]
    if s.endswith("円"):
        s = s[:-1]
    if not s:
        raise InputError(
            f"{raw!r} is not an amount of yen: it is empty",
            f"「{raw}」は空で、金額として読めません。15000000 や 1500万 のように書いてください",
        )
    if len(s) > 40:
        raise InputError(
            f"{raw[:30]!r}… is too long for an amount of yen (at most {format_yen(MAX_YEN)} yen)",
            f"「{raw[:30]}…」は金額として長すぎます（上限 {format_yen(MAX_YEN)}円）",
        )
    total: int | Fraction = 0
    pos = 0
    last_unit = 10**20
    while pos < len(s):
        m = _GROUP.match(s, pos)
        if m is None or m.end() == pos:
            raise bad(raw)
        number, unit = m.group(1), m.group(2)
        scale = _UNITS[unit] if unit else 1
        if not unit and "." in number and m.end() == len(s):
            raise InputError(
                f"{raw!r} is not a whole number of yen (a decimal point needs a unit, as in 1.5億)",
                f"「{raw}」は1円未満の端数を含みます。小数は 1.5億 のように単位を付けて書いてください",
            )
        if scale >= last_unit or (not unit and m.end() != len(s)):
            raise bad(raw)  # units descend: 億, then 千万/百万/万, then 千
        last_unit = scale
        digits = number.replace(",", "").replace("_", "")
        total += (Fraction(digits) if "." in digits else int(digits)) * scale  # exact: 1.5億 is 3/2 × 10^8
        pos = m.end()
    if total.denominator != 1:
        raise InputError(
            f"{raw!r} is not a whole number of yen", f"「{raw}」は1円未満の端数を含みます。円単位の金額にしてください"
        )
    return int(total)


def _not_an_amount(raw: str) -> InputError:
    return InputError(
        f"{raw!r} is not an amount of yen (try 15000000, 15,000,000, 1500万, 1.5億, 500千円)",
        f"「{raw}」は金額として読めません。15000000、15,000,000、1500万、1.5億、500千円 のように書いてください",
    )


def _too_small(raw: str, minimum: int) -> InputError:
    if minimum == 1:
        return InputError(f"{raw!r} must be more than 0 yen", f"「{raw}」は使えません。0円より大きい金額にしてください")
    if minimum == 0:
        return InputError(
            f"{raw!r} is negative: it must be 0 yen or more", f"「{raw}」は負の金額です。0円以上にしてください"
        )
    return InputError(
        f"{raw!r} must be at least {format_yen(minimum)} yen",
        f"「{raw}」は使えません。{format_yen(minimum)}円以上にしてください",
    )


def _check_range(value: int, raw: str, minimum: int = 0) -> int:
    if value < minimum:
        raise _too_small(raw, minimum)
    if value > MAX_YEN:
        raise InputError(
            f"{raw!r} is too large (at most {format_yen(MAX_YEN)} yen)",
            f"「{raw}」は大きすぎます。{format_yen(MAX_YEN)}円以下にしてください",
        )
    return value


def format_yen(amount: int) -> str:
    """Format whole yen with thousands separators.

    >>> format_yen(37_500_000), format_yen(0)
    ('37,500,000', '0')
    """
    return f"{amount:,}"


def format_in_unit(amount: int, unit: int) -> str:
    """Whole yen in a larger unit (1,000 for 千円, 10,000 for 万円), exactly: an amount that is not
    whole in the unit shows its decimals, never rounded. ``unit`` is a power of ten.

    ``amount = whole × unit + rest`` with ``0 ≤ rest < unit``; the decimals are ``rest``
    written with as many digits as the unit has zeros, trailing zeros dropped.

    >>> format_in_unit(7_500_000, 1000), format_in_unit(5_769_231, 1000), format_in_unit(15_000, 10_000)
    ('7,500', '5,769.231', '1.5')
    >>> format_in_unit(-1_234_500, 1000), format_in_unit(123, 10_000), format_in_unit(42, 1)
    ('-1,234.5', '0.0123', '42')
    """
    places = len(str(unit)) - 1
    if unit != 10**places:
        raise ValueError(f"unit {unit} is not a power of ten")
    whole, rest = divmod(abs(amount), unit)
    sign = "-" if amount < 0 else ""
    if not rest:
        return f"{sign}{whole:,}"
    return f"{sign}{whole:,}.{rest:0{places}d}".rstrip("0")


class DisplayUnit(Enum):
    """The unit amounts are shown in (tables and xlsx; JSON and CSV are always in yen): its
    size in yen and its name. Japanese budget forms are in 千円."""

    YEN = (1, Text("yen", "円"))
    THOUSAND = (1000, Text("thousand yen", "千円"))
    TEN_THOUSAND = (10_000, Text("ten thousand yen", "万円"))

    @property
    def yen(self) -> int:
        return int(self.value[0])

    @property
    def label(self) -> Text:
        label = self.value[1]
        assert isinstance(label, Text)
        return label


#: The names of the display units, as ``--display-unit`` and a plan's ``display_unit`` write them.
DISPLAY_UNITS = {
    "yen": DisplayUnit.YEN,
    "thousand": DisplayUnit.THOUSAND,
    "ten-thousand": DisplayUnit.TEN_THOUSAND,
    "円": DisplayUnit.YEN,
    "千円": DisplayUnit.THOUSAND,
    "万円": DisplayUnit.TEN_THOUSAND,
}


def parse_display_unit(text: str) -> DisplayUnit:
    """``yen``, ``thousand``, ``ten-thousand`` or 円, 千円, 万円 (case and spaces do not matter).

    >>> parse_display_unit("千円").yen, parse_display_unit(" Ten-Thousand ").yen
    (1000, 10000)
    """
    key = text.strip().lower().replace("_", "-").replace(" ", "-")
    if key in DISPLAY_UNITS:
        return DISPLAY_UNITS[key]
    hint = did_you_mean(text, list(DISPLAY_UNITS))
    raise InputError(
        f"{text!r} is not a display unit: one of {', '.join(DISPLAY_UNITS)}{hint.en}",
        f"「{text}」という表示単位はありません。{'、'.join(DISPLAY_UNITS)} のいずれかを指定してください{hint.ja}",
        field="display_unit",
    )


def parse_rate(text: str | int | Fraction | Decimal, *, name: str = "rate") -> Fraction:
    """Parse a rate given as ``0.3`` or ``30%`` into an exact fraction in [0, 1].

    >>> parse_rate("30%"), parse_rate("0.3"), parse_rate("2.5%")
    (Fraction(3, 10), Fraction(3, 10), Fraction(1, 40))
    """
    if isinstance(text, Fraction):
        value = text
    elif isinstance(text, bool):
        raise InputError(
            f"{name} {quoted(text)} is not a rate",
            f"{_who(name)}「{text}」は率ではありません。0.3 や 30% のように書いてください",
        )
    elif isinstance(text, int | Decimal):
        value = Fraction(text)
    else:
        s = _normalise(str(text))
        percent = s.endswith("%")
        if percent:
            s = s[:-1]
        try:
            d = Decimal(s)
        except InvalidOperation:
            raise InputError(
                f"{name} {quoted(text)} is not a rate (try 0.3 or 30%)",
                f"{_who(name)}「{text}」は率として読めません。0.3 や 30% のように書いてください",
            ) from None
        if not d.is_finite() or not re.fullmatch(r"[+-]?[0-9]*\.?[0-9]+|[+-]?[0-9]+\.", s):
            raise InputError(
                f"{name} {quoted(text)} is not a rate (try 0.3 or 30%)",
                f"{_who(name)}「{text}」は率として読めません。0.3 や 30% のように書いてください",
            )
        value = Fraction(d) / (100 if percent else 1)
    if not 0 <= value <= 1:
        raise InputError(
            f"{name} {quoted(text)} is outside 0% to 100%",
            f"{_who(name)}「{text}」は範囲外です。0%〜100% の率にしてください",
        )
    return value


#: The largest ratio accepted (a repayment coverage of 100 times is far above any asked for).
MAX_RATIO = 100


def parse_ratio(text: str | int | Fraction | Decimal, *, name: str = "ratio") -> Fraction:
    """Parse a ratio of more than 0 and at most :data:`MAX_RATIO` (a repayment coverage),
    written as a number (``1.2``), with 倍 as 経理 write it (``1.2倍``), or as a percentage
    (``120%``), into an exact fraction.

    >>> parse_ratio("1.2"), parse_ratio("1.5倍"), parse_ratio("120%"), parse_ratio(2)
    (Fraction(6, 5), Fraction(3, 2), Fraction(6, 5), Fraction(2, 1))
    >>> parse_ratio("0")
    Traceback (most recent call last):
    ...
    astep_calc.text.InputError: ratio '0' must be more than 0 and at most 100
    """
    if isinstance(text, Fraction):
        value = text
    elif isinstance(text, bool):
        raise _not_a_ratio(text, name)
    elif isinstance(text, int | Decimal):
        if isinstance(text, Decimal) and not text.is_finite():
            raise _not_a_ratio(text, name)
        value = Fraction(text)
    else:
        s = _normalise(str(text))
        scale = 1
        if s.endswith("%"):
            s, scale = s[:-1], 100
        elif s.endswith("倍"):
            s = s[:-1]
        if not re.fullmatch(r"[0-9]+(\.[0-9]*)?|\.[0-9]+", s) or len(s) > 40:
            raise _not_a_ratio(text, name)
        value = Fraction(Decimal(s)) / scale
    if not 0 < value <= MAX_RATIO:
        raise InputError(
            f"{name} {quoted(text)} must be more than 0 and at most {MAX_RATIO}".lstrip(),
            f"{_who(name)}「{text}」は使えません。0より大きく{MAX_RATIO}以下にしてください",
        )
    return value


def _not_a_ratio(text: object, name: str) -> InputError:
    return InputError(
        f"{name} {quoted(text)} is not a ratio (try 1.2, 1.2倍 or 120%)".lstrip(),
        f"{_who(name)}「{text}」は倍率として読めません。1.2、1.2倍、120% のように書いてください",
    )


def _who(name: str) -> str:
    """The name of a rate in front of a Japanese message (``--discount-rate：``), or nothing."""
    return f"{name}：" if name else ""


def format_rate(rate: Fraction) -> str:
    """Format an exact rate as a percentage, exactly where it terminates.

    >>> format_rate(Fraction(3, 10)), format_rate(Fraction(1, 40)), format_rate(Fraction(1, 3))
    ('30%', '2.5%', '33.333333%')
    """
    pct = rate * 100
    if pct.denominator == 1:
        return f"{pct.numerator}%"
    d = Decimal(pct.numerator) / Decimal(pct.denominator)
    s = f"{d:f}"
    if "." in s:
        head, tail = s.split(".")
        s = head + "." + tail[:6].rstrip("0") if tail[:6].rstrip("0") else head
    return f"{s}%"


def percent(rate: Fraction) -> Text:
    """A rate as prose writes it: ``30%`` in English, ``30％`` in Japanese (the brochure's
    full-width sign, as in 「開発費総額の10％相当」).

    >>> percent(Fraction(1, 10))
    Text(en='10%', ja='10％')
    """
    shown = format_rate(rate)
    return Text(shown, shown.replace("%", "％"))


def ratio_percent(ratio: Fraction) -> Text:
    """A ratio as a percentage to one decimal, rounded half-even (a matching ratio in a table):
    ``40.0%`` in English, ``40.0％`` in Japanese.

    >>> ratio_percent(Fraction(1, 2)), ratio_percent(Fraction(1, 3)).ja, ratio_percent(Fraction(3, 8)).en
    (Text(en='50.0%', ja='50.0％'), '33.3％', '37.5%')
    """
    tenths = Rounding.HALF_EVEN.to_int(ratio * 1000)
    shown = f"{tenths // 10}.{tenths % 10}%"
    return Text(shown, shown.replace("%", "％"))


def ratio_decimal(ratio: Fraction, places: int = 4) -> str:
    """A ratio as a decimal string for JSON: exact when it ends within ``places`` decimals,
    else rounded half-even to ``places`` (trailing zeros dropped).

    >>> ratio_decimal(Fraction(1, 2)), ratio_decimal(Fraction(3, 8)), ratio_decimal(Fraction(1, 3)), ratio_decimal(Fraction(2))
    ('0.5', '0.375', '0.3333', '2')
    """
    scaled = Rounding.HALF_EVEN.to_int(ratio * 10**places)
    whole, rest = divmod(scaled, 10**places)
    return f"{whole}" + (f".{rest:0{places}d}".rstrip("0") if rest else "")


def unit_rounding(unit: int) -> Text:
    """How an amount is rounded down to a unit, in words: ``rounded down to the yen`` /
    ``1円未満切り捨て``, ``1,000円未満切り捨て``.

    >>> unit_rounding(1).ja, unit_rounding(1000).en
    ('1円未満切り捨て', 'rounded down to 1,000 yen')
    """
    if unit == 1:
        return Text("rounded down to the yen", "1円未満切り捨て")
    return Text(f"rounded down to {format_yen(unit)} yen", f"{format_yen(unit)}円未満切り捨て")


def apply_rate(amount: int, rate: Fraction, rounding: Rounding) -> int:
    """``amount × rate`` rounded to the yen in the given direction.

    >>> apply_rate(123_456_789, Fraction(1, 10), Rounding.FLOOR)
    12345678
    """
    return rounding.to_int(amount * rate)


def floor_to_unit(amount: int, unit: int) -> int:
    """Floor a whole amount to a multiple of ``unit`` yen.

    >>> floor_to_unit(7_500_999, 1000)
    7500000
    """
    return amount // unit * unit
