"""The administrative-division gazetteer: which strings are real place names, and at what level.

The data is jionlp's `china_location` table (province → city → county → town, with adcodes), a
maintained gazetteer of every division down to towns and streets. Only its data file is read:
importing jionlp itself prints a banner on stdout and loads models we do not need. The table is
parsed once per process, on the first look-up, so runs that never ask pay nothing.

A place is known by its full name (黔东南苗族侗族自治州, 南京市, 罗溪镇) and by the short forms
reports use: the gazetteer's own short name (黔东南, 南京) and that short name with the level word
(黔东南州, 大理州, 阿克苏地区). A name found in a report is a place only if the gazetteer has it;
that is what keeps 发展市, 思想市 and 论坛市 out of the issuer line.
"""

from __future__ import annotations

import importlib.util
import io
import os
import re
import zipfile
from functools import cache
from pathlib import Path
from typing import NamedTuple

from ..lexicon import CJK

__all__ = ["Gazetteer", "Place", "gazetteer"]

# 直辖市 report to the State Council like provinces do.
_MUNICIPALITIES = frozenset({"北京市", "上海市", "天津市", "重庆市"})
_PREFECTURE_END = ("州", "地区", "盟")


class Place(NamedTuple):
    """One administrative division (a tuple: 47,000 of them load in milliseconds)."""

    name: str  # full standard name: 黔东南苗族侗族自治州
    short: str  # 黔东南
    level: str  # province | city | prefecture | district | county | town
    parent: str | None  # the division it belongs to (full name), None for a province
    code: str | None  # adcode when the table gives one (towns have none)


def _level(depth: int, name: str, province: str) -> str:
    if depth == 0 or (depth == 1 and name in _MUNICIPALITIES):
        return "province"
    if depth == 1:
        return "prefecture" if name.endswith(_PREFECTURE_END) else "city"
    if depth == 2:
        return "district" if name.endswith("区") else "county"
    return "town"


def _short(name: str) -> str:
    s = re.sub(rf"(?:[{CJK}]{{1,8}}?族)*(?:自治州|自治区|自治县|自治旗)$", "", name)
    if s != name and len(s) >= 2:
        return s
    s = re.sub(r"(?:特别行政区|地区|街道|新区|市|省|县|区|州|盟|旗|镇|乡)$", "", name)
    return s if len(s) >= 2 else name


class Gazetteer:
    """Every division by full name and by the short forms reports write."""

    def __init__(self, places: list[Place]) -> None:
        self.places = places
        self._by_name: dict[str, list[Place]] = {}
        for p in places:
            for key in self._keys(p):
                self._by_name.setdefault(key, []).append(p)

    @staticmethod
    def _keys(p: Place) -> set[str]:
        keys = {p.name}
        if p.level in ("province", "city", "prefecture", "district", "county"):
            keys.add(p.short)
        if p.level == "prefecture" and p.short != p.name:
            keys.add(p.short + ("州" if p.name.endswith("州") else p.name[-2:]))
        if p.name.endswith(("自治县", "自治旗")):
            keys.add(p.short + p.name[-1])
        return keys

    def lookup(self, name: str) -> list[Place]:
        """Divisions known by this full or short name, highest level first."""
        order = ("province", "prefecture", "city", "district", "county", "town")
        return sorted(self._by_name.get(name, []), key=lambda p: order.index(p.level))

    def is_place(self, name: str) -> bool:
        """True when the gazetteer knows this name."""
        return name in self._by_name

    def names(self) -> set[str]:
        """Every name and short form the gazetteer knows."""
        return set(self._by_name)


def _data_file() -> Path | None:
    spec = importlib.util.find_spec("jionlp")  # locates the package without running it
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "dictionary" / "china_location.zip"
    return path if path.is_file() else None


# Divisions down to towns (at most three tabs deep); villages, four tabs deep, are skipped by
# the pattern itself, so the scan of the 700,000-line table stays in C.
_ROW = re.compile(r"^(\t{0,3})([^\t\r\n]+)(?:\t([0-9]+))?(?:\t([^\t\r\n]+))?\r?$", re.M)


def _parse(raw: str) -> list[Place]:
    out: list[Place] = []
    parents: list[str] = []
    province = ""
    for m in _ROW.finditer(raw):
        depth, name, code, short = len(m.group(1)), m.group(2), m.group(3), m.group(4)
        del parents[depth:]
        if depth == 0:
            province = name
        if depth == 1 and name == province:  # a municipality repeats itself as its own city
            parents.append(name)
            continue
        short = short if short and len(short) >= 2 else _short(name)
        parent = next((p for p in reversed(parents) if p), None)
        out.append(Place(name, short, _level(depth, name, province), parent, code))
        parents.append(name)
    return out


def _split(row: str) -> list[str]:
    return row.split("\t")


def _cache_file(data: Path) -> Path:
    from platformdirs import user_cache_dir

    st = data.stat()
    return Path(user_cache_dir("summarizer")) / f"gazetteer-{st.st_size}-{int(st.st_mtime)}.tsv"


def _load(data: Path) -> list[Place]:
    """The parsed table, from a compact copy in the user cache when there is one.

    Parsing the 3 MB table costs about a second; its 47,000 divisions read back from the
    compact copy in a few tens of milliseconds.
    """
    cached = _cache_file(data)
    try:
        rows = cached.read_text(encoding="utf-8").splitlines()
        return [Place(n, s, lv, p or None, c or None) for n, s, lv, p, c in
                map(_split, rows)]  # fmt: skip
    except (OSError, ValueError):
        pass
    with zipfile.ZipFile(data) as zf, zf.open("china_location.txt") as fh:
        places = _parse(io.TextIOWrapper(fh, encoding="utf-8").read())
    body = "\n".join(f"{p.name}\t{p.short}\t{p.level}\t{p.parent or ''}\t{p.code or ''}"
                     for p in places)  # fmt: skip
    try:  # best effort: a read-only cache only costs the parse next time
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(body, encoding="utf-8")
        os.replace(tmp, cached)
    except OSError:
        pass
    return places


@cache
def gazetteer() -> Gazetteer:
    """The gazetteer, read on first use (an empty one if jionlp's data cannot be found)."""
    path = _data_file()
    return Gazetteer(_load(path) if path is not None else [])
