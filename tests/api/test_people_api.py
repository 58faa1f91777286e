"""People, posts, org tree and ledger through the API, with masking and scope."""

import pytest

from lms.accounts.models import AuditAction, AuditLog
from tests.api.conftest import ApiClient
from tests.api.factories import admin_in_group, token_for

pytestmark = pytest.mark.django_db


def test_worker_list_is_masked_and_scoped(d1_api, people):
    """A district token lists its four workers, each ID number masked."""
    response = d1_api.get("/api/v1/people/workers")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 4
    names = sorted(w["name"] for w in body["items"])
    assert names == [
        "community11-0",
        "community11-1",
        "community12-0",
        "community12-1",
    ]
    for item in body["items"]:
        assert "*" in item["id_number_masked"]
        assert "id_number" not in item
    clear = {w.id_number for ws in people.values() for w in ws}
    assert not any(number in response.content.decode() for number in clear)


def test_worker_list_filters_and_pages(d1_api, people, tree):
    """`org`, `q`, limit and offset narrow the list; a whole ID finds one worker."""
    body = d1_api.get(
        "/api/v1/people/workers", {"org": tree["community12"].code}
    ).json()
    assert [w["name"] for w in body["items"]] == ["community12-0", "community12-1"]
    page = d1_api.get("/api/v1/people/workers", {"limit": 3, "offset": 3}).json()
    assert (page["count"], page["limit"], page["offset"], len(page["items"])) == (
        4,
        3,
        3,
        1,
    )
    target = people["community11"][1]
    found = d1_api.get("/api/v1/people/workers", {"q": target.id_number}).json()
    assert [w["id"] for w in found["items"]] == [target.pk]


def test_org_of_another_district_is_not_found(d1_api, people, tree):
    """Filtering by a node outside the scope is a 404, not an empty page."""
    response = d1_api.get("/api/v1/people/workers", {"org": tree["district2"].code})
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_worker_detail_has_posts(d1_api, people):
    worker = people["community11"][0]
    body = d1_api.get(f"/api/v1/people/workers/{worker.pk}").json()
    assert body["id"] == worker.pk
    assert body["id_number_masked"] == worker.id_number_masked
    assert [p["post"] for p in body["posts"]] == [worker.post]


def test_unmask_needs_permission_and_is_audited(d1_admin, d1_api, people, tree):
    """A district admin (has the permission) sees one full ID, and it is logged; a
    community admin (no permission) gets 403 and nothing is logged."""
    worker = people["community11"][0]
    response = d1_api.post(f"/api/v1/people/workers/{worker.pk}/unmask")
    assert response.status_code == 200
    assert response.json() == {"id": worker.pk, "id_number": worker.id_number}
    entry = AuditLog.objects.get(action=AuditAction.UNMASK)
    assert (entry.actor, entry.target_id) == (d1_admin, str(worker.pk))

    community_admin = admin_in_group(
        username="c11", org=tree["community11"], group="社区管理员"
    )
    client = ApiClient(token_for(community_admin))
    denied = client.post(f"/api/v1/people/workers/{worker.pk}/unmask")
    assert denied.status_code == 403
    assert denied.json()["code"] == "forbidden"
    assert AuditLog.objects.filter(action=AuditAction.UNMASK).count() == 1


def test_unmask_outside_scope_is_404(d1_api, people):
    other = people["community21"][0]
    response = d1_api.post(f"/api/v1/people/workers/{other.pk}/unmask")
    assert response.status_code == 404
    assert not AuditLog.objects.filter(action=AuditAction.UNMASK).exists()


def test_org_subtree(d1_api, tree):
    body = d1_api.get(f"/api/v1/org/nodes/{tree['street1'].code}/subtree").json()
    assert [n["code"] for n in body["items"]] == [
        tree["street1"].code,
        tree["community11"].code,
        tree["community12"].code,
    ]
    assert body["items"][1]["parent_code"] == tree["street1"].code
    nodes = d1_api.get("/api/v1/org/nodes", {"level": "community"}).json()
    assert nodes["count"] == 2


def test_ledger_filters_by_year_and_kind(d1_api, people, tree):
    """Each district worker has a 2026 in-person and a 2025 online entry."""
    all_ = d1_api.get("/api/v1/ledger/entries").json()
    assert all_["count"] == 8
    y2026 = d1_api.get("/api/v1/ledger/entries", {"year": 2026}).json()
    assert y2026["count"] == 4
    assert {e["kind"] for e in y2026["items"]} == {"in_person"}
    online = d1_api.get(
        "/api/v1/ledger/entries", {"kind": "online", "org": tree["community12"].code}
    ).json()
    assert online["count"] == 2
    assert {e["days"] for e in online["items"]} == {0.5}
    worker = people["community11"][0]
    totals = d1_api.get(f"/api/v1/ledger/workers/{worker.pk}/totals/2026").json()
    assert totals == {
        "worker_id": worker.pk,
        "year": 2026,
        "days": 1.0,
        "hours": 6.0,
        "entries": 1,
    }


def test_worker_sees_own_ledger_by_session(client, people):
    """The portal session of a worker reads their own ledger, and no register."""
    worker = people["community11"][0]
    client.force_login(worker.user)
    mine = client.get("/api/v1/me/ledger").json()
    assert mine["count"] == 2
    assert {e["worker_id"] for e in mine["items"]} == {worker.pk}
    assert client.get("/api/v1/people/workers").status_code == 403
    me = client.get("/api/v1/me").json()
    assert me["worker_id"] == worker.pk and me["scope_code"] is None
