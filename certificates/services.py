"""Issuing, revoking and reissuing certificates: every write of the app.

Issuing is idempotent: a certificate is identified by (kind, worker, subject,
generation) under a database constraint, so a rerun, a retried Celery task or a
worker killed mid-batch never issues the same thing twice. PDFs are rendered by
`certificates.pdf` from plain data and stored through Django's storage.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.accounts.models import AuditAction, AuditLog
from lms.accounts.scoping import org_in_scope
from lms.accounts.services import audit_log_write, client_ip
from lms.org.models import OrgNode

from . import pdf, rules
from .claims import ANNUAL_LINES, Claim, issued_for
from .models import (
    Certificate,
    CertificateEvent,
    CertificateKind,
    CertificateStatus,
    CertificateTemplate,
    EventAction,
)


class CertificateError(Exception):
    """A request the service refuses; `reasons` say why, in the user's language."""

    def __init__(self, reasons: Sequence[str]):
        super().__init__("; ".join(str(r) for r in reasons))
        self.reasons = [str(r) for r in reasons]


class NotEligible(CertificateError):
    pass


@dataclass
class IssueResult:
    issued: list[Certificate] = field(default_factory=list)
    existing: list[Certificate] = field(default_factory=list)
    refused: list[Claim] = field(default_factory=list)


# --- Templates ------------------------------------------------------------------------


def template_for(*, kind: str, org: OrgNode) -> CertificateTemplate:
    """The active template of `kind` whose organisation is `org`'s nearest ancestor."""
    step = org.steplen
    ancestors = [org.path[:i] for i in range(step, len(org.path) + 1, step)]
    found = (
        CertificateTemplate.objects.filter(
            kind=kind, is_active=True, org__path__in=ancestors
        )
        .select_related("org", "seal_image", "signature_image")
        .order_by("-org__depth", "-updated_at")
        .first()
    )
    if found is None:
        raise CertificateError(
            [_("No active certificate template for this kind and organisation.")]
        )
    return found


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
    return {
        "name": "张晓明",
        "title": "社区工作者岗位能力提升培训班",
        "days": "3",
        "hours": "18",
        "year": str(timezone.localdate().year),
        "issue_date": _issue_date_text(timezone.localdate()),
        "service_years": "30" if kind == CertificateKind.MEDAL else "20",
        "organiser": "示范市民政局",
        "community": "幸福里社区",
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


def _issue_date_text(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


# --- Issuing --------------------------------------------------------------------------


def _certificate_data(claim: Claim, serial: str, issued_on: dt.date) -> dict:
    values = {
        "name": claim.worker.name,
        "title": claim.title,
        "days": rules.format_amount(claim.days) if claim.days is not None else "",
        "hours": rules.format_amount(claim.hours) if claim.hours is not None else "",
        "year": str(claim.year),
        "issue_date": _issue_date_text(issued_on),
        "organiser": claim.issuer_org.name,
        "community": claim.worker.community.name,
        "service_years": "",
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


def _store(claims_and_serials, template, rendered, actor, now, *, replaces=None):
    """Save files and rows for one rendered chunk, in one transaction; claims that
    another run issued meanwhile are skipped (their files deleted)."""
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
        cert.file.save(f"{serial}.pdf", ContentFile(content), save=False)
        rows.append(cert)
    stored = []
    with transaction.atomic():
        for cert in rows:
            try:
                with transaction.atomic():
                    cert.save(force_insert=True)
            except IntegrityError:
                default_storage.delete(cert.file.name)
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
            result.issued.extend(_store(pairs, chosen, rendered, actor, now))
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
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=old.pk)
        if locked.status == CertificateStatus.SUPERSEDED:
            raise CertificateError([_("This certificate has already been replaced.")])
        stored = _store(
            [(claim, serial)], template, [content], actor, now, replaces=old
        )
        if not stored:
            raise CertificateError([_("This certificate has already been replaced.")])
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
    return new


def _reissue_values(old: Certificate) -> dict:
    values = {}
    if old.kind in (CertificateKind.HONOUR, CertificateKind.MEDAL):
        values["service_years"] = str(old.details.get("years", ""))
    if old.kind == CertificateKind.COMPLETION:
        values["organiser"] = old.details.get("organiser", old.issuer_org.name)
    return values


def certificates_zip(certificates: Iterable[Certificate]) -> bytes:
    """One ZIP of the PDFs, named serial + masked holder (already compressed)."""
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        for cert in certificates:
            with cert.file.open("rb") as handle:
                archive.writestr(f"{cert.serial}.pdf", handle.read())
    return buffer.getvalue()
