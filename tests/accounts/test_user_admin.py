"""The Wagtail user editor carries role and organisation; a non-superuser manages only
the accounts of their own subtree and grants nothing above themselves; account
creation and deletion, and a group's page and collection permissions, are audited."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import translation
from wagtail.models import Collection, GroupPagePermission, Page

from api.audit_detail import detail_text
from lms.accounts.models import AuditAction, AuditLog, Role, User
from tests.people.factories import AdminFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Wide-Open-Spaces-2031"


def _group(name: str) -> Group:
    return Group.objects.get(name=name)


@pytest.fixture
def city_admin(tree):
    admin = AdminFactory(username="cityadmin", org=tree["city"])
    admin.groups.add(_group("市级管理员"))
    return admin


@pytest.fixture
def district_admin(tree):
    admin = AdminFactory(username="d1admin", org=tree["district1"])
    admin.groups.add(_group("区级管理员"))
    return admin


@pytest.fixture
def superuser(tree):
    return AdminFactory(username="root", org=tree["city"], is_superuser=True)


def _since() -> int:
    last = AuditLog.objects.order_by("-id").first()
    return last.pk if last else 0


def _changes(since: int) -> list[AuditLog]:
    return list(
        AuditLog.objects.filter(
            action=AuditAction.PERMISSION_CHANGE, pk__gt=since
        ).order_by("id")
    )


def _create_data(**overrides):
    data = {
        "username": "newadmin",
        "email": "new@example.cn",
        "first_name": "新",
        "last_name": "管理员",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "role": Role.ADMIN,
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def _edit_data(user, **overrides):
    data = {
        "username": user.username,
        "email": user.email or f"{user.username}@example.cn",
        "first_name": user.first_name or "测",
        "last_name": user.last_name or "试",
        "role": user.role,
        "org": user.org_id,
        "is_active": "on",
        "groups": [g.pk for g in user.groups.all()],
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- Creating administrators -----------------------------------------------------------


def test_city_admin_creates_a_district_admin_with_role_org_and_group(
    client, tree, city_admin
):
    """The create view saves role, organisation and group; the audit log records the
    new account's role and organisation, by the city administrator."""
    client.force_login(city_admin)
    page = client.get("/admin/users/new/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="role"' in html and 'name="org"' in html
    assert 'name="is_superuser"' not in html
    since = _since()
    district = _group("区级管理员")
    response = client.post(
        "/admin/users/new/",
        _create_data(org=tree["district1"].pk, groups=[district.pk]),
    )
    assert response.status_code == 302, response.context["form"].errors
    user = User.objects.get(username="newadmin")
    assert (user.role, user.org, user.is_staff, user.is_superuser) == (
        Role.ADMIN,
        tree["district1"],
        True,  # administrators are staff: the portal sends them to the admin
        False,
    )
    assert list(user.groups.all()) == [district]
    created, grouped = _changes(since)
    assert created.actor == city_admin and created.target_id == str(user.pk)
    assert created.detail == {
        "change": "user_created",
        "role": "admin",
        "org": f"{tree['district1'].name} (#{tree['district1'].pk})",
        "is_staff": True,
        "is_superuser": False,
        "is_active": True,
    }
    assert grouped.detail == {
        "change": "user_groups",
        "op": "added",
        "items": ["区级管理员"],
    }


def test_an_administrator_without_an_organisation_is_refused(client, superuser):
    client.force_login(superuser)
    response = client.post("/admin/users/new/", _create_data())
    assert response.status_code == 200
    assert response.context["form"].errors["org"] == ["管理员须指定其管理的组织。"]
    assert not User.objects.filter(username="newadmin").exists()


def test_district_admin_is_offered_only_their_subtree_and_no_superuser_box(
    client, tree, district_admin
):
    client.force_login(district_admin)
    page = client.get("/admin/users/new/")
    form = page.context["form"]
    assert "is_superuser" not in form.fields
    # the organisation is picked in the chooser, not from a select of the subtree
    assert 'id="id_org-chooser"' in page.content.decode()
    assert set(form.fields["org"].queryset) == {
        tree[k] for k in ("district1", "street1", "community11", "community12")
    }
    assert form.fields["org"].required
    assert [value for value, _label in form.fields["role"].choices] == [
        "worker",
        "trainer",
        "admin",
    ]
    # Groups that grant no more than a district administrator holds.
    assert {g.name for g in form.fields["groups"].queryset} >= {
        "区级管理员",
        "街道管理员",
        "社区管理员",
    }
    assert "市级管理员" not in {g.name for g in form.fields["groups"].queryset}


def test_district_admin_cannot_place_a_user_in_another_district(
    client, tree, district_admin
):
    client.force_login(district_admin)
    response = client.post("/admin/users/new/", _create_data(org=tree["district2"].pk))
    assert response.status_code == 200
    assert "org" in response.context["form"].errors
    response = client.post("/admin/users/new/", _create_data(org=tree["city"].pk))
    assert "org" in response.context["form"].errors
    assert not User.objects.filter(username="newadmin").exists()


def test_district_admin_cannot_grant_superuser_or_a_city_group(
    client, tree, district_admin
):
    """A posted is_superuser is ignored; a group above the actor is not a choice."""
    client.force_login(district_admin)
    city = _group("市级管理员")
    response = client.post(
        "/admin/users/new/",
        _create_data(org=tree["street1"].pk, is_superuser="on", groups=[city.pk]),
    )
    assert response.status_code == 200
    assert "groups" in response.context["form"].errors
    response = client.post(
        "/admin/users/new/",
        _create_data(org=tree["street1"].pk, is_superuser="on"),
    )
    assert response.status_code == 302, response.context["form"].errors
    user = User.objects.get(username="newadmin")
    assert user.is_superuser is False and user.org == tree["street1"]


def test_district_admin_makes_a_peer_of_their_own_district(
    client, tree, district_admin
):
    """Equal or below: the actor's own node is a choice."""
    client.force_login(district_admin)
    response = client.post("/admin/users/new/", _create_data(org=tree["district1"].pk))
    assert response.status_code == 302, response.context["form"].errors
    assert User.objects.get(username="newadmin").org == tree["district1"]


def test_street_admin_cannot_reach_the_user_editor(client, tree):
    street = AdminFactory(username="s1admin", org=tree["street1"])
    street.groups.add(_group("街道管理员"))
    client.force_login(street)
    assert client.get("/admin/users/").status_code == 302  # to the dashboard
    assert client.get("/admin/users/new/").status_code == 302
    assert not User.objects.filter(username="newadmin").exists()


# --- Scope of the listing, edit and delete views ---------------------------------------


def test_district_admin_lists_and_edits_only_their_subtree(
    client, tree, district_admin, superuser
):
    mine = AdminFactory(username="mine-street", org=tree["street1"])
    theirs = AdminFactory(username="other-street", org=tree["street2"])
    orphan = UserFactory(username="no-org")
    client.force_login(district_admin)
    listing = client.get("/admin/users/")
    assert listing.status_code == 200
    listed = {u.username for u in listing.context["users"]}
    assert listed == {"d1admin", "mine-street"}
    for user in (theirs, superuser, orphan):
        assert client.get(f"/admin/users/edit/{user.pk}/").status_code == 404
        assert client.get(f"/admin/users/delete/{user.pk}/").status_code == 404
        assert client.post(f"/admin/users/delete/{user.pk}/").status_code == 404
        assert client.get(f"/admin/users/history/{user.pk}/").status_code == 404
        assert client.get(f"/admin/users/usage/{user.pk}/").status_code == 404
    assert client.get(f"/admin/users/edit/{mine.pk}/").status_code == 200
    response = client.post(
        f"/admin/users/edit/{mine.pk}/",
        _edit_data(mine, org=tree["district2"].pk),
    )
    assert response.status_code == 200 and "org" in response.context["form"].errors
    mine.refresh_from_db()
    assert mine.org == tree["street1"]


def test_the_listing_filters_by_organisation_within_the_scope(
    client, tree, city_admin, district_admin
):
    AdminFactory(username="street-two", org=tree["street2"])
    AdminFactory(username="community-one", org=tree["community11"])
    client.force_login(city_admin)
    listing = client.get("/admin/users/", {"org": tree["district1"].pk})
    assert {u.username for u in listing.context["users"]} == {
        "d1admin",
        "community-one",
    }
    # a district administrator is offered only the nodes of their own subtree
    client.force_login(district_admin)
    listing = client.get("/admin/users/")
    offered = set(listing.context["filters"].form.fields["org"].queryset)
    assert offered == {tree["district1"], tree["street1"]}  # no communities
    refused = client.get("/admin/users/", {"org": tree["district2"].pk})
    assert "org" in refused.context["filters"].errors


def test_editing_keeps_groups_the_actor_cannot_grant(client, tree, district_admin):
    """A district administrator editing a user of their district cannot take away a
    city group they could not have given (nor is it offered)."""
    user = AdminFactory(username="promoted", org=tree["street1"])
    city = _group("市级管理员")
    user.groups.add(city)
    client.force_login(district_admin)
    since = _since()
    response = client.post(
        f"/admin/users/edit/{user.pk}/",
        _edit_data(user, groups=[], org=tree["community11"].pk),
    )
    assert response.status_code == 302, response.context["form"].errors
    assert list(user.groups.all()) == [city]
    [entry] = _changes(since)
    assert entry.detail["change"] == "user_fields" and set(entry.detail) == {
        "change",
        "org",
    }


def test_demoting_an_administrator_withdraws_staff_status(client, tree, city_admin):
    user = AdminFactory(username="demoted", org=tree["street1"])
    client.force_login(city_admin)
    since = _since()
    response = client.post(
        f"/admin/users/edit/{user.pk}/", _edit_data(user, role=Role.WORKER)
    )
    assert response.status_code == 302, response.context["form"].errors
    user.refresh_from_db()
    assert (user.role, user.is_staff) == (Role.WORKER, False)
    [entry] = _changes(since)
    assert entry.detail == {
        "change": "user_fields",
        "role": {"old": "admin", "new": "worker"},
        "is_staff": {"old": True, "new": False},
    }


def test_an_administrator_does_not_change_their_own_role_or_org(
    client, tree, district_admin
):
    client.force_login(district_admin)
    url = f"/admin/users/edit/{district_admin.pk}/"
    form = client.get(url).context["form"]
    assert not {"role", "org", "is_superuser", "is_active"} & set(form.fields)
    response = client.post(
        url, _edit_data(district_admin, role=Role.WORKER, org=tree["street1"].pk)
    )
    assert response.status_code == 302, response.context["form"].errors
    district_admin.refresh_from_db()
    assert (district_admin.role, district_admin.org) == (Role.ADMIN, tree["district1"])
    assert district_admin.is_staff


def test_bulk_actions_keep_to_the_scope(client, tree, district_admin):
    mine = UserFactory(username="bulk-mine", org=tree["community11"])
    theirs = UserFactory(username="bulk-theirs", org=tree["community21"])
    client.force_login(district_admin)
    url = "/admin/bulk/accounts/user/set_active_state/?next=/admin/users/"
    response = client.post(
        f"{url}&id={mine.pk}&id={theirs.pk}", {"mark_as_active": "False"}
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.is_active, theirs.is_active) == (False, True)
    response = client.post(f"{url}&id={theirs.pk}", {"mark_as_active": "False"})
    assert response.status_code == 404
    city = _group("市级管理员")
    response = client.post(
        f"/admin/bulk/accounts/user/assign_role/?next=/admin/users/&id={mine.pk}",
        {"role": city.pk},
    )
    assert response.status_code == 200  # not a choice
    assert not mine.groups.exists()


# --- Deletion is audited ---------------------------------------------------------------


def test_deleting_a_user_in_the_wagtail_editor_is_recorded(client, tree, city_admin):
    user = AdminFactory(username="leaving", org=tree["street2"])
    user.groups.add(_group("街道管理员"))
    client.force_login(city_admin)
    since = _since()
    response = client.post(f"/admin/users/delete/{user.pk}/")
    assert response.status_code == 302
    assert not User.objects.filter(pk=user.pk).exists()
    [entry] = _changes(since)
    assert entry.actor == city_admin and entry.target_id == str(user.pk)
    assert entry.detail == {
        "change": "user_deleted",
        "username": "leaving",
        "role": "admin",
        "org": f"{tree['street2'].name} (#{tree['street2'].pk})",
        "is_staff": True,
        "is_superuser": False,
        "is_active": True,
        "groups": ["街道管理员"],
    }
    with translation.override("zh-hans"):
        assert detail_text(entry.detail).startswith("删除用户账户 · 用户名: leaving")


def test_bulk_deletion_is_recorded_and_an_id_number_username_is_masked(
    client, tree, city_admin
):
    user = UserFactory(username="510104198805170023", org=tree["community11"])
    client.force_login(city_admin)
    since = _since()
    response = client.post(
        f"/admin/bulk/accounts/user/delete/?next=/admin/users/&id={user.pk}"
    )
    assert response.status_code == 302
    [entry] = _changes(since)
    assert entry.detail["change"] == "user_deleted"
    assert entry.detail["username"] == "510104********0023"
    assert "510104198805170023" not in str(entry.detail)


def test_deleting_an_account_named_in_the_audit_log_is_refused_politely(
    client, tree, city_admin, district_admin
):
    AuditLog.objects.create(actor=district_admin, action=AuditAction.EXPORT)
    client.force_login(city_admin)
    response = client.post(f"/admin/users/delete/{district_admin.pk}/")
    assert response.status_code == 302
    assert response.url == f"/admin/users/edit/{district_admin.pk}/"
    assert User.objects.filter(pk=district_admin.pk).exists()


# --- A group's page and collection permissions -----------------------------------------


def _group_data(client, url, **data):
    """The group editor's form with its permission panels as they stand (management
    forms and the current rows), then `data` on top."""
    page = client.get(url)
    assert page.status_code == 200
    current = {}
    for panel in page.context["permission_panels"]:
        management = panel.management_form
        for name, field in management.fields.items():
            value = management.initial.get(name, field.initial)
            current[f"{panel.prefix}-{name}"] = 0 if value is None else value
        for form in panel.forms:
            for name, value in form.initial.items():
                key = f"{form.prefix}-{name}"
                if name == "permissions":
                    to_field = form.fields[name].to_field_name or "pk"
                    current[key] = [getattr(p, to_field) for p in value]
                else:
                    current[key] = getattr(value, "pk", value)
    return {**current, **data}


def test_group_page_and_collection_permission_changes_are_recorded(client, superuser):
    root_page = Page.objects.get(depth=1)
    collection = Collection.get_first_root_node()
    group = Group.objects.create(name="Course reviewers")
    client.force_login(superuser)
    url = f"/admin/groups/edit/{group.pk}/"
    since = _since()
    data = _group_data(client, url, name="Course reviewers")
    data.update(
        {
            "page_permissions-TOTAL_FORMS": 1,
            "page_permissions-0-page": root_page.pk,
            "page_permissions-0-permissions": ["add_page", "publish_page"],
        }
    )
    collection_prefix = "image_permissions"
    add_image = Permission.objects.get(
        content_type__app_label="wagtailimages", codename="add_image"
    )
    data.update(
        {
            f"{collection_prefix}-TOTAL_FORMS": 1,
            f"{collection_prefix}-0-collection": collection.pk,
            f"{collection_prefix}-0-permissions": [add_image.pk],
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert GroupPagePermission.objects.filter(group=group).count() == 2
    entries = _changes(since)
    assert [(e.actor, e.target_id) for e in entries] == [(superuser, str(group.pk))] * 2
    page_label = f"{root_page.title} (#{root_page.pk})"
    assert [e.detail for e in entries] == [
        {
            "change": "group_page_permissions",
            "op": "added",
            "items": [
                f"{page_label}: wagtailcore.add_page",
                f"{page_label}: wagtailcore.publish_page",
            ],
        },
        {
            "change": "group_collection_permissions",
            "op": "added",
            "items": [f"{collection.name} (#{collection.pk}): wagtailimages.add_image"],
        },
    ]
    with translation.override("zh-hans"):
        assert detail_text(entries[0].detail).startswith("组页面权限 · 添加: ")

    # Taking publishing away again.
    since = _since()
    data = _group_data(client, url, name="Course reviewers")
    data["page_permissions-0-permissions"] = ["add_page"]
    response = client.post(url, data)
    assert response.status_code == 302
    [entry] = _changes(since)
    assert entry.detail == {
        "change": "group_page_permissions",
        "op": "removed",
        "items": [f"{page_label}: wagtailcore.publish_page"],
    }


def test_an_unchanged_group_save_writes_nothing(client, superuser):
    group = Group.objects.create(name="Quiet")
    GroupPagePermission.objects.create(
        group=group,
        page=Page.objects.get(depth=1),
        permission=Permission.objects.get(
            content_type__app_label="wagtailcore", codename="add_page"
        ),
    )
    client.force_login(superuser)
    url = f"/admin/groups/edit/{group.pk}/"
    data = _group_data(client, url, name="Quiet")
    assert data["page_permissions-0-permissions"] == ["add_page"]
    since = _since()
    assert client.post(url, data).status_code == 302
    assert _changes(since) == []


def test_the_listing_sends_no_address_to_gravatar(client, tree, city_admin):
    AdminFactory(username="with-mail", org=tree["street1"], email="a@example.cn")
    client.force_login(city_admin)
    assert "gravatar" not in client.get("/admin/users/").content.decode()


# --- Finding accounts ------------------------------------------------------------------


def test_users_lists_workers_accounts_of_the_subtree_found_by_name(
    client, tree, district_admin
):
    """Workers' accounts (no organisation of their own) are listed by their
    community, found by the worker's name, with the ID number masked."""
    import datetime as dt

    from tests.people.factories import WorkerFactory, valid_id_number

    full_id = valid_id_number(dt.date(1990, 2, 3), "F")
    mine = WorkerFactory(
        community=tree["community11"],
        name="王丽娟",
        id_number=full_id,
        user=UserFactory(username="wang-lijuan"),
    )
    WorkerFactory(
        community=tree["community21"],
        name="王建国",
        user=UserFactory(username="wang-jianguo"),
    )
    AdminFactory(username="st1", org=tree["street1"], last_name="陈", first_name="静")
    client.force_login(district_admin)
    listing = client.get("/admin/users/").content.decode()
    assert "wang-lijuan" in listing and "王丽娟" in listing
    assert "wang-jianguo" not in listing
    assert mine.id_number_masked in listing and full_id not in listing
    found = client.get("/admin/users/", {"q": "王"}).content.decode()
    assert "王丽娟" in found and "王建国" not in found and "st1" not in found
    found = client.get("/admin/users/", {"q": "陈静"}).content.decode()
    assert "st1" in found and "wang-lijuan" not in found
    within = client.get("/admin/users/", {"org": tree["street1"].pk}).content.decode()
    assert "wang-lijuan" in within
    assert client.get(f"/admin/users/edit/{mine.user.pk}/").status_code == 200
    other = User.objects.get(username="wang-jianguo")
    assert client.get(f"/admin/users/edit/{other.pk}/").status_code == 404


def test_users_listing_reads_a_fixed_number_of_queries(
    client, tree, district_admin, django_assert_max_num_queries
):
    from tests.people.factories import WorkerFactory

    client.force_login(district_admin)
    WorkerFactory(community=tree["community11"])
    client.get("/admin/users/")  # warm the caches
    with django_assert_max_num_queries(25) as small:
        client.get("/admin/users/")
    for _ in range(15):
        WorkerFactory(community=tree["community12"])
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/admin/users/")
