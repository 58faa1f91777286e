from celery import shared_task

from .services import (
    play_sessions_stale_close,
    test_attempts_expire,
    uploads_expired_delete,
)


@shared_task(acks_late=True)
def uploads_expired_delete_task() -> int:
    """Hourly: drop incomplete uploads past their expiry and orphan staged files."""
    return uploads_expired_delete()


@shared_task(acks_late=True)
def test_attempts_expire_task() -> int:
    """Every minute: grade the open test attempts past their deadline with the
    answers saved before it (a page closed at the deadline still gets its grade)."""
    return test_attempts_expire()


@shared_task(acks_late=True)
def play_sessions_stale_close_task() -> int:
    """Every few minutes: end play sessions whose player went silent."""
    return play_sessions_stale_close()
