from django.urls import path

from . import views

app_name = "dissemination"

urlpatterns = [
    path("", views.made, name="made"),
    path("asked/", views.asked, name="asked"),
    path("engagement/<uuid:public_id>/new/", views.create, name="create"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/confirm/", views.confirm, name="confirm"),
    path("<uuid:public_id>/status/", views.status, name="status"),
    path("attachment/<uuid:public_id>/", views.attachment, name="attachment"),
    path("<uuid:public_id>/status.<str:fmt>", views.export, name="export"),
]
