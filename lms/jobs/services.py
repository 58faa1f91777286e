"""Jobs: create one for long work, report progress from the task, finish it."""

import logging
from collections.abc import Callable
from contextlib import contextmanager

from django.core.files.base import File
from django.db import transaction

from .models import Job, JobStatus

logger = logging.getLogger(__name__)


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
    report: dict | None = None,
) -> Job:
    """Mark the job done (failed if `errors`) and attach `result` under
    `result_name`. `result` is a Django File: a ContentFile for a small report, or
    `File(handle)` over a temporary file for a large one; it is copied to storage
    in chunks, so its size never has to fit in memory."""
    job = Job.objects.get(pk=job_id)
    job.message = message
    job.errors = errors or []
    job.report = report or {}
    job.status = JobStatus.FAILED if errors else JobStatus.DONE
    if job.status == JobStatus.DONE:
        job.done = job.total
    if result is not None:
        job.result_file.save(result_name, result, save=False)
    job.save()
    return job


def job_fail(*, job_id: int, message: str) -> None:
    Job.objects.filter(pk=job_id).update(status=JobStatus.FAILED, message=message)


@contextmanager
def job_failing_on_error(*, job_id: int, reason: Callable[[Exception], str]):
    """Whatever goes wrong inside, the job ends as failed with `reason(error)`: it is
    never left "running". The error is logged, not raised: the job holds the outcome
    (and an eager run must not turn it into an error page)."""
    try:
        yield
    except Exception as exc:
        logger.exception("job %s failed", job_id)
        job_fail(job_id=job_id, message=reason(exc))


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
