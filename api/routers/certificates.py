"""Certificates in scope, and the public verification of a serial."""

import datetime as dt
from typing import Annotated

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import StringConstraints

from certificates import selectors
from certificates.models import Certificate, CertificateKind, CertificateStatus
from lms.accounts.ratelimit import client_key, hit

from ..errors import ApiError
from ..pagination import Pagination
from ..schemas import Code
from ..scope import node_in_scope, scoped, user_of
from .people import _Rows

router = Router(tags=["certificates"])
VIEW = "certificates.view_certificate"
Serial = Annotated[str, StringConstraints(min_length=1, max_length=40)]


class CertificateOut(Schema):
    id: int
    serial: str
    kind: str
    status: str
    worker_id: int | None
    holder_name: str
    title: str
    year: int
    days: float | None
    hours: float | None
    issuer_name: str
    issued_at: dt.datetime
    revoked_at: dt.datetime | None
    revoke_reason: str


class VerificationOut(Schema):
    serial: str
    status: str
    kind: str
    holder: str
    title: str
    year: int
    days: str | None
    hours: str | None
    issued_on: str
    issuer: str
    revoked_on: str | None
    reason: str | None
    superseded_by: str | None


def certificate_row(c: Certificate) -> dict:
    return {
        "id": c.pk,
        "serial": c.serial,
        "kind": c.kind,
        "status": c.status,
        "worker_id": c.worker_id,
        "holder_name": c.holder_name,
        "title": c.title,
        "year": c.year,
        "days": float(c.days) if c.days is not None else None,
        "hours": float(c.hours) if c.hours is not None else None,
        "issuer_name": c.issuer_name,
        "issued_at": c.issued_at,
        "revoked_at": c.revoked_at,
        "revoke_reason": c.revoke_reason,
    }


def certificates_in_scope(user):
    return scoped(
        Certificate.objects.select_related("worker"),
        user,
        org_field="worker__community",
    )


@router.get("", response=list[CertificateOut], summary="Certificates in scope")
@paginate(Pagination)
def certificate_list(
    request,
    org: Code | None = None,
    worker: int | None = Query(None, ge=1, le=2**62),
    year: int | None = Query(None, ge=1990, le=2100),
    kind: CertificateKind | None = None,
    status: CertificateStatus | None = None,
):
    user = user_of(request, VIEW)
    qs = certificates_in_scope(user)
    if org:
        qs = qs.filter(
            worker__community__path__startswith=node_in_scope(user, org).path
        )
    if worker:
        qs = qs.filter(worker_id=worker)
    if year:
        qs = qs.filter(year=year)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    return _Rows(qs.order_by("-issued_at", "id"), certificate_row)


@router.get(
    "/{certificate_id}", response=CertificateOut, summary="One certificate in scope"
)
def certificate_detail(request, certificate_id: int = Path(..., ge=1, le=2**62)):
    cert = get_object_or_404(
        certificates_in_scope(user_of(request, VIEW)), pk=certificate_id
    )
    return certificate_row(cert)


@router.get(
    "/verify/{serial}",
    response=VerificationOut,
    auth=None,
    summary="Verify a certificate serial (public)",
)
def certificate_verify(request, serial: Serial):
    """Anyone may check a serial: the status, title and a masked holder name.
    Limited per client address (RATE_LIMIT_VERIFY)."""
    allowed, _wait = hit("verify", client_key(request, "ip"))
    if not allowed:
        raise ApiError(
            429, "rate_limited", _("Too many requests. Please wait and try again.")
        )
    cert = selectors.certificate_by_serial(serial)
    if cert is None:
        raise ApiError(404, "not_found", _("No certificate has this serial."))
    return selectors.verification(cert)
