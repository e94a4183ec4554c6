from django.apps import AppConfig


class EngagementsConfig(AppConfig):
    name = "engage.engagements"
    verbose_name = "Engagements"
