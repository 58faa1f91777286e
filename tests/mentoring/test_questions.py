"""Ask an expert: routing by speciality, photos by content, who sees a private
question, who answers, the best answer, the knowledge base and reminders."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from mentoring.models import QuestionReminder, QuestionStatus
from mentoring.selectors import knowledge_base_search, questions_visible_to
from mentoring.services.questions import (
    QuestionError,
    answer_accept,
    answer_create,
    question_ask,
    question_reminders_send,
    question_select,
)
from tests.people.factories import AdminFactory, UserFactory, WorkerFactory

from .factories import MentorFactory

pytestmark = pytest.mark.django_db


def _png(name="photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def experts(tree):
    return {
        "yard": MentorFactory(
            org=tree["community11"], specialities="小区治理、物业管理"
        ),
        "party": MentorFactory(org=tree["community21"], specialities="党建引领"),
    }


@pytest.fixture
def asker(tree):
    return WorkerFactory(community=tree["community12"], name="提问人")


def _ask(asker, **kwargs):
    args = dict(
        title="老旧小区没有物业怎么办", body="居民意见大，如何推动？", tags="物业管理"
    )
    return question_ask(asker=asker, **{**args, **kwargs})


def test_a_question_is_routed_by_speciality_with_its_photos(asker, experts):
    """The tag routes it to the mentor whose specialities name it, not the others;
    a real PNG is kept."""
    question = _ask(asker, photos=[_png()])
    assert list(question.routed_to.all()) == [experts["yard"]]
    assert question.photos.count() == 1
    assert "物业" in question.search_text.split()


def test_a_photo_is_judged_by_its_content(asker, experts):
    """A text file named .jpg is refused and nothing is saved."""
    fake = SimpleUploadedFile("x.jpg", b"<script>alert(1)</script>", "image/jpeg")
    with pytest.raises(ValidationError):
        _ask(asker, photos=[fake])
    assert asker.questions.count() == 0


def test_a_private_question_is_seen_by_asker_routed_and_subtree_admins_only(
    tree, asker, experts
):
    """Other workers, unrouted mentors and the other district's administrators do
    not see it; a public one everyone signed in sees."""
    private = _ask(asker, is_public=False)
    public = _ask(asker, title="公开的问题")
    seeing = [
        asker.user,
        experts["yard"].user,
        AdminFactory(username="d1q", org=tree["district1"]),
    ]
    blind = [
        WorkerFactory(community=tree["community12"]).user,
        experts["party"].user,
        AdminFactory(username="d2q", org=tree["district2"]),
        UserFactory(),
    ]
    for user in seeing:
        assert set(questions_visible_to(user)) == {private, public}, user
    for user in blind:
        assert list(questions_visible_to(user)) == [public], user


def test_only_routed_mentors_answer_private_and_only_the_asker_accepts(asker, experts):
    """An unrouted mentor or a plain worker cannot answer a private question; the
    asker marks the best answer, nobody else can."""
    question = _ask(asker, is_public=False)
    for user in (experts["party"].user, asker.user):
        with pytest.raises(PermissionDenied):
            answer_create(question=question, user=user, body="试试看")
    answer = answer_create(
        question=question, user=experts["yard"].user, body="成立业委会"
    )
    question.refresh_from_db()
    assert question.status == QuestionStatus.ANSWERED
    with pytest.raises(PermissionDenied):
        answer_accept(question=question, user=experts["yard"].user, answer=answer)
    answer_accept(question=question, user=asker.user, answer=answer)
    question.refresh_from_db()
    assert (question.status, question.best_answer) == (QuestionStatus.RESOLVED, answer)
    other = _ask(asker, title="另一个问题")
    with pytest.raises(QuestionError):
        answer_accept(question=other, user=asker.user, answer=answer)


def test_the_knowledge_base_takes_public_answered_threads_in_scope(
    tree, asker, experts
):
    """Open or private threads are refused; another district cannot select."""
    d1 = AdminFactory(username="d1kb", org=tree["district1"])
    d2 = AdminFactory(username="d2kb", org=tree["district2"])
    question = _ask(asker)
    with pytest.raises(QuestionError):
        question_select(question=question, actor=d1, selected=True)
    answer_create(question=question, user=experts["yard"].user, body="成立业委会")
    with pytest.raises(PermissionDenied):
        question_select(question=question, actor=d2, selected=True)
    question_select(question=question, actor=d1, selected=True)
    private = _ask(asker, is_public=False)
    answer_create(question=private, user=experts["yard"].user, body="答")
    with pytest.raises(QuestionError):
        question_select(question=private, actor=d1, selected=True)


def test_knowledge_base_finds_a_thread_by_any_two_character_word(tree, asker, experts):
    """Any two characters in a row of the title or body find it; words it does not
    contain, and threads not selected, do not."""
    d1 = AdminFactory(username="d1kb", org=tree["district1"])
    question = _ask(asker)
    answer_create(question=question, user=experts["yard"].user, body="答")
    question_select(question=question, actor=d1, selected=True)
    _ask(asker, title="未入库的物业问题")
    for query in ("物业", "老旧", "小区没有", "推动", "居民意见"):
        results, count = knowledge_base_search(query)
        assert (list(results), count) == ([question], 1), query
    for query in ("党建", "物管"):
        assert knowledge_base_search(query)[1] == 0, query


def test_reminders_go_to_routed_mentors_then_administrators_once(tree, asker, experts):
    """After N days the routed mentors, after 2N the street's administrators, each
    once; an answered question reminds nobody."""
    experts["yard"].user.email = "yard@example.org"
    experts["yard"].user.save()
    AdminFactory(username="s1", org=tree["street1"], email="street@example.org")
    AdminFactory(username="d1", org=tree["district1"], email="district@example.org")
    _ask(asker)
    answered = _ask(asker, title="已答的问题")
    answer_create(question=answered, user=experts["yard"].user, body="答")
    start = timezone.now()
    assert question_reminders_send(now=start + dt.timedelta(days=1)) == {
        "mentors": 0,
        "administrators": 0,
    }
    assert question_reminders_send(now=start + dt.timedelta(days=4)) == {
        "mentors": 1,
        "administrators": 0,
    }
    assert mail.outbox[-1].to == ["yard@example.org"]
    assert question_reminders_send(now=start + dt.timedelta(days=7)) == {
        "mentors": 0,
        "administrators": 1,
    }
    assert mail.outbox[-1].to == ["street@example.org"]
    assert question_reminders_send(now=start + dt.timedelta(days=9)) == {
        "mentors": 0,
        "administrators": 0,
    }
    assert QuestionReminder.objects.filter(question=answered).count() == 0


def test_question_reminders_are_also_portal_notifications(
    frozen_now, client, tree, asker, experts
):
    """At N days the routed mentor finds the reminder on their home (linking to the
    question), at 2N the street administrator; none twice."""
    from lms.compliance.models import Notification

    yard = experts["yard"].user
    street = AdminFactory(username="s1n", org=tree["street1"])
    question = _ask(asker)
    frozen_now += dt.timedelta(days=4)
    question_reminders_send(now=frozen_now)
    note = Notification.objects.get()
    assert (note.recipient, note.kind, note.org) == (
        yard,
        "question_waiting",
        asker.community,
    )
    assert note.link == f"/mentoring/questions/{question.pk}/"
    assert question.title in note.title
    client.force_login(yard)
    page = client.get("/portal/", follow=True).content.decode()
    assert question.title in page and note.link in page
    question_reminders_send(now=frozen_now + dt.timedelta(days=3))
    question_reminders_send(now=frozen_now + dt.timedelta(days=5))
    assert sorted(Notification.objects.values_list("recipient", flat=True)) == sorted(
        [yard.pk, street.pk]
    )
