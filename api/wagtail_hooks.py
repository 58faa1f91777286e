from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views

admin_patterns = [
    path("audit-log/", views.audit_log_index, name="audit_log"),
    path("tokens/", views.token_index, name="tokens"),
    path("tokens/new/", views.token_create, name="token_create"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]


@hooks.register("register_admin_urls")
def register_security_urls():
    return [path("security/", include((admin_patterns, "api_admin")))]


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs):
        self.permission = permission
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_menu_item")
def audit_log_menu_item():
    return PermissionMenuItem(
        _("Audit log"),
        reverse("api_admin:audit_log"),
        icon_name="list-ul",
        order=9000,
        permission="accounts.view_auditlog",
    )


@hooks.register("register_admin_menu_item")
def api_tokens_menu_item():
    return PermissionMenuItem(
        _("API tokens"),
        reverse("api_admin:tokens"),
        icon_name="key",
        order=9010,
        permission="api.view_apitoken",
    )


@hooks.register("register_admin_menu_item")
def two_factor_menu_item():
    return MenuItem(
        _("Two-factor sign-in"),
        reverse("api_security:two_factor_setup"),
        icon_name="lock",
        order=9020,
    )
