"""Issue 7's last target: the APCC's confirm request opening an engagement to all 43 bodies
takes at most 200 ms with 10,000 people in Engage (`make bench-confirm`).

It copies the SQLite bench data (`make bench` makes it; BENCH_SCALE picks which), adds people to
the policing bodies until there are BENCH_PEOPLE (default 10,000), and, BENCH_ROUNDS times
(default 5), makes a draft, routes it to all policing bodies with the APCC's agreement, and
times the secretariat's confirm request through Django's full request handling (middleware,
view, service, the task enqueued on the database task backend, as in production), counting its
queries. Prints each round and the median; the task that then sends the emails is not part of
the request. The copy is deleted afterwards; the bench data is not changed.
"""

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCALE = os.environ.get("BENCH_SCALE", "1")
PEOPLE = int(os.environ.get("BENCH_PEOPLE", "10000"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))


def main() -> None:
    source = ROOT / "var" / "bench" / f"bench-scale-{SCALE}.sqlite3"
    if not source.exists():
        raise SystemExit(f"No bench data at {source}: run `make bench` first.")
    folder = Path(tempfile.mkdtemp(prefix="engage-confirm-"))
    try:
        copy = folder / "confirm.sqlite3"
        shutil.copy(source, copy)
        os.environ.update(
            {
                "DJANGO_SETTINGS_MODULE": "config.settings.base",
                "DJANGO_ENV": "development",
                "DEBUG": "false",
                "DATABASE_URL": f"sqlite:///{copy}",
                "ALLOWED_HOSTS": "testserver",
                # The static files `make bench` collected (DEBUG is off, as in production).
                "STATIC_ROOT": str(ROOT / "var" / "bench" / "static"),
                "MEDIA_ROOT": str(folder / "uploads"),
                "LOG_LEVEL": "WARNING",
                "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
            }
        )
        import django

        django.setup()
        measure()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def add_people(target: int) -> int:
    from engage.accounts.models import Membership, Role, User
    from engage.directory.models import PolicingBody

    have = User.objects.count()
    bodies = list(PolicingBody.objects.values_list("organisation_id", flat=True))
    missing = max(0, target - have)
    users = User.objects.bulk_create(
        User(email=f"confirm-{number}@opcc.example.org", full_name=f"Person {number}")
        for number in range(missing)
    )
    Membership.objects.bulk_create(
        Membership(user=user, organisation_id=bodies[n % len(bodies)], role=Role.OPCC_STAFF)
        for n, user in enumerate(users)
    )
    return User.objects.count()


def measure() -> None:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse
    from django.utils import timezone

    from engage.accounts.models import User
    from engage.engagements import services
    from engage.engagements.audience import audience_members
    from engage.engagements.models import Kind
    from engage.policies.models import Policy, Stage, TriageOutcome

    people = add_people(PEOPLE)
    lead = User.objects.get(email="lead@moj.example.org")
    secretariat = User.objects.get(email="secretariat@apcc.example.org")
    policy = Policy.objects.filter(
        owner__slug="moj",
        triage_outcome=TriageOutcome.MERITS,
        policy_leads=lead,
        stage=Stage.DEVELOPMENT,
    ).first()
    client = Client()
    client.force_login(secretariat)
    timings, counts, reached = [], [], 0
    for number in range(ROUNDS):
        engagement = services.engagement_create(
            policy=policy,
            by=lead,
            kind=Kind.EARLY,
            title=f"Confirm bench {number}",
            body="Early views, please.",
            opens_on=timezone.localdate(),
        )
        services.wider_route_request(engagement=engagement, by=lead, request="National reach")
        services.wider_route_decide(
            wider_request=engagement.wider_route_requests.get(),
            by=secretariat,
            decision="agreed",
            advice="Go ahead",
        )
        services.engagement_route(engagement=engagement, by=lead, route="all_bodies", groups=[])
        url = reverse("engagements:confirm", args=[engagement.public_id])
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.post(url)
            elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 302:
            raise SystemExit(f"The confirm request answered {response.status_code}")
        engagement.refresh_from_db()
        reached = audience_members(engagement).count()
        timings.append(elapsed)
        counts.append(len(queries))
        print(f"round {number + 1}: {elapsed:6.1f} ms, {len(queries)} queries")
    print(
        f"{people} people, {reached} reached by each engagement: confirm request median "
        f"{statistics.median(timings):.1f} ms (target 200 ms), queries {sorted(set(counts))}"
    )


if __name__ == "__main__":
    main()
