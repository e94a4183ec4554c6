from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    name = "engage.documents"
    verbose_name = "Documents"
