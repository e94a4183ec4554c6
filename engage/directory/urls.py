from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("", views.body_list, name="bodies"),
    path("bodies/<slug:slug>/", views.body_detail, name="body"),
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
