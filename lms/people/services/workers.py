"""Writes to the register of workers: the worker import and unmasking an ID number."""

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext_noop

from lms.accounts.models import AuditAction
from lms.accounts.scoping import scope_root
from lms.accounts.services import audit_log_write
from lms.org.models import OrgNode
from lms.tabular import ImportFailed, ImportReport, collector_paused, read_table

from .. import pii
from ..models import Education, PoliticalStatus, Post, PostSpan, Qualification, Worker
from ..rules import mask_id_number, mask_phone
from .rows import WORKER_COLUMNS, WorkerRow, parse_worker_rows


@collector_paused()
def worker_import(
    *,
    name: str,
    content: bytes,
    actor=None,
    progress=None,
    sheet: str = "",
    dry_run: bool = False,
    today: dt.date | None = None,
) -> ImportReport:
    """Import the register from XLSX/XLS/CSV: all rows or none. Re-importing changes
    nothing. With `dry_run` nothing is written and the report says what would be."""
    table = read_table(
        name, content, WORKER_COLUMNS, identifying=["id_number"], sheet=sheet
    )
    parsed, errors = parse_worker_rows(table, progress, actor, today)
    errors += _outside_scope(parsed, actor)
    if errors:
        raise ImportFailed(errors, table.ignored)
    report = ImportReport(ignored=table.ignored, dry_run=dry_run)
    plan = _plan_workers(parsed, report)
    errors = [e for p in parsed for e in p.row.errors]
    if errors:
        raise ImportFailed(errors, table.ignored)
    if dry_run:
        return report
    _write_workers(parsed, *plan)
    if actor is not None:
        audit_log_write(
            actor=actor,
            action=AuditAction.IMPORT,
            detail={"kind": "workers", "file": name, **report.counts},
        )
    return report


def _outside_scope(parsed: list[WorkerRow], actor) -> list:
    """Rows naming a person registered in a community outside the actor's subtree.

    The digests are of canonical numbers (`normalise_id_number`), so a number typed
    with full-width digits or hidden spaces finds its stored person here too."""
    if actor is None or actor.is_superuser:
        return []
    root = scope_root(actor)
    outside = set(
        Worker.objects.filter(id_number_digest__in=[p.digest for p in parsed])
        .exclude(community__path__startswith=root.path if root else "")
        .values_list("id_number_digest", flat=True)
    )
    errors = []
    for p in parsed:
        if p.digest in outside:
            p.row.error(
                "id_number",
                gettext_noop("This person is registered outside your area."),
            )
            errors.extend(p.row.errors)
    return errors


FIELDS = ["name", "education", "political_status", "qualification", "hire_date"]
KEPT_WHEN_BLANK = ["education", "political_status", "qualification", "phone"]


def _shown(field: str, value) -> str:
    """A value as the preview shows it: choice labels, ISO dates, masked phones."""
    choices = {
        "education": Education,
        "political_status": PoliticalStatus,
        "qualification": Qualification,
        "post": Post,
    }
    if field in choices:
        return str(dict(choices[field].choices).get(value, value)) if value else ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, OrgNode):
        return f"{value.name} ({value.code})"
    return str(value)


def _plan_workers(parsed: list[WorkerRow], report: ImportReport) -> tuple:
    """Which rows add a worker and which change one (field by field); no writes.
    A change of post must start after the post held now (an error on the row)."""
    existing = {
        w.id_number_digest: w
        for w in Worker.objects.filter(
            id_number_digest__in=[p.digest for p in parsed]
        ).select_related("community")
    }
    open_since = dict(
        PostSpan.objects.filter(
            worker__in=existing.values(), end__isnull=True
        ).values_list("worker_id", "start")
    )
    new_rows, changed = [], []
    for p in parsed:
        worker = existing.get(p.digest)
        if worker is None:
            new_rows.append(p)
            report.added.append({"row": p.row.number, "label": p.label})
            continue
        # A blank optional cell keeps what is stored (write 无 to clear a
        # qualification): offices often leave out what they did not collect.
        for field in KEPT_WHEN_BLANK:
            if not p.row.get(field):
                setattr(p, field, getattr(worker, field))
        changes = [
            (field, getattr(worker, field), getattr(p, field))
            for field in FIELDS
            if getattr(worker, field) != getattr(p, field)
        ]
        if p.phone != worker.phone:
            changes.append(("phone_masked", worker.phone_masked, mask_phone(p.phone)))
        if (worker.post, worker.community_id) != (p.post, p.community.pk):
            since = open_since.get(worker.pk)
            if since is not None and p.post_start <= since:
                # The open span would have to end before it began.
                p.row.error(
                    "post_start",
                    gettext_noop(
                        "The post changes: give the day the new post starts, "
                        "after %(start)s."
                    ),
                    start=since.isoformat(),
                )
                continue
            changes.append(("post", worker.post, p.post))
            if worker.community_id != p.community.pk:
                changes.append(("community", worker.community, p.community))
        if changes:
            changed.append((worker, p))
            report.changed.append(
                {
                    "row": p.row.number,
                    "label": p.label,
                    "changes": [
                        [str(Worker._meta.get_field(f).verbose_name)]
                        + [_shown(f, old), _shown(f, new)]
                        for f, old, new in changes
                    ],
                }
            )
        else:
            report.unchanged += 1
    return new_rows, changed


@transaction.atomic
def _write_workers(
    parsed: list[WorkerRow],
    new_rows: list[WorkerRow],
    changed: list[tuple[Worker, WorkerRow]],
) -> None:
    new_workers = [
        Worker(
            name=p.name,
            id_number_encrypted=pii.encrypt(p.id_number),
            id_number_digest=p.digest,
            id_number_masked=mask_id_number(p.id_number),
            gender=p.gender,
            birth_date=p.birth_date,
            education=p.education,
            political_status=p.political_status,
            qualification=p.qualification,
            hire_date=p.hire_date,
            phone_encrypted=pii.encrypt(p.phone),
            phone_masked=mask_phone(p.phone),
            community=p.community,
            post=p.post,
        )
        for p in new_rows
    ]
    spans, closes = [], []
    for worker, p in changed:
        for field in FIELDS:
            setattr(worker, field, getattr(p, field))
        if p.phone != worker.phone:
            worker.phone_encrypted = pii.encrypt(p.phone)
            worker.phone_masked = mask_phone(p.phone)
        if (worker.post, worker.community_id) != (p.post, p.community.pk):
            # A new current post: close the open span the day before it starts.
            closes.append((worker.pk, p.post_start - dt.timedelta(days=1)))
            spans.append(
                PostSpan(
                    worker=worker,
                    post=p.post,
                    community=p.community,
                    start=p.post_start,
                )
            )
            worker.post, worker.community = p.post, p.community
    # bulk_create sets primary keys on PostgreSQL and SQLite (RETURNING).
    Worker.objects.bulk_create(new_workers, batch_size=2000)
    spans += [
        PostSpan(
            worker=w,
            post=w.post,
            community_id=w.community_id,
            start=p.post_start,
        )
        for w, p in zip(new_workers, new_rows)
    ]
    if changed:
        Worker.objects.bulk_update(
            [worker for worker, _p in changed],
            [*FIELDS, "phone_encrypted", "phone_masked", "post", "community"],
            batch_size=2000,
        )
    by_end: dict[dt.date, list[int]] = {}
    for worker_id, end in closes:
        by_end.setdefault(end, []).append(worker_id)
    for end, worker_ids in by_end.items():
        PostSpan.objects.filter(worker_id__in=worker_ids, end__isnull=True).update(
            end=end
        )
    PostSpan.objects.bulk_create(spans, batch_size=2000)


def worker_unmask_id_number(*, worker: Worker, actor, request=None) -> str:
    """The clear ID number of one worker, for a permitted role; always audited."""
    audit_log_write(
        actor=actor,
        action=AuditAction.UNMASK,
        target=worker,
        detail={"field": "id_number"},
        request=request,
    )
    return worker.id_number
