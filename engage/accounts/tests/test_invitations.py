import re

import pytest
from django.core import mail
from django.urls import reverse

from engage.accounts import services
from engage.accounts.models import Invitation, Membership, Organisation, Role, User


def _link_token(message) -> str:
    match = re.search(r"/accounts/invitation/([^/\s]+)/", message.body)
    assert match, message.body
    return match.group(1)


def test_org_admin_invites_and_the_person_joins(personas, client_for, client):
    moj = Organisation.objects.get(slug="moj")
    admin_client = client_for(personas.moj_lead)

    response = admin_client.post(
        reverse("accounts:invite", args=[moj.public_id]),
        {"email": "New.Lead@MoJ.example.org", "full_name": "Nia Lewis", "role": Role.POLICY_LEAD},
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.lead@moj.example.org"]
    token = _link_token(mail.outbox[0])
    invitation = Invitation.objects.get(email="new.lead@moj.example.org")
    assert invitation.token_hash != token  # only the hash is stored

    page = client.get(reverse("accounts:invitation_accept", args=[token]))
    assert page.status_code == 200
    assert "Ministry of Justice" in page.content.decode()

    accepted = client.post(
        reverse("accounts:invitation_accept", args=[token]),
        {
            "full_name": "Nia Lewis",
            "password1": "a-strong-pass-phrase",
            "password2": "a-strong-pass-phrase",
        },
    )
    assert accepted.status_code == 302
    user = User.objects.get(email="new.lead@moj.example.org")
    assert user.check_password("a-strong-pass-phrase")
    assert Membership.objects.active().get(user=user).organisation == moj
    # The link works once.
    again = client.get(reverse("accounts:invitation_accept", args=[token]))
    assert again.status_code == 404


def test_mismatched_passwords_show_errors_and_keep_what_was_typed(personas, client):
    moj = Organisation.objects.get(slug="moj")
    _, token = services.invitation_create(
        organisation=moj, email="x@moj.example.org", role=Role.STAFF, invited_by=personas.moj_lead
    )
    response = client.post(
        reverse("accounts:invitation_accept", args=[token]),
        {"full_name": "Kept Name", "password1": "a-strong-pass-phrase", "password2": "different"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert 'href="#id_password2"' in html
    assert 'value="Kept Name"' in html
    assert not User.objects.filter(email="x@moj.example.org").exists()


def test_weak_password_is_refused(personas, client):
    moj = Organisation.objects.get(slug="moj")
    _, token = services.invitation_create(
        organisation=moj, email="y@moj.example.org", role=Role.STAFF, invited_by=None
    )
    response = client.post(
        reverse("accounts:invitation_accept", args=[token]),
        {"full_name": "Y", "password1": "password", "password2": "password"},
    )
    assert response.status_code == 200
    assert not User.objects.filter(email="y@moj.example.org").exists()


def test_unknown_or_withdrawn_invitation_cannot_be_used(personas, client):
    moj = Organisation.objects.get(slug="moj")
    invitation, token = services.invitation_create(
        organisation=moj, email="z@moj.example.org", role=Role.STAFF, invited_by=None
    )
    services.invitation_revoke(invitation=invitation)
    assert client.get(reverse("accounts:invitation_accept", args=[token])).status_code == 404
    assert client.get(reverse("accounts:invitation_accept", args=["nonsense"])).status_code == 404


def test_invitation_with_bad_input_changes_nothing(personas, client_for):
    moj = Organisation.objects.get(slug="moj")
    client = client_for(personas.moj_lead)
    response = client.post(
        reverse("accounts:invite", args=[moj.public_id]),
        {"email": "not-an-email", "role": "commissioner"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_email"' in html
    assert 'value="not-an-email"' in html
    assert not Invitation.objects.exists()

    already = client.post(
        reverse("accounts:invite", args=[moj.public_id]),
        {"email": "lead@moj.example.org", "role": Role.POLICY_LEAD},
    )
    assert "already a member" in already.content.decode()
    assert not Invitation.objects.exists()


def test_role_must_fit_the_organisation(db):
    with pytest.raises(Exception, match="role"):
        services.invitation_create(
            organisation=Organisation(kind="department", name="X", slug="x"),
            email="a@example.org",
            role=Role.COMMISSIONER,
            invited_by=None,
        )


@pytest.mark.parametrize("persona", ["gwent_staff", "outsider", "kent_commissioner", "vcs_member"])
def test_people_who_are_not_its_admins_cannot_invite_to_an_organisation(
    personas, client_for, persona
):
    moj = Organisation.objects.get(slug="moj")
    client = client_for(getattr(personas, persona))
    assert client.get(reverse("accounts:invite", args=[moj.public_id])).status_code == 403
    response = client.post(
        reverse("accounts:invite", args=[moj.public_id]),
        {"email": "sneaky@example.org", "role": Role.POLICY_LEAD},
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_site_admin_can_invite_to_any_organisation(personas, client_for):
    gwent = Organisation.objects.get(slug="gwent")
    response = client_for(personas.admin).post(
        reverse("accounts:invite", args=[gwent.public_id]),
        {"email": "new@gwent.example.org", "role": Role.OPCC_STAFF},
    )
    assert response.status_code == 302
    assert Invitation.objects.filter(organisation=gwent).count() == 1


def test_existing_user_accepts_after_signing_in(personas, client_for):
    kent = Organisation.objects.get(slug="kent")
    _, token = services.invitation_create(
        organisation=kent, email="staff@gwent.example.org", role=Role.OPCC_STAFF, invited_by=None
    )
    outsider = client_for(personas.outsider)
    outsider.post(reverse("accounts:invitation_accept", args=[token]))
    assert not Membership.objects.filter(user=personas.gwent_staff, organisation=kent).exists()

    client = client_for(personas.gwent_staff)
    response = client.post(reverse("accounts:invitation_accept", args=[token]))
    assert response.status_code == 302
    assert Membership.objects.active().filter(user=personas.gwent_staff, organisation=kent).exists()


def test_ending_a_membership_needs_confirmation_and_a_reason(personas, client_for):
    membership = Membership.objects.get(user=personas.gwent_staff)
    client = client_for(personas.gwent_commissioner)
    url = reverse("accounts:membership_end", args=[membership.pk])

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "End membership" in confirm.content.decode()

    missing = client.post(url, {"reason": ""})
    assert missing.status_code == 200
    membership.refresh_from_db()
    assert membership.ended_at is None

    done = client.post(url, {"reason": "Left the office"})
    assert done.status_code == 302
    membership.refresh_from_db()
    assert membership.ended_at is not None
    assert membership.history.count() == 2

    # Someone from another body cannot end it.
    kent = Membership.objects.get(user=personas.kent_commissioner)
    assert (
        client.post(reverse("accounts:membership_end", args=[kent.pk]), {"reason": "x"}).status_code
        == 403
    )


def test_a_superuser_who_is_not_a_site_admin_gets_no_management_rights(personas, client_for):
    from allauth.mfa.totp.internal.auth import TOTP

    superuser = User.objects.create_superuser(email="root@example.org", password="x-long-pass-1")
    superuser.is_staff = False
    superuser.save(update_fields=["is_staff"])
    TOTP.activate(superuser, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    moj = Organisation.objects.get(slug="moj")
    client = client_for(superuser)
    assert client.get(reverse("accounts:organisations")).status_code == 403
    assert client.get(reverse("accounts:invite", args=[moj.public_id])).status_code == 403
    assert client.get(reverse("accounts:organisation", args=[moj.public_id])).status_code == 403
