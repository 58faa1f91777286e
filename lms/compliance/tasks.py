"""Celery tasks of the annual minimum: thin, taking ids, calling one service."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def compliance_reminders_send_task() -> dict:
    """Beat: remind at-risk workers and their street administrators (once a period)."""
    return services.reminders_send()


@shared_task(acks_late=True)
def compliance_report_build_task(job_id: int) -> None:
    services.report_job_run(job_id=job_id)
