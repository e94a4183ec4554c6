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
- When the APCC opens an engagement, everyone it reaches is emailed a link (never the title
  or content), one email each (`notify_engagement_opened`).
- Screening a policy out closes its engagements that are awaiting the APCC or open
  (`engagements_close_for_screened_out_policy`, called by `policy_screen`).
"""

import functools
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any, ParamSpec, TypeVar

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from engage.accounts.models import Membership, OrganisationKind, Role, User
from engage.audit.models import AccessAction
from engage.audit.services import access_record
from engage.core.labels import DEFAULT_LABEL, WIDENING_ORDER, Label, is_wider
from engage.core.links import absolute
from engage.core.tasks import send_email
from engage.directory.models import PriorityTheme, StandingGroup
from engage.policies.models import Policy, Stage, TriageOutcome
from engage.policies.services import policy_can_be_engaged, refusal_for_others

from .models import (
    Decision,
    Engagement,
    Kind,
    LabelRelease,
    NationalPriority,
    PrioritySource,
    Question,
    QuestionKind,
    Route,
    Status,
    WiderRouteRequest,
)

P = ParamSpec("P")
R = TypeVar("R")

EARLY_STAGES = (Stage.DEVELOPMENT, Stage.TESTING)
# A new engagement starts at the default label or narrower; wider labels come by release.
CREATE_LABELS = (Label.RED, Label.AMBER_STRICT)
RECIPIENT_KINDS = (OrganisationKind.POLICING_BODY, OrganisationKind.APACE, OrganisationKind.APCC)
ENGAGEMENT_FIELDS = (
    "kind",
    "title",
    "body",
    "opens_on",
    "response_deadline",
    "rationale",
    "effective_date",
    "asks_response",
    "asks_dissemination",
    "asks_implementation_support",
    "share_responses",
    "label",
)


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
                )
            raise

    return wrapper


# Checks ---------------------------------------------------------------------------------


def _require(perm: str, user: User, obj: Any = None) -> None:
    # rules.has_perm, not user.has_perm: a superuser gets no way round these rules.
    if not rules.has_perm(perm, user, obj):
        raise PermissionDenied


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


def _check_kind_fits_stage(kind: str, policy: Policy) -> None:
    if kind == Kind.EARLY and policy.stage not in EARLY_STAGES:
        raise ValidationError(
            {
                "kind": _(
                    "An early engagement needs the policy at development or testing stage. "
                    "This policy is at %(stage)s stage."
                )
                % {"stage": policy.get_stage_display().lower()}
            }
        )


def _check_status(engagement: Engagement, *allowed: str, message: str) -> None:
    if engagement.status not in allowed:
        raise ValidationError(message % {"status": engagement.get_status_display().lower()})


def _text(value: str | None) -> str:
    return (value or "").strip()


def _required(value: str | None, field: str, message: str) -> str:
    text = _text(value)
    if not text:
        raise ValidationError({field: message})
    return text


def _check_fields(kind: str, title: str, body: str, opens_on: date | None) -> None:
    errors = {}
    if kind not in Kind.values:
        errors["kind"] = _("Choose what kind of engagement this is")
    if not _text(title):
        errors["title"] = _("Enter a title")
    if not _text(body):
        errors["body"] = _("Enter what you are telling or asking policing bodies")
    if opens_on is None:
        errors["opens_on"] = _("Enter the opening date")
    if errors:
        raise ValidationError(errors)


def _check_recipients(label: str, recipients: Iterable[User]) -> list[User]:
    """The named recipients to keep: required under TLP:RED, none under other labels."""
    if label != Label.RED:
        return []
    people = list({person.pk: person for person in recipients}.values())
    if not people:
        raise ValidationError(
            {"recipients": _("Name at least one recipient: TLP:RED is for named people only")}
        )
    eligible = set(
        Membership.objects.active()
        .filter(user__in=people, user__is_active=True, organisation__kind__in=RECIPIENT_KINDS)
        .values_list("user_id", flat=True)
    )
    if outside := [person.email for person in people if person.pk not in eligible]:
        raise ValidationError(
            {
                "recipients": _(
                    "Named recipients must be people in a policing body or the APCC. "
                    "Not eligible: %(emails)s"
                )
                % {"emails": ", ".join(sorted(outside))}
            }
        )
    return people


def _audience_members(route: str, groups: list[StandingGroup], *, with_apcc: bool = True):
    """Active memberships that put a person in the audience of `route` (or, `with_apcc`, in
    the APCC)."""
    in_route: Q
    if route == Route.STANDING_GROUPS:
        in_route = Q(organisation__policing_body__group_memberships__group__in=list(groups))
    elif route == Route.ALL_BODIES:
        in_route = Q(organisation__kind=OrganisationKind.POLICING_BODY)
    else:
        in_route = Q(role=Role.CHIEF_EXECUTIVE) | Q(organisation__kind=OrganisationKind.APACE)
    if with_apcc:
        in_route |= Q(organisation__kind=OrganisationKind.APCC)
    return Membership.objects.active().filter(in_route)


def _collect[R](errors: dict, check: Callable[..., R], *args: Any) -> R | None:
    """Run a check, adding what it finds to `errors`, so the page shows every problem at once."""
    try:
        return check(*args)
    except PolicyRefused:
        raise
    except ValidationError as exc:
        exc.update_error_dict(errors)
        return None


def _validate_engagement(engagement: Engagement, recipients: Iterable[User]) -> list[User]:
    errors: dict = {}
    e = engagement
    _collect(errors, _check_fields, e.kind, e.title, e.body, e.opens_on)
    _collect(errors, _check_kind_fits_stage, e.kind, e.policy)
    people = _collect(errors, _check_recipients, e.label, recipients)
    _collect(errors, e.clean)
    if errors:
        raise ValidationError(errors)
    return people or []


def _lock(engagement: Engagement) -> Engagement:
    """The engagement's row, locked for the rest of the transaction, read afresh: every write
    starts from what is stored, not from what the caller happened to load."""
    return (
        Engagement.objects.select_for_update(of=("self",))
        .select_related("policy", "owner")
        .get(pk=engagement.pk)
    )


def _refresh(target: Engagement, source: Engagement) -> Engagement:
    for field in source._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    return target


def _save(instance, by: User, fields: list[str] | None = None) -> None:
    instance.full_clean()
    instance._history_user = by  # the history records who, even outside a request
    if fields is None:
        instance.save()
    else:
        instance.save(update_fields=fields)


# Engagements ----------------------------------------------------------------------------


@records_refusals
def policy_engagement_check(*, policy: Policy, by: User) -> None:
    """Refuse (and, for a screened-out policy, record) an attempt to start engaging on
    `policy`: the new-engagement page calls this before offering the form."""
    _require("engagements.add_engagement", by, policy)
    _check_policy(policy, by, "start an engagement")


@records_refusals
def engagement_create(
    *,
    policy: Policy,
    by: User,
    kind: str,
    title: str,
    body: str,
    opens_on: date | None,
    response_deadline: date | None = None,
    rationale: str = "",
    effective_date: date | None = None,
    asks_response: bool = False,
    asks_dissemination: bool = False,
    asks_implementation_support: bool = False,
    share_responses: bool = False,
    label: str = DEFAULT_LABEL,
    recipients: Iterable[User] = (),
) -> Engagement:
    """A draft engagement on `policy` by one of its owning organisation's policy leads."""
    _require("engagements.add_engagement", by, policy)
    _check_policy(policy, by, "create an engagement")
    if label not in CREATE_LABELS:
        raise ValidationError(
            {
                "label": _(
                    "A new engagement is TLP:AMBER+STRICT or TLP:RED. Release it to a wider "
                    "label once it is saved"
                )
            }
        )
    engagement = Engagement(
        policy=policy,
        owner=policy.owner,
        kind=kind,
        title=_text(title),
        body=_text(body),
        opens_on=opens_on,  # type: ignore[misc]  # None is reported by _validate_engagement
        response_deadline=response_deadline,
        rationale=_text(rationale),
        effective_date=effective_date,
        asks_response=bool(asks_response),
        asks_dissemination=bool(asks_dissemination),
        asks_implementation_support=bool(asks_implementation_support),
        share_responses=bool(share_responses),
        label=label,
        created_by=by,
    )
    people = _validate_engagement(engagement, recipients)
    _save(engagement, by)
    engagement.recipients.set(people)
    return engagement


@records_refusals
def engagement_update(
    *,
    engagement: Engagement,
    by: User,
    kind: str,
    title: str,
    body: str,
    opens_on: date | None,
    response_deadline: date | None = None,
    rationale: str = "",
    effective_date: date | None = None,
    asks_response: bool = False,
    asks_dissemination: bool = False,
    asks_implementation_support: bool = False,
    share_responses: bool = False,
    label: str = DEFAULT_LABEL,
    recipients: Iterable[User] = (),
) -> Engagement:
    """Change a draft (new, or returned by the APCC). The label may narrow, never widen."""
    current = _lock(engagement)
    _require("engagements.manage_engagement", by, current)
    _check_status(
        current, Status.DRAFT, message=_("Only a draft can be changed. This one is %(status)s.")
    )
    _check_policy(current.policy, by, "change an engagement")
    if label not in Label.values:
        raise ValidationError({"label": _("Choose a handling label")})
    if is_wider(label, current.label):
        raise ValidationError(
            {
                "label": _(
                    "To share the engagement more widely than %(label)s, release it to a wider "
                    "label"
                )
                % {"label": current.get_label_display()}
            }
        )
    current.kind = kind
    current.title = _text(title)
    current.body = _text(body)
    current.opens_on = opens_on  # type: ignore[assignment]
    current.response_deadline = response_deadline
    current.rationale = _text(rationale)
    current.effective_date = effective_date
    current.asks_response = bool(asks_response)
    current.asks_dissemination = bool(asks_dissemination)
    current.asks_implementation_support = bool(asks_implementation_support)
    current.share_responses = bool(share_responses)
    current.label = label
    people = _validate_engagement(current, recipients)
    _save(current, by, list(ENGAGEMENT_FIELDS))
    current.recipients.set(people)
    return _refresh(engagement, current)


# Questions ------------------------------------------------------------------------------


def _question_engagement(engagement: Engagement, by: User, attempt: str) -> Engagement:
    current = _lock(engagement)
    _require("engagements.manage_engagement", by, current)
    _check_status(
        current,
        Status.DRAFT,
        message=_(
            "Questions can only be changed while the engagement is a draft. It is %(status)s."
        ),
    )
    _check_policy(current.policy, by, attempt)
    return current


def _question_fields(text: str, kind: str) -> tuple[str, str]:
    text = _required(text, "text", _("Enter the question"))
    if kind not in QuestionKind.values:
        raise ValidationError({"kind": _("Choose how the question is answered")})
    return text, kind


@records_refusals
def question_add(*, engagement: Engagement, by: User, text: str, kind: str) -> Question:
    """Add a question at the end of a draft's questions."""
    current = _question_engagement(engagement, by, "add a question")
    text, kind = _question_fields(text, kind)
    last = current.questions.aggregate(last=Max("number"))["last"] or 0
    question = Question(engagement=current, number=last + 1, text=text, kind=kind)
    _save(question, by)
    return question


@records_refusals
def question_update(*, question: Question, by: User, text: str, kind: str) -> Question:
    _question_engagement(question.engagement, by, "change a question")
    question.text, question.kind = _question_fields(text, kind)
    _save(question, by, ["text", "kind"])
    return question


@records_refusals
def question_remove(*, question: Question, by: User) -> None:
    """Remove a question from a draft; the ones after it move up. History keeps it."""
    current = _question_engagement(question.engagement, by, "remove a question")
    number = question.number
    question._history_user = by  # type: ignore[attr-defined]
    question.delete()
    for later in current.questions.filter(number__gt=number).order_by("number"):
        later.number -= 1
        _save(later, by, ["number"])


@records_refusals
def question_move(*, question: Question, by: User, direction: str) -> Question:
    """Swap a draft's question with the one above ("up") or below ("down")."""
    current = _question_engagement(question.engagement, by, "move a question")
    if direction not in ("up", "down"):
        raise ValidationError(_("Choose to move the question up or down"))
    step = -1 if direction == "up" else 1
    other = current.questions.filter(number=question.number + step).first()
    if other is None:
        raise ValidationError(
            _("This question is already first.")
            if direction == "up"
            else _("This question is already last.")
        )
    mine, theirs = question.number, other.number
    question.number = 0  # out of the way of the unique (engagement, number) constraint
    question._history_user = by  # type: ignore[attr-defined]
    question.save(update_fields=["number"])
    other.number = mine
    _save(other, by, ["number"])
    question.number = theirs
    _save(question, by, ["number"])
    return question


# Routing --------------------------------------------------------------------------------


@records_refusals
def engagement_route(
    *, engagement: Engagement, by: User, route: str, groups: Iterable[StandingGroup] = ()
) -> Engagement:
    """The lead sends a draft for routing: to standing groups, to all policing bodies (once the
    APCC has agreed), or to APACE. It waits for the APCC to confirm."""
    current = _lock(engagement)
    _require("engagements.manage_engagement", by, current)
    _check_status(
        current,
        Status.DRAFT,
        message=_("Only a draft can be sent for routing. This one is %(status)s."),
    )
    _check_policy(current.policy, by, "route an engagement")
    _check_kind_fits_stage(current.kind, current.policy)
    groups = list(groups)
    if route not in Route.values:
        raise ValidationError({"route": _("Choose who the engagement goes to")})
    if route == Route.STANDING_GROUPS and not groups:
        raise ValidationError({"groups": _("Choose at least one standing group")})
    if route != Route.STANDING_GROUPS:
        groups = []
    if (
        route == Route.ALL_BODIES
        and not current.wider_route_requests.filter(decision=Decision.AGREED).exists()
    ):
        raise ValidationError(
            {
                "route": _(
                    "You can only engage all policing bodies once the APCC has been consulted "
                    "and agreed. Ask the APCC first"
                )
            }
        )
    if current.kind == Kind.PRIORITIES and not current.national_priorities.exists():
        raise ValidationError(
            _("Add at least one national priority before sending the priorities update.")
        )
    if current.response_deadline and current.response_deadline < timezone.localdate():
        raise ValidationError(
            _("The response deadline has passed. Change it before sending the engagement.")
        )
    if current.label == Label.RED:
        named = list(current.recipients.all())
        if not named:
            raise ValidationError(_("Name the recipients of this TLP:RED engagement first."))
        reached = set(
            _audience_members(route, groups)
            .filter(user__in=named)
            .values_list("user_id", flat=True)
        )
        if outside := [person.email for person in named if person.pk not in reached]:
            raise ValidationError(
                {
                    "route": _(
                        "Everyone named on a TLP:RED engagement must be in its audience or the "
                        "APCC. Not reached by this route: %(emails)s"
                    )
                    % {"emails": ", ".join(sorted(outside))}
                }
            )
    current.route = route
    current.status = Status.AWAITING_APCC
    current.routed_at = timezone.now()
    current.routed_by = by
    _save(current, by, ["route", "status", "routed_at", "routed_by"])
    current.routed_groups.set(groups)
    return _refresh(engagement, current)


@records_refusals
def wider_route_request(*, engagement: Engagement, by: User, request: str) -> WiderRouteRequest:
    """The lead consults the APCC on engaging all policing bodies, saying why."""
    current = _lock(engagement)
    _require("engagements.manage_engagement", by, current)
    _check_status(
        current,
        Status.DRAFT,
        message=_("You can only consult the APCC on a draft. This engagement is %(status)s."),
    )
    _check_policy(current.policy, by, "ask to engage all policing bodies")
    text = _required(request, "request", _("Explain why you want to engage all policing bodies"))
    existing = set(current.wider_route_requests.values_list("decision", flat=True))
    if Decision.PENDING in existing:
        raise ValidationError(_("The APCC has not answered your last request yet."))
    if Decision.AGREED in existing:
        raise ValidationError(_("The APCC has already agreed to engaging all policing bodies."))
    wider = WiderRouteRequest(engagement=current, request=text, requested_by=by)
    _save(wider, by)
    return wider


@records_refusals
def wider_route_decide(
    *, wider_request: WiderRouteRequest, by: User, decision: str, advice: str
) -> WiderRouteRequest:
    """The APCC secretariat agrees or declines, with its advice on how to engage."""
    _require("engagements.act_as_apcc", by)
    current = WiderRouteRequest.objects.select_for_update().get(pk=wider_request.pk)
    engagement = Engagement.objects.select_related("policy", "owner").get(pk=current.engagement_id)
    if current.decision != Decision.PENDING:
        raise ValidationError(_("This request has already been answered."))
    if decision not in (Decision.AGREED, Decision.DECLINED):
        raise ValidationError({"decision": _("Choose whether the APCC agrees")})
    advice = _required(advice, "advice", _("Give the APCC's advice on how to engage"))
    if decision == Decision.AGREED:
        _check_policy(engagement.policy, by, "agree to engage all policing bodies")
    current.decision = decision
    current.advice = advice
    current.decided_by = by
    current.decided_at = timezone.now()
    _save(current, by, ["decision", "advice", "decided_by", "decided_at"])
    for field in ("decision", "advice", "decided_by_id", "decided_at"):
        setattr(wider_request, field, getattr(current, field))
    return current


@records_refusals
def engagement_confirm_routing(*, engagement: Engagement, by: User) -> Engagement:
    """The APCC secretariat confirms the route: the engagement opens to its audience, and the
    policy's stage at this moment is kept with it."""
    current = _lock(engagement)
    _require("engagements.act_as_apcc", by, current)
    _check_status(
        current,
        Status.AWAITING_APCC,
        message=_("Only an engagement awaiting the APCC can be confirmed. This one is %(status)s."),
    )
    _check_policy(current.policy, by, "confirm routing")
    if (
        current.route == Route.ALL_BODIES
        and not current.wider_route_requests.filter(decision=Decision.AGREED).exists()
    ):
        raise ValidationError(_("Engaging all policing bodies has not been agreed."))
    now = timezone.now()
    current.status = Status.OPEN
    current.opened_at = now
    current.stage_at_opening = current.policy.stage
    current.confirmed_at = now
    current.confirmed_by = by
    _save(current, by, ["status", "opened_at", "stage_at_opening", "confirmed_at", "confirmed_by"])
    notify_engagement_opened(current)
    return _refresh(engagement, current)


@records_refusals
def engagement_return(*, engagement: Engagement, by: User, advice: str) -> Engagement:
    """The APCC secretariat sends the engagement back to the lead, with advice."""
    current = _lock(engagement)
    _require("engagements.act_as_apcc", by, current)
    _check_status(
        current,
        Status.AWAITING_APCC,
        message=_("Only an engagement awaiting the APCC can be returned. This one is %(status)s."),
    )
    check_not_screened_out(current.policy, by, "return an engagement")
    current.apcc_advice = _required(
        advice, "advice", _("Give your advice to the policy lead: why it is coming back")
    )
    current.status = Status.DRAFT
    current.returned_at = timezone.now()
    current.returned_by = by
    _save(current, by, ["apcc_advice", "status", "returned_at", "returned_by"])
    return _refresh(engagement, current)


@transaction.atomic
def engagement_close(*, engagement: Engagement, by: User) -> Engagement:
    """The lead closes an open engagement. Its audience still sees it, marked closed."""
    current = _lock(engagement)
    _require("engagements.manage_engagement", by, current)
    _check_status(
        current,
        Status.OPEN,
        message=_("Only an open engagement can be closed. This one is %(status)s."),
    )
    current.status = Status.CLOSED
    current.closed_at = timezone.now()
    _save(current, by, ["status", "closed_at"])
    return _refresh(engagement, current)


# The history's change reason holds at most 100 characters.
SHARE_REASON_MAX = 100


@records_refusals
def engagement_share_responses(*, engagement: Engagement, by: User, reason: str) -> Engagement:
    """The lead shares submitted responses with every body the engagement is addressed to,
    once it has been sent. Sharing widens who reads the responses, so, like a release, it is
    kept with why (in the engagement's history) and cannot be taken back: what the other
    bodies have read cannot be recalled. Drafts set it on the engagement form instead."""
    current = _lock(engagement)
    _require("engagements.manage_engagement", by, current)
    _check_status(
        current,
        Status.OPEN,
        Status.CLOSED,
        message=_(
            "Responses can be shared from here once the engagement is open. It is %(status)s."
        ),
    )
    check_not_screened_out(current.policy, by, "share responses")
    if not current.asks_response:
        raise ValidationError(_("This engagement does not ask for a response."))
    if current.share_responses:
        raise ValidationError(_("Responses are already shared with the bodies addressed."))
    reason = _required(reason, "reason", _("Say why you are sharing the responses"))
    if len(reason) > SHARE_REASON_MAX:
        raise ValidationError(
            {
                "reason": _("Keep the reason to %(max)s characters or fewer")
                % {"max": SHARE_REASON_MAX}
            }
        )
    current.share_responses = True
    current._change_reason = reason  # type: ignore[attr-defined]
    _save(current, by, ["share_responses"])
    return _refresh(engagement, current)


@transaction.atomic
def engagements_close_for_screened_out_policy(
    *, policy: Policy, by: User, at: datetime
) -> list[Engagement]:
    """Close every engagement on `policy` that is awaiting the APCC or open: the policy has
    just been screened out (protocol principle 2), so nothing on it may go ahead or stay
    live. Each keeps a history record by `by`, with the reason. `policy_screen` calls this
    in its own transaction, having checked that `by` may triage the policy.

    Drafts stay drafts: only the owning organisation sees them, and every step that would
    move one on is refused while the policy is screened out. No `full_clean` here: the
    screen must never fail because of an engagement's other fields."""
    live = list(
        Engagement.objects.select_for_update(of=("self",))
        .filter(policy=policy, status__in=(Status.AWAITING_APCC, Status.OPEN))
        .order_by("pk")
    )
    for engagement in live:
        engagement.status = Status.CLOSED
        engagement.closed_at = at
        engagement._history_user = by  # type: ignore[attr-defined]
        engagement._change_reason = "Closed: the policy was screened out"  # type: ignore[attr-defined]
        engagement.save(update_fields=["status", "closed_at"])
    return live


# Notifications --------------------------------------------------------------------------


def notify_engagement_opened(engagement: Engagement) -> int:
    """Email everyone the engagement has just reached, one email each: who it is from and a
    link, never its title or content (they may be labelled), so an email read elsewhere gives
    nothing away. Who it reached is decided by `visible_to`, person by person, so TLP:RED
    reaches named recipients only. The emails are tasks enqueued in the caller's transaction:
    with the database task backend they go only if the opening commits. Returns how many."""
    groups = list(engagement.routed_groups.all())
    candidates = (
        User.objects.filter(
            is_active=True,
            memberships__in=_audience_members(engagement.route, groups, with_apcc=False),
        )
        .distinct()
        .order_by("pk")
    )
    reached = [
        person
        for person in candidates
        if Engagement.objects.visible_to(person).filter(pk=engagement.pk).exists()
    ]
    link = absolute(reverse("engagements:detail", args=[engagement.public_id]))
    for person in reached:
        send_email.enqueue(
            key=f"engagement-opened:{engagement.public_id}:{person.pk}",
            subject=_("New engagement from %(owner)s on Engage") % {"owner": engagement.owner},
            body=_(
                "%(owner)s has opened an engagement that reaches you on Engage, through the "
                "APCC.\n\nSign in to read it, see what is asked and by when: %(link)s\n\n"
                "This email leaves out the engagement's title and content: they may carry a "
                "handling label."
            )
            % {"owner": engagement.owner, "link": link},
            to=[person.email],
        )
    return len(reached)


# Handling labels ------------------------------------------------------------------------


@records_refusals
def label_release(
    *,
    by: User,
    to_label: str,
    reason: str,
    for_whom: str,
    engagement: Engagement | None = None,
    document=None,
) -> LabelRelease:
    """Release an engagement or a document to a wider handling label. Only a policy lead of the
    owning organisation may; the release records who, when, why and for whom."""
    if (engagement is None) == (document is None):
        raise ValueError("Release either an engagement or a document.")
    item: Any
    if engagement is not None:
        item = _lock(engagement)
        owning = item
    else:
        item = type(document).objects.select_for_update().get(pk=document.pk)
        owning = Engagement.objects.select_related("policy", "owner").get(pk=item.engagement_id)
    _require("engagements.manage_engagement", by, owning)
    if to_label not in Label.values:
        raise ValidationError({"to_label": _("Choose the label to release it to")})
    if not is_wider(to_label, item.label):
        raise ValidationError(
            {
                "to_label": _(
                    "Choose a label wider than %(label)s. Narrowing a label is not a release: "
                    "change the draft instead"
                )
                % {"label": item.get_label_display()}
            }
        )
    if document is not None and is_wider(to_label, owning.label):
        raise ValidationError(
            {
                "to_label": _(
                    "A document cannot be wider than its engagement (%(label)s). "
                    "Release the engagement first"
                )
                % {"label": owning.get_label_display()}
            }
        )
    reason = _required(reason, "reason", _("Explain why you are releasing it"))
    for_whom = _required(for_whom, "for_whom", _("Say who it is being released for"))
    _check_policy(owning.policy, by, "release to a wider label")
    release = LabelRelease(
        engagement=item if engagement is not None else None,
        document=item if document is not None else None,
        from_label=item.label,
        to_label=to_label,
        reason=reason,
        for_whom=for_whom,
        released_by=by,
    )
    release.full_clean()
    item.label = to_label
    _save(item, by, ["label"])
    release.save()
    (engagement if engagement is not None else document).label = to_label
    return release


def wider_labels(label: str) -> list[str]:
    """The labels an item at `label` may be released to."""
    return [value for value in WIDENING_ORDER if is_wider(value, label)]


def narrower_or_same_labels(label: str) -> list[str]:
    """The labels a draft at `label` may be changed to without a release."""
    return [value for value in WIDENING_ORDER if not is_wider(value, label)]


# National priorities --------------------------------------------------------------------


@records_refusals
def national_priority_add(
    *,
    engagement: Engagement,
    by: User,
    title: str,
    source: str,
    period_start: date | None,
    supporting_information: str,
    period_end: date | None = None,
    themes: Iterable[PriorityTheme] = (),
) -> NationalPriority:
    """Add a ministerial or Criminal Justice Board priority to a draft priorities update."""
    current = _lock(engagement)
    _require("engagements.manage_engagement", by, current)
    if current.kind != Kind.PRIORITIES:
        raise ValidationError(_("National priorities are published in a priorities update."))
    _check_status(
        current,
        Status.DRAFT,
        message=_("Priorities can only be added while the update is a draft. It is %(status)s."),
    )
    _check_policy(current.policy, by, "add a national priority")
    title = _required(title, "title", _("Enter the priority"))
    if source not in PrioritySource.values:
        raise ValidationError({"source": _("Choose whether it is a ministerial or Board priority")})
    supporting_information = _required(
        supporting_information,
        "supporting_information",
        _("Enter the supporting information for the priority"),
    )
    if period_start is None:
        raise ValidationError({"period_start": _("Enter the date the priority applies from")})
    priority = NationalPriority(
        engagement=current,
        title=title,
        source=source,
        period_start=period_start,
        period_end=period_end,
        supporting_information=supporting_information,
    )
    _save(priority, by)
    priority.themes.set(list(themes))
    return priority


@records_refusals
def national_priority_remove(*, priority: NationalPriority, by: User) -> None:
    """Take a priority out of a draft priorities update. History keeps it."""
    current = _lock(priority.engagement)
    _require("engagements.manage_engagement", by, current)
    _check_status(
        current,
        Status.DRAFT,
        message=_("Priorities can only be removed while the update is a draft. It is %(status)s."),
    )
    _check_policy(current.policy, by, "remove a national priority")
    priority._history_user = by  # type: ignore[attr-defined]
    priority.delete()
