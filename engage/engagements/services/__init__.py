"""Writes for engagements: the five national duties, their questions, routing through the
APCC, handling labels and the national priorities a priorities update publishes.

Every function is keyword-only and atomic. It checks who is acting (PermissionDenied, through
the rules in `rules.py`), then the state and the input (ValidationError with a message fit for
the page, keyed by field where there is one), runs `full_clean()`, saves only the fields it
changes, and attributes the history record to the person acting.

Decisions:
- An engagement is created at TLP:AMBER+STRICT (the default) or narrower: TLP:RED, with named
  recipients. Widening is a *release* (`label_release`): only a policy lead of the owning
  organisation may make one, at any status, and each is kept as a LabelRelease (who, when,
  why, for whom). Narrowing is not a release: it is an edit of the draft (`engagement_update`)
  kept in the engagement's history. Once sent for routing a label can only widen, because
  narrowing cannot recall what people have already read.
- Named recipients only mean something under TLP:RED; under any other label none are kept.
  They must be members of a policing body, APACE or the APCC, and when the engagement is
  routed, of its audience or the APCC.
- Nothing can be done on an engagement of a screened-out policy: every write on one (sharing
  its responses, adding a document, editing its questions, the APCC returning it...) is
  refused and recorded like an attempt to engage (`check_not_screened_out`).
- Refused attempts to engage on a screened-out policy are written to the access log after the
  transaction has rolled back, so the record survives the refusal. The log says only that the
  policy is outside the protocol, never the screen's grounds: the secretariat and site
  administrators read it.
- Why a policy cannot be engaged (its triage, the screen's grounds) is for its owning
  organisation. Anyone else refused (the APCC secretariat confirming routing, say) is told
  only that the engagement can no longer go ahead.
- Timing (national duties 2 and 4): an opening date is today or later when saved or sent; the
  APCC's confirmation opens an engagement at once when its date has come, else schedules it
  to open on that date (the periodic task `engagements_open_due`); a response window or a
  change notice shorter than usual needs a recorded reason, counted from the day it opens
  (`timing.py`, docs/decisions/0014).
- Every opening goes through `engagement_open`, which fixes the audience (`AudienceBody`
  rows: the routed groups' bodies at that moment, or every body on the agreed wider route);
  the APCC secretariat may add a body to an open engagement later, with a reason
  (`audience_body_add`). The APCC may amend the groups or add APACE alongside them when it
  confirms (`engagement_confirm_routing`, kept as a `RouteAmendment`).
- When the APCC opens an engagement, everyone it reaches is told, in the service and by
  email, with a link (its title only under TLP:CLEAR or TLP:GREEN, never its content), once
  each (`notify_engagement_opened`, through engage.notifications; a change notice or a
  priorities update records an event of its own kind, asking its bodies to acknowledge it);
  when the lead sends one for routing, the APCC secretariat is told
  (`notify_routing_awaiting_apcc`).
- Screening a policy out closes its engagements that are awaiting the APCC or open
  (`engagements_close_for_screened_out_policy`, run in `policy_screen`'s transaction on the
  `policy_screened_out` signal: policies do not import engagements).
"""

# The package is split by concern; callers import from here.
from .drafting import (
    CREATE_LABELS,
    ENGAGEMENT_FIELDS,
    RECIPIENT_KINDS,
    engagement_create,
    engagement_update,
    engagement_update_check,
    policy_engagement_check,
)
from .labels import label_release, label_release_check, narrower_or_same_labels, wider_labels
from .lifecycle import (
    SHARE_REASON_MAX,
    engagement_close,
    engagement_close_check,
    engagement_share_responses,
    engagements_close_for_screened_out_policy,
)
from .notification import notify_engagement_opened, notify_routing_awaiting_apcc
from .opening import (
    ADD_REASON_MAX,
    OPENABLE,
    addable_bodies,
    audience_body_add,
    audience_body_add_check,
    audience_fix,
    engagement_open,
)
from .priorities import (
    national_priority_add,
    national_priority_add_check,
    national_priority_remove,
)
from .questions import (
    question_add,
    question_change_check,
    question_move,
    question_remove,
    question_update,
)
from .refusals import REFUSAL_LOG_CODE, PolicyRefused, check_not_screened_out, records_refusals
from .routing import (
    engagement_confirm_routing,
    engagement_confirm_routing_check,
    engagement_confirm_timing_check,
    engagement_return,
    engagement_return_check,
    engagement_route,
    engagement_route_check,
    wider_route_decide,
    wider_route_request,
    wider_route_request_check,
)
from .scheduling import engagement_open_scheduled, engagements_due, engagements_open_due
from .timing import (
    Timing,
    change_notice_days,
    min_response_days,
    opening_date_check,
    opening_day,
    short_notice_check,
    timing_of,
)

__all__ = [
    "ADD_REASON_MAX",
    "OPENABLE",
    "CREATE_LABELS",
    "Timing",
    "ENGAGEMENT_FIELDS",
    "RECIPIENT_KINDS",
    "REFUSAL_LOG_CODE",
    "SHARE_REASON_MAX",
    "PolicyRefused",
    "change_notice_days",
    "addable_bodies",
    "audience_body_add",
    "audience_body_add_check",
    "audience_fix",
    "check_not_screened_out",
    "engagement_close",
    "engagement_close_check",
    "engagement_confirm_routing",
    "engagement_confirm_routing_check",
    "engagement_confirm_timing_check",
    "engagement_create",
    "engagement_open",
    "engagement_open_scheduled",
    "engagement_return",
    "engagement_return_check",
    "engagement_route",
    "engagement_route_check",
    "engagement_share_responses",
    "engagement_update",
    "engagement_update_check",
    "engagements_close_for_screened_out_policy",
    "engagements_due",
    "engagements_open_due",
    "label_release",
    "min_response_days",
    "label_release_check",
    "narrower_or_same_labels",
    "national_priority_add",
    "national_priority_add_check",
    "national_priority_remove",
    "notify_engagement_opened",
    "notify_routing_awaiting_apcc",
    "opening_date_check",
    "opening_day",
    "policy_engagement_check",
    "question_add",
    "question_change_check",
    "question_move",
    "question_remove",
    "question_update",
    "records_refusals",
    "short_notice_check",
    "timing_of",
    "wider_labels",
    "wider_route_decide",
    "wider_route_request",
    "wider_route_request_check",
]
