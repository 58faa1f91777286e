"""The trainer library (师资库) and the expert think tank (专家智库).

Each record is owned by an organisation node: administrators see and edit only the
records owned inside their subtree. Phone numbers are stored encrypted (lms.people.pii)
with a masked copy for listings and exports.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lms.people import pii
from lms.terms import split_terms


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class TrainerSource(models.TextChoices):
    CONTEST = "contest", _("Contest")
    LECTURE_SERIES = "lecture_series", _("Lecture series")
    RECOMMENDATION = "recommendation", _("Recommendation")


class ExpertField(models.TextChoices):
    SOCIAL_WORK = "social_work", _("Social work")
    SOCIAL_ORGANISATIONS = "social_organisations", _("Social organisations")
    COMMUNITY_GOVERNANCE = "community_governance", _("Community governance")
    PARTY_BUILDING = "party_building", _("Party building")
    URBAN_PLANNING = "urban_planning", _("Urban planning and space")
    LAW = "law", _("Law and mediation")
    PUBLIC_ADMINISTRATION = "public_administration", _("Public administration")


class PhoneMixin(models.Model):
    """An encrypted phone number with its masked copy (never show the clear one in lists)."""

    phone_encrypted = models.TextField(blank=True, editable=False)
    phone_masked = models.CharField(
        _("contact phone"), max_length=20, blank=True, editable=False
    )

    class Meta:
        abstract = True

    @property
    def phone(self) -> str:
        return pii.decrypt(self.phone_encrypted)


class SpecialitiesMixin(models.Model):
    """What a trainer, mentor or pool member is good at, as one text field."""

    specialities = models.CharField(
        _("specialities"),
        max_length=300,
        blank=True,
        help_text=_("Separate several with 、 or commas."),
    )

    class Meta:
        abstract = True

    def speciality_list(self) -> list[str]:
        return split_terms(self.specialities)


class Trainer(SpecialitiesMixin, PhoneMixin):
    """A lecturer in the trainer library, usually a local practitioner (本土实务类讲师)."""

    name = models.CharField(_("full name"), max_length=50, db_index=True)
    gender = models.CharField(
        _("gender"), max_length=1, choices=Gender.choices, blank=True
    )
    org = models.ForeignKey(
        "org.OrgNode",
        verbose_name=_("owning organisation"),
        on_delete=models.PROTECT,
        related_name="trainers",
    )
    title = models.CharField(
        _("position or title"),
        max_length=100,
        blank=True,
        help_text=_("Position or professional title, e.g. community party secretary."),
    )
    affiliation = models.CharField(_("work unit"), max_length=100, blank=True)
    source = models.CharField(
        _("how found"), max_length=20, choices=TrainerSource.choices
    )
    source_detail = models.CharField(
        _("found through"),
        max_length=100,
        blank=True,
        help_text=_("The contest, lecture series or recommender."),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("linked account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trainer_profile",
    )
    bio = models.TextField(_("biography"), blank=True)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_active = models.BooleanField(_("in the library"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("trainer")
        verbose_name_plural = pgettext_lazy("library", "trainers")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["org", "source"])]

    def __str__(self):
        return self.name


class Expert(PhoneMixin):
    """An expert of the think tank (专家智库) who advises classes."""

    name = models.CharField(_("full name"), max_length=50, db_index=True)
    org = models.ForeignKey(
        "org.OrgNode",
        verbose_name=_("owning organisation"),
        on_delete=models.PROTECT,
        related_name="experts",
    )
    field = models.CharField(_("field"), max_length=24, choices=ExpertField.choices)
    affiliation = models.CharField(_("affiliation"), max_length=100)
    title = models.CharField(_("position or title"), max_length=100, blank=True)
    email = models.EmailField(_("email"), blank=True)
    topics = models.CharField(
        _("topics"),
        max_length=300,
        blank=True,
        help_text=_("Separate several with 、 or commas."),
    )
    bio = models.TextField(_("biography"), blank=True)
    is_active = models.BooleanField(_("in the library"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("expert")
        verbose_name_plural = _("experts")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["org", "field"])]

    def __str__(self):
        return f"{self.name}（{self.affiliation}）"
