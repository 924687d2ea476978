"""Token prices per model, for the cost figures in `meta.usage` and the closing table.

Prices are US dollars per million tokens (input, output), as published by the providers when
this table was written; they change, so a user can override or extend them with a JSON file
`{"model-name": [input_per_million, output_per_million]}` named by `--prices FILE` or the
environment variable SUMMARIZER_PRICES. A model with no price costs 0 and is shown as "—".

Requests sent through a provider's Batch API (`--via batch`) are billed at the batch price: half
the live price unless the price file gives it as two more numbers,
`{"model-name": [input, output, batch_input, batch_output]}`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from pathlib import Path

from .errors import UsageError
from .regular import read_regular_text

# Dollars per million tokens (input, output) by model name.
Prices = Mapping[str, tuple[float, float]]

DEFAULT_PRICES: dict[str, tuple[float, float]] = {
    "gpt-4o-mini": (0.15, 0.60),
    "gpt-4o": (2.50, 10.00),
    "gpt-4.1-mini": (0.40, 1.60),
    "gpt-4.1": (2.00, 8.00),
    "deepseek-chat": (0.27, 1.10),
    "deepseek-reasoner": (0.55, 2.19),
    "qwen-plus": (0.40, 1.20),
    "qwen-max": (1.60, 6.40),
}
# The providers' Batch APIs (OpenAI, DashScope/Bailian) bill half the live price.
MAX_PRICE_FILE = 1024 * 1024  # bytes: a price table is a few lines
BATCH_DISCOUNT = 0.5
# Characters per prompt token, for estimates before a run (--dry-run): about 1.7 for this mix of
# Chinese report text and English JSON schema; an estimate, the endpoint's `usage` is the truth.
CHARS_PER_TOKEN = 1.7


def load_prices(path: str | Path | None, batch: bool = False) -> dict[str, tuple[float, float]]:
    """The default table, overridden by a JSON price file when one is given.

    With `batch`, the Batch API prices: the file's third and fourth numbers when it gives them,
    else half the live price.
    """
    prices = {m: _batch_of(p) if batch else p for m, p in DEFAULT_PRICES.items()}
    if not path:
        return prices
    try:
        # A FIFO or /dev/zero named as the table would block or never end.
        data = json.loads(read_regular_text(path, MAX_PRICE_FILE))
        for model, entry in data.items():
            pair = (_price(entry[0]), _price(entry[1]))
            if batch:
                given = (_price(entry[2]), _price(entry[3])) if len(entry) >= 4 else None
                pair = given or _batch_of(pair)
            prices[str(model)] = pair
    # RecursionError: JSON nested deeper than the parser's stack ([[[[…).
    except (
        OSError,
        ValueError,
        TypeError,
        IndexError,
        AttributeError,
        KeyError,
        RecursionError,
    ) as e:
        raise UsageError(
            f"{path}: not a price file ({type(e).__name__}); expected "
            '{"model": [input_usd_per_million, output_usd_per_million]}'
        ) from None
    return prices


def _batch_of(live: tuple[float, float]) -> tuple[float, float]:
    return (live[0] * BATCH_DISCOUNT, live[1] * BATCH_DISCOUNT)


def estimate_tokens(chars: int) -> int:
    """Estimated prompt tokens for a number of characters of prompt."""
    return math.ceil(chars / CHARS_PER_TOKEN)


MAX_PRICE = 10_000.0  # dollars per million tokens; far above any published price


def _price(value: object) -> float:
    """A price: a finite, non-negative number of dollars per million tokens (1e400 is inf)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise TypeError(value)
    try:
        price = float(value)
    except OverflowError:  # an integer of 400 digits: no float holds it
        raise ValueError(value) from None
    if not (math.isfinite(price) and 0 <= price <= MAX_PRICE):
        raise ValueError(price)
    return price


def price_of(
    model: str | None, prices: Mapping[str, tuple[float, float]]
) -> tuple[float, float] | None:
    """The (input, output) price of a model, matching a dated variant to its base name."""
    if not model:
        return None
    if model in prices:
        return prices[model]
    # "gpt-4o-mini-2024-07-18" is priced as "gpt-4o-mini": the longest known prefix wins.
    best = max((m for m in prices if model.startswith(m)), key=len, default=None)
    return prices[best] if best else None


def cost(
    model: str | None,
    prompt_tokens: int,
    completion_tokens: int,
    prices: Mapping[str, tuple[float, float]],
) -> float:
    """Dollars for the given token counts, 0 when the model has no price."""
    p = price_of(model, prices)
    if p is None:
        return 0.0
    return round(prompt_tokens / 1e6 * p[0] + completion_tokens / 1e6 * p[1], 6)
