"""The chart of `summarizer track --plot`: targets as bands or bounds, outcomes as a line.

matplotlib is an optional extra (`plot`); it is imported only here, with the Agg backend, so
no display is needed. One panel per place and indicator; a range target is a band, an about
or exact target a short bar, an at-least or at-most target a bar with a triangle pointing the
way it allows, a year stating no target a grey cross at the bottom.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .errors import UsageError
from .lexicon import NATIONAL_ISSUER
from .outputs import write_atomic_with

_CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Zen Hei",
              "WenQuanYi Micro Hei", "SimHei", "Microsoft YaHei", "PingFang SC")  # fmt: skip
# Other installed fonts that may draw Chinese, by the words in their names (each is checked
# for a Chinese glyph: "Kai" is also in Kailasa, a Tibetan font).
_CJK_NAME_WORDS = ("CJK", "Han Sans", "Han Serif", "Hei", "Song", "Ming", "Kai", "Fang")
NO_CJK_FONT = (
    "no Chinese font found: the chart's place and indicator names show as empty boxes "
    "(install one, e.g. fonts-noto-cjk on Debian or Ubuntu)"
)
MAX_PANELS = 24  # beyond this a chart is unreadable; the table has every row


def _pyplot() -> tuple[Any, bool]:
    """pyplot on the Agg backend with a Chinese font first, and whether one was found."""
    try:
        import matplotlib
    except ImportError:
        raise UsageError("--plot needs matplotlib: pip install 'summarizer[plot]'") from None
    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    files = {f.name: f.fname for f in font_manager.fontManager.ttflist}
    cjk = [f for f in _CJK_FONTS if f in files]
    named = (f for f in files.keys() - set(cjk) if any(w in f for w in _CJK_NAME_WORDS))
    cjk += sorted(f for f in named if _draws_chinese(files[f]))
    plt.rcParams["font.sans-serif"] = [*cjk, "DejaVu Sans"]
    plt.rcParams["axes.unicode_minus"] = False
    return plt, bool(cjk)


def _draws_chinese(fname: str) -> bool:
    """Whether the font file has a glyph for 中."""
    from matplotlib.ft2font import FT2Font

    try:
        return bool(FT2Font(fname).get_char_index(ord("中")))
    except (OSError, RuntimeError, ValueError):  # unreadable, or a format FreeType refuses
        return False


def plot_track(rows: Sequence[dict[str, Any]], path: str) -> list[str]:
    """Write the chart of track rows to path (.png or .svg); return what the user should be
    told about it (no Chinese font to draw its names with)."""
    from . import indicators

    suffix = Path(path).suffix.lower()
    if suffix not in (".png", ".svg"):
        raise UsageError(f"--plot {path}: write a .png or .svg file")
    plt, has_cjk = _pyplot()
    from matplotlib.ticker import MaxNLocator

    series: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in rows:
        series.setdefault((r["place"], r["indicator"]), []).append(r)
    keys = sorted(series, key=lambda k: (-len(series[k]), k))[:MAX_PANELS] or [("", "")]
    cols = min(3, len(keys))
    nrows = (len(keys) + cols - 1) // cols
    fig, axes = plt.subplots(nrows, cols, figsize=(5 * cols, 3.2 * nrows), squeeze=False)
    for ax in axes.flat[len(keys) :]:
        ax.set_visible(False)
    for ax, key in zip(axes.flat, keys, strict=False):
        pts = sorted(series.get(key, []), key=lambda r: r["year"])
        for r in pts:
            _draw_target(ax, r)
        done = [(r["year"], r["outcome"]) for r in pts if r["outcome"] is not None]
        if done:
            ax.plot(*zip(*done, strict=True), "o-", color="tab:blue", label="outcome", zorder=3)
        unit = next((r["target_unit"] or r["outcome_unit"] for r in pts), "") or ""
        name = indicators.get(key[1]).label(key[0] == NATIONAL_ISSUER) if key[1] else ""
        ax.set_title(f"{key[0]} · {name}", fontsize=10)
        ax.legend(handles=_legend(), fontsize=7, loc="best")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))  # years, not 1995.5
        ax.set_ylabel(unit)
        ax.grid(alpha=0.3)

    # Laying out and drawing warn once per missing glyph: with no Chinese font, one line
    # (NO_CJK_FONT) says so instead of a flood of matplotlib's warnings.
    def write(tmp: Path) -> None:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fig.tight_layout()
            fig.savefig(tmp, format=suffix[1:], dpi=120)

    try:
        write_atomic_with(Path(path), write)
    finally:
        plt.close(fig)
    return [] if has_cjk else [NO_CJK_FONT]


def _draw_target(ax: Any, r: dict[str, Any]) -> None:
    y, b, lo, hi = r["year"], r["target_bound"], r["target_low"], r["target_high"]
    style = {"color": "tab:orange", "alpha": 0.35}
    if b == "range" and lo is not None and hi is not None:
        ax.fill_between([y - 0.3, y + 0.3], lo, hi, **style, label="target")
    elif b in ("about", "exact") and lo is not None:
        ax.hlines(lo, y - 0.3, y + 0.3, colors="tab:orange", linewidth=3)
    elif b == "at_least" and lo is not None:
        ax.hlines(lo, y - 0.3, y + 0.3, colors="tab:orange", linewidth=3)
        ax.plot([y], [lo], "^", color="tab:orange")
    elif b == "at_most" and hi is not None:
        ax.hlines(hi, y - 0.3, y + 0.3, colors="tab:orange", linewidth=3)
        ax.plot([y], [hi], "v", color="tab:orange")
    elif b == "none":
        ax.plot([y], [0], "x", color="grey")


def _legend() -> list[Any]:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    return [
        Patch(color="tab:orange", alpha=0.35, label="目标区间 target range"),
        Line2D([], [], color="tab:orange", linewidth=3, label="目标 target (▲ 以上, ▼ 以内)"),
        Line2D([], [], color="tab:blue", marker="o", label="实绩 outcome"),
    ]
