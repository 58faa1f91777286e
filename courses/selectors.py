"""Reads of the course library: the catalogue, a course's page, media access."""

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q

from lms.accounts.models import Role

from .models import (
    CoursePage,
    CourseTopic,
    LessonPage,
    LessonProgress,
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
    if worker is not None:
        progress = {
            p.lesson_id: p
            for p in LessonProgress.objects.filter(worker=worker, lesson__in=lessons)
        }
    rows = [(lesson, progress.get(lesson.pk)) for lesson in lessons]
    return {
        "course": course,
        "lessons": rows,
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
