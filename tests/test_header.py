"""The report header: issuer from the text and the gazetteer, hints in their order of trust."""

from __future__ import annotations

import mmap
import re

import pytest

from summarizer.clean import clean
from summarizer.screen import screen
from summarizer.structure import Hints, outline, place_in
from summarizer.structure.places import _CACHE_MAGIC, Gazetteer, NameFinder, Place, _find16

SPEECH = (
    "各位代表：\n现在，我代表市人民政府向大会报告工作，请予审议。\n"
    "一、2023年工作回顾\n2023年，全市地区生产总值增长6%，高质量发展取得新成效。\n"
    "二、2024年工作安排\n力争地区生产总值增长6%左右。\n"
)


def test_a_phrase_ending_in_shi_is_never_an_issuer():
    text = SPEECH.replace("全市地区", "加快建设发展市场体系，全市地区") * 2
    h = outline(text).header
    assert "发展市" not in h.issuer and h.place == ""  # no place named: none invented


def test_hints_in_order_of_trust():
    # The text names no place: a corpus column fills it in; the file name beats the column.
    h = outline(SPEECH, hints=Hints(column_place="南京市")).header
    assert (h.issuer, h.place, h.level, h.sources[0]) == (
        "南京市人民政府",
        "南京市",
        "city",
        ("issuer", "corpus column"),
    )
    h = outline(SPEECH, hints=Hints(file_place="徐州", column_place="南京市")).header
    assert h.place == "徐州市"
    # A place the text names itself beats both.
    named = SPEECH.replace("我代表市人民政府", "我代表南通市人民政府")
    assert outline(named, hints=Hints(file_place="徐州")).header.place == "南通市"


def test_overrides_beat_the_text():
    h = outline(SPEECH, hints=Hints(place="南京市", year=2025)).header
    assert (h.place, h.review_period, h.plan_period) == ("南京市", "2024", "2025")
    assert dict(h.sources) == {"issuer": "override", "years": "override"}


def test_years_come_from_the_text_before_any_file_name():
    h = outline(SPEECH, hints=Hints(file_year=2019, column_year=2020)).header
    assert (h.review_period, h.plan_period) == ("2023", "2024")


def test_municipality_prefecture_and_county_city_levels():
    for place, level in (("北京市", "province"), ("黔东南州", "prefecture"), ("恩施市", "county")):
        text = SPEECH.replace("我代表市人民政府", f"我代表{place}人民政府")
        assert outline(text).header.level == level, place


def test_a_city_that_names_its_province_as_often_as_itself_is_the_issuer():
    # 乌鲁木齐 2024: "我代表市人民政府"; 新疆 named as often as 乌鲁木齐. Under 市 a province is
    # the issuer only when it is a municipality (北京市).
    body = "贯彻新疆工作总目标，服务新疆大局，平安乌鲁木齐建设迈上新台阶。" * 4
    h = outline(SPEECH.replace("2023年，", body + "2023年，")).header
    assert (h.place, h.level) == ("乌鲁木齐市", "city")
    body = "建设国际一流的和谐宜居之都，北京市民生活更加美好。" * 4
    assert outline(SPEECH.replace("2023年，", body + "2023年，")).header.place == "北京市"


def test_a_heading_naming_the_plan_year_beats_a_review_sentence_naming_goals():
    # 丽水 2024: the review opens "2023年是…开局之年…圆满实现…主要预期目标".
    text = (
        "各位代表：\n现在，我代表市人民政府向大会报告工作，请予审议。\n一、2023年主要工作回顾\n"
        "2023年是全面贯彻党的二十大精神的开局之年，全市圆满实现经济社会发展主要预期目标。\n"
        "二、2024年主要工作安排\n力争地区生产总值增长6%左右。\n"
    )
    h = outline(text).header
    assert (h.review_period, h.plan_period) == ("2023", "2024")


def test_a_league_is_governed_by_an_administrative_office():
    # 锡林郭勒盟 2024: a 盟 (and a 地区) has a 行政公署, not a 人民政府.
    h = outline(SPEECH, hints=Hints(place="锡林郭勒盟")).header
    assert (h.issuer, h.level) == ("锡林郭勒盟行政公署", "prefecture")
    h = outline(SPEECH, hints=Hints(column_place="南京市")).header
    assert h.issuer == "南京市人民政府"


def test_a_known_place_is_never_screened_as_an_injected_prefix():
    # The report says 自治区 on its own far more often than 内蒙古自治区: still its own name.
    text = (
        "2026年内蒙古自治区政府工作报告\n——2026年2月4日在内蒙古自治区第十四届人民代表大会第五次会议上\n"
        + "自治区人民政府主席某某\n各位代表：\n"
        + "自治区经济稳中有进，自治区各族人民团结奋斗，地区生产总值增长5.5%。\n" * 6
    )
    screened = screen(clean(text))
    assert "内蒙古自治区第十四届" in screened.text
    assert outline(screened.text).header.place == "内蒙古自治区"


def test_place_in_a_file_name():
    assert place_in("2026_上海市_政府工作报告") == "上海市"
    assert place_in("南京") == "南京"
    assert place_in("luoxi-2019") is None


def test_name_finder_finds_what_the_longest_first_alternation_finds() -> None:
    names = ["南京", "南京市", "南昌", "南昌县", "京市", "江苏", "江苏省", "苏州", "苏州市", "州市"]
    plain = re.compile("|".join(sorted(names, key=len, reverse=True)))
    finder = NameFinder(names)
    texts = ("江苏省南京市和苏州市", "南昌县南昌南京京市", "州市苏州江苏南", "无地名", "")
    texts += ("😀南京市",)  # offsets in characters, not bytes or UTF-16 units
    for text in texts:
        found = [(m.start(), m.end(), m.group()) for m in plain.finditer(text)]
        assert list(finder.finditer(text)) == found
    assert [n for *_, n in finder.finditer("江苏省南京市")] == ["江苏省", "南京市"]


def test_a_finder_of_several_sets_finds_what_a_finder_of_each_finds() -> None:
    # One scan for several levels: a name of one set never hides another set's name.
    sets = [["吉林", "吉林省", "江苏省"], ["吉林市", "苏州", "苏州市"], ["林市", "州市", "南京"]]
    texts = ("吉林省吉林市", "江苏省苏州市南京市", "吉林市林市州市", "无地名", "", "😀吉林市")
    both = NameFinder(*sets)
    for text in texts:
        assert both.each(text) == [list(NameFinder(names).finditer(text)) for names in sets]
        for names, found in zip(sets, both.each(text), strict=True):
            plain = re.compile("|".join(sorted(names, key=len, reverse=True)))
            assert found == [(m.start(), m.end(), m.group()) for m in plain.finditer(text)]


def test_names_by_level_reads_only_those_rows_and_finds_the_same_names() -> None:
    places = [
        Place("江苏省", "江苏", "province", None, "320000"),
        Place("南京市", "南京", "city", "江苏省", "320100"),
        Place("恩施土家族苗族自治州", "恩施", "prefecture", "湖北省", "422800"),
        Place("恩施市", "恩施", "county", "恩施土家族苗族自治州", "422801"),
        Place("长阳土家族自治县", "长阳", "county", "宜昌市", "420528"),
        Place("罗溪镇", "罗溪", "town", "某区", None),
    ]
    g = Gazetteer.loads(Gazetteer.of(places).dumps())
    tests = {
        "county": lambda p: p.level == "county",
        "county_city": lambda p: p.level == "county" and p.name.endswith("市"),
        "prefecture": lambda p: p.level == "prefecture",
        "town": lambda p: p.level == "town",
    }
    fast = g.names_by(tests, levels=["county", "prefecture"])
    assert fast == {**g.names_by(tests), "town": set()}  # towns' rows are not read
    assert fast["prefecture"] == {"恩施土家族苗族自治州", "恩施", "恩施州"}
    assert fast["county"] == {"恩施市", "恩施", "长阳土家族自治县", "长阳", "长阳县"}


def test_gazetteer_round_trips_through_its_cache_bytes() -> None:
    nanjing = Place("南京市", "南京", "city", "江苏省", "320100")
    places = [
        Place("江苏省", "江苏", "province", None, "320000"),
        nanjing,
        Place("恩施土家族苗族自治州", "恩施", "prefecture", "湖北省", "422800"),
        Place("恩施市", "恩施", "county", "恩施土家族苗族自治州", "422801"),
        Place("罗溪镇", "罗溪", "town", "某区", None),
    ]
    for g in (Gazetteer.of(places), Gazetteer.loads(Gazetteer.of(places).dumps())):
        assert g.lookup("南京") == [nanjing] and g.lookup("南京市") == [nanjing]
        assert [p.name for p in g.lookup("恩施")] == ["恩施土家族苗族自治州", "恩施市"]
        assert g.lookup("恩施州")[0].level == "prefecture"
        assert g.is_place("罗溪镇") and not g.is_place("罗溪") and not g.is_place("发展市")
        assert not g.is_place("") and not g.is_place("南京\t")
        assert g.names_where(lambda p: p.level == "county") == {"恩施市", "恩施"}
        assert "江苏" in g.names() and "罗溪镇" in g.names()
    data = Gazetteer.of(places).dumps()
    for bad in (
        "南京市\t南京\tcity\t\t\n\n\n南京市\t0\n".encode(),  # an older cache's format: rebuilt
        data[:-1],  # cut short
        data.replace(_CACHE_MAGIC, _CACHE_MAGIC + b"x"),
        data.replace(_CACHE_MAGIC, b"gazetteer3 "),  # the previous format: rebuilt
        b"",
    ):
        with pytest.raises(ValueError):
            Gazetteer.loads(bad)


def test_a_gazetteer_read_from_its_cache_finds_names_in_the_bytes_as_in_the_strings(
    tmp_path,
) -> None:
    places = [
        Place("江苏省", "江苏", "province", None, "320000"),
        Place("南京市", "南京", "city", "江苏省", "320100"),
        Place("ਅ一市", "ਅ一", "city", "江苏省", None),  # U+0A05: a byte 0x0A not at a unit
        Place("一镇", "一", "town", "ਅ一市", None),
        Place("恩施市", "恩施", "county", "恩施土家族苗族自治州", "422801"),
    ]
    names = ["南京", "南京市", "江苏", "ਅ一", "ਅ一市", "一镇", "一", "恩施", "市", "京市", "镇"]
    plain = Gazetteer.of(places)
    cache = tmp_path / "gazetteer.bin"
    cache.write_bytes(plain.dumps())
    with cache.open("rb") as f:  # as the run reads it: mapped
        mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    for lazy in (Gazetteer.loads(plain.dumps()), Gazetteer.loads(mapped)):
        assert lazy._raw is not None, "nothing decoded on reading"
        assert [lazy.lookup(n) for n in names] == [plain.lookup(n) for n in names]
        assert lazy._raw is not None, "nor by a look-up"
        assert lazy.names() == plain.names() and lazy._raw is None  # every name: decoded
    # A division named outside the BMP: offsets in characters are not half those in bytes.
    wide = [
        *places,
        Place("𠀋村", "𠀋", "town", "南京市", None),
        Place("后镇", "后", "town", None, None),
    ]
    plain = Gazetteer.of(wide)
    lazy = Gazetteer.loads(plain.dumps())
    assert [lazy.lookup(n) for n in (*names, "𠀋村", "后镇")] == [
        plain.lookup(n) for n in (*names, "𠀋村", "后镇")
    ]
    assert lazy.lookup("后镇")[0].name == "后镇"


def test_a_search_in_utf16_bytes_only_matches_whole_units() -> None:
    data = "ਅ一\n".encode("utf-16-le")  # 05 0A 00 4E 0A 00: b"\n\x00" first at byte 1
    assert _find16(data, "\n".encode("utf-16-le"), 0) == 4
    assert _find16(data, "\n".encode("utf-16-le"), 0, 4) == -1


def test_the_issuer_search_names_equal_a_scan_of_every_division() -> None:
    from functools import partial

    from summarizer.structure import header
    from summarizer.structure.places import gazetteer

    every = {lv: partial(header._at_level, level=lv) for lv in header._LEVELS}
    slow = gazetteer().names_by(every)  # every division built and tested
    assert header._level_names() == slow
    assert "南京" in slow["city"] and "恩施市" in slow["county_city"]  # the real gazetteer
