"""Writes for collective views: drafting from the submitted responses, saving (with a
revision check), refreshing the sources, sending for sign-off, signing off or sending back,
and submitting to the policy lead.

Every function is keyword-only and atomic. It checks who is acting (PermissionDenied, through
`rules.py`), that they read the view (`visible_to`), then the state (the `*_check` functions,
which pages ask before offering an action, in the same words) and the input (ValidationError
keyed by form field where there is one), and attributes history records to the person acting.

Decisions (docs/architecture.md, "Collective views"):
- A view draws on submitted response versions only, never a working copy: the sources are
  `ResponseVersion` rows, the latest of each body when drafted or refreshed. No submitted
  response, no view.
- Every save bumps the revision; a save from an older revision is refused (`CONFLICT`).
- Sign-off is per routed standing group and counts for the revision it was given on: an edit
  after it voids it. Sending back (with comments) returns the view to draft. With no routed
  group (the all-bodies route) the secretariat submits without sign-off.
- Sending for sign-off and submitting each freeze a `CollectiveViewVersion`.
"""

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from engage.accounts.models import User
from engage.core.services import lock, refresh, require_permission, save
from engage.engagements.models import LIVE, Engagement, Route, Stance

from . import content, selectors
from .models import (
    CollectiveView,
    CollectiveViewVersion,
    SignOff,
    SignOffState,
    VersionEvent,
    ViewStatus,
)
from .notification import (
    notify_collective_ready,
    notify_collective_sent_back,
    notify_collective_submitted,
)

MAX_TEXT = 20_000
DRAFT = selectors.DRAFT
SIGN_OFF = selectors.SIGN_OFF

CONFLICT = gettext_lazy(
    "Someone else saved this collective view after you opened it. Your changes have not been "
    "saved: what they changed is shown below, and the form keeps what you typed."
)
STALE = gettext_lazy(
    "The collective view has changed since you opened it. Read the latest text, then try again."
)


def point_field(number: int) -> str:
    return f"point_{number}"


def variation_field(body_id: int) -> str:
    return f"variation_{body_id}"


# Checks (pages ask them before offering an action; services again on the locked row) --------


def collective_view_start_check(engagement: Engagement) -> None:
    if engagement.route not in (Route.STANDING_GROUPS, Route.ALL_BODIES):
        raise ValidationError(
            _(
                "A collective view is drawn up for engagements routed to standing groups or to "
                "all policing bodies."
            )
        )
    if not engagement.asks_response or engagement.status not in LIVE:
        raise ValidationError(
            _("A collective view is drawn from responses: this engagement has taken none.")
        )
    if CollectiveView.objects.filter(engagement=engagement).exists():
        raise ValidationError(_("This engagement already has a collective view."))
    if not selectors.latest_versions(engagement).exists():
        raise ValidationError(
            _(
                "No body has submitted a response yet. A collective view is drawn from "
                "submitted responses only, never from drafts."
            )
        )


def collective_view_edit_check(view: CollectiveView) -> None:
    if view.status == ViewStatus.SUBMITTED:
        raise ValidationError(
            _(
                "This collective view has been submitted to the policy lead and can no "
                "longer change."
            )
        )


def collective_view_send_check(view: CollectiveView, group_count: int) -> None:
    if group_count == 0:
        raise ValidationError(
            _(
                "This engagement went to all policing bodies, not to standing groups: there is "
                "no group lead to sign off. Submit the view to the policy lead yourself."
            )
        )
    if view.status != ViewStatus.DRAFT:
        raise ValidationError(_("Only a draft can be sent to the group leads for sign-off."))


def sign_off_check(view: CollectiveView) -> None:
    if view.status != ViewStatus.WITH_LEADS:
        raise ValidationError(
            _("The collective view is not waiting for sign-off. It is %(status)s.")
            % {"status": view.get_status_display().lower()}
        )


def collective_view_submit_check(view: CollectiveView, sign_offs: list[SignOff]) -> None:
    collective_view_edit_check(view)
    if not view.summary.strip() or not view.position_text.strip():
        raise ValidationError(_("Write the summary and the collective position before submitting."))
    if not sign_offs:
        return  # the all-bodies route: no group lead to sign off
    if view.status != ViewStatus.WITH_LEADS:
        raise ValidationError(
            _("Send the view to the group leads for sign-off before submitting it.")
        )
    waiting = [s.group.name for s in sign_offs if not s.is_current(view)]
    if waiting:
        raise ValidationError(
            _("Every group lead must sign off the current text first. Still to sign: %(groups)s.")
            % {"groups": ", ".join(waiting)}
        )


def _check_revision(view: CollectiveView, revision, message=CONFLICT) -> None:
    try:
        current = int(revision) == view.revision
    except (TypeError, ValueError):
        current = False
    if not current:
        raise ValidationError(message, code="conflict")


def _check_visible(view: CollectiveView, by: User) -> None:
    if not CollectiveView.objects.visible_to(by).filter(pk=view.pk).exists():
        raise PermissionDenied


def _check_drafter(view: CollectiveView, by: User) -> None:
    require_permission(DRAFT, by)
    if not CollectiveView.objects.drafts_visible_to(by).filter(pk=view.pk).exists():
        raise PermissionDenied


def _text(value: str | None, field: str, errors: dict) -> str:
    text = (value or "").strip()
    if len(text) > MAX_TEXT:
        errors[field] = _("Keep this to %(max)s characters or fewer") % {"max": f"{MAX_TEXT:,}"}
    return text


def _freeze(view: CollectiveView, by: User, event: str) -> CollectiveViewVersion:
    sources = selectors.sources_of(view)
    sign_offs = selectors.sign_offs_for(view)
    view.version_count += 1
    return CollectiveViewVersion.objects.create(
        view=view,
        number=view.version_count,
        event=event,
        revision=view.revision,
        content=content.view_content(view, sources, sign_offs),
        created_by=by,
    )


def _variation_of(version) -> dict:
    return {
        "body_id": version.response.body_id,
        "body": version.response.body.organisation.name,
        "text": version.content.get("local_variations", ""),
    }


# Drafting -------------------------------------------------------------------------------


def collective_view_start(*, engagement: Engagement, by: User) -> CollectiveView:
    """Draft the engagement's collective view from the latest submitted version of each
    body's response: points per question (empty), each body's local variations."""
    require_permission(DRAFT, by)
    if not Engagement.objects.readable_by(by).filter(pk=engagement.pk).exists():
        raise PermissionDenied
    try:
        with transaction.atomic():
            collective_view_start_check(engagement)
            versions = list(selectors.latest_versions(engagement))
            view = CollectiveView(
                engagement=engagement,
                points=[
                    {"number": q.number, "question": q.text, "kind": q.kind, "text": ""}
                    for q in engagement.questions.all()
                ],
                variations=[_variation_of(v) for v in versions],
                created_by=by,
                updated_by=by,
            )
            view._change_reason = "Drafted from the submitted responses"  # type: ignore[attr-defined]
            save(view, by, clean=False)
            view.sources.set(versions)
            groups = list(engagement.routed_groups.all())
            for group in groups:
                sign_off = SignOff(view=view, group=group)
                save(sign_off, by, clean=False)
    except IntegrityError:  # a colleague started it a moment ago
        raise ValidationError(_("This engagement already has a collective view.")) from None
    return view


@transaction.atomic
def collective_view_save(
    *,
    view: CollectiveView,
    by: User,
    revision: int | None,
    summary: str = "",
    position: str = "",
    position_text: str = "",
    points: Mapping[int, str] | None = None,
    variations: Mapping[int, str] | None = None,
) -> CollectiveView:
    """Save the draft's text: `points` by question number, `variations` by body id. Nothing
    is saved if anything is wrong, or if someone saved since `revision` was read."""
    current = lock(view, "engagement")
    _check_drafter(current, by)
    collective_view_edit_check(current)
    _check_revision(current, revision)
    points = points or {}
    variations = variations or {}
    errors: dict[str, str] = {}
    cleaned = {
        "summary": _text(summary, "summary", errors),
        "position_text": _text(position_text, "position_text", errors),
    }
    position = (position or "").strip()
    if position and position not in Stance.values:
        errors["position"] = _("Choose a stance from the list")
    new_points = [
        {**p, "text": _text(points.get(p["number"], ""), point_field(p["number"]), errors)}
        for p in current.points
    ]
    new_variations = [
        {
            **v,
            "text": _text(variations.get(v["body_id"], ""), variation_field(v["body_id"]), errors),
        }
        for v in current.variations
    ]
    if errors:
        raise ValidationError(errors)
    changed = (
        cleaned["summary"] != current.summary
        or cleaned["position_text"] != current.position_text
        or position != current.position
        or new_points != current.points
        or new_variations != current.variations
    )
    if not changed:
        return refresh(view, current)
    current.summary = cleaned["summary"]
    current.position_text = cleaned["position_text"]
    current.position = position
    current.points = new_points
    current.variations = new_variations
    current.revision += 1  # voids any sign-off given on the text before
    current.updated_by = by
    save(
        current,
        by,
        ["summary", "position", "position_text", "points", "variations", "revision", "updated_by"],
        updated_at=timezone.now(),
        clean=False,
    )
    return refresh(view, current)


@transaction.atomic
def collective_view_refresh_sources(*, view: CollectiveView, by: User, revision) -> int:
    """Draw on the latest submitted version of every body's response, newer ones and new
    bodies included; a body's variations text is replaced only where the secretariat had not
    edited it. Returns how many sources changed."""
    current = lock(view, "engagement")
    _check_drafter(current, by)
    collective_view_edit_check(current)
    _check_revision(current, revision, STALE)
    old = {v.response_id: v for v in selectors.sources_of(current)}
    latest = list(selectors.latest_versions(current.engagement))
    changed = [v for v in latest if old.get(v.response_id) != v]
    if not changed:
        raise ValidationError(_("The view already draws on the latest submitted responses."))
    by_body = {entry["body_id"]: entry for entry in current.variations}
    for version in changed:
        fresh = _variation_of(version)
        entry = by_body.get(fresh["body_id"])
        previous = old.get(version.response_id)
        if entry is None:
            by_body[fresh["body_id"]] = fresh
        elif previous is not None and entry["text"] == previous.content.get("local_variations", ""):
            entry["text"] = fresh["text"]
    current.variations = sorted(by_body.values(), key=lambda entry: entry["body"])
    current.sources.set(latest)
    current.revision += 1
    current.updated_by = by
    current.sources_refreshed_at = timezone.now()
    # The history's change reason holds 100 characters: the bodies are listed as far as fit.
    current._change_reason = Truncator(  # type: ignore[attr-defined]
        "Sources refreshed: "
        + ", ".join(f"{v.response.body.organisation.name} version {v.number}" for v in changed)
    ).chars(100)
    save(
        current,
        by,
        ["variations", "revision", "updated_by", "sources_refreshed_at"],
        updated_at=timezone.now(),
        clean=False,
    )
    refresh(view, current)
    return len(changed)


# Sign-off and submission -------------------------------------------------------------------


@transaction.atomic
def collective_view_send(*, view: CollectiveView, by: User, revision) -> CollectiveViewVersion:
    """Send the draft to the routed groups' leads: each sign-off not given on this text waits
    again; the text sent is frozen as a version."""
    current = lock(view, "engagement")
    _check_drafter(current, by)
    sign_offs = selectors.sign_offs_for(current)
    collective_view_send_check(current, len(sign_offs))
    _check_revision(current, revision, STALE)
    for sign_off in sign_offs:
        if not sign_off.is_current(current):
            sign_off.state = SignOffState.PENDING
            sign_off.revision = None
            save(sign_off, by, ["state", "revision"], clean=False)
    current.status = ViewStatus.WITH_LEADS
    version = _freeze(current, by, VersionEvent.SENT)
    save(current, by, ["status", "version_count"], clean=False)
    notify_collective_ready(current, by)
    refresh(view, current)
    return version


@transaction.atomic
def collective_view_sign(
    *, view: CollectiveView, group_slug: str, by: User, revision, signed: bool, comments: str = ""
) -> SignOff:
    """The group's lead signs off the text at `revision`, or sends it back with comments
    (the view returns to draft)."""
    current = lock(view, "engagement")
    _check_visible(current, by)
    sign_off = selectors.get_sign_off_for_user(by, current, group_slug)
    sign_off_check(current)
    _check_revision(current, revision, STALE)
    comments = (comments or "").strip()
    if not signed and not comments:
        raise ValidationError(
            {"comments": _("Say what should change: the secretariat will read your comments")}
        )
    if len(comments) > MAX_TEXT:
        raise ValidationError({"comments": _("Keep your comments shorter")})
    sign_off.state = SignOffState.SIGNED if signed else SignOffState.RETURNED
    sign_off.revision = current.revision
    sign_off.comments = comments
    sign_off.decided_by = by
    sign_off.decided_at = timezone.now()
    save(sign_off, by, ["state", "revision", "comments", "decided_by", "decided_at"], clean=False)
    if not signed:
        current.status = ViewStatus.DRAFT
        current._change_reason = f"Sent back by the lead of {sign_off.group.name}"  # type: ignore[attr-defined]
        save(current, by, ["status"], clean=False)
        notify_collective_sent_back(current, by, sign_off.group.name)
        refresh(view, current)
    return sign_off


@transaction.atomic
def collective_view_submit(*, view: CollectiveView, by: User, revision) -> CollectiveViewVersion:
    """Submit the view to the policy lead, as signed off; frozen as a version."""
    current = lock(view, "engagement")
    _check_drafter(current, by)
    _check_revision(current, revision, STALE)
    collective_view_submit_check(current, selectors.sign_offs_for(current))
    now = timezone.now()
    current.status = ViewStatus.SUBMITTED
    current.submitted_by = by
    current.submitted_at = now
    version = _freeze(current, by, VersionEvent.SUBMITTED)
    save(current, by, ["status", "submitted_by", "submitted_at", "version_count"], clean=False)
    notify_collective_submitted(current, by)
    refresh(view, current)
    return version
