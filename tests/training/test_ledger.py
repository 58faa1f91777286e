"""The credit ledger is append-only: corrections are reversing entries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction

from lms.accounts.db import AppendOnlyError
from lms.training.models import CreditEntry
from lms.training.services import LedgerError, credit_entry_create, credit_entry_reverse
from tests.people.factories import AdminFactory, WorkerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(tree):
    worker = WorkerFactory(community=tree["community11"])
    return credit_entry_create(
        worker=worker,
        date=dt.date(2026, 3, 1),
        days=Decimal("1"),
        hours=Decimal("6"),
        kind="in_person",
        title="社区治理专题培训",
        source_key="session:1",
    )[0]


def test_update_and_delete_are_refused_by_the_orm(entry):
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        CreditEntry.objects.filter(pk=entry.pk).update(days=5)
    with pytest.raises(AppendOnlyError):
        CreditEntry.objects.filter(pk=entry.pk).delete()


def test_update_is_refused_by_the_database(entry):
    """Raw SQL is refused by the trigger too (PostgreSQL: DELETE as well)."""
    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE training_creditentry SET days = 9 WHERE id = %s", [entry.pk]
            )
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(
                    "DELETE FROM training_creditentry WHERE id = %s", [entry.pk]
                )
    assert CreditEntry.objects.get(pk=entry.pk).days == Decimal("1")


def test_saving_an_existing_entry_again_is_refused(entry):
    entry.days = Decimal("3")
    with pytest.raises(DatabaseError), transaction.atomic():
        entry.save()


def test_same_source_credits_once(entry):
    again, created = credit_entry_create(
        worker=entry.worker,
        date=entry.date,
        days=Decimal("1"),
        hours=Decimal("6"),
        kind="in_person",
        title="x",
        source_key="session:1",
    )
    assert not created and again.pk == entry.pk
    assert CreditEntry.objects.count() == 1


def test_reversal_needs_a_reason_and_happens_once(entry, tree):
    admin = AdminFactory(org=tree["district1"])
    with pytest.raises(LedgerError):
        credit_entry_reverse(entry=entry, reason="  ", actor=admin)
    reversal = credit_entry_reverse(entry=entry, reason="重复登记", actor=admin)
    assert (reversal.days, reversal.hours) == (Decimal("-1"), Decimal("-6"))
    with pytest.raises(LedgerError):
        credit_entry_reverse(entry=entry, reason="again", actor=admin)
    with pytest.raises(LedgerError):
        credit_entry_reverse(entry=reversal, reason="undo", actor=admin)
    assert CreditEntry.objects.count() == 2
