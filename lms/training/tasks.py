"""Celery tasks of the training app: thin, taking ids, each calling one service."""

from celery import shared_task
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.accounts.exports import write_table
from lms.accounts.models import AuditAction
from lms.jobs.services import JobFailed, JobOutcome, job_run
from lms.org.models import OrgNode
from lms.tabular.jobs import import_unexpected, import_work

from .models import TrainingClass
from .services import enrolment_bulk_create, training_import


@shared_task(acks_late=True)
def enrolment_bulk_create_task(job_id: int) -> None:
    """Bulk-enrol a subtree's workers; idempotent, so a redelivered task is harmless."""

    def work(job, progress) -> JobOutcome:
        params = job.params
        try:
            klass = TrainingClass.objects.get(pk=params["class_id"])
            org = OrgNode.objects.get(pk=params["org_id"])
        except (TrainingClass.DoesNotExist, OrgNode.DoesNotExist) as exc:
            raise JobFailed(_("The class or organisation is gone.")) from exc
        result = enrolment_bulk_create(
            training_class=klass,
            org=org,
            posts=params.get("posts", []),
            actor=job.created_by,
            batch=job,
            progress=progress,
        )
        headers = [_("name"), _("ID number"), _("community"), _("outcome"), _("reason")]
        return JobOutcome(
            _(
                "%(enrolled)s enrolled, %(waiting)s on the waiting list, "
                "%(skipped)s skipped, of %(total)s workers."
            )
            % result,
            result_name=f"enrolment-{klass.pk}-{timezone.localdate():%Y%m%d}.xlsx",
            result=ContentFile(write_table("xlsx", headers, result["report"])),
            audit={
                "action": AuditAction.IMPORT,
                "target": klass,
                "detail": {
                    "kind": "bulk_enrolment",
                    "org": org.code,
                    "posts": params.get("posts", []),
                    **{
                        k: result[k]
                        for k in ("total", "enrolled", "waiting", "skipped")
                    },
                },
            },
        )

    job_run(job_id=job_id, work=work)


@shared_task(acks_late=True)
def training_import_task(job_id: int) -> None:
    """Preview or run an import of external training rows; all-or-nothing."""
    job_run(
        job_id=job_id,
        work=import_work({"import_training": training_import}),
        unexpected=import_unexpected,
    )
