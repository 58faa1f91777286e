"""Policy numbers the training app reads: from settings, or the year's compliance policy."""

from decimal import Decimal

from django.conf import settings

from .rules import SessionPolicy


def hours_per_day(year: int) -> Decimal:
    """Study hours (学时) that make one training day in `year`.

    The per-year compliance policy decides when it has one for the year; otherwise
    the TRAINING_HOURS_PER_DAY setting (default 6) while lms.compliance has none.
    """
    try:
        from lms.compliance.selectors import policy_for_year
    except ImportError:
        policy_for_year = None
    if policy_for_year is not None:
        value = getattr(policy_for_year(year), "hours_per_day", None)
        if value:
            return Decimal(str(value))
    return Decimal(str(settings.TRAINING_HOURS_PER_DAY))


def session_policy(year: int) -> SessionPolicy:
    return SessionPolicy(
        full_day_days=Decimal(str(settings.TRAINING_FULL_DAY_DAYS)),
        half_day_days=Decimal(str(settings.TRAINING_HALF_DAY_DAYS)),
        hours_per_day=hours_per_day(year),
        min_share=Decimal(str(settings.TRAINING_SESSION_MIN_SHARE)),
    )
