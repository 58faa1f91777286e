import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import pii
from .rules import years_between


class Post(models.TextChoices):
    SECRETARY = "secretary", _("Community party secretary")
    DEPUTY = "deputy", _("Deputy secretary/director")
    MEMBER = "member", _("Committee member")
    STAFF = "staff", _("Community staff")
    GRID_WORKER = "grid_worker", _("Grid worker")
    PARTY_AFFAIRS = "party_affairs", _("Party-affairs worker")


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class Education(models.TextChoices):
    JUNIOR_HIGH = "junior_high", _("Junior high school or below")
    SENIOR_HIGH = "senior_high", _("Senior high/technical school")
    COLLEGE = "college", _("Junior college")
    BACHELOR = "bachelor", _("Bachelor")
    MASTER = "master", _("Master or above")


class PoliticalStatus(models.TextChoices):
    CPC_MEMBER = "cpc_member", _("CPC member")
    CPC_PROBATIONARY = "cpc_probationary", _("CPC probationary member")
    CYL_MEMBER = "cyl_member", _("Communist Youth League member")
    OTHER_PARTY = "other_party", _("Member of another party")
    NON_PARTY = "non_party", _("Non-party personage")
    MASSES = "masses", _("Masses")


class Qualification(models.TextChoices):
    NONE = "", _("None")
    ASSISTANT = "assistant", _("Assistant social worker")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    SENIOR = "senior", _("Senior social worker")


class Worker(models.Model):
    """One person, one file (一人一档). ID and phone numbers are stored encrypted."""

    name = models.CharField(_("name"), max_length=50, db_index=True)
    id_number_encrypted = models.TextField(_("ID number (encrypted)"), editable=False)
    id_number_digest = models.CharField(max_length=64, unique=True, editable=False)
    id_number_masked = models.CharField(_("ID number"), max_length=18, editable=False)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("birth date"))
    education = models.CharField(
        _("education"), max_length=16, choices=Education.choices, blank=True
    )
    political_status = models.CharField(
        _("political status"),
        max_length=20,
        choices=PoliticalStatus.choices,
        blank=True,
    )
    qualification = models.CharField(
        _("social-work qualification"),
        max_length=16,
        choices=Qualification.choices,
        blank=True,
    )
    hire_date = models.DateField(_("date hired"))
    leave_date = models.DateField(_("date left"), null=True, blank=True)
    phone_encrypted = models.TextField(blank=True, editable=False)
    phone_masked = models.CharField(
        _("phone"), max_length=20, blank=True, editable=False
    )
    # The current post and community, kept equal to the open post span by the services.
    community = models.ForeignKey(
        "org.OrgNode",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="workers",
    )
    post = models.CharField(_("post"), max_length=16, choices=Post.choices)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sign-in"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="worker",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("community worker")
        verbose_name_plural = _("community workers")
        ordering = ["community_id", "name", "id"]
        indexes = [models.Index(fields=["post", "community"])]
        permissions = [("unmask_id_number", _("Can view a full ID number"))]

    def __str__(self):
        return f"{self.name} ({self.id_number_masked})"

    @property
    def id_number(self) -> str:
        """The clear ID number. Only `worker_unmask_id_number` may show it to a person."""
        return pii.decrypt(self.id_number_encrypted)

    @property
    def phone(self) -> str:
        return pii.decrypt(self.phone_encrypted)

    @property
    def years_of_service(self) -> int:
        end = self.leave_date or timezone.localdate()
        return years_between(self.hire_date, end)


class PostSpan(models.Model):
    """A post held in a community from `start` to `end` (inclusive; open when None)."""

    worker = models.ForeignKey(
        Worker, on_delete=models.CASCADE, related_name="post_spans"
    )
    post = models.CharField(_("post"), max_length=16, choices=Post.choices)
    community = models.ForeignKey(
        "org.OrgNode",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    start = models.DateField(_("start date"))
    end = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        verbose_name = _("post held")
        verbose_name_plural = _("posts held")
        ordering = ["worker_id", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "post", "start"], name="one_span_per_post_start"
            ),
            models.CheckConstraint(
                condition=models.Q(end__isnull=True)
                | models.Q(end__gte=models.F("start")),
                name="span_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.get_post_display()} {self.start}–{self.end or ''}"

    def overlaps(self, start: dt.date, end: dt.date | None) -> bool:
        far = dt.date.max
        return self.start <= (end or far) and start <= (self.end or far)
