from django.apps import AppConfig


class CompactsConfig(AppConfig):
    name = "engage.compacts"
    verbose_name = "Local Compacts"

    def ready(self) -> None:
        from . import rules  # noqa: F401 (registers the permissions)
