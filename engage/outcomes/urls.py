from django.urls import path

from . import views

app_name = "outcomes"

# Keyed by the engagement's public id: one outcome per engagement.
urlpatterns = [
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/record/", views.edit, name="edit"),
    path("<uuid:public_id>/publish/", views.publish, name="publish"),
]
