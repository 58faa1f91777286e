"""Wagtail admin: bulk enrolment (preview, run as a job, undo) and the import of
external training."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lms.accounts.scoping import org_in_scope, scope_queryset, scope_root
from lms.jobs.models import Job, JobStatus
from lms.jobs.services import job_create
from lms.org.models import OrgNode
from lms.tabular.forms import SpreadsheetForm
from lms.tabular.views import import_confirm, import_preview_create, import_template
from lms.training.forms import BulkEnrolForm
from lms.training.models import TrainingClass
from lms.training.services import (
    EnrolmentError,
    enrolment_bulk_plan,
    enrolment_bulk_undo,
)
from lms.training.services.enrolment import plan_counts
from lms.training.services.imports import COLUMNS as IMPORT_COLUMNS
from lms.training.tasks import enrolment_bulk_create_task, training_import_task

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
    """An XLSX with the import's headers and one example row."""
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
    return import_template(IMPORT_COLUMNS, example, filename="training-template.xlsx")
