"""Under engagements/<uuid:public_id>/collective/: the collective view of that engagement."""

from django.urls import path

from . import views

app_name = "collective"

urlpatterns = [
    path("", views.detail, name="detail"),
    path("start/", views.start, name="start"),
    path("edit/", views.edit, name="edit"),
    path("refresh/", views.refresh_sources, name="refresh"),
    path("send/", views.send, name="send"),
    path("sign/<slug:group>/", views.sign, name="sign"),
    path("submit/", views.submit, name="submit"),
    path("history/", views.history, name="history"),
    path("versions/<int:number>/", views.version, name="version"),
    path("export.<str:fmt>", views.export, name="export"),
]
