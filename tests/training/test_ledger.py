"""The credit ledger is append-only: corrections are reversing entries."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from lms.accounts.db import AppendOnlyError
from lms.training.models import (
    ONLINE_CREDIT,
    CreditEntry,
    CreditKind,
    CreditTotal,
    TrainingForm,
)
from lms.training.selectors import credit_totals_mismatches
from lms.training.services import (
    LedgerError,
    credit_entries_create,
    credit_entry_create,
    credit_entry_reverse,
)
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


def totals(worker) -> dict:
    return {
        t.year: (t.in_person_days, t.online_hours)
        for t in CreditTotal.objects.filter(worker=worker)
    }


def test_yearly_totals_follow_every_insert(entry, tree):
    """The database keeps each worker's yearly totals on every insert, whatever wrote
    it: a service, a reversal, a bulk insert (imports, the demo)."""
    worker = entry.worker
    assert totals(worker) == {2026: (Decimal("1"), Decimal("0"))}
    line = dict(worker=worker, title="t", training_type="", form="")
    CreditEntry.objects.bulk_create(
        [
            CreditEntry(
                date=dt.date(2026, 5, 1),
                days=0,
                hours=Decimal("1.5"),
                kind="online",
                source_key="lesson:1",
                **line,
            ),
            CreditEntry(
                date=dt.date(2026, 6, 1),
                days=0,
                hours=Decimal("0.5"),
                kind="test",
                source_key="test:1",
                **line,
            ),
            CreditEntry(
                date=dt.date(2026, 7, 1),
                days=Decimal("2"),
                hours=12,
                kind="external",
                source_key="external:1",
                **line,
            ),
            CreditEntry(
                date=dt.date(2025, 12, 31),
                days=Decimal("0.5"),
                hours=3,
                kind="in_person",
                source_key="session:0",
                **line,
            ),
        ]
    )
    assert totals(worker) == {
        2026: (Decimal("3"), Decimal("2")),
        2025: (Decimal("0.5"), Decimal("0")),
    }
    credit_entry_reverse(
        entry=entry, reason="重复登记", actor=AdminFactory(org=tree["city"])
    )
    assert totals(worker)[2026] == (Decimal("2"), Decimal("2"))
    assert credit_totals_mismatches() == []
    call_command("credit_totals_check")


def test_totals_check_reports_a_difference(entry):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE training_credittotal SET in_person_days = 5")
    assert credit_totals_mismatches() == [
        (
            entry.worker_id,
            2026,
            (Decimal("5"), Decimal("0")),
            (Decimal("1"), Decimal("0")),
        )
    ]
    with pytest.raises(CommandError):
        call_command("credit_totals_check")


def test_totals_trigger_agrees_with_the_python_definition_of_online_credit(tree):
    """For every kind and every form, the database's yearly totals put a line where
    ONLINE_CREDIT does: its hours toward the online cap when the kind is earned online
    or the training form is online (an imported or claimed online course too), its
    days as in-person days otherwise."""
    forms = [""] + [form for form, _ in TrainingForm.choices]
    for kind, _label in CreditKind.choices:
        for form in forms:
            worker = WorkerFactory(community=tree["community11"])
            entry, _ = credit_entry_create(
                worker=worker,
                date=dt.date(2026, 4, 1),
                days=Decimal("2"),
                hours=Decimal("3"),
                kind=kind,
                form=form,
                title="t",
                source_key=f"check:{kind}:{form}",
            )
            online = CreditEntry.objects.filter(ONLINE_CREDIT, pk=entry.pk).exists()
            assert online == (kind in ("online", "test") or form == "online"), (
                kind,
                form,
            )
            expected = (
                (Decimal("0"), Decimal("3")) if online else (Decimal("2"), Decimal("0"))
            )
            assert totals(worker) == {2026: expected}, (kind, form)
    assert credit_totals_mismatches() == []


def test_standing_leaves_out_reversed_entries_and_reversals(entry, tree):
    """`standing()` is what still counts: a reversed entry and its reversal drop out."""
    kept, _ = credit_entry_create(
        worker=entry.worker,
        date=dt.date(2026, 3, 2),
        days=Decimal("1"),
        hours=Decimal("6"),
        kind="in_person",
        title="t",
        source_key="session:2",
    )
    credit_entry_reverse(
        entry=entry, reason="重复登记", actor=AdminFactory(org=tree["city"])
    )
    assert list(CreditEntry.objects.standing()) == [kept]


def _line(worker, key: str, **changes) -> CreditEntry:
    values = dict(
        worker=worker,
        date=dt.date(2026, 5, 1),
        days=Decimal("1"),
        hours=Decimal("6"),
        kind="external",
        title="外部培训",
        source_key=key,
    )
    return CreditEntry(**(values | changes))


def test_bulk_credit_skips_stored_and_repeated_sources(entry):
    """A line whose worker and source are in the ledger already, or earlier in the
    same batch, is skipped, as `credit_entry_create` would."""
    worker = entry.worker
    other = WorkerFactory(community=worker.community)
    new = credit_entries_create(
        entries=[
            _line(worker, "session:1"),
            _line(worker, "import:a"),
            _line(worker, "import:a"),
            _line(other, "import:a"),
        ]
    )
    assert [(e.worker_id, e.source_key) for e in new] == [
        (worker.pk, "import:a"),
        (other.pk, "import:a"),
    ]
    assert CreditEntry.objects.count() == 3
    assert totals(worker) == {2026: (Decimal("2"), Decimal("0"))}


def test_bulk_credit_validates_every_line_and_writes_nothing_on_error(entry):
    """A line that fails validation (an unknown kind) refuses the whole batch."""
    with pytest.raises(ValidationError):
        credit_entries_create(
            entries=[
                _line(entry.worker, "import:ok"),
                _line(entry.worker, "import:bad", kind="gift"),
            ]
        )
    assert CreditEntry.objects.count() == 1
