"""Issuing, revoking and reissuing certificates: every write of the app.

Issuing is idempotent: a certificate is identified by (kind, worker, subject,
generation) under a database constraint, so a rerun, a retried Celery task or a
worker killed mid-batch never issues the same thing twice. PDFs are rendered by
`certificates.pdf` from plain data and stored through Django's storage.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import CoursePage
from lms.accounts.files import private_storage
from lms.accounts.models import AuditAction, AuditLog
from lms.accounts.scoping import org_in_scope
from lms.accounts.services import audit_log_write, client_ip
from lms.people.models import Worker

from . import pdf, rules
from .claims import ANNUAL_LINES, Claim, course_claim
from .errors import CertificateError, NotEligible
from .models import (
    Certificate,
    CertificateEvent,
    CertificateKind,
    CertificateStatus,
    CertificateTemplate,
    EventAction,
    PendingFile,
)
from .selectors import issued_for, template_for

# Bytes copied at a time from a stored PDF into a bulk run's ZIP.
ZIP_COPY_BYTES = 64 * 1024


@dataclass
class IssueResult:
    issued: list[Certificate] = field(default_factory=list)
    existing: list[Certificate] = field(default_factory=list)
    refused: list[Claim] = field(default_factory=list)


# --- Templates ------------------------------------------------------------------------


def _image_bytes(image) -> bytes | None:
    if image is None:
        return None
    with image.file.open("rb") as handle:
        return handle.read()


def template_data(template: CertificateTemplate) -> pdf.TemplateData:
    return pdf.TemplateData(
        layout_html=template.layout_html,
        css=template.css,
        orientation=template.orientation,
        heading=template.heading,
        wording=template.wording,
        issuer_name=template.issuer_name,
        signatory=template.signatory,
        seal_image=_image_bytes(template.seal_image),
        signature_image=_image_bytes(template.signature_image),
    )


def sample_values(kind: str) -> dict[str, str]:
    """Made-up data for a template preview."""
    course = kind == CertificateKind.COURSE
    return {
        "name": "张晓明",
        "title": "社区社会工作实务" if course else "社区工作者岗位能力提升培训班",
        "days": "" if course else "3",
        "hours": "4.5" if course else "18",
        "year": str(timezone.localdate().year),
        "issue_date": rules.date_text(timezone.localdate()),
        "service_years": "30" if kind == CertificateKind.MEDAL else "20",
        "organiser": "示范市民政局",
        "community": "幸福里社区",
        "completion_date": rules.date_text(timezone.localdate()),
    }


def template_preview(template: CertificateTemplate) -> bytes:
    """A PDF of the template filled with sample data and a sample serial."""
    serial = str(rules.new_serial(template.issuer_code, timezone.localdate().year))
    item = pdf.CertificateData(
        serial=serial,
        verify_url=f"{settings.SITE_URL}/verify/{serial}/",
        values=sample_values(template.kind),
    )
    return pdf.render_single(template_data(template), item)


# --- Issuing --------------------------------------------------------------------------


def _certificate_data(claim: Claim, serial: str, issued_on: dt.date) -> dict:
    values = {
        "name": claim.worker.name,
        "title": claim.title,
        "days": rules.format_amount(claim.days) if claim.days is not None else "",
        "hours": rules.format_amount(claim.hours) if claim.hours is not None else "",
        "year": str(claim.year),
        "issue_date": rules.date_text(issued_on),
        "organiser": claim.issuer_org.name,
        "community": claim.worker.community.name,
        "service_years": "",
        "completion_date": "",
    }
    values.update({k: str(v) for k, v in claim.values.items()})
    return values


def _pdf_item(claim: Claim, serial: str, issued_on: dt.date) -> pdf.CertificateData:
    lines = claim.details.get("training", []) if claim.details else []
    return pdf.CertificateData(
        serial=serial,
        verify_url=f"{settings.SITE_URL}/verify/{serial}/",
        values=_certificate_data(claim, serial, issued_on),
        training=tuple(
            (line["date"], line["title"], line["days"], line["hours"])
            for line in lines[:ANNUAL_LINES]
        ),
        training_more=max(0, len(lines) - ANNUAL_LINES),
    )


def _audit_issue(actor, certificates: Sequence[Certificate], request=None) -> None:
    if not certificates:
        return
    # One audit row per certificate, written in bulk (a batch may hold thousands).
    AuditLog.objects.bulk_create(
        [
            AuditLog(
                actor=actor if actor is not None and actor.pk else None,
                action=AuditAction.CERTIFICATE_ISSUE,
                target_type="certificates.certificate",
                target_id=str(c.pk),
                detail={
                    "serial": c.serial,
                    "kind": c.kind,
                    "subject": c.subject_key,
                    "generation": c.generation,
                },
                ip_address=client_ip(request),
            )
            for c in certificates
        ],
        batch_size=1000,
    )


def _prepare(claims_and_serials, template, rendered, actor, now, *, replaces=None):
    """Unsaved certificates for one rendered chunk, each with its file's name."""
    field = Certificate._meta.get_field("file")
    rows = []
    for (claim, serial), content in zip(claims_and_serials, rendered):
        cert = Certificate(
            serial=serial,
            kind=claim.kind,
            worker=claim.worker,
            subject_key=claim.subject_key,
            generation=(replaces.generation + 1) if replaces else 0,
            replaces=replaces,
            template=template,
            issuer_org=claim.issuer_org,
            issuer_name=template.issuer_name,
            holder_name=claim.worker.name,
            title=claim.title,
            year=claim.year,
            days=claim.days,
            hours=claim.hours,
            details=claim.details,
            issued_at=now,
            issued_by=actor if actor is not None and actor.pk else None,
            sha256=hashlib.sha256(content).hexdigest(),
        )
        cert.file.name = field.generate_filename(cert, f"{serial}.pdf")
        rows.append((cert, content))
    return rows


def _write_files(rows) -> list[Certificate]:
    """Record the chunk's files as pending (committed first), then write them.

    A worker killed from here until `_insert` commits leaves only pending files,
    which `certificate_files_orphaned_delete` removes; so call this outside any
    transaction (the services do).
    """
    PendingFile.objects.bulk_create([PendingFile(name=c.file.name) for c, _ in rows])
    certificates = []
    for cert, content in rows:
        wanted = cert.file.name
        cert.file.name = cert.file.storage.save(
            wanted, ContentFile(content), max_length=cert.file.field.max_length
        )
        if cert.file.name != wanted:  # the storage chose another name
            PendingFile.objects.create(name=cert.file.name)
        certificates.append(cert)
    return certificates


def _discard(certificates: Sequence[Certificate]) -> None:
    """Delete written files that will have no certificate, and their records."""
    names = [c.file.name for c in certificates]
    for name in names:
        private_storage().delete(name)
    PendingFile.objects.filter(name__in=names).delete()


def _insert(certificates: Sequence[Certificate], actor) -> list[Certificate]:
    """Insert the rows of written files in one transaction, which also clears their
    pending records; claims another run issued meanwhile are skipped (their files
    deleted)."""
    stored = []
    with transaction.atomic():
        for cert in certificates:
            try:
                with transaction.atomic():
                    cert.save(force_insert=True)
            except IntegrityError:
                private_storage().delete(cert.file.name)
                continue
            stored.append(cert)
        CertificateEvent.objects.bulk_create(
            [
                CertificateEvent(
                    certificate=c,
                    action=EventAction.ISSUE,
                    actor=c.issued_by,
                    detail={"sha256": c.sha256},
                )
                for c in stored
            ]
        )
        _audit_issue(actor, stored)
        PendingFile.objects.filter(
            name__in=[c.file.name for c in certificates]
        ).delete()
    return stored


def certificates_issue(
    *,
    claims: Sequence[Claim],
    actor=None,
    template: CertificateTemplate | None = None,
    progress: Callable[[int, int], None] | None = None,
    chunk_size: int | None = None,
) -> IssueResult:
    """Issue a certificate for every eligible claim not yet certified.

    Renders in chunks (see `pdf.render_batch`) and commits each chunk on its own, so
    an interrupted run keeps what it finished and the next run does the rest.
    """
    chunk_size = chunk_size or settings.CERTIFICATE_BATCH_CHUNK
    result = IssueResult()
    existing = issued_for(claims)
    todo: list[Claim] = []
    for claim in claims:
        cert = existing.get(claim.key)
        if cert is not None:
            result.existing.append(cert)
        elif not claim.eligible:
            result.refused.append(claim)
        else:
            todo.append(claim)
    total = len(claims)
    done = len(result.existing) + len(result.refused)
    if progress:
        progress(done, total)
    groups: dict[int, list[Claim]] = defaultdict(list)
    templates: dict[int, CertificateTemplate] = {}
    for claim in todo:
        chosen = template or template_for(kind=claim.kind, org=claim.issuer_org)
        templates[chosen.pk] = chosen
        groups[chosen.pk].append(claim)
    for template_id, group in groups.items():
        chosen = templates[template_id]
        data = template_data(chosen)
        for start in range(0, len(group), chunk_size):
            chunk = group[start : start + chunk_size]
            now = timezone.now()
            issued_on = timezone.localdate(now)
            pairs = [
                (c, str(rules.new_serial(chosen.issuer_code, issued_on.year)))
                for c in chunk
            ]
            items = [_pdf_item(c, serial, issued_on) for c, serial in pairs]
            rendered = pdf.render_batch(data, items, chunk_size=chunk_size)
            written = _write_files(_prepare(pairs, chosen, rendered, actor, now))
            result.issued.extend(_insert(written, actor))
            done += len(chunk)
            if progress:
                progress(done, total)
    return result


def certificate_issue(*, claim: Claim, actor=None, request=None) -> Certificate:
    """Issue one certificate (or return the one already issued for the same thing).

    Raises NotEligible with the reasons when the claim is not met.
    """
    if not claim.eligible:
        existing = issued_for([claim]).get(claim.key)
        if existing is None:
            raise NotEligible(claim.reasons)
    result = certificates_issue(claims=[claim], actor=actor, chunk_size=1)
    found = (result.issued or result.existing)[:1]
    if not found:  # issued concurrently by another request
        return Certificate.objects.filter(
            kind=claim.kind, worker=claim.worker, subject_key=claim.subject_key
        ).latest("generation")
    return found[0]


def certificate_files_orphaned_delete(*, now: dt.datetime | None = None) -> int:
    """Delete the PDFs a killed worker wrote without committing their certificate.

    Reads the pending records older than CERTIFICATE_ORPHAN_MINUTES (a chunk
    commits within seconds, so an older record will never be committed); a file
    a certificate does reference is kept whatever its record says. Returns the
    number of files deleted.
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(minutes=settings.CERTIFICATE_ORPHAN_MINUTES)
    deleted = 0
    while True:
        batch = list(
            PendingFile.objects.filter(created_at__lt=cutoff).order_by("id")[:500]
        )
        if not batch:
            return deleted
        names = {p.name for p in batch}
        kept = set(
            Certificate.objects.filter(file__in=names).values_list("file", flat=True)
        )
        for name in sorted(names - kept):
            private_storage().delete(name)
            deleted += 1
        PendingFile.objects.filter(pk__in=[p.pk for p in batch]).delete()


def course_certificate_issue(*, worker_id: int, course_id: int) -> Certificate | None:
    """The worker's completion certificate of an online course: issued once every
    lesson that records completion is credited, else None (nothing to do yet).
    Called after each lesson or test credit; idempotent."""

    worker = Worker.objects.select_related("community").get(pk=worker_id)
    course = CoursePage.objects.select_related("owner_org").get(pk=course_id)
    claim = course_claim(worker, course)
    if not claim.eligible:
        return None
    return certificate_issue(claim=claim)


# --- Revoking and reissuing -----------------------------------------------------------


def _require_issuer_scope(user, certificate: Certificate) -> None:
    if not org_in_scope(user, certificate.issuer_org):
        raise PermissionDenied


@transaction.atomic
def certificate_revoke(
    *, certificate: Certificate, reason: str, actor, request=None
) -> Certificate:
    """Revoke a valid certificate; the serial then verifies as revoked, with the
    date and the reason. Only an administrator of the issuing subtree may."""
    _require_issuer_scope(actor, certificate)
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError([_("Give a reason for the revocation.")])
    cert = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if cert.status != CertificateStatus.VALID:
        raise CertificateError([_("Only a valid certificate can be revoked.")])
    cert.status = CertificateStatus.REVOKED
    cert.revoked_at = timezone.now()
    cert.revoke_reason = reason
    cert.full_clean(validate_unique=False, validate_constraints=False)
    cert.save(update_fields=["status", "revoked_at", "revoke_reason"])
    CertificateEvent.objects.create(
        certificate=cert, action=EventAction.REVOKE, actor=actor, reason=reason
    )
    audit_log_write(
        actor=actor,
        action=AuditAction.CERTIFICATE_REVOKE,
        target=cert,
        detail={"serial": cert.serial, "reason": reason},
        request=request,
    )
    return cert


def certificate_reissue(
    *, certificate: Certificate, reason: str, actor, request=None
) -> Certificate:
    """Replace a certificate by a new one (new serial, current name and template);
    the old serial then verifies as superseded and points to the new one."""
    _require_issuer_scope(actor, certificate)
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError([_("Give a reason for the reissue.")])
    old = Certificate.objects.select_related("worker__community", "issuer_org").get(
        pk=certificate.pk
    )
    if old.status == CertificateStatus.SUPERSEDED:
        raise CertificateError([_("This certificate has already been replaced.")])
    template = template_for(kind=old.kind, org=old.issuer_org)
    claim = Claim(
        kind=old.kind,
        worker=old.worker,
        subject_key=old.subject_key,
        issuer_org=old.issuer_org,
        title=old.title,
        year=old.year,
        days=old.days,
        hours=old.hours,
        details=old.details,
        values=_reissue_values(old),
    )
    now = timezone.now()
    issued_on = timezone.localdate(now)
    serial = str(rules.new_serial(template.issuer_code, issued_on.year))
    item = _pdf_item(claim, serial, issued_on)
    content = pdf.render_single(template_data(template), item)
    written = _write_files(
        _prepare([(claim, serial)], template, [content], actor, now, replaces=old)
    )
    try:
        with transaction.atomic():
            locked = Certificate.objects.select_for_update().get(pk=old.pk)
            if locked.status == CertificateStatus.SUPERSEDED:
                raise CertificateError(
                    [_("This certificate has already been replaced.")]
                )
            stored = _insert(written, actor)
            if not stored:
                raise CertificateError(
                    [_("This certificate has already been replaced.")]
                )
            new = stored[0]
            locked.status = CertificateStatus.SUPERSEDED
            if locked.revoked_at is None:
                locked.revoked_at = now
            locked.revoke_reason = reason
            locked.save(update_fields=["status", "revoked_at", "revoke_reason"])
            CertificateEvent.objects.create(
                certificate=locked,
                action=EventAction.REISSUE,
                actor=actor,
                reason=reason,
                detail={"new_serial": new.serial},
            )
            audit_log_write(
                actor=actor,
                action=AuditAction.CERTIFICATE_REVOKE,
                target=locked,
                detail={
                    "serial": locked.serial,
                    "superseded_by": new.serial,
                    "reason": reason,
                },
                request=request,
            )
    except CertificateError:
        _discard(written)
        raise
    return new


def _reissue_values(old: Certificate) -> dict:
    values = {}
    if old.kind in (CertificateKind.HONOUR, CertificateKind.MEDAL):
        values["service_years"] = str(old.details.get("years", ""))
    if old.kind in (CertificateKind.COMPLETION, CertificateKind.COURSE):
        values["organiser"] = old.details.get("organiser", old.issuer_org.name)
    if old.kind == CertificateKind.COURSE and old.details.get("completed_on"):
        day = dt.date.fromisoformat(old.details["completed_on"])
        values["completion_date"] = rules.date_text(day)
    return values


def certificates_zip(certificates: Iterable[Certificate], target: BinaryIO) -> int:
    """Write one ZIP of the PDFs, named by serial, to the binary file `target` (a
    temporary file for a bulk run); returns the number of files.

    Stored, not deflated (PDFs are compressed already). Each PDF is copied from
    storage in chunks of ZIP_COPY_BYTES, so memory stays bounded however many
    certificates there are; ZIP64 takes archives past 4 GiB and 65,535 files.
    """
    count = 0
    with zipfile.ZipFile(
        target, "w", compression=zipfile.ZIP_STORED, allowZip64=True
    ) as archive:
        for cert in certificates:
            # Through the storage, not `cert.file`: nothing stays on the instance.
            with (
                cert.file.storage.open(cert.file.name, "rb") as source,
                archive.open(f"{cert.serial}.pdf", "w") as entry,
            ):
                shutil.copyfileobj(source, entry, ZIP_COPY_BYTES)
            count += 1
    return count
