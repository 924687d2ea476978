import asyncio

import httpx2
import pytest
from loopback import LoopbackServer, Reply, error_body

from summarizer.transport import (
    MeteringTransport,
    RetryPolicy,
    RetryTransport,
    UsageMeter,
    current_meter,
    retry_after_seconds,
)


def test_retry_after_parses_seconds_and_http_dates():
    assert retry_after_seconds("3") == 3.0
    assert retry_after_seconds(None) is None
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds("Thu, 01 Jan 1970 00:00:10 GMT", now=4.0) == pytest.approx(6.0)


def _ok(_body):
    return Reply(body={"ok": True, "usage": {"prompt_tokens": 7, "completion_tokens": 3}})


def _run(server, statuses, attempts=4):
    waits = []

    async def fake_sleep(s):
        waits.append(s)

    for status, headers in statuses:
        server.script.append(Reply(status=status, body=error_body(status), headers=headers))
    policy = RetryPolicy(attempts=attempts, sleep=fake_sleep)

    async def go():
        meter = UsageMeter()
        token = current_meter.set(meter)
        transport = RetryTransport(MeteringTransport(httpx2.AsyncHTTPTransport()), policy)
        async with httpx2.AsyncClient(transport=transport) as client:
            r = await client.post(server.base_url + "/chat/completions", json={"x": 1})
        current_meter.reset(token)
        return r, meter

    response, meter = asyncio.run(go())
    return response, meter, waits


def test_429_is_retried_after_the_time_the_server_asks_for():
    with LoopbackServer(_ok) as srv:
        r, meter, waits = _run(srv, [(429, {"retry-after": "7"}), (503, {"retry-after-ms": "250"})])
    assert r.status_code == 200
    assert waits == [7.0, 0.25]
    assert len(srv.requests) == 3
    assert (meter.calls, meter.prompt_tokens, meter.completion_tokens) == (1, 7, 3)
    assert meter.failed_calls == 2


def test_500_without_hint_backs_off_and_4xx_is_not_retried():
    with LoopbackServer(_ok) as srv:
        r, _, waits = _run(srv, [(500, {})])
        assert r.status_code == 200 and len(waits) == 1 and 0.5 <= waits[0] <= 1.0
        r, _, waits = _run(srv, [(401, {})])
        assert r.status_code == 401 and waits == []


def test_gives_up_after_the_last_attempt_and_returns_the_error():
    with LoopbackServer(_ok) as srv:
        r, _, waits = _run(srv, [(500, {})] * 3, attempts=3)
    assert r.status_code == 500
    assert len(waits) == 2
