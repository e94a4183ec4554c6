"""The facts about a person that every access decision reads: `Viewer`.

What a person may see and do follows from their active memberships (DESIGN.md section 1): the
organisations they belong to, of which kinds, in which roles, and for policing bodies the
standing groups their bodies sit in. A `Viewer` holds those facts as plain values (ids, flags),
worked out once per request from the memberships the middleware already loads, so the access
rules (`engage.engagements.audience`, the `rules` predicates) compare columns with values
instead of repeating the same subqueries.

- In a request, use `request.viewer` (or `Viewer.of(request.user)`, which finds it).
- In tasks, commands and tests, `Viewer.of(user)` builds one from the database each time it is
  called, so a membership changed since is never missed.

Nothing else in Engage derives these facts from memberships; a test scans for it
(engage/accounts/tests/test_one_decider.py).
"""

from collections.abc import Iterable
from functools import cached_property
from typing import Any

from engage.core.access import is_signed_in

from .models import NATIONAL_KINDS, PROTOCOL_KINDS, Membership, OrganisationKind, Role


class Viewer:
    """A person's access facts. Facts that need a query (the policing bodies and their groups,
    delegations) are read on first use only, so a page that does not need them never pays."""

    # Where the middleware leaves the request's viewer on the user object (see `of`).
    CACHE_ATTRIBUTE = "_engage_viewer"

    def __init__(self, user: Any, memberships: Iterable[Membership] | None = None) -> None:
        self.user = user
        self.signed_in = is_signed_in(user)
        self.user_id: int | None = user.pk if self.signed_in else None
        if not self.signed_in:
            memberships = []
        elif memberships is None:
            memberships = (
                Membership.objects.active().filter(user_id=user.pk).select_related("organisation")
            )
        self.memberships: tuple[Membership, ...] = tuple(memberships)
        by_org = {m.organisation_id: m for m in self.memberships}
        kinds = {org_id: m.organisation.kind for org_id, m in by_org.items()}
        self.organisation_ids = frozenset(by_org)
        self.kind_of: dict[int, str] = kinds
        self.role_in: dict[int, str] = {org_id: m.role for org_id, m in by_org.items()}
        self.admin_of = frozenset(org_id for org_id, m in by_org.items() if m.is_admin)
        self.is_site_admin = bool(self.signed_in and user.is_staff)
        self.in_apcc = OrganisationKind.APCC in kinds.values()
        self.is_secretariat = any(m.is_secretariat for m in by_org.values())
        # Chief executives of policing bodies, and APACE itself, are the APACE route's audience.
        self.is_chief_executive = any(
            role == Role.CHIEF_EXECUTIVE or kinds[org_id] == OrganisationKind.APACE
            for org_id, role in self.role_in.items()
        )
        self.in_protocol = any(kind in PROTOCOL_KINDS for kind in kinds.values())
        self.body_organisation_ids = frozenset(
            org_id for org_id, kind in kinds.items() if kind == OrganisationKind.POLICING_BODY
        )
        self.lead_of = frozenset(
            org_id
            for org_id, role in self.role_in.items()
            if role == Role.POLICY_LEAD and kinds[org_id] in NATIONAL_KINDS
        )

    @cached_property
    def known(self) -> dict[Any, Any]:
        """Facts about records worked out once in this request, for the decider to reuse
        (engage/engagements/audience.py: the documents read on an engagement). The viewer
        lives for one request, so nothing here outlives a change."""
        return {}

    @classmethod
    def of(cls, user: Any) -> "Viewer":
        """The viewer for `user`: the request's (built once) when the middleware left one on
        this user object, else a fresh one."""
        if isinstance(user, Viewer):
            return user
        cached = getattr(user, cls.CACHE_ATTRIBUTE, None)
        if cached is not None:
            return cached()
        return cls(user)

    def __repr__(self) -> str:
        return f"<Viewer {self.user_id} in {sorted(self.organisation_ids)}>"

    # Organisations -------------------------------------------------------------------------

    def is_member_of(self, organisation_id: int | None) -> bool:
        return organisation_id in self.organisation_ids

    def is_admin_of(self, organisation_id: int | None) -> bool:
        return organisation_id in self.admin_of

    def is_policy_lead_of(self, organisation_id: int | None) -> bool:
        """A policy lead of a national department or agency acts for its policies."""
        return organisation_id in self.lead_of

    @property
    def requires_mfa(self) -> bool:
        """Members of protocol organisations and site administrators must use MFA."""
        return self.signed_in and (self.user.is_staff or self.user.is_superuser or self.in_protocol)

    # Policing bodies (one query, on first use) ------------------------------------------------

    @cached_property
    def _bodies(self) -> tuple[dict[int, int], frozenset[int], frozenset[int]]:
        from engage.directory.models import GroupRole, PolicingBody

        bodies: dict[int, int] = {}
        groups: set[int] = set()
        led: set[int] = set()
        if self.body_organisation_ids:
            rows = PolicingBody.objects.filter(
                organisation_id__in=self.body_organisation_ids
            ).values_list(
                "pk", "organisation_id", "group_memberships__group_id", "group_memberships__role"
            )
            for body_id, organisation_id, group_id, group_role in rows:
                bodies[body_id] = organisation_id
                if group_id is not None:
                    groups.add(group_id)
                    if group_role == GroupRole.LEAD:
                        led.add(group_id)
        return bodies, frozenset(groups), frozenset(led)

    @property
    def body_ids(self) -> frozenset[int]:
        """The policing bodies the person is a member of."""
        return frozenset(self._bodies[0])

    @property
    def group_ids(self) -> frozenset[int]:
        """The standing groups the person's bodies sit in."""
        return self._bodies[1]

    @property
    def led_group_ids(self) -> frozenset[int]:
        """The standing groups the person's bodies lead."""
        return self._bodies[2]

    def is_member_of_body(self, body: Any) -> bool:
        return body is not None and body.organisation_id in self.body_organisation_ids

    def is_commissioner_of(self, body: Any) -> bool:
        return (
            self.is_member_of_body(body)
            and self.role_in.get(body.organisation_id) == Role.COMMISSIONER
        )


def attach_to_request(request: Any) -> None:
    """Build the request's viewer on first use from `request.memberships`, and leave a way to
    it on `request.user` so `Viewer.of(request.user)` anywhere in the request finds it."""
    built: list[Viewer] = []

    def viewer() -> Viewer:
        if not built:
            built.append(Viewer(request.user, request.memberships))
        return built[0]

    request.viewer_factory = viewer
    user = request.user
    if is_signed_in(user):
        setattr(user, Viewer.CACHE_ATTRIBUTE, viewer)
