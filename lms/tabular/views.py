"""The two steps every admin import shares: a preview job, then its confirmation."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from lms.jobs.services import job_confirm, job_create


def import_preview_create(request, form, *, kind, title, confirm_url_name, enqueue):
    """A job that reads and checks the uploaded file and reports what the import
    would add, change, leave and ignore, writing nothing."""
    job = job_create(
        kind=kind,
        title=title,
        created_by=request.user,
        params={
            "language": request.LANGUAGE_CODE,
            "sheet": form.cleaned_data["sheet"],
            "dry_run": True,
        },
        input_file=form.cleaned_data["file"],
        enqueue=enqueue,
    )
    job.params["confirm_url"] = reverse(confirm_url_name, args=[job.pk])
    job.save(update_fields=["params"])
    return job


def import_confirm(request, pk: int, *, enqueue):
    try:
        job = job_confirm(job_id=pk, actor=request.user, enqueue=enqueue)
    except ValueError:
        messages.error(request, _("Only a finished preview without problems can run."))
        return redirect("jobs:detail", pk)
    messages.success(request, _("Import started."))
    return redirect("jobs:detail", job.pk)
