"""Model calls and tokens counted per report: no HTTP here, so the offline path can import it."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass


@dataclass
class UsageMeter:
    """Counts the model calls and tokens of one report (or one run)."""

    calls: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    failed_calls: int = 0
    cached_calls: int = 0  # answered from the cache or a recording: no cost, not counted in calls
    chunks_done: int = 0

    def add(self, usage: dict[str, object] | None) -> None:
        """Add one answered call and its `usage` block."""
        self.calls += 1
        if isinstance(usage, dict):
            self.prompt_tokens += int(usage.get("prompt_tokens") or 0)  # type: ignore[call-overload]
            self.completion_tokens += int(usage.get("completion_tokens") or 0)  # type: ignore[call-overload]


# The meter of the report being processed; chunk tasks inherit it from the report's task.
current_meter: contextvars.ContextVar[UsageMeter | None] = contextvars.ContextVar(
    "summarizer_usage_meter", default=None
)
