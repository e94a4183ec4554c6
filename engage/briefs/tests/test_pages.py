"""The brief, its PDF and the index of briefs, for every persona (everyone signed in reads them;
anonymous people are sent to sign in), what the brief shows, its empty states, the PDF's text,
and bad slugs (404)."""

import html
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from engage.accounts.models import Role
from engage.conftest import EVERYONE
from engage.directory.tests.factories import MembershipFactory, UserFactory

from .conftest import in_days

pytestmark = pytest.mark.django_db

BRIEF = reverse("briefs:brief", args=["west-yorkshire"])
PDF = reverse("briefs:pdf", args=["west-yorkshire"])


def text(response) -> str:
    return html.unescape(response.content.decode())


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_everyone_signed_in_reads_the_index_and_every_brief(personas, client_for, wy_facts):
    for name in EVERYONE:
        client = client_for(getattr(personas, name))
        assert client.get(reverse("briefs:index")).status_code == 200, name
        response = client.get(BRIEF)
        assert response.status_code == 200, name
        assert "West Yorkshire Police and Crime Plan 2024 to 2028" in text(response), name
    # Every policing body has a brief, with nothing recorded too.
    assert (
        client_for(personas.vcs_member).get(reverse("briefs:brief", args=["dorset"])).status_code
        == 200
    )


@pytest.mark.parametrize("name", ["vcs_member", "outsider", "moj_lead"])
def test_everyone_signed_in_downloads_the_pdf(personas, client_for, wy_facts, name):
    response = client_for(getattr(personas, name)).get(PDF)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="Brief-West-Yorkshire-')
    assert response["Content-Disposition"].endswith(f'{in_days(0):%Y-%m-%d}.pdf"')
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response.content.startswith(b"%PDF")


def test_anonymous_people_are_sent_to_sign_in(client, reference_data):
    for url in (reverse("briefs:index"), BRIEF, PDF):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login")), url


def test_bad_slugs_are_404(personas, client_for):
    client = client_for(personas.vcs_member)
    for slug in ("nowhere", "leeds-womens-centre", "home-office", "x" * 200):
        assert client.get(reverse("briefs:brief", args=[slug])).status_code == 404, slug
        assert client.get(reverse("briefs:pdf", args=[slug])).status_code == 404, slug


def test_the_brief_shows_every_section(personas, client_for, wy_facts, west_yorkshire):
    page = text(client_for(personas.vcs_member).get(BRIEF))
    # The body.
    assert west_yorkshire.organisation.name in page
    assert west_yorkshire.get_body_type_display() in page
    assert "West Yorkshire Police" in page
    assert (
        "England, Yorkshire and The Humber" in page or "England, Yorkshire and the Humber" in page
    )
    # The plan, with its sample tag, and its priorities in order, with themes.
    assert "1 April 2024 to 31 March 2028" in page
    assert "1 June 2024" in page
    assert "Sample content" in page
    priorities = page.split('id="priorities"')[1].split("</ol>")[0]
    assert priorities.index("Supporting victims") < priorities.index("Safety of women")
    assert priorities.index("Safety of women") < priorities.index("Safer places")
    assert "Violence against women and girls (VAWG)" in priorities
    assert "What the plan says about safety of women and girls." in priorities
    # Decision-making, grouped by role, with contact routes.
    decisions = page.split('id="decisions"')[1].split('id="commissioning"')[0]
    for words in (
        "Commissioner",
        "Mayor Alex Morgan",
        "mayor@example.org",
        "Chief executive",
        "Jo Chen",
        "Commissioning lead",
        "Ravi Khan",
    ):
        assert words in decisions, words
    assert decisions.index("Mayor Alex Morgan") < decisions.index("Deputy Mayor Sam Patel")
    # Commissioning, victims' services first, and funding rounds.
    commissioning = page.split('id="commissioning"')[1].split('id="engage"')[0]
    assert commissioning.index("Victims' services") < commissioning.index("Community safety fund")
    assert f"Funding round open now until {in_days(20).day} {in_days(20):%B %Y}" in page
    assert f"Funding round opens on {in_days(30).day} {in_days(30):%B %Y}" in page
    assert f"Funding round closed on {in_days(-50).day} {in_days(-50):%B %Y}" in page
    # How to engage.
    assert "West Yorkshire VCSE forum" in page
    assert f"Closes on {in_days(15).day} {in_days(15):%B %Y}" in page
    # The Compact.
    compact = page.split('id="compact"')[1].split('id="dates"')[0]
    assert "Signed" in compact
    assert "West Yorkshire Compact" in compact
    assert "2 signatories" in compact
    # Key dates: upcoming first, soonest first, then the past.
    upcoming = page.split('id="upcoming-dates"')[1].split("</ul>")[0]
    assert upcoming.index("Plan refresh") < upcoming.index("Precept decision")
    assert "Last year's budget" in page.split('id="past-dates"')[1]
    # Printing.
    assert "Download as PDF" in page
    assert "briefs/print.css" in page


def test_the_pdf_has_the_brief(personas, client_for, wy_facts, west_yorkshire):
    data = client_for(personas.vcs_member).get(PDF).content
    words = " ".join(pdf_text(data).split())
    assert west_yorkshire.organisation.name in words
    assert "West Yorkshire Police and Crime Plan 2024 to 2028" in words
    assert "Safety of women and girls" in words
    assert "Mayor Alex Morgan" in words
    assert f"Funding round open now until {in_days(20).day} {in_days(20):%B %Y}" in words
    assert "West Yorkshire Compact" in words
    assert "Precept decision" in words


def test_empty_states_and_where_to_add(personas, client_for):
    dorset = reverse("briefs:brief", args=["dorset"])
    page = text(client_for(personas.vcs_member).get(dorset))
    for words in (
        "No current plan recorded yet.",
        "No people recorded yet.",
        "Nothing commissioned recorded yet.",
        "No ways to engage recorded yet.",
        "No local Compact recorded for this area yet.",
        "No key dates recorded yet.",
    ):
        assert words in page, words
    add = reverse("directory:body", args=["dorset"])
    assert add not in page.split("<main")[1]
    for name in ("dorset_commissioner", "admin"):
        page = text(client_for(getattr(personas, name)).get(dorset))
        assert "Add or change the plan" in page, name
        assert add in page.split("<main")[1], name
    page = text(client_for(personas.gwent_staff).get(dorset))
    assert "Add or change" not in page
    data = client_for(personas.vcs_member).get(reverse("briefs:pdf", args=["dorset"])).content
    assert "No current plan recorded yet." in pdf_text(data)


def test_a_compact_in_the_area_not_signed_by_the_body(personas, client_for, wy_facts):
    from engage.compacts.models import CompactSignatory

    CompactSignatory.objects.filter(organisation__slug="west-yorkshire").delete()
    page = text(client_for(personas.vcs_member).get(BRIEF))
    assert "There is a local Compact in the area; the body has not signed it." in page


def test_the_index_lists_the_areas_served_first(personas, client_for, reference_data):
    page = text(client_for(personas.vcs_member).get(reverse("briefs:index")))
    own = page.split('id="own-areas"')[1].split("</ul>")[0]
    assert reverse("briefs:brief", args=["west-yorkshire"]) in own
    assert "43 policing bodies" in page
    page = text(client_for(personas.gwent_staff).get(reverse("briefs:index")))
    assert (
        reverse("briefs:brief", args=["gwent"]) in page.split('id="own-areas"')[1].split("</ul>")[0]
    )
    page = text(client_for(personas.moj_lead).get(reverse("briefs:index")))
    assert 'id="own-areas"' not in page


def test_a_west_yorkshire_member_finds_their_own_brief_first(personas, client_for, reference_data):
    from allauth.mfa.totp.internal.auth import TOTP

    from engage.conftest import TOTP_SECRET
    from engage.directory.models import PolicingBody

    body = PolicingBody.objects.get(organisation__slug="west-yorkshire")
    user = UserFactory()
    MembershipFactory(user=user, organisation=body.organisation, role=Role.OPCC_STAFF)
    TOTP.activate(user, TOTP_SECRET)
    page = text(client_for(user).get(reverse("briefs:index")))
    assert reverse("briefs:brief", args=["west-yorkshire"]) in page.split('id="own-areas"')[1]


def test_the_index_searches_and_filters(personas, client_for, reference_data):
    client = client_for(personas.vcs_member)
    page = text(client.get(reverse("briefs:index"), {"q": "gwent"}))
    assert "1 policing body" in page
    page = text(client.get(reverse("briefs:index"), {"region": "Wales"}))
    assert "4 policing bodies" in page
    page = text(client.get(reverse("briefs:index"), {"type": "mayor"}))
    table = page.split('id="bodies"')[1]
    assert "Police and Crime Commissioner" not in table
    response = client.get(reverse("briefs:index"), {"region": "Atlantis", "type": "king"})
    page = text(response)
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Select a region from the list" in page
    page = text(client.get(reverse("briefs:index"), {"q": "zzzz"}))
    assert "No policing bodies match these filters." in page


def test_the_type_history_is_shown_once_the_type_changed(personas, client_for, west_yorkshire):
    page = text(client_for(personas.vcs_member).get(BRIEF))
    assert "Type history" not in page
    west_yorkshire.body_type = "board"
    west_yorkshire.save(update_fields=["body_type"])
    page = text(client_for(personas.vcs_member).get(BRIEF))
    assert "Type history" in page
    assert "→ Policing and crime board" in page
    data = client_for(personas.vcs_member).get(PDF).content
    assert "Policing and crime board" in pdf_text(data)


def test_the_print_stylesheet_hides_the_navigation():
    from django.contrib.staticfiles import finders

    path = finders.find("briefs/print.css")
    assert path
    with open(path, encoding="utf-8") as css:
        rules = css.read()
    assert "@media print" in rules
    for selector in (".govuk-template__header", ".govuk-service-navigation", ".govuk-footer"):
        assert selector in rules.split("display: none")[0], selector
