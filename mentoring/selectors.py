"""Reads of mentoring for the portal, the admin and the API."""

from django.db import connection
from django.db.models import BooleanField, Count, Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from lms.accounts.models import Role, User
from lms.accounts.scoping import scope_root
from lms.compliance.models import Notification
from lms.org.models import OrgNode
from lms.training.sources import source_kind_register

from . import rules
from .models import (
    GuidanceProblem,
    GuidanceVisit,
    Mentor,
    Pairing,
    PairSide,
    Placement,
    PlacementKind,
    PlacementStatus,
    PoolAssignment,
    ProblemTopic,
    Question,
    QuestionRoute,
    Studio,
)


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
    """A mentor's public profile: who they brought on (signed-off placements and
    mentor–mentee pairs)."""
    brought_on = (
        Placement.objects.filter(mentor=mentor, status=PlacementStatus.SIGNED_OFF)
        .select_related("worker__community", "studio")
        .order_by("-end", "id")
    )
    mentees = mentor.pairings.select_related("mentee__community").order_by(
        "-start", "id"
    )
    return {"mentor": mentor, "brought_on": brought_on, "mentees": mentees}


def pairings_of(user) -> QuerySet:
    """The pairs `user` is in, as mentor or mentee."""
    return (
        Pairing.objects.filter(Q(mentor__user=user) | Q(mentee__user=user))
        .select_related("mentor", "mentee__community")
        .order_by("-start", "id")
    )


def studio_profile(studio: Studio) -> dict:
    mentors = mentors_with_counts(studio.mentors.filter(is_active=True))
    trained = (
        Placement.objects.filter(studio=studio, status=PlacementStatus.SIGNED_OFF)
        .values("worker")
        .distinct()
        .count()
    )
    return {"studio": studio, "mentors": mentors, "trained": trained}


def unread_notifications(user, *, limit: int = 5) -> list[Notification]:
    """Unread portal notifications (reminders) of `user`, newest first."""
    return list(
        Notification.objects.filter(recipient=user, read_at__isnull=True).order_by(
            "-id"
        )[:limit]
    )


def assignments_of_member(user) -> QuerySet:
    """The support assignments of the pool member signing in as `user`, with the
    number of visits recorded."""
    return (
        PoolAssignment.objects.filter(member__user=user)
        .select_related("community")
        .annotate(visit_count=Count("visits"))
        .order_by("-start", "id")
    )


# --- Ask an expert ----------------------------------------------------------------------


def questions_visible_to(user) -> QuerySet:
    """Public questions, and the private ones of the asker, of the mentors they are
    routed to and of the administrators of the asker's subtree."""
    qs = Question.objects.select_related("asker__community")
    if user.is_superuser:
        return qs
    visible = Q(is_public=True) | Q(asker__user=user)
    visible |= Exists(
        QuestionRoute.objects.filter(question=OuterRef("pk"), mentor__user=user)
    )
    root = scope_root(user)
    if root is not None:
        visible |= Q(asker__community__path__startswith=root.path)
    return qs.filter(visible)


def question_thread(question: Question) -> dict:
    answers = question.answers.select_related("author").order_by("created_at", "id")
    return {
        "question": question,
        "answers": answers,
        "photos": question.photos.all(),
        "routed": question.routed_to.all(),
    }


def questions_routed_to(user) -> QuerySet:
    return (
        Question.objects.filter(questionroute__mentor__user=user)
        .select_related("asker__community")
        .order_by("status", "-created_at")
    )


# Beyond this many matches the count says "at least" (a common word matches
# thousands of threads; counting them all would scan them all).
KB_COUNT_CAP = 1000


def knowledge_base_search(query: str, *, limit: int = 20) -> tuple[QuerySet, int]:
    """Knowledge-base threads containing every two-character word of `query`,
    newest first, and how many there are (at most KB_COUNT_CAP). PostgreSQL answers
    from a GIN index on the words (migration 0003); other databases scan
    `search_text`."""
    qs = Question.objects.filter(in_knowledge_base=True)
    words = rules.query_bigrams(query.strip())[:20]
    if words and connection.vendor == "postgresql":
        qs = qs.filter(
            RawSQL(
                "string_to_array(mentoring_question.search_text, ' ') @> %s::text[]",
                (words,),
                output_field=BooleanField(),
            )
        )
    else:
        for word in words:
            qs = qs.filter(search_text__contains=word)
    qs = qs.select_related("best_answer", "lesson").order_by("-created_at", "-id")
    return qs[:limit], qs.values("pk")[:KB_COUNT_CAP].count()


# --- Mentor pool dashboard ------------------------------------------------------------


def _rollup(qs, *, root, depth: int, community_field: str, **aggregates) -> dict:
    """Aggregates of `qs` per child of `root` (the first `depth` path steps of the
    community), in one query."""
    key = Substr(f"{community_field}__path", 1, depth * OrgNode.steplen)
    rows = (
        qs.filter(**{f"{community_field}__path__startswith": root.path})
        .annotate(child=key)
        .values("child")
        .annotate(**aggregates)
        .order_by()
    )
    return {row.pop("child"): row for row in rows}


def pool_dashboard(root, *, year: int | None = None) -> dict:
    """The accompanying support below `root`, per child node and by topic: the
    communities supported, members, visits, problems raised and resolved. The same
    few queries whatever the size (children, then one aggregate each for
    assignments, visits, problems by child and problems by topic)."""
    depth = root.depth + 1
    children = list(
        OrgNode.objects.filter(path__startswith=root.path, depth=depth).order_by("path")
    )
    assignments = PoolAssignment.objects.all()
    visits = GuidanceVisit.objects.all()
    problems = GuidanceProblem.objects.all()
    if year:
        assignments = assignments.filter(start__year__lte=year, end__year__gte=year)
        visits = visits.filter(date__year=year)
        problems = problems.filter(visit__date__year=year)
    if root.level == "community":
        children, depth = [root], root.depth
    by_child_assignments = _rollup(
        assignments,
        root=root,
        depth=depth,
        community_field="community",
        communities=Count("community", distinct=True),
        members=Count("member", distinct=True),
    )
    by_child_visits = _rollup(
        visits, root=root, depth=depth, community_field="community", visits=Count("id")
    )
    by_child_problems = _rollup(
        problems,
        root=root,
        depth=depth,
        community_field="community",
        raised=Count("id"),
        resolved=Count("id", filter=Q(resolved=True)),
    )
    rows = []
    for child in children:
        a = by_child_assignments.get(child.path, {})
        v = by_child_visits.get(child.path, {})
        p = by_child_problems.get(child.path, {})
        rows.append(
            {
                "node": child,
                "communities": a.get("communities", 0),
                "members": a.get("members", 0),
                "visits": v.get("visits", 0),
                "raised": p.get("raised", 0),
                "resolved": p.get("resolved", 0),
            }
        )
    topics = dict(
        (row["topic"], row)
        for row in problems.filter(community__path__startswith=root.path)
        .values("topic")
        .annotate(raised=Count("id"), resolved=Count("id", filter=Q(resolved=True)))
        .order_by()
    )
    by_topic = [
        {
            "topic": value,
            "label": label,
            "raised": topics.get(value, {}).get("raised", 0),
            "resolved": topics.get(value, {}).get("resolved", 0),
        }
        for value, label in ProblemTopic.choices
    ]
    totals = {
        key: sum(r[key] for r in rows)
        for key in ("communities", "visits", "raised", "resolved")
    }
    return {"root": root, "rows": rows, "by_topic": by_topic, "totals": totals}


def placement_source_labels(ids: list[int]) -> dict[int, str]:
    """The words of the ledger source `placement:<id>` (see lms.training.sources):
    one query for a page of them."""
    return {
        pk: _("%(kind)s · %(mentor)s · %(start)s – %(end)s")
        % {
            "kind": PlacementKind(kind).label,
            "mentor": mentor,
            "start": f"{start:%Y-%m-%d}",
            "end": f"{end:%Y-%m-%d}",
        }
        for pk, kind, mentor, start, end in Placement.objects.filter(
            pk__in=ids
        ).values_list("id", "kind", "mentor__name", "start", "end")
    }


def ledger_sources_register() -> None:
    source_kind_register("placement", placement_source_labels)


def question_can_answer(question: Question, user) -> Mentor | None:
    """The mentor `user` answers as: a routed mentor, or any mentor on a public
    question; None when they may not answer."""
    mentor = Mentor.objects.filter(user=user, is_active=True).first()
    if mentor is None or not user.is_authenticated:
        return None
    if (
        question.is_public
        or QuestionRoute.objects.filter(question=question, mentor=mentor).exists()
    ):
        return mentor
    return None


def admins_above(community: OrgNode) -> list[User]:
    """The active administrators of the nearest node above the community that has
    any (street, then district, then city)."""
    step = OrgNode.steplen
    paths = [community.path[:end] for end in range(step, len(community.path), step)]
    admins = list(
        User.objects.filter(
            role=Role.ADMIN, is_active=True, org__path__in=paths
        ).select_related("org")
    )
    for path in reversed(paths):
        found = [u for u in admins if u.org.path == path]
        if found:
            return found
    return []


def pairing_side(pairing: Pairing, user) -> str | None:
    """Which side `user` is on: the mentor's account or the mentee's; None otherwise."""
    if not user.is_authenticated:
        return None
    if pairing.mentor.user_id == user.pk:
        return PairSide.MENTOR
    if pairing.mentee.user_id == user.pk:
        return PairSide.MENTEE
    return None
