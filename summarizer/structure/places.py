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
import mmap
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import NamedTuple

from .. import recache
from ..cachedir import keep, used
from ..lexicon import CJK

__all__ = ["Gazetteer", "NameFinder", "Place", "gazetteer"]

# 直辖市 report to the State Council like provinces do.
_MUNICIPALITIES = frozenset({"北京市", "上海市", "天津市", "重庆市"})
_PREFECTURE_END = ("州", "地区", "盟")
# The user cache's copy: this header, the rows' length in bytes, and 1 when each character is
# one UTF-16 unit (a row's offset in characters is then half its offset in bytes).
_CACHE_MAGIC = b"gazetteer4 "
_NL16 = "\n".encode("utf-16-le")
Bytes = bytes | mmap.mmap


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
    """Every division by full name and by the short forms reports write.

    Held as two strings, not 47,000 objects (a fifth of the memory, read in milliseconds):
    `rows`, one division a line ("name\tshort\tlevel\tparent\tcode"), and `index`, one name
    a line ("\nname\toffset,offset"), the offsets being where its divisions' rows start. A
    look-up finds its name's line and builds those divisions (and remembers them).

    Read from the user cache, both stay UTF-16 bytes until a pass over every name needs them
    as strings: a run looks up a handful of names, and decoding the 3 MB took longer than the
    rest of a small report's structure reading. A look-up then finds its name in the bytes.
    """

    def __init__(self, rows: str, index: str) -> None:
        index = index if index.startswith("\n") else "\n" + index
        self._text: tuple[str, str] | None = (rows, index)
        # Or, read from the cache: its bytes, and where the rows and the index start in them.
        self._raw: tuple[Bytes, int, int] | None = None
        self._found: dict[str, list[Place]] = {}

    @property
    def _rows(self) -> str:
        return self._strings()[0]

    @property
    def _index(self) -> str:
        return self._strings()[1]

    def _strings(self) -> tuple[str, str]:
        if self._text is None:
            assert self._raw is not None
            data, r, i = self._raw
            view = memoryview(data)  # each part decoded where it lies, not copied out first
            self._text = (str(view[r:i], "utf-16-le"), str(view[i:], "utf-16-le"))
            self._raw = None
        return self._text

    @classmethod
    def of(cls, places: list[Place]) -> Gazetteer:
        """The gazetteer of these divisions (a name's divisions in this order)."""
        lines: list[str] = []
        offsets: dict[str, list[int]] = {}
        pos = 0
        for p in places:
            for key in cls._keys(p):
                offsets.setdefault(key, []).append(pos)
            line = f"{p.name}\t{p.short}\t{p.level}\t{p.parent or ''}\t{p.code or ''}"
            lines.append(line)
            pos += len(line) + 1
        index = "".join(f"\n{k}\t{','.join(map(str, v))}" for k, v in offsets.items())
        return cls("\n".join(lines), index + "\n")

    def dumps(self) -> bytes:
        """Both strings for the user cache: a header line with the rows' length in bytes, then
        rows and index in UTF-16, which reads back in a fifth of UTF-8's time (no decoding of
        multi-byte sequences, no split of one string into two)."""
        rows = self._rows.encode("utf-16-le")
        units = int(len(rows) == 2 * len(self._rows))  # no character outside the BMP
        head = b"%s%d %d\n" % (_CACHE_MAGIC, len(rows), units)
        return head + rows + self._index.encode("utf-16-le")

    @classmethod
    def loads(cls, data: Bytes) -> Gazetteer:
        head, sep, _ = data[:64].partition(b"\n")
        size, _, units = head.removeprefix(_CACHE_MAGIC).partition(b" ")
        if not sep or not head.startswith(_CACHE_MAGIC) or not size.isdigit():
            raise ValueError("not a gazetteer cache")
        r = len(head) + 1
        i = r + int(size)
        if (len(data) - r) % 2 or int(size) % 2 or data[i : i + 2] != _NL16:
            raise ValueError("not a gazetteer cache")
        if data[-2:] != _NL16 or units not in (b"0", b"1"):
            raise ValueError("not a gazetteer cache")
        g = cls("", "")
        g._text, g._raw = None, (data, r, i)
        if units == b"0":
            g._strings()  # offsets in characters are not half those in bytes: read as strings
        return g

    @staticmethod
    def _keys(p: Place) -> list[str]:
        keys = {p.name: None}  # a dict keeps the order the keys are made in
        if p.level in ("province", "city", "prefecture", "district", "county"):
            keys[p.short] = None
        if p.level == "prefecture" and p.short != p.name:
            keys[p.short + ("州" if p.name.endswith("州") else p.name[-2:])] = None
        if p.name.endswith(("自治县", "自治旗")):
            keys[p.short + p.name[-1]] = None
        return list(keys)

    def _row(self, offset: int) -> Place:
        if self._raw is None:
            end = self._rows.find("\n", offset)
            line = self._rows[offset : end if end >= 0 else None]
        else:  # every character one UTF-16 unit (loads): the row is at twice its offset
            data, r, i = self._raw
            a = r + 2 * offset
            end = _find16(data, _NL16, a, i)
            line = data[a : end if end >= 0 else i].decode("utf-16-le")
        n, s, lv, parent, code = line.split("\t")
        return Place(n, s, lv, parent or None, code or None)

    def _places(self, name: str) -> list[Place]:
        found = self._found.get(name)
        if found is None:
            found = []
            if name and "\t" not in name and "\n" not in name:
                offsets = self._offsets(name)
                if offsets is not None:
                    found = [self._row(int(o)) for o in offsets.split(",")]
            self._found[name] = found
        return found

    def _offsets(self, name: str) -> str | None:
        """The offsets of the rows of the divisions known by `name` ("12,345"), or None."""
        if self._raw is None:
            k = self._index.find(f"\n{name}\t")
            if k < 0:
                return None
            k += len(name) + 2
            return self._index[k : self._index.index("\n", k)]
        data, _, i = self._raw
        key = f"\n{name}\t".encode("utf-16-le")
        k = _find16(data, key, i)
        if k < 0:
            return None
        k += len(key)
        return data[k : _find16(data, _NL16, k)].decode("utf-16-le")

    def lookup(self, name: str) -> list[Place]:
        """Divisions known by this full or short name, highest level first."""
        order = ("province", "prefecture", "city", "district", "county", "town")
        return sorted(self._places(name), key=lambda p: order.index(p.level))

    def is_place(self, name: str) -> bool:
        """True when the gazetteer knows this name."""
        return bool(self._places(name))

    def names(self) -> set[str]:
        """Every name and short form the gazetteer knows."""
        return {line.partition("\t")[0] for line in self._index.split("\n") if line}

    def names_where(self, test: Callable[[Place], bool]) -> set[str]:
        """Every name or short form that some division passing `test` is known by."""
        return self.names_by({"": test})[""]

    def names_by(
        self, tests: Mapping[str, Callable[[Place], bool]], levels: Collection[str] | None = None
    ) -> dict[str, set[str]]:
        """names_where for several tests in one pass (each division is built once).

        With `levels`, only the divisions of those levels are read (and tested): the rows of
        the other levels are skipped by one scan in C, so asking for the 3,000 divisions above
        the towns costs nothing like building all 47,000.
        """
        out: dict[str, set[str]] = {k: set() for k in tests}
        if levels is not None:
            # A division passing a test adds every name it is known by: the index holds each
            # of its keys (Gazetteer.of), so that is the set the index scan below would find.
            for m in _rows_of(tuple(sorted(levels))).finditer(self._rows):
                row = self._row(m.start())
                for k, test in tests.items():
                    if test(row):
                        out[k].update(self._keys(row))
            return out
        built: dict[int, Place] = {}  # built for this pass only, then let go
        for line in self._index.split("\n"):
            key, _, offsets = line.partition("\t")
            if not offsets:
                continue
            places = []
            for o in map(int, offsets.split(",")):
                p = built.get(o)
                places.append(p if p is not None else built.setdefault(o, self._row(o)))
            for k, test in tests.items():
                if any(map(test, places)):
                    out[k].add(key)
        return out


def _find16(data: Bytes, key: bytes, start: int, end: int | None = None) -> int:
    """The first place of UTF-16 units `key` in `data` at or after `start` (before `end`) that
    lies on a unit's boundary counted from `start` (a byte match may straddle two units)."""
    stop = len(data) if end is None else end  # mmap.find takes no None
    k = data.find(key, start, stop)
    while k >= 0 and (k - start) % 2:
        k = data.find(key, k + 1, stop)
    return k


@cache
def _rows_of(levels: tuple[str, ...]) -> re.Pattern[str]:
    """The rows ("name\tshort\tlevel\t…") of divisions at these levels."""
    return recache.compile(rf"^[^\t\n]*\t[^\t\n]*\t(?:{'|'.join(map(re.escape, levels))})\t", re.M)


class NameFinder:
    """Finds, left to right, the longest of a set of names starting at each position; given
    several sets, each set's own matches, from one scan of the text.

    The same matches as an alternation of a set's names longest first (a regex of thousands of
    names cost a quarter of a second to compile): an Aho-Corasick automaton (ahocorasick-rs,
    built in milliseconds) lists every place of every name in one pass, and each set's matches
    are read off that list leftmost-longest. The issuer search counts a city report's names at
    three levels: one scan, not three.
    """

    def __init__(self, *sets: Iterable[str]) -> None:
        import ahocorasick_rs  # the issuer search needs it only when no cue names the place

        groups = [set(names) for names in sets]
        self._names = sorted(set().union(*groups))
        index = {n: i for i, n in enumerate(self._names)}
        self._members: list[bytearray] = []
        for group in groups:
            member = bytearray(len(self._names))
            for n in group:
                member[index[n]] = 1
            self._members.append(member)
        self._ac = ahocorasick_rs.AhoCorasick(self._names)  # every place, overlapping too

    def each(self, text: str) -> list[list[tuple[int, int, str]]]:
        """Per set, in order: (start, end, name) of its matches in text order, none overlapping."""
        found = self._ac.find_matches_as_indexes(text, overlapping=True)
        found.sort(key=lambda m: (m[1], -m[2]))  # leftmost first, then longest first
        out: list[list[tuple[int, int, str]]] = []
        for member in self._members:
            pos, matches = 0, []
            for i, a, b in found:
                if a >= pos and member[i]:
                    matches.append((a, b, self._names[i]))
                    pos = b
            out.append(matches)
        return out

    def finditer(self, text: str) -> Iterator[tuple[int, int, str]]:
        """(start, end, name) of each match of the first set, in text order, none overlapping."""
        yield from self.each(text)[0] if self._members else ()


def _data_file() -> Path | None:
    spec = importlib.util.find_spec("jionlp")  # locates the package without running it
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "dictionary" / "china_location.zip"
    return path if path.is_file() else None


# Divisions down to towns (at most three tabs deep); villages, four tabs deep, are skipped by
# the pattern itself, so the scan of the 700,000-line table stays in C.
_ROW = recache.compile(r"^(\t{0,3})([^\t\r\n]+)(?:\t([0-9]+))?(?:\t([^\t\r\n]+))?\r?$", re.M)


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


def _cache_file(data: Path) -> Path:
    from ..cachedir import user_cache

    st = data.stat()
    return user_cache(f"gazetteer4-{st.st_size}-{int(st.st_mtime)}.bin")


def _load(data: Path) -> Gazetteer:
    """The parsed table, from a compact copy in the user cache when there is one.

    Parsing the 3 MB table costs about a second; the compact copy reads back in milliseconds.
    """
    cached = _cache_file(data)
    try:
        # Mapped, not read: a run looks at a few pages of the 3 MB (the file is replaced by a
        # rename, never rewritten in place, so the mapping stays what was read).
        with cached.open("rb") as f:
            found = Gazetteer.loads(mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ))
        used(cached)  # kept while in use when other versions' copies are pruned
        return found
    except (OSError, ValueError):  # ValueError: empty, or not a gazetteer cache
        pass
    import zipfile  # the table itself only when the cache has no copy: a millisecond to import

    with zipfile.ZipFile(data) as zf, zf.open("china_location.txt") as fh:
        found = Gazetteer.of(_parse(io.TextIOWrapper(fh, encoding="utf-8").read()))
    # best effort: a read-only cache only costs the parse next time
    keep(cached, found.dumps(), family="gazetteer*-*")
    return found


@cache
def gazetteer() -> Gazetteer:
    """The gazetteer, read on first use (an empty one if jionlp's data cannot be found)."""
    path = _data_file()
    return _load(path) if path is not None else Gazetteer.of([])
