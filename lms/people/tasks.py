from celery import shared_task

from lms.jobs.services import job_run
from lms.org.services import org_import
from lms.tabular.jobs import import_unexpected, import_work

from .services.posts import post_import
from .services.workers import worker_import

IMPORTERS = {
    "import_orgs": org_import,
    "import_workers": worker_import,
    "import_posts": post_import,
}


@shared_task(acks_late=True)
def table_import_task(job_id: int) -> None:
    """Preview or run one spreadsheet import (the job's params say which)."""
    job_run(job_id=job_id, work=import_work(IMPORTERS), unexpected=import_unexpected)
