from django.apps import AppConfig


class SectorConfig(AppConfig):
    name = "engage.sector"
    verbose_name = "Voluntary sector: profiles and engagement activity"
