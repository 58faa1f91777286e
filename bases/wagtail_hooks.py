from wagtail import hooks
from wagtail.permissions import register_permission_policy

from lms.accounts.library_admin import OrgScopedPermissionPolicy

from .models import Base, Institution
from .viewsets import BaseLibraryGroup

register_permission_policy(Base, OrgScopedPermissionPolicy(Base))
register_permission_policy(Institution, OrgScopedPermissionPolicy(Institution))


@hooks.register("register_admin_viewset")
def register_base_library():
    return BaseLibraryGroup()
