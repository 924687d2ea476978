"""Answers for the live engine from collected Batch API output (the `--via batch` path).

`AnswerTransport` replaces the live engine's whole HTTP stack: a request whose answer was
collected from a batch (or is in the response cache) is answered at once, exactly as the
endpoint answered it; any other request is stopped with `AnswerPending`, which carries its exact
body and cache key — the line to send in the next batch.
"""

from __future__ import annotations

import json
from typing import Any

import httpx2

from .cassette import CassetteStore, request_key, stored_response
from .errors import ReplayMissError
from .usage import current_meter


class AnswerPending(ReplayMissError):
    """No answer yet for this request: it must go out in a batch."""

    def __init__(self, key: str, body: dict[str, Any]) -> None:
        super().__init__("no answer collected yet for this request")
        self.key = key
        self.body = body


class AnswerTransport(httpx2.AsyncBaseTransport):
    """Answers the live engine from collected batch answers, then the response cache."""

    def __init__(self, answers: CassetteStore, cache: CassetteStore | None) -> None:
        self.answers = answers
        self.cache = cache

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        body = json.loads(await request.aread() or b"{}")
        key = request_key(body)
        stored = self.answers.load(key)
        paid = stored is not None  # answered by this run's batches: counted like a live call
        if stored is None and self.cache is not None:
            stored = self.cache.load(key)
        if stored is None:
            raise AnswerPending(key, body)
        meter = current_meter.get()
        if meter is not None:
            if paid:
                meter.add(stored["response"]["body"].get("usage"))
            else:
                meter.cached_calls += 1
        return stored_response(stored["response"], request)
