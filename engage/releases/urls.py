from django.urls import path

from . import views

app_name = "releases"

urlpatterns = [
    path("", views.incoming, name="incoming"),
    path("ours/", views.ours, name="ours"),
    path("engagement/<uuid:public_id>/ask/", views.ask_engagement, name="ask_engagement"),
    path("document/<uuid:public_id>/ask/", views.ask_document, name="ask_document"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/decide/", views.decide, name="decide"),
]
