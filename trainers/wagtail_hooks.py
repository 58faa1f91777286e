from wagtail.permissions import register_permission_policy

from lms.accounts.library_admin import OrgScopedPermissionPolicy

from .models import Expert, Trainer

# The library's admin (with its teaching figures) is registered by lms.training.
register_permission_policy(Trainer, OrgScopedPermissionPolicy(Trainer))
register_permission_policy(Expert, OrgScopedPermissionPolicy(Expert))
