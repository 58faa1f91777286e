from wagtail import hooks
from wagtail.permissions import register_permission_policy

from lms.accounts.library_admin import OrgScopedPermissionPolicy

from .models import Expert, Trainer
from .views import TrainerLibraryGroup

register_permission_policy(Trainer, OrgScopedPermissionPolicy(Trainer))
register_permission_policy(Expert, OrgScopedPermissionPolicy(Expert))


@hooks.register("register_admin_viewset")
def register_trainer_library():
    return TrainerLibraryGroup()
