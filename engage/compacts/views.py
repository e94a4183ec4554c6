"""Pages of local Compact working. Thin: reads through `selectors` (each starting from
`visible_to`), writes through `services`, whose refusals come back to the page on the form
fields they name; a refused action changes nothing."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from engage.core.forms import apply_errors
from engage.core.pagination import paginate
from engage.core.services import require_permission
from engage.core.types import AuthedRequest

from . import selectors, services
from .forms import AdminSignForm, CompactForm, ListFilterForm, SignForm
from .models import Compact

GET_POST = require_http_methods(["GET", "POST"])


def _crumbs(*items: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [
        (_("Home"), reverse("core:home")),
        (_("Compact working"), reverse("compacts:list")),
        *items,
    ]


def _compact_crumb(compact: Compact) -> tuple[str, str]:
    return (compact.title, reverse("compacts:detail", args=[compact.public_id]))


@login_required
@require_GET
def compact_list(request: AuthedRequest) -> HttpResponse:
    """How many policing bodies have signed a local Compact: the share, the map, the table of
    every body, the share over time; and the list of Compacts."""
    form = ListFilterForm(request.GET)
    state, q = form.filters()
    working = selectors.compact_working(request.user, state=state)
    page = paginate(request, selectors.compacts_for_user(request.user, q=q))
    return render(
        request,
        "compacts/list.html",
        {
            "working": working,
            "labels": selectors.state_labels(),
            "form": form,
            "state": state,
            "q": q,
            "page_obj": page,
            "can_record": rules.has_perm(services.RECORD, request.user),
            "breadcrumbs": [(_("Home"), reverse("core:home")), (_("Compact working"), None)],
        },
    )


@login_required
@require_GET
def compact_detail(request: AuthedRequest, public_id) -> HttpResponse:
    compact = selectors.get_compact_for_user(request.user, public_id)
    return render(
        request,
        "compacts/detail.html",
        {
            "compact": compact,
            "signatories": selectors.compact_signatories(request.user, compact),
            "history": selectors.compact_history(request.user, compact),
            "can_edit": rules.has_perm(services.EDIT, request.user, compact),
            "can_sign": rules.has_perm(services.SIGN, request.user, compact),
            "breadcrumbs": _crumbs((compact.title, None)),
        },
    )


def _compact_form_values(form: CompactForm) -> dict:
    data = form.cleaned_data
    return {
        "title": data["title"],
        "area": data["area"],
        "bodies": data["bodies"],
        "agreed_on": data["agreed_on"],
        "url": data["url"],
    }


@login_required
@GET_POST
def compact_create(request: AuthedRequest) -> HttpResponse:
    require_permission(services.RECORD, request.user)
    form = CompactForm(
        request.POST if request.method == "POST" else None,
        bodies=selectors.body_choices(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            compact = services.compact_create(by=request.user, **_compact_form_values(form))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Compact recorded."))
            return redirect("compacts:detail", public_id=compact.public_id)
    return render(
        request,
        "compacts/form.html",
        {
            "form": form,
            "heading": _("Record a local Compact"),
            "cancel": reverse("compacts:list"),
            "breadcrumbs": _crumbs((_("Record a local Compact"), None)),
        },
    )


@login_required
@GET_POST
def compact_edit(request: AuthedRequest, public_id) -> HttpResponse:
    compact = selectors.get_compact_for_user(request.user, public_id)
    require_permission(services.EDIT, request.user, compact)
    initial = {
        "title": compact.title,
        "area": compact.area,
        "bodies": list(compact.bodies.all()),
        "agreed_on": compact.agreed_on,
        "url": compact.url,
    }
    form = CompactForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        bodies=selectors.body_choices(request.user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.compact_update(compact=compact, by=request.user, **_compact_form_values(form))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Compact updated."))
            return redirect("compacts:detail", public_id=compact.public_id)
    return render(
        request,
        "compacts/form.html",
        {
            "form": form,
            "compact": compact,
            "heading": _("Change the Compact"),
            "cancel": reverse("compacts:detail", args=[compact.public_id]),
            "breadcrumbs": _crumbs(_compact_crumb(compact), (_("Change"), None)),
        },
    )


@login_required
@GET_POST
def compact_sign(request: AuthedRequest, public_id) -> HttpResponse:
    """A member records the signature of the organisation they act for; a site administrator
    chooses the organisation."""
    compact = selectors.get_compact_for_user(request.user, public_id)
    membership = request.membership or None  # a lazy object, empty when a member of nothing
    try:
        own = services.signature_add_check(compact=compact, by=request.user, membership=membership)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("compacts:detail", public_id=compact.public_id)
    data = request.POST if request.method == "POST" else None
    form: SignForm = (
        SignForm(data)
        if own is not None
        else AdminSignForm(data, organisations=selectors.sign_choices(request.user))
    )
    if request.method == "POST" and form.is_valid():
        try:
            signature = services.signature_add(
                compact=compact,
                by=request.user,
                membership=membership,
                signed_on=form.cleaned_data["signed_on"],
                organisation=form.cleaned_data.get("organisation"),
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Signature of %(organisation)s recorded.")
                % {"organisation": signature.organisation.name},
            )
            return redirect("compacts:detail", public_id=compact.public_id)
    return render(
        request,
        "compacts/sign.html",
        {
            "form": form,
            "compact": compact,
            "organisation": own,
            "breadcrumbs": _crumbs(_compact_crumb(compact), (_("Record a signature"), None)),
        },
    )


@login_required
@GET_POST
def signature_remove(request: AuthedRequest, public_id, signature_id) -> HttpResponse:
    """A confirmation page, then the signature is removed (kept in the history)."""
    compact = selectors.get_compact_for_user(request.user, public_id)
    signature = selectors.get_signature_for_user(request.user, compact, signature_id)
    require_permission(services.REMOVE_SIGNATURE, request.user, signature)
    if request.method == "POST":
        services.signature_remove(signature=signature, by=request.user)
        messages.success(
            request,
            _("Signature of %(organisation)s removed.")
            % {"organisation": signature.organisation.name},
        )
        return redirect("compacts:detail", public_id=compact.public_id)
    return render(
        request,
        "compacts/remove_signature.html",
        {
            "compact": compact,
            "signature": signature,
            "breadcrumbs": _crumbs(_compact_crumb(compact), (_("Remove a signature"), None)),
        },
    )
