from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "engage.core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from .middleware import start_session_clocks

        user_logged_in.connect(start_session_clocks, dispatch_uid="engage.session_clocks")
