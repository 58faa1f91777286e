"""A district administrator sees and changes only their own district's people."""

import pytest
from django.contrib.auth.models import Group

from lms.accounts.models import AuditAction, AuditLog
from tests.people.factories import AdminFactory, WorkerFactory


@pytest.fixture
def people(tree):
    mine = WorkerFactory(name="本区张三", community=tree["community11"])
    other = WorkerFactory(name="外区李四", community=tree["community21"])
    return mine, other


@pytest.fixture
def district_client(client, tree):
    admin = AdminFactory(org=tree["district1"])
    admin.groups.add(Group.objects.get(name="区级管理员"))
    client.force_login(admin)
    return client


def test_listing_shows_only_the_own_subtree(district_client, people):
    response = district_client.get("/admin/workers/")
    assert response.status_code == 200
    assert "本区张三" in response.text
    assert "外区李四" not in response.text


def test_search_by_name_and_by_full_id_number_stays_in_scope(district_client, people):
    mine, other = people
    assert "外区李四" not in district_client.get("/admin/workers/?q=李四").text
    response = district_client.get(f"/admin/workers/?q={other.id_number}")
    assert "外区李四" not in response.text
    response = district_client.get(f"/admin/workers/?q={mine.id_number}")
    assert "本区张三" in response.text
    # The result row shows the masked form (the typed query is echoed back as typed).
    assert mine.id_number_masked in response.text


def test_another_districts_person_by_url_is_404(district_client, people):
    _mine, other = people
    for url in (
        f"/admin/workers/edit/{other.pk}/",
        f"/admin/workers/inspect/{other.pk}/",
        f"/admin/workers/delete/{other.pk}/",
        f"/admin/workers/history/{other.pk}/",
        f"/admin/people/worker/{other.pk}/unmask/",
    ):
        assert district_client.get(url).status_code == 404, url


def test_export_is_scoped_masked_and_audited(district_client, people):
    mine, other = people
    response = district_client.get("/admin/workers/?export=csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "本区张三" in body and "外区李四" not in body
    assert mine.id_number_masked in body and mine.id_number not in body
    entry = AuditLog.objects.get(action=AuditAction.EXPORT)
    assert entry.detail["rows"] == 1


def test_unmasking_one_record_is_logged(district_client, people):
    mine, _other = people
    page = district_client.get(f"/admin/people/worker/{mine.pk}/unmask/")
    assert mine.id_number not in page.text
    response = district_client.post(f"/admin/people/worker/{mine.pk}/unmask/")
    assert mine.id_number in response.text
    entry = AuditLog.objects.get(action=AuditAction.UNMASK)
    assert (entry.target_id, entry.actor.org_id) == (
        str(mine.pk),
        mine.community.get_parent().get_parent().pk,
    )


def test_community_admin_without_permission_cannot_unmask(client, tree, people):
    mine, _other = people
    admin = AdminFactory(org=tree["community11"])
    admin.groups.add(Group.objects.get(name="社区管理员"))
    client.force_login(admin)
    response = client.post(f"/admin/people/worker/{mine.pk}/unmask/")
    # Wagtail turns PermissionDenied into a redirect to the dashboard with a message.
    assert (response.status_code, response.url) == (302, "/admin/")
    assert not AuditLog.objects.filter(action=AuditAction.UNMASK).exists()


def test_worker_portal_shows_only_the_own_file_masked(client, people):
    mine, other = people
    client.force_login(mine.user)
    response = client.get("/portal/me/")
    assert mine.name in response.text and other.name not in response.text
    assert mine.id_number_masked in response.text
    assert mine.id_number not in response.text
    assert client.get("/admin/workers/").status_code == 302  # no admin access


def test_add_leads_to_the_import(district_client):
    response = district_client.get("/admin/workers/new/")
    assert (response.status_code, response.url) == (302, "/admin/people/import/")
