"""Tests for the number engine (summarizer.numbers)."""

from __future__ import annotations

import random
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
    ],
)
def test_spaces_and_line_wraps_inside_a_figure(
    text: str, span: str, value: float, unit: str
) -> None:
    m = one(text)
    assert (m.text, m.value, m.unit) == (span, value, unit)
    assert text[m.start : m.end] == m.text


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
