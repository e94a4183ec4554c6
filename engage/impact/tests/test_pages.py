"""The impact pages for every persona: Leeds Women's Centre reads and changes its own evidence
and cases; West Yorkshire's members read only what is shared with them; everyone else gets a
404, site administrators included. Bad input gets a message on the page and changes nothing.
The case PDF carries the body, the organisation, the priorities and the outcome measures."""

import datetime
import html
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from engage.audit.models import AccessAction, AccessLog
from engage.conftest import EVERYONE
from engage.documents import filetypes
from engage.documents.samples import text_pdf
from engage.impact import services
from engage.impact.models import ImpactCase, ImpactEvidence
from engage.sector.models import Activity, OrganisationProfile

from .conftest import MEASURE, evidence_input, record, stored

pytestmark = pytest.mark.django_db

REPORT = text_pdf("Evaluation report", ["Women reporting they feel safer rose to 71%."])
BODY_PERSONAS = {
    "gwent_commissioner",
    "gwent_staff",
    "kent_commissioner",
    "dorset_commissioner",
    "surrey_ceo",
}


def url(name: str, *args) -> str:
    return reverse(f"impact:{name}", args=[str(arg) for arg in args])


def status_for(client_for, personas, wy_member, path: str) -> dict[str, int]:
    people = {key: getattr(personas, key) for key in EVERYONE}
    people["wy_member"] = wy_member
    return {key: client_for(user).get(path).status_code for key, user in people.items()}


def date_fields(prefix: str, day) -> dict[str, str]:
    return {
        f"{prefix}_0": str(day.day),
        f"{prefix}_1": str(day.month),
        f"{prefix}_2": str(day.year),
    }


def form_data(chosen, **overrides) -> dict:
    today = timezone.localdate()
    data = {
        "priority": str(chosen.public_id),
        "title": "Safe spaces for women in Leeds",
        "summary": "Drop-in sessions and advocacy.",
        **date_fields("starts_on", today.replace(year=today.year - 1, month=1, day=1)),
        **date_fields("ends_on", today.replace(year=today.year - 1, month=12, day=31)),
        "people_reached": "420",
        "outcome_1_description": "Women feel safer",
        "outcome_1_measure": MEASURE,
        "outcome_1_baseline": "38%",
        "outcome_1_result": "71%",
        "cost": "£18,500",
        "savings": "",
        "evaluation": "Independent evaluation.",
    }
    data.update(overrides)
    return data


# Anonymous -------------------------------------------------------------------------------------


def test_every_page_refuses_anonymous_people(client, evidence, case):
    attachment_id = "3f1c2b7e-0000-4000-8000-000000000000"
    for path in [
        url("evidence_list"),
        url("evidence_create"),
        url("evidence", evidence.public_id),
        url("evidence_edit", evidence.public_id),
        url("evidence_share", evidence.public_id),
        url("evidence_unshare", evidence.public_id),
        url("evidence_delete", evidence.public_id),
        url("attachment", attachment_id),
        url("attachment_remove", attachment_id),
        url("case_list"),
        url("case_create"),
        url("case", case.public_id),
        url("case_pdf", case.public_id),
        url("case_edit", case.public_id),
        url("case_share", case.public_id),
        url("case_unshare", case.public_id),
        url("case_delete", case.public_id),
        url("sector_view"),
    ]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.url.startswith(reverse("account_login")), path


# Who reads what --------------------------------------------------------------------------------


def test_unshared_evidence_is_for_the_organisation_alone(client_for, personas, wy_member, evidence):
    for name in ("evidence", "evidence_edit", "evidence_share", "evidence_delete"):
        statuses = status_for(client_for, personas, wy_member, url(name, evidence.public_id))
        assert statuses == {key: 200 if key == "vcs_member" else 404 for key in statuses}, name


def test_shared_evidence_is_read_by_the_body_which_changes_nothing(
    client_for, personas, wy_member, shared_evidence
):
    statuses = status_for(
        client_for, personas, wy_member, url("evidence", shared_evidence.public_id)
    )
    assert statuses == {key: 200 if key in ("vcs_member", "wy_member") else 404 for key in statuses}
    page = client_for(wy_member).get(url("evidence", shared_evidence.public_id))
    assert "Court support for victims" in page.text
    assert url("evidence_edit", shared_evidence.public_id) not in page.text
    for name in ("evidence_edit", "evidence_unshare", "evidence_delete"):
        assert client_for(wy_member).get(url(name, shared_evidence.public_id)).status_code == 403
        response = client_for(wy_member).post(url(name, shared_evidence.public_id))
        assert response.status_code == 403
    shared_evidence.refresh_from_db()
    assert shared_evidence.is_shared


def test_the_evidence_list_shows_the_organisation_acted_for(
    client_for, personas, wy_member, evidence, shared_evidence
):
    own = client_for(personas.vcs_member).get(url("evidence_list"))
    assert own.status_code == 200
    assert "Safe spaces for women in Leeds" in own.text
    assert "Court support for victims" in own.text
    assert "Record impact evidence" in own.text
    body = client_for(wy_member).get(url("evidence_list"))
    assert "Court support for victims" in body.text
    assert "Safe spaces for women in Leeds" not in body.text
    assert "Record impact evidence" not in body.text
    for key in EVERYONE:
        if key == "vcs_member":
            continue
        page = client_for(getattr(personas, key)).get(url("evidence_list"))
        assert page.status_code == 200, key
        assert "Court support" not in page.text, key
        assert "Safe spaces" not in page.text, key


def test_the_evidence_list_filters(client_for, personas, evidence, shared_evidence):
    client = client_for(personas.vcs_member)
    shared = client.get(url("evidence_list"), {"shared": "yes"})
    assert "Court support for victims" in shared.text
    assert "Safe spaces for women" not in shared.text
    vawg = client.get(url("evidence_list"), {"theme": "violence-against-women-and-girls-vawg"})
    assert "Safe spaces for women" in vawg.text
    assert "Court support for victims" not in vawg.text
    none = client.get(url("evidence_list"), {"body": "gwent", "shared": "nonsense"})
    assert none.status_code == 200  # a choice not offered: the whole list, no error
    assert "Safe spaces for women" in none.text


def test_only_voluntary_members_may_record_evidence_or_make_cases(
    client_for, personas, wy_member, wy_plan
):
    for name in ("evidence_create", "case_create"):
        statuses = status_for(client_for, personas, wy_member, url(name))
        assert statuses == {key: 200 if key == "vcs_member" else 403 for key in statuses}, name


def test_cases_unshared_are_for_the_organisation_shared_also_for_the_body(
    client_for, personas, wy_member, case
):
    for name in ("case", "case_pdf", "case_edit", "case_share", "case_delete"):
        statuses = status_for(client_for, personas, wy_member, url(name, case.public_id))
        assert statuses == {key: 200 if key == "vcs_member" else 404 for key in statuses}, name
    services.case_share(case=case, by=personas.vcs_member)
    for name in ("case", "case_pdf"):
        statuses = status_for(client_for, personas, wy_member, url(name, case.public_id))
        expected = {key: 200 if key in ("vcs_member", "wy_member") else 404 for key in statuses}
        assert statuses == expected, name
    for name in ("case_edit", "case_unshare", "case_delete"):
        assert client_for(wy_member).get(url(name, case.public_id)).status_code == 403


def test_a_member_of_both_acting_for_the_body_sees_only_what_is_shared_with_it(
    client_for, personas, leeds, west_yorkshire, evidence, shared_evidence, case
):
    """A person in Leeds Women's Centre and in West Yorkshire's policing body, acting for the
    body, does not see the centre's unshared evidence and cases in the body's lists."""
    from allauth.mfa.totp.internal.auth import TOTP

    from engage.accounts.middleware import SESSION_KEY
    from engage.accounts.models import Role
    from engage.conftest import TOTP_SECRET
    from engage.directory.tests.factories import MembershipFactory, UserFactory

    both = UserFactory(full_name="Dual Member", email="dual@west-yorkshire.example.org")
    MembershipFactory(user=both, organisation=leeds, role=Role.MEMBER)
    MembershipFactory(user=both, organisation=west_yorkshire.organisation, role=Role.OPCC_STAFF)
    TOTP.activate(both, TOTP_SECRET)
    shared_case = services.case_create(
        organisation=leeds,
        by=personas.vcs_member,
        body=west_yorkshire.slug,
        title="Shared case for the body",
    )
    services.case_share(case=shared_case, by=personas.vcs_member)
    client = client_for(both)

    def act_for(organisation) -> None:
        session = client.session
        session[SESSION_KEY] = str(organisation.public_id)
        session.save()

    act_for(west_yorkshire.organisation)
    evidence_page = client.get(url("evidence_list")).text
    assert "Court support for victims" in evidence_page
    assert evidence.title not in evidence_page
    cases_page = client.get(url("case_list")).text
    assert "Shared case for the body" in cases_page
    assert case.title not in cases_page.replace("&#x27;", "'")
    act_for(leeds)
    evidence_page = client.get(url("evidence_list")).text
    assert evidence.title in evidence_page
    assert "Court support for victims" in evidence_page
    assert case.title in client.get(url("case_list")).text.replace("&#x27;", "'")


def test_the_sector_view_is_for_policing_body_members(client_for, personas, wy_member, wy_plan):
    statuses = status_for(client_for, personas, wy_member, url("sector_view"))
    members = BODY_PERSONAS | {"wy_member"}
    assert statuses == {key: 200 if key in members else 403 for key in statuses}
    refused = client_for(personas.vcs_member).get(url("sector_view"))
    assert "This page is for policing bodies" in refused.text


# Recording through the form ------------------------------------------------------------------


def test_the_form_offers_the_current_priorities_of_the_areas_served_grouped_by_body(
    client_for, personas, wy_plan, old_vawg, gwent_priority
):
    page = client_for(personas.vcs_member).get(url("evidence_create"))
    assert '<optgroup label="Mayor of West Yorkshire">' in page.text
    text = page.text
    assert text.index("1. Safety of women and girls") < text.index("2. Supporting victims")
    assert text.index("2. Supporting victims") < text.index("3. Safer communities")
    assert str(old_vawg.public_id) not in text
    assert str(gwent_priority.public_id) not in text


def test_evidence_is_recorded_through_the_form_with_a_file(client_for, personas, vawg, media):
    data = form_data(vawg, attachments=[SimpleUploadedFile("report.pdf", REPORT)])
    response = client_for(personas.vcs_member).post(url("evidence_create"), data)
    evidence = ImpactEvidence.objects.get()
    assert response.status_code == 302
    assert response.url == url("evidence", evidence.public_id)
    assert evidence.cost == Decimal("18500")
    assert evidence.priority == vawg
    assert evidence.attachments.get().name == "report.pdf"
    page = client_for(personas.vcs_member).get(response.url)
    assert MEASURE in page.text
    assert "report.pdf" in page.text
    assert "Not shared" in page.text


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"priority": "3f1c2b7e-0000-4000-8000-000000000000"}, "Choose a priority from the plans"),
        ({"priority": ""}, "Choose a priority from the plans"),
        (
            {"outcome_1_measure": "", "outcome_1_result": "71%"},
            "Enter the measure for this result",
        ),
        (
            {
                "outcome_1_description": "",
                "outcome_1_measure": "",
                "outcome_1_baseline": "",
                "outcome_1_result": "",
            },
            "Enter at least one outcome",
        ),
        ({"people_reached": "-3"}, "whole number, 0 or more"),
        ({"people_reached": "lots"}, "whole number, 0 or more"),
        ({"people_reached": "9" * 30}, "Enter a smaller number of people reached"),
        ({"cost": "-1"}, "Enter an amount of £0 or more"),
        ({"cost": "a lot"}, "Enter the cost as an amount in pounds"),
        (
            {
                **date_fields("starts_on", timezone.localdate() + datetime.timedelta(days=1)),
                **date_fields("ends_on", timezone.localdate() + datetime.timedelta(days=9)),
            },
            "The period must start today or in the past",
        ),
        ({"ends_on_2": "2001"}, "The period must end on or after the day it starts"),
    ],
)
def test_bad_input_gets_a_message_on_the_page_and_saves_nothing(
    client_for, personas, vawg, overrides, message
):
    response = client_for(personas.vcs_member).post(
        url("evidence_create"), form_data(vawg, **overrides)
    )
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert message in response.text
    assert not ImpactEvidence.objects.exists()


def test_a_priority_of_an_area_not_served_is_refused_on_the_page(
    client_for, personas, vawg, gwent_priority
):
    response = client_for(personas.vcs_member).post(
        url("evidence_create"), form_data(gwent_priority)
    )
    assert response.status_code == 200
    assert "Choose a priority from the plans of the areas you serve" in response.text
    assert not ImpactEvidence.objects.exists()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("tool.exe", b"MZ\x90\x00" + b"\x00" * 64, "a Windows program"),
        ("big.pdf", REPORT + b"\n%" + b"a" * 5000, "The file must be smaller than"),
    ],
)
def test_a_bad_file_gets_a_message_on_the_field_and_saves_nothing(
    client_for, personas, vawg, media, monkeypatch, name, data, message
):
    monkeypatch.setattr(filetypes, "MAX_UPLOAD_BYTES", 4096)
    response = client_for(personas.vcs_member).post(
        url("evidence_create"),
        form_data(vawg, attachments=[SimpleUploadedFile(name, data)]),
    )
    assert response.status_code == 200
    assert message in response.text
    assert 'id="id_attachments-error"' in response.text
    assert not ImpactEvidence.objects.exists()
    assert stored(media) == []


def test_more_than_ten_files_get_a_message_on_the_field_and_save_nothing(
    client_for, personas, vawg, evidence, media
):
    client = client_for(personas.vcs_member)
    files = [SimpleUploadedFile(f"report-{n}.pdf", REPORT) for n in range(11)]
    response = client.post(url("evidence_create"), form_data(vawg, attachments=files))
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert 'id="id_attachments-error"' in response.text
    assert "Choose 10 files or fewer" in response.text
    assert ImpactEvidence.objects.count() == 1
    assert stored(media) == []
    # Editing counts the files the evidence has.
    services.evidence_update(
        evidence=evidence,
        by=personas.vcs_member,
        data=evidence_input(vawg.public_id),
        attachments=[SimpleUploadedFile(f"old-{n}.pdf", REPORT) for n in range(9)],
    )
    files = [SimpleUploadedFile(f"new-{n}.pdf", REPORT) for n in range(2)]
    response = client.post(
        url("evidence_edit", evidence.public_id),
        form_data(vawg, title="Renamed", attachments=files),
    )
    assert response.status_code == 200
    assert 'id="id_attachments-error"' in response.text
    assert "has 9 already: choose 1 or fewer" in response.text
    evidence.refresh_from_db()
    assert evidence.title == "Safe spaces for women in Leeds"
    assert evidence.attachments.count() == 9
    assert len(stored(media)) == 9


def test_editing_keeps_the_outcomes_in_the_form_and_saves_changes(client_for, personas, evidence):
    client = client_for(personas.vcs_member)
    page = client.get(url("evidence_edit", evidence.public_id))
    assert MEASURE in page.text
    assert 'name="outcome_3_description"' in page.text  # two outcomes and a spare row
    data = form_data(evidence.priority, title="Renamed evidence")
    response = client.post(url("evidence_edit", evidence.public_id), data)
    assert response.status_code == 302
    evidence.refresh_from_db()
    assert evidence.title == "Renamed evidence"
    assert evidence.outcomes.count() == 1


def test_moving_shared_evidence_to_another_body_says_it_is_no_longer_shared(
    client_for, personas, leeds, shared_evidence, vawg, gwent_priority
):
    client = client_for(personas.vcs_member)
    address = url("evidence_edit", shared_evidence.public_id)
    response = client.post(address, form_data(vawg), follow=True)
    assert "no longer shared" not in response.text
    shared_evidence.refresh_from_db()
    assert shared_evidence.shared_at is not None
    leeds.areas_served.add(gwent_priority.body)
    response = client.post(address, form_data(gwent_priority), follow=True)
    page = " ".join(html.unescape(response.text).split())
    name = gwent_priority.body.organisation.name
    assert f"It is no longer shared: share it with {name} if you want them to see it." in page
    shared_evidence.refresh_from_db()
    assert shared_evidence.shared_at is None


def test_evidence_on_a_replaced_plan_is_corrected_through_the_form(
    client_for, personas, leeds, earlier_plan, request
):
    kept = earlier_plan.priorities.get()
    evidence = record(personas, leeds, kept)
    request.getfixturevalue("wy_plan")  # replaces the earlier plan
    client = client_for(personas.vcs_member)
    address = url("evidence_edit", evidence.public_id)
    page = html.unescape(client.get(address).text)
    assert "1. Keeping women and girls safe (2021) (a priority of a plan since replaced)" in page
    assert f'value="{kept.public_id}" selected' in page
    response = client.post(address, form_data(kept, title="Typo fixed"))
    assert response.status_code == 302
    evidence.refresh_from_db()
    assert (evidence.title, evidence.priority) == ("Typo fixed", kept)
    # Recording new evidence does not offer the replaced priority.
    assert str(kept.public_id) not in client.get(url("evidence_create")).text


def test_share_unshare_and_delete_ask_first_then_act(client_for, personas, evidence):
    client = client_for(personas.vcs_member)
    confirm = client.get(url("evidence_share", evidence.public_id))
    assert "Share this evidence with Mayor of West Yorkshire?" in confirm.text
    evidence.refresh_from_db()
    assert not evidence.is_shared
    client.post(url("evidence_share", evidence.public_id))
    evidence.refresh_from_db()
    assert evidence.is_shared
    client.post(url("evidence_unshare", evidence.public_id))
    evidence.refresh_from_db()
    assert not evidence.is_shared
    assert "Delete this evidence?" in client.get(url("evidence_delete", evidence.public_id)).text
    response = client.post(url("evidence_delete", evidence.public_id))
    assert response.url == url("evidence_list")
    assert not ImpactEvidence.objects.exists()


# Attachments -----------------------------------------------------------------------------------


def test_an_attachment_is_downloaded_by_those_who_read_the_evidence_and_logged(
    client_for, personas, wy_member, leeds, vawg, media
):
    evidence = services.evidence_create(
        organisation=leeds,
        by=personas.vcs_member,
        data=evidence_input(vawg.public_id),
        attachments=[SimpleUploadedFile("report.pdf", REPORT)],
    )
    attachment = evidence.attachments.get()
    path = url("attachment", attachment.public_id)
    statuses = status_for(client_for, personas, wy_member, path)
    assert statuses == {key: 200 if key == "vcs_member" else 404 for key in statuses}
    services.evidence_share(evidence=evidence, by=personas.vcs_member)
    response = client_for(wy_member).get(path)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == REPORT
    assert response["Content-Disposition"].startswith("attachment")
    assert "report.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    log = AccessLog.objects.filter(user=wy_member, action=AccessAction.DOWNLOAD).get()
    assert log.object_id == str(evidence.public_id)
    remove = url("attachment_remove", attachment.public_id)
    assert client_for(wy_member).post(remove).status_code == 403
    client = client_for(personas.vcs_member)
    assert "Remove “report.pdf”?" in client.get(remove).text
    assert client.post(remove).status_code == 302
    assert not evidence.attachments.exists()


# Impact cases ----------------------------------------------------------------------------------


def test_a_case_is_made_through_the_form_for_a_body_served(
    client_for, personas, west_yorkshire, wy_plan
):
    client = client_for(personas.vcs_member)
    page = client.get(url("case_create"))
    assert "Mayor of West Yorkshire" in page.text
    bad = client.post(url("case_create"), {"body": "gwent", "title": ""})
    assert "Choose a policing body from the areas you serve" in bad.text
    assert "Enter a title" in bad.text
    assert not ImpactCase.objects.exists()
    response = client.post(
        url("case_create"), {"body": west_yorkshire.slug, "title": "Our impact", "introduction": ""}
    )
    case = ImpactCase.objects.get()
    assert response.url == url("case", case.public_id)


@pytest.fixture
def profile(leeds) -> OrganisationProfile:
    return OrganisationProfile.objects.create(
        organisation=leeds,
        summary="We support women affected by abuse.",
        services="Advocacy, drop-ins, court support.",
        offer="Lived experience panels for the commissioner.",
    )


@pytest.fixture
def full_case(personas, leeds, wy_plan, old_vawg, case, profile):
    """The case with: unshared evidence on priority 1, shared evidence on priority 2, nothing on
    priority 3, and shared evidence on the earlier plan's priority."""
    record(personas, leeds, wy_plan.priorities.get(position=1), title="Unshared drop-ins")
    record(
        personas,
        leeds,
        wy_plan.priorities.get(position=2),
        shared=True,
        title="Shared court support",
    )
    # Recorded while the earlier plan was current (the services refuse it now).
    earlier = record(personas, leeds, wy_plan.priorities.get(position=1), shared=True)
    ImpactEvidence.objects.filter(pk=earlier.pk).update(
        priority=old_vawg, title="Earlier refuge work"
    )
    return case


def test_the_case_page_follows_the_plan_order_for_the_organisation(client_for, personas, full_case):
    text = client_for(personas.vcs_member).get(url("case", full_case.public_id)).text
    assert "We support women affected by abuse." in text
    assert "Lived experience panels for the commissioner." in text
    assert text.index("1. Safety of women and girls") < text.index("Unshared drop-ins")
    assert text.index("Unshared drop-ins") < text.index("2. Supporting victims and witnesses")
    assert text.index("2. Supporting victims and witnesses") < text.index("Shared court support")
    without = text.index("Priorities with no evidence yet</h3>")
    assert text.index("Shared court support") < without < text.index("3. Safer communities")
    assert text.index("Evidence on earlier plans") < text.index("Earlier refuge work")
    assert MEASURE in text


def test_the_body_reads_a_shared_case_with_only_the_shared_evidence(
    client_for, personas, wy_member, full_case
):
    services.case_share(case=full_case, by=personas.vcs_member)
    text = client_for(wy_member).get(url("case", full_case.public_id)).text
    assert "Shared court support" in text
    assert "Earlier refuge work" in text
    assert "Unshared drop-ins" not in text
    assert url("case_edit", full_case.public_id) not in text


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_the_case_pdf_carries_the_body_organisation_priorities_and_measures(
    client_for, personas, wy_member, full_case
):
    response = client_for(personas.vcs_member).get(url("case_pdf", full_case.public_id))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    today = timezone.localdate()
    assert response["Content-Disposition"] == (
        'attachment; filename="Impact-case-Leeds-Womens-Centre-West-Yorkshire-'
        f'{today:%Y-%m-%d}.pdf"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    text = " ".join(pdf_text(response.content).split())
    assert "Mayor of West Yorkshire" in text
    assert "Leeds Women's Centre" in text or "Leeds Women’s Centre" in text
    assert "Safety of women and girls" in text
    assert MEASURE in text
    assert "Unshared drop-ins" in text
    assert text.index("Safety of women and girls") < text.index("Supporting victims")
    services.case_share(case=full_case, by=personas.vcs_member)
    body_text = pdf_text(client_for(wy_member).get(url("case_pdf", full_case.public_id)).content)
    assert "Shared court support" in " ".join(body_text.split())
    assert "Unshared drop-ins" not in " ".join(body_text.split())


def test_case_share_edit_and_delete_ask_first(client_for, personas, case):
    client = client_for(personas.vcs_member)
    assert "Share this impact case" in client.get(url("case_share", case.public_id)).text
    client.post(url("case_share", case.public_id))
    case.refresh_from_db()
    assert case.is_shared
    client.post(url("case_unshare", case.public_id))
    case.refresh_from_db()
    assert not case.is_shared
    bad = client.post(url("case_edit", case.public_id), {"title": " "})
    assert "Enter a title" in bad.text
    client.post(url("case_edit", case.public_id), {"title": "New title", "introduction": "Hi"})
    case.refresh_from_db()
    assert case.title == "New title"
    assert "Delete this impact case?" in client.get(url("case_delete", case.public_id)).text
    client.post(url("case_delete", case.public_id))
    assert not ImpactCase.objects.exists()


# The body's view of the sector -----------------------------------------------------------------


def test_the_sector_view_shows_organisations_and_shared_evidence_by_priority(
    client_for, personas, wy_member, leeds, west_yorkshire, full_case, profile
):
    from engage.directory.models import PriorityTheme

    profile.themes.set([PriorityTheme.objects.get(slug="supporting-victims-and-witnesses")])
    Activity.objects.create(
        organisation=leeds,
        body=west_yorkshire,
        kind="meeting",
        happened_on=timezone.localdate(),
        participants="Our director",
        summary="Met the deputy mayor",
        shared_at=timezone.now(),
    )
    Activity.objects.create(
        organisation=leeds,
        body=west_yorkshire,
        kind="event",
        happened_on=timezone.localdate(),
        participants="Our director",
        summary="Not shared",
    )
    text = client_for(wy_member).get(url("sector_view")).text
    victims = text.index("2. Supporting victims and witnesses")
    assert text.index("1. Safety of women and girls") < victims
    assert text.index("Leeds Women&#x27;s Centre", victims) < text.index("3. Safer communities")
    assert "1 activity shared with you" in text
    assert "Shared court support" in text
    assert "Earlier refuge work" in text
    assert "Unshared drop-ins" not in text
    gwent = client_for(personas.gwent_staff).get(url("sector_view")).text
    assert "Leeds Women" not in gwent
    assert "Shared court support" not in gwent


def test_every_error_of_the_form_is_shown_at_once(client_for, personas, vawg):
    response = client_for(personas.vcs_member).post(
        url("evidence_create"),
        form_data(vawg, priority="", outcome_1_measure="", outcome_2_description="Only text"),
    )
    text = response.text
    assert "Choose a priority from the plans of the areas you serve" in text
    assert '<a href="#id_outcome_1_measure">Enter the measure for this result</a>' in text
    assert 'id="id_outcome_1_measure-error"' in text
    assert not ImpactEvidence.objects.exists()


def test_with_no_current_plan_the_forms_say_so(client_for, personas, leeds):
    client = client_for(personas.vcs_member)
    page = client.get(url("evidence_create"))
    assert "there is no priority to record evidence against" in page.text
    assert 'name="priority"' not in page.text
    leeds.areas_served.clear()
    page = client.get(url("case_create"))
    assert "Your organisation serves no policing body" in page.text


def test_the_evidence_list_is_paginated(client_for, personas, evidence):
    ImpactEvidence.objects.bulk_create(
        ImpactEvidence(
            organisation=evidence.organisation,
            body=evidence.body,
            priority=evidence.priority,
            title=f"Record {n:02d}",
            starts_on=evidence.starts_on,
            ends_on=evidence.ends_on,
        )
        for n in range(60)
    )
    client = client_for(personas.vcs_member)
    first = client.get(url("evidence_list"))
    assert "61 evidence records" in first.text
    assert 'rel="next"' in first.text
    second = client.get(url("evidence_list"), {"page": "2"})
    assert second.status_code == 200
    assert second.text.count('class="govuk-table__row"') == 1 + 11  # heading row and 11 rows
