"""Read an HTML brief back: its links, and the report text each link's target holds.

Shared by the HTML tests and bench/briefs.py; the browser test checks the same in Chromium.
"""

from __future__ import annotations

from html.parser import HTMLParser

from summarizer.grounding import normalize


class Page(HTMLParser):
    """Links (data-k, data-quote), the text of every piece of each target, scripts, removals."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, str]] = []
        self.targets: dict[str, list[str]] = {}
        self.removed: list[str] = []  # text inside <del class="removed">
        self.scripts = 0
        self.text = ""  # the report text as shown
        self._open: list[tuple[str | None, bool]] = []
        self._depth = 0  # inside #text
        self.feed(page)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.scripts += tag == "script"
        if tag == "a" and a.get("data-k"):
            self.links.append((a["data-k"] or "", a.get("data-quote") or ""))
        if a.get("id") == "text":
            self._depth = 1
        elif self._depth:
            self._depth += 1
        key = a.get("data-k") if self._depth > 1 else None
        self._open.append((key, self._depth > 1 and "removed" in (a.get("class") or "")))

    def handle_endtag(self, tag: str) -> None:
        self._open.pop()
        if self._depth:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if not self._depth:
            return
        self.text += data
        for key in {k for k, _ in self._open if k}:
            self.targets.setdefault(key, []).append(data)
        if any(r for _, r in self._open):
            self.removed.append(data)

    def target_text(self, key: str) -> str:
        return "".join(self.targets.get(key, []))

    def bad_links(self) -> list[tuple[str, str]]:
        """Links whose target text is not their quote under normalisation N."""
        return [(k, q) for k, q in self.links if normalize(self.target_text(k)) != normalize(q)]
