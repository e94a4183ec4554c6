"""Outcome pages: read it, record or correct it, publish it. Thin: the engagement is looked up
with the access decider (`get_engagement_for_user`: 404 for those who do not see it, 403 for
those who see it but may not record its outcome), the outcome through its own `readable_on`,
and every other refusal is the service's, shown on the page. Every view of an outcome (a
labelled item: it carries its engagement's label) is logged."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from engage.audit.models import AccessAction
from engage.audit.services import access_record_request
from engage.collective.selectors import submitted_view_for
from engage.core.forms import apply_errors
from engage.core.types import AuthedRequest
from engage.engagements.models import Engagement
from engage.engagements.navigation import engagement_crumbs
from engage.engagements.selectors import get_engagement_for_user
from engage.engagements.services import PolicyRefused

from . import selectors, services
from .forms import OutcomeForm
from .models import Outcome

GET_POST = require_http_methods(["GET", "POST"])
OBJECT_TYPE = "outcome"


def _log_view(request: AuthedRequest, engagement: Engagement, detail: str = "") -> None:
    """Logged by the engagement's public id: one outcome per engagement, and the form is
    logged before an outcome exists (it shows the engagement's questions)."""
    access_record_request(
        request,
        action=AccessAction.VIEW,
        object_type=OBJECT_TYPE,
        object_id=str(engagement.public_id),
        label=engagement.label,
        detail=detail,
        confidential_to=engagement.policy.log_confidential_to,
    )


def _refuse(request: AuthedRequest, engagement: Engagement, exc: ValidationError) -> HttpResponse:
    """Say why on the engagement page. Nothing has changed."""
    for message in exc.messages:
        messages.error(request, message)
    return redirect("engagements:detail", public_id=engagement.public_id)


def _links(user, engagement: Engagement) -> dict:
    """Where the outcome's input is: the responses, and the APCC's submitted collective view
    when there is one this person reads (one query)."""
    collective = submitted_view_for(user, engagement)
    return {
        "responses_url": reverse("responses:engagement_responses", args=[engagement.public_id])
        if engagement.asks_response
        else "",
        "collective_view_url": reverse("collective:detail", args=[engagement.public_id])
        if collective is not None
        else "",
    }


def _crumbs(engagement: Engagement, *trail) -> list:
    if not trail:
        return engagement_crumbs(engagement, (_("Outcome"), None))
    outcome_url = reverse("outcomes:detail", args=[engagement.public_id])
    return engagement_crumbs(engagement, (_("Outcome"), outcome_url), *trail)


@login_required
@require_GET
def detail(request: AuthedRequest, public_id) -> HttpResponse:
    """The outcome, for everyone who reads it: its latest text, marked "updated on" after a
    correction; for the lead, its history and what to do next."""
    engagement = get_engagement_for_user(request.user, public_id, read=True)
    outcome = selectors.outcome_on(request.user, engagement)
    can_record = selectors.can_record(request.user, engagement)
    if outcome is None:
        if can_record:  # nothing recorded yet: the lead is taken to the form
            return redirect("outcomes:edit", public_id=engagement.public_id)
        raise Http404
    _log_view(request, engagement)
    return render(
        request,
        "outcomes/detail.html",
        {
            "engagement": engagement,
            "outcome": outcome,
            "points": selectors.points(outcome),
            "can_record": can_record,
            "history": selectors.corrections(outcome) if can_record else [],
            "breadcrumbs": _crumbs(engagement),
            **_links(request.user, engagement),
        },
    )


@login_required
@GET_POST
def edit(request: AuthedRequest, public_id) -> HttpResponse:
    """Record the outcome, change the draft, or correct the published outcome."""
    engagement = get_engagement_for_user(request.user, public_id, write=True, perm=selectors.RECORD)
    try:  # the service's own check, in its words: one refusal path
        services.outcome_record_check(engagement)
    except ValidationError as exc:
        return _refuse(request, engagement, exc)
    outcome = selectors.outcome_on(request.user, engagement)
    questions = list(engagement.questions.all())
    published = outcome is not None and outcome.is_published
    refusal: PolicyRefused | None = None
    if request.method == "POST":
        form = OutcomeForm(request.POST, questions=questions, published=published)
        if form.is_valid():
            before = outcome.revision if outcome is not None else 0
            try:
                saved = services.outcome_save(
                    engagement=engagement, by=request.user, **form.service_kwargs()
                )
            except PolicyRefused as exc:
                refusal = exc
            except ValidationError as exc:
                if _is_conflict(exc):  # show the latest copy; they make their changes again
                    outcome = selectors.outcome_on(request.user, engagement)
                    published = outcome is not None and outcome.is_published
                    latest = OutcomeForm.initial_from(outcome, selectors.points(outcome))
                    latest["reason"] = request.POST.get("reason", "")
                    form = OutcomeForm(latest, questions=questions, published=published)
                    form.is_valid()
                    form.add_error(None, exc)
                else:
                    apply_errors(form, exc)
            else:
                if saved.revision == before:
                    messages.info(request, _("You had not changed anything, so nothing was saved."))
                elif published:
                    messages.success(request, _("The published outcome has been corrected."))
                else:
                    messages.success(
                        request, _("The outcome has been saved. It is not published yet.")
                    )
                return redirect("outcomes:detail", public_id=engagement.public_id)
    else:
        form = _form_for(outcome, questions, published)
        _log_view(request, engagement, detail="form")
    return render(
        request,
        "outcomes/form.html",
        {
            "engagement": engagement,
            "outcome": outcome,
            "form": form,
            "published": published,
            "refusal": refusal,
            "breadcrumbs": _crumbs(engagement, (_("Correct") if published else _("Record"), None))
            if outcome is not None
            else engagement_crumbs(engagement, (_("Record the outcome"), None)),
            **_links(request.user, engagement),
        },
    )


@login_required
@GET_POST
def publish(request: AuthedRequest, public_id) -> HttpResponse:
    """Check the draft, then publish it to everyone who reads the engagement."""
    engagement = get_engagement_for_user(request.user, public_id, write=True, perm=selectors.RECORD)
    outcome = selectors.outcome_on(request.user, engagement)
    if outcome is None:
        messages.error(request, _("Record the outcome before you publish it."))
        return redirect("outcomes:edit", public_id=engagement.public_id)
    try:
        services.outcome_record_check(engagement)
        services.outcome_publish_check(outcome)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("outcomes:detail", public_id=engagement.public_id)
    refusal: PolicyRefused | None = None
    if request.method == "POST":
        try:
            services.outcome_publish(
                outcome=outcome, by=request.user, revision=request.POST.get("revision")
            )
        except PolicyRefused as exc:
            refusal = exc
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            return redirect("outcomes:detail", public_id=engagement.public_id)
        else:
            messages.success(
                request,
                _("The outcome is published. Everyone who reads the engagement can read it."),
            )
            return redirect("outcomes:detail", public_id=engagement.public_id)
    else:
        _log_view(request, engagement, detail="publish")
    return render(
        request,
        "outcomes/publish.html",
        {
            "engagement": engagement,
            "outcome": outcome,
            "points": selectors.points(outcome),
            "refusal": refusal,
            "breadcrumbs": _crumbs(engagement, (_("Publish"), None)),
        },
    )


def _form_for(outcome: Outcome | None, questions: list, published: bool) -> OutcomeForm:
    initial = OutcomeForm.initial_from(outcome, selectors.points(outcome))
    return OutcomeForm(initial=initial, questions=questions, published=published)


def _is_conflict(exc: ValidationError) -> bool:
    return not hasattr(exc, "error_dict") and any(
        error.code == "conflict" for error in exc.error_list
    )
