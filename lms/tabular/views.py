"""What every admin import shares: its template, a preview job, then its
confirmation."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from lms.accounts.exports import write_table
from lms.accounts.files import serve_bytes
from lms.jobs.services import job_confirm, job_create


def import_template(columns: dict, example: list, *, filename: str):
    """An XLSX with the import's headers (the first Chinese alias, then the key) and
    one example row."""
    headers = [f"{aliases[0]} {key}" for key, aliases in columns.items()]
    return serve_bytes(write_table("xlsx", headers, [example]), filename=filename)


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
