from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MentoringConfig(AppConfig):
    name = "mentoring"
    verbose_name = _("Mentoring and shadowing")

    def ready(self):
        # The ledger shows placements as words (lms.training.sources).
        from .selectors import ledger_sources_register  # noqa: PLC0415 (models)

        ledger_sources_register()
