"""cachedir.user_cache: the user cache folder, read on Linux without importing platformdirs,
and the very folder platformdirs names."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from platformdirs import user_cache_dir

from summarizer.cachedir import KEPT_PER_FAMILY, derived, keep, user_cache

linux = pytest.mark.skipif(sys.platform != "linux", reason="the Linux reading of XDG")


@linux
@pytest.mark.parametrize(
    ("xdg", "home"),
    [
        (None, "/home/ana"),
        ("/var/tmp/cache", "/home/ana"),
        ("/var/tmp/cache/", "/home/ana/"),
        ("relative/cache", "/home/ana"),  # not absolute: ignored, as the XDG spec says
        ("", "/home/ana"),
        (None, "/"),
    ],
)
def test_the_user_cache_is_the_folder_platformdirs_names(monkeypatch, xdg, home):
    if xdg is None:
        monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CACHE_HOME", xdg)
    monkeypatch.setenv("HOME", home)
    assert user_cache() == Path(user_cache_dir("summarizer"))
    assert user_cache("patterns.bin") == Path(user_cache_dir("summarizer"), "patterns.bin")


@linux
def test_a_home_it_cannot_read_is_left_to_platformdirs(monkeypatch):
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", "not/absolute")
    assert user_cache("x") == Path(user_cache_dir("summarizer"), "x")


# ---------------------------------------------------------------- derived


def _counting(value):
    calls = []

    def build():
        calls.append(1)
        return value

    return build, calls


def test_derived_data_is_built_once_then_read_back(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    source = tmp_path / "table.toml"
    source.write_text("x = 1\n", encoding="utf-8")
    value = {"indicator": [{"id": "gdp", "names": ["地区生产总值"], "share": 0.5}], "n": 3}
    build, calls = _counting(value)
    assert derived("t", source, build) == value
    assert derived("t", source, build) == value
    assert calls == [1], "the second run read the copy"
    source.write_text("x = 22\n", encoding="utf-8")  # another source: built again
    assert derived("t", source, build) == value and calls == [1, 1]


def test_a_damaged_or_foreign_copy_is_never_served(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    source = tmp_path / "table.toml"
    source.write_text("x = 1\n", encoding="utf-8")
    build, calls = _counting({"a": 1})
    derived("t", source, build)
    (copy,) = (tmp_path / "cache" / "summarizer").iterdir()
    copy.write_bytes(copy.read_bytes()[:-3])  # torn
    assert derived("t", source, build) == {"a": 1} and len(calls) == 2
    other, _ = _counting({"b": 2})
    assert derived("u", source, other) == {"b": 2}, "another kind is another copy"
    assert derived("t", source, build) == {"a": 1}


def test_data_marshal_cannot_keep_and_an_unwritable_cache_cost_only_the_build(
    monkeypatch, tmp_path
):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    source = tmp_path / "table.toml"
    source.write_text("x = 1\n", encoding="utf-8")
    odd = {"when": object()}
    build, calls = _counting(odd)
    assert derived("t", source, build) is odd and derived("t", source, build) is odd
    assert len(calls) == 2 and not list((tmp_path / "cache").rglob("*.marshal"))
    (tmp_path / "ro").write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "ro"))
    build, calls = _counting([1, 2])
    assert derived("t", source, build) == [1, 2] == derived("t", source, build)
    assert derived("t", tmp_path / "missing.toml", build) == [1, 2]


def test_copies_made_from_other_versions_of_a_file_do_not_pile_up(monkeypatch, tmp_path):
    # Each upgrade of the package brings new data files, each cached under its own stamp.
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    folder = tmp_path / "cache" / "summarizer"
    source = tmp_path / "table.toml"
    other = tmp_path / "other.toml"
    other.write_text("y = 1\n", encoding="utf-8")
    derived("other", other, lambda: {"o": 1})  # another family: untouched
    for version in range(6):
        source.write_text("x = 1\n" + "#" * version, encoding="utf-8")  # another size
        assert derived("t", source, lambda version=version: {"v": version}) == {"v": version}
    kept = sorted(p.name for p in folder.glob("t-*.marshal"))
    assert len(kept) == KEPT_PER_FAMILY
    assert derived("t", source, lambda: {"v": "rebuilt"}) == {"v": 5}, "the newest is served"
    assert len(list(folder.glob("other-*.marshal"))) == 1
    # The copy a run uses survives others written after it (two installs side by side: the
    # one written first, and used since, is not the one pruned).
    first = tmp_path / "first.toml"
    first.write_text("z = 0\n", encoding="utf-8")
    derived("f", first, lambda: {"first": 1})
    (mine,) = folder.glob("f-*.marshal")
    os.utime(mine, (1, 1))  # written long ago
    for version in (1, 2):
        source.write_text("#" * version, encoding="utf-8")
        derived("f", source, lambda version=version: {"v": version})
    assert derived("f", first, lambda: {"first": "rebuilt"}) == {"first": 1}  # used now
    source.write_text("#" * 3, encoding="utf-8")
    derived("f", source, lambda: {"v": 3})  # the one used longest ago, version 1's, makes way
    assert mine.exists() and len(list(folder.glob("f-*.marshal"))) == KEPT_PER_FAMILY
    assert derived("f", first, lambda: {"first": "rebuilt"}) == {"first": 1}


def test_keep_writes_whole_files_and_fails_quietly_leaving_no_temp_file(tmp_path):
    target = tmp_path / "cache" / "x.bin"
    keep(target, b"one")
    keep(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["x.bin"]
    blocked = tmp_path / "file"
    blocked.write_bytes(b"")
    keep(blocked / "x.bin", b"data")  # its folder is a file: nothing written, nothing raised
    assert blocked.read_bytes() == b""
