"""The state of a `--via batch` run, kept in the output folder so any later run can resume it.

`OUT/.summarizer-batch/state.json` says which request lines were written to which input file,
which file was uploaded as which file id and submitted as which batch, which report chunks each
line answers, and what became of it. It is rewritten atomically after every step that talks to
the provider, so a crash, a reboot or Ctrl-C at any point leaves a state that the same command
picks up without submitting any line twice. No key, header or URL credential is ever stored.

A line is named by its custom_id, the first 32 hex digits of the request's cache key
(cassette.request_key): the same request from two chunks is one line.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from .errors import UsageError
from .outputs import write_atomic
from .pricing import Prices, cost
from .regular import read_regular_text

RUN_DIR = ".summarizer-batch"
STATE = "state.json"
MAX_STATE = 256 * 1024 * 1024  # bytes; a run of a million requests keeps well under it
VERSION = 1
# Line states: queued (written to an input file, not yet in a batch), submitted (in a batch),
# done (answer collected), error (the provider's error file named it), unfinished (its batch
# ended failed, expired or cancelled without answering it).
RETRYABLE = ("error", "unfinished")
# Batch statuses after which nothing more will come.
TERMINAL = ("completed", "failed", "expired", "cancelled")


@dataclass
class Line:
    """One request line."""

    key: str
    model: str
    chunks: list[str]  # "report path#chunk index" of every chunk this request answers
    ask: int  # 0 for the first question, n for instructor's n-th re-ask
    file: str = ""
    at: tuple[int, int] = (0, 0)  # byte offset and length of the line in its input file
    state: str = "queued"
    batch: str = ""
    attempts: int = 0
    error: str = ""


@dataclass
class InputFile:
    """One JSONL input file (one model, within the provider's limits)."""

    model: str
    lines: int
    bytes: int
    file_id: str = ""
    batch: str = ""
    refused: str = ""  # why the endpoint would not make a batch of it (its lines go again)


@dataclass
class BatchRecord:
    """One batch at the provider."""

    file: str
    status: str = "validating"
    collected: bool = False
    completed: int = 0
    failed: int = 0
    total: int = 0
    error: str = ""


@dataclass
class Totals:
    """What the collected answers cost."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float = 0.0


@dataclass
class RunState:
    """Everything a later run needs to resume this one."""

    path: Path
    endpoint: str = ""
    lines: dict[str, Line] = field(default_factory=dict)
    files: dict[str, InputFile] = field(default_factory=dict)
    batches: dict[str, BatchRecord] = field(default_factory=dict)
    totals: Totals = field(default_factory=Totals)

    @property
    def dir(self) -> Path:
        return self.path.parent

    @classmethod
    def load(cls, out_dir: Path, endpoint: str | None) -> RunState:
        """The state in out_dir, or a fresh one; refuses a state made against another endpoint."""
        path = out_dir / RUN_DIR / STATE
        here = endpoint_label(endpoint)
        try:
            raw = json.loads(read_regular_text(path, MAX_STATE))
            state = cls(
                path,
                raw.get("endpoint", ""),
                lines={k: Line(**{**v, "at": tuple(v["at"])}) for k, v in raw["lines"].items()},
                files={k: InputFile(**v) for k, v in raw["files"].items()},
                batches={k: BatchRecord(**v) for k, v in raw["batches"].items()},
                totals=Totals(**raw.get("totals", {})),
            )
        except FileNotFoundError:
            return cls(path, here)
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError) as e:
            raise UsageError(
                f"{path}: unreadable batch state ({type(e).__name__}); "
                "move it away to start the run afresh"
            ) from None
        for line in state.lines.values():
            if line.state == "queued" and line.file not in state.files:
                # Written to a file that a crash left unfinished: never sent, so not a try.
                line.state, line.attempts = "unfinished", max(0, line.attempts - 1)
        active = any(not b.collected for b in state.batches.values())
        if active and state.endpoint != here:
            raise UsageError(
                f"{out_dir}: its batches were submitted to {state.endpoint}, not {here}; "
                "use the same --base-url to collect them, or another --out-dir"
            )
        state.endpoint = here
        return state

    def save(self) -> None:
        """Write the state atomically."""
        data: dict[str, Any] = {
            "version": VERSION,
            "endpoint": self.endpoint,
            "lines": {k: asdict(v) for k, v in self.lines.items()},
            "files": {k: asdict(v) for k, v in self.files.items()},
            "batches": {k: asdict(v) for k, v in self.batches.items()},
            "totals": asdict(self.totals),
        }
        write_atomic(self.path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")

    def next_file_name(self) -> str:
        """A fresh input file name: input-0001.jsonl, input-0002.jsonl, …"""
        return f"input-{len(self.files) + 1:04d}.jsonl"

    def in_flight(self) -> list[str]:
        """Ids of the batches not yet collected."""
        return [b for b, rec in self.batches.items() if not rec.collected]

    def on_its_way(self, line: Line) -> bool:
        """Whether a line is in a file still to submit or in a batch still running."""
        if line.state == "queued":
            f = self.files.get(line.file)
            # None: in this round's spool, not yet closed
            return f is None or not (f.batch or f.refused)
        if line.state == "submitted":
            rec = self.batches.get(line.batch)
            return rec is not None and not rec.collected
        return False

    def refuse(self, name: str, why: str) -> None:
        """The endpoint will not run this file: its lines are tried again, up to the limit."""
        self.files[name].refused = why
        for line in self.lines.values():
            if line.file == name and line.state == "queued":
                line.state, line.error = "error", why
        self.save()

    def count(self, line: Line, usage: dict[str, Any], prices: Prices) -> None:
        """Add an answered line's tokens, and their cost at the batch price, to the totals."""
        t = self.totals
        pt, ct = int(usage.get("prompt_tokens") or 0), int(usage.get("completion_tokens") or 0)
        t.prompt_tokens += pt
        t.completion_tokens += ct
        t.cost = round(t.cost + cost(line.model, pt, ct, prices), 6)

    def counts(self) -> dict[str, int]:
        """Lines by state, for the progress line."""
        out: dict[str, int] = {}
        for line in self.lines.values():
            out[line.state] = out.get(line.state, 0) + 1
        return out


def endpoint_label(base_url: str | None) -> str:
    """The endpoint a state belongs to: scheme, host and path only, never credentials."""
    if not base_url:
        return "https://api.openai.com/v1"
    u = urlparse(base_url)
    host = u.hostname or ""
    port = f":{u.port}" if u.port else ""
    return f"{u.scheme}://{host}{port}{u.path.rstrip('/')}"
