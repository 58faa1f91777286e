from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy

from trainers.admin_scope import OrgScopedPermissionPolicy

from .models import Textbook
from .wagtail_views import TextbookViewSet

register_permission_policy(Textbook, OrgScopedPermissionPolicy(Textbook))


@hooks.register("register_admin_viewset")
def register_textbooks():
    return TextbookViewSet("textbooks")


@hooks.register("register_admin_menu_item")
def study_audit_menu_item():
    return MenuItem(
        _("Study audit"), reverse("courses:audit"), icon_name="view", order=306
    )
