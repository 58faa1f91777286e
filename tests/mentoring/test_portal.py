"""Where experts and mentors land, their portal page with reminders, a pool member's
visit form, the placements on the worker's file and cancelling a placement."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from lms.accounts.models import AuditLog, Role
from lms.training.models import CreditEntry
from mentoring.models import (
    GuidanceVisit,
    MentorKind,
    PlacementStatus,
    PoolAssignment,
    PoolMember,
)
from mentoring.services.placements import (
    PlacementError,
    placement_cancel,
    placement_record,
    placement_sign_off,
)
from mentoring.services.questions import question_ask
from tests.api.factories import admin_in_group
from tests.people.factories import AdminFactory, UserFactory, WorkerFactory
from tests.trainers.factories import ExpertFactory, TrainerFactory

from .factories import MentorFactory, PlacementFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def expert_mentor(tree):
    """An expert mentor signing in with a sign-in of the trainer role (as the admin
    form links them), with no trainer record behind it."""
    expert = ExpertFactory(org=tree["city"])
    return MentorFactory(
        org=tree["city"],
        kind=MentorKind.EXPERT,
        worker=None,
        expert=expert,
        user=UserFactory(username="expert1", role=Role.TRAINER),
        specialities="物业管理",
    )


def test_a_signed_in_expert_lands_on_their_mentoring_page(client, tree, expert_mentor):
    """Bug: the expert was sent to the trainer page (a 404). Now the sign-in lands
    on their mentoring page, listing the question routed to them."""
    question = question_ask(
        asker=WorkerFactory(community=tree["community11"]),
        title="老旧小区物业怎么引进",
        body="居民不愿交费",
        tags="物业管理",
    )
    response = client.post(
        reverse("accounts:login"),
        {"username": "expert1", "password": "pass-for-tests-123"},
        follow=True,
    )
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("mentoring:mine")
    page = response.content.decode()
    assert 'id="routed"' in page and question.title in page


def test_trainers_and_worker_mentors_keep_their_own_home(client, tree):
    """A trainer with a trainer record still goes to the trainer portal; a worker
    who is also a mentor to the worker's home."""
    trainer = TrainerFactory(org=tree["city"], user=UserFactory(role=Role.TRAINER))
    client.force_login(trainer.user)
    assert client.get(reverse("portal:home")).url == reverse("training:trainer_profile")
    mentor = MentorFactory(org=tree["community11"])
    client.force_login(mentor.user)
    assert client.get(reverse("portal:home")).status_code == 200


def test_a_pool_member_records_a_visit_of_their_own_assignment_only(
    frozen_now, client, tree
):
    """The member's page lists their assignment; the form records the visit with
    its problems; another member's assignment is a 404 and nothing is written."""
    today = frozen_now.date()
    member = PoolMember.objects.create(
        name="老书记",
        org=tree["district1"],
        status="retired",
        user=UserFactory(username="laoshuji"),
    )
    mine = PoolAssignment.objects.create(
        member=member,
        community=tree["community11"],
        start=dt.date(today.year, 1, 1),
        end=dt.date(today.year, 12, 31),
    )
    other = PoolAssignment.objects.create(
        member=PoolMember.objects.create(
            name="别人", org=tree["district1"], status="serving"
        ),
        community=tree["community12"],
        start=dt.date(today.year, 1, 1),
        end=dt.date(today.year, 12, 31),
    )
    client.force_login(member.user)
    assert client.get(reverse("portal:home")).url == reverse("mentoring:mine")
    page = client.get(reverse("mentoring:mine")).content.decode()
    assert reverse("mentoring:visit", args=[mine.pk]) in page
    form = {
        "date": today.isoformat(),
        "topics": "议事协商",
        "notes": "指导议事规则",
        "follow_up": "下月回访",
        "problems-TOTAL_FORMS": "3",
        "problems-INITIAL_FORMS": "0",
        "problems-0-topic": "disputes",
        "problems-0-description": "停车纠纷",
        "problems-0-resolved": "on",
        "problems-0-resolution": "划定车位",
        "problems-1-topic": "planning",
        "problems-1-description": "年度规划",
        "problems-2-topic": "",  # an unused row, as the browser sends it
    }
    other_url = reverse("mentoring:visit", args=[other.pk])
    assert client.post(other_url, form).status_code == 404
    assert not GuidanceVisit.objects.exists()
    tomorrow = {**form, "date": (today + dt.timedelta(days=1)).isoformat()}
    refused = client.post(reverse("mentoring:visit", args=[mine.pk]), tomorrow)
    assert refused.status_code == 200 and not GuidanceVisit.objects.exists()
    response = client.post(reverse("mentoring:visit", args=[mine.pk]), form)
    assert response.url == reverse("mentoring:mine")
    visit = GuidanceVisit.objects.get()
    assert (visit.assignment, visit.community, visit.follow_up) == (
        mine,
        tree["community11"],
        "下月回访",
    )
    assert sorted(
        visit.problems.values_list("topic", "resolved", "resolution", "community")
    ) == [
        ("disputes", True, "划定车位", tree["community11"].pk),
        ("planning", False, "", tree["community11"].pk),
    ]
    assert client.get(reverse("mentoring:visit", args=[other.pk])).status_code == 404


def test_the_workers_file_lists_their_placements_with_days_credited(client, placement):
    """Host, period, days, status and the days credited once signed off."""
    user = placement.mentor.user
    placement_record(
        placement=placement, user=user, recorded_days=Decimal("4"), assessment="好"
    )
    placement_sign_off(placement=placement, user=user, today=dt.date(2026, 3, 9))
    client.force_login(placement.worker.user)
    page = client.get(reverse("portal:file")).content.decode()
    section = page[page.index('id="file-placements"') :]
    assert placement.mentor.name in section and "2026-03-02 – 2026-03-06" in section
    assert "4.0 / 5.0" in section and '<td class="credited">4.00</td>' in section


def test_cancel_is_scoped_refused_once_signed_off_and_audited(placement, tree):
    """Another district is refused; a planned placement is cancelled with an audit
    line; a signed-off (credited) one is refused and keeps its credit."""
    other = AdminFactory(username="d2c", org=tree["district2"])
    with pytest.raises(PermissionDenied):
        placement_cancel(placement=placement, actor=other)
    d1 = AdminFactory(username="d1c", org=tree["district1"])
    placement_cancel(placement=placement, actor=d1)
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.CANCELLED
    log = AuditLog.objects.get(action="placement_cancel")
    assert (log.actor, log.target_id) == (d1, str(placement.pk))
    signed = PlacementFactory(
        org=tree["community12"], start=dt.date(2026, 3, 9), end=dt.date(2026, 3, 9)
    )
    placement_record(
        placement=signed,
        user=signed.mentor.user,
        recorded_days=Decimal("1"),
        assessment="好",
    )
    placement_sign_off(placement=signed, user=signed.mentor.user, today=signed.end)
    with pytest.raises(PlacementError):
        placement_cancel(placement=signed, actor=d1)
    signed.refresh_from_db()
    assert signed.status == PlacementStatus.SIGNED_OFF
    assert CreditEntry.objects.filter(worker=signed.worker).count() == 1
    assert AuditLog.objects.filter(action="placement_cancel").count() == 1


def test_the_admin_cancel_button_confirms_and_cancels_in_scope(client, placement, tree):
    """The inspect page offers the button; the confirm page cancels; an
    administrator of the other district gets a 404."""
    d2 = admin_in_group(username="d2adm", org=tree["district2"], group="区级管理员")
    url = reverse("placement_admin:cancel", args=[placement.pk])
    client.force_login(d2)
    assert client.post(url).status_code == 404
    d1 = admin_in_group(username="d1adm", org=tree["district1"], group="区级管理员")
    client.force_login(d1)
    inspect = client.get(reverse("placement_admin:inspect", args=[placement.pk]))
    assert url in inspect.content.decode()
    assert client.get(url).status_code == 200
    response = client.post(url)
    assert response.url == reverse("placement_admin:inspect", args=[placement.pk])
    placement.refresh_from_db()
    assert placement.status == PlacementStatus.CANCELLED
    inspect = client.get(reverse("placement_admin:inspect", args=[placement.pk]))
    assert url not in inspect.content.decode()
