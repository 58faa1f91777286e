from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.permissions import register_permission_policy

from .chooser import class_chooser_viewset
from .models import Attendance, CreditEntry, Enrolment, ExternalTraining
from .viewsets import bulk, records
from .viewsets.base import ReadOnlyPolicy
from .viewsets.trainers import TrainerLibraryGroup
from .viewsets.training import TrainingViewSetGroup

# Listing and inspecting only: changes go through the services.
for _model in (Attendance, CreditEntry, Enrolment, ExternalTraining):
    register_permission_policy(_model, ReadOnlyPolicy(_model))


@hooks.register("register_admin_viewset")
def register_viewsets():
    return TrainingViewSetGroup()


@hooks.register("register_admin_viewset")
def register_trainer_library():
    return TrainerLibraryGroup()


@hooks.register("register_admin_viewset")
def register_class_chooser():
    return class_chooser_viewset


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("training/bulk-enrol/", bulk.bulk_enrol_view, name="training_bulk_enrol"),
        path(
            "training/bulk-enrol/<int:pk>/undo/",
            bulk.bulk_enrol_undo_view,
            name="training_bulk_enrol_undo",
        ),
        path("training/import/", bulk.import_view, name="training_import"),
        path(
            "training/import/<int:pk>/confirm/",
            bulk.import_confirm_view,
            name="training_import_confirm",
        ),
        path(
            "training/import/template.xlsx",
            bulk.import_template_view,
            name="training_import_template",
        ),
        path(
            "training/ledger/<int:pk>/reverse/",
            records.ledger_reverse_view,
            name="training_ledger_reverse",
        ),
        path(
            "training/external/<int:pk>/review/",
            records.external_review_view,
            name="training_external_review",
        ),
        path(
            "training/external/<int:pk>/certificate/",
            records.external_certificate_view,
            name="training_external_certificate",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_bulk_enrol_menu_item():
    return MenuItem(
        _("Bulk enrolment"),
        reverse("training_bulk_enrol"),
        icon_name="group",
        order=225,
    )


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return MenuItem(
        _("Import training records"),
        reverse("training_import"),
        icon_name="upload",
        order=226,
    )
