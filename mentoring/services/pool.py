"""The mentor pool and accompanying support (续航计划): assignments and guidance
visits."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.accounts.scoping import org_in_scope
from lms.org.models import OrgNode

from ..models import GuidanceProblem, GuidanceVisit, PoolAssignment, PoolMember


class PoolError(Exception):
    """A refused pool write; the message is for the person."""


@transaction.atomic
def pool_assignment_create(
    *,
    member: PoolMember,
    community: OrgNode,
    start: dt.date,
    end: dt.date,
    actor,
    goals: str = "",
) -> PoolAssignment:
    """An administrator assigns a pool member of their subtree to a community of it."""
    if not org_in_scope(actor, community) or not org_in_scope(actor, member.org):
        raise PermissionDenied
    if community.level != "community":
        raise PoolError(_("Assign a member to a community."))
    if end < start:
        raise PoolError(_("The end date is before the start date."))
    assignment = PoolAssignment(
        member=member, community=community, start=start, end=end, goals=goals.strip()
    )
    assignment.full_clean(validate_constraints=False)
    assignment.save()
    return assignment


@transaction.atomic
def guidance_visit_record(
    *,
    assignment: PoolAssignment,
    actor,
    date: dt.date,
    topics: str = "",
    notes: str = "",
    follow_up: str = "",
    problems: list[dict] = (),
    today: dt.date | None = None,
) -> GuidanceVisit:
    """The member (from their account) or an administrator of the community records a
    visit within the assignment's period, with each problem raised: its topic, what
    it was, whether and how it was resolved."""
    assignment = PoolAssignment.objects.select_related("member", "community").get(
        pk=assignment.pk
    )
    is_member = actor.is_authenticated and assignment.member.user_id == actor.pk
    if not (is_member or org_in_scope(actor, assignment.community)):
        raise PermissionDenied
    today = today or timezone.localdate()
    if not (assignment.start <= date <= min(assignment.end, today)):
        raise PoolError(_("The visit date lies outside the assignment so far."))
    visit = GuidanceVisit(
        assignment=assignment,
        community=assignment.community,
        date=date,
        topics=topics.strip(),
        notes=notes.strip(),
        follow_up=follow_up.strip(),
    )
    visit.full_clean()
    visit.save()
    rows = []
    for problem in problems:
        row = GuidanceProblem(
            visit=visit,
            community=assignment.community,
            topic=problem.get("topic", ""),
            description=(problem.get("description") or "").strip(),
            resolved=bool(problem.get("resolved")),
            resolution=(problem.get("resolution") or "").strip(),
        )
        row.full_clean(exclude=["visit"])
        rows.append(row)
    GuidanceProblem.objects.bulk_create(rows)
    return visit
