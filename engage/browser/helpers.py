"""Helpers for browser tests: visit a page, and prove it has no accessibility violations."""

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

# One instance holds the axe-core script bundled with axe-playwright-python.
_AXE = Axe()
_NAVIGATION_ATTEMPTS = 3


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
