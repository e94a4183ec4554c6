"""Every dissemination page and both exports, opened by every persona (200 for those who may
use it, 403 for those who read the request but may not act, 404 for those who may not see it),
what each page shows and hides, bad input (a message where the person is, nothing changed),
and the panels on the engagement page and the inbox."""

import html
import re

import pytest
from django.urls import reverse

from engage.audit.models import AccessAction, AccessLog
from engage.conftest import EVERYONE
from engage.dissemination.models import DisseminationConfirmation, DisseminationRequest

from .conftest import MESSAGE, TO_WHOM, confirm, in_days

pytestmark = pytest.mark.django_db

GWENT = {"gwent_commissioner", "gwent_staff"}
ASKED = GWENT | {"kent_commissioner"}


def expect(default: int, **codes: int) -> dict[str, int]:
    return {name: codes.get(name, default) for name in EVERYONE}


def check(personas, client_for, url: str, expected: dict[str, int]) -> dict[str, str]:
    got = {}
    for name in EVERYONE:
        response = client_for(getattr(personas, name)).get(url)
        body = response.content
        text = body.decode() if b"\x00" not in body[:200] else ""
        got[name] = (response.status_code, html.unescape(text))
    assert {name: code for name, (code, _page) in got.items()} == expected, url
    return {name: page for name, (_code, page) in got.items()}


def url(name: str, *args) -> str:
    return reverse(f"dissemination:{name}", args=[str(arg) for arg in args])


def date_fields(prefix: str, day) -> dict[str, str]:
    return {
        f"{prefix}_0": str(day.day),
        f"{prefix}_1": str(day.month),
        f"{prefix}_2": str(day.year),
    }


# The access matrix ---------------------------------------------------------------------------


def test_the_create_page_is_for_the_owning_organisation(personas, client_for, consultation):
    seen = check(
        personas,
        client_for,
        url("create", consultation.public_id),
        # Those who read the engagement but do not own it are refused (403); others never
        # see it (404).
        expect(
            404,
            moj_lead=200,
            secretariat=403,
            gwent_commissioner=403,
            gwent_staff=403,
            kent_commissioner=403,
        ),
    )
    assert "Handling label" in seen["moj_lead"]
    assert "The message's handling label" in seen["moj_lead"]


def test_the_request_page_is_for_the_bodies_asked_the_owner_and_the_apcc(
    personas, client_for, confirmed
):
    seen = check(
        personas,
        client_for,
        url("detail", confirmed.request.public_id),
        expect(404, **dict.fromkeys(ASKED | {"moj_lead", "secretariat"}, 200)),
    )
    for name in ASKED | {"moj_lead", "secretariat"}:
        assert MESSAGE in seen[name]
        assert "TLP:GREEN" in seen[name]  # the message's own label
        assert "Handling label" in seen[name]  # and the engagement's
    # A body sees its own answer, never another's.
    assert TO_WHOM in seen["gwent_staff"]
    assert "Audiences reached" in seen["gwent_staff"]
    assert TO_WHOM not in seen["kent_commissioner"]
    assert "Audiences reached" not in seen["kent_commissioner"]
    assert "Say what your body did" in seen["kent_commissioner"]
    assert "See every body's answer" in seen["moj_lead"]
    assert "See every body's answer" not in seen["gwent_staff"]


def test_the_confirm_page_is_for_the_bodies_asked(personas, client_for, asked):
    seen = check(
        personas,
        client_for,
        url("confirm", asked.public_id),
        expect(404, **dict.fromkeys(ASKED, 200), moj_lead=403, secretariat=403),
    )
    assert re.search(r"You are answering for [^.]*Gwent", seen["gwent_staff"])
    assert re.search(r"You are answering for [^.]*Kent", seen["kent_commissioner"])
    assert "not acting for one" in seen["moj_lead"]


@pytest.mark.parametrize("name", ["status", "export-csv", "export-xlsx"])
def test_the_status_page_and_exports_are_for_the_owner_and_the_apcc(
    personas, client_for, confirmed, name
):
    request = confirmed.request
    target = (
        url("status", request.public_id)
        if name == "status"
        else url("export", request.public_id, name.split("-")[1])
    )
    seen = check(
        personas,
        client_for,
        target,
        expect(404, **dict.fromkeys(ASKED, 403), moj_lead=200, secretariat=200),
    )
    if name != "export-xlsx":
        assert "Gwent" in seen["moj_lead"]
        assert "Kent" in seen["moj_lead"]
        assert TO_WHOM in seen["secretariat"]
    if name == "export-csv":
        assert seen["moj_lead"].startswith("TLP:AMBER+STRICT")


def test_exports_are_logged_with_the_label(personas, client_for, confirmed):
    client_for(personas.moj_lead).get(url("export", confirmed.request.public_id, "csv"))
    entry = AccessLog.objects.get(action=AccessAction.EXPORT, object_type="dissemination")
    assert entry.label == confirmed.request.engagement.label


def test_an_unknown_export_format_is_not_found(personas, client_for, confirmed):
    response = client_for(personas.moj_lead).get(url("export", confirmed.request.public_id, "pdf"))
    assert response.status_code == 404


def test_the_body_list_is_for_policing_bodies_and_shows_their_own(personas, client_for, confirmed):
    seen = check(
        personas,
        client_for,
        url("asked"),
        expect(
            403,
            gwent_commissioner=200,
            gwent_staff=200,
            kent_commissioner=200,
            dorset_commissioner=200,
            surrey_ceo=200,
        ),
    )
    title = confirmed.request.engagement.title
    assert title in seen["gwent_staff"]
    assert "Done" in seen["gwent_staff"]
    assert title in seen["kent_commissioner"]
    assert "Not due yet" in seen["kent_commissioner"]
    assert title not in seen["dorset_commissioner"]
    assert "has not been asked" in seen["dorset_commissioner"]


def test_the_owner_list_is_for_national_organisations_and_the_apcc(personas, client_for, confirmed):
    seen = check(
        personas,
        client_for,
        url("made"),
        expect(403, moj_lead=200, ho_lead=200, secretariat=200),
    )
    title = confirmed.request.engagement.title
    assert title in seen["moj_lead"]
    assert title in seen["secretariat"]
    assert title not in seen["ho_lead"]


# Writing through the pages -------------------------------------------------------------------


def test_the_lead_sends_a_request_without_javascript(personas, client_for, consultation):
    response = client_for(personas.moj_lead).post(
        url("create", consultation.public_id),
        {
            "message": MESSAGE,
            "message_label": "clear",
            "audiences": ["public", "other"],
            "audience_other": "Schools",
            **date_fields("due_on", in_days(7)),
        },
    )
    request = DisseminationRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("detail", request.public_id)
    assert request.message_label == "clear"
    assert request.confirmations.count() == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"message_label": "amber_strict"}, "Choose the message's label"),
        ({"message_label": "red"}, "Choose the message's label"),
        (date_fields("due_on", in_days(-1)), "cannot be due before it is made"),
        ({"audiences": ["other"]}, "Say which other audience"),
        ({"message": ""}, "Enter the message to communicate"),
    ],
)
def test_bad_requests_get_a_message_and_change_nothing(
    personas, client_for, consultation, data, message
):
    form = {
        "message": MESSAGE,
        "message_label": "green",
        "audiences": ["cjb"],
        **date_fields("due_on", in_days(7)),
        **data,
    }
    response = client_for(personas.moj_lead).post(url("create", consultation.public_id), form)
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "There is a problem" in page
    assert message in page
    assert "<title>Error:" in page
    assert not DisseminationRequest.objects.exists()


def test_a_body_confirms_without_javascript_and_corrects_it(personas, client_for, asked):
    client = client_for(personas.gwent_staff)
    response = client.post(
        url("confirm", asked.public_id),
        {
            "outcome": "done",
            "channel": "bulletin",
            "to_whom": "Partners",
            **date_fields("done_on", in_days(0)),
            "link": "https://gwent.example.org/bulletin",
        },
    )
    assert response.status_code == 302
    row = asked.confirmations.get(body__organisation__slug="gwent")
    assert row.channel == "bulletin"
    response = client.post(
        url("confirm", asked.public_id), {"outcome": "could_not", "reason": "It was withdrawn."}
    )
    row.refresh_from_db()
    assert row.outcome == "could_not"
    assert row.history.count() >= 2
    # The correction shows, to the body and to the lead: what it first said is not hidden.
    assert row.is_corrected
    page = html.unescape(client.get(url("detail", asked.public_id)).content.decode())
    assert "Corrected" in page
    assert "every earlier answer is kept" in page
    lead = client_for(personas.moj_lead)
    status = html.unescape(lead.get(url("status", asked.public_id)).content.decode())
    assert "Corrected on" in status


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Say whether your body communicated it"),
        ({"outcome": "done"}, "Choose how you communicated it"),
        ({"outcome": "could_not"}, "Say why your body could not communicate it"),
        (
            {
                "outcome": "done",
                "channel": "website",
                "to_whom": "All",
                **date_fields("done_on", in_days(2)),
            },
            "today or in the past",
        ),
        (
            {
                "outcome": "done",
                "channel": "website",
                "to_whom": "All",
                **date_fields("done_on", in_days(0)),
                "link": "javascript:alert(1)",
            },
            "Enter a web address",
        ),
    ],
)
def test_bad_confirmations_get_a_message_and_change_nothing(
    personas, client_for, asked, data, message
):
    response = client_for(personas.gwent_staff).post(url("confirm", asked.public_id), data)
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "There is a problem" in page
    assert message in page
    assert not DisseminationConfirmation.objects.exclude(outcome="").exists()


def test_a_body_not_asked_posting_to_the_confirm_page_gets_not_found(personas, client_for, asked):
    response = client_for(personas.dorset_commissioner).post(
        url("confirm", asked.public_id), {"outcome": "could_not", "reason": "No."}
    )
    assert response.status_code == 404
    assert not DisseminationConfirmation.objects.exclude(outcome="").exists()


# Panels ---------------------------------------------------------------------------------------


def test_the_engagement_page_shows_the_lead_the_counts_and_the_link(
    personas, client_for, consultation, confirmed
):
    page = client_for(personas.moj_lead).get(
        reverse("engagements:detail", args=[consultation.public_id])
    )
    text = html.unescape(page.content.decode())
    assert "Communicating it locally" in text
    assert "1 done, 0 could not, 0 overdue, 1 not due yet" in text
    assert "Ask bodies to communicate this locally" in text


def test_the_engagement_page_shows_a_body_its_own_state(
    personas, client_for, consultation, confirmed
):
    gwent = html.unescape(
        client_for(personas.gwent_staff)
        .get(reverse("engagements:detail", args=[consultation.public_id]))
        .content.decode()
    )
    assert "See the request and your answer" in gwent
    assert "Ask bodies to communicate this locally" not in gwent
    kent = html.unescape(
        client_for(personas.kent_commissioner)
        .get(reverse("engagements:detail", args=[consultation.public_id]))
        .content.decode()
    )
    assert "See the request and say what you did" in kent


def test_the_lead_is_reminded_when_the_engagement_asks_for_dissemination(
    personas, client_for, policy, victims
):
    from engage.engagements.tests.conftest import open_engagement

    engagement = open_engagement(personas, policy, groups=[victims], asks_dissemination=True)
    text = html.unescape(
        client_for(personas.moj_lead)
        .get(reverse("engagements:detail", args=[engagement.public_id]))
        .content.decode()
    )
    assert "no request has been sent yet" in text


def test_the_inboxes_link_to_what_waits(personas, client_for, asked):
    from engage.dissemination.models import DisseminationRequest as Request

    Request.objects.filter(pk=asked.pk).update(due_on=in_days(-1))
    confirm(asked, personas.gwent_staff)
    kent = html.unescape(
        client_for(personas.kent_commissioner).get(reverse("engagements:inbox")).content.decode()
    )
    assert "Dissemination asked of your body: 1 to confirm (1 overdue)" in kent
    gwent = html.unescape(
        client_for(personas.gwent_staff).get(reverse("engagements:inbox")).content.decode()
    )
    assert "Dissemination asked of your body: 0 to confirm (0 overdue)" in gwent
    lead = html.unescape(
        client_for(personas.moj_lead).get(reverse("engagements:inbox")).content.decode()
    )
    assert "Dissemination: 1 bodies overdue" in lead


# The status page ------------------------------------------------------------------------------


def test_the_status_page_shows_the_map_the_table_and_filters_by_state(
    personas, client_for, confirmed
):
    request = confirmed.request
    DisseminationRequest.objects.filter(pk=request.pk).update(due_on=in_days(-1))
    client = client_for(personas.moj_lead)
    page = html.unescape(client.get(url("status", request.public_id)).content.decode())
    assert "Map of the bodies asked, by status" in page
    assert "Done: 1 area" in page
    assert "Overdue: 1 area" in page
    assert "Not asked:" in page
    overdue = html.unescape(
        client.get(url("status", request.public_id), {"state": "overdue"}).content.decode()
    )
    table = overdue.split('id="bodies"')[1]
    assert "Kent" in table
    assert "Gwent" not in table
    assert "Clear filters" in overdue


def test_the_xlsx_export_carries_the_label_and_every_body(personas, client_for, confirmed):
    import io

    from openpyxl import load_workbook

    response = client_for(personas.secretariat).get(
        url("export", confirmed.request.public_id, "xlsx")
    )
    assert response["Content-Disposition"].endswith('TLP-AMBER+STRICT.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert cells[0][0].startswith("TLP:AMBER+STRICT")
    bodies = {row[0]: row[1] for row in cells if row and row[1] in ("Done", "Not due yet")}
    assert sorted(bodies.values()) == ["Done", "Not due yet"]


def test_a_formula_in_an_answer_is_exported_as_text(personas, client_for, asked):
    confirm(asked, personas.gwent_staff, to_whom='=HYPERLINK("http://evil")')
    body = client_for(personas.moj_lead).get(url("export", asked.public_id, "csv")).content
    assert "'=HYPERLINK" in body.decode()
    assert ",=HYPERLINK" not in body.decode()


def test_on_a_screened_out_policy_the_pages_refuse_and_record_it(personas, client_for, asked):
    """The ask and confirm pages run the services' checks first; a refusal on a screened-out
    policy is recorded (a page view included), confidential to the owning organisation."""
    from engage.policies.models import Policy, TriageOutcome

    policy = asked.engagement.policy
    Policy.objects.filter(pk=policy.pk).update(triage_outcome=TriageOutcome.SCREENED_OUT)
    lead = client_for(personas.moj_lead)
    assert lead.get(url("create", asked.engagement.public_id)).status_code in (302, 403)
    client_for(personas.gwent_staff).get(url("confirm", asked.public_id))
    refused = AccessLog.objects.filter(
        action=AccessAction.REFUSED, object_type="policy", object_id=str(policy.public_id)
    )
    assert refused.count() >= 1
    assert {entry.confidential_to_id for entry in refused} == {policy.owner_id}
    assert not DisseminationConfirmation.objects.exclude(outcome="").exists()
