"""The lead proposes a local role to one or more bodies."""

from collections.abc import Iterable
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from engage.accounts.models import User
from engage.core.labels import Label
from engage.core.services import lock, require, require_permission, save
from engage.directory.models import PolicingBody
from engage.engagements.models import LIVE, Engagement, Kind
from engage.engagements.services.refusals import check_not_screened_out, records_refusals
from engage.policies.models import Policy, Stage
from engage.policies.services import policy_can_be_engaged

from ..models import (
    LIVE_STATES,
    EventKind,
    ImplementationAgreement,
    Side,
)
from ..notification import notify_implementation_proposed
from ..rules import PROPOSE
from .common import (
    _collect,
    _due_on,
    _event,
    _label,
    _optional,
    _text,
)

# Proposing ---------------------------------------------------------------------------------


def agreement_propose_check(policy: Policy, by: User) -> None:
    """Refuse unless a local role may be proposed on `policy` now, in words for the page: a
    policy lead of the owning organisation, a policy in implementation that merits
    engagement and is not screened out. The policy page asks it before offering the link,
    the propose page before its form, and `agreement_propose` again on the locked policy."""
    require_permission(PROPOSE, by, policy)
    check_not_screened_out(policy, by, "propose an implementation role")
    allowed, reason = policy_can_be_engaged(policy)
    require(allowed, reason)
    require(
        policy.stage == Stage.IMPLEMENTATION,
        _(
            "You can agree local roles only for a policy in implementation. This policy is at "
            "the %(stage)s stage."
        )
        % {"stage": policy.get_stage_display().lower()},
    )


def bodies_with_live_agreement(policy: Policy) -> set[int]:
    """The bodies that already have a proposed, changing or agreed role on `policy`."""
    return set(
        ImplementationAgreement.objects.filter(policy=policy, state__in=LIVE_STATES).values_list(
            "body_id", flat=True
        )
    )


def implementation_updates(policy: Policy) -> list[Engagement]:
    """The policy's implementation updates that have reached their audience: what a proposal
    may say it was made in."""
    return list(
        policy.engagements.filter(kind=Kind.IMPLEMENTATION, status__in=LIVE).order_by(
            "-opened_at", "-pk"
        )
    )


@records_refusals
def agreement_propose(
    *,
    policy: Policy,
    by: User,
    bodies: Iterable[PolicingBody],
    role: str,
    due_on: date | None,
    support: str = "",
    label: str = Label.AMBER_STRICT,
    engagement: Engagement | None = None,
) -> list[ImplementationAgreement]:
    """The lead proposes a local role to each of `bodies`: one agreement each, all or none."""
    current = lock(policy, "owner")
    agreement_propose_check(current, by)
    chosen = {body.pk: body for body in bodies}
    role_text, due, support_text, label_value, _bodies = _collect(
        lambda: _text(role, "role", _("Describe the local role")),
        lambda: _due_on(due_on),
        lambda: _optional(support, "support"),
        lambda: _label(label),
        lambda: require(chosen, _("Choose at least one policing body"), field="bodies"),
    )
    live = bodies_with_live_agreement(current)
    taken = sorted(
        (body for pk, body in chosen.items() if pk in live),
        key=lambda body: body.organisation.name,
    )
    require(
        not taken,
        ngettext(
            "%(bodies)s already has a role proposed or agreed on this policy",
            "%(bodies)s already have a role proposed or agreed on this policy",
            len(taken),
        )
        % {"bodies": ", ".join(body.organisation.name for body in taken)},
        field="bodies",
    )
    if engagement is not None:
        require(
            engagement.policy_id == current.pk
            and engagement.kind == Kind.IMPLEMENTATION
            and engagement.status in LIVE,
            _("Choose one of this policy's implementation updates, or none"),
            field="engagement",
        )
    made = []
    now = timezone.now()
    for body in sorted(chosen.values(), key=lambda body: body.organisation.name):
        agreement = ImplementationAgreement(
            policy=current,
            engagement=engagement,
            body=body,
            role=role_text,
            due_on=due,
            support=support_text,
            label=label_value,
            proposed_by=by,
            proposed_at=now,
            updated_at=now,
        )
        agreement._change_reason = "Proposed"  # type: ignore[attr-defined]
        save(agreement, by, clean=False)
        _event(agreement, kind=EventKind.PROPOSED, side=Side.LEAD, by=by, terms=True)
        notify_implementation_proposed(agreement, by)
        made.append(agreement)
    return made
