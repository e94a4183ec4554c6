from django.urls import path

from . import views

app_name = "responses"

urlpatterns = [
    path("delegations/", views.delegations, name="delegations"),
    path("delegations/<int:pk>/withdraw/", views.delegation_withdraw, name="delegation_withdraw"),
    path("engagement/<uuid:public_id>/", views.engagement_responses, name="engagement_responses"),
    path("engagement/<uuid:public_id>/respond/", views.respond, name="respond"),
    path(
        "engagement/<uuid:public_id>/export.csv",
        views.engagement_responses_export,
        name="engagement_responses_export",
    ),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/submit/", views.submit, name="submit"),
    path("<uuid:public_id>/ready/", views.mark_ready, name="mark_ready"),
    path("<uuid:public_id>/versions/<int:number>/", views.version, name="version"),
]
