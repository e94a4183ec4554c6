"""Every Compact page opened by every persona (all signed-in read; who may record, edit, sign,
remove), anonymous people sent to sign in, what the Compact working page shows (share, map,
table, share over time), and bad input on the pages (a message, nothing changed)."""

import html

import pytest
from django.urls import reverse
from django.utils import timezone

from engage.compacts import services
from engage.compacts.models import Compact, CompactSignatory
from engage.compacts.selectors import compact_working, share_over_time
from engage.conftest import EVERYONE

from .conftest import body, days_ago, membership_of

pytestmark = pytest.mark.django_db

RECORDERS = {
    "gwent_commissioner",
    "gwent_staff",
    "kent_commissioner",
    "dorset_commissioner",
    "surrey_ceo",
    "vcs_member",
    "admin",
}


def expect(default: int, **codes: int) -> dict[str, int]:
    return {name: codes.get(name, default) for name in EVERYONE}


def check(personas, client_for, url: str, expected: dict[str, int]) -> dict[str, str]:
    got = {}
    for name in EVERYONE:
        response = client_for(getattr(personas, name)).get(url)
        got[name] = (response.status_code, html.unescape(response.content.decode()))
    assert {name: code for name, (code, _page) in got.items()} == expected, url
    return {name: page for name, (_code, page) in got.items()}


def date_fields(prefix: str, day) -> dict[str, str]:
    return {
        f"{prefix}_0": str(day.day),
        f"{prefix}_1": str(day.month),
        f"{prefix}_2": str(day.year),
    }


def kent_compact(by, **overrides) -> Compact:
    values = {
        "title": "Kent Compact",
        "area": "Kent",
        "bodies": [body("kent")],
        "agreed_on": days_ago(800),
        "url": "",
    }
    values.update(overrides)
    return services.compact_create(by=by, **values)


# Access ------------------------------------------------------------------------------------


def test_everyone_signed_in_reads_the_list_and_a_compact(personas, client_for, wy_compact):
    seen = check(personas, client_for, reverse("compacts:list"), expect(200))
    assert "West Yorkshire Compact" in seen["outsider"]
    seen = check(
        personas, client_for, reverse("compacts:detail", args=[wy_compact.public_id]), expect(200)
    )
    assert "Leeds Women's Centre" in seen["moj_lead"]


def test_anonymous_people_are_sent_to_sign_in(client, wy_compact):
    signature = wy_compact.signatories.first()
    urls = [
        reverse("compacts:list"),
        reverse("compacts:create"),
        reverse("compacts:detail", args=[wy_compact.public_id]),
        reverse("compacts:edit", args=[wy_compact.public_id]),
        reverse("compacts:sign", args=[wy_compact.public_id]),
        reverse("compacts:remove_signature", args=[wy_compact.public_id, signature.public_id]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("account_login")), url


def test_who_may_record_a_compact(personas, client_for):
    codes = {name: 200 if name in RECORDERS else 403 for name in EVERYONE}
    check(personas, client_for, reverse("compacts:create"), codes)
    page = client_for(personas.vcs_member).get(reverse("compacts:list")).content.decode()
    assert reverse("compacts:create") in page
    page = client_for(personas.moj_lead).get(reverse("compacts:list")).content.decode()
    assert reverse("compacts:create") not in page


def test_who_may_edit_and_sign(personas, client_for, wy_compact, wy_staff):
    # Recorded by the admin, covering West Yorkshire (no persona is a member of it).
    edit = reverse("compacts:edit", args=[wy_compact.public_id])
    check(personas, client_for, edit, expect(403, admin=200))
    # Not a member of the body it covers: only the recorder and site administrators edit.
    assert client_for(wy_staff).get(edit).status_code == 403
    assert client_for(personas.vcs_member).get(edit).status_code == 403
    mine = kent_compact(personas.vcs_member)
    mine_edit = reverse("compacts:edit", args=[mine.public_id])
    check(personas, client_for, mine_edit, expect(403, vcs_member=200, admin=200))
    # Signing: those in the area (Leeds Women's Centre serves West Yorkshire) and site
    # administrators; the other bodies and voluntary organisations are sent back to the
    # Compact with a message; the rest may not sign at all.
    sign = reverse("compacts:sign", args=[wy_compact.public_id])
    in_area = {"vcs_member", "admin"}
    check(
        personas,
        client_for,
        sign,
        {n: 200 if n in in_area else 302 if n in RECORDERS else 403 for n in EVERYONE},
    )
    assert client_for(wy_staff).get(sign).status_code == 200


def test_who_may_remove_a_signature(personas, client_for, wy_compact):
    leeds = wy_compact.signatories.get(organisation__slug="leeds-womens-centre")
    url = reverse("compacts:remove_signature", args=[wy_compact.public_id, leeds.public_id])
    seen = check(personas, client_for, url, expect(403, vcs_member=200, admin=200))
    assert "Remove the signature of Leeds Women's Centre?" in seen["vcs_member"]
    detail = reverse("compacts:detail", args=[wy_compact.public_id])
    assert url in client_for(personas.vcs_member).get(detail).content.decode()
    assert url not in client_for(personas.gwent_staff).get(detail).content.decode()


def test_unknown_compacts_and_signatures_are_404(personas, client_for, wy_compact):
    client = client_for(personas.vcs_member)
    other = kent_compact(personas.admin)
    leeds = wy_compact.signatories.get(organisation__slug="leeds-womens-centre")
    for url in (
        "/compacts/00000000-0000-0000-0000-000000000000/",
        "/compacts/not-a-uuid/",
        reverse("compacts:remove_signature", args=[other.public_id, leeds.public_id]),
    ):
        assert client.get(url).status_code == 404, url


# Writing through the pages -------------------------------------------------------------------


def test_a_voluntary_member_records_a_compact_and_signs_it(personas, client_for):
    client = client_for(personas.vcs_member)
    response = client.post(
        reverse("compacts:create"),
        {
            "title": "Leeds Compact",
            "area": "Leeds",
            "bodies": [body("west-yorkshire").pk],
            **date_fields("agreed_on", days_ago(100)),
            "url": "https://example.org/leeds",
        },
    )
    compact = Compact.objects.get(title="Leeds Compact")
    assert response.status_code == 302
    assert response["Location"] == reverse("compacts:detail", args=[compact.public_id])
    sign = reverse("compacts:sign", args=[compact.public_id])
    assert "You are recording that Leeds Women's Centre signed" in html.unescape(
        client.get(sign).content.decode()
    )
    response = client.post(sign, date_fields("signed_on", days_ago(50)))
    assert response.status_code == 302
    assert compact.signatories.get().organisation.slug == "leeds-womens-centre"
    page = html.unescape(client.get(response["Location"]).content.decode())
    assert "Signature of Leeds Women's Centre recorded." in page
    assert "Signed by Leeds Women's Centre on" in page  # the history


def test_bad_input_on_the_create_page(personas, client_for):
    client = client_for(personas.vcs_member)
    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    response = client.post(
        reverse("compacts:create"),
        {"title": "", "area": "Leeds", "bodies": ["99999999999999999999"], "url": "ftp://x"},
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter the Compact's title" in page
    assert "Choose policing body areas from the list" in page
    assert "Enter the date agreed" in page
    response = client.post(
        reverse("compacts:create"),
        {
            "title": "Leeds",
            "area": "Leeds",
            "bodies": [body("west-yorkshire").pk],
            **date_fields("agreed_on", tomorrow),
            "url": "http://example.org",
        },
    )
    page = html.unescape(response.content.decode())
    assert "The date agreed must be today or in the past" in page
    assert "Enter a web address starting https://" in page
    assert not Compact.objects.exists()


def test_a_second_signature_gets_a_message_on_the_page(personas, client_for, wy_compact):
    count = CompactSignatory.objects.count()
    response = client_for(personas.vcs_member).post(
        reverse("compacts:sign", args=[wy_compact.public_id]), date_fields("signed_on", days_ago(1))
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Leeds Women's Centre has already signed this Compact" in page
    assert "There is a problem" in page
    assert CompactSignatory.objects.count() == count


def test_a_signature_out_of_the_area_gets_a_message_and_is_not_saved(
    personas, client_for, wy_compact
):
    count = CompactSignatory.objects.count()
    client = client_for(personas.kent_commissioner)
    sign = reverse("compacts:sign", args=[wy_compact.public_id])
    for response in (client.get(sign), client.post(sign, date_fields("signed_on", days_ago(1)))):
        assert response.status_code == 302
        assert response["Location"] == reverse("compacts:detail", args=[wy_compact.public_id])
    page = html.unescape(client.get(response["Location"]).content.decode())
    assert "Kent is not in the area this Compact covers" in page
    assert CompactSignatory.objects.count() == count
    # A voluntary organisation not serving Kent, on Kent's Compact.
    kent = kent_compact(personas.admin)
    client = client_for(personas.vcs_member)
    response = client.post(
        reverse("compacts:sign", args=[kent.public_id]), date_fields("signed_on", days_ago(1))
    )
    assert response.status_code == 302
    page = html.unescape(client.get(response["Location"]).content.decode())
    assert "Leeds Women's Centre is not in the area this Compact covers" in page
    assert not kent.signatories.exists()


def test_a_signature_before_the_compact_was_agreed_gets_a_message(
    personas, client_for, wy_compact, wy_staff
):
    wy_compact.signatories.filter(organisation__slug="west-yorkshire").delete()
    response = client_for(wy_staff).post(
        reverse("compacts:sign", args=[wy_compact.public_id]),
        date_fields("signed_on", wy_compact.agreed_on - timezone.timedelta(days=1)),
    )
    assert "cannot be before the Compact was agreed" in html.unescape(response.content.decode())
    assert not wy_compact.signatories.filter(organisation__slug="west-yorkshire").exists()


def test_an_admin_signs_for_a_chosen_organisation(personas, client_for, wy_compact):
    from engage.accounts.models import Organisation

    client = client_for(personas.admin)
    sign = reverse("compacts:sign", args=[wy_compact.public_id])
    response = client.post(sign, {"organisation": "abc", **date_fields("signed_on", days_ago(3))})
    assert "Choose an organisation from the list" in html.unescape(response.content.decode())
    gwent = Organisation.objects.get(slug="gwent")
    response = client.post(
        sign, {"organisation": gwent.pk, **date_fields("signed_on", days_ago(3))}
    )
    assert response.status_code == 302
    assert wy_compact.signatories.filter(organisation=gwent).exists()


def test_removing_a_signature_after_confirmation(personas, client_for, wy_compact):
    leeds = wy_compact.signatories.get(organisation__slug="leeds-womens-centre")
    url = reverse("compacts:remove_signature", args=[wy_compact.public_id, leeds.public_id])
    assert client_for(personas.gwent_staff).post(url).status_code == 403
    assert wy_compact.signatories.filter(pk=leeds.pk).exists()
    response = client_for(personas.vcs_member).post(url)
    assert response.status_code == 302
    assert not wy_compact.signatories.filter(pk=leeds.pk).exists()
    page = html.unescape(client_for(personas.vcs_member).get(response["Location"]).content.decode())
    assert "Signature of Leeds Women's Centre removed" in page


def test_editing_a_compact(personas, client_for, wy_compact):
    client = client_for(personas.admin)
    url = reverse("compacts:edit", args=[wy_compact.public_id])
    assert 'value="West Yorkshire Compact"' in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "title": "West Yorkshire Compact 2.0",
            "area": "West Yorkshire",
            "bodies": [body("west-yorkshire").pk, body("north-yorkshire").pk],
            **date_fields("agreed_on", wy_compact.agreed_on),
            "url": "",
        },
    )
    assert response.status_code == 302
    wy_compact.refresh_from_db()
    assert wy_compact.title == "West Yorkshire Compact 2.0"
    assert wy_compact.bodies.count() == 2


# What Compact working shows -----------------------------------------------------------------


def test_the_share_the_map_and_the_table(personas, client_for, wy_compact):
    kent_compact(personas.admin)
    page = html.unescape(
        client_for(personas.vcs_member).get(reverse("compacts:list")).content.decode()
    )
    assert "1 of the 43 policing bodies has signed a local Compact (2%)." in page
    # The map's key and an area's title.
    assert "Signed: 1 area" in page
    assert "Compact in the area, body not signed: 1 area" in page
    assert "No Compact recorded: 41 areas" in page
    assert f"{body('west-yorkshire').organisation.name}: Signed</title>" in page
    # The table of every body.
    table = page.split('id="bodies"')[1].split("</table>")[0]
    assert table.count('<tr class="govuk-table__row">') == 44  # header and 43 bodies
    wy_row = next(
        row for row in table.split("<tr") if reverse("briefs:brief", args=["west-yorkshire"]) in row
    )
    assert "Signed" in wy_row
    assert "West Yorkshire Compact" in wy_row
    assert wy_compact.agreed_on.strftime("%B %Y") in wy_row
    kent_row = next(
        row for row in table.split("<tr") if reverse("briefs:brief", args=["kent"]) in row
    )
    assert "Compact in the area, body not signed" in kent_row
    assert "Kent Compact" in kent_row


def test_the_table_filters_by_state(personas, client_for, wy_compact):
    client = client_for(personas.vcs_member)
    page = html.unescape(client.get(reverse("compacts:list"), {"state": "signed"}).content.decode())
    table = page.split('id="bodies"')[1].split("</table>")[0]
    assert "1 policing body" in table
    assert reverse("briefs:brief", args=["west-yorkshire"]) in table
    response = client.get(reverse("compacts:list"), {"state": "nonsense"})
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Choose a state from the list" in page
    assert "43 policing bodies" in page


def test_the_compact_list_searches_by_area_or_title(personas, client_for, wy_compact):
    kent_compact(personas.admin)
    client = client_for(personas.outsider)
    page = client.get(reverse("compacts:list"), {"q": "kent"}).content.decode()
    compacts = page.split('id="compacts"')[1]
    assert "Kent Compact" in compacts
    assert "West Yorkshire Compact" not in compacts
    page = client.get(reverse("compacts:list"), {"q": "nowhere"}).content.decode()
    assert "No Compacts match your search." in page


def test_empty_states(personas, client_for):
    page = html.unescape(
        client_for(personas.outsider).get(reverse("compacts:list")).content.decode()
    )
    assert "0 of the 43 policing bodies have signed a local Compact (0%)." in page
    assert "No policing body has signed a local Compact yet." in page
    assert "No local Compacts recorded yet." in page


def test_the_share_over_time_with_known_data(personas, client_for, wy_compact):
    """West Yorkshire signed four years ago (the demo); Kent and Gwent two years ago: by the
    end of each year since, 1, 1, 3, 3, 3 of the 43 bodies."""
    this_year = timezone.localdate().year
    compact = kent_compact(
        personas.admin,
        bodies=[body("kent"), body("gwent")],
        agreed_on=timezone.datetime(this_year - 3, 1, 1).date(),
    )
    for name in ("kent_commissioner", "gwent_staff"):
        user = getattr(personas, name)
        services.signature_add(
            compact=compact,
            by=user,
            membership=membership_of(user),
            signed_on=timezone.datetime(this_year - 2, 5, 1).date(),
        )
    working = compact_working(personas.vcs_member)
    assert [(y.year, y.signed, y.share) for y in working.over_time] == [
        (this_year - 4, 1, 2),
        (this_year - 3, 1, 2),
        (this_year - 2, 3, 7),
        (this_year - 1, 3, 7),
        (this_year, 3, 7),
    ]
    assert (working.signed, working.share, working.total) == (3, 7, 43)
    page = client_for(personas.vcs_member).get(reverse("compacts:list")).content.decode()
    over_time = page.split('id="share-over-time"')[1].split("</table>")[0]
    assert f">{this_year - 2}</th>" in over_time
    assert over_time.count('width="7"') == 3
    assert over_time.count('width="2"') == 2


def test_share_over_time_counts_each_body_once_by_its_first_signature():
    from datetime import date

    rows = share_over_time([date(2020, 1, 1), date(2022, 6, 1)], 4, today=date(2023, 1, 1))
    assert [(r.year, r.signed, r.share) for r in rows] == [
        (2020, 1, 25),
        (2021, 1, 25),
        (2022, 2, 50),
        (2023, 2, 50),
    ]
    assert share_over_time([], 43, today=date(2023, 1, 1)) == []
