"""One time zone: an event at 01:30 UTC reads 09:30 (Asia/Shanghai) on every page
and in every export that shows it, never 01:30."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from lms.accounts.exports import write_table
from lms.accounts.models import AuditAction
from lms.accounts.services import audit_log_write
from lms.training.models import Enrolment
from tests.people.factories import AdminFactory, WorkerFactory
from tests.training.factories import TrainingClassFactory
from tests.training.test_admin import _admin

pytestmark = pytest.mark.django_db

EVENT = dt.datetime(2026, 11, 18, 1, 30, tzinfo=dt.UTC)


@pytest.fixture
def event(frozen_now, tree, time_machine):
    """A class whose enrolment closes, an enrolment made and an audit entry
    written, all at EVENT."""
    time_machine.move_to(EVENT, tick=False)
    klass = TrainingClassFactory(
        organiser=tree["district1"],
        enrol_opens=EVENT - dt.timedelta(days=3),
        enrol_closes=EVENT,
    )
    worker = WorkerFactory(community=tree["community11"], name="王丽娟")
    Enrolment.objects.create(
        training_class=klass, worker=worker, status="enrolled", requested_at=EVENT
    )
    admin = AdminFactory(org=tree["city"], username="auditor", is_superuser=True)
    audit_log_write(actor=admin, action=AuditAction.EXPORT, detail={"kind": "x"})
    time_machine.move_to(frozen_now, tick=False)
    return {"class": klass, "worker": worker, "admin": admin}


def _shows_beijing_time(text: str) -> None:
    assert "09:30" in text and "01:30" not in text


def test_pages_show_beijing_time(client, tree, event):
    client.force_login(event["worker"].user)
    _shows_beijing_time(
        client.get(f"/training/class/{event['class'].pk}/").content.decode()
    )
    client.force_login(_admin(tree["district1"], "区级管理员"))
    _shows_beijing_time(client.get("/admin/training_enrolments/").content.decode())
    client.force_login(event["admin"])
    log = client.get("/admin/security/audit-log/", {"action": "export"})
    _shows_beijing_time(log.content.decode())


def test_exports_write_beijing_time(client, tree, event):
    client.force_login(_admin(tree["district1"], "区级管理员"))
    csv = client.get("/admin/training_enrolments/", {"export": "csv"})
    _shows_beijing_time(b"".join(csv.streaming_content).decode("utf-8-sig"))
    xlsx = client.get("/admin/training_enrolments/", {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    values = [v for row in sheet.iter_rows(values_only=True) for v in row]
    assert dt.datetime(2026, 11, 18, 9, 30) in values
    client.force_login(event["admin"])
    audit = client.get(
        "/admin/security/audit-log/", {"action": "export", "export": "csv"}
    )
    _shows_beijing_time(audit.content.decode("utf-8-sig"))


def test_write_table_writes_local_wall_clock_time():
    csv = write_table("csv", ["t"], [[EVENT]]).decode("utf-8-sig")
    _shows_beijing_time(csv)
    sheet = load_workbook(io.BytesIO(write_table("xlsx", ["t"], [[EVENT]]))).active
    assert sheet["A2"].value == dt.datetime(2026, 11, 18, 9, 30)
