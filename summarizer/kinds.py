"""Target or result: the kind of a figure, judged by evidence independent of any one reading.

A figure reported as an achievement may really be next year's target, and the reverse. Where
the figure sits (the part of the report) is one witness, but only when the structure stage is
sure of its parts; an engine and a validator that both trusted one uncertain reading of the
parts would agree on the same mistake. So two more witnesses are heard, read from the figure's
own sentence alone:

* the wording: 力争 / 确保 / 预期 / 目标 / 控制在 / 左右 state what is to be done; 完成了 /
  比上年 / 同比 / 实现了 what was done;
* the period: a year at or after the plan year (2024年, 到2025年) marks a target, a year of the
  review (2023年, 2019年以来) a result; a comparison base (比2019年, 较上年) marks neither.

A claim is flagged when the witnesses that speak outnumber on the other side; when none speaks,
or they are evenly split, the kind stands. The same judgement is the re-ask validator's, so a
model is never pushed toward a kind the evidence does not support.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from . import recache
from .lexicon import DONE_WORDING_RE, PLAN_WORDING_RE
from .offsets import match_starts
from .periods import Period, find_periods
from .structure import RESULT_PARTS, TARGET_PARTS, SectionKind

__all__ = ["KindEvidence", "check_kind", "clause_cuts", "governing_at", "kind_evidence", "weigh"]

TARGET, RESULT = "target", "result"
_CLAUSE_END = recache.compile(r"[，,；;：:]")


class KindEvidence(NamedTuple):
    """What each witness says of one figure: TARGET, RESULT or None (silent)."""

    part: str | None = None
    wording: str | None = None
    period: str | None = None
    why: tuple[str, ...] = ()  # in words, for the claim's detail and the model's message

    def votes(self) -> tuple[int, int]:
        """(witnesses for target, witnesses for result)."""
        said = (self.part, self.wording, self.period)
        return sum(s == TARGET for s in said), sum(s == RESULT for s in said)


def _wording(sentence: str) -> tuple[str | None, str]:
    # Figures of one clause share their governing words: each is read once.
    got = _WORDING.get(sentence)
    if got is None:
        if len(_WORDING) >= _WORDING_MAX:
            _WORDING.clear()
        got = _WORDING[sentence] = _read_wording(sentence)
    return got


_WORDING: dict[str, tuple[str | None, str]] = {}
_WORDING_MAX = 20_000


def _read_wording(sentence: str) -> tuple[str | None, str]:
    plan, done = PLAN_WORDING_RE.search(sentence), DONE_WORDING_RE.search(sentence)
    if plan and not done:
        return TARGET, f"措辞“{plan.group()}”表明是计划"
    if done and not plan:
        return RESULT, f"措辞“{done.group()}”表明是实绩"
    return None, ""


def _period(
    before: Sequence[Period], review: int | None, plan: int | None
) -> tuple[str | None, str]:
    """The years named in the sentence before the figure, against the report's years.

    `before` are its periods as find_periods reads them, which leaves comparison bases out
    (比2019年, 与2019年相比) and marks deadlines (到2025年, 2030年前); "2019年以来" reaches
    to now, a result.
    """
    said: list[str] = []
    for p in before:
        if p.year is None or p.kind not in ("year", "deadline", "to_date"):
            continue
        if p.kind == "deadline" and plan is not None and p.year > (review or 0):
            said.append(TARGET)
        elif plan is not None and p.kind == "year" and p.year >= plan:
            said.append(TARGET)
        elif review is not None and p.year <= review and p.kind != "deadline":
            said.append(RESULT)
    if said and all(s == said[0] for s in said):
        word = "计划年份" if said[0] == TARGET else "回顾年份"
        return said[0], f"句中年份属于{word}"
    return None, ""


def _governing(sentence: str, at: int) -> str:
    """The words that govern a figure: its own clause (with the change clause after it,
    "69亿元，同比增长7%") and the sentence's opening clause ("力争…", "主要预期目标是："). A
    plan word in another clause of a long sentence ("…21个重点项目，…确保10个项目年内竣工")
    governs its own clause only."""
    return governing_at(sentence, 0, len(sentence), at, clause_cuts(sentence))


def clause_cuts(text: str) -> Sequence[int]:
    """Where a clause of `text` ends (，；：), for `governing_at`: found once per text."""
    return match_starts(_CLAUSE_END, text)


def governing_at(text: str, a: int, b: int, at: int, cuts: Sequence[int]) -> str:
    """`_governing` of the sentence text[a:b] for a figure at offset `at` of the text, read
    through the text's clause cuts instead of a copy of the sentence (a sentence that no stop
    ends may be a whole report; each of its figures reads only its own clauses)."""
    i, j, n = bisect.bisect_left(cuts, a), bisect.bisect_left(cuts, at), bisect.bisect_left(cuts, b)
    start = cuts[j - 1] + 1 if j > i else a
    end = cuts[j] if n > j else b
    if n - j >= 2 and text[cuts[j]] not in "；;":
        end = cuts[j + 1]
    # A short opening ("2020年，", "同时，") hands the sentence to the clause after it.
    k = 1 if j - i > 1 and cuts[i] - a <= 8 else 0
    opening = text[a : cuts[i + k]] if j > i else ""
    return opening + "，" + text[start:end]


def kind_evidence(
    sentence: str,
    figure_at: int,
    part: SectionKind | None,
    part_confident: bool,
    review: int | None,
    plan: int | None,
) -> KindEvidence:
    """The witnesses for one figure: `sentence` holds it at `figure_at`; `part` is where it sits."""
    at = max(0, figure_at)
    before = find_periods(sentence[:at])
    return weigh(part, part_confident, _governing(sentence, at), before, review, plan)


def weigh(
    part: SectionKind | None,
    part_confident: bool,
    governing: str,
    before: Sequence[Period] | Callable[[], Sequence[Period]],
    review: int | None,
    plan: int | None,
    listed: str | None = None,
) -> KindEvidence:
    """The witnesses for one figure from what was read around it: the part it sits in, the
    words that govern it (`governing_at`) and the periods of its sentence before it. A report
    reads these from its tables (checktext.CheckText.kind_evidence), a lone sentence from
    itself (`kind_evidence`).

    `listed` (TARGET or RESULT), when only a verdict against that list is wanted: the periods
    (`before` may then be a function) are not read when the part and the wording already
    outvote whatever they could say, and that witness is then left silent.
    """
    p = None
    if part is not None and part_confident:
        p = TARGET if part in TARGET_PARTS else RESULT if part in RESULT_PARTS else None
    wording, w_why = _wording(governing)
    said = (p, wording)
    if listed is not None and sum(s == listed for s in said) > sum(s not in (None, listed)
                                                                   for s in said):  # fmt: skip
        period, p_why = None, ""  # one more witness against the list could not outnumber it
    else:
        period, p_why = _period(before() if callable(before) else before, review, plan)
    why = []
    if p is not None:
        why.append(f"引文位于{'计划' if p == TARGET else '工作回顾'}部分")
    why += [x for x in (w_why, p_why) if x]
    return KindEvidence(p, wording, period, tuple(why))


@dataclass(frozen=True)
class KindFinding:
    """A kind_mismatch: the detail for the report and the message for the model."""

    detail: str
    message: str


def check_kind(
    name: str, kind: str, listed_as_target: bool, evidence: KindEvidence | None
) -> KindFinding | None:
    """kind_mismatch: a target reported as an achievement, or the reverse.

    First the list against the metric's own kind; then the witnesses, which must outnumber on
    the other side for a flag.
    """
    if listed_as_target and kind != "target":
        return KindFinding(
            f"此处应为计划目标，kind={kind}",
            f"计划中的“{name}”kind 应为 target，而不是 {kind}；已完成的实绩请放入 achievements。",
        )
    if not listed_as_target and kind == "target":
        return KindFinding(
            "此处应为已完成实绩，kind=target",
            f"“{name}”是计划目标（kind=target），不能作为已取得的成绩；请放入 plans 的 targets。",
        )
    if evidence is None:
        return None
    for_target, for_result = evidence.votes()
    why = "，".join(evidence.why)
    if not listed_as_target and for_target > for_result:
        return KindFinding(
            f"证据表明是计划目标而非实绩（{why}）",
            f"“{name}”看来是计划目标而非已取得的成绩（{why}）。若原文确为目标，请放入 plans 的 "
            "targets，kind 填 target；若原文确为实绩，请引用表明其已完成的原句。",
        )
    if listed_as_target and for_result > for_target:
        return KindFinding(
            f"证据表明是实绩而非计划目标（{why}）",
            f"“{name}”看来是已完成的实绩而非计划目标（{why}）。若原文确为实绩，请放入 "
            "achievements 的 metrics，kind 填 actual、estimate 或 cumulative。",
        )
    return None
