"""Policy numbers the training app reads: from settings, or the year's rules."""

from decimal import Decimal

from django.conf import settings

from lms.policy import year_facts

from .rules import SessionPolicy


def hours_per_day(year: int) -> Decimal:
    """Study hours (学时) that make one training day in `year`: the year's rules
    (lms.compliance), or the TRAINING_HOURS_PER_DAY setting (default 6)."""
    return year_facts(year).hours_per_day


def session_policy(year: int) -> SessionPolicy:
    return SessionPolicy(
        full_day_days=Decimal(str(settings.TRAINING_FULL_DAY_DAYS)),
        half_day_days=Decimal(str(settings.TRAINING_HALF_DAY_DAYS)),
        hours_per_day=hours_per_day(year),
        min_share=Decimal(str(settings.TRAINING_SESSION_MIN_SHARE)),
    )
