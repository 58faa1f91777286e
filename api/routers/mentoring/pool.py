"""The mentor pool (续航计划): members, assignments, the dashboard."""

import datetime as dt

from ninja import Query, Router, Schema
from ninja.pagination import paginate

from mentoring.models import PoolAssignment, PoolMember
from mentoring.selectors import pool_dashboard

from ...pagination import Pagination
from ...schemas import Code
from ...scope import in_org, node_in_scope, scoped, user_of
from ..people import _Rows

router = Router()


class PoolMemberOut(Schema):
    id: int
    name: str
    status: str
    former_post: str
    org_code: str
    specialities: str
    availability: str
    is_active: bool


class PoolAssignmentOut(Schema):
    id: int
    member_id: int
    member_name: str
    community_code: str
    start: dt.date
    end: dt.date
    goals: str


class PoolRowOut(Schema):
    code: str
    name: str
    communities: int
    members: int
    visits: int
    raised: int
    resolved: int


class PoolTopicOut(Schema):
    topic: str
    raised: int
    resolved: int


class PoolDashboardOut(Schema):
    code: str
    name: str
    rows: list[PoolRowOut]
    by_topic: list[PoolTopicOut]


@router.get("/pool/members", response=list[PoolMemberOut], summary="Pool members")
@paginate(Pagination)
def pool_member_list(request, org: Code | None = None):
    user = user_of(request, "mentoring.view_poolmember")
    qs = scoped(PoolMember.objects.select_related("org"), user, org_field="org")
    qs = in_org(qs, user, org, "org")
    return _Rows(
        qs.order_by("org__path", "name", "id"),
        lambda m: {
            "id": m.pk,
            "name": m.name,
            "status": m.status,
            "former_post": m.former_post,
            "org_code": m.org.code,
            "specialities": m.specialities,
            "availability": m.availability,
            "is_active": m.is_active,
        },
    )


@router.get(
    "/pool/assignments",
    response=list[PoolAssignmentOut],
    summary="Support assignments to communities in scope",
)
@paginate(Pagination)
def pool_assignment_list(request, org: Code | None = None):
    user = user_of(request, "mentoring.view_poolassignment")
    qs = scoped(
        PoolAssignment.objects.select_related("member", "community"),
        user,
        org_field="community",
    )
    qs = in_org(qs, user, org, "community")
    return _Rows(
        qs.order_by("-start", "id"),
        lambda a: {
            "id": a.pk,
            "member_id": a.member_id,
            "member_name": a.member.name,
            "community_code": a.community.code,
            "start": a.start,
            "end": a.end,
            "goals": a.goals,
        },
    )


@router.get(
    "/pool/dashboard/{code}",
    response=PoolDashboardOut,
    summary="Accompanying support below a node, per child and by topic",
)
def pool_dashboard_api(
    request, code: Code, year: int | None = Query(None, ge=2000, le=2100)
):
    user = user_of(request, "mentoring.view_poolassignment")
    data = pool_dashboard(node_in_scope(user, code), year=year)
    return {
        "code": data["root"].code,
        "name": data["root"].name,
        "rows": [
            {
                "code": r["node"].code,
                "name": r["node"].name,
                **{
                    k: r[k]
                    for k in ("communities", "members", "visits", "raised", "resolved")
                },
            }
            for r in data["rows"]
        ],
        "by_topic": [
            {"topic": t["topic"], "raised": t["raised"], "resolved": t["resolved"]}
            for t in data["by_topic"]
        ],
    }
