"""Another Engage process, for the tests that prove throttles and the TOTP replay guard are
shared by every process (test_shared_state.py).

Run as `python -m engage.core.tests.peer` with DATABASE_URL (and REDIS_URL, if any) naming the
store under test. It reads one JSON command a line on standard input and answers one JSON
line: it posts to the real views through Django's test client, as a web process would serve
them, so nothing of ours is bypassed. Clients are kept by name, so a sign-in can be continued
with its authenticator code.
"""

import json
import os
import sys
from typing import Any


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    clients: dict[str, Client] = {}

    for line in sys.stdin:
        command: dict[str, Any] = json.loads(line)
        action = command.pop("do")
        if action == "make_user":
            answer = _make_user(**command)
        elif action == "make_body":
            answer = _make_body()
        elif action == "post":
            client = clients.setdefault(command["client"], Client())
            response = client.post(command["path"], command["data"], REMOTE_ADDR=command["address"])
            answer = {
                "status": response.status_code,
                "location": response.get("Location", ""),
                "text": response.content.decode(),
                "signed_in": "_auth_user_id" in client.session,
            }
        else:
            answer = {"error": f"unknown command {action!r}"}
        print(json.dumps(answer), flush=True)


def _make_user(*, email: str, password: str, totp_secret: str) -> dict[str, Any]:
    from allauth.mfa.totp.internal.auth import TOTP

    from engage.accounts.models import User

    user = User.objects.create_user(email=email, password=password)
    TOTP.activate(user, totp_secret)
    return {"pk": user.pk}


def _make_body() -> dict[str, Any]:
    """One policing body, for the account-request form's areas served."""
    from engage.accounts.models import Organisation, OrganisationKind
    from engage.directory.models import BodyType, Force, Nation, PolicingBody

    organisation, _ = Organisation.objects.get_or_create(
        slug="kent", defaults={"name": "Kent", "kind": OrganisationKind.POLICING_BODY}
    )
    force, _ = Force.objects.get_or_create(ons_code="E23000032", defaults={"name": "Kent"})
    body, _ = PolicingBody.objects.get_or_create(
        organisation=organisation,
        defaults={
            "force": force,
            "body_type": BodyType.PCC,
            "nation": Nation.ENGLAND,
            "region": "South East",
        },
    )
    return {"pk": body.pk}


if __name__ == "__main__":
    main()
