"""Fields that ask for the person's own details say what they are (WCAG 1.3.5, "Identify
input purpose"), so browsers and assistive technology can fill them in; and the sign-in
page offers "Forgotten your password?" as a link after the password field, not in its hint."""

from html.parser import HTMLParser

from django.urls import reverse

from engage.accounts import services
from engage.accounts.models import Organisation, Role


class Inputs(HTMLParser):
    """Each form control's attributes, by name."""

    def __init__(self, html: str):
        super().__init__()
        self.by_name: dict[str, dict[str, str]] = {}
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag in {"input", "textarea", "select"} and "name" in attributes:
            self.by_name[attributes["name"]] = attributes


def autocomplete_of(html: str) -> dict[str, str | None]:
    return {name: attrs.get("autocomplete") for name, attrs in Inputs(html).by_name.items()}


def test_account_request_form_identifies_name_email_and_organisation(reference_data, client):
    fields = autocomplete_of(client.get(reverse("accounts:request_new")).content.decode())

    assert fields["contact_name"] == "name"
    assert fields["email"] == "email"
    assert fields["organisation_name"] == "organization"


def test_account_request_form_keeps_them_when_it_fails(reference_data, client):
    response = client.post(reverse("accounts:request_new"), {"contact_name": "Sam Patel"})

    fields = Inputs(response.content.decode()).by_name
    assert fields["contact_name"]["autocomplete"] == "name"
    assert fields["contact_name"]["value"] == "Sam Patel"
    assert fields["email"]["autocomplete"] == "email"


def test_accepting_an_invitation_identifies_your_name_and_new_password(personas, client):
    _, token = services.invitation_create(
        organisation=Organisation.objects.get(slug="moj"),
        email="new.colleague@moj.example.org",
        role=Role.STAFF,
        invited_by=personas.moj_lead,
    )

    fields = autocomplete_of(
        client.get(reverse("accounts:invitation_accept", args=[token])).content.decode()
    )

    assert fields["full_name"] == "name"
    assert fields["password1"] == fields["password2"] == "new-password"


def test_sign_in_and_password_reset_identify_email_and_password(client, db):
    sign_in = autocomplete_of(client.get(reverse("account_login")).content.decode())
    reset = autocomplete_of(client.get(reverse("account_reset_password")).content.decode())

    assert sign_in["login"] == "email"
    assert sign_in["password"] == "current-password"
    assert reset["email"] == "email"


def test_forgotten_password_is_a_link_after_the_password_field_not_its_hint(client, db):
    html = client.get(reverse("account_login")).content.decode()

    password = Inputs(html).by_name["password"]
    assert "aria-describedby" not in password  # no hint, no error: nothing describes it
    assert 'id="id_password-hint"' not in html
    link = (
        f'<p class="govuk-body"><a class="govuk-link" href="{reverse("account_reset_password")}">'
        "Forgotten your password?</a></p>"
    )
    assert html.count("Forgotten your password?") == 1
    assert html.index('id="id_password"') < html.index(link) < html.index('type="submit"')
