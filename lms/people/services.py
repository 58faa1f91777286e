"""Writes to the people register: imports, post history, unmasking."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_noop

from lms.accounts.models import AuditAction
from lms.accounts.scoping import scope_queryset, scope_root
from lms.accounts.services import audit_log_write
from lms.org.models import OrgLevel, OrgNode
from lms.tabular import (
    ImportFailed,
    Row,
    choice_lookup,
    missing_columns,
    parse_date,
    read_table,
)

from . import pii
from .models import (
    Education,
    PoliticalStatus,
    Post,
    PostSpan,
    Qualification,
    Worker,
)
from .rules import InvalidIdNumber, mask_id_number, mask_phone, parse_id_number

WORKER_COLUMNS = {
    "name": ["姓名"],
    "id_number": ["身份证号", "身份证号码", "公民身份号码"],
    "education": ["学历"],
    "political_status": ["政治面貌"],
    "qualification": ["职业资格"],
    "hire_date": ["入职日期"],
    "community_code": ["社区代码"],
    "post": ["岗位"],
    "post_start": ["岗位开始日期"],
    "phone": ["手机号", "手机号码", "联系电话"],
}
POST_COLUMNS = {
    "id_number": ["身份证号", "身份证号码"],
    "post": ["岗位"],
    "community_code": ["社区代码"],
    "start": ["开始日期", "start_date"],
    "end": ["结束日期", "end_date"],
}
POST_ALIASES = {
    "社区党组织书记": "secretary",
    "书记": "secretary",
    "社区书记": "secretary",
    "书记兼主任": "secretary",
    "副书记": "deputy",
    "副主任": "deputy",
    "副书记/副主任": "deputy",
    "两委委员": "member",
    "委员": "member",
    "社区专职工作者": "staff",
    "专职工作者": "staff",
    "社区干事": "staff",
    "网格员": "grid_worker",
    "专职网格员": "grid_worker",
    "专职党务工作者": "party_affairs",
}
EDUCATION_ALIASES = {
    "初中": "junior_high",
    "初中及以下": "junior_high",
    "小学": "junior_high",
    "高中": "senior_high",
    "中专": "senior_high",
    "职高": "senior_high",
    "大专": "college",
    "专科": "college",
    "本科": "bachelor",
    "大学本科": "bachelor",
    "硕士": "master",
    "研究生": "master",
    "博士": "master",
}
POLITICAL_ALIASES = {
    "中共党员": "cpc_member",
    "党员": "cpc_member",
    "中共预备党员": "cpc_probationary",
    "预备党员": "cpc_probationary",
    "共青团员": "cyl_member",
    "团员": "cyl_member",
    "民主党派": "other_party",
    "群众": "masses",
}
QUALIFICATION_ALIASES = {
    "无": "",
    "助理社会工作师": "assistant",
    "社会工作师": "social_worker",
    "高级社会工作师": "senior",
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


def _choice(row: Row, key: str, table: dict, required: bool = False) -> str:
    text = row.get(key)
    if not text:
        if required:
            row.error(key, gettext_noop("This column is required."))
        return ""
    value = table.get(text.lower())
    if value is None:
        row.error(key, gettext_noop("Unknown value %(value)s."), value=text)
        return ""
    return value


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


def _id_number(row: Row) -> tuple | None:
    text = row.get("id_number").strip().upper() if row.get("id_number") else ""
    if not text:
        row.error("id_number", gettext_noop("This column is required."))
        return None
    try:
        return parse_id_number(text)
    except InvalidIdNumber as exc:
        row.error(
            "id_number", gettext_noop("Invalid ID number: %(reason)s."), reason=str(exc)
        )
        return None


def _communities(actor=None) -> dict[str, OrgNode]:
    """Communities an import may name: the actor's subtree (all for the command line)."""
    qs = OrgNode.objects.filter(level=OrgLevel.COMMUNITY)
    if actor is not None:
        root = scope_root(actor)
        qs = qs.filter(path__startswith=root.path) if root else qs.none()
    return {n.code: n for n in qs}


def _missing_column_errors(rows: list[Row], required: list[str]) -> list:
    errors = []
    for column in missing_columns(rows, required):
        header = Row(number=1, values={})
        header.error(column, gettext_noop("Missing column."))
        errors.extend(header.errors)
    return errors


def parse_worker_rows(
    rows: list[Row],
    progress: Callable[[int, int], None] | None = None,
    actor=None,
) -> tuple[list[WorkerRow], list]:
    """Check every row; return the parsed rows and every error found."""
    communities = _communities(actor)
    posts = choice_lookup(Post.choices, POST_ALIASES)
    educations = choice_lookup(Education.choices, EDUCATION_ALIASES)
    politicals = choice_lookup(PoliticalStatus.choices, POLITICAL_ALIASES)
    qualifications = choice_lookup(Qualification.choices, QUALIFICATION_ALIASES)
    errors = _missing_column_errors(
        rows, ["name", "id_number", "hire_date", "community_code", "post"]
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
        facts = _id_number(row)
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
        community = communities.get(row.get("community_code"))
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
        phone = row.get("phone").replace(" ", "").replace("-", "")
        if phone and not (phone.isdigit() and 7 <= len(phone) <= 15):
            row.error(
                "phone", gettext_noop("Not a phone number: %(value)s."), value=phone
            )
        if facts and hire_date and hire_date < facts.birth_date:
            row.error("hire_date", gettext_noop("Hired before being born."))
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
                gender=facts.gender,
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


def worker_import(*, name: str, content: bytes, actor=None, progress=None) -> dict:
    """Import the register from CSV/XLSX: all rows or none. Re-importing changes nothing."""
    rows = read_table(name, content, WORKER_COLUMNS)
    parsed, errors = parse_worker_rows(rows, progress, actor)
    errors += _outside_scope(parsed, actor)
    if errors:
        raise ImportFailed(errors)
    result = _apply_workers(parsed)
    if actor is not None:
        audit_log_write(
            actor=actor,
            action=AuditAction.IMPORT,
            detail={"kind": "workers", "file": name, **result},
        )
    return result


def _outside_scope(parsed: list[WorkerRow], actor) -> list:
    """Rows naming a person registered in a community outside the actor's subtree."""
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


@transaction.atomic
def _apply_workers(parsed: list[WorkerRow]) -> dict:
    existing = {
        w.id_number_digest: w
        for w in Worker.objects.filter(id_number_digest__in=[p.digest for p in parsed])
    }
    new_workers, changed, spans, closes = [], [], [], []
    for p in parsed:
        worker = existing.get(p.digest)
        if worker is None:
            new_workers.append(
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
            )
            continue
        dirty = False
        for field in FIELDS:
            if getattr(worker, field) != getattr(p, field):
                setattr(worker, field, getattr(p, field))
                dirty = True
        if p.phone != worker.phone:
            worker.phone_encrypted, worker.phone_masked = (
                pii.encrypt(p.phone),
                mask_phone(p.phone),
            )
            dirty = True
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
            dirty = True
        if dirty:
            changed.append(worker)
    # bulk_create sets primary keys on PostgreSQL and SQLite (RETURNING).
    Worker.objects.bulk_create(new_workers, batch_size=2000)
    by_digest = {p.digest: p for p in parsed}
    spans += [
        PostSpan(
            worker=w,
            post=w.post,
            community_id=w.community_id,
            start=by_digest[w.id_number_digest].post_start,
        )
        for w in new_workers
    ]
    if changed:
        Worker.objects.bulk_update(
            changed,
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
    return {
        "created": len(new_workers),
        "updated": len(changed),
        "unchanged": len(parsed) - len(new_workers) - len(changed),
    }


def post_import(*, name: str, content: bytes, actor=None, progress=None) -> dict:
    """Import post history. A row with the same person, post and start date as a stored
    span is that span and sets its end date; spans of one person may not overlap."""
    rows = read_table(name, content, POST_COLUMNS)
    posts = choice_lookup(Post.choices, POST_ALIASES)
    communities = _communities(actor)
    errors = _missing_column_errors(
        rows, ["id_number", "post", "community_code", "start"]
    )
    parsed = []
    for row in rows:
        facts = _id_number(row)
        post = _choice(row, "post", posts, required=True)
        community = communities.get(row.get("community_code"))
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
        raise ImportFailed(errors)
    result = _apply_spans(stored)
    if actor is not None:
        audit_log_write(
            actor=actor,
            action=AuditAction.IMPORT,
            detail={"kind": "posts", "file": name, **result},
        )
    return result


@transaction.atomic
def _apply_spans(stored: dict[int, dict]) -> dict:
    created = updated = 0
    current = {}
    for worker_id, spans in stored.items():
        for span in spans.values():
            if not hasattr(span, "_row"):
                continue
            if span.pk is None:
                span.save()
                created += 1
            elif span._original != (span.community_id, span.end):
                span.save(update_fields=["community", "end"])
                updated += 1
        latest = max(spans.values(), key=lambda s: s.start)
        current[worker_id] = latest
    for worker in Worker.objects.filter(pk__in=current):
        latest = current[worker.pk]
        if (worker.post, worker.community_id) != (latest.post, latest.community_id):
            worker.post, worker.community_id = latest.post, latest.community_id
            worker.save(update_fields=["post", "community"])
    return {"created": created, "updated": updated}


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
