"""Every rule of the collective view's services: drawn from submitted versions only, revision
check, sign-off by the group's lead (voided by an edit), sending back, submitting, refreshing
the sources, versions kept."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from engage.collective import selectors, services
from engage.collective.content import dissent, stance_counts
from engage.collective.models import (
    CollectiveView,
    CollectiveViewVersion,
    SignOff,
    SignOffState,
    VersionEvent,
    ViewStatus,
)
from engage.responses.tests.fixtures import COMPLETE, consultation, save, start, submit

from .conftest import KENT_WORDS, WORKING_TEXT, write

pytestmark = pytest.mark.django_db


def state(view: CollectiveView) -> tuple:
    view.refresh_from_db()
    return (view.status, view.revision, view.summary, view.version_count)


# Drafting ---------------------------------------------------------------------------------


def test_a_view_is_drawn_from_submitted_versions_never_working_copies(
    personas, view, gwent_response, kent_response
):
    sources = selectors.sources_of(view)
    assert {s.response_id for s in sources} == {gwent_response.pk, kent_response.pk}
    assert all(s.number == s.response.submitted_version for s in sources)
    assert WORKING_TEXT not in str([s.content for s in sources])
    assert len(view.variations) == 2


def test_no_view_from_draft_responses_only(personas, consultation):
    draft = save(start(consultation, personas.gwent_staff), personas.gwent_staff)
    assert not draft.is_submitted
    with pytest.raises(ValidationError, match="submitted responses only"):
        services.collective_view_start(engagement=consultation, by=personas.secretariat)
    assert not CollectiveView.objects.exists()


def test_only_the_secretariat_drafts(personas, consultation, gwent_response):
    for person in (personas.moj_lead, personas.gwent_commissioner, personas.kent_commissioner):
        with pytest.raises(PermissionDenied):
            services.collective_view_start(engagement=consultation, by=person)
    assert not CollectiveView.objects.exists()


def test_one_view_per_engagement(personas, view, consultation):
    with pytest.raises(ValidationError, match="already has"):
        services.collective_view_start(engagement=consultation, by=personas.secretariat)


def test_an_apace_engagement_has_no_view(personas, policy):
    engagement = consultation(personas, policy, route="apace")
    with pytest.raises(ValidationError, match="standing groups or to all"):
        services.collective_view_start_check(engagement)


def test_a_stale_save_is_refused_and_changes_nothing(personas, view):
    old = view.revision
    write(view, personas.secretariat, summary="First")
    before = state(view)
    stale = CollectiveView.objects.get(pk=view.pk)
    stale.revision = old
    with pytest.raises(ValidationError) as exc:
        services.collective_view_save(
            view=stale, by=personas.secretariat, revision=old, summary="Second"
        )
    assert exc.value.error_list[0].code == "conflict"
    assert state(view) == before
    assert view.summary == "First"


def test_bad_input_is_refused_by_field(personas, view):
    with pytest.raises(ValidationError) as exc:
        services.collective_view_save(
            view=view, by=personas.secretariat, revision=view.revision, position="maybe"
        )
    assert "position" in exc.value.error_dict


def test_counts_and_dissent_come_from_the_sources(personas, view):
    sources = selectors.sources_of(view)
    [count] = stance_counts(view, sources)
    by_stance = {row["stance"]: row["count"] for row in count["rows"]}
    assert by_stance == {"support": 0, "support_with_changes": 1, "oppose": 1, "no_view": 0}
    [entry] = dissent(view, sources)
    assert entry["body"].endswith("Kent")
    assert entry["answers"][0]["text"] == KENT_WORDS
    write(view, personas.secretariat, position="")
    assert dissent(view, selectors.sources_of(view)) == []


def test_refresh_draws_on_newer_versions_and_keeps_edited_variations(
    personas, view, gwent_response, kent_response
):
    write(
        view,
        personas.secretariat,
        variations={
            gwent_response.body_id: "Edited by the APCC",
            kent_response.body_id: next(
                v["text"] for v in view.variations if v["body_id"] == kent_response.body_id
            ),
        },
    )
    with pytest.raises(ValidationError, match="already draws"):
        services.collective_view_refresh_sources(
            view=view, by=personas.secretariat, revision=view.revision
        )
    for response, words in ((gwent_response, "Gwent v2"), (kent_response, "Kent v2")):
        commissioner = personas.kent_commissioner
        if response is gwent_response:
            commissioner = personas.gwent_commissioner
        response.refresh_from_db()
        save(response, commissioner, answers=COMPLETE, local_variations=words)
        submit(response, commissioner)
    changed = services.collective_view_refresh_sources(
        view=view, by=personas.secretariat, revision=view.revision
    )
    assert changed == 2
    assert {s.number for s in selectors.sources_of(view)} == {2}
    texts = {v["body_id"]: v["text"] for v in view.variations}
    assert texts[gwent_response.body_id] == "Edited by the APCC"  # the APCC's edit kept
    assert texts[kent_response.body_id] == "Kent v2"  # unedited: the newer text
    assert "Sources refreshed" in view.history.first().history_change_reason


# Sign-off ---------------------------------------------------------------------------------


def test_sending_keeps_a_version_and_waits_for_each_group(personas, with_leads):
    assert with_leads.status == ViewStatus.WITH_LEADS
    version = CollectiveViewVersion.objects.get(view=with_leads)
    assert (version.number, version.event) == (1, VersionEvent.SENT)
    assert version.content["summary"] == with_leads.summary
    assert SignOff.objects.get(view=with_leads).state == SignOffState.PENDING


@pytest.mark.parametrize(
    "persona",
    ["gwent_staff", "kent_commissioner", "secretariat", "moj_lead", "dorset_commissioner"],
)
def test_only_the_lead_bodys_commissioner_signs(personas, with_leads, persona):
    before = state(with_leads)
    with pytest.raises((PermissionDenied, ValidationError)):
        services.collective_view_sign(
            view=with_leads,
            group_slug="victims",
            by=getattr(personas, persona),
            revision=with_leads.revision,
            signed=True,
        )
    assert state(with_leads) == before
    assert SignOff.objects.get(view=with_leads).state == SignOffState.PENDING


def test_a_sign_off_on_a_stale_text_is_refused(personas, with_leads):
    with pytest.raises(ValidationError):
        services.collective_view_sign(
            view=with_leads,
            group_slug="victims",
            by=personas.gwent_commissioner,
            revision=with_leads.revision - 1,
            signed=True,
        )
    assert SignOff.objects.get(view=with_leads).state == SignOffState.PENDING


def test_an_edit_after_sign_off_voids_it(personas, signed):
    sign_off = SignOff.objects.get(view=signed)
    assert sign_off.is_current(signed)
    write(signed, personas.secretariat, summary="Changed after sign-off")
    sign_off.refresh_from_db()
    assert not sign_off.is_current(signed)
    with pytest.raises(ValidationError, match="Still to sign"):
        services.collective_view_submit(
            view=signed, by=personas.secretariat, revision=signed.revision
        )
    assert signed.status == ViewStatus.WITH_LEADS


def test_sending_back_needs_comments_and_returns_to_draft(personas, with_leads):
    with pytest.raises(ValidationError) as exc:
        services.collective_view_sign(
            view=with_leads,
            group_slug="victims",
            by=personas.gwent_commissioner,
            revision=with_leads.revision,
            signed=False,
        )
    assert "comments" in exc.value.error_dict
    services.collective_view_sign(
        view=with_leads,
        group_slug="victims",
        by=personas.gwent_commissioner,
        revision=with_leads.revision,
        signed=False,
        comments="Say more about rural areas.",
    )
    with_leads.refresh_from_db()
    assert with_leads.status == ViewStatus.DRAFT
    assert SignOff.objects.get(view=with_leads).state == SignOffState.RETURNED


def test_submitting_needs_sign_off(personas, view, with_leads):
    with pytest.raises(ValidationError, match="Still to sign"):
        services.collective_view_submit(
            view=with_leads, by=personas.secretariat, revision=with_leads.revision
        )


def test_a_draft_with_groups_cannot_skip_sign_off(personas, view):
    with pytest.raises(ValidationError, match="Send the view"):
        services.collective_view_submit(view=view, by=personas.secretariat, revision=view.revision)


def test_submitted_view_is_frozen_and_final(personas, submitted):
    assert submitted.status == ViewStatus.SUBMITTED
    versions = list(CollectiveViewVersion.objects.filter(view=submitted).order_by("number"))
    assert [v.event for v in versions] == [VersionEvent.SENT, VersionEvent.SUBMITTED]
    assert versions[1].content["sign_offs"][0]["current"] is True
    with pytest.raises(ValueError, match="never changed"):
        versions[1].save()
    with pytest.raises(ValueError, match="never deleted"):
        versions[1].delete()
    with pytest.raises(ValidationError, match="no longer"):
        write(submitted, personas.secretariat, summary="Too late")


def test_all_bodies_route_submits_without_sign_off(personas, policy):
    engagement = consultation(personas, policy, route="all_bodies")
    response = save(start(engagement, personas.dorset_commissioner), personas.dorset_commissioner)
    submit(response, personas.dorset_commissioner)
    view = services.collective_view_start(engagement=engagement, by=personas.secretariat)
    assert not view.sign_offs.exists()
    with pytest.raises(ValidationError, match="no group lead"):
        services.collective_view_send(view=view, by=personas.secretariat, revision=view.revision)
    write(view, personas.secretariat)
    services.collective_view_submit(view=view, by=personas.secretariat, revision=view.revision)
    assert view.status == ViewStatus.SUBMITTED


def test_submitted_view_for_the_outcomes_app(personas, consultation, submitted):
    assert selectors.submitted_view_for(personas.moj_lead, consultation) == submitted
    assert selectors.submitted_view_for(personas.dorset_commissioner, consultation) is None


def test_a_draft_is_not_offered_to_the_outcomes_app(personas, consultation, view):
    assert selectors.submitted_view_for(personas.moj_lead, consultation) is None
    assert selectors.submitted_view_for(personas.secretariat, consultation) is None


def test_the_demo_drafts_a_view(personas, consultation, gwent_response):
    from engage.collective.demo import collective_view_demo

    view = collective_view_demo(consultation, personas.secretariat)
    assert view.status == ViewStatus.DRAFT
    assert view.summary
    assert view.sources.count() == 1
