from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "engage.core"
    verbose_name = "Core"
