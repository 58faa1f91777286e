from wagtail import hooks
from wagtail.permissions import register_permission_policy

from lms.accounts.library_admin import OrgScopedPermissionPolicy

from .models import Textbook
from .wagtail_views import TextbookViewSet

register_permission_policy(Textbook, OrgScopedPermissionPolicy(Textbook))


@hooks.register("register_admin_viewset")
def register_textbooks():
    return TextbookViewSet("textbooks")
