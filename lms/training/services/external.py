"""External training: a worker's submission, and its approval by a street administrator."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.accounts.scoping import org_in_scope
from lms.accounts.uploads import validate_upload
from lms.training.models import CreditKind, ExternalTraining, ReviewStatus, StudyKind
from lms.training.rules import claim_credit
from lms.training.selectors import CLAIM_MESSAGES, claim_check, claim_policy

from .ledger import credit_entry_create


class ExternalTrainingError(Exception):
    pass


def _refuse(problems: list[str]) -> None:
    if problems:
        raise ValidationError([str(CLAIM_MESSAGES[code]) for code in problems])


def certificate_check(upload) -> str:
    """Accept a PDF, JPEG or PNG no larger than the setting, judged by its whole
    content (the shared upload check); returns its extension."""
    return validate_upload(
        upload,
        kinds=("pdf", "photo"),
        max_bytes=settings.TRAINING_CERTIFICATE_MAX_BYTES,
    )


@transaction.atomic
def external_training_submit(
    *,
    worker,
    title: str,
    start_date: dt.date,
    end_date: dt.date,
    certificate,
    days: Decimal | None = None,
    hours: Decimal | None = None,
    organiser_name: str = "",
    type: str = "",
    form: str = "",
    study_kind: str = StudyKind.TRAINING,
    papers: int | None = None,
) -> ExternalTraining:
    kind = certificate_check(certificate)
    item = ExternalTraining(
        worker=worker,
        title=title.strip(),
        organiser_name=organiser_name.strip(),
        study_kind=study_kind or StudyKind.TRAINING,
        start_date=start_date,
        end_date=end_date,
        days=days,
        hours=hours,
        papers=papers,
    )
    if type:
        item.type = type
    if form:
        item.form = form
    if item.start_date and item.end_date:
        _refuse(claim_check(item))
    # Named by the server from the checked kind, never by the uploader.
    item.certificate.save(f"certificate.{kind}", certificate, save=False)
    item.full_clean()
    item.save()
    return item


def _reviewable(item: ExternalTraining, actor) -> ExternalTraining:
    item = (
        ExternalTraining.objects.select_for_update()
        .select_related("worker__community")
        .get(pk=item.pk)
    )
    if not org_in_scope(actor, item.worker.community):
        raise PermissionDenied
    if item.status != ReviewStatus.PENDING:
        raise ExternalTrainingError(_("This submission has already been reviewed."))
    return item


@transaction.atomic
def external_training_approve(*, item: ExternalTraining, actor) -> ExternalTraining:
    """Approve and credit the ledger (kind external), once."""
    item = _reviewable(item, actor)
    problems = claim_check(item)
    if problems:
        raise ExternalTrainingError(
            " ".join(str(CLAIM_MESSAGES[code]) for code in problems)
        )
    # Converted by the year's table (a paper, hours taught, days at a party school).
    credit = claim_credit(
        kind=item.study_kind,
        days=item.days,
        hours=item.hours,
        papers=item.papers,
        policy=claim_policy(item.start_date.year),
    )
    entry, _created = credit_entry_create(
        worker=item.worker,
        date=item.end_date,
        days=credit.days,
        hours=credit.hours,
        kind=CreditKind.EXTERNAL,
        title=item.title[:200],
        source_key=f"external:{item.pk}",
        training_type=item.type,
        form=item.form,
        evidence={
            "external_training": item.pk,
            "certificate": item.certificate.name,
            "organiser": item.organiser_name,
            "start_date": item.start_date.isoformat(),
            "end_date": item.end_date.isoformat(),
            "study_kind": item.study_kind,
            "claimed": {
                "days": str(item.days) if item.days is not None else None,
                "hours": str(item.hours) if item.hours is not None else None,
                "papers": item.papers,
            },
        },
        created_by=actor,
    )
    item.status = ReviewStatus.APPROVED
    item.reviewed_by = actor
    item.reviewed_at = timezone.now()
    item.credit = entry
    item.save(update_fields=["status", "reviewed_by", "reviewed_at", "credit"])
    return item


@transaction.atomic
def external_training_reject(
    *, item: ExternalTraining, actor, reason: str
) -> ExternalTraining:
    if not (reason or "").strip():
        raise ExternalTrainingError(_("Give a reason for the rejection."))
    item = _reviewable(item, actor)
    item.status = ReviewStatus.REJECTED
    item.reviewed_by = actor
    item.reviewed_at = timezone.now()
    item.reason = reason.strip()
    item.save(update_fields=["status", "reviewed_by", "reviewed_at", "reason"])
    return item
