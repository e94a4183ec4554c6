from django.apps import AppConfig


class CompactsConfig(AppConfig):
    name = "engage.compacts"
    verbose_name = "Local Compacts"
