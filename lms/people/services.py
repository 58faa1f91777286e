"""Writes to the people register: imports, post history, unmasking."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from lms.accounts.models import AuditAction
from lms.accounts.scoping import scope_queryset, scope_root
from lms.accounts.services import audit_log_write
from lms.org.models import OrgLevel, OrgNode
from lms.tabular import (
    ImportFailed,
    ImportReport,
    Row,
    Table,
    choice_lookup,
    collector_paused,
    missing_columns,
    parse_choice,
    parse_date,
    read_table,
)
from lms.tabular.values import parse_phone, squeeze

from . import pii
from .models import (
    Education,
    PoliticalStatus,
    Post,
    PostSpan,
    Qualification,
    Worker,
)
from .rules import (
    EDUCATION_ALIASES,
    POLITICAL_ALIASES,
    POST_ALIASES,
    QUALIFICATION_ALIASES,
    GenderMismatch,
    InvalidIdNumber,
    mask_id_number,
    mask_phone,
    old_enough_to_hire,
    parse_gender,
    parse_id_number,
)

ID_NUMBER_HEADERS = ["身份证号", "身份证号码", "公民身份号码", "身份证", "证件号码"]
WORKER_COLUMNS = {
    "name": ["姓名"],
    "id_number": ID_NUMBER_HEADERS,
    "education": ["学历", "文化程度", "最高学历", "全日制学历"],
    "political_status": ["政治面貌"],
    "qualification": ["职业资格", "社工资格", "职业水平", "社会工作者职业资格"],
    "hire_date": ["入职日期", "入职时间", "聘用日期", "参加社区工作时间"],
    "community_code": ["社区代码", "社区编码", "所在社区代码"],
    "post": ["岗位", "职务", "现任职务", "岗位名称", "现任岗位"],
    "post_start": ["岗位开始日期", "任现职时间", "任职时间", "任职日期"],
    "phone": ["手机号", "手机号码", "联系电话", "手机", "联系方式", "电话"],
    "gender": ["性别"],
}
POST_COLUMNS = {
    "id_number": ID_NUMBER_HEADERS,
    "post": ["岗位", "职务", "岗位名称"],
    "community_code": ["社区代码", "社区编码"],
    "start": ["开始日期", "start_date", "任职时间", "起始日期"],
    "end": ["结束日期", "end_date", "离任时间", "终止日期"],
}


@dataclass
class WorkerRow:
    row: Row
    name: str
    id_number: str
    digest: str
    birth_date: dt.date
    gender: str
    education: str
    political_status: str
    qualification: str
    hire_date: dt.date
    community: OrgNode
    post: str
    post_start: dt.date
    phone: str

    @property
    def label(self) -> str:
        return f"{self.name} {mask_id_number(self.id_number)}"


def _choice(row: Row, key: str, table: dict, required: bool = False) -> str:
    text = row.get(key)
    if not text:
        if required:
            row.error(key, gettext_noop("This column is required."))
        return ""
    try:
        return parse_choice(text, table)
    except ValueError:
        row.error(key, gettext_noop("Unknown value %(value)s."), value=text)
        return ""


def _date(row: Row, key: str, required: bool = True) -> dt.date | None:
    text = row.get(key)
    if not text:
        if required:
            row.error(key, gettext_noop("This column is required."))
        return None
    try:
        return parse_date(text)
    except ValueError:
        row.error(
            key, gettext_noop("Not a date: %(value)s (write 2025-07-01)."), value=text
        )
        return None


def id_number_from_row(row: Row, today: dt.date):
    """The row's ID number checked (any spelling, normalised first), or None with
    the reason recorded on the row."""
    text = row.get("id_number")
    if not text:
        row.error("id_number", gettext_noop("This column is required."))
        return None
    try:
        return parse_id_number(text, today=today)
    except InvalidIdNumber as exc:
        row.error(
            "id_number", gettext_noop("Invalid ID number: %(reason)s."), reason=str(exc)
        )
        return None


# The labels of Gender, as msgids (rendered in both languages in a row's reason).
GENDER_NAMES = {"M": gettext_noop("Male"), "F": gettext_noop("Female")}


def _gender(row: Row, facts) -> str:
    """性别 as typed, checked against the ID number (blank: the ID number's)."""
    text = row.get("gender")
    try:
        return parse_gender(text, facts.gender)
    except GenderMismatch:
        row.error(
            "gender",
            gettext_noop(
                "Gender %(value)s contradicts the ID number (its 17th digit says "
                "%(gender)s)."
            ),
            value=text,
            gender=GENDER_NAMES[facts.gender],
        )
    except ValueError:
        row.error("gender", gettext_noop("Unknown value %(value)s."), value=text)
    return ""


def _communities(actor=None) -> dict[str, OrgNode]:
    """Communities an import may name: the actor's subtree (all for the command line)."""
    qs = OrgNode.objects.filter(level=OrgLevel.COMMUNITY)
    if actor is not None:
        root = scope_root(actor)
        qs = qs.filter(path__startswith=root.path) if root else qs.none()
    return {n.code: n for n in qs}


def missing_column_errors(table: Table, required: list[str]) -> list:
    errors = []
    for column in missing_columns(table, required):
        header = Row(number=table.header_row, values={})
        header.error(column, gettext_noop("Missing column."))
        errors.extend(header.errors)
    return errors


def parse_worker_rows(
    table: Table,
    progress: Callable[[int, int], None] | None = None,
    actor=None,
    today: dt.date | None = None,
) -> tuple[list[WorkerRow], list]:
    """Check every row; return the parsed rows and every error found."""
    today = today or timezone.localdate()
    rows = table.rows
    communities = _communities(actor)
    posts = choice_lookup(Post.choices, POST_ALIASES)
    educations = choice_lookup(Education.choices, EDUCATION_ALIASES)
    politicals = choice_lookup(PoliticalStatus.choices, POLITICAL_ALIASES)
    qualifications = choice_lookup(Qualification.choices, QUALIFICATION_ALIASES)
    errors = missing_column_errors(
        table, ["name", "id_number", "hire_date", "community_code", "post"]
    )
    parsed, seen = [], {}
    for index, row in enumerate(rows, start=1):
        if progress is not None and index % 2000 == 0:
            progress(index, len(rows))
        name = row.get("name")
        if not name:
            row.error("name", gettext_noop("This column is required."))
        elif len(name) > 50:
            row.error("name", gettext_noop("Name is longer than 50 characters."))
        facts = id_number_from_row(row, today)
        digest = pii.digest(facts.id_number) if facts else ""
        if facts and digest in seen:
            row.error(
                "id_number",
                gettext_noop("Same ID number as row %(row)s."),
                row=seen[digest],
            )
        elif facts:
            seen[digest] = row.number
        hire_date = _date(row, "hire_date")
        post_start = _date(row, "post_start", required=False) or hire_date
        community = communities.get(squeeze(row.get("community_code")))
        if community is None:
            row.error(
                "community_code",
                gettext_noop(
                    "Unknown community code %(value)s (or outside your area)."
                ),
                value=row.get("community_code") or "-",
            )
        post = _choice(row, "post", posts, required=True)
        education = _choice(row, "education", educations)
        political = _choice(row, "political_status", politicals)
        qualification = _choice(row, "qualification", qualifications)
        phone = ""
        if row.get("phone"):
            try:
                phone = parse_phone(row.get("phone"))
            except ValueError:
                row.error(
                    "phone",
                    gettext_noop("Not a phone number: %(value)s."),
                    value=row.get("phone"),
                )
        gender = _gender(row, facts) if facts else ""
        if facts and hire_date and not old_enough_to_hire(facts.birth_date, hire_date):
            row.error(
                "hire_date",
                gettext_noop("Younger than 16 on the hire date (born %(birth)s)."),
                birth=facts.birth_date.isoformat(),
            )
        if hire_date and post_start and post_start < hire_date:
            row.error("post_start", gettext_noop("Post starts before the hire date."))
        if row.errors:
            errors.extend(row.errors)
            continue
        parsed.append(
            WorkerRow(
                row=row,
                name=name,
                id_number=facts.id_number,
                digest=digest,
                birth_date=facts.birth_date,
                gender=gender,
                education=education,
                political_status=political,
                qualification=qualification,
                hire_date=hire_date,
                community=community,
                post=post,
                post_start=post_start,
                phone=phone,
            )
        )
    return parsed, errors


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
    communities = _communities(actor)
    errors = missing_column_errors(
        table, ["id_number", "post", "community_code", "start"]
    )
    parsed = []
    for row in rows:
        facts = id_number_from_row(row, today)
        post = _choice(row, "post", posts, required=True)
        community = communities.get(squeeze(row.get("community_code")))
        if community is None:
            row.error(
                "community_code",
                gettext_noop("Unknown community code %(value)s."),
                value=row.get("community_code") or "-",
            )
        start, end = _date(row, "start"), _date(row, "end", required=False)
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
