from django.apps import AppConfig


class CollectiveConfig(AppConfig):
    name = "engage.collective"
    verbose_name = "Collective views"

    def ready(self) -> None:
        from engage.core import panels

        from .panels import engagement_panel

        panels.register("engagement", 50, "collective-view", engagement_panel)
