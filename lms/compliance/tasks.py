"""Celery tasks of the annual minimum: thin, taking ids, calling one service."""

from celery import shared_task
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from lms.accounts.models import AuditAction
from lms.accounts.scoping import org_in_scope
from lms.jobs.services import JobFailed, JobOutcome, job_run
from lms.org.models import OrgNode

from . import reports, services
from .errors import ComplianceError


@shared_task(acks_late=True)
def compliance_reminders_send_task() -> dict:
    """Beat: remind at-risk workers and their street administrators (once a period)."""
    return services.reminders_send()


@shared_task(acks_late=True)
def compliance_report_build_task(job_id: int) -> None:
    """Build the report a job asked for and attach it."""

    def work(job, progress) -> JobOutcome:
        params = job.params
        root = OrgNode.objects.filter(code=params["org"]).first()
        if root is None or not org_in_scope(job.created_by, root):
            raise JobFailed(_("Organisation not found in your scope."))
        progress(0, 2)
        try:
            name, content, count = reports.report_build(
                year=int(params["year"]),
                root=root,
                fmt=params["format"],
                post=params.get("post", ""),
                status=params.get("status", ""),
                progress=lambda done: progress(1, 2),
            )
        except ComplianceError as exc:
            raise JobFailed(str(exc)) from exc
        return JobOutcome(
            _("%(count)s workers in the report.") % {"count": count},
            result_name=name,
            result=ContentFile(content),
            audit={
                "action": AuditAction.EXPORT,
                "target": root,
                "detail": {"report": "compliance", **params, "rows": count},
            },
        )

    job_run(job_id=job_id, work=work)
