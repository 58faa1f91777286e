"""Running a spreadsheet import as a background job (lms.jobs), preview or real.

Every import task calls `import_job_run`: the job ends done (with the report) or
failed (with every bad row, or the reason the file was refused, or the reason it
stopped) - never left running.
"""

from collections.abc import Callable

from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import gettext as _

from lms.jobs.models import Job
from lms.jobs.services import (
    job_fail,
    job_failing_on_error,
    job_finish,
    job_progress,
    job_start,
)

from . import ImportFailed, SpreadsheetRefused


def _unexpected(exc: Exception) -> str:
    # The details (which may quote the file) go to the log, not to the page.
    return _(
        "The import stopped on an unexpected error (%(kind)s); nothing was "
        "imported. The details are in the server log."
    ) % {"kind": type(exc).__name__}


def import_job_run(*, job_id: int, importers: dict[str, Callable]) -> None:
    """Run the import job `job_id` with the importer of its kind; all-or-nothing, so
    running it again is harmless."""
    job = Job.objects.get(pk=job_id)
    if job.finished:
        return
    params = job.params
    with (
        translation.override(params.get("language", "zh-hans")),
        job_failing_on_error(job_id=job_id, reason=_unexpected),
    ):
        job_start(job_id=job_id, total=1)
        actor = get_user_model().objects.get(pk=job.created_by_id)
        with job.input_file.open("rb") as handle:
            content = handle.read()

        def progress(done: int, total: int) -> None:
            job_progress(job_id=job_id, done=done, total=total)

        dry_run = bool(params.get("dry_run"))
        try:
            report = importers[job.kind](
                name=job.input_file.name,
                content=content,
                actor=actor,
                progress=progress,
                sheet=params.get("sheet", ""),
                dry_run=dry_run,
            )
        except ImportFailed as failed:
            job_finish(
                job_id=job_id,
                message=_("%(count)s problem(s) found; nothing was imported.")
                % {"count": len(failed.errors)},
                errors=[e.as_dict() for e in failed.errors],
                report={"ignored_rows": failed.ignored, "dry_run": dry_run},
            )
            return
        except SpreadsheetRefused as exc:
            job_fail(job_id=job_id, message=str(exc))
            return
        job_progress(job_id=job_id, done=1)
        if dry_run:
            message = _(
                "Preview: %(created)s to add, %(updated)s to change, %(unchanged)s "
                "unchanged, %(ignored)s ignored. Nothing is written until you confirm."
            )
        else:
            message = _(
                "Imported: %(created)s new, %(updated)s updated, "
                "%(unchanged)s unchanged."
            )
        job_finish(
            job_id=job_id, message=message % report.counts, report=report.as_dict()
        )
