"""Thresholds on the labelled development corpus (bench/corpus_quality.py prints the figures).

The structure and header measures run on all 102 labelled real reports; the figure-position
measures (achievements quoted from the plan part) run the whole offline pipeline on them.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

import corpus_quality


def _rate(pair: tuple[int, int]) -> float:
    found, total = pair
    return found / total if total else 1.0


@pytest.fixture(scope="module")
def structure() -> dict:
    return corpus_quality.run(engine=False)[1]


def test_the_plan_part_is_found(structure):
    assert _rate(structure["ALL"]["plan"]) >= 0.99
    assert _rate(structure["city"]["plan"]) >= 0.99
    assert _rate(structure["province"]["plan"]) >= 0.99
    assert _rate(structure["national"]["plan"]) >= 0.96  # State Council speeches 1954-2004


def test_problems_are_found_where_the_report_states_them(structure):
    assert _rate(structure["ALL"]["problems"]) >= 0.97
    assert _rate(structure["city"]["problems"]) >= 0.97


def test_issuer_level_and_years(structure):
    assert _rate(structure["ALL"]["issuer"]) >= 0.99
    assert _rate(structure["ALL"]["level"]) >= 0.98
    assert _rate(structure["ALL"]["years"]) >= 0.95


def test_city_and_province_issuers_are_all_right(structure):
    assert _rate(structure["city"]["issuer"]) == 1.0
    assert _rate(structure["prefecture"]["issuer"]) == 1.0


def test_no_achievement_is_quoted_from_the_plan_part_in_a_sample_of_twenty():
    # Every fifth labelled report (city, province, national, the single files): the whole
    # offline pipeline, each achievement's quote placed against the labelled plan part.
    sample = corpus_quality.labels()[::5][:20]
    results = [corpus_quality.measure(label) for label in sample]
    assert len(results) == 20
    wrong = [n for r in results for n in r.notes if n.startswith("achievement from plan")]
    assert wrong == []
    assert sum(r.achievements for r in results) > 1000  # the sample is not trivially empty
    assert sum(r.targets_in_review for r in results) <= 0.005 * sum(r.targets for r in results)
