"""The administrator groups: Chinese names, and the migration that renamed the English
ones of an existing installation without losing members or permissions."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group

from lms.accounts.groups import GROUP_PERMISSIONS, ensure_admin_groups
from tests.people.factories import AdminFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module(
    "lms.accounts.migrations.0003_admin_group_names_in_chinese"
)


def test_groups_are_named_in_chinese_after_migrate():
    assert set(GROUP_PERMISSIONS) == {
        "市级管理员",
        "区级管理员",
        "街道管理员",
        "社区管理员",
    }
    assert set(GROUP_PERMISSIONS) <= set(Group.objects.values_list("name", flat=True))


def test_the_rename_keeps_members_and_permissions(tree):
    group = Group.objects.get(name="区级管理员")
    permissions = set(group.permissions.all())
    admin = AdminFactory(org=tree["district1"])
    admin.groups.add(group)
    migration.backwards(apps, None)
    group.refresh_from_db()
    assert group.name == "District administrators"
    migration.forwards(apps, None)
    group.refresh_from_db()
    assert group.name == "区级管理员"
    assert set(group.permissions.all()) == permissions
    assert list(admin.groups.all()) == [group]
    ensure_admin_groups()  # after migrate: nothing new is created
    assert Group.objects.filter(name__endswith="administrators").count() == 0
