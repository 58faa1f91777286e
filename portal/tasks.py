"""Celery tasks of the homes: thin, calling one function."""

from celery import shared_task
from django.utils import timezone

from .at_risk import at_risk_counts_refresh


@shared_task(acks_late=True)
def at_risk_counts_refresh_task(year: int | None = None) -> int:
    """Beat (this year), or queued by a home that found no stored count: the
    administrators' at-risk counts, every node at once."""
    return at_risk_counts_refresh(year=year or timezone.localdate().year)
