"""Celery tasks: thin, taking ids, idempotent (issuing never repeats a certificate)."""

import logging
import tempfile

from celery import shared_task
from django.core.files import File
from django.utils import timezone, translation

from lms.jobs.services import JobFailed, JobOutcome, job_run
from lms.org.models import OrgNode

from . import claims, services

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def certificates_bulk_issue_task(job_id: int) -> None:
    """Issue the certificates a job asks for; a rerun after a crash does the rest."""

    def work(job, progress) -> JobOutcome:
        params = job.params
        try:
            found = claims.bulk_claims(
                kind=params["kind"],
                org_code=params.get("org", ""),
                year=params.get("year"),
                class_id=params.get("class_id"),
                course_id=params.get("course_id"),
            )
        except services.CertificateError as exc:
            raise JobFailed("; ".join(exc.reasons)) from exc
        progress(0, len(found))
        result = services.certificates_issue(
            claims=found, actor=job.created_by, progress=progress
        )
        certificates = result.issued + result.existing
        message = translation.gettext(
            "%(issued)s issued, %(existing)s already issued, %(refused)s not eligible."
        ) % {
            "issued": len(result.issued),
            "existing": len(result.existing),
            "refused": len(result.refused),
        }
        if not certificates:
            return JobOutcome(message)
        # On disk, not in memory: a city's annual records make a ZIP of ~19 GB. The
        # temporary file goes when job_run closes it after storing it.
        name = f"certificates-{timezone.localdate():%Y%m%d}-{job_id}.zip"
        handle = tempfile.TemporaryFile(suffix=".zip")
        services.certificates_zip(certificates, handle)
        handle.seek(0)
        return JobOutcome(message, result_name=name, result=File(handle, name=name))

    job_run(job_id=job_id, work=work)


@shared_task(acks_late=True)
def service_honours_issue_task() -> int:
    """Yearly: honours (20 years) and medal records (30 years) for everyone due."""
    issued = 0
    for root in OrgNode.get_root_nodes():
        due = claims.service_claims_due(on=timezone.localdate(), issuer_org=root)
        issued += len(services.certificates_issue(claims=due).issued)
    return issued


@shared_task(acks_late=True)
def course_certificate_issue_task(worker_id: int, course_id: int) -> str | None:
    """After a lesson or test of an online course credited a worker: the course's
    completion certificate once it is complete (exactly once). Returns the serial."""
    try:
        cert = services.course_certificate_issue(
            worker_id=worker_id, course_id=course_id
        )
    except services.CertificateError as exc:  # e.g. no template for the kind yet
        logger.warning(
            "course certificate not issued (worker %s, course %s): %s",
            worker_id,
            course_id,
            exc,
        )
        return None
    return cert.serial if cert is not None else None


@shared_task(acks_late=True)
def certificate_files_orphaned_delete_task() -> int:
    """Hourly: delete PDFs left in storage by a worker killed before its commit."""
    return services.certificate_files_orphaned_delete()
