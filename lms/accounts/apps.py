from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "lms.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import signals  # noqa: F401  (sign-in audit receivers)
        from .groups import ensure_admin_groups

        # After every app (not only this one), so later apps' permissions exist.
        post_migrate.connect(ensure_admin_groups, dispatch_uid="ensure_admin_groups")
