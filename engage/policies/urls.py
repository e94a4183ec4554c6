from django.urls import path

from . import views

app_name = "policies"

urlpatterns = [
    path("", views.register, name="register"),
    path("new/", views.policy_new, name="new"),
    path("<uuid:public_id>/", views.policy_detail, name="detail"),
    path("<uuid:public_id>/edit/", views.policy_edit, name="edit"),
    path("<uuid:public_id>/stage/", views.policy_stage, name="stage"),
    path("<uuid:public_id>/magnitude/", views.policy_magnitude, name="magnitude"),
    path("<uuid:public_id>/screen/", views.policy_screen, name="screen"),
    path("<uuid:public_id>/key-dates/new/", views.key_date_new, name="key_date_new"),
    path(
        "<uuid:public_id>/key-dates/<uuid:key_date_id>/archive/",
        views.key_date_archive,
        name="key_date_archive",
    ),
]
