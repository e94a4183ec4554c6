"""GOV.UK Notify as the email backend (issue 11, item 4), against a real HTTP server standing
in for Notify's API: what is sent, how, and which refusals are for good."""

import os
import socket
import subprocess
import sys
from pathlib import Path

import jwt
import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from notifications_python_client.errors import HTTPError

from engage.core.addresses import AddressRejected
from engage.core.deliveries import DeliveryFailed
from engage.core.emails import email_html
from engage.core.models import AddressProblem, AddressSource, DeliveryStatus, EmailDelivery
from engage.core.notify_backend import NotifyEmailBackend
from engage.core.tasks import send_email

from . import notify_server
from .notify_server import (
    ADDRESS_INVALID,
    API_KEY,
    NOTIFY_DOWN,
    SECRET,
    SERVICE_ID,
    TEAM_KEY_ONLY,
    TEMPLATE_ID,
)

ROOT = Path(__file__).resolve().parents[3]
BACKEND = "engage.core.notify_backend.NotifyEmailBackend"


def _closed_port() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


CLOSED = _closed_port()
MESSAGE = {
    "key": "invitation:41",
    "subject": "You are invited to join the Ministry of Justice on Engage",
    "body": "Accept the invitation within 14 days: https://engage.example.org/i/x/",
}


@pytest.fixture
def notify(monkeypatch):
    """Notify's stand-in, and the Notify backend pointed at it."""
    fake, server = notify_server.start()
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")  # straight to this host, whatever the proxy
    mailers = {
        "default": {
            "BACKEND": BACKEND,
            "OPTIONS": {"api_key": API_KEY, "template_id": TEMPLATE_ID, "base_url": fake.url},
        }
    }
    with override_settings(MAILERS=mailers):
        yield fake
    server.shutdown()
    server.server_close()


def delivery(recipient: str) -> EmailDelivery:
    return EmailDelivery.objects.get(key=MESSAGE["key"], recipient=recipient)


@pytest.mark.django_db
def test_each_recipient_is_one_request_to_notify_with_the_template_and_the_text(notify):
    html = email_html("Invited", ["You are invited."], "https://engage.example.org/i/x/", "Accept")

    assert send_email.call(**MESSAGE, to=["jo@example.org", "sam@example.org"], html=html) == 2

    assert [r.path for r in notify.requests] == ["/v2/notifications/email"] * 2
    first = notify.requests[0]
    assert first.json == {
        "email_address": "jo@example.org",
        "template_id": TEMPLATE_ID,
        "personalisation": {"subject": MESSAGE["subject"], "body": MESSAGE["body"]},
        "reference": str(delivery("jo@example.org").public_id),
    }
    assert notify.requests[1].json["email_address"] == "sam@example.org"
    assert "<html" not in str(first.json)  # Notify makes its own HTML from the text
    # Signed with the key's secret, issued by its service: Notify's authorisation header.
    scheme, token = first.headers["Authorization"].split(" ")
    assert scheme == "Bearer"
    assert jwt.decode(token, SECRET, algorithms=["HS256"])["iss"] == SERVICE_ID
    assert first.headers["Content-type"] == "application/json"
    assert delivery("jo@example.org").status == DeliveryStatus.SENT
    assert mail.outbox == []  # sent through Notify, not the test outbox


@pytest.mark.django_db
def test_an_address_notify_refuses_is_undeliverable_recorded_and_not_retried(notify, personas):
    notify.reply(400, ADDRESS_INVALID)
    address = personas.moj_lead.email.upper()  # Notify's refusal, in another case

    assert send_email.call(**MESSAGE, to=[address]) == 0  # nothing to retry: no DeliveryFailed

    refused = delivery(address)
    assert refused.status == DeliveryStatus.UNDELIVERABLE
    assert "Not a valid email address" in refused.last_error
    problem = AddressProblem.objects.get()
    assert problem.user == personas.moj_lead
    assert problem.source == AddressSource.NOTIFY
    assert "Not a valid email address" in problem.reason

    send_email.call(**MESSAGE, to=[address])  # a rerun of the task

    assert len(notify.requests) == 1  # not tried again
    assert delivery(address).attempts == 1
    assert AddressProblem.objects.get().count == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("status", "answer"),
    [
        pytest.param(500, NOTIFY_DOWN, id="Notify down"),
        pytest.param(503, NOTIFY_DOWN, id="Notify unavailable"),
        pytest.param(400, TEAM_KEY_ONLY, id="a 400 not about the address"),
        pytest.param(429, {"errors": [{"error": "RateLimitError"}]}, id="rate limited"),
    ],
)
def test_any_other_refusal_is_temporary_and_retried(notify, status, answer):
    notify.reply(status, answer)

    with pytest.raises(DeliveryFailed) as failed:
        send_email.call(**MESSAGE, to=["jo@example.org"])

    assert isinstance(failed.value.__cause__, HTTPError)
    assert delivery("jo@example.org").status == DeliveryStatus.FAILED
    assert str(status) in delivery("jo@example.org").last_error
    assert not AddressProblem.objects.exists()

    notify.reply(201, notify_server.ACCEPTED)  # Notify is back: the retry sends it
    assert send_email.call(**MESSAGE, to=["jo@example.org"]) == 1
    assert delivery("jo@example.org").status == DeliveryStatus.SENT
    assert delivery("jo@example.org").attempts == 2


def test_the_backend_raises_address_rejected_only_for_the_address(notify):
    backend = NotifyEmailBackend(api_key=API_KEY, template_id=TEMPLATE_ID, base_url=notify.url)
    message = mail.EmailMessage("Subject", "Body", to=["jo@example.org"])

    notify.reply(400, ADDRESS_INVALID)
    with pytest.raises(AddressRejected) as rejected:
        backend.send_messages([message])
    assert rejected.value.source == AddressSource.NOTIFY

    notify.reply(502, NOTIFY_DOWN)
    with pytest.raises(HTTPError):
        backend.send_messages([message])

    notify.reply(201, notify_server.ACCEPTED)
    assert backend.send_messages([message]) == 1
    assert "reference" not in notify.requests[-1].json  # no delivery: no reference sent


@pytest.mark.parametrize(
    "options",
    [{"api_key": "", "template_id": TEMPLATE_ID}, {"api_key": API_KEY, "template_id": ""}],
)
def test_the_backend_refuses_to_start_without_a_key_and_template(options):
    with pytest.raises(ImproperlyConfigured, match="NOTIFY_API_KEY and NOTIFY_TEMPLATE_ID"):
        NotifyEmailBackend(**options)


def test_the_backend_refuses_a_key_that_is_not_a_notify_key():
    with pytest.raises(ImproperlyConfigured, match="not a Notify API key"):
        NotifyEmailBackend(api_key="short", template_id=TEMPLATE_ID)


@pytest.mark.django_db
def test_notify_out_of_reach_is_temporary(notify):
    # A port nothing listens on: the connection is refused.
    options = {"api_key": API_KEY, "template_id": TEMPLATE_ID, "base_url": CLOSED}
    unreachable = {"default": {"BACKEND": BACKEND, "OPTIONS": options}}

    with override_settings(MAILERS=unreachable), pytest.raises(DeliveryFailed):
        send_email.call(**MESSAGE, to=["jo@example.org"])

    assert delivery("jo@example.org").status == DeliveryStatus.FAILED
    assert not AddressProblem.objects.exists()


def _manage(*args: str, **environ: str) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "NOTIFY_", "EMAIL_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.base",
            "DJANGO_ENV": "production",
            "SECRET_KEY": "a-long-random-production-secret-" + "x9Kq2!" * 8,
            "ALLOWED_HOSTS": "engage.example.org",
            "DATABASE_URL": "sqlite:///:memory:",
            "EMAIL_BACKEND": BACKEND,
            **environ,
        }
    )
    return subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    "environ",
    [{}, {"NOTIFY_API_KEY": API_KEY}, {"NOTIFY_TEMPLATE_ID": TEMPLATE_ID}],
    ids=["neither", "no template id", "no key"],
)
def test_the_service_refuses_to_start_on_notify_without_its_settings(environ):
    result = _manage("check", **environ)

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "NOTIFY_API_KEY and NOTIFY_TEMPLATE_ID" in result.stderr


def test_the_settings_choose_notify_from_the_environment():
    result = _manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.core import mail; b = mail.mailers['default']; "
        "print(type(b).__name__, b.template_id, b.client.base_url)",
        NOTIFY_API_KEY=API_KEY,
        NOTIFY_TEMPLATE_ID=TEMPLATE_ID,
        NOTIFY_BASE_URL="https://notify.example.org",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "NotifyEmailBackend",
        TEMPLATE_ID,
        "https://notify.example.org",
    ]
