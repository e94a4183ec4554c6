from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path

# Django admin signs in through allauth, so MFA applies there too.
admin.site.login = login_required(admin.site.login)  # type: ignore[method-assign]

urlpatterns = [
    path("", include("engage.core.urls")),
    path("", include("engage.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("directory/", include("engage.directory.urls")),
    path("activity/", include("engage.audit.urls")),
    path("policies/", include("engage.policies.urls")),
    path("engagements/", include("engage.engagements.urls")),
    path("documents/", include("engage.documents.urls")),
    path("responses/", include("engage.responses.urls")),
    path("django-admin/", admin.site.urls),
]

handler403 = "engage.core.views.permission_denied"
handler404 = "engage.core.views.page_not_found"
handler500 = "engage.core.views.server_error"
