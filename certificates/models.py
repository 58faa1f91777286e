import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from lms.accounts.db import AppendOnlyModel
from lms.accounts.files import private_storage
from lms.accounts.pdf import (
    clean_template_css,
    refusal_message,
    template_html_refused,
)

from . import rules
from .layout import DEFAULT_CSS, DEFAULT_LAYOUT, LAYOUT_ONLY_PLACEHOLDERS


class CertificateKind(models.TextChoices):
    COMPLETION = "completion", _("Training completion certificate")
    ANNUAL = "annual", _("Annual training record")
    HONOUR = "honour", _("Honour certificate for 20 years of service")
    MEDAL = "medal", _("Medal record for 30 years of service")
    COURSE = "course", _("Online course completion certificate")


class Orientation(models.TextChoices):
    PORTRAIT = "portrait", _("A4 portrait")
    LANDSCAPE = "landscape", _("A4 landscape")


class CertificateTemplate(models.Model):
    """How one kind of certificate looks and reads for the organisations under `org`.

    Edited in the Wagtail admin. The most specific active template (the one whose
    `org` is the nearest ancestor of the issuing organisation) is used.
    """

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=CertificateKind.choices)
    org = models.ForeignKey(
        "org.OrgNode",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Used for certificates issued in this organisation's subtree."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    orientation = models.CharField(
        _("page"),
        max_length=16,
        choices=Orientation.choices,
        default=Orientation.LANDSCAPE,
    )
    heading = models.CharField(_("heading"), max_length=50, default="结业证书")
    wording = models.TextField(
        _("wording"),
        help_text=_(
            "Placeholders: {name} {title} {days} {hours} {year} {serial} {issuer} "
            "{issue_date} {service_years} {organiser} {community} {completion_date}"
        ),
    )
    issuer_name = models.CharField(
        _("issuing body"),
        max_length=100,
        help_text=_("Printed under the seal, e.g. 示范市民政局."),
    )
    issuer_code = models.CharField(
        _("issuer code"),
        max_length=4,
        help_text=_(
            "2–4 letters or digits starting every serial (no I, L, O or U), e.g. SQ."
        ),
    )
    signatory = models.CharField(_("signatory"), max_length=50, blank=True)
    seal_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("seal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signature_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("signature"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    layout_html = models.TextField(
        _("layout (HTML)"),
        default=DEFAULT_LAYOUT,
        help_text=_(
            "Also {heading} {wording} {qr} {seal} {signature} {signatory} {verify_url}."
        ),
    )
    css = models.TextField(_("style (CSS)"), default=DEFAULT_CSS, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")
        ordering = ["kind", "name"]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"

    def clean(self):
        errors = {}
        self.issuer_code = (self.issuer_code or "").strip().upper()
        if not rules.valid_issuer_code(self.issuer_code):
            errors["issuer_code"] = _(
                "Use 2–4 characters from 0–9 and A–Z without I, L, O and U."
            )
        unknown = rules.unknown_placeholders(self.wording)
        if unknown:
            errors["wording"] = _("Unknown placeholders: %(names)s") % {
                "names": ", ".join(f"{{{n}}}" for n in unknown)
            }
        unknown = [
            n
            for n in rules.unknown_placeholders(self.layout_html)
            if n not in LAYOUT_ONLY_PLACEHOLDERS
        ]
        if unknown:
            errors["layout_html"] = _("Unknown placeholders: %(names)s") % {
                "names": ", ".join(f"{{{n}}}" for n in unknown)
            }
        # Only an allow-list of tags, classes and CSS reaches WeasyPrint.
        refused = template_html_refused(self.layout_html)
        if refused:
            errors.setdefault("layout_html", refusal_message(refused))
        refused = clean_template_css(self.css)[1]
        if refused:
            errors["css"] = refusal_message(refused)
        if errors:
            raise ValidationError(errors)


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    REVOKED = "revoked", _("Revoked")
    SUPERSEDED = "superseded", _("Superseded")


def certificate_file_path(instance, filename):
    # A random folder: knowing a serial is not enough to fetch the file.
    return f"certificates/{instance.year}/{secrets.token_hex(8)}/{filename}"


class Certificate(models.Model):
    """An issued certificate. What it certifies is copied in at issue time, so it
    reads the same for ever; its history is in CertificateEvent."""

    serial = models.CharField(_("serial"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=CertificateKind.choices)
    worker = models.ForeignKey(
        "people.Worker",
        verbose_name=_("holder"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    # What is certified: enrolment:<id>, year:<yyyy>, service:<years>, course:<id>.
    subject_key = models.CharField(_("subject"), max_length=64)
    generation = models.PositiveSmallIntegerField(_("generation"), default=0)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="replaced_by",
    )
    template = models.ForeignKey(
        CertificateTemplate,
        verbose_name=_("template"),
        null=True,
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    issuer_org = models.ForeignKey(
        "org.OrgNode",
        verbose_name=_("issuing organisation"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issuer_name = models.CharField(_("issuing body"), max_length=100)
    holder_name = models.CharField(_("holder's name"), max_length=50)
    title = models.CharField(_("title"), max_length=200)
    year = models.PositiveSmallIntegerField(_("year"))
    days = models.DecimalField(
        _("days"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    hours = models.DecimalField(
        _("study hours"), max_digits=7, decimal_places=2, null=True, blank=True
    )
    details = models.JSONField(_("details"), default=dict, blank=True)
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    file = models.FileField(
        _("PDF file"), upload_to=certificate_file_path, storage=private_storage
    )
    sha256 = models.CharField(_("SHA-256 of the PDF"), max_length=64)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=CertificateStatus.choices,
        default=CertificateStatus.VALID,
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoke_reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "-id"]
        constraints = [
            # Each thing is certified once per generation: a rerun or a retried task
            # can never issue a second certificate (reissues raise the generation).
            models.UniqueConstraint(
                fields=["kind", "worker", "subject_key", "generation"],
                name="certificate_once_per_subject",
            ),
        ]
        permissions = [
            ("issue_certificate", _("Can issue certificates")),
            ("revoke_certificate", _("Can revoke or reissue a certificate")),
        ]
        indexes = [
            models.Index(fields=["kind", "year"]),
            models.Index(fields=["status", "issued_at"]),
        ]

    def __str__(self):
        return self.serial

    @property
    def masked_holder(self) -> str:
        return rules.mask_name(self.holder_name)


class PendingFile(models.Model):
    """A certificate PDF written to storage whose Certificate row is not committed.

    Committed before the file is written and deleted in the transaction that
    inserts the certificate, so a row that outlives that transaction by long names
    a file a killed worker left behind; `certificate_files_orphaned_delete` removes
    both.
    """

    name = models.CharField(_("file"), max_length=100)
    created_at = models.DateTimeField(_("written at"), auto_now_add=True)

    class Meta:
        verbose_name = _("certificate file being written")
        verbose_name_plural = _("certificate files being written")
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self):
        return self.name


class EventAction(models.TextChoices):
    ISSUE = "issue", _("Issued")
    REVOKE = "revoke", _("Revoked")
    REISSUE = "reissue", _("Reissued")


class CertificateEvent(AppendOnlyModel):
    """The append-only history of every certificate: issued, revoked, reissued."""

    certificate = models.ForeignKey(
        Certificate, on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(_("action"), max_length=16, choices=EventAction.choices)
    at = models.DateTimeField(_("time"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason"), blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("certificate event")
        verbose_name_plural = _("certificate events")
        ordering = ["certificate_id", "at", "id"]

    def __str__(self):
        return f"{self.certificate_id} {self.action}"
