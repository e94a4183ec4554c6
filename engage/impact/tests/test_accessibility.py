"""axe-core on every impact page, opened in the real Chromium as someone who may see it, in the
states that matter: empty, with rows, with validation errors, confirmations, refused; and the
pages with tables at 320 px."""

import pytest

from engage.browser.conftest import browser, page, playwright_session, sweep
from engage.browser.helpers import Sweep, assert_accessible_and_narrow
from engage.impact import services

from .conftest import record

__all__ = ["browser", "page", "playwright_session", "sweep"]  # fixtures, for pytest

pytestmark = pytest.mark.browser


def test_the_impact_pages_are_accessible(
    sweep: Sweep, personas, leeds, wy_plan, west_yorkshire, wy_member
) -> None:
    member = personas.vcs_member
    sweep.sign_in(member)
    sweep.visit("/impact/evidence/")
    sweep.visit("/impact/cases/")
    sweep.visit("/impact/evidence/new/")
    sweep.submit_with_errors("Save the evidence", mentioning="Choose a priority")
    sweep.visit("/impact/cases/new/")
    sweep.uncheck_radios()
    sweep.submit_with_errors("Make the case", mentioning="Choose a policing body")
    sweep.visit("/impact/sector/", status=403)

    evidence = record(personas, leeds, wy_plan.priorities.get(position=1))
    shared = record(personas, leeds, wy_plan.priorities.get(position=2), shared=True)
    # The same title twice under one priority: each table still has its own label.
    record(personas, leeds, wy_plan.priorities.get(position=2), shared=True)
    case = services.case_create(
        organisation=leeds, by=member, body=west_yorkshire.slug, title="Our impact"
    )
    sweep.visit("/impact/evidence/?shared=no")
    sweep._noted(lambda: assert_accessible_and_narrow(sweep.page))
    sweep.visit(f"/impact/evidence/{evidence.public_id}/")
    sweep._noted(lambda: assert_accessible_and_narrow(sweep.page))
    for action in ("change", "share", "delete"):
        sweep.visit(f"/impact/evidence/{evidence.public_id}/{action}/")
    sweep.visit(f"/impact/evidence/{shared.public_id}/unshare/")
    sweep.visit(f"/impact/cases/{case.public_id}/")
    sweep._noted(lambda: assert_accessible_and_narrow(sweep.page))
    for action in ("change", "share", "delete"):
        sweep.visit(f"/impact/cases/{case.public_id}/{action}/")

    services.case_share(case=case, by=member)
    sweep.sign_in(wy_member)
    sweep.visit("/impact/sector/")
    sweep._noted(lambda: assert_accessible_and_narrow(sweep.page))
    sweep.visit("/impact/evidence/")
    sweep.visit(f"/impact/evidence/{shared.public_id}/")
    sweep.visit(f"/impact/cases/{case.public_id}/")
    sweep.finish()
