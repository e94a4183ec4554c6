from django.urls import reverse

from engage.accounts.middleware import SESSION_KEY
from engage.accounts.models import Membership, Organisation, Role


def test_person_in_two_organisations_switches_between_them(personas, client_for):
    apace = Organisation.objects.get(slug="apace")
    Membership.objects.create(user=personas.surrey_ceo, organisation=apace, role=Role.STAFF)
    client = client_for(personas.surrey_ceo)

    home = client.get(reverse("core:home"))
    assert home.context["current_membership"].organisation.slug == "surrey"
    assert len(home.context["user_memberships"]) == 2

    response = client.post(
        reverse("accounts:switch_organisation"),
        {"organisation": str(apace.public_id), "next": reverse("core:home")},
    )
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(apace.public_id)
    assert client.get(reverse("core:home")).context["current_membership"].organisation == apace


def test_cannot_switch_to_an_organisation_you_do_not_belong_to(personas, client_for):
    moj = Organisation.objects.get(slug="moj")
    client = client_for(personas.gwent_staff)
    response = client.post(
        reverse("accounts:switch_organisation"),
        {"organisation": str(moj.public_id), "next": "https://evil.example.com/"},
    )
    assert response.status_code == 302
    assert response.url == reverse("core:home")  # no open redirect
    assert SESSION_KEY not in client.session
    assert (
        client.get(reverse("core:home")).context["current_membership"].organisation.slug == "gwent"
    )


def test_switching_needs_post(personas, client_for):
    response = client_for(personas.gwent_staff).get(reverse("accounts:switch_organisation"))
    assert response.status_code == 405
