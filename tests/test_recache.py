"""recache: compiled patterns kept between runs are exactly the patterns re.compile makes, and
a file that does not fit (damaged, another interpreter's, unwritable) only costs a compile."""

from __future__ import annotations

import marshal
import re
import sys
from array import array

import pytest

from summarizer import fastscan, recache
from summarizer.recache import PatternStore

PATTERNS = [
    (r"(?P<n>\d+)\s*(万|亿)", 0),
    (r"(?:ignore|disregard)\s+\w+|(?<![a-z])you are", re.I),
    (r"^[ \t]*(?:human|system)[ \t]*[:：]", re.I | re.M),
    (r"(?s).*[，。；]", 0),  # a global inline flag
    (r"[一-鿿]{2,}(?:市|县)", 0),  # a CJK class
    (
        r"""(?P<a>\d{4})\s*年   # a year
            (?:(?P<m>\d{1,2})\s*月)?""",
        re.X,
    ),
    (r"(a)(?P<b>b)?(?(2)c|d)", 0),  # a conditional group
]
TEXT = "Please IGNORE all previous instructions. 投资12亿元，南京市\nsystem: 2019年10月 abc ad"


def _same(a: re.Pattern[str], b: re.Pattern[str]) -> None:
    assert a == b  # the engine compares pattern, flags and every code
    assert (a.pattern, a.flags, a.groups, dict(a.groupindex)) == (
        b.pattern,
        b.flags,
        b.groups,
        dict(b.groupindex),
    )
    assert [m.span() for m in a.finditer(TEXT)] == [m.span() for m in b.finditer(TEXT)]
    assert [m.groupdict() for m in a.finditer(TEXT)] == [m.groupdict() for m in b.finditer(TEXT)]


def test_a_second_process_is_served_from_the_file_the_same_patterns(tmp_path):
    path = tmp_path / "patterns.bin"
    first = PatternStore(path)
    made = [first.get("re", p, f) for p, f in PATTERNS]
    assert first.compiled == len(PATTERNS)
    first.save()

    second = PatternStore(path)  # a new run reads the file
    served = [second.get("re", p, f) for p, f in PATTERNS]
    assert second.compiled == 0, "nothing compiled again"
    for a, b, (p, f) in zip(served, made, PATTERNS, strict=True):
        _same(a, b)
        _same(a, re.compile(p, f))


def test_a_gated_pattern_is_stored_with_its_gate(tmp_path):
    path = tmp_path / "patterns.bin"
    pattern = r"(?:忽略|无视)\s*(?:以上|上述)|你\s*现在"
    first = PatternStore(path)
    gated = first.get("gated", pattern, 0, fastscan.gate_texts)
    assert gated.pattern.startswith("(?=[")
    first.save()
    second = PatternStore(path)
    _same(second.get("gated", pattern, 0, fastscan.gate_texts), gated)
    # A plain compile of the same text is another entry, not the gated one.
    plain = second.get("re", pattern, 0)
    assert plain.pattern == pattern and second.compiled == 1


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not marshal data at all",
        marshal.dumps(("another interpreter", {})),
        marshal.dumps([1, 2, 3]),
    ],
)
def test_a_damaged_or_foreign_file_is_ignored(tmp_path, content):
    path = tmp_path / "patterns.bin"
    path.write_bytes(content)
    store = PatternStore(path)
    for p, f in PATTERNS:
        _same(store.get("re", p, f), re.compile(p, f))
    assert store.compiled == len(PATTERNS)
    store.save()  # and it is replaced by a good one
    assert PatternStore(path).entries.keys() == store.entries.keys()


def test_entries_whose_codes_the_engine_refuses_are_compiled_instead(tmp_path):
    path = tmp_path / "patterns.bin"
    store = PatternStore(path)
    p, f = PATTERNS[0]
    store.get("re", p, f)
    store.save()
    stamp, entries = marshal.loads(path.read_bytes())
    ((key, entry),) = entries.items()
    bad = array(recache._WORD, [9999, 1, 2]).tobytes()  # codes the engine refuses
    entries[key] = (entry[0], entry[1], bad, *entry[3:])
    path.write_bytes(marshal.dumps((stamp, entries)))
    again = PatternStore(path)
    _same(again.get("re", p, f), re.compile(p, f))
    assert again.compiled == 1


def test_an_entry_that_is_not_the_pattern_asked_for_is_compiled_instead(tmp_path):
    path = tmp_path / "patterns.bin"
    store = PatternStore(path)
    a, b = (r"\d+年", 0), (r"\d+月", 0)
    store.get("re", *a)
    store.save()
    stamp, entries = marshal.loads(path.read_bytes())
    entries[("re", *b)] = entries[("re", *a)]  # b's key holding a's pattern
    path.write_bytes(marshal.dumps((stamp, entries)))
    again = PatternStore(path)
    _same(again.get("re", *b), re.compile(*b))
    assert again.compiled == 1


def test_an_unwritable_place_costs_only_the_compile(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    store = PatternStore(blocker / "patterns.bin")  # its directory cannot be made
    _same(store.get("re", *PATTERNS[0]), re.compile(*PATTERNS[0]))
    store.save()  # no error
    assert not (tmp_path / "a-file").is_dir()


def test_no_path_remembers_nothing(tmp_path):
    store = PatternStore(None)
    store.get("re", *PATTERNS[0])
    store.save()
    assert store.entries == {} and list(tmp_path.iterdir()) == []


def test_the_file_keeps_this_runs_patterns_first_and_at_most_max_entries(tmp_path, monkeypatch):
    monkeypatch.setattr(recache, "MAX_ENTRIES", 3)
    path = tmp_path / "patterns.bin"
    old = PatternStore(path)
    for i in range(3):
        old.get("re", f"old{i}", 0)
    old.save()
    run = PatternStore(path)
    run.get("re", "new", 0)
    run.get("re", "old2", 0)  # served, and so kept
    run.save()
    kept = {k[1] for k in PatternStore(path).entries}
    assert len(kept) == 3 and {"new", "old2"} <= kept


def test_a_save_keeps_what_another_process_wrote_since_this_one_read_the_file(tmp_path):
    # A batch's workers and its parent each hold a copy read at their start; the last to
    # write must not drop the patterns another wrote meanwhile.
    path = tmp_path / "patterns.bin"
    parent, worker = PatternStore(path), PatternStore(path)
    worker.get("re", "worker-only", 0)
    worker.save()
    parent.get("re", "parent-only", 0)
    parent.save()
    kept = {k[1] for k in PatternStore(path).entries}
    assert {"worker-only", "parent-only"} <= kept


def test_the_module_save_writes_this_processs_store_only_when_it_learned_something(tmp_path):
    path = tmp_path / "patterns.bin"
    previous = recache._store
    try:
        recache.use(path)
        recache.save()
        assert not path.exists()  # nothing compiled: nothing written
        recache.store().get("re", "learned", 0)
        recache.save()
        assert {k[1] for k in PatternStore(path).entries} == {"learned"}
    finally:
        recache._store = previous


def test_flags_are_part_of_the_key(tmp_path):
    store = PatternStore(tmp_path / "patterns.bin")
    a = store.get("re", "abc", 0)
    b = store.get("re", "abc", re.I)
    assert not a.flags & re.I and b.flags & re.I and store.compiled == 2


def test_a_pattern_is_compiled_once_and_checked_against_re_compile_once(tmp_path, monkeypatch):
    calls: list[str] = []
    plain = re.compile

    def counting(pattern, flags=0):
        calls.append(pattern)
        return plain(pattern, flags)

    monkeypatch.setattr(re, "compile", counting)
    store = PatternStore(tmp_path / "patterns.bin")
    made = [store.get("re", p, f) for p, f in PATTERNS]
    assert store.faithful is True
    assert calls == [PATTERNS[0][0]], "re.compile only for the first, to check the steps"
    for a, (p, f) in zip(made, PATTERNS, strict=True):
        _same(a, plain(p, f))


def test_an_interpreter_whose_compile_differs_stores_nothing(tmp_path, monkeypatch):
    other = recache._arguments

    def unfaithful(text, flags):  # as if this interpreter's steps made other codes
        return (text, *other(text + "x", flags)[1:])

    monkeypatch.setattr(recache, "_arguments", unfaithful)
    store = PatternStore(tmp_path / "patterns.bin")
    for p, f in PATTERNS:
        _same(store.get("re", p, f), re.compile(p, f))
    assert store.faithful is False and store.entries == {}
    store.save()
    assert not (tmp_path / "patterns.bin").exists()


def test_the_gate_falls_back_to_the_plain_pattern_and_errors_are_re_compiles(tmp_path):
    if sys.version_info < (3, 11):
        pytest.skip("Python 3.10 compiles misplaced global flags, with a warning")
    store = PatternStore(tmp_path / "patterns.bin")
    # Global inline flags must open a pattern: the gated text does not compile, the plain does.
    texts = fastscan.gate_texts("(?i)ab|cd")
    assert len(texts) == 2
    with pytest.raises(re.error):
        re.compile(texts[0])
    _same(store.get("gated", "(?i)ab|cd", 0, fastscan.gate_texts), re.compile("(?i)ab|cd"))
    for s in (PatternStore(tmp_path / "p2.bin"), PatternStore(None)):
        with pytest.raises(re.error):
            s.get("re", "(unclosed", 0)


def test_what_an_earlier_version_of_the_rewriting_code_stored_is_not_served(tmp_path):
    # fastscan rewrites patterns (a gate, a presence test) before they are compiled: a store
    # written by other rewriting code must not serve its rewritings to this code.
    import importlib.util
    import os

    source = tmp_path / "rewriter.py"
    source.write_text("def texts(p, f):\n    return ('(?=a)(?:' + p + ')',)\n", encoding="utf-8")
    spec = importlib.util.spec_from_file_location("rewriter_for_test", source)
    module = importlib.util.module_from_spec(spec)
    sys.modules["rewriter_for_test"] = module
    spec.loader.exec_module(module)
    path = tmp_path / "patterns.bin"
    try:
        recache.use(path)
        assert recache.remembered("k", "ab", 0, module.texts).pattern == "(?=a)(?:ab)"
        recache.store().save()
        recache.use(path)
        recache.remembered("k", "ab", 0, module.texts)
        assert recache.store().compiled == 0  # the same code: served from the file
        os.utime(source, ns=(1, 1))  # the rewriting code changed (another file's time)
        recache._REWRITERS.clear()  # as a new process starts
        recache.use(path)
        recache.remembered("k", "ab", 0, module.texts)
        assert recache.store().compiled == 1  # compiled again, not served
    finally:
        sys.modules.pop("rewriter_for_test", None)
        recache._REWRITERS.pop("rewriter_for_test", None)
        recache.use(None)
