"""Reports through a provider's Batch API (`--via batch`): rounds of batches until all are done.

The live engine runs every chunk exactly as it would live, but with its HTTP stack replaced by
`AnswerTransport`, which answers from the answers collected from batches (and from the response
cache) and stops every request it has no answer for yet, keeping its exact body. Those bodies
are the batch lines. When a batch's answers are collected the chunks run again: instructor
parses each answer and the grounding validators judge it just as they judge a live answer; a
rejected answer makes instructor write its re-ask, which becomes a line of the next round, up
to the same re-ask limit. Request bodies, cache keys, parsing, validators and re-asks are
therefore the live path's by construction, and a report whose chunks all have their answer is
merged, validated and written at once by pipeline.assemble, as live.

Collected answers are kept in the run folder (OUT/.summarizer-batch/answers) and written to the
response cache, so a later live or batch run of the same reports costs nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .batch import (
    ReportRun,
    ReportWriter,
    fingerprint,
    plan_runs,
    source_key,
)
from .batch_answers import AnswerPending, AnswerTransport
from .batch_state import RETRYABLE, TERMINAL, BatchRecord, Line, RunState
from .cassette import CassetteStore, exchange_record
from .config import Settings
from .engines import ChunkResult, EngineOutput
from .errors import SummarizerError
from .ingest import read_report
from .manifest import Manifest, out_dir_lock
from .pricing import load_prices
from .usage import UsageMeter, current_meter

if TYPE_CHECKING:  # batch_api imports openai: only when a batch run starts
    from .engines.batch_api import BatchClient, Spool

# A line the provider keeps refusing (its error file) is tried this many times in all.
MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class BatchOptions:
    """The --via batch flags, and the outputs' format, detail and --force."""

    max_lines: int
    max_bytes: int
    poll: float = 60.0
    detach: bool = False
    dry_run: bool = False
    fmt: str = "md"
    detail: str = "page"
    force: bool = False


Say = Callable[[str], None]


class BatchRun:
    """One `summarize --via batch` command: drive, submit, poll, collect, until done."""

    def __init__(
        self,
        paths: Sequence[str] | Sequence[ReportRun],
        settings: Settings,
        out_dir: Path,
        options: BatchOptions,
        say: Say = print,
        out: Say = print,
        on_change: Callable[[ReportRun], None] | None = None,
        client: BatchClient | None = None,
    ) -> None:
        from .engines.llm import recording_stamp

        self.settings, self.out_dir, self.opt = settings, out_dir, options
        self.say, self.out = say, out
        fmt, detail = options.fmt, options.detail
        self.notify = on_change or (lambda run: None)
        self._client = client
        self.cache = CassetteStore(settings.cache_dir) if settings.cache_dir else None
        self.stamp = recording_stamp()
        self.prices = load_prices(settings.prices_file, batch=True)
        self.manifest = Manifest(out_dir)
        self.fp = fingerprint(settings, fmt, detail)
        # Written as the live batch writes (any format and detail), at the batch price.
        self.writer = ReportWriter(
            settings.strict, fmt, detail, self.prices, self.manifest, self.fp
        )
        # One run per report file and per corpus row; a row keeps its Document across rounds
        # (a file is read again each round it is driven).
        runs = [p for p in paths if isinstance(p, ReportRun)]
        if len(runs) < len(paths):
            runs = plan_runs([p for p in paths if isinstance(p, str)], out_dir, fmt)
        self.runs = runs
        self.waiting: dict[str, set[int]] = {}  # custom_id -> reports waiting for that line
        self._last_progress = ""
        self._idle_rounds = 0  # rounds in a row that found lines missing but submitted none
        # --dry-run: custom_id -> (chunk, model, prompt characters, bytes of the line)
        self.planned: dict[str, tuple[str, str, int, int]] = {}

    async def run(self) -> list[ReportRun]:
        """Rounds until every report is done or failed (or, with --detach, until submitted).

        The run's state is read once this run holds the output folder (another run on it
        finishes first; a dry run writes nothing, so takes no turn).
        """
        if self.opt.dry_run:
            return await self._rounds()
        self.out_dir.mkdir(parents=True, exist_ok=True)
        with out_dir_lock(self.out_dir, self.say):
            return await self._rounds()

    async def _rounds(self) -> list[ReportRun]:
        from .engines.batch_api import BatchClient
        from .engines.llm import LLMEngine

        self.state = RunState.load(self.out_dir, self.settings.base_url)
        self.store = CassetteStore(self.state.dir / "answers")
        bare = self.settings.with_(record_dir=None, replay_dir=None, cache_dir=None)
        self.engine = LLMEngine(bare, answers=AnswerTransport(self.store, self.cache))
        self.client = self._client or BatchClient(self.settings)
        try:
            todo = set(range(len(self.runs)))
            first = True
            while True:
                await self._round(todo, first)
                first = False
                if self.opt.dry_run:
                    from .batch_view import print_plan

                    opt = self.opt
                    print_plan(self.planned, opt.max_lines, opt.max_bytes, self.prices, self.out)
                    return self.runs
                await self._submit()
                if not self.waiting:
                    return self.runs
                todo = await self._wait()
                if not todo:  # detached
                    return self.runs
        finally:
            self.manifest.flush()
            await self.engine.aclose()
            await self.client.aclose()

    # --- driving reports through the live engine --------------------------------------------

    async def _round(self, todo: set[int], first: bool) -> None:
        from .engines.batch_api import LineTooBig, Spool

        spool = Spool(self.state, self.opt.max_lines, self.opt.max_bytes)
        try:
            for i in sorted(todo):
                run = self.runs[i]
                if run.status == "failed":  # found unreadable while planning, or given up
                    if first:
                        self.notify(run)
                    continue
                try:
                    pending = await self._drive(run, first)
                    if pending:
                        self._queue(i, pending, spool)
                except LineTooBig as e:
                    run.status, run.reason = "failed", str(e)
                    self.notify(run)
                if not self.opt.dry_run and spool.take_full():
                    # A full file goes out now: a big corpus starts while the rest is prepared.
                    self.state.save()
                    await self._submit()
        finally:
            if not self.opt.dry_run:
                spool.close_all()
                self.state.save()

    async def _drive(self, run: ReportRun, first: bool) -> list[tuple[str, AnswerPending]]:
        """Run a report's chunks; write it when all are answered, else say what is missing."""
        from .engines.llm import asked_chunks
        from .pipeline import prepare

        try:
            document = run.document or read_report(run.path)
            assert run.output is not None
            if (
                first  # before any paid request
                and self.manifest.settled(
                    source_key(run), run.output, document.sha256, self.fp, self.opt.force
                )
            ):
                run.status, run.document = "skipped", None
                self.notify(run)
                return []
            s = self.settings
            report = prepare(document, s.chunk_chars, s.place, s.year)
            chunks = asked_chunks(report)
            run.chunks = len(chunks)
            meter = UsageMeter()
            token = current_meter.set(meter)
            try:
                answers = await asyncio.gather(
                    *(self.engine.extract_chunk(report, c) for c in chunks),
                    return_exceptions=True,
                )
            finally:
                current_meter.reset(token)
            run.meter = meter
            pending = [
                (f"{run.path}#{c.index}", a)
                for c, a in zip(chunks, answers, strict=True)
                if isinstance(a, AnswerPending)
            ]
            failure = next((a for a in answers if isinstance(a, BaseException)), None)
            if failure is not None and not isinstance(failure, AnswerPending):
                raise failure
            if pending:
                run.status = "waiting"
                return pending
            if self.opt.dry_run:  # every answer is in the cache already: nothing to send
                run.status = "cached"
                return []
            output = EngineOutput(results=[], usage=meter)
            for c, (summary, warning) in zip(chunks, answers, strict=True):  # type: ignore[misc]
                output.results.append(ChunkResult(c.start, c.end, summary))
                if warning is not None:
                    output.warnings.append(warning)
            outcome = self.writer.write(report, self.engine, output, run.output, source_key(run))
            run.document = None  # written: a row's text is no longer needed
            run.done(outcome.summary, outcome.flagged_before_strict)
        except SummarizerError as e:
            run.status, run.reason = "failed", str(e)
        except Exception as e:  # one report must never stop the run
            run.status, run.reason = "failed", f"internal error: {type(e).__name__}: {e}"
        self.notify(run)
        return []

    def _queue(self, i: int, pending: list[tuple[str, AnswerPending]], spool: Spool) -> None:
        """Turn a report's missing answers into lines, each line once."""
        from .batch_view import prompt_chars
        from .engines.batch_api import request_line

        run = self.runs[i]
        for _, p in pending:
            spool.check(p.key[:32], p.body)  # a report with a request too big sends none
            line = self.state.lines.get(p.key[:32])
            if line and line.state in RETRYABLE and line.attempts >= MAX_ATTEMPTS:
                run.status = "failed"
                run.reason = f"the batch endpoint gave no answer after {line.attempts} tries: "
                run.reason += line.error or "no reason given"
                self.notify(run)
                return
        for ref, p in pending:
            cid = p.key[:32]
            if self.opt.dry_run:
                if cid not in self.planned:
                    size = len(request_line(cid, p.body))
                    model = str(p.body.get("model", ""))
                    self.planned[cid] = (ref, model, prompt_chars(p.body), size)
                continue
            line = self.state.lines.get(cid)
            if line is not None and self.state.on_its_way(line):
                if ref not in line.chunks:
                    line.chunks.append(ref)
                self.waiting.setdefault(cid, set()).add(i)
                continue  # already on its way: never a second line
            if line is None:
                asks = sum(m.get("role") == "assistant" for m in p.body.get("messages", []))
                line = Line(p.key, str(p.body.get("model", "")), [ref], asks)
            spool.add(cid, line, p.body)  # may refuse a request too big for any file
            line.state, line.batch, line.attempts = "queued", "", line.attempts + 1
            self.state.lines[cid] = line
            self.waiting.setdefault(cid, set()).add(i)

    # --- the provider -----------------------------------------------------------------------

    async def _submit(self) -> None:
        """Upload and submit every input file not yet in a batch; save the state after each."""
        from .engines.batch_api import BatchRefused

        for name, f in self.state.files.items():
            if f.batch or f.refused:
                continue
            batch = None
            if f.file_id:  # uploaded by an earlier run that may have died right after creating
                batch = await self.client.find(f.file_id)
            else:
                f.file_id = await self.client.upload(self.state.dir / name)
                self.state.save()
            try:
                batch = batch or await self.client.submit(f.file_id)
            except BatchRefused as e:
                self.state.refuse(name, str(e))
                self.say(f"{name} refused: {e}")
                continue
            f.batch = batch.id
            self.state.batches[batch.id] = BatchRecord(name, batch.status, total=f.lines)
            for line in self.state.lines.values():
                if line.file == name and line.state == "queued":
                    line.state, line.batch = "submitted", batch.id
            self.state.save()
            self._idle_rounds = 0
            self.say(f"submitted {name} as batch {batch.id}: {f.lines:,} requests, {f.model}")

    async def _wait(self) -> set[int]:
        """Poll until some batch ends; the reports its answers concern (none when detached)."""
        from .batch_view import detached_message, progress_line
        from .engines.batch_api import pause

        while True:
            changed: set[str] = set()
            for bid in self.state.in_flight():
                changed |= await self._check(bid)
            line = progress_line(self.state)
            if line != self._last_progress:  # a line per change, not per poll
                self.say(line)
                self._last_progress = line
            if changed:
                todo: set[int] = set()
                for cid in changed:
                    todo |= self.waiting.pop(cid, set())
                if todo:
                    return todo
            if not self.state.in_flight() and self.waiting:
                # Waiting on lines no batch holds (refused, or answers lost): a new round
                # resubmits them, each line within its tries; rounds that submit nothing stop.
                todo = set().union(*self.waiting.values())
                self.waiting.clear()
                self._idle_rounds += 1
                if self._idle_rounds > MAX_ATTEMPTS:
                    for i in todo:
                        run = self.runs[i]
                        run.status, run.reason = "failed", "no batch would take its requests"
                        self.notify(run)
                    return set()
                return todo
            if self.opt.detach:
                self.say(detached_message(self.state))
                return set()
            await pause(self.opt.poll)

    async def _check(self, bid: str) -> set[str]:
        rec = self.state.batches[bid]
        batch = await self.client.status(bid)
        rec.status = batch.status
        counts = batch.request_counts
        if counts is not None:
            rec.completed, rec.failed, rec.total = counts.completed, counts.failed, counts.total
        if batch.status not in TERMINAL:
            return set()
        errors = getattr(batch.errors, "data", None) or []
        rec.error = "; ".join(str(e.message or e.code) for e in errors)[:300]
        changed = await self._collect(bid, batch, rec.error)
        rec.collected = True
        self.state.save()
        # Every answer is stored and every unanswered line will be rebuilt from its chunk, so
        # the input file (here and at the endpoint) and the result files are no longer needed.
        (self.state.dir / rec.file).unlink(missing_ok=True)
        ids = [batch.input_file_id, batch.output_file_id, batch.error_file_id]
        await self.client.discard([i for i in ids if i])
        return changed

    async def _collect(self, bid: str, batch: Any, why: str) -> set[str]:
        """Store every answer of a finished batch; mark what failed or never ran."""
        from .engines.batch_api import ENDPOINT, read_request

        changed: set[str] = set()
        for file_id in (batch.output_file_id, batch.error_file_id):
            if not file_id:
                continue
            async for o in self.client.results(file_id):
                line = self.state.lines.get(o.custom_id)
                if line is None or line.batch != bid or line.state != "submitted":
                    continue
                changed.add(o.custom_id)
                if o.completion is None:
                    line.state, line.error = "error", o.error
                    continue
                body = read_request(self.state, line)
                record = exchange_record(line.key, self.stamp, "POST", ENDPOINT, body, o.completion)
                self.store.save(line.key, record)
                if self.cache is not None:
                    self.cache.save(line.key, record)
                line.state, line.error = "done", ""
                self.state.count(line, o.completion.get("usage") or {}, self.prices)
        for cid, line in self.state.lines.items():
            if line.batch == bid and line.state == "submitted":
                line.state = "unfinished"
                line.error = f"batch {batch.status}" + (f" ({why})" if why else "")
                changed.add(cid)
        return changed
