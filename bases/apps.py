from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BasesConfig(AppConfig):
    name = "bases"
    label = "bases"
    verbose_name = _("Base and institution library")
