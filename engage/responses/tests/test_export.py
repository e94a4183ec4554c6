"""The CSV export of an engagement's submitted responses: what it holds, who gets it (exactly
who reads the list), that it is logged, and that no cell can run as a formula."""

import csv
import io

import pytest
from django.urls import reverse

from engage.audit.models import AccessAction, AccessLog
from engage.conftest import EVERYONE
from engage.responses import services

from .fixtures import COMPLETE, SUBMITTED_TEXT, WORKING_TEXT, save, start, submit

pytestmark = pytest.mark.django_db


def export_url(engagement) -> str:
    return reverse("responses:engagement_responses_export", args=[engagement.public_id])


def rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_lead_exports_the_latest_submitted_versions_with_label_and_recipient(
    personas, client_for, consultation, gwent_submitted
):
    response = client_for(personas.moj_lead).get(export_url(consultation))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="')
    assert "responses-TLP-AMBER+STRICT.csv" in disposition
    assert response["Cache-Control"] == "private, no-store"
    lines = rows(response)
    assert lines[0][0].startswith("TLP:AMBER+STRICT: ")
    assert personas.moj_lead.get_full_name() in lines[1][0]
    assert "Ministry of Justice" in lines[1][0]
    assert lines[2][0].startswith("Exported: ")
    header = lines[5]
    assert header[:5] == ["Policing body", "Submitted", "Submitted by", "Version", "Late"]
    assert header[5:8] == ["Q1 answer", "Q2 stance", "Q2 explanation"]
    assert header[-3:] == ["Challenges", "Opportunities", "Local variations"]
    (gwent,) = lines[6:]
    assert gwent[0] == "Police and Crime Commissioner for Gwent"
    assert gwent[3] == "1"
    assert gwent[5] == SUBMITTED_TEXT
    assert gwent[6] == "Support with changes"
    assert gwent[-3] == "Rural areas."
    assert WORKING_TEXT not in response.content.decode()  # the working copy never leaves

    log = AccessLog.objects.get(action=AccessAction.EXPORT)
    assert log.user == personas.moj_lead
    assert log.object_id == str(consultation.public_id)
    assert log.label == consultation.label


def test_cells_that_would_run_as_formulas_are_written_as_text(personas, client_for, consultation):
    commissioner = personas.kent_commissioner
    response = save(
        start(consultation, commissioner),
        commissioner,
        answers={**COMPLETE, 1: services.AnswerInput(text='=HYPERLINK("http://x.example","Hi")')},
        challenges="-2+3+cmd",
        opportunities="-1200",
    )
    submit(response, commissioner)

    (kent,) = rows(client_for(personas.moj_lead).get(export_url(consultation)))[6:]
    assert kent[5] == '\'=HYPERLINK("http://x.example","Hi")'
    assert kent[-3] == "'-2+3+cmd"
    assert kent[-2] == "-1200"  # a plain negative number stays a number


def test_the_export_holds_what_the_person_may_read_and_nothing_else(
    personas, client_for, consultation, gwent_submitted
):
    holds_gwent = {}
    for name in EVERYONE:
        response = client_for(getattr(personas, name)).get(export_url(consultation))
        if response.status_code == 200:
            holds_gwent[name] = SUBMITTED_TEXT in response.content.decode()
        else:
            assert response.status_code == 404, name
    # Those who see the engagement get a file; only those who read Gwent's response find it.
    assert holds_gwent == {
        "moj_lead": True,
        "secretariat": True,
        "gwent_commissioner": True,
        "gwent_staff": True,
        "kent_commissioner": False,
    }


def test_the_filter_applies_to_the_export(personas, client_for, consultation, gwent_submitted):
    late = client_for(personas.moj_lead).get(export_url(consultation), {"timing": "late"})
    assert rows(late)[6:] == []
    on_time = client_for(personas.moj_lead).get(export_url(consultation), {"timing": "on_time"})
    assert len(rows(on_time)[6:]) == 1


def test_the_list_links_to_the_export(personas, client_for, consultation, gwent_submitted):
    page = client_for(personas.moj_lead).get(
        reverse("responses:engagement_responses", args=[consultation.public_id])
    )
    assert export_url(consultation) in page.content.decode()


def test_signed_out_visitors_are_sent_to_sign_in(client, consultation):
    response = client.get(export_url(consultation))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
