"""The organisation chooser of the admin: the user's subtree only, by level, searched by
name or code, each node shown with the nodes above it, and a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms.org.chooser import ancestor_paths
from tests.trainers.factories import admin_in_group

CHOOSE = "/admin/org_chooser/"
RESULTS = "/admin/org_chooser/results/"


def test_ancestor_paths_without_a_database():
    assert ancestor_paths("0001") == []
    assert ancestor_paths("000100020003") == ["0001", "00010002"]


@pytest.fixture
def district_client(client, tree):
    client.force_login(admin_in_group(tree["district1"], "区级管理员"))
    return client


def names(response):
    return [row.name for row in response.context["results"]]


def test_offers_only_the_subtree_with_the_nodes_above(district_client, tree):
    response = district_client.get(CHOOSE)
    assert response.status_code == 200
    assert names(response) == ["第1区", "第1街道", "第11社区", "第12社区"]
    body = response.json()["html"]
    assert "示范市 / 第1区 / 第1街道" in body  # where 第11社区 lies
    assert "第2区" not in body


def test_levels_and_search(district_client, tree):
    response = district_client.get(RESULTS, {"levels": "district,street"})
    assert names(response) == ["第1区", "第1街道"]
    response = district_client.get(RESULTS, {"levels": "community", "q": "12"})
    assert names(response) == ["第12社区"]
    response = district_client.get(RESULTS, {"q": "510101001001"})  # a code
    assert names(response) == ["第11社区"]
    assert names(district_client.get(RESULTS, {"q": "第2区"})) == []
    # an unknown level is ignored rather than an error
    assert len(names(district_client.get(RESULTS, {"levels": "galaxy"}))) == 4


def test_chosen_outside_the_subtree_is_404(district_client, tree):
    inside = district_client.get(f"/admin/org_chooser/chosen/{tree['street1'].pk}/")
    assert inside.status_code == 200
    assert inside.json()["result"]["title"] == "第1街道"
    outside = district_client.get(f"/admin/org_chooser/chosen/{tree['street2'].pk}/")
    assert outside.status_code == 404


def test_queries_do_not_grow_with_the_page(client, tree):
    client.force_login(admin_in_group(tree["city"], "市级管理员"))
    client.get(RESULTS)  # warm the per-process caches
    counts = []
    for query in ("第11社区", ""):  # one row, then the whole tree of nine
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(RESULTS, {"q": query})
        counts.append((len(names(response)), len(ctx.captured_queries)))
    assert counts[0][0] == 1 and counts[1][0] == 9
    assert counts[0][1] == counts[1][1]


def test_a_worker_cannot_open_it(client, tree):
    from tests.people.factories import WorkerFactory

    worker = WorkerFactory(community=tree["community11"])
    client.force_login(worker.user)
    assert client.get(CHOOSE).status_code in (302, 403)
