"""The service steps every app shares (`engage.core.services`): a write starts from the stored
row, saves only what it names (with who, and when for the records that show it), and refuses
with the service's error. Shown on a policy, a record with a history and an `updated_at`."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from engage.core.services import lock, refresh, require, require_permission, required_text, save
from engage.engagements.tests.factories import PolicyFactory
from engage.policies.models import Policy

pytestmark = pytest.mark.django_db


@pytest.fixture
def policy(personas):
    return PolicyFactory(created_by=personas.moj_lead, policy_leads=[personas.moj_lead])


def test_lock_reads_the_stored_row_not_the_callers_changes(policy, django_assert_num_queries):
    stored_title = policy.title
    policy.title = "Changed but not saved"
    with django_assert_num_queries(1):
        current = lock(policy, "owner")
        assert current.owner.slug == "moj"  # joined: no second query
    assert current is not policy
    assert current.title == stored_title


def test_refresh_puts_what_was_stored_back_on_the_callers_instance(policy):
    policy.title = "Changed but not saved"
    current = Policy.objects.get(pk=policy.pk)
    current.summary = "Saved summary"
    current.save()
    assert refresh(policy, current) is policy
    assert (policy.title, policy.summary) == (current.title, "Saved summary")


def test_save_writes_only_the_named_fields_with_who_and_when(personas, policy):
    before = policy.updated_at
    at = before + timedelta(days=1)
    policy.title = "New title"
    policy.summary = "Not named, so not saved"
    save(policy, personas.moj_lead, ["title"], updated_at=at)
    stored = Policy.objects.get(pk=policy.pk)
    assert stored.title == "New title"
    assert stored.summary != "Not named, so not saved"
    assert stored.updated_at == at
    assert stored.history.latest("history_date").history_user == personas.moj_lead


def test_save_validates_first_and_writes_nothing_invalid(personas, policy):
    policy.title = ""
    with pytest.raises(ValidationError) as caught:
        save(policy, personas.moj_lead, ["title"], updated_at=timezone.now())
    assert "title" in caught.value.message_dict
    assert Policy.objects.get(pk=policy.pk).title != ""


def test_require_permission_goes_through_the_rules_not_superuser_status(personas, policy):
    require_permission("policies.change_policy", personas.moj_lead, policy)
    personas.outsider.is_superuser = True
    with pytest.raises(PermissionDenied):
        require_permission("policies.change_policy", personas.outsider, policy)


def test_require_refuses_with_the_message_at_the_field():
    require(True, "Never shown")
    with pytest.raises(ValidationError) as keyed:
        require(False, "Enter the reason", field="reason")
    assert keyed.value.message_dict == {"reason": ["Enter the reason"]}
    with pytest.raises(ValidationError) as unkeyed:
        require(0, "Not now")
    assert unkeyed.value.messages == ["Not now"]


def test_required_text_strips_and_refuses_blank():
    assert required_text("  Because  ", "reason", "Say why") == "Because"
    for blank in ("", "   ", None):
        with pytest.raises(ValidationError) as caught:
            required_text(blank, "reason", "Say why")
        assert caught.value.message_dict == {"reason": ["Say why"]}
