from django.apps import AppConfig


class AcknowledgementsConfig(AppConfig):
    name = "engage.acknowledgements"
    verbose_name = "Acknowledgements"

    def ready(self) -> None:
        from engage.core import panels

        from .panels import engagement_panel

        panels.register("engagement", 20, "acknowledgements", engagement_panel)
