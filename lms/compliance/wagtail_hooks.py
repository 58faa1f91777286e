from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from .models import YearPolicy
from .services import year_policy_audit
from .viewsets import YearPolicyViewSet

register_snippet(YearPolicyViewSet)


def _audit_policy(request, instance):
    if isinstance(instance, YearPolicy):
        year_policy_audit(policy=instance, actor=request.user, request=request)


hooks.register("after_create_snippet", _audit_policy)
hooks.register("after_edit_snippet", _audit_policy)


@hooks.register("register_admin_menu_item")
def compliance_dashboard_menu_item():
    return MenuItem(
        _("Training compliance"),
        reverse("compliance:dashboard"),
        icon_name="tasks",
        order=305,
    )
