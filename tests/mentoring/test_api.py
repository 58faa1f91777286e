"""The mentoring API: a mentor records and signs off through /me/mentoring; a worker
reads their own; nobody else reaches a placement."""

import datetime as dt
import json
from decimal import Decimal

import pytest
import time_machine

from lms.training.models import CreditEntry
from tests.api.conftest import ApiClient
from tests.api.factories import token_for
from tests.people.factories import AdminFactory

from .factories import MentorFactory

pytestmark = pytest.mark.django_db


def _client(user, tree):
    maker = AdminFactory(
        username=f"maker{user.pk}", org=tree["city"], is_superuser=True
    )
    return ApiClient(token_for(user, created_by=maker))


def _post(client, url, body=None):
    return client.post(
        url, data=json.dumps(body or {}), content_type="application/json"
    )


@time_machine.travel(dt.datetime(2026, 3, 20, 10, tzinfo=dt.UTC), tick=False)
def test_mentor_records_and_signs_off_through_the_api(placement, tree):
    """Record then sign off: one ledger line; the worker sees the placement closed."""
    mentor = _client(placement.mentor.user, tree)
    url = f"/api/v1/me/mentoring/hosted/{placement.pk}"
    hosted = mentor.get("/api/v1/me/mentoring/hosted").json()
    assert [p["id"] for p in hosted] == [placement.pk]
    refused = _post(mentor, f"{url}/sign-off")
    assert refused.status_code == 422 and refused.json()["code"] == "refused"
    too_many = _post(mentor, f"{url}/record", {"recorded_days": 9})
    assert too_many.status_code == 422
    recorded = _post(mentor, f"{url}/record", {"recorded_days": 5, "assessment": "好"})
    assert recorded.status_code == 200 and recorded.json()["recorded_days"] == 5
    done = _post(mentor, f"{url}/sign-off")
    assert done.status_code == 200 and done.json()["status"] == "signed_off"
    entry = CreditEntry.objects.get(worker=placement.worker)
    assert (entry.form, entry.days) == ("shadowing", Decimal("5.00"))
    mine = _client(placement.worker.user, tree).get("/api/v1/me/mentoring/placements")
    assert [(p["id"], p["credit_id"]) for p in mine.json()] == [
        (placement.pk, entry.pk)
    ]


def test_nobody_but_the_mentor_writes(placement, tree):
    """The worker, another mentor and an administrator get a 404 on the writes."""
    other = MentorFactory(org=tree["community11"])
    admin = AdminFactory(username="d1a", org=tree["district1"])
    for user in (placement.worker.user, other.user, admin):
        client = _client(user, tree)
        for action in ("record", "sign-off"):
            response = _post(
                client,
                f"/api/v1/me/mentoring/hosted/{placement.pk}/{action}",
                {"recorded_days": 1},
            )
            assert response.status_code == 404, (user, action)
    assert not CreditEntry.objects.exists()
