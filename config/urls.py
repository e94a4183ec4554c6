from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path

from engage.audit import views as audit_views

# Django admin signs in through allauth, so MFA applies there too.
admin.site.login = login_required(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", include("engage.core.urls")),
    path("", include("engage.accounts.urls")),
    # Before allauth's own URLs, so this answers instead of allauth's email page.
    path("accounts/email/", audit_views.email_management_closed),
    path("accounts/", include("allauth.urls")),
    path("directory/", include("engage.directory.urls")),
    path("activity/", include("engage.audit.urls")),
    path("notifications/", include("engage.notifications.urls")),
    path("calendar/", include("engage.notifications.feed_urls")),
    path("policies/", include("engage.policies.urls")),
    path(
        "engagements/<uuid:public_id>/collective/",
        include("engage.collective.urls"),
    ),
    path("engagements/", include("engage.engagements.urls")),
    path("documents/", include("engage.documents.urls")),
    path("responses/", include("engage.responses.urls")),
    path("releases/", include("engage.releases.urls")),
    path("outcomes/", include("engage.outcomes.urls")),
    path("clarifications/", include("engage.clarifications.urls")),
    path("acknowledgements/", include("engage.acknowledgements.urls")),
    path("dissemination/", include("engage.dissemination.urls")),
    path("implementation/", include("engage.implementation.urls")),
    path("compacts/", include("engage.compacts.urls")),
    path("sector/", include("engage.sector.urls")),
    path("impact/", include("engage.impact.urls")),
    path("briefs/", include("engage.briefs.urls")),
    path("django-admin/", admin.site.urls),
]

handler403 = "engage.audit.views.permission_denied"
handler404 = "engage.audit.views.page_not_found"
handler500 = "engage.core.views.server_error"
# allauth looks this up to answer its rate limits.
handler429 = "engage.core.views.too_many_requests"
