"""The inbox leads to the lists of the apps built on engagements (engage/core/panels.py, page
"inbox"): questions from policing bodies for the owning organisation and the APCC, with how
many wait for an answer, requests to share further for a policy lead, and a body's own of
each. Nobody is told about records they may not see."""

import re

import pytest
from django.urls import reverse

from engage.clarifications.tests.conftest import ask
from engage.conftest import EVERYONE
from engage.releases.tests.conftest import ask as ask_release

from .conftest import open_engagement

pytestmark = pytest.mark.django_db

QUESTIONS = re.compile(r"Questions from policing bodies: (\d+) waiting")
OUR_QUESTIONS = re.compile(r"Your body&#x27;s questions to policy leads: (\d+) waiting")
REQUESTS = re.compile(r">(Requests to share further)<")
OUR_REQUESTS = re.compile(r">(Your requests to share further)<")


def counts(client) -> dict[str, int | None]:
    page = client.get(reverse("engagements:inbox")).content.decode()
    found = {}
    for name, pattern in (
        ("questions", QUESTIONS),
        ("our_questions", OUR_QUESTIONS),
        ("requests", REQUESTS),
        ("our_requests", OUR_REQUESTS),
    ):
        match = pattern.search(page)
        found[name] = (int(match.group(1)) if match.group(1).isdigit() else True) if match else None
    return found


def test_the_inbox_counts_what_waits_for_each_person(personas, client_for, policy, victims):
    engagement = open_engagement(personas, policy, groups=[victims])
    ask(engagement, personas.gwent_staff)
    ask(engagement, personas.kent_commissioner)
    ask_release(personas, engagement, who="gwent_staff")

    got = {name: counts(client_for(getattr(personas, name))) for name in EVERYONE}

    nothing = dict.fromkeys(("questions", "our_questions", "requests", "our_requests"))
    assert got["moj_lead"] == {**nothing, "questions": 2, "requests": True}
    assert got["secretariat"] == {**nothing, "questions": 2}
    assert got["gwent_staff"] == {**nothing, "our_questions": 1, "our_requests": True}
    assert got["gwent_commissioner"] == got["gwent_staff"]
    assert got["kent_commissioner"] == {**nothing, "our_questions": 1, "our_requests": True}
    # A body the engagement is not addressed to counts none of Gwent's or Kent's.
    assert got["dorset_commissioner"] == {**nothing, "our_questions": 0, "our_requests": True}
    # Another national organisation owns none of these engagements.
    assert got["ho_lead"]["questions"] == 0
    for outsider in ("vcs_member", "admin", "outsider"):
        assert got[outsider] == nothing
