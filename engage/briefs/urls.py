# The brief is read from the directory (plans, contacts, commissioning, routes, key dates) and
# the Compacts; it stores nothing of its own.
from django.urls import path

from . import views

app_name = "briefs"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.brief, name="brief"),
    path("<slug:slug>/pdf/", views.pdf, name="pdf"),
]
