"""Links to the trainer rating page: on the worker's class page (one per trainer), on
"My classes" (one per class) and on the check-in page after check-out — shown only
to a worker who attended the class (checked in to a session), and they work."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from lms.training.models import Attendance, AttendanceMethod, TrainerRating
from lms.training.trainer_selectors import rating_rows
from tests.people.factories import WorkerFactory
from tests.trainers.factories import TrainerFactory
from tests.training.factories import (
    ClassSessionFactory,
    EnrolmentFactory,
    TrainingClassFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def held(tree):
    """A class held three days ago with two trainers, and an enrolled worker."""
    klass = TrainingClassFactory(organiser=tree["district1"], title="小区治理专题班")
    first = TrainerFactory(org=tree["district1"], name="何丽")
    second = TrainerFactory(org=tree["district1"], name="王强")
    klass.trainers.add(first, second)
    session = ClassSessionFactory(
        training_class=klass,
        date=timezone.localdate() - dt.timedelta(days=3),
        start_time=dt.time(9),
        end_time=dt.time(12),
    )
    worker = WorkerFactory(community=tree["community11"])
    enrolment = EnrolmentFactory(training_class=klass, worker=worker)
    return klass, (first, second), session, worker, enrolment


def _attend(session, enrolment, checked_in=True):
    return Attendance.objects.create(
        session=session,
        enrolment=enrolment,
        checked_in_at=session.starts_at if checked_in else None,
        checked_out_at=session.ends_at if checked_in else None,
        method=AttendanceMethod.QR if checked_in else AttendanceMethod.MANUAL,
    )


def _rate_url(klass, trainer=None) -> str:
    url = reverse("training:rate_class", args=[klass.pk])
    return f"{url}#rate-trainer-{trainer.pk}" if trainer else url


def test_no_link_before_attending(client, held):
    klass, (first, second), _session, worker, _enrolment = held
    client.force_login(worker.user)
    page = client.get(reverse("training:class", args=[klass.pk])).text
    assert 'id="rate-trainers"' not in page and "rate-link" not in page
    assert _rate_url(klass) not in page
    mine = client.get(reverse("training:classes")).text
    assert "rate-class-link" not in mine


def test_no_link_when_marked_absent(client, held):
    """An attendance row without a check-in (marked absent) is not attending."""
    klass, _trainers, session, worker, enrolment = held
    _attend(session, enrolment, checked_in=False)
    client.force_login(worker.user)
    page = client.get(reverse("training:class", args=[klass.pk])).text
    assert "rate-link" not in page


def test_one_link_per_trainer_after_attending(client, held):
    klass, (first, second), session, worker, enrolment = held
    _attend(session, enrolment)
    client.force_login(worker.user)
    page = client.get(reverse("training:class", args=[klass.pk])).text
    assert page.count('class="rate-link"') == 2
    for trainer in (first, second):
        assert f'href="{_rate_url(klass, trainer)}"' in page
    assert page.count("Rate this trainer") == 2


def test_a_rated_trainer_shows_the_score_and_a_change_link(client, held):
    klass, (first, second), session, worker, enrolment = held
    _attend(session, enrolment)
    TrainerRating.objects.create(
        trainer=first, training_class=klass, worker=worker, score=4
    )
    client.force_login(worker.user)
    page = client.get(reverse("training:class", args=[klass.pk])).text
    assert "Your rating: 4/5" in page
    assert page.count("Change my rating") == 1
    assert page.count("Rate this trainer") == 1
    assert page.count('class="rate-link"') == 2


def test_following_the_link_rates_the_trainer(client, held):
    klass, (first, _second), session, worker, enrolment = held
    _attend(session, enrolment)
    client.force_login(worker.user)
    detail = client.get(reverse("training:class", args=[klass.pk])).text
    assert f'href="{_rate_url(klass, first)}"' in detail
    rate_page = client.get(_rate_url(klass))
    assert rate_page.status_code == 200
    assert f'id="rate-trainer-{first.pk}"' in rate_page.text  # the link's anchor
    saved = client.post(
        _rate_url(klass), {"trainer": first.pk, "score": "5", "comment": "讲得实在"}
    )
    assert saved.status_code == 302
    rating = TrainerRating.objects.get()
    assert (rating.trainer, rating.worker, rating.score) == (first, worker, 5)
    again = client.get(reverse("training:class", args=[klass.pk])).text
    assert "Your rating: 5/5" in again and "Change my rating" in again


def test_other_workers_see_no_link(client, held, tree):
    """Another worker of the same community, enrolled but absent, sees none."""
    klass, _trainers, session, worker, enrolment = held
    _attend(session, enrolment)
    other = WorkerFactory(community=tree["community11"])
    EnrolmentFactory(training_class=klass, worker=other)
    client.force_login(other.user)
    page = client.get(reverse("training:class", args=[klass.pk])).text
    assert "rate-link" not in page


def test_rating_page_says_when_not_attended(client, held):
    klass, _trainers, _session, worker, _enrolment = held
    client.force_login(worker.user)
    page = client.get(_rate_url(klass))
    assert page.status_code == 200
    assert 'id="not-attended"' in page.text and "rating-form" not in page.text


def test_my_classes_links_each_attended_class_once(client, held, tree):
    klass, (first, _second), session, worker, enrolment = held
    unattended = TrainingClassFactory(organiser=tree["district1"])
    unattended.trainers.add(first)
    EnrolmentFactory(training_class=unattended, worker=worker)
    _attend(session, enrolment)
    client.force_login(worker.user)
    page = client.get(reverse("training:classes")).text
    assert page.count('class="rate-class-link"') == 1
    assert f'href="{_rate_url(klass)}"' in page
    assert f'href="{_rate_url(unattended)}"' not in page
    assert "2 trainers not rated yet" in page
    TrainerRating.objects.create(
        trainer=first, training_class=klass, worker=worker, score=3
    )
    page = client.get(reverse("training:classes")).text
    assert "1 trainer not rated yet" in page


def test_a_class_without_trainers_has_no_link(client, held, tree):
    _klass, _trainers, _session, worker, _enrolment = held
    bare = TrainingClassFactory(organiser=tree["district1"])
    bare_session = ClassSessionFactory(training_class=bare)
    _attend(bare_session, EnrolmentFactory(training_class=bare, worker=worker))
    client.force_login(worker.user)
    page = client.get(reverse("training:class", args=[bare.pk])).text
    assert 'id="rate-trainers"' not in page
    assert _rate_url(bare) not in client.get(reverse("training:classes")).text


def test_rating_rows_take_three_queries_whatever_the_classes(
    held, tree, django_assert_num_queries
):
    klass, (first, second), session, worker, enrolment = held
    _attend(session, enrolment)
    more = []
    for _ in range(3):
        other = TrainingClassFactory(organiser=tree["district1"])
        other.trainers.add(second)
        _attend(
            ClassSessionFactory(training_class=other),
            EnrolmentFactory(training_class=other, worker=worker),
        )
        more.append(other.pk)
    with django_assert_num_queries(3):
        rows = rating_rows(worker, [klass.pk, *more])
    assert [t for t, _r in rows[klass.pk]] == [first, second]
    assert all(len(rows[pk]) == 1 for pk in more)


def test_check_in_page_offers_the_rating_after_check_out(client, held):
    """After check-out the check-in page links to the rating; before, it does not."""
    from lms.training import qr

    klass, _trainers, session, worker, enrolment = held
    attendance = _attend(session, enrolment)
    attendance.checked_out_at = None
    attendance.save()
    client.force_login(worker.user)
    url = reverse("training:checkin", args=[qr.checkin_code(session.pk)])
    assert 'id="rate-after-class"' not in client.get(url).text
    attendance.checked_out_at = session.ends_at
    attendance.save()
    page = client.get(url).text
    assert f'id="rate-after-class" href="{_rate_url(klass)}"' in page
