"""GOV.UK Notify's delivery receipts (issue 11, "Bad input"): a bounce Notify reports later
arrives by a callback authenticated with a bearer token, is recorded against the address,
and bad input is refused without a server error or any change."""

import json

import pytest
from django.test import override_settings

from engage.core.models import AddressProblem, AddressSource, DeliveryStatus, EmailDelivery
from engage.core.tasks import send_email

pytestmark = pytest.mark.django_db

MESSAGE = {
    "key": "event:6f1d",
    "subject": "A clarification was answered on Engage",
    "body": "Read it on Engage: https://engage.example.org/clarifications/6f1d/",
}

CALLBACK = "/notify/delivery-status/"
TOKEN = "a-long-random-callback-token-0123456789"


@pytest.fixture
def person(personas):
    """Someone emailed through Notify, whose mailbox Notify later finds does not exist."""
    return personas.moj_lead


def delivery(recipient: str) -> EmailDelivery:
    return EmailDelivery.objects.get(key=MESSAGE["key"], recipient=recipient)


def receipt(client, body, *, token=TOKEN, **extra):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    headers = {"Authorization": f"Bearer {token}"} if token is not None else {}
    return client.post(CALLBACK, data, content_type="application/json", headers=headers, **extra)


@override_settings(NOTIFY_CALLBACK_TOKEN=TOKEN)
def test_a_permanent_failure_reported_by_notify_is_recorded(client, person):
    send_email.call(**MESSAGE, to=[person.email])  # sent, as far as the sender could tell
    sent = delivery(person.email)

    response = receipt(
        client,
        {
            "id": "740e5834-3a29-46b4-9a6f-16142fde533a",
            "reference": str(sent.public_id),
            "to": person.email.upper(),
            "status": "permanent-failure",
            "notification_type": "email",
        },
    )

    assert response.status_code == 204
    problem = AddressProblem.objects.get()
    assert (problem.user, problem.source) == (person, AddressSource.CALLBACK)
    sent.refresh_from_db()
    assert sent.status == DeliveryStatus.UNDELIVERABLE
    assert "permanent failure" in sent.last_error


@override_settings(NOTIFY_CALLBACK_TOKEN=TOKEN)
@pytest.mark.parametrize("status", ["delivered", "temporary-failure", "technical-failure"])
def test_other_receipts_change_nothing(client, person, status):
    send_email.call(**MESSAGE, to=[person.email])
    sent = delivery(person.email)

    response = receipt(
        client, {"to": person.email, "status": status, "reference": str(sent.public_id)}
    )

    assert response.status_code == 204
    assert not AddressProblem.objects.exists()
    assert delivery(person.email).status == DeliveryStatus.SENT


@override_settings(NOTIFY_CALLBACK_TOKEN=TOKEN)
def test_a_reference_is_the_deliverys_public_id_never_its_sequential_id(client, person):
    """The sequential id is not the reference: it is guessable, and never leaves the service."""
    send_email.call(**MESSAGE, to=[person.email])
    sent = delivery(person.email)

    receipt(client, {"to": person.email, "status": "permanent-failure", "reference": str(sent.pk)})

    assert delivery(person.email).status == DeliveryStatus.SENT
    assert AddressProblem.objects.get().address == person.email  # the address still recorded


@override_settings(NOTIFY_CALLBACK_TOKEN=TOKEN)
def test_a_receipt_names_only_a_delivery_to_the_same_address(client, person):
    send_email.call(**MESSAGE, to=["sam@example.org"])
    other = delivery("sam@example.org")

    receipt(
        client,
        {"to": person.email, "status": "permanent-failure", "reference": str(other.public_id)},
    )

    assert delivery("sam@example.org").status == DeliveryStatus.SENT
    assert AddressProblem.objects.get().address == person.email


@override_settings(NOTIFY_CALLBACK_TOKEN=TOKEN)
@pytest.mark.parametrize("token", [None, "", "wrong-token", TOKEN + "x", TOKEN[:-1]], ids=repr)
def test_a_receipt_without_the_token_is_refused(client, token):
    response = receipt(
        client, {"to": "x@gone.example.org", "status": "permanent-failure"}, token=token
    )

    assert response.status_code == 401
    assert not AddressProblem.objects.exists()


@override_settings(NOTIFY_CALLBACK_TOKEN=TOKEN)
def test_a_token_in_another_scheme_is_refused(client):
    response = client.post(
        CALLBACK,
        json.dumps({"to": "x@gone.example.org", "status": "permanent-failure"}),
        content_type="application/json",
        headers={"Authorization": f"Basic {TOKEN}"},
    )

    assert response.status_code == 401
    assert not AddressProblem.objects.exists()


@override_settings(NOTIFY_CALLBACK_TOKEN="")
def test_without_a_configured_token_there_is_no_callback(client):
    response = receipt(
        client, {"to": "x@gone.example.org", "status": "permanent-failure"}, token=""
    )

    assert response.status_code == 404
    assert not AddressProblem.objects.exists()


@override_settings(NOTIFY_CALLBACK_TOKEN=TOKEN)
def test_the_callback_answers_only_post(client):
    assert client.get(CALLBACK, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 405


@override_settings(NOTIFY_CALLBACK_TOKEN=TOKEN)
@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"{not json", id="malformed"),
        pytest.param(b"\xff\xfe\x00", id="not UTF-8"),
        pytest.param(b"[]", id="a list"),
        pytest.param(b'"permanent-failure"', id="a string"),
        pytest.param(b"null", id="null"),
        pytest.param({"status": "permanent-failure"}, id="no to"),
        pytest.param({"to": "x@gone.example.org"}, id="no status"),
        pytest.param({"to": "", "status": "permanent-failure"}, id="empty to"),
        pytest.param({"to": 42, "status": "permanent-failure"}, id="a number for to"),
        pytest.param(
            {"to": ["x@gone.example.org"], "status": "permanent-failure"}, id="a list for to"
        ),
        pytest.param({"to": "x@gone.example.org", "status": "bounced"}, id="unknown status"),
        pytest.param(
            {"to": "x@gone.example.org", "status": ["permanent-failure"]}, id="list status"
        ),
        pytest.param({"to": "x" * 400 + "@x.org", "status": "permanent-failure"}, id="long to"),
        pytest.param(
            {"to": "x@gone.example.org", "status": "permanent-failure", "reference": 7},
            id="a number for reference",
        ),
        pytest.param(
            {"to": "x@gone.example.org", "status": "permanent-failure", "reference": "9" * 200},
            id="a long reference",
        ),
        pytest.param({"to": "x\x00@gone.example.org", "status": "permanent-failure"}, id="NUL to"),
        pytest.param({"to": "\x00", "status": "permanent-failure"}, id="only NUL for to"),
        pytest.param(
            {"to": "x@gone.example.org", "status": "permanent-failure\x00"}, id="NUL status"
        ),
        pytest.param(
            {"to": "x@gone.example.org", "status": "permanent-failure", "reference": "1\x00"},
            id="NUL reference",
        ),
        # Within the 10 KB read, nested past the parser's depth (a RecursionError).
        pytest.param(b"[" * 10_000, id="nested past the parser's depth"),
        pytest.param(b'{"to": ' + b"[" * 10_000, id="an object nested past the parser's depth"),
    ],
)
def test_bad_input_is_refused_with_400_and_changes_nothing(client, body):
    response = receipt(client, body)

    assert response.status_code == 400
    assert not AddressProblem.objects.exists()


@override_settings(NOTIFY_CALLBACK_TOKEN=TOKEN)
@pytest.mark.parametrize(
    "reference", ["9" * 20, "-1", "abc", "1", "5d0c1c9e-7e4f-4b8e-9d55-0c3b0f1f2a11", None]
)
def test_a_reference_that_names_no_delivery_still_records_the_address(client, reference):
    response = receipt(
        client,
        {"to": "x@gone.example.org", "status": "permanent-failure", "reference": reference},
    )

    assert response.status_code == 204
    assert AddressProblem.objects.get().address == "x@gone.example.org"


@override_settings(NOTIFY_CALLBACK_TOKEN=TOKEN)
def test_a_body_over_10_kb_is_refused_unread(client):
    body = {"to": "x@gone.example.org", "status": "permanent-failure", "padding": "x" * 11_000}

    response = receipt(client, body)

    assert response.status_code == 413
    assert not AddressProblem.objects.exists()
