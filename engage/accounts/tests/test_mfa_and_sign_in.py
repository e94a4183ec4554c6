import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from engage.conftest import PASSWORD, TOTP_SECRET


def current_code(secret: str = TOTP_SECRET) -> str:
    return format_hotp_value(hotp_value(secret, int(timezone.now().timestamp()) // 30))


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def test_protocol_member_without_totp_is_sent_to_set_it_up(personas, client_for):
    Authenticator.objects.filter(user=personas.gwent_staff).delete()
    client = client_for(personas.gwent_staff)

    response = client.get(reverse("directory:bodies"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:mfa_required"))
    page = client.get(response.url)
    assert page.status_code == 200
    assert reverse("mfa_activate_totp") in page.content.decode()


@pytest.mark.parametrize(
    "persona", ["moj_lead", "secretariat", "surrey_ceo", "kent_commissioner", "ho_lead"]
)
def test_every_protocol_organisation_kind_needs_mfa(personas, client_for, persona):
    user = getattr(personas, persona)
    Authenticator.objects.filter(user=user).delete()
    response = client_for(user).get(reverse("core:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:mfa_required"))


def test_voluntary_member_does_not_need_mfa(personas, client_for):
    Authenticator.objects.filter(user=personas.vcs_member).delete()
    response = client_for(personas.vcs_member).get(reverse("core:home"))
    assert response.status_code == 200


def test_protocol_member_with_totp_sees_pages(personas, client_for):
    response = client_for(personas.gwent_staff).get(reverse("core:home"))
    assert response.status_code == 200


def test_sign_in_asks_for_the_authenticator_code(personas, client):
    response = client.post(
        reverse("account_login"), {"login": "staff@gwent.example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    # Not signed in until the code is given.
    assert client.get(reverse("core:home")).status_code == 302

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "code" in wrong.content.decode().lower()

    done = client.post(reverse("mfa_authenticate"), {"code": current_code()})
    assert done.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200


def test_wrong_password_keeps_the_email_and_explains(personas, client):
    response = client.post(
        reverse("account_login"), {"login": "staff@gwent.example.org", "password": "nope"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="staff@gwent.example.org"' in html
    assert "govuk-error-summary" in html


def test_repeated_failed_sign_ins_are_throttled(personas, client):
    for _ in range(5):
        client.post(
            reverse("account_login"), {"login": "staff@gwent.example.org", "password": "wrong"}
        )
    # Even the right password is refused while throttled.
    response = client.post(
        reverse("account_login"), {"login": "staff@gwent.example.org", "password": PASSWORD}
    )
    assert response.status_code in (200, 429)
    assert "too many failed" in response.content.decode().lower()
    assert client.get(reverse("core:home")).status_code == 302


def test_open_sign_up_is_closed(db, client):
    response = client.get(reverse("account_signup"))
    assert "you cannot create an account yourself" in response.content.decode().lower() or (
        response.status_code in (302, 403, 404)
    )
    client.post(
        reverse("account_signup"),
        {
            "email": "new@example.org",
            "password1": "x-long-password-1",
            "password2": "x-long-password-1",
        },
    )
    from engage.accounts.models import User

    assert not User.objects.filter(email="new@example.org").exists()


def test_django_admin_sign_in_goes_through_allauth(client, db):
    response = client.get("/django-admin/login/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_new_protocol_member_sets_up_totp_and_then_sees_pages(personas, client, django_user_model):
    from engage.accounts.models import Membership, Organisation, Role

    user = django_user_model.objects.create_user(email="new@kent.example.org", password=PASSWORD)
    Membership.objects.create(
        user=user, organisation=Organisation.objects.get(slug="kent"), role=Role.OPCC_STAFF
    )
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert client.get(reverse("core:home")).status_code == 302

    # allauth asks for the password again before a security change.
    ask = client.get(reverse("mfa_activate_totp"))
    assert ask.status_code == 302
    assert ask.url.startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    setup = client.get(reverse("mfa_activate_totp"))
    assert setup.status_code == 200
    secret = client.session["mfa.totp.secret"]
    done = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert done.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert client.get(reverse("core:home")).status_code == 200


def test_empty_sign_in_says_what_to_enter(db, client):
    response = client.post(reverse("account_login"), {"login": "", "password": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Enter your email address" in html
    assert "Enter your password" in html
    assert 'href="#id_login"' in html


def test_site_administrators_need_mfa_too(personas, client_for):
    Authenticator.objects.filter(user=personas.admin).delete()
    response = client_for(personas.admin).get(reverse("accounts:admin_home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:mfa_required"))
