"""Pure rules of placements: how many days a period can hold, whether it can be
signed off, and how its days become ledger credit under the year's policy."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

HALF = Decimal("0.5")


def span_days(start: dt.date, end: dt.date) -> int:
    """Calendar days of a period, both ends included."""
    return (end - start).days + 1


def placement_refusal(
    *, start: dt.date, end: dt.date, planned_days: Decimal
) -> str | None:
    """Why a planned placement is impossible, or None."""
    if end < start:
        return _("The end date is before the start date.")
    if planned_days <= 0 or planned_days % HALF:
        return _("Days are counted in half days.")
    if planned_days > span_days(start, end):
        return _("A placement cannot plan more days than its period holds.")
    return None


def sign_off_refusal(
    *, start: dt.date, end: dt.date, recorded_days: Decimal | None, today: dt.date
) -> str | None:
    """Why the host cannot sign off yet, or None.

    Credit never exceeds real time: the days attended fit in the period, and only
    the days up to today can have been attended.
    """
    if recorded_days is None:
        return _("Record the days attended first.")
    if recorded_days <= 0 or recorded_days % HALF:
        return _("Days are counted in half days.")
    if today < start:
        return _("The placement has not started.")
    elapsed = span_days(start, min(end, today))
    if recorded_days > elapsed:
        return _("At most %(days)s days can have been attended so far.") % {
            "days": elapsed
        }
    return None


@dataclass(frozen=True)
class Credit:
    kind: str  # lms.training CreditKind value
    days: Decimal
    hours: Decimal


def shadowing_credit(
    *, days: Decimal, counts_as: str, hours_per_day: Decimal
) -> Credit:
    """The ledger credit of `days` of shadowing: in-person days by default; as
    online study (hours, under the online cap) when the year's policy says so."""
    hours = (days * hours_per_day).quantize(Decimal("0.01"))
    if counts_as == "online":
        return Credit(kind="online", days=days, hours=hours)
    return Credit(kind="in_person", days=days, hours=hours)


def bigrams(text: str) -> set[str]:
    """The two-character words of `text` (letters and digits, lower case): a
    Chinese thread is found by any two characters in a row of its title or body."""
    out = set()
    run = []
    for char in text.lower() + " ":
        if char.isalnum():
            run.append(char)
            continue
        out.update(a + b for a, b in zip(run, run[1:], strict=False))
        if len(run) == 1:
            out.add(run[0])
        run = []
    return out


def query_bigrams(query: str) -> list[str]:
    """The words a search must all contain (a single character stays as it is)."""
    return sorted(bigrams(query))


def route_score(*, tags: list[str], text: str, specialities: list[str]) -> int:
    """How well a mentor's specialities fit a question: each speciality that a tag
    names (or is part of) or that the text mentions counts one."""
    score = 0
    for speciality in specialities:
        if speciality in text or any(
            tag in speciality or speciality in tag for tag in tags if tag
        ):
            score += 1
    return score


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def months_between(start: dt.date, end: dt.date) -> list[dt.date]:
    """First days of the months from `start`'s to `end`'s, both included."""
    months, month = [], month_start(start)
    while month <= end:
        months.append(month)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return months


def months_missing_records(
    *, start: dt.date, end: dt.date, today: dt.date, recorded: set[dt.date]
) -> list[dt.date]:
    """The months of a pairing already over (before today's month) with no record
    from either side."""
    last = min(end, month_start(today) - dt.timedelta(days=1))
    return [m for m in months_between(start, last) if m not in recorded]
