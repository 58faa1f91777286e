"""Wagtail admin: the records of training, listed and inspected only (enrolments,
attendance, the ledger with reversal, external-training approvals); every change
goes through the services."""

from itertools import islice

import django_filters
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic

from lms.accounts.files import serve_file
from lms.accounts.scoping import scope_queryset, scoped_object_or_404
from lms.training.chooser import class_chooser_viewset
from lms.training.forms import ReasonForm
from lms.training.models import (
    Attendance,
    CreditEntry,
    CreditKind,
    Enrolment,
    EnrolmentStatus,
    ExternalTraining,
    ReviewStatus,
    TrainingClass,
)
from lms.training.selectors import claim_review
from lms.training.services import (
    ExternalTrainingError,
    LedgerError,
    credit_entry_reverse,
    external_training_approve,
    external_training_reject,
)
from lms.training.sources import sources_label

from .base import LinkColumn, ReadOnlyViewSet

# --- Enrolments, attendance -----------------------------------------------------------


def _scoped_classes(request):
    if request is None:
        return TrainingClass.objects.none()
    return scope_queryset(
        TrainingClass.objects.all(), request.user, org_field="organiser"
    )


class EnrolmentFilterSet(WagtailFilterSet):
    training_class = django_filters.ModelChoiceFilter(
        label=gettext_lazy("class"),
        queryset=_scoped_classes,
        widget=class_chooser_viewset.widget_class(),
    )
    status = django_filters.ChoiceFilter(choices=EnrolmentStatus.choices)

    class Meta:
        model = Enrolment
        fields = ["training_class", "status", "source"]


class EnrolmentViewSet(ReadOnlyViewSet):
    model = Enrolment
    icon = "group"
    menu_label = gettext_lazy("Enrolments")
    list_display = [
        "worker",
        "training_class",
        "status",
        "source",
        "requested_at",
    ]
    list_export = [
        "worker.name",
        "worker.id_number_masked",
        "training_class.title",
        "get_status_display",
        "get_source_display",
        "requested_at",
    ]
    filterset_class = EnrolmentFilterSet
    form_fields = ["status"]

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            queryset=Enrolment.objects.select_related("worker", "training_class"),
            **kwargs,
        )


class AttendanceViewSet(ReadOnlyViewSet):
    model = Attendance
    scope_field = "enrolment__worker__community"
    icon = "tick"
    menu_label = gettext_lazy("Attendance")
    list_display = [
        "enrolment",
        "session",
        "checked_in_at",
        "checked_out_at",
        "method",
        "reason",
    ]
    list_filter = ["method"]
    form_fields = ["reason"]

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            queryset=Attendance.objects.select_related(
                "enrolment__worker", "session__training_class"
            ),
            **kwargs,
        )


# --- Ledger ----------------------------------------------------------------------------


class LedgerFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(choices=CreditKind.choices)
    year = django_filters.NumberFilter(
        label=gettext_lazy("year"), field_name="date", lookup_expr="year"
    )

    class Meta:
        model = CreditEntry
        fields = ["kind", "training_type", "year"]


class _LabelledRows:
    """The exported entries with their sources in words, read a chunk at a time
    (Wagtail's spreadsheet writer iterates this and reads `.model` for headings)."""

    chunk = 2000

    def __init__(self, queryset):
        self.model = queryset.model
        self.queryset = queryset

    def __iter__(self):
        rows = self.queryset.iterator(chunk_size=self.chunk)
        while chunk := list(islice(rows, self.chunk)):
            sources_label(chunk)
            yield from chunk


class LedgerIndexView(generic.IndexView):
    """Each entry's source in words, read for the whole page (or export) at once."""

    def get_table(self, object_list):
        sources_label(object_list)
        return super().get_table(object_list)

    def as_spreadsheet(self, queryset, spreadsheet_format):
        return super().as_spreadsheet(_LabelledRows(queryset), spreadsheet_format)


class LedgerViewSet(ReadOnlyViewSet):
    """Read-only: entries are never edited; a correction is a reversing entry."""

    model = CreditEntry
    index_view_class = LedgerIndexView
    icon = "list-ul"
    menu_label = gettext_lazy("Credit ledger")
    list_display = [
        "worker",
        "date",
        "title",
        "kind",
        "days",
        "hours",
        Column("source", label=gettext_lazy("source"), accessor="source_label"),
        LinkColumn(
            "reverse",
            label=gettext_lazy("Correction"),
            url_name="training_ledger_reverse",
            text=gettext_lazy("Reverse"),
            show=lambda e: e.reverses_id is None and not hasattr(e, "reversed_by"),
        ),
    ]
    list_export = [
        "worker.name",
        "worker.id_number_masked",
        "date",
        "title",
        "get_kind_display",
        "days",
        "hours",
        "source_label",
        "reason",
    ]
    export_headings = {"source_label": gettext_lazy("source")}
    filterset_class = LedgerFilterSet
    search_fields = ["title"]
    search_backend_name = None
    form_fields = ["reason"]  # never shown: the policy allows no edit

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            queryset=CreditEntry.objects.select_related("worker", "reversed_by"),
            **kwargs,
        )


def ledger_reverse_view(request, pk: int):
    entry = scoped_object_or_404(
        request,
        CreditEntry.objects.select_related("worker"),
        pk,
        perm="training.add_creditentry",
        org_field="worker__community",
    )
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            credit_entry_reverse(
                entry=entry,
                reason=form.cleaned_data["reason"],
                actor=request.user,
                request=request,
            )
        except LedgerError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The entry is reversed."))
            return redirect("training_ledger:index")
    return render(
        request,
        "training/admin/reason.html",
        {
            "form": form,
            "object": entry,
            "title": _("Reverse a ledger entry"),
            "intro": _(
                "A reversing entry with negative days and hours cancels this one; "
                "both stay in the ledger."
            ),
        },
    )


# --- External training ------------------------------------------------------------------


class ExternalTrainingViewSet(ReadOnlyViewSet):
    model = ExternalTraining
    icon = "doc-full"
    menu_label = gettext_lazy("External training")
    list_per_page = 50
    list_display = [
        "worker",
        "title",
        "start_date",
        "end_date",
        "days",
        "hours",
        "status",
        LinkColumn(
            "review",
            label=gettext_lazy("Review"),
            url_name="training_external_review",
            text=gettext_lazy("Review"),
            show=lambda i: i.status == ReviewStatus.PENDING,
        ),
    ]
    list_filter = ["status", "type"]
    form_fields = ["title"]

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            queryset=ExternalTraining.objects.select_related("worker"), **kwargs
        )


def external_review_view(request, pk: int):
    item = scoped_object_or_404(
        request,
        ExternalTraining.objects.select_related("worker__community"),
        pk,
        perm="training.change_externaltraining",
        org_field="worker__community",
    )
    form = ReasonForm(request.POST or None)
    if request.method == "POST":
        try:
            if request.POST.get("decision") == "approve":
                external_training_approve(item=item, actor=request.user)
                messages.success(request, _("Approved and credited."))
                return redirect("training_external:index")
            if form.is_valid():
                external_training_reject(
                    item=item, actor=request.user, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("Rejected."))
                return redirect("training_external:index")
        except ExternalTrainingError as exc:
            messages.error(request, str(exc))
    return render(
        request,
        "training/admin/external_review.html",
        {"item": item, "form": form, "review": claim_review(item)},
    )


def external_certificate_view(request, pk: int):
    item = scoped_object_or_404(
        request,
        ExternalTraining.objects.all(),
        pk,
        perm="training.view_externaltraining",
        org_field="worker__community",
    )
    return serve_file(request, item.certificate, inline=True)
