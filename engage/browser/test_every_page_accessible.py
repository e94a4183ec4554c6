"""axe-core on every page the journeys do not reach, each opened as someone who may see it, in
the states that matter: empty, filtered, with validation errors, refused.

The journeys (test_national_journey, test_directory_journey) prove that signing in with a
password and an authenticator code works, so here the browser carries a session made by
Django's test client. The demo content (`seed_national_content`) gives every kind of
engagement; each test adds what its pages need through the services.

A sweep reports every page with violations at the end of the test rather than stopping at the
first one, so one run lists everything there is to fix.
"""

import re
from datetime import timedelta
from types import SimpleNamespace
from uuid import uuid4

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from playwright.sync_api import Page, expect

from engage.accounts.models import (
    AccountRequest,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from engage.accounts.services import account_request_submit, invitation_create
from engage.browser.helpers import Sweep
from engage.conftest import PASSWORD
from engage.core.labels import Label
from engage.demo.national import (
    PRIORITIES_POLICY,
    SCREENED_POLICY,
    VICTIMS_POLICY,
    seed_national_content,
)
from engage.directory.models import PolicingBody, StandingGroup
from engage.documents.services import document_replace, document_upload
from engage.engagements import services as engagements
from engage.engagements.models import Engagement, Kind, NationalPriority, QuestionKind, Route
from engage.policies import services as policies
from engage.policies.models import KeyDate, Policy
from engage.responses import services as responses
from engage.responses.models import Response

pytestmark = pytest.mark.browser


def fill_date(page: Page, group: str, day: str, month: str, year: str) -> None:
    fields = page.get_by_role("group", name=group)
    fields.get_by_label("Day").fill(day)
    fields.get_by_label("Month").fill(month)
    fields.get_by_label("Year").fill(year)


def national_content(personas: SimpleNamespace) -> SimpleNamespace:
    """The demo content, and handles on what the tests open."""
    seed_national_content(vars(personas))
    return SimpleNamespace(
        moj=Organisation.objects.get(slug="moj"),
        victims_policy=Policy.objects.get(title=VICTIMS_POLICY),
        priorities_policy=Policy.objects.get(title=PRIORITIES_POLICY),
        screened_policy=Policy.objects.get(title=SCREENED_POLICY),
        early=Engagement.objects.get(policy__title=VICTIMS_POLICY, kind=Kind.EARLY),
        change_notice=Engagement.objects.get(kind=Kind.CHANGE_NOTICE),
        priorities=Engagement.objects.get(kind=Kind.PRIORITIES),
        priority=NationalPriority.objects.order_by("title").first(),
    )


def draft(policy: Policy, lead: User, title: str, kind: str = Kind.CONSULTATION) -> Engagement:
    today = timezone.localdate()
    return engagements.engagement_create(
        policy=policy,
        by=lead,
        kind=kind,
        title=title,
        body="We want local perspectives before we settle the design.",
        opens_on=today,
        response_deadline=today + timedelta(days=21),
        asks_response=True,
    )


def csv_document(engagement: Engagement, lead: User):
    """A spreadsheet (not a PDF, so it downloads through the warning page), in two versions."""
    document = document_upload(
        engagement=engagement,
        uploaded_by=lead,
        title="Commissioning figures by area",
        file=SimpleUploadedFile(
            "figures.csv", b"area,grants\nGwent,12\nKent,9\n", content_type="text/csv"
        ),
    )
    document_replace(
        document=document,
        uploaded_by=lead,
        file=SimpleUploadedFile(
            "figures.csv", b"area,grants\nGwent,12\nKent,10\n", content_type="text/csv"
        ),
    )
    return document


def test_policy_lead_register_and_triage_pages(sweep: Sweep, personas) -> None:
    content = national_content(personas)
    lead = personas.moj_lead
    page = sweep.page
    fresh = policies.policy_create(
        owner=content.moj,
        title="Probation information sharing",
        summary="How probation shares risk information with local partners.",
        created_by=lead,
    )
    not_merited = policies.policy_create(
        owner=content.moj,
        title="Court estate signage",
        summary="New signs in court buildings.",
        created_by=lead,
    )
    policies.policy_record_magnitude(
        policy=not_merited, merits=False, reason="No local effect on policing bodies.", by=lead
    )
    key_date = KeyDate.objects.get(policy=content.victims_policy)

    sweep.sign_in(lead)
    sweep.visit("/")

    # The register: all, filtered, filtered to nothing, and with filters it cannot use.
    sweep.visit("/policies/")
    sweep.visit("/policies/?stage=development&triage=merits")
    sweep.visit("/policies/?q=no+such+policy")
    sweep.visit("/policies/?stage=someday&theme=no-such-theme&q=" + "x" * 101, errors=True)

    # Adding a policy.
    sweep.visit("/policies/new/")
    sweep.submit_with_errors("Add policy")

    # Policies in each triage state: untriaged, not merited, screened out, engaged on.
    for policy in (fresh, not_merited, content.screened_policy, content.priorities_policy):
        sweep.visit(f"/policies/{policy.public_id}/")

    # Triage and changes, empty and with errors.
    base = f"/policies/{fresh.public_id}"
    sweep.visit(f"{base}/magnitude/")
    sweep.submit_with_errors("Record decision")
    sweep.visit(f"{base}/screen/")
    sweep.submit_with_errors("Record screen")
    sweep.visit(f"{base}/stage/")
    sweep.uncheck_radios()
    sweep.submit_with_errors("Change stage")
    sweep.visit(f"{base}/key-dates/new/")
    sweep.submit_with_errors("Add key date")
    sweep.visit(f"{base}/edit/")
    page.get_by_label("Title").fill("")
    page.get_by_label("Summary").fill("")
    sweep.submit_with_errors("Save changes")
    victims = f"/policies/{content.victims_policy.public_id}"
    sweep.visit(f"{victims}/key-dates/{key_date.public_id}/archive/")
    sweep.submit_with_errors("Archive key date")

    sweep.finish()


def test_policy_lead_engagement_pages(sweep: Sweep, personas) -> None:
    content = national_content(personas)
    lead = personas.moj_lead
    page = sweep.page
    early_draft = draft(
        content.victims_policy, lead, "Early views on grant settlements", Kind.EARLY
    )
    for text in ("What works today?", "What gets in the way?"):
        engagements.question_add(
            engagement=early_draft, by=lead, text=text, kind=QuestionKind.FREE_TEXT
        )
    returned = draft(content.victims_policy, lead, "Consultation on victims' advocates")
    engagements.engagement_route(
        engagement=returned,
        by=lead,
        route=Route.STANDING_GROUPS,
        groups=[StandingGroup.objects.get(slug="victims")],
    )
    engagements.engagement_return(
        engagement=returned,
        by=personas.secretariat,
        advice="Send this to the Victims group once the options paper is attached.",
    )
    priorities_draft = draft(
        content.priorities_policy, lead, "Priorities for 2027 to 2028", Kind.PRIORITIES
    )
    document = csv_document(content.early, lead)

    sweep.sign_in(lead)

    # New engagements: refused on a screened-out policy, then errors for each kind.
    sweep.visit(f"/engagements/new/?policy={content.screened_policy.public_id}", errors=True)
    sweep.visit(f"/engagements/new/?policy={content.priorities_policy.public_id}")
    sweep.submit_with_errors("Save draft")
    page.get_by_label("Change notice").check()
    page.get_by_label("Title").fill("Change notice: plan publication moves again")
    page.get_by_label("What are you telling or asking policing bodies?").fill("It moves.")
    today = timezone.localdate()
    fill_date(page, "Opening date", str(today.day), str(today.month), str(today.year))
    sweep.submit_with_errors("Save draft", mentioning="rationale")
    sweep.visit(f"/engagements/new/?policy={content.priorities_policy.public_id}")
    page.get_by_label("Priorities update").check()
    page.get_by_label("Title").fill("Priorities for 2028")
    page.get_by_label("What are you telling or asking policing bodies?").fill("Our priorities.")
    fill_date(page, "Opening date", "31", "2", "2027")
    page.get_by_label("Respond").check()
    fill_date(page, "Response deadline", "1", "", "27")
    sweep.submit_with_errors("Save draft", mentioning="must be a real date")
    sweep.visit(f"/engagements/new/?policy={content.victims_policy.public_id}")
    page.get_by_label("Early engagement").check()
    page.get_by_label("Title").fill("Named people only")
    page.get_by_label("What are you telling or asking policing bodies?").fill("For a few.")
    fill_date(page, "Opening date", str(today.day), str(today.month), str(today.year))
    page.get_by_label("TLP:RED", exact=False).check()
    page.get_by_label("Named recipients").fill("nobody@example.org")
    sweep.submit_with_errors("Save draft", mentioning="nobody@example.org")

    # A draft: its page, the change form, questions, routing and the wider route.
    engagement = f"/engagements/{early_draft.public_id}"
    sweep.visit(f"{engagement}/")
    sweep.visit(f"{engagement}/edit/")
    page.get_by_label("Title").fill("")
    sweep.submit_with_errors("Save draft")
    sweep.visit(f"{engagement}/questions/")
    sweep.submit_with_errors("Add question")
    sweep.visit(f"{engagement}/questions/?edit=1")
    page.locator("main form").first.get_by_label("Question").fill("")
    sweep.submit_with_errors("Save question")
    sweep.visit(f"{engagement}/route/")
    sweep.submit_with_errors("Send to the APCC")
    page.get_by_label("All policing bodies", exact=False).check()
    sweep.submit_with_errors("Send to the APCC", mentioning="APCC has been consulted")
    sweep.visit(f"{engagement}/wider-route/")
    sweep.submit_with_errors("Send to the APCC")
    engagements.wider_route_request(
        engagement=early_draft, by=lead, request="Every body commissions these services."
    )
    sweep.visit(f"{engagement}/wider-route/")
    sweep.visit(f"{engagement}/route/")
    sweep.visit(f"/documents/new/?engagement={early_draft.public_id}")
    sweep.submit_with_errors("Add the document")

    # Returned by the APCC with advice.
    sweep.visit(f"/engagements/{returned.public_id}/")
    sweep.visit(f"/engagements/{returned.public_id}/edit/")

    # A draft priorities update takes national priorities.
    sweep.visit(f"/engagements/{priorities_draft.public_id}/")
    sweep.visit(f"/engagements/{priorities_draft.public_id}/priorities/new/")
    sweep.submit_with_errors("Add priority")

    # An open engagement: closing it, sharing its responses, releasing it to a wider label.
    open_engagement = f"/engagements/{content.early.public_id}"
    sweep.visit(f"{open_engagement}/close/")
    sweep.visit(f"{open_engagement}/share-responses/")
    sweep.submit_with_errors("Share responses")
    sweep.visit(f"{open_engagement}/label/")
    sweep.submit_with_errors("Release")
    engagements.label_release(
        engagement=content.early,
        by=lead,
        to_label=Label.AMBER,
        reason="Local commissioners' partners need to see it.",
        for_whom="Victims' services commissioned by each body",
    )
    sweep.visit(f"{open_engagement}/")

    # A document that is not a PDF, in two versions: its page, download warning, replacing it.
    sweep.visit(f"/documents/{document.public_id}/")
    sweep.visit(f"/documents/{document.public_id}/download/warning/")
    sweep.visit(f"/documents/{document.public_id}/versions/1/download/")
    sweep.visit(f"/documents/{document.public_id}/replace/")
    sweep.submit_with_errors("Upload the new version")

    # The owner's inbox, filtered, and with a filter it cannot use; national priorities.
    sweep.visit("/engagements/inbox/")
    sweep.visit("/engagements/inbox/?status=open&kind=early")
    sweep.visit("/engagements/inbox/?status=archived&kind=memo", errors=True)
    sweep.visit("/engagements/priorities/")
    sweep.visit(f"/engagements/priorities/{content.priority.public_id}/")

    # A closed engagement.
    engagements.engagement_close(engagement=content.priorities, by=lead)
    sweep.visit(f"/engagements/{content.priorities.public_id}/")

    # Their own access log.
    sweep.visit("/activity/")
    sweep.visit("/activity/?action=view")

    sweep.finish()


def test_apcc_secretariat_pages(sweep: Sweep, personas) -> None:
    content = national_content(personas)
    lead = personas.moj_lead
    awaiting = draft(content.victims_policy, lead, "Consultation on victims' advocates")
    engagements.engagement_route(
        engagement=awaiting,
        by=lead,
        route=Route.STANDING_GROUPS,
        groups=[StandingGroup.objects.get(slug="victims")],
    )
    wider = draft(content.victims_policy, lead, "Early views on grant settlements", Kind.EARLY)
    engagements.wider_route_request(
        engagement=wider, by=lead, request="Every policing body commissions these services."
    )

    sweep.sign_in(personas.secretariat)
    sweep.visit("/")
    sweep.visit("/engagements/apcc/")
    sweep.visit(f"/engagements/{awaiting.public_id}/")
    sweep.visit(f"/engagements/{awaiting.public_id}/return/")
    sweep.submit_with_errors("Return with advice")
    sweep.visit(f"/engagements/{wider.public_id}/")
    sweep.visit(f"/engagements/{wider.public_id}/wider-route/decide/")
    sweep.submit_with_errors("Send answer")
    sweep.visit(f"/engagements/{content.change_notice.public_id}/")

    # The secretariat's inbox, filtered and with a filter it cannot use.
    sweep.visit("/engagements/inbox/")
    sweep.visit("/engagements/inbox/?status=awaiting_apcc")
    sweep.visit("/engagements/inbox/?kind=memo", errors=True)

    # The whole access log, filtered by action and person.
    sweep.visit("/activity/")
    sweep.visit("/activity/?action=view&person=lead%40moj.example.org")

    sweep.finish()


def test_policing_body_and_local_pages(sweep: Sweep, personas) -> None:
    content = national_content(personas)
    document = csv_document(content.early, personas.moj_lead)
    # Someone in two organisations chooses which one they act for, in the header.
    second = Organisation.objects.create(
        slug="second-partner", name="Second Local Partner", kind=OrganisationKind.LOCAL_PARTNER
    )
    Membership.objects.create(user=personas.outsider, organisation=second, role=Role.MEMBER)

    # OPCC staff in a body in the Victims standing group.
    sweep.sign_in(personas.gwent_staff)
    sweep.visit("/engagements/inbox/")
    sweep.visit("/engagements/inbox/?status=open&kind=change_notice")
    sweep.visit("/engagements/inbox/?status=archived", errors=True)
    sweep.visit(f"/engagements/{content.change_notice.public_id}/")
    sweep.visit(f"/policies/{content.victims_policy.public_id}/")  # seen through an engagement
    sweep.visit("/policies/")  # their organisation keeps no register
    sweep.visit(f"/documents/{document.public_id}/")
    sweep.visit(f"/documents/{document.public_id}/download/warning/")
    sweep.visit("/engagements/priorities/")  # none: priorities go to chief executives
    sweep.visit("/activity/")

    # The directory pages the directory journey does not open.
    sweep.visit("/directory/national-bodies/")
    sweep.visit("/directory/standing-groups/")
    sweep.visit("/directory/standing-groups/victims/")
    kent = PolicingBody.objects.get(organisation__slug="kent")
    sweep.visit(f"/directory/bodies/{kent.slug}/")

    # Refused and missing pages.
    sweep.visit("/manage/", status=403)
    sweep.visit(f"/engagements/{uuid4()}/", status=404)
    sweep.visit("/no-such-page/", status=404)

    # A chief executive: the priorities update and its national priorities.
    sweep.sign_in(personas.surrey_ceo)
    sweep.visit("/")
    sweep.visit("/engagements/inbox/")
    sweep.visit(f"/engagements/{content.priorities.public_id}/")
    sweep.visit("/engagements/priorities/")
    sweep.visit("/engagements/priorities/?source=ministerial")
    sweep.visit("/engagements/priorities/?source=rumour", errors=True)
    sweep.visit(f"/engagements/priorities/{content.priority.public_id}/")

    # People outside the protocol: a voluntary organisation, and someone in two local partners.
    for person in (personas.vcs_member, personas.outsider):
        sweep.sign_in(person)
        sweep.visit("/")
        sweep.visit("/engagements/inbox/")
        sweep.visit("/policies/")
        sweep.visit("/engagements/priorities/")

    sweep.finish()


def test_response_pages(sweep: Sweep, personas) -> None:
    """A body's response from first draft to a second version, as its staff, its commissioner,
    the policy lead and the APCC see it, with the errors each page can show."""
    content = national_content(personas)
    lead, staff, commissioner = personas.moj_lead, personas.gwent_staff, personas.gwent_commissioner
    page = sweep.page
    consultation = draft(content.victims_policy, lead, "Consultation on grant settlements")
    free_text = "What would three-year settlements change locally?"
    stance = "Do you support three-year settlements?"
    engagements.question_add(
        engagement=consultation, by=lead, text=free_text, kind=QuestionKind.FREE_TEXT
    )
    engagements.question_add(
        engagement=consultation, by=lead, text=stance, kind=QuestionKind.STANCE
    )
    engagements.engagement_route(
        engagement=consultation,
        by=lead,
        route=Route.STANDING_GROUPS,
        groups=[StandingGroup.objects.get(slug="victims")],
    )
    engagements.engagement_confirm_routing(engagement=consultation, by=personas.secretariat)
    engagement = f"/engagements/{consultation.public_id}/"
    respond = f"/responses/engagement/{consultation.public_id}/respond/"
    gwent = PolicingBody.objects.get(organisation__slug="gwent")

    # OPCC staff draft: nothing to save, a stance not chosen yet, then someone else's save.
    sweep.sign_in(staff)
    sweep.visit(engagement)
    sweep.visit(respond)
    sweep.submit_with_errors("Save draft", mentioning="nothing to save")
    page.get_by_label(free_text).fill("More advocates in rural areas.")
    with page.expect_navigation():
        sweep.button("Save draft").click()
    sweep.check()
    response = Response.objects.get(engagement=consultation)
    sweep.visit(f"/responses/{response.public_id}/")
    sweep.visit(respond)
    responses.response_save_draft(
        response=response,
        by=commissioner,
        revision=response.revision,
        answers={1: responses.AnswerInput(text="The commissioner's words.")},
    )
    page.get_by_label(free_text).fill("The staff member's words.")
    sweep.submit_with_errors("Save draft", mentioning="Someone else saved this response")
    sweep.visit("/responses/delegations/")

    # The commissioner: submitting with a stance missing, then a version; delegations.
    sweep.sign_in(commissioner)
    submit = f"/responses/{response.public_id}/submit/"
    sweep.visit(submit)
    sweep.submit_with_errors("Submit response", mentioning="Choose your stance")
    sweep.visit(respond)
    page.get_by_label("Support with changes").check()
    with page.expect_navigation():
        sweep.button("Save draft").click()
    sweep.visit(submit)
    with page.expect_navigation():
        sweep.button("Submit response").click()
    sweep.check()
    sweep.visit(submit)  # nothing changed since version 1
    sweep.visit(f"/responses/{response.public_id}/versions/1/")
    sweep.visit(engagement)
    sweep.visit("/responses/delegations/")
    sweep.submit_with_errors("Delegate", mentioning="Choose the person")
    delegation = responses.delegation_grant(body=gwent, delegate=staff, by=commissioner)
    sweep.visit("/responses/delegations/")
    sweep.visit(f"/responses/delegations/{delegation.pk}/withdraw/")

    # The policy lead reads the submitted responses; the APCC cannot respond.
    sweep.sign_in(lead)
    sweep.visit(engagement)
    listing = f"/responses/engagement/{consultation.public_id}/"
    sweep.visit(listing)
    sweep.visit(f"{listing}?timing=late")  # none
    sweep.visit(f"{listing}?timing=soon", errors=True)
    sweep.visit(f"/responses/{response.public_id}/")
    sweep.visit(f"/responses/{response.public_id}/versions/1/")
    sweep.sign_in(personas.secretariat)
    sweep.visit(respond, status=403)
    sweep.visit("/responses/delegations/", status=403)

    sweep.finish()


def test_administration_pages(sweep: Sweep, personas) -> None:
    page = sweep.page
    gwent = Organisation.objects.get(slug="gwent")
    invitation, _token = invitation_create(
        organisation=gwent,
        email="new.starter@gwent.example.org",
        role=Role.OPCC_STAFF,
        invited_by=personas.gwent_commissioner,
    )
    account_request = account_request_submit(
        organisation_name="Cardiff Victim Support Hub",
        contact_name="Alys Morgan",
        email="alys@cardiff-hub.example.org",
        purpose="Logging meetings with the commissioner's office.",
        areas_served=PolicingBody.objects.filter(organisation__slug="south-wales"),
    )
    membership = Membership.objects.get(user=personas.gwent_staff, organisation=gwent)

    sweep.sign_in(personas.admin)
    sweep.visit("/")  # a site administrator belongs to no organisation
    sweep.visit("/manage/")
    sweep.visit("/manage/organisations/")
    sweep.visit("/manage/organisations/?q=Gwent&kind=policing_body")
    sweep.visit("/manage/organisations/?q=no+such+organisation")
    sweep.visit("/manage/organisations/new/")
    sweep.submit_with_errors("Add organisation")
    sweep.visit(f"/manage/organisations/{gwent.public_id}/")
    sweep.visit(f"/manage/organisations/{gwent.public_id}/invite/")
    sweep.submit_with_errors("Send invitation")
    page.get_by_label("Email address").fill(personas.gwent_staff.email)
    page.get_by_label("OPCC staff").check()
    sweep.submit_with_errors("Send invitation", mentioning="already a member")
    sweep.visit(f"/manage/invitations/{invitation.public_id}/withdraw/")
    sweep.visit(f"/manage/memberships/{membership.pk}/end/")
    sweep.submit_with_errors("End membership")
    sweep.visit("/manage/requests/")
    sweep.visit("/manage/requests/?status=approved")
    sweep.visit(f"/manage/requests/{account_request.public_id}/")
    sweep.submit_with_errors("Record decision")
    page.get_by_label("Turn down").check()
    sweep.submit_with_errors("Record decision", mentioning="Explain why")
    sweep.visit("/activity/")

    sweep.finish()


def test_pages_without_signing_in(sweep: Sweep, personas, mailoutbox) -> None:
    page = sweep.page
    gwent = Organisation.objects.get(slug="gwent")
    _invitation, token = invitation_create(
        organisation=gwent,
        email="new.starter@gwent.example.org",
        role=Role.OPCC_STAFF,
        invited_by=personas.gwent_commissioner,
    )
    _invitation, existing_token = invitation_create(
        organisation=Organisation.objects.get(slug="kent"),
        email=personas.gwent_staff.email,
        role=Role.OPCC_STAFF,
        invited_by=personas.kent_commissioner,
    )
    sweep.sign_in(None)

    sweep.visit("/privacy")
    sweep.visit("/cookies")
    sweep.visit("/accounts/login/")
    sweep.submit_with_errors("Sign in")
    sweep.visit("/accounts/signup/")  # sign-up is closed: people are invited
    sweep.visit("/accounts/inactive/")

    # Asking for an account: errors, then sent.
    sweep.visit("/accounts/request/")
    sweep.submit_with_errors("Send request")
    page.get_by_label("Organisation name").fill("Cardiff Victim Support Hub")
    page.get_by_label("Gwent", exact=False).first.check()
    page.get_by_label("Your full name").fill("Alys Morgan")
    page.get_by_label("Your email address").fill("alys@cardiff-hub.example.org")
    page.get_by_label("What do you want to use Engage for?").fill("Logging meetings.")
    with page.expect_navigation():
        sweep.button("Send request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Request sent")
    sweep.check()
    assert AccountRequest.objects.filter(email="alys@cardiff-hub.example.org").exists()

    # Accepting an invitation: a new account (with errors), an existing one, a dead link.
    sweep.visit(f"/accounts/invitation/{token}/")
    sweep.submit_with_errors("Create account")
    page.get_by_label("Full name").fill("Nia Jones")
    page.get_by_label("Create a password").fill("a-long-enough-password")
    page.get_by_label("Confirm the password").fill("a-different-password!")
    sweep.submit_with_errors("Create account", mentioning="do not match")
    sweep.visit(f"/accounts/invitation/{existing_token}/")
    sweep.visit("/accounts/invitation/not-a-real-token/", status=404)

    # Resetting a password.
    sweep.visit("/accounts/password/reset/")
    sweep.submit_with_errors(sweep.form_button())
    page.get_by_label("Email").fill(personas.gwent_staff.email)
    sweep.form_button().click()
    expect(page).to_have_url(re.compile(r"/accounts/password/reset/done/$"))
    sweep.check()
    link = re.search(r"/accounts/password/reset/key/\S+", mailoutbox[-1].body)
    assert link, mailoutbox[-1].body
    sweep.visit(
        link.group(), lands_on=re.compile(r"/accounts/password/reset/key/\w+-set-password/")
    )
    sweep.submit_with_errors(sweep.form_button())
    sweep.visit("/accounts/password/reset/key/done/")

    # A form sent without its CSRF cookie, as after the browser dropped it.
    sweep.visit("/accounts/request/")
    page.context.clear_cookies()
    with page.expect_response(lambda response: response.request.method == "POST") as sent:
        sweep.button("Send request").click()
    assert sent.value.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Sorry, we could not accept that form"
    )
    sweep.check()

    sweep.finish()


def test_account_security_pages(sweep: Sweep, personas) -> None:
    page = sweep.page
    # Someone who joined a policing body and has not yet set up two-step verification.
    newcomer = User.objects.create_user(
        email="newcomer@gwent.example.org", password=PASSWORD, full_name="Cai Hughes"
    )
    Membership.objects.create(
        user=newcomer, organisation=Organisation.objects.get(slug="gwent"), role=Role.OPCC_STAFF
    )
    sweep.sign_in(newcomer)
    sweep.visit("/engagements/inbox/", lands_on="/accounts/mfa-required/?next=/engagements/inbox/")
    sweep.visit("/accounts/2fa/")
    # Setting up TOTP asks for the password again first.
    sweep.visit(
        "/accounts/2fa/totp/activate/",
        lands_on="/accounts/reauthenticate/?next=%2Faccounts%2F2fa%2Ftotp%2Factivate%2F",
    )
    sweep.submit_with_errors(sweep.form_button())
    page.get_by_label("Password").fill(PASSWORD)
    sweep.form_button().click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    sweep.check()
    page.locator("main input[name=code]").fill("000000")
    sweep.submit_with_errors(sweep.form_button())

    # Someone with TOTP: recovery codes (after reauthenticating), and the other account pages.
    sweep.sign_in(personas.gwent_staff)
    sweep.visit("/accounts/2fa/")
    sweep.visit(
        "/accounts/2fa/recovery-codes/",
        lands_on="/accounts/reauthenticate/?next=%2Faccounts%2F2fa%2Frecovery-codes%2F",
    )
    page.get_by_label("Password").fill(PASSWORD)
    sweep.form_button().click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/recovery-codes/$"))
    sweep.check()
    sweep.visit("/accounts/2fa/recovery-codes/generate/")
    sweep.visit("/accounts/2fa/reauthenticate/")
    page.locator("main input[name=code]").fill("000000")
    sweep.submit_with_errors(sweep.form_button())
    sweep.visit("/accounts/2fa/totp/deactivate/")
    sweep.visit("/accounts/password/change/")
    sweep.submit_with_errors(sweep.form_button())
    sweep.visit("/accounts/logout/")

    sweep.finish()
