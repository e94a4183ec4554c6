from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "engage.directory"
    verbose_name = "Directory"
