"""Walk EVERY API operation and every admin listing as a district administrator:
nothing of the other district may come back.

New endpoints are picked up from the OpenAPI schema; a path parameter this walk
cannot fill fails the test, so each new kind of endpoint gets a scope check."""

import json
import re

import pytest
from django.urls import NoReverseMatch, reverse

from api.v1 import api
from tests.api.factories import png_upload

pytestmark = pytest.mark.django_db

# Operations about the caller, not the register (an administrator's may be empty).
SELF_PREFIX = "/api/v1/me"
# Operations only a worker may call (an administrator gets 403).
WORKER_OPERATIONS = {
    "/api/v1/training/check-in",
    "/api/v1/training/check-out",
    "/api/v1/learning/lessons/{lesson_id}/heartbeat",
    "/api/v1/learning/lessons/{lesson_id}/play-token",
    "/api/v1/learning/lessons/{lesson_id}/play",
    "/api/v1/learning/lessons/{lesson_id}/presence",
    "/api/v1/learning/lessons/{lesson_id}/checkpoints/{checkpoint_id}",
    "/api/v1/learning/lessons/{lesson_id}/checkpoints/{checkpoint_id}/answer",
    "/api/v1/me/mentoring/questions/{question_id}/answers",
    "/api/v1/me/mentoring/questions/{question_id}/best",
    "/api/v1/me/mentoring/questions/{question_id}/photos",
}
# Operations only a worker or a mentor may call, at paths shared with reads.
WORKER_WRITES = {("/api/v1/me/mentoring/questions", "post")}
# Public by design: anyone holding a serial may check it (the holder's name masked).
PUBLIC_OPERATIONS = {"/api/v1/certificates/verify/{serial}"}
BODIES = {
    "/api/v1/training/classes/{class_id}/enrolments": lambda v: {
        "worker_id": v["body_worker_id"]
    },
    "/api/v1/training/check-in": lambda v: {"code": "x"},
    "/api/v1/training/check-out": lambda v: {"code": "x"},
    "/api/v1/learning/lessons/{lesson_id}/heartbeat": lambda v: {
        "session": "x",
        "seq": 1,
        "device": "device-0001",
    },
    "/api/v1/learning/lessons/{lesson_id}/play-token": lambda v: {
        "device": "device-0001"
    },
    "/api/v1/learning/lessons/{lesson_id}/play": lambda v: {
        "token": "x",
        "device": "device-0001",
    },
    "/api/v1/learning/lessons/{lesson_id}/presence": lambda v: {
        "session": "x",
        "device": "device-0001",
    },
    "/api/v1/learning/lessons/{lesson_id}/checkpoints/{checkpoint_id}": lambda v: {
        "session": "x",
        "device": "device-0001",
    },
    "/api/v1/learning/lessons/{lesson_id}/checkpoints/{checkpoint_id}/answer": (
        lambda v: {"session": "x", "device": "device-0001", "chosen": [1]}
    ),
    "/api/v1/me/mentoring/hosted/{placement_id}/record": lambda v: {"recorded_days": 1},
    "/api/v1/me/mentoring/questions": lambda v: {"title": "问题", "body": "内容"},
    "/api/v1/me/mentoring/pairings/{pairing_id}/records": lambda v: {
        "month": "2026-02-01",
        "learned": "议事",
    },
    "/api/v1/me/mentoring/pairings/{pairing_id}/evaluation": lambda v: {
        "score": 5,
        "comment": "好",
    },
    "/api/v1/me/mentoring/questions/{question_id}/answers": lambda v: {"body": "答复"},
    "/api/v1/me/mentoring/questions/{question_id}/best": lambda v: {"answer_id": 1},
}


# Operations taking a file (multipart), with the files to send.
FILES = {
    "/api/v1/me/mentoring/questions/{question_id}/photos": lambda: {
        "photo": png_upload()
    },
}


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


def _markers(tree, people, everything=None) -> list[str]:
    """Strings that only the second district's data contains."""
    keys = ("district2", "street2", "community21", "community22")
    marks = [tree[k].name for k in keys] + [tree[k].code for k in keys]
    for key in ("community21", "community22"):
        marks += [w.name for w in people[key]]
        marks += [w.id_number_masked for w in people[key]]
    if everything:
        marks.append(everything[2]["certificate"].serial)
    return marks


def _values(tree, people, everything, district: int) -> dict:
    worker = people[f"community{district}1"][0]
    made = everything[district]
    return {
        "worker_id": worker.pk,
        "body_worker_id": people["community11"][1].pk,
        "code": tree[f"community{district}1"].code,
        "year": 2026,
        "class_id": made["class"].pk,
        "certificate_id": made["certificate"].pk,
        "lesson_id": made["lesson"].pk,
        "checkpoint_id": 1,
        "serial": made["certificate"].serial,
        "placement_id": made["placement"].pk,
        "question_id": made["question"].pk,
        "pairing_id": made["pairing"].pk,
        "photo_id": made["photo"].pk,
    }


def _call(client, method, path, values):
    body = BODIES.get(path)
    url = _fill(path, [n for n in values if "{" + n + "}" in path], values)
    if method == "get":
        return client.get(url)
    if path in FILES:
        return getattr(client, method)(url, data=FILES[path]())
    return getattr(client, method)(
        url,
        data=json.dumps(body(values) if body else {}),
        content_type="application/json",
    )


def test_every_api_operation_stays_in_the_district(d1_api, tree, people, everything):
    operations = list(_operations())
    assert len(operations) >= 30
    marks = _markers(tree, people, everything)
    inside = _values(tree, people, everything, 1)
    outside = _values(tree, people, everything, 2)
    for path, method, names in operations:
        for name in names:
            assert name in inside, f"the scope walk does not know how to fill {name}"
        if path in WORKER_OPERATIONS or (path, method) in WORKER_WRITES:
            for values in (inside, outside):
                response = _call(d1_api, method, path, values)
                assert response.status_code == 403, (path, response.status_code)
            continue
        if path in PUBLIC_OPERATIONS:
            continue
        # Own district: answers, with data (except "about me" operations, which
        # have no worker file behind an administrator's token).
        response = _call(d1_api, method, path, inside)
        if path.startswith(SELF_PREFIX) and response.status_code == 404:
            continue
        assert response.status_code in (200, 201), (path, response.content[:300])
        if response.streaming:  # a file (a question's photo): served in scope only
            response = _call(d1_api, method, path, outside)
            assert response.status_code == 404, (path, response.status_code)
            continue
        text = response.content.decode()
        for mark in marks:
            assert mark not in text, (path, mark)
        body = response.json()
        if (
            isinstance(body, dict)
            and "count" in body
            and not path.startswith(SELF_PREFIX)
        ):
            assert body["count"] > 0, (
                f"{path} returned nothing: the walk proves nothing"
            )
        # Other district: not found, never its data.
        if names:
            response = _call(d1_api, method, path, outside)
            assert response.status_code == 404, (path, response.status_code)
            assert response.json()["code"] == "not_found"


def test_public_verification_masks_the_holder(client, everything):
    """The one public operation shows a masked holder name, never the full one."""
    cert = everything[2]["certificate"]
    response = client.get(f"/api/v1/certificates/verify/{cert.serial}")
    assert response.status_code == 200
    body = response.json()
    assert body["serial"] == cert.serial and body["status"] == "valid"
    assert cert.holder_name not in response.content.decode()
    missing = client.get("/api/v1/certificates/verify/HR-2026-00000-00000-00")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"


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
    """Index URLs of every registered Wagtail viewset (snippets included), plus ours."""
    from wagtail.admin.viewsets import viewsets as registry
    from wagtail.snippets.models import get_snippet_models

    reverse("wagtailadmin_home")  # loads the admin URLs, which fills the registry
    urls = set()
    for viewset in registry.viewsets:
        try:
            urls.add(reverse(viewset.get_url_name("index")))
        except (NoReverseMatch, AttributeError, TypeError):
            continue  # a viewset without an index page (choosers, ...)
    for model in get_snippet_models():
        try:
            urls.add(reverse(model.snippet_viewset.get_url_name("list")))
        except (NoReverseMatch, AttributeError, TypeError):
            continue
    urls.add(reverse("api_admin:audit_log"))
    urls.add(reverse("api_admin:tokens"))
    return sorted(urls)


def test_every_admin_listing_stays_in_the_district(
    client, d1_admin, tree, people, everything
):
    """Each admin index page a district administrator can open shows nothing of the
    other district (not even in filter drop-downs)."""
    client.force_login(d1_admin)
    marks = [
        m for m in _markers(tree, people, everything) if not re.fullmatch(r"\d+", m)
    ]
    urls = _admin_index_urls()
    assert len(urls) >= 10, urls
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
    assert opened >= 8, opened


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


def test_admin_listings_and_exports_never_show_clear_id_numbers(
    client, city_adm, people, everything
):
    """Every admin listing, and its CSV/XLSX export where it has one, as a city
    administrator: ID numbers appear masked only (exports are audited by the views)."""
    import io

    from openpyxl import load_workbook

    client.force_login(city_adm)
    clear = [w.id_number for ws in people.values() for w in ws]
    exported = 0
    for url in _admin_index_urls():
        for query in ("", "?export=csv", "?export=xlsx"):
            response = client.get(url + query)
            if response.status_code != 200:
                continue
            content_type = response.get("Content-Type", "")
            body = b"".join(response)  # plain and streaming responses alike
            if "spreadsheetml" in content_type:
                exported += 1
                sheet = load_workbook(io.BytesIO(body)).active
                text = "\n".join(
                    str(v) for row in sheet.iter_rows(values_only=True) for v in row
                )
            else:
                if "csv" in content_type:
                    exported += 1
                text = body.decode("utf-8-sig", errors="ignore")
            for number in clear:
                assert number not in text, (url + query, "clear ID number")
    assert exported >= 4, exported
