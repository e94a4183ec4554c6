from django.urls import path

from . import views

app_name = "compacts"

urlpatterns = [
    path("", views.compact_list, name="list"),
    path("new/", views.compact_create, name="create"),
    path("<uuid:public_id>/", views.compact_detail, name="detail"),
    path("<uuid:public_id>/change/", views.compact_edit, name="edit"),
    path("<uuid:public_id>/sign/", views.compact_sign, name="sign"),
    path(
        "<uuid:public_id>/signatures/<uuid:signature_id>/remove/",
        views.signature_remove,
        name="remove_signature",
    ),
]
