"""The directory pages: sign-in required, content, filters, 404s, the map."""

import re

import pytest
from django.urls import reverse

from engage.accounts.models import OrganisationKind, Role
from engage.directory.models import GroupRole, PolicingBody, StandingGroup

from .factories import (
    MembershipFactory,
    PlanPriorityFactory,
    PolicingBodyFactory,
    PriorityThemeFactory,
    StandingGroupFactory,
    StandingGroupMembershipFactory,
    UserFactory,
)

PAGES = [
    ("directory:bodies", []),
    ("directory:body", ["kent"]),
    ("directory:plan", ["kent"]),
    ("directory:publications", ["kent"]),
    ("directory:national", []),
    ("directory:groups", []),
    ("directory:group", ["victims"]),
    ("directory:map", []),
]


def main(response) -> str:
    """The page's <main> element: what the directory templates write."""
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def table_rows(html: str) -> int:
    body = html[html.index('<tbody class="govuk-table__body">') :]
    return body[: body.index("</tbody>")].count('<tr class="govuk-table__row">')


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_anonymous_user_is_sent_to_sign_in(client, loaded, name, args):
    url = reverse(name, args=args)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(("name", "args"), PAGES)
def test_every_page_has_one_h1_a_title_breadcrumbs_and_no_inline_styles(
    viewer_client, loaded, name, args
):
    response = viewer_client.get(reverse(name, args=args))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert re.search(r"<title>\s*\S", html)
    assert 'class="govuk-breadcrumbs"' in html
    assert "style=" not in main(response)  # the CSP allows no inline styles


def test_body_list_shows_every_body_with_force_and_type(viewer_client, loaded):
    response = viewer_client.get(reverse("directory:bodies"))

    html = main(response)
    assert "43 policing bodies" in html
    assert table_rows(html) == 43
    assert reverse("directory:body", args=["gwent"]) in html
    assert "Police and Crime Commissioner for Gwent" in html
    assert "Gwent Police" in html
    assert "Police, fire and crime commissioner" in html


@pytest.mark.parametrize(
    ("query", "count", "present"),
    [
        ("nation=Wales", 4, "Police and Crime Commissioner for Dyfed-Powys"),
        ("type=mayor", 5, "Mayor of West Yorkshire"),
        ("type=pfcc&type=police_authority", 5, "City of London Police Authority Board"),
        ("region=South+West", 5, "Police and Crime Commissioner for Dorset"),
        ("q=gwent", 1, "Police and Crime Commissioner for Gwent"),
        ("q=constabulary", 11, "Police and Crime Commissioner for Durham"),  # by force name
        ("nation=England&region=London&type=mayor", 1, "Mayor of London"),
    ],
)
def test_body_list_filters_and_search(viewer_client, loaded, query, count, present):
    response = viewer_client.get(f"{reverse('directory:bodies')}?{query}")

    html = main(response)
    assert table_rows(html) == count
    assert present in html
    assert "There is a problem" not in html


def test_filter_form_keeps_its_values(viewer_client, loaded):
    response = viewer_client.get(
        reverse("directory:bodies"),
        {"q": "south", "nation": "Wales", "type": "pcc", "region": "Wales"},
    )

    html = main(response)
    assert 'name="q" type="search" value="south"' in html
    assert re.search(r'name="nation" type="checkbox" value="Wales" checked', html)
    assert not re.search(r'name="nation" type="checkbox" value="England" checked', html)
    assert re.search(r'name="type" type="checkbox" value="pcc" checked', html)
    assert '<option value="Wales" selected>' in html
    assert table_rows(html) == 1
    assert "Clear filters" in html


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("type=sheriff&nation=Wales", "Select a type of body from the list"),
        ("nation=Scotland&type=mayor", "Select a nation from the list"),
        ("region=Atlantis&type=mayor", "Select a region from the list"),
        (f"q={'x' * 101}&nation=Wales", "Search must be 100 characters or fewer"),
    ],
)
def test_bad_filter_values_show_an_error_and_the_rest_still_applies(
    viewer_client, loaded, query, error
):
    response = viewer_client.get(f"{reverse('directory:bodies')}?{query}")

    assert response.status_code == 200
    html = main(response)
    assert "There is a problem" in html
    assert error in html
    assert table_rows(html) in {4, 5}  # the valid filter (Wales or mayor) applied
    assert "<title>Error:" in response.content.decode()


def test_no_match_shows_an_empty_state(viewer_client, loaded):
    html = main(viewer_client.get(reverse("directory:bodies"), {"q": "Atlantis"}))

    assert "0 policing bodies" in html
    assert "No policing bodies match your search and filters." in html
    assert "<table" not in html


def test_body_page_shows_the_summary_groups_priorities_and_history(viewer_client, loaded):
    body = PolicingBody.objects.get(organisation__slug="gwent")
    victims = StandingGroup.objects.get(slug="victims")
    StandingGroupMembershipFactory(group=victims, body=body, role=GroupRole.LEAD)
    PlanPriorityFactory(body=body, title="Keep neighbourhoods safe", theme=victims.themes.first())

    html = main(viewer_client.get(reverse("directory:body", args=["gwent"])))

    assert '<h1 class="govuk-heading-l">Police and Crime Commissioner for Gwent</h1>' in html
    for fact in ("Police and crime commissioner", "Gwent Police", "Wales", "W15000002"):
        assert fact in html
    assert reverse("directory:group", args=["victims"]) in html
    assert "Lead" in html
    assert "Keep neighbourhoods safe" in html
    assert "First recorded as Police and crime commissioner" in html


def test_body_page_empty_states(viewer_client, loaded):
    html = main(viewer_client.get(reverse("directory:body", args=["dorset"])))

    assert "No police and crime plan recorded yet" in html
    assert "Not a member of any standing group yet." in html


@pytest.mark.parametrize("name", ["directory:body", "directory:group"])
def test_unknown_slug_is_404(viewer_client, loaded, name):
    assert viewer_client.get(reverse(name, args=["atlantis"])).status_code == 404


def test_national_bodies_page(viewer_client, loaded):
    html = main(viewer_client.get(reverse("directory:national")))

    assert "14 national bodies" in html
    assert table_rows(html) == 14
    assert "Ministry of Justice" in html
    assert "Association of Policing and Crime Chief Executives" in html
    assert "Police and Crime Commissioner for Kent" not in html
    cps_row = html[html.index('<td class="govuk-table__cell">Crown Prosecution Service') :]
    cps_row = cps_row[: cps_row.index("</tr>")]
    assert "Attorney General&#x27;s Office" in cps_row
    assert "Yes" in cps_row


def test_standing_groups_page_lists_themes_and_member_counts(viewer_client, loaded):
    victims = StandingGroup.objects.get(slug="victims")
    StandingGroupMembershipFactory(
        group=victims,
        body=PolicingBody.objects.get(organisation__slug="gwent"),
        role=GroupRole.LEAD,
    )
    StandingGroupMembershipFactory(
        group=victims, body=PolicingBody.objects.get(organisation__slug="kent")
    )

    html = main(viewer_client.get(reverse("directory:groups")))

    assert "13 standing groups" in html
    victims_row = html[html.index(">Victims</a>") :]
    victims_row = victims_row[: victims_row.index("</tr>")]
    assert "Domestic abuse" in victims_row
    assert "Police and Crime Commissioner for Gwent" in victims_row
    assert ">2</td>" in victims_row


def test_group_page_shows_themes_members_roles_and_commissioners(viewer_client, loaded):
    victims = StandingGroup.objects.get(slug="victims")
    gwent = PolicingBody.objects.select_related("organisation").get(organisation__slug="gwent")
    kent = PolicingBody.objects.get(organisation__slug="kent")
    StandingGroupMembershipFactory(group=victims, body=gwent, role=GroupRole.LEAD)
    StandingGroupMembershipFactory(group=victims, body=kent)
    commissioner = UserFactory(full_name="Jane Commissioner")
    MembershipFactory(user=commissioner, organisation=gwent.organisation, role=Role.COMMISSIONER)
    MembershipFactory(
        user=UserFactory(full_name="Sam Staff"),
        organisation=gwent.organisation,
        role=Role.OPCC_STAFF,
    )

    html = main(viewer_client.get(reverse("directory:group", args=["victims"])))

    assert "Supporting victims and witnesses" in html
    assert "2 member bodies" in html
    assert html.index("Commissioner for Gwent") < html.index("Commissioner for Kent")  # lead first
    assert "Jane Commissioner" in html
    assert "Sam Staff" not in html
    assert "None recorded" in html  # Kent has no commissioner account


def test_map_has_43_areas_linked_with_titles_and_the_attribution(viewer_client, loaded):
    response = viewer_client.get(reverse("directory:map"))

    html = main(response)
    assert html.count('<path class="app-map__area"') == 43
    assert html.count('<a class="app-map__link"') == 43
    assert (
        f'<a class="app-map__link" href="{reverse("directory:body", args=["kent"])}">'
        "<title>Police and Crime Commissioner for Kent: Police and crime commissioner</title>"
    ) in html
    assert 'aria-labelledby="app-map-title"' in html
    assert (
        "Source: Office for National Statistics licensed under the Open Government Licence v.3.0. "
        "Contains OS data © Crown copyright and database right 2023."
    ) in html
    assert table_rows(html) == 43  # the same facts in a table
    assert "Mayor: 5 areas" in html
    assert "Police authority: 1 area" in html
    assert "directory/map.css" in response.content.decode()


def test_map_shows_a_force_without_a_body_without_a_link(viewer_client, db):
    PolicingBodyFactory()
    from .factories import ForceFactory

    ForceFactory(name="Orphan Police")

    html = main(viewer_client.get(reverse("directory:map")))

    assert html.count('<path class="app-map__area"') == 2
    assert html.count('<a class="app-map__link"') == 1
    assert "Orphan Police: No policing body recorded" in html


def test_pages_work_on_an_empty_directory(viewer_client, db):
    for name in ("directory:bodies", "directory:national", "directory:groups", "directory:map"):
        assert viewer_client.get(reverse(name)).status_code == 200


def test_directory_pages_are_open_to_any_signed_in_member(client, loaded):
    """Directory data is open to every signed-in person, whatever their organisation."""
    member = MembershipFactory(organisation__kind=OrganisationKind.VOLUNTARY, role=Role.MEMBER).user
    client.force_login(member)

    assert "Police and Crime Commissioner for Kent" in main(client.get(reverse("directory:bodies")))


def test_theme_factory_smoke(db):
    assert PriorityThemeFactory().slug.startswith("theme-")
    assert StandingGroupFactory(themes=[PriorityThemeFactory()]).themes.count() == 1


# The HTML standard's valid values for <time datetime> (WHATWG HTML, "The time element"):
# a year, month, date, yearless date, week, time, local or global date and time, time-zone
# offset or duration. Fractions of a second have one to three digits.
_FRACTION = r"(?::\d{2}(?:\.\d{1,3})?)?"
_TIME = rf"(?:[01]\d|2[0-3]):[0-5]\d{_FRACTION}"
_ZONE = r"(?:Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d)"
_DATE = r"\d{4,}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])"
VALID_DATETIME = re.compile(
    "|".join(
        rf"(?:{pattern})"
        for pattern in (
            r"\d{4,}",  # year
            r"\d{4,}-(?:0[1-9]|1[0-2])",  # month
            _DATE,  # date
            r"(?:--)?(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])",  # yearless date
            r"\d{4,}-W(?:0[1-9]|[1-4]\d|5[0-3])",  # week
            _TIME,  # time
            rf"{_DATE}[T ]{_TIME}",  # local date and time
            rf"{_DATE}[T ]{_TIME}{_ZONE}",  # global date and time
            _ZONE,  # time-zone offset
            r"P(?:\d+D)?(?:T(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d{1,3})?S)?)?",  # duration
        )
    )
)
TIME_DATETIME = re.compile(r"<time\b[^>]*\bdatetime=\"([^\"]*)\"")


def test_time_datetime_pattern_matches_only_the_standards_formats():
    for valid in ("2026-11-29", "2026-11-29T20:59:36+00:00", "2026-11-29T20:59:36.123Z"):
        assert VALID_DATETIME.fullmatch(valid), valid
    for invalid in ("2026-11-29T20:59:36.123456+00:00", "29 Nov 2026", "2026-13-01"):
        assert not VALID_DATETIME.fullmatch(invalid), invalid


def test_every_time_element_on_the_body_pages_has_a_valid_datetime(viewer_client, loaded):
    """Every body page dates its type history with <time>; Django's "c" format gives six
    fraction digits, which the HTML standard does not allow."""
    values = []
    for body in PolicingBody.objects.select_related("organisation"):
        response = viewer_client.get(reverse("directory:body", args=[body.organisation.slug]))
        values += TIME_DATETIME.findall(response.content.decode())

    assert len(values) >= PolicingBody.objects.count()  # every page dates its history
    invalid = sorted({value for value in values if not VALID_DATETIME.fullmatch(value)})
    assert invalid == []
