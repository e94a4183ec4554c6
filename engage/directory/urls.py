from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("", views.body_list, name="bodies"),
    path("bodies/<slug:slug>/", views.body_detail, name="body"),
    path("national-bodies/", views.national_list, name="national"),
    path("standing-groups/", views.group_list, name="groups"),
    path("standing-groups/<slug:slug>/", views.group_detail, name="group"),
    path("map/", views.force_map, name="map"),
]
