import re

import pytest
from django.urls import reverse

from engage.audit.models import AccessAction, AccessLog
from engage.audit.services import access_record
from engage.core.pagination import PAGE_SIZE


def _entry(user, **kwargs):
    return access_record(user=user, action=AccessAction.VIEW, object_type="thing", **kwargs)


def test_the_log_is_append_only(personas):
    entry = _entry(personas.gwent_staff)
    entry.detail = "changed"
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        AccessLog.objects.all().delete()
    assert AccessLog.objects.get().detail == ""


def test_unknown_action_is_refused(personas):
    with pytest.raises(ValueError, match="Unknown access action"):
        access_record(user=personas.gwent_staff, action="peek", object_type="x")


def test_each_person_sees_their_own_entries(personas, client_for):
    _entry(personas.gwent_staff, detail="mine")
    _entry(personas.kent_commissioner, detail="theirs")
    html = client_for(personas.gwent_staff).get(reverse("audit:log")).content.decode()
    assert "mine" in html
    assert "theirs" not in html


@pytest.mark.parametrize("persona", ["admin", "secretariat"])
def test_admins_and_the_apcc_secretariat_see_everything(personas, client_for, persona):
    _entry(personas.gwent_staff, detail="gwent-entry")
    _entry(personas.kent_commissioner, detail="kent-entry")
    html = client_for(getattr(personas, persona)).get(reverse("audit:log")).content.decode()
    assert "gwent-entry" in html
    assert "kent-entry" in html


def test_outsider_sees_nothing_of_others(personas, client_for):
    _entry(personas.gwent_staff, detail="gwent-entry")
    response = client_for(personas.outsider).get(reverse("audit:log"))
    assert response.status_code == 200
    assert "gwent-entry" not in response.content.decode()


def test_a_refusal_is_recorded(personas, client_for):
    client = client_for(personas.outsider)
    assert client.get(reverse("accounts:organisations")).status_code == 403
    entry = AccessLog.objects.get(action=AccessAction.REFUSED)
    assert entry.user == personas.outsider
    assert entry.path == reverse("accounts:organisations")


def test_bad_filter_values_are_ignored(personas, client_for):
    response = client_for(personas.admin).get(reverse("audit:log"), {"action": "nope", "page": "x"})
    assert response.status_code == 200


def test_access_log_query_count_does_not_grow(personas, client_for, django_assert_max_num_queries):
    client = client_for(personas.admin)
    for _ in range(5):
        _entry(personas.gwent_staff)
    with django_assert_max_num_queries(12) as small:
        client.get(reverse("audit:log"))
    for _ in range(50):
        _entry(
            personas.kent_commissioner,
            organisation=personas.kent_commissioner.memberships.get().organisation,
        )
    with django_assert_max_num_queries(12) as large:
        client.get(reverse("audit:log"))
    assert len(large.captured_queries) == len(small.captured_queries)


def test_a_not_found_record_is_logged_as_a_refusal(personas, client_for):
    client = client_for(personas.dorset_commissioner)
    path = "/engagements/8d0b6f2e-6f7e-4d5c-9a1b-2c3d4e5f6a7b/"
    assert client.get(path).status_code == 404
    entry = AccessLog.objects.get(action=AccessAction.REFUSED)
    assert entry.user == personas.dorset_commissioner
    assert entry.path == path


def test_the_secretariat_role_outside_the_apcc_does_not_open_the_log(personas, client_for):
    from engage.accounts.models import Membership, Role

    Membership.objects.filter(user=personas.outsider).update(role=Role.SECRETARIAT)
    _entry(personas.gwent_staff, detail="gwent-entry")
    html = client_for(personas.outsider).get(reverse("audit:log")).content.decode()
    assert "gwent-entry" not in html


def test_a_superuser_who_is_not_a_site_admin_sees_only_their_own(personas, client_for):
    from allauth.mfa.totp.internal.auth import TOTP

    from engage.accounts.models import User

    superuser = User.objects.create_superuser(email="root@example.org", password="x-long-pass-1")
    superuser.is_staff = False
    superuser.save(update_fields=["is_staff"])
    TOTP.activate(superuser, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    _entry(personas.gwent_staff, detail="gwent-entry")
    html = client_for(superuser).get(reverse("audit:log")).content.decode()
    assert "gwent-entry" not in html
    assert "Your activity" in html


def test_entries_read_as_words_not_stored_values(personas, client_for):
    """The label's name, the kind of record and the time in GOV.UK style, never the codes."""
    from datetime import UTC, datetime

    AccessLog.objects.create(
        at=datetime(2026, 11, 29, 20, 59, 36, tzinfo=UTC),
        user=personas.gwent_staff,
        action=AccessAction.VIEW,
        object_type="national_priority",
        label="amber_strict",
    )
    AccessLog.objects.create(  # midday in London's summer time
        at=datetime(2026, 7, 1, 11, 0, tzinfo=UTC),
        user=personas.gwent_staff,
        action=AccessAction.DOWNLOAD,
        object_type="document",
        label="clear",
    )

    html = client_for(personas.gwent_staff).get(reverse("audit:log")).content.decode()
    text = re.sub(r"<[^>]*>", " ", html)  # what is read, not the machine-readable attributes

    assert '<time datetime="2026-11-29T20:59:36+0000">29 November 2026 at 8:59pm</time>' in html
    assert "1 July 2026 at midday" in html
    assert "TLP:AMBER+STRICT" in html
    assert "TLP:CLEAR" in html
    assert "National priority" in html
    assert "Document" in html
    for raw in ("amber_strict", "national_priority", "29 Nov 2026", "20:59"):
        assert raw not in text


@pytest.mark.parametrize(
    ("hour", "minute", "expected"),
    [
        (0, 0, "1 December 2026 at midnight"),
        (0, 5, "1 December 2026 at 12:05am"),
        (9, 0, "1 December 2026 at 9am"),
        (12, 0, "1 December 2026 at midday"),
        (12, 30, "1 December 2026 at 12:30pm"),
        (23, 59, "1 December 2026 at 11:59pm"),
    ],
)
def test_times_are_written_the_gov_uk_way(settings, hour, minute, expected):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from engage.core.templatetags.govuk import govuk_datetime

    at = datetime(2026, 12, 1, hour, minute, tzinfo=ZoneInfo(settings.TIME_ZONE))
    assert govuk_datetime(at) == expected
    assert govuk_datetime(None) == ""


# Entries that concern a screened-out policy -----------------------------------------------


def _confidential(user, organisation_slug="moj", **kwargs):
    from engage.accounts.models import Organisation

    owner = Organisation.objects.get(slug=organisation_slug)
    return access_record(
        user=user,
        action=AccessAction.REFUSED,
        object_type="policy",
        confidential_to=owner,
        **kwargs,
    )


@pytest.mark.parametrize("persona", ["admin", "secretariat"])
def test_a_confidential_entry_is_hidden_from_those_who_see_everything_else(personas, persona):
    ordinary = _entry(personas.gwent_staff)
    _confidential(personas.moj_lead)
    assert list(AccessLog.objects.visible_to(getattr(personas, persona))) == [ordinary]


def test_a_confidential_entry_is_seen_by_members_of_its_organisation(personas):
    entry = _confidential(personas.moj_lead)
    assert list(AccessLog.objects.visible_to(personas.moj_lead)) == [entry]


def test_a_confidential_entry_by_someone_outside_the_organisation_is_read_by_it_alone(
    personas, client_for
):
    """The secretariat refused on another organisation's screened-out policy: the owning
    organisation reads the attempt, and who made it; its author, outside it, does not."""
    entry = _confidential(personas.secretariat, detail="confirm: policy outside the protocol")
    assert not AccessLog.objects.visible_to(personas.secretariat).exists()
    assert list(AccessLog.objects.visible_to(personas.moj_lead)) == [entry]
    html = client_for(personas.moj_lead).get(reverse("audit:log")).content.decode()
    assert "confirm: policy outside the protocol" in html
    assert f"By {personas.secretariat.email}" in html


def test_ones_own_entries_are_not_marked_as_by_someone(personas, client_for):
    _confidential(personas.moj_lead, detail="attempt: policy outside the protocol")
    html = client_for(personas.moj_lead).get(reverse("audit:log")).content.decode()
    assert "attempt: policy outside the protocol" in html
    assert "By " not in html


def test_a_confidential_entry_leaves_with_the_person_who_leaves_the_organisation(personas):
    from django.utils import timezone

    from engage.accounts.models import Membership

    _confidential(personas.moj_lead)
    Membership.objects.filter(user=personas.moj_lead).update(ended_at=timezone.now())
    assert not AccessLog.objects.visible_to(personas.moj_lead).exists()


def test_the_log_page_filters_and_range_tell_nothing_of_confidential_entries(personas, client_for):
    _entry(personas.gwent_staff, detail="gwent-entry")
    _confidential(personas.moj_lead, detail="attempt: policy outside the protocol")
    client = client_for(personas.admin)

    everything = client.get(reverse("audit:log")).content.decode()
    assert "gwent-entry" in everything
    assert "Entries 1 to 1," in everything  # the page's range leaves it out too
    assert "attempt: policy outside the protocol" not in everything

    for query in ({"action": "refused"}, {"person": "lead@moj"}):
        html = client.get(reverse("audit:log"), query).content.decode()
        assert "attempt: policy outside the protocol" not in html
        assert "Nothing has been recorded yet." in html  # no count, no row

    owner = client_for(personas.moj_lead).get(reverse("audit:log"), {"action": "refused"})
    assert "attempt: policy outside the protocol" in owner.content.decode()


def test_the_log_pages_newest_first_without_counting(personas, client_for):
    """The log is too long to count on every request: it pages by newer and older, from one
    query of a page and one row, and a malformed or too-large page number is no error."""
    for number in range(PAGE_SIZE + 5):
        _entry(personas.gwent_staff, detail=f"entry-{number:03d}")
    client = client_for(personas.gwent_staff)
    first = client.get(reverse("audit:log")).content.decode()
    assert f"Entries 1 to {PAGE_SIZE}, newest first" in first
    assert f"entry-{PAGE_SIZE + 4:03d}" in first
    assert "entry-000" not in first
    assert 'rel="next"' in first
    assert 'rel="prev"' not in first
    second = client.get(reverse("audit:log"), {"page": 2}).content.decode()
    assert f"Entries {PAGE_SIZE + 1} to" in second
    assert "entry-000" in second
    assert 'rel="prev"' in second
    assert 'rel="next"' not in second
    for page in ("x", "-1", "99999999999999999999"):
        assert client.get(reverse("audit:log"), {"page": page}).status_code == 200
    beyond = client.get(reverse("audit:log"), {"page": 50}).content.decode()
    assert "There are no older entries." in beyond
