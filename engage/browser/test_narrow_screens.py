"""Mobile and narrow screens (WCAG 1.4.10 reflow): at 320 px wide, the pages with wide tables
reflow without the whole page scrolling sideways. Each wide table sits in a labelled region
that takes keyboard focus and scrolls on its own (`table_region`), and axe-core stays clean.

It signs people in as test_every_page_accessible does (the `sweep` fixture, a session made by
Django's test client) over the demo content: `seed_national_content`, then `seed_loop_content`
for issue 8's pages. One test, through many pages, to keep the suite quick.
"""

import pytest

from engage.browser.helpers import NARROW, Sweep, reflow_problems
from engage.browser.test_every_page_accessible import national_content
from engage.demo.loop import seed_loop_content
from engage.releases.models import ReleaseRequest

pytestmark = pytest.mark.browser


def check_narrow(sweep: Sweep, path: str, *, tables: bool = True) -> None:
    """Open `path` at 320 px (axe-core included), then require no sideways page scroll and
    each table region to be a labelled region in the tab order that takes focus. Unless
    `tables` is False (a page whose tables are empty in the demo), there must be a region."""
    sweep.visit(path)
    problems = reflow_problems(sweep.page, tables=tables)
    if problems:
        sweep.failures.append(f"{path} at 320 px: " + "; ".join(problems))


def test_wide_tables_reflow_at_320_pixels(sweep: Sweep, personas) -> None:
    content = national_content(personas)
    seed_loop_content(vars(personas))
    sweep.page.set_viewport_size(NARROW)
    early, notice = content.early, content.change_notice

    sweep.sign_in(personas.moj_lead)
    for path in (
        "/engagements/inbox/",
        "/policies/",
        f"/policies/{content.victims_policy.public_id}/",
        f"/responses/engagement/{early.public_id}/",
        "/clarifications/",
        "/releases/",
        f"/releases/{ReleaseRequest.objects.filter(engagement=early).first().public_id}/",
        "/activity/",
    ):
        check_narrow(sweep, path)

    sweep.sign_in(personas.ho_lead)
    check_narrow(sweep, f"/acknowledgements/engagement/{notice.public_id}/")

    sweep.sign_in(personas.secretariat)
    for path in (
        f"/engagements/{early.public_id}/collective/history/",
        "/engagements/review/timing/",
        "/directory/",
        "/directory/national-bodies/",
        "/directory/standing-groups/",
        "/directory/standing-groups/victims/",
        "/directory/map/",
    ):
        check_narrow(sweep, path)
    # Nothing waits for the APCC and no route was amended in the demo: no tables, yet the
    # pages must still fit.
    check_narrow(sweep, "/engagements/apcc/", tables=False)
    check_narrow(sweep, f"/engagements/{notice.public_id}/routing/", tables=False)

    sweep.finish()
