"""Celery tasks: thin, taking ids, idempotent (issuing never repeats a certificate)."""

import logging
import tempfile

from celery import shared_task
from django.core.files import File
from django.utils import timezone, translation

from lms.jobs.models import Job
from lms.jobs.services import job_fail, job_finish, job_progress, job_start
from lms.org.models import OrgNode

from . import claims, services

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def certificates_bulk_issue_task(job_id: int) -> None:
    """Issue the certificates a job asks for; a rerun after a crash does the rest."""
    job = Job.objects.select_related("created_by").get(pk=job_id)
    if job.finished:
        return
    params = job.params
    with translation.override(params.get("language", "zh-hans")):
        try:
            found = claims.bulk_claims(
                kind=params["kind"],
                org_code=params.get("org", ""),
                year=params.get("year"),
                class_id=params.get("class_id"),
                course_id=params.get("course_id"),
            )
        except services.CertificateError as exc:
            job_fail(job_id=job_id, message="; ".join(exc.reasons))
            return
        job_start(job_id=job_id, total=len(found))
        result = services.certificates_issue(
            claims=found,
            actor=job.created_by,
            progress=lambda done, total: job_progress(job_id=job_id, done=done),
        )
        certificates = result.issued + result.existing
        message = translation.gettext(
            "%(issued)s issued, %(existing)s already issued, %(refused)s not eligible."
        ) % {
            "issued": len(result.issued),
            "existing": len(result.existing),
            "refused": len(result.refused),
        }
        name = f"certificates-{timezone.localdate():%Y%m%d}-{job_id}.zip"
        if not certificates:
            job_finish(job_id=job_id, message=message)
            return
        # On disk, not in memory: a city's annual records make a ZIP of ~19 GB.
        with tempfile.TemporaryFile(suffix=".zip") as handle:
            services.certificates_zip(certificates, handle)
            handle.seek(0)
            job_finish(
                job_id=job_id,
                message=message,
                result_name=name,
                result=File(handle, name=name),
            )


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
