"""Bad input gets JSON {"code", "message"} and a 4xx, never a 500."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/people/workers?limit=0",
        "/api/v1/people/workers?limit=100000",
        "/api/v1/people/workers?offset=-1",
        "/api/v1/people/workers?offset=99999999999999999999999",
        "/api/v1/people/workers?post=chairman",
        "/api/v1/people/workers?hired_from=2025-13-45",
        "/api/v1/people/workers?q=%00abc",
        "/api/v1/people/workers?org=%E4%B8%AD",
        "/api/v1/people/workers/0",
        "/api/v1/people/workers/99999999999999999999999999",
        "/api/v1/people/workers/abc",
        "/api/v1/ledger/entries?year=1",
        "/api/v1/ledger/entries?kind=gift",
        "/api/v1/ledger/workers/1/totals/99999",
    ],
)
def test_bad_input_is_422_or_404_json(d1_api, path):
    response = d1_api.get(path)
    assert response.status_code in (404, 422), response.content[:300]
    body = response.json()
    assert set(body) >= {"code", "message"}
    assert body["code"] in ("invalid", "not_found")


def test_unknown_api_path_is_json_404(d1_api):
    response = d1_api.get("/api/v1/nothing/here")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert response.json()["message"]


def test_wrong_method_is_json(d1_api):
    response = d1_api.delete("/api/v1/people/workers")
    assert response.status_code == 405


def test_huge_worker_id_in_scope_walk_is_not_a_500(d1_api):
    response = d1_api.get(f"/api/v1/people/workers/{2**62}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
