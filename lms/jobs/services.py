"""Jobs: create one for long work, report progress from the task, finish it."""

from collections.abc import Callable

from django.core.files.base import File
from django.db import transaction

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
        job.result_file.save(result_name, result, save=False)
    job.save()
    return job


def job_fail(*, job_id: int, message: str) -> None:
    Job.objects.filter(pk=job_id).update(status=JobStatus.FAILED, message=message)
