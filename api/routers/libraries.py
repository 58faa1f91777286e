"""The libraries (一教五库): trainers, experts, bases, institutions, courses."""

from django.db.models import Q
from ninja import Router, Schema
from ninja.pagination import paginate

from bases.models import Base, Institution
from courses.models import CoursePage
from trainers.models import Expert, Trainer

from ..pagination import Pagination
from ..schemas import Code, QueryText
from ..scope import node_in_scope, scoped, user_of
from .people import _Rows

router = Router(tags=["libraries"])


class TrainerOut(Schema):
    id: int
    name: str
    title: str
    affiliation: str
    specialities: str
    org_code: str
    phone_masked: str


class ExpertOut(Schema):
    id: int
    name: str
    org_code: str
    phone_masked: str


class BaseOut(Schema):
    id: int
    name: str
    base_type: str
    address: str
    capacity: int
    themes: str
    org_code: str
    is_active: bool


class InstitutionOut(Schema):
    id: int
    name: str
    institution_type: str
    address: str
    org_code: str
    is_active: bool


class CourseOut(Schema):
    id: int
    title: str
    topic: str
    series: str
    level: str
    premium: bool
    study_hours: float
    owner_code: str
    live: bool


def _library(request, model, perm: str, org: str | None, q: str | None):
    user = user_of(request, perm)
    qs = scoped(model.objects.select_related("org"), user, org_field="org")
    if org:
        qs = qs.filter(org__path__startswith=node_in_scope(user, org).path)
    if q:
        qs = qs.filter(name__contains=q)
    return qs.order_by("org__path", "name", "id")


def _common(x) -> dict:
    return {"id": x.pk, "name": x.name, "org_code": x.org.code}


@router.get("/trainers", response=list[TrainerOut], summary="Trainer library (师资库)")
@paginate(Pagination)
def trainer_list(request, org: Code | None = None, q: QueryText | None = None):
    qs = _library(request, Trainer, "trainers.view_trainer", org, q)
    return _Rows(
        qs,
        lambda t: {
            **_common(t),
            "title": t.title,
            "affiliation": t.affiliation,
            "specialities": t.specialities,
            "phone_masked": t.phone_masked,
        },
    )


@router.get(
    "/experts", response=list[ExpertOut], summary="Expert think tank (专家智库)"
)
@paginate(Pagination)
def expert_list(request, org: Code | None = None, q: QueryText | None = None):
    qs = _library(request, Expert, "trainers.view_expert", org, q)
    return _Rows(qs, lambda e: {**_common(e), "phone_masked": e.phone_masked})


@router.get("/bases", response=list[BaseOut], summary="Teaching bases (基地库)")
@paginate(Pagination)
def base_list(request, org: Code | None = None, q: QueryText | None = None):
    qs = _library(request, Base, "bases.view_base", org, q)
    return _Rows(
        qs,
        lambda b: {
            **_common(b),
            "base_type": b.base_type,
            "address": b.address,
            "capacity": b.capacity,
            "themes": b.themes,
            "is_active": b.is_active,
        },
    )


@router.get(
    "/institutions", response=list[InstitutionOut], summary="Institutions (院校库)"
)
@paginate(Pagination)
def institution_list(request, org: Code | None = None, q: QueryText | None = None):
    qs = _library(request, Institution, "bases.view_institution", org, q)
    return _Rows(
        qs,
        lambda i: {
            **_common(i),
            "institution_type": i.institution_type,
            "address": i.address,
            "is_active": i.is_active,
        },
    )


@router.get("/courses", response=list[CourseOut], summary="Courses owned in scope")
@paginate(Pagination)
def course_list(
    request,
    org: Code | None = None,
    q: QueryText | None = None,
    premium: bool | None = None,
):
    """Online courses owned by a node of the caller's subtree (课程库)."""
    user = user_of(request, "people.view_worker")
    qs = scoped(
        CoursePage.objects.select_related("owner_org"), user, org_field="owner_org"
    )
    if org:
        qs = qs.filter(owner_org__path__startswith=node_in_scope(user, org).path)
    if q:
        qs = qs.filter(Q(title__contains=q) | Q(summary__contains=q))
    if premium is not None:
        qs = qs.filter(premium=premium)
    return _Rows(
        qs.order_by("owner_org__path", "title", "id"),
        lambda c: {
            "id": c.pk,
            "title": c.title,
            "topic": c.topic,
            "series": c.series,
            "level": c.level,
            "premium": c.premium,
            "study_hours": float(c.study_hours or 0),
            "owner_code": c.owner_org.code,
            "live": c.live,
        },
    )
