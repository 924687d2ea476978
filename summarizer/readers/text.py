"""Bytes to text: byte-order marks, UTF-8, GB18030/GBK, Big5, UTF-16/32 (charset-normalizer).

`decode_bytes` returns the text with "\\n" line ends and the name of the encoding it was read
in. Bytes that are a PDF, a ZIP (.docx) or a legacy .doc are not text: they are refused with a
message saying what they are (`ingest` hands the first two to their own readers first).
"""

from __future__ import annotations

import codecs
import re

from .. import recache
from ..errors import InputError
from ..lexicon import CJK_RE

__all__ = ["PDF_MAGIC", "ZIP_MAGIC", "decode_bytes", "normalise_newlines"]

PDF_MAGIC, ZIP_MAGIC = b"%PDF-", b"PK\x03\x04"

# Byte-order marks, longest first: the UTF-32 LE mark starts with the UTF-16 LE one.
_BOMS: tuple[tuple[bytes, str, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)

# `ingest` reads PDF and .docx itself; bytes that reach `decode_bytes` with these
# signatures are not text, and the user is told what they are.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (PDF_MAGIC, "is a PDF file, not text; pass the file itself to read_report"),
    (ZIP_MAGIC, "is a ZIP/.docx file, not text; pass the file itself to read_report"),
    (b"\xd0\xcf\x11\xe0", "is a legacy Word (.doc) file; save it as .docx, PDF or text"),
)

# GBK and GB2312 are subsets of GB18030, so one codec reads all three; likewise Big5-HKSCS.
_CODEC_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "cp936": "gb18030",
    "ms936": "gb18030",
    "hz": "gb18030",
    "gb18030": "gb18030",
    "big5": "big5",
    "cp950": "big5",
    "big5hkscs": "big5hkscs",
    "utf_8": "utf-8",
    "utf_16": "utf-16",
    "utf_16_le": "utf-16-le",
    "utf_16_be": "utf-16-be",
    "utf_32": "utf-32",
    "ascii": "utf-8",
}

# "\r\n" or any one line end but "\n", written to open with a class (the "\n" of "\r\n" taken
# by asking back for the "\r"): the engine skips to the next candidate in C, 3x faster than
# with an alternation first.
_LINE_END_RE = recache.compile(r"[\r\f\v\x85\u2028\u2029](?:(?<=\r)\n)?")
# C0 controls other than tab/newline/carriage return mark binary content.
_CONTROL_RE = recache.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# Read only for a file that is not UTF-8: compiled then (re's own cache), not at every start-up.
_META_CHARSET = rb"""charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)"""


def _codec_name(name: str) -> str:
    key = codecs.lookup(name).name.replace("-", "_")
    return _CODEC_ALIASES.get(key, key.replace("_", "-"))


def normalise_newlines(text: str) -> str:
    """Every line end as "\\n"; a leading BOM dropped."""
    # A BOM can survive decoding (e.g. one written through a legacy codec); it is not text.
    return _LINE_END_RE.sub("\n", text.removeprefix("\ufeff"))


def _looks_textual(text: str) -> bool:
    if not text:
        return True
    return len(_CONTROL_RE.findall(text)) <= len(text) // 200


def _try(raw: bytes, codec: str) -> str | None:
    try:
        return raw.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _detect(raw: bytes) -> tuple[str, str] | None:
    """Guess a legacy encoding with charset-normalizer, preferring readings that contain CJK."""
    from charset_normalizer import from_bytes

    fallback: tuple[str, str] | None = None
    for match in from_bytes(raw):
        codec = _codec_name(match.encoding)
        text = _try(raw, codec)
        if text is None and codec == "big5":
            codec = "big5hkscs"
            text = _try(raw, codec)
        if text is None:
            continue
        if CJK_RE.search(text):
            return text, codec
        if fallback is None:
            fallback = (text, codec)
    if fallback is not None:
        return fallback
    # charset-normalizer gives up on very short inputs; the two CJK codecs are the likely ones.
    for codec in ("gb18030", "big5"):
        text = _try(raw, codec)
        if text is not None and CJK_RE.search(text):
            return text, codec
    return None


def decode_bytes(raw: bytes) -> tuple[str, str]:
    """Decode report bytes to text with "\\n" line ends; return (text, encoding name)."""
    for bom, codec, label in _BOMS:
        if raw.startswith(bom):
            text = _try(raw[len(bom) :], codec)
            if text is None:
                raise InputError(f"cannot decode the text as {label} despite its byte-order mark")
            return normalise_newlines(text), label
    for magic, message in _MAGIC:
        if raw.startswith(magic):
            raise InputError(message)
    if b"\x00" in raw:
        # BOM-less UTF-16 is the only text encoding with NUL bytes that we accept.
        for codec in ("utf-16-le", "utf-16-be"):
            text = _try(raw, codec) if len(raw) % 2 == 0 else None
            if text is not None and _looks_textual(text) and CJK_RE.search(text):
                return normalise_newlines(text), "utf-16"
        raise InputError("is a binary file (it contains NUL bytes), not a text report")
    # Strict UTF-8 is by far the commonest case and the cheapest check.
    text = _try(raw, "utf-8")
    if text is not None:
        if not _looks_textual(text):
            raise InputError("is a binary file (control characters), not a text report")
        return normalise_newlines(text), "utf-8"
    found = None
    meta = re.search(_META_CHARSET, raw[:4096], re.I)
    if meta:
        try:
            codec = _codec_name(meta.group(1).decode("ascii"))
        except LookupError:
            codec = ""
        decoded = _try(raw, codec) if codec else None
        if decoded is not None:
            found = (decoded, codec)
    if found is None:
        found = _detect(raw)
    if found is None or not _looks_textual(found[0]):
        raise InputError("cannot decode the text (tried UTF-8, GB18030, Big5, UTF-16)")
    return normalise_newlines(found[0]), found[1]
