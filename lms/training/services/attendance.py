"""Attendance: QR check-in/check-out, hand marking, and the session's credit."""

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.accounts.models import AuditAction
from lms.accounts.services import audit_log_write
from lms.training.models import (
    Attendance,
    AttendanceMethod,
    ClassSession,
    CreditEntry,
    CreditKind,
    Enrolment,
    EnrolmentStatus,
)
from lms.training.policy import session_policy
from lms.training.rules import (
    attended_share,
    check_in_refusal,
    check_out_refusal,
    days_to_hours,
    earns_credit,
    scan_window,
    session_days,
)

from .ledger import LedgerError, credit_entry_create, credit_entry_reverse


class AttendanceError(Exception):
    """A refused check-in, check-out or marking; the message is for the person."""


def _window(session: ClassSession):
    return scan_window(
        session.starts_at,
        session.ends_at,
        early_minutes=settings.TRAINING_CHECKIN_EARLY_MINUTES,
        late_minutes=settings.TRAINING_CHECKOUT_LATE_MINUTES,
    )


def _enrolment(session: ClassSession, worker) -> Enrolment:
    enrolment = Enrolment.objects.filter(
        training_class_id=session.training_class_id,
        worker=worker,
        status=EnrolmentStatus.ENROLLED,
    ).first()
    if enrolment is None:
        raise AttendanceError(
            _("You are not enrolled in this class; check-in is refused.")
        )
    return enrolment


def session_credit(session: ClassSession) -> tuple:
    """(days, hours) the session is worth."""
    policy = session_policy(session.date.year)
    days = session_days(session.length, policy)
    return days, days_to_hours(days, policy.hours_per_day)


def _credit(attendance: Attendance, *, created_by=None) -> None:
    """Write the session's ledger entry once, when the attended share is enough."""
    session = attendance.session
    policy = session_policy(session.date.year)
    share = attended_share(
        attendance.checked_in_at,
        attendance.checked_out_at,
        session.starts_at,
        session.ends_at,
    )
    if not earns_credit(share, policy) or attendance.credit_id:
        return
    klass = session.training_class
    days, hours = session_credit(session)
    worker = attendance.enrolment.worker
    source_key = f"session:{session.pk}"
    reversed_count = (
        CreditEntry.objects.filter(worker=worker, reversed_by__isnull=False)
        .filter(Q(source_key=source_key) | Q(source_key__startswith=f"{source_key}:"))
        .count()
    )
    if reversed_count:  # credited, reversed, now marked present again
        source_key = f"{source_key}:{reversed_count}"
    entry, _created = credit_entry_create(
        worker=worker,
        date=session.date,
        days=days,
        hours=hours,
        kind=CreditKind.IN_PERSON,
        title=f"{klass.title} · {session.date:%Y-%m-%d}",
        source_key=source_key,
        training_type=klass.type,
        form=klass.form,
        organiser=klass.organiser,
        evidence={
            "class": klass.pk,
            "session": session.pk,
            "attendance": attendance.pk,
            "method": attendance.method,
            "share": str(share),
        },
        created_by=created_by,
    )
    attendance.credit = entry
    attendance.save(update_fields=["credit"])


@transaction.atomic
def attendance_check_in(*, session: ClassSession, worker, now=None) -> tuple:
    """Check in by QR; returns (attendance, created). A second check-in is harmless."""
    now = now or timezone.now()
    enrolment = _enrolment(session, worker)
    attendance = (
        Attendance.objects.select_for_update()
        .filter(session=session, enrolment=enrolment)
        .first()
    )
    if attendance is not None and attendance.checked_in_at is not None:
        return attendance, False
    refusal = check_in_refusal(now, _window(session))
    if refusal:
        raise AttendanceError(refusal)
    if attendance is None:
        attendance = Attendance(session=session, enrolment=enrolment)
    attendance.checked_in_at = now
    attendance.method = AttendanceMethod.QR
    attendance.full_clean(validate_unique=False, validate_constraints=False)
    attendance.save()
    return attendance, True


@transaction.atomic
def attendance_check_out(*, session: ClassSession, worker, now=None) -> Attendance:
    """Check out by QR and credit the session when enough of it was attended."""
    now = now or timezone.now()
    enrolment = _enrolment(session, worker)
    attendance = (
        Attendance.objects.select_for_update()
        .select_related("session__training_class__organiser", "enrolment__worker")
        .filter(session=session, enrolment=enrolment)
        .first()
    )
    refusal = check_out_refusal(
        now, _window(session), attendance.checked_in_at if attendance else None
    )
    if refusal:
        raise AttendanceError(refusal)
    if attendance.checked_out_at is None:
        attendance.checked_out_at = now
        attendance.save(update_fields=["checked_out_at"])
    _credit(attendance)
    return attendance


@transaction.atomic
def attendance_mark(
    *,
    session: ClassSession,
    enrolment: Enrolment,
    present: bool,
    reason: str,
    actor,
    request=None,
) -> Attendance | None:
    """A trainer marks a worker present (whole session, credited) or absent (any
    credit reversed), with a reason; audited."""
    reason = (reason or "").strip()
    if not reason:
        raise AttendanceError(_("Give a reason for marking attendance by hand."))
    if enrolment.training_class_id != session.training_class_id:
        raise AttendanceError(_("The worker is not enrolled in this class."))
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise AttendanceError(_("The worker is not enrolled in this class."))
    attendance = (
        Attendance.objects.select_for_update()
        .select_related("session__training_class__organiser", "enrolment__worker")
        .filter(session=session, enrolment=enrolment)
        .first()
    )
    if present:
        if attendance is None:
            attendance = Attendance(session=session, enrolment=enrolment)
        attendance.checked_in_at = session.starts_at
        attendance.checked_out_at = session.ends_at
        attendance.method = AttendanceMethod.MANUAL
        attendance.marked_by = actor
        attendance.reason = reason
        attendance.full_clean(validate_unique=False, validate_constraints=False)
        attendance.save()
        _credit(attendance, created_by=actor)
    elif attendance is not None:
        if attendance.credit_id:
            try:
                credit_entry_reverse(
                    entry=attendance.credit, reason=reason, actor=actor, request=request
                )
            except LedgerError as exc:
                raise AttendanceError(str(exc)) from exc
        # the row stays (the ledger keeps the history); it no longer counts
        attendance.checked_in_at = None
        attendance.checked_out_at = None
        attendance.method = AttendanceMethod.MANUAL
        attendance.marked_by = actor
        attendance.reason = reason
        attendance.credit = None
        attendance.save()
    audit_log_write(
        actor=actor,
        action=AuditAction.ATTENDANCE_MARK,
        target=enrolment,
        detail={"session": session.pk, "present": present, "reason": reason},
        request=request,
    )
    return attendance
