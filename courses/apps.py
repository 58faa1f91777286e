from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    label = "courses"
    verbose_name = _("Course library")

    def ready(self):
        # The ledger shows lessons and tests as words (lms.training.sources).
        from .selectors import ledger_sources_register  # noqa: PLC0415 (models)

        ledger_sources_register()
