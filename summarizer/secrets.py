"""The API key never leaves the process: the one place that knows secrets and scrubs them.

An endpoint may echo the key back (in an error message, or inside a 200 answer), and from there
it could reach an error line, a `--debug` traceback, a log record, the response cache, a
`--record` file or the brief itself. Every such exit runs its text through `scrub`; the key is
registered once, when the settings are loaded.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

__all__ = ["MASK", "register", "scrub", "scrub_bytes", "scrub_json"]

MASK = "***"
# Shorter strings are not keys, and replacing them would garble ordinary text.
MIN_SECRET = 6
_secrets: set[str] = set()
_factory_installed = False


def register(secret: str | None) -> None:
    """Remember a secret (its URL-encoded and base64 forms too) so that `scrub` removes it."""
    if not secret or len(secret) < MIN_SECRET:
        return
    _secrets.update({secret, quote(secret, safe=""), *_base64_forms(secret)})
    _install_log_scrubber()


def _base64_forms(secret: str) -> set[str]:
    """The key as it reads inside any base64 text (an endpoint echoing an encoded header).

    Within a longer encoded string the key starts at one of three bit alignments; for each,
    the characters that encode the key's bits alone (not its neighbours'), standard and
    URL-safe alphabets.
    """
    import base64  # only when a key is registered (the live engine): not every start-up

    raw = secret.encode("utf-8")
    forms = set()
    for pad in range(3):
        encoded = base64.b64encode(b"\0" * pad + raw).decode("ascii")
        core = encoded[-(-8 * pad // 6) : 8 * (pad + len(raw)) // 6]  # whole 6-bit groups
        if len(core) >= MIN_SECRET:
            forms.update({core, core.translate(str.maketrans("+/", "-_"))})
    return forms


def scrub(text: str) -> str:
    """text with every registered secret replaced by ***."""
    for s in sorted(_secrets, key=len, reverse=True):  # longest first: a form may contain another
        if s in text:
            text = text.replace(s, MASK)
    return text


def scrub_bytes(data: bytes) -> bytes:
    """UTF-8 `data` with every registered secret replaced by ***: what `scrub` does to its text.

    A UTF-8 form can only match at a character boundary, so the bytes of a secret occur exactly
    where the secret occurs in the decoded text."""
    for s in sorted(_secrets, key=len, reverse=True):
        form = s.encode("utf-8", "surrogatepass")
        if form in data:
            data = data.replace(form, MASK.encode())
    return data


def scrub_json(value: Any) -> Any:
    """A JSON value with every string (keys too) scrubbed."""
    if not _secrets:
        return value
    if isinstance(value, str):
        return scrub(value)
    if isinstance(value, dict):
        return {scrub_json(k): scrub_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub_json(v) for v in value]
    return value


def _install_log_scrubber() -> None:
    # A record factory sees every record of every logger (the SDK's included) before any
    # handler formats it, which a logger filter would not (filters do not see propagated records).
    global _factory_installed
    if _factory_installed:
        return
    import logging  # only once a key is registered: an offline run logs nothing

    make = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make(*args, **kwargs)
        try:
            record.msg, record.args = scrub(record.getMessage()), None
        except Exception:  # a record that cannot be formatted is left for logging to report
            pass
        return record

    logging.setLogRecordFactory(factory)
    _factory_installed = True
