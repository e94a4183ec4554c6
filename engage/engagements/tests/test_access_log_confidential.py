"""What the access log says about a screened-out policy is for the owning organisation only
(DESIGN.md section 6): the refusals recorded when someone tries to engage on it, and the views
of the policy and its engagements (the responses' are in the responses tests). Site
administrators and the APCC secretariat, who read every other entry, would otherwise learn
that the policy exists and was screened out."""

import pytest
from django.urls import reverse

from engage.accounts.models import Organisation
from engage.audit.models import AccessAction, AccessLog
from engage.engagements import services
from engage.policies.models import TriageOutcome

from .conftest import engagement_fields

pytestmark = pytest.mark.django_db


def mark_screened_out(policy):
    policy.triage_outcome = TriageOutcome.SCREENED_OUT
    policy.national_security = True
    policy.save()


def readers(personas, entry) -> set[str]:
    names = ("moj_lead", "ho_lead", "secretariat", "admin", "gwent_staff", "kent_commissioner")
    return {
        name
        for name in names
        if AccessLog.objects.visible_to(getattr(personas, name)).filter(pk=entry.pk).exists()
    }


def test_the_owners_refused_attempt_is_read_by_the_owner_only(
    personas, client_for, screened_policy
):
    lead = client_for(personas.moj_lead)
    lead.get(f"{reverse('engagements:new')}?policy={screened_policy.public_id}")
    entry = AccessLog.objects.get(action=AccessAction.REFUSED, object_type="policy")
    assert entry.confidential_to == Organisation.objects.get(slug="moj")
    assert readers(personas, entry) == {"moj_lead"}

    for persona in ("secretariat", "admin"):
        page = client_for(getattr(personas, persona)).get(reverse("audit:log")).content.decode()
        assert str(screened_policy.public_id) not in page
        assert "policy outside the protocol" not in page
    owner_page = lead.get(reverse("audit:log")).content.decode()
    assert "policy outside the protocol" in owner_page


def test_the_secretariats_refusal_on_a_screened_out_policy_is_not_shown_to_the_apcc(
    personas, policy, victims
):
    draft = services.engagement_create(policy=policy, by=personas.moj_lead, **engagement_fields())
    awaiting = services.engagement_route(
        engagement=draft, by=personas.moj_lead, route="groups", groups=[victims]
    )
    mark_screened_out(policy)
    with pytest.raises(services.PolicyRefused):
        services.engagement_confirm_routing(engagement=awaiting, by=personas.secretariat)
    entry = AccessLog.objects.get(action=AccessAction.REFUSED, object_type="policy")
    assert entry.user == personas.secretariat
    assert readers(personas, entry) == {"moj_lead"}


def test_views_of_a_screened_out_policy_and_its_engagement_are_the_owners_only(
    personas, client_for, opened, policy
):
    mark_screened_out(policy)
    lead = client_for(personas.moj_lead)
    for url in (
        reverse("policies:detail", args=[policy.public_id]),
        reverse("engagements:detail", args=[opened.public_id]),
        reverse("engagements:share_responses", args=[opened.public_id]),
    ):
        assert lead.get(url).status_code == 200
    entries = AccessLog.objects.filter(action=AccessAction.VIEW)
    assert entries.count() == 3
    for entry in entries:
        assert entry.confidential_to == policy.owner
        assert readers(personas, entry) == {"moj_lead"}


def test_views_of_an_ordinary_policy_and_engagement_keep_their_readers(
    personas, client_for, opened, policy
):
    client_for(personas.moj_lead).get(reverse("engagements:detail", args=[opened.public_id]))
    entry = AccessLog.objects.get(action=AccessAction.VIEW)
    assert entry.confidential_to is None
    assert readers(personas, entry) == {"moj_lead", "secretariat", "admin"}


def test_entries_logged_before_the_screen_become_the_owners_only(
    personas, client_for, opened, policy
):
    """Found in review: views logged while the policy was in the protocol stayed readable by
    administrators, the secretariat and their authors once it was screened out."""
    from engage.documents import services as documents
    from engage.documents.tests import samples
    from engage.policies import services as policies
    from engage.responses import services as responses

    document = documents.document_upload(
        engagement=opened,
        uploaded_by=personas.moj_lead,
        title="Briefing",
        file=samples.upload("briefing.pdf", samples.pdf()),
    )
    gwent = next(m for m in personas.gwent_staff.memberships.all())
    response = responses.response_start(
        engagement=opened, membership=gwent, by=personas.gwent_staff
    )
    urls = [
        (personas.secretariat, reverse("engagements:detail", args=[opened.public_id])),
        (personas.secretariat, reverse("policies:detail", args=[policy.public_id])),
        (personas.kent_commissioner, reverse("documents:detail", args=[document.public_id])),
        (personas.gwent_staff, reverse("responses:detail", args=[response.public_id])),
        (personas.moj_lead, reverse("responses:engagement_responses", args=[opened.public_id])),
    ]
    for person, url in urls:
        assert client_for(person).get(url).status_code == 200, url
    before = list(AccessLog.objects.filter(action=AccessAction.VIEW, confidential_to=None))
    assert {entry.object_type for entry in before} >= {
        "engagement",
        "policy",
        "document",
        "response",
        "responses",
    }
    assert "secretariat" in readers(personas, before[0]) | readers(personas, before[-1])

    policies.policy_screen(
        policy=policy,
        sensitive_information=False,
        prosecutorial_independence=False,
        judicial_independence=False,
        national_security=True,
        notes="",
        by=personas.moj_lead,
    )
    for entry in before:
        assert readers(personas, entry) <= {"moj_lead"}, (entry.object_type, entry.path)
    # Entries about other records are untouched.
    other = AccessLog.objects.create(
        action=AccessAction.VIEW,
        object_type="engagement",
        object_id="not-this-one",
        user=personas.secretariat,
    )
    assert "secretariat" in readers(personas, other)
