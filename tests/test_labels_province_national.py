"""The provincial and State Council ground-truth labels stay true to the reports they quote.

fixtures/corpus/labels/province-and-national.json labels the 16 provincial CSV rows and the 35
lines of the national TSV (issue 10 "Measure it", issue 11's development series). The checker
bench/check_labels.py re-reads each report independently of the package; here it runs as a user
runs it (a script, exit 1 on any wrong label) on this file, and must reject the mistakes a label
of these corpus files can carry: a quote that is not in the CSV field or TSV line, a figure that
its quote does not state, a part start that is not unique, and a TSV line holding its report twice
(1959) when the label does not say so.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHECKER = ROOT / "bench" / "check_labels.py"
LABELS = ROOT / "fixtures" / "corpus" / "labels" / "province-and-national.json"


def _run(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(CHECKER), str(path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )


def _label(report_id: str) -> dict[str, Any]:
    labels = json.loads(LABELS.read_text("utf-8"))
    return copy.deepcopy(next(x for x in labels if x["id"] == report_id))


def _write(label: dict[str, Any], tmp_path: Path) -> Path:
    path = tmp_path / "labels.json"
    path.write_text(json.dumps([label], ensure_ascii=False), "utf-8")
    return path


BEIJING = "province-2026/2026_北京市_政府工作报告.csv"
NATIONAL_1959 = "national-1954-2004.tsv#1959"


def test_every_province_and_national_label_quotes_its_report() -> None:
    labels = json.loads(LABELS.read_text("utf-8"))
    assert {x["level"] for x in labels} == {"province", "national"}
    assert len(labels) == 16 + 35
    done = _run(LABELS)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("report_id", [BEIJING, NATIONAL_1959])
def test_the_unchanged_label_passes(report_id: str, tmp_path: Path) -> None:
    done = _run(_write(_label(report_id), tmp_path))
    assert done.returncode == 0, done.stdout


def _target_not_in_csv_field(label: dict[str, Any]) -> None:
    label["gdp_target"]["quote"] = "地区生产总值增长6%左右"


def _outcome_value_not_in_quote(label: dict[str, Any]) -> None:
    label["gdp_outcome"]["value"] = 5.2  # the quote says 5.2万亿元 and 增长5.4%: 5.2 is the level
    label["gdp_outcome"]["quote"] = "增长5.4%、高于全国0.4个百分点"


def _plan_start_not_unique(label: dict[str, Any]) -> None:
    label["plan_start"] = "城镇调查失业率控制在5%以内"  # a 十五五 indicator and a 2026 target


def _problem_from_another_report(label: dict[str, Any]) -> None:
    label["problems"] = ["我们也清醒认识到，前进道路上还有不少困难和挑战"]  # Shanghai's words


def _range_without_high(label: dict[str, Any]) -> None:
    label["gdp_target"].update(bound="range", low=5.0, high=None)


@pytest.mark.parametrize(
    "spoil",
    [
        _target_not_in_csv_field,
        _outcome_value_not_in_quote,
        _plan_start_not_unique,
        _problem_from_another_report,
        _range_without_high,
    ],
)
def test_a_wrong_province_label_is_rejected(
    spoil: Callable[[dict[str, Any]], None], tmp_path: Path
) -> None:
    label = _label(BEIJING)
    spoil(label)
    done = _run(_write(label, tmp_path))
    assert done.returncode == 1, done.stdout
    assert "北京" in done.stdout


def test_a_repeated_tsv_line_must_be_declared(tmp_path: Path) -> None:
    label = _label(NATIONAL_1959)
    assert label["text_repeated"] is True
    del label["text_repeated"]
    done = _run(_write(label, tmp_path))
    assert done.returncode == 1, done.stdout
    assert "1959" in done.stdout


def test_a_chinese_numeral_target_keeps_its_tsv_quote(tmp_path: Path) -> None:
    label = _label("national-1954-2004.tsv#1990")
    assert label["gdp_target"]["quote"] == "国家计划要求今年的国民生产总值比上年增长百分之五"
    label["gdp_target"]["quote"] = "国家计划要求今年的国民生产总值比上年增长百分之六"
    done = _run(_write(label, tmp_path))
    assert done.returncode == 1, done.stdout
