"""Engagement pages. Thin: reads through `selectors` (each starting from `visible_to`), writes
through `services`, whose ValidationErrors come back to the page as messages or form errors;
a refused action changes nothing."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from engage.audit.models import AccessAction
from engage.audit.services import access_record_request
from engage.core.forms import apply_errors
from engage.core.labels import Label
from engage.core.pagination import paginate
from engage.core.types import AuthedRequest
from engage.documents.rules import can_upload_documents
from engage.documents.selectors import documents_for_engagement
from engage.policies.services import policy_can_be_engaged, refusal_for_others
from engage.responses.selectors import response_panel

from . import selectors, services
from .forms import (
    ENGAGEMENT_ERROR_FIELDS,
    KIND_HINTS,
    EngagementForm,
    InboxFilterForm,
    PriorityFilterForm,
    PriorityForm,
    QuestionForm,
    ReleaseForm,
    ReturnForm,
    RouteForm,
    ShareResponsesForm,
    WiderDecideForm,
    WiderRequestForm,
)
from .models import Decision, Engagement, Kind, Route, Status
from .selectors import APCC, get_engagement_for_user

GET_POST = require_http_methods(["GET", "POST"])


def _refuse(request: AuthedRequest, engagement: Engagement, exc: ValidationError) -> HttpResponse:
    """A refused action: say why on the engagement page. Nothing has changed."""
    for message in exc.messages:
        messages.error(request, message)
    return redirect("engagements:detail", public_id=engagement.public_id)


def engagement_crumbs(engagement: Engagement | None = None, *trail) -> list[tuple[str, str | None]]:
    """Breadcrumbs of pages under the inbox: Inbox, the engagement, then `trail`. The
    responses pages use them too."""
    crumbs: list[tuple[str, str | None]] = [(_("Inbox"), reverse("engagements:inbox"))]
    if engagement is not None:
        crumbs.append(
            (engagement.title, reverse("engagements:detail", args=[engagement.public_id]))
        )
    crumbs.extend(trail)
    return crumbs


# Inbox and queue ------------------------------------------------------------------------


@login_required
@require_GET
def inbox(request: AuthedRequest) -> HttpResponse:
    form = InboxFilterForm(request.GET)
    membership = request.membership or None  # a lazy object, empty when a member of nothing
    mode = selectors.inbox_mode(membership)
    engagements = selectors.inbox(request.user, membership, **form.filters())
    page_obj = paginate(request, engagements)
    if mode == selectors.OWNER:
        sizes = selectors.audience_sizes()
        for engagement in page_obj:
            engagement.bodies_addressed = (  # type: ignore[attr-defined]
                engagement.group_body_count  # type: ignore[attr-defined]
                if engagement.route == Route.STANDING_GROUPS
                else sizes.get(engagement.route)
            )
    return render(
        request,
        "engagements/inbox.html",
        {
            "form": form,
            "mode": mode,
            "page_obj": page_obj,
            "organisation": membership.organisation if membership else None,
            "filtered": any(form.filters().values()),
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
    access_record_request(
        request,
        action=AccessAction.VIEW,
        object_type="engagement",
        object_id=str(engagement.public_id),
        label=engagement.label,
    )
    permissions = selectors.engagement_permissions(request.user, engagement)
    can = permissions.can(engagement)
    context = {
        "engagement": engagement,
        "can": can,
        "documents": documents_for_engagement(request.user, engagement),
        "can_upload": can_upload_documents(request.user, engagement),
        "breadcrumbs": engagement_crumbs(None, (engagement.title, None)),
        "response_panel": response_panel(request.user, engagement, request.membership or None),
        **selectors.engagement_page(engagement),
    }
    if can["see_routing"]:
        context.update(selectors.engagement_routing_record(engagement))
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
    if engagement.status != Status.DRAFT:
        messages.error(request, _("Only a draft can be changed."))
        return redirect("engagements:detail", public_id=engagement.public_id)
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
    if engagement.status != Status.DRAFT:
        messages.error(request, _("Questions can only be changed while the engagement is a draft."))
        return redirect("engagements:detail", public_id=engagement.public_id)
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


@login_required
@GET_POST
def route(request: AuthedRequest, public_id) -> HttpResponse:
    engagement = get_engagement_for_user(request.user, public_id, write=True)
    if engagement.status != Status.DRAFT:
        messages.error(request, _("Only a draft can be sent for routing."))
        return redirect("engagements:detail", public_id=engagement.public_id)
    form = RouteForm(request.POST or None, user=request.user)
    refusal: services.PolicyRefused | None = None
    if request.method == "POST" and form.is_valid():
        try:
            services.engagement_route(
                engagement=engagement,
                by=request.user,
                route=form.cleaned_data["route"],
                groups=form.cleaned_data["groups"],
            )
        except services.PolicyRefused as exc:
            refusal = exc
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("The engagement has been sent to the APCC to confirm its routing.")
            )
            return redirect("engagements:detail", public_id=engagement.public_id)
    wider = list(engagement.wider_route_requests.all())
    return render(
        request,
        "engagements/route.html",
        {
            "engagement": engagement,
            "form": form,
            "refusal": refusal,
            "wider_agreed": any(w.decision == Decision.AGREED for w in wider),
            "wider_pending": any(w.decision == Decision.PENDING for w in wider),
            "breadcrumbs": engagement_crumbs(engagement, (_("Send for routing"), None)),
        },
    )


@login_required
@GET_POST
def wider_request(request: AuthedRequest, public_id) -> HttpResponse:
    engagement = get_engagement_for_user(request.user, public_id, write=True)
    if engagement.status != Status.DRAFT:
        messages.error(request, _("You can only consult the APCC while the engagement is a draft."))
        return redirect("engagements:detail", public_id=engagement.public_id)
    form = WiderRequestForm(request.POST or None)
    refusal: services.PolicyRefused | None = None
    if request.method == "POST" and form.is_valid():
        try:
            services.wider_route_request(
                engagement=engagement, by=request.user, request=form.cleaned_data["request"]
            )
        except services.PolicyRefused as exc:
            refusal = exc
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your request has been sent to the APCC."))
            return redirect("engagements:detail", public_id=engagement.public_id)
    return render(
        request,
        "engagements/wider_request.html",
        {
            "engagement": engagement,
            "form": form,
            "refusal": refusal,
            "requests": list(
                engagement.wider_route_requests.select_related("requested_by", "decided_by")
            ),
            "breadcrumbs": engagement_crumbs(
                engagement, (_("Ask to engage all policing bodies"), None)
            ),
        },
    )


@login_required
@GET_POST
def wider_decide(request: AuthedRequest, public_id) -> HttpResponse:
    engagement = get_engagement_for_user(request.user, public_id, write=True, perm=APCC)
    pending = selectors.get_wider_request_for_user(request.user, engagement)
    form = WiderDecideForm(request.POST or None)
    refusal: services.PolicyRefused | None = None
    if request.method == "POST" and form.is_valid():
        try:
            services.wider_route_decide(wider_request=pending, by=request.user, **form.cleaned_data)
        except services.PolicyRefused as exc:
            refusal = exc
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your answer has been sent to the policy lead."))
            return redirect("engagements:apcc_queue")
    return render(
        request,
        "engagements/wider_decide.html",
        {
            "engagement": engagement,
            "wider_request": pending,
            "form": form,
            "refusal": refusal,
            "breadcrumbs": engagement_crumbs(engagement, (_("Engaging all policing bodies"), None)),
        },
    )


@login_required
@GET_POST
def confirm(request: AuthedRequest, public_id) -> HttpResponse:
    engagement = get_engagement_for_user(request.user, public_id, write=True, perm=APCC)
    if engagement.status != Status.AWAITING_APCC:
        messages.error(request, _("This engagement is not awaiting the APCC."))
        return redirect("engagements:detail", public_id=engagement.public_id)
    if request.method == "POST":
        try:
            services.engagement_confirm_routing(engagement=engagement, by=request.user)
        except ValidationError as exc:
            return _refuse(request, engagement, exc)
        messages.success(request, _("Routing confirmed: the engagement is open to its audience."))
        return redirect("engagements:detail", public_id=engagement.public_id)
    return render(
        request,
        "engagements/confirm.html",
        {
            "engagement": engagement,
            "groups": list(engagement.routed_groups.all()),
            "breadcrumbs": engagement_crumbs(engagement, (_("Confirm routing"), None)),
        },
    )


@login_required
@GET_POST
def return_to_lead(request: AuthedRequest, public_id) -> HttpResponse:
    engagement = get_engagement_for_user(request.user, public_id, write=True, perm=APCC)
    if engagement.status != Status.AWAITING_APCC:
        messages.error(request, _("This engagement is not awaiting the APCC."))
        return redirect("engagements:detail", public_id=engagement.public_id)
    form = ReturnForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.engagement_return(
                engagement=engagement, by=request.user, advice=form.cleaned_data["advice"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The engagement has been returned to the policy lead."))
            return redirect("engagements:apcc_queue")
    return render(
        request,
        "engagements/return.html",
        {
            "engagement": engagement,
            "form": form,
            "breadcrumbs": engagement_crumbs(engagement, (_("Return to the policy lead"), None)),
        },
    )


@login_required
@GET_POST
def close(request: AuthedRequest, public_id) -> HttpResponse:
    engagement = get_engagement_for_user(request.user, public_id, write=True)
    if engagement.status != Status.OPEN:
        messages.error(request, _("Only an open engagement can be closed."))
        return redirect("engagements:detail", public_id=engagement.public_id)
    if request.method == "POST":
        try:
            services.engagement_close(engagement=engagement, by=request.user)
        except ValidationError as exc:
            return _refuse(request, engagement, exc)
        messages.success(request, _("The engagement is closed."))
        return redirect("engagements:detail", public_id=engagement.public_id)
    return render(
        request,
        "engagements/close.html",
        {
            "engagement": engagement,
            "breadcrumbs": engagement_crumbs(engagement, (_("Close"), None)),
        },
    )


@login_required
@GET_POST
def share_responses(request: AuthedRequest, public_id) -> HttpResponse:
    engagement = get_engagement_for_user(request.user, public_id, write=True)
    form = ShareResponsesForm(request.POST or None)
    refusal: services.PolicyRefused | None = None
    if request.method == "POST" and form.is_valid():
        try:
            services.engagement_share_responses(
                engagement=engagement, by=request.user, reason=form.cleaned_data["reason"]
            )
        except services.PolicyRefused as exc:
            refusal = exc
        except ValidationError as exc:
            if not hasattr(exc, "error_dict"):
                return _refuse(request, engagement, exc)
            apply_errors(form, exc)
        else:
            messages.success(
                request, _("Submitted responses are now shared with the bodies addressed.")
            )
            return redirect("engagements:detail", public_id=engagement.public_id)
    return render(
        request,
        "engagements/share_responses.html",
        {
            "engagement": engagement,
            "form": form,
            "refusal": refusal,
            "breadcrumbs": engagement_crumbs(engagement, (_("Share responses"), None)),
        },
    )


@login_required
@GET_POST
def release(request: AuthedRequest, public_id) -> HttpResponse:
    engagement = get_engagement_for_user(request.user, public_id, write=True)
    labels = services.wider_labels(engagement.label)
    if not labels:
        messages.error(request, _("This engagement is already public (TLP:CLEAR)."))
        return redirect("engagements:detail", public_id=engagement.public_id)
    form = ReleaseForm(request.POST or None, labels=labels)
    refusal: services.PolicyRefused | None = None
    if request.method == "POST" and form.is_valid():
        try:
            services.label_release(engagement=engagement, by=request.user, **form.cleaned_data)
        except services.PolicyRefused as exc:
            refusal = exc
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("The engagement is now %(label)s.") % {"label": engagement.get_label_display()},
            )
            return redirect("engagements:detail", public_id=engagement.public_id)
    return render(
        request,
        "engagements/release.html",
        {
            "engagement": engagement,
            "form": form,
            "refusal": refusal,
            "breadcrumbs": engagement_crumbs(engagement, (_("Release to a wider label"), None)),
        },
    )


# National priorities ----------------------------------------------------------------------


@login_required
@GET_POST
def priority_new(request: AuthedRequest, public_id) -> HttpResponse:
    engagement = get_engagement_for_user(request.user, public_id, write=True)
    if engagement.kind != Kind.PRIORITIES or engagement.status != Status.DRAFT:
        messages.error(
            request, _("National priorities are added to a priorities update while it is a draft.")
        )
        return redirect("engagements:detail", public_id=engagement.public_id)
    form = PriorityForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.national_priority_add(
                engagement=engagement, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The priority has been added."))
            return redirect("engagements:detail", public_id=engagement.public_id)
    return render(
        request,
        "engagements/priority_form.html",
        {
            "engagement": engagement,
            "form": form,
            "breadcrumbs": engagement_crumbs(engagement, (_("Add a national priority"), None)),
        },
    )


@login_required
@require_POST
def priority_remove(request: AuthedRequest, public_id) -> HttpResponse:
    priority = selectors.get_priority_for_user(request.user, public_id)
    engagement = get_engagement_for_user(request.user, priority.engagement.public_id, write=True)
    try:
        services.national_priority_remove(priority=priority, by=request.user)
    except ValidationError as exc:
        return _refuse(request, engagement, exc)
    messages.success(request, _("The priority has been removed."))
    return redirect("engagements:detail", public_id=engagement.public_id)


@login_required
@require_GET
def priorities(request: AuthedRequest) -> HttpResponse:
    form = PriorityFilterForm(request.GET)
    page_obj = paginate(request, selectors.priorities_for_user(request.user, **form.filters()))
    return render(
        request,
        "engagements/priorities.html",
        {"form": form, "page_obj": page_obj},
    )


@login_required
@require_GET
def priority_detail(request: AuthedRequest, public_id) -> HttpResponse:
    priority = selectors.get_priority_for_user(request.user, public_id)
    access_record_request(
        request,
        action=AccessAction.VIEW,
        object_type="national_priority",
        object_id=str(priority.public_id),
        label=priority.engagement.label,
    )
    return render(
        request,
        "engagements/priority_detail.html",
        {
            "priority": priority,
            "engagement": priority.engagement,
            "themes": list(priority.themes.all()),
            "breadcrumbs": [
                (_("National priorities"), reverse("engagements:priorities")),
                (priority.title, None),
            ],
        },
    )
