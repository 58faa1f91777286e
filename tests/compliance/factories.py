import datetime as dt
import itertools
from decimal import Decimal

from lms.training.models import CreditEntry

_keys = itertools.count(1)


def credit(
    worker,
    date: str | dt.date,
    *,
    days="0",
    hours=None,
    kind="in_person",
    training_type="on_the_job",
    form="",
    organiser=None,
) -> CreditEntry:
    """One hand-written ledger line (hours default to days × 6)."""
    when = dt.date.fromisoformat(date) if isinstance(date, str) else date
    days = Decimal(days)
    return CreditEntry.objects.create(
        worker=worker,
        date=when,
        days=days,
        hours=Decimal(hours) if hours is not None else days * 6,
        kind=kind,
        training_type=training_type,
        form=form,
        organiser=organiser,
        title="测试培训",
        source_key=f"test:{next(_keys)}",
    )


def reverse(entry: CreditEntry) -> CreditEntry:
    return CreditEntry.objects.create(
        worker=entry.worker,
        date=entry.date,
        days=-entry.days,
        hours=-entry.hours,
        kind=entry.kind,
        training_type=entry.training_type,
        organiser=entry.organiser,
        title=entry.title,
        source_key=f"reverse:{entry.pk}",
        reverses=entry,
        reason="录入错误",
    )
