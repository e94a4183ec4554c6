"""Pages of the voluntary sector's profile and engagement log. Thin: reads through
`selectors` (each starting from `visible_to`), writes through `services`, whose refusals come
back on the form fields they name; a refused write changes nothing.

- Profiles are read by every signed-in person; their members (and site administrators) edit.
- The log is the organisation acted for's (`request.membership`); the policing body an activity
  is shared with reads it (`body_activity`, the detail page) and changes nothing.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from engage.core.forms import apply_errors
from engage.core.pagination import paginate
from engage.core.types import AuthedRequest
from engage.directory.selectors import policing_body_of

from . import selectors, services
from .forms import (
    ActivityFilterForm,
    ActivityForm,
    BodyActivityFilterForm,
    FollowUpForm,
    OrganisationFilterForm,
    ProfileForm,
    bodies,
)
from .models import Activity

GET_POST = require_http_methods(["GET", "POST"])


def _crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Home"), reverse("core:home")), *items]


def _organisations_crumb() -> tuple[str, str]:
    return (_("Voluntary organisations"), reverse("sector:organisations"))


def _log_crumb() -> tuple[str, str]:
    return (_("Engagement log"), reverse("sector:activity_list"))


def activity_title(activity: Activity) -> str:
    """How pages name an activity: "Meeting with Gwent, 3 March 2026"."""
    return _("%(kind)s with %(body)s, %(date)s") % {
        "kind": activity.get_kind_display(),
        "body": activity.body.organisation.name,
        "date": date_format(activity.happened_on, "j F Y"),
    }


def _activity_crumb(activity: Activity, link: bool = True) -> tuple[str, str | None]:
    url = reverse("sector:activity", args=[activity.public_id])
    return (activity_title(activity), url if link else None)


def _acting_voluntary(request: AuthedRequest):
    return selectors.voluntary_organisation_of(request.membership or None)


def _not_voluntary(request: AuthedRequest, heading: str) -> HttpResponse:
    """A 200 page explaining the page is for members of voluntary organisations."""
    return render(
        request,
        "sector/not_voluntary.html",
        {
            "heading": heading,
            "membership": request.membership or None,
            "voluntary_elsewhere": selectors.voluntary_organisation_of(request.user),
            "breadcrumbs": _crumbs((heading, None)),
        },
    )


# Profiles -------------------------------------------------------------------------------------


@login_required
@require_GET
def organisations(request: AuthedRequest) -> HttpResponse:
    """Every active voluntary organisation, searchable, filtered by area served and theme."""
    form = OrganisationFilterForm(request.GET)
    filters = form.filters()
    page_obj = paginate(request, selectors.organisations_for_user(request.user, **filters))
    return render(
        request,
        "sector/organisations.html",
        {
            "form": form,
            "page_obj": page_obj,
            "filtered": any(filters.values()),
            "breadcrumbs": _crumbs((_("Voluntary organisations"), None)),
        },
    )


@login_required
@require_GET
def my_organisation(request: AuthedRequest) -> HttpResponse:
    """The profile of the voluntary organisation acted for, or why there is none."""
    organisation = _acting_voluntary(request)
    if organisation is None:
        return _not_voluntary(request, _("Your organisation's profile"))
    return redirect("sector:profile", slug=organisation.slug)


@login_required
@require_GET
def profile(request: AuthedRequest, slug: str) -> HttpResponse:
    organisation, profile = selectors.get_profile_for_user(request.user, slug)
    themes = list(profile.themes.all()) if profile is not None else []
    return render(
        request,
        "sector/profile.html",
        {
            "organisation": organisation,
            "profile": profile,
            "areas": list(organisation.areas_served.all()),
            "themes": themes,
            "can_edit": selectors.can_edit_profile(request.user, organisation),
            "keeps_log": _acting_voluntary(request) == organisation,
            "breadcrumbs": _crumbs(_organisations_crumb(), (organisation.name, None)),
        },
    )


@login_required
@GET_POST
def profile_edit(request: AuthedRequest, slug: str) -> HttpResponse:
    organisation, profile = selectors.get_profile_for_edit(request.user, slug)
    initial: dict = {"areas_served": [area.pk for area in organisation.areas_served.all()]}
    if profile is not None:
        initial.update(
            {
                name: getattr(profile, name)
                for name in (
                    "charity_number",
                    "company_number",
                    "summary",
                    "services",
                    "people_supported",
                    "offer",
                    "website",
                )
            }
        )
        initial["themes"] = [theme.pk for theme in profile.themes.all()]
    form = ProfileForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_save(organisation=organisation, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The profile has been saved."))
            return redirect("sector:profile", slug=organisation.slug)
    profile_url = reverse("sector:profile", args=[organisation.slug])
    return render(
        request,
        "sector/profile_edit.html",
        {
            "organisation": organisation,
            "profile": profile,
            "form": form,
            "breadcrumbs": _crumbs(
                _organisations_crumb(),
                (organisation.name, profile_url),
                (_("Edit the profile"), None),
            ),
        },
    )


# The engagement log ---------------------------------------------------------------------------


@login_required
@require_GET
def activity_list(request: AuthedRequest) -> HttpResponse:
    """The log of the voluntary organisation acted for, newest first, with filters."""
    organisation = _acting_voluntary(request)
    if organisation is None:
        return _not_voluntary(request, _("Engagement log"))
    form = ActivityFilterForm(request.GET)
    filters = form.filters()
    rows = selectors.activities_for_user(request.user, organisation=organisation, **filters)
    page_obj = paginate(request, rows)
    return render(
        request,
        "sector/activity_list.html",
        {
            "organisation": organisation,
            "form": form,
            "filtered": any(value not in (None, "", False) for value in filters.values()),
            "page_obj": page_obj,
            "counts": selectors.follow_up_counts(request.user, organisation),
            "arrangements": selectors.lasting_arrangements(request.user, organisation),
            "can_log": selectors.can_keep_log(request.user, organisation),
            "breadcrumbs": _crumbs((_("Engagement log"), None)),
        },
    )


def _activity_form(request: AuthedRequest, organisation, *, creating: bool, initial=None):
    everyone = list(bodies())
    served_ids = set(organisation.areas_served.values_list("pk", flat=True))
    served = [body for body in everyone if body.pk in served_ids]
    return ActivityForm(
        request.POST if request.method == "POST" else None,
        served=served,
        everyone=everyone,
        creating=creating,
        initial=initial or {},
    )


@login_required
@GET_POST
def activity_create(request: AuthedRequest) -> HttpResponse:
    organisation = _acting_voluntary(request)
    if organisation is None or not selectors.can_keep_log(request.user, organisation):
        raise PermissionDenied
    form = _activity_form(request, organisation, creating=True)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(
                organisation=organisation, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The activity has been added to your log."))
            return redirect("sector:activity", public_id=activity.public_id)
    return render(
        request,
        "sector/activity_form.html",
        {
            "form": form,
            "organisation": organisation,
            "heading": _("Log an activity"),
            "cancel": reverse("sector:activity_list"),
            "breadcrumbs": _crumbs(_log_crumb(), (_("Log an activity"), None)),
        },
    )


@login_required
@require_GET
def activity_detail(request: AuthedRequest, public_id) -> HttpResponse:
    activity = selectors.get_activity_for_user(request.user, public_id)
    own = selectors.can_keep_log(request.user, activity.organisation)
    if own:
        crumbs = _crumbs(_log_crumb(), _activity_crumb(activity, link=False))
    else:
        crumbs = _crumbs(
            (_("Shared with your body"), reverse("sector:body_activity")),
            _activity_crumb(activity, link=False),
        )
    return render(
        request,
        "sector/activity_detail.html",
        {
            "activity": activity,
            "activity_title": activity_title(activity),
            "follow_ups": selectors.follow_ups_of(activity),
            # The history holds follow-ups deleted and earlier wordings: for the organisation
            # that keeps the log only, not for the body it is shared with.
            "history": selectors.activity_history(activity) if own else None,
            "can_edit": own,
            "breadcrumbs": crumbs,
        },
    )


@login_required
@GET_POST
def activity_edit(request: AuthedRequest, public_id) -> HttpResponse:
    activity = selectors.get_activity_for_edit(request.user, public_id)
    initial = {
        "body": activity.body_id,
        "kind": activity.kind,
        "happened_on": activity.happened_on,
        "participants": activity.participants,
        "summary": activity.summary,
        "outcome": activity.outcome,
        "arrangement": activity.arrangement,
        "arrangement_details": activity.arrangement_details,
    }
    form = _activity_form(request, activity.organisation, creating=False, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            was_shared = activity.shared_at is not None
            services.activity_update(activity=activity, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            done = _("The activity has been updated.")
            if was_shared and activity.shared_at is None:
                done += " " + _(
                    "It is no longer shared: share it with %(body)s if you want them to see it."
                ) % {"body": activity.body.organisation.name}
            messages.success(request, done)
            return redirect("sector:activity", public_id=activity.public_id)
    return render(
        request,
        "sector/activity_form.html",
        {
            "form": form,
            "organisation": activity.organisation,
            "activity": activity,
            "activity_title": activity_title(activity),
            "heading": _("Change the activity"),
            "cancel": reverse("sector:activity", args=[activity.public_id]),
            "breadcrumbs": _crumbs(_log_crumb(), _activity_crumb(activity), (_("Change"), None)),
        },
    )


def _confirm_page(
    request: AuthedRequest,
    activity: Activity,
    *,
    action: str,
    title: str,
    button: str,
    warning: bool = False,
    refused: str = "",
) -> HttpResponse:
    return render(
        request,
        "sector/activity_confirm.html",
        {
            "activity": activity,
            "activity_title": activity_title(activity),
            "action": action,
            "title": title,
            "button": button,
            "warning": warning,
            "refused": refused,
            "breadcrumbs": _crumbs(_log_crumb(), _activity_crumb(activity), (title, None)),
        },
    )


@login_required
@GET_POST
def activity_share(request: AuthedRequest, public_id) -> HttpResponse:
    activity = selectors.get_activity_for_edit(request.user, public_id)
    body = activity.body.organisation.name
    if request.method == "POST":
        services.activity_share(activity=activity, by=request.user)
        messages.success(request, _("The activity is shared with %(body)s.") % {"body": body})
        return redirect("sector:activity", public_id=activity.public_id)
    return _confirm_page(
        request,
        activity,
        action="share",
        title=_("Share with %(body)s") % {"body": body},
        button=_("Share it"),
    )


@login_required
@GET_POST
def activity_unshare(request: AuthedRequest, public_id) -> HttpResponse:
    activity = selectors.get_activity_for_edit(request.user, public_id)
    body = activity.body.organisation.name
    if request.method == "POST":
        services.activity_unshare(activity=activity, by=request.user)
        messages.success(
            request, _("The activity is no longer shared with %(body)s.") % {"body": body}
        )
        return redirect("sector:activity", public_id=activity.public_id)
    return _confirm_page(
        request,
        activity,
        action="unshare",
        title=_("Stop sharing with %(body)s") % {"body": body},
        button=_("Stop sharing it"),
        warning=True,
    )


@login_required
@GET_POST
def activity_delete(request: AuthedRequest, public_id) -> HttpResponse:
    activity = selectors.get_activity_for_edit(request.user, public_id)
    title = _("Delete the activity")
    refused = ""
    if request.method == "POST":
        try:
            services.activity_delete(activity=activity, by=request.user)
        except ValidationError as exc:
            refused = " ".join(exc.messages)
        else:
            messages.success(request, _("The activity has been deleted."))
            return redirect("sector:activity_list")
    response = _confirm_page(
        request,
        activity,
        action="delete",
        title=title,
        button=_("Delete it"),
        warning=True,
        refused=refused,
    )
    if refused:
        response.status_code = 400
    return response


# Follow-ups -----------------------------------------------------------------------------------


@login_required
@GET_POST
def followup_add(request: AuthedRequest, public_id) -> HttpResponse:
    activity = selectors.get_activity_for_edit(request.user, public_id)
    form = FollowUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.followup_add(activity=activity, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The follow-up has been added."))
            return redirect("sector:activity", public_id=activity.public_id)
    return render(
        request,
        "sector/followup_form.html",
        {
            "form": form,
            "activity": activity,
            "activity_title": activity_title(activity),
            "heading": _("Add a follow-up"),
            "breadcrumbs": _crumbs(
                _log_crumb(), _activity_crumb(activity), (_("Add a follow-up"), None)
            ),
        },
    )


@login_required
@GET_POST
def followup_edit(request: AuthedRequest, public_id) -> HttpResponse:
    follow_up = selectors.get_follow_up_for_edit(request.user, public_id)
    activity = follow_up.activity
    initial = {
        "description": follow_up.description,
        "due_on": follow_up.due_on,
        "done": follow_up.done_on is not None,
    }
    form = FollowUpForm(
        request.POST if request.method == "POST" else None, initial=initial, editing=True
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.followup_update(follow_up=follow_up, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The follow-up has been updated."))
            return redirect("sector:activity", public_id=activity.public_id)
    return render(
        request,
        "sector/followup_form.html",
        {
            "form": form,
            "activity": activity,
            "activity_title": activity_title(activity),
            "follow_up": follow_up,
            "heading": _("Change the follow-up"),
            "breadcrumbs": _crumbs(
                _log_crumb(), _activity_crumb(activity), (_("Change the follow-up"), None)
            ),
        },
    )


@login_required
@require_POST
def followup_done(request: AuthedRequest, public_id) -> HttpResponse:
    follow_up = selectors.get_follow_up_for_edit(request.user, public_id)
    services.followup_done(follow_up=follow_up, by=request.user)
    messages.success(request, _("Marked done: %(what)s") % {"what": follow_up.description})
    return redirect("sector:activity", public_id=follow_up.activity.public_id)


# What the body sees ---------------------------------------------------------------------------


@login_required
@require_GET
def body_activity(request: AuthedRequest) -> HttpResponse:
    """Activity voluntary organisations have shared with the policing body acted for."""
    membership = request.membership or None
    body = policing_body_of(membership)
    heading = _("Activity shared with your body")
    if body is None:
        return render(
            request,
            "sector/not_body.html",
            {"heading": heading, "breadcrumbs": _crumbs((heading, None))},
        )
    form = BodyActivityFilterForm(
        request.GET, organisations=selectors.organisations_sharing_with(request.user, body)
    )
    filters = form.filters()
    page_obj = paginate(request, selectors.shared_activity_for_body(request.user, body, **filters))
    return render(
        request,
        "sector/body_activity.html",
        {
            "body": body,
            "form": form,
            "filtered": any(filters.values()),
            "page_obj": page_obj,
            "breadcrumbs": _crumbs((heading, None)),
        },
    )
