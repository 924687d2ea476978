"""--dry-run of `--via batch`: the requests a run would send, their tokens and batch price.

Nothing is submitted and nothing is written: the first round's requests are listed (custom_id,
report#chunk, model, estimated prompt tokens), then how many input files they fill at the
limits, and their prompt cost at the batch price of the price table (pricing.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from .engines.batch_api import fits
from .pricing import cost, estimate_tokens, price_of


def prompt_chars(body: dict[str, Any]) -> int:
    """Characters of what the model reads in a request: its messages and the answer schema."""
    schema = body.get("tools") or body.get("response_format") or []
    return len(json.dumps(body.get("messages", []), ensure_ascii=False)) + len(
        json.dumps(schema, ensure_ascii=False)
    )


def print_plan(
    planned: Mapping[str, tuple[str, str, int, int]],
    max_lines: int,
    max_bytes: int,
    prices: Mapping[str, tuple[float, float]],
    out: Callable[[str], None],
) -> None:
    """--dry-run: the requests of the first round, their tokens and batch price."""
    by_model: dict[str, list[tuple[int, int]]] = {}
    for cid, (ref, model, chars, size) in planned.items():
        out(f"{cid}  {ref}  {model}  ~{estimate_tokens(chars):,} prompt tokens")
        by_model.setdefault(model, []).append((chars, size))
    files, tokens, dollars = 0, 0, 0.0
    for model, lines in by_model.items():
        n = size = 0
        files += 1
        for _, add in lines:
            if not fits(n, size, add, max_lines, max_bytes):
                files, n, size = files + 1, 0, 0
            n, size = n + 1, size + add
        model_tokens = sum(estimate_tokens(chars) for chars, _ in lines)
        tokens += model_tokens
        dollars += cost(model, model_tokens, 0, prices)
    named = ", ".join(_price_label(m, price_of(m, prices)) for m in by_model)
    out(
        f"dry run: {len(planned):,} requests in {files} input file(s), "
        f"~{tokens:,} prompt tokens, ~${dollars:.4f} at the batch price ({named}); "
        "answers (completion tokens) and any re-asks come on top. Nothing was submitted."
    )


def _price_label(model: str, price: tuple[float, float] | None) -> str:
    return f"{model} ${price[0]:g}/M input tokens" if price else f"{model}: no price known"
