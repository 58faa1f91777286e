import datetime as dt

import factory
from django.utils import timezone

from lms.training.models import (
    ClassSession,
    Enrolment,
    EnrolmentStatus,
    TrainingClass,
    TrainingLevel,
    TrainingType,
)


def aware(d: dt.date, t: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(d, t))


class TrainingClassFactory(factory.django.DjangoModelFactory):
    """An open in-person district class; pass organiser= (target_org defaults to it)."""

    class Meta:
        model = TrainingClass

    title = factory.Sequence(lambda n: f"社区治理专题培训班{n}")
    level = TrainingLevel.DISTRICT
    type = TrainingType.ON_THE_JOB
    target_org = factory.LazyAttribute(lambda o: o.organiser)
    target_posts = factory.LazyFunction(list)
    capacity = 30
    enrol_opens = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=7))
    enrol_closes = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))
    cancel_deadline = factory.LazyFunction(
        lambda: timezone.now() + dt.timedelta(days=3)
    )


class ClassSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClassSession

    date = factory.LazyFunction(timezone.localdate)
    start_time = dt.time(9, 0)
    end_time = dt.time(17, 0)
    length = "full"
    topic = "社区治理"


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    status = EnrolmentStatus.ENROLLED
