"""The audit log: permission changes are written, city administrators read and
export it (CSV/XLSX) in the admin, the export itself is logged."""

import io

import pytest
from django.contrib.auth.models import Group, Permission

from lms.accounts.models import AuditAction, AuditLog
from lms.accounts.services import audit_log_write
from lms.training.services import credit_entry_reverse
from tests.api.factories import credit
from tests.people.factories import UserFactory

pytestmark = pytest.mark.django_db


def _perm(label: str) -> Permission:
    app, codename = label.split(".")
    return Permission.objects.get(content_type__app_label=app, codename=codename)


def _new_permission_changes(since: int):
    """Additions and removals only (creating a group is audited too, see
    tests/accounts/test_permission_audit.py)."""
    return AuditLog.objects.filter(
        action=AuditAction.PERMISSION_CHANGE, pk__gt=since, detail__has_key="op"
    ).order_by("id")


def _last_id() -> int:
    last = AuditLog.objects.order_by("-id").first()
    return last.pk if last else 0


def test_group_permission_changes_are_audited():
    since = _last_id()
    group = Group.objects.create(name="Auditors")
    group.permissions.add(_perm("people.view_worker"), _perm("people.unmask_id_number"))
    group.permissions.remove(_perm("people.unmask_id_number"))
    entries = list(_new_permission_changes(since))
    assert [(e.target_id, e.detail["op"], e.detail["items"]) for e in entries] == [
        (
            str(group.pk),
            "added",
            ["people.unmask_id_number", "people.view_worker"],
        ),
        (str(group.pk), "removed", ["people.unmask_id_number"]),
    ]


def test_user_group_and_permission_changes_are_audited():
    user = UserFactory()
    since = _last_id()
    group = Group.objects.create(name="Reviewers")
    user.groups.add(group)
    user.user_permissions.add(_perm("people.view_worker"))
    group.user_set.remove(user)  # the reverse side is audited too
    details = [
        (e.target_type, e.detail["change"], e.detail["op"], e.detail["items"])
        for e in _new_permission_changes(since)
    ]
    assert details == [
        ("accounts.user", "user_groups", "added", ["Reviewers"]),
        ("accounts.user", "user_permissions", "added", ["people.view_worker"]),
        ("accounts.user", "user_groups", "removed", ["Reviewers"]),
    ]


def test_adding_nothing_new_is_not_audited():
    group = Group.objects.create(name="Same")
    group.permissions.add(_perm("people.view_worker"))
    before = AuditLog.objects.count()
    group.permissions.add(_perm("people.view_worker"))
    assert AuditLog.objects.count() == before


def test_ledger_reversal_is_audited(city_adm, people):
    """The training app's reversal writes LEDGER_ADJUST (checked, not re-implemented)."""
    entry = credit(people["community11"][0], key="audit-check")
    credit_entry_reverse(entry=entry, reason="重复登记", actor=city_adm)
    logged = AuditLog.objects.get(action=AuditAction.LEDGER_ADJUST)
    assert logged.actor == city_adm and logged.target_id == str(entry.pk)


def test_city_admin_reads_and_filters_the_log(client, city_adm, d1_admin):
    audit_log_write(
        actor=d1_admin, action=AuditAction.UNMASK, detail={"field": "id_number"}
    )
    audit_log_write(actor=city_adm, action=AuditAction.EXPORT, detail={"kind": "x"})
    client.force_login(city_adm)
    response = client.get("/admin/security/audit-log/", {"action": "unmask"})
    assert response.status_code == 200
    page = response.context["page"]
    assert [e.action for e in page] == ["unmask"]
    assert [e.actor.username for e in page] == ["d1api"]
    by_actor = client.get("/admin/security/audit-log/", {"actor": "cityapi"})
    assert {e.actor.username for e in by_actor.context["page"]} == {"cityapi"}


def test_export_csv_and_xlsx_are_logged(client, city_adm, d1_admin):
    from openpyxl import load_workbook

    audit_log_write(
        actor=d1_admin, action=AuditAction.UNMASK, detail={"field": "id_number"}
    )
    client.force_login(city_adm)
    csv = client.get(
        "/admin/security/audit-log/", {"action": "unmask", "export": "csv"}
    )
    assert csv.status_code == 200
    assert csv["Content-Type"].startswith("text/csv")
    lines = csv.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 2 and "d1api" in lines[1] and "field=id_number" in lines[1]
    xlsx = client.get("/admin/security/audit-log/", {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) >= 3  # header, the unmask, the CSV export's own entry
    exports = AuditLog.objects.filter(action=AuditAction.EXPORT, actor=city_adm)
    assert [e.detail["format"] for e in exports.order_by("id")] == ["csv", "xlsx"]
    assert exports.order_by("id").first().detail["filters"] == {"action": "unmask"}


def test_district_admin_cannot_read_the_log(client, d1_admin):
    client.force_login(d1_admin)
    response = client.get("/admin/security/audit-log/")
    assert response.status_code in (302, 403)
    assert not AuditLog.objects.filter(action=AuditAction.EXPORT).exists()


def test_bad_filter_input_changes_nothing(client, city_adm):
    client.force_login(city_adm)
    response = client.get("/admin/security/audit-log/", {"date_from": "2025-99-99"})
    assert response.status_code == 200
    assert response.context["form"].errors
