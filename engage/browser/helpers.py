"""Helpers for browser tests: visit a page, and prove it has no accessibility violations;
measure whether it reflows at 320 px (WCAG 1.4.10); `Sweep`, which opens page after page as
one person after another and reports every failure at the end."""

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, expect

from engage.accounts.models import User

# One instance holds the axe-core script bundled with axe-playwright-python.
_AXE = Axe()
_NAVIGATION_ATTEMPTS = 3
BACKEND = "allauth.account.auth_backends.AuthenticationBackend"


def format_violations(violations: list[dict[str, Any]]) -> str:
    """One line per axe-core violation: rule, impact, what it means, how many and where first."""
    lines = []
    for violation in violations:
        nodes = violation.get("nodes") or [{}]
        target = " ".join(str(part) for part in nodes[0].get("target", [])) or "(page)"
        lines.append(
            f"- {violation['id']} ({violation.get('impact') or 'unknown impact'}): "
            f"{violation['help']}; {len(violation.get('nodes', []))} element(s), first: {target}"
            f"\n  {violation.get('helpUrl', '')}"
        )
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """Run axe-core (every rule it ships) on the page as it is now; fail listing any violation.

    A click that follows a link returns once the navigation has started, so the next document
    may not exist yet: wait for it to load, and if axe still lands mid-navigation (the old
    document torn down under it), wait again and rerun. Violations are never retried away.
    """
    for attempt in range(_NAVIGATION_ATTEMPTS):
        page.wait_for_load_state("load")
        try:
            results = _AXE.run(page)
            break
        except PlaywrightError as error:
            if not _is_mid_navigation(error) or attempt == _NAVIGATION_ATTEMPTS - 1:
                raise
    violations = results.response["violations"]
    if violations:
        pytest.fail(
            f"axe-core found {len(violations)} accessibility violation(s) on {page.url}:\n"
            + format_violations(violations),
            pytrace=False,
        )


# A phone's width: WCAG 1.4.10 asks that content reflows at 320 CSS pixels.
NARROW = {"width": 320, "height": 800}

# What the page measures: its width against the window's, and each scrolling table region.
MEASURE = """() => ({
  page: document.documentElement.scrollWidth,
  window: window.innerWidth,
  regions: [...document.querySelectorAll('.app-table-scroll')].map(region => ({
    role: region.getAttribute('role'),
    label: (region.getAttribute('aria-label') || '').trim(),
    tabindex: region.getAttribute('tabindex'),
    scrolls: region.scrollWidth > region.clientWidth,
  })),
})"""


def reflow_problems(page: Page, *, tables: bool = False) -> list[str]:
    """What stops the page as it is now from reflowing at its width: the whole page scrolling
    sideways, or a table region that is not a labelled region in the tab order taking focus
    (`table_region`). With `tables`, the page must have at least one table region."""
    measured = page.evaluate(MEASURE)
    problems = []
    if measured["page"] > measured["window"]:
        wide, window = measured["page"], measured["window"]
        problems.append(f"the page is {wide} px wide in a {window} px window")
    if tables and not measured["regions"]:
        problems.append("no table region")
    for region in measured["regions"]:
        if region["role"] != "region" or not region["label"] or region["tabindex"] != "0":
            problems.append(f"a table region is not a labelled, focusable region: {region}")
    if measured["regions"]:
        focused = page.evaluate(
            """() => { const region = document.querySelector('.app-table-scroll');
                       region.focus(); return document.activeElement === region; }"""
        )
        if not focused:
            problems.append("the first table region does not take focus")
    return problems


def assert_accessible_and_narrow(page: Page) -> None:
    """axe-core on the page at its width; then at 320 px, the page reflows (`reflow_problems`)
    and axe-core is still clean; then the page's width is put back."""
    assert_accessible(page)
    wide = page.viewport_size
    page.set_viewport_size(NARROW)
    try:
        problems = reflow_problems(page)
        if problems:
            pytest.fail(f"{page.url} at 320 px: " + "; ".join(problems), pytrace=False)
        assert_accessible(page)
    finally:
        if wide is not None:
            page.set_viewport_size(wide)


def _is_mid_navigation(error: PlaywrightError) -> bool:
    message = str(error)
    return "Execution context was destroyed" in message or "documentElement" in message


def visit(page: Page, path: str, *, status: int = 200) -> None:
    """Open `path` (relative to the live server), require the HTTP status, and check with axe."""
    response = page.goto(path)
    if response is None or response.status != status:
        got = "no response" if response is None else f"HTTP {response.status}"
        pytest.fail(f"Expected HTTP {status} from {path}, got {got} ({page.url}).", pytrace=False)
    assert_accessible(page)


class Sweep:
    """Opens pages as one person after another and keeps every accessibility failure, so the
    test can report them all at the end (`finish`)."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.failures: list[str] = []

    def _noted(self, check: Callable[[], None]) -> None:
        try:
            check()
        except pytest.fail.Exception as failure:
            self.failures.append(str(failure))

    def sign_in(self, user: User | None) -> None:
        """Act as `user` (None: signed out) with a session made by the test client."""
        self.page.context.clear_cookies()
        if user is None:
            return
        client = Client()
        client.force_login(user, backend=BACKEND)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        self.page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": self.base_url}]
        )

    def visit(
        self,
        path: str,
        *,
        status: int = 200,
        lands_on: str | re.Pattern[str] | None = None,
        errors: bool = False,
    ) -> None:
        """Open the page and check it. It must not redirect elsewhere (unless to `lands_on`),
        and shows an error summary exactly when `errors` says so."""
        self._noted(lambda: visit(self.page, path, status=status))
        url = urlsplit(self.page.url)
        landed = url.path + (f"?{url.query}" if url.query else "")
        if isinstance(lands_on, re.Pattern):
            assert lands_on.fullmatch(landed), f"{path} led to {landed}"
        else:
            assert landed == (lands_on or path), f"{path} led to {landed}"
        expect(self.page.locator(".govuk-error-summary")).to_have_count(1 if errors else 0)

    def check(self) -> None:
        """axe-core on the page as it is now."""
        self._noted(lambda: assert_accessible(self.page))

    def button(self, name: str) -> Locator:
        return self.page.locator("main").get_by_role("button", name=name, exact=True)

    def submit_with_errors(self, button: str | Locator, *, mentioning: str = "") -> None:
        """Submit the form, require the error summary (saying `mentioning`), check the page."""
        with self.page.expect_navigation():
            (self.button(button) if isinstance(button, str) else button).click()
        summary = self.page.locator(".govuk-error-summary")
        expect(summary).to_be_visible()
        if mentioning:
            expect(summary).to_contain_text(mentioning)
        self.check()

    def form_button(self) -> Locator:
        """The first form's submit button in the main content (allauth's pages)."""
        return self.page.locator("main form [type=submit]").first

    def uncheck_radios(self) -> None:
        """Clear a radio group that comes pre-selected, to submit it unanswered."""
        self.page.locator("main input[type=radio]").evaluate_all(
            "inputs => inputs.forEach(input => { input.checked = false; })"
        )

    def finish(self) -> None:
        if self.failures:
            pytest.fail(
                f"{len(self.failures)} page(s) failed:\n\n" + "\n\n".join(self.failures),
                pytrace=False,
            )
