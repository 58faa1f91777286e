"""Studios, mentors and shadowing placements: administrators read their subtree; a
worker reads their own placements; a mentor records and signs off the placements
they host."""

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate
from pydantic import Field, StringConstraints

from mentoring.models import Mentor, Placement, PlacementStatus, Studio
from mentoring.services.placements import (
    PlacementError,
    placement_cancel,
    placement_record,
    placement_sign_off,
)

from ...errors import ApiError
from ...pagination import Pagination
from ...schemas import Code, ObjectId, QueryText
from ...scope import in_org, scoped, user_of
from ..people import _Rows

router = Router()
me_router = Router()


class StudioOut(Schema):
    id: int
    name: str
    org_code: str
    leader_name: str
    specialities: str
    is_active: bool


class MentorOut(Schema):
    id: int
    name: str
    kind: str
    org_code: str
    studio_id: int | None
    specialities: str
    is_active: bool


class PlacementOut(Schema):
    id: int
    worker_id: int
    worker_name: str
    id_number_masked: str
    community_code: str
    mentor_id: int
    mentor_name: str
    studio_id: int | None
    kind: str
    start: dt.date
    end: dt.date
    planned_days: float
    recorded_days: float | None
    goals: str
    assessment: str
    status: str
    credit_id: int | None


class RecordIn(Schema):
    recorded_days: Decimal = Field(..., ge=0, le=366, decimal_places=1)
    assessment: Annotated[str, StringConstraints(max_length=2000)] = ""


def studio_row(s: Studio) -> dict:
    return {
        "id": s.pk,
        "name": s.name,
        "org_code": s.org.code,
        "leader_name": s.leader.name,
        "specialities": s.specialities,
        "is_active": s.is_active,
    }


def mentor_row(m: Mentor) -> dict:
    return {
        "id": m.pk,
        "name": m.name,
        "kind": m.kind,
        "org_code": m.org.code,
        "studio_id": m.studio_id,
        "specialities": m.specialities,
        "is_active": m.is_active,
    }


def placement_row(p: Placement) -> dict:
    return {
        "id": p.pk,
        "worker_id": p.worker_id,
        "worker_name": p.worker.name,
        "id_number_masked": p.worker.id_number_masked,
        "community_code": p.worker.community.code,
        "mentor_id": p.mentor_id,
        "mentor_name": p.mentor.name,
        "studio_id": p.studio_id,
        "kind": p.kind,
        "start": p.start,
        "end": p.end,
        "planned_days": p.planned_days,
        "recorded_days": p.recorded_days,
        "goals": p.goals,
        "assessment": p.assessment,
        "status": p.status,
        "credit_id": p.credit_id,
    }


PLACEMENTS = Placement.objects.select_related("worker__community", "mentor")


@router.get("/studios", response=list[StudioOut], summary="Studios in scope")
@paginate(Pagination)
def studio_list(request, org: Code | None = None, q: QueryText | None = None):
    user = user_of(request, "mentoring.view_studio")
    qs = scoped(Studio.objects.select_related("org", "leader"), user, org_field="org")
    qs = in_org(qs, user, org, "org")
    if q:
        qs = qs.filter(name__contains=q)
    return _Rows(qs.order_by("org__path", "name", "id"), studio_row)


@router.get("/mentors", response=list[MentorOut], summary="Mentors in scope")
@paginate(Pagination)
def mentor_list(request, org: Code | None = None, q: QueryText | None = None):
    user = user_of(request, "mentoring.view_mentor")
    qs = scoped(Mentor.objects.select_related("org"), user, org_field="org")
    qs = in_org(qs, user, org, "org")
    if q:
        qs = qs.filter(specialities__contains=q) | qs.filter(name__contains=q)
    return _Rows(qs.order_by("org__path", "name", "id"), mentor_row)


@router.get(
    "/placements", response=list[PlacementOut], summary="Placements of workers in scope"
)
@paginate(Pagination)
def placement_list(
    request, org: Code | None = None, status: PlacementStatus | None = None
):
    user = user_of(request, "mentoring.view_placement")
    qs = scoped(PLACEMENTS, user, org_field="worker__community")
    qs = in_org(qs, user, org, "worker__community")
    if status:
        qs = qs.filter(status=status)
    return _Rows(qs.order_by("-start", "id"), placement_row)


@router.get(
    "/placements/{placement_id}", response=PlacementOut, summary="One placement"
)
def placement_detail(request, placement_id: int = ObjectId):
    user = user_of(request, "mentoring.view_placement")
    qs = scoped(PLACEMENTS, user, org_field="worker__community")
    return placement_row(get_object_or_404(qs, pk=placement_id))


@router.post(
    "/placements/{placement_id}/cancel",
    response=PlacementOut,
    summary="Cancel a placement not signed off (an administrator of the subtree)",
)
def placement_cancel_api(request, placement_id: int = ObjectId):
    user = user_of(request, "mentoring.change_placement")
    qs = scoped(PLACEMENTS, user, org_field="worker__community")
    placement = get_object_or_404(qs, pk=placement_id)
    try:
        placement_cancel(placement=placement, actor=user, request=request)
    except PlacementError as exc:
        raise ApiError(422, "refused", str(exc)) from None
    return placement_row(PLACEMENTS.get(pk=placement.pk))


# --- The caller's own: a worker's placements, a mentor's hosted ones ------------------


@me_router.get(
    "/placements", response=list[PlacementOut], summary="My placements (as a worker)"
)
def my_placements(request):
    worker = getattr(user_of(request), "worker", None)
    if worker is None:
        return []
    return [
        placement_row(p) for p in PLACEMENTS.filter(worker=worker).order_by("-start")
    ]


@me_router.get(
    "/hosted", response=list[PlacementOut], summary="Placements I host (as a mentor)"
)
def hosted_placements(request):
    qs = PLACEMENTS.filter(mentor__user=user_of(request))
    return [placement_row(p) for p in qs.order_by("status", "-start", "id")]


def _hosted(request, placement_id: int) -> Placement:
    """A placement the caller hosts; 404 for any other (existence is not told)."""
    return get_object_or_404(
        PLACEMENTS.filter(mentor__user=user_of(request)), pk=placement_id
    )


@me_router.post(
    "/hosted/{placement_id}/record",
    response=PlacementOut,
    summary="Record the days attended and an assessment",
)
def record(request, data: RecordIn, placement_id: int = ObjectId):
    placement = _hosted(request, placement_id)
    try:
        placement = placement_record(
            placement=placement,
            user=user_of(request),
            recorded_days=data.recorded_days,
            assessment=data.assessment,
        )
    except PlacementError as exc:
        raise ApiError(422, "refused", str(exc)) from None
    return placement_row(PLACEMENTS.get(pk=placement.pk))


@me_router.post(
    "/hosted/{placement_id}/sign-off",
    response=PlacementOut,
    summary="Sign off: the recorded days are credited to the worker's ledger",
)
def sign_off(request, placement_id: int = ObjectId):
    placement = _hosted(request, placement_id)
    try:
        placement_sign_off(placement=placement, user=user_of(request))
    except PlacementError as exc:
        raise ApiError(422, "refused", str(exc)) from None
    return placement_row(PLACEMENTS.get(pk=placement.pk))
