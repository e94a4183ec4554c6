"""Once its policy is screened out, nothing more is added to an engagement: a document upload
or a new version is refused, explained on the page and recorded in the access log, without
the screen's grounds (the log is read outside the owning organisation)."""

import html

import pytest
from django.urls import reverse

from engage.audit.models import AccessLog
from engage.documents import services
from engage.engagements.services import PolicyRefused
from engage.policies.models import TriageOutcome

from . import samples
from .conftest import stored_files

pytestmark = pytest.mark.django_db


def screen_out(policy) -> None:
    policy.triage_outcome = TriageOutcome.SCREENED_OUT
    policy.national_security = True
    policy.save()


def refusals() -> list[tuple[str, str]]:
    return list(
        AccessLog.objects.filter(action="refused", object_type="policy").values_list(
            "user__email", "detail"
        )
    )


def test_an_upload_is_refused_and_recorded(personas, engagement, policy, make_document, media):
    screen_out(policy)
    with pytest.raises(PolicyRefused) as exc:
        make_document()
    assert exc.value.says_recorded
    assert "outside the protocol" in exc.value.reason
    assert stored_files(media) == []
    assert refusals() == [(personas.moj_lead.email, "add a document: policy outside the protocol")]


def test_a_new_version_is_refused_and_recorded(personas, policy, make_document, media):
    document = make_document()
    screen_out(policy)
    with pytest.raises(PolicyRefused):
        services.document_replace(
            document=document,
            uploaded_by=personas.moj_lead,
            file=samples.upload("v2.pdf", samples.pdf()),
        )
    assert document.versions.count() == 1
    assert refusals() == [
        (personas.moj_lead.email, "replace a document: policy outside the protocol")
    ]


def test_the_upload_page_explains_the_refusal(personas, client_for, engagement, policy, media):
    screen_out(policy)
    response = client_for(personas.moj_lead).post(
        f"{reverse('documents:new')}?engagement={engagement.public_id}",
        {
            "title": "Plan",
            "label": "amber_strict",
            "file": samples.upload("plan.pdf", samples.pdf()),
        },
    )
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "outside the protocol" in page
    assert stored_files(media) == []
    assert len(refusals()) == 1


def test_reading_a_screened_out_policys_document_is_logged_for_its_owner_only(
    personas, client_for, policy, make_document, moj
):
    document = make_document()
    screen_out(policy)
    url = reverse("documents:detail", args=[document.public_id])
    assert client_for(personas.moj_lead).get(url).status_code == 200
    entry = AccessLog.objects.get(action="view", object_id=str(document.public_id))
    assert entry.confidential_to == moj
    assert AccessLog.objects.visible_to(personas.moj_lead).filter(pk=entry.pk).exists()
    for outsider in (personas.secretariat, personas.admin):
        assert not AccessLog.objects.visible_to(outsider).filter(pk=entry.pk).exists()
