"""Reads of mentoring for the portal, the admin and the API."""

from django.db.models import Count, Q, QuerySet

from .models import Mentor, Placement, PlacementStatus, Studio


def placements_of_worker(worker) -> QuerySet:
    return (
        Placement.objects.filter(worker=worker)
        .select_related("mentor", "studio", "credit")
        .order_by("-start", "-id")
    )


def placements_hosted_by(user) -> QuerySet:
    """Placements whose mentor signs in as `user` (none for a user who is no mentor)."""
    return (
        Placement.objects.filter(mentor__user=user)
        .exclude(status=PlacementStatus.CANCELLED)
        .select_related("worker__community", "studio", "mentor")
        .order_by("status", "-start", "id")
    )


def mentors_with_counts(qs=None) -> QuerySet:
    """Mentors with the number of placements signed off and under way."""
    qs = Mentor.objects.all() if qs is None else qs
    return qs.select_related("org", "studio").annotate(
        brought_on=Count(
            "placements", filter=Q(placements__status=PlacementStatus.SIGNED_OFF)
        ),
        hosting=Count(
            "placements", filter=Q(placements__status=PlacementStatus.PLANNED)
        ),
    )


def mentor_profile(mentor: Mentor) -> dict:
    """A mentor's public profile: who they brought on (signed-off placements)."""
    brought_on = (
        Placement.objects.filter(mentor=mentor, status=PlacementStatus.SIGNED_OFF)
        .select_related("worker__community", "studio")
        .order_by("-end", "id")
    )
    return {"mentor": mentor, "brought_on": brought_on}


def studio_profile(studio: Studio) -> dict:
    mentors = mentors_with_counts(studio.mentors.filter(is_active=True))
    trained = (
        Placement.objects.filter(studio=studio, status=PlacementStatus.SIGNED_OFF)
        .values("worker")
        .distinct()
        .count()
    )
    return {"studio": studio, "mentors": mentors, "trained": trained}
