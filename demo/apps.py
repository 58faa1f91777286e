from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo city (`manage.py seed_demo`): kept apart from the product apps, above
    all of them; nothing imports it."""

    name = "demo"
    label = "demo"
    verbose_name = "Demo data"
