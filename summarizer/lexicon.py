"""The domain vocabulary, defined once: every stage that reads report prose uses these.

Character classes, sentence ends, the words that name a report's parts, the wording of plans
and of completed work, administrative levels and their words, and the five-year plans. Patterns
are strings (to be composed) or compiled once here; none of them backtracks more than its own
short literal alternatives.
"""

from __future__ import annotations

import re

from . import recache
from .fastscan import gated

# --- characters ---------------------------------------------------------------------------

CJK = "\u4e00-\u9fff"  # the CJK Unified Ideographs block, for use inside [...]
CJK_RE = recache.compile(f"[{CJK}]")
CN_DIGITS = "一二三四五六七八九十"  # the numerals of outline numbering (一、 （二） 第三部分)
SENTENCE_END = "。！？!?"
SENTENCE_END_RE = recache.compile(f"[{SENTENCE_END}]")
CLAUSE_END_RE = recache.compile(r"[。！？；;!?]")
# A year as reports write it, ASCII or full-width (２００２年): int() reads both.
YEAR = r"(?<![0-9０-９])(?:19|20|１９|２０)[0-9０-９]{2}(?![0-9０-９])"
YEAR_RE = recache.compile(YEAR)
# A year written in Chinese digits (一九五八, 二〇一九, 一九八○: ○ stands in for 〇 in older
# typesetting); numerals.year_digits reads it.
CN_YEAR = "[一二][九〇○零一二三四五六七八]{3}"
# Whitespace a PDF, OCR or a web page leaves inside Chinese text.
SPACES = " \t\r\u3000\xa0"

# --- parts of a report --------------------------------------------------------------------
# Words of a heading that name the part it opens. Order matters where both appear:
# "2019年目标任务完成情况" reviews (完成情况 wins), "回顾与展望" opens the review.

REVIEW_WORDS = (
    r"回顾|总结|回眸|完成情况|执行情况|(?:主要|工作)(?:成绩|成效)|过去[一五]年|[一五]年来|"
    r"汇报\d{4}年度?工作$|发展成就|主要成就|的成就|工作成绩"
)
PLAN_WORDS = (
    # 安排 as a noun ("2024年工作安排", "安排建议", a title run into "2024年是…"), not the verb
    # of a topic ("统筹安排生产建设").
    r"思路|计划|安排(?=$|建议|意见|[和及与、0-9０-９]|今年)|打算|展望|今后|部署|下一步|工作重点|重点工作|预期|总体要求|目标任务|建议|"
    r"(?:主要|奋斗|总体|发展)(?:目标|任务)|重点任务|工作要点|任务和措施|政策取向"
)
PROBLEM_WORDS = (
    r"存在的?(?:主要)?问题|问题和不足|不足和问题|困难和问题|问题与不足|困难与挑战|差距和不足|"
    r"短板和不足|困难和挑战|挑战和问题"
)
GOVERNMENT_WORDS = r"自身建设|政府治理能力|政府建设|(?:人民满意|法治|廉洁|服务型)政府"

# Where a report admits its shortcomings, usually at the end of the review:
# "在肯定成绩的同时，我们也清醒地认识到…", "我们也清醒看到…困难和问题", "同时也要看到",
# "前进中还存在不少问题", "问题也不容忽视", and the older "工作中的缺点和错误".
PROBLEM_FRAME = (
    r"(?:成绩的同时|清醒|清晰|清楚|冷静)\S{0,4}?(?:认识|看|意识|地看)到|成绩面前|"
    r"(?:同时|但是?)[，,]?(?:也|还)?(?:要|应该?|必须|应当)?(?:看到|认识到|指出)"
)
PROBLEM_CUE = (
    PROBLEM_FRAME + r"|存在的?(?:主要|突出)?(?:困难和)?问题|面临的(?:突出|主要)?(?:困难和)?问题|"
    r"(?:还|仍|仍然|也|也还|依然)(?:面临|存在)着?(?:一些|不少|许多|诸多|某些|很多|一定的?|"
    r"不容忽视|不可忽视|亟待|较大|明显|(?=缺点|问题|困难|不足))|"
    r"(?:还|仍|也|也还|仍然)(?:会|将)(?:遇到|碰到|面临)(?:许多|不少|很多|一些|种种|各种)?(?:新的)?"
    r"(?:困难|问题|挑战|风险)|(?:问题|困难|矛盾)(?:也|还|仍)?(?:不容|不可)忽视|"
    r"缺点(?:和|与)(?:错误|失误|不足)|偏差和错误|缺点还不少|不足之处|没有(?:任何)?理由(?:可以)?自满|"
    r"(?:差距|不足|短板)(?:和|与)(?:不足|差距|弱项)|不及预期|没有(?:全部)?完成|未能?完成|"
    r"(?:问题|矛盾)(?:依然|仍然|还|仍|比较|十分)(?:突出|存在|较多|不少)|有(?:较大|一定|不小)的?差距|"
    r"(?:还|仍|也还)有(?:不少|许多|很多|一些)?(?:困难|问题|缺点|不足)"
)
# 缺点 counts when it is admitted ("还有缺点", "缺点还不少"), not in "纠正…缺点和错误".
PROBLEM_NOUNS = (
    r"问题|不足|困难|挑战|差距|短板|矛盾|薄弱|瓶颈|风险|压力|"
    r"(?:还有|存在着?|一些|不少|许多|很多|这些)缺点|缺点还(?:不少|很多|是?不少)"
)

# --- plans and completed work -------------------------------------------------------------
# The wording of a sentence tells a target from a result independently of where it stands:
# 要/将/力争/确保/预期 state what is to be done; 完成/实现了/比上年增长 what was done.

PLAN_WORDING = (
    r"力争|确保(?!了)|预期目标|预期(?:增长|达到|为|是)|目标(?:是|为)|主要目标|"
    r"计划(?:完成|实现|新增|投资|建设)(?!了)|努力实现|拟|控制在|不低于|不少于|"
    r"(?<![不只需主重])要(?:确保|实现|完成|达到|新增|力争|推动|加快|建成)|将(?:达到|实现|完成|新增|建成)"
)
DONE_WORDING = (
    r"完成了|实现了|达到了|增长了|提高了|下降了|取得了|比上年|较上年|同比|比去年|比前一年|"
    r"已(?:完成|实现|建成|达到)|建成了|累计完成|全年完成|顺利完成|超额完成"
)
# Gated (fastscan): one branch opens with a lookbehind, which cost the whole pattern the
# engine's skip to a first character; kinds reads it in every checked figure's clauses.
PLAN_WORDING_RE = gated(PLAN_WORDING)
DONE_WORDING_RE = recache.compile(DONE_WORDING)

# The year's headline growth figure (GDP growth: indicators, headline_search) is judged by the
# clauses before it, not by its own sentence, so its cues differ on purpose from the two above:
# 今年/明年/安排/定为/要求 name the coming year's goal in a national report's plan part (and
# would wrongly make a target of "今年以来…增长" in a kind check), while 实际/略低于/预定/
# 年初确定 measure an outcome against that goal.
GOAL_CUE_RE = recache.compile(r"今年|明年|计划|预期|目标|要求|安排|定为|力争|争取|确保|预计增长")
RESULT_CUE_RE = recache.compile(
    r"实际|略低于|超过了|完成了|实现了|达到了|预定|年初确定|预计可以达到|今年以来|比去年|过去一年"
    r"|比上年增长[^，；]*$"
)
# In a sentence giving a year's plan and then its result (计划为4%，预计可以达到6.4%), what
# introduces the result: the outcome is the figure after it. Unlike RESULT_CUE_RE it reads the
# clause after a figure, where 预计…增长 reports a result, while before a plan figure 预计增长 sets
# a goal (GOAL_CUE_RE).
RESULT_AFTER_PLAN_RE = recache.compile(r"(?:实际|预计|结果)[^，；。]{0,6}?(?:达到|为|完成|增长)")
# A paragraph that opens on last year ("过去一年，…", "去年，…", "一年来，…") recalls that year's
# results: at the start of a plan part (structure/overlays) and inside a review of several years.
LAST_YEAR_OPENER_RE = recache.compile(r"\s*(?:过去(?:的)?一年|去年|一年来)[，,里中]")
# A figure stated as the year's goal ("主要目标是：经济增长速度8%", "调控目标定为8%").
GOAL_STATEMENT_RE = recache.compile(
    r"预期目标|调控目标|主要目标|目标(?:是|为|定为)|计划(?:要求|增长)|预期(?:为|增长)|定为"
)

# --- figures ------------------------------------------------------------------------------
# Qualifiers written after a figure (7.5%以上, 100家左右); those before it (力争, 不低于, 近)
# are read by numbers and bounds.
AFTER_FIGURE = "以上|以下|以内|左右|之多"

# The words an indicator's name ends on: what is measured of a subject (居民人均可支配收入,
# 治安案件, 水利投资, 药品抽检合格率). Rules naming gives a list's shared words to each entry;
# 收入 alone is left out ("接待游客和旅游综合收入" shares nothing).
INDICATOR_HEADS = (
    r"(?:居民|常住|人均|案件|警情|发案率|投资|消费|出口|进口|抽检|合格率|数量|建成率|覆盖率|"
    r"使用率|普及率|比例|比重|增加值|营收|贷款|存款|产量|面积|客运量|贸易额)"
)

# --- change words -------------------------------------------------------------------------
# Verbs that make the figure they govern a change ("同比增长7%", "增幅16.7%", "减收1.25亿元"):
# numbers reads the change, rules/naming ends an indicator's name before them, checks count them
# as naming nothing. 增加值 is a quantity, 改造提升 an action; 压降, 微降 are one word (a name
# ends before them, not inside).
UP_WORDS = "增长|增幅|增速|提高|(?<!改造)提升|增加(?!值)|上升|增收|净增|上涨|攀升|扩大|微增|翻"
DOWN_WORDS = "下降|降幅|减少|降低|回落|下滑|减收|下跌|缩减|压减|削减|压降|微降|降"
CHANGE_WORDS = f"负增长|{UP_WORDS}|{DOWN_WORDS}"
# A change verb that states the level reached ("提高到80%", "降至3%"): a level, not a change.
LEVEL_VERB = "(?:增长|提高|提升|增加|上升|下降|降低)[至到]|增至|降至"
# Qualifiers written before a figure. The far ones qualify it from anywhere earlier in its clause
# ("力争全年达到…"); the near ones (超, 近, 约 …) only right before it.
QUAL_FAR = "不少于|不低于|不超过|不到|超过|突破|力争|达到|高达|接近|将近"
QUAL_NEAR = f"{QUAL_FAR}|超|近|约|逾|达|破"
# What may stand between a change word and its figure ("增长了", "增幅为", "增加近", "降至").
CHANGE_FILL = f"了|率|为|幅度|幅|分别|同比|至|到|{QUAL_NEAR}"
# Verbs between an indicator's name and its figure ("实现地区生产总值69亿元", "保持在3%",
# "累计达"), longest first where one begins another.
FIGURE_VERBS = (
    "分别达到|分别达|分别为|分别|达到了|达到|高达|已达|首破|突破|超过|不少于|不低于|不超过|保持在|"
    f"稳定在|控制在|设定为|设定在|确定为|定为|定在|{LEVEL_VERB}|总计|共计|合计|累计达|累计|实现了|实现|"
    "完成了|完成|力争|争取|确保|约为"
)
# A word that makes a percentage a rate of change (a growth), for the headline figures.
GROWTH_WORD_RE = recache.compile(r"增长|增速|增幅|递增|增加|提高|下降|降低|回落|减少|负增长")
# "由A…到B": a figure moved from one value to another. Between two levels (由3480亿元增加到
# 9380亿元) it compares two years and is no annual growth, so a % inside does not match; between
# two rates (由今年预计的3%提高到4%) the second is the goal, so the rate pattern spans a %.
FROM_TO_LEVEL_RE = recache.compile(r"[由从][^，。；%％]{1,20}?(?:增加|增长|提高|上升|扩大)[到至]")
FROM_TO_RATE_RE = recache.compile(r"[由从][^，。；]{0,12}?(?:提高|增加|上升|降低|下降)[到至]")

# The tense of running prose, for text that no heading or cue divides: future and duty
# (要, 将, 必须, 力争) against completion (了, 已经, 比上年, 以来). Too common to decide one
# sentence, they tell a stretch of plans from a stretch of results. As words:
#   future  (?<![主重需只])要(?![求素点闻害]) | 将(?![近军]) | 必须 应当 力争 确保 争取 努力 着力
#   past    (?<![为除])了(?![解]) | 已经 | 已(?=CJK) | 比上年 同比 比去年 较上年 过去 以来
# written to open with the class of their first characters, each word then told by a
# lookbehind for its first (the same matches, in the same order of preference): the engine
# skips in C to the next candidate, where an alternation is tried at every position (2.5x
# faster; the markers are counted in every paragraph of a report).
FUTURE_MARKERS_RE = recache.compile(
    r"[要将必应力确争努着](?:(?<=要)(?<![主重需只]要)(?![求素点闻害])|(?<=将)(?![近军])"
    r"|(?<=必)须|(?<=应)当|(?<=力)争|(?<=确)保|(?<=争)取|(?<=努)力|(?<=着)力)"
)
PAST_MARKERS_RE = recache.compile(
    rf"[了已比同较过以](?:(?<=了)(?<![为除]了)(?![解])|(?<=已)经|(?<=已)(?=[{CJK}])"
    r"|(?<=比)上年|(?<=同)比|(?<=比)去年|(?<=较)上年|(?<=过)去|(?<=以)来)"
)

# --- spam ---------------------------------------------------------------------------------
# Injected adverts (gambling above all) in pages copied from hacked sites. `tamper` locates
# them in the text (and spares law enforcement: 打击赌博); a candidate title or issuer line
# is refused on any one of the looser SPAM_HINT words.

# Nouns that name a gambling business or game; "赌博" alone is left out, since reports talk
# about fighting it. Case-insensitive for the Latin ones.
GAMBLING_ZH = (
    r"赌场|赌城|赌厅|赌球|赌钱|网赌|赌博(?:网|网站|平台|游戏|官网|娱乐)|博彩|娱乐城|娱乐场(?![所地馆])|"
    r"娱乐(?:平台|官网|网址|网站|开户|注册|app)|百家乐|老虎机|轮盘赌|六合彩|时时彩|北京赛车|"
    r"真人(?:娱乐|视讯|荷官|百家|棋牌|赌|游戏|体育)|棋牌(?:游戏|平台|官网|网站|娱乐|app)|"
    r"电子游艺|体育(?:投注|博彩)|投注(?:平台|网站|官网|开户)|下注|彩金|返水|开户送|注册送|首存送|"
    r"彩票(?:网|平台|官网|开户|注册|娱乐|app)"
)
GAMBLING_LATIN = (
    r"casino|betting|sportsbook|poker|pk10|(?<![a-z])bet(?:\d+|ting)?(?![a-z])|\d+bet(?![a-z])"
)
GAMBLING = f"{GAMBLING_ZH}|{GAMBLING_LATIN}"
# Places and brands known for gambling, and the words a spam brand run ends with.
GAMBLING_HUBS = (
    r"澳门|澳門|新葡京|葡京|威尼斯人|新濠|太阳城|太陽城|金沙(?=娱乐|国际|赌|现金|真人|官)|美高梅|"
    r"拉斯维加斯|拉斯維加斯"
)
SPAM_BRAND_END = r"现金|現金|娱乐|娛樂|真人|棋牌|彩票|赌|賭|博彩|开户|注册|官网|网址"
SPAM_HINT_RE = recache.compile(
    r"赌|博彩|彩票|娱乐|澳门|亚冠|现金|真人|百家乐|棋牌|投注|下注|老虎机|葡京|威尼斯人|太阳城|皇冠|"
    r"开户|注册送|http|www\.|\.com",
    re.IGNORECASE,
)

# --- levels and places --------------------------------------------------------------------

# The levels, as a brief names them.
LEVEL_ZH = {"national": "国家", "province": "省级", "prefecture": "地州级", "city": "市级",
            "district": "区级", "county": "县级", "town": "乡镇级"}  # fmt: skip
LEVELS = tuple(LEVEL_ZH)
# The title of the head of government at each level, as in "北京市市长 殷勇", "代区长".
HEAD_TITLE_LEVEL = {"镇长": "town", "乡长": "town", "区长": "district", "县长": "county",
                    "市长": "city", "州长": "prefecture", "盟长": "prefecture",
                    "省长": "province", "主席": "province", "总理": "national",
                    "专员": "prefecture", "旗长": "county"}  # fmt: skip
# The unit word a place name ends with, and the level it names when no gazetteer knows it.
PLACE_SUFFIX_LEVEL = {"自治区": "province", "自治州": "prefecture", "地区": "prefecture",
                      "街道": "town", "省": "province", "州": "prefecture", "盟": "prefecture",
                      "市": "city", "区": "district", "县": "county", "旗": "county",
                      "镇": "town", "乡": "town"}  # fmt: skip
PLACE_SUFFIX = "(?:" + "|".join(sorted(PLACE_SUFFIX_LEVEL, key=len, reverse=True)) + ")"
NATIONAL_ISSUER = "国务院"

# --- five-year plans ----------------------------------------------------------------------


def five_year_plan(n: int) -> tuple[int, int]:
    """Years of the n-th five-year plan: the 1st ran 1953-1957, the 14th 2021-2025.

    Three years of readjustment (1963-1965) came between the 2nd and the 3rd.
    """
    start = 1953 + 5 * (n - 1) if n <= 2 else 1966 + 5 * (n - 3)
    return start, start + 4


def cn_small(s: str) -> int:
    """Value of a small Chinese numeral, 一 … 九十九 (0 for anything else)."""
    d = {c: i + 1 for i, c in enumerate(CN_DIGITS[:9])}
    tens, ten, ones = s.partition("十")
    if not ten:
        return d.get(s, 0)
    return d.get(tens, 1) * 10 + d.get(ones, 0)


# 十三五, “十五”, 十四五规划; not 十五届, 十五年, 第十五次.
FIVE_YEAR_RE = recache.compile(
    rf"十([{CN_DIGITS[:9]}])五(?![届个年次项条名家人万亿千百天日月%])|[“\"]十()五[”\"]"
    r"|第([一二三四五六七八九十]{1,3})个五年(?:计划|规划)|[“\"]?([一二三四五六七八九])五[”\"]?(?:计划|时期|期间|规划)"
)


def five_year_spans(text: str) -> list[tuple[int, int, int, int]]:
    """(start, end, first year, last year) of every five-year plan named in the text."""
    out = []
    for m in FIVE_YEAR_RE.finditer(text):
        if m.group(1) is not None or m.group(2) is not None:
            n = 10 + (cn_small(m.group(1)) if m.group(1) else 0)
        else:
            n = cn_small(m.group(3) or m.group(4) or "")
        if 1 <= n <= 20:
            out.append((m.start(), m.end(), *five_year_plan(n)))
    return out
