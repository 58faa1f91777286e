from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy

from lms.accounts.library_admin import OrgScopedPermissionPolicy

from . import viewsets
from .chooser import mentor_chooser_viewset, worker_chooser_viewset
from .models import Mentor, PoolMember, Studio

register_permission_policy(Studio, OrgScopedPermissionPolicy(Studio))
register_permission_policy(PoolMember, OrgScopedPermissionPolicy(PoolMember))
register_permission_policy(Mentor, OrgScopedPermissionPolicy(Mentor))


@hooks.register("register_admin_viewset")
def register_mentoring():
    return viewsets.MentoringGroup()


@hooks.register("register_admin_viewset")
def register_worker_chooser():
    return worker_chooser_viewset


@hooks.register("register_admin_viewset")
def register_mentor_chooser():
    return mentor_chooser_viewset


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "mentoring/bulk-place/",
            viewsets.placements.bulk_place_view,
            name="mentoring_bulk_place",
        )
    ]


@hooks.register("register_admin_menu_item")
def register_bulk_place_menu_item():
    return MenuItem(
        _("Bulk placement"),
        reverse("mentoring_bulk_place"),
        icon_name="group",
        order=331,
    )


@hooks.register("register_admin_menu_item")
def register_pool_dashboard_menu_item():
    return MenuItem(
        _("Accompanying support (续航计划)"),
        reverse("mentoring:pool"),
        icon_name="site",
        order=332,
    )
