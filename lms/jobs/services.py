"""Jobs: create one for long work, report progress from the task, finish it."""

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import Job, JobStatus


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
    Job.objects.filter(pk=job_id).update(status=JobStatus.RUNNING, total=total, done=0)


def job_progress(*, job_id: int, done: int) -> None:
    Job.objects.filter(pk=job_id).update(done=done)


def job_finish(
    *,
    job_id: int,
    message: str = "",
    errors: list | None = None,
    result_name: str = "",
    result: File | None = None,
) -> Job:
    """Mark the job done (failed if `errors`) and attach `result` under
    `result_name`. `result` is a Django File: a ContentFile for a small report, or
    `File(handle)` over a temporary file for a large one; it is copied to storage
    in chunks, so its size never has to fit in memory."""
    job = Job.objects.get(pk=job_id)
    job.message = message
    job.errors = errors or []
    job.status = JobStatus.FAILED if errors else JobStatus.DONE
    if job.status == JobStatus.DONE:
        job.done = job.total
    if result is not None:
        # Stored under a random name; the readable one is only the download's.
        job.result_file.save(result_name, result, save=False)
        job.params = {**job.params, "result_name": result_name}
    if job.status == JobStatus.DONE:
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
    failed ones after the retention period. Returns how many were deleted."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.JOB_INPUT_RETENTION_DAYS)
    expired = (
        Job.objects.exclude(input_file="")
        .filter(
            Q(status=JobStatus.DONE) | Q(status=JobStatus.FAILED, updated_at__lt=cutoff)
        )
        .only("pk", "input_file")
    )
    count = 0
    for job in expired.iterator():
        _input_delete(job)
        Job.objects.filter(pk=job.pk).update(input_file="")
        count += 1
    return count
