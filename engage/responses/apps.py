from django.apps import AppConfig


class ResponsesConfig(AppConfig):
    name = "engage.responses"
    verbose_name = "Responses"
