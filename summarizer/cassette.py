"""Recorded exchanges with the model endpoint: record, replay and response cache.

`CassetteTransport` is an httpx2 transport that sits at the top of the stack given to the
openai client, so in replay the SDK's parsing, instructor's parsing, validation and re-asks
all run for real. One exchange is one readable JSON file, named by a hash of the canonical
request body (model, messages, tools, tool_choice, response_format, temperature). Headers are
not part of the key and request headers are never stored; response headers are kept only from
an allow-list, so no Authorization, key, cookie or organisation id can reach a file.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2

from .errors import CassetteError, ReplayMissError, UsageError
from .regular import NotRegularFileError, TooLargeError, read_regular
from .secrets import scrub_json
from .usage import current_meter

KEY_FIELDS = ("model", "messages", "tools", "tool_choice", "response_format", "temperature")
KEPT_RESPONSE_HEADERS = ("content-type",)
# A recorded exchange is a few KB; anything this big is not one (a link to /dev/zero, a dump).
MAX_RECORDING = 16 * 1024 * 1024


def read_bounded(path: Path, limit: int = MAX_RECORDING) -> bytes | None:
    """The bytes of a regular file of at most `limit` bytes; None when there is no such file.

    A FIFO would block the open and a link to /dev/zero would never end, so only a regular
    file is read, opened without blocking and read no further than the limit.
    """
    try:
        return read_regular(path, limit)
    except FileNotFoundError:
        return None
    except NotRegularFileError:
        raise CassetteError(f"{path}: not a regular file") from None
    except TooLargeError:
        raise CassetteError(f"{path}: larger than {limit} bytes, not a recording") from None
    except OSError as e:
        raise CassetteError(f"{path}: cannot read ({e.strerror})") from None


def _malformed(data: object) -> str | None:
    """What is wrong with a stored exchange's shape, or None when it can be replayed."""
    if not isinstance(data, dict):
        return "not a JSON object"
    response = data.get("response")
    if not isinstance(response, dict):
        return "no response object"
    status = response.get("status", 200)
    if not isinstance(status, int) or isinstance(status, bool) or not 100 <= status <= 599:
        return f"response status {status!r} is not an HTTP status"
    headers = response.get("headers", {})
    if not isinstance(headers, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in headers.items()
    ):
        return "response headers are not a table of strings"
    if not isinstance(response.get("body"), dict):
        return "response body is not a JSON object"
    return None


def _request_body(data: object) -> dict[str, Any] | None:
    """The recorded request body, when it has the shape explain_miss reads."""
    request = data.get("request") if isinstance(data, dict) else None
    body = request.get("body") if isinstance(request, dict) else None
    if not isinstance(body, dict):
        return None
    messages = body.get("messages", [])
    if not isinstance(messages, list) or not all(isinstance(m, dict) for m in messages):
        return None
    return body


def canonical_body(body: dict[str, Any]) -> dict[str, Any]:
    """The part of a request body that decides the answer."""
    return {k: body[k] for k in KEY_FIELDS if k in body}


def request_key(body: dict[str, Any]) -> str:
    """The hash that names an exchange."""
    text = json.dumps(
        canonical_body(body), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Recording:
    """What is stamped into every cassette besides the exchange itself."""

    prompts: dict[str, str]  # prompt file name -> content hash
    schema: str  # hash of the response model's JSON Schema
    note: str = ""


class CassetteStore:
    """A directory of exchanges, one JSON file each."""

    def __init__(self, directory: Path) -> None:
        self.dir = Path(directory)

    def path(self, key: str) -> Path:
        return self.dir / f"{key[:24]}.json"

    def check_writable(self) -> None:
        """Fail now, naming the folder and why, if exchanges cannot be stored in it."""
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            fd, probe = tempfile.mkstemp(prefix=".cassette.", suffix=".tmp", dir=self.dir)
            os.close(fd)
            os.unlink(probe)
        except OSError as e:
            raise UsageError(
                f"{self.dir}: cannot store model answers here ({e.strerror}); "
                "choose another --cache/--record folder or pass --no-cache"
            ) from None

    def load(self, key: str, strict: bool = True) -> dict[str, Any] | None:
        """The stored exchange for a key, or None; a file that cannot be replayed raises
        CassetteError naming it (strict), or counts as absent (a cache, which refills it)."""
        p = self.path(key)
        try:
            raw = read_bounded(p)
            if raw is None:
                return None
            try:
                data = json.loads(raw.decode("utf-8"))
            except RecursionError:
                raise CassetteError(f"{p}: malformed recording (JSON nested too deeply)") from None
            except ValueError as e:
                raise CassetteError(f"{p}: malformed recording (not JSON: {e})") from None
            if isinstance(data, dict) and data.get("key") != key:
                return None  # another request whose key shares the file name's prefix
            problem = _malformed(data)
            if problem:
                raise CassetteError(f"{p}: malformed recording ({problem})")
        except CassetteError:
            if strict:
                raise
            return None
        return data if isinstance(data, dict) else None

    def save(self, key: str, exchange: dict[str, Any]) -> None:
        """Write one exchange atomically; a failure names the file and the cause."""
        try:
            self._save(key, exchange)
        except OSError as e:
            raise CassetteError(
                f"{self.path(key)}: cannot store the model's answer ({e.strerror})"
            ) from None

    def _save(self, key: str, exchange: dict[str, Any]) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        # An endpoint may echo the key inside a 200 answer: it must never reach a file.
        text = json.dumps(scrub_json(exchange), ensure_ascii=False, indent=2) + "\n"
        fd, tmp = tempfile.mkstemp(prefix=".cassette.", dir=self.dir)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
            os.replace(tmp, self.path(key))
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def all(self) -> list[dict[str, Any]]:
        """Every stored exchange (for explaining a miss)."""
        out = []
        for p in sorted(self.dir.glob("*.json")):
            try:
                data = json.loads((read_bounded(p) or b"").decode("utf-8"))
            except (CassetteError, ValueError, RecursionError):
                continue
            if _request_body(data) is not None and _malformed(data) is None:
                data["_file"] = p.name
                out.append(data)
        return out


class CassetteTransport(httpx2.AsyncBaseTransport):
    """mode "replay": answer only from the store; "record": always ask, then store;
    "cache": answer from the store when possible, otherwise ask and store."""

    def __init__(
        self,
        inner: httpx2.AsyncBaseTransport | None,
        store: CassetteStore,
        mode: str,
        recording: Recording,
    ) -> None:
        if mode not in ("replay", "record", "cache"):
            raise ValueError(mode)
        self.inner = inner
        self.store = store
        self.mode = mode
        self.recording = recording

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        raw = await request.aread()
        try:
            body = json.loads(raw or b"{}")
        except ValueError:
            body = {}
        key = request_key(body)
        if self.mode in ("replay", "cache"):
            stored = self.store.load(key, strict=self.mode == "replay")
            if stored is not None:
                meter = current_meter.get()
                if meter is not None:
                    meter.cached_calls += 1
                return _response(stored["response"], request)
            if self.mode == "replay":
                raise ReplayMissError(explain_miss(body, self.store, self.recording))
        assert self.inner is not None
        response = await self.inner.handle_async_request(request)
        if response.status_code == 200:
            content = await response.aread()
            try:
                payload = json.loads(content)
            except ValueError:
                return response
            self.store.save(key, self._exchange(key, request, body, response, payload))
        return response

    def _exchange(
        self,
        key: str,
        request: httpx2.Request,
        body: dict[str, Any],
        response: httpx2.Response,
        payload: Any,
    ) -> dict[str, Any]:
        headers = {h: response.headers[h] for h in KEPT_RESPONSE_HEADERS if h in response.headers}
        return exchange_record(
            key, self.recording, request.method, request.url.path, body, payload, headers
        )

    async def aclose(self) -> None:
        if self.inner is not None:
            await self.inner.aclose()


def exchange_record(
    key: str,
    recording: Recording,
    method: str,
    path: str,
    body: dict[str, Any],
    payload: Any,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """One stored exchange: what a live call records, and what a Batch API answer is saved as."""
    return {
        "key": key,
        "recorded_with": {
            "prompts": recording.prompts,
            "schema": recording.schema,
            "note": recording.note,
        },
        "request": {"method": method, "path": path, "body": canonical_body(body)},
        "response": {
            "status": 200,
            "headers": headers or {"content-type": "application/json"},
            "body": payload,
        },
    }


def stored_response(stored: dict[str, Any], request: httpx2.Request) -> httpx2.Response:
    """The HTTP response for a stored exchange, as the SDK would have received it."""
    return _response(stored, request)


def _response(stored: dict[str, Any], request: httpx2.Request) -> httpx2.Response:
    content = json.dumps(stored["body"], ensure_ascii=False).encode("utf-8")
    headers = {"content-type": "application/json", **stored.get("headers", {})}
    return httpx2.Response(
        stored.get("status", 200), headers=headers, content=content, request=request
    )


def _user_text(body: dict[str, Any]) -> str:
    for m in body.get("messages", []):
        if m.get("role") == "user" and isinstance(content := m.get("content"), str):
            return content
    return ""


def _first_line(text: str) -> str:
    return next((ln for ln in text.splitlines() if ln.strip()), "")[:60]


def explain_miss(body: dict[str, Any], store: CassetteStore, now: Recording) -> str:
    """Name the request that missed and what differs from the nearest recorded one."""
    want = canonical_body(body)
    chunk = _user_text(body)
    label = _first_line(chunk) or "(no user message)"
    recorded = store.all()
    if not recorded:
        return f"--replay: no recordings in {store.dir} (request for «{label}»)"
    same_chunk = [r for r in recorded if _user_text(r["request"]["body"]) == chunk]
    if not same_chunk:
        return (
            f"--replay: no recording for the chunk «{label}» in {store.dir} "
            "(report text or chunking changed since recording?)"
        )
    # The recording with the most similar conversation length: first ask vs a re-ask.
    n = len(want.get("messages", []))
    nearest = min(same_chunk, key=lambda r: abs(len(r["request"]["body"].get("messages", [])) - n))
    stamp = nearest.get("recorded_with")
    then: dict[str, Any] = stamp if isinstance(stamp, dict) else {}
    prompts = then.get("prompts")
    then_prompts: dict[str, Any] = prompts if isinstance(prompts, dict) else {}
    changed = [n for n, h in now.prompts.items() if then_prompts.get(n) != h]
    reasons = [f"prompt prompts/{n} changed since recording" for n in changed]
    if then.get("schema") and then.get("schema") != now.schema:
        reasons.append("the response schema (summarizer/models.py) changed since recording")
    got = nearest["request"]["body"]
    for field in ("model", "temperature", "tool_choice", "response_format"):
        if got.get(field) != want.get(field):
            reasons.append(f"{field} is {want.get(field)!r}, recorded {got.get(field)!r}")
    if not reasons and len(want.get("messages", [])) != len(got.get("messages", [])):
        reasons.append("this is a re-ask that was not recorded (validators changed?)")
    why = "; ".join(reasons) or "the request body differs"
    nearest_file = nearest["_file"]
    return (
        f"--replay: no recording matches the request for «{label}»: {why} (nearest: {nearest_file})"
    )
