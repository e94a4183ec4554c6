from django.apps import AppConfig


class ImpactConfig(AppConfig):
    name = "engage.impact"
    verbose_name = "Voluntary sector: impact evidence and impact cases"
