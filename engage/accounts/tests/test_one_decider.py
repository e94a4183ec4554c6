"""Who a person is, and whom a record reaches, are derived in one place (issue 7, ADR 0012):

- the person's facts (memberships, roles, the APCC secretariat, signed in or not) in
  `engage.accounts` (its models, selectors, services and `viewer`), and `engage.core.access`;
- whom an engagement, its documents and responses reach in `engage.engagements.audience`.

This scan fails when that logic appears anywhere else in the application code, so a new page
or record has to compose from the decider instead of growing a copy that can drift."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # engage/

PEOPLE = (
    "accounts/models.py",
    "accounts/selectors.py",
    "accounts/services.py",
    "accounts/viewer.py",
)
AUDIENCE = ("engagements/audience.py",)

# (what it is, pattern, where it may appear)
RULES = [
    (
        "a read of memberships (use the Viewer, or accounts.selectors for other people)",
        re.compile(r"(?<![A-Za-z])Membership\.objects\.(?!visible_to\()"),
        PEOPLE + AUDIENCE,
    ),
    ("'is APCC secretariat' worked out", re.compile(r"Role\.SECRETARIAT"), PEOPLE),
    (
        "'is signed in' worked out (use engage.core.access.is_signed_in or the Viewer)",
        re.compile(r"\.is_authenticated\b|\"is_authenticated\""),
        ("core/access.py",),
    ),
    (
        "an audience join (routed groups, named recipients, policy leads, documents shared)",
        re.compile(
            r"(routed_groups|recipients|policy_leads|attached_to)\.through"
            r"|group__engagements|standinggroup__memberships"
        ),
        AUDIENCE,
    ),
]


def application_modules():
    for path in sorted(ROOT.rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        parts = relative.split("/")
        if "tests" in parts or "migrations" in parts or parts[0] in ("browser", "bench", "demo"):
            continue
        if relative == "conftest.py" or parts[-1] == "demo.py":
            continue  # demo content and test set-up make people, they decide nothing
        yield relative, path.read_text()


def test_audience_and_membership_logic_lives_in_the_decider():
    found = [
        f"{relative}:{number}: {what}: {line.strip()}"
        for relative, text in application_modules()
        for number, line in enumerate(text.splitlines(), start=1)
        for what, pattern, allowed in RULES
        if pattern.search(line) and relative not in allowed
    ]
    assert found == []


def test_the_scan_sees_a_copy():
    """The scan is not vacuous: it finds each kind of copy in a line of code."""
    samples = [
        "Membership.objects.active().filter(user=user)",
        "membership.role == Role.SECRETARIAT",
        "if request.user.is_authenticated:",
        "Engagement.routed_groups.through.objects.filter(engagement=e)",
    ]
    for sample, (_, pattern, _) in zip(samples, RULES, strict=True):
        assert pattern.search(sample)
    assert not RULES[0][1].search("Membership.objects.visible_to(user)")
    assert not RULES[0][1].search("StandingGroupMembership.objects.filter(group=group)")
