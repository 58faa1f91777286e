from celery import shared_task

from .services import play_sessions_stale_close, uploads_expired_delete


@shared_task(acks_late=True)
def uploads_expired_delete_task() -> int:
    """Hourly: drop incomplete uploads past their expiry and orphan staged files."""
    return uploads_expired_delete()


@shared_task(acks_late=True)
def play_sessions_stale_close_task() -> int:
    """Every few minutes: end play sessions whose player went silent."""
    return play_sessions_stale_close()
