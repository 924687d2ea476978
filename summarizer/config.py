"""Settings: one frozen value object built from flags, then the environment, then defaults."""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlparse

from .chunking import DEFAULT_CHUNK_CHARS
from .errors import UsageError
from .secrets import register as register_secret

ENGINES = ("auto", "llm", "rules")
MODES = ("auto", "tools", "json", "md_json", "json_schema")
DEFAULT_MODEL = "gpt-4o-mini"


@dataclass(frozen=True)
class Settings:
    """Everything a run needs to know; the API key is kept out of repr and never written."""

    engine: str = "auto"
    model: str = DEFAULT_MODEL
    base_url: str | None = None
    api_key: str | None = field(default=None, repr=False)
    mode: str = "auto"
    concurrency: int = 4
    rpm: float | None = None  # optional cap on requests per minute
    timeout: float = 120.0
    reasks: int = 2
    http_retries: int = 4
    chunk_chars: int = DEFAULT_CHUNK_CHARS
    temperature: float = 0.0
    strict: bool = False
    record_dir: Path | None = None
    replay_dir: Path | None = None
    cache_dir: Path | None = None  # None: no response cache
    prices_file: Path | None = None  # JSON price table overriding the built-in one
    place: str | None = None  # --place: the issuing place, whatever the report says
    year: int | None = None  # --year: the plan year (a 2024 report plans 2024)

    def __post_init__(self) -> None:
        # A Settings is valid whoever builds it (flags, a test, a library caller):
        # Settings(engine="rulez") is a usage error, not the live engine in disguise.
        _check_values(self)

    def with_(self, **changes: object) -> Settings:
        """A copy with some fields changed."""
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def has_endpoint(self) -> bool:
        """True when a live model is configured (a key or a base URL)."""
        return bool(self.api_key or self.base_url)

    def resolved_engine(self) -> str:
        """The engine `auto` stands for: the live model when an endpoint is configured."""
        if self.engine != "auto":
            return self.engine
        return "llm" if (self.has_endpoint or self.replay_dir) else "rules"


def load_settings(env: Mapping[str, str] | None = None, **flags: object) -> Settings:
    """Build Settings from flags (None means unset), falling back to the environment."""
    env = os.environ if env is None else env
    given = {k: v for k, v in flags.items() if v is not None}
    values: dict[str, object] = {
        "model": env.get("SUMMARIZER_MODEL") or DEFAULT_MODEL,
        "base_url": env.get("OPENAI_BASE_URL") or None,
        "api_key": env.get("OPENAI_API_KEY") or None,
    }
    no_cache = bool(given.pop("no_cache", False))
    if no_cache:
        given.pop("cache_dir", None)
        values["cache_dir"] = None
    else:
        values["cache_dir"] = default_cache_dir(env)
    for name in ("cache_dir", "record_dir", "replay_dir", "prices_file"):
        if isinstance(given.get(name), str):
            given[name] = Path(given[name])  # type: ignore[arg-type]
    if env.get("SUMMARIZER_PRICES"):
        values["prices_file"] = Path(env["SUMMARIZER_PRICES"])
    if env.get("SUMMARIZER_CONCURRENCY"):
        values["concurrency"] = _positive_int(
            env["SUMMARIZER_CONCURRENCY"], "SUMMARIZER_CONCURRENCY"
        )
    values.update(given)
    settings = Settings(**values)  # type: ignore[arg-type]
    register_secret(settings.api_key)
    _check(settings)
    return settings


def default_cache_dir(env: Mapping[str, str]) -> Path:
    """Where responses are cached: $SUMMARIZER_CACHE_DIR, else the user's cache directory."""
    if env.get("SUMMARIZER_CACHE_DIR"):
        return Path(env["SUMMARIZER_CACHE_DIR"])
    from .cachedir import user_cache

    return user_cache("responses")


def _positive_int(raw: str, name: str) -> int:
    try:
        n = int(raw)
    except ValueError:
        raise UsageError(f"{name} must be a whole number, not {raw!r}") from None
    if n < 1:
        raise UsageError(f"{name} must be at least 1")
    return n


# Sensible ranges of the numeric settings: (flag, lowest, highest). Beyond them a value is a
# typo or an attack (--rpm 1e-300 would wait 6e301 s, --timeout nan never times out).
RANGES = {
    "concurrency": ("--concurrency", 1, 256),
    "rpm": ("--rpm", 0.1, 1_000_000),
    "timeout": ("--timeout", 0.1, 86_400),
    "chunk_chars": ("--chunk-chars", 200, 1_000_000),
    "reasks": ("re-asks", 0, 10),
    "http_retries": ("HTTP retries", 0, 20),
    "temperature": ("temperature", 0.0, 2.0),
}


def _check_ranges(s: Settings) -> None:
    for name, (flag, lo, hi) in RANGES.items():
        value = getattr(s, name)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise UsageError(f"{flag} must be a number, not {value!r}")
        if not math.isfinite(value) or not lo <= value <= hi:
            raise UsageError(f"{flag} must be between {lo:g} and {hi:g}, not {value:g}")


def _check_endpoint(s: Settings) -> None:
    if not s.model.strip() or any(c.isspace() or not c.isprintable() for c in s.model):
        raise UsageError(f"--model {s.model!r}: a model name is one word, not empty")
    if s.base_url is not None:
        try:
            url = urlparse(s.base_url)
            scheme, host = url.scheme, url.hostname
        except ValueError:  # an unparseable port or IPv6 literal
            scheme, host = "", None
        if scheme not in ("http", "https") or not host:
            raise UsageError(f"--base-url {s.base_url!r}: not an http(s)://host URL")


def _check_values(s: Settings) -> None:
    """The checks a Settings makes of itself: known names, numbers in range, one recording mode."""
    if s.engine not in ENGINES:
        raise UsageError(f"unknown engine {s.engine!r}: choose one of {', '.join(ENGINES)}")
    if s.mode not in MODES:
        raise UsageError(f"unknown mode {s.mode!r}: choose one of {', '.join(MODES)}")
    _check_ranges(s)
    _check_endpoint(s)
    if s.year is not None and (
        isinstance(s.year, bool) or not isinstance(s.year, int) or not 1949 <= s.year <= 2100
    ):
        raise UsageError("--year must be a plan year such as 2024")
    if s.place is not None and not s.place.strip():
        raise UsageError("--place must name a place, e.g. 南京市")
    if s.record_dir and s.replay_dir:
        raise UsageError("--record and --replay cannot be used together")


MAX_PLACE = 40  # characters of --place: the longest official name (自治州, 自治县) is under 20


def _check(s: Settings) -> None:
    """What load_settings checks of the machine as well: files named, an endpoint for llm."""
    if s.place is not None and not (s.place.isprintable() and 0 < len(s.place) <= MAX_PLACE):
        # A control character (a terminal escape) would reach every brief and the screen.
        raise UsageError(f"--place {s.place[:MAX_PLACE]!r}: not a place name")
    if s.prices_file is not None:
        from .pricing import load_prices

        load_prices(s.prices_file)  # a bad price file is a usage error now, not after the work
    if s.replay_dir and not Path(s.replay_dir).is_dir():
        raise UsageError(f"--replay {s.replay_dir}: no such directory of recordings")
    if s.engine == "llm" and not (s.has_endpoint or s.replay_dir):
        raise UsageError(
            "No key found — set OPENAI_API_KEY or pass --base-url (or use --engine rules)"
        )
