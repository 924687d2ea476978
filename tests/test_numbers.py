"""Tests for the number engine (summarizer.numbers)."""

from __future__ import annotations

import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from summarizer.numbers import (
    Direction,
    NumberMention,
    direction_of,
    find_numbers,
    find_periods,
    numbers_in,
    parse_number,
    same_quantity,
    to_base,
    units_compatible,
)

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "fixtures" / "reports"
CORPUS = ROOT / "fixtures" / "corpus"


def one(text: str) -> NumberMention:
    """The single quantity mention in `text` (years excluded)."""
    found = numbers_in(text)
    assert len(found) == 1, [m.text for m in found]
    return found[0]


def texts(text: str) -> list[str]:
    return [m.text for m in find_numbers(text)]


def find(mentions: list[NumberMention], text: str) -> NumberMention:
    hits = [m for m in mentions if m.text == text]
    assert hits, f"{text!r} not among {[m.text for m in mentions][:60]}"
    return hits[0]


# --------------------------------------------------------------------------- parse_number
@pytest.mark.parametrize(
    ("s", "expected"),
    [
        ("4.74", 4.74),
        ("1,820", 1820),
        ("48,123", 48123),
        ("三万", 30000),
        ("一百二十", 120),
        ("两", 2),
        ("百分之四十", 40),
        ("1.2万亿", 1.2e12),
        ("6.25亿", 6.25e8),
        ("三万五", 35000),
        ("三点五", 3.5),
        ("二〇一九", 2019),
        ("４．５", 4.5),
        ("7%", 7),
        ("-3.5", -3.5),
    ],
)
def test_parse_number(s: str, expected: float) -> None:
    assert parse_number(s) == pytest.approx(expected, rel=1e-12)


def test_parse_number_is_exact_for_scaled_decimals() -> None:
    assert parse_number("1.2万亿") == 1.2e12  # not 1200000000000.0002


@pytest.mark.parametrize("s", ["一般", "十三五", "一二三", "九二", "5G", "", "亿", "千万", "一批"])
def test_parse_number_rejects_non_numbers(s: str) -> None:
    assert parse_number(s) is None


# ------------------------------------------------------------------------ units and scales
def test_to_base() -> None:
    assert to_base(6.25, "亿元") == (6.25e8, "元")
    assert to_base(69, "亿元") == (6.9e9, "元")
    assert to_base(5455, "万美元") == (5.455e7, "美元")
    assert to_base(1.2, "万亿") == (1.2e12, "")
    assert to_base(5, "万千瓦") == (5e4, "千瓦")
    assert to_base(2, "千万元") == (2e7, "元")
    assert to_base(20, "万元/亩") == (2e5, "元/亩")
    assert to_base(7, "％") == (7, "%")
    assert to_base(7, "百分点") == (7, "个百分点")
    assert to_base(3, "万人") == (3e4, "人")


def test_same_quantity_is_scale_aware() -> None:
    assert same_quantity(6.25, "亿元", 62500, "万元")
    assert same_quantity(1.2, "万亿元", 1.2e12, "元")
    assert same_quantity(30000, "", 3, "万")
    assert same_quantity(7, "%", 7, "％")
    assert not same_quantity(7, "%", 7, "个百分点")
    assert not same_quantity(6.25, "亿元", 6.25, "万元")
    assert not same_quantity(4, "亿美元", 4, "亿元")


def test_units_compatible() -> None:
    assert units_compatible("亿元", "万元")
    assert units_compatible("个百分点", "百分点")
    assert units_compatible("万人", "人")
    assert not units_compatible("%", "个百分点")
    assert not units_compatible("元", "美元")
    assert not units_compatible("人", "人次")


# -------------------------------------------------------------------------- find_numbers
def test_arabic_numbers_with_units() -> None:
    m = one("一般公共预算收入6.25亿元")
    assert (m.value, m.unit, m.base_value, m.base_unit) == (6.25, "亿元", 6.25e8, "元")
    assert m.text == "6.25亿元"
    m = one("总额1,820万元")
    assert (m.value, m.unit) == (1820, "万元")
    m = one("共48,123人")
    assert (m.text, m.value, m.unit) == ("48,123人", 48123, "人")


@pytest.mark.parametrize(
    ("text", "span", "value", "unit"),
    [
        ("实际到账外资首破4 亿美元,", "4 亿美元", 4, "亿美元"),
        ("增收1.25 亿元；", "1.25 亿元", 1.25, "亿元"),
        ("地区生产总值 69 亿元，", "69 亿元", 69, "亿元"),
        ("协议投资总额7.2亿美 元。", "7.2亿美 元", 7.2, "亿美元"),
        ("旅游总收入达103.8亿 元。", "103.8亿 元", 103.8, "亿元"),
        ("其中工业企业 6\n家；", "6\n家", 6, "家"),
        ("销售亿\n\n元以上企业", "亿\n\n元", 1, "亿元"),
        ("清理 5.8 万平方米，", "5.8 万平方米", 5.8, "万平方米"),
        # a decimal point spaced out by PDF extraction (日照 2024)
        ("地区生产总值增长5 . 5%以上", "5 . 5%", 5.5, "%"),
        ("增长５ ． ５％，", "５ ． ５％", 5.5, "％"),
    ],
)
def test_spaces_and_line_wraps_inside_a_figure(
    text: str, span: str, value: float, unit: str
) -> None:
    m = one(text)
    assert (m.text, m.value, m.unit) == (span, value, unit)
    assert text[m.start : m.end] == m.text


def test_a_point_spaced_on_one_side_numbers_a_list_item() -> None:
    assert [(n.value, n.unit) for n in find_numbers("共3个. 5. 加强监管")] == [(3, "个"), (5, "")]


@pytest.mark.parametrize(
    ("text", "value", "unit", "base"),
    [
        ("吸纳三万人就业", 3, "万人", 30000),
        ("新增一百二十家企业", 120, "家", 120),
        ("建成两个园区", 2, "个", 2),
        ("覆盖率达到百分之四十", 40, "%", 40),
        ("百分之三十五点五", 35.5, "%", 35.5),
        ("带动三万五千人", 35000, "人", 35000),
        ("投资两千万元", 2000, "万元", 2e7),
        ("新建幼儿园两所", 2, "所", 2),
        ("增长一倍", 1, "倍", 1),
        ("实现翻一番", 1, "番", 1),
        ("装机五万千瓦", 5, "万千瓦", 5e4),
        ("做好以下十一个方面工作", 11, "个", 11),
        ("积累三万", 3, "万", 30000),
    ],
)
def test_chinese_numerals(text: str, value: float, unit: str, base: float) -> None:
    m = one(text)
    assert (m.value, m.unit) == (value, unit)
    assert m.base_value == pytest.approx(base)


# Every form of Chinese numeral in fixtures/corpus, with the sentence it was taken from (the
# State Council reports of national-1954-2004.tsv write most figures this way).
@pytest.mark.parametrize(
    ("text", "span", "value", "unit"),
    [
        ("每年递增百分之五点四的经济增长速度", "百分之五点四", 5.4, "%"),
        ("在批发总额中的比重已占百分之八十左右", "百分之八十", 80, "%"),
        ("共积压器材一千零五十七万元", "一千零五十七万元", 1057, "万元"),
        ("住宅面积共达三千七百多万平方米", "三千七百多万平方米", 3700, "万平方米"),
        ("棉花为一亿三千万担，而旧中国", "一亿三千万担", 1.3e8, "担"),
        ("有一亿二千万农户", "一亿二千万", 1.2e8, ""),  # one number, so no scale in unit
        ("增长零点五倍", "零点五倍", 0.5, "倍"),
        ("我国将共有高等学校二百○八所", "二百○八所", 208, "所"),
        ("四川省由千分之二十九降到", "千分之二十九", 29, "‰"),
        ("降到千分之六点一，上海市", "千分之六点一", 6.1, "‰"),
        ("共达十亿零七千万亩", "十亿零七千万亩", 1.07e9, "亩"),
        ("煤炭开采能力新增二千零十六万吨", "二千零十六万吨", 2016, "万吨"),
        ("基本建设投资的是四百二十七亿四千万元", "四百二十七亿四千万元", 4.274e10, "元"),
        ("在校学生总计达两亿零七百万人", "两亿零七百万人", 2.07e8, "人"),
        ("年产能力将为一万五千辆", "一万五千辆", 15000, "辆"),
        ("金属切削机床一万三千五百十三台", "一万三千五百十三台", 13513, "台"),
        # the issue's own examples (issue 13)
        ("总投资一亿三千万元", "一亿三千万元", 1.3e8, "元"),
        ("全国人口十二亿四千万人", "十二亿四千万人", 1.24e9, "人"),
        ("耕地一亿三千万亩", "一亿三千万亩", 1.3e8, "亩"),
        ("两千三百万人", "两千三百万人", 2300, "万人"),
        ("三万亿元", "三万亿元", 3, "万亿元"),
    ],
)
def test_every_chinese_numeral_form_of_the_corpus(
    text: str, span: str, value: float, unit: str
) -> None:
    m = one(text)
    assert (m.text, m.value, m.unit) == (span, value, unit)
    assert m.base_value == pytest.approx(to_base(value, unit)[0])


@pytest.mark.parametrize(
    ("text", "span", "base", "base_unit"),
    [
        # The State Council reports of the 1950s group thousands with a full-width comma.
        ("少８４６，４６１，０００元。", "８４６，４６１，０００元", 846461000, "元"),
        ("棉花产量达到３，０３６万担，完成年度计划", "３，０３６万担", 30360000, "担"),
        # Older and sector units: 公尺 is 米, 千瓦小时 is 千瓦时; freight is counted in 吨公里.
        ("一九五三年即有一千二百万平方公尺。", "一千二百万平方公尺", 1.2e7, "平方米"),
        ("发电量达到４４５５亿千瓦小时，比上年增长", "４４５５亿千瓦小时", 4.455e11, "千瓦时"),
        ("客货运总周转量超过155亿吨公里、铁路客运量", "155亿吨公里", 1.55e10, "吨公里"),
        ("收购烟叶123万担以上", "123万担", 1.23e6, "担"),
    ],
)
def test_older_number_formats_and_units(text: str, span: str, base: float, base_unit: str) -> None:
    m = one(text)
    assert (m.text, m.base_value, m.base_unit) == (span, base, base_unit)


def test_a_full_width_comma_between_half_width_digits_ends_a_clause() -> None:
    assert texts("分别增长5%，6%") == ["5%", "6%"]
    assert [m.text for m in numbers_in("勇于担当，5人担任")] == ["5人"]


@pytest.mark.parametrize(
    ("text", "span", "value", "qualifier"),
    [
        # 余/多 inside: the 万 after it scales the last section only (1亿 + 6千万)
        ("约占全国农田十分之一即一亿六千余万亩，经过排水", "一亿六千余万亩", 1.6e8, "余"),
        ("有一亿一千多万农户的小农经济", "一亿一千多万", 1.1e8, "多"),
        ("损失二十五亿七千多万元，因为", "二十五亿七千多万元", 2.57e9, "多"),
    ],
)
def test_approximate_sections_inside_a_numeral(
    text: str, span: str, value: float, qualifier: str
) -> None:
    m = one(text)
    assert (m.text, m.base_value, m.qualifier) == (span, value, qualifier)


@pytest.mark.parametrize(
    ("text", "span", "low", "high"),
    [
        ("一般可以增产百分之十到二十左右", "百分之十到二十", 10, 20),
        ("每年实际增长百分之四至百分之五。", "百分之四至百分之五", 4, 5),
        ("增长百分之二百五十到二百七十五。", "百分之二百五十到二百七十五", 250, 275),
    ],
)
def test_percent_ranges_in_words(text: str, span: str, low: float, high: float) -> None:
    m = one(text)
    assert (m.text, m.low, m.high, m.unit) == (span, low, high, "%")


@pytest.mark.parametrize(
    "text",
    [
        "我国有几十万中医散布在全国",  # 几十万: approximate, no value
        "需要几十年的努力",
        "增长百分之十几",
        "包括三十几个民族",
        "再经过二三十年时间的努力",  # a run of digits is no value
        "数十万群众",
        "绿电占比超三成",  # 成 (tenths) is not read: 3 of what unit would be a guess
    ],
)
def test_approximate_chinese_numerals_are_not_numbers(text: str) -> None:
    assert numbers_in(text) == [], [m.text for m in numbers_in(text)]


def test_years_written_with_a_white_circle_zero() -> None:
    [m] = find_numbers("即在一九八○年以前，建成一个独立的工业体系")
    assert (m.text, m.value, m.is_year) == ("一九八○年", 1980, True)
    [p] = find_periods("一九九○年工业生产逐步摆脱")
    assert (p.kind, p.year) == ("year", 1990)


def test_chinese_numerals_need_no_import() -> None:
    # cn2an cost 0.13-0.2 s at start-up; the converter is ours and imports nothing.
    code = (
        "import sys; from summarizer.numbers import find_numbers;"
        "assert find_numbers('三万人')[0].value == 3;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('cn2an', 'chinese2digits')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "text",
    [
        "“十三五”期间，我镇发展迅速",
        "“十四五”开局之年",
        "编制十四五规划",
        "十三五时期",
        "一是项目引进奋力突破。二是产业发展路径清晰。",
        "一、2019年工作总结",
        "（一）经济指标稳中向好",
        "坚持以发展为第一要务",
        "引进一批优质项目",
        "一般公共预算收入",
        "长三角一体化发展",
        "建设世界一流企业",
        "统一部署",
        "全区唯一",
        "建设5G小基站",
        "PM2.5平均浓度下降",
        "创成4A级旅游景区",
        "1号公路建成通车",
        "加快一二三产融合",
        "坚持“九二共识”",
        "紧扣“三三三五”发展战略",
        "入选第三批全国示范",
        "第三届人民代表大会第九次会议",
        "州委十一届六次全会",
        "按照省委十一届十次、十一次全会部署",  # 安徽 2026: the second session's 届 is elided
        "统筹国内国际两个大局",
        "落实中央八项规定",
        "“1231”项目",
        "学习运用“千万工程”经验",
        "一次性交通补贴",
        "亿万人民群众",
        "力争实现两位数增长",
        "产值超千亿级",
        "二期工程竣工",
        "索 引 号:11320402014133832T/2021-00002",
        "坚持把人民生命安全和身体健康放在第一位",
        "始终把民生摆在第一位，",
        "把安全放在首位",
        "红十字会",
        "落实“二十字”总要求和十六字方针",
    ],
)
def test_not_quantities(text: str) -> None:
    assert numbers_in(text) == [], [m.text for m in numbers_in(text)]


def test_a_count_of_sessions_is_a_quantity_but_a_session_number_is_not() -> None:
    assert [(m.value, m.unit) for m in numbers_in("召开常务会议15次，召开全会3次")] == [
        (15, "次"),
        (3, "次"),
    ]
    assert numbers_in("十一届十次、十一次全会和二十届四中全会") == []


def test_enumerators_at_line_start() -> None:
    text = "概况\n1.综合实力稳中有进。\n 2.重大项目增添动能。（1）项目招引（2）项目推进"
    assert numbers_in(text) == []


def test_cn2an_transform_traps_are_avoided() -> None:
    # cn2an.transform turns 一般 into 1般 and 统一 into 统1, and rejects 1.2万亿.
    found = find_numbers("一般公共预算收入1.2万亿元，统一部署")
    assert [(m.text, m.value, m.unit) for m in found] == [("1.2万亿元", 1.2, "万亿元")]
    assert found[0].base_value == 1.2e12


def test_chinese2digits_traps_are_avoided() -> None:
    # chinese2digits turns 3.5个百分点 into a bare 3.5 and splits 48,123.
    m = one("提高3.5个百分点")
    assert (m.value, m.unit, m.base_unit) == (3.5, "个百分点", "个百分点")
    assert texts("共48,123人次") == ["48,123人次"]


def test_percent_and_percentage_points_differ() -> None:
    a, b = numbers_in("增长7%，提高7个百分点")
    assert (a.unit, b.unit) == ("%", "个百分点")
    assert not same_quantity(a.value, a.unit, b.value, b.unit)
    assert one("增长７％").unit == "％"


@pytest.mark.parametrize(
    "unit",
    "元 美元 亿元 万美元 % 个百分点 家 个 项 亩 平方米 公里 吨 人 人次 户 套 件 只 起 场 名 万人 "
    "宗 条 处 座 所 批 次 倍 位 枚 笔 份 天 立方米 千瓦 万千瓦 万吨 亿千瓦时 万剂次 公顷".split(),
)
def test_units(unit: str) -> None:
    m = one(f"完成12{unit}，")
    assert (m.value, m.unit, m.text) == (12, unit, f"12{unit}")


def test_scale_words() -> None:
    found = numbers_in("3千元、5万元、6亿元、1.2万亿元、2千万元、600万以上")
    assert [(m.value, m.base_value) for m in found] == [
        (3, 3e3),
        (5, 5e4),
        (6, 6e8),
        (1.2, 1.2e12),
        (2, 2e7),
        (600, 6e6),
    ]


@pytest.mark.parametrize(
    ("text", "qualifier", "span"),
    [
        ("税收100万元以上工业企业", "以上", "100万元"),
        ("投资超100亿元", "超", "100亿元"),
        ("投资超过100亿元", "超过", "100亿元"),
        ("利税突破 4600万元", "突破", "4600万元"),
        ("拆迁近250万平方米", "近", "250万平方米"),
        ("地块约16.5万平方米", "约", "16.5万平方米"),
        ("生活垃圾2.5万余吨", "余", "2.5万余吨"),
        ("意见征询表 60多份", "多", "60多份"),
        ("发放10余万元", "余", "10余万元"),
        ("增长6%左右", "左右", "6%"),
        ("外资项目不少于15个", "不少于", "15个"),
        ("项目不低于 5个", "不低于", "5个"),
        ("力争新增高新技术企业25家", "力争", "25家"),
        ("开工率达到 100%", "达到", "100%"),
        ("外资项目不 少于15个", "不少于", "15个"),
    ],
)
def test_qualifiers(text: str, qualifier: str, span: str) -> None:
    m = one(text)
    assert (m.qualifier, m.text) == (qualifier, span)


def test_no_qualifier() -> None:
    assert one("实际到账外资5455万美元").qualifier is None


@pytest.mark.parametrize(
    ("text", "span", "low", "high", "unit"),
    [
        ("1-10月，园镇实现", "1-10月", 1, 10, "月"),
        ("1—10月", "1—10月", 1, 10, "月"),
        ("增长20-30%", "20-30%", 20, 30, "%"),
        ("20%-30%", "20%-30%", 20, 30, "%"),
        ("补助5—10万元", "5—10万元", 5, 10, "万元"),
        ("每50公斤提高5到7元", "5到7元", 5, 7, "元"),
        ("35-64岁妇女", "35-64岁", 35, 64, "岁"),
        ("5千-1万元", "5千-1万元", 0.5, 1, "万元"),
        ("规划(2018—2030)", "2018—2030", 2018, 2030, ""),
    ],
)
def test_ranges(text: str, span: str, low: float, high: float, unit: str) -> None:
    m = find(find_numbers(text), span)
    assert (m.low, m.high, m.unit, m.value) == (low, high, unit, low)


@pytest.mark.parametrize(
    ("text", "direction", "span"),
    [
        ("地区生产总值同比增长 7%", Direction.UP, "7%"),
        ("增长4.7%", Direction.UP, "4.7%"),
        ("地区生产总值增幅16.7%", Direction.UP, "16.7%"),
        ("增速8%", Direction.UP, "8%"),
        ("人均预期寿命提高1岁", Direction.UP, "1岁"),
        ("较上年度提升 4名", Direction.UP, "4名"),
        ("增收1.25 亿元", Direction.UP, "1.25 亿元"),
        ("比上年增加265亿元", Direction.UP, "265亿元"),
        ("社保扩面净增5070人", Direction.UP, "5070人"),
        ("同比下降3%", Direction.DOWN, "3%"),
        ("人数减少6.4%", Direction.DOWN, "6.4%"),
        ("能耗降低19.1%", Direction.DOWN, "19.1%"),
        ("一般性支出压减10%", Direction.DOWN, "10%"),
        ("同\n\n比增长 8.19%", Direction.UP, "8.19%"),
        ("增长-3.5%", Direction.DOWN, "-3.5%"),
        ("规模扩大了8.3倍", Direction.UP, "8.3倍"),
    ],
)
def test_changes(text: str, direction: Direction, span: str) -> None:
    m = one(text)
    assert (m.text, m.is_change, m.direction) == (span, True, direction)


def test_levels_reached_are_not_changes() -> None:
    m = one("保险财政补助标准提高到200元")
    assert (m.is_change, m.direction) == (False, Direction.UP)
    a, b = numbers_in("从3.16万亿元增加到8.31万亿元")
    assert (a.is_change, a.direction) == (False, None)
    assert (b.is_change, b.direction) == (False, Direction.UP)
    assert one("降至3%").direction is Direction.DOWN


def test_change_inherited_along_a_list() -> None:
    found = numbers_in("分别增长5%、6%和7%，投资20亿元")
    assert [m.is_change for m in found] == [True, True, True, False]
    assert [m.direction for m in found[:3]] == [Direction.UP] * 3


@pytest.mark.parametrize(
    "text",
    [
        "一般公共预算收入6.25亿元",
        "工业增加值 500亿元",
        "新增签约项目10个",
        "制造业占比 65%",
        "排名 284名",
        "改造提升10个老旧小区",
    ],
)
def test_not_changes(text: str) -> None:
    m = one(text)
    assert (m.is_change, m.direction) == (False, None)


def test_years_are_periods_but_findable() -> None:
    found = find_numbers("2019年全国综合实力千强镇排名 284名，较上年度提升 4名。")
    assert [(m.text, m.is_year) for m in found] == [
        ("2019年", True),
        ("284名", False),
        ("4名", False),
    ]
    assert found[0].value == 2019
    assert [m.text for m in numbers_in("2019年排名 284名")] == ["284名"]


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("2019 年工作总结", "2019 年"),
        ("二〇一九年工作", "二〇一九年"),
        ("获评2016中国最美村镇", "2016"),
        ("产生日期:2020-12-28", "2020-12-28"),
        ("1-9月，地区生产总值", "1-9月"),
        ("11月竣工", "11月"),
        ("12月27日", "27日"),
        ("五年来，我们", "五年"),
        ("连续十八年被评为", "十八年"),
        ("2021—2025年", "2021—2025年"),
        ("居民增收三年行动", "三年"),
    ],
)
def test_calendar_numbers_are_flagged(text: str, span: str) -> None:
    m = find(find_numbers(text), span)
    assert m.is_year
    assert not m.is_change
    assert all(n.text != span for n in numbers_in(text))


def test_rankings_are_quantities() -> None:
    found = numbers_in("排名284名，居第2位，考核全区第一名，前三位")
    assert [(m.value, m.unit) for m in found] == [(284, "名"), (2, "位"), (1, "名"), (3, "位")]
    # "放在第一位" is an idiom of priority; a place in a ranking is still a quantity.
    assert [m.value for m in numbers_in("位列全省第一位，把发展放在第一位")] == [1]


def test_a_length_in_characters_keeps_its_scale() -> None:
    m = one("完成20万字美丽乡村建设纪实文学报告")
    assert (m.text, m.value, m.unit, m.base_value, m.base_unit) == ("20万字", 20, "万字", 2e5, "字")
    assert [(m.value, m.unit) for m in numbers_in("约二十万字、五千字")] == [
        (20, "万字"),
        (5000, "字"),
    ]


def test_bare_scale_before_currency() -> None:
    m = one("税收超千万元企业")
    assert (m.value, m.unit, m.base_value, m.qualifier) == (1, "千万元", 1e7, "超")
    assert one("产值超亿元企业").base_value == 1e8


def test_compound_units() -> None:
    m = one("亩均税收 20万元/亩")
    assert (m.unit, m.base_value, m.base_unit) == ("万元/亩", 2e5, "元/亩")
    assert one("提高至816 元/月").unit == "元/月"


def test_full_width_digits() -> None:
    m = one("增长１９．５％")
    assert (m.value, m.unit) == (19.5, "％")


# ---------------------------------------------------------------------------- periods
@pytest.mark.parametrize(
    ("text", "kind", "year", "months", "span"),
    [
        ("2019年工作总结", "year", 2019, None, "2019年"),
        ("2019 年度", "year", 2019, None, "2019 年度"),
        ("二〇二〇年", "year", 2020, None, "二〇二〇年"),
        ("1-9月，地区生产总值", "months", None, (1, 9), "1-9月"),
        ("1—10月", "months", None, (1, 10), "1—10月"),
        ("2019年1-10月", "months", 2019, (1, 10), "2019年1-10月"),
        ("前三季度", "months", None, (1, 9), "前三季度"),
        ("四季度收官", "months", None, (10, 12), "四季度"),
        ("全年推进重大项目", "full_year", None, None, "全年"),
        ("过去一年", "full_year", None, None, "过去一年"),
        ("五年来，我们", "multi_year", None, None, "五年来"),
        ("今后五年", "multi_year", None, None, "今后五年"),
        ("今年以来，园镇", "to_date", None, None, "今年以来"),
        ("截至10月，共收到", "to_date", None, (1, 10), "截至10月"),
        ("截至2019年10月底", "to_date", 2019, (1, 10), "截至2019年10月底"),
        ("2019年以来", "to_date", 2019, None, "2019年以来"),
        ("预计全年新增", "estimate", None, None, "预计"),
    ],
)
def test_periods(
    text: str, kind: str, year: int | None, months: tuple[int, int] | None, span: str
) -> None:
    p = find_periods(text)[0]
    assert (p.kind, p.year, p.months, p.text) == (kind, year, months, span)
    assert text[p.start : p.end] == p.text


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("“十三五”期间，我镇", (2016, 2020)),
        ("“十三五”时期和2020年", (2016, 2020)),
        ("十四五时期", (2021, 2025)),
        ("“十二五”以来", (2011, 2015)),
        ("规划(2021—2025年)", (2021, 2025)),
        ("(2018—2030)", (2018, 2030)),
    ],
)
def test_multi_year_periods(text: str, years: tuple[int, int]) -> None:
    p = find_periods(text)[0]
    assert (p.kind, p.years) == ("multi_year", years)


@pytest.mark.parametrize(
    ("text", "span", "years"),
    [
        ("2003年到2023年，全市", "2003年到2023年", (2003, 2023)),
        ("2016年至2020年", "2016年至2020年", (2016, 2020)),
        ("2003年 — 2023年", "2003年 — 2023年", (2003, 2023)),
        ("二〇一六年至二〇二〇年", "二〇一六年至二〇二〇年", (2016, 2020)),
    ],
)
def test_year_to_year_is_one_multi_year_period(text: str, span: str, years: tuple) -> None:
    # Written as "2003—2023年" it always was; "2003年到2023年" is the same span of years.
    [p] = find_periods(text)
    assert (p.kind, p.year, p.years, p.text) == ("multi_year", years[0], years, span)


def test_two_years_that_are_not_a_span_stay_two_periods() -> None:
    for text in ("2019年、2020年", "2023年到2003年", "2019年和2020年"):
        assert [p.kind for p in find_periods(text)] == ["year", "year"], text


def test_periods_skip_non_periods() -> None:
    assert find_periods("新增签约项目10个，投资5亿元，“十四五”开局") == []
    assert [p.text for p in find_periods("预计，全年完成")] == ["预计", "全年"]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        # a comparison base is not the period of the figure: it is left out
        ("旅游收入比2019年增长74.9%", []),
        ("演出活动数量较2019年增长1.2倍", []),
        ("与2019年相比，全市", []),
        ("一九五七年同一九五二年比较，高等学校在校学生", ["一九五七年"]),
        ("一九五三年比一九五○年增加了百分之七十六", ["一九五三年"]),
        ("税收占比由2022年的74.5%提高到78%", []),
        ("也从一九五○年的百分之二十五点五增加到一九五四年预算的百分之四十五点四", ["一九五四年"]),
        ("均恢复至2019年同期水平以上", []),
        ("等于一九四九年的二点五倍", []),
        ("是１９９７年的２．３倍", []),
        ("按2010年价格计算", []),
        ("实际使用外资比“十三五”时期增长78.9%", []),
        ("2020年，全市生产总值比2019年增长5%", ["2020年"]),
        # not bases
        ("从一九六六年到一九七六年的十一年中", ["一九六六年到一九七六年"]),
        ("从2019年起实施", ["2019年"]),
        ("由过去五年的实际经验所证明", ["过去五年"]),
    ],
)
def test_comparison_bases_are_not_periods(text: str, kept: list[str]) -> None:
    assert [p.text for p in find_periods(text)] == kept


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("力争到2020年,工业开票销售达300亿元", [("deadline", 2020)]),
        ("展的主要目标，到2030年，高质量发展取得", [("deadline", 2030)]),
        ("2030年前实现碳达峰目标", [("deadline", 2030)]),
        ("计划在一九八五年底以前全部建成", [("deadline", 1985)]),
        ("确保２００５年前裁减军队员额２０万", [("deadline", 2005)]),
        # not deadlines: a level reached, a span, the first nine months, the years before
        ("从１９４９年的二千四百多万人增加到１９５６年的六千三百多万人", [("year", 1956)]),
        ("2023年到2003年", [("year", 2023), ("year", 2003)]),
        ("2019年前三季度", [("months", 2019)]),
        ("相当于一九七七年前十九年新建住宅面积的总和", []),
        ("2023年，全市地区生产总值增长6%", [("year", 2023)]),
    ],
)
def test_deadlines(text: str, kinds: list[tuple[str, int]]) -> None:
    periods = find_periods(text)
    assert [(p.kind, p.year) for p in periods] == kinds
    assert all(p.text.endswith("年") for p in periods if p.kind == "deadline")


# -------------------------------------------------------------------------- direction_of
@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("同比增长25%", Direction.UP),
        ("提高", Direction.UP),
        ("提升4名", Direction.UP),
        ("增加", Direction.UP),
        ("上升", Direction.UP),
        ("增收1.25亿元", Direction.UP),
        ("下降3%", Direction.DOWN),
        ("减少", Direction.DOWN),
        ("降低", Direction.DOWN),
        ("回落", Direction.DOWN),
        ("下滑", Direction.DOWN),
        ("减收", Direction.DOWN),
        ("负增长", Direction.DOWN),
        ("同\n比下降", Direction.DOWN),
        ("占比65%", None),
        ("", None),
    ],
)
def test_direction_of(phrase: str, expected: Direction | None) -> None:
    assert direction_of(phrase) is expected


# ------------------------------------------------------------------------- real reports
def _report(name: str) -> str:
    return (REPORTS / name).read_text(encoding="utf-8")


def test_luoxi_2021() -> None:
    found = find_numbers(_report("luoxi-2021.txt"))
    m = find(found, "6.25亿元")
    assert (m.value, m.unit, m.base_value, m.is_change) == (6.25, "亿元", 6.25e8, False)
    m = find(found, "25%")
    assert (m.is_change, m.direction) == (True, Direction.UP)
    m = find(found, "1.25 亿元")
    assert (m.value, m.is_change, m.direction) == (1.25, True, Direction.UP)
    m = find(found, "5455万美元")
    assert (m.value, m.unit, m.base_value) == (5455, "万美元", 5.455e7)
    m = find(found, "1-9月")
    assert (m.is_year, m.low, m.high) == (True, 1, 9)
    m = find(found, "2.5万余吨")
    assert (m.value, m.unit, m.qualifier) == (2.5, "万吨", "余")
    assert find(found, "16.7%").is_change
    periods = find_periods(_report("luoxi-2021.txt"))
    assert any(p.kind == "months" and p.months == (1, 9) for p in periods)
    assert any(p.kind == "to_date" and p.text == "今年以来" for p in periods)


def test_luoxi_2019() -> None:
    found = find_numbers(_report("luoxi-2019.txt"))
    m = find(found, "69 亿元")
    assert (m.value, m.unit, m.base_value, m.is_change) == (69, "亿元", 6.9e9, False)
    seven = found[found.index(m) + 1]
    assert (seven.text, seven.is_change, seven.direction) == ("7%", True, Direction.UP)
    assert find(found, "8.19%").is_change  # 同\n\n比增长 8.19%
    assert find(found, "1-10月").is_year
    assert (find(found, "284名").unit, find(found, "4名").is_change) == ("名", True)
    assert find(found, "6466万美元").base_value == 6.466e7
    assert find(found, "亿\n\n元").qualifier == "以上"
    assert find(found, "4600万元").qualifier == "突破"
    assert find(found, "2019 年").is_year


def test_jincheng_2019() -> None:
    found = find_numbers(_report("jincheng-2019.txt"))
    assert find(found, "240亿元").base_value == 2.4e10
    assert find(found, "18.9%").direction is Direction.UP
    assert find(found, "4600万美元").base_unit == "美元"
    assert find(found, "30亿元").qualifier == "以上"
    assert find(found, "1-11月").is_year
    assert not any(m.text.startswith("5") and m.unit == "" for m in found)  # 5G小基站


def test_jintan_2022() -> None:
    found = find_numbers(_report("jintan-2022.txt"))
    m = find(found, "4 亿美元")
    assert (m.value, m.unit, m.qualifier) == (4, "亿美元", "破")
    assert find(found, "4.4亿美元").qualifier == "达"
    assert find(found, "7.2亿美 元").unit == "亿美元"
    assert find(found, "15个").qualifier == "不少于"
    assert find(found, "10%").direction is Direction.DOWN  # 一般性支出压减10%
    assert find(found, "600亿元").qualifier == "超"


def test_zhenglu_2020() -> None:
    text = _report("zhenglu-2020.txt")
    found = find_numbers(text)
    assert find(found, "100亿元").qualifier == "近"
    assert find(found, "178亿元").value == 178
    assert find(found, "4.7%").is_change
    assert find(found, "十八年").is_year
    assert not any("十三五" in m.text or "十四五" in m.text for m in found)
    plans = [p for p in find_periods(text) if p.kind == "multi_year" and p.years == (2016, 2020)]
    assert plans


def test_every_report_parses_sensibly() -> None:
    for path in sorted(REPORTS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        found = find_numbers(text)
        assert len(numbers_in(text)) > 40, path.name
        assert all(m.text.strip() == m.text for m in found), path.name
        assert all(m.unit == "" or m.text.endswith(m.unit[-1]) for m in found), path.name


# ----------------------------------------------------------------------------- properties
def _check_spans(text: str) -> None:
    found = find_numbers(text)
    last = 0
    for m in found:
        assert m.text == text[m.start : m.end]
        assert last <= m.start < m.end
        last = m.end
        assert m.base_value == to_base(m.value, m.unit)[0]
        if m.low is not None:
            assert m.high is not None and m.value == m.low
    for p in find_periods(text):
        assert p.text == text[p.start : p.end]


FRAGMENTS = [
    "同比增长", "7%", "6.25亿元", "1-9月", "，", "。", "一般", "三万人", "48,123", " ", "\n", "5G",
    "亿", "元", "以上", "超", "近", "“十三五”", "第", "一", "两", "年", "2019", "—", "-", "百分之",
    "四十", "余", "多", "万", "个百分点", "提升", "名", "1.25 ", "、", "降至", "（一）", "PM2.5",
]  # fmt: skip


def test_spans_are_exact_ordered_and_disjoint_on_random_text() -> None:
    rng = random.Random(20240501)
    for _ in range(2000):
        _check_spans("".join(rng.choice(FRAGMENTS) for _ in range(rng.randint(1, 30))))


@pytest.mark.parametrize(
    "path",
    sorted(REPORTS.glob("*.txt")) + sorted(CORPUS.glob("*.txt")) + sorted(CORPUS.glob("*.html")),
    ids=lambda p: p.name,
)
def test_spans_are_exact_ordered_and_disjoint_on_reports(path: Path) -> None:
    raw = path.read_bytes()
    _check_spans(raw.decode("gb18030" if ".gbk." in path.name else "utf-8"))


# ------------------------------------------------------------------------- linear time
# Hostile inputs of issue 14, generated here and parsed in a subprocess at two sizes ten times
# apart: a pattern that backtracks over a run (15 KB of 一 took 18 s, 1 MB never ended) blows
# the timeout at the larger size, a linear one takes a second or two. No timed assertion.
# Inputs where every few bytes hold a figure or a period (each parsed in Python) run at a
# tenth of the size, to keep the suite light on a shared machine.
_SPARSE, _DENSE = (100_000, 1_000_000), (20_000, 200_000)  # bytes of UTF-8 input
_HOSTILE = {
    "run of 一 after a header": ("一", _SPARSE),
    "a- repeated": ("a-", _SPARSE),
    "增长7.5%， repeated (one figure every 14 bytes)": ("增长7.5%，", _DENSE),
    "numeral runs ending in 百": ("三百分", _DENSE),
    "one long X亿Y千万 run": ("一亿三千万", _SPARSE),
    "whitespace between number and unit": ("1" + " " * 50, _DENSE),
    "blank lines": ("\n", _SPARSE),
    "digits": ("1", _SPARSE),
    "截至 repeated": ("截至", _DENSE),
    "比2019年 repeated": ("比2019年", _DENSE),
}
_PARSE_HOSTILE = """
import sys
from summarizer.numbers import find_numbers, find_periods
unit, size = sys.argv[1], int(sys.argv[2])
text = "2024年政府工作报告\\n" + unit * (size // len(unit.encode()))
find_numbers(text)
find_periods(text)
"""


@pytest.mark.parametrize("case", sorted(_HOSTILE))
def test_hostile_input_is_parsed_in_linear_time(case: str) -> None:
    unit, sizes = _HOSTILE[case]
    for size in sizes:
        subprocess.run(
            [sys.executable, "-c", _PARSE_HOSTILE, unit, str(size)],
            check=True,
            timeout=30,
            cwd=ROOT,
        )


def test_iter_numbers_reads_one_mention_at_a_time_as_find_numbers_lists_them() -> None:
    from summarizer.numbers import iter_numbers

    text = "实施“十三五”规划，“1231”项目投资12亿元，同比增长7%、8%。“两个确立”"
    it = iter_numbers(text)
    first = next(it)  # a generator: the text is read as far as its first figure
    assert [first, *it] == find_numbers(text)
    assert [m.text for m in find_numbers(text)] == ["12亿元", "7%", "8%"]


def test_a_blank_is_a_space_or_unprintable() -> None:
    """numbers reads a clause with no space that is all printable as holding no blank."""
    blank = re.compile(r"\s")
    blanks = [c for c in map(chr, range(sys.maxunicode + 1)) if blank.match(c)]
    assert blanks and all(c == " " or not c.isprintable() for c in blanks)
