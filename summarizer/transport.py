"""The HTTP layer under the openai SDK: retries, the global request limit, usage metering.

These are httpx2 transports (the HTTP client openai>=3 uses), stacked as
`Cassette(RetryTransport(LimitTransport(MeteringTransport(network))))`. Retrying here, below
the SDK, means a 429 during a re-ask repeats one HTTP request, not instructor's whole
conversation, and the SDK's own retries are switched off.
"""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from time import time

import httpx2
from tenacity import (
    AsyncRetrying,
    RetryCallState,
    retry_if_exception_type,
    retry_if_result,
    stop_after_attempt,
)

# The meter lives in .usage, which the offline path imports without httpx2 or tenacity.
from .usage import UsageMeter, current_meter  # noqa: F401

RETRY_STATUSES = frozenset({408, 409, 429, 500, 502, 503, 504})


class MeteringTransport(httpx2.AsyncBaseTransport):
    """Reads `usage` from every successful chat-completion response."""

    def __init__(self, inner: httpx2.AsyncBaseTransport) -> None:
        self.inner = inner

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        response = await self.inner.handle_async_request(request)
        meter = current_meter.get()
        if meter is not None:
            if response.status_code == 200:
                body = await response.aread()
                try:
                    usage = json.loads(body).get("usage")
                except (ValueError, AttributeError):
                    usage = None
                meter.add(usage)
            else:
                meter.failed_calls += 1
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()


class LimitTransport(httpx2.AsyncBaseTransport):
    """One global cap on requests in flight (and optionally on requests per minute).

    It sits below the retry transport, so a request waiting out a Retry-After holds no slot,
    and below the cache, so answers from the cache never wait for one.
    """

    def __init__(self, inner: httpx2.AsyncBaseTransport, limit: int, rpm: float | None = None):
        self.inner = inner
        self.limit = limit
        self._slots = asyncio.Semaphore(limit)
        self._interval = 60.0 / rpm if rpm else 0.0
        self._next_start = 0.0
        self._clock = asyncio.Lock()
        self.in_flight = 0
        self.peak_in_flight = 0

    async def _pace(self) -> None:
        if not self._interval:
            return
        async with self._clock:
            loop = asyncio.get_running_loop()
            wait = self._next_start - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            self._next_start = max(loop.time(), self._next_start) + self._interval

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        async with self._slots:
            await self._pace()
            self.in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
            try:
                response = await self.inner.handle_async_request(request)
                # Read the body inside the slot: a streamed answer still occupies the endpoint.
                await response.aread()
                return response
            finally:
                self.in_flight -= 1

    async def aclose(self) -> None:
        await self.inner.aclose()


@dataclass(frozen=True)
class RetryPolicy:
    """How transient failures are retried; `sleep` is injectable so tests can watch the waits."""

    attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 60.0
    sleep: Callable[[float], Awaitable[None]] = field(default=asyncio.sleep, compare=False)


def _hinted_delay(response: httpx2.Response) -> float | None:
    hinted = retry_after_seconds(response.headers.get("retry-after"))
    ms = response.headers.get("retry-after-ms")
    if hinted is None and ms:
        try:
            hinted = float(ms) / 1000
        except ValueError:
            hinted = None
    return hinted


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Parse a Retry-After header (seconds or an HTTP date) into seconds, or None."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when - (time() if now is None else now))


class RetryTransport(httpx2.AsyncBaseTransport):
    """Retries 408/409/429/5xx answers, timeouts and connection errors, honouring Retry-After."""

    def __init__(self, inner: httpx2.AsyncBaseTransport, policy: RetryPolicy | None = None):
        self.inner = inner
        self.policy = policy or RetryPolicy()

    def _wait(self, state: RetryCallState) -> float:
        """tenacity wait: the server's Retry-After when it gave one, else jittered backoff."""
        outcome = state.outcome
        if outcome is not None and not outcome.failed:
            hinted = _hinted_delay(outcome.result())
            if hinted is not None:
                return min(hinted, self.policy.max_delay)
        # Exponential backoff with full jitter keeps a batch from retrying in lockstep.
        cap = min(self.policy.max_delay, self.policy.base_delay * 2 ** (state.attempt_number - 1))
        return random.uniform(cap / 2, cap)

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        await request.aread()  # so the body can be sent again
        retrying = AsyncRetrying(
            stop=stop_after_attempt(self.policy.attempts),
            wait=self._wait,
            retry=retry_if_exception_type((httpx2.TimeoutException, httpx2.NetworkError))
            | retry_if_result(lambda r: r.status_code in RETRY_STATUSES),
            sleep=self.policy.sleep,
            # Out of attempts: hand the last error response to the SDK, which reports it.
            retry_error_callback=lambda state: state.outcome.result(),  # type: ignore[union-attr]
            reraise=True,
        )
        return await retrying(self._attempt, request)

    async def _attempt(self, request: httpx2.Request) -> httpx2.Response:
        response = await self.inner.handle_async_request(request)
        if response.status_code in RETRY_STATUSES:
            await response.aread()  # an error body is small; read it so the connection is freed
        return response

    async def aclose(self) -> None:
        await self.inner.aclose()
