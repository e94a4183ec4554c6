"""The impact services: who may record, change, share and delete evidence and cases; every bad
input refused with its message on its field and nothing saved; attachments checked as
documents are."""

import datetime
from decimal import Decimal

import pytest
import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from engage.documents import filetypes
from engage.documents.samples import text_pdf
from engage.impact import services
from engage.impact.models import EvidenceAttachment, EvidenceOutcome, ImpactCase, ImpactEvidence

from .conftest import MEASURE, VICTIMS, evidence_input, priority, record, stored

pytestmark = pytest.mark.django_db

REPORT = text_pdf("Evaluation report", ["Women reporting they feel safer rose to 71%."])


def upload(name: str = "report.pdf", data: bytes = REPORT) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def refused(call, **kwargs) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as exc:
        call(**kwargs)
    return exc.value.message_dict


def nothing_saved() -> None:
    assert not ImpactEvidence.objects.exists()
    assert not EvidenceOutcome.objects.exists()
    assert not EvidenceAttachment.objects.exists()


# Recording -----------------------------------------------------------------------------------


def test_evidence_is_recorded_on_the_priority_with_its_body_outcomes_and_history(
    personas, leeds, vawg
):
    evidence = record(personas, leeds, vawg)
    assert evidence.organisation == leeds
    assert evidence.priority == vawg
    assert evidence.body_id == vawg.body_id
    assert not evidence.is_shared
    assert evidence.created_by == personas.vcs_member
    assert evidence.cost == Decimal("18500.00")
    outcomes = list(evidence.outcomes.order_by("position"))
    # The blank middle row is ignored.
    assert [(o.position, o.measure) for o in outcomes] == [
        (1, MEASURE),
        (2, "Repeat referrals within 12 months"),
    ]
    assert evidence.history.latest().history_user == personas.vcs_member


def test_an_attachment_is_stored_under_a_random_name(personas, leeds, vawg, media):
    evidence = services.evidence_create(
        organisation=leeds,
        by=personas.vcs_member,
        data=evidence_input(vawg.public_id),
        attachments=[upload("C:\\fakepath\\report.pdf")],
    )
    [attachment] = evidence.attachments.all()
    assert attachment.name == "report.pdf"
    assert attachment.file_type == "pdf"
    assert attachment.size == len(REPORT)
    stored_name = attachment.file.name or ""
    assert stored_name.startswith("impact/")
    assert "report" not in stored_name
    [path] = stored(media)
    assert path.read_bytes() == REPORT


def test_each_file_is_stored_before_the_next_is_read(personas, leeds, vawg, media, monkeypatch):
    stored_when_read: list[int] = []
    read = services.read_upload

    def counting(file):
        stored_when_read.append(EvidenceAttachment.objects.count())
        return read(file)

    monkeypatch.setattr(services, "read_upload", counting)
    evidence = services.evidence_create(
        organisation=leeds,
        by=personas.vcs_member,
        data=evidence_input(vawg.public_id),
        attachments=[upload(f"report-{n}.pdf") for n in range(3)],
    )
    assert stored_when_read == [0, 1, 2]
    assert evidence.attachments.count() == 3
    assert len(stored(media)) == 3


def test_a_bad_file_after_good_ones_stores_nothing(personas, leeds, vawg, media):
    errors = refused(
        services.evidence_create,
        organisation=leeds,
        by=personas.vcs_member,
        data=evidence_input(vawg.public_id),
        attachments=[upload(), upload("second.pdf"), upload("tool.exe", b"MZ" + b"\x00" * 64)],
    )
    assert list(errors) == ["attachments"]
    nothing_saved()
    assert stored(media) == []


def test_a_bad_file_is_reported_with_the_other_errors(personas, leeds, vawg, media):
    errors = refused(
        services.evidence_create,
        organisation=leeds,
        by=personas.vcs_member,
        data=evidence_input(vawg.public_id, title=""),
        attachments=[upload("tool.exe", b"MZ" + b"\x00" * 64)],
    )
    assert sorted(errors) == ["attachments", "title"]
    nothing_saved()


def test_at_most_ten_files_on_new_evidence(personas, leeds, vawg, media):
    errors = refused(
        services.evidence_create,
        organisation=leeds,
        by=personas.vcs_member,
        data=evidence_input(vawg.public_id),
        attachments=[upload(f"report-{n}.pdf") for n in range(services.MAX_ATTACHMENTS + 1)],
    )
    assert errors == {"attachments": ["Choose 10 files or fewer"]}
    nothing_saved()
    assert stored(media) == []


def test_at_most_ten_files_counting_those_the_evidence_has(personas, evidence, media):
    def add(count: int) -> None:
        services.evidence_update(
            evidence=evidence,
            by=personas.vcs_member,
            data=evidence_input(evidence.priority.public_id, title="Changed"),
            attachments=[upload(f"report-{n}.pdf") for n in range(count)],
        )

    add(8)
    errors = refused(add, count=3)
    assert errors == {
        "attachments": [
            "The evidence can have at most 10 files and has 8 already: choose 2 or fewer"
        ]
    }
    assert evidence.attachments.count() == 8
    assert len(stored(media)) == 8
    add(2)
    assert evidence.attachments.count() == 10
    errors = refused(add, count=1)
    assert "Remove one before you attach another" in errors["attachments"][0]
    assert evidence.attachments.count() == 10


PRIORITY_MESSAGE = "Choose a priority from the plans of the areas you serve"


@pytest.mark.parametrize("which", ["other_body", "superseded", "forged", "not_a_uuid", "blank"])
def test_a_priority_not_of_a_current_plan_of_an_area_served_is_refused(
    personas, leeds, vawg, gwent_priority, old_vawg, which
):
    value = {
        "other_body": gwent_priority.public_id,
        "superseded": old_vawg.public_id,
        "forged": "3f1c2b7e-0000-4000-8000-000000000000",
        "not_a_uuid": "42; DROP TABLE",
        "blank": "",
    }[which]
    errors = refused(
        services.evidence_create,
        organisation=leeds,
        by=personas.vcs_member,
        data=evidence_input(value),
    )
    assert errors == {"priority": [PRIORITY_MESSAGE]}
    nothing_saved()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"title": "  "}, "title", "Enter a title"),
        ({"summary": ""}, "summary", "Say what was done"),
        ({"starts_on": None}, "starts_on", "Enter the date the period starts"),
        (
            {"starts_on": timezone.localdate() + datetime.timedelta(days=1)},
            "starts_on",
            "The period must start today or in the past",
        ),
        (
            {"ends_on": datetime.date(2000, 1, 1)},
            "ends_on",
            "The period must end on or after the day it starts",
        ),
        (
            {"people_reached": -1},
            "people_reached",
            "Enter the number of people reached as a whole number, 0 or more",
        ),
        ({"cost": Decimal("-5")}, "cost", "Enter an amount of £0 or more"),
        ({"savings": Decimal("-0.01")}, "savings", "Enter an amount of £0 or more"),
        (
            {"outcomes": [{"description": "", "measure": "", "baseline": "", "result": ""}]},
            "outcome_1_description",
            "Enter at least one outcome",
        ),
        (
            {
                "outcomes": [
                    {"description": "Safer", "measure": "", "baseline": "", "result": ""},
                    {"description": "Fewer", "measure": "", "baseline": "10", "result": "5"},
                ]
            },
            "outcome_2_measure",
            "Enter the measure for this result",
        ),
        (
            {"outcomes": [{"description": "", "measure": "Rate", "baseline": "", "result": "5"}]},
            "outcome_1_description",
            "Describe the outcome in this row",
        ),
    ],
)
def test_bad_input_is_refused_on_its_field_and_nothing_saved(
    personas, leeds, vawg, overrides, field, message
):
    errors = refused(
        services.evidence_create,
        organisation=leeds,
        by=personas.vcs_member,
        data=evidence_input(vawg.public_id, **overrides),
    )
    assert errors[field] == [message]
    nothing_saved()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("tool.exe", b"MZ\x90\x00" + b"\x00" * 64, "a Windows program"),
        ("report.pdf", b"MZ\x90\x00" + b"\x00" * 64, "a Windows program"),
        ("report.docx", REPORT, "The file is a PDF but its name ends in “.docx”"),
        ("empty.pdf", b"", "The file is empty"),
        ("big.txt", b"a" * 5000, "The file must be smaller than"),
    ],
)
def test_a_bad_file_refuses_the_whole_record_and_stores_nothing(
    personas, leeds, vawg, media, monkeypatch, name, data, message
):
    monkeypatch.setattr(filetypes, "MAX_UPLOAD_BYTES", 2048)
    errors = refused(
        services.evidence_create,
        organisation=leeds,
        by=personas.vcs_member,
        data=evidence_input(vawg.public_id),
        attachments=[upload(), upload(name, data)],
    )
    assert list(errors) == ["attachments"]
    assert message in errors["attachments"][0]
    nothing_saved()
    assert stored(media) == []


@pytest.mark.parametrize(
    "persona",
    ["gwent_staff", "secretariat", "admin", "outsider", "moj_lead", "kent_commissioner"],
)
def test_only_members_of_a_voluntary_organisation_record_evidence_for_it(
    personas, leeds, vawg, persona
):
    with pytest.raises(PermissionDenied):
        services.evidence_create(
            organisation=leeds, by=getattr(personas, persona), data=evidence_input(vawg.public_id)
        )
    nothing_saved()


def test_a_policing_body_member_cannot_record_evidence_for_their_own_body(
    personas, wy_member, west_yorkshire, vawg
):
    with pytest.raises(PermissionDenied):
        services.evidence_create(
            organisation=west_yorkshire.organisation,
            by=wy_member,
            data=evidence_input(vawg.public_id),
        )


# Changing, sharing, deleting -------------------------------------------------------------------


def test_an_update_replaces_the_outcomes_and_moves_the_body_with_the_priority(
    personas, evidence, wy_plan, media
):
    victims = wy_plan.priorities.get(title="Supporting victims and witnesses")
    services.evidence_update(
        evidence=evidence,
        by=personas.vcs_member,
        data=evidence_input(
            victims.public_id,
            title="Renamed",
            outcomes=[{"description": "Only one", "measure": "", "baseline": "", "result": ""}],
        ),
        attachments=[upload()],
    )
    evidence.refresh_from_db()
    assert evidence.title == "Renamed"
    assert evidence.priority == victims
    assert [o.description for o in evidence.outcomes.all()] == ["Only one"]
    assert evidence.attachments.count() == 1
    assert evidence.history.count() == 2


def test_moving_shared_evidence_to_another_bodys_priority_unshares_it(
    personas, leeds, shared_evidence, vawg, gwent_priority, wy_member
):
    # Kept on the same body, the evidence stays shared.
    first = shared_evidence.shared_at
    services.evidence_update(
        evidence=shared_evidence, by=personas.vcs_member, data=evidence_input(vawg.public_id)
    )
    shared_evidence.refresh_from_db()
    assert shared_evidence.shared_at == first
    # Moved to Gwent's priority (an area Leeds now serves too), it is no longer shared.
    leeds.areas_served.add(gwent_priority.body)
    updated = services.evidence_update(
        evidence=shared_evidence,
        by=personas.vcs_member,
        data=evidence_input(gwent_priority.public_id),
    )
    assert updated.shared_at is None
    shared_evidence.refresh_from_db()
    assert (shared_evidence.body, shared_evidence.shared_at) == (gwent_priority.body, None)
    for reader in (wy_member, personas.gwent_staff, personas.gwent_commissioner):
        assert not ImpactEvidence.objects.visible_to(reader).filter(pk=shared_evidence.pk).exists()


def test_evidence_on_a_replaced_plan_is_corrected_keeping_its_priority(
    personas, leeds, earlier_plan, request
):
    kept = earlier_plan.priorities.get()
    evidence = record(personas, leeds, kept)
    current = request.getfixturevalue("vawg")  # West Yorkshire's new plan replaces the earlier
    other_old = priority(earlier_plan, VICTIMS, "Victims and witnesses (2021)", 2)
    services.evidence_update(
        evidence=evidence,
        by=personas.vcs_member,
        data=evidence_input(kept.public_id, title="Typo fixed"),
    )
    evidence.refresh_from_db()
    assert (evidence.title, evidence.priority) == ("Typo fixed", kept)
    # A changed priority must be of a current plan of an area served.
    errors = refused(
        services.evidence_update,
        evidence=evidence,
        by=personas.vcs_member,
        data=evidence_input(other_old.public_id, title="Moved"),
    )
    assert errors == {"priority": [PRIORITY_MESSAGE]}
    evidence.refresh_from_db()
    assert (evidence.title, evidence.priority) == ("Typo fixed", kept)
    services.evidence_update(
        evidence=evidence, by=personas.vcs_member, data=evidence_input(current.public_id)
    )
    evidence.refresh_from_db()
    assert evidence.priority == current
    # Once moved, the replaced priority is no longer accepted.
    errors = refused(
        services.evidence_update,
        evidence=evidence,
        by=personas.vcs_member,
        data=evidence_input(kept.public_id),
    )
    assert errors == {"priority": [PRIORITY_MESSAGE]}


def test_a_refused_update_changes_nothing(personas, evidence, gwent_priority):
    before = evidence.history.count()
    errors = refused(
        services.evidence_update,
        evidence=evidence,
        by=personas.vcs_member,
        data=evidence_input(gwent_priority.public_id, title="Changed"),
    )
    assert errors == {"priority": [PRIORITY_MESSAGE]}
    evidence.refresh_from_db()
    assert evidence.title == "Safe spaces for women in Leeds"
    assert evidence.outcomes.count() == 2
    assert evidence.history.count() == before


def test_share_and_unshare_are_recorded_and_only_the_organisation_may(
    personas, evidence, wy_member
):
    for user in (wy_member, personas.admin, personas.secretariat):
        with pytest.raises(PermissionDenied):
            services.evidence_share(evidence=evidence, by=user)
    services.evidence_share(evidence=evidence, by=personas.vcs_member)
    assert evidence.is_shared
    assert evidence.history.latest().history_change_reason == "Shared"
    with pytest.raises(PermissionDenied):
        services.evidence_unshare(evidence=evidence, by=wy_member)
    services.evidence_unshare(evidence=evidence, by=personas.vcs_member)
    assert not evidence.is_shared
    assert evidence.history.latest().history_change_reason == "Unshared"


def test_delete_removes_outcomes_attachments_and_files(personas, leeds, vawg, media, wy_member):
    evidence = services.evidence_create(
        organisation=leeds,
        by=personas.vcs_member,
        data=evidence_input(vawg.public_id),
        attachments=[upload()],
    )
    with pytest.raises(PermissionDenied):
        services.evidence_delete(evidence=evidence, by=wy_member)
    with pytest.raises(PermissionDenied):
        services.evidence_delete(evidence=evidence, by=personas.admin)
    with pytest.raises(PermissionDenied):
        services.attachment_remove(attachment=evidence.attachments.get(), by=wy_member)
    with django_on_commit():
        services.evidence_delete(evidence=evidence, by=personas.vcs_member)
    nothing_saved()
    assert stored(media) == []
    assert evidence.history.latest().history_type == "-"


def test_an_attachment_is_removed_with_its_file(personas, leeds, vawg, media):
    evidence = services.evidence_create(
        organisation=leeds,
        by=personas.vcs_member,
        data=evidence_input(vawg.public_id),
        attachments=[upload()],
    )
    with django_on_commit():
        services.attachment_remove(attachment=evidence.attachments.get(), by=personas.vcs_member)
    assert not evidence.attachments.exists()
    assert stored(media) == []


def django_on_commit():
    """Run the on-commit callbacks of the block (the test's transaction never commits)."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


# Reading -----------------------------------------------------------------------------------


def test_evidence_is_read_by_its_organisation_and_by_the_body_once_shared(
    personas, evidence, wy_member
):
    readers = set()
    people = {**{key: getattr(personas, key) for key in vars(personas)}, "wy": wy_member}
    for key, user in people.items():
        if ImpactEvidence.objects.visible_to(user).filter(pk=evidence.pk).exists():
            readers.add(key)
    assert readers == {"vcs_member"}
    services.evidence_share(evidence=evidence, by=personas.vcs_member)
    readers = {
        key
        for key, user in people.items()
        if ImpactEvidence.objects.visible_to(user).filter(pk=evidence.pk).exists()
    }
    assert readers == {"vcs_member", "wy"}


# Impact cases --------------------------------------------------------------------------------


def test_a_case_is_made_for_a_body_served_and_refused_for_another(personas, leeds, west_yorkshire):
    case = services.case_create(
        organisation=leeds, by=personas.vcs_member, body=west_yorkshire.slug, title="Our case"
    )
    assert case.body == west_yorkshire
    assert not case.is_shared
    errors = refused(
        services.case_create,
        organisation=leeds,
        by=personas.vcs_member,
        body="gwent",
        title="",
    )
    assert errors == {
        "body": ["Choose a policing body from the areas you serve"],
        "title": ["Enter a title"],
    }
    assert ImpactCase.objects.count() == 1


def test_case_changes_are_for_the_organisation_only(personas, case, wy_member):
    for user in (wy_member, personas.admin, personas.outsider):
        with pytest.raises(PermissionDenied):
            services.case_update(case=case, by=user, title="Taken over")
        with pytest.raises(PermissionDenied):
            services.case_share(case=case, by=user)
        with pytest.raises(PermissionDenied):
            services.case_delete(case=case, by=user)
    services.case_update(case=case, by=personas.vcs_member, title="Renamed", introduction="")
    case.refresh_from_db()
    assert case.title == "Renamed"
    services.case_share(case=case, by=personas.vcs_member)
    assert case.is_shared
    services.case_unshare(case=case, by=personas.vcs_member)
    assert not case.is_shared
    services.case_delete(case=case, by=personas.vcs_member)
    assert not ImpactCase.objects.exists()


def test_the_rules(personas, leeds, west_yorkshire, evidence, wy_member):
    assert rules.has_perm("impact.record_evidence", personas.vcs_member, leeds)
    assert not rules.has_perm("impact.record_evidence", personas.admin, leeds)
    assert rules.has_perm("impact.change_evidence", personas.vcs_member, evidence)
    assert not rules.has_perm("impact.change_evidence", wy_member, evidence)
    assert rules.has_perm("impact.view_sector", wy_member, west_yorkshire)
    assert not rules.has_perm("impact.view_sector", personas.vcs_member, west_yorkshire)
    assert not rules.has_perm("impact.view_sector", personas.gwent_staff, west_yorkshire)
