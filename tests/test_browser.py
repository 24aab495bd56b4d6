"""The built site in a real browser: every page, in headless Chromium.

Each page loads with no console error and no request to another host; its images
load and have alt text, its links have names, its math is rendered, and at 375 px
nothing scrolls sideways. Search, the theme toggle, the copy button, the 404 page,
every internal link and anchor, and the sitemap are tested once.

`make test` builds the site before pytest runs, so a missing build is a failure,
not a skip. ``TENSORNOTES_SITE`` points the tests at another build directory.
The site is served on 127.0.0.1 by a threaded ``http.server`` (missing paths get
the 404 page, as on Read the Docs) and driven by Playwright through the system's
Chromium (``/usr/bin/chromium``, or ``TENSORNOTES_CHROMIUM``); Playwright's own
browser download is never used. One browser and one context serve the session,
each with a fresh profile, and every request to another host is recorded and
aborted, so a page that works here works offline.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from functools import partial
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit
from xml.etree import ElementTree

import pytest
from chromium_flags import CHROMIUM_FLAGS
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright
from playwright.sync_api import Error as PlaywrightError

pytestmark = pytest.mark.site

REPO = Path(__file__).resolve().parents[1]
SITE = Path(os.environ.get("TENSORNOTES_SITE", REPO / "docs" / "_build" / "html")).resolve()
# Debian's Chromium where there is one (CI, and machines with no network to
# Playwright's download); otherwise Playwright's own, from `playwright install chromium`.
CHROMIUM = os.environ.get("TENSORNOTES_CHROMIUM") or shutil.which("chromium")
CHROMIUM_ARGS = list(CHROMIUM_FLAGS)
# Folders of assets, not pages.
NOT_PAGES = {"_static", "_sources", "_images", "_downloads"}
MOBILE_WIDTH = 375
# The page the search test must find, and the page whose doctests the copy test copies.
BROADCASTING = "topics/05_broadcasting.html"
DOCTEST_PAGE = "topics/01_random_tensors.html"


def _pages() -> list[str]:
    if not SITE.is_dir():
        return []
    return sorted(
        path.relative_to(SITE).as_posix()
        for path in SITE.rglob("*.html")
        if not NOT_PAGES & set(path.relative_to(SITE).parts[:-1])
    )


PAGES = _pages()
# The Chinese edition is built into a folder of the English one.
CHINESE_FOLDER = "zh_CN"
CHINESE = [p for p in PAGES if p.startswith(CHINESE_FOLDER + "/")]
ENGLISH = [p for p in PAGES if not p.startswith(CHINESE_FOLDER + "/")]


def _require_site() -> None:
    if not (SITE / "index.html").is_file():
        pytest.fail(
            f"the site is not built in {SITE}: run `make docs` first (`make test` does), "
            "or point TENSORNOTES_SITE at a built site"
        )


# --- The server --------------------------------------------------------------------


class _SiteHandler(SimpleHTTPRequestHandler):
    """Serve the site quietly; a missing path gets 404.html with status 404."""

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def send_error(
        self, code: int, message: str | None = None, explain: str | None = None
    ) -> None:
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@pytest.fixture(scope="session")
def base_url() -> Iterator[str]:
    _require_site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_SiteHandler, directory=str(SITE)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


# --- The browser -------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if CHROMIUM is not None and shutil.which(CHROMIUM) is None:
        pytest.fail(f"TENSORNOTES_CHROMIUM={CHROMIUM!r} is not an executable")
    # launch() gives every run a fresh temporary profile.
    try:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
    except PlaywrightError as exc:
        pytest.fail(
            f"no browser for the browser tests ({exc.message.splitlines()[0]}): "
            "`make test` installs Debian's chromium or Playwright's own; "
            "or point TENSORNOTES_CHROMIUM at a Chromium"
        )
    yield browser
    browser.close()


class Traffic:
    """What the pages of a context asked for that they should not have."""

    def __init__(self, origin: str) -> None:
        self.origin = origin
        self.external: list[str] = []
        self.failed: list[str] = []

    def clear(self) -> None:
        self.external.clear()
        self.failed.clear()


@pytest.fixture(scope="session")
def context(browser: Browser, base_url: str) -> Iterator[tuple[BrowserContext, Traffic]]:
    context = browser.new_context(
        base_url=base_url,
        viewport={"width": 1280, "height": 900},
        permissions=["clipboard-read", "clipboard-write"],
        service_workers="block",
    )
    traffic = Traffic(base_url.rstrip("/"))

    def route(route: Any) -> None:
        url = route.request.url
        if url.startswith(traffic.origin + "/"):
            route.continue_()
        else:
            traffic.external.append(url)
            route.abort()

    context.route("**/*", route)
    context.on(
        "response",
        lambda response: (
            traffic.failed.append(f"{response.status} {response.url}")
            if response.status >= 400 and response.request.resource_type != "document"
            else None
        ),
    )
    context.on(
        "requestfailed",
        lambda request: (
            traffic.failed.append(f"{request.failure} {request.url}")
            if request.url.startswith(traffic.origin)
            else None
        ),
    )
    yield context, traffic
    context.close()


class Console:
    """The console errors and uncaught exceptions of one page."""

    def __init__(self, page: Page) -> None:
        self.errors: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))

    def _on_console(self, message: Any) -> None:
        if message.type == "error":
            self.errors.append(f"{message.text} ({message.location.get('url', '')})")


@pytest.fixture
def page(context: tuple[BrowserContext, Traffic]) -> Iterator[tuple[Page, Console, Traffic]]:
    browser_context, traffic = context
    traffic.clear()
    page = browser_context.new_page()
    console = Console(page)
    yield page, console, traffic
    page.close()


def _clean(page: Page, console: Console, traffic: Traffic, name: str) -> None:
    assert not traffic.external, f"{name} asked other hosts for: {traffic.external}"
    assert not traffic.failed, f"{name} failed to load: {traffic.failed}"
    assert not console.errors, f"{name} logged console errors: {console.errors}"


# --- Every page ----------------------------------------------------------------------

_IMAGES = """async () => {
    const images = [...document.images];
    // Lazy images below the fold would not load on their own: ask for all of them.
    for (const img of images) img.loading = "eager";
    await Promise.all(images.map((img) => img.decode().catch(() => null)));
    return images.map((img) => ({
        src: img.currentSrc || img.src,
        alt: img.getAttribute("alt"),
        width: img.naturalWidth,
        thumbnail: img.closest(".sphx-glr-thumbcontainer") !== null,
    }));
}"""

# Shown links that a screen reader could not name: no rendered text, label or image
# alt. (innerText leaves out text hidden with display: none, as screen readers do;
# the closed drawers of the phone layout are hidden, so their links are skipped.)
_NAMELESS_LINKS = """() => [...document.querySelectorAll("a[href]")]
    .filter((a) => a.checkVisibility({visibilityProperty: true}))
    .filter((a) => !(a.innerText.trim() || a.getAttribute("aria-label")
        || [...a.querySelectorAll("img[alt]")].some((img) => img.alt.trim())))
    .map((a) => a.getAttribute("href"))"""

# The visible text outside code and rendered math: raw TeX left there was not rendered.
_PROSE = """() => {
    const body = document.querySelector("article") || document.body;
    const copy = body.cloneNode(true);
    copy.querySelectorAll("pre, code, kbd, samp, script, style, .katex, .highlight")
        .forEach((node) => node.remove());
    return copy.textContent;
}"""

_RAW_TEX = re.compile(r"\\\(|\\\)|\\\[|\\\]|\$\$|\$[^$\s][^$\n]{0,200}\$|\\begin\{")

# Whether the page scrolls sideways. Furo hides <html>'s horizontal overflow and lets
# its main column (.content) scroll sideways by itself, so the root's scrollWidth alone
# would miss a wide element; the sidebars off the screen are fixed and not counted.
# Code blocks, tables and display math scroll in their own boxes, which is fine.
_SIDEWAYS = """() => {
    window.scrollTo(10000, window.scrollY);
    const scrolled = window.scrollX;
    window.scrollTo(0, window.scrollY);
    const root = document.documentElement;
    const scrolls = (el) => ["auto", "scroll", "hidden"].includes(getComputedStyle(el).overflowX);
    // Only a column that can scroll sideways counts: one whose overflow is visible
    // spills into its parent, which may still have room for it.
    const columns = [document.body,
        ...document.querySelectorAll(".page, .main, .content, .article-container, article")];
    const wide = columns
        .filter(scrolls)
        .filter((el) => el.scrollWidth > el.clientWidth + 1)
        .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")}`
            + ` ${el.scrollWidth} > ${el.clientWidth}`);
    const culprits = [...document.querySelectorAll("article *")]
        .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 1)
        .filter((el) => {
            for (let up = el.parentElement; up && up.tagName !== "ARTICLE"; up = up.parentElement)
                if (scrolls(up)) return false;
            return true;
        })
        .slice(0, 5)
        .map((el) => el.outerHTML.slice(0, 120));
    return {scrolled, scrollWidth: root.scrollWidth, wide, culprits};
}"""


def _source_has_math(name: str) -> bool:
    """Whether the page's source, if this build's source tree is beside it, has math."""
    docs = SITE.parents[1]
    stem = name.removesuffix(".html")
    markdown, rest = docs / f"{stem}.md", docs / f"{stem}.rst"
    if markdown.is_file():
        text = markdown.read_text(encoding="utf-8")
        # Code fences other than {math}, then inline code, hold dollars that are not math.
        text = re.sub(r"^(`{3,}|~{3,})(?!\{math\}).*?^\1", "", text, flags=re.M | re.S)
        text = re.sub(r"`[^`\n]+`", "", text)
        return bool(re.search(r"\$[^$\s][^$\n]*\$|\{math\}", text))
    if rest.is_file():
        return bool(re.search(r":math:`|^\s*\.\. math::", rest.read_text("utf-8"), flags=re.M))
    return False


@pytest.mark.parametrize("name", PAGES or ["<no site>"])
def test_page_in_the_browser(page: tuple[Page, Console, Traffic], name: str) -> None:
    _require_site()
    tab, console, traffic = page
    tab.set_viewport_size({"width": MOBILE_WIDTH, "height": 800})
    response = tab.goto(name, wait_until="load")
    assert response is not None
    assert response.status == 200, f"{name} answered {response.status}"
    tab.wait_for_load_state("networkidle")

    # Every check runs, so that a failure lists all of the page's problems.
    problems = _problems(tab, console, traffic, name)
    assert not problems, f"{name}:\n  " + "\n  ".join(problems)


def _problems(tab: Page, console: Console, traffic: Traffic, name: str) -> list[str]:
    problems = []
    images = tab.evaluate(_IMAGES)
    broken = [img["src"] for img in images if img["width"] == 0]
    if broken:
        problems.append(f"images that did not load: {broken}")
    no_alt = [
        img["src"]
        for img in images
        # A gallery thumbnail is decorative: the link beside it names the example.
        if img["alt"] is None or (not img["alt"].strip() and not img["thumbnail"])
    ]
    if no_alt:
        problems.append(f"images without alt text: {no_alt}")

    nameless = tab.evaluate(_NAMELESS_LINKS)
    if nameless:
        problems.append(f"links without a name: {nameless[:5]}")

    raw = _RAW_TEX.findall(tab.evaluate(_PROSE))
    if raw:
        problems.append(f"math left as raw TeX: {raw[:5]}")
    unrendered = tab.locator(".math:not(:has(.katex)), .math.notranslate").count()
    if unrendered:
        problems.append(f"{unrendered} math elements were not pre-rendered")
    if _source_has_math(name) and tab.locator(".katex").count() == 0:
        problems.append("its source has math, the page has no rendered math")

    sideways = tab.evaluate(_SIDEWAYS)
    if sideways["scrolled"] > 0 or sideways["scrollWidth"] > MOBILE_WIDTH or sideways["wide"]:
        problems.append(f"scrolls sideways at {MOBILE_WIDTH} px: {sideways}")

    if traffic.external:
        problems.append(f"asked other hosts for: {traffic.external}")
    if traffic.failed:
        problems.append(f"failed to load: {traffic.failed}")
    if console.errors:
        problems.append(f"console errors: {console.errors}")
    return problems


# --- Features ----------------------------------------------------------------------


def test_search_finds_the_broadcasting_page(page: tuple[Page, Console, Traffic]) -> None:
    _require_site()
    tab, console, traffic = page
    tab.goto("search.html?q=broadcast", wait_until="load")
    # Sphinx adds the results one by one and then says it has finished.
    summary = tab.locator("#search-results p.search-summary")
    summary.filter(has_text=re.compile("Search finished|did not match")).wait_for(timeout=15_000)
    results = tab.locator("#search-results ul.search li a")
    hrefs = [urlsplit(href).path for href in results.evaluate_all("(a) => a.map((x) => x.href)")]
    assert any(href.endswith("/" + BROADCASTING) for href in hrefs), hrefs
    _clean(tab, console, traffic, "search.html")


def test_theme_toggle_switches_dark_mode(page: tuple[Page, Console, Traffic]) -> None:
    _require_site()
    tab, console, traffic = page
    tab.emulate_media(color_scheme="light")
    tab.goto("index.html", wait_until="load")
    toggle = tab.locator("button.theme-toggle:visible").first
    seen = [tab.locator("body").get_attribute("data-theme")]
    backgrounds = set()
    for _ in range(3):
        toggle.click()
        seen.append(tab.locator("body").get_attribute("data-theme"))
        backgrounds.add(tab.evaluate("getComputedStyle(document.body).backgroundColor"))
    assert "dark" in seen, f"the toggle never chose the dark theme: {seen}"
    assert "light" in seen, f"the toggle never chose the light theme: {seen}"
    assert len(backgrounds) >= 2, f"the background never changed: {backgrounds}"
    _clean(tab, console, traffic, "index.html")


def test_copy_button_drops_prompts(page: tuple[Page, Console, Traffic]) -> None:
    _require_site()
    tab, console, traffic = page
    tab.goto(DOCTEST_PAGE, wait_until="load")
    block = tab.locator("div.highlight:has(.gp)").first
    lines = block.locator("pre").inner_text().splitlines()
    expected = [line[4:] for line in lines if line.startswith((">>> ", "... "))]
    assert expected, f"no doctest block with prompts on {DOCTEST_PAGE}"
    block.hover()
    block.locator(".copybtn").click()
    copied = tab.evaluate("navigator.clipboard.readText()")
    assert ">>>" not in copied, copied
    # Only the code: prompts and output lines are gone (output leaves blank lines).
    assert [line for line in copied.splitlines() if line.strip()] == expected, copied
    _clean(tab, console, traffic, DOCTEST_PAGE)


def test_missing_page_gets_a_working_404(page: tuple[Page, Console, Traffic]) -> None:
    _require_site()
    tab, console, traffic = page
    response = tab.goto("no/such/topic.html", wait_until="load")
    assert response is not None
    assert response.status == 404
    tab.wait_for_load_state("networkidle")
    # Its stylesheets and scripts came from this server, however deep the missing path.
    styled = tab.evaluate(
        """() => [...document.querySelectorAll('link[rel="stylesheet"]')]
            .every((link) => link.sheet !== null && link.sheet.cssRules.length > 0)"""
    )
    assert styled, "the 404 page's stylesheets did not load"
    assert tab.locator("h1").count() == 1
    # The document's own 404 is expected; nothing else may fail.
    console.errors = [e for e in console.errors if "404" not in e or "topic.html" not in e]
    _clean(tab, console, traffic, "the 404 page")
    tab.locator("a.sidebar-brand").first.click()
    tab.wait_for_load_state("load")
    assert urlsplit(tab.url).path in {"/", "/index.html"}, tab.url


# --- Links -------------------------------------------------------------------------


class _Anchors(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for key in ("id", "name") if tag == "a" else ("id",):
            if values.get(key):
                self.ids.add(str(values[key]))
        if tag == "a" and values.get("href"):
            self.hrefs.append(str(values["href"]))


def _parse(path: Path) -> _Anchors:
    parser = _Anchors()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_internal_link_resolves() -> None:
    _require_site()
    parsed = {name: _parse(SITE / name) for name in PAGES}
    broken: list[str] = []
    checked = 0
    for name, anchors in parsed.items():
        base = f"http://site/{name}"
        for href in anchors.hrefs:
            target = urlsplit(urljoin(base, href))
            if target.scheme != "http" or target.netloc != "site":
                continue
            checked += 1
            path = PurePosixPath(unquote(target.path).lstrip("/"))
            file = SITE / path
            if file.is_dir() or target.path.endswith("/"):
                file = file / "index.html"
            if not file.is_file():
                broken.append(f"{name}: {href} (no {path})")
                continue
            fragment = unquote(target.fragment)
            if not fragment or file.suffix != ".html":
                continue
            key = file.relative_to(SITE).as_posix()
            ids = parsed[key].ids if key in parsed else _parse(file).ids
            if fragment not in ids:
                broken.append(f"{name}: {href} (no #{fragment} in {key})")
    assert checked > len(PAGES), f"only {checked} internal links found"
    assert not broken, "broken internal links:\n" + "\n".join(broken)


# --- For search engines ----------------------------------------------------------


def test_sitemap_lists_every_page_and_robots_points_to_it() -> None:
    _require_site()
    robots = (SITE / "robots.txt").read_text(encoding="utf-8")
    match = re.search(r"^Sitemap: (\S+)sitemap\.xml$", robots, flags=re.M)
    assert match, f"robots.txt names no sitemap:\n{robots}"
    base = match.group(1)
    root = ElementTree.parse(SITE / "sitemap.xml").getroot()
    locs = [
        loc.text or "" for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]
    assert all(loc.startswith(base) for loc in locs), locs
    listed = {loc.removeprefix(base) for loc in locs}
    expected = set(ENGLISH) - {"search.html", "genindex.html", "404.html"}
    assert listed == expected, f"missing {expected - listed}, extra {listed - expected}"


def test_the_chinese_sitemap_lists_every_chinese_page() -> None:
    _require_site()
    robots = (SITE / "robots.txt").read_text(encoding="utf-8")
    bases = re.findall(r"^Sitemap: (\S+)sitemap\.xml$", robots, flags=re.M)
    assert len(bases) == 2, robots
    assert bases[1].endswith("/zh-cn/latest/"), robots
    root = ElementTree.parse(SITE / CHINESE_FOLDER / "sitemap.xml").getroot()
    locs = [
        loc.text or "" for loc in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")
    ]
    listed = {loc.removeprefix(bases[1]) for loc in locs}
    expected = {p.removeprefix(CHINESE_FOLDER + "/") for p in CHINESE}
    expected -= {"search.html", "genindex.html", "404.html"}
    assert listed == expected, f"missing {expected - listed}, extra {listed - expected}"


# --- Two editions ------------------------------------------------------------------


def _other_edition(name: str) -> str:
    prefix = CHINESE_FOLDER + "/"
    return name.removeprefix(prefix) if name.startswith(prefix) else prefix + name


def test_there_is_a_chinese_edition_of_every_page() -> None:
    _require_site()
    english = set(ENGLISH) - {"404.html"}
    chinese = {p.removeprefix(CHINESE_FOLDER + "/") for p in CHINESE}
    assert english <= chinese, f"no Chinese edition of {sorted(english - chinese)}"


@pytest.mark.parametrize("name", PAGES or ["<no site>"])
def test_the_language_switch_leads_to_the_same_page(name: str) -> None:
    """Every page but the 404 page links to itself in the other edition, relatively,
    so that the switch works from a folder and from any local server."""
    _require_site()
    html = (SITE / name).read_text(encoding="utf-8")
    lang = re.search(r'<html[^>]* lang="([^"]+)"', html)
    chinese = name.startswith(CHINESE_FOLDER + "/")
    assert lang, f"{name} has no lang"
    assert lang.group(1) == ("zh-CN" if chinese else "en"), name
    switch = re.search(r'<a class="tn-language-switch-link" href="([^"]+)"', html)
    assert switch, f"{name} has no language switch"
    if name.endswith("404.html"):
        return
    target = urlsplit(urljoin(f"http://site/{name}", switch.group(1)))
    assert target.netloc == "site", f"{name}: the switch leaves the site: {switch.group(1)}"
    assert unquote(target.path).lstrip("/") == _other_edition(name), switch.group(1)


def test_chinese_search_finds_the_broadcasting_page(page: tuple[Page, Console, Traffic]) -> None:
    """Sphinx indexes Chinese words only with jieba, which the docs extra installs."""
    _require_site()
    tab, console, traffic = page
    tab.goto(f"{CHINESE_FOLDER}/search.html?q=广播", wait_until="load")
    # Sphinx's own messages are in Chinese here: "search finished", "no match".
    summary = tab.locator("#search-results p.search-summary")
    summary.filter(has_text=re.compile("搜索完成|没有匹配")).wait_for(timeout=15_000)
    results = tab.locator("#search-results ul.search li a")
    hrefs = [urlsplit(href).path for href in results.evaluate_all("(a) => a.map((x) => x.href)")]
    assert any(href.endswith(f"/{CHINESE_FOLDER}/{BROADCASTING}") for href in hrefs), hrefs
    _clean(tab, console, traffic, f"{CHINESE_FOLDER}/search.html")


def test_chinese_text_renders_with_a_cjk_font(page: tuple[Page, Console, Traffic]) -> None:
    """A page's Chinese is drawn as glyphs, not as the boxes of a missing font
    (the browser tests need a CJK font: Debian's fonts-noto-cjk)."""
    _require_site()
    tab, console, traffic = page
    tab.goto(f"{CHINESE_FOLDER}/{BROADCASTING}", wait_until="load")
    font = tab.evaluate("() => getComputedStyle(document.body).fontFamily")
    differs = tab.evaluate(
        """(font) => {
            const draw = (text) => {
                const canvas = document.createElement("canvas");
                canvas.width = 200; canvas.height = 60;
                const ctx = canvas.getContext("2d");
                ctx.font = "40px " + font;
                ctx.fillText(text, 0, 45);
                return Array.from(ctx.getImageData(0, 0, 200, 60).data).join(",");
            };
            // Two private-use code points: no font has glyphs for them.
            return draw("广播") !== draw("\ue000\ue001");
        }""",
        font,
    )
    assert differs, "Chinese text draws as missing-glyph boxes: install fonts-noto-cjk"
    _clean(tab, console, traffic, f"{CHINESE_FOLDER}/{BROADCASTING}")
