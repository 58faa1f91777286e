from celery import shared_task

from .services import uploads_expired_delete


@shared_task(acks_late=True)
def uploads_expired_delete_task() -> int:
    """Hourly: drop incomplete uploads past their expiry and orphan staged files."""
    return uploads_expired_delete()
