"""Tests for summarizer.recognize: what is and is not a work report, in linear time."""

from __future__ import annotations

from pathlib import Path

import pytest
from inputs import REPORTS, input_error, summarize_bounded

from summarizer.recognize import looks_like_report, mostly_latin

FIXTURES = sorted(REPORTS.glob("*.txt"))
RECIPE = (
    "番茄炒蛋\n材料：番茄两个，鸡蛋三个，葱一根，盐和糖少许。\n"
    "做法：鸡蛋打散，加少许盐搅匀。锅中放油，油热后倒入蛋液，炒至凝固盛出。"
    "番茄切块下锅翻炒出汁，加一小勺糖，再倒回鸡蛋翻匀，撒上葱花即可出锅。\n"
)
NOVEL = (
    "第三章 归乡\n老张推开院门，夕阳把槐树的影子拉得很长。他在城里打了二十年零工，"
    "如今背着一个旧帆布包回到村里。母亲坐在门槛上择豆角，抬头看了他一眼，没说话。"
    "灶膛里的火噼啪作响，屋里飘着米饭的香味。他忽然觉得，这些年像是做了一场很长的梦。\n"
)


@pytest.mark.parametrize("text", [RECIPE, NOVEL], ids=["recipe", "novel"])
def test_chinese_text_that_is_not_a_report(tmp_path: Path, text: str) -> None:
    path = tmp_path / "other.txt"
    path.write_text(text * 5, "utf-8")
    assert "does not look like a government work report" in input_error(path)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_every_sample_looks_like_a_report(path: Path) -> None:
    assert looks_like_report(path.read_text(encoding="utf-8"))


def test_report_fragment_with_an_outline_is_accepted() -> None:
    assert looks_like_report("一、回顾\n全年增长。\n二、计划\n继续努力。")
    assert not looks_like_report("一、准备\n洗菜。\n二、下锅\n翻炒。")


@pytest.mark.parametrize("blank", ["\n", " \n", "\u3000\n", "\t\r\n"])
def test_runs_of_blank_lines_cost_linear_time(tmp_path: Path, blank: str) -> None:
    # Used to take 18 s for 40 KB (an indentation pattern crossing line ends backtracked).
    path = tmp_path / "blank.txt"
    path.write_text("番茄炒蛋" + blank * 200_000 + "做法：翻炒。", encoding="utf-8")
    code, stderr = summarize_bounded(path)
    assert code == 2 and "does not look like a government work report" in stderr
    assert len(stderr.strip().splitlines()) == 1


def test_numbered_lines_count_only_at_line_starts() -> None:
    assert looks_like_report("\u3000\u3000一、回顾\n全年增长。\n  （二）计划\n继续。")
    assert not looks_like_report("全年增长。一、回顾（二）计划")


def test_a_readme_about_reports_is_no_report(tmp_path: Path) -> None:
    # The corpus's own README quotes report words (国务院, 政府工作报告, GDP) in English prose.
    readme = (REPORTS.parent / "corpus" / "README.md").read_text(encoding="utf-8")
    assert looks_like_report(readme), "its cue words alone would let it through"
    assert mostly_latin(readme)
    path = tmp_path / "README.md"
    path.write_text(readme, "utf-8")
    assert "mostly text in Latin letters" in input_error(path)


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_a_report_with_english_inside_is_still_chinese(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert not mostly_latin(text)
    # Beside a full English translation (about 3.5 letters a character), it is still read.
    chinese = sum(1 for c in text if not c.isascii())
    assert not mostly_latin(text + "\n" + "Translation " * (chinese * 3 // 11))
