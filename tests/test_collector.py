"""The command's collector thresholds: a larger young generation, the older ones untouched."""

from __future__ import annotations

import gc

from summarizer import collector


def test_tune_raises_the_young_threshold_only() -> None:
    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        collector.tune()
        assert gc.get_threshold() == (collector.YOUNG, 10, 10)
    finally:
        gc.set_threshold(*before)
