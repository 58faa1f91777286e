"""The worker's page, the scoped dashboard, report jobs, closing a year by the UI."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from lms.accounts.groups import ensure_admin_groups
from lms.accounts.models import AuditAction, AuditLog
from lms.compliance.models import YearPolicy
from lms.jobs.models import Job, JobStatus
from lms.people.models import Post
from tests.people.factories import WorkerFactory

from .factories import credit


@pytest.fixture
def this_year(frozen_now) -> int:
    """The year of the frozen clock: a run crossing New Year cannot split the tests'
    dates across two years."""
    return frozen_now.year


def test_worker_sees_progress_and_reasons(this_year, client, tree):
    w = WorkerFactory(community=tree["community11"], post=Post.STAFF)
    credit(w, dt.date(this_year, 1, 2), days="1.5")
    client.force_login(w.user)
    response = client.get(reverse("compliance:mine"))
    assert response.status_code == 200
    result = response.context["result"]
    assert str(result.required_days) == "3.00"
    assert str(result.achieved_days) == "1.50"
    assert result.percent == 50
    body = response.content.decode()
    assert 'value="50"' in body
    assert response.context["reasons"][0] == "应训 3.00 天，尚缺 1.50 天"
    assert f"我的 {this_year} 年培训天数" in body


def test_dashboard_is_scoped(this_year, client, tree, district_admin):
    WorkerFactory(community=tree["community11"], name="区一")
    WorkerFactory(community=tree["community21"], name="区二")
    client.force_login(district_admin)
    url = reverse("compliance:dashboard")
    response = client.get(url, {"year": this_year - 1})
    assert response.status_code == 200
    assert response.context["node"] == tree["district1"]
    assert response.context["total"].total == 1
    names = [w["row"].name for w in response.context["workers"]]
    assert names == ["区一"]
    assert client.get(url, {"org": "510102"}).status_code == 403
    drill = client.get(url, {"org": "510101001001", "year": this_year - 1})
    assert drill.status_code == 200 and drill.context["node"].name == "第11社区"
    assert "<svg" not in drill.content.decode()  # a community has no child units


def test_dashboard_filters(this_year, client, tree, district_admin):
    WorkerFactory(community=tree["community11"], name="书记", post=Post.SECRETARY)
    met = WorkerFactory(community=tree["community11"], name="干事", post=Post.STAFF)
    credit(met, dt.date(this_year - 1, 3, 1), days="3")
    client.force_login(district_admin)
    url = reverse("compliance:dashboard")
    r = client.get(url, {"year": this_year - 1, "post": "secretary"})
    assert [w["row"].name for w in r.context["workers"]] == ["书记"]
    r = client.get(url, {"year": this_year - 1, "status": "met"})
    assert [w["row"].name for w in r.context["workers"]] == ["干事"]
    r = client.get(url, {"year": this_year - 1, "status": "bogus", "post": "bogus"})
    assert (
        r.status_code == 200 and r.context["status"] == "" and r.context["post"] == ""
    )


def test_workers_cannot_open_the_dashboard(client, tree):
    w = WorkerFactory(community=tree["community11"])
    client.force_login(w.user)
    assert client.get(reverse("compliance:dashboard")).status_code == 403


def test_report_job_builds_the_file(
    this_year, client, tree, district_admin, django_capture_on_commit_callbacks
):
    WorkerFactory(community=tree["community11"], name="王芳")
    client.force_login(district_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("compliance:report"),
            {"org": "510101", "year": this_year - 1, "format": "json"},
        )
    job = Job.objects.get()
    assert response.status_code == 302 and response.url == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert "王芳" in job.result_file.read().decode()
    assert AuditLog.objects.filter(action=AuditAction.EXPORT).count() == 1


def test_report_job_refuses_another_subtree(client, tree, district_admin):
    client.force_login(district_admin)
    response = client.post(
        reverse("compliance:report"), {"org": "510102", "year": 2025, "format": "json"}
    )
    assert response.status_code == 403
    assert Job.objects.count() == 0


def test_pdf_for_a_district_is_refused_with_a_message(client, tree, district_admin):
    client.force_login(district_admin)
    response = client.post(
        reverse("compliance:report"),
        {"org": "510101", "year": 2025, "format": "pdf"},
        follow=True,
    )
    assert Job.objects.count() == 0
    assert len(list(response.context["messages"])) == 1


def test_city_admin_closes_a_year_from_the_dashboard(
    this_year, client, tree, city_admin
):
    ensure_admin_groups()
    city_admin.groups.add(Group.objects.get(name="市级管理员"))
    client.force_login(city_admin)
    year = this_year - 1
    page = client.get(reverse("compliance:dashboard"), {"year": year})
    assert page.context["can_close"] is True
    wrong = client.post(reverse("compliance:close"), {"year": year, "confirm": "1"})
    assert wrong.status_code == 302
    assert not YearPolicy.objects.filter(year=year, closed=True).exists()
    client.post(reverse("compliance:close"), {"year": year, "confirm": str(year)})
    assert YearPolicy.objects.get(year=year).closed is True
    assert AuditLog.objects.filter(action=AuditAction.YEAR_CLOSE).count() == 1


def test_policy_edit_in_wagtail_admin_keeps_history_and_audits(
    client, tree, city_admin
):
    ensure_admin_groups()
    city_admin.groups.add(Group.objects.get(name="市级管理员"))
    client.force_login(city_admin)
    add = reverse("wagtailsnippets_compliance_yearpolicy:add")
    data = {
        "year": 2027,
        "days_secretary": "8",
        "days_deputy": "3",
        "days_member": "3",
        "days_staff": "3",
        "days_grid_worker": "3",
        "days_party_affairs": "3",
        "rotation_min_months": 6,
        "rotation_min_level": "district",
        "rotation_due_share": "0.5",
        "induction_days": "3",
        "induction_deadline_months": 12,
        "online_cap_share": "0.5",
        "hours_per_day": "6",
        "online_long_minutes": 30,
        "online_micro_minutes": 15,
        "online_long_hours": "1",
        "online_medium_hours": "0.5",
        "online_micro_hours": "0.25",
        "test_pass_hours": "0.5",
        "online_completion_share": "0.9",
        "online_hidden_stops_credit": "on",
        "online_min_lesson_seconds": 60,
        "online_daily_cap_hours": "4",
        "presence_min_seconds": 600,
        "presence_max_seconds": 1200,
        "presence_timeout_seconds": 60,
        "checkpoint_wrong_rewinds": "on",
        "checkpoint_wrong_limit": 1,
        "rounding_step": "0.5",
        "on_track_tolerance_share": "0.25",
        "shadowing_counts_as": "in_person",
        "test_max_departures": 3,
        "test_reveal_answers": "on",
        "claim_max_hours_per_day": "8",
        "claim_before_hire_days": 90,
        "party_school_day_days": "1",
        "teaching_hour_hours": "2",
        "paper_hours": "6",
        "checkin_max_distance_m": 500,
        "checkin_far_action": "refuse",
    }
    response = client.post(add, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    row = YearPolicy.objects.get(year=2027)
    assert row.days_secretary == 8
    edit = reverse("wagtailsnippets_compliance_yearpolicy:edit", args=[row.pk])
    client.post(edit, {**data, "days_secretary": "9"})
    row.refresh_from_db()
    assert row.days_secretary == 9
    assert row.revisions.count() == 2
    logs = AuditLog.objects.filter(action=AuditAction.POLICY_CHANGE)
    assert [log.detail["values"]["days_secretary"] for log in logs] == ["9", "8"]


def test_district_admin_cannot_edit_the_rules(client, tree, district_admin):
    ensure_admin_groups()
    district_admin.groups.add(Group.objects.get(name="区级管理员"))
    client.force_login(district_admin)
    add = reverse("wagtailsnippets_compliance_yearpolicy:add")
    assert client.get(add).status_code in (302, 403)


def test_wagtail_admin_menu_links_the_dashboard(client, tree, district_admin):
    ensure_admin_groups()
    district_admin.groups.add(Group.objects.get(name="区级管理员"))
    client.force_login(district_admin)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert reverse("compliance:dashboard") in response.content.decode()


def test_worker_page_lists_credit_by_kind(this_year, client, tree):
    w = WorkerFactory(community=tree["community11"], post=Post.STAFF)
    credit(w, dt.date(this_year, 1, 2), days="1")
    credit(w, dt.date(this_year, 1, 3), days="0", hours="12", kind="online")
    credit(w, dt.date(this_year, 1, 4), days="0", hours="3", kind="test")
    client.force_login(w.user)
    response = client.get(reverse("compliance:mine"))
    rows = [
        (k["kind"], str(k["hours"]), str(k["days"]))
        for k in response.context["by_kind"]
    ]
    assert rows == [
        ("in_person", "6.00", "1.00"),
        ("online", "12.00", "2.00"),
        ("test", "3.00", "0.50"),
    ]
    result = response.context["result"]
    # 2.5 online days, capped at half of 3: 1.5 counted.
    assert str(result.counted_online_days) == "1.50"
    assert str(result.achieved_days) == "2.50"


def test_worker_page_labels_online_form_credit_as_online_study(
    frozen_now, client, tree
):
    """External training given online counts as online study under the cap, and the
    page says so: 面授/集中培训天数, 网络学习天数 with the cap in days."""
    year = frozen_now.year
    w = WorkerFactory(community=tree["community11"], post=Post.STAFF)
    credit(w, dt.date(year, 1, 2), days="1")
    credit(w, dt.date(year, 1, 3), days="2", kind="external", form="online")
    client.force_login(w.user)
    response = client.get(reverse("compliance:mine"), {"year": year})
    result = response.context["result"]
    assert (str(result.in_person_days), str(result.online_days)) == ("1.00", "2.00")
    assert str(result.counted_online_days) == "1.50"
    body = response.content.decode()
    assert '<dt id="in-person-label">面授/集中培训天数</dt><dd>1 天</dd>' in body
    assert '<dt id="online-label">网络学习所得天数 *</dt><dd>2 天</dd>' in body
    assert (
        '<dt id="online-counted-label">网络学习天数（计入上限 1.5 天）</dt>'
        "<dd>1.5 天</dd>"
    ) in body
