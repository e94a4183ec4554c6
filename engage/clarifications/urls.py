from django.urls import path

from . import views

app_name = "clarifications"

urlpatterns = [
    path("", views.received, name="received"),
    path("asked/", views.asked, name="asked"),
    path("engagement/<uuid:public_id>/", views.engagement_published, name="engagement"),
    path("engagement/<uuid:public_id>/ask/", views.ask, name="ask"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/answer/", views.answer, name="answer"),
    path("<uuid:public_id>/publish/", views.publish, name="publish"),
]
