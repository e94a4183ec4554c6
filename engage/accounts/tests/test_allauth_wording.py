"""Every django-allauth page and message Engage shows speaks GOV.UK style: plain English,
sentence case, messages that say what to do ("Enter a correct email address and password"),
never allauth's own wording ("Password Reset", "Incorrect code.")."""

import re
from html.parser import HTMLParser

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import timezone

from engage.accounts.models import User

PASSWORD = "wording-test-password-1"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

# Words that keep a capital inside a sentence.
PROPER = {"Engage", "I", "APCC", "APACE", "OPCC"}
# allauth's wording, none of which may reach a page.
ALLAUTH_WORDING = [
    "Password Reset",
    "Reset My Password",
    "Change Password",
    "Set Password",
    "Bad Token",
    "Sign In",
    "Sign Out",
    "Sign Up",
    "Two-Factor",
    "two-factor",
    "Authenticator App",
    "Recovery Codes",
    "Confirm Access",
    "reauthenticate",
    "Incorrect code",
    "Incorrect password",
    "and/or",
    "Please",
    "Successfully",
    "successfully",
    "Be patient",
    "You must type the same",
    "New Password",
    "Current Password",
    "(again)",
    "Forgot your password",
    "We are sorry",
    "inactive",
    "deactivate",
    "Deactivate",
    "Activate",
]


class Texts(HTMLParser):
    """The text of the elements a reader meets first: title, headings, labels, legends,
    buttons, hints, error messages and notification banners."""

    WATCHED = {"title", "h1", "h2", "label", "legend", "button", "a", "p", "li", "div", "span"}

    def __init__(self, html: str):
        super().__init__()
        self.stack: list[tuple[str, str]] = []
        self.found: list[tuple[str, str]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        classes = dict(attrs).get("class") or ""
        if tag in {"title", "h1", "h2", "label", "legend", "button"} or (
            tag == "a" and "govuk-button" in classes
        ):
            self.stack.append((tag, ""))

    def handle_data(self, data):
        if self.stack:
            tag, text = self.stack[-1]
            self.stack[-1] = (tag, text + data)

    def handle_endtag(self, tag):
        if self.stack and self.stack[-1][0] == tag:
            name, text = self.stack.pop()
            text = " ".join(text.split())
            if text:
                self.found.append((name, text))


def not_sentence_case(text: str) -> list[str]:
    """Words after the first that start with a capital and are not proper nouns."""
    text = re.sub(r"^Error:\s*", "", text).removesuffix(" – Engage")
    words = re.findall(r"[A-Za-z][\w'-]*", text)
    return [w for w in words[1:] if w[0].isupper() and w not in PROPER and not w.isupper()]


def assert_engage_wording(html: str, page: str) -> None:
    for tag, text in Texts(html).found:
        assert not_sentence_case(text) == [], f"{page}: <{tag}> {text!r} is not sentence case"
    main = html[html.index("<main") : html.index("</main>")]
    visible = re.sub(r"<[^>]*>", " ", main)
    for wording in ALLAUTH_WORDING:
        assert wording not in visible, f"{page}: allauth's {wording!r}"


def test_the_sentence_case_check():
    assert not_sentence_case("Reset your password") == []
    assert not_sentence_case("Error: Sign in – Engage") == []
    assert not_sentence_case("Sign in to Engage") == []
    assert not_sentence_case("Password Reset") == ["Reset"]


def code(secret: str = SECRET) -> str:
    return format_hotp_value(hotp_value(secret, int(timezone.now().timestamp()) // 30))


@pytest.fixture
def person(db) -> User:
    return User.objects.create_user(
        email="pat.jones@example.org", password=PASSWORD, full_name="Pat Jones"
    )


@pytest.fixture
def verified(client, person):
    """Signed in with an authenticator and recovery codes, and just asked for a password."""
    TOTP.activate(person, SECRET)
    RecoveryCodes.activate(person)
    client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    assert client.post(reverse("mfa_authenticate"), {"code": code()}).status_code == 302
    return client


def page(client, url: str, data: dict | None = None, **kwargs) -> str:
    response = client.post(url, data, **kwargs) if data is not None else client.get(url, **kwargs)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


# Signed out ------------------------------------------------------------------------------


def test_sign_in_messages(client, person):
    wrong = page(client, reverse("account_login"), {"login": person.email, "password": "nope"})

    assert_engage_wording(wrong, "sign in")
    assert "Enter a correct email address and password" in wrong
    assert "<title>Error: Sign in – Engage</title>" in wrong

    for _ in range(6):
        html = page(client, reverse("account_login"), {"login": person.email, "password": "x"})
    assert_engage_wording(html, "throttled sign in")
    assert "Too many failed attempts to sign in. Wait a few minutes, then try again" in html


def test_sign_in_labels(client, db):
    html = page(client, reverse("account_login"))

    assert_engage_wording(html, "sign in")
    assert '<label class="govuk-label" for="id_login">\n      Email address' in html or (
        re.search(r'for="id_login">\s*Email address\s*</label>', html)
    )


def test_password_reset_journey(client, person):
    html = page(client, reverse("account_reset_password"))
    assert_engage_wording(html, "reset")
    assert "<title>Reset your password – Engage</title>" in html
    assert '<h1 class="govuk-heading-l">Reset your password</h1>' in html
    assert re.search(r'for="id_email">\s*Email address\s*</label>', html)

    empty = page(client, reverse("account_reset_password"), {"email": ""})
    assert_engage_wording(empty, "reset, empty")
    assert "Enter your email address" in empty
    bad = page(client, reverse("account_reset_password"), {"email": "not-an-email"})
    assert "Enter an email address in the correct format, like name@example.org" in bad

    done = page(client, reverse("account_reset_password"), {"email": person.email}, follow=True)
    assert_engage_wording(done, "reset sent")
    assert '<h1 class="govuk-heading-l">Check your email</h1>' in done

    link = re.search(r"/accounts/password/reset/key/[^\s]+/", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body
    form = client.get(link.group(0), follow=True)
    html = form.content.decode()
    assert_engage_wording(html, "new password")
    assert '<h1 class="govuk-heading-l">Create a new password</h1>' in html
    assert re.search(r">\s*New password\s*</label>", html)
    assert re.search(r">\s*Confirm new password\s*</label>", html)

    url = form.redirect_chain[-1][0] if form.redirect_chain else link.group(0)
    mismatch = page(client, url, {"password1": "a-new-pass-phrase-9", "password2": "other"})
    assert_engage_wording(mismatch, "new password, mismatch")
    assert "The passwords do not match" in mismatch

    changed = page(
        client,
        url,
        {"password1": "a-new-pass-phrase-9", "password2": "a-new-pass-phrase-9"},
        follow=True,
    )
    assert_engage_wording(changed, "password changed")
    assert '<h1 class="govuk-heading-l">Your password has been changed</h1>' in changed


def test_a_used_or_broken_reset_link(client, person):
    key = default_token_generator.make_token(person)
    url = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(person), "key": key + "x"},
    )

    html = page(client, url)

    assert_engage_wording(html, "bad link")
    assert '<h1 class="govuk-heading-l">This link has expired or has been used</h1>' in html
    assert reverse("account_reset_password") in html


@pytest.mark.parametrize(
    ("name", "heading"),
    [
        ("account_signup", "You cannot create an account yourself"),
        ("account_inactive", "Your account has been switched off"),
    ],
)
def test_closed_doors(client, db, name, heading):
    html = page(client, reverse(name))

    assert_engage_wording(html, name)
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in html


def test_two_step_verification_at_sign_in(client, person):
    TOTP.activate(person, SECRET)
    client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})

    html = page(client, reverse("mfa_authenticate"))
    assert_engage_wording(html, "code")
    assert '<h1 class="govuk-heading-l">Enter your security code</h1>' in html
    assert "Enter the 6-digit code from your authenticator app" in html

    wrong = page(client, reverse("mfa_authenticate"), {"code": "000000"})
    assert_engage_wording(wrong, "wrong code")
    assert '<a href="#id_code">The code is not correct. Enter the 6-digit code' in wrong
    empty = page(client, reverse("mfa_authenticate"), {"code": ""})
    assert "Enter the 6-digit code from your authenticator app" in empty

    signed_in = client.post(reverse("mfa_authenticate"), {"code": code()}, follow=True)
    home = signed_in.content.decode()
    assert "You are signed in" in home
    assert "Successfully" not in home


# Signed in: your account -----------------------------------------------------------------


def test_confirming_it_is_you(client, person):
    client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})

    asked = client.get(reverse("mfa_activate_totp"))
    html = page(client, asked.url)
    assert_engage_wording(html, "reauthenticate")
    assert '<h1 class="govuk-heading-l">Confirm it is you</h1>' in html

    wrong = page(client, asked.url, {"password": "not-it"})
    assert_engage_wording(wrong, "reauthenticate, wrong")
    assert "Enter your current password correctly" in wrong


def test_setting_up_an_authenticator(client, person):
    client.post(reverse("account_login"), {"login": person.email, "password": PASSWORD})
    client.post(client.get(reverse("mfa_activate_totp")).url, {"password": PASSWORD})

    html = page(client, reverse("mfa_activate_totp"))
    assert_engage_wording(html, "set up")
    assert '<h1 class="govuk-heading-l">Set up your authenticator app</h1>' in html

    wrong = page(client, reverse("mfa_activate_totp"), {"code": "000000"})
    assert_engage_wording(wrong, "set up, wrong")
    assert "The code is not correct. Enter the 6-digit code from your authenticator app" in wrong


def test_your_two_step_verification_pages(verified):
    client = verified
    client.post(client.get(reverse("mfa_view_recovery_codes")).url, {"password": PASSWORD})

    for name, heading in [
        ("mfa_index", "Two-step verification"),
        ("mfa_view_recovery_codes", "Recovery codes"),
        ("mfa_generate_recovery_codes", "Create new recovery codes"),
        ("mfa_deactivate_totp", "Turn off your authenticator app"),
        ("account_change_password", "Change your password"),
        ("account_logout", "Sign out"),
    ]:
        html = page(client, reverse(name))
        assert_engage_wording(html, name)
        assert f'<h1 class="govuk-heading-l">{heading}</h1>' in html


# The messages allauth shows in a notification banner (it renders these templates) ----------


@pytest.mark.parametrize(
    ("template", "context", "expected"),
    [
        ("account/messages/logged_in.txt", {}, "You are signed in"),
        ("account/messages/logged_out.txt", {}, "You have signed out"),
        ("account/messages/password_changed.txt", {}, "Your password has been changed"),
        ("account/messages/password_set.txt", {}, "Your password has been saved"),
        ("mfa/messages/totp_activated.txt", {}, "Your authenticator app is set up"),
        ("mfa/messages/totp_deactivated.txt", {}, "Your authenticator app has been turned off"),
        (
            "mfa/messages/recovery_codes_generated.txt",
            {"MFA_RECOVERY_CODES_SHOW_ONCE": False},
            "You have new recovery codes. Your old codes no longer work",
        ),
        (
            "mfa/messages/recovery_codes_generated.txt",
            {"MFA_RECOVERY_CODES_SHOW_ONCE": True},
            "You have new recovery codes. Save them now: they will not be shown again",
        ),
    ],
)
def test_banner_messages(template, context, expected):
    assert render_to_string(template, context).strip() == expected


def test_changing_your_password(verified):
    url = reverse("account_change_password")

    wrong = page(verified, url, {"oldpassword": "x", "password1": "y", "password2": "z"})
    assert_engage_wording(wrong, "change password, wrong")
    assert "Enter your current password correctly" in wrong
    assert re.search(r">\s*Current password\s*</label>", wrong)

    new = "another-long-pass-phrase-7"
    done = verified.post(
        url, {"oldpassword": PASSWORD, "password1": new, "password2": new}, follow=True
    ).content.decode()
    assert "Your password has been changed" in done


def test_signing_out(verified):
    html = verified.post(reverse("account_logout"), follow=True).content.decode()

    assert "You have signed out" in html
    assert "You have signed out." not in html  # GOV.UK banners end without a full stop


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        (reverse_lazy("account_email_verification_sent"), "Check your email"),
        (reverse_lazy("account_confirm_email", args=["no-such-key"]), "Confirm your email address"),
    ],
)
def test_email_address_pages(client, person, url, heading):
    client.force_login(person)

    html = page(client, str(url))

    assert_engage_wording(html, str(url))
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in html
