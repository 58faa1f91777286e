from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .db import AppendOnlyModel


class Role(models.TextChoices):
    WORKER = "worker", _("Community worker")
    TRAINER = "trainer", _("Trainer")
    ADMIN = "admin", _("Administrator")


class User(AbstractUser):
    """A sign-in. An administrator manages the subtree below `org`, and nothing else."""

    role = models.CharField(
        _("role"), max_length=16, choices=Role.choices, default=Role.WORKER
    )
    org = models.ForeignKey(
        "org.OrgNode",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("For administrators: the root of the subtree they manage."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="admin") | models.Q(org__isnull=False),
                name="admin_has_org",
            )
        ]

    @property
    def is_administrator(self) -> bool:
        return self.role == Role.ADMIN and self.org_id is not None


class AuditAction(models.TextChoices):
    SIGN_IN = "sign_in", _("Signed in")
    SIGN_IN_FAILED = "sign_in_failed", _("Sign-in failed")
    SIGN_OUT = "sign_out", _("Signed out")
    UNMASK = "unmask", _("Viewed an ID number")
    EXPORT = "export", _("Exported data")
    IMPORT = "import", _("Imported data")
    PERMISSION_CHANGE = "permission_change", _("Changed permissions")
    LEDGER_ADJUST = "ledger_adjust", _("Adjusted the ledger")
    ATTENDANCE_MARK = "attendance_mark", _("Marked attendance by hand")
    CERTIFICATE_ISSUE = "certificate_issue", _("Issued a certificate")
    CERTIFICATE_REVOKE = "certificate_revoke", _("Revoked a certificate")
    YEAR_CLOSE = "year_close", _("Closed a year")
    POLICY_CHANGE = "policy_change", _("Changed the annual rules")
    PLACEMENT_CANCEL = "placement_cancel", _("Cancelled a placement")
    ENROLMENT_UNDO = "enrolment_undo", _("Undid a bulk enrolment")


class AuditLog(AppendOnlyModel):
    """Append-only record of sensitive actions; written only by `audit_log_write`."""

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=32, choices=AuditAction.choices)
    target_type = models.CharField(_("target type"), max_length=64, blank=True)
    target_id = models.CharField(_("target"), max_length=64, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["action", "created_at"])]

    def __str__(self):
        at = timezone.localtime(self.created_at)
        return f"{at:%Y-%m-%d %H:%M} {self.get_action_display()}"
