from django.apps import AppConfig


class ImplementationConfig(AppConfig):
    name = "engage.implementation"
    verbose_name = "Implementation agreements"
