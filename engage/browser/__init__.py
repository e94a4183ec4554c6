"""Browser tests: journeys in the system Chromium, driven by Playwright, checked by axe-core."""
