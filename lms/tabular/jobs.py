"""A spreadsheet import as the work of a background job (`lms.jobs.services.job_run`),
preview or real.

The job ends done (with the report) or failed (with every bad row, the reason the
file was refused, or that it stopped) - never left running; the import is
all-or-nothing, so running it again is harmless.
"""

from collections.abc import Callable

from django.utils.translation import gettext as _

from lms.jobs.models import Job
from lms.jobs.services import JobFailed, JobOutcome, Progress

from . import ImportFailed, SpreadsheetRefused


def import_unexpected(exc: Exception) -> str:
    """An import job's reason for an error nobody foresaw (`job_run`'s
    `unexpected`): the details, which may quote the file, go to the log only."""
    return _(
        "The import stopped on an unexpected error (%(kind)s); nothing was "
        "imported. The details are in the server log."
    ) % {"kind": type(exc).__name__}


def import_work(
    importers: dict[str, Callable],
) -> Callable[[Job, Progress], JobOutcome]:
    """The work for `job_run` of an import job, run by the importer of its kind."""

    def work(job: Job, progress: Progress) -> JobOutcome:
        dry_run = bool(job.params.get("dry_run"))
        with job.input_file.open("rb") as handle:
            content = handle.read()
        try:
            report = importers[job.kind](
                name=job.input_file.name,
                content=content,
                actor=job.created_by,
                progress=progress,
                sheet=job.params.get("sheet", ""),
                dry_run=dry_run,
            )
        except ImportFailed as failed:
            raise JobFailed(
                _("%(count)s problem(s) found; nothing was imported.")
                % {"count": len(failed.errors)},
                errors=[e.as_dict() for e in failed.errors],
                report={"ignored_rows": failed.ignored, "dry_run": dry_run},
            ) from failed
        except SpreadsheetRefused as exc:
            raise JobFailed(str(exc)) from exc
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
        return JobOutcome(message % report.counts, report=report.as_dict())

    return work
