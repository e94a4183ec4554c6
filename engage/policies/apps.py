from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "engage.policies"
    verbose_name = "Policies"
