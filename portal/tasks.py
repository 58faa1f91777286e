"""Celery tasks of the homes: thin, calling one function."""

from celery import shared_task
from django.utils import timezone

from .admin_home import at_risk_counts_refresh


@shared_task(acks_late=True)
def at_risk_counts_refresh_task() -> int:
    """Beat: the administrators' at-risk counts of this year, every node at once."""
    return at_risk_counts_refresh(year=timezone.localdate().year)
