from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("engage.core.urls")),
    path("accounts/", include("engage.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("directory/", include("engage.directory.urls")),
    path("activity/", include("engage.audit.urls")),
    path("django-admin/", admin.site.urls),
]

handler403 = "engage.core.views.permission_denied"
handler404 = "engage.core.views.page_not_found"
handler500 = "engage.core.views.server_error"

