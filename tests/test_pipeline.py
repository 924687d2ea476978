"""The pipeline's seams: prepare tiles the clean text, assemble is deterministic, check_summary
verifies what summarize produced, and strict drops exactly the flagged claims."""

from __future__ import annotations

import asyncio

import pytest
from conftest import CORPUS, REPORTS, SAMPLES

from summarizer.chunking import DEFAULT_CHUNK_CHARS
from summarizer.config import Settings
from summarizer.engines import ChunkResult, EngineOutput
from summarizer.engines.rules import RulesEngine
from summarizer.ingest import read_report
from summarizer.pipeline import assemble, check_summary, prepare, summarize_file
from summarizer.records import ChunkSummary, Metric, Plan, json_bytes, replace

# The town reports, the 46 city reports of 2024 and a State Council report, read as files.
PATHS = [
    *(REPORTS / name for name in SAMPLES),
    *sorted((CORPUS / "city-2024").glob("*.txt")),
    CORPUS / "chongzuo-2024.txt",
    CORPUS / "national-2011.txt",
]


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p.name)
def test_prepare_tiles_the_clean_text_in_order_without_overlap(path):
    report = prepare(read_report(path), DEFAULT_CHUNK_CHARS)
    text, chunks = report.clean.text, report.chunks
    assert chunks, "a report gives at least one chunk"
    assert [c.index for c in chunks] == list(range(len(chunks)))
    covered = 0
    for c in chunks:
        assert c.text == text[c.start : c.end]
        assert c.start >= covered, "chunks overlap or are out of order"
        assert not text[covered : c.start].strip(), "text between chunks was left out"
        covered = c.end
    assert not text[covered:].strip(), "the end of the report was left out"


def test_prepare_uses_the_callers_place_and_year_over_the_reports():
    doc = read_report(REPORTS / "luoxi-2019.txt")
    own = prepare(doc, DEFAULT_CHUNK_CHARS).outline.header
    told = prepare(doc, DEFAULT_CHUNK_CHARS, place="测试县", year=2031).outline.header
    assert told.place == "测试县" and own.place != "测试县"
    assert told.plan_period == "2031" and own.plan_period != "2031"


def _rules_output(report):
    engine = RulesEngine()
    return engine, asyncio.run(engine.summarize(report))


def test_assemble_is_deterministic_and_independent_of_answer_order():
    report = prepare(read_report(REPORTS / "jincheng-2019.txt"), DEFAULT_CHUNK_CHARS)
    engine, output = _rules_output(report)
    assert len(output.results) > 1
    first = json_bytes(assemble(report, engine, output).summary)
    again = json_bytes(assemble(report, engine, output).summary)
    # Concurrent engines hand answers back in completion order; the summary must not care.
    shuffled = EngineOutput(list(reversed(output.results)), output.warnings, output.usage)
    reordered = json_bytes(assemble(report, engine, shuffled).summary)
    assert first == again == reordered


def test_check_summary_verifies_what_summarize_produced(tmp_path):
    path = REPORTS / "luoxi-2019.txt"
    made = summarize_file(str(path), Settings(engine="rules")).summary
    assert made.validation.flagged == 0 and made.validation.verified > 0
    checked = check_summary(made, str(path))
    assert checked.validation.flagged == 0
    assert {c.where for c in checked.validation.claims} >= {
        c.where for c in made.validation.claims if c.where.startswith(("achievements", "plans"))
    }


def test_check_summary_flags_a_figure_changed_after_summarizing():
    path = REPORTS / "luoxi-2019.txt"
    made = summarize_file(str(path), Settings(engine="rules")).summary
    i = next(i for i, a in enumerate(made.achievements) if a.metrics)
    item = made.achievements[i]
    wrong = replace(item.metrics[0], value=item.metrics[0].value + 1000)
    bad = replace(item, metrics=[wrong, *item.metrics[1:]])
    tampered = replace(
        made, achievements=[*made.achievements[:i], bad, *made.achievements[i + 1 :]]
    )
    claims = check_summary(tampered, str(path)).validation.claims
    flagged = [c for c in claims if c.status != "verified"]
    assert [(c.where, c.status) for c in flagged] == [
        (f"achievements[{i}].metrics[0]", "value_mismatch")
    ]


def _with_a_wrong_target(report):
    """The rules engine's answers plus one plan whose target misstates its (real) quote."""
    engine, output = _rules_output(report)
    text = report.clean.text
    k = text.index("万元")  # a real figure of the report, claimed with a value it does not have
    quote = text[max(0, k - 12) : k + 2].strip()
    target = Metric(name="虚构指标", value=987654, unit="万元", kind="target", quote=quote)
    plan = Plan(area="虚构", text="虚构", evidence=[], targets=[target])
    extra = ChunkResult(0, len(text), ChunkSummary(plans=[plan]))
    return engine, EngineOutput([*output.results, extra], output.warnings, output.usage)


def test_strict_drops_the_flagged_claims_and_says_so():
    report = prepare(read_report(REPORTS / "luoxi-2019.txt"), DEFAULT_CHUNK_CHARS)
    engine, output = _with_a_wrong_target(report)
    lax = assemble(report, engine, output, strict=False)
    strict = assemble(report, engine, output, strict=True)
    assert lax.summary.validation.flagged >= 1
    assert any(m.name == "虚构指标" for p in lax.summary.plans for m in p.targets)
    assert strict.flagged_before_strict == lax.summary.validation.flagged
    assert strict.summary.validation.flagged == 0
    assert not any(m.name == "虚构指标" for p in strict.summary.plans for m in p.targets)
    assert [w.kind for w in strict.summary.warnings if w.kind == "strict"] == ["strict"]
    assert not [w for w in lax.summary.warnings if w.kind == "strict"]
    # Everything that verified is kept.
    assert strict.summary.validation.verified == lax.summary.validation.verified


@pytest.mark.from_source
def test_a_report_is_parsed_for_figures_once_for_the_engine_and_validation(monkeypatch):
    import summarizer.figures as figures
    import summarizer.numbers as numbers

    tables: list[int] = []
    whole: list[int] = []
    real_init, real_find = figures.FigureTable.__init__, numbers.find_numbers
    real_iter = numbers.iter_numbers

    def init(self, text, *args, **kwargs):
        tables.append(len(text))
        real_init(self, text, *args, **kwargs)

    def find(text):
        if len(text) > 2000:  # a whole report, not a clause or a sentence
            whole.append(len(text))
        return real_find(text)

    def iterate(text, *rest):  # the table reads the report's mentions one at a time
        if len(text) > 2000:
            whole.append(len(text))
        return real_iter(text, *rest)

    monkeypatch.setattr(figures.FigureTable, "__init__", init)
    monkeypatch.setattr(figures, "find_numbers", find)
    monkeypatch.setattr(figures, "iter_numbers", iterate)
    outcome = summarize_file(str(CORPUS / "chongzuo-2024.txt"), Settings(engine="rules"))
    assert outcome.summary.validation.verified > 50  # the engine and the checks did run
    assert len(tables) == 1 and len(whole) == 1  # one table, one parse of the whole text


def test_a_paragraph_opening_on_last_year_in_a_review_of_several_years_takes_its_last_year():
    # 安徽 2026: "一、2025年工作和“十四五”发展回顾" is a review of 2021-2025; its first paragraph
    # opens "过去一年，…" and states 2025's figures, the five-year ones follow in their own.
    path = CORPUS / "province-2026" / "2026_安徽省_政府工作报告.csv"
    summary = summarize_file(str(path), Settings(engine="rules")).summary
    assert summary.meta.review_period == "2021-2025"
    metrics = {(m.name, m.value): m for a in summary.achievements for m in a.metrics}
    retail = metrics[("社会消费品零售总额", 4.2)]
    assert (retail.period, retail.period_source) == ("2025年", "part")
    others = [m for m in metrics.values() if "年均" in m.quote]  # five-year averages
    assert others and all(m.period != "2025年" for m in others)
