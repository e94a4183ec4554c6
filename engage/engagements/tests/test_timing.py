"""The timing the protocol asks for (issue 8, point 6): the opening date is honoured (an
engagement the APCC confirms before its opening date opens on that date, by a periodic task,
restart-safe), opening dates in the past are refused, and a short response window or change
notice needs a recorded reason, shown to the audience."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from engage.engagements import services
from engage.engagements.models import Engagement, Kind, Status
from engage.engagements.services import scheduling

from .conftest import engagement_fields
from .test_pages import date_fields, form_data, new_url, text

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
DAY = datetime.timedelta(days=1)


def days(n: int) -> datetime.date:
    return TODAY() + datetime.timedelta(days=n)


def create(personas, policy, **overrides) -> Engagement:
    if "opens_on" in overrides and "response_deadline" not in overrides:
        overrides["response_deadline"] = overrides["opens_on"] + datetime.timedelta(days=30)
    return services.engagement_create(
        policy=policy, by=personas.moj_lead, **engagement_fields(**overrides)
    )


def routed(personas, policy, victims, **overrides) -> Engagement:
    engagement = create(personas, policy, **overrides)
    return services.engagement_route(
        engagement=engagement, by=personas.moj_lead, route="groups", groups=[victims]
    )


def confirm(personas, engagement) -> Engagement:
    return services.engagement_confirm_routing(engagement=engagement, by=personas.secretariat)


def visible_titles(user) -> set[str]:
    return set(Engagement.objects.visible_to(user).values_list("title", flat=True))


def the_day_after(monkeypatch, n: int) -> datetime.datetime:
    """Move the clock `n` days on (timezone.localdate follows timezone.now)."""
    at = timezone.now() + datetime.timedelta(days=n)
    monkeypatch.setattr(timezone, "now", lambda: at)
    return at


# Opening dates in the past -----------------------------------------------------------------


def test_an_opening_date_in_the_past_is_refused_at_the_field(personas, policy):
    with pytest.raises(ValidationError) as exc:
        create(personas, policy, opens_on=days(-1), response_deadline=days(30))
    assert exc.value.message_dict["opens_on"] == ["The opening date must be today or in the future"]
    assert not Engagement.objects.exists()


def test_an_edit_to_a_past_opening_date_is_refused_and_changes_nothing(personas, draft):
    fields = engagement_fields(opens_on=days(-3), response_deadline=days(30), title="New title")
    with pytest.raises(ValidationError) as exc:
        services.engagement_update(engagement=draft, by=personas.moj_lead, **fields)
    assert "opens_on" in exc.value.message_dict
    draft.refresh_from_db()
    assert draft.opens_on == TODAY()
    assert draft.title != "New title"


def test_a_draft_whose_opening_date_passed_must_be_changed_before_routing(personas, draft, victims):
    Engagement.objects.filter(pk=draft.pk).update(opens_on=days(-2))
    draft.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.engagement_route(
            engagement=draft, by=personas.moj_lead, route="groups", groups=[victims]
        )
    assert "opening date has passed" in exc.value.messages[0]
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT


def test_the_form_shows_a_past_opening_date_at_its_field(personas, client_for, policy):
    response = client_for(personas.moj_lead).post(
        new_url(policy), form_data(**date_fields("opens_on", days(-1)))
    )
    assert response.status_code == 200
    page = text(response)
    assert "The opening date must be today or in the future" in page
    assert 'href="#id_opens_on' in page
    assert not Engagement.objects.exists()


# Short notice needs a reason ---------------------------------------------------------------


def test_a_short_response_window_needs_a_reason(personas, policy):
    with pytest.raises(ValidationError) as exc:
        create(personas, policy, response_deadline=days(14))
    [message] = exc.value.message_dict["short_notice_reason"]
    assert "the response window is 14 days, shorter than the usual 21" in message
    assert not Engagement.objects.exists()

    engagement = create(
        personas, policy, response_deadline=days(14), short_notice_reason="  Laid in May.  "
    )
    assert engagement.short_notice_reason == "Laid in May."


def test_a_short_notice_reason_is_bounded(personas, policy):
    """Shown to every body addressed: refused past its limit, at the field, saving nothing."""
    with pytest.raises(ValidationError) as exc:
        create(personas, policy, response_deadline=days(14), short_notice_reason="x" * 2_001)
    [message] = exc.value.message_dict["short_notice_reason"]
    assert "2,000 characters or fewer" in message
    assert not Engagement.objects.exists()
    engagement = create(
        personas, policy, response_deadline=days(14), short_notice_reason="x" * 2_000
    )
    assert len(engagement.short_notice_reason) == 2_000


def test_the_usual_window_needs_no_reason_and_an_unneeded_one_is_not_kept(personas, policy):
    engagement = create(
        personas, policy, response_deadline=days(21), short_notice_reason="Not needed"
    )
    assert engagement.short_notice_reason == ""


def test_a_change_notice_taking_effect_soon_needs_a_reason(personas, policy):
    fields = {
        "kind": Kind.CHANGE_NOTICE,
        "asks_response": False,
        "response_deadline": None,
        "rationale": "The order changed.",
        "effective_date": days(13),
    }
    with pytest.raises(ValidationError) as exc:
        create(personas, policy, **fields)
    [message] = exc.value.message_dict["short_notice_reason"]
    assert "takes effect 13 days after opening, sooner than the usual 14" in message

    assert create(personas, policy, **{**fields, "effective_date": days(14)}).pk
    assert create(personas, policy, **fields, short_notice_reason="Court ruling.").pk


@override_settings(ENGAGE_MIN_RESPONSE_DAYS=30, ENGAGE_CHANGE_NOTICE_DAYS=0)
def test_the_minimums_come_from_the_settings(personas, policy):
    with pytest.raises(ValidationError) as exc:
        create(personas, policy, response_deadline=days(28))
    assert "shorter than the usual 30" in exc.value.message_dict["short_notice_reason"][0]
    assert create(
        personas,
        policy,
        kind=Kind.CHANGE_NOTICE,
        asks_response=False,
        response_deadline=None,
        rationale="Now.",
        effective_date=TODAY(),
    ).pk


def test_the_form_asks_for_the_reason_only_when_it_is_needed(personas, client_for, policy):
    lead = client_for(personas.moj_lead)
    assert "id_short_notice_reason" not in text(lead.get(new_url(policy)))

    short = form_data(**date_fields("response_deadline", days(10)))
    response = lead.post(new_url(policy), short)
    assert response.status_code == 200
    page = text(response)
    assert 'href="#id_short_notice_reason"' in page
    assert "the response window is 10 days, shorter than the usual 21" in page
    assert not Engagement.objects.exists()

    response = lead.post(new_url(policy), {**short, "short_notice_reason": "Ministers decide."})
    assert response.status_code == 302
    assert Engagement.objects.get().short_notice_reason == "Ministers decide."


def test_the_audience_is_shown_the_reason(personas, client_for, policy, victims):
    engagement = confirm(
        personas,
        routed(
            personas,
            policy,
            victims,
            response_deadline=days(10),
            short_notice_reason="The Bill's second reading is on the 12th.",
        ),
    )
    page = text(client_for(personas.kent_commissioner).get(engagement_url(engagement)))
    assert "Shorter notice than usual" in page
    assert "The response window is 10 days, shorter than the usual 21." in page
    assert "The Bill's second reading is on the 12th." in page


def engagement_url(engagement) -> str:
    return reverse("engagements:detail", args=[engagement.public_id])


# Confirming: now, or on the opening date ----------------------------------------------------


def test_confirming_before_the_opening_date_schedules_it(personas, policy, victims):
    awaiting = routed(personas, policy, victims, opens_on=days(3), response_deadline=days(30))
    mail.outbox.clear()

    scheduled = confirm(personas, awaiting)

    assert scheduled.status == Status.SCHEDULED
    assert scheduled.confirmed_by == personas.secretariat
    assert scheduled.opened_at is None
    assert mail.outbox == []  # the audience is told when it opens
    title = scheduled.title
    assert title in visible_titles(personas.secretariat)
    assert title in visible_titles(personas.moj_lead)
    assert title not in visible_titles(personas.kent_commissioner)
    assert title not in visible_titles(personas.gwent_staff)


def test_confirming_on_the_opening_date_opens_it(personas, opened):
    assert opened.status == Status.OPEN
    assert opened.opened_at is not None
    assert opened.confirmed_at == opened.opened_at


def test_an_opening_date_that_passed_while_waiting_opens_at_once(personas, awaiting):
    Engagement.objects.filter(pk=awaiting.pk).update(opens_on=days(-5), response_deadline=days(25))
    awaiting.refresh_from_db()
    mail.outbox.clear()

    opened = confirm(personas, awaiting)

    assert opened.status == Status.OPEN
    assert len(mail.outbox) == 3  # Gwent's two people and Kent's commissioner


def test_a_late_confirmation_that_makes_the_window_short_is_refused(personas, awaiting):
    # Sent with 21 days from its opening date, which then passed while it waited: counted
    # from today the window is 16 days, and the lead gave no reason.
    Engagement.objects.filter(pk=awaiting.pk).update(opens_on=days(-5), response_deadline=days(16))
    awaiting.refresh_from_db()

    with pytest.raises(ValidationError) as exc:
        confirm(personas, awaiting)

    assert "the response window is 16 days, shorter than the usual 21" in exc.value.messages[0]
    assert "Return it to the lead" in exc.value.messages[0]
    awaiting.refresh_from_db()
    assert awaiting.status == Status.AWAITING_APCC
    assert awaiting.confirmed_at is None

    Engagement.objects.filter(pk=awaiting.pk).update(short_notice_reason="Ministers decide.")
    awaiting.refresh_from_db()
    assert confirm(personas, awaiting).status == Status.OPEN


def test_the_lead_may_close_a_scheduled_engagement_and_it_never_opens(
    personas, policy, victims, monkeypatch
):
    scheduled = confirm(personas, routed(personas, policy, victims, opens_on=days(2)))
    services.engagement_close(engagement=scheduled, by=personas.moj_lead)
    the_day_after(monkeypatch, 2)
    mail.outbox.clear()

    assert scheduling.engagements_open_due.call() == 0

    scheduled.refresh_from_db()
    assert scheduled.status == Status.CLOSED
    assert scheduled.opened_at is None
    assert mail.outbox == []
    assert scheduled.title not in visible_titles(personas.kent_commissioner)


# The periodic task ---------------------------------------------------------------------------


def test_the_task_opens_it_on_its_opening_date_and_not_before(
    personas, policy, victims, monkeypatch
):
    scheduled = confirm(personas, routed(personas, policy, victims, opens_on=days(3)))
    mail.outbox.clear()

    the_day_after(monkeypatch, 2)
    assert scheduling.engagements_open_due.call() == 0
    scheduled.refresh_from_db()
    assert scheduled.status == Status.SCHEDULED

    at = the_day_after(monkeypatch, 1)  # the opening date
    assert scheduling.engagements_open_due.call() == 1

    scheduled.refresh_from_db()
    assert scheduled.status == Status.OPEN
    assert scheduled.opened_at == at
    assert scheduled.stage_at_opening == policy.stage
    assert scheduled.history.first().history_user == personas.secretariat
    assert len(mail.outbox) == 3
    assert scheduled.title in visible_titles(personas.kent_commissioner)


def test_two_runs_open_it_once_with_one_set_of_emails(personas, policy, victims, monkeypatch):
    scheduled = confirm(personas, routed(personas, policy, victims, opens_on=days(1)))
    mail.outbox.clear()
    the_day_after(monkeypatch, 1)

    assert scheduling.engagements_open_due.call() == 1
    assert scheduling.engagements_open_due.call() == 0
    # A run that found it due just before another opened it: the compare-and-set refuses.
    assert scheduling.engagement_open_scheduled(scheduled.pk, at=timezone.now()) is False

    assert len(mail.outbox) == 3
    assert scheduled.history.filter(status=Status.OPEN).count() == 1


def test_a_run_missed_for_days_opens_everything_due(personas, policy, victims, monkeypatch):
    first = confirm(personas, routed(personas, policy, victims, title="A", opens_on=days(1)))
    second = confirm(personas, routed(personas, policy, victims, title="B", opens_on=days(4)))
    third = confirm(personas, routed(personas, policy, victims, title="C", opens_on=days(40)))
    the_day_after(monkeypatch, 10)

    assert scheduling.engagements_open_due.call() == 2

    statuses = dict(
        Engagement.objects.filter(pk__in=[first.pk, second.pk, third.pk]).values_list(
            "title", "status"
        )
    )
    assert statuses == {"A": Status.OPEN, "B": Status.OPEN, "C": Status.SCHEDULED}


def test_a_crash_between_engagements_leaves_the_rest_for_the_next_run(
    personas, policy, victims, monkeypatch
):
    for title in ("A", "B", "C"):
        confirm(personas, routed(personas, policy, victims, title=title, opens_on=days(1)))
    the_day_after(monkeypatch, 1)
    real_open = scheduling.open_locked
    calls = []

    def open_then_die(engagement, **kwargs):
        calls.append(engagement.title)
        if len(calls) == 2:
            raise RuntimeError("worker killed")
        return real_open(engagement, **kwargs)

    monkeypatch.setattr(scheduling, "open_locked", open_then_die)
    with pytest.raises(RuntimeError):
        scheduling.engagements_open_due.call()

    def status_of() -> dict[str, str]:
        return dict(Engagement.objects.values_list("title", "status"))

    assert status_of() == {"A": Status.OPEN, "B": Status.SCHEDULED, "C": Status.SCHEDULED}

    monkeypatch.setattr(scheduling, "open_locked", real_open)
    mail.outbox.clear()
    assert scheduling.engagements_open_due.call() == 2
    assert status_of() == {"A": Status.OPEN, "B": Status.OPEN, "C": Status.OPEN}
    assert len(mail.outbox) == 6  # B's and C's audience; A's was told on the first run


def test_a_scheduled_engagement_of_a_policy_screened_out_is_closed_not_opened(
    personas, policy, victims, monkeypatch
):
    from engage.policies import services as policy_services

    scheduled = confirm(personas, routed(personas, policy, victims, opens_on=days(1)))
    policy_services.policy_screen(
        policy=policy,
        by=personas.moj_lead,
        sensitive_information=False,
        prosecutorial_independence=False,
        judicial_independence=False,
        national_security=True,
        notes="National security.",
    )
    the_day_after(monkeypatch, 1)

    assert scheduling.engagements_open_due.call() == 0
    scheduled.refresh_from_db()
    assert scheduled.status == Status.CLOSED


# The confirm page ------------------------------------------------------------------------------


def confirm_url(engagement) -> str:
    return reverse("engagements:confirm", args=[engagement.public_id])


def test_the_confirm_page_says_when_it_will_open(personas, client_for, policy, victims):
    awaiting = routed(
        personas, policy, victims, opens_on=datetime.date(2026, 12, 3), response_deadline=days(40)
    )
    secretariat = client_for(personas.secretariat)
    page = text(secretariat.get(confirm_url(awaiting)))
    assert "It will open on 3 December 2026" in page

    response = secretariat.post(confirm_url(awaiting))
    assert response.status_code == 302
    awaiting.refresh_from_db()
    assert awaiting.status == Status.SCHEDULED
    shown = text(secretariat.get(response.url))
    assert "will open to its audience on 3 December 2026" in shown


def test_the_confirm_page_says_it_opens_now(personas, client_for, awaiting):
    page = text(client_for(personas.secretariat).get(confirm_url(awaiting)))
    assert "It opens now" in page
    assert "Confirm routing and open" in page

    Engagement.objects.filter(pk=awaiting.pk).update(opens_on=days(-2), response_deadline=days(30))
    page = text(client_for(personas.secretariat).get(confirm_url(awaiting)))
    assert "passed while it waited" in page


def test_the_confirm_page_does_not_offer_what_timing_refuses(personas, client_for, awaiting):
    Engagement.objects.filter(pk=awaiting.pk).update(opens_on=days(-5), response_deadline=days(16))
    secretariat = client_for(personas.secretariat)
    page = text(secretariat.get(confirm_url(awaiting)))
    assert "the response window is 16 days, shorter than the usual 21" in page
    assert "Confirm routing and open" not in page
    assert "Return it to the policy lead" in page

    response = secretariat.post(confirm_url(awaiting))  # posted anyway: refused, nothing changed
    assert response.status_code == 302
    awaiting.refresh_from_db()
    assert awaiting.status == Status.AWAITING_APCC


def test_the_lead_closes_a_scheduled_engagement_through_the_page(
    personas, client_for, policy, victims
):
    scheduled = confirm(personas, routed(personas, policy, victims, opens_on=days(5)))
    lead = client_for(personas.moj_lead)
    page = text(lead.get(engagement_url(scheduled)))
    close = reverse("engagements:close", args=[scheduled.public_id])
    assert close in page
    assert "it never opens" in text(lead.get(close))

    assert lead.post(close).status_code == 302
    scheduled.refresh_from_db()
    assert scheduled.status == Status.CLOSED


def test_the_secretariat_inbox_lists_it_as_confirmed_to_open_later(
    personas, client_for, policy, victims
):
    confirm(personas, routed(personas, policy, victims, title="Later", opens_on=days(5)))
    page = text(client_for(personas.secretariat).get(reverse("engagements:inbox")))
    assert "Later" in page
    assert "Confirmed, opens later" in page
    body = text(client_for(personas.kent_commissioner).get(reverse("engagements:inbox")))
    assert "Later" not in body
