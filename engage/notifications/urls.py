from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read/", views.notifications_read_all, name="read_all"),
    path("settings/", views.notification_settings, name="settings"),
    path("<uuid:public_id>/open/", views.notification_open, name="open"),
    path("calendar/", views.calendar_settings, name="calendar"),
    path("calendar/on/", views.calendar_turn_on, name="calendar_on"),
    path("calendar/new-link/", views.calendar_renew, name="calendar_renew"),
    path("calendar/off/", views.calendar_turn_off, name="calendar_off"),
]
