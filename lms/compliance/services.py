"""Writes of the annual minimum: policy audit, closing a year, reminders."""

from django.forms.models import model_to_dict

from lms.accounts.models import AuditAction
from lms.accounts.services import audit_log_write

from .models import YearPolicy


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
