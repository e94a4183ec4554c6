"""How each person is emailed of each kind of event (issue 11, item 5), and when their daily
summary goes. Everyone is told in the service whatever they choose; the choice is about email.

- Every kind may be emailed straight away, in the daily summary, or not at all, except:
- a response submitted is never emailed one by one (a lead would get one email per body): in
  the daily summary, or not at all;
- deadline reminders cannot be turned off: they go only to the people whose body has still to
  respond (the responses app's provider), who must submit. A "none" stored for them (by hand,
  or before this rule) counts as "straight away".
"""

from collections.abc import Iterable
from datetime import time

from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from engage.accounts.models import User

from .models import DigestSetting, EmailChoice, EventKind, NotificationPreference

StrOrPromise = str | Promise

DIGEST_ONLY = frozenset({EventKind.RESPONSE_SUBMITTED})
CANNOT_TURN_OFF = frozenset({EventKind.DEADLINE_7_DAYS, EventKind.DEADLINE_2_DAYS})
DIGEST_DEFAULT = time(8, 0)
# The times a summary may be sent: each whole hour of the working day and either side of it.
DIGEST_TIMES = tuple(time(hour, 0) for hour in range(6, 21))

# The kinds, in the order the settings page asks about them, under headings.
GROUPS: tuple[tuple[StrOrPromise, tuple[EventKind, ...]], ...] = (
    (
        _("Engagements"),
        (
            EventKind.ENGAGEMENT_OPENED,
            EventKind.ENGAGEMENT_ROUTED,
            EventKind.ROUTING_AWAITING_APCC,
            EventKind.ENGAGEMENT_RETURNED,
            EventKind.WIDER_ROUTE_REQUESTED,
            EventKind.WIDER_ROUTE_DECIDED,
        ),
    ),
    (
        _("Responses and deadlines"),
        (
            EventKind.DRAFT_READY,
            EventKind.DEADLINE_7_DAYS,
            EventKind.DEADLINE_2_DAYS,
            EventKind.RESPONSE_SUBMITTED,
            EventKind.CLARIFICATION_ASKED,
            EventKind.CLARIFICATION_ANSWERED,
        ),
    ),
    (
        _("Collective views and outcomes"),
        (
            EventKind.COLLECTIVE_READY,
            EventKind.COLLECTIVE_SENT_BACK,
            EventKind.COLLECTIVE_SUBMITTED,
            EventKind.OUTCOME_PUBLISHED,
            EventKind.RELEASE_ASKED,
            EventKind.RELEASE_ANSWERED,
        ),
    ),
    (
        _("After the outcome"),
        (
            EventKind.DISSEMINATION_REQUESTED,
            EventKind.DISSEMINATION_DUE,
            EventKind.DISSEMINATION_CONFIRMED,
            EventKind.IMPLEMENTATION_PROPOSED,
            EventKind.IMPLEMENTATION_ACCEPTED,
            EventKind.MILESTONE_AT_RISK,
            EventKind.MILESTONE_OVERDUE,
            EventKind.CHANGE_NOTICE,
            EventKind.PRIORITIES_UPDATE,
        ),
    ),
)


def email_options(kind: str) -> list[EmailChoice]:
    """The choices a person has for `kind`, the default first."""
    if kind in DIGEST_ONLY:
        return [EmailChoice.DIGEST, EmailChoice.NONE]
    if kind in CANNOT_TURN_OFF:
        return [EmailChoice.IMMEDIATE, EmailChoice.DIGEST]
    return [EmailChoice.IMMEDIATE, EmailChoice.DIGEST, EmailChoice.NONE]


def email_default(kind: str) -> EmailChoice:
    return email_options(kind)[0]


def email_allowed(kind: str, choice: str) -> EmailChoice:
    """`choice` if a person may make it for `kind`; else what the rules put in its place."""
    options = email_options(kind)
    if choice in options:
        return EmailChoice(choice)
    if kind in CANNOT_TURN_OFF:
        return EmailChoice.IMMEDIATE
    return options[0]


def email_choices_of(user_ids: Iterable[int], kind: str) -> dict[int, EmailChoice]:
    """How each of `user_ids` is emailed of `kind`, in one query whatever their number."""
    ids = list(user_ids)
    stored = dict(
        NotificationPreference.objects.filter(kind=kind, user_id__in=ids).values_list(
            "user_id", "email"
        )
    )
    return {pk: email_allowed(kind, stored.get(pk, email_default(kind))) for pk in ids}


def preferences_of(user: User) -> tuple[dict[str, EmailChoice], time]:
    """The person's choice for every kind, and their summary time (two queries)."""
    stored = dict(user.notification_preferences.values_list("kind", "email"))
    choices = {
        str(kind): email_allowed(kind, stored.get(kind, email_default(kind))) for kind in EventKind
    }
    setting = DigestSetting.objects.filter(user=user).first()
    return choices, setting.send_at if setting else DIGEST_DEFAULT


def preferences_save(user: User, choices: dict[str, str], send_at: time) -> None:
    """Store the person's choices (each already one of `email_options`) and summary time.
    A kind left at its default keeps no row."""
    with transaction.atomic():
        NotificationPreference.objects.filter(user=user).delete()
        NotificationPreference.objects.bulk_create(
            [
                NotificationPreference(user=user, kind=kind, email=email_allowed(kind, choice))
                for kind, choice in sorted(choices.items())
                if email_allowed(kind, choice) != email_default(kind)
            ]
        )
        DigestSetting.objects.update_or_create(user=user, defaults={"send_at": send_at})
