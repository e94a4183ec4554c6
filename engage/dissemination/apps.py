from django.apps import AppConfig


class DisseminationConfig(AppConfig):
    name = "engage.dissemination"
    verbose_name = "Dissemination requests"
