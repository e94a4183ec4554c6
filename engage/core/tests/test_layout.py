"""The look: the page layout, error pages, component partials, static pages and allauth's pages
in GOV.UK Frontend markup, under the strict Content Security Policy, with no crown anywhere."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.template import Context, RequestContext, Template
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import resolve, reverse
from django.utils import timezone

from engage.accounts.models import Membership, Organisation, OrganisationKind, Role, User
from engage.audit import views as audit_views
from engage.core import views
from engage.core.templatetags.govuk import service_navigation

PASSWORD = "layout-test-password-1"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
STATIC = Path(settings.BASE_DIR) / "engage" / "static" / "engage"


class Page(HTMLParser):
    """Just enough of a page's structure to check its accessibility and CSP basics."""

    def __init__(self, html: str):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.inline_scripts = 0
        self._in_script_without_src = False
        self._script_text = ""
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "script" and "src" not in attributes:
            kind = attributes.get("type") or ""
            # JSON data blocks are not executed, so the CSP does not apply to them.
            self._in_script_without_src = kind != "application/json"
            self._script_text = ""

    def handle_data(self, data):
        if self._in_script_without_src:
            self._script_text += data

    def handle_endtag(self, tag):
        if tag == "script" and self._in_script_without_src:
            self._in_script_without_src = False
            if self._script_text.strip():
                self.inline_scripts += 1

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [attrs for name, attrs in self.tags if name == tag]

    def by_id(self, element_id: str) -> dict[str, str]:
        """The attributes of the element with this id (valueless attributes map to "")."""
        for _, attrs in self.tags:
            if attrs.get("id") == element_id:
                return {name: value or "" for name, value in attrs.items()}
        raise AssertionError(f"no element with id {element_id!r}")


def assert_layout(html: str) -> Page:
    """What every page must have: one h1, landmarks, skip link, labels, and nothing the CSP
    would block or that would make it a GOV.UK page."""
    page = Page(html)
    assert len(page.all("h1")) == 1, "exactly one h1"
    assert page.all("main")
    assert page.all("main")[0].get("id") == "main-content"
    skip = [a for a in page.all("a") if "govuk-skip-link" in (a.get("class") or "")]
    assert skip
    assert skip[0]["href"] == "#main-content"
    assert page.all("header")
    assert page.all("footer")
    # No crown, crest, GDS Transport or GOV.UK branding.
    for forbidden in ("govuk-header__logotype", "govuk-footer__crown", "govuk-crest", "GOV.UK"):
        assert forbidden not in html
    assert "Crown copyright" not in html
    assert "Open Government Licence" not in html
    # CSP: no style attributes, no <style>, no executable inline script.
    assert not any("style" in attrs for _, attrs in page.tags)
    assert not page.all("style")
    assert page.inline_scripts == 0
    # Every form control has a label (or is hidden / a button).
    labelled = {a.get("for") for a in page.all("label")}
    for tag in ("input", "select", "textarea"):
        for attrs in page.all(tag):
            if attrs.get("type") in {"hidden", "submit", "button"}:
                continue
            assert attrs.get("id") in labelled, f"{tag} {attrs.get('name')} has no label"
    # The page loads our compiled assets and starts GOV.UK Frontend from an external module.
    assert 'href="/static/engage/css/app.css"' in html
    assert '<script type="module" src="/static/engage/js/init.js"></script>' in html
    assert 'src="/static/engage/js/frontend-supported.js"' in html
    return page


def sign_in(client, email: str, password: str = PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def current_code(secret: str = TOTP_SECRET) -> str:
    return format_hotp_value(hotp_value(secret, int(timezone.now().timestamp()) // 30))


@pytest.fixture
def person(db) -> User:
    """Someone with no memberships, so no two-step verification is demanded."""
    return User.objects.create_user(
        email="pat.jones@example.org", password=PASSWORD, full_name="Pat Jones"
    )


def voluntary(slug: str, name: str) -> Organisation:
    return Organisation.objects.create(slug=slug, name=name, kind=OrganisationKind.VOLUNTARY)


# The sign-in page -----------------------------------------------------------------------


def test_sign_in_page_has_the_layout_and_no_crown(client, db):
    response = client.get(reverse("account_login"))

    assert response.status_code == 200
    html = response.content.decode()
    page = assert_layout(html)
    assert "<title>Sign in – Engage</title>" in html
    assert '<html lang="en-gb" class="govuk-template">' in html
    assert 'class="govuk-generic-header__homepage-link">Engage</a>' in html
    assert "<svg" not in html  # no logo of any kind
    for name in ("core:accessibility", "core:privacy", "core:cookies"):
        assert f'class="govuk-footer__link" href="{reverse(name)}"' in html
    # Signed out, the navigation offers only "Sign in", marked as the current page.
    nav_links = [a for a in page.all("a") if a.get("class") == "govuk-service-navigation__link"]
    assert [a["href"] for a in nav_links] == [reverse("account_login")]
    assert nav_links[0].get("aria-current") == "page"
    # Labelled email and password inputs; the reset link follows the password, not its hint.
    assert page.by_id("id_login")["type"] == "email"
    assert "aria-describedby" not in page.by_id("id_password")
    assert "placeholder" not in html
    assert reverse("account_reset_password") in html


def test_failed_sign_in_shows_an_error_summary_linking_to_the_field(client, person):
    response = client.post(
        reverse("account_login"), {"login": "typed.address@example.org", "password": ""}
    )

    assert response.status_code == 200
    html = response.content.decode()
    page = assert_layout(html)
    assert "<title>Error: Sign in – Engage</title>" in html
    summary = html.index('class="govuk-error-summary"')
    assert summary < html.index("<h1"), "the error summary comes first in the main column"
    assert 'data-module="govuk-error-summary"' in html
    assert '<div role="alert">' in html
    assert '<a href="#id_password">Enter your password</a>' in html
    # The link's target exists, carries the error and is described by the message.
    password = page.by_id("id_password")
    assert "govuk-input--error" in password["class"]
    assert password["aria-describedby"] == "id_password-error"
    assert page.by_id("id_password-error")["class"] == "govuk-error-message"
    assert '<span class="govuk-visually-hidden">Error:</span> Enter your password' in html
    # What was typed is kept.
    assert page.by_id("id_login")["value"] == "typed.address@example.org"


def test_wrong_password_is_a_form_error_without_a_link(client, person):
    response = sign_in(client, person.email, "not-the-password")

    html = response.content.decode()
    assert_layout(html)
    assert "<li>Enter a correct email address and password</li>" in html
    assert 'value="pat.jones@example.org"' in html


# Error pages -----------------------------------------------------------------------------


def test_unknown_url_gets_the_not_found_page(client, db):
    response = client.get("/no-such-page-here")

    assert response.status_code == 404
    html = response.content.decode()
    assert_layout(html)
    assert "<title>Page not found – Engage</title>" in html
    assert '<h1 class="govuk-heading-l">Page not found</h1>' in html
    assert "If you typed the web address, check it is correct." in html


def test_server_error_page_renders_without_a_request_context():
    request = RequestFactory().get("/anything")

    response = views.server_error(request)

    assert response.status_code == 500
    html = response.content.decode()
    page = assert_layout(html)
    assert "Sorry, there is a problem with the service – Engage" in html
    assert "Try again later." in html
    assert not page.all("nav")  # no navigation: nothing that needs a user or the database


def test_permission_denied_page(rf, person):
    request = rf.get("/somewhere")
    request.user = person

    response = audit_views.permission_denied(request)

    assert response.status_code == 403
    html = response.content.decode()
    assert_layout(html)
    assert "You do not have permission to do this" in html


def test_csrf_failure_page_is_standalone(db):
    from django.views.csrf import csrf_failure

    response = csrf_failure(RequestFactory().post("/"), reason="CSRF cookie not set.")

    assert response.status_code == 403
    html = response.content.decode()
    assert_layout(html)
    assert "Sorry, we could not accept that form" in html


# Static pages ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "title", "must_say"),
    [
        (
            "core:accessibility",
            "Accessibility statement",
            ["WCAG", "2.2", "Enforcement procedure", "Equality Advisory and Support Service"],
        ),
        (
            "core:privacy",
            "Privacy notice",
            ["Access log entries", "6 years", "Information Commissioner", "Your rights"],
        ),
        ("core:cookies", "Cookies", ["sessionid", "csrftoken", "We do not use analytics"]),
    ],
)
def test_static_pages_open_to_everyone(client, db, name, title, must_say):
    response = client.get(reverse(name))

    assert response.status_code == 200
    html = response.content.decode()
    assert_layout(html)
    assert f"<title>{title} – Engage</title>" in html
    for text in must_say:
        assert text in html


def test_cookie_table_lists_only_essential_cookies(client, db):
    page = Page(client.get(reverse("core:cookies")).content.decode())
    row_headers = [a for a in page.all("th") if a.get("scope") == "row"]
    assert len(row_headers) == 2  # sessionid, csrftoken
    html = client.get(reverse("core:cookies")).content.decode()
    assert "sessionid" in html
    assert "csrftoken" in html


# Signed in: navigation, header, messages ------------------------------------------------


def test_home_page_for_someone_signed_in(client, person):
    client.force_login(person)

    response = client.get(reverse("core:home"))

    assert response.status_code == 200
    html = response.content.decode()
    page = assert_layout(html)
    assert "Hello, Pat" in html
    nav = [a for a in page.all("a") if a.get("class") == "govuk-service-navigation__link"]
    expected = ["core:home", "directory:bodies", "directory:national", "directory:groups"]
    expected += ["directory:map", "compacts:list", "audit:log"]
    assert [a["href"] for a in nav] == [reverse(n) for n in expected]
    assert [a.get("aria-current") for a in nav] == ["page", *[None] * 6]
    assert "Administration" not in html
    # Sign out is a POST form with a CSRF token and a link-styled button.
    form = re.search(r'<form class="app-header__sign-out".*?</form>', html, re.S).group(0)
    assert 'method="post"' in form
    assert f'action="{reverse("account_logout")}"' in form
    assert "csrfmiddlewaretoken" in form
    assert '<button type="submit" class="app-button-link">Sign out</button>' in form
    assert '<p class="app-header__user">Pat Jones</p>' in html
    assert "not a member of any organisation" in html


def test_administration_link_only_for_site_administrators(client, person):
    client.force_login(person)
    assert "Administration" not in client.get(reverse("core:home")).content.decode()
    person.is_staff = True
    person.save(update_fields=["is_staff"])
    # Site administrators must have set up MFA before they see any page but its set-up.
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(person, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")

    html = client.get(reverse("core:home")).content.decode()

    admin_url = reverse("accounts:admin_home")
    assert f'href="{admin_url}"' in html
    assert "Administration" in html


@pytest.mark.parametrize(
    ("path", "current", "active"),
    [
        ("/directory/", "Policing bodies", None),
        ("/directory/bodies/gwent/", None, "Policing bodies"),
        ("/directory/standing-groups/victims/", None, "Standing groups"),
        ("/directory/map/", "Map", None),
        ("/accounts/2fa/", None, None),
        ("/manage/", "Administration", None),
        ("/manage/requests/", None, "Administration"),
    ],
)
def test_navigation_marks_the_current_page_and_section(rf, person, path, current, active):
    person.is_staff = True  # so that Administration is in the navigation too
    request = rf.get(path)
    request.user = person
    request.resolver_match = resolve(path)
    context = {"request": request, "user": person}

    navigation = service_navigation(Context(context))

    assert [i.text for i in navigation if i.current] == ([current] if current else [])
    assert [i.text for i in navigation if i.active] == ([active] if active else [])


def test_organisation_switcher_when_acting_for_several(client, person):
    first = voluntary("first-vcs", "Kent Victim Voices")
    second = voluntary("second-vcs", "Surrey Youth Link")
    Membership.objects.create(user=person, organisation=first, role=Role.MEMBER)
    Membership.objects.create(user=person, organisation=second, role=Role.MEMBER)
    client.force_login(person)

    response = client.get(reverse("core:home") + "?tab=1")

    html = response.content.decode()
    page = assert_layout(html)
    form = re.search(r'<form class="app-header__switcher".*?</form>', html, re.S).group(0)
    assert f'action="{reverse("accounts:switch_organisation")}"' in form
    assert 'method="post"' in form
    assert "csrfmiddlewaretoken" in form
    assert '<input type="hidden" name="next" value="/?tab=1">' in form
    select = page.by_id("organisation-switcher")
    assert select["name"] == "organisation"
    options = re.findall(r'<option value="([^"]+)"( selected)?>([^<]+)</option>', form)
    assert [(value, bool(sel), text) for value, sel, text in options] == [
        (str(first.public_id), True, "Kent Victim Voices"),
        (str(second.public_id), False, "Surrey Youth Link"),
    ]
    assert "govuk-button--secondary" in form
    assert ">Switch</button>" in form


def test_one_organisation_is_named_not_switched(client, person):
    Membership.objects.create(
        user=person, organisation=voluntary("only-vcs", "Kent Victim Voices"), role=Role.MEMBER
    )
    client.force_login(person)

    html = client.get(reverse("core:home")).content.decode()

    assert "app-header__switcher" not in html
    assert '<p class="app-header__organisation">Acting for Kent Victim Voices</p>' in html


def test_messages_are_notification_banners(client, person):
    response = sign_in(client, person.email)
    assert response.status_code == 302

    html = client.get(response.url).content.decode()

    assert_layout(html)
    assert "govuk-notification-banner govuk-notification-banner--success" in html
    assert 'role="alert"' in html
    assert "You are signed in" in html


# allauth's pages through the element overrides -------------------------------------------


def test_password_reset_pages(client, db):
    html = client.get(reverse("account_reset_password")).content.decode()
    page = assert_layout(html)
    assert '<h1 class="govuk-heading-l">' in html
    assert page.by_id("id_email")["class"] == "govuk-input"
    assert 'class="govuk-button"' in html

    error = client.post(reverse("account_reset_password"), {"email": "not-an-email"})
    html = error.content.decode()
    assert_layout(html)
    assert '<a href="#id_email">' in html
    assert html.count('class="govuk-error-summary"') == 1

    done = client.post(reverse("account_reset_password"), {"email": "who@example.org"}, follow=True)
    assert done.status_code == 200
    assert_layout(done.content.decode())


def test_two_step_verification_at_sign_in(client, person):
    TOTP.activate(person, TOTP_SECRET)

    response = sign_in(client, person.email)
    assert response.url == reverse("mfa_authenticate")
    html = client.get(response.url).content.decode()

    page = assert_layout(html)
    assert page.by_id("id_code")["class"] == "govuk-input"
    assert 'class="govuk-button"' in html
    # Cancel signs out through a separate form, with a button that looks like a link.
    assert 'class="app-button-link" type="submit" form="logout-from-stage"' in html

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert '<a href="#id_code">' in wrong.content.decode()
    assert_layout(wrong.content.decode())


def test_authenticator_set_up_page_shows_the_qr_code_under_the_csp(client, person):
    assert sign_in(client, person.email).status_code == 302
    # Setting up an authenticator asks for the password again first.
    again = client.get(reverse("mfa_activate_totp"))
    assert again.url.startswith(reverse("account_reauthenticate"))
    html = client.get(again.url).content.decode()
    assert_layout(html)
    assert 'class="govuk-input"' in html
    client.post(again.url, {"password": PASSWORD})

    response = client.get(reverse("mfa_activate_totp"))

    assert response.status_code == 200
    html = response.content.decode()
    page = assert_layout(html)
    image = next(a for a in page.all("img") if "app-qr-code" in (a.get("class") or ""))
    assert (image["src"] or "").startswith("data:image/svg+xml")
    assert "authenticator app" in (image["alt"] or "")
    csp = response.headers["Content-Security-Policy"]
    assert "img-src 'self' data:" in csp
    # The secret is shown as read-only text that can be copied.
    secret = page.by_id("authenticator_secret")
    assert "readonly" in secret
    assert secret["value"]
    assert page.by_id("id_code")["class"] == "govuk-input"


def test_recovery_codes_pages(client, person):
    TOTP.activate(person, TOTP_SECRET)
    RecoveryCodes.activate(person)
    assert sign_in(client, person.email).url == reverse("mfa_authenticate")
    assert client.post(reverse("mfa_authenticate"), {"code": current_code()}).status_code == 302
    again = client.get(reverse("mfa_view_recovery_codes"))
    assert again.status_code == 302
    client.post(again.url, {"password": PASSWORD})

    html = client.get(reverse("mfa_view_recovery_codes")).content.decode()
    page = assert_layout(html)
    assert "govuk-textarea" in html
    assert "readonly" in page.by_id("recovery_codes")
    # The account pages have their own navigation beside the content.
    assert 'aria-labelledby="account-navigation-heading"' in html

    generate = client.get(reverse("mfa_generate_recovery_codes")).content.decode()
    assert_layout(generate)
    assert "govuk-button--warning" in generate  # replacing codes invalidates the old ones

    index = client.get(reverse("mfa_index")).content.decode()
    assert_layout(index)
    assert '<h2 class="govuk-heading-m">' in index


def test_mfa_required_page(client, person):
    client.force_login(person)

    response = client.get(reverse("accounts:mfa_required"))

    html = response.content.decode()
    assert_layout(html)
    assert f'href="{reverse("mfa_activate_totp")}"' in html
    assert "govuk-button--start" in html
    assert "authenticator app" in html
    assert re.search(r'<form method="post" action="/accounts/logout/">', html)


# The component partials --------------------------------------------------------------------


class EverythingForm(forms.Form):
    name = forms.CharField(label="Full name", help_text="As it appears on your warrant card")
    email = forms.EmailField(label="Work email")
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)
    kind = forms.ChoiceField(label="Kind", choices=[("a", "Alpha"), ("b", "Bravo")])
    themes = forms.MultipleChoiceField(
        label="Themes",
        choices=[("victims", "Victims"), ("youth", "Youth justice")],
        widget=forms.CheckboxSelectMultiple,
    )
    stage = forms.ChoiceField(
        label="Stage",
        choices=[("idea", "Idea"), ("testing", "Testing")],
        widget=forms.RadioSelect,
    )
    agree = forms.BooleanField(label="I have read the protocol")
    token = forms.CharField(widget=forms.HiddenInput, required=False)


def render_field(field, **extra) -> str:
    return render_to_string("includes/components/field.html", {"field": field, **extra})


def test_field_partial_renders_each_widget_as_its_govuk_component():
    form = EverythingForm(
        data={"name": "", "email": "lee@", "kind": "b", "themes": ["youth"], "stage": "testing"}
    )
    form.is_valid()

    name = render_field(form["name"])
    assert '<label class="govuk-label" for="id_name">' in name
    assert (
        '<div id="id_name-hint" class="govuk-hint">As it appears on your warrant card</div>' in name
    )
    assert 'aria-describedby="id_name-hint id_name-error"' in name
    assert "govuk-form-group--error" in name
    assert "govuk-input--error" in name

    email = render_field(form["email"])
    assert 'value="lee@"' in email
    assert 'type="email"' in email

    notes = render_field(form["notes"])
    assert 'class="govuk-textarea"' in notes
    assert "(optional)" in notes

    kind = render_field(form["kind"])
    assert 'class="govuk-select"' in kind
    assert '<option value="b" selected>Bravo</option>' in kind

    themes = render_field(form["themes"], legend_class="govuk-fieldset__legend--m")
    assert '<fieldset class="govuk-fieldset"' in themes
    assert 'class="govuk-fieldset__legend govuk-fieldset__legend--m"' in themes
    assert 'data-module="govuk-checkboxes"' in themes
    assert 'id="id_themes_1" name="themes" type="checkbox" value="youth" checked' in themes
    assert '<label class="govuk-label govuk-checkboxes__label" for="id_themes_0">' in themes

    stage = render_field(form["stage"])
    assert 'data-module="govuk-radios"' in stage
    assert 'id="id_stage_1" name="stage" type="radio" value="testing" checked' in stage

    agree = render_field(form["agree"])
    assert 'class="govuk-checkboxes__input"' in agree
    assert 'type="checkbox"' in agree
    assert 'for="id_agree"' in agree
    assert 'id="id_agree-error"' in agree

    hidden = render_field(form["token"])
    assert hidden.strip().startswith('<input type="hidden"')

    override = render_field(form["name"], hint_override="Your name", label_class="govuk-label--m")
    assert "Your name" in override
    assert "warrant card" not in override
    assert 'class="govuk-label govuk-label--m"' in override


def test_error_summary_links_each_error_to_its_input():
    form = EverythingForm(data={"name": ""})
    form.add_error(None, "Something about the whole form")
    form.is_valid()

    html = render_to_string("includes/components/error_summary.html", {"form": form})

    assert "<li>Something about the whole form</li>" in html
    assert '<a href="#id_name">' in html
    assert '<a href="#id_themes_0">' in html  # the first checkbox
    assert '<a href="#id_stage_0">' in html  # the first radio
    assert '<a href="#id_agree">' in html
    assert html.count("<li>") == 1 + len(form.errors) - 1  # non-field + each field


def test_no_error_summary_without_errors():
    html = render_to_string("includes/components/error_summary.html", {"form": EverythingForm()})
    assert html.strip() == ""


def component(name: str, **context) -> str:
    """Render a partial as `{% include "includes/components/<name>.html" with ... only %}` does."""
    return render_to_string(f"includes/components/{name}.html", context)


def test_summary_list_table_tag_breadcrumbs_and_button():
    summary = component(
        "summary_list",
        rows=[("Stage", "Testing"), {"key": "Owner", "value": "Home Office", "href": "/edit"}],
    )
    assert '<dt class="govuk-summary-list__key">Stage</dt>' in summary
    assert "govuk-summary-list__row--no-actions" in summary
    assert 'href="/edit">Change<span class="govuk-visually-hidden"> owner</span>' in summary

    table = component(
        "table",
        caption="Responses",
        head=["Body", {"text": "Responses", "numeric": True}],
        rows=[[{"text": "Gwent", "href": "/gwent"}, {"text": 3, "numeric": True}]],
    )
    assert 'class="govuk-table__caption govuk-table__caption--m">Responses</caption>' in table
    assert 'class="govuk-table__header govuk-table__header--numeric">Responses</th>' in table
    assert '<th scope="row" class="govuk-table__header">' in table
    assert '<a class="govuk-link" href="/gwent">Gwent</a>' in table
    assert 'class="govuk-table__cell govuk-table__cell--numeric"' in table

    # The tag is a template tag, not a partial: lists show one per row.
    tag = Template('{% govuk_tag text colour="green" %}').render(Context({"text": "Open"}))
    assert tag == '<strong class="govuk-tag govuk-tag--green">Open</strong>'
    label = Template('{% govuk_tag "TLP:AMBER+STRICT" colour="orange" nowrap=True %}').render(
        Context()
    )
    assert label == (
        '<strong class="govuk-tag govuk-tag--orange app-tag--nowrap">TLP:AMBER+STRICT</strong>'
    )
    escaped = Template("{% govuk_tag text %}").render(Context({"text": "<b>x</b>"}))
    assert escaped == '<strong class="govuk-tag">&lt;b&gt;x&lt;/b&gt;</strong>'

    crumbs = component(
        "breadcrumbs",
        items=[("Home", "/"), ("Policing bodies", "/directory/"), ("Gwent", "/directory/gwent/")],
    )
    assert '<a class="govuk-breadcrumbs__link" href="/directory/">Policing bodies</a>' in crumbs
    assert '<li class="govuk-breadcrumbs__list-item" aria-current="page">Gwent</li>' in crumbs
    assert "/directory/gwent/" not in crumbs

    link_button = component("button", text="Cancel", href="/back", variant="secondary")
    assert 'class="govuk-button govuk-button--secondary"' in link_button
    assert 'href="/back"' in link_button
    submit = component("button", text="Save")
    assert '<button type="submit" class="govuk-button"' in submit


def test_pagination_keeps_the_filters(rf):
    request = rf.get("/directory/", {"q": "gwent", "page": "5"})
    page_obj = Paginator(list(range(200)), 10).page(5)

    html = Template(
        '{% include "includes/components/pagination.html" with page_obj=page_obj only %}'
    ).render(RequestContext(request, {"page_obj": page_obj}))

    assert 'href="?q=gwent&amp;page=4" rel="prev"' in html
    assert 'href="?q=gwent&amp;page=6" rel="next"' in html
    assert 'aria-current="page">5</a>' in html
    assert "govuk-pagination__item--ellipses" in html
    assert 'aria-label="Page 20"' in html


# The built assets ------------------------------------------------------------------------------


def test_compiled_assets_are_committed_without_gov_uk_branding():
    css = (STATIC / "css" / "app.css").read_text()
    assert ".govuk-button" in css
    assert ".app-header__account" in css
    assert "GDS Transport" not in css
    assert "@font-face" not in css
    assert "govuk-crest" not in css
    assert "url(" not in css
    assert "system-ui" in css
    init = (STATIC / "js" / "init.js").read_text()
    assert "import { initAll } from './govuk-frontend.min.js'" in init
    assert (STATIC / "js" / "govuk-frontend.min.js").stat().st_size > 10_000
    assert "sourceMappingURL" not in (STATIC / "js" / "govuk-frontend.min.js").read_text()
    assert not (STATIC / "fonts").exists()
    images = {p.name for p in (STATIC / "images").iterdir()}
    assert images == {"favicon.svg"}


@pytest.mark.parametrize(
    ("persona", "extra"),
    [
        ("moj_lead", ["engagements:inbox", "policies:register"]),
        ("gwent_staff", ["engagements:inbox"]),
        ("secretariat", ["engagements:inbox"]),
        ("vcs_member", ["sector:my_organisation", "briefs:index"]),
        ("outsider", []),
    ],
)
def test_navigation_follows_the_persons_organisations(personas, client_for, persona, extra):
    response = client_for(getattr(personas, persona)).get(reverse("core:home"))
    page = Page(response.content.decode())
    nav = [a["href"] for a in page.all("a") if a.get("class") == "govuk-service-navigation__link"]
    expected = ["core:home", *extra, "directory:bodies", "directory:national", "directory:groups"]
    expected += ["directory:map", "compacts:list", "audit:log"]
    assert nav == [reverse(name) for name in expected]


@pytest.mark.parametrize(
    ("persona", "links", "absent"),
    [
        ("moj_lead", ["engagements:inbox", "policies:register"], ["engagements:apcc_queue"]),
        ("secretariat", ["engagements:inbox", "engagements:apcc_queue"], ["policies:register"]),
        ("gwent_staff", ["engagements:inbox", "engagements:priorities"], ["policies:register"]),
        (
            "vcs_member",
            [
                "sector:activity_list",
                "impact:evidence_list",
                "impact:case_list",
                "briefs:index",
                "compacts:list",
            ],
            ["engagements:inbox", "policies:register", "impact:sector_view"],
        ),
        (
            "gwent_commissioner",
            ["impact:sector_view", "sector:body_activity", "compacts:list"],
            ["sector:activity_list", "impact:evidence_list"],
        ),
    ],
)
def test_home_page_points_each_person_to_their_work(personas, client_for, persona, links, absent):
    html = client_for(getattr(personas, persona)).get(reverse("core:home")).content.decode()
    main = html[html.index("<main") :]
    for name in links:
        assert f'href="{reverse(name)}"' in main
    for name in absent:
        assert f'href="{reverse(name)}"' not in main


def test_the_voluntary_members_home_leads_to_its_own_records_and_says_nothing_of_labels(
    personas, client_for
):
    html = client_for(personas.vcs_member).get(reverse("core:home")).content.decode()
    main = html[html.index("<main") :]
    assert f'href="{reverse("sector:profile", args=["leeds-womens-centre"])}"' in main
    # The brief on West Yorkshire, the area it serves.
    assert f'href="{reverse("briefs:brief", args=["west-yorkshire"])}"' in main
    assert "TLP" not in main
    assert "handling label" not in main.lower()
    # A protocol member still reads how to handle what they see.
    staff = client_for(personas.gwent_staff).get(reverse("core:home")).content.decode()
    assert "TLP:AMBER+STRICT" in staff


def test_the_voluntary_members_home_asks_the_same_queries_whatever_the_areas_served(
    personas, client_for, django_assert_num_queries
):
    from engage.directory.models import PolicingBody

    client = client_for(personas.vcs_member)
    organisation = personas.vcs_member.memberships.get().organisation
    # session, user, memberships, the areas served
    with django_assert_num_queries(4):
        assert client.get(reverse("core:home")).status_code == 200
    organisation.areas_served.add(*PolicingBody.objects.all()[:10])
    with django_assert_num_queries(4):
        page = client.get(reverse("core:home")).content.decode()
    assert page.count("Brief on ") == organisation.areas_served.count()
