"""The inbox, the APCC queue, and an engagement: its page, a new one, its draft and questions."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from engage.accounts.viewer import Viewer
from engage.core.forms import apply_errors
from engage.core.labels import Label
from engage.core.pagination import paginate
from engage.core.panels import actions_of, panels_for
from engage.core.types import AuthedRequest
from engage.documents.rules import can_upload_documents
from engage.documents.selectors import documents_for_engagement
from engage.policies.services import policy_can_be_engaged, refusal_for_others
from engage.responses.selectors import NO_PANEL, response_panel

from .. import selectors, services
from ..audience import note_documents_read
from ..forms import (
    ENGAGEMENT_ERROR_FIELDS,
    KIND_HINTS,
    EngagementForm,
    InboxFilterForm,
    QuestionForm,
)
from ..models import LIVE, Route
from ..navigation import engagement_crumbs
from ..selectors import APCC, get_engagement_for_user
from .common import GET_POST, _refusal, log_view

# Inbox and queue ------------------------------------------------------------------------


@login_required
@require_GET
def inbox(request: AuthedRequest) -> HttpResponse:
    membership = request.membership or None  # a lazy object, empty when a member of nothing
    mode = selectors.inbox_mode(membership)
    responds = selectors.responds(membership)
    form = InboxFilterForm(request.GET, mode=mode, responds=responds)
    engagements = selectors.inbox(request.user, membership, **form.filters())
    page_obj = paginate(request, engagements)
    if mode == selectors.OWNER:
        sizes = selectors.audience_sizes()
        for engagement in page_obj:
            engagement.bodies_addressed = (  # type: ignore[attr-defined]
                sizes.get(engagement.route)
                if engagement.route == Route.APACE
                or (engagement.route == Route.ALL_BODIES and engagement.status not in LIVE)
                else engagement.group_body_count  # type: ignore[attr-defined]
            )
    return render(
        request,
        "engagements/inbox.html",
        {
            "form": form,
            "mode": mode,
            "responds": responds,
            "page_obj": page_obj,
            "organisation": membership.organisation if membership else None,
            "filtered": any(form.filters().values()),
            # Links to the lists of the apps built on engagements (questions, requests to
            # share further), with how many wait: engage/core/panels.py, page "inbox".
            "elsewhere": actions_of(panels_for("inbox", request, None, mode=mode)),
        },
    )


@login_required
@require_GET
def apcc_queue(request: AuthedRequest) -> HttpResponse:
    if not rules.has_perm(APCC, request.user):
        raise PermissionDenied
    queue = selectors.apcc_queue(request.user)
    return render(
        request,
        "engagements/apcc_queue.html",
        {
            "page_obj": paginate(request, queue["awaiting"]),
            "wider_requests": list(queue["wider"][:100]),
            "breadcrumbs": engagement_crumbs(None, (_("Waiting for the APCC"), None)),
        },
    )


# The engagement -------------------------------------------------------------------------


@login_required
@require_GET
def detail(request: AuthedRequest, public_id) -> HttpResponse:
    engagement = get_engagement_for_user(request.user, public_id)
    log_view(request, engagement)
    permissions = selectors.engagement_permissions(request.user, engagement)
    can = permissions.can(engagement)
    reads = engagement.content_readable  # type: ignore[attr-defined]
    documents = list(documents_for_engagement(request.user, engagement))
    # The panels below ask which documents the person reads: they have just been listed.
    note_documents_read(Viewer.of(request.user), engagement, documents)
    context = {
        "engagement": engagement,
        "can": can,
        "reads": reads,
        "documents": documents,
        "can_upload": can_upload_documents(request.user, engagement),
        "breadcrumbs": engagement_crumbs(None, (engagement.title, None)),
        "response_panel": response_panel(request.user, engagement, request.membership or None)
        if reads
        else NO_PANEL,
        **selectors.engagement_page(engagement, reads=reads),
    }
    context["panels"] = panels_for("engagement", request, engagement, reads=reads)
    context["panel_actions"] = actions_of(context["panels"])
    if can["see_routing"]:
        context.update(selectors.engagement_routing_record(request.user, engagement))
    if can["edit"] or engagement.policy.is_screened_out:
        # Why it cannot go ahead; the grounds only for the owning organisation (who alone
        # see an engagement on a screened-out policy anyway).
        allowed, reason = policy_can_be_engaged(engagement.policy)
        if not allowed and not rules.has_perm(
            "policies.view_policy_details", request.user, engagement.policy
        ):
            reason = refusal_for_others()
        context["policy_refusal"] = "" if allowed else reason
    return render(request, "engagements/detail.html", context)


@login_required
@GET_POST
def new(request: AuthedRequest) -> HttpResponse:
    policy = selectors.get_policy_for_new_engagement(request.user, request.GET.get("policy"))
    form = EngagementForm(
        request.POST or None, labels=services.CREATE_LABELS, initial={"label": Label.AMBER_STRICT}
    )
    refusal: services.PolicyRefused | None = None
    try:  # every attempt on a screened-out policy is recorded, a page view included
        services.policy_engagement_check(policy=policy, by=request.user)
    except services.PolicyRefused as exc:
        refusal = exc
    if request.method == "POST" and refusal is None and form.is_valid():
        try:
            engagement = services.engagement_create(
                policy=policy, by=request.user, **form.service_kwargs()
            )
        except services.PolicyRefused as exc:
            refusal = exc
        except ValidationError as exc:
            apply_errors(form, exc, ENGAGEMENT_ERROR_FIELDS)
        else:
            messages.success(request, _("The draft engagement has been saved."))
            return redirect("engagements:detail", public_id=engagement.public_id)
    return render(
        request,
        "engagements/engagement_form.html",
        {
            "form": form,
            "policy": policy,
            "refusal": refusal,
            "kind_hints": KIND_HINTS,
            "action": f"{reverse('engagements:new')}?policy={policy.public_id}",
            "breadcrumbs": engagement_crumbs(None, (_("New engagement"), None)),
        },
    )


@login_required
@GET_POST
def edit(request: AuthedRequest, public_id) -> HttpResponse:
    engagement = get_engagement_for_user(request.user, public_id, write=True)
    if refused := _refusal(request, engagement, services.engagement_update_check):
        return refused
    form = EngagementForm(
        request.POST or None,
        labels=services.narrower_or_same_labels(engagement.label),
        initial=EngagementForm.initial_from(engagement),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.engagement_update(
                engagement=engagement, by=request.user, **form.service_kwargs()
            )
        except ValidationError as exc:
            apply_errors(form, exc, ENGAGEMENT_ERROR_FIELDS)
        else:
            messages.success(request, _("Your changes have been saved."))
            return redirect("engagements:detail", public_id=engagement.public_id)
    if request.method == "GET":
        log_view(request, engagement)
    return render(
        request,
        "engagements/engagement_form.html",
        {
            "form": form,
            "policy": engagement.policy,
            "engagement": engagement,
            "kind_hints": KIND_HINTS,
            "action": reverse("engagements:edit", args=[engagement.public_id]),
            "breadcrumbs": engagement_crumbs(engagement, (_("Change"), None)),
        },
    )


@login_required
@GET_POST
def questions(request: AuthedRequest, public_id) -> HttpResponse:
    engagement = get_engagement_for_user(request.user, public_id, write=True)
    if refused := _refusal(request, engagement, services.question_change_check):
        return refused
    add_form = QuestionForm(prefix="add")
    edit_form = None
    editing = None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "add":
                add_form = QuestionForm(request.POST, prefix="add")
                if add_form.is_valid():
                    services.question_add(
                        engagement=engagement, by=request.user, **add_form.cleaned_data
                    )
                    messages.success(request, _("The question has been added."))
                    return redirect("engagements:questions", public_id=engagement.public_id)
            elif action == "update":
                editing = selectors.get_question(engagement, request.POST.get("number"))
                edit_form = QuestionForm(request.POST, prefix="edit")
                if edit_form.is_valid():
                    services.question_update(
                        question=editing, by=request.user, **edit_form.cleaned_data
                    )
                    messages.success(request, _("The question has been changed."))
                    return redirect("engagements:questions", public_id=engagement.public_id)
            elif action in ("up", "down", "remove"):
                question = selectors.get_question(engagement, request.POST.get("number"))
                if action == "remove":
                    services.question_remove(question=question, by=request.user)
                    messages.success(request, _("The question has been removed."))
                else:
                    services.question_move(question=question, by=request.user, direction=action)
                return redirect("engagements:questions", public_id=engagement.public_id)
            else:
                messages.error(request, _("Choose what to do with the questions."))
                return redirect("engagements:questions", public_id=engagement.public_id)
        except ValidationError as exc:
            target = edit_form if action == "update" else add_form
            if action in ("add", "update") and target is not None:
                apply_errors(target, exc)
            else:
                for message in exc.messages:
                    messages.error(request, message)
                return redirect("engagements:questions", public_id=engagement.public_id)
    elif "edit" in request.GET:
        editing = selectors.get_question(engagement, request.GET.get("edit"))
        edit_form = QuestionForm(
            prefix="edit", initial={"text": editing.text, "kind": editing.kind}
        )
    if request.method == "GET":
        log_view(request, engagement)
    return render(
        request,
        "engagements/questions.html",
        {
            "engagement": engagement,
            "questions": list(engagement.questions.all()),
            "add_form": add_form,
            "edit_form": edit_form,
            "editing": editing,
            "breadcrumbs": engagement_crumbs(engagement, (_("Questions"), None)),
        },
    )
