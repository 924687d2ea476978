"""classcache: the package's dataclass methods served from the store are the methods dataclasses
compiles; other modules' classes never go through it; a file that does not fit only costs the
compile."""

from __future__ import annotations

import dataclasses
import marshal
import sys
import types

import pytest

from summarizer import classcache
from summarizer.classcache import CodeStore

CLASSES = """
from __future__ import annotations
from dataclasses import dataclass, field

@dataclass(frozen=True)
class Span:
    start: int
    end: int = 0
    label: str = "x"
    tags: tuple[str, ...] = field(default_factory=tuple)

@dataclass
class Meter:
    calls: int = 0
    notes: list[str] = field(default_factory=list)
"""


@pytest.fixture(autouse=True)
def _no_store_after():
    yield
    classcache.use(None)  # as conftest left it: the tests' process keeps no file


def _define(module_name: str) -> types.ModuleType:
    """CLASSES defined in a fresh module of this name (dataclasses reads its globals)."""
    module = types.ModuleType(module_name)
    sys.modules[module_name] = module
    try:
        exec(compile(CLASSES, f"<{module_name}>", "exec"), module.__dict__)
    finally:
        del sys.modules[module_name]
    return module


def _behaviour(m: types.ModuleType) -> list[object]:
    a, b = m.Span(1, 2, tags=("t",)), m.Span(1, 2, tags=("t",))
    meter = m.Meter()
    meter.calls += 1
    meter.notes.append("n")
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.start = 5
    return [
        repr(a),
        a == b,
        hash(a) == hash(b),
        a != m.Span(3),
        repr(meter),
        m.Meter() == m.Meter(),
    ]


def test_a_second_process_serves_the_same_methods_compiled_once(tmp_path):
    path = tmp_path / "classes.bin"
    first = classcache.use(path)
    made = _behaviour(_define("summarizer._cc_first"))
    assert first.compiled >= 8, "init, repr, eq, hash, setattr, delattr; init, repr, eq"
    first.save()

    second = classcache.use(path)  # a new run reads the file
    served = _define("summarizer._cc_second")
    assert second.compiled == 0, "nothing compiled again"
    assert _behaviour(served) == made
    assert made == [
        "Span(start=1, end=2, label='x', tags=('t',))",
        True,
        True,
        True,
        "Meter(calls=1, notes=['n'])",
        True,
    ]


def test_classes_of_other_modules_pass_straight_through(tmp_path):
    store = classcache.use(tmp_path / "classes.bin")
    _behaviour(_define("elsewhere_cc"))
    assert store.compiled == 0 and not store.codes


def test_a_damaged_or_foreign_file_is_ignored(tmp_path):
    path = tmp_path / "classes.bin"
    store = classcache.use(path)
    _define("summarizer._cc_a")
    store.save()
    path.write_bytes(path.read_bytes()[:-20])  # torn
    assert CodeStore(path).codes == {}
    stamp, codes = marshal.loads(marshal.dumps((("other", "interpreter"), {"x": 1})))
    path.write_bytes(marshal.dumps((stamp, codes)))
    assert CodeStore(path).codes == {}
    path.write_bytes(
        marshal.dumps((classcache._STAMP, {"text": "not code", 3: compile("1", "", "eval")}))
    )
    assert CodeStore(path).codes == {}
    again = classcache.use(path)
    assert (
        _behaviour(_define("summarizer._cc_b"))[0] == "Span(start=1, end=2, label='x', tags=('t',))"
    )
    assert again.compiled > 0


def test_an_unwritable_cache_costs_only_the_compile(tmp_path):
    (tmp_path / "file").write_text("a file where the cache folder would be")
    store = classcache.use(tmp_path / "file" / "classes.bin")
    _behaviour(_define("summarizer._cc_c"))
    store.save()  # no error
    assert not (tmp_path / "file").is_dir()


def test_the_package_is_installed_between_dataclasses_and_exec():
    assert dataclasses.exec is classcache._exec_through_store  # type: ignore[attr-defined]
