"""Exceptions raised by summarizer, and the exit codes the CLI maps them to.

    SummarizerError                 base; str(e) is a one-line message a user can act on
    ├── InputError          exit 2  the report cannot be read: missing, empty, binary, not a report
    ├── UsageError          exit 2  bad flags or configuration (no key for --engine llm, bad --mode)
    ├── CassetteError       exit 2  a cache/record/replay file cannot be read or written (named)
    │   └── ReplayMissError exit 2  --replay found no recorded exchange for a request
    └── EngineError         exit 1  the engine failed on a report after its retries
        └── EndpointError   exit 1  the model endpoint kept failing (HTTP status, timeout)

Validation failures are not exceptions: they are claims with a flag status in the summary.
"""

from __future__ import annotations

from .secrets import scrub


class SummarizerError(Exception):
    """Base class; the message is one line, fit for stderr, with any secret scrubbed from it."""

    exit_code = 1

    def __init__(self, message: str = "", *args: object) -> None:
        # The endpoint's own words end up in these messages, and an endpoint may echo the key.
        super().__init__(scrub(str(message)), *args)


class InputError(SummarizerError):
    """The input cannot be read as a report."""

    exit_code = 2


class UsageError(SummarizerError):
    """Bad flags, environment or configuration."""

    exit_code = 2


class CassetteError(SummarizerError):
    """A recording or cache file cannot be read or written; the message names it and why."""

    exit_code = 2


class ReplayMissError(CassetteError):
    """Replay mode met a request that was never recorded."""


class EngineError(SummarizerError):
    """The engine could not produce a summary for a report."""

    exit_code = 1


class EndpointError(EngineError):
    """The model endpoint failed after retries."""
