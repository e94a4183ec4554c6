"""One refusal path: a page that offers an action the engagement's state does not allow
says why in the service's own words, and the service refuses a post the same way. The view
keeps no copy of the rule (issue 7, point 2)."""

import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from engage.core.labels import Label
from engage.engagements import services
from engage.engagements.models import Status

pytestmark = pytest.mark.django_db

# (page, who, the service's words). Every page is asked of an open engagement.
REFUSED_WHEN_OPEN = [
    ("edit", "moj_lead", "Only a draft can be changed. This one is open."),
    (
        "questions",
        "moj_lead",
        "Questions can only be changed while the engagement is a draft. It is open.",
    ),
    ("route", "moj_lead", "Only a draft can be sent for routing. This one is open."),
    (
        "wider_request",
        "moj_lead",
        "You can only consult the APCC on a draft. This engagement is open.",
    ),
    ("priority_new", "moj_lead", "National priorities are published in a priorities update."),
    (
        "confirm",
        "secretariat",
        "Only an engagement awaiting the APCC can be confirmed. This one is open.",
    ),
    (
        "return",
        "secretariat",
        "Only an engagement awaiting the APCC can be returned. This one is open.",
    ),
]


def page_text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.parametrize(("page", "who", "message"), REFUSED_WHEN_OPEN)
def test_a_page_refuses_in_the_services_words(personas, client_for, opened, page, who, message):
    client = client_for(getattr(personas, who))
    url = reverse(f"engagements:{page}", args=[opened.public_id])
    for response in (client.get(url, follow=True), client.post(url, follow=True)):
        assert response.redirect_chain[-1][0] == reverse(
            "engagements:detail", args=[opened.public_id]
        )
        assert message in page_text(response)
    opened.refresh_from_db()
    assert opened.status == Status.OPEN


def test_closing_a_draft_is_refused_in_the_services_words(personas, client_for, policy):
    from .conftest import engagement_fields

    draft = services.engagement_create(policy=policy, by=personas.moj_lead, **engagement_fields())
    url = reverse("engagements:close", args=[draft.public_id])
    response = client_for(personas.moj_lead).get(url, follow=True)
    assert "Only an open engagement can be closed. This one is draft." in page_text(response)


def test_releasing_a_public_engagement_is_refused_by_the_service_and_the_page(
    personas, client_for, opened
):
    services.label_release(
        engagement=opened, by=personas.moj_lead, to_label=Label.CLEAR, reason="r", for_whom="f"
    )
    with pytest.raises(ValidationError, match=r"already public \(TLP:CLEAR\)"):
        services.label_release(
            engagement=opened, by=personas.moj_lead, to_label=Label.CLEAR, reason="r", for_whom="f"
        )
    url = reverse("engagements:release", args=[opened.public_id])
    response = client_for(personas.moj_lead).get(url, follow=True)
    assert "This engagement is already public (TLP:CLEAR)." in page_text(response)
