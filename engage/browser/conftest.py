"""Fixtures for browser tests: Playwright driving the system Chromium against the live server.

Playwright cannot download its own browsers where Engage is built, so the tests launch the
Chromium the operating system provides (Debian's `chromium` package) from CHROMIUM_PATH.
See docs/decisions/0003-browser-tests-on-system-chromium.md.
"""

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, sync_playwright

from engage.browser.helpers import Sweep, assert_accessible

__all__ = ["assert_accessible"]

# Playwright's sync API keeps an asyncio event loop in the main thread for the whole session,
# so Django's async-safety guard would refuse every database query made from it afterwards
# (including those of non-browser tests that run later in random order). The loop belongs to
# Playwright and never runs Django code, so the guard is switched off. It must be set before
# the first query, hence here at import, during collection.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

DEFAULT_CHROMIUM_PATH = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Where a failing test leaves a screenshot and the page's HTML (ignored by git).
ARTEFACTS_DIR = Path("test-results")


@pytest.fixture(scope="session")
def playwright_session() -> Iterator[Playwright]:
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_session: Playwright) -> Iterator[Browser]:
    """One headless Chromium for the whole session, launched from CHROMIUM_PATH."""
    path = os.environ.get("CHROMIUM_PATH", DEFAULT_CHROMIUM_PATH)
    if not os.access(path, os.X_OK):
        pytest.fail(
            f"Browser tests need Chromium at {path}. Install Debian's chromium package "
            "(apt-get install chromium) or set CHROMIUM_PATH.",
            pytrace=False,
        )
    browser = playwright_session.chromium.launch(
        executable_path=path, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    """Keep each phase's report on the test item, so `page` can tell whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(
    request: pytest.FixtureRequest, browser: Browser, live_server, transactional_db
) -> Iterator[Page]:
    """A fresh browser context (no cookies) whose relative URLs go to the live server.

    The test fails if the page raises an uncaught JavaScript error or the browser reports a
    Content Security Policy violation. A failing test leaves a screenshot and the HTML in
    test-results/.
    """
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", timezone_id="Europe/London"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            problems.append(f"CSP violation on {page.url}: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"JavaScript error on {page.url}: {error}"))

    yield page

    call_report = getattr(request.node, "report_call", None)
    if call_report is not None and call_report.failed:
        ARTEFACTS_DIR.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
        page.screenshot(path=ARTEFACTS_DIR / f"{name}.png", full_page=True)
        (ARTEFACTS_DIR / f"{name}.html").write_text(page.content(), encoding="utf-8")
    context.close()
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.fixture
def sweep(page: Page, live_server) -> Sweep:
    """A `Sweep` through pages in the `page` fixture's browser context."""
    return Sweep(page, live_server.url)
