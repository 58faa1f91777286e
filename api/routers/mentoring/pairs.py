"""Mentor–mentee pairs: administrators read their subtree; either side of a pair
records a month and evaluates."""

import datetime as dt
from typing import Annotated

from django.db.models import Q
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate
from pydantic import Field, StringConstraints

from mentoring.models import Pairing
from mentoring.services.pairs import PairingError, pair_evaluate, pair_record_write

from ...errors import ApiError
from ...pagination import Pagination
from ...schemas import Code, ObjectId
from ...scope import in_org, scoped, user_of
from ..people import _Rows

router = Router()
me_router = Router()


class PairRecordOut(Schema):
    month: dt.date
    side: str
    learned: str
    problems: str


class PairingOut(Schema):
    id: int
    mentor_id: int
    mentor_name: str
    mentee_id: int
    mentee_name: str
    community_code: str
    start: dt.date
    end: dt.date
    goals: str
    records: list[PairRecordOut]
    evaluations: dict[str, int]


class PairRecordIn(Schema):
    month: dt.date
    learned: Annotated[str, StringConstraints(min_length=1, max_length=4000)]
    problems: Annotated[str, StringConstraints(max_length=4000)] = ""


class EvaluationIn(Schema):
    score: int = Field(..., ge=1, le=5)
    comment: Annotated[str, StringConstraints(min_length=1, max_length=4000)]


PAIRINGS = Pairing.objects.select_related(
    "mentor", "mentee__community"
).prefetch_related("records", "evaluations")


def pairing_row(p: Pairing) -> dict:
    return {
        "id": p.pk,
        "mentor_id": p.mentor_id,
        "mentor_name": p.mentor.name,
        "mentee_id": p.mentee_id,
        "mentee_name": p.mentee.name,
        "community_code": p.mentee.community.code,
        "start": p.start,
        "end": p.end,
        "goals": p.goals,
        "records": [
            {
                "month": r.month,
                "side": r.side,
                "learned": r.learned,
                "problems": r.problems,
            }
            for r in sorted(p.records.all(), key=lambda r: (r.month, r.side))
        ],
        "evaluations": {e.side: e.score for e in p.evaluations.all()},
    }


@router.get("/pairings", response=list[PairingOut], summary="Pairs of workers in scope")
@paginate(Pagination)
def pairing_list(request, org: Code | None = None):
    user = user_of(request, "mentoring.view_pairing")
    qs = scoped(PAIRINGS, user, org_field="mentee__community")
    qs = in_org(qs, user, org, "mentee__community")
    return _Rows(qs.order_by("-start", "id"), pairing_row)


def _my_pairings(request):
    user = user_of(request)
    return PAIRINGS.filter(Q(mentor__user=user) | Q(mentee__user=user))


@me_router.get("/pairings", response=list[PairingOut], summary="My pairs")
def my_pairings(request):
    return [pairing_row(p) for p in _my_pairings(request).order_by("-start", "id")]


@me_router.post(
    "/pairings/{pairing_id}/records",
    response=PairingOut,
    summary="Write my record of a month (either side)",
)
def pairing_record(request, data: PairRecordIn, pairing_id: int = ObjectId):
    pairing = get_object_or_404(_my_pairings(request), pk=pairing_id)
    try:
        pair_record_write(
            pairing=pairing,
            user=user_of(request),
            month=data.month,
            learned=data.learned,
            problems=data.problems,
        )
    except PairingError as exc:
        raise ApiError(422, "refused", str(exc)) from None
    return pairing_row(PAIRINGS.get(pk=pairing.pk))


@me_router.post(
    "/pairings/{pairing_id}/evaluation",
    response=PairingOut,
    summary="Evaluate the pair at its end (each side once)",
)
def pairing_evaluation(request, data: EvaluationIn, pairing_id: int = ObjectId):
    pairing = get_object_or_404(_my_pairings(request), pk=pairing_id)
    try:
        pair_evaluate(
            pairing=pairing,
            user=user_of(request),
            score=data.score,
            comment=data.comment,
        )
    except PairingError as exc:
        raise ApiError(422, "refused", str(exc)) from None
    return pairing_row(PAIRINGS.get(pk=pairing.pk))
