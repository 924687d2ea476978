"""Find text injected into a report: gambling SEO spam, links, contacts, and orders to a model.

Government web pages get hacked to carry gambling spam (a casino's name pasted in place of the
town's), and any text a user pastes may carry instructions aimed at the model. Neither is the
report's own words. Detection works by category and anomaly, not by a list of known strings:

* gambling vocabulary (赌场, 娱乐城, 博彩, 百家乐, 六合彩, casino, bet …), unless the clause is
  about fighting gambling (打击赌博, 捣毁赌场);
* a gambling hub's name (澳门, 新葡京, 威尼斯人, 太阳城 …) glued to a brand run that ends in a
  gambling or brand word (现金, 娱乐, 真人, 棋牌, 官网 …);
* a string that is not a place name where the issuer's name belongs ("在X第三届人民代表大会",
  "代表X人民政府", "欢迎访问X人民政府网站"), judged by the shape of Chinese place names and by
  the report's own usage of the place name without the prefix;
* web links and QQ / WeChat / mobile-phone contacts inside the body;
* instructions to a model (summarizer/injection.py: found after normalising, by category; only
  the injected span, never the genuine clause before it): kind ``prompt_injection``.

Every string flagged once is also flagged wherever else it occurs, since injected strings
repeat. The screen stage (summarizer/screen.py) deletes what `scan` flags.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from . import recache
from .fastscan import gated, presence
from .injection import find_injections
from .lazyre import lazy
from .lexicon import (
    CJK,
    GAMBLING,
    GAMBLING_HUBS,
    GAMBLING_LATIN,
    GAMBLING_ZH,
    PLACE_SUFFIX,
    SPAM_BRAND_END,
)
from .structure.places import gazetteer

__all__ = ["CUE_RE", "LABELS", "OFFICIAL_RE", "Finding", "scan"]

# Categories and what a reader is told about each.
LABELS = {
    "gambling": "赌博广告词",
    "issuer": "发布机关名称处的非地名文字",
    "url": "网址",
    "contact": "联系方式",
    "injection": "写给模型的指令",
}
MAX_WARNINGS = 20  # distinct flagged strings reported one by one; the rest are counted


@dataclass(frozen=True)
class Finding:
    """One flagged span of the scanned text."""

    kind: str  # "spam" or "prompt_injection"
    category: str  # a key of LABELS
    start: int
    end: int
    text: str


# ---------------------------------------------------------------- vocabularies

# Words that make a gambling noun the subject of law enforcement rather than an advert.
_ENFORCEMENT = lazy(
    r"打击|整治|查处|取缔|严禁|禁止|禁赌|防范|治理|捣毁|破获|侦破|抓获|查获|端掉|摧毁|涉赌|涉|非法|"
    r"违法|犯罪|跨境|遏制|清理|专项|整顿|举报|依法|宣传"
)
# Patterns whose every branch opens with a literal let the regex engine skip ahead fast; the
# Latin ones cannot, so they run only when a cheap substring test says they may match
# (10 MB of report text is screened in well under a second).
_GAMBLING_ZH_RE = recache.compile(GAMBLING_ZH)
_GAMBLING_LATIN_RE = recache.compile(GAMBLING_LATIN, re.I)
_GAMBLING_LATIN_HINTS = ("casino", "bet", "sportsbook", "poker", "pk10")
_CRIME_AFTER = recache.compile(r"犯罪|案|团伙|窝点|人员")
_HUB = (
    rf"(?:{GAMBLING_HUBS})[{CJK}A-Za-z0-9]{{0,4}}?"
    rf"(?:{GAMBLING}|(?:{SPAM_BRAND_END})(?:[场城厅网]|官网|平台|集团)?)"
)
_HUB_RE = recache.compile(_HUB, re.I)
CUE_RE = recache.compile(rf"(?:{GAMBLING_HUBS})|{GAMBLING}", re.I)

# Official phrases around the issuer's name; x is what the name should be.
_NUM = r"[一二三四五六七八九十百零〇\d]{1,4}"


def _x(n: int) -> str:
    return rf"(?P<x{n}>[^\s，。,;；:：、“”\"'《》在日]{{1,24}}?)"


OFFICIAL_RE = recache.compile(
    rf"在{_x(1)}第{_NUM}届人民代表大会"
    rf"|代表{_x(2)}人民政府"
    rf"|欢迎(?:访问|来到|光临){_x(3)}(?:人民)?政府(?:门户)?网站?"
    rf"|主办单位[:：]?\s*{_x(4)}(?:人民)?政府"
)
# A chain of place names: a name of up to four characters (a bare 镇 or 区 too) and its
# administrative unit, optionally with a parenthesised alias ("空港产业园（罗溪镇）").
_UNIT = rf"(?:{PLACE_SUFFIX}|园区|新区|开发区|管委会)"  # and the parks' administrations
_PLACE_RE = recache.compile(
    rf"(?:(?:[{CJK}]{{0,4}}{_UNIT}|[{CJK}]{{2,8}}(?:园|区))(?:[（(][{CJK}]{{1,8}}[）)])?)+"
)
_ADMIN_END_RE = lazy(rf"{_UNIT}(?:[（(][^）)]*[）)])?$")

_URL_RE = lazy(
    r"(?:https?://|www\.)[A-Za-z0-9][A-Za-z0-9.\-]*(?:/[^\s，。；、“”（）()<>]*)?"
    r"|(?<![A-Za-z0-9@.\-])[A-Za-z0-9][A-Za-z0-9\-]{0,62}\."
    r"(?:com|net|cc|vip|top|xyz|info|me|tv|bet|club|win|app|io|co)(?![A-Za-z0-9])",
    re.I,
)
_OFFICIAL_HOST_RE = recache.compile(r"\.(?:gov|gov\.cn|edu\.cn|org\.cn)(?:/|$)|12371\.cn", re.I)
# "1(?<!\d1)": a mobile number not inside a longer number, written so that the pattern opens
# with a literal (fast to scan for).
_CONTACT = (
    r"(?:QQ|qq|Qq|扣扣|企鹅|微信|威信|薇信|V信|v信|VX|vx|Vx|WX|wx|WeChat|wechat|Wechat|加V|加v|加微)"
    r"(?:号|號)?\s*[:：]?\s*[A-Za-z0-9_\-]{5,20}(?![A-Za-z0-9_\-])|1(?<!\d1)[3-9]\d{9}(?!\d)"
)
_CONTACT_RE = gated(_CONTACT)  # a first-character gate: the alternation opens with a group
_CONTACT_ANY = presence(_CONTACT)  # whether there is one at all (fastscan.presence)
_URL_HINTS = ("www.", "://", ".com", ".net", ".cc", ".vip", ".top", ".xyz", ".info", ".me",
              ".tv", ".bet", ".club", ".win", ".app", ".io", ".co")  # fmt: skip


# ---------------------------------------------------------------- detectors


def _hints(hints: Sequence[str]) -> str:
    return "|".join(map(re.escape, hints))


def _hint_re(hints: Sequence[str]) -> re.Pattern[str]:
    """A cheap gate in front of a slow pattern: any hint, in any case (no lowered copy of a
    10 MB text); a presence test (fastscan), since an IGNORECASE alternation is otherwise
    tried at every position."""
    return presence(_hints(hints), re.I)


_GAMBLING_LATIN_GATE = _hint_re(_GAMBLING_LATIN_HINTS)
_URL_GATE = _hint_re(_URL_HINTS)
# Whether any gambling word or hub, or any link's hint, is in the text at all, asked first: a
# report holds none, and this one scan of their union (in any case: it finds whatever any of
# them finds, and more) costs a third of the four it spares.
_SPAM_ANY = presence(
    f"{_HUB}|{GAMBLING_ZH}|{_hints(_GAMBLING_LATIN_HINTS)}|{_hints(_URL_HINTS)}", re.I
)


def _iter(
    text: str, lo: int, hi: int, first: re.Pattern[str], second: re.Pattern[str] | None
) -> list[re.Match[str]]:
    found = list(first.finditer(text, lo, hi))
    if second is not None:
        found += second.finditer(text, lo, hi)
    return sorted(found, key=lambda m: m.start())


def _gambling(text: str) -> Iterator[tuple[int, int]]:
    """Gambling nouns not governed by an enforcement word, and hub-name brand runs."""
    lo, hi = 0, len(text)
    for m in _HUB_RE.finditer(text, lo, hi):
        yield m.span()
    latin = _GAMBLING_LATIN_GATE.search(text) is not None
    for m in _iter(text, lo, hi, _GAMBLING_ZH_RE, _GAMBLING_LATIN_RE if latin else None):
        a = m.start()
        clause = max(text.rfind(ch, max(lo, a - 16), a) for ch in "，。；,;\n")
        after = text[m.end() : m.end() + 6]
        if _ENFORCEMENT.search(text, clause + 1, a) or _CRIME_AFTER.match(after):
            continue
        yield m.span()


_SHORT_UNITS = ("街道", "镇", "乡", "区", "县", "市")
_MAX_OFFICIAL = 500  # official phrases examined per report; more is not a report's header


class _PlaceCounts:
    """How often a candidate place name (2-4 characters and a unit) occurs in the text.

    Every length counts at every unit, since Chinese has no word breaks to tell "郑陆镇" from
    "陆镇"; a real name also occurs where nothing is glued before it. Counted on demand, one
    name at a time (overlapping occurrences too): most reports never ask, since the gazetteer
    knows their issuer.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._known: dict[str, int] = {}

    def __call__(self, key: str) -> int:
        if key not in self._known:
            self._known[key] = self._count(key)
        return self._known[key]

    def _count(self, key: str) -> int:
        unit = next((u for u in _SHORT_UNITS if key.endswith(u)), None)
        if unit is None or not 2 <= len(key) - len(unit) <= 4:
            return 0
        n, k = 0, self.text.find(key)
        while k >= 0:
            n += 1
            k = self.text.find(key, k + 1)
        return n


def _issuer(text: str) -> Iterator[tuple[int, int]]:
    """Non-place strings where an official phrase names its issuer."""
    counts = _PlaceCounts(text)
    seen: dict[str, int] = {}
    for k, m in enumerate(OFFICIAL_RE.finditer(text)):
        if k >= _MAX_OFFICIAL:
            break
        name = next(g for g in ("x1", "x2", "x3", "x4") if m.group(g) is not None)
        a, b = m.span(name)
        x = text[a:b]
        place_like = _PLACE_RE.fullmatch(x) is not None
        if place_like and not x.endswith(_SHORT_UNITS) and not CUE_RE.search(x):
            continue  # "常州空港产业园（罗溪镇）"
        if gazetteer().is_place(x):
            continue  # "内蒙古自治区": the gazetteer knows it, whatever the report's own usage
        # A place-shaped name may still be "brand + place" ("亚冠郑陆镇"): the report's own
        # usage tells, when it names the place far more often without the prefix.
        if x not in seen:
            seen[x] = text.count(x)
        cut = _injected_prefix(x, counts, seen[x])
        if cut:
            yield a, a + cut
        elif CUE_RE.search(x) or not place_like:
            yield a, b  # no place name at all ("欢迎访问<casino>人民政府网站")


def _injected_prefix(x: str, counts: _PlaceCounts, total: int) -> int:
    """Length of a non-place prefix of x glued before a place the report names on its own."""
    unit = next((u for u in _SHORT_UNITS if x.endswith(u)), None)
    if unit is None:
        return 0
    for n in (4, 3, 2):  # the longest independent name wins: "金城镇", not "城镇"
        if len(x) <= n + len(unit):
            continue
        rest = x[-(n + len(unit)) :]
        if counts(rest) <= total:
            continue  # the place never occurs without this prefix: it is part of the name
        prefix = x[: -len(rest)]
        if CUE_RE.search(prefix):
            return len(prefix)
        if (
            _ADMIN_END_RE.search(prefix)
            or any(counts(prefix + u) for u in _SHORT_UNITS)
            or gazetteer().is_place(prefix)
        ):
            return 0  # "常州市郑陆镇", "常州郑陆镇": a chain of places
        return len(prefix) if len(prefix) >= 2 else 0
    return 0


def _urls(text: str) -> Iterator[tuple[int, int]]:
    if not _URL_GATE.search(text):
        return
    for m in _URL_RE.finditer(text):
        if not _OFFICIAL_HOST_RE.search(m.group()):
            yield m.span()


# ---------------------------------------------------------------- scanning


def _merge(spans: Iterable[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Union of overlapping or touching spans; the first category of a merged run wins."""
    out: list[tuple[int, int, str]] = []
    for a, b, cat in sorted(spans):
        if out and a <= out[-1][1]:
            pa, pb, pcat = out[-1]
            out[-1] = (pa, max(pb, b), pcat)
        else:
            out.append((a, b, cat))
    return out


def _spread(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Flag every other occurrence of each flagged string: injected strings repeat."""
    extra = []
    for s in {(text[a:b], cat) for a, b, cat in spans if b - a >= 3}:
        k = text.find(s[0])
        while k >= 0:
            extra.append((k, k + len(s[0]), s[1]))
            k = text.find(s[0], k + 1)
    return _merge([*spans, *extra])


def scan(text: str, body: bool = True) -> list[Finding]:
    """Every injected span of `text`, in order; `body=False` skips links and contacts."""
    rare = _SPAM_ANY.search(text) is not None  # else neither gambling nor a link is there
    spam: list[tuple[int, int, str]] = (
        [(a, b, "gambling") for a, b in _gambling(text)] if rare else []
    )
    spam += [(a, b, "issuer") for a, b in _issuer(text)]
    if body:
        spam += [(a, b, "url") for a, b in _urls(text)] if rare else []
        if _CONTACT_ANY.search(text):
            spam += [(a, b, "contact") for a, b in (m.span() for m in _CONTACT_RE.finditer(text))]
    out = [Finding("spam", cat, a, b, text[a:b]) for a, b, cat in _spread(text, spam)]
    injections = _merge((a, b, "injection") for a, b in find_injections(text))
    out += [Finding("prompt_injection", cat, a, b, text[a:b].strip()) for a, b, cat in injections]
    return sorted(out, key=lambda f: (f.start, f.end))
