from django.http import Http404
from ninja import Path, Query, Router
from ninja.pagination import paginate

from certificates.models import Certificate
from lms.accounts.scoping import scope_root
from lms.compliance.selectors import worker_compliance
from lms.training.models import CreditEntry, Enrolment

from ..pagination import Pagination
from ..schemas import CreditEntryOut, MeOut
from ..scope import user_of
from .certificates import CertificateOut, certificate_row
from .compliance import ComplianceOut, compliance_row
from .ledger import LedgerFilter, entry_row, filtered
from .people import _Rows
from .training import EnrolmentOut, enrolment_row

router = Router(tags=["me"])


@router.get("", response=MeOut, summary="Who is calling, and their scope")
def me(request):
    user = user_of(request)
    root = scope_root(user)
    worker = getattr(user, "worker", None)
    return {
        "username": user.get_username(),
        "role": user.role,
        "scope_code": root.code if root is not None else None,
        "worker_id": worker.pk if worker is not None else None,
    }


@router.get("/ledger", response=list[CreditEntryOut], summary="My own ledger")
@paginate(Pagination)
def my_ledger(request, filters: Query[LedgerFilter]):
    """A worker's own credit entries (empty for a sign-in without a worker file)."""
    worker = getattr(user_of(request), "worker", None)
    qs = CreditEntry.objects.select_related("worker", "organiser")
    qs = qs.filter(worker=worker) if worker is not None else qs.none()
    return _Rows(filtered(qs, filters).order_by("date", "id"), entry_row)


@router.get("/compliance/{year}", response=ComplianceOut, summary="My annual minimum")
def my_compliance(request, year: int = Path(..., ge=2000, le=2100)):
    worker = getattr(user_of(request), "worker", None)
    if worker is None:
        raise Http404
    return compliance_row(worker_compliance(worker, year))


@router.get("/enrolments", response=list[EnrolmentOut], summary="My enrolments")
def my_enrolments(request):
    worker = getattr(user_of(request), "worker", None)
    if worker is None:
        return []
    qs = Enrolment.objects.filter(worker=worker).select_related(
        "training_class", "worker"
    )
    return [enrolment_row(e) for e in qs.order_by("-requested_at", "id")]


@router.get("/certificates", response=list[CertificateOut], summary="My certificates")
def my_certificates(request):
    worker = getattr(user_of(request), "worker", None)
    if worker is None:
        return []
    qs = Certificate.objects.filter(worker=worker).select_related("worker")
    return [certificate_row(c) for c in qs.order_by("-issued_at", "id")]
