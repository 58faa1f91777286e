"""Issuing, idempotence, eligibility reasons, revocation and reissue."""

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError

from certificates import claims, rules, selectors, services
from certificates.models import (
    Certificate,
    CertificateEvent,
    CertificateStatus,
    EventAction,
)
from certificates.pdf import pdf_text
from lms.accounts.db import AppendOnlyError
from lms.accounts.models import AuditAction, AuditLog
from tests.people.factories import AdminFactory, WorkerFactory

from .factories import CertificateTemplateFactory

ON = dt.date(2026, 6, 1)


def test_issue_stores_pdf_with_serial_hash_event_and_audit(
    honour_certificate, veteran, district_admin
):
    """The PDF names the holder and carries the serial; its SHA-256 is kept; the
    issue is an event and an audit entry."""
    cert = honour_certificate
    rules.parse_serial(cert.serial)  # self-checking
    assert cert.serial.startswith("HR-")
    content = cert.file.read()
    assert hashlib.sha256(content).hexdigest() == cert.sha256
    text = pdf_text(content)
    assert "张晓明" in text
    assert cert.serial in text
    assert "20年" in text
    assert cert.holder_name == "张晓明"
    assert cert.status == CertificateStatus.VALID
    event = CertificateEvent.objects.get(certificate=cert)
    assert event.action == EventAction.ISSUE and event.actor == district_admin
    audit = AuditLog.objects.get(action=AuditAction.CERTIFICATE_ISSUE)
    assert audit.target_id == str(cert.pk) and audit.detail["serial"] == cert.serial


def test_issuing_twice_returns_the_same_certificate(
    tree, honour_certificate, veteran, district_admin
):
    """A second request for the same thing issues nothing new."""
    claim = claims.service_claim(veteran, years=20, issuer_org=tree["district1"], on=ON)
    again = services.certificate_issue(claim=claim, actor=district_admin)
    assert again.pk == honour_certificate.pk
    assert Certificate.objects.count() == 1
    assert AuditLog.objects.filter(action=AuditAction.CERTIFICATE_ISSUE).count() == 1


def test_database_refuses_a_second_certificate_for_the_same_subject(
    honour_certificate,
):
    """The unique constraint holds even if a caller skips the service."""
    cert = honour_certificate
    with pytest.raises(IntegrityError):
        Certificate.objects.create(
            serial="HR-2026-00000-00000-00",
            kind=cert.kind,
            worker=cert.worker,
            subject_key=cert.subject_key,
            generation=0,
            issuer_org=cert.issuer_org,
            issuer_name="x",
            holder_name="x",
            title="x",
            year=2026,
            issued_at=cert.issued_at,
            sha256="0" * 64,
        )


def test_ineligible_request_gets_the_reason(tree, honour_template):
    """18 years of service: no honour certificate, and the reason says when."""
    worker = WorkerFactory(community=tree["community11"], hire_date=dt.date(2008, 3, 1))
    claim = claims.service_claim(worker, years=20, issuer_org=tree["city"], on=ON)
    with pytest.raises(services.NotEligible) as info:
        services.certificate_issue(claim=claim)
    assert info.value.reasons == ["要到2028-03-01才满20年服务年限。"]
    assert Certificate.objects.count() == 0


def test_left_before_the_milestone_is_not_eligible(tree, honour_template):
    worker = WorkerFactory(
        community=tree["community11"],
        hire_date=dt.date(1990, 3, 1),
        leave_date=dt.date(2009, 12, 31),
    )
    claim = claims.service_claim(worker, years=20, issuer_org=tree["city"], on=ON)
    assert not claim.eligible and len(claim.reasons) == 1


def test_bulk_issue_is_idempotent_and_resumes_after_a_crash(
    tree, honour_template, monkeypatch
):
    """A run that dies after its first chunk keeps that chunk; the rerun issues
    only the rest; a third run issues nothing."""
    workers = [
        WorkerFactory(community=tree["community11"], hire_date=dt.date(2001, 1, 1))
        for _ in range(5)
    ]
    due = claims.service_claims_due(on=ON, issuer_org=tree["city"])
    assert len(due) == 5

    real_render = services.pdf.render_batch
    calls = []

    def dying_render(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("worker killed")
        return real_render(*args, **kwargs)

    monkeypatch.setattr(services.pdf, "render_batch", dying_render)
    with pytest.raises(RuntimeError):
        services.certificates_issue(claims=due, chunk_size=2)
    assert Certificate.objects.count() == 2
    monkeypatch.setattr(services.pdf, "render_batch", real_render)

    due = claims.service_claims_due(on=ON, issuer_org=tree["city"])
    assert len(due) == 3  # the finished chunk is not due any more
    result = services.certificates_issue(
        claims=[
            claims.service_claim(w, years=20, issuer_org=tree["city"], on=ON)
            for w in workers
        ],
        chunk_size=2,
    )
    assert len(result.issued) == 3 and len(result.existing) == 2
    assert Certificate.objects.count() == 5
    assert sorted(Certificate.objects.values_list("worker_id", flat=True)) == sorted(
        w.pk for w in workers
    )
    again = services.certificates_issue(
        claims=[
            claims.service_claim(w, years=20, issuer_org=tree["city"], on=ON)
            for w in workers
        ]
    )
    assert again.issued == [] and len(again.existing) == 5
    assert Certificate.objects.count() == 5


def test_medal_for_thirty_years_uses_the_medal_template(tree, honour_template):
    CertificateTemplateFactory(kind="medal", org=tree["city"], issuer_code="MD")
    worker = WorkerFactory(community=tree["community21"], hire_date=dt.date(1995, 5, 1))
    due = claims.service_claims_due(on=ON, issuer_org=tree["city"])
    assert sorted(c.kind for c in due) == ["honour", "medal"]
    result = services.certificates_issue(claims=due)
    medal = next(c for c in result.issued if c.kind == "medal")
    assert medal.serial.startswith("MD-") and medal.worker == worker
    assert "30年" in pdf_text(medal.file.read())


def test_nearest_template_wins(tree, honour_template):
    district_template = CertificateTemplateFactory(
        kind="honour", org=tree["district1"], issuer_code="D1"
    )
    found = selectors.template_for(kind="honour", org=tree["community11"])
    assert found == district_template
    assert selectors.template_for(kind="honour", org=tree["community21"]) == (
        honour_template
    )


def test_revoke_by_issuing_subtree_admin(honour_certificate, district_admin):
    cert = services.certificate_revoke(
        certificate=honour_certificate, reason="信息有误", actor=district_admin
    )
    assert cert.status == CertificateStatus.REVOKED
    assert cert.revoke_reason == "信息有误" and cert.revoked_at is not None
    assert list(cert.events.values_list("action", flat=True)) == ["issue", "revoke"]
    assert AuditLog.objects.filter(
        action=AuditAction.CERTIFICATE_REVOKE, target_id=str(cert.pk)
    ).exists()


def test_revoke_needs_a_reason_and_a_valid_certificate(
    honour_certificate, district_admin
):
    with pytest.raises(services.CertificateError):
        services.certificate_revoke(
            certificate=honour_certificate, reason="  ", actor=district_admin
        )
    services.certificate_revoke(
        certificate=honour_certificate, reason="错误", actor=district_admin
    )
    with pytest.raises(services.CertificateError):
        services.certificate_revoke(
            certificate=honour_certificate, reason="again", actor=district_admin
        )


def test_admin_of_another_subtree_cannot_revoke(tree, honour_certificate):
    """Issued by district 1: district 2's administrator may not touch it."""
    other = AdminFactory(username="d2admin", org=tree["district2"])
    with pytest.raises(PermissionDenied):
        services.certificate_revoke(
            certificate=honour_certificate, reason="x", actor=other
        )
    with pytest.raises(PermissionDenied):
        services.certificate_reissue(
            certificate=honour_certificate, reason="x", actor=other
        )
    honour_certificate.refresh_from_db()
    assert honour_certificate.status == CertificateStatus.VALID


def test_reissue_supersedes_and_uses_the_corrected_name(
    honour_certificate, veteran, district_admin
):
    veteran.name = "张小明"
    veteran.save()
    new = services.certificate_reissue(
        certificate=honour_certificate, reason="姓名更正", actor=district_admin
    )
    old = Certificate.objects.get(pk=honour_certificate.pk)
    assert old.status == CertificateStatus.SUPERSEDED
    assert new.replaces == old and new.generation == 1
    assert new.serial != old.serial and new.status == CertificateStatus.VALID
    assert "张小明" in pdf_text(new.file.read())
    assert old.events.last().detail == {"new_serial": new.serial}
    with pytest.raises(services.CertificateError):
        services.certificate_reissue(
            certificate=old, reason="again", actor=district_admin
        )


def test_events_are_append_only(honour_certificate):
    event = honour_certificate.events.get()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        CertificateEvent.objects.filter(pk=event.pk).update(reason="x")


def test_issue_certificates_command_prints_one_line_per_certificate(
    tree, honour_template, capsys
):
    from django.core.management import call_command

    WorkerFactory(
        name="李四光", community=tree["community12"], hire_date=dt.date(2000, 1, 1)
    )
    call_command("issue_certificates", "--kind", "service", "--org", "510101")
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1
    serial, holder, path = out[0].split("\t")
    rules.parse_serial(serial)
    assert holder == "李*光" and path.endswith(f"{serial}.pdf")
    call_command("issue_certificates", "--kind", "service", "--org", "510101")
    assert capsys.readouterr().out.strip().splitlines() == out
    assert Certificate.objects.count() == 1


def test_yearly_beat_job_issues_honours_once(tree, honour_template, settings):
    """The beat schedule runs the task yearly; running it twice issues once."""
    from certificates.tasks import service_honours_issue_task

    schedule = settings.CELERY_BEAT_SCHEDULE["certificates-service-honours"]
    assert schedule["task"] == "certificates.tasks.service_honours_issue_task"
    CertificateTemplateFactory(kind="medal", org=tree["city"], issuer_code="MD")
    WorkerFactory(community=tree["community22"], hire_date=dt.date(1990, 1, 1))
    assert service_honours_issue_task() == 2  # the honour (20) and the medal (30)
    assert service_honours_issue_task() == 0
    assert Certificate.objects.count() == 2


class _CountingReads:
    """A stored file that records every read, refusing a read of the whole file."""

    open_now = 0
    most_open = 0

    def __init__(self, handle, reads):
        self.handle, self.reads = handle, reads

    def read(self, size=-1):
        assert 0 < size <= services.ZIP_COPY_BYTES, "a whole PDF read at once"
        data = self.handle.read(size)
        self.reads.append(len(data))
        return data

    def __enter__(self):
        type(self).open_now += 1
        type(self).most_open = max(type(self).most_open, type(self).open_now)
        return self

    def __exit__(self, *exc):
        type(self).open_now -= 1
        self.handle.close()


def test_zip_streams_each_pdf_in_chunks_into_a_file(
    tree, honour_template, monkeypatch, tmp_path
):
    """The bulk ZIP is written to a file object, one PDF at a time and each in
    chunks of at most ZIP_COPY_BYTES: nothing holds all the PDFs (or even one whole
    PDF) in memory. Every PDF is in the archive, byte for byte, stored."""
    import zipfile

    from django.core.files.storage import FileSystemStorage

    for _ in range(3):
        WorkerFactory(community=tree["community11"], hire_date=dt.date(2001, 1, 1))
    certificates = services.certificates_issue(
        claims=claims.service_claims_due(on=ON, issuer_org=tree["city"])
    ).issued
    assert len(certificates) == 3
    monkeypatch.setattr(services, "ZIP_COPY_BYTES", 4096)
    _CountingReads.open_now = _CountingReads.most_open = 0
    reads: list[int] = []
    real_open = FileSystemStorage.open
    monkeypatch.setattr(
        FileSystemStorage,
        "open",
        lambda self, name, mode="rb": _CountingReads(
            real_open(self, name, mode), reads
        ),
    )
    path = tmp_path / "out.zip"
    with open(path, "wb") as target:
        assert services.certificates_zip(certificates, target) == 3
    assert _CountingReads.most_open == 1
    assert max(reads) == 4096 and len(reads) > 3 * 2  # several chunks per PDF
    monkeypatch.setattr(FileSystemStorage, "open", real_open)
    with zipfile.ZipFile(path) as archive:
        assert sorted(archive.namelist()) == sorted(
            f"{c.serial}.pdf" for c in certificates
        )
        for cert in certificates:
            info = archive.getinfo(f"{cert.serial}.pdf")
            assert info.compress_type == zipfile.ZIP_STORED
            content = archive.read(info)
            assert hashlib.sha256(content).hexdigest() == cert.sha256


def test_worker_killed_before_commit_leaves_files_that_cleanup_deletes(
    tree, honour_template, monkeypatch
):
    """Files are written before the chunk's transaction: a worker killed inside
    it leaves PDFs with no certificate, recorded as pending. Within the hour they
    are left alone (a chunk may still be committing); after it they are deleted.
    The rerun issues everything and leaves nothing pending."""
    from django.utils import timezone

    from certificates.models import PendingFile
    from lms.accounts.files import private_storage

    workers = [
        WorkerFactory(community=tree["community11"], hire_date=dt.date(2001, 1, 1))
        for _ in range(3)
    ]

    def killed(*args, **kwargs):
        raise RuntimeError("worker killed")

    monkeypatch.setattr(services, "_audit_issue", killed)
    with pytest.raises(RuntimeError):
        services.certificates_issue(
            claims=claims.service_claims_due(on=ON, issuer_org=tree["city"])
        )
    assert Certificate.objects.count() == 0
    orphans = list(PendingFile.objects.values_list("name", flat=True))
    assert len(orphans) == 3
    assert all(private_storage().exists(name) for name in orphans)

    now = timezone.now()
    assert services.certificate_files_orphaned_delete(now=now) == 0
    later = now + dt.timedelta(minutes=59)
    assert services.certificate_files_orphaned_delete(now=later) == 0
    assert all(private_storage().exists(name) for name in orphans)
    later = now + dt.timedelta(minutes=61)
    assert services.certificate_files_orphaned_delete(now=later) == 3
    assert not any(private_storage().exists(name) for name in orphans)
    assert not PendingFile.objects.exists()

    monkeypatch.undo()
    result = services.certificates_issue(
        claims=claims.service_claims_due(on=ON, issuer_org=tree["city"])
    )
    assert sorted(c.worker_id for c in result.issued) == sorted(w.pk for w in workers)
    assert not PendingFile.objects.exists()
    assert services.certificate_files_orphaned_delete(now=later) == 0
    assert all(private_storage().exists(c.file.name) for c in result.issued)


def test_cleanup_keeps_a_file_a_certificate_references(honour_certificate):
    """Whatever a stale pending record says, a certificate's own file stays."""
    from django.utils import timezone

    from certificates.models import PendingFile
    from lms.accounts.files import private_storage

    PendingFile.objects.create(name=honour_certificate.file.name)
    later = timezone.now() + dt.timedelta(hours=2)
    assert services.certificate_files_orphaned_delete(now=later) == 0
    assert private_storage().exists(honour_certificate.file.name)
    assert not PendingFile.objects.exists()


def test_reissue_losing_a_race_deletes_its_file(
    honour_certificate, district_admin, monkeypatch
):
    """Two reissues of one certificate at once: the one that commits second is
    refused after writing its PDF, and that PDF is deleted at once."""
    from certificates.models import PendingFile
    from lms.accounts.files import private_storage

    real_render = services.pdf.render_single
    winner = []

    def render_while_another_reissues(*args, **kwargs):
        if not winner:  # the other request commits while this one renders
            winner.append(None)
            winner[0] = services.certificate_reissue(
                certificate=honour_certificate, reason="更正", actor=district_admin
            )
        return real_render(*args, **kwargs)

    monkeypatch.setattr(services.pdf, "render_single", render_while_another_reissues)
    with pytest.raises(services.CertificateError):
        services.certificate_reissue(
            certificate=honour_certificate, reason="again", actor=district_admin
        )
    assert sorted(_stored_files(private_storage())) == sorted(
        [honour_certificate.file.name, winner[0].file.name]
    )
    assert Certificate.objects.count() == 2
    assert not PendingFile.objects.exists()


def _stored_files(storage, path="certificates"):
    dirs, files = storage.listdir(path)
    for name in files:
        yield f"{path}/{name}"
    for d in dirs:
        yield from _stored_files(storage, f"{path}/{d}")


def test_orphan_cleanup_runs_hourly(db, settings):
    from certificates.tasks import certificate_files_orphaned_delete_task

    entry = settings.CELERY_BEAT_SCHEDULE["certificates-orphaned-files-delete"]
    assert entry["task"] == (
        "certificates.tasks.certificate_files_orphaned_delete_task"
    )
    assert settings.CERTIFICATE_ORPHAN_MINUTES == 60
    assert certificate_files_orphaned_delete_task() == 0
