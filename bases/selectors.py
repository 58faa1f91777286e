"""Reads of the base and institution libraries."""

import datetime as dt

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone

from .models import Base, CooperationAgreement, Institution


def agreement_in_force(today: dt.date) -> Q:
    return Q(start_date__lte=today) & (
        Q(end_date__isnull=True) | Q(end_date__gte=today)
    )


def institutions_with_agreements(
    qs: QuerySet | None = None, *, today: dt.date | None = None
) -> QuerySet:
    """Institutions with whether an agreement is in force, the last end date and counts."""
    today = today or timezone.localdate()
    qs = Institution.objects.all() if qs is None else qs
    in_force = CooperationAgreement.objects.filter(
        agreement_in_force(today), institution=OuterRef("pk")
    )
    return qs.annotate(
        agreement_in_force=Exists(in_force),
        agreement_count=Count("agreements", distinct=True),
        agreement_last_end=Max("agreements__end_date"),
        class_count=Count("classes", distinct=True),
    )


def bases_with_classes(qs: QuerySet | None = None) -> QuerySet:
    qs = Base.objects.all() if qs is None else qs
    return qs.annotate(class_count=Count("classes", distinct=True))
