"""The key pages of issue 7 that the benchmark measures (scripts/bench.py), and the rows
they read, on the bench data that engage/bench/data.py makes."""

from dataclasses import dataclass

from django.urls import reverse

from engage.accounts.models import User
from engage.audit.models import AccessLog
from engage.documents.models import Document
from engage.engagements.models import Engagement
from engage.policies.models import Policy
from engage.responses.models import Response, ResponseVersion


def summary() -> dict[str, int]:
    """The rows the pages read, as they stand (bench data, demo content and all)."""
    return {
        "users": User.objects.count(),
        "policies": Policy.objects.count(),
        "engagements": Engagement.objects.count(),
        "responses": Response.objects.count(),
        "versions": ResponseVersion.objects.count(),
        "documents": Document.objects.count(),
        "access log": AccessLog.objects.count(),
    }


@dataclass(frozen=True)
class Page:
    name: str
    persona: str  # a persona's email, or "" for a visitor not signed in
    url: str


def pages() -> list[Page]:
    """The key pages of issue 7, as each persona who reads them, on the bench data."""
    target = (
        Engagement.objects.filter(title__startswith="Bench engagement 0:").order_by("pk").first()
    )
    if target is None:
        raise LookupError("No bench data: run `manage.py bench_data` first.")
    response = target.responses.filter(body__organisation__slug="kent").first() or (
        target.responses.filter(submitted_version__gt=0).order_by("pk").first()
    )
    document = target.documents.order_by("pk").first()
    lead = "lead@moj.example.org"
    commissioner = "commissioner@gwent.example.org"
    secretariat = "secretariat@apcc.example.org"
    homes = [
        Page(f"home ({email.split('@')[0]}@{email.split('@')[1].split('.')[0]})", email, "/")
        for email in (
            lead,
            "lead@homeoffice.example.org",
            secretariat,
            commissioner,
            "staff@gwent.example.org",
            "commissioner@kent.example.org",
            "commissioner@dorset.example.org",
            "ceo@surrey.example.org",
            "member@womens-centre.example.org",
            "admin@engage.example.org",
        )
    ]
    inbox = reverse("engagements:inbox")
    register = reverse("policies:register")
    listed = [
        Page("inbox (lead)", lead, inbox),
        Page("inbox (commissioner)", commissioner, inbox),
        Page("inbox (secretariat)", secretariat, inbox),
        Page("APCC queue", secretariat, reverse("engagements:apcc_queue")),
        Page("policy register", lead, register),
        Page("policy register, filtered", lead, f"{register}?q=Bench&stage=development"),
        Page("policy page", lead, reverse("policies:detail", args=[target.policy.public_id])),
        Page("engagement (lead)", lead, reverse("engagements:detail", args=[target.public_id])),
        Page(
            "engagement (commissioner)",
            commissioner,
            reverse("engagements:detail", args=[target.public_id]),
        ),
        Page(
            "responses list",
            lead,
            reverse("responses:engagement_responses", args=[target.public_id]),
        ),
        Page(
            "CSV export",
            lead,
            reverse("responses:engagement_responses_export", args=[target.public_id]),
        ),
        Page("directory", lead, reverse("directory:bodies")),
        Page("body page", lead, reverse("directory:body", args=["gwent"])),
        Page("map", lead, reverse("directory:map")),
        Page("access log", secretariat, reverse("audit:log")),
    ]
    if response is not None:
        listed.insert(
            10, Page("response page", lead, reverse("responses:detail", args=[response.public_id]))
        )
    if document is not None:
        listed.append(
            Page(
                "stamped download",
                commissioner,
                reverse("documents:download", args=[document.public_id]),
            )
        )
    return homes + listed


BASELINE = Page("layout only (accessibility)", "", "/accessibility")
