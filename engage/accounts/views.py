import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from engage.audit.models import AccessAction
from engage.audit.services import access_record_request
from engage.core import throttle
from engage.core.forms import apply_errors
from engage.core.pagination import paginate
from engage.core.types import AuthedRequest

from . import services
from .forms import (
    AcceptInvitationForm,
    AccountRequestForm,
    DecisionForm,
    EndMembershipForm,
    InvitationForm,
    OrganisationFilterForm,
    OrganisationForm,
)
from .middleware import SESSION_KEY
from .models import AccountRequest, AccountRequestStatus, Invitation, Organisation
from .selectors import (
    get_account_request_for_user,
    get_invitation_for_user,
    get_membership_for_user,
    get_organisation_for_user,
    organisation_memberships,
)


def _safe_next(request: HttpRequest, fallback: str = "core:home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse(fallback)


def _crumbs(*trail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    """Breadcrumbs for the administration pages; the last item is the current page."""
    return [(_("Administration"), reverse("accounts:admin_home")), *trail]


def _org_crumb(organisation: Organisation) -> tuple[str, str]:
    return (organisation.name, reverse("accounts:organisation", args=[organisation.public_id]))


def _require(request: HttpRequest, perm: str, obj=None) -> None:
    # rules.has_perm, not user.has_perm: Django lets a superuser through every has_perm.
    if not rules.has_perm(perm, request.user, obj):
        raise PermissionDenied


@login_required
def mfa_required(request: AuthedRequest) -> HttpResponse:
    return render(request, "accounts/mfa_required.html", {"next": _safe_next(request)})


@login_required
@require_POST
def switch_organisation(request: AuthedRequest) -> HttpResponse:
    wanted = request.POST.get("organisation", "")
    for membership in request.memberships:
        if str(membership.organisation.public_id) == wanted:
            request.session[SESSION_KEY] = wanted
            messages.success(
                request, _("You are now acting for %(org)s.") % {"org": membership.organisation}
            )
            break
    else:
        messages.error(request, _("Choose one of your organisations."))
    return redirect(_safe_next(request))


# Joining ----------------------------------------------------------------------------------


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """Public: the link in an invitation email. The token is the credential."""
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    from .models import User

    existing = User.objects.filter(email__iexact=invitation.email).exists()
    form = None
    if existing:
        if request.method == "POST":
            try:
                services.invitation_accept(invitation=invitation, user=request.user)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(
                    request, _("You have joined %(org)s.") % {"org": invitation.organisation}
                )
                return redirect("core:home")
    else:
        form = AcceptInvitationForm(request.POST or None, email=invitation.email)
        if request.method == "POST" and form.is_valid():
            try:
                services.invitation_accept(
                    invitation=invitation,
                    full_name=form.cleaned_data["full_name"],
                    password=form.cleaned_data["password1"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Your account is ready. Sign in to continue."))
                return redirect("account_login")
    return render(
        request,
        "accounts/invitation_accept.html",
        {"invitation": invitation, "form": form, "existing": existing},
    )


def account_request_new(request: HttpRequest) -> HttpResponse:
    """Public: a voluntary organisation asks for an account."""
    form = AccountRequestForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        if throttle.allow(
            request,
            action="account_request",
            limit=settings.ACCOUNT_REQUESTS_PER_HOUR,
            period=60 * 60,
        ):
            services.account_request_submit(**form.cleaned_data)
            return render(request, "accounts/account_request_done.html")
        form.add_error(
            None,
            _(
                "We have had too many requests for an account from your connection in the last "
                "hour. Try again in an hour, or email %(email)s."
            )
            % {"email": settings.SUPPORT_EMAIL},
        )
        status = 429
    return render(request, "accounts/account_request_form.html", {"form": form}, status=status)


# Administration ---------------------------------------------------------------------------


@login_required
def admin_home(request: AuthedRequest) -> HttpResponse:
    _require(request, "accounts.administer")
    counts = AccountRequest.objects.visible_to(request.user).aggregate(
        pending=Count("pk", filter=Q(status=AccountRequestStatus.PENDING))
    )
    return render(
        request,
        "accounts/admin_home.html",
        {
            "pending_requests": counts["pending"],
            "pending_invitations": Invitation.objects.visible_to(request.user).pending().count(),
        },
    )


@login_required
def organisation_list(request: AuthedRequest) -> HttpResponse:
    _require(request, "accounts.administer")
    form = OrganisationFilterForm(request.GET or None)
    organisations = Organisation.objects.visible_to(request.user).annotate(
        member_count=Count("memberships", filter=Q(memberships__ended_at__isnull=True))
    )
    if form.is_valid():
        if q := form.cleaned_data["q"]:
            organisations = organisations.filter(Q(name__icontains=q) | Q(short_name__icontains=q))
        if kind := form.cleaned_data["kind"]:
            organisations = organisations.filter(kind=kind)
    return render(
        request,
        "accounts/organisation_list.html",
        {
            "form": form,
            "page_obj": paginate(request, organisations.order_by("name")),
            "breadcrumbs": _crumbs((_("Organisations"), None)),
        },
    )


@login_required
def organisation_new(request: AuthedRequest) -> HttpResponse:
    _require(request, "accounts.create_organisation")
    form = OrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = services.organisation_create(**form.cleaned_data)
        messages.success(request, _("%(org)s has been added.") % {"org": organisation})
        return redirect("accounts:organisation", public_id=organisation.public_id)
    crumbs = _crumbs((_("Organisations"), reverse("accounts:organisations")), (_("Add"), None))
    return render(request, "accounts/organisation_form.html", {"form": form, "breadcrumbs": crumbs})


@login_required
def organisation_detail(request: AuthedRequest, public_id) -> HttpResponse:
    organisation = get_organisation_for_user(request.user, public_id, write=True)
    access_record_request(
        request, action=AccessAction.VIEW, object_type="organisation", object_id=str(public_id)
    )
    memberships = organisation_memberships(organisation)
    invitations = Invitation.objects.pending().filter(organisation=organisation)
    return render(
        request,
        "accounts/organisation_detail.html",
        {
            "organisation": organisation,
            "memberships": memberships,
            "invitations": invitations,
            "breadcrumbs": _crumbs(
                (_("Organisations"), reverse("accounts:organisations")), (organisation.name, None)
            ),
        },
    )


@login_required
def invitation_new(request: AuthedRequest, public_id) -> HttpResponse:
    organisation = get_organisation_for_user(request.user, public_id, write=True)
    form = InvitationForm(request.POST or None, roles=services.roles_for(organisation))
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_create(
                organisation=organisation, invited_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]},
            )
            return redirect("accounts:organisation", public_id=organisation.public_id)
    return render(
        request,
        "accounts/invitation_form.html",
        {
            "organisation": organisation,
            "form": form,
            "breadcrumbs": _crumbs(_org_crumb(organisation), (_("Invite"), None)),
        },
    )


@login_required
def invitation_revoke(request: AuthedRequest, public_id) -> HttpResponse:
    invitation = get_invitation_for_user(request.user, public_id)
    _require(request, "accounts.manage_organisation", invitation.organisation)
    if request.method == "POST":
        try:
            services.invitation_revoke(invitation=invitation)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The invitation has been withdrawn."))
        return redirect("accounts:organisation", public_id=invitation.organisation.public_id)
    crumbs = _crumbs(_org_crumb(invitation.organisation), (_("Withdraw invitation"), None))
    return render(
        request,
        "accounts/invitation_revoke.html",
        {"invitation": invitation, "breadcrumbs": crumbs},
    )


@login_required
def membership_end(request: AuthedRequest, pk: int) -> HttpResponse:
    membership = get_membership_for_user(request.user, pk, write=True)
    form = EndMembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_end(
                membership=membership, reason=form.cleaned_data["reason"], ended_by=request.user
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(person)s is no longer a member of %(org)s.")
                % {"person": membership.user, "org": membership.organisation},
            )
            return redirect("accounts:organisation", public_id=membership.organisation.public_id)
    return render(
        request,
        "accounts/membership_end.html",
        {
            "membership": membership,
            "form": form,
            "breadcrumbs": _crumbs(
                _org_crumb(membership.organisation), (_("End membership"), None)
            ),
        },
    )


@login_required
def request_list(request: AuthedRequest) -> HttpResponse:
    _require(request, "accounts.decide_account_request")
    status = request.GET.get("status", AccountRequestStatus.PENDING)
    if status not in AccountRequestStatus.values:
        status = AccountRequestStatus.PENDING
    requests = (
        AccountRequest.objects.visible_to(request.user)
        .filter(status=status)
        .prefetch_related("areas_served__organisation")
    )
    return render(
        request,
        "accounts/request_list.html",
        {
            "page_obj": paginate(request, requests),
            "status": status,
            "statuses": AccountRequestStatus.choices,
            "breadcrumbs": _crumbs((_("Account requests"), None)),
        },
    )


@login_required
def request_detail(request: AuthedRequest, public_id) -> HttpResponse:
    account_request = get_account_request_for_user(request.user, public_id)
    access_record_request(
        request, action=AccessAction.VIEW, object_type="account_request", object_id=str(public_id)
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                organisation = services.account_request_approve(
                    account_request=account_request,
                    decided_by=request.user,
                    note=form.cleaned_data["note"],
                )
                messages.success(
                    request,
                    _("%(org)s has been added and %(email)s invited.")
                    % {"org": organisation, "email": account_request.email},
                )
            else:
                services.account_request_reject(
                    account_request=account_request,
                    decided_by=request.user,
                    note=form.cleaned_data["note"],
                )
                messages.success(request, _("The request has been turned down."))
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            return redirect("accounts:requests")
    return render(
        request,
        "accounts/request_detail.html",
        {
            "account_request": account_request,
            "form": form,
            "breadcrumbs": _crumbs(
                (_("Account requests"), reverse("accounts:requests")),
                (account_request.organisation_name, None),
            ),
        },
    )
