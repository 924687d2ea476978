"""The live-model path end to end: real openai SDK + real instructor over a loopback socket."""

from __future__ import annotations

import asyncio
import json

import pytest
from conftest import REPORTS
from loopback import (
    LoopbackServer,
    Reply,
    answer_with,
    completion,
    error_body,
    grounded_answer,
    is_reask,
    meaningless_answer,
    report_text,
)

from summarizer.config import DEFAULT_CHUNK_CHARS, Settings
from summarizer.engines.llm import LLMEngine, choose_mode
from summarizer.errors import EndpointError
from summarizer.indicators import FOUND_OUTCOME_AREA
from summarizer.ingest import Document
from summarizer.pipeline import prepare, summarize_report
from summarizer.records import json_bytes
from summarizer.transport import RetryPolicy

SECRET = "sk-test-DO-NOT-LEAK-1234567890"


def _asked(report) -> int:
    """Chunks the engine sends to the model (the preamble is never sent)."""
    return sum(c.section.value != "preamble" for c in report.chunks)


def _doc(text: str, name: str = "t.txt") -> Document:
    return Document(
        name=name, text=text, title_hint=None, encoding="utf-8", format="text", sha256="0" * 64
    )


def _run(
    server, text_or_path, strict=False, mode="auto", reasks=2, chunk_chars=DEFAULT_CHUNK_CHARS
):
    if isinstance(text_or_path, str):
        doc = _doc(text_or_path)
    else:
        from summarizer.ingest import read_report

        doc = read_report(text_or_path)
    report = prepare(doc, chunk_chars)
    waits: list[float] = []

    async def no_sleep(s: float) -> None:
        waits.append(s)

    settings = Settings(
        engine="llm", base_url=server.base_url, api_key=SECRET, mode=mode, reasks=reasks
    )

    async def go():
        engine = LLMEngine(settings, retry_policy=RetryPolicy(attempts=4, sleep=no_sleep))
        try:
            return await summarize_report(report, engine, strict=strict)
        finally:
            await engine.aclose()

    outcome = asyncio.run(go())
    return outcome, report, waits


REVIEW = (
    "一、2019年工作总结\n"
    "1-10月，园镇实现地区生产总值69亿元，同比增长7%；完成一般公共预算收入4.74亿元，同比增长8.55%。\n"
    "二、2020年工作思路\n"
    "2020年主要预期目标是：地区生产总值增长7.5%以上，一般公共预算收入增长10%以上。\n"
)


def test_well_formed_answers_give_a_verified_summary_with_usage():
    with LoopbackServer(answer_with(grounded_answer)) as srv:
        outcome, report, _ = _run(srv, REVIEW)
    s = outcome.summary
    assert s.meta.engine == "llm" and s.meta.model == "gpt-4o-mini"
    assert s.meta.usage.calls == len(srv.requests) == _asked(report)
    assert s.meta.usage.prompt_tokens == 1000 * len(srv.requests)
    assert s.meta.usage.completion_tokens == 200 * len(srv.requests)
    values = {m.value for a in s.achievements for m in a.metrics}
    assert {69, 4.74} <= values
    assert s.validation.flagged == 0 and s.validation.verified > 0
    # Authorization was sent to the endpoint, as it must be.
    headers = {k.lower(): v for k, v in srv.requests[0].headers.items()}
    assert headers["authorization"] == f"Bearer {SECRET}"


def test_ungrounded_quote_is_reasked_and_the_corrected_answer_kept():
    def brain(body):
        if not is_reask(body):
            bad = grounded_answer(body)
            for item in bad["achievements"]:
                item["evidence"] = ["园镇实现地区生产总值七十亿元"]  # not in the chunk
            return Reply(body=completion(body, bad))
        return Reply(body=completion(body, grounded_answer(body)))

    text = REVIEW.split("二、")[0]
    with LoopbackServer(brain) as srv:
        outcome, _, _ = _run(srv, text)
    assert len(srv.requests) == 2
    reask = json.dumps(srv.requests[1].body["messages"], ensure_ascii=False)
    assert "七十亿元" in reask and "逐字" in reask  # the validator's reason went back to the model
    assert outcome.summary.validation.flagged == 0
    assert outcome.summary.meta.usage.calls == 2
    assert [w.kind for w in outcome.summary.warnings] == ["structure_uncertain"]  # review only


@pytest.mark.parametrize("status", [429, 500])
def test_transient_errors_are_retried_then_succeed(status):
    with LoopbackServer(answer_with(grounded_answer)) as srv:
        srv.script.append(
            Reply(status=status, body=error_body(status), headers={"retry-after": "2"})
        )
        outcome, report, waits = _run(srv, REVIEW.split("二、")[0])
    assert waits == [2.0]
    assert len(srv.requests) == _asked(report) + 1
    assert outcome.summary.validation.flagged == 0


def test_persistent_server_errors_become_a_one_line_endpoint_error():
    with LoopbackServer(lambda body: Reply(status=503, body=error_body(503, "overloaded"))) as srv:
        with pytest.raises(EndpointError, match="HTTP 503") as exc:
            _run(srv, REVIEW)
    assert "\n" not in str(exc.value)


def test_rejected_key_is_reported_without_the_key():
    with LoopbackServer(
        lambda body: Reply(status=401, body=error_body(401, f"bad key {SECRET}"))
    ) as srv:
        with pytest.raises(EndpointError) as exc:
            _run(srv, REVIEW.split("二、")[0])
    assert "401" in str(exc.value) and SECRET not in str(exc.value)
    assert len(srv.requests) == 1  # a 401 is never retried


def test_report_text_with_template_syntax_is_sent_verbatim():
    text = "一、工作回顾\n完成投资{{ 7*7 }}亿元中的21亿元，{% for x in y %}共9项。\n"
    with LoopbackServer(answer_with(grounded_answer)) as srv:
        _run(srv, text)
    user = srv.requests[0].body["messages"][-1]["content"]
    assert "{{ 7*7 }}" in user and "{% for x in y %}" in user and "49" not in user


def test_meaningless_answers_are_kept_flagged_after_reasks():
    with LoopbackServer(answer_with(meaningless_answer)) as srv:
        outcome, report, _ = _run(srv, REVIEW.split("二、")[0], reasks=1)
    s = outcome.summary
    assert len(srv.requests) == 2 * _asked(report)  # first answer + one re-ask per chunk
    assert any(w.kind == "unverified" for w in s.warnings)
    assert s.validation.flagged > 0
    statuses = {c.status for c in s.validation.claims}
    assert "quote_not_found" in statuses
    assert s.achievements  # kept, not silently dropped


def test_strict_drops_what_failed_validation():
    with LoopbackServer(answer_with(meaningless_answer)) as srv:
        outcome, _, _ = _run(srv, REVIEW.split("二、")[0], reasks=0, strict=True)
    s = outcome.summary
    assert outcome.flagged_before_strict > 0
    assert s.validation.flagged == 0
    # What is left is what the annotation pass itself found in the report (and verified).
    model_items = [a for a in s.achievements if a.area != FOUND_OUTCOME_AREA]
    assert all(not a.metrics and not a.evidence for a in model_items)
    assert any(w.kind == "strict" for w in s.warnings)


@pytest.mark.parametrize("mode", ["tools", "json", "md_json", "json_schema"])
def test_every_structured_output_mode_round_trips(mode):
    with LoopbackServer(answer_with(grounded_answer)) as srv:
        outcome, _, _ = _run(srv, REVIEW, mode=mode)
    body = srv.requests[0].body
    assert ("tools" in body) == (mode == "tools")
    assert outcome.summary.validation.flagged == 0
    assert outcome.summary.plans and outcome.summary.achievements


def test_mode_capability_table():
    assert choose_mode(None, "gpt-4o-mini") == "tools"
    assert choose_mode("http://localhost:8000/v1", "meta-llama/Llama-3-8B") == "tools"
    assert choose_mode("https://dashscope.aliyuncs.com/compatible-mode/v1", "qwen-plus") == "json"
    assert choose_mode("https://api.deepseek.com", "deepseek-reasoner") == "md_json"
    assert choose_mode("https://api.deepseek.com", "deepseek-chat") == "tools"
    assert choose_mode(None, "qwen-plus", requested="md_json") == "md_json"


@pytest.mark.parametrize("name", sorted(p.name for p in REPORTS.glob("*.txt")))
def test_each_sample_report_through_the_live_path(name):
    with LoopbackServer(answer_with(grounded_answer)) as srv:
        outcome, report, _ = _run(srv, REPORTS / name)
    s = outcome.summary
    assert s.meta.usage.calls == _asked(report) >= 1
    sent = [report_text(r.body) for r in srv.requests]
    assert not any(c.text in sent for c in report.chunks if c.section.value == "preamble")
    assert s.achievements or s.plans
    assert s.validation.flagged == 0


# --- item prose with no support in the chunk: re-asked once, then flagged ---------------
# Hand-written answers (no endpoint is reachable here), sent in the exact wire format of the
# request's mode by loopback.completion.
INVENTED = "本镇财政已经破产，公务员工资已停发半年"


def _answer_saying(body, text: str) -> dict:
    """A grounded answer whose first achievement's text is replaced by `text` (hand-written)."""
    answer = grounded_answer(body)
    answer["achievements"][0]["text"] = text
    return answer


def test_invented_item_text_is_reasked_and_the_grounded_answer_kept():
    def brain(body):
        if not is_reask(body):
            return Reply(body=completion(body, _answer_saying(body, INVENTED)))
        return Reply(body=completion(body, grounded_answer(body)))

    with LoopbackServer(brain) as srv:
        outcome, _, _ = _run(srv, REVIEW.split("二、")[0])
    assert len(srv.requests) == 2
    reask = json.dumps(srv.requests[1].body["messages"], ensure_ascii=False)
    assert "找不到依据" in reask and "achievements[0].text" in reask and "破产" in reask
    s = outcome.summary
    assert INVENTED not in json_bytes(s).decode()
    assert s.validation.flagged == 0
    assert not any(w.kind == "unverified" for w in s.warnings)


def test_item_text_unsupported_twice_is_asked_once_and_flagged():
    with LoopbackServer(answer_with(lambda body: _answer_saying(body, INVENTED))) as srv:
        outcome, _, _ = _run(srv, REVIEW.split("二、")[0], reasks=2)
    assert len(srv.requests) == 2  # one re-ask for prose, though two are allowed for figures
    s = outcome.summary
    flagged = [c for c in s.validation.claims if c.status == "unsupported"]
    assert [c.where for c in flagged] == ["achievements[0].text"]
    assert "破产" in flagged[0].text


def test_a_link_in_item_text_is_reasked_and_never_printed():
    link = "园镇经济形势详见 http://evil.example/x 或加微信abc12345"
    with LoopbackServer(answer_with(lambda body: _answer_saying(body, link))) as srv:
        outcome, _, _ = _run(srv, REVIEW.split("二、")[0])
    assert len(srv.requests) == 2
    assert "链接" in json.dumps(srv.requests[1].body["messages"], ensure_ascii=False)
    s = outcome.summary
    dumped = json_bytes(s).decode()
    assert "evil.example" not in dumped and "abc12345" not in dumped
    assert "spam" in {c.status for c in s.validation.claims if c.where == "achievements[0].text"}
