"""Real-browser tests: Chromium via Playwright (sync API) against Django's live server.

The live server needs transactional database access, and pytest-django flushes the
database after every such test; so each browser test first (re)loads the shipped
content and the role groups itself. (pytest-django runs these transactional tests after
all others, so the flush never takes the session's content away from another test.)

Chromium is found via ``RICHTSNOER_CHROMIUM``, else ``chromium`` on PATH. Without it the
browser tests are skipped, unless ``RICHTSNOER_BROWSER_REQUIRED=1`` (set by ``.ci/run``),
then they fail.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
import warnings
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test import testcases

# Playwright's sync API runs an event loop in the test thread; Django would otherwise
# refuse ORM calls made from that thread (the factories, the assertions). Set when this
# conftest is imported, so for the whole pytest process; it only lifts that check.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


class _OneRequestAtATimeServer(ThreadedWSGIServer):
    """The live server, answering one request at a time when it shares the test's
    in-memory SQLite connection.

    Django hands that single connection to every request thread; two requests at once
    (an htmx swap still running while the browser follows a link) then interleave on it,
    and one of them reads nothing: a user without roles, a 403 (seen in CI). Requests
    still arrive on their own threads (keep-alive works as before); only the application
    call waits for the one before it. On PostgreSQL each thread has its own connection
    and nothing waits.
    """

    def set_app(self, application):
        if self.connections_override:
            lock = threading.Lock()
            inner = application

            def application(environ, start_response):
                with lock:
                    return inner(environ, start_response)

        super().set_app(application)


testcases.LiveServerThread.server_class = _OneRequestAtATimeServer

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 320, "height": 800}
TIMEOUT_MS = 10_000

# WCAG 2.1 level A and AA, nothing else (no best practices).
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}

# Tracks what htmx is doing, so a test can wait until the page is quiet without fixed
# sleeps: the (debounced, "delay:700ms") trigger for the latest input has fired, no request
# is in flight, and the last answer was swapped in and settled.
HTMX_TRACKER = """
(() => {
  const s = window.__activity = {inputs: 0, triggeredAt: 0, lastInput: 0, done: 0, swaps: 0};
  const input = () => { s.inputs++; s.lastInput = Date.now(); };
  document.addEventListener('input', input, true);
  document.addEventListener('change', input, true);
  document.addEventListener('htmx:trigger', () => { s.triggeredAt = s.inputs; });
  document.addEventListener('htmx:afterSwap', () => { s.swaps++; });
  document.addEventListener('htmx:afterRequest', () => { s.done = Date.now(); });
})();
"""
QUIET = """
() => {
  const s = window.__activity, now = Date.now();
  // Input that no htmx trigger listens to never fires one: give up on it after 3 s.
  const answered = s.triggeredAt === s.inputs || now - s.lastInput > 3000;
  return answered && !document.querySelector('.htmx-request') && now - s.done > 60;
}
"""

DANGLING_IDREFS = """
() => [...document.querySelectorAll(
  '[aria-describedby], [aria-labelledby], [aria-errormessage], [aria-controls]'
)].flatMap(el => ['aria-describedby', 'aria-labelledby', 'aria-errormessage', 'aria-controls']
  .flatMap(attr => (el.getAttribute(attr) || '').split(/\\s+/).filter(Boolean)
    .filter(id => !document.getElementById(id))
    .map(id => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} ${attr}="${id}"`)))
"""


def _chromium_path() -> str | None:
    candidate = os.environ.get("RICHTSNOER_CHROMIUM") or shutil.which("chromium")
    if candidate and Path(candidate).exists():
        return candidate
    return None


@pytest.fixture(scope="session")
def chromium():
    """One headless Chromium for the whole session."""
    executable = _chromium_path()
    if executable is None:
        message = "Chromium niet gevonden (zet RICHTSNOER_CHROMIUM of installeer chromium)"
        if os.environ.get("RICHTSNOER_BROWSER_REQUIRED") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture(autouse=True)
def shipped_content(transactional_db):
    """The shipped guideline content and the role groups, for every browser test."""
    from interventies.selectors import clear_catalogue_cache
    from richtlijnen.content import content_read_files
    from richtlijnen.roles import sync_role_groups
    from richtlijnen.versions import content_import

    content_import(bundle=content_read_files(), publish=True, user_name="tests")
    sync_role_groups()
    clear_catalogue_cache()
    yield
    clear_catalogue_cache()


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    return SCREENSHOTS


@dataclass
class Browsing:
    """New pages in fresh browser contexts (one per user), all against the live server."""

    browser: object
    base_url: str
    contexts: list = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    failed_responses: list[str] = field(default_factory=list)

    def new_page(self):
        context = self.browser.new_context(viewport=WIDE, base_url=self.base_url, locale="nl-NL")
        context.set_default_timeout(TIMEOUT_MS)
        context.add_init_script(HTMX_TRACKER)
        self.contexts.append(context)
        page = context.new_page()
        page.on("console", lambda msg: self._console(page, msg))
        page.on("pageerror", lambda exc: self.console_errors.append(f"{page.url}: {exc}"))
        page.on("response", self._response)
        return page

    def _console(self, page, msg) -> None:
        # Failed loads are reported (with their URL) by _response instead.
        if msg.type == "error" and not msg.text.startswith("Failed to load resource"):
            self.console_errors.append(f"{page.url}: {msg.text}")

    def _response(self, response) -> None:
        # Django admin pages link no favicon, so Chromium asks for /favicon.ico.
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            self.failed_responses.append(f"{response.status} {response.url}")

    def close(self):
        for context in self.contexts:
            context.close()


@pytest.fixture
def browsing(chromium, live_server):
    session = Browsing(browser=chromium, base_url=live_server.url)
    yield session
    session.close()


def wait_until_quiet(page) -> None:
    """Wait until htmx has answered the last input and swapped the answer in."""
    page.wait_for_function(QUIET, polling=50)


def panel_swaps(page) -> int:
    return page.evaluate("window.__activity.swaps")


# Violations in code this project does not own, each with why and where. Only these exact
# nodes are let through (and reported as a warning); anything else on the page still fails.
KNOWN_UPSTREAM: list[dict] = []  # none: admin uses checkboxes, not filter_horizontal


def _known_upstream(url: str, rule: str, target: str) -> dict | None:
    for known in KNOWN_UPSTREAM:
        if known["rule"] == rule and known["url"] in url and known["target"] in target:
            return known
    return None


# Elements that stick out past the right edge of a 320 px screen, so the whole page
# scrolls sideways. Content inside its own scroll box (a wide table in an overflow:auto
# wrapper) is fine: only the page's own width counts.
HORIZONTAL_OVERFLOW = """
() => {
  const width = document.documentElement.clientWidth;
  if (document.documentElement.scrollWidth <= width + 1) return [];
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const box = el.getBoundingClientRect();
    if (box.right > width + 1 && box.width > 0) {
      let clipped = false;
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const style = getComputedStyle(p);
        if (['auto', 'scroll', 'hidden', 'clip'].includes(style.overflowX)) {
          clipped = true;
          break;
        }
      }
      if (!clipped) out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : ''));
    }
    if (out.length >= 5) break;
  }
  return out.length ? out : ['(document) ' + document.documentElement.scrollWidth + 'px'];
}
"""


@contextmanager
def viewport(page, size: dict):
    """The page at another window size for a moment, then back as it was."""
    original = page.viewport_size or WIDE
    page.set_viewport_size(size)
    try:
        yield page
    finally:
        page.set_viewport_size(original)


@dataclass
class Audit:
    """axe-core on each page or state a journey reaches; collects, then asserts once."""

    axe: object
    findings: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    def run(self, page) -> list[dict]:
        return self.axe.run(page, options=AXE_OPTIONS).response["violations"]

    def check(self, page, where: str) -> None:
        """axe at the page's own width, then reflow and axe again at 320 px (WCAG 1.4.10)."""
        self._check(page, where)
        if (page.viewport_size or WIDE)["width"] == NARROW["width"]:
            return
        with viewport(page, NARROW):
            if overflow := page.evaluate(HORIZONTAL_OVERFLOW):
                self.findings.append(
                    f"[{where} @320px] {page.url}\n    reflow (WCAG 1.4.10): the page "
                    f"scrolls sideways at 320 px\n    wider than the screen: "
                    f"{'; '.join(overflow)}"
                )
            self._check(page, f"{where} @320px")

    def _check(self, page, where: str) -> None:
        self.checked.append(where)
        for violation in self.run(page):
            targets, known = [], []
            for node in violation["nodes"]:
                target = " ".join(map(str, node["target"]))
                if match := _known_upstream(page.url, violation["id"], target):
                    known.append(match["why"])
                else:
                    targets.append(target)
            if known:
                warnings.warn(
                    f"[{where}] {violation['id']} op {len(known)} element(en), bekend probleem "
                    f"buiten dit project: {known[0]}",
                    stacklevel=2,
                )
            if targets:
                self.findings.append(
                    f"[{where}] {page.url}\n    {violation['id']} ({violation['impact']}): "
                    f"{violation['help']}\n    targets: {'; '.join(targets)}"
                )
        # axe only lists these as "needs review": a description or name that points at
        # nothing, so the help or error text is not announced with its field (WCAG 1.3.1).
        if dangling := page.evaluate(DANGLING_IDREFS):
            self.findings.append(
                f"[{where}] {page.url}\n    aria-idref-missing: ARIA reference to a missing "
                f"element\n    targets: {'; '.join(dangling)}"
            )

    def assert_clean(self) -> None:
        assert not self.findings, (
            f"WCAG 2.1 A/AA violations ({len(self.findings)}) on the "
            f"{len(self.checked)} pages and states checked:\n" + "\n".join(self.findings)
        )


@pytest.fixture
def audit(axe):
    return Audit(axe=axe)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


@pytest.fixture
def screenshot(screenshots_dir):
    """screenshot(page, name): full-page PNGs at 1280 px and at 320 px wide."""

    def take(page, name: str) -> list[Path]:
        paths = []
        for size in (WIDE, NARROW):
            with viewport(page, size):
                path = screenshots_dir / f"{_slug(name)}-{size['width']}.png"
                page.screenshot(path=str(path), full_page=True)
            paths.append(path)
        return paths

    return take
