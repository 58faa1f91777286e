from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from . import viewsets

register_snippet(viewsets.TemplateViewSet)


@hooks.register("register_admin_viewset")
def register_viewsets():
    return viewsets.CertificateViewSet("issued_certificates")


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "certificates-admin/<int:pk>/manage/",
            viewsets.admin_revoke,
            name="certificates_admin_revoke",
        ),
        path(
            "certificates-admin/<int:pk>/download/",
            viewsets.admin_download,
            name="certificates_admin_download",
        ),
        path(
            "certificates-admin/template/<int:pk>/preview.pdf",
            viewsets.template_preview,
            name="certificates_template_preview",
        ),
        path(
            "certificates-admin/issue/", viewsets.bulk_issue, name="certificates_bulk"
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_bulk_menu_item():
    return MenuItem(
        _("Issue certificates"),
        reverse("certificates_bulk"),
        icon_name="doc-full",
        order=410,
    )
