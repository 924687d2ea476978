"""The live-model engine: one instructor call per chunk, chunks of a report run concurrently.

This is the only module (with the cassette transport) that imports openai and instructor.
Each call passes the chunk as instructor's `context` (a `reask.ReaskContext`), so the grounding
validators in reask.py reject a quote that is not in the chunk, or a value that is not in its
quote, and instructor re-asks with that error. When the re-asks run out, the last answer is
kept without grounding and the pipeline's validation pass flags what is wrong with it.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import re
from typing import Any
from urllib.parse import urlparse

import httpx2
import instructor
import openai
from instructor.core.exceptions import InstructorRetryException
from openai.types.chat import ChatCompletionMessageParam
from pydantic import ValidationError

from .. import records
from ..cassette import CassetteStore, CassetteTransport, Recording
from ..config import Settings
from ..errors import CassetteError, EndpointError, EngineError
from ..models import ChunkSummary, chunk_record
from ..prompting import load_prompt, prompt_hash
from ..reask import ChunkSummary as GroundedChunkSummary
from ..reask import ReaskContext
from ..records import ReportWarning
from ..transport import LimitTransport, MeteringTransport, RetryPolicy, RetryTransport
from ..usage import UsageMeter, current_meter
from . import ChunkResult, EngineOutput, PreparedReport

SYSTEM_PROMPT = "extract_system.md"
USER_PROMPT = "extract_user.md"

_MODES = {
    "tools": instructor.Mode.TOOLS,
    "json": instructor.Mode.JSON,
    "md_json": instructor.Mode.MD_JSON,
    "json_schema": instructor.Mode.JSON_SCHEMA,
}

# What an endpoint accepts, by base-URL host and model name; first match wins.
#   DashScope (Qwen) accepts only tool_choice "auto" and no json_schema response format, and
#   instructor's tools mode forces a named tool, so Qwen gets JSON mode (json_object).
#   deepseek-reasoner refuses both tool calls and JSON output, so it answers in a ```json block.
#   OpenAI, vLLM and anything unknown speak tools.
CAPABILITIES: tuple[tuple[str, str, str], ...] = (
    # (host substring, model substring, mode)
    ("", "deepseek-reasoner", "md_json"),
    ("", "deepseek-r1", "md_json"),
    ("dashscope", "", "json"),
    ("", "qwen", "json"),
    ("api.openai.com", "", "tools"),
    ("", "", "tools"),
)


def choose_mode(base_url: str | None, model: str, requested: str = "auto") -> str:
    """The instructor mode to use: the one asked for, or the capability table's choice."""
    if requested != "auto":
        return requested
    host = (urlparse(base_url).hostname or "") if base_url else "api.openai.com"
    name = model.lower()
    for host_part, model_part, mode in CAPABILITIES:
        if host_part in host and model_part in name:
            return mode
    return "tools"


def _quiet_sdk_loggers() -> None:
    # instructor logs every failed call at ERROR with the endpoint's message, which may echo the
    # API key; with no handler configured Python would print it to stderr. Our own errors say
    # what went wrong in one line instead.
    logging.getLogger("instructor").setLevel(logging.CRITICAL)
    logging.getLogger("openai").setLevel(logging.WARNING)


class LLMEngine:
    """Extracts each chunk with a model behind an OpenAI-compatible endpoint."""

    name = "llm"

    def __init__(
        self,
        settings: Settings,
        transport: httpx2.AsyncBaseTransport | None = None,
        retry_policy: RetryPolicy | None = None,
        answers: httpx2.AsyncBaseTransport | None = None,
    ) -> None:
        """`answers`, when given, replaces the whole HTTP stack (network, retries, cache): the
        Batch API driver (batch_api.py) answers each request from collected batch output and
        learns the exact body of every request it has no answer for yet."""
        _quiet_sdk_loggers()
        self.settings = settings
        self.model = settings.model
        self.mode = choose_mode(settings.base_url, settings.model, settings.mode)
        policy = retry_policy or RetryPolicy(attempts=settings.http_retries + 1)
        metered = MeteringTransport(transport or httpx2.AsyncHTTPTransport())
        self.limiter = LimitTransport(metered, settings.concurrency, settings.rpm)
        network = RetryTransport(self.limiter, policy)
        stack = answers if answers is not None else _with_cassettes(network, settings)
        self._http = httpx2.AsyncClient(transport=stack, timeout=settings.timeout)
        # Replay needs no key; the SDK insists on one, and this placeholder is never sent anywhere
        # that records it (Authorization is filtered out of cassettes).
        client = openai.AsyncOpenAI(
            api_key=settings.api_key or "no-key",
            base_url=settings.base_url,
            max_retries=0,
            timeout=settings.timeout,
            http_client=self._http,
        )
        self._client = instructor.from_openai(client, mode=_MODES[self.mode])

    async def aclose(self) -> None:
        """Close the HTTP client."""
        await self._http.aclose()

    async def summarize(self, report: PreparedReport) -> EngineOutput:
        """Extract every chunk of the report concurrently, within the concurrency limit."""
        meter = current_meter.get() or UsageMeter()
        token = current_meter.set(meter)
        chunks = asked_chunks(report)
        try:
            answers = await asyncio.gather(*(self.extract_chunk(report, chunk) for chunk in chunks))
        finally:
            current_meter.reset(token)
        out = EngineOutput(results=[], usage=meter)
        for chunk, (summary, warning) in zip(chunks, answers, strict=True):
            out.results.append(ChunkResult(chunk.start, chunk.end, summary))
            if warning is not None:
                out.warnings.append(warning)
        return out

    def _messages(self) -> list[ChatCompletionMessageParam]:
        return [
            {"role": "system", "content": load_prompt(SYSTEM_PROMPT)},
            {"role": "user", "content": load_prompt(USER_PROMPT)},
        ]

    async def extract_chunk(
        self, report: PreparedReport, chunk: Any
    ) -> tuple[records.ChunkSummary, ReportWarning | None]:
        """One chunk's answer: instructor's request, parsing, grounding validators and re-asks."""
        context = ReaskContext.of(chunk, report.outline)
        try:
            asking = asyncio.ensure_future(self._ask(context, chunk))
            await asyncio.sleep(0)  # the request is on its way before the CPU work below
            context.prepare()
            summary, warning = await asking
        except Exception as exc:
            # A recording or cache problem surfaces inside the SDK as a connection error: say
            # what it really is (a replay miss, an unwritable or malformed file).
            miss = _cause(exc, CassetteError)
            if miss is not None:
                raise miss from None
            raise
        meter = current_meter.get()
        if meter is not None:
            meter.chunks_done += 1
        # The answer leaves the engine as the pipeline's plain record.
        return chunk_record(summary), warning

    async def _ask(
        self, context: ReaskContext, chunk: Any
    ) -> tuple[ChunkSummary, ReportWarning | None]:
        try:
            summary = await self._client.chat.completions.create(
                model=self.settings.model,
                response_model=GroundedChunkSummary,
                messages=self._messages(),
                # instructor renders the prompts from it (a mapping) and hands it to the
                # validators; its signature says dict, it only reads it.
                context=context,  # type: ignore[arg-type]
                max_retries=self.settings.reasks,
                temperature=self.settings.temperature,
            )
            return summary, None
        except InstructorRetryException as exc:
            return self._after_failed_reasks(exc, chunk)
        except openai.APIError as exc:
            raise _endpoint_error(exc) from exc

    def _after_failed_reasks(
        self, exc: Exception, chunk: Any
    ) -> tuple[ChunkSummary, ReportWarning]:
        cause = exc.__cause__
        if isinstance(cause, openai.APIError):
            raise _endpoint_error(cause) from exc
        completion = getattr(exc, "last_completion", None)
        raw = _answer_text(completion)
        try:
            # No context: the grounding validators stand down, the validation pass flags instead.
            summary = ChunkSummary.model_validate_json(raw) if raw else None
        except ValidationError:
            summary = None
        if summary is None:
            raise EngineError(
                f"the model gave no usable answer for chunk {chunk.index + 1} "
                f"after {self.settings.reasks} re-asks: {_first_line(str(cause or exc))}"
            )
        warning = ReportWarning(
            kind="unverified",
            message=(
                f"第{chunk.index + 1}段：模型答案经{self.settings.reasks}次重问仍未通过核对，"
                f"已保留并标注（{_first_line(str(cause or exc))}）"
            ),
        )
        return summary, warning


def asked_chunks(report: PreparedReport) -> list[Any]:
    """The chunks sent to the model; the preamble (title, date, 各位代表) holds nothing to ask."""
    return [c for c in report.chunks if c.section.value != "preamble"]


def recording_stamp() -> Recording:
    """The prompt and schema hashes stamped into cassettes, to explain a replay miss."""
    schema = json.dumps(
        GroundedChunkSummary.model_json_schema(), ensure_ascii=False, sort_keys=True
    )
    return Recording(
        prompts={n: prompt_hash(n) for n in (SYSTEM_PROMPT, USER_PROMPT)},
        schema=hashlib.sha256(schema.encode()).hexdigest()[:16],
    )


def _with_cassettes(
    network: httpx2.AsyncBaseTransport, settings: Settings
) -> httpx2.AsyncBaseTransport:
    stamp = recording_stamp()
    for folder in (settings.record_dir, settings.cache_dir):
        if folder and not settings.replay_dir:
            CassetteStore(folder).check_writable()  # before any paid request, not after
            break
    if settings.replay_dir:
        return CassetteTransport(None, CassetteStore(settings.replay_dir), "replay", stamp)
    if settings.record_dir:
        return CassetteTransport(network, CassetteStore(settings.record_dir), "record", stamp)
    if settings.cache_dir:
        return CassetteTransport(network, CassetteStore(settings.cache_dir), "cache", stamp)
    return network


def _cause(exc: BaseException | None, kind: type[BaseException]) -> BaseException | None:
    seen = 0
    while exc is not None and seen < 10:
        if isinstance(exc, kind):
            return exc
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return None


def _endpoint_error(exc: openai.APIError) -> EndpointError:
    status = getattr(exc, "status_code", None)
    if status in (401, 403):
        return EndpointError(
            f"the endpoint refused the API key (HTTP {status}) — check OPENAI_API_KEY"
        )
    if isinstance(exc, openai.APITimeoutError):
        return EndpointError("the model endpoint timed out after retries — try a larger --timeout")
    if isinstance(exc, openai.APIConnectionError):
        return EndpointError("cannot reach the model endpoint — check --base-url / OPENAI_BASE_URL")
    what = f"HTTP {status}" if status else type(exc).__name__
    return EndpointError(f"the model endpoint failed ({what}): {_first_line(exc.message)}")


def _first_line(text: str, limit: int = 200) -> str:
    line = next((ln.strip() for ln in text.splitlines() if ln.strip()), "")
    return line[:limit]


_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.S)


def _answer_text(completion: Any) -> str | None:
    """The JSON the model answered with, from a tool call or the message content."""
    try:
        message = completion.choices[0].message
    except (AttributeError, IndexError, TypeError):
        return None
    calls = getattr(message, "tool_calls", None) or []
    if calls:
        return str(calls[0].function.arguments)
    content = message.content or ""
    m = _FENCE.search(content)
    if m:
        content = m.group(1)
    start, end = content.find("{"), content.rfind("}")
    if start < 0 or end < start:
        return None
    candidate = content[start : end + 1]
    try:
        json.loads(candidate)
    except ValueError:
        return None
    return candidate
