"""Writes to the post history: the post import."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from lms.accounts.models import AuditAction
from lms.accounts.scoping import scope_queryset
from lms.accounts.services import audit_log_write
from lms.tabular import ImportFailed, ImportReport, choice_lookup, read_table
from lms.tabular.values import squeeze

from .. import pii
from ..models import Post, PostSpan, Worker
from ..rules import POST_ALIASES
from ..selectors import communities_by_code
from .rows import (
    POST_COLUMNS,
    id_number_from_row,
    missing_column_errors,
    row_choice,
    row_date,
)


def post_import(
    *,
    name: str,
    content: bytes,
    actor=None,
    progress=None,
    sheet: str = "",
    dry_run: bool = False,
    today: dt.date | None = None,
) -> ImportReport:
    """Import post history. A row with the same person, post and start date as a stored
    span is that span and sets its end date; spans of one person may not overlap."""
    today = today or timezone.localdate()
    table = read_table(
        name, content, POST_COLUMNS, identifying=["id_number"], sheet=sheet
    )
    rows = table.rows
    posts = choice_lookup(Post.choices, POST_ALIASES)
    communities = communities_by_code(actor)
    errors = missing_column_errors(
        table, ["id_number", "post", "community_code", "start"]
    )
    parsed = []
    for row in rows:
        facts = id_number_from_row(row, today)
        post = row_choice(row, "post", posts, required=True)
        community = communities.get(squeeze(row.get("community_code")))
        if community is None:
            row.error(
                "community_code",
                gettext_noop("Unknown community code %(value)s."),
                value=row.get("community_code") or "-",
            )
        start, end = row_date(row, "start"), row_date(row, "end", required=False)
        if start and end and end < start:
            row.error("end", gettext_noop("End date is before the start date."))
        if not row.errors:
            parsed.append(
                (row, pii.digest(facts.id_number), post, community, start, end)
            )
    candidates = Worker.objects.filter(id_number_digest__in=[p[1] for p in parsed])
    if actor is not None:
        candidates = scope_queryset(candidates, actor, org_field="community")
    workers = {w.id_number_digest: w for w in candidates}
    stored: dict[int, dict] = {}
    for span in PostSpan.objects.filter(worker__in=workers.values()):
        stored.setdefault(span.worker_id, {})[(span.post, span.start)] = span
    for row, digest, post, community, start, end in parsed:
        worker = workers.get(digest)
        if worker is None:
            row.error(
                "id_number",
                gettext_noop("No worker with this ID number in your register."),
            )
            continue
        spans = stored.setdefault(worker.pk, {})
        span = spans.get((post, start))
        if span is not None and not hasattr(span, "_original"):
            span._original = (span.community_id, span.end)
        if span is None:
            span = PostSpan(worker=worker, post=post, community=community, start=start)
            spans[(post, start)] = span
        span.community, span.end = community, end
        span._row = row
        span._label = str(worker)
    for spans in stored.values():
        ordered = sorted(spans.values(), key=lambda s: s.start)
        for before, after in zip(ordered, ordered[1:]):
            if before.end is None or before.end >= after.start:
                # Report on the file's row, naming the other span.
                mine, other = (
                    (after, before) if hasattr(after, "_row") else (before, after)
                )
                if hasattr(mine, "_row"):
                    mine._row.error(
                        "start",
                        gettext_noop("Overlaps the post held from %(start)s."),
                        start=other.start.isoformat(),
                    )
    for row in rows:
        errors.extend(row.errors)
    if errors:
        raise ImportFailed(errors, table.ignored)
    report = ImportReport(ignored=table.ignored, dry_run=dry_run)
    for spans in stored.values():
        for span in spans.values():
            if not hasattr(span, "_row"):
                continue
            item = {"row": span._row.number, "label": span._label}
            if span.pk is None:
                report.added.append(item)
            elif span._original != (span.community_id, span.end):
                old_end = span._original[1]
                item["changes"] = [
                    [
                        str(PostSpan._meta.get_field("end").verbose_name),
                        old_end.isoformat() if old_end else "",
                        span.end.isoformat() if span.end else "",
                    ]
                ]
                report.changed.append(item)
            else:
                report.unchanged += 1
    if dry_run:
        return report
    _apply_spans(stored)
    if actor is not None:
        audit_log_write(
            actor=actor,
            action=AuditAction.IMPORT,
            detail={"kind": "posts", "file": name, **report.counts},
        )
    return report


@transaction.atomic
def _apply_spans(stored: dict[int, dict]) -> None:
    current = {}
    for worker_id, spans in stored.items():
        for span in spans.values():
            if not hasattr(span, "_row"):
                continue
            if span.pk is None:
                span.save()
            elif span._original != (span.community_id, span.end):
                span.save(update_fields=["community", "end"])
        latest = max(spans.values(), key=lambda s: s.start)
        current[worker_id] = latest
    for worker in Worker.objects.filter(pk__in=current):
        latest = current[worker.pk]
        if (worker.post, worker.community_id) != (latest.post, latest.community_id):
            worker.post, worker.community_id = latest.post, latest.community_id
            worker.save(update_fields=["post", "community"])
