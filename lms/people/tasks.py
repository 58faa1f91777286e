from celery import shared_task
from django.utils.translation import gettext as _

from lms.jobs.services import JobFailed, JobOutcome, job_run
from lms.org.services import org_import
from lms.tabular import ImportFailed

from .services import post_import, worker_import

IMPORTERS = {
    "import_orgs": org_import,
    "import_workers": worker_import,
    "import_posts": post_import,
}


@shared_task(acks_late=True)
def table_import_task(job_id: int) -> None:
    """Run one spreadsheet import; all-or-nothing, so running it again is harmless."""

    def work(job, progress) -> JobOutcome:
        with job.input_file.open("rb") as handle:
            content = handle.read()
        progress(0, 1)
        try:
            result = IMPORTERS[job.kind](
                name=job.input_file.name,
                content=content,
                actor=job.created_by,
                progress=progress,
            )
        except ImportFailed as failed:
            raise JobFailed(
                _("%(count)s problem(s) found; nothing was imported.")
                % {"count": len(failed.errors)},
                errors=[e.as_dict() for e in failed.errors],
            ) from failed
        except ValueError as exc:
            raise JobFailed(str(exc)) from exc
        return JobOutcome(
            _(
                "Imported: %(created)s new, %(updated)s updated, "
                "%(unchanged)s unchanged."
            )
            % {"unchanged": 0, **result}
        )

    job_run(job_id=job_id, work=work)
