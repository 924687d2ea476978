"""The providers' Batch APIs: JSONL input files, upload, submit, poll and collect.

Written for OpenAI's Batch API and the endpoints that take the same file format and speak the
same `/v1/files` and `/v1/batches` protocol (DashScope/Bailian's OpenAI-compatible mode; vLLM
behind a proxy that adds those routes, such as LiteLLM): a JSONL file of `{custom_id, method,
url, body}` lines, at most 50,000 lines and 200 MB a file, one model a file, a 24 h window, at
half the live price. Every call goes through the openai SDK's `files` and `batches` resources
against --base-url.

This module (with engines/llm.py and cassette.py) is one of the few that import openai. It
knows nothing of reports: batch_run.py decides what to ask, this module carries it.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Literal

import httpx2
import openai

from ..batch_state import InputFile, Line, RunState
from ..config import Settings
from ..errors import EndpointError, EngineError
from ..transport import RetryPolicy, RetryTransport
from .llm import _endpoint_error, _first_line

# OpenAI's limits; --batch-max-lines / --batch-max-bytes lower them for stricter endpoints.
MAX_LINES = 50_000
MAX_BYTES = 200 * 1000 * 1000
ENDPOINT: Literal["/v1/chat/completions"] = "/v1/chat/completions"
WINDOW: Literal["24h"] = "24h"
CREATE_ATTEMPTS = 5


def request_line(custom_id: str, body: dict[str, Any]) -> bytes:
    """One line of an input file: the request body exactly as the live path sends it."""
    line = {"custom_id": custom_id, "method": "POST", "url": ENDPOINT, "body": body}
    return (json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


class LineTooBig(EngineError):
    """One request is larger than a whole input file may be."""


class BatchRefused(EndpointError):
    """The endpoint refused to make a batch of a file (HTTP 4xx): retrying it as is is useless."""


def fits(lines: int, size: int, add: int, max_lines: int, max_bytes: int) -> bool:
    """Whether one more line of `add` bytes fits in a file of `lines` lines and `size` bytes."""
    return lines + 1 <= max_lines and size + add <= max_bytes


class Spool:
    """Writes request lines into input files in the run folder: one model a file, within limits.

    A file is written under a temporary name and renamed when closed, and the state names it
    only after that, so a crash never leaves a state pointing at half a file.
    """

    def __init__(self, state: RunState, max_lines: int, max_bytes: int) -> None:
        self.state = state
        self.max_lines = max_lines
        self.max_bytes = max_bytes
        self._open: dict[str, tuple[str, BinaryIO]] = {}  # model -> (file name, handle)
        self._files: dict[str, InputFile] = {}  # every file this spool wrote

    def check(self, custom_id: str, body: dict[str, Any]) -> bytes:
        """The request's line, or LineTooBig when no input file could hold it."""
        data = request_line(custom_id, body)
        if len(data) > self.max_bytes:
            raise LineTooBig(
                f"one request is {len(data):,} bytes, more than --batch-max-bytes "
                f"{self.max_bytes:,} allows for a whole file"
            )
        return data

    def add(self, custom_id: str, line: Line, body: dict[str, Any]) -> None:
        """Append a request to its model's current file, starting a new one at a limit."""
        data = self.check(custom_id, body)
        current = self._open.get(line.model)
        if current is not None:
            f = self._files[current[0]]
            if not fits(f.lines, f.bytes, len(data), self.max_lines, self.max_bytes):
                self._close(line.model)
                current = None
        if current is None:
            name = f"input-{len(self.state.files) + len(self._files) + 1:04d}.jsonl"
            self.state.dir.mkdir(parents=True, exist_ok=True)
            handle: BinaryIO = open(self._tmp(name), "wb")  # closed in _close
            current = self._open[line.model] = (name, handle)
            self._files[name] = InputFile(line.model, 0, 0)
        name, handle = current
        f = self._files[name]
        handle.write(data)
        line.file, line.at = name, (f.bytes, len(data))
        f.lines, f.bytes = f.lines + 1, f.bytes + len(data)
        if f.lines == self.max_lines:
            self._close(line.model)  # full: ready to go out now

    def _tmp(self, name: str) -> Path:
        return self.state.dir / f".{name}.tmp"

    def _close(self, model: str) -> None:
        name, handle = self._open.pop(model)
        handle.flush()
        os.fsync(handle.fileno())
        handle.close()
        os.replace(self._tmp(name), self.state.dir / name)

    def take_full(self) -> list[str]:
        """Name the files already closed (full) in the state, so they can go out at once."""
        still_open = {name for name, _ in self._open.values()}
        full = [name for name in self._files if name not in still_open]
        for name in full:
            self.state.files[name] = self._files.pop(name)
        return full

    def close_all(self) -> list[str]:
        """Close every open file and name all written files in the state; their names."""
        for model in list(self._open):
            self._close(model)
        return self.take_full()


def read_request(state: RunState, line: Line) -> dict[str, Any]:
    """The request body of a line, read back from its input file."""
    with open(state.dir / line.file, "rb") as f:
        f.seek(line.at[0])
        body: dict[str, Any] = json.loads(f.read(line.at[1]))["body"]
        return body


@dataclass(frozen=True)
class Outcome:
    """One line of an output or error file."""

    custom_id: str
    completion: dict[str, Any] | None  # the chat.completion, when the request succeeded
    error: str  # why not, otherwise


def parse_result(obj: dict[str, Any]) -> Outcome:
    """Read one output/error-file line, in the OpenAI format the compatible endpoints share."""
    cid = str(obj.get("custom_id") or "")
    response = obj.get("response") or {}
    body = response.get("body")
    status = response.get("status_code")
    if body is None and "choices" in response:  # some servers write the completion bare
        body, status = response, 200
    if status == 200 and isinstance(body, dict) and body.get("choices"):
        return Outcome(cid, body, "")
    err = obj.get("error") or (body.get("error") if isinstance(body, dict) else None) or {}
    if isinstance(err, dict):
        what = err.get("message") or err.get("code") or "no answer"
        code = err.get("code")
        detail = f"{code}: {what}" if code and code != what else str(what)
    else:
        detail = str(err)
    prefix = f"HTTP {status}: " if status and status != 200 else ""
    return Outcome(cid, None, _first_line(prefix + detail))


class _NoRetryOnCreate(httpx2.AsyncBaseTransport):
    """Retries every request but batch creation: a create retried after a lost answer could
    submit the same lines twice, so `BatchClient.submit` looks the batch up before repeating."""

    def __init__(self, network: httpx2.AsyncBaseTransport, policy: RetryPolicy) -> None:
        self.plain = network
        self.retrying = RetryTransport(network, policy)

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        creating = request.method == "POST" and request.url.path.rstrip("/").endswith("/batches")
        inner = self.plain if creating else self.retrying
        return await inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.plain.aclose()


class BatchClient:
    """The Files and Batches resources of an OpenAI-compatible endpoint."""

    def __init__(
        self,
        settings: Settings,
        transport: httpx2.AsyncBaseTransport | None = None,
        retry_policy: RetryPolicy | None = None,
    ) -> None:
        policy = retry_policy or RetryPolicy(attempts=settings.http_retries + 1)
        self._policy = policy
        network = transport or httpx2.AsyncHTTPTransport()
        self._http = httpx2.AsyncClient(
            transport=_NoRetryOnCreate(network, policy), timeout=settings.timeout
        )
        self._client = openai.AsyncOpenAI(
            api_key=settings.api_key or "no-key",
            base_url=settings.base_url,
            max_retries=0,
            timeout=settings.timeout,
            http_client=self._http,
        )

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self._http.aclose()

    async def upload(self, path: Path) -> str:
        """Upload an input file with purpose "batch"; its file id."""
        try:
            with path.open("rb") as f:
                obj = await self._client.files.create(
                    file=(path.name, f, "application/jsonl"), purpose="batch"
                )
        except openai.APIError as e:
            raise _batch_error(e, "uploading an input file") from e
        return obj.id

    async def find(self, file_id: str) -> Any | None:
        """The batch already made from an input file, if any (after a crash mid-submit)."""
        try:
            async for batch in self._client.batches.list(limit=100):
                if batch.input_file_id == file_id:
                    return batch
        except openai.APIError as e:
            raise _batch_error(e, "listing batches") from e
        return None

    async def submit(self, file_id: str) -> Any:
        """Create the batch for an uploaded file, never twice for the same file."""
        for attempt in range(1, CREATE_ATTEMPTS + 1):
            existing = await self.find(file_id) if attempt > 1 else None
            if existing is not None:
                return existing
            try:
                return await self._client.batches.create(
                    completion_window=WINDOW,
                    endpoint=ENDPOINT,
                    input_file_id=file_id,
                    metadata={"created_by": "summarizer"},
                )
            except (openai.APIConnectionError, openai.InternalServerError, openai.RateLimitError):
                if attempt == CREATE_ATTEMPTS:
                    raise EndpointError("the endpoint kept failing to create a batch") from None
                await self._policy.sleep(min(self._policy.max_delay, 2.0**attempt))
            except openai.APIStatusError as e:
                if 400 <= e.status_code < 500 and e.status_code not in (401, 403, 404):
                    raise BatchRefused(str(_batch_error(e, "creating a batch"))) from e
                raise _batch_error(e, "creating a batch") from e
            except openai.APIError as e:
                raise _batch_error(e, "creating a batch") from e
        raise AssertionError("unreachable")

    async def status(self, batch_id: str) -> Any:
        """The batch as the endpoint sees it now."""
        try:
            return await self._client.batches.retrieve(batch_id)
        except openai.APIError as e:
            raise _batch_error(e, f"reading batch {batch_id}") from e

    async def discard(self, file_ids: list[str]) -> None:
        """Delete files at the endpoint once collected (its file space is limited); best effort."""
        for file_id in file_ids:
            try:
                await self._client.files.delete(file_id)
            except openai.APIError:
                pass  # a file left behind costs storage, not correctness

    async def results(self, file_id: str) -> AsyncIterator[Outcome]:
        """The lines of an output or error file, streamed (a file may be 200 MB)."""
        try:
            async with self._client.files.with_streaming_response.content(file_id) as r:
                async for text in r.iter_lines():
                    if not text.strip():
                        continue
                    try:
                        obj = json.loads(text)
                    except ValueError:
                        continue  # a torn line names no request; its request is retried
                    if isinstance(obj, dict):
                        yield parse_result(obj)
        except openai.APIError as e:
            raise _batch_error(e, f"downloading {file_id}") from e


async def pause(seconds: float) -> None:
    """Wait between polls (a function, so a test can make it instant)."""
    await asyncio.sleep(seconds)


def _batch_error(exc: openai.APIError, doing: str) -> EndpointError:
    status = getattr(exc, "status_code", None)
    if status == 404:
        return EndpointError(
            f"the endpoint has no Batch API (HTTP 404 while {doing}) — use --via live"
        )
    err = _endpoint_error(exc)
    return EndpointError(f"{err} (while {doing})")
