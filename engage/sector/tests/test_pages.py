"""Every sector page opened by every persona (200 for those who may use it, 403 for those who
read but may not change, 404 for those who may not see), what each page shows and hides, bad
input (a message on the page, nothing changed), sharing and unsharing through the pages."""

import html

import pytest
from django.urls import reverse

from engage.conftest import EVERYONE
from engage.sector.models import Activity, FollowUp, OrganisationProfile

from .conftest import SUMMARY, in_days

pytestmark = pytest.mark.django_db


def expect(default: int, **codes: int) -> dict[str, int]:
    return {name: codes.get(name, default) for name in EVERYONE}


def check(personas, client_for, url: str, expected: dict[str, int]) -> dict[str, str]:
    got = {}
    for name in EVERYONE:
        response = client_for(getattr(personas, name)).get(url)
        got[name] = (response.status_code, html.unescape(response.content.decode()))
    assert {name: code for name, (code, _page) in got.items()} == expected, url
    return {name: page for name, (_code, page) in got.items()}


def url(name: str, *args) -> str:
    return reverse(f"sector:{name}", args=[str(arg) for arg in args])


def date_fields(prefix: str, day) -> dict[str, str]:
    return {
        f"{prefix}_0": str(day.day),
        f"{prefix}_1": str(day.month),
        f"{prefix}_2": str(day.year),
    }


def activity_post(to, **overrides) -> dict[str, str]:
    data = {
        "body": str(to.pk),
        "kind": "visit",
        **date_fields("happened_on", in_days(-1)),
        "participants": "Our director; the commissioner",
        "summary": "The commissioner visited our centre.",
        "outcome": "",
        "arrangement": "",
        "arrangement_details": "",
    }
    data.update(overrides)
    return data


def profile_post(*bodies, **overrides) -> dict:
    data = {
        "summary": "We support women.",
        "services": "Advocacy",
        "people_supported": "Women",
        "offer": "A safe space",
        "areas_served": [str(body.pk) for body in bodies],
        "themes": [],
        "charity_number": "1123456",
        "company_number": "",
        "website": "https://example.org",
    }
    data.update(overrides)
    return data


# Anonymous people are sent to sign in ----------------------------------------------------------


def test_anonymous_people_are_sent_to_sign_in(client, activity):
    urls = [
        url("my_organisation"),
        url("organisations"),
        url("profile", "leeds-womens-centre"),
        url("profile_edit", "leeds-womens-centre"),
        url("activity_list"),
        url("activity_create"),
        url("activity", activity.public_id),
        url("activity_share", activity.public_id),
        url("body_activity"),
    ]
    for address in urls:
        response = client.get(address)
        assert response.status_code == 302, address
        assert "/accounts/login/" in response["Location"]


# Profiles ----------------------------------------------------------------------------------------


def test_the_organisations_list_is_for_everyone_signed_in(personas, client_for, centre):
    seen = check(personas, client_for, url("organisations"), expect(200))
    assert "Leeds Women's Centre" in seen["outsider"]
    assert "West Yorkshire" in seen["outsider"]
    # Not voluntary organisations: not listed.
    assert "Ministry of Justice" not in seen["vcs_member"]


def test_the_organisations_list_filters(personas, client_for, centre, west_yorkshire, gwent):
    client = client_for(personas.gwent_staff)
    services_save(personas, centre, west_yorkshire)
    assert "Leeds Women" in client.get(url("organisations"), {"q": "leeds"}).content.decode()
    page = client.get(url("organisations"), {"q": "nowhere"}).content.decode()
    assert "No voluntary organisations match" in page
    assert "Leeds Women" in client.get(url("organisations"), {"body": west_yorkshire.pk}).text
    assert "Leeds Women" not in client.get(url("organisations"), {"body": gwent.pk}).text
    from engage.directory.models import PriorityTheme

    theme = PriorityTheme.objects.get(slug="domestic-abuse")
    other = PriorityTheme.objects.get(slug="road-safety")
    assert "Leeds Women" in client.get(url("organisations"), {"theme": theme.pk}).text
    assert "Leeds Women" not in client.get(url("organisations"), {"theme": other.pk}).text
    # A bad filter is a message, not an error.
    response = client.get(url("organisations"), {"body": "99999999999999999999999"})
    assert response.status_code == 200
    assert "Choose a policing body from the list" in response.text


def services_save(personas, centre, *bodies):
    from engage.directory.models import PriorityTheme
    from engage.sector import services

    return services.profile_save(
        organisation=centre,
        by=personas.vcs_member,
        areas_served=list(bodies),
        themes=list(PriorityTheme.objects.filter(slug="domestic-abuse")),
        charity_number="1123456",
        summary="A women's centre in Leeds.",
        offer="A women's centre that can host appointments.",
    )


def test_the_profile_is_readable_by_everyone_signed_in(
    personas, client_for, centre, west_yorkshire
):
    services_save(personas, centre, west_yorkshire)
    seen = check(personas, client_for, url("profile", "leeds-womens-centre"), expect(200))
    page = seen["outsider"]
    assert "1123456" in page
    assert "A women's centre that can host appointments." in page
    assert "Domestic abuse" in page
    assert reverse("directory:body", args=["west-yorkshire"]) in page
    assert "Edit the profile" in seen["vcs_member"]
    assert "Edit the profile" in seen["admin"]
    assert "Edit the profile" not in seen["gwent_staff"]
    assert "Sample content" not in page


def test_a_profile_not_yet_written(personas, client_for, centre):
    seen = check(personas, client_for, url("profile", "leeds-womens-centre"), expect(200))
    assert "has not written its profile yet" in seen["gwent_staff"]
    assert "West Yorkshire" in seen["gwent_staff"]
    assert "Write your profile" in seen["vcs_member"]
    assert "Write your profile" not in seen["gwent_staff"]


def test_the_sample_profile_says_so(personas, client_for, centre):
    from engage.sector.demo import seed_sector_demo

    seed_sector_demo()
    page = client_for(personas.outsider).get(url("profile", "leeds-womens-centre")).text
    assert "Sample content" in page


def test_no_profile_page_for_organisations_that_are_not_voluntary(personas, client_for):
    check(personas, client_for, url("profile", "gwent"), expect(404))
    check(personas, client_for, url("profile", "no-such-organisation"), expect(404))


def test_no_profile_page_for_an_inactive_organisation(personas, client_for, centre):
    centre.is_active = False
    centre.save(update_fields=["is_active"])
    assert client_for(personas.outsider).get(url("profile", centre.slug)).status_code == 404


def test_the_edit_page_is_for_members_and_site_administrators(personas, client_for, centre):
    seen = check(
        personas,
        client_for,
        url("profile_edit", "leeds-womens-centre"),
        expect(403, vcs_member=200, admin=200),
    )
    assert "Policing body areas it serves" in seen["vcs_member"]
    # The 43 bodies, as checkboxes, by name.
    assert seen["vcs_member"].count('name="areas_served"') == 43


def test_a_member_edits_the_profile(personas, client_for, centre, west_yorkshire, gwent):
    client = client_for(personas.vcs_member)
    response = client.post(
        url("profile_edit", "leeds-womens-centre"),
        profile_post(west_yorkshire, gwent, company_number="sc 123456"),
    )
    assert response.status_code == 302
    assert response["Location"] == url("profile", "leeds-womens-centre")
    profile = OrganisationProfile.objects.get(organisation=centre)
    assert profile.company_number == "SC123456"
    assert set(centre.areas_served.all()) == {west_yorkshire, gwent}
    page = client.get(response["Location"]).text
    assert "SC123456" in page
    assert "Gwent" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"charity_number": "12-34"}, "Enter a registered charity number of 6 to 8 digits"),
        ({"company_number": "1234"}, "Enter a company number of 8 characters"),
        ({"website": "http://example.org"}, "starting https://"),
        ({"areas_served": []}, "Choose at least one policing body area"),
        ({"areas_served": ["99999999999999999999999"]}, "Choose policing body areas from the list"),
        ({"themes": ["abc"]}, "Choose themes from the list"),
    ],
)
def test_bad_profile_input_shows_a_message(
    personas, client_for, centre, west_yorkshire, overrides, message
):
    response = client_for(personas.vcs_member).post(
        url("profile_edit", "leeds-womens-centre"), profile_post(west_yorkshire, **overrides)
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert message in html.unescape(response.text)
    assert html.unescape(response.text).count(message) == 2  # the summary and the field
    assert not OrganisationProfile.objects.exists()


def test_my_organisation(personas, client_for, centre):
    response = client_for(personas.vcs_member).get(url("my_organisation"))
    assert response.status_code == 302
    assert response["Location"] == url("profile", "leeds-womens-centre")
    for name in ("gwent_staff", "admin", "outsider"):
        response = client_for(getattr(personas, name)).get(url("my_organisation"))
        assert response.status_code == 200
        assert "is for members of voluntary" in response.text


# The engagement log --------------------------------------------------------------------------


def test_the_log_is_for_the_voluntary_organisation_acted_for(personas, client_for, activity):
    seen = check(personas, client_for, url("activity_list"), expect(200))
    assert SUMMARY in html.unescape(seen["vcs_member"])
    for name in EVERYONE:
        if name != "vcs_member":
            assert SUMMARY not in seen[name], name
            assert "is for members of voluntary" in seen[name], name


def test_the_log_counts_follow_ups_and_summarises_arrangements(
    personas, client_for, centre, west_yorkshire, activity
):
    from engage.sector import services

    from .conftest import log

    member = personas.vcs_member
    services.followup_add(activity=activity, by=member, description="Soon", due_on=in_days(3))
    services.followup_add(activity=activity, by=member, description="Late", due_on=in_days(-3))
    services.followup_add(activity=activity, by=member, description="Later", due_on=in_days(30))
    log(
        centre,
        member,
        west_yorkshire,
        kind="advisory",
        summary="Joined the VAWG board",
        arrangement="sector_adviser",
        arrangement_details="Adviser on the VAWG partnership board",
    )
    page = html.unescape(client_for(member).get(url("activity_list")).text)
    assert "1 follow-up due within 14 days" in page
    assert "1 follow-up overdue" in page
    assert "1 lasting arrangement:" in page
    assert "Sector adviser to the policing body, Mayor of West Yorkshire" in page
    assert "Adviser on the VAWG partnership board" in page


def test_the_log_filters(personas, client_for, centre, west_yorkshire, gwent, activity):
    from engage.sector import services

    from .conftest import log

    member = personas.vcs_member
    other = log(centre, member, gwent, kind="forum", summary="A forum in Gwent", share=True)
    services.followup_add(activity=other, by=member, description="Call", due_on=in_days(2))
    client = client_for(member)

    def shown(**params) -> set[str]:
        page = html.unescape(client.get(url("activity_list"), params).text)
        return {s for s in (SUMMARY, "A forum in Gwent") if s in page}

    assert shown() == {SUMMARY, "A forum in Gwent"}
    assert shown(body=gwent.pk) == {"A forum in Gwent"}
    assert shown(kind="meeting") == {SUMMARY}
    assert shown(shared="yes") == {"A forum in Gwent"}
    assert shown(shared="no") == {SUMMARY}
    assert shown(open="on") == {"A forum in Gwent"}
    assert shown(lasting="on") == set()
    assert shown(q="forum") == {"A forum in Gwent"}
    response = client.get(url("activity_list"), {"kind": "party", "body": "x"})
    assert response.status_code == 200
    assert "Choose a kind from the list" in response.text


def test_the_create_page_is_for_the_organisation(personas, client_for, centre):
    seen = check(personas, client_for, url("activity_create"), expect(403, vcs_member=200))
    page = seen["vcs_member"]
    assert "Areas you serve" in page
    # West Yorkshire, the one area served, is listed first and chosen already.
    served = page.split("Areas you serve")[1].split("</optgroup>")[0]
    assert "selected>Mayor of West Yorkshire</option>" in served


def test_a_member_logs_an_activity(personas, client_for, centre, west_yorkshire):
    response = client_for(personas.vcs_member).post(
        url("activity_create"), activity_post(west_yorkshire, share="on")
    )
    activity = Activity.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("activity", activity.public_id)
    assert activity.organisation == centre
    assert activity.shared_at is not None


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (date_fields("happened_on", in_days(1)), "Date must be today or in the past"),
        ({"arrangement": "board_seat"}, "Say what the lasting arrangement is"),
        ({"body": "99999999999999999999"}, "Choose a policing body from the list"),
        ({"body": ""}, "Choose the policing body"),
        ({"kind": ""}, "Choose the kind of activity"),
        ({"summary": ""}, "Enter a summary of the activity"),
        ({"happened_on_0": "31", "happened_on_1": "2"}, "The date must be a real date"),
    ],
)
def test_bad_activity_input_shows_a_message(
    personas, client_for, centre, west_yorkshire, overrides, message
):
    response = client_for(personas.vcs_member).post(
        url("activity_create"), activity_post(west_yorkshire, **overrides)
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert message in html.unescape(response.text)
    assert not Activity.objects.exists()


def test_activity_detail_before_and_after_sharing(personas, client_for, activity, wy_member):
    address = url("activity", activity.public_id)
    seen = check(personas, client_for, address, expect(404, vcs_member=200))
    assert "Share it with the body" in seen["vcs_member"]
    assert client_for(wy_member).get(address).status_code == 404

    from engage.sector import services

    services.activity_share(activity=activity, by=personas.vcs_member)
    services.followup_add(
        activity=activity, by=personas.vcs_member, description="Send report", due_on=in_days(-1)
    )
    check(personas, client_for, address, expect(404, vcs_member=200))
    page = html.unescape(client_for(wy_member).get(address).text)
    assert SUMMARY in page
    assert "Send report" in page
    assert "Overdue" in page
    for control in ("Change the activity", "Stop sharing it", "Add a follow-up", "Mark done"):
        assert control not in page, control
    # The body reads, but may not change.
    for name in ("activity_edit", "activity_share", "activity_unshare", "activity_delete"):
        assert client_for(wy_member).get(url(name, activity.public_id)).status_code == 403
        assert client_for(wy_member).post(url(name, activity.public_id)).status_code == 403
    follow_up = activity.follow_ups.get()
    assert client_for(wy_member).post(url("followup_done", follow_up.public_id)).status_code == 403
    assert client_for(wy_member).get(url("followup_edit", follow_up.public_id)).status_code == 403
    follow_up.refresh_from_db()
    assert follow_up.done_on is None
    activity.refresh_from_db()
    assert activity.shared_at is not None

    services.activity_unshare(activity=activity, by=personas.vcs_member)
    assert client_for(wy_member).get(address).status_code == 404


@pytest.mark.parametrize(
    "name",
    ["activity_edit", "activity_share", "activity_unshare", "activity_delete", "followup_add"],
)
def test_action_pages_are_for_the_organisation(personas, client_for, activity, name):
    check(personas, client_for, url(name, activity.public_id), expect(404, vcs_member=200))


def test_sharing_and_unsharing_through_the_pages(personas, client_for, activity, wy_member):
    client = client_for(personas.vcs_member)
    page = html.unescape(client.get(url("activity_share", activity.public_id)).text)
    assert "its members will see this activity and its follow-ups" in page
    response = client.post(url("activity_share", activity.public_id))
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.shared_at is not None
    body_page = html.unescape(client_for(wy_member).get(url("body_activity")).text)
    assert "Leeds Women's Centre" in body_page
    assert client.get(url("activity_unshare", activity.public_id)).status_code == 200
    client.post(url("activity_unshare", activity.public_id))
    activity.refresh_from_db()
    assert activity.shared_at is None
    assert "Leeds Women's Centre" not in html.unescape(
        client_for(wy_member).get(url("body_activity")).text
    )
    # The history shows both.
    page = " ".join(html.unescape(client.get(url("activity", activity.public_id)).text).split())
    assert "History of changes" in page
    assert page.count("activity changed (sharing with the body) by Grace Njoroge") == 2


def test_delete_through_the_pages(personas, client_for, shared):
    client = client_for(personas.vcs_member)
    page = html.unescape(client.get(url("activity_delete", shared.public_id)).text)
    assert "Stop sharing it before you delete it" in page
    assert "Delete it</button>" not in " ".join(page.split()).replace("> ", ">")
    response = client.post(url("activity_delete", shared.public_id))
    assert response.status_code == 400
    assert "Stop sharing it first" in html.unescape(response.text)
    assert Activity.objects.filter(pk=shared.pk).exists()
    client.post(url("activity_unshare", shared.public_id))
    page = client.get(url("activity_delete", shared.public_id)).text
    assert "Delete it</button>" in " ".join(page.split()).replace("> ", ">")
    response = client.post(url("activity_delete", shared.public_id))
    assert response.status_code == 302
    assert response["Location"] == url("activity_list")
    assert not Activity.objects.filter(pk=shared.pk).exists()


def test_edit_through_the_page(personas, client_for, activity, gwent):
    client = client_for(personas.vcs_member)
    page = client.get(url("activity_edit", activity.public_id)).text
    assert "Share it with the policing body now" not in page
    response = client.post(
        url("activity_edit", activity.public_id),
        activity_post(gwent, arrangement="memorandum", arrangement_details="Referrals MoU"),
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.body, activity.arrangement) == (gwent, "memorandum")
    response = client.post(
        url("activity_edit", activity.public_id),
        activity_post(gwent, **date_fields("happened_on", in_days(2))),
    )
    assert "Date must be today or in the past" in response.text
    activity.refresh_from_db()
    assert activity.happened_on == in_days(-1)


def test_follow_ups_through_the_pages(personas, client_for, activity):
    client = client_for(personas.vcs_member)
    response = client.post(
        url("followup_add", activity.public_id),
        {"description": "Send report", **date_fields("due_on", in_days(-2))},
    )
    assert response.status_code == 302
    follow_up = FollowUp.objects.get()
    page = html.unescape(client.get(url("activity", activity.public_id)).text)
    assert "Overdue" in page
    assert client.get(url("followup_done", follow_up.public_id)).status_code == 405
    assert client.post(url("followup_done", follow_up.public_id)).status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.done_on is not None
    response = client.post(
        url("followup_edit", follow_up.public_id),
        {"description": "Send the report", **date_fields("due_on", in_days(4))},
    )
    assert response.status_code == 302
    follow_up.refresh_from_db()
    assert (follow_up.description, follow_up.done_on) == ("Send the report", None)
    response = client.post(url("followup_add", activity.public_id), {"description": ""})
    assert response.status_code == 200
    assert "Say what is to be done" in response.text
    assert "Enter the due date" in response.text
    assert FollowUp.objects.count() == 1


def test_follow_up_pages_are_for_the_organisation(personas, client_for, activity):
    from engage.sector import services

    follow_up = services.followup_add(
        activity=activity, by=personas.vcs_member, description="Call", due_on=in_days(1)
    )
    check(
        personas,
        client_for,
        url("followup_edit", follow_up.public_id),
        expect(404, vcs_member=200),
    )


def test_an_unknown_activity_is_404(personas, client_for):
    address = url("activity", "00000000-0000-0000-0000-000000000000")
    assert client_for(personas.vcs_member).get(address).status_code == 404


# What the body sees ---------------------------------------------------------------------------


def test_shared_with_us(personas, client_for, shared, activity, wy_member, centre, gwent):
    from .conftest import log

    log(centre, personas.vcs_member, gwent, summary="Shared with Gwent", share=True)
    log(centre, personas.vcs_member, gwent, summary="Not shared with Gwent")
    seen = check(personas, client_for, url("body_activity"), expect(200))
    assert "Shared with Gwent" in seen["gwent_staff"]
    assert "Not shared with Gwent" not in seen["gwent_staff"]
    assert SUMMARY[:40] not in seen["gwent_staff"]
    assert "No voluntary organisation has shared" in seen["kent_commissioner"]
    assert "You are not acting for a policing body" in seen["vcs_member"]
    page = html.unescape(client_for(wy_member).get(url("body_activity")).text)
    assert SUMMARY[:40] in page
    assert "Shared with Gwent" not in page
    client = client_for(wy_member)
    assert SUMMARY[:40] in html.unescape(
        client.get(url("body_activity"), {"organisation": centre.pk, "kind": "meeting"}).text
    )
    assert "No shared activity matches" in client.get(url("body_activity"), {"kind": "forum"}).text
    response = client.get(url("body_activity"), {"organisation": "999999999999999999999"})
    assert response.status_code == 200
    assert "Choose an organisation from the list" in response.text


def test_the_demo_as_each_side_sees_it(personas, client_for, wy_member):
    from engage.sector.demo import ADVISER_SUMMARY, MEETING_SUMMARY, seed_sector_demo

    seed_sector_demo()
    own = html.unescape(client_for(personas.vcs_member).get(url("activity_list")).text)
    assert MEETING_SUMMARY[:60] in own
    assert ADVISER_SUMMARY[:60] in own
    assert "1 follow-up due within 14 days" in own
    assert "1 lasting arrangement:" in own
    body = html.unescape(client_for(wy_member).get(url("body_activity")).text)
    assert MEETING_SUMMARY[:60] in body
    assert ADVISER_SUMMARY[:60] not in body


def test_changing_a_shared_activitys_body_through_the_page_says_it_is_unshared(
    personas, client_for, shared, gwent
):
    client = client_for(personas.vcs_member)
    address = url("activity_edit", shared.public_id)
    response = client.post(address, activity_post(gwent), follow=True)
    page = " ".join(html.unescape(response.text).split())
    assert (
        f"It is no longer shared: share it with {gwent.organisation.name} if you want them to "
        "see it."
    ) in page
    assert "Share it with the body" in page
    shared.refresh_from_db()
    assert (shared.body, shared.shared_at) == (gwent, None)


def test_editing_a_shared_activity_keeping_its_body_keeps_it_shared(
    personas, client_for, shared, west_yorkshire
):
    client = client_for(personas.vcs_member)
    response = client.post(
        url("activity_edit", shared.public_id), activity_post(west_yorkshire), follow=True
    )
    assert "no longer shared" not in html.unescape(response.text)
    shared.refresh_from_db()
    assert shared.shared_at is not None


def test_the_body_sees_no_history_of_follow_ups(personas, client_for, shared, wy_member):
    """Deleted follow-ups and earlier wordings stay with the organisation that keeps the log."""
    from engage.core.services import as_history_user
    from engage.sector import services

    member = personas.vcs_member
    reworded = services.followup_add(
        activity=shared, by=member, description="Draft wording", due_on=in_days(3)
    )
    services.followup_update(
        follow_up=reworded, by=member, description="Send the report", due_on=in_days(3), done=False
    )
    removed = services.followup_add(
        activity=shared, by=member, description="Private note removed", due_on=in_days(4)
    )
    as_history_user(removed, member)
    removed.delete()
    address = url("activity", shared.public_id)
    page = html.unescape(client_for(wy_member).get(address).text)
    assert "Send the report" in page  # the current follow-up
    assert "Private note removed" not in page
    assert "Draft wording" not in page
    assert "History of changes" not in page
    own = html.unescape(client_for(member).get(address).text)
    assert "History of changes" in own
    assert "Private note removed" in own
