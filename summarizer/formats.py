"""One report's output in the format asked for: Markdown (`render`), JSON, or the HTML page
(`render_html`, which builds on `render`'s helpers). A module of its own so that neither
renderer imports the other's user: the dispatch sits above both.
"""

from __future__ import annotations

from .records import ReportSummary, json_bytes
from .render import FORMATS, render_json, render_markdown

__all__ = ["FORMATS", "render", "render_file"]


def render_file(
    summary: ReportSummary, fmt: str, source_text: str | None = None, detail: str = "page"
) -> str | bytes:
    """`render`'s output for a file (manifest.write_atomic): JSON as the UTF-8 bytes the
    serializer makes, never decoded to a str that would be encoded back to write it."""
    if fmt == "json":
        return json_bytes(summary)
    return render(summary, fmt, source_text, detail)


def render(
    summary: ReportSummary, fmt: str, source_text: str | None = None, detail: str = "page"
) -> str:
    """The output of one report in a format of FORMATS (HTML shows `source_text` beside it)."""
    if fmt == "json":
        return render_json(summary)
    if fmt == "html":
        from .render_html import render_html  # jinja2 and the page's assets, only when asked

        return render_html(summary, source_text or "")
    return render_markdown(summary, detail)
