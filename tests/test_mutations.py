"""The validators against realistic mistakes: the mutation benchmark's figures, with its targets.

bench/mutations.py mutates correct summaries of the five sample reports one way at a time
(value, unit, quote, direction, period, target/actual, a number in a text field); here the
same mutations run, and a detection rate under the issue's targets, or false alarms on the
unmutated claims and on meaning-preserving rewrites above 2%, fail the build. Only the
mutated claim is re-validated per mutation (claims are checked independently); the bench
validates every mutated summary whole.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "mutations.py"


@pytest.fixture(scope="module")
def mutations():
    spec = importlib.util.spec_from_file_location("bench_mutations", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module", params=["rules", "answers"])
def tally(mutations, request):
    # "rules" raises unless every unmutated summary is 100% verified. "answers" are the
    # hand-written model answers of fixtures/cassettes/answers: quotes and names as a model
    # writes them, an independent check on false alarms (a claim of theirs flagged before
    # any mutation counts as one).
    cases = mutations.sample_cases() if request.param == "rules" else mutations.answer_cases()
    if not cases:
        pytest.skip("no hand-written answers")
    return mutations.run(cases, full=False)


@pytest.mark.parametrize(
    ("kind", "target"),
    [("value", 0.98), ("unit", 0.98), ("quote", 0.98), ("direction", 0.90),
     ("period", 0.90), ("kind", 0.90)],
)  # fmt: skip
def test_detection_rate_per_mutation_kind(tally, kind, target, request):
    if "answers" in request.node.callspec.id and tally.tried[kind] < 30:
        pytest.skip(f"too few {kind} mutations in the hand-written answers")
    assert tally.tried[kind] >= 30, f"too few {kind} mutations to measure"
    missed = [m for m in tally.missed if m[1] == kind][:5]
    assert tally.rate(kind) >= target, f"{kind}: {tally.rate(kind):.3f} < {target}; {missed}"


def test_caught_mutations_carry_the_matching_status(tally):
    for kind in ("unit", "quote", "direction", "period", "kind", "text"):
        assert tally.named[kind] == tally.caught[kind], kind


def test_false_alarms_on_unmutated_claims_and_equivalent_rewrites(tally):
    assert tally.same >= 100 and tally.other_claims >= 300
    assert tally.false_alarm_rate <= 0.02, tally.alarms[:10]


def test_mutations_are_skipped_where_they_would_change_nothing(mutations):
    assert mutations.wrong_period(None) is None
    assert mutations.wrong_period("1-9月") == "全年"
    assert mutations.wrong_period("2019年") == "2020年"
    assert mutations.wrong_unit("家") is None and mutations.wrong_unit("亿元") == "万元"
    assert mutations.flip_direction("不少于15个") is None
    assert mutations.flip_direction("同比增长7%") == "同比下降7%"
    assert mutations.nudge(4.74) == 4.75 and mutations.nudge(69) == 70
