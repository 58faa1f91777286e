from celery import shared_task
from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import gettext as _

from lms.jobs.models import Job
from lms.jobs.services import job_fail, job_finish, job_progress, job_start
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
    job = Job.objects.get(pk=job_id)
    if job.finished:
        return
    actor = get_user_model().objects.get(pk=job.created_by_id)
    with job.input_file.open("rb") as handle:
        content = handle.read()
    job_start(job_id=job_id, total=1)

    def progress(done: int, total: int) -> None:
        Job.objects.filter(pk=job_id).update(total=total, done=done)

    with translation.override(job.params.get("language", "zh-hans")):
        try:
            result = IMPORTERS[job.kind](
                name=job.input_file.name,
                content=content,
                actor=actor,
                progress=progress,
            )
        except ImportFailed as failed:
            job_finish(
                job_id=job_id,
                message=_("%(count)s problem(s) found; nothing was imported.")
                % {"count": len(failed.errors)},
                errors=[e.as_dict() for e in failed.errors],
            )
            return
        except ValueError as exc:
            job_fail(job_id=job_id, message=str(exc))
            return
        job_progress(job_id=job_id, done=1)
        job_finish(
            job_id=job_id,
            message=_(
                "Imported: %(created)s new, %(updated)s updated, "
                "%(unchanged)s unchanged."
            )
            % {"unchanged": 0, **result},
        )
