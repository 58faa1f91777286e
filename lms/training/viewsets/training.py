"""Wagtail admin: classes (sessions inline), enrolments, attendance, the ledger with
reversal, external-training approvals, bulk enrolment and import — all org-scoped."""

from itertools import islice

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Min, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy

from lms.accounts.admin_scope import ScopedViewSetMixin
from lms.accounts.exports import write_table
from lms.accounts.files import serve_bytes, serve_file
from lms.accounts.scoping import org_in_scope, scope_queryset, scope_root
from lms.jobs.models import Job, JobStatus
from lms.jobs.services import job_create
from lms.org.models import OrgNode
from lms.tabular.forms import SpreadsheetForm
from lms.tabular.views import import_confirm, import_preview_create
from lms.training.chooser import class_chooser_viewset
from lms.training.forms import BulkEnrolForm, ReasonForm, TrainingClassForm
from lms.training.models import (
    Attendance,
    CreditEntry,
    CreditKind,
    Enrolment,
    EnrolmentStatus,
    ExternalTraining,
    ReviewStatus,
    TrainingClass,
    TrainingLevel,
    TrainingType,
)
from lms.training.selectors import claim_review
from lms.training.services import (
    EnrolmentError,
    ExternalTrainingError,
    LedgerError,
    credit_entry_reverse,
    enrolment_bulk_plan,
    enrolment_bulk_undo,
    external_training_approve,
    external_training_reject,
)
from lms.training.services.enrolment import plan_counts
from lms.training.services.imports import COLUMNS as IMPORT_COLUMNS
from lms.training.sources import sources_label
from lms.training.tasks import enrolment_bulk_create_task, training_import_task


class ReadOnlyPolicy(ModelPermissionPolicy):
    """Listing and inspecting only: changes go through the services (reversal, review,
    enrolment), never through a generic edit form."""

    def user_has_permission(self, user, action):
        if action in ("add", "change", "delete"):
            return False
        return super().user_has_permission(user, action)


class ReadOnlyViewSet(ScopedViewSetMixin, ModelViewSet):
    """Listing, inspecting and exporting a scoped model whose writes go through the
    services (its permission policy is `ReadOnlyPolicy`, see wagtail_hooks)."""

    scope_field = "worker__community"
    add_view_enabled = False
    copy_view_enabled = False
    inspect_view_enabled = True
    list_per_page = 100


class LinkColumn(Column):
    """A column with one action link per row (reverse, review…): to `url_name` with
    the row's pk as argument, or as the query parameter `query` when given."""

    def __init__(self, name, *, url_name, text, show=None, query=None, **kwargs):
        super().__init__(name, **kwargs)
        self.url_name, self.text, self.show = url_name, text, show
        self.query = query

    def get_value(self, instance):
        if self.show is not None and not self.show(instance):
            return ""
        if self.query:
            url = f"{reverse(self.url_name)}?{self.query}={instance.pk}"
        else:
            url = reverse(self.url_name, args=[instance.pk])
        return format_html(
            '<a class="button button-small button-secondary" href="{}">{}</a>',
            url,
            self.text,
        )


# --- Classes -----------------------------------------------------------------------


class TrainingClassFilterSet(WagtailFilterSet):
    level = django_filters.ChoiceFilter(choices=TrainingLevel.choices)
    type = django_filters.ChoiceFilter(choices=TrainingType.choices)

    class Meta:
        model = TrainingClass
        fields = ["level", "type", "form", "published"]


class TrainingClassIndexView(generic.IndexView):
    """Each class with its dates and enrolled/capacity (aggregated in the query); the
    bulk-enrolment link only for those who may enrol."""

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("organiser")
            .annotate(
                first_date=Min("sessions__date"),
                last_date=Max("sessions__date"),
                enrolled=Count(
                    "enrolments",
                    filter=Q(enrolments__status=EnrolmentStatus.ENROLLED),
                    distinct=True,
                ),
            )
        )

    @cached_property
    def columns(self):
        columns = super().columns
        if self.request.user.has_perm("training.add_enrolment"):
            return columns
        return [c for c in columns if c.name != "bulk_enrol"]


class TrainingClassViewSet(ScopedViewSetMixin, ModelViewSet):
    model = TrainingClass
    index_view_class = TrainingClassIndexView
    scope_field = "organiser"
    icon = "date"
    menu_label = gettext_lazy("Training classes")
    copy_view_enabled = True
    inspect_view_enabled = True
    list_per_page = 50
    list_display = [
        "title",
        "level",
        "type",
        "organiser",
        Column(
            "dates",
            label=gettext_lazy("Dates"),
            accessor=lambda c: (
                f"{c.first_date:%Y-%m-%d} – {c.last_date:%m-%d}"
                if c.first_date
                else "—"
            ),
        ),
        Column(
            "enrolled",
            label=gettext_lazy("Enrolled / capacity"),
            accessor=lambda c: f"{c.enrolled} / {c.capacity}",
        ),
        "enrol_closes",
        LinkColumn(
            "roster",
            label=gettext_lazy("Roster"),
            url_name="training:roster",
            text=gettext_lazy("Roster"),
        ),
        LinkColumn(
            "bulk_enrol",
            label=gettext_lazy("Bulk enrolment"),
            url_name="training_bulk_enrol",
            query="class",
            text=gettext_lazy("Enrol workers"),
        ),
    ]
    list_filter = ["level", "type", "form", "published"]
    filterset_class = TrainingClassFilterSet
    search_fields = ["title"]
    search_backend_name = None
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("description"),
            FieldRowPanel(
                [FieldPanel("level"), FieldPanel("type"), FieldPanel("form")]
            ),
            FieldRowPanel([FieldPanel("organiser"), FieldPanel("target_org")]),
            FieldPanel("target_posts"),
            MultiFieldPanel(
                [
                    FieldPanel("trainers"),
                    FieldPanel("experts"),
                    FieldRowPanel([FieldPanel("base"), FieldPanel("institution")]),
                    FieldPanel("location"),
                ],
                heading=gettext_lazy("Who and where"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("capacity"),
                    FieldRowPanel(
                        [FieldPanel("enrol_opens"), FieldPanel("enrol_closes")]
                    ),
                    FieldPanel("cancel_deadline"),
                    FieldPanel("published"),
                ],
                heading=gettext_lazy("Enrolment"),
            ),
            MultiFieldPanel(
                [
                    FieldPanel("min_attendance_share"),
                    FieldRowPanel(
                        [FieldPanel("extra_requirement"), FieldPanel("pass_score")]
                    ),
                ],
                heading=gettext_lazy("Completion rule"),
            ),
            InlinePanel(
                "sessions",
                heading=gettext_lazy("Sessions"),
                label=gettext_lazy("session"),
            ),
        ],
        base_form_class=TrainingClassForm,
    )

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            queryset=TrainingClass.objects.select_related("organiser"), **kwargs
        )


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
    if not request.user.has_perm("training.add_creditentry"):
        raise PermissionDenied
    entry = get_object_or_404(
        scope_queryset(
            CreditEntry.objects.select_related("worker"),
            request.user,
            org_field="worker__community",
        ),
        pk=pk,
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
    if not request.user.has_perm("training.change_externaltraining"):
        raise PermissionDenied
    item = get_object_or_404(
        scope_queryset(
            ExternalTraining.objects.select_related("worker__community"),
            request.user,
            org_field="worker__community",
        ),
        pk=pk,
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
    if not request.user.has_perm("training.view_externaltraining"):
        raise PermissionDenied
    item = get_object_or_404(
        scope_queryset(
            ExternalTraining.objects.all(), request.user, org_field="worker__community"
        ),
        pk=pk,
    )
    return serve_file(request, item.certificate, inline=True)


# --- Bulk enrolment and import ---------------------------------------------------------


PREVIEW_ROWS = 200


def bulk_enrol_view(request):
    """Choose a class and whom to enrol; a preview of who would be enrolled, put on
    the waiting list or skipped (and why), writing nothing; the enrolment itself
    runs as a job once confirmed. The user's recent bulk enrolments can be undone."""
    if not request.user.has_perm("training.add_enrolment"):
        raise PermissionDenied
    root = scope_root(request.user)
    orgs = (
        OrgNode.objects.filter(path__startswith=root.path)
        if root
        else OrgNode.objects.none()
    )
    classes = scope_queryset(
        TrainingClass.objects.select_related("target_org"),
        request.user,
        org_field="organiser",
    )
    initial = {"training_class": request.GET.get("class")}
    form = BulkEnrolForm(
        request.POST or None, initial=initial, classes=classes, orgs=orgs
    )
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        klass, org = form.cleaned_data["training_class"], form.cleaned_data["org"]
        if not org_in_scope(request.user, org):
            raise PermissionDenied
        if request.POST.get("confirm"):
            job = job_create(
                kind="bulk_enrolment",
                title=_("Bulk enrolment: %(c)s ← %(o)s")
                % {"c": klass.title, "o": org.name},
                created_by=request.user,
                params={
                    "class_id": klass.pk,
                    "org_id": org.pk,
                    "posts": form.cleaned_data["posts"],
                    "language": request.LANGUAGE_CODE,
                },
                enqueue=enrolment_bulk_create_task.delay,
            )
            return redirect("jobs:detail", job.pk)
        plan = enrolment_bulk_plan(
            training_class=klass, org=org, posts=form.cleaned_data["posts"]
        )
        context["preview"] = {
            "counts": plan_counts(plan),
            "rows": [row.report_row for row in plan[:PREVIEW_ROWS]],
            "class": klass,
            "org": org,
        }
    context["batches"] = Job.objects.filter(
        kind="bulk_enrolment", created_by=request.user, status=JobStatus.DONE
    ).order_by("-created_at")[:10]
    return render(request, "training/admin/bulk_enrol.html", context)


@require_POST
def bulk_enrol_undo_view(request, pk: int):
    """Undo a bulk enrolment of a class in the user's scope (see the service)."""
    if not request.user.has_perm("training.add_enrolment"):
        raise PermissionDenied
    batch = get_object_or_404(Job, pk=pk, kind="bulk_enrolment")
    klass = get_object_or_404(
        scope_queryset(
            TrainingClass.objects.all(), request.user, org_field="organiser"
        ),
        pk=batch.params.get("class_id"),
    )
    try:
        removed = enrolment_bulk_undo(batch=batch, actor=request.user, request=request)
    except EnrolmentError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Undone: %(n)s enrolments in %(c)s removed.")
            % {"n": removed, "c": klass.title},
        )
    return redirect("training_bulk_enrol")


def import_view(request):
    """Upload external training rows: a preview first, written once confirmed."""
    if not request.user.has_perm("training.add_creditentry"):
        raise PermissionDenied
    form = SpreadsheetForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = import_preview_create(
            request,
            form,
            kind="import_training",
            title=_("Import training: %(f)s") % {"f": form.cleaned_data["file"].name},
            confirm_url_name="training_import_confirm",
            enqueue=training_import_task.delay,
        )
        return redirect("jobs:detail", job.pk)
    return render(request, "training/admin/import.html", {"form": form})


@require_POST
def import_confirm_view(request, pk: int):
    if not request.user.has_perm("training.add_creditentry"):
        raise PermissionDenied
    return import_confirm(request, pk, enqueue=training_import_task.delay)


def import_template_view(request):

    headers = [f"{aliases[0]} {key}" for key, aliases in IMPORT_COLUMNS.items()]
    example = [
        "11010519491231002X",
        "社区治理能力提升专题培训",
        "继续教育",
        "集中培训",
        "510104",
        "2025-06-10",
        "2025-06-11",
        "2",
        "",
    ]
    return serve_bytes(
        write_table("xlsx", headers, [example]), filename="training-template.xlsx"
    )


class TrainingViewSetGroup(ViewSetGroup):
    menu_label = gettext_lazy("Training")
    menu_icon = "date"
    menu_order = 220
    items = (
        TrainingClassViewSet("training_classes"),
        EnrolmentViewSet("training_enrolments"),
        AttendanceViewSet("training_attendance"),
        LedgerViewSet("training_ledger"),
        ExternalTrainingViewSet("training_external"),
    )
