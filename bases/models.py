"""The teaching-base library (基地库) and the institution library (院校库).

Every record is owned by an organisation node (administrators edit only their subtree's);
contact phone numbers are stored encrypted with a masked copy for lists and exports.
"""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.models import Orderable

from lms.accounts.files import private_storage
from lms.accounts.uploads import UploadValidator
from lms.people import pii
from lms.terms import split_terms


class BaseType(models.TextChoices):
    MODEL_COMMUNITY = "model_community", _("Model community")
    THEMED_COMMUNITY = "themed_community", _("Themed community")
    FEATURED_STREET = "featured_street", _("Featured street")
    MODEL_NEIGHBOURHOOD = "model_neighbourhood", _("Model neighbourhood")


class InstitutionType(models.TextChoices):
    UNIVERSITY = "university", _("University")
    PARTY_SCHOOL = "party_school", _("Party school")
    LOCAL_COLLEGE = "local_college", _("Local college")
    TRAINING_ORGANISATION = "training_organisation", _("Training organisation")


class ContactMixin(models.Model):
    contact_name = models.CharField(_("contact person"), max_length=50, blank=True)
    phone_encrypted = models.TextField(blank=True, editable=False)
    phone_masked = models.CharField(
        _("contact phone"), max_length=20, blank=True, editable=False
    )

    class Meta:
        abstract = True

    @property
    def phone(self) -> str:
        return pii.decrypt(self.phone_encrypted)


class Base(ContactMixin, ClusterableModel):
    """An on-site teaching base (现场教学基地) chosen from the city's best places."""

    name = models.CharField(_("base name"), max_length=100, db_index=True)
    base_type = models.CharField(_("type"), max_length=24, choices=BaseType.choices)
    org = models.ForeignKey(
        "org.OrgNode",
        verbose_name=_("owning organisation"),
        on_delete=models.PROTECT,
        related_name="bases",
    )
    address = models.CharField(_("address"), max_length=200)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    capacity = models.PositiveIntegerField(
        _("capacity"), help_text=_("Participants the base can host at once.")
    )
    themes = models.CharField(
        _("teaching themes"),
        max_length=300,
        blank=True,
        help_text=_("Separate several with 、 or commas."),
    )
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("in the library"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("teaching base")
        verbose_name_plural = _("teaching bases")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["org", "base_type"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__isnull=True)
                | models.Q(latitude__gte=-90, latitude__lte=90),
                name="base_latitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__isnull=True)
                | models.Q(longitude__gte=-180, longitude__lte=180),
                name="base_longitude_range",
            ),
            models.CheckConstraint(
                condition=models.Q(capacity__gt=0), name="base_capacity_positive"
            ),
        ]

    def __str__(self):
        return self.name

    def theme_list(self) -> list[str]:
        return split_terms(self.themes)


class BasePhoto(Orderable):
    base = ParentalKey(Base, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("image"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("photo")
        verbose_name_plural = _("photos")


class Institution(ContactMixin, ClusterableModel):
    """A university, party school, local college or training organisation (院校库)."""

    name = models.CharField(_("institution name"), max_length=100, db_index=True)
    institution_type = models.CharField(
        _("type"), max_length=24, choices=InstitutionType.choices
    )
    org = models.ForeignKey(
        "org.OrgNode",
        verbose_name=_("owning organisation"),
        on_delete=models.PROTECT,
        related_name="institutions",
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("in the library"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("institution")
        verbose_name_plural = _("institutions")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["org", "institution_type"])]

    def __str__(self):
        return self.name


def agreement_upload_to(instance, filename: str) -> str:
    # An unguessable folder: agreement files are served only through a scoped view.
    return f"agreements/{secrets.token_hex(16)}/{filename}"


class CooperationAgreement(Orderable):
    """A cooperation agreement (合作协议) with an institution: what, from when, until when."""

    institution = ParentalKey(
        Institution, on_delete=models.CASCADE, related_name="agreements"
    )
    title = models.CharField(_("agreement title"), max_length=200)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    file = models.FileField(
        _("file"),
        upload_to=agreement_upload_to,
        storage=private_storage,
        blank=True,
        validators=[UploadValidator(kinds=("pdf", "office", "image"))],
        help_text=_("The signed agreement: PDF, Word or a scan."),
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta(Orderable.Meta):
        verbose_name = _("cooperation agreement")
        verbose_name_plural = _("cooperation agreements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="agreement_end_after_start",
            )
        ]

    def __str__(self):
        return self.title
