from django.apps import AppConfig


class BriefsConfig(AppConfig):
    name = "engage.briefs"
    verbose_name = "Voluntary sector: the brief on a policing body"

    def ready(self) -> None:
        from . import rules  # noqa: F401 (registers the permissions)
