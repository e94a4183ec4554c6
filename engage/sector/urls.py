from django.urls import path

from . import views

app_name = "sector"

urlpatterns = [
    path("", views.my_organisation, name="my_organisation"),
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/<slug:slug>/", views.profile, name="profile"),
    path("organisations/<slug:slug>/edit/", views.profile_edit, name="profile_edit"),
    path("activity/", views.activity_list, name="activity_list"),
    path("activity/new/", views.activity_create, name="activity_create"),
    path("activity/<uuid:public_id>/", views.activity_detail, name="activity"),
    path("activity/<uuid:public_id>/edit/", views.activity_edit, name="activity_edit"),
    path("activity/<uuid:public_id>/share/", views.activity_share, name="activity_share"),
    path("activity/<uuid:public_id>/unshare/", views.activity_unshare, name="activity_unshare"),
    path("activity/<uuid:public_id>/delete/", views.activity_delete, name="activity_delete"),
    path("activity/<uuid:public_id>/follow-ups/new/", views.followup_add, name="followup_add"),
    path("follow-ups/<uuid:public_id>/edit/", views.followup_edit, name="followup_edit"),
    path("follow-ups/<uuid:public_id>/done/", views.followup_done, name="followup_done"),
    path("shared-with-us/", views.body_activity, name="body_activity"),
]
