"""Sign-in lockout, health check, log masking and append-only tables."""

import logging

import pytest
from django.db import DatabaseError, connection, transaction

from lms.accounts.db import AppendOnlyError
from lms.accounts.logging import MaskIdNumbersFilter
from lms.accounts.models import AuditAction, AuditLog
from lms.accounts.services import audit_log_write
from tests.people.factories import UserFactory


def test_healthz_reports_database_and_broker(client, db, settings):
    settings.CELERY_BROKER_URL = "memory://"
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_repeated_failures_lock_the_account(client, db, settings):
    UserFactory(username="zhang")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "zhang", "password": "wrong"})
    response = client.post(
        "/accounts/login/", {"username": "zhang", "password": "pass-for-tests-123"}
    )
    assert response.status_code == 429
    assert "登录失败次数过多" in response.text
    assert AuditLog.objects.filter(action=AuditAction.SIGN_IN_FAILED).count() >= 5


def test_sign_in_is_audited(client, db):
    UserFactory(username="li")
    client.post(
        "/accounts/login/", {"username": "li", "password": "pass-for-tests-123"}
    )
    assert AuditLog.objects.filter(action=AuditAction.SIGN_IN).count() == 1


def test_log_lines_never_carry_a_full_id_number():
    record = logging.LogRecord(
        "x", logging.INFO, "", 0, "imported %s ok", ("11010519491231002X",), None
    )
    MaskIdNumbersFilter().filter(record)
    assert record.getMessage() == "imported 110105********002X ok"


def test_audit_log_refuses_update_and_delete(db):
    entry = audit_log_write(actor=None, action=AuditAction.EXPORT)
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditLog.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditLog.objects.update(detail={})
    with pytest.raises(DatabaseError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE accounts_auditlog SET target_id = 'x'")


def test_security_headers_on_portal_pages(client, db):
    response = client.get("/accounts/login/")
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
