"""Tests for summarizer.clean: each defect of the real reports, synthetic cases, the offset map."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from summarizer.clean import CleanText, clean
from summarizer.grounding import normalize
from summarizer.ingest import read_report

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "fixtures" / "reports"
CORPUS = ROOT / "fixtures" / "corpus"

FIXTURE_NAMES = [
    "luoxi-2019.txt",
    "luoxi-2021.txt",
    "jincheng-2019.txt",
    "zhenglu-2020.txt",
    "jintan-2022.txt",
]
CORPUS_NAMES = [
    "national-2011.txt",
    "national-2020.html",
    "chongzuo-2024.txt",
    "qiandongnan-2024.txt",
    "hailar-2012.gbk.txt",
]
ALL_PATHS = [REPORTS / n for n in FIXTURE_NAMES] + [
    pytest.param(CORPUS / n, marks=pytest.mark.skipif(not CORPUS.is_dir(), reason="no corpus"))
    for n in CORPUS_NAMES
]

_cache: dict[Path, tuple[str, CleanText]] = {}


def cleaned(path: Path) -> tuple[str, CleanText]:
    """(Document.text, clean result) for a report file, computed once per session."""
    if path not in _cache:
        source = read_report(path).text
        _cache[path] = (source, clean(source))
    return _cache[path]


def lines_of(name: str) -> list[str]:
    return cleaned(REPORTS / name)[1].text.split("\n")


CJK_SPACE_CJK = re.compile(r"[\u4e00-\u9fff][ \u3000\xa0][\u4e00-\u9fff]")


# ---------------------------------------------------------------- the offset map


@pytest.mark.parametrize("path", ALL_PATHS, ids=lambda p: p.name)
def test_offsets_map_every_char_to_its_source(path: Path) -> None:
    source, result = cleaned(path)
    text, offsets = result.text, result.offsets
    assert result.source == source
    assert len(offsets) == len(text)
    assert all(a <= b for a, b in itertools.pairwise(offsets))
    for i, ch in enumerate(text):
        src = source[offsets[i]]
        if ch.isspace():
            # Inserted paragraph breaks (and the odd space joining Latin words) sit on the
            # line break they replace.
            assert src.isspace(), (i, ch, src)
        else:
            assert src == ch or normalize(src) == normalize(ch), (i, ch, src)


@pytest.mark.parametrize("path", ALL_PATHS, ids=lambda p: p.name)
def test_cleaning_never_invents_characters(path: Path) -> None:
    source, result = cleaned(path)
    normal = iter(normalize(source))
    # A subsequence test: every normalised cleaned char is found, in order, in the source.
    assert all(ch in normal for ch in normalize(result.text))


def _drop_lines(*prefixes: str) -> Callable[[str], str]:
    def remove(source: str) -> str:
        return "\n".join(
            line for line in source.split("\n") if not line.strip().startswith(prefixes)
        )

    return remove


# What each file loses under N: exactly its dropped lines and markers, nothing else.
EXPECTED_LOSS: dict[str, Callable[[str], str]] = {
    "luoxi-2019.txt": _drop_lines("- 6 -"),
    "luoxi-2021.txt": lambda s: s.replace("[bookmark: _GoBack]", ""),
    "jincheng-2019.txt": _drop_lines(
        "2019年区重点项目集中开工", "区领导督查", "江苏晨创5G", "即将竣工投产", "“不忘初心"
    ),
    "zhenglu-2020.txt": _drop_lines(
        "欢迎访问",
        "今天:",
        "信息名称",
        "索 引 号",
        "主题分类",
        "公开方式",
        "文件编号",
        "产生日期",
        "内容概述",
        "【打印本页】",
        "主办单位",
        "天宁区互联网",
        "苏公网安备",
    ),
    "jintan-2022.txt": lambda s: re.sub(r"[#■*]", "", s),
    "national-2011.txt": lambda s: s,
    "national-2020.html": lambda s: s,
    "chongzuo-2024.txt": lambda s: s,
    "qiandongnan-2024.txt": lambda s: s,
    "hailar-2012.gbk.txt": lambda s: s,
}


@pytest.mark.parametrize("path", ALL_PATHS, ids=lambda p: p.name)
def test_only_the_defects_are_removed(path: Path) -> None:
    source, result = cleaned(path)
    assert normalize(result.text) == normalize(EXPECTED_LOSS[path.name](source))


@pytest.mark.parametrize("path", ALL_PATHS, ids=lambda p: p.name)
def test_output_shape(path: Path) -> None:
    _, result = cleaned(path)
    lines = result.text.split("\n")
    assert all(line and line == line.strip() for line in lines)  # no blank or padded lines
    assert not CJK_SPACE_CJK.search(result.text)
    # Never a break inside a number.
    assert not re.search(r"\d\n\d", result.text)


def test_to_source() -> None:
    source, result = cleaned(REPORTS / "luoxi-2019.txt")
    start = result.text.index("同比增长8.19%")
    s, e = result.to_source(start, start + len("同比增长8.19%"))
    assert source[s:e] == "同\n\n比增长 8.19%"
    assert result.to_source(start, start) == (s, s)
    assert result.to_source(len(result.text), len(result.text)) == (len(source), len(source))
    with pytest.raises(ValueError):
        result.to_source(5, 3)
    with pytest.raises(ValueError):
        result.to_source(0, len(result.text) + 1)


# ---------------------------------------------------------------- 1. PDF hard line breaks


def test_luoxi_2019_pdf_line_breaks_are_joined() -> None:
    text = cleaned(REPORTS / "luoxi-2019.txt")[1].text
    for phrase in (
        "同比增长8.19%",  # "同\n\n比增长 8.19%"
        "分别达到60家、102家、93家",  # "102\n家"
        "高效HIT硅片智能制绒清洗设备",  # "HIT\n硅片"
        "地区生产总值69亿元",
        "申报市级高新技术产品43只",  # a continuation line with a leading space
    ):
        assert phrase in text


def test_luoxi_2019_paragraphs_and_headings() -> None:
    lines = lines_of("luoxi-2019.txt")
    assert lines[:4] == [
        "2019年工作总结和2020年工作思路",
        "常州空港产业园（罗溪镇）",
        lines[2],
        "一、2019年工作总结",
    ]
    assert lines[2].startswith("今年以来") and lines[2].endswith("较上年度提升4名。")
    assert "二、2020年工作思路" in lines
    numbered = [line[:2] for line in lines if re.match(r"\d\.", line)]
    assert numbered == ["1.", "2.", "3.", "4.", "5.", "6.", "7.", "1.", "2.", "3.", "4.", "5."]
    first = next(line for line in lines if line.startswith("1.综合实力稳中有进。"))
    assert first.endswith("其中捷佳创上缴利税突破4600万元。")
    # Short lines ending a sentence end their paragraph.
    assert "为实现上述目标，我们将重点做好五个方面工作：" in lines
    assert any(line.startswith("回顾今年以来的工作") for line in lines)
    assert len(lines) == 21


def test_luoxi_2019_page_number_dropped() -> None:
    text = cleaned(REPORTS / "luoxi-2019.txt")[1].text
    assert "- 6 -" not in text and "-6-" not in text
    assert "助餐点建设，发放尊老金66万元" in text


# ---------------------------------------------------------------- docx (not over-joined)


def test_luoxi_2021_docx_keeps_its_paragraphs() -> None:
    source = cleaned(REPORTS / "luoxi-2021.txt")[0]
    lines = lines_of("luoxi-2021.txt")
    # The title broken after "总结" is one line again; every other paragraph is untouched.
    assert lines[0] == "常州空港产业园（罗溪镇）2021年工作总结及2022年工作计划"
    body = [line for line in source.split("\n")[3:] if line.strip()]
    assert len(lines) == 1 + len(body)
    numbering = [line[:3] for line in lines if line.startswith(("（", "("))]
    assert "".join(numbering) == "（一）（二）（三）（四）（五）（1）（二）（三）（四）（五）"


def test_luoxi_2021_bookmark_marker_removed() -> None:
    lines = lines_of("luoxi-2021.txt")
    assert "bookmark" not in "\n".join(lines)
    assert lines[1].startswith("今年以来，园镇上下坚持贯彻")


# ---------------------------------------------------------------- jincheng: captions


def test_jincheng_photo_captions_dropped() -> None:
    text = cleaned(REPORTS / "jincheng-2019.txt")[1].text
    for caption in (
        "2019年区重点项目集中开工暨当升科技奠基仪式",
        "区领导督查鹏辉项目",
        "江苏晨创5G小基站及专用通信项目顺利奠基",
        "即将竣工投产的德国胜伟策项目",
        "“不忘初心、牢记使命”主题教育",
    ):
        assert caption not in text.split("\n")
    # "区领导督查" occurs nowhere else, so the caption is gone altogether.
    assert "区领导督查" not in text


def test_jincheng_title_headings_and_split_paragraph() -> None:
    lines = lines_of("jincheng-2019.txt")
    assert lines[0] == "抓转型促发展全力打造北部产业新城"
    assert lines[1] == "金科园党工委管委会、金城镇党委政府"
    assert lines[2] == "回眸2019"
    assert "2020年经济社会发展主要任务" in lines
    assert "党的建设抓抓抓实,主要表现在:" in lines
    assert any(line.startswith("经济总量不断攀升。") for line in lines)
    # The paragraph broken inside "金科园特勤消防站" is whole again.
    joined = next(line for line in lines if line.startswith("园区环境持续优化。"))
    assert "金科园特勤消防站完成主体工程" in joined
    assert joined.endswith("木社沟综合整治工程。")


# ---------------------------------------------------------------- zhenglu: web page chrome


def test_zhenglu_navigation_and_footer_dropped() -> None:
    text = cleaned(REPORTS / "zhenglu-2020.txt")[1].text
    for junk in (
        "欢迎访问", "今天:", "信息名称", "索引号", "主题分类", "公开方式", "文件编号", "产生日期",
        "内容概述", "打印本页", "关闭窗口", "主办单位", "版权所有", "E-mail", "邮箱", "ICP备",
        "公网安备", "网站标识码", "总访问量",
    ):  # fmt: skip
        assert junk not in text, junk


def test_zhenglu_keeps_title_dateline_and_spam_in_sentences() -> None:
    lines = lines_of("zhenglu-2020.txt")
    assert lines[0] == "郑陆镇2020年度政府工作报告"
    assert lines[1] == "——2020年12月27日在澳门现金赌场郑陆镇第三届人民代表大会第九次会议上"
    assert lines[2] == "镇长郁国兴"
    # Injected spam inside body sentences is for the spam detector, not for clean.
    assert "我代表澳门现金赌场郑陆镇人民政府" in lines[4]


# ---------------------------------------------------------------- jintan: OCR


def test_jintan_heading_marks_stripped() -> None:
    lines = lines_of("jintan-2022.txt")
    text = "\n".join(lines)
    assert not re.search(r"[#■*]", text)
    assert lines[0] == "向全区人民汇报2022年工作"
    assert lines[1] == "-在代区长胥亚伟所作《政府工作报告》中"
    assert "一、攻坚重大项目,综合实力全面增强" in lines
    assert "三、发展全域旅游,环境面貌焕然一新" in lines
    assert "六、强化综合统筹,行政效能不断提升" in lines
    assert any(line.startswith("做强现代农业产业。加快建设") for line in lines)


def test_jintan_ocr_spaces_and_column_breaks() -> None:
    text = cleaned(REPORTS / "jintan-2022.txt")[1].text
    for phrase in (
        "签约引进工业项目138个",
        "首破4亿美元",
        "协议投资总额超600亿元",
        '2022 "对话德国"',  # digit and Latin quote: the space stays
        "99.5%、98.4%,创历史新高",
        "完成工业投资超200亿元",  # a sentence cut at a column break, across a blank line
        "筑牢安全发展基石。创建省级安全发展示范城市。",
        "完成政策性粮食储备任务5.2万吨。",  # "5.2" is a number, not numbering "5."
    ):
        assert phrase in text, phrase


# ---------------------------------------------------------------- corpus headers


@pytest.mark.skipif(not CORPUS.is_dir(), reason="no corpus")
def test_corpus_headers() -> None:
    qdn = cleaned(CORPUS / "qiandongnan-2024.txt")[1].text.split("\n")
    assert qdn[:4] == [
        "政府工作报告",
        "（2024年1月31日在黔东南州第十五届人民代表大会第四次会议上）",
        "州长杨光杰",
        "各位代表：",
    ]
    hailar = cleaned(CORPUS / "hailar-2012.gbk.txt")[1].text.split("\n")
    assert hailar[:4] == [
        "政府工作报告",
        "----2012年2月29日在海拉尔区第十三届人民代表大会第六次会议上",
        "海拉尔区人民政府区长张天喜",
        "各位代表：",
    ]
    assert not any(line.startswith("\u3000") for line in hailar)
    national = cleaned(CORPUS / "national-2011.txt")[1].text.split("\n")
    assert "一、“十一五”时期国民经济和社会发展的回顾" in national


# ---------------------------------------------------------------- synthetic cases


def _pdf(*paragraphs: str, width: int = 20) -> str:
    """Hard-wrap paragraphs at `width` characters, a blank line after every line, as pdftotext."""
    out = []
    for para in paragraphs:
        out.extend(para[i : i + width] for i in range(0, len(para), width))
    return "\n\n".join(out) + "\n"


def test_hard_wrapped_text_is_rejoined() -> None:
    first = (
        "园镇实现地区生产总值69亿元同比增长7%；完成一般公共预算收入4.74亿元；"
        "企业达到102家，产值达到31亿元。"
    )
    second = "二、2020年工作思路"
    third = (
        "2020年园镇经济社会发展的主要预期目标是：地区生产总值增长7.5%以上，"
        "收入增长10%以上，投资增长7%以上，其中制造业投资占比在63%以上。"
    )
    result = clean(_pdf(first, second, third))
    assert result.text.split("\n") == [first, second, third]


def test_a_first_line_short_by_its_lost_indent_opens_a_paragraph() -> None:
    # pdftotext drops the two-character indent but not the shorter first line: 承德's last
    # page has "…努力建设人民满意的政府。" filling its line, then "各位代表！使命重在担当…".
    lines = cleaned(CORPUS / "city-2024" / "承德.txt")[1].text.split("\n")
    closing = next(line for line in lines if line.startswith("各位代表！使命重在担当"))
    before = lines[lines.index(closing) - 1]
    assert before.startswith("各位代表！奋进新征程") and before.endswith("人民满意的政府。")
    # A full line after a sentence end still continues its paragraph.
    assert any("。全面" in line or "。坚持" in line for line in lines)


def test_docx_lines_are_not_joined() -> None:
    paras = ["第一段很长的内容，" * 12 + "结束。", "第二段内容，" * 15 + "结束。", "短段。"]
    assert clean("\n".join(paras)).text.split("\n") == paras


@pytest.mark.parametrize(
    "line", ["- 6 -", "—6—", "第 6 页", "第6页 共20页", "6", "12/30", "- iv -"]
)
def test_page_number_lines_dropped(line: str) -> None:
    assert clean(f"各位代表：\n{line}\n现在报告工作。").text == "各位代表：\n现在报告工作。"


def test_a_number_inside_text_is_not_a_page_number() -> None:
    assert clean("地区生产总值\n2025\n亿元。").text == "地区生产总值\n2025\n亿元。"


def test_bookmark_markers_anywhere() -> None:
    assert clean("今年[bookmark: _GoBack]以来，[bookmark: x]园镇。").text == "今年以来，园镇。"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("#### ■ 一、攻坚重大项目 ■", "一、攻坚重大项目"),
        ("# 向全区人民汇报", "向全区人民汇报"),
        ("**做强现代农业产业**。加快建设。", "做强现代农业产业。加快建设。"),
    ],
)
def test_heading_marks_stripped(line: str, expected: str) -> None:
    assert clean(line).text == expected


def test_marked_headings_are_never_joined() -> None:
    text = "### 一、聚焦产业强区\n\n加力招引优质项目，\n\n## 二、聚焦创新引领\n\n构建体系。"
    assert clean(text).text.split("\n") == [
        "一、聚焦产业强区",
        "加力招引优质项目，",
        "二、聚焦创新引领",
        "构建体系。",
    ]


def test_web_lines_dropped_but_title_kept() -> None:
    page = (
        "欢迎访问某某镇人民政府网站\n今天:\n索 引 号:1132/2021-00002\n发布日期:2020-12-28\n"
        "某某镇2020年度政府工作报告\n各位代表:\n现在报告工作。\n【打印本页】 【关闭窗口】\n"
        "主办单位:某某镇人民政府 版权所有\n苏ICP备05003616号\n"
    )
    assert clean(page).text.split("\n") == [
        "某某镇2020年度政府工作报告",
        "各位代表:",
        "现在报告工作。",
    ]


def test_caption_cluster_dropped_single_short_line_kept() -> None:
    body = "全镇完成工业开票销售收入240亿元，同比增长18.9%。"
    captions = "\n\n\n".join(["甲项目奠基仪式", "乙项目开工现场", "丙项目竣工投产"])
    text = f"标题\n\n\n{captions}\n\n回眸2019\n\n{body}\n\n"
    assert clean(text).text.split("\n") == ["标题", "回眸2019", body]
    single = f"标题\n\n回眸2019\n\n{body}\n\n展望2020\n\n{body}"
    assert clean(single).text.split("\n") == ["标题", "回眸2019", body, "展望2020", body]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("签约引 进工业项目138个", "签约引进工业项目138个"),
        ("首破4 亿美元", "首破4亿美元"),
        ("超 600亿元", "超600亿元"),
        ('2022 "对话德国"活动', '2022 "对话德国"活动'),
        ("HIT 硅片", "HIT硅片"),
        ("5G 小基站", "5G小基站"),
        ("Made in  China 2025", "Made in China 2025"),
        # Two digits apart may be two numbers; N drops the space for grounding anyway.
        ("比例为3.6 : 48 : 48.4", "比例为3.6 : 48 : 48.4"),
        ("\u3000\u3000各位代表：", "各位代表："),
        ("区长\u3000\u3000张天喜", "区长张天喜"),
        ("州长\u2002 杨光杰", "州长杨光杰"),
        ("政 府 工 作 报 告", "政府工作报告"),
        ("98.4%, 创历史新高", "98.4%,创历史新高"),
    ],
)
def test_spaces(line: str, expected: str) -> None:
    assert clean(line).text == expected


def test_blank_runs_collapse_and_lines_are_stripped() -> None:
    assert clean("  甲。 \n\n\n\n\t乙。\n\n").text == "甲。\n乙。"


def test_cut_off_sentence_joined_across_blank_line() -> None:
    text = "签约项目138个。完成工业投资超\n\n200亿元，项目顺利推进。\n\n下一段。"
    assert clean(text).text == "签约项目138个。完成工业投资超200亿元，项目顺利推进。\n下一段。"
    # A short unpunctuated line may be a heading, so it is not joined.
    assert clean("工作回顾\n\n200亿元的投资。").text == "工作回顾\n200亿元的投资。"
    # A heading after an unfinished paragraph is not pulled into it.
    text = "项目实现“拿\n\n三、发展全域旅游\n\n坚持创建一流环境。"
    assert clean(text).text.split("\n") == ["项目实现“拿", "三、发展全域旅游", "坚持创建一流环境。"]


def test_lead_phrase_after_a_cut_off_paragraph_opens_a_new_one() -> None:
    # The end of "…等项目竣工" was lost at a column break; the next line opens with a lead.
    text = (
        "加快推进项目建设。组建服务专班。完善工作机制。确保奥托立夫等项目竣工\n\n"
        "加速产业转型升级。以壮大“五新产\n\n业”增后劲。"
    )
    assert clean(text).text.split("\n") == [
        "加快推进项目建设。组建服务专班。完善工作机制。确保奥托立夫等项目竣工",
        "加速产业转型升级。以壮大“五新产业”增后劲。",
    ]
    # A lead and a fragment are one cut-off paragraph; so is a figure or a 等… continuation.
    for first, rest in (
        ("筑牢安全发展基石。创建省级", "安全发展示范城市。加大监管力度。"),
        ("建设农田。完成标准化改造。完成储备任务", "5.2万吨。改造标准化池塘。"),
        ("建设农田。完成标准化改造。确保一批", "等项目开工建设。建成投用。"),
    ):
        assert clean(f"{first}\n\n{rest}").text == first + rest


def test_jintan_lead_phrases_after_lost_sentence_ends_open_paragraphs() -> None:
    lines = lines_of("jintan-2022.txt")
    assert any(line.endswith("奥托立夫气体发生器等项目竣工") for line in lines)
    assert any(line.startswith("加速产业转型升级。以壮大") for line in lines)
    assert any(line.endswith("金山路等道路,开通运营金") for line in lines)
    assert any(line.startswith("精致建设完善功能。做强钱资新城功能") for line in lines)


def test_split_dateline_and_title_joined() -> None:
    text = (
        "某镇2021年工作总结\n及2022年工作计划\n\n"
        "——2020年12月27日在某镇\n\n第三届人民代表大会第九次会议上\n\n各位代表："
    )
    assert clean(text).text.split("\n") == [
        "某镇2021年工作总结及2022年工作计划",
        "——2020年12月27日在某镇第三届人民代表大会第九次会议上",
        "各位代表：",
    ]


def test_crlf_input_and_empty_input() -> None:
    result = clean("甲。\r\n\r\n乙。\r\n")
    assert result.text == "甲。\n乙。"
    assert result.source[result.offsets[2]] == "\n"
    empty = clean("")
    assert (empty.text, len(empty.offsets)) == ("", 0)
    assert clean(" \n\u3000\n").text == ""


def test_large_input_runs() -> None:
    source = (REPORTS / "luoxi-2019.txt").read_text(encoding="utf-8")
    big = (source + "\n") * (2_000_000 // len(source) + 1)
    result = clean(big)
    assert len(result.offsets) == len(result.text)
    assert result.text.count("同比增长8.19%") == big.count("同\n\n比增长 8.19%")


def test_body_text_mentioning_web_words_is_kept() -> None:
    text = "活动主办单位为区政府，密切联系我们的群众\n\n版权所有人依法维权。"
    assert clean(text).text == "活动主办单位为区政府，密切联系我们的群众\n版权所有人依法维权。"


def test_latin_words_split_by_a_wrap_keep_a_space() -> None:
    lines = [
        "全面推进产业转型升级，加快发展先进制造业",
        "努力打造具有影响力和竞争力的Made in",
        "China品牌，推动高质量发展和质量提升",
    ]
    lines += ["持续优化营商环境，深化放管服改革工作并行"] * 4 + ["完成全年目标。"]
    result = clean("\n\n".join(lines))
    assert "竞争力的Made in China品牌" in result.text
    space = result.text.index("in China") + 2
    assert result.source[result.offsets[space]] == "\n"
