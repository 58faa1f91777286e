"""Reads of certificates: public verification (one query), the worker's own list,
the template that applies, and what the claims read (certificates already issued,
the ledger lines of a year or of a course's lessons)."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.models import LessonPage
from courses.rules import completion_source_key
from lms.org.models import OrgNode
from lms.training.models import CreditEntry

from . import rules
from .errors import CertificateError
from .models import Certificate, CertificateTemplate

if TYPE_CHECKING:
    from .claims import Claim

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


# --- Claims (certificates/claims.py) ------------------------------------------------


def issued_for(claims: Iterable[Claim]) -> dict[tuple, Certificate]:
    """Certificates already issued for these claims (latest generation), keyed by
    `Claim.key`; one query per kind."""
    claims = list(claims)
    by_kind: dict[str, tuple[set, set]] = defaultdict(lambda: (set(), set()))
    for c in claims:
        by_kind[c.kind][0].add(c.worker.pk)
        by_kind[c.kind][1].add(c.subject_key)
    found: dict[tuple, Certificate] = {}
    for kind, (worker_ids, keys) in by_kind.items():
        for cert in Certificate.objects.filter(
            kind=kind, worker_id__in=worker_ids, subject_key__in=keys
        ).order_by("generation"):
            found[(kind, cert.worker_id, cert.subject_key)] = cert
    return found


def year_entries(worker_ids, year: int) -> dict[int, list]:
    """The year's ledger lines per worker, reversed lines and reversals left out."""

    entries = defaultdict(list)
    for e in (
        CreditEntry.objects.standing()
        .filter(worker_id__in=worker_ids, date__year=year)
        .order_by("worker_id", "date", "id")
    ):
        entries[e.worker_id].append(e)
    return entries


def course_lessons(course) -> list:

    return list(
        LessonPage.objects.child_of(course)
        .live()
        .order_by("path")
        .only("pk", "title", "kind", "duration_seconds")
    )


def course_credits(lessons):
    """The ledger lines (not reversed) that credit these lessons' completion."""

    keys = [completion_source_key(lesson.pk, lesson.kind) for lesson in lessons]
    return CreditEntry.objects.standing().filter(source_key__in=[k for k in keys if k])


def course_entries(worker_ids, lessons) -> dict[int, list]:
    entries = defaultdict(list)
    for e in (
        course_credits(lessons)
        .filter(worker_id__in=worker_ids)
        .order_by("worker_id", "date", "id")
    ):
        entries[e.worker_id].append(e)
    return entries
