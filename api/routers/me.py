from ninja import Query, Router
from ninja.pagination import paginate

from lms.accounts.scoping import scope_root
from lms.training.models import CreditEntry

from ..pagination import Pagination
from ..schemas import CreditEntryOut, MeOut
from ..scope import user_of
from .ledger import LedgerFilter, entry_row, filtered
from .people import _Rows

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
