from django.apps import AppConfig


class ReleasesConfig(AppConfig):
    name = "engage.releases"
    verbose_name = "Release requests"

    def ready(self) -> None:
        from engage.core import panels

        from . import rules  # noqa: F401 (registers the permissions)
        from .panels import engagement_panel, inbox_panel

        panels.register("engagement", 60, "releases", engagement_panel)
        panels.register("inbox", 60, "releases", inbox_panel)
