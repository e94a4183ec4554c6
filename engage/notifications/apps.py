from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "engage.notifications"
    verbose_name = "Notifications"
