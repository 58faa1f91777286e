"""Ask an expert: questions, answers, photos, the knowledge base."""

import datetime as dt
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import File, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import paginate
from pydantic import Field, StringConstraints

from lms.accounts.files import serve_file
from mentoring.models import Mentor, Question, QuestionStatus
from mentoring.selectors import knowledge_base_search, questions_visible_to
from mentoring.services.questions import (
    QuestionError,
    answer_accept,
    answer_create,
    question_ask,
    question_photo_add,
)

from ...errors import ApiError
from ...pagination import Pagination
from ...schemas import Code, ObjectId, QueryText
from ...scope import in_org, scoped, user_of
from ..people import _Rows

router = Router()
me_router = Router()


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
    qs = in_org(qs, user, org, "asker__community")
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
