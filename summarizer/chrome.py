"""Web-page chrome among the lines of a report: which lines are the page, not the report.

A report copied from a news or government web page (a corpus field, a saved page, a paste)
carries the page around it: the toolbar (下载 打印 全屏 收藏 【字号： 加大 还原 减小 】), the
breadcrumb (首页 > 政府信息公开 > …), metadata (来源：北京日报, 时间：2026-02-02, 索引号:…),
photo captions (殷勇同志作政府工作报告。本报记者 戴冰摄), share buttons, sidebars listing other
reports (相关报道：…), copyright and editor lines. `chrome_flags` marks those lines.

Rules look at a whole line, never inside a sentence: "来源" or "摄" in a report's own sentence
stays. Words that a report line could also be alone (大, 中, 小, >) count only next to other
chrome. The title, the dateline (——2026年1月25日在…上) and the speaker line are never chrome.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from . import recache
from .inline import OPENERS
from .lazyre import lazy
from .lexicon import CJK, CLAUSE_END_RE

__all__ = ["chrome_flags", "is_chrome_line"]

# ---------------------------------------------------------------- vocabulary

# Toolbar and share-button words; a line made only of these (and separators) is the toolbar.
_TOOLBAR_STRONG = (
    "下载 打印 全屏 收藏 字号 字体 加大 还原 减小 放大 缩小 分享到 分享 微信 朋友圈 微博 "
    "QQ空间 QQ 复制链接 关闭窗口 关闭本页 关闭 打印本页 打印此页 打印文章 返回顶部 返回列表 "
    "返回首页 返回 首页 我要纠错 纠错 收藏本页 设为首页 加入收藏 无障碍 长者模式 繁体 简体 "
    "English 视力保护 语音播报"
).split()
# Words that are chrome only beside other chrome: a line "大" or ">" could be a fragment.
_TOOLBAR_WEAK = "大 中 小 默认 标准 超大".split()
_SEPARATORS = " \t|｜【】[]:：>»›/／\\、×✕·•()（）-—"


def _alternation(words: Sequence[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_STRONG_RE = recache.compile(rf"(?:{_alternation(_TOOLBAR_STRONG)}|{_alternation(_TOOLBAR_WEAK)})+")
_WEAK_RE = recache.compile(rf"(?:{_alternation(_TOOLBAR_WEAK)})+")
_SEPARATORS_RE = recache.compile(f"[{re.escape(_SEPARATORS)}]+")
# What a toolbar line can begin with (a quick gate: most lines begin otherwise).
_TOOLBAR_FIRST = frozenset(_SEPARATORS + "".join(w[0] for w in _TOOLBAR_STRONG + _TOOLBAR_WEAK))

# Labels of the metadata block of government pages ("索引号:…"): any value, any length.
_GOV_FIELDS = (
    "信息名称 索引号 主题分类 体裁分类 组配分类 服务对象分类 公开方式 公开范围 公开时限 文件编号 "
    "发文字号 发布机构 发文机关 产生日期 发布日期 成文日期 废止日期 有效性 内容概述 关键词 今天 "
    "当前位置 您当前的位置 您的位置 所在位置 浏览次数 点击数"
).split()
_GOV_FIELD_RE = recache.compile(rf"(?:{_alternation(_GOV_FIELDS)})\s*[:：]")
_GOV_FIELD_FIRST = frozenset(name[0] for name in _GOV_FIELDS)
# Labels of news pages: chrome when the line is the label and a short value ("来源：北京日报"),
# never a clause: a hard-wrapped PDF line may begin "设计：一是…，" after "…加强顶层".
_NEWS_LABELS = (
    "来源 信息来源 文章来源 稿件来源 稿源 出处 时间 发布时间 更新时间 日期 作者 记者 通讯员 "
    "编辑 责任编辑 责编 值班编辑 网络编辑 校对 审核 审校 终审 签发 监制 总监制 策划 统筹 主编 "
    "制作 设计 美编 文字 摄影 摄像 图片 视频 供稿 原标题 主办 承办 "
    "浏览量 阅读量 阅读次数 阅读 访问量 点击量 字号 字体 分享 分享到 上一篇 下一篇 上一条 下一条"
).split()
_NEWS_LABEL_RE = recache.compile(
    rf"[【\[（(]?\s*(?:{_alternation(_NEWS_LABELS)})\s*[:：]\s*(?P<value>[^。！？；，,]{{0,60}}?)"
    r"\s*[】\]）)]?"
)
# Footer and toolbar text. Words that a body sentence could also contain ("主办单位") only
# count at the start of a line, since a hard-wrapped PDF line is short and may lack "。".
_FOOTER_RE = recache.compile(
    r"打印本页|关闭窗口|版权所有|[Ee]-?mail\s*[:：]|邮箱\s*[:：]|ICP备|公网安备|网站标识码|总访问量|"
    r"今日访问量|【字体|Copyright|All [Rr]ights [Rr]eserved|©|免责声明|违法和不良信息举报|"
    r"(?:禁止|不得|严禁)转载|转载请注明|视频加载中|分享让更多人看到|下载客户端"
    r"|^欢迎(?:访问|来到|光临).{0,40}网站"
)
# At the start of a line that is no clause: "技术支持：某公司", not "技术支持，推动…".
_FOOTER_START_RE = recache.compile(
    r"(?:主办单位|承办单位|协办单位|技术支持|运维单位|联系我们|网站地图|分享到|网站声明)"
)
# Words a report's own sentence may hold too ("推行扫码就医", "建设政府门户网站"): chrome only
# in a short line that is no clause, since a hard-wrapped PDF line rarely ends a sentence.
_FOOTER_SHORT_RE = recache.compile(
    r"扫码|扫一扫|二维码|在手机(?:上)?打开|用手机(?:扫|看)|门户网站$|政府网$|举报电话|"
    r"关注(?:我们|微信|公众号)|点击(?:图片|此处|这里)?(?:进入|查看|阅读)"
)
# A date stamped by the page ("2026-02-03 09:02:33"), not the report's own 年月日 dateline.
_STAMP_RE = recache.compile(
    r"[（(]?\s*(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
    r"|\d{4}年\d{1,2}月\d{1,2}日\s*\d{1,2}:\d{2}(?::\d{2})?)\s*[）)]?"
)
# Photo credits end a caption: "本报记者 戴冰摄", "石榴云/新疆日报记者谢龙摄", "（张三 摄）".
_NAME = rf"[{CJK}·]{{2,5}}"
_CAPTION_RE = lazy(
    rf"(?:(?:记者|通讯员|摄影|特约|实习生|见习)\s*(?:{_NAME}\s*[、，,\s]\s*)*{_NAME}"
    rf"|[/／]\s*{_NAME}|[（(]\s*{_NAME})\s*(?<!拍)摄(?:影)?\s*[）)]?$"
)
# A caption without a credit names the speaker delivering the report ("省长赵刚作政府工作报告").
_DELIVERS_RE = lazy(r"(?:长|主席|主任|书记|同志|代表|向大会)[^，。]{0,8}作(?:政府)?工作报告$")
# A list of links to other pages follows one of these headers at the end of a page.
_SIDEBAR_RE = recache.compile(
    r"(?:相关(?:报道|文档|新闻|阅读|链接|稿件|文章|推荐|专题|附件)|延伸阅读|推荐阅读|热点推荐|"
    r"热门推荐|热门文章|最新文章|精彩推荐|往期回顾|猜你喜欢|专题推荐|附件下载|更多(?:报道|新闻|阅读)?)"
    r"\s*[:：]?"
)
_BRACKETS = "【】[]《》<>「」»›"
_STAMP_FIRST = frozenset("0123456789（(")
_BUTTONS_RE = recache.compile(r"(?:[【\[][^】\]]{1,10}[】\]]\s*)+")
_BREADCRUMB_RE = lazy(
    r"(?:首页|主页|网站首页|[^。，；>»›]{1,24}\s*[>»›]+\s*[^。，；>»›]{1,30})"
    r"(?:\s*[>»›]+\s*[^。，；>»›]{1,30})+"
)
_SALUTATION_RE = recache.compile(r"(?:各位代表|同志们|各位委员)[:：！!，,]?")
_SENTENCE_RE = CLAUSE_END_RE
_CLAUSE_RE = recache.compile(r"[。！？；，、,;!?]")
_ENDED = tuple("。！？；：!?;:”’）)")

# Labels whose value may stand on the next line ("来源：" / "陕西省人民政府").
_VALUE_LABEL_RE = recache.compile(
    r"(?:来源|信息来源|文章来源|稿源|出处|时间|发布时间|更新时间|日期|作者|记者|通讯员|编辑|"
    r"责任编辑|校对|审核|摄影|供稿)\s*[:：]"
)
# Lines longer than this are report text whatever they contain.
_CHROME_MAX = 150
_FOOTER_MAX = 200
_TOOLBAR_MAX = 40
_SHORT = 30  # a breadcrumb item, a label's value on its own line, a link in a sidebar
_LINK_MAX = 80
_HEADER_LINES = 40  # the page header sits in the first lines


# ---------------------------------------------------------------- one line


def _toolbar(text: str) -> str | None:
    """'strong' or 'weak' when the line is only toolbar words and separators, else None."""
    if text[0] not in _TOOLBAR_FIRST:
        return None
    words = _SEPARATORS_RE.sub("", text)
    if not words:
        return None if text[0] in OPENERS else "weak"
    if _WEAK_RE.fullmatch(words):
        return "weak"
    return "strong" if _STRONG_RE.fullmatch(words) else None


def is_chrome_line(text: str) -> bool:
    """Chrome whatever its neighbours are: metadata, footer, caption, toolbar words; also
    after buttons that open the line ("【我要纠错】责任编辑：王五")."""
    return _is_chrome(text, _toolbar(text) if len(text) <= _TOOLBAR_MAX else None)


def _is_chrome(text: str, kind: str | None) -> bool:
    """`is_chrome_line`, given the line's toolbar kind (computed once by the caller)."""
    if text[0] in "【[":
        buttons = _BUTTONS_RE.match(text)
        if buttons is not None and buttons.end() < len(text) and _toolbar(buttons.group()):
            rest = text[buttons.end() :]
            return _is_chrome_line(rest, _toolbar(rest) if len(rest) <= _TOOLBAR_MAX else None)
    return _is_chrome_line(text, kind)


def _is_chrome_line(text: str, kind: str | None) -> bool:
    # Cheap gates first: this runs on every line of documents up to many megabytes, and a
    # hard-wrapped PDF has tens of thousands of short lines.
    if text[0] in _GOV_FIELD_FIRST and _GOV_FIELD_RE.match(text):
        return True
    if len(text) <= _FOOTER_MAX and "。" not in text:
        if _FOOTER_RE.search(text):
            return True
        if "，" not in text and _FOOTER_START_RE.match(text):
            return True
    if len(text) > _CHROME_MAX:
        return False
    if kind == "strong":
        return True
    if ("：" in text or ":" in text) and _NEWS_LABEL_RE.fullmatch(text):
        return True
    if text[0] in _STAMP_FIRST:
        stamp = _STAMP_RE.match(text)
        if stamp is not None:
            rest = text[stamp.end() :].strip(_SEPARATORS)
            if not rest or _NEWS_LABEL_RE.fullmatch(rest):
                return True
    if "摄" in text and _CAPTION_RE.search(text):
        return True
    if len(text) <= 20 and _FOOTER_SHORT_RE.search(text) and not _CLAUSE_RE.search(text):
        return True
    if (
        len(text) <= 40
        and "报告" in text
        and not _CLAUSE_RE.search(text)
        and _DELIVERS_RE.search(text)
    ):
        return True
    return (
        bool(">" in text or "»" in text or "›" in text)
        and _BREADCRUMB_RE.fullmatch(text) is not None
    )


# ---------------------------------------------------------------- in context


def _short(text: str, limit: int = _SHORT) -> bool:
    return len(text) <= limit and not _SENTENCE_RE.search(text) and "，" not in text


def _is_value(text: str) -> bool:
    """Could be a label's value on its own line, not the report's salutation or dateline."""
    return (
        _short(text)
        and "报告" not in text
        and not _SALUTATION_RE.match(text)
        and not text.startswith(("—", "-", "（", "("))
    )


def _bare_label(text: str) -> bool:
    """A label whose value is on the next line ("时间：" / "2026-02-02 09:20")."""
    return _VALUE_LABEL_RE.fullmatch(text) is not None


def chrome_flags(lines: Sequence[str]) -> list[bool]:
    """For each (non-empty, stripped) line, whether it is page chrome rather than report."""
    n = len(lines)
    kinds = [_toolbar(text) if len(text) <= _TOOLBAR_MAX else None for text in lines]
    flags = [_is_chrome(text, kind) for text, kind in zip(lines, kinds, strict=True)]
    for k, text in enumerate(lines):
        nxt = lines[k + 1] if k + 1 < n else ""
        if _bare_label(text) and _is_value(nxt):
            flags[k + 1] = True  # the label's value
        if text in (">", "»", "›"):
            # A breadcrumb laid out one item a line: the items beside each separator.
            for j in (k - 1, k + 1):
                if 0 <= j < n and _short(lines[j], 24):
                    flags[j] = flags[k] = True
            # A channel name repeated under the breadcrumb ("云南要闻" / "云南要闻").
            if k + 2 < n and lines[k + 2] == lines[k + 1]:
                flags[k + 2] = True
    # "图为…" captions stand after a finished line: a hard-wrapped "意/图为…" does not.
    for k, text in enumerate(lines):
        if text.startswith("图为") and len(text) <= _LINK_MAX and not flags[k]:
            flags[k] = k == 0 or flags[k - 1] or lines[k - 1].endswith(_ENDED)
    # Weak toolbar words and lone separators beside the toolbar ("【字体：" "大" "中" "小" "】").
    for order in (range(n), range(n - 1, -1, -1)):
        for k in order:
            if not flags[k] and kinds[k] == "weak":
                flags[k] = (k > 0 and flags[k - 1]) or (k + 1 < n and flags[k + 1])
    _flag_header_repeats(lines, flags)
    _flag_sidebars(lines, flags)
    return flags


def _flag_header_repeats(lines: Sequence[str], flags: list[bool]) -> None:
    """A page that shows the title and dateline twice (above and under the breadcrumb)."""
    head = lines[:_HEADER_LINES]
    end = next((k for k, text in enumerate(head) if _SALUTATION_RE.fullmatch(text)), None)
    if end is None:
        return
    seen: set[str] = set()
    for k, text in enumerate(head[:end]):
        if flags[k]:
            continue
        if text in seen and _short(text, _LINK_MAX):
            flags[k] = True
        seen.add(text)


def _flag_sidebars(lines: Sequence[str], flags: list[bool]) -> None:
    """From a sidebar header on, the links it lists; then trailing lists of other reports."""
    n = len(lines)
    # Only after the report's text has begun: a page header may hold a "更多" link.
    body = next((k for k, text in enumerate(lines) if len(text) > _LINK_MAX), n)
    for k in range(body + 1, n):
        if _SIDEBAR_RE.fullmatch(lines[k].strip(_BRACKETS)):
            flags[k] = True
            j = k + 1
            while j < n and (flags[j] or _short(lines[j], _LINK_MAX)):
                flags[j] = True
                j += 1
    # Links to other reports left at the very end without a header.
    tail = n
    while tail > 0 and (flags[tail - 1] or _is_link(lines[tail - 1])):
        tail -= 1
    if sum(1 for k in range(tail, n) if not flags[k]) >= 2:
        for k in range(tail, n):
            flags[k] = True


def _is_link(text: str) -> bool:
    return _short(text, 50) and ("报告" in text or bool(_STAMP_RE.search(text)))
