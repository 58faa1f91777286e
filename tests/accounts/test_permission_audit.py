"""Permission changes are audited: a user's role, organisation and status flags, their
groups and own permissions, and groups created, renamed, changed and deleted, from the
Wagtail admin or code; the actor is the signed-in user of the request, else None."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import RequestFactory
from django.utils import translation

from api.audit_detail import detail_text
from lms.accounts.middleware import CurrentRequestMiddleware
from lms.accounts.models import AuditAction, AuditLog, Role
from tests.people.factories import AdminFactory, UserFactory

pytestmark = pytest.mark.django_db


def _last_id() -> int:
    last = AuditLog.objects.order_by("-id").first()
    return last.pk if last else 0


def _changes(since: int):
    return list(
        AuditLog.objects.filter(
            action=AuditAction.PERMISSION_CHANGE, pk__gt=since
        ).order_by("id")
    )


def _perm(label: str) -> Permission:
    app, codename = label.split(".")
    return Permission.objects.get(content_type__app_label=app, codename=codename)


def _in_request(actor, change):
    """Run `change` inside a request served by `actor`, as a view would."""
    request = RequestFactory().post("/somewhere/", REMOTE_ADDR="10.1.2.3")
    request.user = actor
    CurrentRequestMiddleware(lambda r: change())(request)


@pytest.fixture
def superuser(tree):
    return AdminFactory(username="root", org=tree["city"], is_superuser=True)


def _user_edit_data(user, **overrides):
    data = {
        "username": user.username,
        "email": user.email or f"{user.username}@example.cn",
        "first_name": user.first_name or "测",
        "last_name": user.last_name or "试",
        "password1": "",
        "password2": "",
        "groups": [g.pk for g in user.groups.all()],
        "role": user.role,  # the editor carries role and organisation
        "org": user.org_id,
    }
    if user.is_active:
        data["is_active"] = "on"
    if user.is_superuser:
        data["is_superuser"] = "on"
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- A user's fields -------------------------------------------------------------------


def test_role_and_org_change_records_actor_and_old_and_new(tree, superuser):
    user = UserFactory(username="zhou")
    since = _last_id()

    def promote():
        user.role = Role.ADMIN
        user.org = tree["district1"]
        user.is_staff = True
        user.save()

    _in_request(superuser, promote)
    [entry] = _changes(since)
    assert entry.actor == superuser
    assert entry.ip_address == "10.1.2.3"
    assert (entry.target_type, entry.target_id) == ("accounts.user", str(user.pk))
    district = tree["district1"]
    assert entry.detail == {
        "change": "user_fields",
        "role": {"old": "worker", "new": "admin"},
        "org": {"old": None, "new": f"{district.name} (#{district.pk})"},
        "is_staff": {"old": False, "new": True},
    }
    with translation.override("zh-hans"):
        text = detail_text(entry.detail)
    assert text.startswith("用户账户变更 · 角色: 社区工作者 → 管理员; 组织: — → ")
    with translation.override("en"):
        text = detail_text(entry.detail)
    assert "role: Community worker → Administrator" in text


def test_change_outside_a_request_is_recorded_as_system(tree):
    user = AdminFactory(username="sun", org=tree["district1"])
    since = _last_id()
    user.org = tree["district2"]
    user.save(update_fields=["org"])
    [entry] = _changes(since)
    assert entry.actor is None and entry.ip_address is None
    assert entry.detail["org"]["old"].startswith(tree["district1"].name)
    assert entry.detail["org"]["new"].startswith(tree["district2"].name)


def test_active_and_superuser_changed_in_the_wagtail_user_editor(
    client, superuser, tree
):
    user = AdminFactory(username="qian", org=tree["district1"])
    client.force_login(superuser)
    since = _last_id()
    response = client.post(
        f"/admin/users/edit/{user.pk}/",
        _user_edit_data(user, is_active=None, is_superuser="on"),
    )
    assert response.status_code == 302, response.context["form"].errors
    [entry] = _changes(since)
    assert entry.actor == superuser
    assert entry.ip_address == "127.0.0.1"
    assert entry.target_id == str(user.pk)
    assert entry.detail == {
        "change": "user_fields",
        "is_superuser": {"old": False, "new": True},
        "is_active": {"old": True, "new": False},
    }


def test_privileged_account_creation_is_recorded_and_a_workers_is_not(tree):
    since = _last_id()
    UserFactory(username="worker-only")
    admin = AdminFactory(username="new-admin", org=tree["street1"])
    [entry] = _changes(since)
    assert entry.target_id == str(admin.pk)
    assert entry.detail["change"] == "user_created"
    assert entry.detail["role"] == "admin" and entry.detail["is_staff"] is True
    assert entry.detail["org"] == f"{tree['street1'].name} (#{tree['street1'].pk})"


def test_sign_in_password_and_ordinary_fields_are_not_permission_changes(client):
    user = UserFactory(username="li")
    since = _last_id()
    client.post(
        "/accounts/login/", {"username": "li", "password": "pass-for-tests-123"}
    )
    user.refresh_from_db()
    assert user.last_login is not None  # the sign-in wrote last_login
    user.set_password("another-pass-for-tests-456")
    user.first_name = "力"
    user.save()
    assert _changes(since) == []
    assert AuditLog.objects.filter(action=AuditAction.SIGN_IN, pk__gt=since).exists()


def test_bulk_set_inactive_in_wagtail_is_recorded(client, superuser, tree):
    users = [UserFactory(username=f"bulk{i}") for i in range(2)]
    users[1].is_active = False
    users[1].save()
    client.force_login(superuser)
    since = _last_id()
    query = "&".join(f"id={u.pk}" for u in users)
    response = client.post(
        f"/admin/bulk/accounts/user/set_active_state/?next=/admin/users/&{query}",
        {"mark_as_active": "False"},
    )
    assert response.status_code == 302
    assert not any(
        u.is_active for u in type(users[0]).objects.filter(pk__in=[u.pk for u in users])
    )
    [entry] = _changes(since)  # the second user was already inactive
    assert entry.target_id == str(users[0].pk) and entry.actor == superuser
    assert entry.detail == {
        "change": "user_fields",
        "is_active": {"old": True, "new": False},
    }


# --- Groups of a user ------------------------------------------------------------------


def test_group_added_and_removed_in_the_wagtail_user_editor(client, superuser, tree):
    user = AdminFactory(username="wu", org=tree["district1"])
    district = Group.objects.get(name="区级管理员")
    street = Group.objects.get(name="街道管理员")
    user.groups.add(street)
    client.force_login(superuser)
    since = _last_id()
    response = client.post(
        f"/admin/users/edit/{user.pk}/", _user_edit_data(user, groups=[district.pk])
    )
    assert response.status_code == 302, response.context["form"].errors
    entries = _changes(since)
    assert [(e.actor, e.target_id) for e in entries] == [(superuser, str(user.pk))] * 2
    assert sorted((e.detail["op"], tuple(e.detail["items"])) for e in entries) == [
        ("added", ("区级管理员",)),
        ("removed", ("街道管理员",)),
    ]
    with translation.override("zh-hans"):
        assert detail_text(entries[0].detail).startswith("用户所属组 · ")


def test_clearing_groups_names_what_was_removed(tree):
    users = [UserFactory(username=f"clear{i}") for i in range(2)]
    group = Group.objects.create(name="Clearable")
    other = Group.objects.create(name="Other")
    for user in users:
        user.groups.add(group)
    users[0].groups.add(other)
    since = _last_id()
    users[0].groups.clear()
    group.user_set.clear()  # from the group's side: one entry per former member
    entries = [
        (e.target_id, e.detail["op"], e.detail["items"]) for e in _changes(since)
    ]
    assert entries == [
        (str(users[0].pk), "cleared", ["Clearable", "Other"]),
        (str(users[1].pk), "cleared", ["Clearable"]),
    ]


# --- Groups ----------------------------------------------------------------------------


def _group_form_data(client, url, **data):
    """The group editor's form with its permission panels left empty."""
    page = client.get(url)
    assert page.status_code == 200
    for panel in page.context["permission_panels"]:
        management = panel.management_form
        for name, field in management.fields.items():
            value = management.initial.get(name, field.initial)
            data[f"{panel.prefix}-{name}"] = 0 if value is None else value
    return data


def test_group_created_changed_renamed_and_deleted_in_the_wagtail_editor(
    client, superuser
):
    client.force_login(superuser)
    view_worker, unmask = _perm("people.view_worker"), _perm("people.unmask_id_number")
    since = _last_id()
    response = client.post(
        "/admin/groups/new/",
        _group_form_data(
            client, "/admin/groups/new/", name="Auditors", permissions=[view_worker.pk]
        ),
    )
    assert response.status_code == 302
    group = Group.objects.get(name="Auditors")
    url = f"/admin/groups/edit/{group.pk}/"
    response = client.post(
        url,
        _group_form_data(client, url, name="Inspectors", permissions=[unmask.pk]),
    )
    assert response.status_code == 302
    user = UserFactory(username="member")
    user.groups.add(group)
    before_delete = _last_id()
    response = client.post(f"/admin/groups/delete/{group.pk}/")
    assert response.status_code == 302
    assert not Group.objects.filter(pk=group.pk).exists()

    entries = _changes(since)
    # Only the membership added in code (outside a request) has no actor.
    assert [(e.detail["change"], e.target_id) for e in entries if e.actor is None] == [
        ("user_groups", str(user.pk))
    ]
    assert entries[-1].pk > before_delete
    details = [e.detail for e in entries if e.target_type == "auth.group" and e.actor]
    assert details == [
        {"change": "group_created", "name": "Auditors"},
        {
            "change": "group_permissions",
            "op": "added",
            "items": ["people.view_worker"],
        },
        {
            "change": "group_renamed",
            "name": {"old": "Auditors", "new": "Inspectors"},
        },
        {
            "change": "group_permissions",
            "op": "removed",
            "items": ["people.view_worker"],
        },
        {
            "change": "group_permissions",
            "op": "added",
            "items": ["people.unmask_id_number"],
        },
        {
            "change": "group_deleted",
            "name": "Inspectors",
            "member_count": 1,
            "members": ["member"],
            "permissions": ["people.unmask_id_number"],
        },
    ]
    assert all(e.target_id == str(group.pk) for e in entries if e.actor)
    with translation.override("zh-hans"):
        assert detail_text(details[-1]) == (
            "删除组 · 名称: Inspectors; 成员数: 1; 成员: member; "
            "权限: people.unmask_id_number"
        )


# --- The audit-log admin shows them ----------------------------------------------------


def test_audit_log_admin_lists_and_exports_permission_changes(client, superuser, tree):
    user = UserFactory(username="zheng")

    def promote():
        user.role = Role.TRAINER
        user.save()

    _in_request(superuser, promote)
    client.force_login(superuser)
    response = client.get("/admin/security/audit-log/", {"action": "permission_change"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "变更权限" in html
    assert "用户账户变更 · 角色: 社区工作者 → 讲师" in html
    csv = client.get(
        "/admin/security/audit-log/",
        {"action": "permission_change", "export": "csv"},
    )
    text = csv.content.decode("utf-8-sig")
    assert "变更权限" in text and "角色: 社区工作者 → 讲师" in text
