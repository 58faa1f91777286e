"""Reads about trainers and experts: teaching figures, ratings, the trainer's portal.

The figures are correlated subqueries, so one listing query carries them for a page of
trainers (or experts), they sort and export like columns, and `trainer_stats` reads
any number of trainers in one query.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    Max,
    Min,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from trainers.models import Expert, Trainer

from .models import Attendance, ClassSession, TrainerRating, TrainingClass

ZERO = Decimal("0.0")


@dataclass(frozen=True)
class TrainerStats:
    classes_taught: int = 0
    hours_taught: Decimal = ZERO
    upcoming_classes: int = 0
    rating_average: Decimal | None = None
    rating_count: int = 0


def _one_decimal(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def duration_hours(duration: dt.timedelta | None) -> Decimal:
    if not duration:
        return ZERO
    return _one_decimal(Decimal(duration.total_seconds()) / Decimal(3600))


def trainer_stat_annotations(today: dt.date | None = None) -> dict:
    """Annotations giving each trainer row its teaching figures.

    Taught = sessions held on or before `today` of the classes the trainer teaches
    (their clock hours); upcoming = classes with sessions, none of them held yet.
    """
    today = today or timezone.localdate()
    held = ClassSession.objects.filter(
        training_class__trainers=OuterRef("pk"), date__lte=today
    )
    duration = ExpressionWrapper(
        F("end_time") - F("start_time"), output_field=DurationField()
    )
    classes = (
        held.values("training_class__trainers")
        .annotate(n=Count("training_class", distinct=True))
        .values("n")
    )
    hours = (
        held.values("training_class__trainers").annotate(d=Sum(duration)).values("d")
    )
    upcoming = (
        TrainingClass.objects.filter(trainers=OuterRef("pk"), sessions__isnull=False)
        .exclude(sessions__date__lte=today)
        .values("trainers")
        .annotate(n=Count("id", distinct=True))
        .values("n")
    )
    ratings = TrainerRating.objects.filter(trainer=OuterRef("pk")).values("trainer")
    return {
        "classes_taught": Coalesce(
            Subquery(classes, output_field=IntegerField()), Value(0)
        ),
        "duration_taught": Subquery(hours, output_field=DurationField()),
        "upcoming_classes": Coalesce(
            Subquery(upcoming, output_field=IntegerField()), Value(0)
        ),
        "rating_average": Subquery(
            ratings.annotate(a=Avg("score")).values("a"), output_field=FloatField()
        ),
        "rating_count": Coalesce(
            Subquery(
                ratings.annotate(n=Count("id")).values("n"),
                output_field=IntegerField(),
            ),
            Value(0),
        ),
    }


def trainers_with_stats(qs: QuerySet | None = None, *, today=None) -> QuerySet:
    qs = Trainer.objects.all() if qs is None else qs
    return qs.annotate(**trainer_stat_annotations(today))


def stats_of(trainer) -> TrainerStats:
    """TrainerStats of a trainer row annotated by `trainers_with_stats`."""
    return TrainerStats(
        classes_taught=trainer.classes_taught,
        hours_taught=duration_hours(trainer.duration_taught),
        upcoming_classes=trainer.upcoming_classes,
        rating_average=_one_decimal(trainer.rating_average),
        rating_count=trainer.rating_count,
    )


def trainer_stats(trainer_ids, *, today: dt.date | None = None) -> dict:
    """{trainer id: TrainerStats} for any number of trainers, in one query."""
    ids = list(trainer_ids)
    if not ids:
        return {}
    rows = trainers_with_stats(Trainer.objects.filter(pk__in=ids), today=today)
    return {t.pk: stats_of(t) for t in rows.only("pk")}


def experts_with_classes(qs: QuerySet | None = None) -> QuerySet:
    qs = Expert.objects.all() if qs is None else qs
    advised = (
        TrainingClass.objects.filter(experts=OuterRef("pk"))
        .values("experts")
        .annotate(n=Count("id", distinct=True))
        .values("n")
    )
    return qs.annotate(
        classes_advised=Coalesce(
            Subquery(advised, output_field=IntegerField()), Value(0)
        )
    )


def trainer_portal(trainer: Trainer, *, today: dt.date | None = None) -> dict:
    """What a trainer sees on their portal page: profile, figures, classes, ratings."""
    annotated = trainers_with_stats(
        Trainer.objects.filter(pk=trainer.pk).select_related("org"), today=today
    ).get()
    classes = (
        TrainingClass.objects.filter(trainers=trainer)
        .select_related("organiser", "base")
        .annotate(
            first_date=Min("sessions__date"),
            last_date=Max("sessions__date"),
            session_count=Count("sessions", distinct=True),
            rating_average=Subquery(
                TrainerRating.objects.filter(
                    trainer=trainer, training_class=OuterRef("pk")
                )
                .values("training_class")
                .annotate(a=Avg("score"))
                .values("a"),
                output_field=FloatField(),
            ),
        )
        .order_by(F("first_date").desc(nulls_last=True), "-id")
    )
    recent_comments = (
        TrainerRating.objects.filter(trainer=trainer)
        .exclude(comment="")
        .select_related("training_class")
        .order_by("-created_at")[:10]
    )
    return {
        "trainer": annotated,
        "stats": stats_of(annotated),
        "classes": classes,
        "recent_comments": recent_comments,
        "today": today or timezone.localdate(),
    }


def _attended(worker, class_ids):
    """The worker's check-ins to sessions of `class_ids`."""
    return Attendance.objects.filter(
        enrolment__worker=worker,
        enrolment__training_class__in=list(class_ids),
        checked_in_at__isnull=False,
    )


def worker_attended_class(worker, training_class) -> bool:
    """Checked in to at least one session of the class: what rating its trainers
    needs."""
    return _attended(worker, [training_class.pk]).exists()


def rating_rows(worker, class_ids) -> dict[int, list]:
    """{class id: [(trainer, the worker's rating of them or None), ...]} for those of
    `class_ids` the worker may rate: attended (see `worker_attended_class`) and with
    trainers. A rating can be changed, so rated trainers stay in the rows. Three
    queries whatever the number of classes."""
    attended = set(
        _attended(worker, class_ids).values_list("enrolment__training_class", flat=True)
    )
    if not attended:
        return {}
    ratings = {
        (r.training_class_id, r.trainer_id): r
        for r in TrainerRating.objects.filter(
            worker=worker, training_class__in=attended
        )
    }
    links = (
        TrainingClass.trainers.through.objects.filter(trainingclass__in=attended)
        .select_related("trainer")
        .order_by("trainer__name", "trainer_id")
    )
    rows: dict[int, list] = {}
    for link in links:
        key = (link.trainingclass_id, link.trainer_id)
        rows.setdefault(link.trainingclass_id, []).append(
            (link.trainer, ratings.get(key))
        )
    return rows
