"""Celery tasks of the training app: thin, taking ids, each calling one service."""

from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lms.accounts.models import AuditAction
from lms.accounts.services import audit_log_write
from lms.jobs.models import Job
from lms.jobs.services import job_fail, job_finish, job_start
from lms.org.models import OrgNode
from lms.tabular import write_table
from lms.tabular.jobs import import_job_run

from .models import TrainingClass
from .services import enrolment_bulk_create, training_import


def _progress(job_id: int):
    def progress(done: int, total: int) -> None:
        Job.objects.filter(pk=job_id).update(total=total, done=done)

    return progress


@shared_task(acks_late=True)
def enrolment_bulk_create_task(job_id: int) -> None:
    """Bulk-enrol a subtree's workers; idempotent, so a redelivered task is harmless."""
    job = Job.objects.get(pk=job_id)
    if job.finished:
        return
    actor = get_user_model().objects.get(pk=job.created_by_id)
    params = job.params
    job_start(job_id=job_id, total=0)
    with translation.override(params.get("language", "zh-hans")):
        try:
            klass = TrainingClass.objects.get(pk=params["class_id"])
            org = OrgNode.objects.get(pk=params["org_id"])
        except (TrainingClass.DoesNotExist, OrgNode.DoesNotExist):
            job_fail(job_id=job_id, message=_("The class or organisation is gone."))
            return
        result = enrolment_bulk_create(
            training_class=klass,
            org=org,
            posts=params.get("posts", []),
            actor=actor,
            progress=_progress(job_id),
        )
        headers = [_("name"), _("ID number"), _("community"), _("outcome"), _("reason")]
        content = write_table("xlsx", headers, result["report"])
        message = (
            _(
                "%(enrolled)s enrolled, %(waiting)s on the waiting list, "
                "%(skipped)s skipped, of %(total)s workers."
            )
            % result
        )
    audit_log_write(
        actor=actor,
        action=AuditAction.IMPORT,
        target=klass,
        detail={
            "kind": "bulk_enrolment",
            "org": org.code,
            "posts": params.get("posts", []),
            **{k: result[k] for k in ("total", "enrolled", "waiting", "skipped")},
        },
    )
    job_finish(
        job_id=job_id,
        message=message,
        result_name=f"enrolment-{klass.pk}-{timezone.localdate():%Y%m%d}.xlsx",
        result=ContentFile(content),
    )


@shared_task(acks_late=True)
def training_import_task(job_id: int) -> None:
    """Preview or run an import of external training rows; all-or-nothing."""
    import_job_run(job_id=job_id, importers={"import_training": training_import})
