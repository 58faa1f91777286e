"""Celery tasks of mentoring: thin, taking ids, each calling one service."""

import datetime as dt
from decimal import Decimal

from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.utils import translation
from django.utils.translation import gettext as _

from lms.jobs.models import Job
from lms.jobs.services import job_fail, job_finish, job_start
from lms.org.models import OrgNode
from lms.tabular import write_table

from .models import Mentor, Studio
from .services import (
    PlacementError,
    pair_reminders_send,
    placement_bulk_create,
    question_reminders_send,
)


@shared_task(acks_late=True)
def placement_bulk_create_task(job_id: int) -> None:
    """Place a subtree's workers with a mentor; idempotent, so a redelivered task
    adds nothing."""
    job = Job.objects.get(pk=job_id)
    if job.finished:
        return
    actor = get_user_model().objects.get(pk=job.created_by_id)
    p = job.params
    job_start(job_id=job_id, total=0)
    with translation.override(p.get("language", "zh-hans")):
        try:
            result = placement_bulk_create(
                org=OrgNode.objects.get(pk=p["org_id"]),
                posts=p.get("posts", []),
                mentor=Mentor.objects.get(pk=p["mentor_id"]),
                studio=Studio.objects.filter(pk=p.get("studio_id")).first(),
                kind=p["kind"],
                start=dt.date.fromisoformat(p["start"]),
                end=dt.date.fromisoformat(p["end"]),
                planned_days=Decimal(p["planned_days"]),
                goals=p.get("goals", ""),
                actor=actor,
                progress=lambda done, total: Job.objects.filter(pk=job_id).update(
                    total=total, done=done
                ),
            )
        except (OrgNode.DoesNotExist, Mentor.DoesNotExist):
            job_fail(job_id=job_id, message=_("The mentor or organisation is gone."))
            return
        except PermissionDenied:
            job_fail(job_id=job_id, message=_("Outside the organisations you manage."))
            return
        except PlacementError as exc:
            job_fail(job_id=job_id, message=str(exc))
            return
        headers = [_("name"), _("ID number"), _("community"), _("outcome")]
        job_finish(
            job_id=job_id,
            message=_("%(placed)s placed, %(skipped)s skipped.") % result,
            result_name=f"placements-{job_id}.xlsx",
            result=ContentFile(write_table("xlsx", headers, result["report"])),
        )


@shared_task
def question_reminders_send_task() -> dict:
    """Daily: remind about unanswered questions (idempotent per question and level)."""
    return question_reminders_send()


@shared_task
def pair_reminders_send_task() -> int:
    """Monthly: remind pairs without a record for the last month (once each)."""
    return pair_reminders_send()
