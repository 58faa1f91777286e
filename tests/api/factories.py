import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import Group

from api.services import api_token_create
from lms.accounts.groups import ensure_admin_groups
from lms.training.services import credit_entry_create
from tests.people.factories import AdminFactory, WorkerFactory


def admin_in_group(*, username: str, org, group: str):
    ensure_admin_groups()
    user = AdminFactory(username=username, org=org)
    user.groups.add(Group.objects.get(name=group))
    return user


def token_for(owner, *, created_by=None) -> str:
    """A clear API token acting as `owner` (made by `created_by`, a city admin)."""
    if created_by is None:
        created_by = AdminFactory(
            username=f"tokenmaker{owner.pk}", org=owner.org, is_superuser=True
        )
    _token, raw = api_token_create(
        name="test system", owner=owner, created_by=created_by
    )
    return raw


def credit(
    worker, *, date=dt.date(2026, 3, 1), days="1.00", kind="in_person", key=None
):
    entry, _ = credit_entry_create(
        worker=worker,
        date=date,
        days=Decimal(days),
        hours=Decimal(days) * 6,
        kind=kind,
        title="社区治理专题培训",
        source_key=key or f"test:{worker.pk}:{date}:{kind}",
    )
    return entry


def populate(tree) -> dict:
    """Two workers per community with a ledger entry each, in both districts."""
    workers = {}
    for name in ("community11", "community12", "community21", "community22"):
        for i in range(2):
            w = WorkerFactory(community=tree[name], name=f"{name}-{i}")
            credit(w)
            credit(w, date=dt.date(2025, 6, 1), kind="online", days="0.50")
            workers.setdefault(name, []).append(w)
    return workers
