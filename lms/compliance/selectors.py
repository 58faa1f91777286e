"""Reads of the annual minimum: the year's policy and compliance from the ledger."""

from .models import YearPolicy
from .policy import Policy


def policy_for_year(year: int) -> Policy:
    """The rules of `year`: the administrators' row, or the documented defaults."""
    row = YearPolicy.objects.filter(year=year).first()
    return row.to_policy() if row is not None else Policy(year=year)


def closed_years() -> set[int]:
    return set(YearPolicy.objects.filter(closed=True).values_list("year", flat=True))
