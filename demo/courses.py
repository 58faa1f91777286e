"""Demo course library: a catalogue with 21 premium courses, lessons with a real
WebM lecture and real PDF slides (WeasyPrint), tests, and 63 textbooks in the three
series. Deterministic from the context's rng; files are stored once and shared."""

from decimal import Decimal
from pathlib import Path

from django.core.files.base import ContentFile

from courses.models import (
    CoursePage,
    LessonKind,
    LessonPage,
    Question,
    QuestionBank,
    Series,
    TestRule,
    Textbook,
    TextbookAttachment,
)
from courses.pdf import slides_pdf
from courses.rules import OnlinePolicy, lesson_hours
from courses.services import course_library_ensure
from lms.accounts.files import private_storage

from .courses_content import (
    ANGLES,
    LESSON_TITLES,
    PREMIUM_COURSES,
    PUBLISHERS,
    QUIZ,
    QUIZ_RULES,
    STEMS,
    SUMMARY_BITS,
    SUMMARY_ENDS,
    TEXTBOOK_SERIES,
)

DEMO_VIDEO = Path(__file__).parent / "media" / "lecture.webm"
VIDEO_SECONDS = 60
OTHER_COURSES = 79  # + 21 premium = 100 courses
POSTS = ["secretary", "deputy", "member", "staff", "grid_worker", "party_affairs"]


def _store(name: str, data: bytes) -> str:
    return private_storage().save(name, ContentFile(data))


def seed(context: dict) -> None:
    rng = context["rng"]
    tree = context["tree"]
    city = tree["city"]
    districts = tree["districts"]
    trainers = list(context.get("trainers") or [])
    index = course_library_ensure()
    video_name = _store("lessons/demo/lecture.webm", DEMO_VIDEO.read_bytes())
    video_size = DEMO_VIDEO.stat().st_size
    # One real PDF per series (WeasyPrint takes about 2 s each), shared by the
    # slides lessons and the textbook attachments of that series.
    slides = {
        series: _store(
            f"lessons/demo/{series}.pdf",
            slides_pdf(
                title=f"《{TEXTBOOK_SERIES[series][0]}》",
                points=TEXTBOOK_SERIES[series][1][:6],
            ),
        )
        for series in Series.values
    }
    policy = OnlinePolicy()

    plans = []
    for title, topic, series, level in PREMIUM_COURSES:
        plans.append((title, topic, series, level, True, city))
    for n in range(OTHER_COURSES):
        stem, topic, series = STEMS[n % len(STEMS)]
        angle = ANGLES[(n // len(STEMS) + n) % len(ANGLES)]
        owner = city if n % 3 == 0 else districts[n % len(districts)]
        level = rng.choice(["basic", "basic", "intermediate", "advanced"])
        plans.append((f"{stem}{angle}", topic, series, level, False, owner))

    demo_trainer = next(
        (t for t in trainers if t.user and t.user.username == "demo_trainer"), None
    )
    bank = QuestionBank.objects.create(title="社区工作者通用题库", org=city)
    Question.objects.bulk_create(
        Question(
            bank=bank,
            kind=k,
            prompt=p,
            options="\n".join(o),
            answer=a,
            explanation=e,
            category=c,
        )
        for k, p, o, a, e, c in QUIZ
    )
    for number, (title, topic, series, level, premium, owner) in enumerate(plans, 1):
        summary = (
            rng.choice(SUMMARY_BITS)
            + f"本课程讲授“{title}”，"
            + rng.choice(SUMMARY_ENDS)
        )
        posts = [] if rng.random() < 0.5 else sorted(rng.sample(POSTS, 2))
        course = index.add_child(
            instance=CoursePage(
                title=title,
                slug=f"course-{number}",
                summary=summary,
                topic=topic,
                series=series,
                level=level,
                premium=premium,
                target_posts=posts,
                owner_org=owner,
            )
        )
        picked = rng.sample(trainers, min(len(trainers), rng.choice([1, 1, 2])))
        if demo_trainer is not None and number in (1, 2, 30):
            picked = [demo_trainer] + [t for t in picked if t != demo_trainer]
        if picked:
            course.trainers.set(picked)
            course.save()  # a ParentalManyToManyField is written on save
        hours = Decimal(0)
        lesson_count = 3 if premium else 2
        for i in range(lesson_count):
            course.add_child(
                instance=LessonPage(
                    title=f"第{i + 1}讲 {LESSON_TITLES[(number + i) % len(LESSON_TITLES)]}",
                    slug=f"lesson-{i + 1}",
                    kind=LessonKind.VIDEO,
                    duration_seconds=VIDEO_SECONDS,
                    file=video_name,
                    file_size=video_size,
                )
            )
            hours += lesson_hours(VIDEO_SECONDS, policy)
        course.add_child(
            instance=LessonPage(
                title="课件（PDF）",
                slug="slides",
                kind=LessonKind.SLIDES,
                file=slides[series],
            )
        )
        if premium:
            test = course.add_child(
                instance=LessonPage(
                    title="随堂测验",
                    slug="test",
                    kind=LessonKind.TEST,
                    pass_mark=60,
                    attempt_limit=3,
                    time_limit_minutes=10,
                )
            )
            TestRule.objects.bulk_create(
                TestRule(
                    lesson=test, bank=bank, count=n, kind=k, category=c, sort_order=j
                )
                for j, (n, k, c) in enumerate(QUIZ_RULES)
            )
            hours += policy.passed_test_hours
        CoursePage.objects.filter(pk=course.pk).update(study_hours=hours)

    _seed_textbooks(rng=rng, city=city, districts=districts, files=slides)
    context["courses"] = len(plans)


def _seed_textbooks(*, rng, city, districts, files) -> None:
    """63 books, 21 per series; their attachments share the series' PDF."""
    books = []
    for series, (label, titles) in TEXTBOOK_SERIES.items():
        for title in titles:
            books.append(
                Textbook(
                    series=series,
                    title=title,
                    authors=f"{rng.choice(['市委社治委', '市民政局', '社区发展研究院'])}编",
                    publisher=rng.choice(PUBLISHERS),
                    year=rng.choice([2019, 2020, 2021, 2022, 2023, 2024]),
                    summary=f"《{label}》系列之一。{title}，面向全市社区工作者的培训教材。",
                    org=city if rng.random() < 0.7 else rng.choice(districts),
                )
            )
    books = Textbook.objects.bulk_create(books)
    size = private_storage().size(files["development"])
    attachments = []
    for book in books:
        attachments.append(
            TextbookAttachment(
                textbook=book,
                sort_order=0,
                title=f"{book.title}（电子版）",
                file=files[book.series],
                size=size,
            )
        )
        if rng.random() < 0.4:
            attachments.append(
                TextbookAttachment(
                    textbook=book,
                    sort_order=1,
                    title="配套课件",
                    file=files[book.series],
                    size=size,
                )
            )
    TextbookAttachment.objects.bulk_create(attachments)
