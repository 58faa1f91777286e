"""Classes, sessions, enrolments and QR check-in/out (lms.training services)."""

import datetime as dt
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field, StringConstraints

from lms.accounts.ratelimit import client_key, hit
from lms.training import qr
from lms.training.models import (
    ClassSession,
    Enrolment,
    EnrolmentSource,
    EnrolmentStatus,
    TrainingClass,
    TrainingLevel,
    TrainingType,
)
from lms.training.services import (
    AttendanceError,
    EnrolmentError,
    attendance_check_in,
    attendance_check_out,
    enrolment_create,
)

from ..errors import ApiError
from ..pagination import Pagination
from ..schemas import Code, ObjectId
from ..scope import node_in_scope, scoped, user_of
from .people import _Rows, workers_in_scope

router = Router(tags=["training"])
VIEW_CLASS = "training.view_trainingclass"
VIEW_ENROLMENT = "training.view_enrolment"
ADD_ENROLMENT = "training.add_enrolment"


class SessionOut(Schema):
    id: int
    date: dt.date
    length: str
    topic: str
    starts_at: dt.datetime
    ends_at: dt.datetime


class ClassOut(Schema):
    id: int
    title: str
    level: str
    type: str
    form: str
    organiser_code: str
    target_code: str
    target_posts: list[str]
    capacity: int
    location: str
    enrol_opens: dt.datetime
    enrol_closes: dt.datetime
    published: bool


class ClassDetailOut(ClassOut):
    description: str
    sessions: list[SessionOut]


class EnrolmentOut(Schema):
    id: int
    class_id: int
    class_title: str
    worker_id: int
    worker_name: str
    id_number_masked: str
    status: str
    source: str
    requested_at: dt.datetime


class EnrolIn(Schema):
    worker_id: int = Field(..., ge=1, le=2**62)


class CheckInIn(Schema):
    code: Annotated[str, StringConstraints(min_length=1, max_length=200)]


class AttendanceOut(Schema):
    session_id: int
    class_title: str
    checked_in_at: dt.datetime | None
    checked_out_at: dt.datetime | None
    credited: bool


def class_row(c: TrainingClass) -> dict:
    return {
        "id": c.pk,
        "title": c.title,
        "level": c.level,
        "type": c.type,
        "form": c.form,
        "organiser_code": c.organiser.code,
        "target_code": c.target_org.code,
        "target_posts": list(c.target_posts or []),
        "capacity": c.capacity,
        "location": c.location,
        "enrol_opens": c.enrol_opens,
        "enrol_closes": c.enrol_closes,
        "published": c.published,
    }


def session_row(s: ClassSession) -> dict:
    return {
        "id": s.pk,
        "date": s.date,
        "length": s.length,
        "topic": s.topic,
        "starts_at": s.starts_at,
        "ends_at": s.ends_at,
    }


def enrolment_row(e: Enrolment) -> dict:
    return {
        "id": e.pk,
        "class_id": e.training_class_id,
        "class_title": e.training_class.title,
        "worker_id": e.worker_id,
        "worker_name": e.worker.name,
        "id_number_masked": e.worker.id_number_masked,
        "status": e.status,
        "source": e.source,
        "requested_at": e.requested_at,
    }


def classes_in_scope(user):
    """Classes organised inside the caller's subtree (as in the admin)."""
    return scoped(
        TrainingClass.objects.select_related("organiser", "target_org"),
        user,
        org_field="organiser",
    )


@router.get("/classes", response=list[ClassOut], summary="Classes organised in scope")
@paginate(Pagination)
def class_list(
    request,
    org: Code | None = None,
    level: TrainingLevel | None = None,
    type: TrainingType | None = None,
    year: int | None = Query(None, ge=1990, le=2100),
):
    user = user_of(request, VIEW_CLASS)
    qs = classes_in_scope(user)
    if org:
        qs = qs.filter(organiser__path__startswith=node_in_scope(user, org).path)
    if level:
        qs = qs.filter(level=level)
    if type:
        qs = qs.filter(type=type)
    if year:
        qs = qs.filter(enrol_opens__year=year)
    return _Rows(qs.order_by("-enrol_opens", "id"), class_row)


@router.get("/classes/{class_id}", response=ClassDetailOut, summary="One class")
def class_detail(request, class_id: int = ObjectId):
    klass = get_object_or_404(
        classes_in_scope(user_of(request, VIEW_CLASS)), pk=class_id
    )
    sessions = ClassSession.objects.filter(training_class=klass).order_by("date", "id")
    return {
        **class_row(klass),
        "description": klass.description,
        "sessions": [session_row(s) for s in sessions],
    }


@router.get(
    "/enrolments", response=list[EnrolmentOut], summary="Enrolments of workers in scope"
)
@paginate(Pagination)
def enrolment_list(
    request,
    class_id: int | None = Query(None, ge=1, le=2**62),
    worker: int | None = Query(None, ge=1, le=2**62),
    status: EnrolmentStatus | None = None,
):
    """Enrolments of the caller's workers, in any class (a district sees its own
    workers in city classes too)."""
    user = user_of(request, VIEW_ENROLMENT)
    qs = scoped(
        Enrolment.objects.select_related("training_class", "worker"),
        user,
        org_field="worker__community",
    )
    if class_id:
        qs = qs.filter(training_class_id=class_id)
    if worker:
        qs = qs.filter(worker_id=worker)
    if status:
        qs = qs.filter(status=status)
    return _Rows(qs.order_by("training_class_id", "requested_at", "id"), enrolment_row)


@router.post(
    "/classes/{class_id}/enrolments",
    response={200: EnrolmentOut, 201: EnrolmentOut},
    summary="Enrol a worker (administrator)",
)
def enrolment_add(request, payload: EnrolIn, class_id: int = ObjectId):
    """Enrols (or waiting-lists) a worker of the caller's subtree in a class organised
    in scope; enrolling again changes nothing (200)."""
    user = user_of(request, ADD_ENROLMENT)
    klass = get_object_or_404(classes_in_scope(user), pk=class_id)
    worker = get_object_or_404(workers_in_scope(user), pk=payload.worker_id)
    try:
        enrolment, created = enrolment_create(
            training_class=klass,
            worker=worker,
            actor=user,
            source=EnrolmentSource.ADMIN,
        )
    except EnrolmentError as exc:
        raise ApiError(422, "refused", str(exc)) from None
    enrolment = Enrolment.objects.select_related("training_class", "worker").get(
        pk=enrolment.pk
    )
    return (201 if created else 200), enrolment_row(enrolment)


def _own_worker(request):
    worker = getattr(user_of(request), "worker", None)
    if worker is None:
        raise PermissionDenied
    allowed, wait = hit("check_in", client_key(request, "user"))
    if not allowed:
        raise ApiError(
            429, "rate_limited", _("Too many requests. Please wait and try again.")
        )
    return worker


def _session(code: str) -> ClassSession:
    try:
        session_id = qr.session_from_code(code)
    except qr.CodeExpired:
        raise ApiError(
            422, "code_expired", _("This code has expired: scan the screen again.")
        ) from None
    except qr.CodeInvalid:
        raise ApiError(422, "code_invalid", _("This is not a check-in code.")) from None
    return get_object_or_404(
        ClassSession.objects.select_related("training_class"), pk=session_id
    )


def _attendance_out(attendance) -> dict:
    return {
        "session_id": attendance.session_id,
        "class_title": attendance.session.training_class.title,
        "checked_in_at": attendance.checked_in_at,
        "checked_out_at": attendance.checked_out_at,
        "credited": attendance.credit_id is not None,
    }


@router.post("/check-in", response=AttendanceOut, summary="Check in with a QR code")
def check_in(request, payload: CheckInIn):
    """For a signed-in worker: the code shown on the class screen."""
    worker = _own_worker(request)
    session = _session(payload.code)
    try:
        attendance, _created = attendance_check_in(session=session, worker=worker)
    except AttendanceError as exc:
        raise ApiError(422, "refused", str(exc)) from None
    return _attendance_out(attendance)


@router.post("/check-out", response=AttendanceOut, summary="Check out with a QR code")
def check_out(request, payload: CheckInIn):
    worker = _own_worker(request)
    session = _session(payload.code)
    try:
        attendance = attendance_check_out(session=session, worker=worker)
    except AttendanceError as exc:
        raise ApiError(422, "refused", str(exc)) from None
    return _attendance_out(attendance)
