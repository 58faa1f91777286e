"""Jobs: create one for long work (`job_create`), run it from its Celery task
(`job_run`: progress, result file, audit, failure as a clear reason)."""

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lms.accounts.services import audit_log_write

from .models import Job, JobStatus

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


@dataclass
class JobOutcome:
    """What a job's work hands back: the message its starter reads, a result file
    (a Django File, copied to storage in chunks), a report shown on the job's page
    (e.g. an import's preview) and the audit entry to write (the keyword arguments
    of `audit_log_write` less the actor, who is the job's starter)."""

    message: str
    result_name: str = ""
    result: File | None = None
    report: dict = field(default_factory=dict)
    audit: dict = field(default_factory=dict)


class JobFailed(Exception):
    """Raised by a job's work: the job fails with this reason (and per-row
    `errors` and a `report`, e.g. an import's) and nothing else is done."""

    def __init__(
        self, message: str, *, errors: list | None = None, report: dict | None = None
    ):
        super().__init__(message)
        self.message = message
        self.errors = errors or []
        self.report = report or {}


def job_run(
    *,
    job_id: int,
    work: Callable[[Job, Progress], JobOutcome],
    unexpected: Callable[[Exception], str] | None = None,
) -> Job:
    """Run `work(job, progress)` for job `job_id` in the starter's language.

    A finished job is left alone (a redelivered task does nothing twice); `progress
    (done, total)` moves its bar; the outcome's message, result file, report and
    audit entry finish it (the result is closed once stored, so a temporary file
    goes; the input file goes once the job is done, unless it was a preview).
    `JobFailed` fails it with its reason; any other error fails it with a
    general reason and is raised again for the worker's log, or, given
    `unexpected`, with `unexpected(error)` and only logged (the job holds the
    outcome, and an eager run must not turn it into an error page).
    """
    job = Job.objects.select_related("created_by").get(pk=job_id)
    if job.finished:
        return job
    job_start(job_id=job_id, total=0)

    def progress(done: int, total: int) -> None:
        job_progress(job_id=job_id, done=done, total=total)

    with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
        try:
            outcome = work(job, progress)
        except JobFailed as exc:
            return job_finish(
                job_id=job_id,
                message=exc.message,
                errors=exc.errors,
                report=exc.report,
                failed=True,
            )
        except Exception as exc:
            logger.exception("job %s (%s) stopped on an error", job_id, job.kind)
            if unexpected is not None:
                job_fail(job_id=job_id, message=unexpected(exc))
                return Job.objects.get(pk=job_id)
            job_fail(
                job_id=job_id,
                message=_("The job stopped on an unexpected error; please try again."),
            )
            raise
    try:
        if outcome.audit:
            audit_log_write(actor=job.created_by, **outcome.audit)
        return job_finish(
            job_id=job_id,
            message=outcome.message,
            result_name=outcome.result_name,
            result=outcome.result,
            report=outcome.report,
        )
    finally:
        if outcome.result is not None:
            outcome.result.close()


def job_create(
    *,
    kind: str,
    title: str,
    created_by,
    params: dict | None = None,
    input_file=None,
    enqueue: Callable[[int], object],
) -> Job:
    """Create a job and enqueue `enqueue(job_id)` once the transaction commits."""
    job = Job(kind=kind, title=title, created_by=created_by, params=params or {})
    if input_file is not None:
        job.input_file.save(input_file.name, input_file, save=False)
    job.full_clean()
    job.save()
    transaction.on_commit(lambda: enqueue(job.pk))
    return job


def job_start(*, job_id: int, total: int) -> None:
    Job.objects.filter(pk=job_id).update(
        status=JobStatus.RUNNING, total=total, done=0, updated_at=timezone.now()
    )


def job_progress(*, job_id: int, done: int, total: int | None = None) -> None:
    """Move the job's bar; `updated_at` says when it last moved (`job_stalled_fail`)."""
    more = {} if total is None else {"total": total}
    Job.objects.filter(pk=job_id).update(done=done, updated_at=timezone.now(), **more)


def job_stalled_fail(*, now=None) -> int:
    """Fail the running jobs whose progress has not moved for JOB_STALLED_MINUTES: their
    worker died (killed, out of memory, the machine restarted) and no one else will
    finish them; a redelivered task leaves a failed job alone. Returns how many."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(minutes=settings.JOB_STALLED_MINUTES)
    stalled = Job.objects.filter(status=JobStatus.RUNNING, updated_at__lt=cutoff)
    count = 0
    for job in stalled.only("pk", "params"):
        language = job.params.get("language") or settings.LANGUAGE_CODE
        with translation.override(language):
            message = _("The job was interrupted (its worker stopped); start it again.")
        # Only if it is still stalled: a redelivered task may have just restarted it.
        count += Job.objects.filter(
            pk=job.pk, status=JobStatus.RUNNING, updated_at__lt=cutoff
        ).update(status=JobStatus.FAILED, message=message, updated_at=now)
    return count


def job_finish(
    *,
    job_id: int,
    message: str = "",
    errors: list | None = None,
    result_name: str = "",
    result: File | None = None,
    report: dict | None = None,
    failed: bool = False,
) -> Job:
    """Mark the job done (failed if `failed` or `errors`) and attach `result` under
    `result_name`. `result` is a Django File: a ContentFile for a small report, or
    `File(handle)` over a temporary file for a large one; it is copied to storage
    in chunks, so its size never has to fit in memory."""
    job = Job.objects.get(pk=job_id)
    job.message = message
    job.errors = errors or []
    job.report = report or {}
    job.status = JobStatus.FAILED if failed or errors else JobStatus.DONE
    if job.status == JobStatus.DONE:
        job.done = job.total
    if result is not None:
        # Stored under a random name; the readable one is only the download's.
        job.result_file.save(result_name, result, save=False)
        job.params = {**job.params, "result_name": result_name}
    if job.status == JobStatus.DONE and not job.params.get("dry_run"):
        _input_delete(job)
    job.save()
    return job


def job_fail(*, job_id: int, message: str) -> None:
    """Mark the job failed; its input stays for settings.JOB_INPUT_RETENTION_DAYS so
    the cause can be inspected, then `job_inputs_expired_delete` removes it."""
    Job.objects.filter(pk=job_id).update(status=JobStatus.FAILED, message=message)


def _input_delete(job: Job) -> None:
    if job.input_file:
        job.input_file.delete(save=False)


def job_inputs_expired_delete(*, now=None) -> int:
    """Delete the input files (clear ID numbers) of finished jobs: done ones at once,
    failed ones and import previews (whose confirmation reuses the file) after the
    retention period. Returns how many were deleted."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.JOB_INPUT_RETENTION_DAYS)
    expired = (
        Job.objects.exclude(input_file="")
        .filter(
            Q(status=JobStatus.DONE, params__dry_run__isnull=True)
            | Q(status=JobStatus.DONE, params__dry_run=False)
            | Q(status__in=[JobStatus.DONE, JobStatus.FAILED], updated_at__lt=cutoff)
        )
        .only("pk", "input_file")
    )
    count = 0
    for job in expired.iterator():
        _input_delete(job)
        Job.objects.filter(pk=job.pk).update(input_file="")
        count += 1
    return count


@transaction.atomic
def job_confirm(*, job_id: int, actor, enqueue: Callable[[int], object]) -> Job:
    """Run for real the import `job_id` previewed (its own starter only, once): a new
    job on the same input file, without `dry_run`."""
    preview = Job.objects.select_for_update().get(pk=job_id, created_by=actor)
    if "confirmed_job" in preview.params:
        return Job.objects.get(pk=preview.params["confirmed_job"])
    if not (
        preview.params.get("dry_run")
        and preview.status == JobStatus.DONE
        and not preview.errors
    ):
        raise ValueError("not a finished, clean preview")
    job = Job(
        kind=preview.kind,
        title=preview.title,
        created_by=actor,
        params={
            **preview.params,
            "dry_run": False,
            "preview_job": preview.pk,
        },
    )
    job.input_file.name = preview.input_file.name
    job.full_clean()
    job.save()
    preview.params["confirmed_job"] = job.pk
    preview.save(update_fields=["params", "updated_at"])
    transaction.on_commit(lambda: enqueue(job.pk))
    return job
