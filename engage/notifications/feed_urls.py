"""The calendar feed's own address, outside /notifications/: calendar apps fetch it without
signing in, with the secret in the link."""

from django.urls import path

from . import views

app_name = "calendar"

urlpatterns = [
    path("<str:token>.ics", views.calendar_feed, name="feed"),
]
