"""What the user sees of a `--via batch` run: the progress line, the detach message, --dry-run.

--dry-run submits and writes nothing: the first round's requests are listed (custom_id,
report#chunk, model, estimated prompt tokens), then how many input files they fill at the
limits, and their prompt cost at the batch price of the price table (pricing.py).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from .batch_state import RETRYABLE, RunState
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


def progress_line(s: RunState) -> str:
    """Batches, lines done and failed, tokens and cost so far."""
    flying = [s.batches[b] for b in s.in_flight()]
    done = s.counts().get("done", 0) + sum(b.completed for b in flying)
    failed = sum(s.counts().get(k, 0) for k in RETRYABLE) + sum(b.failed for b in flying)
    total = sum(b.total for b in flying)
    t = s.totals
    return (
        f"batches {len(s.batches) - len(flying)}/{len(s.batches)} done · "
        f"lines {done:,} done, {failed:,} failed, {total:,} in running batches · "
        f"tokens {t.prompt_tokens + t.completion_tokens:,} · ${t.cost:.4f} at batch price"
    )


def detached_message(s: RunState) -> str:
    """What --detach leaves running, and how to collect it."""
    flying = s.in_flight()
    return (
        f"detached: {len(flying)} batch(es) running at the endpoint "
        f"({', '.join(flying[:3])}{' …' if len(flying) > 3 else ''}); run the same command "
        "again to wait for them and write the reports (add --detach to collect only what "
        "has finished and exit)."
    )
