"""What the event tests of every app ask: who was told of an event, the personas' addresses,
and who was emailed. Imported by each app's test_notifications.py."""

from django.core import mail

from engage.notifications.models import Notification

# The database task backend, for tests that run the delivery task by hand after a change.
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def told(kind: str, subject) -> set[str]:
    """The addresses of everyone told of events of `kind` about `subject` (an item with a
    public id)."""
    return set(
        Notification.objects.filter(
            event__kind=kind, event__subject_id=subject.public_id
        ).values_list("user__email", flat=True)
    )


def names(personas, *keys: str) -> set[str]:
    return {getattr(personas, key).email for key in keys}


def emails_to(personas, *keys: str) -> list[str]:
    return sorted(getattr(personas, key).email for key in keys)


def sent() -> list[str]:
    """Every address emailed, once per email: a person emailed twice appears twice."""
    return sorted(address for message in mail.outbox for address in message.to)
