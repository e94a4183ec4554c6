"""Seeing is not reading (issue 7 point 6, ADR 0012): the APCC routes a TLP:RED engagement it
is not named on, and answers a wider-route consultation, from the engagement's heading; the
owning organisation's members who are not the policy's own leads see a TLP:RED engagement's
heading only. The page says why; the text, questions, documents and responses stay hidden."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from engage.accounts.models import Membership, Organisation, Role
from engage.audit.models import AccessLog
from engage.core.labels import Label
from engage.documents import services as documents
from engage.documents.models import Document
from engage.documents.tests import samples
from engage.engagements import services
from engage.engagements.models import Engagement

from .conftest import engagement_fields, open_engagement

pytestmark = pytest.mark.django_db

BODY = "How would the new code change what you commission locally?"  # engagement_fields'


def page(client, engagement) -> str:
    response = client.get(reverse("engagements:detail", args=[engagement.public_id]))
    assert response.status_code == 200
    return response.content.decode()


def upload(personas, engagement, title: str, label: str = Label.AMBER_STRICT) -> Document:
    return documents.document_upload(
        engagement=engagement,
        uploaded_by=personas.moj_lead,
        title=title,
        file=samples.upload("paper.pdf", samples.pdf()),
        label=label,
        recipients=[personas.gwent_staff] if label == Label.RED else [],
    )


def test_the_secretariat_routes_tlp_red_from_its_heading(personas, client_for, policy, victims):
    red = open_engagement(
        personas, policy, groups=[victims], label=Label.RED, recipients=[personas.gwent_staff]
    )
    upload(personas, red, "Red annex", label=Label.RED)
    html = page(client_for(personas.secretariat), red)
    assert red.title in html  # the heading: title, kind, owner, route, dates
    assert "Victims" in html
    assert "You see what you need to know it exists and to route it" in html
    assert BODY not in html
    assert "What would change?" not in html  # the question
    assert "Red annex" not in html
    assert not Engagement.objects.readable_by(personas.secretariat).filter(pk=red.pk).exists()
    # Named, the secretariat reads it.
    named = page(client_for(personas.gwent_staff), red)
    assert BODY in named


def test_only_the_policys_own_leads_read_its_tlp_red_items(personas, client_for, policy, moj):
    colleague = personas.ho_lead  # now also a policy lead at MoJ, not a lead of this policy
    Membership.objects.create(user=colleague, organisation=moj, role=Role.POLICY_LEAD)
    red = services.engagement_create(
        policy=policy,
        by=personas.moj_lead,
        **engagement_fields(label=Label.RED),
        recipients=[personas.gwent_staff],
    )
    html = page(client_for(colleague), red)
    assert BODY not in html
    assert "its text, questions, documents and responses are for its named recipients" in html
    # Nobody acts on what they may not read: the colleague may not change it.
    edit = reverse("engagements:edit", args=[red.public_id])
    assert client_for(colleague).get(edit).status_code == 403
    assert BODY in page(client_for(personas.moj_lead), red)


def test_a_wider_route_consultation_shows_the_apcc_what_the_lead_attached(
    personas, client_for, draft
):
    shared = upload(personas, draft, "Impact assessment")
    upload(personas, draft, "Internal drafting notes")
    services.wider_route_request(
        engagement=draft, by=personas.moj_lead, request="A national change.", documents=[shared]
    )
    apcc = client_for(personas.secretariat)
    html = page(apcc, draft)
    assert "asked the APCC about engaging all policing bodies" in html
    assert BODY not in html
    assert "Impact assessment" in html
    assert "Internal drafting notes" not in html
    decide = apcc.get(reverse("engagements:wider_decide", args=[draft.public_id]))
    assert "Impact assessment" in decide.content.decode()
    readable = Document.objects.visible_to(personas.secretariat).values_list("title", flat=True)
    assert set(readable) == {"Impact assessment"}


def test_a_tlp_red_document_cannot_be_shared_with_the_apcc(personas, draft):
    secret = upload(personas, draft, "Named only", label=Label.RED)
    with pytest.raises(ValidationError) as refused:
        services.wider_route_request(
            engagement=draft, by=personas.moj_lead, request="Why", documents=[secret]
        )
    assert "cannot be shared with the APCC" in str(refused.value)
    assert not draft.wider_route_requests.exists()


def test_the_request_form_offers_the_drafts_shareable_documents(personas, client_for, draft):
    upload(personas, draft, "Impact assessment")
    upload(personas, draft, "Named only", label=Label.RED)
    url = reverse("engagements:wider_request", args=[draft.public_id])
    html = client_for(personas.moj_lead).get(url).content.decode()
    assert "Impact assessment" in html
    assert "Named only" not in html
    response = client_for(personas.moj_lead).post(url, {"request": "Why", "documents": ["nope"]})
    assert response.status_code == 200
    assert "Choose documents from the list" in response.content.decode()
    assert not draft.wider_route_requests.exists()


def test_a_draft_narrowed_to_tlp_red_takes_back_what_was_shared_with_the_apcc(
    personas, client_for, draft
):
    """Found in review: a document attached to a wider-route request stayed readable by the
    secretariat after the lead narrowed the draft to TLP:RED (section 6: RED content is for
    its named recipients)."""
    shared = upload(personas, draft, "Impact assessment")
    services.wider_route_request(
        engagement=draft, by=personas.moj_lead, request="A national change.", documents=[shared]
    )
    services.engagement_update(
        engagement=draft,
        by=personas.moj_lead,
        **engagement_fields(label=Label.RED),
        recipients=[personas.gwent_staff],
    )
    apcc = client_for(personas.secretariat)
    document = reverse("documents:detail", args=[shared.public_id])
    assert apcc.get(document).status_code == 404
    assert "Impact assessment" not in page(apcc, draft)
    decide = apcc.get(reverse("engagements:wider_decide", args=[draft.public_id]))
    assert "Impact assessment" not in decide.content.decode()


def test_pages_about_a_tlp_red_engagements_content_refuse_who_only_sees_its_heading(
    personas, client_for, policy, victims
):
    """Found in review: a secretariat member who is also OPCC staff at Kent could open the
    respond form (the questions) of a TLP:RED engagement named to someone else; an owner
    member who is not a policy lead could export its responses' columns."""
    kent = Organisation.objects.get(slug="kent")
    Membership.objects.create(user=personas.secretariat, organisation=kent, role=Role.OPCC_STAFF)
    red = open_engagement(
        personas,
        policy,
        groups=[victims],
        label=Label.RED,
        recipients=[personas.gwent_commissioner],
    )
    apcc = client_for(personas.secretariat)
    session = apcc.session
    session["engage_organisation"] = str(kent.public_id)  # acting for Kent
    session.save()
    respond = reverse("responses:respond", args=[red.public_id])
    assert apcc.get(respond).status_code == 404
    Membership.objects.create(user=personas.ho_lead, organisation=policy.owner, role=Role.STAFF)
    export = reverse("responses:engagement_responses_export", args=[red.public_id])
    listed = reverse("responses:engagement_responses", args=[red.public_id])
    staff = client_for(personas.ho_lead)
    assert staff.get(export).status_code == 404
    assert staff.get(listed).status_code == 404
    assert client_for(personas.moj_lead).get(export).status_code == 200


def test_the_respond_form_and_the_lists_of_content_are_logged(personas, client_for, opened):
    """Found in review: three pages showed labelled content without an access-log entry."""
    pages = [
        (personas.gwent_staff, reverse("responses:respond", args=[opened.public_id])),
        (personas.moj_lead, reverse("responses:engagement_responses", args=[opened.public_id])),
        (personas.gwent_staff, reverse("engagements:priorities")),
    ]
    for person, url in pages:
        before = AccessLog.objects.filter(user=person, action="view").count()
        assert client_for(person).get(url).status_code == 200
        assert AccessLog.objects.filter(user=person, action="view").count() == before + 1, url


def test_the_heading_leaves_out_what_is_asked_and_why_a_label_was_released(
    personas, client_for, policy, victims
):
    """Found in review: the page showed the secretariat, on a TLP:RED engagement it is not
    named on, what is asked of bodies and the reasons of label releases."""
    red = open_engagement(
        personas, policy, groups=[victims], label=Label.RED, recipients=[personas.gwent_staff]
    )
    html = page(client_for(personas.secretariat), red)
    assert "Asked of policing bodies" not in html
    assert "Asked of policing bodies" in page(client_for(personas.gwent_staff), red)
