"""Refusing to engage on a policy that may not be engaged on, and recording the refusals that
concern a screened-out policy in the access log (without the screen's grounds), confidential to
the owning organisation: nobody else reads them, administrators and the APCC included."""

import functools
from collections.abc import Callable

import rules
from django.core.exceptions import ValidationError
from django.db import transaction

from engage.accounts.models import User
from engage.audit.models import AccessAction
from engage.audit.services import access_record
from engage.policies.models import Policy, TriageOutcome
from engage.policies.services import policy_can_be_engaged, refusal_for_others

# What the access log says of a refusal on a screened-out policy: never the grounds.
REFUSAL_LOG_CODE = "policy outside the protocol"


class PolicyRefused(ValidationError):
    """Engaging on this policy is refused; `reason` says why, for the page, as the person
    acting may read it (the grounds for the owning organisation only)."""

    def __init__(
        self, *, policy: Policy, by: User, reason: str, attempt: str, for_owner: bool = True
    ):
        super().__init__(reason, code="policy_refused")
        self.policy = policy
        self.by = by
        self.reason = reason
        self.attempt = attempt
        self.for_owner = for_owner

    @property
    def says_recorded(self) -> bool:
        """Whether the page tells the person their attempt was recorded. Only refusals on a
        screened-out policy are recorded, so only the owning organisation is told: anyone else
        would learn that the policy was screened out."""
        return self.for_owner and self.policy.is_screened_out


def records_refusals[**P, R](func: Callable[P, R]) -> Callable[P, R]:
    """Run `func` in a transaction; if it refuses a screened-out policy, record the attempt in
    the access log once the transaction has rolled back, then let the refusal through."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            with transaction.atomic():
                return func(*args, **kwargs)
        except PolicyRefused as refusal:
            if refusal.policy.triage_outcome == TriageOutcome.SCREENED_OUT:
                access_record(
                    user=refusal.by,
                    action=AccessAction.REFUSED,
                    object_type="policy",
                    object_id=str(refusal.policy.public_id),
                    detail=f"{refusal.attempt}: {REFUSAL_LOG_CODE}",
                    organisation=refusal.policy.owner,
                    # Read by the owning organisation alone: to anyone else the entry
                    # would reveal that the policy exists and was screened out.
                    confidential_to=refusal.policy.owner,
                )
            raise

    return wrapper


def _check_policy(policy: Policy, by: User, attempt: str) -> None:
    allowed, reason = policy_can_be_engaged(policy)
    if not allowed:
        # The triage and the screen's grounds are the owning organisation's (DESIGN.md 6).
        owner = rules.has_perm("policies.view_policy_details", by, policy)
        raise PolicyRefused(
            policy=policy,
            by=by,
            reason=reason if owner else refusal_for_others(),
            attempt=attempt,
            for_owner=owner,
        )


def check_not_screened_out(policy: Policy, by: User, attempt: str) -> None:
    """Refuse any write on an engagement of a screened-out policy: nothing can be done on one
    (DESIGN.md section 6), not even what is allowed once it has opened, like sharing its
    responses or adding a document. Run it under `records_refusals` so it is recorded."""
    if policy.is_screened_out:
        _check_policy(policy, by, attempt)
