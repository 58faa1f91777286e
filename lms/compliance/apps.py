from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from lms.policy import year_facts_source


class ComplianceConfig(AppConfig):
    name = "lms.compliance"
    label = "compliance"
    verbose_name = _("Annual minimum")

    def ready(self):
        from .selectors import year_facts  # noqa: PLC0415 (needs the models)

        year_facts_source(year_facts)
