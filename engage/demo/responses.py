"""Demo responses (`manage.py seed_demo`), on the MoJ early engagement about victims' services
routed to the Victims standing group: Kent's commissioner has submitted Kent's response
(version 1, every question answered, the local perspective filled in); Gwent's OPCC staff
drafted Gwent's, and its commissioner answered the stance question and submitted it (a stance
that differs from Kent's, for the collective view's dissent annex). Made through the
services, as the people would. Safe to run again: a body that already has a response is left
as it is.
"""

from django.db import transaction

from engage.accounts.models import Membership, User
from engage.engagements.models import Engagement, Stance, Status
from engage.responses import services
from engage.responses.models import Response
from engage.responses.services import AnswerInput

KENT_ANSWERS = {
    1: AnswerInput(
        text=(
            "A single framework would let us replace the separate monitoring returns we ask "
            "of each provider with one set of outcomes, freeing time our providers now spend "
            "on reporting, and would let us compare our victims' hub with similar services "
            "elsewhere. The risk is that national measures reward throughput: we want "
            "outcomes that show whether victims feel able to cope and recover, not only how "
            "many referrals were closed."
        )
    ),
    2: AnswerInput(
        text=(
            "Kent is a two-tier county with twelve district councils, and Medway is a "
            "unitary authority, so our commissioning partners differ across the area. The "
            "framework must allow for the Port of Dover and the Channel Tunnel, where we "
            "support victims of modern slavery and exploitation who are in transit and may "
            "never live in Kent; for coastal towns with high deprivation; and for the rural "
            "Weald, where travel times to face-to-face support are long."
        )
    ),
    3: AnswerInput(
        stance=Stance.SUPPORT_WITH_CHANGES,
        text=(
            "Three-year settlements would let us offer providers longer contracts and keep "
            "experienced independent sexual violence and domestic violence advisers. We ask "
            "for an annual uplift for inflation and a clear process if national priorities "
            "change during a settlement."
        ),
    ),
}
KENT_PERSPECTIVE = {
    "challenges": (
        "Recruiting and keeping specialist advocates. Demand for sexual violence support has "
        "risen every year and waiting times for therapeutic counselling are too long. Annual "
        "grants are confirmed late in the financial year, so contracts are often extended a "
        "quarter at a time."
    ),
    "opportunities": (
        "Joint commissioning with Kent County Council and Medway Council for domestic abuse "
        "safe accommodation, and a shared set of outcomes with the NHS for sexual assault "
        "referral services."
    ),
    "local_variations": (
        "Higher demand in Thanet and Swale; cross-border cases with London and Sussex; a "
        "transient population around the ports and the M20 corridor."
    ),
}

GWENT_ANSWERS = {
    1: AnswerInput(
        text=(
            "A framework helps only if it sits alongside the Welsh Government's Violence "
            "against Women, Domestic Abuse and Sexual Violence outcomes rather than adding a "
            "second set: our providers already report against both."
        )
    ),
    2: AnswerInput(
        text=(
            "Health, housing and social care are devolved, so the framework must work with "
            "Welsh Government funding and the Welsh language standards. To add: the views of "
            "the five local authorities once the regional board has met."
        )
    ),
}
# Gwent's commissioner completes the staff's draft (the stance question) before submitting.
GWENT_STANCE = AnswerInput(
    stance=Stance.SUPPORT,
    text=(
        "Three-year settlements as proposed: our providers need the certainty now, and an "
        "annual uplift can follow from the spending review."
    ),
)
GWENT_PERSPECTIVE = {
    "challenges": "English and Welsh funding cycles do not line up.",
    "local_variations": (
        "Devolved health, housing and social care; Welsh language standards for every "
        "service we commission; five local authorities on one regional board."
    ),
}


def _membership(user: User, slug: str) -> Membership:
    return Membership.objects.active().get(user=user, organisation__slug=slug)


def _kent(engagement: Engagement, commissioner: User) -> None:
    response = services.response_start(
        engagement=engagement, membership=_membership(commissioner, "kent"), by=commissioner
    )
    services.response_save_draft(
        response=response,
        by=commissioner,
        revision=response.revision,
        answers=KENT_ANSWERS,
        **KENT_PERSPECTIVE,
    )
    services.response_submit(response=response, by=commissioner, revision=response.revision)


def _gwent(engagement: Engagement, staff: User, commissioner: User) -> None:
    response = services.response_start(
        engagement=engagement, membership=_membership(staff, "gwent"), by=staff
    )
    services.response_save_draft(
        response=response,
        by=staff,
        revision=response.revision,
        answers=GWENT_ANSWERS,
        **GWENT_PERSPECTIVE,
    )
    services.response_save_draft(
        response=response,
        by=commissioner,
        revision=response.revision,
        answers={**GWENT_ANSWERS, 3: GWENT_STANCE},
        **GWENT_PERSPECTIVE,
    )
    services.response_submit(response=response, by=commissioner, revision=response.revision)


@transaction.atomic
def seed_responses(*, engagement: Engagement | None, users: dict[str, User]) -> bool:
    """Kent's and Gwent's submitted responses on `engagement`, each made once; returns
    whether anything was created. Nothing is made once the engagement has closed."""
    if engagement is None or engagement.status != Status.OPEN or not engagement.asks_response:
        return False
    started = set(
        Response.objects.filter(engagement=engagement).values_list(
            "body__organisation__slug", flat=True
        )
    )
    created = False
    if "kent" not in started:
        _kent(engagement, users["kent_commissioner"])
        created = True
    if "gwent" not in started:
        _gwent(engagement, users["gwent_staff"], users["gwent_commissioner"])
        created = True
    return created
