from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("new/", views.document_new, name="new"),
    path("<uuid:public_id>/", views.document_detail, name="detail"),
    path("<uuid:public_id>/replace/", views.document_replace, name="replace"),
    path("<uuid:public_id>/label/", views.document_release, name="release"),
    path("<uuid:public_id>/download/", views.download, name="download"),
    path("<uuid:public_id>/download/warning/", views.download_warning, name="download_warning"),
    path(
        "<uuid:public_id>/versions/<int:number>/download/",
        views.version_download,
        name="version_download",
    ),
]
