"""The built website as readers meet it, in headless Chromium.

Every page of ``_build/html`` is opened at 1280 px (desktop) and at 412 px
(phone) wide. A page fails on: a table printed by a notebook that is not an
HTML ``<table>``; an image that did not load, has no alt text, or is shrunk
so much that its smallest label falls under 9 CSS pixels; maths left as raw
``\\(`` after MathJax ran; a console error; a request to another host;
a code line wider than its cell at 1280 px; a printed output wider than its
box at 1280 px, or aligned output (a Keras summary) wrapped; horizontal
page overflow at 412 px. The search page must find each chapter by a word
of its title.

``make test`` builds the site first. The tests skip, saying why, where no
site is built or no Chromium and chromedriver are installed (Debian's
``chromium`` and ``chromium-driver`` packages; ``.ci/run`` installs them).
"""

import json
import pathlib
import shutil
import time
import urllib.parse

import pytest

from companion import plots

ROOT = pathlib.Path(__file__).resolve().parent.parent
SITE = ROOT / "_build" / "html"
PAGES = sorted((SITE / "book").glob("*.html")) if SITE.exists() else []
NOTEBOOKS = {path.stem: path for path in (ROOT / "book").glob("*.ipynb")}
CHAPTER_PAGES = [page for page in PAGES if page.stem in NOTEBOOKS]

DESKTOP = 1280
PHONE = 412
SMALLEST_LABEL_PIXELS = 9
# A figure pixel is a CSS pixel at the book's figure resolution, so the
# smallest text in a figure is this tall before the page scales it.
SMALLEST_FONT_PIXELS = plots.SMALLEST_FONT * plots.FIGURE_DPI / 72


def _find_browser():
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return browser, driver


def _skip_reason():
    if not PAGES:
        return "no site in _build/html: run `make html` (make test does)"
    browser, driver = _find_browser()
    if not browser or not driver:
        return (
            "no Chromium here: install Debian's chromium and "
            "chromium-driver packages (.ci/run does)"
        )
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (it is in requirements.txt)"
    return None


pytestmark = pytest.mark.skipif(
    _skip_reason() is not None, reason=str(_skip_reason())
)


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    binary, driver_path = _find_browser()
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--allow-file-access-from-files",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(
        service=Service(executable_path=driver_path), options=options
    )
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def _open(driver, page, width):
    driver.set_window_size(width, 1000)
    driver.get_log("browser")  # forget earlier pages' messages
    driver.get(page.as_uri())
    # MathJax typesets after the load event; wait until it is done.
    for _ in range(100):
        done = driver.execute_script(
            "return document.readyState === 'complete' && (!window.MathJax"
            " || !MathJax.startup || !MathJax.startup.promise"
            " || window.__typeset_done === true);"
        )
        if done:
            break
        driver.execute_script(
            "if (window.MathJax && MathJax.startup && MathJax.startup.promise"
            " && !window.__typeset_wait) { window.__typeset_wait = true;"
            " MathJax.startup.promise.then(() => {window.__typeset_done ="
            " true;}); }"
        )
        time.sleep(0.1)


def _open_solutions(driver):
    """Open every hidden solution, so that its code and figures are checked
    like the rest of the page; returns how many were opened."""
    return driver.execute_script(
        "const hidden = [...document.querySelectorAll("
        "'.solution.toggle-hidden .toggle-button')];"
        "hidden.forEach(button => button.click()); return hidden.length;"
    )


def _printed_tables(stem):
    """Number of Markdown tables the notebook's stored outputs print."""
    if stem not in NOTEBOOKS:
        return 0
    notebook = json.loads(NOTEBOOKS[stem].read_text())
    count = 0
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            text = "".join(output.get("data", {}).get("text/markdown", ""))
            if "|---" in text.replace(" ", ""):
                count += 1
    return count


def _printed_text(stem):
    """Whether the notebook's stored outputs print any text."""
    if stem not in NOTEBOOKS:
        return False
    notebook = json.loads(NOTEBOOKS[stem].read_text())
    return any(
        output.get("output_type") == "stream"
        for cell in notebook["cells"]
        for output in cell.get("outputs", [])
    )


def _severe_messages(driver):
    return [
        entry["message"]
        for entry in driver.get_log("browser")
        if entry["level"] == "SEVERE"
    ]


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.stem)
def test_page_on_desktop(browser, page):
    _open(browser, page, DESKTOP)
    assert _severe_messages(browser) == [], "console errors"
    _open_solutions(browser)

    tables = browser.execute_script(
        "return document.querySelectorAll('.cell_output table').length;"
    )
    printed = _printed_tables(page.stem)
    assert tables >= printed, f"{printed} printed tables, {tables} rendered"
    raw = browser.execute_script(
        "return [...document.querySelectorAll('.cell_output p')]"
        ".map(p => p.textContent).filter(t => /^\\s*\\|.*\\|/.test(t));"
    )
    assert raw == [], f"tables shown as text: {raw[:2]}"

    images = browser.execute_script(
        "return [...document.querySelectorAll('main img')].map(i => ({"
        "src: i.getAttribute('src'), alt: i.getAttribute('alt') || '',"
        "loaded: i.complete && i.naturalWidth > 0,"
        "natural: i.naturalWidth, shown: i.getBoundingClientRect().width,"
        "output: !!i.closest('.cell_output')}));"
    )
    for image in images:
        assert image["loaded"], f"image {image['src']} did not load"
        if not image["output"]:
            continue
        alt = image["alt"]
        assert alt and not alt.endswith(".png"), f"{image['src']}: no alt"
        scale = image["shown"] / image["natural"]
        label = SMALLEST_FONT_PIXELS * min(scale, 1.0)
        assert label >= SMALLEST_LABEL_PIXELS, (
            f"{image['src']} is shown at {scale:.0%}: labels {label:.1f} px"
        )

    text = browser.execute_script(
        "return document.querySelector('main').innerText;"
    )
    assert "\\(" not in text and "\\[" not in text, "maths not rendered"
    if "$" in (
        NOTEBOOKS[page.stem].read_text() if page.stem in NOTEBOOKS else ""
    ):
        rendered = browser.execute_script(
            "return document.querySelectorAll('mjx-container').length;"
        )
        assert rendered > 0, "no formula rendered by MathJax"

    hosts = browser.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name);"
    )
    remote = [url for url in hosts if not url.startswith("file:")]
    assert remote == [], f"requests to other hosts: {remote[:3]}"

    wide = browser.execute_script(
        "return [...document.querySelectorAll('.cell_input pre')]"
        ".filter(p => p.scrollWidth > p.clientWidth + 1)"
        ".map(p => p.textContent.split('\\n')[0]);"
    )
    assert wide == [], f"code wider than the column: {wide[:3]}"

    # Printed output: nothing wider than its box (long lines wrap), and
    # aligned text (Keras' summaries, drawn with box characters) unwrapped.
    outputs = browser.execute_script(
        "return [...document.querySelectorAll('.cell_output pre')].map(p =>"
        " { const height = p.clientHeight, style = p.style.whiteSpace;"
        " p.style.whiteSpace = 'pre'; const unwrapped = p.clientHeight;"
        " p.style.whiteSpace = style;"
        " return {wide: p.scrollWidth > p.clientWidth + 1,"
        " first: p.textContent.split('\\n')[0].slice(0, 80),"
        " aligned: /[\u2500-\u257f]/.test(p.textContent),"
        " wrapped: height > unwrapped + 1}; });"
    )
    assert outputs or not _printed_text(page.stem), "no printed output found"
    wide = [block["first"] for block in outputs if block["wide"]]
    assert wide == [], f"output wider than its box: {wide[:3]}"
    wrapped = [
        block["first"]
        for block in outputs
        if block["aligned"] and block["wrapped"]
    ]
    assert wrapped == [], f"aligned output wrapped: {wrapped[:3]}"


@pytest.mark.parametrize("page", PAGES, ids=lambda page: page.stem)
def test_page_on_phone(browser, page):
    _open(browser, page, PHONE)
    assert _severe_messages(browser) == [], "console errors"
    _open_solutions(browser)
    overflow = browser.execute_script(
        "return document.documentElement.scrollWidth - window.innerWidth;"
    )
    assert overflow <= 0, f"page is {overflow} px wider than the phone"


@pytest.mark.parametrize("page", CHAPTER_PAGES, ids=lambda page: page.stem)
def test_search_finds_the_chapter(browser, page):
    _open(browser, page, DESKTOP)
    title = browser.execute_script(
        "return document.querySelector('h1').textContent;"
    )
    words = [
        word
        for word in title.replace("-", " ").lower().split()
        if not word.startswith("autoencoder")
    ]
    word = max(words, key=len)
    query = urllib.parse.urlencode({"q": word})
    browser.get((SITE / "search.html").as_uri() + "?" + query)
    found = []
    for _ in range(100):
        found = browser.execute_script(
            "return [...document.querySelectorAll('#search-results li a')]"
            ".map(a => a.getAttribute('href'));"
        )
        if found:
            break
        time.sleep(0.1)
    assert any(page.name in href for href in found), (
        f"searching {word!r} does not find {page.name}: {found[:5]}"
    )


@pytest.mark.parametrize("page", CHAPTER_PAGES, ids=lambda page: page.stem)
def test_exercises_are_numbered_and_solutions_hidden(browser, page):
    _open(browser, page, DESKTOP)
    numbers = browser.execute_script(
        "return [...document.querySelectorAll("
        "'.exercise.admonition .caption-number')]"
        ".map(n => n.textContent.trim());"
    )
    assert 3 <= len(numbers) <= 5, f"{len(numbers)} exercises rendered"
    # Numbered per chapter: "Exercise 4.1" to "Exercise 4.n" in chapter 4.
    chapter = numbers[0].split()[-1].split(".")[0]
    assert numbers == [
        f"Exercise {chapter}.{n}" for n in range(1, len(numbers) + 1)
    ], numbers
    shown = (
        "return [...document.querySelectorAll('.solution.admonition')]"
        ".map(s => s.querySelector('section').getBoundingClientRect()"
        ".height);"
    )
    heights = browser.execute_script(shown)
    assert len(heights) == len(numbers), "one solution per exercise"
    assert all(height == 0 for height in heights), "a solution is shown"
    assert _open_solutions(browser) == len(numbers)
    heights = browser.execute_script(shown)
    assert all(height > 0 for height in heights), "a solution did not open"
