"""The administrator groups get the Chinese names the training office reads."""

from django.db import migrations

NAMES = {
    "City administrators": "市级管理员",
    "District administrators": "区级管理员",
    "Street administrators": "街道管理员",
    "Community administrators": "社区管理员",
}


def rename(apps, names: dict) -> None:
    Group = apps.get_model("auth", "Group")
    for old, new in names.items():
        if not Group.objects.filter(name=new).exists():
            Group.objects.filter(name=old).update(name=new)


def forwards(apps, schema_editor):
    rename(apps, NAMES)


def backwards(apps, schema_editor):
    rename(apps, {new: old for old, new in NAMES.items()})


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_auditlog_append_only"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
