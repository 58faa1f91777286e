"""Walk EVERY API operation and every admin listing as a district administrator:
nothing of the other district may come back.

New endpoints are picked up from the OpenAPI schema; a path parameter this walk
cannot fill fails the test, so each new kind of endpoint gets a scope check."""

import json
import re

import pytest
from django.urls import NoReverseMatch, reverse

from api.v1 import api

pytestmark = pytest.mark.django_db

# Operations that are about the caller, not the register (they may be empty).
SELF_OPERATIONS = {"/api/v1/me", "/api/v1/me/ledger"}


def _operations():
    schema = api.get_openapi_schema()
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            params = [p for p in operation.get("parameters", []) if p["in"] == "path"]
            yield path, method, [p["name"] for p in params]


def _fill(path: str, names: list[str], values: dict) -> str:
    for name in names:
        assert name in values, f"the scope walk does not know how to fill {{{name}}}"
        path = path.replace("{" + name + "}", str(values[name]))
    return path


def _markers(tree, people) -> list[str]:
    """Strings that only the second district's data contains."""
    marks = [
        tree[k].name for k in ("district2", "street2", "community21", "community22")
    ]
    marks += [
        tree[k].code for k in ("district2", "street2", "community21", "community22")
    ]
    for key in ("community21", "community22"):
        marks += [w.name for w in people[key]]
        marks += [w.id_number_masked for w in people[key]]
    return marks


def _values(tree, people, district: int) -> dict:
    worker = people[f"community{district}1"][0]
    return {
        "worker_id": worker.pk,
        "code": tree[f"community{district}1"].code,
        "year": 2026,
    }


def test_every_api_operation_stays_in_the_district(d1_api, tree, people):
    operations = list(_operations())
    assert len(operations) >= 10
    marks = _markers(tree, people)
    inside, outside = _values(tree, people, 1), _values(tree, people, 2)
    for path, method, names in operations:
        call = getattr(d1_api, method)
        # Own district: answers, with data (except "about me" operations).
        response = call(_fill(path, names, inside))
        assert response.status_code == 200, (path, response.content[:200])
        text = response.content.decode()
        for mark in marks:
            assert mark not in text, (path, mark)
        body = response.json()
        if "count" in body and path not in SELF_OPERATIONS:
            assert body["count"] > 0, (
                f"{path} returned nothing: the walk proves nothing"
            )
        # Other district: not found, never its data.
        if names:
            response = call(_fill(path, names, outside))
            assert response.status_code == 404, (path, response.status_code)
            assert response.json()["code"] == "not_found"


def test_every_list_filter_by_foreign_org_is_refused(d1_api, tree, people):
    """Every operation with an `org` filter refuses the other district's code."""
    schema = api.get_openapi_schema()
    checked = 0
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            query = {
                p["name"] for p in operation.get("parameters", []) if p["in"] == "query"
            }
            if "org" not in query or "{" in path:
                continue
            response = getattr(d1_api, method)(path, {"org": tree["district2"].code})
            assert response.status_code == 404, path
            checked += 1
    assert checked >= 3


def _admin_index_urls() -> list[str]:
    """Index URLs of every registered Wagtail viewset and snippet, plus ours."""
    from wagtail.admin.viewsets import viewsets as registry
    from wagtail.snippets.models import get_snippet_models

    urls = set()
    candidates = list(getattr(registry, "viewsets", []))
    candidates += [m.snippet_viewset for m in get_snippet_models()]
    for viewset in candidates:
        for getter in ("get_url_name",):
            try:
                name = getattr(viewset, getter)("index")
                urls.add(reverse(name))
            except (NoReverseMatch, AttributeError, TypeError):
                continue
    urls.add(reverse("api_admin:audit_log"))
    urls.add(reverse("api_admin:tokens"))
    return sorted(urls)


def test_every_admin_listing_stays_in_the_district(client, d1_admin, tree, people):
    """Each admin index page a district administrator can open shows nothing of the
    other district (not even in filter drop-downs)."""
    client.force_login(d1_admin)
    marks = [m for m in _markers(tree, people) if not re.fullmatch(r"\d+", m)]
    urls = _admin_index_urls()
    assert len(urls) >= 2
    opened = 0
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 302, 403), (url, response.status_code)
        if response.status_code != 200:
            continue
        opened += 1
        text = response.content.decode()
        for mark in marks:
            assert mark not in text, (url, mark)
    assert opened >= 1


def test_api_json_never_has_clear_id_numbers(city_api, people):
    """Even the city token's lists carry masked numbers only."""
    clear = [w.id_number for ws in people.values() for w in ws]
    for path in (
        "/api/v1/people/workers",
        "/api/v1/people/posts",
        "/api/v1/ledger/entries",
    ):
        text = json.dumps(city_api.get(path, {"limit": 500}).json())
        assert not any(number in text for number in clear), path
