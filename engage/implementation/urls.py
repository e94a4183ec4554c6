from django.urls import path

from . import views

app_name = "implementation"

urlpatterns = [
    path("", views.proposed, name="proposed"),
    path("ours/", views.ours, name="ours"),
    path("policy/<uuid:public_id>/", views.status, name="status"),
    path("policy/<uuid:public_id>/status.csv", views.status_csv, name="status_csv"),
    path("policy/<uuid:public_id>/propose/", views.propose, name="propose"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/accept/", views.accept, name="accept"),
    path("<uuid:public_id>/decline/", views.decline, name="decline"),
    path("<uuid:public_id>/changes/", views.changes, name="changes"),
    path("<uuid:public_id>/accept-changes/", views.accept_changes, name="accept_changes"),
    path("<uuid:public_id>/revise/", views.revise, name="revise"),
    path("<uuid:public_id>/withdraw/", views.withdraw, name="withdraw"),
    path("<uuid:public_id>/comment/", views.comment, name="comment"),
    path("<uuid:public_id>/milestones/add/", views.milestone_add, name="milestone_add"),
    path("milestones/<uuid:public_id>/update/", views.milestone_update, name="milestone_update"),
]
