"""Mentoring: studios, mentors and shadowing placements (mentoring services).

Administrators read their subtree; a worker reads their own placements; a mentor reads
the placements they host and records and signs them off (`/me/mentoring`)."""

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import File, Path, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import Field, StringConstraints

from lms.accounts.files import serve_file
from mentoring.models import (
    Mentor,
    Pairing,
    Placement,
    PlacementStatus,
    PoolAssignment,
    PoolMember,
    Question,
    QuestionStatus,
    Studio,
)
from mentoring.selectors import (
    knowledge_base_search,
    pool_dashboard,
    questions_visible_to,
)
from mentoring.services import (
    PairingError,
    PlacementError,
    QuestionError,
    answer_accept,
    answer_create,
    pair_evaluate,
    pair_record_write,
    placement_cancel,
    placement_record,
    placement_sign_off,
    question_ask,
    question_photo_add,
)

from ..errors import ApiError
from ..pagination import Pagination
from ..schemas import Code, QueryText
from ..scope import node_in_scope, scoped, user_of
from .people import _Rows

router = Router(tags=["mentoring"])
me_router = Router(tags=["me"])
ObjectId = Path(..., ge=1, le=2**62)


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


def _in_org(qs, user, org: str | None, field: str):
    if org:
        qs = qs.filter(**{f"{field}__path__startswith": node_in_scope(user, org).path})
    return qs


@router.get("/studios", response=list[StudioOut], summary="Studios in scope")
@paginate(Pagination)
def studio_list(request, org: Code | None = None, q: QueryText | None = None):
    user = user_of(request, "mentoring.view_studio")
    qs = scoped(Studio.objects.select_related("org", "leader"), user, org_field="org")
    qs = _in_org(qs, user, org, "org")
    if q:
        qs = qs.filter(name__contains=q)
    return _Rows(qs.order_by("org__path", "name", "id"), studio_row)


@router.get("/mentors", response=list[MentorOut], summary="Mentors in scope")
@paginate(Pagination)
def mentor_list(request, org: Code | None = None, q: QueryText | None = None):
    user = user_of(request, "mentoring.view_mentor")
    qs = scoped(Mentor.objects.select_related("org"), user, org_field="org")
    qs = _in_org(qs, user, org, "org")
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
    qs = _in_org(qs, user, org, "worker__community")
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


# --- Ask an expert ------------------------------------------------------------------------


class AnswerOut(Schema):
    id: int
    author_id: int
    author_name: str
    body: str
    created_at: dt.datetime


class QuestionOut(Schema):
    id: int
    title: str
    body: str
    tags: list[str]
    is_public: bool
    status: str
    community_code: str
    created_at: dt.datetime
    best_answer_id: int | None
    in_knowledge_base: bool
    lesson_id: int | None


class PhotoOut(Schema):
    id: int
    url: str


class ThreadOut(QuestionOut):
    answers: list[AnswerOut]
    photos: list[PhotoOut]


class FaqOut(Schema):
    id: int
    title: str
    body: str
    tags: list[str]
    best_answer: str | None
    lesson_id: int | None


class FaqPage(Schema):
    count: int
    items: list[FaqOut]


class AskIn(Schema):
    title: Annotated[str, StringConstraints(min_length=2, max_length=120)]
    body: Annotated[str, StringConstraints(min_length=2, max_length=4000)]
    tags: Annotated[str, StringConstraints(max_length=200)] = ""
    is_public: bool = True


class AnswerIn(Schema):
    body: Annotated[str, StringConstraints(min_length=2, max_length=8000)]


class BestIn(Schema):
    answer_id: int = Field(..., ge=1, le=2**62)


def question_row(q: Question) -> dict:
    return {
        "id": q.pk,
        "title": q.title,
        "body": q.body,
        "tags": q.tag_list(),
        "is_public": q.is_public,
        "status": q.status,
        "community_code": q.asker.community.code,
        "created_at": q.created_at,
        "best_answer_id": q.best_answer_id,
        "in_knowledge_base": q.in_knowledge_base,
        "lesson_id": q.lesson_id,
    }


def thread_row(q: Question) -> dict:
    answers = q.answers.select_related("author").order_by("created_at", "id")
    return {
        **question_row(q),
        "answers": [
            {
                "id": a.pk,
                "author_id": a.author_id,
                "author_name": a.author.name,
                "body": a.body,
                "created_at": a.created_at,
            }
            for a in answers
        ],
        "photos": [
            {
                "id": pk,
                "url": reverse(
                    "api-v1:mentoring_question_photo",
                    kwargs={"question_id": q.pk, "photo_id": pk},
                ),
            }
            for pk in q.photos.order_by("id").values_list("pk", flat=True)
        ],
    }


QUESTIONS = Question.objects.select_related("asker__community")


@router.get(
    "/questions", response=list[QuestionOut], summary="Questions of workers in scope"
)
@paginate(Pagination)
def question_list(
    request,
    org: Code | None = None,
    status: QuestionStatus | None = None,
    in_knowledge_base: bool | None = None,
):
    user = user_of(request, "mentoring.view_question")
    qs = scoped(QUESTIONS, user, org_field="asker__community")
    qs = _in_org(qs, user, org, "asker__community")
    if status:
        qs = qs.filter(status=status)
    if in_knowledge_base is not None:
        qs = qs.filter(in_knowledge_base=in_knowledge_base)
    return _Rows(qs.order_by("-created_at", "-id"), question_row)


@router.get(
    "/questions/{question_id}", response=ThreadOut, summary="One question of scope"
)
def question_detail(request, question_id: int = ObjectId):
    user = user_of(request, "mentoring.view_question")
    qs = scoped(QUESTIONS, user, org_field="asker__community")
    return thread_row(get_object_or_404(qs, pk=question_id))


@router.get(
    "/faq",
    response=FaqPage,
    summary="Search the knowledge base (常见问题) by any two-character word",
)
def faq(request, q: QueryText = "", limit: int = Query(20, ge=1, le=100)):
    user_of(request)
    results, count = knowledge_base_search(q, limit=limit)
    return {
        "count": count,
        "items": [
            {
                "id": x.pk,
                "title": x.title,
                "body": x.body,
                "tags": x.tag_list(),
                "best_answer": x.best_answer.body if x.best_answer else None,
                "lesson_id": x.lesson_id,
            }
            for x in results
        ],
    }


def _worker(request):
    worker = getattr(user_of(request), "worker", None)
    if worker is None:
        raise PermissionDenied
    return worker


@me_router.get(
    "/questions",
    response=list[QuestionOut],
    summary="My questions and those routed to me",
)
def my_questions(request):
    user = user_of(request)
    qs = QUESTIONS.filter(
        Q(asker__user=user) | Q(questionroute__mentor__user=user)
    ).distinct()
    return [question_row(x) for x in qs.order_by("-created_at", "-id")[:200]]


@me_router.get(
    "/questions/{question_id}", response=ThreadOut, summary="A question I may see"
)
def my_question(request, question_id: int = ObjectId):
    visible = questions_visible_to(user_of(request))
    return thread_row(get_object_or_404(visible, pk=question_id))


@me_router.post(
    "/questions", response={201: ThreadOut}, summary="Ask an expert (a worker)"
)
def ask(request, data: AskIn):
    question = question_ask(
        asker=_worker(request),
        title=data.title,
        body=data.body,
        tags=data.tags,
        is_public=data.is_public,
    )
    return 201, thread_row(QUESTIONS.get(pk=question.pk))


@me_router.post(
    "/questions/{question_id}/photos",
    response={201: ThreadOut},
    summary="Add a photo to my question (checked by its content as an image)",
)
def add_photo(request, photo: File[UploadedFile], question_id: int = ObjectId):
    worker = _worker(request)
    question = get_object_or_404(QUESTIONS.filter(asker=worker), pk=question_id)
    try:
        question_photo_add(question=question, user=user_of(request), upload=photo)
    except QuestionError as exc:
        raise ApiError(422, "refused", str(exc)) from None
    return 201, thread_row(QUESTIONS.get(pk=question.pk))


@me_router.get(
    "/questions/{question_id}/photos/{photo_id}",
    url_name="mentoring_question_photo",
    summary="A photo of a question I may see",
    openapi_extra={
        "responses": {
            200: {
                "description": "The photo",
                "content": {
                    f"image/{kind}": {"schema": {"type": "string", "format": "binary"}}
                    for kind in ("jpeg", "png", "gif", "webp")
                },
            }
        }
    },
)
def question_photo(request, question_id: int = ObjectId, photo_id: int = ObjectId):
    visible = questions_visible_to(user_of(request))
    question = get_object_or_404(visible, pk=question_id)
    item = get_object_or_404(question.photos, pk=photo_id)
    return serve_file(request, item.image, inline=True)


@me_router.post(
    "/questions/{question_id}/answers",
    response={201: ThreadOut},
    summary="Answer a question (a mentor or expert)",
)
def answer(request, data: AnswerIn, question_id: int = ObjectId):
    user = user_of(request)
    if not Mentor.objects.filter(user=user, is_active=True).exists():
        raise PermissionDenied
    question = get_object_or_404(questions_visible_to(user), pk=question_id)
    answer_create(question=question, user=user, body=data.body)
    return 201, thread_row(QUESTIONS.get(pk=question.pk))


@me_router.post(
    "/questions/{question_id}/best",
    response=ThreadOut,
    summary="Mark the best answer of my question",
)
def best(request, data: BestIn, question_id: int = ObjectId):
    worker = _worker(request)
    question = get_object_or_404(QUESTIONS.filter(asker=worker), pk=question_id)
    chosen = get_object_or_404(question.answers, pk=data.answer_id)
    try:
        answer_accept(question=question, user=user_of(request), answer=chosen)
    except QuestionError as exc:
        raise ApiError(422, "refused", str(exc)) from None
    return thread_row(QUESTIONS.get(pk=question.pk))


# --- Mentor–mentee pairs ----------------------------------------------------------------


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
    qs = _in_org(qs, user, org, "mentee__community")
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


# --- Mentor pool (续航计划) -------------------------------------------------------------


class PoolMemberOut(Schema):
    id: int
    name: str
    status: str
    former_post: str
    org_code: str
    specialities: str
    availability: str
    is_active: bool


class PoolAssignmentOut(Schema):
    id: int
    member_id: int
    member_name: str
    community_code: str
    start: dt.date
    end: dt.date
    goals: str


class PoolRowOut(Schema):
    code: str
    name: str
    communities: int
    members: int
    visits: int
    raised: int
    resolved: int


class PoolTopicOut(Schema):
    topic: str
    raised: int
    resolved: int


class PoolDashboardOut(Schema):
    code: str
    name: str
    rows: list[PoolRowOut]
    by_topic: list[PoolTopicOut]


@router.get("/pool/members", response=list[PoolMemberOut], summary="Pool members")
@paginate(Pagination)
def pool_member_list(request, org: Code | None = None):
    user = user_of(request, "mentoring.view_poolmember")
    qs = scoped(PoolMember.objects.select_related("org"), user, org_field="org")
    qs = _in_org(qs, user, org, "org")
    return _Rows(
        qs.order_by("org__path", "name", "id"),
        lambda m: {
            "id": m.pk,
            "name": m.name,
            "status": m.status,
            "former_post": m.former_post,
            "org_code": m.org.code,
            "specialities": m.specialities,
            "availability": m.availability,
            "is_active": m.is_active,
        },
    )


@router.get(
    "/pool/assignments",
    response=list[PoolAssignmentOut],
    summary="Support assignments to communities in scope",
)
@paginate(Pagination)
def pool_assignment_list(request, org: Code | None = None):
    user = user_of(request, "mentoring.view_poolassignment")
    qs = scoped(
        PoolAssignment.objects.select_related("member", "community"),
        user,
        org_field="community",
    )
    qs = _in_org(qs, user, org, "community")
    return _Rows(
        qs.order_by("-start", "id"),
        lambda a: {
            "id": a.pk,
            "member_id": a.member_id,
            "member_name": a.member.name,
            "community_code": a.community.code,
            "start": a.start,
            "end": a.end,
            "goals": a.goals,
        },
    )


@router.get(
    "/pool/dashboard/{code}",
    response=PoolDashboardOut,
    summary="Accompanying support below a node, per child and by topic",
)
def pool_dashboard_api(
    request, code: Code, year: int | None = Query(None, ge=2000, le=2100)
):
    user = user_of(request, "mentoring.view_poolassignment")
    data = pool_dashboard(node_in_scope(user, code), year=year)
    return {
        "code": data["root"].code,
        "name": data["root"].name,
        "rows": [
            {
                "code": r["node"].code,
                "name": r["node"].name,
                **{
                    k: r[k]
                    for k in ("communities", "members", "visits", "raised", "resolved")
                },
            }
            for r in data["rows"]
        ],
        "by_topic": [
            {"topic": t["topic"], "raised": t["raised"], "resolved": t["resolved"]}
            for t in data["by_topic"]
        ],
    }
