"""Writes for implementation agreements: proposing a local role, the turns of the thread
(accept, decline, propose changes; accept the changes, revise, withdraw), milestones and
their updates.

Every function is keyword-only and atomic. It checks who is acting (PermissionDenied), then
the state and the input (ValidationError with a message for the page, keyed by form field
where there is one), and attributes history records to the person acting. A refused write
changes nothing.

Decisions:
- Only a policy in implementation, whose triage found it merits engagement, gets a proposal;
  a screened-out policy gets nothing, ever (refused and recorded: `records_refusals`), and
  nothing more happens on an agreement once its policy is screened out.
- One live agreement (proposed, changes proposed, agreed) per body and policy; proposing to
  several bodies makes one each, in one transaction, or none. After a decline or a
  withdrawal the lead may propose anew (a new agreement; the old one keeps its thread).
- "By when" (the role's and a milestone's) is never before the day it is proposed.
- Turns: while proposed, the body accepts, declines (reasons required) or proposes changes
  (new terms and a note); while changes are proposed, the lead accepts them (agreed on the
  body's terms) or revises (proposed again, with new terms). Acting out of turn is refused
  with a message saying whose turn it is. Agreed, declined and withdrawn are final.
- The body side is the policing body the person acts for now (their current membership),
  never one named in a form: a member of Kent and Gwent acting for Gwent cannot answer for
  Kent. The lead side is a policy lead of the owning organisation for the terms; any member
  of the owning organisation or of the body adds milestones and updates. The APCC
  secretariat reads and never acts.
- Who is told (`notification`): a proposal, and a revision, tell those who answer for the
  body; an agreement tells both parties; a milestone marked at risk, or gone overdue (the
  periodic sweep, `overdue`), tells both parties.
"""

from .common import (
    MAX_TEXT,
    MAX_TITLE,
    body_turn_check,
    lead_turn_check,
    side_of,
    withdraw_check,
)
from .milestones import milestone_add, milestone_check, milestone_update
from .proposing import (
    agreement_propose,
    agreement_propose_check,
    bodies_with_live_agreement,
    implementation_updates,
)
from .turns import (
    agreement_accept,
    agreement_accept_changes,
    agreement_comment,
    agreement_decline,
    agreement_propose_changes,
    agreement_revise,
    agreement_withdraw,
)

__all__ = [
    "MAX_TEXT",
    "MAX_TITLE",
    "agreement_accept",
    "agreement_accept_changes",
    "agreement_comment",
    "agreement_decline",
    "agreement_propose",
    "agreement_propose_changes",
    "agreement_propose_check",
    "agreement_revise",
    "agreement_withdraw",
    "bodies_with_live_agreement",
    "body_turn_check",
    "implementation_updates",
    "lead_turn_check",
    "milestone_add",
    "milestone_check",
    "milestone_update",
    "side_of",
    "withdraw_check",
]
