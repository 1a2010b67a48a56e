"""The built report in a real browser: Debian's Chromium driven by selenium (system chromedriver).

The session builds the report once, from cold, as ``make report`` does (``runner.run`` with the default
parameters, the reports root a folder of the session's own: tests/conftest.py), opens every page from
disk (no server), and checks what a reviewer
sees: every claim row with the scorecard's badge, filters that work, every
internal link and image resolving, no console errors, no traceback text.  It
saves full-page screenshots to ``reports/screenshots/``.

Nothing is downloaded: the browser and driver are the system's (apt packages
``chromium`` and ``chromium-driver``; ``.ci/run`` installs them).  Without them
the tests skip, except in CI (``CI=true``), where a missing browser fails.
"""
import base64
import functools
import json
import os
import pkgutil
import shutil
import struct
import subprocess
import tempfile
from pathlib import Path
from urllib.parse import unquote, urlparse
from urllib.request import url2pathname

import pandas as pd
import pytest

from analysis import paths

os.environ.setdefault("SE_OFFLINE", "true")  # selenium-manager must never try to download a driver

BROWSERS = ("chromium", "chromium-browser")
DRIVER = "chromedriver"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", "--window-size=1400,1000")
SCREENSHOTS = paths.REPORTS / "screenshots"


def _system_browser():
    browser = next((shutil.which(b) for b in BROWSERS if shutil.which(b)), None)
    driver = shutil.which(DRIVER)
    if browser and driver:
        return browser, driver
    missing = " and ".join(n for n, found in (("chromium", browser), ("chromedriver", driver)) if not found)
    message = (f"{missing} not found: install Debian's `chromium` and `chromium-driver` "
               f"(`apt-get install -y chromium chromium-driver`; .ci/run does this)")
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def driver():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser, chromedriver = _system_browser()
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    profile = tempfile.mkdtemp(prefix="claim-audit-chromium-")
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    drv = webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
    drv.set_page_load_timeout(60)
    yield drv
    drv.quit()
    shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="session")
def report(published_report):
    """The published report, built as `make report` builds it (default parameters) into <reports>/<slug>/,
    from cold, once per session (tests/conftest.py); its landing page is <reports>/index.html."""
    return published_report


@pytest.fixture(scope="session")
def card(report):
    return pd.read_csv(report / "scorecard.csv", keep_default_na=False)


def _pages(report):
    return sorted(report.glob("*.html"))


def _console(driver):
    """Console errors (level SEVERE) logged since the last call."""
    return [m["message"] for m in driver.get_log("browser") if m["level"] == "SEVERE"]


def _open(driver, page):
    """Load ``page`` from disk; it must load without console errors."""
    _console(driver)  # forget what earlier pages logged
    driver.get(page.resolve().as_uri())
    assert not _console(driver), page.name


def _visit(driver, page):
    """Load ``page``; return its console errors, ids, links and images as the browser sees them, and whether
    its text holds a traceback."""
    _console(driver)
    driver.get(page.resolve().as_uri())
    errors = _console(driver)
    seen = driver.execute_script("""
        return {
          ids: Array.from(document.querySelectorAll('[id],a[name]')).map(e => e.id || e.getAttribute('name')),
          links: Array.from(document.querySelectorAll('a[href]')).map(a => a.href),
          images: Array.from(document.images).map(i => ({src: i.src.slice(0, 60), ok: i.complete && i.naturalWidth > 0,
                                                        alt: i.getAttribute('alt')})),
          traceback: document.documentElement.textContent.includes('Traceback'),  // not the page's text (MBs)
        };""")
    return errors, seen


@functools.lru_cache(maxsize=1)
def _is_displayed_atom() -> str:
    """The script selenium's ``WebElement.is_displayed()`` runs in the page for one element (its
    ``isDisplayed`` atom, shipped with selenium)."""
    return pkgutil.get_data("selenium.webdriver.remote", "isDisplayed.js").decode("utf-8")


def _displayed(driver, elements) -> list:
    """``[e.is_displayed() for e in elements]``, asked in one script: the same atom applied to each element,
    rather than one WebDriver round trip (and one copy of the atom compiled in the page) per element."""
    return driver.execute_script(f"var isDisplayed = ({_is_displayed_atom()});"
                                 " return arguments[0].map(function (e) { return isDisplayed(e); });", list(elements))


def _screenshot(driver, name) -> Path:
    """A full-page PNG of the current page (Chromium's DevTools capture beyond the viewport).  The PNG is
    encoded for speed rather than size: the same pixels (checked on the index, sources and article pages),
    a file about a quarter larger, half the browser's CPU of the capture."""
    size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True, "optimizeForSpeed": True,
        "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}})
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    path.write_bytes(base64.b64decode(shot["data"]))
    return path


def _png_size(path):
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", head[16:24])


def test_every_claim_row_is_shown_with_the_scorecard_badge(driver, report, card):
    _open(driver, report / "index.html")
    shown = driver.execute_script("""
        return Array.from(document.querySelectorAll('tbody tr.claim-row')).map(r => [
          r.id, r.querySelector('.badge .label').textContent, r.querySelector('.badge').getAttribute('data-verdict'),
          getComputedStyle(r.querySelector('.badge')).backgroundColor, r.querySelector('.quote').textContent]);""")
    assert [s[0] for s in shown] == card["claim_id"].tolist()
    assert [s[1] for s in shown] == card["verdict"].tolist()
    assert [s[2] for s in shown] == card["verdict"].tolist()
    assert [s[4] for s in shown] == card["quote"].tolist()
    # Okabe–Ito colours: "supported" is bluish green, "supported with caveats" sky blue
    colours = {s[1]: s[3] for s in shown}
    assert colours["supported"] == "rgb(0, 158, 115)"
    assert colours["supported with caveats"] == "rgb(86, 180, 233)"
    _screenshot(driver, "index")


def test_filters_by_verdict_and_theme_work_without_a_server(driver, report, card):
    _open(driver, report / "index.html")

    def visible():
        return driver.execute_script("""return Array.from(document.querySelectorAll('tbody tr.claim-row'))
            .filter(r => r.offsetParent !== null).map(r => r.id);""")

    assert visible() == card["claim_id"].tolist()
    for box in driver.find_elements("css selector", "#filters input[name=verdict]"):
        if box.get_attribute("value") != "supported":
            box.click()
    assert visible() == card[card["verdict"] == "supported"]["claim_id"].tolist()
    assert driver.find_element("id", "shown").text == str((card["verdict"] == "supported").sum())
    driver.find_element("id", "show-all").click()
    assert visible() == card["claim_id"].tolist()
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element("css selector", "#filters select[name=theme]")).select_by_value("events")
    assert visible() == card[card["theme"] == "events"]["claim_id"].tolist()
    _screenshot(driver, "index-filtered-events")
    assert not _console(driver)


def test_every_page_loads_clean_with_links_and_images_that_resolve(driver, report, card):
    pages = _pages(report)
    assert {"index.html", "sources.html", "01_rd_spending.html"} <= {p.name for p in pages}
    ids, links, problems = {}, [], []
    for page in pages:
        errors, seen = _visit(driver, page)
        problems += [f"{page.name}: console: {e}" for e in errors]
        if seen["traceback"]:
            problems.append(f"{page.name}: traceback text on the page")
        problems += [f"{page.name}: image {i['src']}… did not load" for i in seen["images"] if not i["ok"]]
        problems += [f"{page.name}: image {i['src']}… has no alt text" for i in seen["images"] if not i["alt"]]
        ids[page.resolve()] = set(seen["ids"])
        links += [(page.name, href) for href in seen["links"]]
        _screenshot(driver, page.stem)
    internal = [(name, href) for name, href in links if urlparse(href).scheme == "file"]
    audited = card[card["notebook"] != ""]
    for claim_id, notebook in zip(audited["claim_id"], audited["notebook"]):  # scorecard → notebook section
        assert ("index.html", (report / f"{notebook}.html").resolve().as_uri() + f"#claim-{claim_id}") in internal
    for name, href in internal:
        url = urlparse(href)
        target = Path(url2pathname(url.path)).resolve()
        if not target.is_file():
            problems.append(f"{name}: link to missing file {target.name}")
        elif url.fragment and target.suffix == ".html" and not {url.fragment, unquote(url.fragment)} & ids.get(target, set()):
            problems.append(f"{name}: link to missing anchor {target.name}#{unquote(url.fragment)}")
    assert not problems, "\n".join(problems)


def test_notebook_page_opens_with_claims_and_verdicts_and_hides_code_until_asked(driver, report, card):
    _open(driver, report / "01_rd_spending.html")
    header = driver.find_element("id", "audit-header").text
    for label in ("Built", "Git commit", "Parameters used", "Data vintages", "Scoreboard edition",
                  "EU Industrial R&D Investment Scoreboard, 2019 edition"):
        assert label in header
    mine = card[card["notebook"] == "01_rd_spending"]
    for _, row in mine.iterrows():
        badge = driver.find_element("css selector", f"#summary-{row['claim_id']} .badge .label")
        assert badge.text == row["verdict"]
        assert driver.find_elements("id", f"claim-{row['claim_id']}")
    code = driver.find_elements("css selector", ".jp-CodeCell .jp-Cell-inputWrapper")
    assert code and not any(_displayed(driver, code))
    figures = driver.find_elements("css selector", ".jp-RenderedImage img")
    assert figures and all(_displayed(driver, figures)) and all(len(f.get_attribute("alt")) > 40 for f in figures)
    driver.find_element("id", "codetoggle").click()
    assert all(_displayed(driver, code))
    assert driver.find_element("id", "codetoggle").text == "Hide code"
    _screenshot(driver, "01_rd_spending-code-shown")
    driver.find_element("id", "codetoggle").click()
    assert not any(_displayed(driver, code))


def test_markup_in_data_is_shown_as_text(driver, tmp_path):
    """A site built from data whose fields hold markup shows it as text and runs none of it."""
    from analysis.claims.ledger import load_ledger
    from analysis.claims.verdicts import Assessment, Source, Verdict
    from analysis.report import site
    from analysis.report.scorecard import build_scorecard

    markup = "<script>alert(1)</script><b>bold</b>"
    ledger = load_ledger()
    a = Assessment(claim_id="rd-top-five-2018", verdict=Verdict.SUPPORTED, measured_value=5, stated_value=5,
                   unit="rank", rule="r", reason=f"Reason {markup}", vintage="v",
                   sources=[Source(f"label {markup}", "http://example.invalid", "")])
    table = build_scorecard(ledger, [a])
    table.loc[table["claim_id"] == "rd-top-five-2018", "quote"] = f"quote {markup}"
    site.build_site(tmp_path, ledger, table, [a], info=site.BuildInfo("2026-01-01T00:00:00Z", "0" * 40))
    _open(driver, tmp_path / "index.html")
    row = driver.find_element("id", "rd-top-five-2018")
    assert f"quote {markup}" in row.text and f"Reason {markup}" in row.text and f"label {markup}" in row.text
    assert not row.find_elements("css selector", "script, b")
    assert driver.execute_script("return document.scripts.length") == 1
    from selenium.common.exceptions import NoAlertPresentException

    with pytest.raises(NoAlertPresentException):
        driver.switch_to.alert.text
    assert not _console(driver)


def test_screenshots_are_full_pages(driver, report):
    """Run after the page tests: every page has a screenshot of the whole page (at least as tall as a
    screen, or as the page when it is shorter)."""
    for page in _pages(report):
        shot = SCREENSHOTS / f"{page.stem}.png"
        _open(driver, page)
        if not shot.exists():
            _screenshot(driver, page.stem)
        tall = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]["height"]
        width, height = _png_size(shot)
        assert width >= 1000 and height >= min(1000, int(tall)), (shot.name, width, height)


def _until(driver, condition, seconds=10):
    """Wait for ``condition(driver)`` (events such as hashchange run after the action returns)."""
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(driver, seconds).until(condition)


def _rgb(colour) -> str:
    """``#rrggbb`` as the browser reports it."""
    return "rgb({}, {}, {})".format(*(int(colour[i:i + 2], 16) for i in (1, 3, 5)))


def test_annotated_article_marks_every_claim_and_each_mark_opens_its_card(driver, report, card):
    from selenium.webdriver.common.keys import Keys

    from analysis.report.site import badge

    _open(driver, report / "article.html")
    chips = driver.execute_script("""return Array.from(document.querySelectorAll('a.chip')).map(c => [
        c.getAttribute('data-claim'), c.querySelector('.label').textContent, getComputedStyle(c).backgroundColor,
        c.querySelector('.icon').textContent]);""")
    verdicts = dict(zip(card["claim_id"], card["verdict"]))
    assert sorted(c[0] for c in chips) == sorted(verdicts)
    for claim_id, label, colour, icon in chips:  # colour, icon and written label: the scorecard's badge
        assert (label, colour, icon) == (verdicts[claim_id], _rgb(badge(label)["colour"]), badge(label)["icon"])
    cards = driver.find_elements("css selector", ".cards .card")
    assert len(cards) == len(card) and not any(_displayed(driver, cards))
    sections = dict(zip(card["claim_id"], card["notebook"]))
    for claim_id in card["claim_id"]:  # by keyboard: each mark is a link, Enter opens its card
        driver.find_element("id", f"chip-{claim_id}").send_keys(Keys.ENTER)
        _until(driver, lambda d: d.find_element("id", f"card-{claim_id}").is_displayed())  # hashchange is async
        shown = [c for c, displayed in zip(cards, _displayed(driver, cards)) if displayed]
        assert [c.get_attribute("id") for c in shown] == [f"card-{claim_id}"]
        assert driver.switch_to.active_element.get_attribute("id") == f"card-{claim_id}"
        opened = driver.find_element("id", f"card-{claim_id}")
        assert opened.find_element("css selector", ".badge .label").text == verdicts[claim_id]
        text = opened.text  # one WebDriver call (the page does not change while the labels are looked for)
        for label in ("Stated", "Measured", "Robustness"):
            assert label in text
        if sections[claim_id]:
            link = opened.find_element("link text", "Notebook section")
            assert link.get_attribute("href").endswith(f"{sections[claim_id]}.html#claim-{claim_id}")
    first = card["claim_id"].iloc[0]
    driver.find_element("css selector", f'mark.hl[data-claims~="{first}"]').click()  # a highlight opens it too
    _until(driver, lambda d: d.find_element("id", f"card-{first}").is_displayed())
    _screenshot(driver, "article-annotated")
    assert not _console(driver)



def test_annotated_article_at_phone_width(driver, report, card):
    driver.set_window_size(390, 844)
    try:
        _open(driver, report / "article.html")
        first = card["claim_id"].iloc[0]
        driver.find_element("id", f"chip-{first}").click()
        _until(driver, lambda d: d.find_element("id", f"card-{first}").is_displayed())
        assert driver.execute_script("return document.documentElement.scrollWidth <= document.documentElement.clientWidth")
        _screenshot(driver, "article-annotated-390px")
    finally:
        driver.set_window_size(1400, 1000)


def test_on_a_phone_no_page_scrolls_sideways_and_the_scorecard_is_one_card_per_claim(driver, report, card):
    driver.set_window_size(390, 844)
    try:
        wide = []
        for page in [*_pages(report), report.parent / "index.html"]:
            _open(driver, page)
            width = driver.execute_script("return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            if width[0] > width[1]:
                wide.append(f"{page.name}: {width[0]} px wide in a {width[1]} px window")
        assert not wide, "\n".join(wide)
        _open(driver, report / "index.html")
        rows = driver.execute_script("""return Array.from(document.querySelectorAll('tr.claim-row')).map(r => [
            r.id, getComputedStyle(r).display, r.getBoundingClientRect().right <= document.documentElement.clientWidth,
            getComputedStyle(r.querySelector('td.verdict'), '::before').content]);""")
        assert [r[0] for r in rows] == card["claim_id"].tolist()
        assert all(r[1] == "block" and r[2] and r[3] == '"Verdict: "' for r in rows)  # a card, its cells named
        _screenshot(driver, "index-390px")
    finally:
        driver.set_window_size(1400, 1000)


def test_each_reviewed_claim_has_one_claimreview_block_on_its_card(driver, report, card):
    _open(driver, report / "article.html")
    blocks = driver.execute_script("""return Array.from(document.querySelectorAll('script[type="application/ld+json"]'))
        .map(s => [s.closest('section.card') ? s.closest('section.card').id : null, JSON.parse(s.textContent)]);""")
    from analysis.report.claimreview import UNREVIEWED

    reviewed = card[~card["verdict"].isin(UNREVIEWED)]["claim_id"].tolist()
    assert [b[0] for b in blocks] == [f"card-{c}" for c in reviewed]
    for (anchor, review), claim_id in zip(blocks, reviewed):
        assert review["@type"] == "ClaimReview" and review["identifier"] == claim_id
        assert review["url"] == f"article.html#{anchor}"
    exported = json.loads((report / "claimreview.jsonld").read_text(encoding="utf-8"))["@graph"]
    assert [{k: v for k, v in b[1].items() if k != "@context"} for b in blocks] == exported


def test_sources_page_shows_every_cited_row_without_the_raw_files(driver, report):
    """Every row a verdict cites is shown, from the raw file or, in a checkout without it, from the
    committed table of cited rows (data/cited_rows.csv)."""
    _open(driver, report / "sources.html")
    sections = driver.execute_script("""return Array.from(document.querySelectorAll('section.cited[id]')).map(s => [
        s.id, s.querySelector('table.row, blockquote, p strong') !== null, s.textContent.includes('The row is not shown')]);""")
    assert sections and all(shown and not missing for _, shown, missing in sections), sections
    ids = driver.execute_script("return Array.from(document.querySelectorAll('[id]')).map(e => e.id)")
    assert len(ids) == len(set(ids)), "duplicate ids"


# --- standards: axe-core (WCAG 2.1 A and AA) and html-validate, from node_modules (`make node`) ---------

NODE_MODULES = paths.ROOT / "node_modules"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
HTML_VALIDATE = NODE_MODULES / ".bin" / "html-validate"
#: axe-core's tags for the WCAG 2.0 and 2.1 success criteria of levels A and AA.
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _node_tool(path) -> Path:
    """A checker installed from npm (package-lock.json); skip without it, except in CI."""
    if path.is_file():
        return path
    message = f"{path.relative_to(paths.ROOT)} not found: run `make node` (npm ci from package-lock.json)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def _every_page(report):
    return [*_pages(report), report.parent / "index.html"]


def _axe(driver, source) -> list:
    """axe-core's WCAG 2.1 A/AA violations on the loaded page: ``[(rule, nodes, first targets)]``."""
    driver.set_script_timeout(120)
    driver.execute_script(source)
    return driver.execute_async_script("""var done = arguments[arguments.length - 1];
        axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
          .then(r => done(r.violations.map(v => [v.id, v.nodes.length, v.nodes.slice(0, 3).map(n => n.target.join(' '))])))
          .catch(e => done([['axe-error', 0, [String(e)]]]));""", WCAG)


def test_axe_finds_no_wcag_violation_on_any_page(driver, report, tmp_path):
    source = _node_tool(AXE).read_text(encoding="utf-8")
    bad = tmp_path / "bad.html"  # the check can fail: a page made here with two known violations
    bad.write_text('<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main>'
                   '<img src="x.png"><input type="text"></main></body></html>', encoding="utf-8")
    driver.get(bad.as_uri())
    assert {"image-alt", "label"} <= {v[0] for v in _axe(driver, source)}
    problems = []
    for page in _every_page(report):
        _open(driver, page)
        problems += [f"{page.name}: {rule} on {n} element(s), e.g. {targets}" for rule, n, targets in _axe(driver, source)]
    assert not problems, "\n".join(problems)


def _html_validate(files) -> list:
    tool = _node_tool(HTML_VALIDATE)
    done = subprocess.run([str(tool), "--config", str(paths.ROOT / ".htmlvalidate.json"), "--formatter", "json",
                           *map(str, files)], capture_output=True, text=True, cwd=paths.ROOT, timeout=300)
    assert done.returncode in (0, 1), done.stderr
    return [f"{Path(r['filePath']).name}:{m['line']}:{m['column']}: {m['message']} ({m['ruleId']})"
            for r in json.loads(done.stdout or "[]") for m in r["messages"] if m["severity"] == 2]


def test_html_validate_finds_no_error_on_any_page(report, tmp_path):
    bad = tmp_path / "bad.html"  # the check can fail: a duplicate id is an error
    bad.write_text('<!DOCTYPE html><html lang="en"><head><title>t</title></head><body><main>'
                   '<p id="a">x</p><p id="a">y</p></main></body></html>', encoding="utf-8")
    found = _html_validate([bad, *_every_page(report)])  # one start of the checker (node) for both
    assert any(e.startswith("bad.html:") and "(no-dup-id)" in e for e in found)
    errors = [e for e in found if not e.startswith("bad.html:")]
    assert not errors, "\n".join(errors)


@pytest.fixture(scope="session")
def second_report(fixture_article_report):
    """The test article's report (a fixture article, tests/fixtures/articles/rd-and-population-fixture),
    built into a folder of its own (the session's cold build of it, tests/conftest.py)."""
    return fixture_article_report


def test_another_articles_pages_work_too(driver, second_report):
    """The annotated article and the standards hold for an article no code knows (the test article)."""
    from selenium.webdriver.common.keys import Keys

    card = pd.read_csv(second_report / "scorecard.csv", keep_default_na=False)
    _open(driver, second_report / "article.html")
    assert sorted(c.get_attribute("data-claim") for c in driver.find_elements("css selector", "a.chip")) == sorted(
        card["claim_id"])
    for claim_id in card["claim_id"]:
        driver.find_element("id", f"chip-{claim_id}").send_keys(Keys.ENTER)
        _until(driver, lambda d: d.find_element("id", f"card-{claim_id}").is_displayed())
    source = _node_tool(AXE).read_text(encoding="utf-8")
    problems = []
    driver.set_window_size(390, 844)
    try:
        for page in _pages(second_report):
            _open(driver, page)
            width = driver.execute_script("return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            if width[0] > width[1]:
                problems.append(f"{page.name}: {width[0]} px wide in a {width[1]} px window")
            problems += [f"{page.name}: {rule} on {n} element(s), e.g. {t}" for rule, n, t in _axe(driver, source)]
    finally:
        driver.set_window_size(1400, 1000)
    problems += _html_validate(_pages(second_report))
    assert not problems, "\n".join(problems)
