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

import numpy as np
import pytest

from companion import latent, plots, widgets

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


# --- interactive figures (_static/widgets.js, companion.widgets) ---------

WIDGETS = SITE / "_static" / "widgets"
EXPLORER_PAGE = SITE / "book" / "variational_autoencoders.html"
SLIDER_PAGE = SITE / "book" / "latent_interpolation.html"
# A pixel drawn by the page may differ from Python's by rounding alone.
PIXEL_TOLERANCE = 2


def _open_widget(driver, page, width):
    """Open ``page`` and return its widget element once it has drawn."""
    _open(driver, page, width)
    for _ in range(100):
        state = driver.execute_script(
            "const w = document.querySelector('.ae-widget');"
            " return w && (w.classList.contains('ae-ready') ? 'ready'"
            " : w.classList.contains('ae-failed') ? 'failed' : null);"
        )
        if state:
            break
        time.sleep(0.1)
    assert state == "ready", f"the widget on {page.name} did not load"
    widget = driver.find_element("css selector", ".ae-widget")
    driver.execute_script(
        "arguments[0].scrollIntoView({block: 'center'});", widget
    )
    return widget


def _pixels(driver, selector):
    """Grey values (0-255) of the canvas ``selector`` in the widget."""
    values = driver.execute_script(
        "const c = document.querySelector('.ae-widget ' + arguments[0]);"
        " return Array.from(c.getContext('2d')"
        ".getImageData(0, 0, c.width, c.height).data);",
        selector,
    )
    return np.array(values, dtype=float).reshape(-1, 4)[:, 0]


def _state(driver, name):
    return driver.execute_script(
        "return document.querySelector('.ae-widget').autoencoderWidget"
        f".{name};"
    )


def _largest_difference(driver, selector, python_images):
    drawn = _pixels(driver, selector)
    return float(abs(drawn - python_images.reshape(-1) * 255).max())


def _check_explorer(driver, widget_data):
    """The decoded and nearest digits match Python for the current code."""
    code = np.array(_state(driver, "code"))
    python = widgets.decode_exported(widget_data, code)
    gap = _largest_difference(driver, ".ae-decoded", python)
    assert gap <= PIXEL_TOLERANCE, f"decoded digit {gap:.1f}/255 off"
    distances = ((widget_data["codes"] - code) ** 2).sum(axis=1)
    nearest = int(np.argmin(distances))
    assert _state(driver, "nearest") == nearest
    drawn = _pixels(driver, ".ae-nearest")
    assert np.array_equal(drawn, widget_data["images"][nearest])
    return code, gap


def _remote_requests(driver):
    urls = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name);"
    )
    return [url for url in urls if not url.startswith("file:")]


def test_latent_explorer_follows_the_mouse_and_the_keys(browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    data = widgets.read_widget(WIDGETS / "vae_latent_explorer.js")
    _open_widget(browser, EXPLORER_PAGE, DESKTOP)
    plane = browser.find_element("css selector", ".ae-widget .ae-plane")
    assert _state(browser, "code") == [0, 0]
    _check_explorer(browser, data)
    # Drag from the centre up and to the right.
    ActionChains(browser).move_to_element(
        plane
    ).click_and_hold().move_by_offset(40, -30).move_by_offset(
        20, -10
    ).release().perform()
    dragged, _ = _check_explorer(browser, data)
    assert dragged[0] > 0 and dragged[1] > 0, dragged
    # The arrow keys move the point by 2% of the plane (Shift: 10%).
    plane.send_keys(Keys.ARROW_LEFT, Keys.ARROW_LEFT, Keys.ARROW_DOWN)
    moved, _ = _check_explorer(browser, data)
    width = data["extent"][1] - data["extent"][0]
    assert moved[0] == pytest.approx(dragged[0] - 0.04 * width, abs=1e-6)
    assert moved[1] == pytest.approx(dragged[1] - 0.02 * width, abs=1e-6)
    assert _severe_messages(browser) == [], "console errors"
    assert _remote_requests(browser) == []


def _touch_drag(driver, element, moves):
    """Drag a finger across ``element`` from its centre by ``moves``."""
    box = driver.execute_script(
        "const r = arguments[0].getBoundingClientRect();"
        " return [r.left + r.width / 2, r.top + r.height / 2];",
        element,
    )
    x, y = box
    driver.execute_cdp_cmd(
        "Input.dispatchTouchEvent",
        {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]},
    )
    for dx, dy in moves:
        x, y = x + dx, y + dy
        driver.execute_cdp_cmd(
            "Input.dispatchTouchEvent",
            {"type": "touchMove", "touchPoints": [{"x": x, "y": y}]},
        )
    driver.execute_cdp_cmd(
        "Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []}
    )


@pytest.fixture
def touch_screen(browser):
    browser.execute_cdp_cmd(
        "Emulation.setTouchEmulationEnabled",
        {"enabled": True, "maxTouchPoints": 1},
    )
    yield browser
    browser.execute_cdp_cmd(
        "Emulation.setTouchEmulationEnabled", {"enabled": False}
    )


def test_latent_explorer_on_a_phone_with_a_finger(touch_screen):
    browser = touch_screen
    data = widgets.read_widget(WIDGETS / "vae_latent_explorer.js")
    _open_widget(browser, EXPLORER_PAGE, PHONE)
    plane = browser.find_element("css selector", ".ae-widget .ae-plane")
    width = browser.execute_script(
        "return arguments[0].getBoundingClientRect().width;", plane
    )
    assert 200 <= width <= PHONE, f"plane {width} px wide on a phone"
    scrolled = browser.execute_script("return window.scrollY;")
    _touch_drag(browser, plane, [(-20, 10), (-20, 10)])
    code, _ = _check_explorer(browser, data)
    assert code[0] < 0 and code[1] < 0, code
    # Dragging on the plane moves the point, not the page.
    assert browser.execute_script("return window.scrollY;") == scrolled
    assert _severe_messages(browser) == [], "console errors"


def _check_slider(driver, widget_data):
    """Cross-fade, linear and spherical paths match Python."""
    pair, weight = _state(driver, "pair"), _state(driver, "weight")
    start = widget_data["start_codes"][pair]
    end = widget_data["end_codes"][pair]
    gaps = {}
    for method in ("linear", "spherical"):
        code = latent.interpolate_codes(start, end, [weight], method)
        python = widgets.decode_exported(widget_data, code)
        gaps[method] = _largest_difference(driver, f".ae-{method}", python)
    first = widget_data["start_images"][pair] / 255
    last = widget_data["end_images"][pair] / 255
    crossfade = latent.crossfade_images(first, last, [weight])
    gaps["crossfade"] = _largest_difference(driver, ".ae-crossfade", crossfade)
    assert max(gaps.values()) <= PIXEL_TOLERANCE, gaps
    return pair, weight


def test_interpolation_slider_follows_keys_and_choices(browser):
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    data = widgets.read_widget(WIDGETS / "interpolation_slider.js")
    _open_widget(browser, SLIDER_PAGE, DESKTOP)
    assert _check_slider(browser, data) == (0, 0.5)
    Select(
        browser.find_element("css selector", ".ae-widget .ae-pair")
    ).select_by_index(2)
    slider = browser.find_element("css selector", ".ae-widget .ae-weight")
    slider.send_keys(Keys.ARROW_LEFT, Keys.ARROW_LEFT, Keys.ARROW_LEFT)
    assert _check_slider(browser, data) == (2, pytest.approx(0.35))
    assert _severe_messages(browser) == [], "console errors"
    assert _remote_requests(browser) == []


def test_interpolation_slider_on_a_phone_with_a_finger(touch_screen):
    browser = touch_screen
    data = widgets.read_widget(WIDGETS / "interpolation_slider.js")
    _open_widget(browser, SLIDER_PAGE, PHONE)
    slider = browser.find_element("css selector", ".ae-widget .ae-weight")
    _touch_drag(browser, slider, [(30, 0), (30, 0)])
    pair, weight = _check_slider(browser, data)
    assert weight > 0.5, weight
    assert _severe_messages(browser) == [], "console errors"
