"""Tests for summarizer.chrome: web-page chrome in real corpus rows, and rules that generalise."""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

import pytest

from summarizer.chrome import chrome_flags, is_chrome_line
from summarizer.clean import clean
from summarizer.grounding import normalize

ROOT = Path(__file__).resolve().parent.parent
PROVINCES = ROOT / "fixtures" / "corpus" / "province-2026"


def _rows() -> dict[str, str]:
    """The `full_text` of every provincial corpus row, by province."""
    csv.field_size_limit(sys.maxsize)
    rows: dict[str, str] = {}
    for path in sorted(PROVINCES.glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as fh:
            for row in csv.DictReader(fh):
                rows[row["province"]] = row["full_text"]
    return rows


ROWS = _rows()
_cache: dict[str, list[str]] = {}


def cleaned_lines(province: str) -> list[str]:
    if province not in _cache:
        _cache[province] = clean(ROWS[province]).text.split("\n")
    return _cache[province]


# Checked by hand against each row: (chrome lines, lines joined into the line before).
# Chrome: the toolbar (9 lines: 下载 打印 全屏 收藏 【字号： 加大 还原 减小 】), 来源 and 时间,
# photo captions, the sidebar header at the end (相关报道：), breadcrumbs, share buttons.
# Joined: pieces of a sentence the page laid out on lines of their own (广东's dateline broken
# after 第十四届, "PM" / "2.5" / "浓度…", "…发展的" / "主要目标" / "是：…"; 云南's "（" / "三）…").
EXPECTED: dict[str, tuple[int, int]] = {
    "上海市": (12, 0),
    # 您的位置 首页 > 云南要闻×2; 来源, stamp, 【字体：大中小】; 点击图片… 收藏 | 分享×2 × 相关文档
    "云南省": (19, 1),
    "内蒙古自治区": (13, 0),
    "北京市": (13, 0),
    "安徽省": (12, 0),
    "山东省": (12, 0),
    "广东省": (0, 9),
    "广西壮族自治区": (12, 0),
    "新疆维吾尔自治区": (13, 0),
    "河北省": (13, 0),
    "河南省": (12, 0),
    "浙江省": (12, 0),
    "海南省": (0, 0),
    "福建省": (12, 0),
    "辽宁省": (12, 0),
    # 分享: 首页 > 政府信息公开 > 政府工作报告 > 省政府工作报告, the title and dateline shown a
    # second time, 时间： + value, 来源： + value, 分享:, the caption, 扫一扫…
    "陕西省": (17, 0),
}

CHROME_WORDS = frozenset(
    "下载 打印 全屏 收藏 【字号： 【字体： 加大 还原 减小 】 大 中 小 | × > 首页 分享: "
    "分享到: 分享到微信 相关报道： 相关文档： 您的位置: 扫一扫在手机打开当前页 "
    "》》点击图片进入专题《《".split()
)
_LABEL_RE = re.compile(r"(?:来源|时间)\s*[:：]")
_STAMP_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_BODY_END = tuple("。！？：；!?:;")
_NUMBERED_RE = re.compile(r"[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d+\.")


def test_every_province_row_is_in_the_table() -> None:
    assert sorted(ROWS) == sorted(EXPECTED)


@pytest.mark.parametrize("province", sorted(EXPECTED))
def test_no_chrome_line_remains(province: str) -> None:
    for line in cleaned_lines(province):
        assert line not in CHROME_WORDS, line
        assert not _LABEL_RE.match(line), line
        assert not line.endswith("摄"), line
        assert not _STAMP_RE.search(line), line


@pytest.mark.parametrize("province", sorted(EXPECTED))
def test_every_body_paragraph_remains(province: str) -> None:
    raw = [line.strip() for line in ROWS[province].split("\n") if line.strip()]
    text = normalize("\n".join(cleaned_lines(province)))
    body = [
        line
        for line in raw
        if (len(line) >= 8 and line.endswith(_BODY_END)) or _NUMBERED_RE.match(line)
    ]
    assert len(body) > 40
    for line in body:
        assert normalize(line) in text, line
    chrome, joined = EXPECTED[province]
    assert len(cleaned_lines(province)) == len(raw) - chrome - joined


@pytest.mark.parametrize("province", sorted(EXPECTED))
def test_title_dateline_and_speaker_stay_at_the_top(province: str) -> None:
    lines = cleaned_lines(province)
    assert lines[0].endswith("政府工作报告")
    assert "人民代表大会" in lines[1] and lines[1].endswith(("会议上", "赵刚"))
    speaker = lines[1] if province == "陕西省" else lines[2]
    assert re.search(r"(?:省长|市长|主席)[\u4e00-\u9fff·]{2,9}$", speaker), speaker
    assert lines.index("各位代表：") <= 3


def test_a_caption_is_never_glued_to_the_salutation() -> None:
    # Before: "殷勇同志作政府工作报告。本报记者戴冰摄各位代表：" was one paragraph.
    lines = cleaned_lines("北京市")
    assert lines[2:4] == ["北京市市长殷勇", "各位代表："]
    assert "戴冰" not in "".join(lines)


def test_sentence_pieces_laid_out_on_their_own_lines_are_joined() -> None:
    guangdong = cleaned_lines("广东省")
    assert guangdong[1] == "——2026年1月26日在广东省第十四届人民代表大会第五次会议上"
    assert any(line.startswith("“十五五”时期经济社会发展的主要目标是：") for line in guangdong)
    assert any("以PM2.5浓度持续下降为主线" in line for line in guangdong)
    assert "（三）改革开放持续深化、互促共进。" in cleaned_lines("云南省")


# ---------------------------------------------------------------- rules, on lines


@pytest.mark.parametrize(
    "line",
    [
        "来源：北京日报",
        "时间：2026-02-02",
        "2026-02-03 09:02:33",
        "（2026-02-03）",
        "殷勇同志作政府工作报告。本报记者 戴冰摄",
        "1月27日，某某代表自治区人民政府，向大会作政府工作报告。石榴云/新疆日报记者谢龙摄",
        "（新华社记者 张三 摄）",
        "省长赵刚作政府工作报告",
        "首页 > 政务公开 > 政府工作报告",
        "首页>要闻",
        "责任编辑：王五",
        "【责任编辑：王五】",
        "编辑：李四 校对：张三",
        "上一篇：2025年某省政府工作报告",
        "Copyright © 2026 某市人民政府 版权所有",
        "扫一扫在手机打开当前页",
        "【打印】【关闭】",
        "字号：大 中 小",
        "浏览量：88",
        "》》点击图片进入专题《《",
        "索引号:1132/2021-00002",
        "【我要纠错】责任编辑：王五",
        "【打印】【关闭】来源：某市人民政府办公室",
    ],
)
def test_chrome_lines(line: str) -> None:
    assert is_chrome_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "我们的数据来源：统计局。",
        "来源于群众，服务于群众。",
        "开展“美丽乡村”主题拍摄",  # ends in 摄, but no photo credit
        "组织中外记者采访拍摄",
        "2024年1月5日",  # a report's own signature date
        "对口协作工作报告",
        "设计：一是强化统筹，二是完善机制",  # a hard-wrapped line after "…加强顶层"
        "政府工作报告",
        "2026年北京市政府工作报告",
        "——2026年1月25日在北京市第十六届人民代表大会第四次会议上",
        "北京市市长 殷勇",
        "-在代区长胥亚伟所作《政府工作报告》中",
        "各位代表：",
        "一、2025年工作回顾",
        "【专栏】全年主要目标完成情况",
        # Hard-wrapped report lines holding words of page footers.
        "一是全面推行扫码就医和电子健康码二维码应用服务",
        "加快建设政府门户网站。",
        "开通举报电话，畅通群众监督渠道",
        "实现群众用手机扫码缴费和在线办理的事项达到",
        "技术支持，推动企业数字化转型和智能化改造",
        "大",  # a toolbar word alone counts only beside the toolbar
        "（",
        "2.5",
    ],
)
def test_report_lines(line: str) -> None:
    assert not is_chrome_line(line)
    assert (
        chrome_flags(["各位代表：", line, "现在，我代表市人民政府向大会报告工作。"]) == [False] * 3
    )


def test_captions_that_begin_with_tu_wei_stand_after_a_finished_line() -> None:
    caption = "图为全市重点项目集中开工现场"
    assert chrome_flags(["全年完成投资500亿元。", caption, "下一段。"]) == [False, True, False]
    # A hard-wrapped line that happens to begin with 图为 ("…企" / "图为…") continues.
    assert chrome_flags(["加大力度帮助企业纾困，积极", "图为企业纾困解难"]) == [False, False]


def test_short_page_words() -> None:
    for line in (
        "扫码阅读手机版",
        "关注公众号",
        "扫描二维码分享",
        "某市人民政府门户网站",
        "扫一扫在手机打开当前页",
        "技术支持：某某网络公司",
        "主办单位：某市人民政府办公室 承办单位：某市大数据局",
    ):
        assert is_chrome_line(line), line


def test_toolbar_words_beside_the_toolbar_and_breadcrumb_items() -> None:
    lines = ["【字体：", "大", "中", "小", "】", "首页", ">", "要闻", "要闻", "某省政府工作报告"]
    assert chrome_flags(lines) == [True] * 9 + [False]


def test_a_label_alone_takes_its_value_on_the_next_line() -> None:
    lines = [
        "某市政府工作报告",
        "时间：",
        "2026-02-02 09:20",
        "来源：",
        "某市人民政府",
        "各位代表：",
    ]
    assert chrome_flags(lines) == [False, True, True, True, True, False]


# ---------------------------------------------------------------- a page around a real report


def test_sidebar_of_links_to_other_reports_is_dropped() -> None:
    body = ROWS["北京市"]
    sidebar = (
        "\n相关报道：\n2026年上海市政府工作报告\n2026年天津市政府工作报告（2026-02-03）\n"
        "【两会】代表热议政府工作报告\n上一篇：2025年北京市政府工作报告\n"
        "责任编辑：王五\nCopyright © 2026 北京日报 版权所有\n"
    )
    lines = clean(body + sidebar).text.split("\n")
    assert lines == cleaned_lines("北京市")[: len(lines)]
    assert lines[-1].startswith("各位代表！蓝图已经绘就")


def test_links_to_other_reports_left_at_the_end_without_a_header() -> None:
    report = ROWS["河北省"].rstrip("\n").rsplit("\n", 1)[0]  # without its "相关报道："
    assert not report.endswith("相关报道：")
    page = report + "\n2026年山西省政府工作报告\n2026年天津市政府工作报告（2026-02-02）\n"
    assert clean(page).text.split("\n") == cleaned_lines("河北省")
    # One short line at the end is the report's own (a signature, a date): it stays.
    assert clean(report + "\n某省人民政府\n").text.endswith("\n某省人民政府")


# ---------------------------------------------------------------- pages nobody here has seen


def _city(name: str) -> str:
    return (ROOT / "fixtures" / "corpus" / "city-2024" / f"{name}.txt").read_text(encoding="utf-8")


def test_a_government_site_page_around_a_city_report() -> None:
    report = _city("南京")
    page = (
        "无障碍 | 长者模式 | 繁体\n南京市人民政府门户网站\n"
        "当前位置：首页 > 政务公开 > 政府工作报告\n索引号：113201000024958470/2024-00012\n"
        "发布机构：南京市人民政府办公厅\n发布日期：2024-01-25\n【字体：大 中 小】\n"
        f"2024年南京市政府工作报告\n\n{report}\n\n附件下载：\n相关链接：\n"
        "2024年南京市国民经济和社会发展计划\n2023年南京市政府工作报告\n【打印本页】【关闭窗口】\n"
        "网站地图 | 联系我们 | 网站声明\n"
        "主办单位：南京市人民政府办公厅  承办单位：南京市大数据管理局\n"
        "苏ICP备05003616号  苏公网安备 32010502010125号  网站标识码：3201000024\n"
    )
    assert clean(page).text.split("\n") == ["2024年南京市政府工作报告", *_paragraphs(report)]


def test_a_news_page_around_a_city_report() -> None:
    report = _city("合肥")
    page = (
        "人民网 >> 地方 >> 安徽\n合肥市政府工作报告（全文）\n"
        "2024年01月20日08:16 | 来源：合肥日报\n分享到：\n"
        "▲ 1月18日，合肥市第十七届人民代表大会第三次会议开幕。记者 张三 摄\n"
        f"{report}\n（责任编辑：张三、李四）\n分享让更多人看到\n推荐阅读\n"
        "合肥：推动高质量发展\n2024年合肥市国民经济和社会发展统计公报\n返回顶部\n"
    )
    assert clean(page).text.split("\n") == ["合肥市政府工作报告（全文）", *_paragraphs(report)]


def _paragraphs(report: str) -> list[str]:
    return clean(report).text.split("\n")


def test_a_bare_label_never_takes_the_salutation_or_dateline() -> None:
    lines = ["某市政府工作报告", "作者：", "——2024年1月5日在某市人民代表大会上", "各位代表："]
    assert chrome_flags(lines) == [False, True, False, False]
    assert chrome_flags(["某市政府工作报告", "编辑：", "各位代表："]) == [False, True, False]
