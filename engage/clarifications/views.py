"""Clarification pages. Thin: reads through `selectors` (each starting from `visible_to` or
`published_to`), writes through `services`, whose refusals come back to the page as messages
or on the form fields they name; a refused action changes nothing.

Every page that shows a question or an answer (labelled: it carries its engagement's label)
is logged, with the label, like the engagement's own pages.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from engage.audit.models import AccessAction
from engage.audit.services import access_record_request
from engage.core.forms import apply_errors
from engage.core.pagination import paginate
from engage.core.types import AuthedRequest
from engage.engagements.models import Engagement
from engage.engagements.navigation import engagement_crumbs
from engage.engagements.selectors import get_engagement_for_user

from . import selectors, services
from .forms import AnswerForm, AskForm, PublishForm, StateFilterForm
from .models import ClarificationRequest
from .selectors import get_clarification_for_user

GET_POST = require_http_methods(["GET", "POST"])
OBJECT_TYPE = "clarification"


def _log(
    request: AuthedRequest,
    engagement: Engagement,
    *,
    object_type: str = OBJECT_TYPE,
    object_id: str,
    action: str = AccessAction.VIEW,
    detail: str = "",
) -> None:
    access_record_request(
        request,
        action=action,
        object_type=object_type,
        object_id=object_id,
        label=engagement.label,
        detail=detail,
        confidential_to=engagement.policy.log_confidential_to,
    )


def _crumb(clarification: ClarificationRequest, link: bool = True) -> tuple[str, str | None]:
    text = _("Question from %(body)s") % {"body": clarification.body.organisation.name}
    url = reverse("clarifications:detail", args=[clarification.public_id])
    return (text, url if link else None)


def _refuse(request: AuthedRequest, clarification: ClarificationRequest, exc: ValidationError):
    for message in exc.messages:
        messages.error(request, message)
    return redirect("clarifications:detail", public_id=clarification.public_id)


# Asking ----------------------------------------------------------------------------------


def _document_named(request: AuthedRequest, engagement: Engagement) -> str:
    """The document named in the link from a document page: 404 unless the person reads it
    (a malformed id included); "" for none."""
    wanted = request.GET.get("document", "")
    if not wanted:
        return ""
    try:
        public_id = uuid.UUID(wanted)
    except ValueError:
        raise Http404 from None
    return str(selectors.get_document_to_ask_about(request.user, engagement, public_id).public_id)


@login_required
@GET_POST
def ask(request: AuthedRequest, public_id) -> HttpResponse:
    """A member of a body the engagement is addressed to asks the policy lead a question."""
    engagement = get_engagement_for_user(request.user, public_id, read=True)
    membership = request.membership or None
    try:  # the service's own check, in its words: one refusal path
        body = services.clarification_ask_check(engagement, membership, request.user)
    except ValidationError as exc:
        _log(
            request,
            engagement,
            object_type="engagement",
            object_id=str(engagement.public_id),
            action=AccessAction.REFUSED,
            detail=" ".join(exc.messages),
        )
        return render(
            request,
            "clarifications/refused.html",
            {
                "engagement": engagement,
                "reason": " ".join(exc.messages),
                "breadcrumbs": engagement_crumbs(engagement, (_("Ask a question"), None)),
            },
            status=403,
        )
    documents = selectors.readable_documents(request.user, engagement)
    form = AskForm(
        request.POST or None,
        documents=documents,
        initial={"document": _document_named(request, engagement)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            clarification = services.clarification_ask(
                engagement=engagement,
                membership=membership,
                by=request.user,
                question=form.cleaned_data["question"],
                document=form.chosen_document(),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Your question has been sent to the policy lead at %(owner)s.")
                % {"owner": engagement.owner.name},
            )
            return redirect("clarifications:detail", public_id=clarification.public_id)
    if request.method == "GET":
        _log(
            request,
            engagement,
            object_type="engagement",
            object_id=str(engagement.public_id),
            detail="ask a question",
        )
    return render(
        request,
        "clarifications/ask.html",
        {
            "engagement": engagement,
            "body": body,
            "form": form,
            "breadcrumbs": engagement_crumbs(engagement, (_("Ask a question"), None)),
        },
    )


# The request ------------------------------------------------------------------------------


@login_required
@require_GET
def detail(request: AuthedRequest, public_id) -> HttpResponse:
    """The question, who asked, the answer and whether it is published: for the asking body,
    the owning organisation and the APCC secretariat."""
    clarification = get_clarification_for_user(request.user, public_id)
    engagement = clarification.engagement
    _log(request, engagement, object_id=str(clarification.public_id))
    can_answer = selectors.can_answer(request.user, clarification)
    return render(
        request,
        "clarifications/detail.html",
        {
            "clarification": clarification,
            "engagement": engagement,
            "can_answer": can_answer and not clarification.is_published,
            "can_publish": can_answer
            and clarification.is_answered
            and not clarification.is_published,
            "breadcrumbs": engagement_crumbs(engagement, _crumb(clarification, link=False)),
        },
    )


@login_required
@GET_POST
def answer(request: AuthedRequest, public_id) -> HttpResponse:
    """A member of the owning organisation answers, or changes the answer before publishing."""
    clarification = get_clarification_for_user(request.user, public_id, write=True)
    engagement = clarification.engagement
    try:
        services.clarification_answer_check(clarification)
    except ValidationError as exc:
        return _refuse(request, clarification, exc)
    form = AnswerForm(request.POST or None, initial={"answer": clarification.answer})
    if request.method == "POST" and form.is_valid():
        try:
            services.clarification_answer(
                clarification=clarification, by=request.user, answer=form.cleaned_data["answer"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your answer has been sent to the body that asked."))
            return redirect("clarifications:detail", public_id=clarification.public_id)
    if request.method == "GET":
        _log(request, engagement, object_id=str(clarification.public_id), detail="answer form")
    return render(
        request,
        "clarifications/answer.html",
        {
            "clarification": clarification,
            "engagement": engagement,
            "form": form,
            "breadcrumbs": engagement_crumbs(
                engagement, _crumb(clarification), (_("Answer"), None)
            ),
        },
    )


@login_required
@GET_POST
def publish(request: AuthedRequest, public_id) -> HttpResponse:
    """Edit the question and answer as every body will read them, check, then publish."""
    clarification = get_clarification_for_user(request.user, public_id, write=True)
    engagement = clarification.engagement
    try:
        services.clarification_publish_check(clarification)
    except ValidationError as exc:
        return _refuse(request, clarification, exc)
    form = PublishForm(
        request.POST or None,
        initial={"question": clarification.question, "answer": clarification.answer},
    )
    confirming = False
    if request.method == "POST" and form.is_valid():
        if request.POST.get("confirm") != "yes":
            confirming = True  # show what everyone will read, before it is published
        else:
            try:
                services.clarification_publish(
                    clarification=clarification, by=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("The question and answer are published to everyone who reads it."),
                )
                return redirect("clarifications:detail", public_id=clarification.public_id)
    if request.method == "GET":
        _log(request, engagement, object_id=str(clarification.public_id), detail="publish form")
    return render(
        request,
        "clarifications/publish.html",
        {
            "clarification": clarification,
            "engagement": engagement,
            "form": form,
            "confirming": confirming,
            "breadcrumbs": engagement_crumbs(
                engagement, _crumb(clarification), (_("Publish"), None)
            ),
        },
    )


# Lists ------------------------------------------------------------------------------------


@login_required
@require_GET
def received(request: AuthedRequest) -> HttpResponse:
    """The owning organisation's requests (the APCC secretariat: every one it reads), open
    first, with their age."""
    membership = request.membership or None
    if membership is None or not (membership.is_secretariat or membership.organisation.is_national):
        raise PermissionDenied
    form = StateFilterForm(request.GET)
    state = form.chosen()
    page_obj = paginate(request, selectors.received(request.user, membership, state=state))
    return render(
        request,
        "clarifications/received.html",
        {
            "form": form,
            "filtered": bool(state),
            "page_obj": page_obj,
            "organisation": membership.organisation,
            "apcc": membership.is_secretariat,
            "breadcrumbs": engagement_crumbs(None, (_("Questions to you"), None)),
        },
    )


@login_required
@require_GET
def asked(request: AuthedRequest) -> HttpResponse:
    """The questions the body the person acts for has asked, with their age."""
    membership = request.membership or None
    body = selectors.acting_body(membership)
    if body is None or membership is None:
        raise PermissionDenied
    form = StateFilterForm(request.GET)
    state = form.chosen()
    page_obj = paginate(request, selectors.asked(request.user, body, state=state))
    return render(
        request,
        "clarifications/asked.html",
        {
            "form": form,
            "filtered": bool(state),
            "page_obj": page_obj,
            "organisation": membership.organisation,
            "breadcrumbs": engagement_crumbs(None, (_("Your questions"), None)),
        },
    )


@login_required
@require_GET
def engagement_published(request: AuthedRequest, public_id) -> HttpResponse:
    """The engagement's published questions and answers, for everyone who reads it."""
    engagement = get_engagement_for_user(request.user, public_id, read=True)
    _log(
        request,
        engagement,
        object_type="clarifications",
        object_id=str(engagement.public_id),
        detail="published list",
    )
    page_obj = paginate(request, selectors.published_on(request.user, engagement))
    return render(
        request,
        "clarifications/published.html",
        {
            "engagement": engagement,
            "page_obj": page_obj,
            "breadcrumbs": engagement_crumbs(engagement, (_("Questions and answers"), None)),
        },
    )
