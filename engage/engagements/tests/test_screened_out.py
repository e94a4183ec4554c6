"""A policy screened out (protocol principle 2) after engagements on it were routed: they leave
everyone but the owning organisation, at once and everywhere (the engagement page, the inbox,
the priorities list, the policy timeline), the live ones are closed with the screen, and
nobody outside the owner learns the screen's grounds, on a page or in the access log."""

import html

import pytest
from django.urls import reverse
from django.utils import timezone

from engage.accounts.viewer import Viewer
from engage.audit.models import AccessLog
from engage.core.labels import Label
from engage.engagements import services
from engage.engagements.models import Decision, Engagement, NationalPriority, Status
from engage.policies import services as policy_services
from engage.policies.models import TriageOutcome
from engage.policies.selectors import engagement_timeline

from .conftest import engagement_fields, open_engagement
from .test_visibility import who_sees

pytestmark = pytest.mark.django_db

NO_GROUNDS = {
    "sensitive_information": False,
    "prosecutorial_independence": False,
    "judicial_independence": False,
    "national_security": False,
}
GROUNDS = ("national security", "National security", "Implications for national security")


def screen_out(personas, policy):
    """The lead records a screen that finds national security: through the service."""
    return policy_services.policy_screen(
        policy=policy, by=personas.moj_lead, **{**NO_GROUNDS, "national_security": True}
    )


def mark_screened_out(policy):
    """The policy is screened out behind the services' back: its engagements stay as they
    were, so only `visible_to` stands between them and their audience."""
    policy.triage_outcome = TriageOutcome.SCREENED_OUT
    policy.national_security = True
    policy.save()


def text(response) -> str:
    return html.unescape(response.content.decode())


def priorities_update(personas, policy, victims) -> Engagement:
    update = services.engagement_create(
        policy=policy,
        by=personas.moj_lead,
        **engagement_fields(
            kind="priorities", title="Priorities 2027", asks_response=False, response_deadline=None
        ),
    )
    services.national_priority_add(
        engagement=update,
        by=personas.moj_lead,
        title="Cut reoffending",
        source="board",
        period_start=timezone.localdate(),
        supporting_information="The Board's plan.",
    )
    services.engagement_route(
        engagement=update, by=personas.moj_lead, route="groups", groups=[victims]
    )
    return services.engagement_confirm_routing(engagement=update, by=personas.secretariat)


# visible_to -------------------------------------------------------------------------------


@pytest.mark.parametrize("label", [Label.AMBER_STRICT, Label.GREEN, Label.CLEAR])
def test_an_open_engagement_on_a_screened_out_policy_is_seen_by_the_owner_only(
    personas, opened, policy, label
):
    if label != Label.AMBER_STRICT:
        services.label_release(
            engagement=opened, by=personas.moj_lead, to_label=label, reason="r", for_whom="f"
        )
    assert "kent_commissioner" in who_sees(personas, opened)
    mark_screened_out(policy)
    assert who_sees(personas, opened) == {"moj_lead"}


def test_an_engagement_awaiting_the_apcc_leaves_the_secretariat(personas, awaiting, policy):
    mark_screened_out(policy)
    assert who_sees(personas, awaiting) == {"moj_lead"}


def test_a_consulted_draft_leaves_the_secretariat(personas, draft, policy):
    services.wider_route_request(engagement=draft, by=personas.moj_lead, request="National")
    mark_screened_out(policy)
    assert who_sees(personas, draft) == {"moj_lead"}


def test_tlp_red_named_recipients_lose_it_too(personas, policy, victims):
    red = open_engagement(
        personas, policy, groups=[victims], label=Label.RED, recipients=[personas.gwent_staff]
    )
    mark_screened_out(policy)
    assert who_sees(personas, red) == {"moj_lead"}


def test_visible_to_is_still_one_query(personas, opened, policy, django_assert_num_queries):
    mark_screened_out(policy)
    viewer = Viewer.of(personas.kent_commissioner)
    viewer.group_ids  # noqa: B018 - the person's facts, read once per request
    with django_assert_num_queries(1):
        assert list(Engagement.objects.visible_to(viewer)) == []


# The pages --------------------------------------------------------------------------------


def test_kent_loses_the_engagement_everywhere_and_the_owner_keeps_it(
    personas, client_for, policy, victims, opened
):
    update = priorities_update(personas, policy, victims)
    priority = NationalPriority.objects.get(engagement=update)
    kent = client_for(personas.kent_commissioner)
    inbox, priorities = reverse("engagements:inbox"), reverse("engagements:priorities")
    assert kent.get(reverse("engagements:detail", args=[opened.public_id])).status_code == 200
    assert opened.title in text(kent.get(inbox))
    assert "Cut reoffending" in text(kent.get(priorities))
    assert len(engagement_timeline(personas.kent_commissioner, policy).entries) == 2

    screen_out(personas, policy)

    for engagement in (opened, update):
        url = reverse("engagements:detail", args=[engagement.public_id])
        assert kent.get(url).status_code == 404
    assert kent.get(reverse("policies:detail", args=[policy.public_id])).status_code == 404
    assert kent.get(
        reverse("engagements:priority_detail", args=[priority.public_id])
    ).status_code == (404)
    page = text(kent.get(inbox))
    assert opened.title not in page
    assert update.title not in page
    assert "Cut reoffending" not in text(kent.get(priorities))
    assert engagement_timeline(personas.kent_commissioner, policy).entries == []

    lead = client_for(personas.moj_lead)
    own = lead.get(reverse("engagements:detail", args=[opened.public_id]))
    assert own.status_code == 200
    assert "outside the protocol" in text(own)
    assert "national security" in text(own)  # the owner still reads the grounds
    assert opened.title in text(lead.get(inbox))
    assert len(engagement_timeline(personas.moj_lead, policy).entries) == 2


def test_the_secretariat_loses_it_from_the_queue(personas, client_for, awaiting, policy):
    apcc = client_for(personas.secretariat)
    queue = reverse("engagements:apcc_queue")
    assert awaiting.title in text(apcc.get(queue))
    screen_out(personas, policy)
    assert awaiting.title not in text(apcc.get(queue))
    assert apcc.get(reverse("engagements:confirm", args=[awaiting.public_id])).status_code == 404


# Closing with the screen ------------------------------------------------------------------


def test_screening_out_closes_what_is_awaiting_the_apcc_or_open(personas, policy, victims, opened):
    waiting = services.engagement_create(
        policy=policy, by=personas.moj_lead, **engagement_fields(title="Waiting")
    )
    services.engagement_route(
        engagement=waiting, by=personas.moj_lead, route="groups", groups=[victims]
    )
    draft = services.engagement_create(
        policy=policy, by=personas.moj_lead, **engagement_fields(title="Draft")
    )
    done = open_engagement(personas, policy, groups=[victims], title="Done")
    services.engagement_close(engagement=done, by=personas.moj_lead)
    done.refresh_from_db()
    done_closed_at = done.closed_at

    screen_out(personas, policy)
    policy.refresh_from_db()

    for engagement in (opened, waiting):
        engagement.refresh_from_db()
        assert engagement.status == Status.CLOSED
        assert engagement.closed_at == policy.screened_at
        record = engagement.history.latest("history_date")
        assert record.status == Status.CLOSED
        assert record.history_user == personas.moj_lead
        assert "screened out" in record.history_change_reason
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    done.refresh_from_db()
    assert (done.status, done.closed_at) == (Status.CLOSED, done_closed_at)


def test_the_screen_page_says_what_it_closed(personas, client_for, policy, opened):
    response = client_for(personas.moj_lead).post(
        reverse("policies:screen", args=[policy.public_id]),
        {
            "sensitive_information": "no",
            "prosecutorial_independence": "no",
            "judicial_independence": "no",
            "national_security": "yes",
            "notes": "",
        },
        follow=True,
    )
    assert response.status_code == 200
    page = text(response)
    assert "The policy is outside the protocol" in page
    assert "1 engagement on it has been closed" in page
    opened.refresh_from_db()
    assert opened.status == Status.CLOSED


def test_a_screen_that_finds_nothing_closes_nothing(personas, policy, opened):
    policy_services.policy_screen(policy=policy, by=personas.moj_lead, **NO_GROUNDS)
    opened.refresh_from_db()
    assert opened.status == Status.OPEN


def test_screening_back_in_reopens_nothing_and_shows_no_one_what_never_opened(
    personas, policy, victims, opened
):
    waiting = services.engagement_create(
        policy=policy, by=personas.moj_lead, **engagement_fields(title="Waiting")
    )
    services.engagement_route(
        engagement=waiting, by=personas.moj_lead, route="groups", groups=[victims]
    )
    services.label_release(
        engagement=waiting, by=personas.moj_lead, to_label=Label.GREEN, reason="r", for_whom="f"
    )
    screen_out(personas, policy)
    policy_services.policy_screen(policy=policy, by=personas.moj_lead, **NO_GROUNDS)

    opened.refresh_from_db()
    waiting.refresh_from_db()
    assert opened.status == waiting.status == Status.CLOSED
    assert "kent_commissioner" in who_sees(personas, opened)  # had it open; sees it closed
    assert who_sees(personas, waiting) == {"moj_lead", "secretariat"}  # never opened


# Nobody else learns the grounds -----------------------------------------------------------


def refusals():
    return AccessLog.objects.filter(action="refused", object_type="policy")


def test_the_secretariat_is_refused_without_the_grounds(personas, awaiting, policy):
    mark_screened_out(policy)
    with pytest.raises(services.PolicyRefused) as exc:
        services.engagement_confirm_routing(engagement=awaiting, by=personas.secretariat)
    assert not exc.value.for_owner
    assert not exc.value.says_recorded
    for said in (exc.value.reason, *exc.value.messages):
        assert "can no longer go ahead" in said
        assert "outside the protocol" not in said
        assert not any(ground in said for ground in GROUNDS)


def test_the_secretariat_deciding_a_wider_route_is_refused_without_the_grounds(
    personas, draft, policy
):
    ask = services.wider_route_request(
        engagement=draft, by=personas.moj_lead, request="A national change."
    )
    mark_screened_out(policy)
    with pytest.raises(services.PolicyRefused) as exc:
        services.wider_route_decide(
            wider_request=ask, by=personas.secretariat, decision="agreed", advice="Go ahead."
        )
    assert "can no longer go ahead" in exc.value.reason
    assert not any(ground in exc.value.reason for ground in GROUNDS)
    ask.refresh_from_db()
    assert ask.decision == Decision.PENDING


def assert_logged_without_grounds(user) -> None:
    entry = refusals().get()
    assert entry.user == user
    assert entry.detail.endswith(": policy outside the protocol")
    assert not any(ground.lower() in entry.detail.lower() for ground in GROUNDS)
    assert "security" not in entry.detail.lower()


def test_the_access_log_holds_no_grounds_for_the_secretariat(personas, awaiting, policy):
    mark_screened_out(policy)
    with pytest.raises(services.PolicyRefused):
        services.engagement_confirm_routing(engagement=awaiting, by=personas.secretariat)
    assert_logged_without_grounds(personas.secretariat)


def test_the_access_log_holds_no_grounds_for_the_owner_either(personas, draft, policy):
    mark_screened_out(policy)
    with pytest.raises(services.PolicyRefused):
        services.engagement_update(
            engagement=draft, by=personas.moj_lead, **engagement_fields(title="Changed")
        )
    assert_logged_without_grounds(personas.moj_lead)


def test_the_owner_still_reads_the_grounds_when_refused(personas, draft, policy, victims):
    mark_screened_out(policy)
    with pytest.raises(services.PolicyRefused) as exc:
        services.engagement_route(
            engagement=draft, by=personas.moj_lead, route="groups", groups=[victims]
        )
    assert exc.value.for_owner
    assert exc.value.says_recorded
    assert "national security" in exc.value.reason


def test_the_confirm_page_tells_the_secretariat_nothing_of_the_triage(
    personas, client_for, awaiting, policy
):
    """A policy the lead decided, after routing, does not merit engagement: the engagement is
    still the secretariat's to see, but why it cannot go ahead is the owner's business."""
    policy_services.policy_record_magnitude(
        policy=policy,
        merits=False,
        reason="Scope reduced to internal process",
        by=personas.moj_lead,
    )
    response = client_for(personas.secretariat).post(
        reverse("engagements:confirm", args=[awaiting.public_id]), follow=True
    )
    page = text(response)
    assert "This engagement can no longer go ahead. The policy lead knows why." in page
    assert "merit" not in page
    assert "Scope reduced" not in page
    awaiting.refresh_from_db()
    assert awaiting.status == Status.AWAITING_APCC


def test_the_wider_route_page_tells_the_secretariat_nothing_of_the_triage(
    personas, client_for, draft, policy
):
    services.wider_route_request(
        engagement=draft, by=personas.moj_lead, request="A national change."
    )
    policy_services.policy_record_magnitude(
        policy=policy, merits=False, reason="Scope reduced", by=personas.moj_lead
    )
    response = client_for(personas.secretariat).post(
        reverse("engagements:wider_decide", args=[draft.public_id]),
        {"decision": "agreed", "advice": "Go ahead."},
    )
    assert response.status_code == 200
    page = text(response)
    assert "This engagement can no longer go ahead. The policy lead knows why." in page
    assert "merit" not in page
    assert "This attempt has been recorded" not in page


# Superusers -------------------------------------------------------------------------------


def test_a_superuser_in_the_audience_gets_what_kent_gets(personas, client_for, opened):
    kent = personas.kent_commissioner
    kent.is_superuser = True
    kent.save(update_fields=["is_superuser"])
    client = client_for(kent)
    assert client.get(reverse("engagements:detail", args=[opened.public_id])).status_code == 200
    for page in ("edit", "close", "release", "confirm", "return"):
        url = reverse(f"engagements:{page}", args=[opened.public_id])
        assert client.get(url).status_code == 403, page


# Every other write is refused, explained and recorded ------------------------------------


def refused_attempts():
    return list(refusals().values_list("user__email", "detail"))


def test_the_owner_cannot_share_responses_once_the_policy_is_screened_out(personas, opened, policy):
    screen_out(personas, policy)  # closes the engagement: sharing was still offered on it
    with pytest.raises(services.PolicyRefused) as exc:
        services.engagement_share_responses(
            engagement=opened, by=personas.moj_lead, reason="For the bodies' own planning"
        )
    assert exc.value.for_owner
    assert exc.value.says_recorded
    assert "outside the protocol" in exc.value.reason
    opened.refresh_from_db()
    assert not opened.share_responses
    assert refused_attempts() == [
        (personas.moj_lead.email, "share responses: policy outside the protocol")
    ]


def test_the_share_page_is_not_offered_and_a_post_is_refused_on_the_page(
    personas, client_for, opened, policy
):
    screen_out(personas, policy)
    lead = client_for(personas.moj_lead)
    share = reverse("engagements:share_responses", args=[opened.public_id])
    page = text(lead.get(reverse("engagements:detail", args=[opened.public_id])))
    assert share not in page
    assert reverse("engagements:release", args=[opened.public_id]) not in page
    response = lead.post(share, {"reason": "For the bodies' own planning"})
    assert response.status_code == 200
    page = text(response)
    assert "You cannot engage on this policy" in page
    assert "outside the protocol" in page
    assert "This attempt has been recorded." in page
    opened.refresh_from_db()
    assert not opened.share_responses
    assert len(refused_attempts()) == 1


def _question(personas, draft):
    return services.question_add(
        engagement=draft, by=personas.moj_lead, text="What would change?", kind="free_text"
    )


def _priority_update(personas, policy):
    update = services.engagement_create(
        policy=policy,
        by=personas.moj_lead,
        **engagement_fields(kind="priorities", asks_response=False, response_deadline=None),
    )
    priority = services.national_priority_add(
        engagement=update,
        by=personas.moj_lead,
        title="Cut reoffending",
        source="board",
        period_start=timezone.localdate(),
        supporting_information="The Board's plan.",
    )
    return update, priority


def _another_priority(personas, update):
    return lambda: services.national_priority_add(
        engagement=update,
        by=personas.moj_lead,
        title="Another",
        source="board",
        period_start=timezone.localdate(),
        supporting_information="More.",
    )


# Each prepares what it needs while the policy still merits engagement, and returns the write
# to attempt once it is screened out.
DRAFT_WRITES = {
    "add a question": lambda p, draft, policy: lambda: _question(p, draft),
    "change a question": lambda p, draft, policy: (
        lambda q: (
            lambda: services.question_update(
                question=q, by=p.moj_lead, text="Changed?", kind="free_text"
            )
        )
    )(_question(p, draft)),
    "remove a question": lambda p, draft, policy: (
        lambda q: lambda: services.question_remove(question=q, by=p.moj_lead)
    )(_question(p, draft)),
    "move a question": lambda p, draft, policy: (
        lambda q: lambda: services.question_move(question=q, by=p.moj_lead, direction="up")
    )([_question(p, draft), _question(p, draft)][1]),
    "add a national priority": lambda p, draft, policy: _another_priority(
        p, _priority_update(p, policy)[0]
    ),
    "remove a national priority": lambda p, draft, policy: (
        lambda priority: lambda: services.national_priority_remove(priority=priority, by=p.moj_lead)
    )(_priority_update(p, policy)[1]),
}


@pytest.mark.parametrize("attempt", DRAFT_WRITES)
def test_every_write_on_a_draft_is_refused_and_recorded(personas, draft, policy, attempt):
    write = DRAFT_WRITES[attempt](personas, draft, policy)
    mark_screened_out(policy)
    with pytest.raises(services.PolicyRefused) as exc:
        write()
    assert exc.value.says_recorded
    assert "outside the protocol" in exc.value.reason
    assert refused_attempts() == [
        (personas.moj_lead.email, f"{attempt}: policy outside the protocol")
    ]


def test_the_secretariat_returning_it_is_refused_without_the_grounds(personas, awaiting, policy):
    mark_screened_out(policy)
    with pytest.raises(services.PolicyRefused) as exc:
        services.engagement_return(engagement=awaiting, by=personas.secretariat, advice="No.")
    assert "can no longer go ahead" in exc.value.reason
    awaiting.refresh_from_db()
    assert awaiting.status == Status.AWAITING_APCC
    assert_logged_without_grounds(personas.secretariat)
