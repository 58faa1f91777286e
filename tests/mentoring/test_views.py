"""Portal pages of mentoring: who opens a placement or a question, who may post."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from courses.services import course_library_ensure
from lms.training.models import CreditEntry
from mentoring.services.questions import answer_create, question_ask, question_select
from tests.people.factories import AdminFactory, WorkerFactory

from .factories import MentorFactory

pytestmark = pytest.mark.django_db


def test_a_placement_opens_for_its_worker_mentor_and_subtree_admins_only(
    client, placement, tree
):
    """Anyone else gets a 404; only the mentor may post, others get a 403 or 404
    and nothing is recorded."""
    url = f"/mentoring/placements/{placement.pk}/"
    for user in (
        placement.worker.user,
        placement.mentor.user,
        AdminFactory(username="d1v", org=tree["district1"]),
    ):
        client.force_login(user)
        assert client.get(url).status_code == 200
    client.force_login(placement.worker.user)
    response = client.post(url, {"action": "record", "recorded_days": "5"})
    assert response.status_code == 403
    for user in (
        WorkerFactory(community=tree["community12"]).user,
        AdminFactory(username="d2v", org=tree["district2"]),
    ):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"action": "sign_off"}).status_code == 404
    placement.refresh_from_db()
    assert placement.recorded_days is None
    assert not CreditEntry.objects.exists()


def test_mentor_page_lists_everyone_brought_on(client, placement, tree):
    """After the sign-off, the mentor's public page lists the worker."""
    from mentoring.services.placements import placement_record, placement_sign_off

    user = placement.mentor.user
    placement_record(
        placement=placement, user=user, recorded_days=Decimal("5"), assessment="好"
    )
    placement_sign_off(placement=placement, user=user, today=dt.date(2026, 3, 9))
    client.force_login(WorkerFactory(community=tree["community21"]).user)
    page = client.get(f"/mentoring/mentors/{placement.mentor.pk}/").content.decode()
    assert placement.worker.name in page and placement.worker.community.name in page
    assert placement.worker.id_number_masked not in page


def test_catalogue_search_shows_knowledge_base_threads(client, tree):
    """A catalogue search also lists the knowledge-base threads it matches."""
    mentor = MentorFactory(org=tree["community11"], specialities="物业管理")
    asker = WorkerFactory(community=tree["community12"])
    question = question_ask(
        asker=asker, title="老旧小区物业怎么引进", body="居民不愿交费"
    )
    answer_create(question=question, user=mentor.user, body="先议事")
    question_select(
        question=question,
        actor=AdminFactory(username="c", org=tree["city"]),
        selected=True,
    )
    client.force_login(asker.user)
    course_library_ensure()
    page = client.get(reverse("courses:catalogue"), {"q": "物业"}).content.decode()
    assert 'id="faq-matches"' in page and "老旧小区物业怎么引进" in page
    page = client.get(reverse("courses:catalogue"), {"q": "党建"}).content.decode()
    assert 'id="faq-matches"' not in page
