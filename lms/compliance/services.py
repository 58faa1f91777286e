"""Writes of the annual minimum: policy audit, closing a year, reminders."""

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.core.mail import get_connection, send_mail
from django.db import transaction
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lms.accounts.models import AuditAction, Role, User
from lms.accounts.scoping import scope_root
from lms.accounts.services import audit_log_write
from lms.org.models import OrgLevel, OrgNode

from . import rules
from .errors import ComplianceError
from .models import (
    ComplianceSnapshot,
    Notification,
    NotificationKind,
    YearPolicy,
)
from .selectors import (
    compliance_rows,
    policy_for_year,
    reasons_to_json,
)


def year_policy_audit(*, policy: YearPolicy, actor, request=None) -> None:
    """Record a change of the annual rules (every value after the change)."""
    values = {k: str(v) for k, v in model_to_dict(policy).items() if k != "id"}
    audit_log_write(
        actor=actor,
        action=AuditAction.POLICY_CHANGE,
        target=policy,
        detail={"year": policy.year, "values": values},
        request=request,
    )


# --- closing a year ---------------------------------------------------------------------


@transaction.atomic
def year_close(*, year: int, actor, today: dt.date | None = None, request=None):
    """Freeze `year`: snapshot every worker's compliance, then refuse plain credits.

    Only a city administrator (the root of the tree) with `close_year` may close a
    year, and only once it has ended.
    """
    today = today or timezone.localdate()
    root = scope_root(actor)
    if (
        root is None
        or not root.is_root()
        or not actor.has_perm("compliance.close_year")
    ):
        raise ComplianceError(_("Only a city administrator may close a year."))
    if today <= dt.date(year, 12, 31):
        raise ComplianceError(_("A year can be closed only after it has ended."))
    policy_row, _created = YearPolicy.objects.select_for_update().get_or_create(
        year=year
    )
    if policy_row.closed:
        raise ComplianceError(_("This year is already closed."))
    rows = compliance_rows(
        year=year,
        policy=policy_row.to_policy(),
        as_of=max(today, dt.date(year + 1, 1, 1)),
        use_snapshot=False,
    )
    ComplianceSnapshot.objects.bulk_create(
        [
            ComplianceSnapshot(
                year=year,
                worker_id=row.worker_id,
                community_id=row.community_id,
                name=row.name,
                id_number_masked=row.id_number_masked,
                post=row.post,
                required_days=row.result.required_days,
                achieved_days=row.result.achieved_days,
                in_person_days=row.result.in_person_days,
                online_days=row.result.online_days,
                counted_online_days=row.result.counted_online_days,
                shortfall_days=row.result.shortfall_days,
                rotation_required=row.result.rotation_required,
                rotation_done=row.result.rotation_done,
                induction=row.result.induction,
                status=row.result.status,
                reasons=reasons_to_json(row.result.reasons),
            )
            for row in rows
        ],
        batch_size=2000,
    )
    policy_row.closed = True
    policy_row.closed_at = timezone.now()
    policy_row.closed_by = actor
    policy_row.save(update_fields=["closed", "closed_at", "closed_by", "updated_at"])
    met = sum(1 for row in rows if row.status == rules.MET)
    audit_log_write(
        actor=actor,
        action=AuditAction.YEAR_CLOSE,
        target=policy_row,
        detail={"year": year, "workers": len(rows), "met": met},
        request=request,
    )
    return policy_row


# --- reminders -----------------------------------------------------------------------


def reminder_period(day: dt.date) -> str:
    """The reminder period containing `day`: "2026-11" (month) or "2026-Q4"."""
    if settings.COMPLIANCE_REMINDER_PERIOD == "quarter":
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"
    return f"{day.year}-{day.month:02d}"


def reminders_send(*, today: dt.date | None = None) -> dict:
    """Notify at-risk workers of the current year and their street administrators.

    Once per period at most: the (worker, period) and (administrator, street, period)
    unique constraints make a repeated or concurrent run send nothing twice.
    """
    today = today or timezone.localdate()
    policy = policy_for_year(today.year)
    if policy.closed:
        return {"workers": 0, "admins": 0}
    period = reminder_period(today)
    rows = [
        r
        for r in compliance_rows(year=today.year, policy=policy, as_of=today)
        if r.status == rules.AT_RISK and r.user_id
    ]
    done = set(
        Notification.objects.filter(
            kind=NotificationKind.AT_RISK, period=period
        ).values_list("worker_id", flat=True)
    )
    fresh = [r for r in rows if r.worker_id not in done]
    link = reverse("compliance:mine")
    emails = dict(
        User.objects.filter(id__in=[r.user_id for r in fresh])
        .exclude(email="")
        .values_list("id", "email")
    )
    notes = []
    with translation.override(settings.LANGUAGE_CODE):
        for row in fresh:
            reasons = "; ".join(r.render(_) for r in row.result.reasons)
            notes.append(
                Notification(
                    recipient_id=row.user_id,
                    kind=NotificationKind.AT_RISK,
                    worker_id=row.worker_id,
                    org_id=row.community_id,
                    period=period,
                    title=str(NotificationKind.AT_RISK.label),
                    body=_(
                        "%(achieved)s of %(required)s training days so far this "
                        "year. %(reasons)s"
                    )
                    % {
                        "achieved": row.result.achieved_days,
                        "required": row.result.required_days,
                        "reasons": reasons,
                    },
                    link=link,
                    emailed=row.user_id in emails,
                )
            )
        created = Notification.objects.bulk_create(
            notes, batch_size=2000, ignore_conflicts=True
        )
        admin_notes = _street_digests(rows=rows, period=period)
    _email(notes=[n for n in notes if n.emailed], emails=emails)
    return {"workers": len(created), "admins": admin_notes, "period": period}


def _street_digests(*, rows, period: str) -> int:
    """One notification per street administrator listing the street's at-risk workers."""
    streets = {
        s.path: s
        for s in OrgNode.objects.filter(level=OrgLevel.STREET).only(
            "id", "path", "name", "code", "depth"
        )
    }
    if not streets:
        return 0
    cut = len(next(iter(streets)))
    by_street = defaultdict(list)
    codes = {s.id: s.code for s in streets.values()}
    for row in rows:
        street = streets.get(row.org_path[:cut])
        if street is not None:
            by_street[street.id].append(row)
    admins = User.objects.filter(
        role=Role.ADMIN, org_id__in=list(by_street), is_active=True
    ).only("id", "email", "org_id")
    done = set(
        Notification.objects.filter(
            kind=NotificationKind.STREET_DIGEST, period=period
        ).values_list("recipient_id", "org_id")
    )
    link = reverse("compliance:dashboard")
    notes = []
    for admin in admins:
        if (admin.id, admin.org_id) in done:
            continue
        street_rows = by_street[admin.org_id]
        names = "、".join(r.name for r in street_rows[:50])
        more = len(street_rows) - 50
        body = _("%(count)s workers at risk: %(names)s") % {
            "count": len(street_rows),
            "names": names + (f" … (+{more})" if more > 0 else ""),
        }
        notes.append(
            Notification(
                recipient_id=admin.id,
                kind=NotificationKind.STREET_DIGEST,
                org_id=admin.org_id,
                period=period,
                title=str(NotificationKind.STREET_DIGEST.label),
                body=body,
                link=f"{link}?org={codes[admin.org_id]}",
                emailed=bool(admin.email),
            )
        )
    created = Notification.objects.bulk_create(notes, ignore_conflicts=True)
    _email(notes=[n for n in notes if n.emailed], emails=None)
    return len(created)


def _email(*, notes, emails) -> None:
    if not notes:
        return
    if emails is None:
        emails = dict(
            User.objects.filter(id__in=[n.recipient_id for n in notes]).values_list(
                "id", "email"
            )
        )
    connection = get_connection()
    for note in notes:
        address = emails.get(note.recipient_id)
        if address:
            send_mail(
                note.title,
                f"{note.body}\n\n{settings.SITE_URL}{note.link}",
                None,
                [address],
                connection=connection,
                fail_silently=True,
            )


def notification_mark_read(*, user, notification_id: int) -> None:
    Notification.objects.filter(
        pk=notification_id, recipient=user, read_at__isnull=True
    ).update(read_at=timezone.now())
