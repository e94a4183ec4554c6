from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo content (`manage.py seed_demo`, development only). It sits above every domain
    app, so the content of one app can build on another's (a response on an engagement, a
    collective view on responses) without the apps importing each other for it."""

    name = "engage.demo"
    verbose_name = "Demo content"
