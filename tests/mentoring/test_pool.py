"""The mentor pool (续航计划): assignments and visits in scope, the dashboard's figures
per child and topic in a constant number of queries, its drill-down and export."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from lms.accounts.exports import write_table
from lms.accounts.groups import ensure_admin_groups
from mentoring.models import PoolMember
from mentoring.selectors import pool_dashboard
from mentoring.services.pool import (
    PoolError,
    guidance_visit_record,
    pool_assignment_create,
)
from tests.api.factories import admin_in_group

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 30)


def _support(tree, admin, community, n_visits, problems):
    member = PoolMember.objects.create(
        name=f"老书记{community}", org=tree["city"], status="retired"
    )
    assignment = pool_assignment_create(
        member=member,
        community=tree[community],
        start=dt.date(2026, 1, 1),
        end=dt.date(2026, 12, 31),
        actor=admin,
    )
    for n in range(n_visits):
        guidance_visit_record(
            assignment=assignment,
            actor=admin,
            date=dt.date(2026, 2, 1 + n),
            topics="小区治理",
            problems=problems,
            today=TODAY,
        )
    return assignment


@pytest.fixture
def city(tree):
    return admin_in_group(username="citypool", org=tree["city"], group="市级管理员")


def test_dashboard_rolls_up_per_child_and_topic_in_constant_queries(tree, city):
    """Per district: communities supported, visits, problems raised and resolved;
    by topic across the city; the same five queries whatever the size."""
    p = [
        {"topic": "disputes", "description": "噪音纠纷", "resolved": True},
        {"topic": "planning", "description": "规划", "resolved": False},
    ]
    _support(tree, city, "community11", 2, p)
    _support(tree, city, "community12", 1, p[:1])
    _support(tree, city, "community21", 3, [])
    with CaptureQueriesContext(connection) as small:
        data = pool_dashboard(tree["city"])
    rows = {r["node"].name: r for r in data["rows"]}
    d1, d2 = rows[tree["district1"].name], rows[tree["district2"].name]
    assert (d1["communities"], d1["visits"], d1["raised"], d1["resolved"]) == (
        2,
        3,
        5,
        3,
    )
    assert (d2["communities"], d2["visits"], d2["raised"], d2["resolved"]) == (
        1,
        3,
        0,
        0,
    )
    topics = {t["topic"]: (t["raised"], t["resolved"]) for t in data["by_topic"]}
    assert topics["disputes"] == (3, 3) and topics["planning"] == (2, 0)
    assert data["totals"] == {"communities": 3, "visits": 6, "raised": 5, "resolved": 3}
    _support(tree, city, "community22", 4, p)
    with CaptureQueriesContext(connection) as larger:
        pool_dashboard(tree["city"])
    assert len(small.captured_queries) == len(larger.captured_queries) <= 5
    street = pool_dashboard(tree["street1"])
    assert [r["communities"] for r in street["rows"]] == [1, 1]


def test_assignments_and_visits_stay_in_scope(tree, city):
    """A district administrator cannot assign to or record in the other district;
    a visit outside the assignment's dates is refused."""
    d1 = admin_in_group(username="d1pool", org=tree["district1"], group="区级管理员")
    member = PoolMember.objects.create(
        name="老李", org=tree["district1"], status="retired"
    )
    with pytest.raises(PermissionDenied):
        pool_assignment_create(
            member=member,
            community=tree["community21"],
            start=dt.date(2026, 1, 1),
            end=dt.date(2026, 6, 30),
            actor=d1,
        )
    with pytest.raises(PoolError):
        pool_assignment_create(
            member=member,
            community=tree["street1"],
            start=dt.date(2026, 1, 1),
            end=dt.date(2026, 6, 30),
            actor=d1,
        )
    other = _support(tree, city, "community21", 0, [])
    with pytest.raises(PermissionDenied):
        guidance_visit_record(assignment=other, actor=d1, date=dt.date(2026, 3, 1))
    mine = _support(tree, city, "community11", 0, [])
    with pytest.raises(PoolError):
        guidance_visit_record(
            assignment=mine, actor=d1, date=dt.date(2026, 8, 1), today=TODAY
        )


def test_dashboard_page_drills_down_and_exports_within_scope(client, tree, city):
    """A district administrator sees their district, drills to a street, exports it;
    the other district is a 404."""
    _support(tree, city, "community11", 2, [{"topic": "other", "description": "=1+2"}])
    ensure_admin_groups()
    d1 = admin_in_group(username="d1dash", org=tree["district1"], group="区级管理员")
    client.force_login(d1)
    page = client.get("/mentoring/pool/").content.decode()
    assert tree["street1"].name in page and tree["district2"].name not in page
    page = client.get(
        "/mentoring/pool/", {"node": tree["street1"].code}
    ).content.decode()
    assert tree["community11"].name in page
    assert (
        client.get("/mentoring/pool/", {"node": tree["district2"].code}).status_code
        == 404
    )
    response = client.get("/mentoring/pool/", {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in next(sheet.iter_rows())][:2] == ["组织", "受支持社区"]


def test_exports_keep_user_text_as_text():
    """A cell that starts like a formula stays text in XLSX and CSV."""
    xlsx = write_table("xlsx", ["h"], [['=HYPERLINK("x")'], [3]])
    cells = [
        c for row in load_workbook(io.BytesIO(xlsx)).active.iter_rows() for c in row
    ]
    assert [(c.value, c.data_type) for c in cells[1:]] == [
        ('=HYPERLINK("x")', "s"),
        (3, "n"),
    ]
    csv = write_table("csv", ["h"], [["=1+2"], ["@x"], [-3]]).decode("utf-8-sig")
    assert csv.splitlines()[1:] == ["'=1+2", "'@x", "-3"]
