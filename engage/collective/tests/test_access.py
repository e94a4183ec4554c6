"""Every collective view page, export and history view, opened by every persona: 200 for
those who may use it, 403 for those who may see it but not act, 404 for those who may not see
it (DESIGN.md section 6). Dorset and the voluntary-sector member never see the Victims
group's view; TLP:RED text never reaches a secretariat member who is not named on it."""

import html

import pytest
from django.urls import reverse

from engage.audit.models import AccessLog
from engage.collective import services
from engage.conftest import EVERYONE
from engage.core.labels import Label
from engage.engagements import services as eng_services
from engage.responses.tests.fixtures import open_consultation, save, start, submit

from .conftest import write

pytestmark = pytest.mark.django_db

DRAFTERS = {"secretariat", "gwent_commissioner", "gwent_staff"}
# Once submitted: also the owning organisation and the audience (Kent, in the group).
READERS = DRAFTERS | {"moj_lead", "kent_commissioner"}
NEVER = {"dorset_commissioner", "vcs_member", "admin", "outsider", "ho_lead", "surrey_ceo"}


def expect(default: int, **codes: int) -> dict[str, int]:
    return {name: codes.get(name, default) for name in EVERYONE}


def only(names, code=200, default=404, **more) -> dict[str, int]:
    return expect(default, **{name: code for name in names}, **more)


def check(personas, client_for, url: str, expected: dict[str, int]) -> dict[str, str]:
    got = {}
    for name in EVERYONE:
        response = client_for(getattr(personas, name)).get(url)
        got[name] = (response.status_code, response)
    assert {name: code for name, (code, _r) in got.items()} == expected, url
    return {
        name: html.unescape(r.content.decode(errors="replace")) for name, (_c, r) in got.items()
    }


def url(name: str, engagement, *args) -> str:
    return reverse(f"collective:{name}", args=[engagement.public_id, *args])


def test_the_draft_is_for_the_secretariat_and_the_group_leads(
    personas, client_for, consultation, view
):
    for page in ("detail", "history"):
        seen = check(personas, client_for, url(page, consultation), only(DRAFTERS))
        for name in DRAFTERS:
            assert "TLP:AMBER+STRICT" in seen[name]  # the handling label on every page
    for fmt in ("csv", "xlsx", "pdf"):
        check(personas, client_for, url("export", consultation, fmt), only(DRAFTERS))


def test_the_submitted_view_reaches_the_owner_and_the_audience(
    personas, client_for, consultation, submitted
):
    assert NEVER.isdisjoint(READERS)
    check(personas, client_for, url("detail", consultation), only(READERS))
    check(personas, client_for, url("history", consultation), only(READERS))
    for fmt in ("csv", "xlsx", "pdf"):
        check(personas, client_for, url("export", consultation, fmt), only(READERS))
    # The version sent for sign-off stays with the drafters; the submitted one is for all.
    check(personas, client_for, url("version", consultation, 1), only(DRAFTERS))
    check(personas, client_for, url("version", consultation, 2), only(READERS))


@pytest.mark.parametrize("label", [Label.GREEN, Label.CLEAR])
def test_a_wider_label_on_the_engagement_does_not_widen_the_submitted_view(
    personas, client_for, consultation, submitted, label
):
    """A release to TLP:GREEN or TLP:CLEAR widens who reads the engagement, not who reads the
    collective view: it carries the bodies' own words (variations, the dissent annex), which
    those who reach the engagement only through its label may not read (DESIGN.md section 6:
    a submitted view is for the drafters, the owning organisation and the audience bodies)."""
    eng_services.label_release(
        engagement=consultation, by=personas.moj_lead, to_label=label, reason="r", for_whom="f"
    )
    seen = check(personas, client_for, url("detail", consultation), only(READERS))
    assert "Kent: coastal towns" in seen["kent_commissioner"]
    check(personas, client_for, url("history", consultation), only(READERS))
    check(personas, client_for, url("version", consultation, 2), only(READERS))
    for fmt in ("csv", "xlsx", "pdf"):
        check(personas, client_for, url("export", consultation, fmt), only(READERS))
    # Nor does the engagement page offer it to them.
    page = reverse("engagements:detail", args=[consultation.public_id])
    for name in NEVER:
        content = client_for(getattr(personas, name)).get(page).content.decode()
        assert url("detail", consultation) not in content, name


def test_drafting_pages_are_the_secretariats(personas, client_for, consultation, view):
    edit_codes = only({"secretariat"}, gwent_commissioner=403, gwent_staff=403)
    check(personas, client_for, url("edit", consultation), edit_codes)
    check(personas, client_for, url("refresh", consultation), edit_codes)
    check(personas, client_for, url("send", consultation), edit_codes)
    check(personas, client_for, url("submit", consultation), edit_codes)


def test_the_start_page(personas, client_for, consultation, gwent_response):
    # Those who read the engagement but are not the secretariat: 403; the rest 404.
    check(
        personas,
        client_for,
        url("start", consultation),
        only(
            {"secretariat"},
            moj_lead=403,
            gwent_commissioner=403,
            gwent_staff=403,
            kent_commissioner=403,
        ),
    )


def test_the_sign_off_page_is_the_group_leads(personas, client_for, consultation, with_leads):
    check(
        personas,
        client_for,
        url("sign", consultation, "victims"),
        only({"gwent_commissioner"}, secretariat=403, gwent_staff=403),
    )


def test_tlp_red_never_reaches_a_secretariat_member_not_named(
    personas, client_for, policy, victims
):
    named = [personas.secretariat, personas.gwent_commissioner, personas.kent_commissioner]
    engagement = open_consultation(personas, policy, [victims], label=Label.RED, recipients=named)
    response = save(start(engagement, personas.kent_commissioner), personas.kent_commissioner)
    submit(response, personas.kent_commissioner)
    view = services.collective_view_start(engagement=engagement, by=personas.secretariat)
    write(view, personas.secretariat, summary="Red summary text")
    engagement.recipients.remove(personas.secretariat)
    seen = check(
        personas,
        client_for,
        url("detail", engagement),
        only({"gwent_commissioner"}),  # named, and its body leads the group
    )
    assert "Red summary text" in seen["gwent_commissioner"]
    assert "Red summary text" not in seen["secretariat"]
    check(personas, client_for, url("export", engagement, "csv"), only({"gwent_commissioner"}))
    check(personas, client_for, url("edit", engagement), only(set(), gwent_commissioner=403))


def test_every_view_and_export_is_logged(personas, client_for, consultation, view):
    client = client_for(personas.secretariat)
    before = AccessLog.objects.filter(object_type="collective_view").count()
    client.get(url("detail", consultation))
    client.get(url("export", consultation, "csv"))
    entries = AccessLog.objects.filter(object_type="collective_view").order_by("pk")
    assert entries.count() == before + 2
    assert [e.action for e in entries][-2:] == ["view", "export"]
    assert entries.last().label == consultation.label


def test_anonymous_people_are_sent_to_sign_in(client, consultation, view):
    for name, args in (("detail", ()), ("edit", ()), ("history", ()), ("export", ("csv",))):
        response = client.get(url(name, consultation, *args))
        assert response.status_code == 302
