"""The engagement page reads the records of its one engagement through cheaper forms
(`readable_on`: whether the person reads the engagement settled once, not in the query). Each
must answer exactly as its `visible_to` does, for every persona, whatever the engagement's
label: the draft and the submitted collective view, clarification requests and release
requests, on an engagement at its own label and released to TLP:GREEN and TLP:CLEAR."""

import pytest

from engage.accounts.viewer import Viewer
from engage.clarifications.models import ClarificationRequest
from engage.clarifications.tests.conftest import ask as ask_question
from engage.collective.models import CollectiveView
from engage.conftest import EVERYONE
from engage.engagements import services as engagements
from engage.engagements.models import Engagement
from engage.releases.models import ReleaseRequest
from engage.releases.tests.conftest import ask as ask_release

pytestmark = pytest.mark.django_db

RECORDS = (CollectiveView, ClarificationRequest, ReleaseRequest)


def agree(personas, engagement: Engagement) -> dict[str, set[str]]:
    """For each kind of record, who reads any; asserting both forms agree for everyone."""
    readers: dict[str, set[str]] = {model.__name__: set() for model in RECORDS}
    for name in EVERYONE:
        person = getattr(personas, name)
        annotated = Engagement.objects.with_content_readable(person).get(pk=engagement.pk)
        for model in RECORDS:
            wide = set(
                model.objects.visible_to(person)
                .filter(engagement=engagement)
                .values_list("pk", flat=True)
            )
            narrow = set(
                model.objects.readable_on(annotated, Viewer.of(person)).values_list("pk", flat=True)
            )
            assert wide == narrow, (model.__name__, name, engagement.label)
            if wide:
                readers[model.__name__].add(name)
    return readers


@pytest.mark.parametrize("release_to", ["", "green", "clear"])
@pytest.mark.parametrize("stage", ["draft", "submitted"])
def test_readable_on_agrees_with_visible_to(
    personas, consultation, view, request, stage, release_to
):
    if stage == "submitted":
        request.getfixturevalue("submitted")
    ask_question(consultation, personas.kent_commissioner)
    ask_release(personas, consultation, who="gwent_staff")
    if release_to:
        engagements.label_release(
            engagement=consultation,
            by=personas.moj_lead,
            to_label=release_to,
            reason="Wider working.",
            for_whom="Everyone it concerns",
        )
    consultation.refresh_from_db()
    readers = agree(personas, consultation)
    # Both ways occur: someone reads each kind, and the outsiders never do.
    for model in RECORDS:
        assert readers[model.__name__], model.__name__
        assert not readers[model.__name__] & {"dorset_commissioner", "vcs_member", "outsider"}
