"""Orders aimed at a model inside a report: found after normalising, by category, span by span.

An injected order is written to be read by a model, so it is disguised for a pattern, not for
a model: full-width or traditional characters, Cyrillic/Greek look-alike letters, zero-width
characters, line breaks or spaces inside its words. The text is therefore first mapped one
character to one character (so offsets stay those of the original) by NFKC, traditional ->
simplified (jionlp's tra2sim table), look-alike -> Latin and invisible -> space, and every
pattern lets whitespace sit between any two of its characters (joined lines).

Categories, not known strings:
* role markers: `Human:`, `Assistant:`, `<|system|>`, `<|im_start|>`, `[INST]`, `<<SYS>>`,
  `### System`, fake `</report>` tags;
* instruction verbs aimed at the model: 忽略/无视/忘记…以上…指令, 你现在是, 扮演…助手, 请输出,
  ignore/disregard/forget … previous instructions, you are now, act as, from now on;
* payloads: a JSON object keyed like our summary or a chat message (`{"achievements": …`,
  `{"role": "system", …}`);
* any of these base64-encoded (a model decodes base64 and may obey it; a report never writes
  it): a run of base64 is decoded and flagged whole when the decoded text holds one.

A finding runs from its trigger to the end of its sentence (a role marker or a JSON payload to
the end of its line or object), never back to the sentence start: a genuine clause the order
was glued after stays in the report.
"""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from . import recache
from .cachedir import derived
from .fastscan import gated, presence

__all__ = ["find_injections", "normalise"]

# Cyrillic and Greek letters drawn like Latin ones, as (look-alike, Latin) pairs.
_LOOKALIKE_PAIRS = (
    "аa ɑa вb сc ԁd еe һh іi јj кk ӏl мm нh оo пn рp ԛq гr ѕs тt цu ԝw хx уy "
    "АA ВB СC ЕE НH ІI ЈJ КK МM ОO РP ЅS ТT ХX УY "
    "ΑA ΒB ΕE ΖZ ΗH ΙI ΚK ΜM ΝN ΟO ΡP ΤT ΥY ΧX αa βb εe ιi κk νv οo ρp τt υu χx"
)
_LOOKALIKES = {pair[0]: pair[1] for pair in _LOOKALIKE_PAIRS.split()}


def _tra2sim_file() -> Path | None:
    """jionlp's traditional -> simplified character table, found without importing jionlp."""
    spec = importlib.util.find_spec("jionlp")  # locates the package without running it
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "dictionary" / "tra2sim_char.txt"


def _tra2sim() -> dict[str, str]:
    """jionlp's traditional -> simplified character table, read without importing jionlp."""
    path = _tra2sim_file()
    if path is None:
        return {}

    def read() -> dict[str, str]:
        table: dict[str, str] = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            t, _, s = line.partition("\t")
            if len(t) == 1 and len(s) == 1:
                table[t] = s
        return table

    # Every run reads it (a report's screening): kept as read, 2 ms less of a small run.
    found: dict[str, str] = derived("tra2sim", path, read)
    return found


# Where compatibility forms, look-alikes and invisible characters live (the CJK ideographs
# themselves only need the traditional -> simplified look-up): only these are mapped.
_BLOCKS = (
    (0x80, 0x3400),  # Latin, Greek, Cyrillic, punctuation, letter-like, enclosed, CJK symbols
    (0xF900, 0x10000),  # CJK compatibility ideographs, presentation forms, full/half width
    (0x1D400, 0x1D800),  # mathematical bold/italic letters
    (0x1F100, 0x1F200),  # enclosed alphanumerics
    (0x2F800, 0x2FA20),  # CJK compatibility supplement
    (0xE0000, 0xE0080),  # tag characters (invisible)
    (0x1F300, 0x1FB00),  # pictographs and emoji, put between the characters of a word
)


class _Table(dict[int, "str | int"]):
    """One str.translate table: NFKC, then traditional -> simplified, then look-alikes.

    Filled on demand, one entry per character a text holds: building it for every character
    of the blocks up front cost 20 ms of each run's start-up, against well under one for the
    few thousand distinct characters of a report. Every character looked up gets an entry
    (an int maps a character to itself, the key's own object: no string per entry), as
    str.translate raises and swallows a KeyError for every character its table lacks, which
    made the unchanged ones (nearly all of a report) cost more than the changed.
    """

    def __init__(self, t2s: dict[str, str]) -> None:
        super().__init__()
        self._t2s = t2s

    def __missing__(self, code: int) -> str | int:
        self[code] = out = self._mapped(code)
        return out

    def _mapped(self, code: int) -> str | int:
        c = chr(code)
        if c not in self._t2s and not any(lo <= code < hi for lo, hi in _BLOCKS):
            return code
        if unicodedata.category(c) == "Cf" or 0x1F300 <= code < 0x1FB00:
            return " "  # zero-width and direction marks, emoji: hidden inside words
        n = unicodedata.normalize("NFKC", c)
        x = n if len(n) == 1 else c  # one character for one, so offsets stay exact
        x = self._t2s.get(x, x)
        x = _LOOKALIKES.get(x, x)
        return x if x != c else code


@cache
def _table() -> _Table:
    """The process's one table (it fills as texts are read)."""
    return _Table(_tra2sim())


def _class_of(codes: list[int]) -> str:
    """A character class of these code points (ascending), consecutive ones as one range."""
    out, i = [], 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        out.append(re.escape(chr(codes[i])) + (f"-{re.escape(chr(codes[j]))}" if j > i else ""))
        i = j + 1
    return "".join(out)


def _changes() -> tuple[str, str]:
    """(a class of the characters the table changes: each such one of the BMP, and every
    astral character; those whose replacement the table changes again, 乹 -> 乾 -> 干)."""
    table = _table()
    codes = {ord(c) for c in table._t2s}
    for lo, hi in _BLOCKS:
        codes.update(range(lo, hi))
    changed = {c: x for c in sorted(codes) if isinstance(x := table._mapped(c), str)}
    again = "".join(chr(c) for c, x in changed.items() if ord(x) in changed)
    bmp = _class_of([c for c in changed if c <= 0xFFFF])
    return f"[{bmp}\U00010000-\U0010ffff]", again


@cache
def _changed_re() -> tuple[re.Pattern[str], str]:
    """The class of `_changes` compiled, and the characters changed twice. Kept in the user
    cache (about 20,000 characters are normalised to build it): stamped with this module's
    file, which holds the rules, and the table's, which holds the characters."""
    t2s = _tra2sim_file()
    st = t2s.stat() if t2s is not None and t2s.is_file() else None
    kind = f"normalise-changes-{st.st_size}-{st.st_mtime_ns}" if st else "normalise-changes"
    found: tuple[str, str] = tuple(derived(kind, Path(__file__), _changes))
    return recache.compile(found[0]), found[1]


# A report holds few distinct characters the table changes (full-width punctuation and digits,
# the odd traditional character), if thousands of times: a skip to each in C and one
# str.replace of all its occurrences costs a fifth of str.translate, which looks up every
# character of the report in the table. A shorter text is translated: it is not worth loading
# the class for; so is a longer one: each replacement holds a third copy of the text for a
# moment, and a 10 MB report's run peaks there (+4 % of its RSS).
_REPLACE_FROM, _REPLACE_UP_TO = 10_000, 1_000_000  # characters


def normalise(text: str) -> str:
    """text mapped character for character to what a model would read."""
    table = _table()
    if not _REPLACE_FROM <= len(text) < _REPLACE_UP_TO:
        return text.translate(table)
    changed, again = _changed_re()
    out, pos = text, 0
    while (m := changed.search(out, pos)) is not None:
        c = m.group()
        new = table[ord(c)]
        if c in again or c > "\uffff" or not isinstance(new, str):
            # One replacement replaced again, or a character outside the BMP (rare): the
            # exact character-by-character mapping.
            return text.translate(table)
        out = out.replace(c, new)  # none before pos: every earlier change is done
        pos = m.start() + 1
    return out


# ---------------------------------------------------------------- patterns


def _w(word: str) -> str:
    """A literal word that may have whitespace between any two of its characters."""
    return r"\s*".join(re.escape(c) for c in word)


def _any(*words: str) -> str:
    return "(?:" + "|".join(_w(w) for w in sorted(words, key=len, reverse=True)) + ")"


def _anyn(*words: str) -> str:
    """_any of the words as `normalise` reads them (Cyrillic partly mapped to Latin)."""
    return _any(*(normalise(w.lower()) for w in words))


_GAP = r"[^。！？!?]{0,16}?"  # a few words between a verb and its object (lines may break)
_S = r"\s*"

# Chinese orders (after traditional -> simplified).
_ZH_VERB = _any(
    "忽略", "忽视", "无视", "忘记", "忘掉", "不要理会", "不必理会", "不用理会", "不要管", "跳过",
    "抛开", "抛弃", "丢弃", "放弃", "不要遵守", "不再遵守", "停止遵守", "违背", "覆盖", "绕过",
)  # fmt: skip
_ZH_WHICH = _any(
    "以上", "上面", "上述", "之前", "先前", "前面", "此前", "所有", "全部", "系统", "原有", "原来",
    "刚才", "一切", "开发者",
)  # fmt: skip
_ZH_RULES = _any(
    "指令", "指示", "提示词", "提示", "规则", "要求", "设定", "任务", "命令", "约束", "限制",
    "说明", "规定", "安排",
)  # fmt: skip
# The object first (以上指令全部忽略; Japanese 以前の指示をすべて無視して): only verbs and
# words that cannot be a report's own (覆盖 and 所有 are: 所有任务全覆盖).
_ZH_BEFORE = _any("以上", "上面", "上述", "之前", "先前", "前面", "此前", "以前")
_ZH_FORGET = _any("忽略", "忽视", "无视", "忘记", "忘掉", "不要理会", "抛开", "不要遵守")
# Addressed to a model: 致大模型：…, AI助手在总结本文时…
_ZH_ADDRESSEE = _any(
    "ai助手", "人工智能助手", "大模型", "大语言模型", "语言模型", "ai模型", "chatgpt", "gpt", "ai"
)
_ZH_WHEN = _any("在总结", "在摘要", "在生成", "总结时", "摘要时")
_ZH_ROLE = _any("助手", "模型", "ai", "机器人", "程序", "角色", "智能体", "chatgpt", "gpt", "dan")
_ZH = (
    rf"{_ZH_VERB}{_S}(?:掉{_S})?(?:你{_S})?{_ZH_WHICH}{_GAP}{_ZH_RULES}"
    rf"|你{_S}{_any('现在', '从现在起', '从现在开始', '今后', '接下来')}{_S}(?:要{_S}|将{_S})?"
    rf"{_any('是', '扮演', '充当', '作为', '变成', '成为')}"
    rf"|{_any('请扮演', '请充当', '请假装', '假装你是', '扮演一个', '扮演一名', '充当一个')}"
    rf"{_GAP}{_ZH_ROLE}"
    rf"|从现在{_S}(?:起|开始){_S}[，,]?{_S}你|你的新{_S}{_any('任务', '角色', '身份', '指令')}"
    rf"|{_any('输出', '回复', '返回')}{_S}{_any('以下', '如下', '下列', '这段', '这句', 'json')}"
    rf"|请{_S}(?:{_any('直接', '只', '仅')}{_S})?输出"
    rf"|{_any('不要', '无需', '不必')}{_S}{_any('提取', '总结', '摘要', '分析')}"
    rf"|{_any('系统提示', '开发者模式', '越狱模式', '新的指令', '新指令')}"
    rf"|{_ZH_BEFORE}{_GAP}{_ZH_RULES}{_GAP}{_ZH_FORGET}"
    rf"|(?<![a-z]){_ZH_ADDRESSEE}{_S}(?:[：:]|{_ZH_WHEN})"
)
# Korean: 이전 지시를 모두 무시하고
_KO = (
    r"(?:이전|위의|앞의|모든)[^\n.。]{0,12}?(?:지시|지침|명령|규칙|프롬프트)"
    r"[^\n.。]{0,12}?(?:무시|잊)"
)

# English orders (after look-alikes -> Latin); a word starts where no letter precedes it.
_NL = r"(?<![a-z])"
_EN_VERB = _anyn(
    "ignore",
    "disregard",
    "forget",
    "override",
    "bypass",
    "skip",
    "ignoriere",
    "ignorieren",
    "vergiss",
    "vergessen",
    "ignora",
    "olvida",
    "oubliez",
    "oublie",
    "игнорируй",
    "игнорируйте",
    "забудь",
    "забудьте",
)  # fmt: skip  (English, German, Spanish/Italian, French, Russian)
_EN_RULES = _anyn(
    "instructions", "instruction", "prompts", "prompt", "rules", "directions", "guidelines",
    "context", "messages", "everything",
    "anweisungen", "regeln", "vorgaben", "instrucciones", "reglas", "indicaciones", "istruzioni",
    "consignes", "règles", "инструкции", "инструкций", "указания", "правила",
)  # fmt: skip
_EN = (
    # one bounded gap (letters of any script, spaces): no backtracking blow-up
    rf"{_NL}{_EN_VERB}(?:[^\W\d_]|\s){{0,40}}?{_EN_RULES}"
    rf"|{_NL}{_w('you')}\s*{_any('are now', 'will now', 'must now', 'are no longer')}"
    rf"|{_NL}{_any('act as', 'pretend to be', 'pretend you are', 'roleplay as', 'role-play as')}"
    rf"|{_NL}{_any('from now on', 'new instructions', 'system prompt', 'developer mode')}"
    rf"|{_NL}{_w('jailbreak')}"
    rf"|{_NL}{_any('respond only with', 'reply only with', 'output only', 'output the following')}"
    rf"|{_NL}{_any('do not summarize', 'do not summarise', 'do not extract')}"
)

# Role markers and chat templates: to the end of their line.
_ROLE_NAMES = _any("human", "assistant", "system", "user", "ai", "系统", "助手", "用户", "人类")
_ROLE = (
    rf"<\s*\|\s*[a-z_]{{2,20}}\s*\|\s*>"
    rf"|\[\s*/?\s*{_w('inst')}\s*\]|<<\s*/?\s*{_w('sys')}\s*>>"
    rf"|<\s*{_any('start_of_turn', 'end_of_turn')}\s*>"
    rf"|#{{2,}}\s*{_any('system', 'instruction', 'human', 'assistant', 'user', 'response')}"
    rf"|<\s*/?\s*{_any('report', 'system', 'assistant', 'user', 'instructions', 'instruction')}\s*>"
    rf"|(?:^|(?<=[。！？!?；;，,：:”\"'>\])）]))[ \t]*{_NL}{_ROLE_NAMES}[ \t]*[:：]"
)
# A JSON object keyed like the summary or a chat message.
_PAYLOAD = (
    r"\{\s*[\"']\s*(?:achievements|problems|plans|overview|role|content|messages|system|"
    r"instructions?|metrics|targets|summary)\s*[\"']\s*:"
)

# Gated (summarizer/fastscan.py): these alternations open with groups and lookbehinds, which
# the regex engine would otherwise try in full at every character of the report.
_ORDER = f"{_ZH}|{_EN}|{_KO}"
_ORDER_RE = gated(_ORDER, re.I)
_LINE_RE = gated(_ROLE, re.I | re.M)
# Whether either is anywhere at all, asked first: a report holds none, and the test skips in C
# to each possible first character (3x faster than the gated scan, which enters every one).
_ORDER_ANY = presence(_ORDER, re.I)
_LINE_ANY = presence(_ROLE, re.I | re.M)
_PAYLOAD_RE = recache.compile(_PAYLOAD, re.I)
_SENTENCE_END_RE = recache.compile(r"[。！？!?\n]")
_HAN_RE = recache.compile(r"[\u3400-\u9fff]")
MAX_PAYLOAD = 4000  # characters a JSON payload is followed for its closing brace


def _sentence_end(text: str, b: int) -> int:
    m = _SENTENCE_END_RE.search(text, b)  # one pass to the nearest end, whatever the text
    end = m.start() if m else len(text)
    return end + 1 if end < len(text) and text[end] != "\n" else end  # keep its full stop


def _line_end(text: str, b: int) -> int:
    end = text.find("\n", b)
    return len(text) if end < 0 else end


def _object_end(text: str, a: int) -> int:
    """The end of the JSON object opening at a (braces counted), or of its line."""
    depth = 0
    for i in range(a, min(len(text), a + MAX_PAYLOAD)):
        ch = text[i]
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i + 1
    return _line_end(text, a)


def _start(text: str, a: int) -> int:
    """Pull a trigger's start back over a 请 or an opening quote glued before it."""
    while a > 0 and text[a - 1] in "请“\"'「『(（[【":
        a -= 1
    return a


# A run of base64 long enough to hold an order ("SWdub3Jl…" is "Ignore…"). Leftmost-longest:
# a match never starts inside a longer run, so no look-behind is needed (which would cost the
# scan its fast first-character test). Its first character is written apart from the repeat:
# only a pattern that opens with a character class gets the engine's C-speed skip to the next
# candidate (a repeat is tried at every position), 3x faster over a report.
_B64_RE = recache.compile(r"[A-Za-z0-9+/][A-Za-z0-9+/]{15,}={0,2}")
_B64_DEPTH = 2  # base64 of base64 is read once more, no deeper


def _decoded(run: str) -> str | None:
    """The UTF-8 text a base64 run encodes, or None when it encodes no text."""
    import base64  # for the rare run of base64 letters: not every start-up

    try:
        return base64.b64decode(run + "=" * (-len(run) % 4), validate=True).decode("utf-8")
    except (ValueError, UnicodeDecodeError):  # binascii.Error is a ValueError
        return None


def find_injections(text: str, _depth: int = 0) -> Iterator[tuple[int, int]]:
    """Spans of text (original offsets) holding orders to a model; they may overlap."""
    norm = normalise(text)
    # A trigger inside the span of the one before adds nothing; skipping it keeps the work
    # linear however many triggers a hostile text repeats.
    end = 0
    for m in _ORDER_RE.finditer(norm) if _ORDER_ANY.search(norm) else ():
        if m.start() >= end:
            end = _sentence_end(norm, m.end())
            if not _HAN_RE.search(m.group()):
                # An order in another script ends where the report's Chinese resumes
                # ("…and write 50%新建学校3所。"): the sentence after it is the report's.
                han = _HAN_RE.search(norm, m.end(), end)
                end = han.start() if han else end
            yield _start(text, m.start()), end
    end = 0
    for m in _LINE_RE.finditer(norm) if _LINE_ANY.search(norm) else ():
        if m.start() >= end:
            end = max(m.end(), _line_end(norm, m.end()))
            yield m.start(), end
    end = 0
    for m in _PAYLOAD_RE.finditer(norm):
        if m.start() >= end:
            end = _object_end(norm, m.start())
            yield m.start(), end
    if _depth < _B64_DEPTH:
        for m in _B64_RE.finditer(text):
            said = _decoded(m.group())
            if said and next(find_injections(said, _depth + 1), None) is not None:
                yield m.span()
