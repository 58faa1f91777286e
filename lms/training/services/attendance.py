"""Attendance: QR check-in/check-out, hand marking, and the session's credit."""

import hashlib

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.accounts.models import AuditAction
from lms.accounts.services import audit_log_write
from lms.policy import year_facts
from lms.training.models import (
    Attendance,
    AttendanceFlag,
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
    presence_verdict,
    scan_window,
    session_days,
)

from ..qr import fallback_code
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


PRESENCE_REFUSALS = {
    "location_needed": gettext_lazy(
        "This class checks where you are: allow the page to use your location "
        "and try again."
    ),
    "too_far": gettext_lazy(
        "You are %(m)s m from the venue; check in there (at most %(max)s m)."
    ),
}


def venue_of(session: ClassSession) -> tuple[float, float] | None:
    """The coordinates of the session's venue (its class's teaching base), if known."""
    base = session.training_class.base
    if base is None or base.latitude is None or base.longitude is None:
        return None
    return float(base.latitude), float(base.longitude)


def device_key(device: str) -> str:
    """What is stored of a browser's device cookie: a hash, never the cookie."""
    return hashlib.sha256(device.encode()).hexdigest()[:32] if device else ""


@transaction.atomic
def attendance_check_in(
    *,
    session: ClassSession,
    worker,
    now=None,
    position: tuple[float, float] | None = None,
    device: str = "",
) -> tuple:
    """Check in by QR; returns (attendance, created). A second check-in is harmless.

    At a venue with coordinates the phone's `position` is checked against the year's
    distance (refused, or flagged, per the year's setting); a device that already
    checked in another worker to this session flags both check-ins."""
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
    policy = year_facts(session.date.year)
    refusal, flags, metres = presence_verdict(
        venue=venue_of(session),
        position=position,
        max_m=policy.checkin_max_distance_m,
        far_action=policy.checkin_far_action,
    )
    if refusal:
        raise AttendanceError(
            PRESENCE_REFUSALS[refusal]
            % {"m": metres, "max": policy.checkin_max_distance_m}
        )
    key = device_key(device)
    if key:
        others = list(
            Attendance.objects.select_for_update()
            .filter(session=session, device=key)
            .exclude(enrolment=enrolment)
        )
        for other in others:
            if AttendanceFlag.SHARED_DEVICE not in other.flags:
                other.flags = [*other.flags, AttendanceFlag.SHARED_DEVICE]
                other.save(update_fields=["flags"])
        if others:
            flags.append(AttendanceFlag.SHARED_DEVICE)
    if attendance is None:
        attendance = Attendance(session=session, enrolment=enrolment)
    attendance.checked_in_at = now
    attendance.method = AttendanceMethod.QR
    attendance.distance_m = metres
    attendance.device = key
    attendance.flags = flags
    attendance.full_clean(validate_unique=False, validate_constraints=False)
    attendance.save()
    return attendance, True


@transaction.atomic
def attendance_code_check_in(
    *, session: ClassSession, code: str, actor, now=None
) -> Attendance:
    """The trainer types the check-in code a worker shows (scanning failed): that
    worker is checked in, within the session's check-in window."""
    now = now or timezone.now()
    code = (code or "").strip()
    refusal = check_in_refusal(now, _window(session))
    if refusal:
        raise AttendanceError(refusal)
    enrolments = Enrolment.objects.filter(
        training_class_id=session.training_class_id, status=EnrolmentStatus.ENROLLED
    ).only("pk", "worker_id")
    enrolment = next(
        (
            e
            for e in enrolments
            if len(code) == 6
            and constant_time_compare(fallback_code(session.pk, e.worker_id), code)
        ),
        None,
    )
    if enrolment is None:
        raise AttendanceError(_("No worker enrolled in this class has this code."))
    attendance, _created = Attendance.objects.select_for_update().get_or_create(
        session=session,
        enrolment=enrolment,
        defaults={"method": AttendanceMethod.CODE},
    )
    if attendance.checked_in_at is None:
        attendance.checked_in_at = now
        attendance.method = AttendanceMethod.CODE
        attendance.marked_by = actor
        attendance.save(update_fields=["checked_in_at", "method", "marked_by"])
    return attendance


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
