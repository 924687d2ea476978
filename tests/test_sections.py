"""Outline of the ten sample reports: header, headings and review / problems / plan parts."""

from __future__ import annotations

from functools import cache
from itertools import pairwise
from pathlib import Path

import pytest

from summarizer.clean import clean
from summarizer.ingest import read_report
from summarizer.structure import (
    Outline,
    ReportHeader,
    SectionKind,
    find_headings,
    outline,
    period_of,
    read_header,
)

ROOT = Path(__file__).resolve().parent.parent
REPORTS = {
    "luoxi-2019": ROOT / "fixtures/reports/luoxi-2019.txt",
    "luoxi-2021": ROOT / "fixtures/reports/luoxi-2021.txt",
    "jincheng-2019": ROOT / "fixtures/reports/jincheng-2019.txt",
    "zhenglu-2020": ROOT / "fixtures/reports/zhenglu-2020.txt",
    "jintan-2022": ROOT / "fixtures/reports/jintan-2022.txt",
    "national-2011": ROOT / "fixtures/corpus/national-2011.txt",
    "national-2020": ROOT / "fixtures/corpus/national-2020.html",
    "chongzuo-2024": ROOT / "fixtures/corpus/chongzuo-2024.txt",
    "qiandongnan-2024": ROOT / "fixtures/corpus/qiandongnan-2024.txt",
    "hailar-2012": ROOT / "fixtures/corpus/hailar-2012.gbk.txt",
}

PRE, REV, PRB, PLN, OTH = (SectionKind.PREAMBLE, SectionKind.REVIEW, SectionKind.PROBLEMS,
                           SectionKind.PLAN, SectionKind.OTHER)  # fmt: skip
FIVE, GOV = SectionKind.FIVE_YEAR, SectionKind.GOVERNMENT


@cache
def report(name: str) -> tuple[str, str | None]:
    """Clean text and title hint of a sample report, as the pipeline produces them."""
    doc = read_report(REPORTS[name])
    return clean(doc.text).text, doc.title_hint


@cache
def outlined(name: str) -> Outline:
    text, hint = report(name)
    return outline(text, hint)


# One header per report, as a reader of that report would fill it in: the issuer as the report
# writes it, the place's standard name, the review years and the annual plan's year (a
# five-year plan's years apart).
HEADERS = {
    "luoxi-2019": ReportHeader("常州空港产业园（罗溪镇）2019年工作总结和2020年工作思路",
                               "常州空港产业园（罗溪镇）", "town", "2019", "2020", "罗溪镇"),
    "luoxi-2021": ReportHeader("常州空港产业园（罗溪镇）2021年工作总结及2022年工作计划",
                               "常州空港产业园（罗溪镇）", "town", "2021", "2022", "罗溪镇"),
    "jincheng-2019": ReportHeader("抓转型促发展全力打造北部产业新城", "金科园(金城镇)", "town",
                                  "2019", "2020", "金城镇"),
    "zhenglu-2020": ReportHeader("郑陆镇2020年度政府工作报告", "郑陆镇人民政府", "town",
                                 "2016-2020", "2021", "郑陆镇", "2021-2025"),
    "jintan-2022": ReportHeader("向全区人民汇报2022年工作", "金坛区人民政府", "district",
                                "2022", "2023", "金坛区"),
    "national-2011": ReportHeader("政府工作报告", "国务院", "national", "2006-2010", "2011",
                                  "国务院", "2011-2015"),
    "national-2020": ReportHeader("政府工作报告", "国务院", "national", "2019", "2020", "国务院"),
    "chongzuo-2024": ReportHeader("政府工作报告", "崇左市人民政府", "city", "2023", "2024",
                                  "崇左市"),
    "qiandongnan-2024": ReportHeader("政府工作报告", "黔东南州人民政府", "prefecture", "2023",
                                     "2024", "黔东南苗族侗族自治州"),
    "hailar-2012": ReportHeader("政府工作报告", "海拉尔区人民政府", "district", "2011", "2012",
                                "海拉尔区"),
}  # fmt: skip

KINDS = {
    "luoxi-2019": [PRE, REV, PRB, PLN],
    "luoxi-2021": [PRE, REV, PRB, PLN],  # no part headings: the parts open on cue sentences
    "jincheng-2019": [PRE, REV, PLN],  # no problems section at all
    "zhenglu-2020": [PRE, REV, PRB, FIVE, PLN, OTH],  # 十三五+2020 review; 十四五 goals; 2021 plan
    "jintan-2022": [REV, PLN, GOV],  # 一、三、二… out of order, all inside the review
    # 十一五 review; 十二五 goals; 2011 plan, which first recalls 2010's results (a review part)
    "national-2011": [PRE, REV, PRB, REV, FIVE, PLN, REV, PLN, OTH],
    "national-2020": [PRE, REV, PRB, PLN, OTH],
    "chongzuo-2024": [PRE, REV, PRB, PLN, GOV, OTH],  # 三、政府治理能力现代化建设; closing
    "qiandongnan-2024": [PRE, REV, PRB, PLN, OTH],
    "hailar-2012": [PRE, REV, PRB, PLN, OTH],
}


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_header(name: str) -> None:
    assert outlined(name).header == HEADERS[name]


@pytest.mark.parametrize("name", sorted(KINDS))
def test_section_kinds(name: str) -> None:
    assert [s.kind for s in outlined(name).sections] == KINDS[name]


@pytest.mark.parametrize("name", sorted(REPORTS))
def test_sections_tile_the_text(name: str) -> None:
    text, _ = report(name)
    secs = outlined(name).sections
    assert secs[0].start == 0 and secs[-1].end == len(text)
    for a, b in pairwise(secs):
        assert a.end == b.start
    for s in secs:
        assert text[s.start : s.end].strip(), s
        assert outlined(name).kind_at(s.start) is s.kind
        assert outlined(name).kind_at(s.end - 1) is s.kind
        # Parts begin at a line start, or at a sentence start where a paragraph turns to the
        # problems or recalls last year's results: never inside a sentence.
        assert s.start == 0 or text[s.start - 1] in "\n。！？；"


def test_read_header_agrees_with_outline() -> None:
    text, hint = report("zhenglu-2020")
    assert read_header(text, hint) == outlined("zhenglu-2020").header


PROBLEM_OPENINGS = {
    "luoxi-2019": "回顾今年以来的工作，在肯定成绩的同时",
    "luoxi-2021": "在做出成绩的同时",
    "zhenglu-2020": "在肯定成绩的同时,我们也清醒地看到",
    "national-2011": "我们清醒地认识到",
    "national-2020": "在肯定成绩的同时，我们也清醒看到",
    "chongzuo-2024": "同时，我们也清醒地认识到",
    "qiandongnan-2024": "我们也清醒地认识到",
    "hailar-2012": "在看到成绩的同时",
}


@pytest.mark.parametrize("name", sorted(PROBLEM_OPENINGS))
def test_problems_is_just_the_problems_paragraph(name: str) -> None:
    text, _ = report(name)
    (sec,) = [s for s in outlined(name).sections if s.kind is PRB]
    body = text[sec.start : sec.end].strip()
    assert body.startswith(PROBLEM_OPENINGS[name])
    assert "\n" not in body  # one paragraph, up to the next heading or paragraph
    assert sec.period == outlined(name).header.review_period


def test_jincheng_has_no_problems_section() -> None:
    # "查找出5个方面的短板弱项" inside a review item is not a problems paragraph.
    assert all(s.kind is not PRB for s in outlined("jincheng-2019").sections)


def test_jintan_out_of_order_parts_stay_in_the_review() -> None:
    o = outlined("jintan-2022")
    firsts = [h for h in o.headings if h.level == 1 and h.numbering]
    review = [h.numbering for h in firsts if o.kind_at(h.start) is REV]
    assert review == ["一、", "三、", "二、", "四、", "五、", "六、"]
    assert [h.numbering for h in firsts if o.kind_at(h.start) is PLN][:3] == [
        "一、",
        "二、",
        "三、",
    ]


def test_zhenglu_parts_and_periods() -> None:
    o = outlined("zhenglu-2020")
    plans = [(s.heading, s.period) for s in o.sections if s.kind in (PLN, FIVE)]
    assert plans == [
        ("“十四五”时期的奋斗目标和主要任务", "2021-2025"),
        ("2021年主要工作安排", "2021"),
    ]
    assert [s.kind for s in o.sections if s.period == "2021-2025"] == [FIVE]
    assert "澳门" not in o.header.issuer and "赌场" not in o.header.issuer


def test_spam_in_every_named_cue_gives_no_spam_issuer() -> None:
    text = (
        "政府工作报告\n——2020年12月27日在澳门现金赌场某某镇第三届人民代表大会第九次会议上\n"
        "各位代表：\n现在，我代表澳门现金赌场某某镇人民政府，向大会报告工作。\n"
        "一、2020年工作回顾\n全年完成工业总产值178亿元。\n二、2021年工作安排\n力争增长5%。\n"
    )
    header = read_header(text)
    assert not any(w in header.issuer for w in ("澳门", "赌场", "现金"))
    assert (header.review_period, header.plan_period) == ("2020", "2021")
    assert read_header(text, title_hint="澳门现金赌场官网").title == "政府工作报告"


def test_title_without_hint() -> None:
    text, hint = report("national-2011")
    assert hint == "政府工作报告"
    assert read_header(text).title == "政府工作报告"  # a speech to the congress
    speech = "州长杨光杰\n各位代表：\n现在，我代表州人民政府向大会报告工作，请予审议。\n"
    assert read_header(speech).title == "政府工作报告"


def test_issuer_from_title_beats_tampered_sentence() -> None:
    text, _ = report("zhenglu-2020")
    assert "我代表澳门现金赌场郑陆镇人民政府" in text  # the tampering is still in the text
    assert read_header(text).issuer == "郑陆镇人民政府"


def test_headings_levels_and_spans() -> None:
    text, _ = report("luoxi-2019")
    hs = find_headings(text)
    first = next(h for h in hs if h.numbering == "1.")
    assert (first.level, first.text) == (3, "综合实力稳中有进")
    assert text[first.start : first.end] == "1.综合实力稳中有进。"
    assert [h.label for h in hs if h.level == 1] == ["一、2019年工作总结", "二、2020年工作思路"]
    # The title names both years: it is the report title, not a part heading.
    assert all("工作思路" not in h.text or h.numbering for h in hs)


def test_stray_arabic_number_among_chinese_ones_is_promoted() -> None:
    text, _ = report("luoxi-2021")
    level2 = [h.numbering for h in find_headings(text) if h.level == 2]
    assert level2 == ["（一）", "（二）", "（三）", "（四）", "（五）",
                      "（1）", "（二）", "（三）", "（四）", "（五）"]  # fmt: skip


def test_lead_phrases_are_level_four() -> None:
    text, _ = report("national-2020")
    leads = [h for h in find_headings(text) if h.level == 4]
    assert leads[0].numbering == "——" and leads[0].text == "经济运行总体平稳"
    assert "加大减税降费力度" in {h.text for h in leads}


def test_lead_phrases_may_hold_a_quoted_name() -> None:
    text, _ = report("zhenglu-2020")
    leads = {h.text for h in find_headings(text) if h.level == 4}
    assert {"夯实“农业强”基础", "绘就“农村美”画卷", "找准“农民富”路径"} <= leads
    h = next(h for h in find_headings(text) if h.text == "夯实“农业强”基础")
    assert text[h.start : h.end] == "夯实“农业强”基础。"
    # Only a whole quoted name counts: an unclosed quote or a quoted sentence is no lead.
    for line in ("实施“强富美。工程建设", "推进“项目建设。”全面"):
        assert not [
            h for h in find_headings(f"概况\n一、工作回顾\n{line}取得成效。\n") if h.level == 4
        ]


def test_bare_part_titles_are_level_one() -> None:
    text, _ = report("zhenglu-2020")
    bare = [h.text for h in find_headings(text) if h.level == 1]
    assert bare == [
        "“十三五”时期和2020年工作回顾",
        "“十四五”时期的奋斗目标和主要任务",
        "2021年主要工作安排",
    ]


def test_problems_heading_inside_review() -> None:
    text = (
        "新安镇2023年工作总结和2024年工作计划\n"
        "一、2023年工作回顾\n（一）经济发展。全年完成地区生产总值69亿元。\n"
        "（二）存在的问题和不足\n一是项目偏少。\n二是动力不足。\n"
        "（三）社会事业。新增就业1820人。\n"
        "二、2024年工作计划\n地区生产总值增长7%。\n"
    )
    o = outline(text)
    assert [s.kind for s in o.sections] == [PRE, REV, PRB, REV, PLN]
    (prob,) = [s for s in o.sections if s.kind is PRB]
    assert text[prob.start : prob.end].strip().splitlines()[-1] == "二是动力不足。"
    assert o.header.issuer == "新安镇人民政府"


def test_text_without_structure_is_other() -> None:
    text = "标题\n这是一段没有任何结构的文字，既不是回顾也不是计划，只是一段说明文字，没有别的。\n"
    o = outline(text)
    assert [s.kind for s in o.sections] == [PRE, OTH]
    assert o.header.review_period is None and o.header.plan_period is None


def test_empty_text() -> None:
    o = outline("")
    assert [s.kind for s in o.sections] == [PRE] and o.kind_at(0) is PRE
    assert o.header == ReportHeader("", "", "unknown", None, None)
    assert o.plan_confidence == "none"


@pytest.mark.parametrize(
    ("heading", "kind", "ref", "expected"),
    [
        ("“十三五”时期和2020年工作回顾", REV, None, "2016-2020"),
        ("“十四五”时期的奋斗目标和主要任务", PLN, None, "2021-2025"),
        ("一、“十一五”时期国民经济和社会发展的回顾", REV, None, "2006-2010"),
        ("二、今年发展主要目标和下一阶段工作总体部署", PLN, 2020, "2020"),
        ("一、2019年和今年以来工作回顾", REV, 2020, "2019"),
        ("一、过去一年工作回顾", REV, 2012, "2011"),
        ("一、过去五年工作回顾", REV, 2023, "2018-2022"),
        ("回眸2019", REV, None, "2019"),
        ("一、攻坚重大项目", REV, 2023, None),
        ("“十五”期间工作回顾", REV, None, "2001-2005"),
        ("一、第十五届运动会筹备工作回顾", REV, None, None),
    ],
)
def test_period_of(heading: str, kind: SectionKind, ref: int | None, expected: str | None) -> None:
    assert period_of(heading, kind, ref) == expected


# --- older and unnumbered layouts: where the plan part begins ---------------------------------

_REVIEW = "一年来，全市经济平稳运行，地区生产总值比上年增长6.5%，完成了全年目标任务。\n"


@pytest.mark.parametrize(
    ("heading", "review", "plan", "kind"),
    [
        # topic sentences run into their paragraph name no part
        ("维护世界和平是我国对外政策的主要目标，我们要坚持不懈", 1983, 1984, None),
        ("从一切为人民的思想出发，统筹安排生产建设和人民生活", 1981, 1982, None),
        ("用于基本建设的投资，由建设银行统一管起来，按计划监督使用", 1982, 1983, None),
        # ...unless they name the plan year
        ("以提高经济效益为中心，全面完成１９９１年计划", 1990, 1991, PLN),
        ("2024年工作安排", 2023, 2024, PLN),
        ("2024年主要工作安排2024年是新中国成立75周年", 2023, 2024, PLN),  # run into its text
        ("国民经济的成就和今后的建设任务", 1964, 1965, REV),
        # the five-year plan under way, in a report on that plan
        ("第一个五年计划概要", 1955, 1956, FIVE),
    ],
)
def test_heading_kinds_of_older_reports(heading, review, plan, kind) -> None:
    from summarizer.structure.headings import classify

    assert classify(heading, review, plan) is kind


def _plan_text(text: str) -> str:
    o = outline(text)
    (first, *_) = [s for s in o.sections if s.kind is PLN]
    return text[first.start : first.end]


def test_a_review_heading_that_names_the_tasks_too_opens_the_plan_at_its_cue() -> None:
    text = (
        "1964年国务院政府工作报告——1964年12月21日在第三届全国人民代表大会第一次会议上\n"
        "五年来，我国各族人民坚持总路线，在各条战线上取得了伟大的胜利。\n"
        "国民经济的成就和今后的建设任务\n"
        "周总理指出，四年来，我国人民完成了调整国民经济的任务，工业总产值比一九五七年增长了一倍。\n"
        "农业生产全面好转，粮食产量比上年增加了一百亿斤。\n"
        "明年发展国民经济的主要任务是，大力组织工农业生产的新高潮，为第三个五年计划作好准备。\n"
        "计划草案拟定，工业总产值比一九六四年增长百分之十一左右。\n"
        "今后发展国民经济中应当注意的几个问题\n第一，正确处理农业、轻工业、重工业的关系。\n"
    )
    assert _plan_text(text).startswith("明年发展国民经济的主要任务是")


def test_a_sentence_announcing_this_years_guideline_opens_the_plan() -> None:
    text = (
        "1994年政府工作报告\n一、1993年国内工作的回顾和1994年工作的基本方针\n"
        "过去的一年，国民经济快速增长，国内生产总值比上年增长13.4%。\n"
        "在肯定成绩的同时，我们清醒地看到，前进中还存在一些矛盾和困难。\n"
        "各位代表！中共中央明确提出了今年全党和全国工作的基本方针，这就是：加快改革，促进发展。\n"
        "二、保持国民经济持续快速健康发展\n今年计划国内生产总值增长9%。\n"
    )
    assert _plan_text(text).startswith("各位代表！中共中央明确提出了今年")


def test_the_plan_begins_after_the_problems_that_close_the_review() -> None:
    text = (
        "1984年政府工作报告\n" + _REVIEW * 2
        + "应当清醒地看到，当前我们还存在不少困难，经济效益仍不理想。\n"
        + "为了搞好重点建设，我们要继续控制基本建设规模，要集中财力物力，并力争取得更大效果。\n"
        + "要认真改革城市经济体制，要进一步扩大企业自主权，要搞活流通。\n"
        + "要积极办好经济特区，将进一步开放沿海城市。\n"
    )  # fmt: skip
    o = outline(text)
    assert o.plan_confidence == "medium" and not o.uncertain
    assert _plan_text(text).startswith("为了搞好重点建设")


def test_an_address_line_divides_a_speech_without_headings() -> None:
    past = "十年来，工业总产值增长了一倍，粮食产量增长了百分之五十一，取得了重大胜利。\n"
    plan = "我们要继续巩固已有成绩，要加强团结，要努力完成各项任务，将取得新的胜利。\n"
    text = "1975年政府工作报告\n" + past * 4 + "我国各族人民更加团结。\n各位代表！\n" + plan * 5
    o = outline(text)
    assert o.plan_confidence == "low" and o.uncertain  # a guess, and said so
    assert _plan_text(text).startswith("我们要继续巩固已有成绩")


def test_last_years_results_recalled_in_the_plan_part_are_a_review_part() -> None:
    text = (
        "2011年政府工作报告\n一、“十一五”时期的回顾\n五年来，经济年均增长11.2%。\n"
        "二、2011年的工作\n"
        "2011年是开局之年。过去一年，我们的各项工作取得了很大成绩。国内生产总值增长10.3%，"
        "城镇新增就业1168万人。这为做好今年的工作打下了良好基础。\n"
        "今年国内生产总值预期增长8%左右。\n"
    )
    o = outline(text)
    kinds = [(s.kind, s.period) for s in o.sections]
    assert (REV, "2010") in kinds
    (recap,) = [s for s in o.sections if s.kind is REV and s.period == "2010"]
    assert text[recap.start : recap.end].startswith("过去一年")
    assert "10.3%" in text[recap.start : recap.end] and "这为" not in text[recap.start : recap.end]
    assert o.kind_at(text.index("8%左右")) is PLN


@pytest.mark.parametrize(
    "admission",
    [
        "许多部门获得了重大的成绩，同时也存在着一些急待解决的问题。",  # a clause that turns
        "当然，对于这样一个彻底的革命，我们现在还只具有初步的经验，工作中还有缺点。",  # concedes
        "当然，我们在前进道路上还会遇到许多困难，需要付出巨大努力。",
    ],
)
def test_admissions_of_older_reports_are_problems(admission: str) -> None:
    text = (
        "政府工作报告\n一、2023年工作回顾\n全市生产总值比上年增长6%，完成了全年目标。"
        + admission + "\n二、2024年工作安排\n地区生产总值增长6%左右。\n"
    )  # fmt: skip
    o = outline(text)
    (prob,) = [s for s in o.sections if s.kind is PRB]
    assert admission[:8] in text[prob.start : prob.end]


def test_correcting_shortcomings_is_no_admission() -> None:
    text = (
        "政府工作报告\n一、2023年工作回顾\n全市生产总值比上年增长6%。\n"
        "只有充分发扬民主，才能及时发现和纠正我们工作中的缺点和错误。\n"
        "二、2024年工作安排\n地区生产总值增长6%左右。\n"
    )
    assert [s for s in outline(text).sections if s.kind is PRB] == []


def test_problem_cue_matches_in_the_whole_paragraph_when_in_a_window() -> None:
    # overlays.problem_start skips a paragraph whose whole text holds no cue: sound only while a
    # cue found in a sentence's window (search with pos/endpos) is found in the whole paragraph
    # too. Lookbehinds and positive lookaheads keep that; a negative lookahead, an end anchor
    # or a word boundary may match at a window's cut and nowhere in the paragraph.
    from summarizer.lexicon import PROBLEM_CUE

    assert not any(op in PROBLEM_CUE for op in ("(?!", "$", "\\b", "\\B", "\\Z"))


def test_a_glossary_after_the_speech_is_back_matter_not_plans() -> None:
    # State Council 2012: "附注：" and a dozen numbered notes of 2011 facts after the closing.
    notes = "".join(f"{k}.名词{k}：是指2011年参保人数达到2.2亿的一项制度。\n" for k in range(1, 15))
    text = (
        "2012年政府工作报告\n一、2011年工作回顾\n过去一年，国内生产总值增长9.2%。\n"
        "二、2012年工作总体部署\n今年国内生产总值增长7.5%。\n"
        + "要坚持稳中求进。\n" * 200
        + "各位代表！\n让我们更加紧密地团结起来，开创新局面！\n附注：\n"
        + notes
    )
    plan = _plan_text(text)
    assert "今年国内生产总值增长7.5%" in plan and "附注" not in plan and "参保" not in plan


def test_topics_numbered_under_a_bare_review_title_are_no_plan_part() -> None:
    # 乌鲁木齐 2024: "2023年工作回顾" then "一、社会大局和谐稳定" (its topics, written in the
    # tense of duty: 坚决扛牢, 深入推进) … "2024年重点工作" then "一、…" again.
    duty = "着力维护社会稳定，确保社会大局持续稳定，努力建设平安城市，信访总量下降3.7%。\n"
    text = (
        "各位代表：\n现在，我代表市人民政府向大会报告工作。\n2023年工作回顾\n"
        "2023年，全市经济社会发展取得显著成绩。\n一、社会大局和谐稳定\n"
        + duty * 3
        + "二、经济发展稳中有进\n全市地区生产总值增长7.2%。\n" * 2
        + "2024年重点工作\n2024年是实施“十四五”规划的关键一年。\n一、始终把维护社会稳定摆在首位\n"
        + "要坚持稳中求进，力争地区生产总值增长7.5%左右。\n" * 3
    )
    assert _plan_text(text).startswith("2024年重点工作")


def test_a_plan_part_worded_as_results_is_said_to_be_uncertain() -> None:
    # An independent look at the reading: 乌鲁木齐 2024's review, misread as the plan, read
    # 11 markers of duty against 17 of completion; every real plan part of the corpus reads
    # more of the former.
    done = "全市地区生产总值比上年增长了7.2%，已经建成一批重点项目，同比提高了两个百分点。\n"
    todo = "要坚持稳中求进，力争地区生产总值增长7.5%左右，确保完成各项目标任务。\n"
    head = "2024年政府工作报告\n一、2023年工作回顾\n" + done * 10 + "二、2024年工作安排\n"
    assert outline(head + todo * 100).uncertain == ()
    wrong = outline(head + done * 100)
    assert wrong.uncertain and "措辞多为已完成" in wrong.uncertain[-1]
    assert wrong.plan_confidence == "low"
