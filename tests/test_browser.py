"""The HTML brief in a real browser: headless Chromium (Debian's chromium + chromium-driver).

The page of a sample report is opened from a file:// URL; clicking a figure must highlight
its quote in the report text and bring it into view, a flagged figure must show its reason,
the filters must work, and the console must stay clean. `.ci/run` installs the browser, so
this runs in CI; it is skipped only where Chromium is not installed.
With --update-briefs it also rewrites the README's screenshot (docs/brief-html.png).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REPORTS, ROOT, SAMPLES

from summarizer.cli import main
from summarizer.grounding import normalize
from summarizer.ingest import read_report
from summarizer.models import read_summary
from summarizer.pipeline import check_summary
from summarizer.render_html import render_html

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
SCREENSHOT = ROOT / "docs" / "brief-html.png"

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed")
pytestmark = pytest.mark.skipif(
    not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()),
    reason="Chromium is not installed (apt-get install chromium chromium-driver; .ci/run does)",
)

# Flags that work as root in a container, with nothing reaching the network.
FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)

# What the page's own script highlights after a click: every piece of the target.
LIT = "return Array.from(document.querySelectorAll('#text .hl'))"
IN_VIEW = """
const el = document.querySelector('#text .hl');
const r = el.getBoundingClientRect(), pane = el.closest('.source').getBoundingClientRect();
return r.top >= Math.max(0, pane.top) && r.bottom <= Math.min(innerHeight, pane.bottom);
"""
LINKS = """
return Array.from(document.querySelectorAll('a[data-k]')).map(a => [
  a.dataset.quote,
  Array.from(document.querySelectorAll('#text [data-k="' + a.dataset.k + '"]'))
    .map(e => e.textContent).join('')]);
"""


@pytest.fixture(scope="module")
def page(tmp_path_factory) -> Path:
    """The HTML brief of the tampered sample (spam marked), with one figure made wrong."""
    report = REPORTS / "zhenglu-2020.txt"
    folder = tmp_path_factory.mktemp("html")
    _replayed(report.name, "json", folder / "s.json")
    summary = read_summary((folder / "s.json").read_text(encoding="utf-8"))
    summary.achievements[0].metrics[0].value += 1  # a misquoted figure, as a model might give
    checked = check_summary(summary, str(report))
    out = folder / "zhenglu-2020.html"
    out.write_text(render_html(checked, read_report(report).text), encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def browser():
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="summarizer-chromium-")
    for flag in (*FLAGS, f"--user-data-dir={profile}", "--window-size=1280,900"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _replayed(name: str, fmt: str, out: Path) -> None:
    args = ["summarize", str(REPORTS / name), "--engine", "llm", "--replay"]
    args += [str(ROOT / "fixtures" / "cassettes"), "--format", fmt, "-o", str(out)]
    r = CliRunner().invoke(main, args, env={}, catch_exceptions=False)
    assert r.exit_code == 0, r.stderr


def _open(browser, page: Path, width: int = 1280, height: int = 900) -> None:
    browser.get_log("browser")  # drop what earlier pages logged; keep what this one logs
    browser.set_window_size(width, height)
    browser.get(page.as_uri())


def _console_errors(browser) -> list[dict]:
    return [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]


def _click_and_check(browser, link) -> None:
    quote = link.get_attribute("data-quote")
    link.click()
    lit = browser.execute_script(LIT)
    assert lit, "nothing highlighted"
    assert normalize("".join(e.get_attribute("textContent") for e in lit)) == normalize(quote)
    assert browser.execute_script(IN_VIEW), "the highlighted quote is not in view"


def test_clicking_a_figure_highlights_its_quote_in_view(browser, page):
    from selenium.webdriver.common.by import By

    _open(browser, page)
    links = browser.find_elements(By.CSS_SELECTOR, "#targets a.fig:not(.bad)")
    assert len(links) > 5
    # One near the top of the text and one far down it: the text pane must scroll to each.
    for link in (links[-1], links[0]):
        _click_and_check(browser, link)
    evidence = browser.find_elements(By.CSS_SELECTOR, "a.ev")
    _click_and_check(browser, evidence[len(evidence) // 2])
    assert _console_errors(browser) == []


def test_a_flagged_figure_shows_its_reason(browser, page):
    from selenium.webdriver.common.by import By

    _open(browser, page)
    bad = browser.find_element(By.CSS_SELECTOR, "#achievements a.fig.bad")
    reason = bad.find_element(By.XPATH, "following-sibling::span[@class='why'][1]")
    assert reason.is_displayed() and "数值与原文不符" in reason.text
    assert bad.value_of_css_property("color") != browser.find_element(
        By.CSS_SELECTOR, "#achievements a.fig:not(.bad)"
    ).value_of_css_property("color")
    _click_and_check(browser, bad)  # it still leads to the sentence it misquotes
    assert _console_errors(browser) == []


def test_every_link_lands_on_its_quote(browser, page):
    _open(browser, page)
    pairs = browser.execute_script(LINKS)
    assert len(pairs) > 100
    assert [q for q, text in pairs if normalize(text) != normalize(q)] == []


@pytest.mark.parametrize("name", SAMPLES)
def test_each_sample_page_opens_cleanly(browser, name, tmp_path):
    out = tmp_path / name.replace(".txt", ".html")
    _replayed(name, "html", out)
    _open(browser, out)
    pairs = browser.execute_script(LINKS)
    assert len(pairs) > 50
    assert [q for q, text in pairs if normalize(text) != normalize(q)] == []
    assert _console_errors(browser) == []


def test_filters_and_marked_spam(browser, page):
    from selenium.webdriver.common.by import By

    _open(browser, page)
    removed = browser.find_elements(By.CSS_SELECTOR, "#text del.removed")
    assert any("赌场" in e.get_attribute("textContent") for e in removed)
    assert "line-through" in removed[0].value_of_css_property("text-decoration-line")
    ok = browser.find_element(By.CSS_SELECTOR, "#achievements .row:not(.flagged) a.fig")
    bad = browser.find_element(By.CSS_SELECTOR, "#achievements a.fig.bad")
    browser.find_element(By.CSS_SELECTOR, "input[data-filter='only-flagged']").click()
    assert bad.is_displayed() and not ok.is_displayed()
    browser.find_element(By.CSS_SELECTOR, "input[data-filter='only-flagged']").click()
    browser.find_element(By.CSS_SELECTOR, "input[data-filter='only-targets']").click()
    assert not ok.is_displayed()
    assert browser.find_element(By.CSS_SELECTOR, "#targets a.fig").is_displayed()
    plans = browser.find_elements(By.CSS_SELECTOR, "#plans .row")
    assert all(p.is_displayed() == ("target" in p.get_attribute("class")) for p in plans)
    assert _console_errors(browser) == []


def test_readable_at_phone_width(browser, page, request):
    from selenium.webdriver.common.by import By

    _open(browser, page, 390, 844)
    assert browser.execute_script("return document.documentElement.scrollWidth <= innerWidth")
    link = browser.find_elements(By.CSS_SELECTOR, "#targets a.fig")[0]
    quote = link.get_attribute("data-quote")
    link.click()
    lit = browser.execute_script(LIT)
    assert normalize("".join(e.get_attribute("textContent") for e in lit)) == normalize(quote)
    assert browser.execute_script(
        "const r = document.querySelector('#text .hl').getBoundingClientRect();"
        "return r.top >= 0 && r.bottom <= innerHeight"
    )
    back = browser.find_element(By.ID, "back")  # one column: a way back to the brief
    back.click()
    assert browser.execute_script(
        "const r = arguments[0].getBoundingClientRect();"
        "return r.top >= 0 && r.bottom <= innerHeight",
        link,
    )
    assert _console_errors(browser) == []
    if request.config.getoption("--update-briefs"):
        _open(browser, page, 1280, 860)
        browser.find_elements(By.CSS_SELECTOR, "#targets a.fig")[1].click()
        browser.execute_script("document.querySelector('.brief').scrollTop = 0")
        SCREENSHOT.parent.mkdir(exist_ok=True)
        browser.save_screenshot(str(SCREENSHOT))
