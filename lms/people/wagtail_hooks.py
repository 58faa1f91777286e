from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import viewsets


@hooks.register("register_admin_viewset")
def register_viewsets():
    return viewsets.WorkerViewSet("workers")


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("people/import/", viewsets.import_view, name="people_import"),
        path(
            "people/import/<int:pk>/confirm/",
            viewsets.import_confirm_view,
            name="people_import_confirm",
        ),
        path(
            "people/import/template/<str:kind>.xlsx",
            viewsets.import_template_view,
            name="people_import_template",
        ),
        path(
            "people/worker/<int:pk>/unmask/", viewsets.unmask_view, name="people_unmask"
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_import_menu_item():
    return MenuItem(
        _("Import"),
        reverse("people_import"),
        icon_name="upload",
        order=210,
    )
