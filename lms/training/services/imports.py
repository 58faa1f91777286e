"""`import_training`: classes run outside the platform, credited from a spreadsheet."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop as N_

from lms.accounts.models import AuditAction
from lms.accounts.scoping import scope_root
from lms.accounts.services import audit_log_write
from lms.org.models import OrgNode
from lms.people import pii
from lms.people.models import Worker
from lms.people.rules import InvalidIdNumber, mask_id_number, parse_id_number
from lms.tabular import (
    ImportFailed,
    ImportReport,
    Row,
    Table,
    choice_lookup,
    missing_columns,
    parse_choice,
    parse_date,
    parse_decimal,
    read_table,
)
from lms.tabular.values import squeeze
from lms.training.models import CreditEntry, CreditKind, TrainingForm, TrainingType
from lms.training.policy import hours_per_day
from lms.training.rules import days_to_hours, hours_to_days, import_row_digest

COLUMNS = {
    "id_number": ["身份证号", "身份证号码", "公民身份号码", "身份证", "id number"],
    "title": ["培训名称", "name", "training"],
    "type": ["培训类型", "training type"],
    "form": ["培训形式", "training form"],
    "organiser_code": ["主办单位代码", "organiser", "organizer_code"],
    "start_date": ["开始日期", "start"],
    "end_date": ["结束日期", "end"],
    "days": ["天数", "day"],
    "hours": ["学时", "study hours", "hour"],
}
REQUIRED = ["id_number", "title", "type", "form", "start_date", "end_date"]
TYPE_ALIASES = {
    "初任培训": "induction",
    "入职培训": "induction",
    "岗位培训": "on_the_job",
    "继续教育": "continuing",
    "职业资格考前培训": "exam_prep",
    "考前培训": "exam_prep",
    "轮训": "rotation",
}
FORM_ALIASES = {
    "集中培训": "in_person",
    "线下培训": "in_person",
    "网络培训": "online",
    "线上培训": "online",
    "实体培训班": "in_person",
    "网络课堂": "online",
    "现场教学": "on_site",
    "实践教学": "on_site",
    "案例教学": "case_study",
    "讲坛": "forum",
    "跟班学习": "shadowing",
    "传帮带": "shadowing",
    "外出考察学习": "study_tour",
    "考察学习": "study_tour",
}
MAX_DAYS = Decimal("60")


@dataclass
class TrainingRow:
    row: Row
    worker_digest: str
    label: str
    title: str
    type: str
    form: str
    organiser: OrgNode | None
    start: dt.date
    end: dt.date
    days: Decimal
    hours: Decimal
    source_key: str


def _positive(row: Row, key: str) -> Decimal | None:
    text = row.get(key)
    if not text:
        return None
    try:
        value = parse_decimal(text)
    except ValueError:
        row.error(key, N_("Not a number: %(value)s."), value=text)
        return None
    if value <= 0 or value > MAX_DAYS * 24:
        row.error(key, N_("Out of range: %(value)s."), value=text)
        return None
    return value


def _parse(table: Table, actor, today: dt.date) -> tuple[list[TrainingRow], list]:
    rows = table.rows
    errors = []
    for column in missing_columns(table, REQUIRED):
        header = Row(number=table.header_row, values={})
        header.error(column, N_("Missing column."))
        errors.extend(header.errors)
    if rows and missing_columns(table, ["days"]) and missing_columns(table, ["hours"]):
        header = Row(number=table.header_row, values={})
        header.error("days", N_("Give a days (天数) or a study hours (学时) column."))
        errors.extend(header.errors)
    if errors:
        return [], errors
    types = choice_lookup(TrainingType.choices, TYPE_ALIASES)
    forms = choice_lookup(TrainingForm.choices, FORM_ALIASES)
    root = scope_root(actor) if actor is not None else None
    orgs = {n.code: n for n in OrgNode.objects.all()}
    digests, labels = {}, {}
    for row in rows:
        try:
            # Any spelling (full-width, spaces, zero-width) is checked canonical.
            number = parse_id_number(row.get("id_number"), today=today).id_number
        except InvalidIdNumber as exc:
            row.error(
                "id_number", N_("Invalid ID number: %(reason)s."), reason=str(exc)
            )
        else:
            digests[row.number] = pii.digest(number)
            labels[row.number] = mask_id_number(number)
    workers_qs = Worker.objects.filter(id_number_digest__in=digests.values())
    workers = dict(
        workers_qs.values_list("id_number_digest", "community__path").iterator()
    )
    parsed = []
    for row in rows:
        digest = digests.get(row.number)
        if digest is not None:
            path = workers.get(digest)
            if path is None:
                row.error("id_number", N_("No worker with this ID number."))
            elif actor is not None and not actor.is_superuser:
                if root is None or not path.startswith(root.path):
                    row.error(
                        "id_number", N_("This person is registered outside your area.")
                    )
        title = row.get("title").strip()
        if not title:
            row.error("title", N_("This column is required."))
        elif len(title) > 200:
            row.error("title", N_("Too long (at most 200 characters)."))
        values = {}
        for key, table in (("type", types), ("form", forms)):
            text = row.get(key)
            values[key] = _choice(text, table)
            if not text:
                row.error(key, N_("This column is required."))
            elif values[key] is None:
                row.error(key, N_("Unknown value %(value)s."), value=text)
        organiser = None
        code = squeeze(row.get("organiser_code"))
        if code:
            organiser = orgs.get(code)
            if organiser is None:
                row.error(
                    "organiser_code",
                    N_("Unknown organisation code %(value)s."),
                    value=code,
                )
        dates = {}
        for key in ("start_date", "end_date"):
            text = row.get(key)
            if not text:
                row.error(key, N_("This column is required."))
                continue
            try:
                dates[key] = parse_date(text)
            except ValueError:
                row.error(
                    key, N_("Not a date: %(value)s (write 2025-07-01)."), value=text
                )
        start, end = dates.get("start_date"), dates.get("end_date")
        if start and end and end < start:
            row.error("end_date", N_("The end date is before the start date."))
        days, hours = _positive(row, "days"), _positive(row, "hours")
        if not row.get("days") and not row.get("hours"):
            row.error("days", N_("Give the days (天数) or the study hours (学时)."))
        if (
            days is not None
            and start
            and end
            and end >= start
            and days > (end - start).days + 1
        ):
            row.error("days", N_("More days than the dates span."))
        if row.errors:
            errors.extend(row.errors)
            continue
        per_day = hours_per_day(end.year)
        if days is None:
            days = hours_to_days(hours, per_day)
        if hours is None:
            hours = days_to_hours(days, per_day)
        key = import_row_digest(
            digest,
            title,
            values["type"],
            values["form"],
            code,
            start.isoformat(),
            end.isoformat(),
            str(days),
            str(hours),
        )
        parsed.append(
            TrainingRow(
                row,
                digest,
                labels[row.number],
                title,
                values["type"],
                values["form"],
                organiser,
                start,
                end,
                days,
                hours,
                f"import:{key}",
            )
        )
    return parsed, errors


def _choice(text: str, table: dict) -> str | None:
    try:
        return parse_choice(text, table) if text else None
    except ValueError:
        return None


@transaction.atomic
def training_import(
    *,
    name: str,
    content: bytes,
    actor=None,
    progress=None,
    sheet: str = "",
    dry_run: bool = False,
    today: dt.date | None = None,
) -> ImportReport:
    """Credit training recorded elsewhere: all rows or none; re-importing adds nothing
    (each row's ledger source is a digest of the row). With `dry_run` nothing is
    written and the report lists the entries that would be added."""
    table = read_table(name, content, COLUMNS, identifying=["id_number"], sheet=sheet)
    parsed, errors = _parse(table, actor, today or timezone.localdate())
    if errors:
        raise ImportFailed(errors, table.ignored)
    report = ImportReport(ignored=table.ignored, dry_run=dry_run)
    if progress:
        progress(0, len(parsed))
    workers = dict(
        Worker.objects.filter(
            id_number_digest__in={p.worker_digest for p in parsed}
        ).values_list("id_number_digest", "id")
    )
    keys = {p.source_key for p in parsed}
    stored = set(
        CreditEntry.objects.filter(
            source_key__in=keys, worker_id__in=workers.values()
        ).values_list("worker_id", "source_key")
    )
    new, seen = [], set()
    for p in parsed:
        ident = (workers[p.worker_digest], p.source_key)
        if ident in stored or ident in seen:
            continue
        seen.add(ident)
        report.added.append(
            {"row": p.row.number, "label": f"{p.label} {p.title} {p.days}"}
        )
        if dry_run:
            continue
        entry = CreditEntry(
            worker_id=ident[0],
            date=p.end,
            days=p.days,
            hours=p.hours,
            kind=CreditKind.EXTERNAL,
            training_type=p.type,
            form=p.form,
            organiser=p.organiser,
            title=p.title,
            source_key=p.source_key,
            evidence={
                "import": name,
                "row": p.row.number,
                "start_date": p.start.isoformat(),
                "end_date": p.end.isoformat(),
            },
            created_by=actor if actor is not None and actor.pk else None,
        )
        new.append(entry)
    report.unchanged = len(parsed) - len(report.added)
    if dry_run:
        return report
    CreditEntry.objects.bulk_create(new, batch_size=2000)
    if progress:
        progress(len(parsed), len(parsed))
    if actor is not None:
        audit_log_write(
            actor=actor,
            action=AuditAction.IMPORT,
            detail={"kind": "training", "file": name, **report.counts},
        )
    return report
