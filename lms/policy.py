"""What the ledger needs to know of a year's rules, below lms.training and
lms.compliance: whether the year is closed, how many study hours make a day, and the
year's limits on external training claims and on check-ins.

lms.compliance owns the annual rules and registers its answer here when the app is
ready (`year_facts_source`); without it every year is open and a day is the
TRAINING_HOURS_PER_DAY setting. Training reads the facts here, so it never imports
compliance: layers point down (see the README's layout).
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings


@dataclass(frozen=True)
class YearFacts:
    closed: bool
    hours_per_day: Decimal
    # Defaults as documented in lms.compliance.policy.
    claim_max_hours_per_day: Decimal = Decimal("8")
    claim_before_hire_days: int = 90
    party_school_day_days: Decimal = Decimal("1")
    teaching_hour_hours: Decimal = Decimal("2")
    paper_hours: Decimal = Decimal("6")
    checkin_max_distance_m: int = 500
    checkin_far_action: str = "refuse"


_source: Callable[[int], YearFacts] | None = None


def year_facts_source(source: Callable[[int], YearFacts]) -> None:
    """Register the function that answers `year_facts` (the annual rules' owner)."""
    global _source
    _source = source


def year_facts(year: int) -> YearFacts:
    if _source is not None:
        return _source(year)
    return YearFacts(
        closed=False, hours_per_day=Decimal(str(settings.TRAINING_HOURS_PER_DAY))
    )
