"""Writes to the credit ledger: the one place training days and study hours come from."""

import datetime as dt
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from lms.accounts.models import AuditAction
from lms.accounts.services import audit_log_write
from lms.policy import year_facts

from ..models import CreditEntry


class LedgerError(Exception):
    """A refused ledger write; `closed_years` names the closed years it touched."""

    def __init__(self, message: str, *, closed_years: tuple[int, ...] = ()):
        super().__init__(message)
        self.closed_years = closed_years


@transaction.atomic
def credit_entry_create(
    *,
    worker,
    date: dt.date,
    days: Decimal,
    hours: Decimal,
    kind: str,
    title: str,
    source_key: str,
    training_type: str = "",
    form: str = "",
    organiser=None,
    evidence: dict | None = None,
    created_by=None,
    adjustment_reason: str = "",
) -> tuple[CreditEntry, bool]:
    """Credit `worker` once for `source_key`; returns (entry, created).

    A second call for the same source returns the stored entry: a repeated check-out,
    heartbeat or import row never credits twice. An entry dated in a closed year is
    refused unless an administrator makes it as an adjustment with a reason (audited).
    """
    existing = CreditEntry.objects.filter(worker=worker, source_key=source_key).first()
    if existing is not None:
        return existing, False
    adjustment = _closed_year_check(date, created_by, adjustment_reason)
    entry = CreditEntry(
        worker=worker,
        date=date,
        days=days,
        hours=hours,
        kind=kind,
        title=title,
        source_key=source_key,
        training_type=training_type,
        form=form,
        organiser=organiser,
        evidence=evidence or {},
        created_by=created_by,
        reason=adjustment_reason.strip(),
    )
    entry.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:  # a concurrent request credited the same source first
        return CreditEntry.objects.get(worker=worker, source_key=source_key), False
    if adjustment:
        audit_log_write(
            actor=created_by,
            action=AuditAction.LEDGER_ADJUST,
            target=entry,
            detail={"closed_year": date.year, "reason": entry.reason},
        )
    return entry, True


@transaction.atomic
def credit_entries_create(
    *, entries: list[CreditEntry], created_by=None, adjustment_reason: str = ""
) -> list[CreditEntry]:
    """Credit many lines at once (imports, the demo city) under the rules of
    `credit_entry_create`: a line whose worker and source are already in the ledger
    (or earlier in `entries`) is skipped; every other line is validated, and a closed
    year is refused unless the lines are an administrator's adjustment with a reason
    (audited). Returns the lines written; the database keeps the yearly totals as for
    any insert."""
    stored = set()
    for start in range(0, len(entries), 2000):
        chunk = entries[start : start + 2000]
        stored.update(
            CreditEntry.objects.filter(
                worker_id__in={e.worker_id for e in chunk},
                source_key__in={e.source_key for e in chunk},
            ).values_list("worker_id", "source_key")
        )
    new = []
    for entry in entries:
        ident = (entry.worker_id, entry.source_key)
        if ident not in stored:
            stored.add(ident)
            new.append(entry)
    reason = adjustment_reason.strip()
    for entry in new:
        entry.created_by = created_by
        entry.reason = reason
        entry.full_clean(
            exclude=["worker", "organiser", "created_by", "reverses"],
            validate_unique=False,
            validate_constraints=False,
        )
    adjusted, refused = set(), []
    for year in sorted({e.date.year for e in new}):
        try:
            if _closed_year_check(dt.date(year, 1, 1), created_by, reason):
                adjusted.add(year)
        except LedgerError as exc:
            refused.append((year, str(exc)))
    if refused:
        raise LedgerError(
            refused[0][1], closed_years=tuple(year for year, _message in refused)
        )
    CreditEntry.objects.bulk_create(new, batch_size=2000)
    for entry in new:
        if entry.date.year in adjusted:
            audit_log_write(
                actor=created_by,
                action=AuditAction.LEDGER_ADJUST,
                target=entry,
                detail={"closed_year": entry.date.year, "reason": reason},
            )
    return new


def _closed_year_check(date: dt.date, actor, reason: str) -> bool:
    """True for an administrator's adjustment of a closed year; LedgerError when a
    closed year is written otherwise; False for an open year."""
    if not year_facts(date.year).closed:
        return False
    if (
        not reason.strip()
        or actor is None
        or not getattr(actor, "is_administrator", False)
    ):
        raise LedgerError(
            _(
                "The year %(year)s is closed: only an administrator's adjustment "
                "with a reason is accepted."
            )
            % {"year": date.year},
            closed_years=(date.year,),
        )
    return True


@transaction.atomic
def credit_entry_reverse(*, entry: CreditEntry, reason: str, actor, request=None):
    """Cancel `entry` with a reversing entry (negative amounts), a reason and an author."""
    if not reason.strip():
        raise LedgerError("A reversal needs a reason.")
    if entry.reverses_id is not None:
        raise LedgerError("A reversal cannot itself be reversed.")
    if CreditEntry.objects.filter(reverses=entry).exists():
        raise LedgerError("This entry is already reversed.")
    closed = _closed_year_check(entry.date, actor, reason)
    reversal = CreditEntry.objects.create(
        worker=entry.worker,
        date=entry.date,
        days=-entry.days,
        hours=-entry.hours,
        kind=entry.kind,
        training_type=entry.training_type,
        form=entry.form,
        organiser=entry.organiser,
        title=entry.title,
        source_key=f"reverse:{entry.pk}",
        evidence={"reverses": entry.pk},
        created_by=actor,
        reverses=entry,
        reason=reason.strip(),
    )
    audit_log_write(
        actor=actor,
        action=AuditAction.LEDGER_ADJUST,
        target=entry,
        detail={
            "reversal": reversal.pk,
            "reason": reason.strip(),
            **({"closed_year": entry.date.year} if closed else {}),
        },
        request=request,
    )
    return reversal
