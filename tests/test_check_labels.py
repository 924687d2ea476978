"""The hand-checked ground-truth labels stay true to the reports they quote.

bench/check_labels.py re-reads every labelled report of fixtures/corpus independently of the
package and checks each quoted string. Here it runs as a user runs it (a script: no argument
checks every label file, exit 1 on any wrong label), so a label that stops matching its report
(a fixture edited, a typo in a quote) fails the build, and the checker must reject the kinds of
wrong label it exists to catch.
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHECKER = ROOT / "bench" / "check_labels.py"
LABELS = ROOT / "fixtures" / "corpus" / "labels"


def _run(*files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(CHECKER), *map(str, files)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )


def test_every_label_file_quotes_its_reports() -> None:
    assert sorted(LABELS.glob("*.json")), "no label file under fixtures/corpus/labels"
    done = _run()
    assert done.returncode == 0, done.stdout + done.stderr


def _dongying() -> dict[str, Any]:
    labels = json.loads((LABELS / "city-and-single.json").read_text("utf-8"))
    return copy.deepcopy(next(x for x in labels if x["id"] == "city-2024/东营.txt"))


def _with(label: dict[str, Any], tmp_path: Path) -> Path:
    path = tmp_path / "labels.json"
    path.write_text(json.dumps([label], ensure_ascii=False), "utf-8")
    return path


def test_the_unchanged_label_passes(tmp_path: Path) -> None:
    done = _run(_with(_dongying(), tmp_path))
    assert done.returncode == 0, done.stdout


def _quote_missing(label: dict[str, Any]) -> None:
    label["gdp_target"]["quote"] = "地区生产总值增长9.5%以上"


def _marker_not_unique(label: dict[str, Any]) -> None:
    label["plan_start"] = "一般公共预算收入增长"  # in the review and in the plan


def _bound_without_its_high(label: dict[str, Any]) -> None:
    label["gdp_target"].update(bound="about", low=5.5, high=None)


def _value_not_in_quote(label: dict[str, Any]) -> None:
    label["gdp_outcome"]["value"] = 7.5


def _problem_not_in_report(label: dict[str, Any]) -> None:
    label["problems"] = ["我们也清醒认识到经济社会发展中不存在任何问题"]


@pytest.mark.parametrize(
    "spoil",
    [
        _quote_missing,
        _marker_not_unique,
        _bound_without_its_high,
        _value_not_in_quote,
        _problem_not_in_report,
    ],
)
def test_a_wrong_label_is_rejected(spoil: Any, tmp_path: Path) -> None:
    label = _dongying()
    spoil(label)
    done = _run(_with(label, tmp_path))
    assert done.returncode == 1, done.stdout
    assert "东营" in done.stdout
