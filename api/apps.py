from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The open API (/api/v1/), API tokens, two-factor sign-in and the audit-log admin."""

    name = "api"
    verbose_name = _("API and security")

    def ready(self):
        from . import signals  # noqa: F401, PLC0415 (connects the receivers)
