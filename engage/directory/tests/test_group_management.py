"""Standing-group management (issue 8, point 7): the APCC secretariat (not site
administrators: the groups decide who reads engagements) adds a body to a group, removes one
(after a confirmation page) and sets the lead; each change is kept in the membership's history
and shown on the group's page. Changing a group never changes the audience of engagements
already open."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from engage.accounts.viewer import Viewer
from engage.conftest import EVERYONE
from engage.directory import groups
from engage.directory.models import GroupRole, PolicingBody, StandingGroup, StandingGroupMembership
from engage.engagements.audience import engagement_read
from engage.engagements.models import Engagement
from engage.engagements.tests.conftest import open_engagement
from engage.engagements.tests.factories import PolicyFactory

pytestmark = pytest.mark.django_db

MANAGERS = {"secretariat"}


def body(slug: str) -> PolicingBody:
    return PolicingBody.objects.get(organisation__slug=slug)


@pytest.fixture
def victims(personas):
    return StandingGroup.objects.get(slug="victims")


def roles(group) -> dict[str, str]:
    return dict(
        StandingGroupMembership.objects.filter(group=group).values_list(
            "body__organisation__slug", "role"
        )
    )


def reads(persona, engagement) -> bool:
    return Engagement.objects.filter(engagement_read(Viewer.of(persona)), pk=engagement.pk).exists()


# Who may use the pages ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["directory:group_member_add", "directory:group_lead", "directory:group_member_remove"]
)
def test_only_the_secretariat_manages_groups(personas, client_for, victims, name):
    args = [victims.slug, "kent"] if name.endswith("remove") else [victims.slug]
    url = reverse(name, args=args)
    got = {who: client_for(getattr(personas, who)).get(url).status_code for who in EVERYONE}
    assert got == {who: 200 if who in MANAGERS else 403 for who in EVERYONE}


def test_anonymous_people_are_sent_to_sign_in(client, personas, victims):
    response = client.get(reverse("directory:group_member_add", args=[victims.slug]))
    assert response.status_code == 302


def test_unknown_group_or_body_is_404(personas, client_for, victims):
    apcc = client_for(personas.secretariat)
    assert apcc.get(reverse("directory:group_lead", args=["no-such-group"])).status_code == 404
    remove = reverse("directory:group_member_remove", args=[victims.slug, "dorset"])
    assert apcc.get(remove).status_code == 404


def test_the_group_page_offers_management_to_managers_only(personas, client_for, victims):
    url = reverse("directory:group", args=[victims.slug])
    add = reverse("directory:group_member_add", args=[victims.slug])
    assert add in client_for(personas.secretariat).get(url).content.decode()
    assert add not in client_for(personas.kent_commissioner).get(url).content.decode()


# The services ------------------------------------------------------------------------------


def test_add_remove_and_set_the_lead(personas, victims):
    before = roles(victims)
    groups.group_member_add(group=victims, body=body("dorset"), by=personas.secretariat)
    assert roles(victims) == {**before, "dorset": GroupRole.MEMBER}
    groups.group_lead_set(group=victims, body=body("dorset"), by=personas.secretariat)
    after = roles(victims)
    assert after["dorset"] == GroupRole.LEAD
    assert [slug for slug, role in after.items() if role == GroupRole.LEAD] == ["dorset"]
    assert after["gwent"] == GroupRole.MEMBER
    membership = StandingGroupMembership.objects.get(group=victims, body=body("kent"))
    groups.group_member_remove(membership=membership, by=personas.secretariat)
    assert "kent" not in roles(victims)
    history = list(
        StandingGroupMembership.history.filter(group_id=victims.pk)
        .exclude(history_user=None)
        .values_list("body__organisation__slug", "history_type", "history_user__email")
    )
    assert ("dorset", "+", personas.secretariat.email) in history
    assert ("dorset", "~", personas.secretariat.email) in history
    assert ("kent", "-", personas.secretariat.email) in history


@pytest.mark.parametrize(
    "who", ["moj_lead", "gwent_commissioner", "surrey_ceo", "admin", "outsider"]
)
def test_others_may_not_change_a_group(personas, victims, who):
    person = getattr(personas, who)
    before = roles(victims)
    with pytest.raises(PermissionDenied):
        groups.group_member_add(group=victims, body=body("dorset"), by=person)
    with pytest.raises(PermissionDenied):
        groups.group_lead_set(group=victims, body=body("kent"), by=person)
    with pytest.raises(PermissionDenied):
        groups.group_member_remove(
            membership=StandingGroupMembership.objects.get(group=victims, body=body("kent")),
            by=person,
        )
    assert roles(victims) == before


def test_refusals_say_why(personas, victims):
    with pytest.raises(ValidationError, match="already a member"):
        groups.group_member_add(group=victims, body=body("kent"), by=personas.secretariat)
    with pytest.raises(ValidationError, match="Choose a member body"):
        groups.group_lead_set(group=victims, body=body("dorset"), by=personas.secretariat)
    with pytest.raises(ValidationError, match="already leads"):
        groups.group_lead_set(group=victims, body=body("gwent"), by=personas.secretariat)
    kent = StandingGroupMembership.objects.get(group=victims, body=body("kent"))
    groups.group_member_remove(membership=kent, by=personas.secretariat)
    with pytest.raises(ValidationError, match="no longer a member"):
        groups.group_member_remove(membership=kent, by=personas.secretariat)


def test_changing_a_group_never_changes_an_open_engagements_audience(personas, victims):
    policy = PolicyFactory(created_by=personas.moj_lead, policy_leads=[personas.moj_lead])
    opened = open_engagement(personas, policy, groups=[victims])
    groups.group_member_add(group=victims, body=body("dorset"), by=personas.secretariat)
    groups.group_member_remove(
        membership=StandingGroupMembership.objects.get(group=victims, body=body("kent")),
        by=personas.secretariat,
    )
    assert not reads(personas.dorset_commissioner, opened)
    assert reads(personas.kent_commissioner, opened)


# Pages and bad input -------------------------------------------------------------------------


def test_adding_a_body_through_the_page(personas, client_for, victims):
    apcc = client_for(personas.secretariat)
    url = reverse("directory:group_member_add", args=[victims.slug])
    form = apcc.get(url).content.decode()
    assert "Dorset" in form
    response = apcc.post(url, {"body": body("dorset").pk})
    assert response.status_code == 302
    assert roles(victims)["dorset"] == GroupRole.MEMBER
    page = apcc.get(reverse("directory:group", args=[victims.slug])).content.decode()
    assert "Membership history" in page
    assert personas.secretariat.email in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose a policing body"),
        ({"body": "999999"}, "Choose a policing body from the list"),
        ({"body": "abc"}, "Choose a policing body from the list"),
        ({"body": "KENT"}, "Choose a policing body from the list"),  # already a member
    ],
)
def test_bad_input_when_adding(personas, client_for, victims, data, message):
    data = {k: str(body("kent").pk) if v == "KENT" else v for k, v in data.items()}
    before = roles(victims)
    response = client_for(personas.secretariat).post(
        reverse("directory:group_member_add", args=[victims.slug]), data
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert message in response.content.decode()
    assert roles(victims) == before


@pytest.mark.parametrize(
    ("data", "message"),
    [({}, "Choose a policing body"), ({"body": "DORSET"}, "Choose a policing body from the list")],
)
def test_bad_input_when_setting_the_lead(personas, client_for, victims, data, message):
    data = {k: str(body("dorset").pk) for k in data}
    before = roles(victims)
    response = client_for(personas.secretariat).post(
        reverse("directory:group_lead", args=[victims.slug]), data
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert message in response.content.decode()
    assert roles(victims) == before


def test_setting_the_lead_through_the_page(personas, client_for, victims):
    response = client_for(personas.secretariat).post(
        reverse("directory:group_lead", args=[victims.slug]), {"body": body("kent").pk}
    )
    assert response.status_code == 302
    assert roles(victims)["kent"] == GroupRole.LEAD
    assert roles(victims)["gwent"] == GroupRole.MEMBER


def test_removing_asks_first_then_removes(personas, client_for, victims):
    apcc = client_for(personas.secretariat)
    url = reverse("directory:group_member_remove", args=[victims.slug, "kent"])
    confirm = apcc.get(url).content.decode()
    assert "keeps the engagements it was already sent" in confirm
    assert "kent" in roles(victims)
    assert apcc.post(url).status_code == 302
    assert "kent" not in roles(victims)


def test_the_group_page_costs_the_same_whatever_its_history(personas, client_for, victims):
    apcc = client_for(personas.secretariat)
    url = reverse("directory:group", args=[victims.slug])
    apcc.get(url)  # warm the session

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert apcc.get(url).status_code == 200
        return len(queries)

    before = count()
    others = list(PolicingBody.objects.exclude(group_memberships__group=victims)[:10])
    for other in others:
        groups.group_member_add(group=victims, body=other, by=personas.secretariat)
    for other in others[:5]:
        groups.group_member_remove(
            membership=StandingGroupMembership.objects.get(group=victims, body=other),
            by=personas.secretariat,
        )
    assert count() == before
