"""Response pages. Thin: reads through `selectors` (each starting from `visible_to`), writes
through `services`, whose ValidationErrors come back to the page on the form fields they name;
a refused action changes nothing.

Who reads what (DESIGN.md section 6): the responding body's members work on the working copy;
everyone else who may read a response reads its submitted versions only, never the working
copy. Every view of a response (a labelled item: it carries its engagement's label) is logged.
"""

from typing import cast

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from engage.accounts.models import Membership, Organisation
from engage.audit.models import AccessAction
from engage.audit.services import access_record_request
from engage.core.files import labelled_filename, secure
from engage.core.forms import apply_errors
from engage.core.pagination import paginate
from engage.core.types import AuthedRequest
from engage.directory.models import PolicingBody
from engage.engagements.access_log import log_engagement_view
from engage.engagements.models import Engagement, QuestionKind
from engage.engagements.navigation import engagement_crumbs
from engage.engagements.selectors import engagement_permissions, get_engagement_for_user

from . import exports, selectors, services
from .forms import DelegationForm, ResponseFilterForm, ResponseForm, SubmitForm
from .models import Response
from .rules import Submitting
from .selectors import get_response_for_user

GET_POST = require_http_methods(["GET", "POST"])
SUBMIT = "responses.submit_response"
OBJECT_TYPE = "response"


def _response_crumb(response: Response, link: bool = True) -> tuple[str, str | None]:
    text = _("Response from %(body)s") % {"body": response.body.organisation.name}
    return (text, reverse("responses:detail", args=[response.public_id]) if link else None)


def _is_conflict(exc: ValidationError) -> bool:
    return not hasattr(exc, "error_dict") and any(
        error.code == "conflict" for error in exc.error_list
    )


def _refused(request: AuthedRequest, engagement: Engagement, reason: str) -> HttpResponse:
    """The engagement takes no response from the organisation acted for: say why (403)."""
    access_record_request(
        request,
        action=AccessAction.REFUSED,
        object_type=OBJECT_TYPE,
        object_id=str(engagement.public_id),
        label=engagement.label,
        detail=reason,
        confidential_to=engagement.policy.log_confidential_to,
    )
    return render(
        request,
        "responses/refused.html",
        {
            "engagement": engagement,
            "reason": reason,
            "breadcrumbs": engagement_crumbs(engagement, (_("Respond"), None)),
        },
        status=403,
    )


def _error_links(exc: ValidationError, response: Response) -> list[tuple[str, str]]:
    """A service's errors for the error summary of the check page: each error on a field links
    to that field on the form where it is answered."""
    respond = reverse("responses:respond", args=[response.engagement.public_id])
    errors: list[tuple[str, str]] = []
    if hasattr(exc, "error_dict"):
        for field, field_errors in exc.error_dict.items():
            anchor = f"id_{field}_0" if field.startswith("stance_") else f"id_{field}"
            for error in field_errors:
                errors.extend((message, f"{respond}#{anchor}") for message in error.messages)
    else:
        errors.extend((message, "") for message in exc.messages)
    return errors


def _log_view(request: AuthedRequest, response: Response, detail: str = "") -> None:
    log_engagement_view(
        request,
        response.engagement,
        object_type=OBJECT_TYPE,
        object_id=str(response.public_id),
        detail=detail,
    )


# Drafting ---------------------------------------------------------------------------------


@login_required
@GET_POST
def respond(request: AuthedRequest, public_id) -> HttpResponse:
    """The working copy of the body the person acts for, to read and save as a draft."""
    engagement = get_engagement_for_user(request.user, public_id, read=True)
    membership = request.membership or None
    try:  # the service's own check, in its words: one refusal path
        body = services.response_addressed_check(engagement, membership, request.user)
    except ValidationError as exc:
        return _refused(request, engagement, " ".join(exc.messages))
    membership = cast(Membership, membership)  # the check refuses one who acts for no body
    response = selectors.body_response(request.user, engagement, body)
    if refusal := selectors.response_refusal(engagement):
        messages.error(request, refusal)
        if response is not None:
            return redirect("responses:detail", public_id=response.public_id)
        return redirect("engagements:detail", public_id=engagement.public_id)

    questions = list(engagement.questions.all())
    unsaved: list[tuple[str, str]] = []
    if request.method == "POST":
        form = ResponseForm(request.POST, questions=questions)
        if form.is_valid() and response is None and not form.has_content():
            form.add_error(None, _("There is nothing to save yet: answer a question first."))
        elif form.is_valid():
            kwargs = form.service_kwargs()
            try:
                with transaction.atomic():  # a first save that fails leaves no empty response
                    saved = response or services.response_start(
                        engagement=engagement, membership=membership, by=request.user
                    )
                    before = saved.revision
                    services.response_save_draft(response=saved, by=request.user, **kwargs)
            except ValidationError as exc:
                if not _is_conflict(exc):
                    apply_errors(form, exc)
                else:  # show the latest copy, and what they typed, so nothing is lost
                    response = selectors.body_response(request.user, engagement, body)
                    latest = ResponseForm.initial_from(response, questions)
                    unsaved = form.unsaved(latest)
                    form = ResponseForm(latest, questions=questions)
                    form.is_valid()
                    form.add_error(None, exc)
            else:
                if saved.revision == before:
                    messages.info(request, _("You had not changed anything, so nothing was saved."))
                else:
                    messages.success(request, _("Your draft response has been saved."))
                return redirect("responses:detail", public_id=saved.public_id)
    else:
        if response is not None:
            response.engagement = engagement  # loaded with its policy, for the log
            _log_view(request, response, detail="respond form")
        else:  # the form shows the engagement's questions: a view of the engagement
            log_engagement_view(request, engagement, detail="respond form")
        form = ResponseForm(
            initial=ResponseForm.initial_from(response, questions), questions=questions
        )
    return render(
        request,
        "responses/respond.html",
        {
            "engagement": engagement,
            "body": body,
            "organisation": membership.organisation,
            "response": response,
            "form": form,
            "unsaved": unsaved,
            "can_submit": rules.has_perm(SUBMIT, request.user, Submitting(body, engagement)),
            "breadcrumbs": engagement_crumbs(engagement, (_("Your response"), None)),
        },
    )


# Submitting -------------------------------------------------------------------------------


@login_required
@GET_POST
def submit(request: AuthedRequest, public_id) -> HttpResponse:
    """Check the working copy, then submit it as a new version."""
    response = get_response_for_user(request.user, public_id, write=True, perm=SUBMIT)
    engagement = response.engagement
    if refusal := selectors.response_refusal(engagement):
        messages.error(request, refusal)
        return redirect("responses:detail", public_id=response.public_id)
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        form = SubmitForm(request.POST)
        try:
            version = services.response_submit(
                response=response, by=request.user, revision=form.revision_value()
            )
        except ValidationError as exc:
            errors = _error_links(exc, response)
            response.refresh_from_db()  # the latest copy, if someone saved in between
        else:
            messages.success(
                request,
                _("Version %(number)s of the response from %(body)s has been submitted.")
                % {"number": version.number, "body": response.body.organisation.name},
            )
            return redirect("responses:detail", public_id=response.public_id)
    else:
        _log_view(request, response, detail="check before submitting")
    return render(
        request,
        "responses/submit.html",
        {
            "response": response,
            "engagement": engagement,
            "content": services.response_snapshot(response),
            "errors": errors,
            "unchanged": not response.has_something_to_submit,
            "breadcrumbs": engagement_crumbs(
                engagement, _response_crumb(response), (_("Check and submit"), None)
            ),
        },
    )


# Ready for the commissioner ---------------------------------------------------------------


@login_required
@GET_POST
def mark_ready(request: AuthedRequest, public_id) -> HttpResponse:
    """Confirm, then mark the body's draft ready for the commissioner (a member of the body:
    404 to those who do not see the response, 403 to those who see it from outside)."""
    response = get_response_for_user(request.user, public_id, write=True)
    try:  # the service's own check, in its words: one refusal path
        services.response_mark_ready_check(response, request.user, seen=True)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("responses:detail", public_id=response.public_id)
    if request.method == "POST":
        form = SubmitForm(request.POST)
        try:
            services.response_mark_ready(
                response=response, by=request.user, revision=form.revision_value()
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The draft is marked ready for the commissioner."))
        return redirect("responses:detail", public_id=response.public_id)
    _log_view(request, response, detail="mark ready for the commissioner")
    return render(
        request,
        "responses/mark_ready.html",
        {
            "response": response,
            "engagement": response.engagement,
            "breadcrumbs": engagement_crumbs(
                response.engagement,
                _response_crumb(response),
                (_("Ready for the commissioner"), None),
            ),
        },
    )


# Reading ----------------------------------------------------------------------------------


@login_required
@require_GET
def detail(request: AuthedRequest, public_id) -> HttpResponse:
    """The responding body: the working copy and its versions. Everyone else: the latest
    submitted version and the history, never the working copy."""
    response = get_response_for_user(request.user, public_id)
    engagement = response.engagement
    _log_view(request, response)
    own = selectors.is_own(request.user, response)
    history = selectors.versions(response)
    context = {
        "response": response,
        "engagement": engagement,
        "own": own,
        "versions": history,
        "breadcrumbs": engagement_crumbs(engagement, _response_crumb(response, link=False)),
    }
    if own:
        context.update(
            content=services.response_snapshot(response),
            updated_by=response.updated_by,
            refusal=selectors.response_refusal(engagement),
            can_submit=rules.has_perm(SUBMIT, request.user, response),
            can_mark_ready=selectors.may_mark_ready(request.user, response),
        )
    else:
        context["version"] = history[0]  # others see it only once submitted
    return render(request, "responses/detail.html", context)


@login_required
@require_GET
def version(request: AuthedRequest, public_id, number: int) -> HttpResponse:
    response = get_response_for_user(request.user, public_id)
    frozen = selectors.get_version(response, number)
    _log_view(request, response, detail=f"version {frozen.number}")
    return render(
        request,
        "responses/version.html",
        {
            "response": response,
            "engagement": response.engagement,
            "version": frozen,
            "latest": frozen.number == response.submitted_version,
            "breadcrumbs": engagement_crumbs(
                response.engagement,
                _response_crumb(response),
                (_("Version %(number)s") % {"number": frozen.number}, None),
            ),
        },
    )


@login_required
@require_GET
def engagement_responses(request: AuthedRequest, public_id) -> HttpResponse:
    """The submitted responses to an engagement the person may read, one row per body."""
    engagement = get_engagement_for_user(request.user, public_id, read=True)
    log_engagement_view(request, engagement, object_type="responses", detail="list")
    form = ResponseFilterForm(request.GET)
    filters = form.filters()
    stance_questions = [
        question for question in engagement.questions.all() if question.kind == QuestionKind.STANCE
    ]
    page_obj = paginate(
        request,
        selectors.submitted_responses(
            request.user, engagement, with_content=bool(stance_questions), **filters
        ),
    )
    # The owning organisation's leads and the APCC read every body's response: for them the
    # count is out of the bodies addressed. Others may read only some, so they get no total.
    permissions = engagement_permissions(request.user, engagement)
    addressed = (
        selectors.bodies_addressed(engagement) if permissions.manage or permissions.apcc else None
    )
    rows = []
    for response in page_obj:
        content = getattr(response, "latest_content", None) or {}
        stances = {
            answer.get("number"): answer.get("stance", "") for answer in content.get("answers", [])
        }
        rows.append(
            {
                "response": response,
                "stances": [stances.get(question.number, "") for question in stance_questions],
            }
        )
    return render(
        request,
        "responses/list.html",
        {
            "engagement": engagement,
            "form": form,
            "filtered": any(filters.values()),
            "page_obj": page_obj,
            "rows": rows,
            "stance_questions": stance_questions,
            "addressed": addressed,
            "asks_response": engagement.asks_response,
            "breadcrumbs": engagement_crumbs(engagement, (_("Responses"), None)),
        },
    )


@login_required
@require_GET
def engagement_responses_export(request: AuthedRequest, public_id) -> HttpResponseBase:
    """The same responses as the list (and the same filter) as a CSV file; logged."""
    engagement = get_engagement_for_user(request.user, public_id, read=True)
    form = ResponseFilterForm(request.GET)
    filters = form.filters()
    responses = selectors.submitted_responses(
        request.user, engagement, with_content=True, **filters
    )
    organisation = request.membership.organisation if request.membership else None
    data = exports.responses_csv(
        engagement=engagement,
        questions=list(engagement.questions.all()),
        responses=responses.iterator(chunk_size=200),
        recipient=request.user,
        organisation=organisation,
        at=timezone.now(),
    )
    access_record_request(
        request,
        action=AccessAction.EXPORT,
        object_type="responses",
        object_id=str(engagement.public_id),
        label=engagement.label,
        detail="CSV" + (f", {filters['timing']}" if filters.get("timing") else ""),
        confidential_to=engagement.policy.log_confidential_to,
    )
    response = HttpResponse(data, content_type="text/csv; charset=utf-8")
    filename = labelled_filename(f"{engagement.title} responses", engagement.label, "csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return secure(response)


# Delegations ------------------------------------------------------------------------------


def _acting_body(request: AuthedRequest) -> tuple[Organisation, PolicingBody]:
    """The organisation acted for and its policing body; 403 if it is not one."""
    membership = request.membership or None
    body = services.responding_body(membership)
    if body is None or membership is None:
        raise PermissionDenied
    return membership.organisation, body


@login_required
@GET_POST
def delegations(request: AuthedRequest) -> HttpResponse:
    """Who may submit the responses of the body the person acts for; its commissioner grants
    and withdraws the right, the other members read the list."""
    organisation, body = _acting_body(request)
    can_manage = rules.has_perm(selectors.MANAGE_DELEGATIONS, request.user, body)
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    form = None
    if can_manage:
        form = DelegationForm(
            request.POST or None, candidates=selectors.delegation_candidates(body)
        )
        if request.method == "POST" and form.is_valid():
            try:
                delegation = services.delegation_grant(
                    body=body, delegate=form.cleaned_data["delegate"], by=request.user
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("%(person)s can now submit responses for %(body)s.")
                    % {
                        "person": delegation.delegate.get_full_name(),
                        "body": organisation.name,
                    },
                )
                return redirect("responses:delegations")
    return render(
        request,
        "responses/delegations.html",
        {
            "body": body,
            "organisation": organisation,
            "commissioners": list(selectors.commissioners_of(body)),
            "delegations": list(selectors.delegations_for(request.user, body)),
            "can_manage": can_manage,
            "form": form,
            "has_candidates": bool(form and form.fields["delegate"].queryset.exists()),  # type: ignore[attr-defined]
            "breadcrumbs": engagement_crumbs(None, (_("Who can submit responses"), None)),
        },
    )


@login_required
@GET_POST
def delegation_withdraw(request: AuthedRequest, pk) -> HttpResponse:
    delegation = selectors.get_delegation_for_user(request.user, pk, write=True)
    if request.method == "POST":
        try:
            services.delegation_revoke(delegation=delegation, by=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("%(person)s can no longer submit responses for %(body)s.")
                % {
                    "person": delegation.delegate.get_full_name(),
                    "body": delegation.body.organisation.name,
                },
            )
        return redirect("responses:delegations")
    return render(
        request,
        "responses/delegation_withdraw.html",
        {
            "delegation": delegation,
            "breadcrumbs": engagement_crumbs(
                None,
                (_("Who can submit responses"), reverse("responses:delegations")),
                (_("Withdraw"), None),
            ),
        },
    )
