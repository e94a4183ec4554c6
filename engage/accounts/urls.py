from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("accounts/mfa-required/", views.mfa_required, name="mfa_required"),
    path("accounts/switch-organisation/", views.switch_organisation, name="switch_organisation"),
    path("accounts/invitation/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("accounts/request/", views.account_request_new, name="request_new"),
    path("manage/", views.admin_home, name="admin_home"),
    path("manage/organisations/", views.organisation_list, name="organisations"),
    path("manage/organisations/new/", views.organisation_new, name="organisation_new"),
    path(
        "manage/organisations/<uuid:public_id>/",
        views.organisation_detail,
        name="organisation",
    ),
    path(
        "manage/organisations/<uuid:public_id>/invite/",
        views.invitation_new,
        name="invite",
    ),
    path(
        "manage/invitations/<uuid:public_id>/withdraw/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("manage/memberships/<int:pk>/end/", views.membership_end, name="membership_end"),
    path("manage/requests/", views.request_list, name="requests"),
    path("manage/requests/<uuid:public_id>/", views.request_detail, name="request_detail"),
]
