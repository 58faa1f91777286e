"""The administrators' pages of certificates in the Wagtail admin: issue, revoke,
download, template preview, and the template and certificate viewsets."""

from __future__ import annotations

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.snippets.views.snippets import SnippetViewSet

from courses.models import CoursePage
from lms.accounts.admin_scope import (
    ScopedViewSetMixin,
    scoped_org_nodes,
    subtree_filter,
)
from lms.accounts.files import serve_bytes, serve_file
from lms.accounts.scoping import org_in_scope, scope_queryset, scoped_object_or_404
from lms.jobs.services import job_create
from lms.org.chooser import org_chooser
from lms.org.models import OrgLevel, OrgNode
from lms.training.chooser import class_chooser_viewset
from lms.training.models import TrainingClass

from . import services
from .models import Certificate, CertificateKind, CertificateStatus, CertificateTemplate
from .tasks import certificates_bulk_issue_task

# --- Administrators (Wagtail admin pages) --------------------------------------------


def _admin_certificate(request, pk: int) -> Certificate:
    qs = scope_queryset(
        Certificate.objects.select_related("worker__community", "issuer_org"),
        request.user,
        org_field="worker__community",
    )
    return get_object_or_404(qs, pk=pk)


def admin_download(request, pk: int):
    if not request.user.has_perm("certificates.view_certificate"):
        raise PermissionDenied
    cert = _admin_certificate(request, pk)
    return serve_file(request, cert.file, filename=f"{cert.serial}.pdf")


class ReasonForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("revoke", gettext_lazy("Revoke")),
            ("reissue", gettext_lazy("Reissue")),
        ]
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 3})
    )


@require_http_methods(["GET", "POST"])
def admin_revoke(request, pk: int):
    """Revoke or reissue, for administrators of the issuing subtree, with a reason."""
    if not request.user.has_perm("certificates.revoke_certificate"):
        raise PermissionDenied
    cert = _admin_certificate(request, pk)
    if not org_in_scope(request.user, cert.issuer_org):
        raise PermissionDenied
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = form.cleaned_data["action"]
        try:
            if action == "revoke":
                services.certificate_revoke(
                    certificate=cert,
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                    request=request,
                )
                messages.success(request, _("The certificate was revoked."))
            else:
                new = services.certificate_reissue(
                    certificate=cert,
                    reason=form.cleaned_data["reason"],
                    actor=request.user,
                    request=request,
                )
                messages.success(
                    request,
                    _("Reissued with the new serial %(serial)s.")
                    % {"serial": new.serial},
                )
                cert = new
        except services.CertificateError as exc:
            for reason in exc.reasons:
                form.add_error(None, reason)
        else:
            return redirect("certificates_admin_revoke", pk=cert.pk)
    return render(
        request,
        "certificates/admin/revoke.html",
        {"cert": cert, "form": form, "events": cert.events.select_related("actor")},
    )


def template_preview(request, pk: int):
    """A PDF of the template with sample data."""
    template = scoped_object_or_404(
        request,
        CertificateTemplate.objects.all(),
        pk,
        perm="certificates.change_certificatetemplate",
        org_field="org",
    )
    try:
        content = services.template_preview(template)
    except (ValueError, OSError, services.CertificateError) as exc:
        return HttpResponse(
            _("The template cannot be rendered: %(error)s") % {"error": exc},
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    return serve_bytes(content, filename="preview.pdf", inline=True)


class BulkIssueForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What to issue"),
        choices=[
            ("annual", gettext_lazy("Annual training records for a subtree")),
            ("completion", gettext_lazy("Completion certificates for a class")),
            (
                "course",
                gettext_lazy("Completion certificates for an online course"),
            ),
            ("service", gettext_lazy("Honours and medals for years of service")),
        ],
    )
    org = forms.ModelChoiceField(
        label=gettext_lazy("Organisation"),
        queryset=OrgNode.objects.none(),
        widget=org_chooser(),
        required=False,
    )
    year = forms.IntegerField(
        label=gettext_lazy("Year"), min_value=2000, max_value=2100, required=False
    )
    training_class = forms.ModelChoiceField(
        label=gettext_lazy("Class"),
        queryset=TrainingClass.objects.none(),
        widget=class_chooser_viewset.widget_class(),
        required=False,
    )
    course = forms.ModelChoiceField(
        label=gettext_lazy("Online course"),
        queryset=CoursePage.objects.none(),
        required=False,
    )

    def __init__(self, *args, user=None, **kwargs):
        """Every choice comes from the user's subtree: a value from elsewhere, even
        posted by hand, is refused by the field as not one of its choices."""
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["org"].queryset = scoped_org_nodes(user)
        self.fields["training_class"].queryset = scope_queryset(
            TrainingClass.objects.select_related("organiser"),
            user,
            org_field="organiser",
        )
        self.fields["course"].queryset = scope_queryset(
            CoursePage.objects.order_by("title"), user, org_field="owner_org"
        )

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        needed = {
            "annual": ("org", "year"),
            "service": ("org",),
            "completion": ("training_class",),
            "course": ("course",),
        }.get(kind, ())
        for name in needed:
            if not data.get(name) and name not in self.errors:
                self.add_error(name, _("Choose one for this kind of certificate."))
        return data


@require_http_methods(["GET", "POST"])
def bulk_issue(request):
    """Start a bulk issue in Celery and go to its progress page."""

    if not request.user.has_perm("certificates.issue_certificate"):
        raise PermissionDenied
    form = BulkIssueForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        params = {"kind": data["kind"], "language": request.LANGUAGE_CODE}
        if data["kind"] == "completion":
            params["class_id"] = data["training_class"].pk
            title = _("Completion certificates for class %(id)s") % {
                "id": data["training_class"].title
            }
        elif data["kind"] == "course":
            params["course_id"] = data["course"].pk
            title = _("Completion certificates for online course %(id)s") % {
                "id": data["course"].title
            }
        else:
            params["org"] = data["org"].code
            params["year"] = data.get("year")
            title = _("Certificates for %(org)s") % {"org": data["org"].name}
        job = job_create(
            kind="certificates_bulk_issue",
            title=title,
            created_by=request.user,
            params=params,
            enqueue=lambda job_id: certificates_bulk_issue_task.delay(job_id),
        )
        return redirect(reverse("jobs:detail", args=[job.pk]))
    return render(request, "certificates/admin/bulk_issue.html", {"form": form})


# --- Wagtail viewsets ------------------------------------------------------------------


class LinkColumn(Column):
    """A column of one link per row (preview, revoke)."""

    def __init__(self, name, *, label, url_name, text):
        super().__init__(name, label=label)
        self.url_name, self.text = url_name, text

    def get_value(self, instance):
        return format_html(
            '<a href="{}">{}</a>', reverse(self.url_name, args=[instance.pk]), self.text
        )


class TemplateViewSet(ScopedViewSetMixin, SnippetViewSet):
    model = CertificateTemplate
    scope_field = "org"
    icon = "doc-full"
    menu_label = gettext_lazy("Certificate templates")
    list_display = [
        "name",
        "kind",
        "org",
        "is_active",
        "orientation",
        LinkColumn(
            "preview",
            label=gettext_lazy("Preview"),
            url_name="certificates_template_preview",
            text=gettext_lazy("Preview PDF"),
        ),
    ]
    list_filter = ["kind", "is_active"]
    copy_view_enabled = True


class CertificateFilterSet(WagtailFilterSet):
    org = subtree_filter(
        label=gettext_lazy("Within"),
        levels=(OrgLevel.CITY, OrgLevel.DISTRICT, OrgLevel.STREET, OrgLevel.COMMUNITY),
        field="worker__community",
    )
    kind = django_filters.ChoiceFilter(choices=CertificateKind.choices)
    status = django_filters.ChoiceFilter(choices=CertificateStatus.choices)
    year = django_filters.NumberFilter()

    class Meta:
        model = Certificate
        fields = ["kind", "status", "year", "org"]


class CertificateViewSet(ScopedViewSetMixin, ModelViewSet):
    model = Certificate
    scope_field = "worker__community"
    icon = "doc-full"
    menu_label = gettext_lazy("Certificates")
    menu_order = 400
    add_to_admin_menu = True
    copy_view_enabled = False
    inspect_view_enabled = True
    list_per_page = 50
    list_display = [
        "serial",
        Column("masked_holder", label=gettext_lazy("holder")),
        "title",
        "kind",
        "year",
        "status",
        "issued_at",
        LinkColumn(
            "manage",
            label=gettext_lazy("Manage"),
            url_name="certificates_admin_revoke",
            text=gettext_lazy("Download, revoke, reissue"),
        ),
    ]
    list_export = [
        "serial",
        "get_kind_display",
        "masked_holder",
        "worker.community.name",
        "title",
        "year",
        "days",
        "hours",
        "issuer_name",
        "issued_at",
        "get_status_display",
        "revoked_at",
        "revoke_reason",
        "sha256",
    ]
    export_headings = {
        "get_kind_display": gettext_lazy("kind"),
        "masked_holder": gettext_lazy("holder"),
        "worker.community.name": gettext_lazy("community"),
        "get_status_display": gettext_lazy("status"),
    }
    filterset_class = CertificateFilterSet
    search_fields = ["serial", "holder_name", "title"]
    search_backend_name = None
    # Certificates change only through the services (revoke, reissue); nobody gets
    # the change or delete permission, this form is never offered.
    form_fields = ["revoke_reason"]
    inspect_view_fields = [
        "serial",
        "kind",
        "masked_holder",
        "title",
        "year",
        "days",
        "hours",
        "issuer_name",
        "issued_at",
        "status",
        "revoked_at",
        "revoke_reason",
        "sha256",
    ]

    def get_queryset(self, request):
        return Certificate.objects.select_related("worker__community")
