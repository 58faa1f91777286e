"""Enrolment, waiting list, attendance and credit, grading and completion."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from lms.accounts.models import AuditAction, AuditLog
from lms.people.models import Post
from lms.training.models import (
    Attendance,
    CreditEntry,
    Enrolment,
    EnrolmentStatus,
)
from lms.training.selectors import enrolments_completion, open_classes_for
from lms.training.services import (
    AttendanceError,
    EnrolmentError,
    attendance_check_in,
    attendance_check_out,
    attendance_mark,
    enrolment_bulk_create,
    enrolment_cancel,
    enrolment_create,
    grade_record,
)
from tests.conftest import BEIJING
from tests.people.factories import AdminFactory, WorkerFactory

from .factories import ClassSessionFactory, TrainingClassFactory, aware

pytestmark = pytest.mark.django_db


def test_enrolment_fills_capacity_then_the_waiting_list(klass, workers):
    """Capacity 2: the first two are enrolled, the next two wait in order."""
    statuses = [
        enrolment_create(training_class=klass, worker=w)[0].status for w in workers
    ]
    assert statuses == ["enrolled", "enrolled", "waiting", "waiting"]


def test_enrolling_twice_changes_nothing(klass, workers):
    first, created = enrolment_create(training_class=klass, worker=workers[0])
    again, created_again = enrolment_create(training_class=klass, worker=workers[0])
    assert created and not created_again and first.pk == again.pk
    assert Enrolment.objects.count() == 1


def test_cancellation_promotes_the_waiting_list_in_order(klass, workers):
    enrolments = []
    for i, w in enumerate(workers):
        now = timezone.now() + dt.timedelta(seconds=i)
        enrolments.append(enrolment_create(training_class=klass, worker=w, now=now)[0])
    promoted = enrolment_cancel(enrolment=enrolments[1])
    assert [e.pk for e in promoted] == [enrolments[2].pk]
    statuses = dict(Enrolment.objects.values_list("worker_id", "status"))
    assert statuses == {
        workers[0].pk: "enrolled",
        workers[1].pk: "cancelled",
        workers[2].pk: "enrolled",
        workers[3].pk: "waiting",
    }


def test_cancelling_after_the_deadline_is_refused(klass, workers):
    enrolment, _ = enrolment_create(training_class=klass, worker=workers[0])
    late = klass.cancel_deadline + dt.timedelta(minutes=1)
    with pytest.raises(EnrolmentError):
        enrolment_cancel(enrolment=enrolment, now=late)
    assert Enrolment.objects.get(pk=enrolment.pk).status == "enrolled"
    enrolment_cancel(enrolment=enrolment, now=late, by_admin=True)
    assert Enrolment.objects.get(pk=enrolment.pk).status == "cancelled"


def test_a_cancelled_worker_re_enrols_at_the_end_of_the_queue(klass, workers):
    a = enrolment_create(training_class=klass, worker=workers[0])[0]
    enrolment_create(training_class=klass, worker=workers[1])
    enrolment_create(training_class=klass, worker=workers[2])  # waiting
    enrolment_cancel(enrolment=a)  # workers[2] promoted
    again, created = enrolment_create(training_class=klass, worker=workers[0])
    assert created and again.pk == a.pk and again.status == "waiting"


def test_self_enrolment_checks_window_post_and_subtree(tree):
    klass = TrainingClassFactory(
        organiser=tree["district1"], target_posts=[Post.SECRETARY]
    )
    staff = WorkerFactory(community=tree["community11"], post=Post.STAFF)
    secretary_elsewhere = WorkerFactory(
        community=tree["community21"], post=Post.SECRETARY
    )
    secretary = WorkerFactory(community=tree["community12"], post=Post.SECRETARY)
    for worker in (staff, secretary_elsewhere):
        with pytest.raises(EnrolmentError):
            enrolment_create(training_class=klass, worker=worker)
    with pytest.raises(EnrolmentError):
        enrolment_create(
            training_class=klass,
            worker=secretary,
            now=klass.enrol_closes + dt.timedelta(seconds=1),
        )
    assert not Enrolment.objects.exists()
    assert (
        enrolment_create(training_class=klass, worker=secretary)[0].status == "enrolled"
    )


def test_open_classes_for_lists_only_what_the_worker_may_join(tree):
    worker = WorkerFactory(community=tree["community11"], post=Post.STAFF)
    mine = TrainingClassFactory(organiser=tree["district1"])
    TrainingClassFactory(organiser=tree["district2"])  # other subtree
    TrainingClassFactory(organiser=tree["city"], target_posts=[Post.SECRETARY])
    TrainingClassFactory(
        organiser=tree["city"],
        enrol_opens=timezone.now() - dt.timedelta(days=9),
        enrol_closes=timezone.now() - dt.timedelta(days=1),
    )
    city = TrainingClassFactory(organiser=tree["city"], capacity=5)
    joined = TrainingClassFactory(organiser=tree["street1"])
    enrolment_create(training_class=joined, worker=worker)
    # cancelled earlier while others stay enrolled: open to the worker again
    enrolment_create(
        training_class=city, worker=WorkerFactory(community=tree["community21"])
    )
    enrolment_cancel(enrolment=enrolment_create(training_class=city, worker=worker)[0])
    found = open_classes_for(worker)
    assert {c.pk for c in found} == {mine.pk, city.pk}
    assert next(c for c in found if c.pk == city.pk).seats_left == 4


def test_check_in_twice_is_harmless_and_check_out_credits_once(
    klass, session, workers, during, after
):
    worker = workers[0]
    enrolment_create(training_class=klass, worker=worker)
    first, created = attendance_check_in(session=session, worker=worker, now=during)
    again, created_again = attendance_check_in(
        session=session, worker=worker, now=during + dt.timedelta(minutes=5)
    )
    assert created and not created_again
    assert again.checked_in_at == during
    start = aware(session.date, dt.time(9, 0))
    Attendance.objects.filter(pk=first.pk).update(checked_in_at=start)
    attendance = attendance_check_out(session=session, worker=worker, now=after)
    attendance_check_out(session=session, worker=worker, now=after)
    entry = CreditEntry.objects.get(worker=worker)
    assert attendance.credit_id == entry.pk
    assert entry.source_key == f"session:{session.pk}"
    assert (entry.days, entry.hours, entry.kind) == (
        Decimal("1"),
        Decimal("6"),
        "in_person",
    )
    assert (entry.training_type, entry.form, entry.organiser_id) == (
        klass.type,
        klass.form,
        klass.organiser_id,
    )


def test_half_day_session_credits_half_a_day(klass, workers):
    session = ClassSessionFactory(
        training_class=klass,
        start_time=dt.time(14, 0),
        end_time=dt.time(17, 0),
        length="half",
    )
    enrolment_create(training_class=klass, worker=workers[0])
    attendance_check_in(
        session=session, worker=workers[0], now=aware(session.date, dt.time(13, 55))
    )
    attendance_check_out(
        session=session, worker=workers[0], now=aware(session.date, dt.time(17, 1))
    )
    entry = CreditEntry.objects.get(worker=workers[0])
    assert (entry.days, entry.hours) == (Decimal("0.50"), Decimal("3.00"))


def test_leaving_early_earns_no_credit(klass, session, workers):
    enrolment_create(training_class=klass, worker=workers[0])
    attendance_check_in(
        session=session, worker=workers[0], now=aware(session.date, dt.time(9, 0))
    )
    attendance = attendance_check_out(
        session=session, worker=workers[0], now=aware(session.date, dt.time(11, 0))
    )
    assert attendance.credit_id is None
    assert not CreditEntry.objects.exists()


def test_check_in_outside_the_window_or_unenrolled_is_refused(
    klass, session, workers, during
):
    with (
        translation.override("en"),
        pytest.raises(AttendanceError, match="not enrolled"),
    ):
        attendance_check_in(session=session, worker=workers[0], now=during)
    enrolment_create(training_class=klass, worker=workers[0])
    for moment in (dt.time(8, 0), dt.time(17, 30)):
        with pytest.raises(AttendanceError):
            attendance_check_in(
                session=session, worker=workers[0], now=aware(session.date, moment)
            )
    for w in workers[2:]:  # on the waiting list: not enrolled
        enrolment_create(training_class=klass, worker=w)
    enrolment_create(training_class=klass, worker=workers[1])
    with pytest.raises(AttendanceError):
        attendance_check_in(session=session, worker=workers[3], now=during)
    assert not Attendance.objects.exists()


def test_hand_marking_credits_reverses_and_is_audited(klass, session, workers, tree):
    trainer = AdminFactory(org=tree["district1"])
    enrolment, _ = enrolment_create(training_class=klass, worker=workers[0])
    with pytest.raises(AttendanceError):
        attendance_mark(
            session=session,
            enrolment=enrolment,
            present=True,
            reason=" ",
            actor=trainer,
        )
    attendance_mark(
        session=session,
        enrolment=enrolment,
        present=True,
        reason="手机没电",
        actor=trainer,
    )
    entry = CreditEntry.objects.get(worker=workers[0])
    assert entry.created_by == trainer and entry.days == Decimal("1")
    attendance_mark(
        session=session,
        enrolment=enrolment,
        present=False,
        reason="误标",
        actor=trainer,
    )
    assert CreditEntry.objects.filter(worker=workers[0]).count() == 2
    reversal = CreditEntry.objects.get(reverses=entry)
    assert reversal.days == Decimal("-1") and reversal.reason == "误标"
    attendance_mark(
        session=session,
        enrolment=enrolment,
        present=True,
        reason="复核到场",
        actor=trainer,
    )
    totals = [e.days for e in CreditEntry.objects.filter(worker=workers[0])]
    assert sum(totals) == Decimal("1") and len(totals) == 3
    assert AuditLog.objects.filter(action=AuditAction.ATTENDANCE_MARK).count() == 3


def test_completion_needs_attendance_and_graded_parts(klass, session, workers, tree):
    klass.extra_requirement = "paper_defence"
    klass.save()
    second = ClassSessionFactory(
        training_class=klass, date=session.date + dt.timedelta(days=1)
    )
    trainer = AdminFactory(org=tree["district1"])
    enrolment, _ = enrolment_create(training_class=klass, worker=workers[0])
    done, reasons = enrolments_completion([enrolment])[enrolment.pk]
    assert not done and len(reasons) == 3
    for s in (session, second):
        attendance_mark(
            session=s, enrolment=enrolment, present=True, reason="补录", actor=trainer
        )
    grade_record(
        enrolment=enrolment, component="paper", score=Decimal("82"), actor=trainer
    )
    grade_record(
        enrolment=enrolment, component="defence", score=Decimal("55"), actor=trainer
    )
    done, reasons = enrolments_completion([enrolment])[enrolment.pk]
    assert not done and len(reasons) == 1
    grade_record(
        enrolment=enrolment, component="defence", score=Decimal("70"), actor=trainer
    )
    assert enrolments_completion([enrolment])[enrolment.pk] == (True, [])


def test_cancelling_with_recorded_attendance_is_refused(klass, session, workers, tree):
    enrolment, _ = enrolment_create(training_class=klass, worker=workers[0])
    attendance_mark(
        session=session,
        enrolment=enrolment,
        present=True,
        reason="补录",
        actor=AdminFactory(org=tree["district1"]),
    )
    with pytest.raises(EnrolmentError):
        enrolment_cancel(enrolment=enrolment)
    assert Enrolment.objects.get(pk=enrolment.pk).status == EnrolmentStatus.ENROLLED


@pytest.mark.time_machine(dt.datetime(2026, 11, 18, 7, 30, tzinfo=BEIJING), tick=False)
def test_who_left_today_is_refused_before_eight_in_the_morning_too(tree):
    """At 07:30 in Beijing the UTC date is still yesterday: a leave date counts in
    the configured time zone, for one enrolment and for enrolment in bulk."""
    klass = TrainingClassFactory(organiser=tree["district1"])
    gone = WorkerFactory(
        community=tree["community11"], leave_date=dt.date(2026, 11, 18)
    )
    with translation.override("en"):
        with pytest.raises(EnrolmentError, match="has left service"):
            enrolment_create(training_class=klass, worker=gone)
        result = enrolment_bulk_create(
            training_class=klass, org=tree["community11"], posts=[]
        )
        assert [row[3:] for row in result["report"]] == [
            ("Skipped", "The worker has left service.")
        ]
