"""Demo content for the policing bodies' duties 2 and 3 (issue 9): a request to communicate the
Home Office's change notice locally, with Gwent's confirmation; a local role agreed with Kent
on an MoJ policy in implementation, with two milestones, one at risk.

Made through the services, like the rest of the demo, and only where it is missing, so
`seed_demo` can run again."""

from django.db import transaction

from engage.accounts.models import User
from engage.dissemination.demo import dissemination_demo
from engage.dissemination.models import DisseminationRequest
from engage.engagements.models import Engagement, Kind, Status
from engage.implementation.demo import implementation_demo
from engage.implementation.models import ImplementationAgreement
from engage.policies.models import Policy, Stage

from .national import CHANGE_POLICY, PRIORITIES_POLICY
from .responses import _membership

NOTICE_MESSAGE = (
    "From next year, police and crime plans must be published by 31 March of the first year. "
    "Please tell your local criminal justice board and community safety partnerships, and "
    "put the new date in your published planning timetable."
)


@transaction.atomic
def seed_duties_content(users: dict[str, User]) -> bool:
    """Make what is missing; returns whether anything was made."""
    made: list[object] = []
    notice = Engagement.objects.filter(
        policy__title=CHANGE_POLICY, kind=Kind.CHANGE_NOTICE, status=Status.OPEN
    ).first()
    if notice is not None and not DisseminationRequest.objects.filter(engagement=notice).exists():
        staff = users["gwent_staff"]
        made.append(
            dissemination_demo(
                notice,
                users["ho_lead"],
                confirmations=[(_membership(staff, "gwent"), staff, {})],
                message=NOTICE_MESSAGE,
                audiences=["cjb", "csp"],
            )
        )
    priorities = Policy.objects.filter(
        owner__slug="moj", title=PRIORITIES_POLICY, stage=Stage.IMPLEMENTATION
    ).first()
    if (
        priorities is not None
        and not ImplementationAgreement.objects.filter(policy=priorities).exists()
    ):
        kent = users["kent_commissioner"]
        made.append(
            implementation_demo(priorities, users["moj_lead"], _membership(kent, "kent"), kent)
        )
    return bool(made)
