"""Reads of the course library: the catalogue, a course's page, media access."""

from functools import partial

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _

from lms.accounts.models import Role
from lms.training.sources import source_kind_register

from .models import (
    CoursePage,
    CourseTopic,
    LessonKind,
    LessonPage,
    LessonProgress,
    Question,
    QuestionKind,
    TestAttempt,
    Textbook,
    TextbookAttachment,
)
from .permissions import (
    ancestor_paths,
    can_manage_course,
    is_course_trainer,
    viewer_org,
    visible_courses_q,
)
from .rules import is_right, parse_answer

SEARCH_FIELDS = ("title", "summary")


def _search_q(text: str, fields) -> Q:
    """Every whitespace-separated term must occur in one of `fields`. A substring
    match (icontains) works for Chinese, which has no spaces between words, on SQLite
    and PostgreSQL alike; 社区治理 finds 党建引领社区治理增效."""
    q = Q()
    for term in text.split()[:5]:
        term_q = Q()
        for field in fields:
            term_q |= Q(**{f"{field}__icontains": term})
        q &= term_q
    return q


def _topic_q(text: str, choices) -> Q:
    """Topics whose Chinese or English label contains the text."""
    codes = [
        value
        for value, label in choices
        if any(t.lower() in str(label).lower() for t in text.split()[:5])
    ]
    return Q(topic__in=codes) if codes else Q(pk__in=[])


def catalogue_courses(*, user, filters: dict, page: int = 1, per_page: int = 20):
    """One page of the courses the user may open, filtered and searched; a constant
    number of queries (count, page, trainers) whatever the page size."""

    qs = CoursePage.objects.live().filter(visible_courses_q(user))
    if filters.get("series"):
        qs = qs.filter(series=filters["series"])
    if filters.get("topic"):
        qs = qs.filter(topic=filters["topic"])
    if filters.get("level"):
        qs = qs.filter(level=filters["level"])
    if filters.get("premium"):
        qs = qs.filter(premium=True)
    if filters.get("post"):
        qs = qs.filter(
            Q(target_posts="") | Q(target_posts__contains=f",{filters['post']},")
        )
    if filters.get("q"):
        qs = qs.filter(
            _search_q(filters["q"], SEARCH_FIELDS)
            | _topic_q(filters["q"], CourseTopic.choices)
        )
    if user.role == Role.TRAINER:
        qs = qs.distinct()
    qs = (
        qs.select_related("cover", "owner_org")
        .prefetch_related("trainers")
        .order_by("-premium", "-first_published_at", "pk")
    )
    return Paginator(qs, per_page).get_page(page)


def catalogue_textbooks(*, filters: dict, page: int = 1, per_page: int = 20):
    qs = Textbook.objects.filter(is_published=True)
    if filters.get("series"):
        qs = qs.filter(series=filters["series"])
    if filters.get("q"):
        qs = qs.filter(_search_q(filters["q"], ("title", "summary", "authors")))
    qs = qs.annotate(attachment_count=Count("attachments")).order_by(
        "series", "title", "pk"
    )
    return Paginator(qs, per_page).get_page(page)


def textbook_detail(pk: int):
    return (
        Textbook.objects.filter(is_published=True, pk=pk)
        .prefetch_related(
            Prefetch(
                "attachments",
                queryset=TextbookAttachment.objects.order_by("sort_order"),
            )
        )
        .first()
    )


def can_view_course(user, course: CoursePage) -> bool:
    """Signed-in users whose org sees the course's owner (city courses: everyone in
    the city), its trainers, and administrators whose subtree owns it."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or can_manage_course(user, course):
        return True
    if is_course_trainer(user, course):
        return True
    org = viewer_org(user)
    return (
        course.live
        and org is not None
        and course.owner_org.path in ancestor_paths(org.path)
    )


def course_detail(*, course: CoursePage, user) -> dict:
    lessons = list(LessonPage.objects.child_of(course).live().order_by("path"))
    progress = {}
    worker = getattr(user, "worker", None) if user.is_authenticated else None
    passed = set()
    if worker is not None:
        progress = {
            p.lesson_id: p
            for p in LessonProgress.objects.filter(worker=worker, lesson__in=lessons)
        }
        passed = set(
            TestAttempt.objects.filter(
                worker=worker, lesson__in=lessons, passed=True
            ).values_list("lesson_id", flat=True)
        )
    rows = [(lesson, progress.get(lesson.pk)) for lesson in lessons]
    tests = [lesson for lesson in lessons if lesson.kind == LessonKind.TEST]
    return {
        "course": course,
        "lessons": rows,
        "passed_tests": passed,
        "test_count": len(tests),
        "passed_count": len(passed),
        "trainers": list(course.trainers.all()),
        "can_upload": is_course_trainer(user, course),
    }


def trainer_courses(user):
    """Courses a trainer teaches, with their lessons (any state) in two queries."""
    courses = list(
        CoursePage.objects.filter(trainers__user=user)
        .select_related("owner_org")
        .order_by("title")
        .distinct()
    )
    lessons = {}
    if courses:
        q = Q()
        for c in courses:
            q |= Q(path__startswith=c.path, depth=c.depth + 1)
        for lesson in LessonPage.objects.filter(q).order_by("path"):
            lessons.setdefault(lesson.path[: -lesson.steplen], []).append(lesson)
    return [(c, lessons.get(c.path, [])) for c in courses]


def next_lesson(lesson):
    """The next live lesson of the same course, in the course's order (or None)."""
    return (
        LessonPage.objects.live()
        .sibling_of(lesson, inclusive=False)
        .filter(path__gt=lesson.path)
        .order_by("path")
        .first()
    )


# --- Tests ----------------------------------------------------------------------------
LETTERS = "ABCDEF"


def _questions_of(attempt) -> dict:
    ids = [qid for qid, _order in attempt.questions]
    return Question.objects.in_bulk(ids)


def attempt_paper(attempt) -> list[dict]:
    """The open paper as the worker sees it: prompts and options in this attempt's
    order, the answers saved so far as positions shown. No right answer in it."""
    questions = _questions_of(attempt)
    rows = []
    for n, (qid, order) in enumerate(attempt.questions, 1):
        q = questions[qid]
        labels = q.option_list()
        given = attempt.answers.get(str(qid))
        rows.append(
            {
                "number": n,
                "id": qid,
                "kind": q.kind,
                "kind_label": q.get_kind_display(),
                "prompt": q.prompt,
                "options": [
                    {
                        "position": pos,
                        "letter": LETTERS[pos - 1],
                        "label": labels[orig - 1],
                        "checked": isinstance(given, list) and orig in given,
                    }
                    for pos, orig in enumerate(order, 1)
                ],
                "text": given if isinstance(given, str) else "",
            }
        )
    return rows


def attempt_review(attempt, *, reveal: bool) -> list[dict]:
    """A graded attempt question by question: what the worker answered and whether
    it was right; with `reveal`, the right answer and its explanation too."""
    questions = _questions_of(attempt)
    rows = []
    for n, (qid, order) in enumerate(attempt.questions, 1):
        q = questions.get(qid)
        if q is None:  # deleted from its bank since
            continue
        given = attempt.answers.get(str(qid))
        labels = q.option_list()
        shown = {orig: pos for pos, orig in enumerate(order, 1)}

        def letters(numbers, shown=shown):
            return "".join(sorted(LETTERS[shown[o] - 1] for o in numbers if o in shown))

        row = {
            "number": n,
            "prompt": q.prompt,
            "kind_label": q.get_kind_display(),
            "options": [
                f"{LETTERS[pos - 1]}. {labels[orig - 1]}"
                for pos, orig in enumerate(order, 1)
            ],
            "given": given if isinstance(given, str) else letters(given or ()),
            "right": is_right(q.kind, q.answer, given),
        }
        if reveal:
            row["answer"] = (
                " / ".join(q.answer.split("|"))
                if q.kind == QuestionKind.FILL_IN
                else letters(parse_answer(q.answer) or ())
            )
            row["explanation"] = q.explanation
        rows.append(row)
    return rows


def lesson_source_labels(ids: list[int], *, test: bool = False) -> dict[int, str]:
    """The words of the ledger sources `lesson:<id>` (or `test:<id>`), see
    lms.training.sources: one query for a page of them."""
    text = _("Online test · %(title)s") if test else _("Online lesson · %(title)s")
    return {
        pk: text % {"title": title}
        for pk, title in LessonPage.objects.filter(pk__in=ids).values_list(
            "id", "title"
        )
    }


def ledger_sources_register() -> None:
    source_kind_register("lesson", lesson_source_labels)
    source_kind_register("test", partial(lesson_source_labels, test=True))
