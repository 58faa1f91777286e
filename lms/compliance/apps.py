from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "lms.compliance"
    label = "compliance"
    verbose_name = _("Annual minimum")

    def ready(self):
        from lms.policy import year_facts_source  # noqa: PLC0415 (apps load first)

        from .selectors import year_facts  # noqa: PLC0415 (models load first)

        year_facts_source(year_facts)
