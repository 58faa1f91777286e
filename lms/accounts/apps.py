from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    default = True  # this module holds two app configs
    name = "lms.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):

        from . import permission_audit, signals  # noqa: F401, PLC0415 (audit receivers)
        from .exports import guard_wagtail_exports  # noqa: PLC0415 (needs Wagtail loaded)
        from .groups import ensure_admin_groups  # noqa: PLC0415 (needs the models)

        guard_wagtail_exports()
        # After every app (not only this one), so later apps' permissions exist.
        post_migrate.connect(ensure_admin_groups, dispatch_uid="ensure_admin_groups")


class WagtailUsersConfig(WagtailUsersAppConfig):
    """Wagtail's users app with the project's user and group editors: role and
    organisation on the user forms, data scope, escalation guards, audit."""

    default = False
    user_viewset = "lms.accounts.viewsets.UserViewSet"
    group_viewset = "lms.accounts.viewsets.GroupViewSet"
