"""The pure rules of placements (no database)."""

import datetime as dt
from decimal import Decimal

import pytest

from mentoring import rules

D = Decimal
MON, FRI = dt.date(2026, 3, 2), dt.date(2026, 3, 6)


def test_span_days_counts_both_ends():
    """A Monday-to-Friday placement holds five days; a one-day one holds one."""
    assert rules.span_days(MON, FRI) == 5
    assert rules.span_days(MON, MON) == 1


@pytest.mark.parametrize(
    "start,end,days,refused",
    [
        (MON, FRI, D("5"), False),
        (MON, FRI, D("4.5"), False),
        (MON, FRI, D("5.5"), True),  # more than the period holds
        (FRI, MON, D("1"), True),  # ends before it starts
        (MON, FRI, D("0"), True),
        (MON, FRI, D("1.3"), True),  # not in half days
    ],
)
def test_placement_refusal(start, end, days, refused):
    """A plan is refused when its days do not fit its period or are not half days."""
    assert (
        rules.placement_refusal(start=start, end=end, planned_days=days) is not None
    ) is refused


@pytest.mark.parametrize(
    "recorded,today,refused",
    [
        (None, FRI, True),  # nothing recorded
        (D("5"), FRI, False),
        (D("5"), dt.date(2026, 4, 1), False),
        (D("3"), dt.date(2026, 3, 4), False),  # three days elapsed so far
        (D("3.5"), dt.date(2026, 3, 4), True),  # more than elapsed: not real time
        (D("1"), dt.date(2026, 3, 1), True),  # not started
        (D("0"), FRI, True),
        (D("2.25"), FRI, True),
    ],
)
def test_sign_off_refusal_never_credits_more_than_real_time(recorded, today, refused):
    """Sign-off needs recorded half days that fit in the days elapsed of the period."""
    refusal = rules.sign_off_refusal(
        start=MON, end=FRI, recorded_days=recorded, today=today
    )
    assert (refusal is not None) is refused


def test_shadowing_credit_is_in_person_by_default_and_online_when_the_year_says():
    """In-person days by default; online study hours (under the cap) otherwise."""
    in_person = rules.shadowing_credit(
        days=D("4.5"), counts_as="in_person", hours_per_day=D("6")
    )
    assert in_person == rules.Credit(kind="in_person", days=D("4.5"), hours=D("27.00"))
    online = rules.shadowing_credit(
        days=D("2"), counts_as="online", hours_per_day=D("8")
    )
    assert online == rules.Credit(kind="online", days=D("2"), hours=D("16.00"))
