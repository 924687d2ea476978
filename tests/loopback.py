"""A loopback HTTP server that speaks the OpenAI chat-completions protocol, for tests and bench.

It answers POST /v1/chat/completions on 127.0.0.1 with whatever its `brain` returns, in the
exact wire format an OpenAI-compatible endpoint uses (tool calls, JSON content or a ```json
block, depending on what the request asked for), records every request, and can add latency,
fail with a status and Retry-After, or hang. Nothing here mocks the SDK: the real openai client
and real instructor talk to it over a socket.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    """One scripted answer."""

    status: int = 200
    body: Any = None  # dict -> JSON; str/bytes sent as is
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    hang: bool = False


@dataclass
class Seen:
    """A request as the server received it."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]

    @property
    def raw_headers(self) -> str:
        return "\n".join(f"{k}: {v}" for k, v in self.headers.items())


Brain = Callable[[dict[str, Any]], Reply]

_REPORT = re.compile(r"<report>\n?(.*?)\n?</report>", re.S)


def report_text(body: dict[str, Any]) -> str:
    """The chunk text the request carries between <report> tags."""
    for msg in body.get("messages", []):
        content = msg.get("content")
        if msg.get("role") == "user" and isinstance(content, str):
            m = _REPORT.search(content)
            if m:
                return m.group(1)
    return ""


def is_reask(body: dict[str, Any]) -> bool:
    """True when instructor is re-asking (the conversation carries an earlier answer)."""
    return any(m.get("role") in ("assistant", "tool") for m in body.get("messages", []))


def completion(
    body: dict[str, Any],
    answer: dict[str, Any] | str,
    prompt_tokens: int = 1000,
    completion_tokens: int = 200,
) -> dict[str, Any]:
    """Wrap an answer object in a chat.completion the way the request's mode expects."""
    text = answer if isinstance(answer, str) else json.dumps(answer, ensure_ascii=False)
    message: dict[str, Any] = {"role": "assistant", "content": None}
    finish = "stop"
    tools = body.get("tools")
    if tools:
        name = tools[0]["function"]["name"]
        message["tool_calls"] = [
            {"id": "call_0001", "type": "function", "function": {"name": name, "arguments": text}}
        ]
        finish = "tool_calls"
    elif body.get("response_format"):
        message["content"] = text
    else:
        message["content"] = f"```json\n{text}\n```"
    return {
        "id": "chatcmpl-loopback",
        "object": "chat.completion",
        "created": 1700000000,
        "model": body.get("model", "loopback"),
        "choices": [{"index": 0, "message": message, "finish_reason": finish, "logprobs": None}],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def answer_with(obj: dict[str, Any] | Callable[[dict[str, Any]], dict[str, Any]]) -> Brain:
    """A brain that always answers with `obj` (or obj(body))."""

    def brain(body: dict[str, Any]) -> Reply:
        return Reply(body=completion(body, obj(body) if callable(obj) else obj))

    return brain


class LoopbackServer:
    """Start with `with LoopbackServer(brain) as srv:`; `srv.base_url` ends in /v1."""

    def __init__(self, brain: Brain, latency: float = 0.0) -> None:
        self.brain = brain
        self.latency = latency
        self.script: list[Reply] = []  # replies used first, in order, before the brain
        self.requests: list[Seen] = []
        self.arrivals: list[float] = []  # time.time() of each request, for timelines
        self.in_flight = 0
        self.peak_in_flight = 0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> LoopbackServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop serving; hanging requests are released."""
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def _next_reply(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            if self.script:
                return self.script.pop(0)
        return self.brain(body)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        srv = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # keep test output clean
                pass

            def do_GET(self) -> None:
                # /stats lets a benchmark read the counts of a server in another process.
                with srv._lock:
                    stats = {
                        "requests": len(srv.requests),
                        "peak_in_flight": srv.peak_in_flight,
                        "prompt_chars": sum(prompt_chars(r.body) for r in srv.requests),
                        "arrivals": srv.arrivals,
                    }
                self._send(Reply(body=stats))

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    body = {}
                with srv._lock:
                    srv.requests.append(Seen(self.path, dict(self.headers.items()), body))
                    srv.arrivals.append(time.time())
                    srv.in_flight += 1
                    srv.peak_in_flight = max(srv.peak_in_flight, srv.in_flight)
                try:
                    began = time.perf_counter()
                    reply = srv._next_reply(body)
                    if reply.hang:
                        srv._stopping.wait(60)
                        return
                    # `latency` is the whole service time of a request, the brain's own work
                    # included, so a benchmark's ideal time is exact.
                    wait = srv.latency - (time.perf_counter() - began) + reply.delay
                    if wait > 0:
                        time.sleep(wait)
                    self._send(reply)
                finally:
                    with srv._lock:
                        srv.in_flight -= 1

            def _send(self, reply: Reply) -> None:
                payload = reply.body
                if isinstance(payload, (dict, list)):
                    data = json.dumps(payload, ensure_ascii=False).encode()
                elif isinstance(payload, str):
                    data = payload.encode()
                else:
                    data = payload or b""
                self.send_response(reply.status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                for k, v in reply.headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

        return Handler


def prompt_chars(body: dict[str, Any]) -> int:
    """Characters of what the model reads in a request: its messages and the schema."""
    schema = body.get("tools") or body.get("response_format") or []
    return len(json.dumps(body.get("messages", []), ensure_ascii=False)) + len(
        json.dumps(schema, ensure_ascii=False)
    )


def error_body(status: int, message: str = "error") -> dict[str, Any]:
    """An OpenAI-style error object."""
    kind = {429: "rate_limit_exceeded", 401: "invalid_api_key"}.get(status, "server_error")
    return {"error": {"message": message, "type": kind, "code": kind, "param": None}}


# --- brains: stand-in models for end-to-end runs ----------------------------------------------

_CLAUSE = re.compile(r"[^，。；：！？\n]+")


def _parts_of(body: dict[str, Any], text: str):
    """A function telling, for an offset of the chunk, whether it lies in the plan part."""
    system = next(
        (m.get("content") or "" for m in body.get("messages", []) if m.get("role") == "system"), ""
    )
    label = system.split("片段所在部分：", 1)[-1].split("。", 1)[0]
    if "、" not in label:  # one part: the label says it all
        return lambda _offset: "工作计划" in label
    # Several parts: read the headings, as a model would.
    from summarizer.structure import SectionKind, outline

    o = outline(text)
    starts_in_plan = label.startswith("工作计划")

    def in_plan(offset: int) -> bool:
        kind = o.kind_at(offset)
        # Text the chunk alone cannot place is in the part the chunk starts in.
        if kind in (SectionKind.PREAMBLE, SectionKind.OTHER):
            return starts_in_plan
        return kind is SectionKind.PLAN

    return in_plan


def grounded_answer(body: dict[str, Any], max_items: int = 6) -> dict[str, Any]:
    """A correct, grounded ChunkSummary for the chunk in `body`, built from its own clauses."""
    from summarizer.numbers import find_numbers

    text = report_text(body)
    in_plan = _parts_of(body, text)
    items: list[dict[str, Any]] = []
    subject = ""
    for m in _CLAUSE.finditer(text):
        clause = m.group(0).strip()
        plan = in_plan(m.start())
        nums = [n for n in find_numbers(clause) if not n.is_year]
        if not nums or len(clause) < 6:
            continue
        n = nums[0]
        name = clause[: n.start].strip() or clause[:6]
        if n.is_change and subject:
            name = subject + name  # "同比增长" belongs to the indicator of the clause before
        else:
            subject = name[-12:]
        metric = {
            "name": name[-16:],
            "value": n.value,
            "unit": n.unit,
            "period": None,
            "change": None,
            "kind": "target" if plan else "actual",
            "quote": clause,
        }
        if plan:
            items.append(
                {"area": "计划", "text": clause, "targets": [metric], "evidence": [clause]}
            )
        else:
            items.append(
                {"area": "成绩", "text": clause, "metrics": [metric], "evidence": [clause]}
            )
        if sum(("targets" in i) == plan for i in items) > max_items:
            items.pop()  # at most max_items of each kind
    return {
        "achievements": [i for i in items if "metrics" in i],
        "problems": [],
        "plans": [i for i in items if "targets" in i],
    }


def meaningless_answer(body: dict[str, Any]) -> dict[str, Any]:
    """Schema-valid content that has nothing to do with the report."""
    return {
        "achievements": [
            {
                "area": "无关",
                "text": "某地实现产值98765亿元",
                "metrics": [
                    {
                        "name": "虚构指标",
                        "value": 98765,
                        "unit": "亿元",
                        "period": "2099年",
                        "change": None,
                        "kind": "actual",
                        "quote": "这句话不在报告里，产值98765亿元",
                    }
                ],
                "evidence": ["这句话不在报告里"],
            }
        ],
        "problems": [],
        "plans": [],
    }


if __name__ == "__main__":
    # A standalone endpoint for benchmarks: python tests/loopback.py LATENCY
    # prints its base URL, then serves grounded answers until killed.
    import sys

    with LoopbackServer(answer_with(grounded_answer), latency=float(sys.argv[1])) as server:
        print(server.base_url, flush=True)
        threading.Event().wait()
