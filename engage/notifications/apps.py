from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "engage.notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # Daily summaries are made and sent from the workers' heartbeat, from the data.
        from engage.core.periodic import periodic_register

        from .digests import digests_send_due

        periodic_register(digests_send_due)
