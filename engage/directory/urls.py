from django.urls import path

from . import plan_views, views

app_name = "directory"

BODY = "bodies/<slug:slug>/"

urlpatterns = [
    path("", views.body_list, name="bodies"),
    path(BODY, views.body_detail, name="body"),
    # The police and crime plan (issue 10)
    path(BODY + "plan/", plan_views.plan, name="plan"),
    path(BODY + "plan/add/", plan_views.plan_add, name="plan_add"),
    path(BODY + "plan/edit/", plan_views.plan_edit, name="plan_edit"),
    path(BODY + "plan/replace/", plan_views.plan_replace, name="plan_replace"),
    path(BODY + "plan/priorities/add/", plan_views.priority_add, name="priority_add"),
    path(
        BODY + "plan/priorities/<uuid:public_id>/edit/",
        plan_views.priority_edit,
        name="priority_edit",
    ),
    path(
        BODY + "plan/priorities/<uuid:public_id>/move/",
        plan_views.priority_move,
        name="priority_move",
    ),
    path(
        BODY + "plan/priorities/<uuid:public_id>/remove/",
        plan_views.priority_remove,
        name="priority_remove",
    ),
    path(BODY + "plans/<uuid:public_id>/", plan_views.plan_version, name="plan_version"),
    # What the body publishes (issue 10)
    path(BODY + "published/", plan_views.published, name="publications"),
    path(BODY + "published/<slug:kind>/add/", plan_views.published_add, name="published_add"),
    path(
        BODY + "published/<slug:kind>/<uuid:public_id>/edit/",
        plan_views.published_edit,
        name="published_edit",
    ),
    path(
        BODY + "published/<slug:kind>/<uuid:public_id>/remove/",
        plan_views.published_remove,
        name="published_remove",
    ),
    path("national-bodies/", views.national_list, name="national"),
    path("standing-groups/", views.group_list, name="groups"),
    path("standing-groups/<slug:slug>/", views.group_detail, name="group"),
    path("standing-groups/<slug:slug>/add-body/", views.group_member_add, name="group_member_add"),
    path(
        "standing-groups/<slug:slug>/remove/<slug:body>/",
        views.group_member_remove,
        name="group_member_remove",
    ),
    path("standing-groups/<slug:slug>/lead/", views.group_lead, name="group_lead"),
    path("map/", views.force_map, name="map"),
]
