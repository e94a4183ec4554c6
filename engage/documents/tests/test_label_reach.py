"""A document's reach is the narrower of its own label and its engagement's (ADR 0004):
releasing an engagement to a wider label does not release the documents under it."""

import pytest
from django.urls import reverse

from engage.accounts.viewer import Viewer
from engage.conftest import EVERYONE
from engage.core.labels import Label
from engage.documents.models import Document
from engage.engagements import services as engagement_services

from . import samples

# The owner, the APCC secretariat and the routed Victims group (Gwent leads, Kent a member).
ROUTED = {"moj_lead", "secretariat", "gwent_commissioner", "gwent_staff", "kent_commissioner"}
# Everyone in a protocol organisation: national bodies, the APCC and the policing bodies.
PROTOCOL = ROUTED | {"ho_lead", "dorset_commissioner", "surrey_ceo"}


def _url(name, document, *args):
    return reverse(f"documents:{name}", args=[document.public_id, *args])


def who_sees(personas, document) -> set[str]:
    return {
        name
        for name in EVERYONE
        if Document.objects.visible_to(getattr(personas, name)).filter(pk=document.pk).exists()
    }


def _release(personas, engagement, label):
    engagement_services.label_release(
        engagement=engagement,
        by=personas.moj_lead,
        to_label=label,
        reason="Wider discussion",
        for_whom="Everyone concerned",
    )


@pytest.fixture
def strict_documents(personas, engagement, make_document):
    """An AMBER+STRICT PDF and Word document on the (AMBER+STRICT, open) engagement."""
    return (
        make_document("strict.pdf", samples.pdf(), title="Strict PDF"),
        make_document("strict.docx", samples.docx(), title="Strict Word"),
    )


@pytest.mark.parametrize("released_to", [Label.CLEAR, Label.GREEN])
def test_releasing_the_engagement_does_not_release_its_documents(
    personas, client_for, engagement, strict_documents, released_to
):
    _release(personas, engagement, released_to)
    pdf, docx = strict_documents
    for document in strict_documents:
        document.refresh_from_db()
        assert document.label == Label.AMBER_STRICT
        assert who_sees(personas, document) == ROUTED

    for who in ("vcs_member", "dorset_commissioner", "outsider", "admin"):
        client = client_for(getattr(personas, who))
        assert client.get(_url("detail", pdf)).status_code == 404, who
        assert client.get(_url("download", pdf)).status_code == 404, who
        assert client.get(_url("download_warning", docx)).status_code == 404, who
        assert client.post(_url("download", docx)).status_code == 404, who
        assert client.get(_url("version_download", pdf, 1)).status_code == 404, who

    for who in ("gwent_commissioner", "kent_commissioner"):
        client = client_for(getattr(personas, who))
        assert client.get(_url("detail", pdf)).status_code == 200, who
        assert client.get(_url("download", pdf)).status_code == 200, who
        assert client.get(_url("download_warning", docx)).status_code == 200, who
        assert client.post(_url("download", docx)).status_code == 200, who


@pytest.mark.parametrize("released_to", [Label.CLEAR, Label.GREEN])
def test_the_engagement_list_leaves_out_the_narrower_documents(
    personas, engagement, make_document, strict_documents, released_to
):
    from engage.documents.selectors import documents_for_engagement

    _release(personas, engagement, released_to)
    make_document(title="Released too", label=released_to)
    titles = [d.title for d in documents_for_engagement(personas.dorset_commissioner, engagement)]
    assert titles == ["Released too"]
    titles = [d.title for d in documents_for_engagement(personas.kent_commissioner, engagement)]
    assert titles == ["Released too", "Strict PDF", "Strict Word"]


def test_amber_is_for_the_routed_audience_too(personas, engagement, make_document):
    _release(personas, engagement, Label.CLEAR)
    assert who_sees(personas, make_document(label=Label.AMBER)) == ROUTED


def test_a_green_document_on_a_green_engagement_reaches_every_protocol_member(
    personas, client_for, engagement, make_document
):
    _release(personas, engagement, Label.GREEN)
    document = make_document(label=Label.GREEN)
    assert who_sees(personas, document) == PROTOCOL
    client = client_for(personas.dorset_commissioner)
    assert client.get(_url("detail", document)).status_code == 200
    assert client.get(_url("download", document)).status_code == 200
    assert client_for(personas.vcs_member).get(_url("detail", document)).status_code == 404


def test_a_green_document_on_a_clear_engagement_stays_with_protocol_members(
    personas, engagement, make_document
):
    _release(personas, engagement, Label.CLEAR)
    assert who_sees(personas, make_document(label=Label.GREEN)) == PROTOCOL


def test_a_clear_document_on_a_clear_engagement_reaches_everyone_signed_in(
    personas, engagement, make_document
):
    _release(personas, engagement, Label.CLEAR)
    assert who_sees(personas, make_document(label=Label.CLEAR)) == set(EVERYONE)


def test_a_red_document_on_a_clear_engagement_stays_with_its_named_recipients(
    personas, engagement, make_document
):
    _release(personas, engagement, Label.CLEAR)
    document = make_document(label=Label.RED, recipients=[personas.kent_commissioner])
    assert who_sees(personas, document) == {"moj_lead", "kent_commissioner"}


def test_a_released_engagement_awaiting_the_apcc_shows_its_documents_to_the_secretariat(
    personas, make_engagement, make_document
):
    awaiting = make_engagement(status="awaiting_apcc", title="Awaiting")
    strict = make_document(on=awaiting, title="Strict")
    _release(personas, awaiting, Label.CLEAR)
    # Not open yet: no audience, and no widening either.
    assert who_sees(personas, strict) == {"moj_lead", "secretariat"}
    assert who_sees(personas, make_document(on=awaiting, label=Label.CLEAR)) == {
        "moj_lead",
        "secretariat",
    }


def test_a_closed_engagement_keeps_its_documents_with_the_routed_audience(
    personas, engagement, strict_documents
):
    _release(personas, engagement, Label.GREEN)
    engagement_services.engagement_close(engagement=engagement, by=personas.moj_lead)
    assert who_sees(personas, strict_documents[0]) == ROUTED


def test_the_wider_route_reaches_every_policing_body_but_not_beyond(
    personas, make_engagement, make_document
):
    from django.utils import timezone

    from engage.engagements.models import Decision, WiderRouteRequest
    from engage.engagements.services import audience_fix

    wide = make_engagement(title="Wide", route="all_bodies")
    WiderRouteRequest.objects.create(
        engagement=wide,
        request="Every body commissions victims' services.",
        requested_by=personas.moj_lead,
        decision=Decision.AGREED,
        decided_by=personas.secretariat,
        decided_at=timezone.now(),
    )
    # Agreed before it opened: the audience it fixes is every body.
    audience_fix(engagement=wide, at=timezone.now())
    strict = make_document(on=wide, title="Strict")
    _release(personas, wide, Label.CLEAR)
    assert who_sees(personas, strict) == ROUTED | {"dorset_commissioner", "surrey_ceo"}


def test_the_apace_route_reaches_the_chief_executives(personas, make_engagement, make_document):
    apace = make_engagement(title="APACE", route="apace")
    strict = make_document(on=apace, title="Strict")
    _release(personas, apace, Label.CLEAR)
    assert who_sees(personas, strict) == {"moj_lead", "secretariat", "surrey_ceo"}


def test_visible_to_is_one_query(personas, strict_documents, django_assert_num_queries):
    viewer = Viewer.of(personas.kent_commissioner)
    viewer.group_ids  # noqa: B018 - the person's facts, read once per request
    with django_assert_num_queries(1):
        list(Document.objects.visible_to(viewer))
