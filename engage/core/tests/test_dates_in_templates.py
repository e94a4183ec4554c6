"""Times are written the GOV.UK way everywhere ("29 November 2026 at 8:59pm"), through the
govuk_datetime filter, never a 24-hour clock or an abbreviated month in running text."""

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = sorted(Path(settings.BASE_DIR, "engage").glob("**/templates/**/*.html"))
# A `date` filter whose format shows the time of day (H, G, h, g, i, s, A, a, P).
CLOCK_FORMAT = re.compile(r"""\|date:["'][^"']*(?<!\\)[HGhgisAaP][^"']*["']""")


def test_there_are_templates_to_check():
    assert len(TEMPLATES) > 50


def test_no_template_formats_a_time_of_day_itself():
    offenders = [
        f"{path.relative_to(settings.BASE_DIR)}: {match}"
        for path in TEMPLATES
        for match in CLOCK_FORMAT.findall(path.read_text())
        # A machine-readable <time datetime> attribute may carry the clock.
        if not re.search(r"datetime=\"\{\{[^}]*" + re.escape(match), path.read_text())
    ]
    assert offenders == []
