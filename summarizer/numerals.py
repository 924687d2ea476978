"""Chinese numerals: the digits and scales, and an exact converter for a located numeral.

Forms that convert (each seen in the development corpus):

=====================  =====================  ===============================================
form                   value                  example in the corpus
=====================  =====================  ===============================================
五点四, 零点五         5.4, 0.5               增长百分之五点四; 下降零点五个百分点
八, 二十四, 一千零五十 8, 24, 1050            百分之八; 一千零五十万
两千三百万             23,000,000             两千三百万人
三千七百(多万)         3700 (+ 多 + 万)       三千七百多万
十二亿四千万           1,240,000,000          全国人口十二亿四千万人
一亿三千万             130,000,000            耕地一亿三千万亩; 总投资一亿三千万元
一亿零七千万           170,000,000            一亿零七千万亩
三万亿, 一万二千亿     3e12, 1.2e12           (万亿: 万 times 亿)
三千五, 一万五         3500, 15,000           the spoken short form: the last digit counts
                                              one place below the unit before it
二〇一九, 一九八○      2019, 1980             a year, digit by digit (○ is a zero too)
=====================  =====================  ===============================================

Not numbers (None): digit strings 一二三 and 九二 (a year needs four digits and 年), approximate
forms 十几, 三十几, 二三十, 几十万 (几 and a run of digits are not a value), units out of order
(十十, 百十, 一千万万), a bare scale (万, 亿; the caller handles 百 and 千 before 元).

The converter is exact (integers and Decimal), so 一亿三千万 is 130000000 and not a float sum, and
it imports nothing. It replaces cn2an, which cost 0.13-0.2 s at start-up, read 一亿三千 (what was
left once the trailing 万 was split off) as an error, so X亿Y千万 was dropped, and read strings
that are no numeral (九三百千九点七) as numbers.
"""

from __future__ import annotations

from decimal import Decimal

__all__ = [
    "ARABIC_START",
    "CN_DIGITS",
    "CN_ZEROS",
    "FW",
    "RANGE_SEPARATORS",
    "SEP",
    "D",
    "arabic",
    "candidates",
    "cn_decimal",
    "cn_value",
    "split_scale",
    "year_digits",
]  # fmt: skip

# How figures are written, shared by the number and the period patterns: an Arabic digit
# (half or full width), the full-width forms of digits and marks, and a range separator.
D = "[0-9０-９]"
FW = str.maketrans("０１２３４５６７８９．，－", "0123456789.,-")
ARABIC_START = "-－−0123456789０１２３４５６７８９"
RANGE_SEPARATORS = ("——", "—", "–", "-", "－", "~", "～", "〜", "至", "到")
SEP = "(?:" + "|".join(RANGE_SEPARATORS) + ")"  # none is special in a pattern out of a class


def arabic(s: str) -> float:
    """An Arabic numeral as written: 1,820, ４．５, −3."""
    try:
        # Most are plain digits and a point, which float reads as they are (full-width digits
        # too): 60 ns rather than 450 for the rewriting, and whatever float reads here the
        # rewriting would leave as it is (it only drops or maps what float refuses).
        return float(s)
    except ValueError:
        return float(s.translate(FW).replace(",", "").replace(" ", "").replace("−", "-"))


def candidates(first: str, body: str) -> str:
    """A pattern that finds where `body` matches, searched for one character of the class
    `first` (those a match can begin with) at a time: its match is that character alone, and
    `body`'s groups are read as its own (a group that spans each alternative gives the end).

    The engine skips in C to a character of a class that opens a pattern (a few ns a
    character); a pattern opening with a lookahead, ``(?=[…])(?:BODY)``, is entered at every
    position instead: over report text the number and period scans ran 1.3x slower so.
    `body` may not refer back to its own groups (the lookbehind forbids it).
    """
    return f"[{first}](?<=(?=(?:{body}))(?s:.))"


# 〇 (U+3007) is the numeral zero; ○ (U+25CB, white circle) stands in for it in older
# typesetting ("一九八○年", "二百○八所"), so both read as 0.
CN_ZEROS = "零〇○"
CN_DIGITS = "零〇○一二两三四五六七八九"
_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "两": 2}
_SMALL = {"十": 10, "百": 100, "千": 1000}
_BIG = {"万": 10**4, "亿": 10**8}  # 万亿 is 万 times 亿


_YEAR_CHARS = frozenset(_YEAR_SRC := "〇零○一二三四五六七八九")
_YEAR = str.maketrans(_YEAR_SRC, "000123456789")


def year_digits(s: str) -> int | None:
    """A year written digit by digit (二〇一九, 一九八○), or None."""
    if len(s) != 4 or any(c not in _YEAR_CHARS for c in s):
        return None
    return int(s.translate(_YEAR))


def _section(s: str) -> int | None:
    """A value below 万 (一千零五十, 十二, 三千五, 一百十); None when malformed."""
    total, digit, last_unit, zero = 0, None, 10_000, False
    for i, ch in enumerate(s):
        if ch in _SMALL:
            unit = _SMALL[ch]
            if unit >= last_unit:
                return None  # 十十, 百十: units only go down
            if digit is None:
                if unit != 10 or not (i == 0 or zero or last_unit == 100):
                    return None  # 百 and 千 need their digit; 十 alone (十二, 二千零十六) is 一十
                digit = 1
            total += digit * unit
            digit, last_unit, zero = None, unit, False
        elif ch in _DIGIT:
            if digit is not None:
                return None  # 二三十, 五零: a run of digits is no value
            if _DIGIT[ch] == 0:
                if i == 0:
                    return 0 if len(s) == 1 else None
                if last_unit <= 10:
                    return None  # 十零二: a 零 stands only for a skipped 百 or 十
                zero = True
            else:
                digit = _DIGIT[ch]
        else:
            return None
    if zero and digit is None:
        return None  # 三百零: a numeral does not end in 零
    if digit is not None:
        # 三千五 is 3500: a last digit right after a unit counts one place below it;
        # after a 零 (一千零五) it counts units.
        total += digit if zero or last_unit == 10_000 else digit * (last_unit // 10)
    return total


def _wan(s: str) -> int | None:
    """A numeral below 亿: 四千万, 三万五, 一万零五, 一千零五十."""
    head, sep, tail = s.partition("万")
    if not sep:
        return _section(s) if s else None
    hi = _section(head)
    if not hi or "万" in tail:
        return None  # 万 alone, 一千万万
    if not tail:
        return hi * 10_000
    if tail[0] in CN_ZEROS:
        lo = _section(tail.lstrip(CN_ZEROS))  # 一万零五
    elif len(tail) == 1:
        lo = _DIGIT[tail] * 1000 if tail in _DIGIT else None  # 一万五 = 15000
    else:
        lo = _section(tail)
    return None if lo is None else hi * 10_000 + lo


def _integer(s: str) -> int | None:
    """An integer numeral with 万 and 亿 sections: 十二亿四千万, 一亿零七千万, 一万二千亿."""
    head, sep, tail = s.partition("亿")
    if not sep:
        return _wan(s)
    hi = _wan(head)  # 一万二千亿 = 1.2e12
    if not hi or "亿" in tail:
        return None
    if not tail:
        return hi * 10**8
    if tail[0] in CN_ZEROS:
        lo = _wan(tail.lstrip(CN_ZEROS))  # 一亿零七千万
    elif len(tail) == 1:
        lo = _DIGIT[tail] * 10**7 if tail in _DIGIT else None  # 一亿五 = 1.5e8
    elif "万" in tail:
        lo = _wan(tail)  # 一亿三千万
    else:
        lo = None  # 一亿三千: 1.3e8 or 100003000? Written either way; not read as either.
    return None if lo is None else hi * 10**8 + lo


def cn_decimal(s: str) -> Decimal | None:
    """The exact value of a located Chinese numeral, or None when it is not a number."""
    if s == "百":
        return Decimal(100)
    if len(s) > 1 and "点" not in s and not any(c in "十百千万亿" for c in s):
        return None  # 一二三, 九二: a digit string
    whole, dot, frac = s.partition("点")
    if dot:
        if not frac or any(c not in _DIGIT for c in frac):
            return None
        digits = "".join(str(_DIGIT[c]) for c in frac)
        if not whole:
            return None
        w = _integer(whole)
        return None if w is None else Decimal(f"{w}.{digits}")
    v = _integer(s)
    return None if v is None else Decimal(v)


def cn_value(s: str) -> float | None:
    """cn_decimal as a float (the number engine's values are floats)."""
    d = cn_decimal(s)
    return None if d is None else float(d)


def split_scale(s: str) -> tuple[str, str]:
    """Split off the trailing 万/亿 that scale the whole numeral: 三千万 -> (三千, 万).

    A trailing 万 is only a scale when nothing before it is a larger section: 一亿三千万 is
    one number (1.3e8), not 一亿三千 times 万; 三万亿 and 一万二千亿 scale by 亿 (and 万亿).
    """
    k = len(s)
    while k > 1 and s[k - 1] in "万亿":
        k -= 1
    coef, scale = s[:k], s[k:]
    if scale and any(c in "万亿" and _BIG[c] >= _BIG[scale[0]] for c in coef):
        return s, ""
    return coef, scale
