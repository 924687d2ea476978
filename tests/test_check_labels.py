"""The hand-checked ground-truth labels stay true to the reports they quote.

bench/check_labels.py re-reads every labelled report of fixtures/corpus independently of the
package and checks each quoted string; here every label file must pass it, so a label that stops
matching its report (a fixture edited, a typo in a quote) fails the build, and the checker itself
must reject the kinds of wrong label it exists to catch.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHECKER = ROOT / "bench" / "check_labels.py"
LABEL_FILES = sorted((ROOT / "fixtures" / "corpus" / "labels").glob("*.json"))


@pytest.fixture(scope="module")
def checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_check_labels", CHECKER)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _labels(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text("utf-8"))


@pytest.mark.parametrize("path", LABEL_FILES, ids=lambda p: p.name)
def test_every_label_quotes_its_report(checker: ModuleType, path: Path) -> None:
    failures = {
        label["id"]: errors
        for label in _labels(path)
        if (errors := checker.check_label(label, checker.report_text(label["id"])))
    }
    assert failures == {}


def test_label_files_exist_and_name_each_report_once() -> None:
    assert LABEL_FILES, "no label file under fixtures/corpus/labels"
    for path in LABEL_FILES:
        ids = [label["id"] for label in _labels(path)]
        assert len(ids) == len(set(ids)), path.name


@pytest.fixture()
def good(checker: ModuleType) -> dict[str, Any]:
    labels = _labels(ROOT / "fixtures" / "corpus" / "labels" / "city-and-single.json")
    label = next(x for x in labels if x["id"] == "city-2024/东营.txt")
    assert checker.check_label(label, checker.report_text(label["id"])) == []
    return copy.deepcopy(label)


def _errors(checker: ModuleType, label: dict[str, Any]) -> list[str]:
    return checker.check_label(label, checker.report_text(label["id"]))


def test_a_quote_missing_from_the_report_is_rejected(checker: ModuleType, good: dict) -> None:
    good["gdp_target"]["quote"] = "地区生产总值增长9.5%以上"
    assert any("not found" in e for e in _errors(checker, good))


def test_a_part_marker_must_be_unique(checker: ModuleType, good: dict) -> None:
    good["plan_start"] = "一般公共预算收入增长"  # in the review and in the plan
    assert any("plan_start" in e and "times" in e for e in _errors(checker, good))


def test_a_bound_must_fit_its_low_and_high(checker: ModuleType, good: dict) -> None:
    good["gdp_target"].update(bound="about", low=5.5, high=None)
    assert any("bound" in e for e in _errors(checker, good))


def test_a_value_must_be_the_one_its_quote_states(checker: ModuleType, good: dict) -> None:
    good["gdp_outcome"]["value"] = 7.5
    assert any("gdp_outcome" in e for e in _errors(checker, good))


def test_report_text_reads_each_corpus_form(checker: ModuleType) -> None:
    line = checker.report_text("national-1954-2004.tsv#1987")
    assert not line.startswith("1987\t") and "国务院" in line
    row = checker.report_text("province-2026/2026_北京市_政府工作报告.csv")
    assert not row.startswith("province,") and "北京" in row
    assert "海拉尔区" in checker.report_text("hailar-2012.gbk.txt")
    page = checker.report_text("national-2020.html")
    assert "<p>" not in page and "没有提出全年经济增速具体目标" in page
