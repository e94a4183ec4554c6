"""Hostile ids, numbers and dates on the register's forms and filters: a message on the page,
never a server error; nothing changes; the form keeps what was typed."""

import pytest
from django.urls import reverse

from engage.core.tests.bad_input import (
    BAD_DATE_PARTS,
    BAD_SLUGS,
    BAD_VALUES,
    assert_date_kept,
    assert_refused,
    date_message,
    date_parts,
    page_text,
)
from engage.policies.models import KeyDate, Policy


@pytest.fixture
def lead(personas, client_for):
    return client_for(personas.moj_lead)


def _state():
    return (
        list(Policy.objects.values_list("pk", "title", "updated_at")),
        list(Policy.policy_leads.through.objects.values_list("policy_id", "user_id")),
        Policy.history.count(),
        KeyDate.objects.count(),
    )


@pytest.mark.parametrize("value", BAD_VALUES)
def test_a_bad_policy_lead_id_on_a_new_policy(personas, lead, value):
    before = _state()
    response = lead.post(
        reverse("policies:new"),
        {
            "title": "Typed title",
            "summary": "Typed summary",
            "stage": "idea",
            "policy_leads": [str(personas.moj_lead.pk), value],
        },
    )
    assert_refused(response, "Choose policy leads from your organisation")
    assert 'value="Typed title"' in response.content.decode()
    assert "Typed summary" in response.content.decode()
    assert _state() == before


@pytest.mark.parametrize("value", BAD_VALUES)
def test_a_bad_policy_lead_id_when_editing(personas, lead, policy, value):
    before = _state()
    response = lead.post(
        reverse("policies:edit", args=[policy.public_id]),
        {"title": "Changed title", "summary": "Changed", "policy_leads": [value]},
    )
    assert_refused(response, "Choose policy leads from your organisation")
    assert 'value="Changed title"' in response.content.decode()
    assert _state() == before


@pytest.mark.parametrize("value", BAD_SLUGS)
def test_a_bad_theme(personas, lead, value):
    before = _state()
    response = lead.post(
        reverse("policies:new"),
        {
            "title": "Typed title",
            "summary": "Typed summary",
            "stage": "idea",
            "policy_leads": [str(personas.moj_lead.pk)],
            "themes": [value],
        },
    )
    assert_refused(response, "Choose themes from the list")
    assert _state() == before


@pytest.mark.parametrize(("value", "part"), BAD_DATE_PARTS)
def test_a_bad_key_date(lead, policy, part, value):
    before = _state()
    typed = ["4", "5", "2027"]
    typed[part] = value
    parts = date_parts("date", *typed)
    response = lead.post(
        reverse("policies:key_date_new", args=[policy.public_id]),
        {"kind": "go_live", "label": "Typed label", **parts},
    )
    assert_refused(response, date_message("date", part, value))
    assert_date_kept(response, "date", parts)
    assert 'value="Typed label"' in response.content.decode()
    assert _state() == before


@pytest.mark.parametrize("value", BAD_VALUES)
def test_register_filters_ignore_bad_values(lead, policy, value):
    """A filter that is not one of the choices is ignored: the whole register shows."""
    response = lead.get(
        reverse("policies:register"),
        {"stage": value, "theme": value, "triage": value, "page": value},
    )
    assert response.status_code == 200
    assert policy.title in page_text(response)


def test_a_search_with_a_nul_byte_is_ignored(lead, policy):
    response = lead.get(reverse("policies:register"), {"q": "Victims\x00"})
    assert response.status_code == 200
    assert policy.title in page_text(response)
