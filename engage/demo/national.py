"""Demo content for the national side (`manage.py seed_demo`): a policy at development stage
with an open early engagement to the Victims standing group (with Kent's and Gwent's
submitted responses: `engage.demo.responses`), a Home Office change notice sent to every
policing body with the APCC's agreement, a priorities update to APACE, and a policy screened
out on national-security grounds. Everything goes through the services, as a person
would, so the records, histories and access log are as the service writes them.
"""

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from engage.accounts.models import Organisation, User
from engage.directory.models import PriorityTheme, StandingGroup
from engage.documents.samples import text_pdf
from engage.documents.services import document_upload
from engage.engagements import services
from engage.engagements.models import Engagement, Kind, PrioritySource, QuestionKind, Route
from engage.policies import services as policies
from engage.policies.models import Policy, Stage

from .responses import seed_responses

VICTIMS_POLICY = "Victims' services commissioning reform"
CHANGE_POLICY = "Police and crime plan guidance"
PRIORITIES_POLICY = "Criminal Justice Board priorities 2026 to 2027"
SCREENED_POLICY = "Counter-terrorism information sharing with local bodies"


def _themes(*names: str) -> list[PriorityTheme]:
    return list(PriorityTheme.objects.filter(name__in=names))


def _triage(policy: Policy, lead: User, *, national_security: bool = False) -> None:
    policies.policy_record_magnitude(
        policy=policy,
        merits=True,
        reason="Changes what local policing bodies commission and how they account for it.",
        by=lead,
    )
    policies.policy_screen(
        policy=policy,
        sensitive_information=False,
        prosecutorial_independence=False,
        judicial_independence=False,
        national_security=national_security,
        notes="Screened by the policy lead with the department's security adviser.",
        by=lead,
    )


def _victims_engagement(moj: Organisation, lead: User, secretariat: User) -> None:
    policy = policies.policy_create(
        owner=moj,
        title=VICTIMS_POLICY,
        summary=(
            "Reform of how victims' support services are commissioned locally: a national "
            "outcomes framework, multi-year grants to policing bodies and a common approach "
            "to independent domestic and sexual violence advisers."
        ),
        created_by=lead,
        themes=_themes("Supporting victims and witnesses", "Domestic abuse"),
    )
    policies.policy_change_stage(policy=policy, stage=Stage.DEVELOPMENT, by=lead)
    policies.key_date_add(
        policy=policy,
        kind="consultation",
        date=timezone.localdate() + timedelta(days=60),
        by=lead,
        label="Public consultation opens",
    )
    _triage(policy, lead)
    today = timezone.localdate()
    engagement = services.engagement_create(
        policy=policy,
        by=lead,
        kind=Kind.EARLY,
        title="Early views: a national outcomes framework for victims' services",
        body=(
            "We are developing options for commissioning victims' services and want local "
            "perspectives before we settle the design: where the current arrangements work, "
            "where they get in the way, and what varies between areas."
        ),
        opens_on=today,
        response_deadline=today + timedelta(days=28),
        asks_response=True,
        asks_dissemination=False,
    )
    for text, kind in (
        (
            "What would a single outcomes framework change in how you commission services?",
            QuestionKind.FREE_TEXT,
        ),
        ("Which local variations must the framework allow for?", QuestionKind.FREE_TEXT),
        ("Do you support moving to three-year grant settlements?", QuestionKind.STANCE),
    ):
        services.question_add(engagement=engagement, by=lead, text=text, kind=kind)
    document_upload(
        engagement=engagement,
        uploaded_by=lead,
        title="Options paper: commissioning victims' services",
        file=SimpleUploadedFile(
            "options-paper.pdf",
            text_pdf(
                "Options paper: commissioning victims' services",
                [
                    "Option 1: keep annual grants, add a shared outcomes framework.",
                    "Option 2: three-year grants with a shared outcomes framework.",
                    "Option 3: national commissioning of specialist services, local "
                    "commissioning of the rest.",
                    "We would value views on the practical effects of each option in your area.",
                ],
            ),
            content_type="application/pdf",
        ),
    )
    services.engagement_route(
        engagement=engagement,
        by=lead,
        route=Route.STANDING_GROUPS,
        groups=[StandingGroup.objects.get(slug="victims")],
    )
    services.engagement_confirm_routing(engagement=engagement, by=secretariat)


def _change_notice(home_office: Organisation, lead: User, secretariat: User) -> None:
    policy = policies.policy_create(
        owner=home_office,
        title=CHANGE_POLICY,
        summary="Statutory guidance on the content and publication of police and crime plans.",
        created_by=lead,
        themes=_themes("Public trust, confidence and police standards"),
    )
    policies.policy_change_stage(policy=policy, stage=Stage.IMPLEMENTATION, by=lead)
    _triage(policy, lead)
    today = timezone.localdate()
    engagement = services.engagement_create(
        policy=policy,
        by=lead,
        kind=Kind.CHANGE_NOTICE,
        title="Change notice: plan publication deadline moves to 31 March",
        body="Police and crime plans must now be published by 31 March of the first year.",
        rationale=(
            "Aligning publication with the precept and budget cycle, as policing bodies "
            "asked in the 2025 review."
        ),
        effective_date=today + timedelta(days=90),
        opens_on=today,
        asks_dissemination=True,
    )
    request = services.wider_route_request(
        engagement=engagement,
        by=lead,
        request="The change applies to every policing body, whatever its standing groups.",
    )
    services.wider_route_decide(
        wider_request=request,
        by=secretariat,
        decision="agreed",
        advice="Agreed: a change notice to all bodies, copied to chief executives by APACE.",
    )
    services.engagement_route(engagement=engagement, by=lead, route=Route.ALL_BODIES)
    services.engagement_confirm_routing(engagement=engagement, by=secretariat)


def _priorities_update(moj: Organisation, lead: User, secretariat: User) -> None:
    policy = policies.policy_create(
        owner=moj,
        title=PRIORITIES_POLICY,
        summary="The Criminal Justice Board's and ministers' priorities for the coming year.",
        created_by=lead,
        themes=_themes("Efficient criminal justice system", "Reducing reoffending"),
    )
    policies.policy_change_stage(policy=policy, stage=Stage.IMPLEMENTATION, by=lead)
    _triage(policy, lead)
    today = timezone.localdate()
    engagement = services.engagement_create(
        policy=policy,
        by=lead,
        kind=Kind.PRIORITIES,
        title="Ministerial and Criminal Justice Board priorities for 2026 to 2027",
        body="The priorities below guide national work this year; we share them for planning.",
        opens_on=today,
        asks_dissemination=True,
    )
    for title, source, theme, info in (
        (
            "Reduce the Crown Court backlog",
            PrioritySource.BOARD,
            "Efficient criminal justice system",
            "Local criminal justice boards to report listing and case-progression measures.",
        ),
        (
            "Halve violence against women and girls within a decade",
            PrioritySource.MINISTERIAL,
            "Violence against women and girls (VAWG)",
            "The ministerial mission; policing bodies' plans are asked to set local measures.",
        ),
    ):
        services.national_priority_add(
            engagement=engagement,
            by=lead,
            title=title,
            source=source,
            period_start=date(2026, 4, 1),
            period_end=date(2027, 3, 31),
            supporting_information=info,
            themes=_themes(theme),
        )
    services.engagement_route(engagement=engagement, by=lead, route=Route.APACE)
    services.engagement_confirm_routing(engagement=engagement, by=secretariat)


def _screened_out(moj: Organisation, lead: User) -> None:
    policy = policies.policy_create(
        owner=moj,
        title=SCREENED_POLICY,
        summary="Arrangements for sharing counter-terrorism risk information with local bodies.",
        created_by=lead,
        themes=_themes("Serious and organised crime"),
    )
    _triage(policy, lead, national_security=True)


@transaction.atomic
def seed_national_content(users: dict[str, User]) -> bool:
    """Create the demo content once; returns False when it is already there.

    The policing bodies' responses are seeded last, each once, on their own check: a demo
    database made before responses existed gets them on the next run."""
    moj = Organisation.objects.get(slug="moj")
    created = False
    if not Policy.objects.filter(owner=moj, title=VICTIMS_POLICY).exists():
        home_office = Organisation.objects.get(slug="ho")
        secretariat = users["secretariat"]
        _victims_engagement(moj, users["moj_lead"], secretariat)
        _change_notice(home_office, users["ho_lead"], secretariat)
        _priorities_update(moj, users["moj_lead"], secretariat)
        _screened_out(moj, users["moj_lead"])
        created = True
    early = Engagement.objects.filter(
        owner=moj, policy__title=VICTIMS_POLICY, kind=Kind.EARLY
    ).first()
    return seed_responses(engagement=early, users=users) or created
