"""The outside world for the GOV.UK Notify backend's tests: a real HTTP server on this host,
in a thread, standing in for Notify's API at NOTIFY_BASE_URL. It records each request and
answers with what the test sets."""

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

SERVICE_ID = "2b5c3a4e-1f0d-4c8b-9a6e-7d3f2e1c0b9a"
SECRET = "8f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"
API_KEY = f"engage_test-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"

ACCEPTED = {
    "id": "740e5834-3a29-46b4-9a6f-16142fde533a",
    "reference": None,
    "content": {"subject": "s", "body": "b", "from_email": "engage@notifications.service.gov.uk"},
    "uri": "https://api.notifications.service.gov.uk/v2/notifications/740e5834",
    "template": {"id": TEMPLATE_ID, "version": 1, "uri": "https://x.example/t"},
}
# What Notify answers for an address it cannot send to.
ADDRESS_INVALID = {
    "status_code": 400,
    "errors": [{"error": "ValidationError", "message": "email_address Not a valid email address"}],
}
NOTIFY_DOWN = {"status_code": 500, "errors": [{"error": "Exception", "message": "Internal error"}]}
TEAM_KEY_ONLY = {
    "status_code": 400,
    "errors": [
        {
            "error": "BadRequestError",
            "message": "Can't send to this recipient using a team-only API key",
        }
    ],
}


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    json: Any


@dataclass
class FakeNotify:
    url: str = ""
    requests: list[Received] = field(default_factory=list)
    status: int = 201
    answer: Any = field(default_factory=lambda: ACCEPTED)

    def reply(self, status: int, answer: Any) -> None:
        self.status, self.answer = status, answer


def start() -> tuple[FakeNotify, ThreadingHTTPServer]:
    fake = FakeNotify()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            fake.requests.append(
                Received("POST", self.path, dict(self.headers.items()), json.loads(body))
            )
            payload = json.dumps(fake.answer).encode()
            self.send_response(fake.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass  # quiet in the test output

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return fake, server
