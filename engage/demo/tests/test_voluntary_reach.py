"""A voluntary-sector member reaches no protocol page, list, download or export (issue 10):
with the whole demo seeded, every URL of the protocol apps is opened as the voluntary persona,
each URL that takes an id once with every id of a record the demo made in that app (and every
engagement's, which many pages take). None may answer with a file or a record: only the three
lists anyone signed in may open answer at all, with an explanation and no record in them.

Material released to TLP:CLEAR is public by design (DESIGN.md section 6) and would be readable;
the demo has none, and this test says so rather than skip it."""

import re
import time

import pytest
from django.apps import apps
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from engage.core.labels import Label
from engage.engagements.models import Engagement, NationalPriority
from engage.policies.models import Policy

pytestmark = pytest.mark.django_db

PROTOCOL_APPS = (
    "policies",
    "engagements",
    "documents",
    "responses",
    "releases",
    "collective",
    "outcomes",
    "clarifications",
    "acknowledgements",
    "dissemination",
    "implementation",
)
PARAMETER = re.compile(r"<(?:(\w+):)?(\w+)>")


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            yield namespace, prefix + str(pattern.pattern)


def _ids(app_label: str) -> list[str]:
    """Every public id of a record the demo made in the app."""
    ids: list[str] = []
    for model in apps.get_app_config(app_label).get_models():
        if model.__name__.startswith("Historical"):
            continue
        if any(field.name == "public_id" for field in model._meta.fields):
            ids += [str(value) for value in model.objects.values_list("public_id", flat=True)]
    return ids


@pytest.fixture
def seeded(personas, settings):
    settings.DJANGO_ENV = "development"
    call_command("seed_demo", verbosity=0)


def test_the_voluntary_member_reaches_no_protocol_url(seeded, personas, client_for):
    assert not Engagement.objects.filter(label=Label.CLEAR).exists()
    engagement_ids = [str(v) for v in Engagement.objects.values_list("public_id", flat=True)]
    client = client_for(personas.vcs_member)
    titles = [
        *Policy.objects.values_list("title", flat=True),
        *Engagement.objects.values_list("title", flat=True),
        *NationalPriority.objects.values_list("title", flat=True),
    ]
    reached: list[tuple[str, object]] = []
    explained: list[tuple[str, object]] = []
    opened = 0
    ids: dict[str, list[str]] = {}
    started = time.monotonic()
    for namespace, route in _walk(get_resolver().url_patterns):
        if namespace not in PROTOCOL_APPS:
            continue
        parameters = PARAMETER.findall(route)
        if namespace not in ids:
            ids[namespace] = _ids(namespace)
        candidates: list[tuple[str, ...]]
        if len(parameters) > 1:
            # e.g. engagements/<id>/collective/<id>/: an engagement's id in the first place
            # and the app's records' in the second.
            candidates = [(first, other) for first in engagement_ids for other in ids[namespace]]
            candidates = candidates[:120]
        elif parameters:
            candidates = [(value,) for value in {*ids[namespace], *engagement_ids}]
        else:
            candidates = [()]
        for values in candidates:
            parts = iter(values)

            def fill(_match: re.Match[str], parts=parts) -> str:
                return next(parts)

            path = "/" + PARAMETER.sub(fill, route).lstrip("^")
            response = client.get(path)
            opened += 1
            if response.get("Content-Disposition"):
                reached.append((path, response.status_code))
            elif response.status_code == 200:
                page = response.content.decode()
                shown = [title for title in titles if title in page]
                (reached if shown else explained).append((path, shown))
    assert opened > 500, opened
    assert reached == [], reached
    # The lists say what they are for and that nothing is addressed to the person.
    assert sorted(path for path, _shown in explained) == [
        "/engagements/inbox/",
        "/engagements/priorities/",
        "/policies/",
    ]
    assert time.monotonic() - started < 120
