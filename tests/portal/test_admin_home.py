"""The administrator's home: what needs attention in their subtree."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from lms.accounts.groups import ensure_admin_groups
from lms.training.models import EnrolmentStatus
from portal.admin_home import attention
from tests.people.factories import AdminFactory, WorkerFactory
from tests.training.factories import (
    ClassSessionFactory,
    EnrolmentFactory,
    TrainingClassFactory,
)

NOW = timezone.make_aware(dt.datetime(2026, 9, 9, 10, 0))  # a Wednesday


@pytest.fixture
def district_admin(tree):
    ensure_admin_groups()
    admin = AdminFactory(username="d1", org=tree["district1"])
    admin.groups.add(Group.objects.get(name="区级管理员"))
    return admin


@pytest.mark.django_db
def test_classes_this_week_with_enrolled_and_capacity_in_the_subtree(
    tree, district_admin
):
    """This week's classes of the subtree, with enrolled/capacity; another
    district's class and next week's class are not listed."""
    mine = TrainingClassFactory(
        organiser=tree["district1"], title="本周班", capacity=40
    )
    ClassSessionFactory(training_class=mine, date=dt.date(2026, 9, 11))
    for _i in range(3):
        EnrolmentFactory(
            training_class=mine,
            worker=WorkerFactory(community=tree["community11"]),
        )
    EnrolmentFactory(
        training_class=mine,
        worker=WorkerFactory(community=tree["community12"]),
        status=EnrolmentStatus.WAITING,
    )
    other = TrainingClassFactory(organiser=tree["district2"], title="外区班")
    ClassSessionFactory(training_class=other, date=dt.date(2026, 9, 10))
    later = TrainingClassFactory(organiser=tree["district1"], title="下周班")
    ClassSessionFactory(training_class=later, date=dt.date(2026, 9, 14))
    classes = attention(district_admin, now=NOW)["classes"]
    assert [(c.title, c.enrolled, c.capacity) for c in classes] == [("本周班", 3, 40)]


@pytest.mark.django_db
def test_dashboard_panel_counts_and_links(client, tree, district_admin):
    """The panel on /admin/ names the subtree, counts workers at risk and links to
    the compliance list, the claims and the reviews."""
    WorkerFactory(community=tree["community11"], hire_date=dt.date(2015, 3, 1))
    client.force_login(district_admin)
    html = client.get("/admin/").content.decode()
    assert 'id="attention"' in html and "第1区" in html
    assert 'href="/compliance/dashboard/?year=' in html
    assert 'href="/admin/training_external/?status=pending"' in html
    assert 'href="#awaiting-review-section"' in html


@pytest.mark.django_db
def test_class_listing_shows_dates_and_enrolled(client, tree, district_admin):
    """The class list shows each class's dates and enrolled / capacity."""
    klass = TrainingClassFactory(organiser=tree["district1"], capacity=25)
    ClassSessionFactory(training_class=klass, date=dt.date(2026, 9, 11))
    ClassSessionFactory(training_class=klass, date=dt.date(2026, 9, 12))
    EnrolmentFactory(
        training_class=klass, worker=WorkerFactory(community=tree["community11"])
    )
    client.force_login(district_admin)
    html = client.get("/admin/training_classes/").content.decode()
    assert "2026-09-11 – 09-12" in html
    assert "1 / 25" in html


@pytest.mark.django_db
def test_people_filter_picks_an_organisation_in_scope(client, tree, district_admin):
    """The people listing filters by an org node chosen from the admin's subtree (no
    typed code); a node outside the subtree is refused as a choice."""
    WorkerFactory(community=tree["community11"], name="本街道甲")
    WorkerFactory(community=tree["community21"], name="外区乙")
    client.force_login(district_admin)
    html = client.get("/admin/workers/", {"org": tree["street1"].pk}).content.decode()
    assert "本街道甲" in html
    outside = client.get("/admin/workers/", {"org": tree["street2"].pk})
    assert "外区乙" not in outside.content.decode()


@pytest.mark.django_db
def test_at_risk_counts_are_precomputed_for_every_node(
    tree, district_admin, frozen_now, django_assert_max_num_queries, monkeypatch
):
    """The beat stores every node's count; the home then reads it without
    evaluating anything, in the same number of queries whatever the workers."""
    from portal.admin_home import at_risk_count
    from portal.at_risk import at_risk_counts_refresh

    for community in ("community11", "community12", "community21"):
        WorkerFactory(community=tree[community], hire_date=dt.date(2015, 3, 1))
    year = frozen_now.year
    assert at_risk_counts_refresh(year=year, now=frozen_now) == 9  # every node
    counts = {
        name: at_risk_count(tree[name], year=year)["count"]
        for name in ("city", "district1", "street1", "community11", "district2")
    }
    assert counts == {
        "city": 3,
        "district1": 2,
        "street1": 2,
        "community11": 1,
        "district2": 1,
    }
    assert at_risk_count(tree["city"], year=year)["at"] == frozen_now
    from portal import at_risk

    evaluate = at_risk.compliance_rows
    monkeypatch.setattr(at_risk, "compliance_rows", None)  # a page load never does
    with django_assert_max_num_queries(12) as few:
        attention(district_admin, now=frozen_now)
    for _i in range(15):
        WorkerFactory(community=tree["community12"], hire_date=dt.date(2015, 3, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        shown = attention(district_admin, now=frozen_now)
    assert shown["at_risk"]["count"] == 2  # stale until the next beat run
    monkeypatch.setattr(at_risk, "compliance_rows", evaluate)
    at_risk_counts_refresh(year=year, now=frozen_now)
    assert attention(district_admin, now=frozen_now)["at_risk"]["count"] == 17


@pytest.mark.django_db
def test_at_risk_count_follows_ledger_writes_at_the_next_run(tree, frozen_now):
    from decimal import Decimal

    from lms.training.services import credit_entry_create
    from portal.admin_home import at_risk_count
    from portal.tasks import at_risk_counts_refresh_task

    worker = WorkerFactory(community=tree["community11"], hire_date=dt.date(2015, 3, 1))
    at_risk_counts_refresh_task()
    year = frozen_now.year
    assert at_risk_count(tree["district1"], year=year)["count"] == 1
    for day in range(1, 13):
        credit_entry_create(
            worker=worker,
            date=dt.date(year, 3, day),
            days=Decimal("1"),
            hours=Decimal("6"),
            kind="in_person",
            title=f"培训{day}",
            source_key=f"import:{day}",
        )
    at_risk_counts_refresh_task()
    assert at_risk_count(tree["district1"], year=year)["count"] == 0


@pytest.mark.django_db
def test_panel_says_when_the_count_was_taken(client, tree, district_admin, frozen_now):
    from portal.at_risk import at_risk_counts_refresh

    at_risk_counts_refresh(year=frozen_now.year, now=frozen_now)
    client.force_login(district_admin)
    html = client.get("/admin/").content.decode()
    assert f"更新于 {frozen_now:%H:%M}" in html


@pytest.mark.django_db
def test_a_missing_count_is_queued_once_never_computed_on_the_page(
    client, tree, district_admin, frozen_now, monkeypatch
):
    """Before the beat's first run (or after the cache was cleared) the home shows
    that the count is being taken and queues one evaluation of the whole tree,
    however many administrators open their home meanwhile."""
    from portal import at_risk, tasks

    WorkerFactory(community=tree["community11"], hire_date=dt.date(2015, 3, 1))
    monkeypatch.setattr(at_risk, "compliance_rows", None)  # never on a page load
    queued = []
    monkeypatch.setattr(
        tasks.at_risk_counts_refresh_task, "delay", lambda **kw: queued.append(kw)
    )
    client.force_login(district_admin)
    for _i in range(3):
        html = client.get("/admin/").content.decode()
        assert "正在统计" in html
        assert attention(district_admin, now=frozen_now)["at_risk"] is None
    assert queued == [{"year": frozen_now.year}]


@pytest.mark.django_db
def test_a_queued_count_run_in_process_shows_at_once(tree, district_admin, frozen_now):
    """With no worker (CELERY_TASK_ALWAYS_EAGER, as in the tests) the queued run
    has stored the counts before the page reads them."""
    WorkerFactory(community=tree["community11"], hire_date=dt.date(2015, 3, 1))
    assert attention(district_admin, now=frozen_now)["at_risk"]["count"] == 1
