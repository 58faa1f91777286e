import datetime as dt
from decimal import Decimal

import factory

from mentoring.models import Mentor, MentorKind, Placement, Studio
from tests.people.factories import WorkerFactory


class StudioFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Studio

    name = factory.Sequence(lambda n: f"示范书记工作室{n}")
    leader = factory.SubFactory(WorkerFactory, community=factory.SelfAttribute("..org"))
    specialities = "小区治理、楼栋红管家"


class MentorFactory(factory.django.DjangoModelFactory):
    """A worker mentor of `org`, signing in with the worker's own account."""

    class Meta:
        model = Mentor

    name = factory.Sequence(lambda n: f"导师{n}")
    kind = MentorKind.WORKER
    worker = factory.SubFactory(WorkerFactory, community=factory.SelfAttribute("..org"))
    user = factory.LazyAttribute(lambda o: o.worker.user)
    specialities = "小区治理"


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Placement

    mentor = factory.SubFactory(MentorFactory, org=factory.SelfAttribute("..org"))
    worker = factory.SubFactory(WorkerFactory, community=factory.SelfAttribute("..org"))
    start = dt.date(2026, 3, 2)
    end = dt.date(2026, 3, 6)
    planned_days = Decimal("5")
    goals = "跟班学习小区议事协商"

    class Params:
        org = None
