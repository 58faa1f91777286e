"""Celery tasks of mentoring: thin, taking ids, each calling one service."""

import datetime as dt
from decimal import Decimal

from celery import shared_task
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from lms.accounts.exports import write_table
from lms.jobs.models import Job
from lms.jobs.services import JobFailed, JobOutcome, job_run
from lms.org.models import OrgNode

from .models import Mentor, Studio
from .services.pairs import pair_reminders_send
from .services.placements import PlacementError, placement_bulk_create
from .services.questions import question_reminders_send


@shared_task(acks_late=True)
def placement_bulk_create_task(job_id: int) -> None:
    """Place a subtree's workers with a mentor; idempotent, so a redelivered task
    adds nothing."""

    def work(job: Job, progress) -> JobOutcome:
        p = job.params
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
                actor=job.created_by,
                progress=progress,
            )
        except (OrgNode.DoesNotExist, Mentor.DoesNotExist):
            raise JobFailed(_("The mentor or organisation is gone.")) from None
        except PermissionDenied:
            raise JobFailed(_("Outside the organisations you manage.")) from None
        except PlacementError as exc:
            raise JobFailed(str(exc)) from None
        headers = [_("name"), _("ID number"), _("community"), _("outcome")]
        return JobOutcome(
            message=_("%(placed)s placed, %(skipped)s skipped.") % result,
            result_name=f"placements-{job.pk}.xlsx",
            result=ContentFile(write_table("xlsx", headers, result["report"])),
        )

    job_run(job_id=job_id, work=work)


@shared_task
def question_reminders_send_task() -> dict:
    """Daily: remind about unanswered questions (idempotent per question and level)."""
    return question_reminders_send()


@shared_task
def pair_reminders_send_task() -> int:
    """Monthly: remind pairs without a record for the last month (once each)."""
    return pair_reminders_send()
