"""The administrators' at-risk counts, taken for the whole tree at once.

A full compliance evaluation is too slow for a page load at city scale (1.8 s for a
district), so `at_risk_counts_refresh` (a beat task every
ADMIN_HOME_AT_RISK_REFRESH_SECONDS) evaluates the whole tree once and stores every
node's count with the time it was taken; pages only read what is stored."""

from collections import Counter

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from lms.compliance import rules
from lms.compliance.selectors import compliance_rows
from lms.org.models import OrgNode

RISK_STATUSES = (rules.AT_RISK, rules.NOT_MET)


def _key(node_id: int, year: int) -> str:
    return f"admin-home:at-risk:{node_id}:{year}"


def _kept() -> int:
    # Three intervals, so a late or failed run leaves the last counts showing.
    return 3 * settings.ADMIN_HOME_AT_RISK_REFRESH_SECONDS


def _risk_counts_by_path(rows) -> Counter:
    """How many rows are at risk under each node path (each row counts for every
    ancestor of its community)."""
    step = OrgNode.steplen
    counts = Counter()
    for row in rows:
        if row.status in RISK_STATUSES:
            for end in range(step, len(row.org_path) + 1, step):
                counts[row.org_path[:end]] += 1
    return counts


def at_risk_counts_refresh(*, year: int, now=None) -> int:
    """Evaluate the whole tree once and store every node's at-risk count with the
    time it was taken; returns how many nodes were stored."""
    now = now or timezone.now()
    stored = {}
    for root in OrgNode.get_root_nodes():
        counts = _risk_counts_by_path(compliance_rows(year=year, root=root))
        for pk, path in OrgNode.objects.filter(path__startswith=root.path).values_list(
            "pk", "path"
        ):
            stored[_key(pk, year)] = {"count": counts[path], "at": now}
    cache.set_many(stored, _kept())
    return len(stored)


def at_risk_stored(root, *, year: int) -> dict | None:
    """{"count", "at"} as last stored for `root`'s subtree, or None."""
    return cache.get(_key(root.pk, year))


def at_risk_refresh_claim(*, year: int) -> bool:
    """True for the one caller (across processes) that should queue a refresh of
    `year` now; False while another was queued within the refresh interval."""
    return cache.add(
        f"admin-home:at-risk-queued:{year}",
        True,
        settings.ADMIN_HOME_AT_RISK_REFRESH_SECONDS,
    )
