from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy

from lms.accounts.library_admin import OrgScopedPermissionPolicy

from .models import QuestionBank, Textbook
from .viewsets import (
    QuestionBankViewSet,
    QuestionViewSet,
    TextbookViewSet,
    bank_export_view,
    bank_import_view,
)

register_permission_policy(Textbook, OrgScopedPermissionPolicy(Textbook))
register_permission_policy(QuestionBank, OrgScopedPermissionPolicy(QuestionBank))


@hooks.register("register_admin_viewset")
def register_textbooks():
    return TextbookViewSet("textbooks")


@hooks.register("register_admin_viewset")
def register_banks():
    return [QuestionBankViewSet("banks"), QuestionViewSet("questions")]


@hooks.register("register_admin_urls")
def register_bank_urls():
    return [
        path("banks/<int:pk>/import/", bank_import_view, name="courses_bank_import"),
        path(
            "banks/<int:pk>/export.xlsx", bank_export_view, name="courses_bank_export"
        ),
    ]


@hooks.register("register_admin_menu_item")
def study_audit_menu_item():
    return MenuItem(
        _("Study audit"), reverse("courses:audit"), icon_name="view", order=306
    )
