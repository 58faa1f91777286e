"""Reads of certificates: public verification (one query), the worker's own list,
and the claims a bulk run has to consider."""

from __future__ import annotations

import hashlib

from django.db.models import QuerySet
from django.utils import timezone

from lms.org.models import OrgNode

from . import rules
from .models import Certificate

VERIFY_FIELDS = (
    "serial",
    "kind",
    "status",
    "holder_name",
    "title",
    "year",
    "days",
    "hours",
    "issued_at",
    "issuer_name",
    "revoked_at",
    "revoke_reason",
    "sha256",
    "replaced_by__serial",
)


def certificate_by_serial(raw: str) -> Certificate | None:
    """The certificate a typed serial names, or None. A serial that fails its check
    characters is rejected here, before any database look-up."""
    try:
        serial = str(rules.parse_serial(raw))
    except rules.InvalidSerial:
        return None
    return (
        Certificate.objects.filter(serial=serial)
        .select_related("replaced_by")
        .only(*VERIFY_FIELDS)
        .first()
    )


def verification(cert: Certificate) -> dict:
    """What the public may know about a certificate: never the full name."""
    replaced_by = getattr(cert, "replaced_by", None)
    return {
        "serial": cert.serial,
        "status": cert.status,
        "kind": cert.kind,
        "holder": rules.mask_name(cert.holder_name),
        "title": cert.title,
        "year": cert.year,
        "days": rules.format_amount(cert.days) if cert.days is not None else None,
        "hours": rules.format_amount(cert.hours) if cert.hours is not None else None,
        "issued_on": timezone.localdate(cert.issued_at).isoformat(),
        "issuer": cert.issuer_name,
        "revoked_on": timezone.localdate(cert.revoked_at).isoformat()
        if cert.revoked_at
        else None,
        "reason": cert.revoke_reason or None,
        "superseded_by": replaced_by.serial if replaced_by is not None else None,
    }


def pdf_matches(cert: Certificate, chunks) -> bool:
    """Whether uploaded bytes are exactly the issued PDF (SHA-256 of the content)."""
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest() == cert.sha256


def worker_certificates(worker) -> QuerySet:
    return Certificate.objects.filter(worker=worker).select_related("replaced_by")


def class_enrolments(class_id: int) -> QuerySet:
    """The enrolled workers of a class, with what the completion claim reads."""
    from lms.training.models import Enrolment, EnrolmentStatus

    return Enrolment.objects.filter(
        training_class_id=class_id, status=EnrolmentStatus.ENROLLED
    ).select_related("worker__community", "training_class__organiser")


def subtree_workers(org: OrgNode) -> QuerySet:
    from lms.people.models import Worker

    return Worker.objects.filter(community__path__startswith=org.path).select_related(
        "community"
    )
