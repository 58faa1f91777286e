"""The credit ledger: the kinds and forms of credit, its entries and the totals its trigger keeps."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lms.accounts.db import AppendOnlyModel, AppendOnlyQuerySet
from lms.accounts.files import RandomName, private_storage


class TrainingType(models.TextChoices):
    INDUCTION = "induction", _("Induction training")
    ON_THE_JOB = "on_the_job", _("On-the-job training")
    CONTINUING = "continuing", _("Continuing education")
    EXAM_PREP = "exam_prep", _("Qualification exam preparation")
    ROTATION = "rotation", _("Rotation training")


class TrainingForm(models.TextChoices):
    IN_PERSON = "in_person", _("In-person class")
    ONLINE = "online", _("Online classroom")
    ON_SITE = "on_site", _("On-site teaching at a base")
    CASE_STUDY = "case_study", _("Case study")
    FORUM = "forum", _("Lecture forum")
    SHADOWING = "shadowing", _("Shadowing a mentor")
    STUDY_TOUR = "study_tour", _("Study tour")


class CreditKind(models.TextChoices):
    IN_PERSON = "in_person", _("In-person")
    ONLINE = "online", _("Online")
    TEST = "test", _("Test")
    EXTERNAL = "external", _("External")


# Which credit counts toward the online cap, defined here once: the kinds earned online
# (lessons, tests) and anything whose training form is online, however it entered the
# ledger (player, test, import, claim, an administrator's adjustment). It counts as
# study hours (turned into days by the year's rate); every other credit counts as
# in-person days. The totals trigger (migration 0006) says the same in SQL, and
# tests/training/test_ledger.py checks every kind and form against this definition.
ONLINE_KINDS = (CreditKind.ONLINE, CreditKind.TEST)
ONLINE_CREDIT = models.Q(kind__in=ONLINE_KINDS) | models.Q(form=TrainingForm.ONLINE)
IN_PERSON_CREDIT = ~ONLINE_CREDIT


class CreditEntryQuerySet(AppendOnlyQuerySet):
    def standing(self):
        """The entries that still count: neither reversed nor a reversal."""
        return self.filter(reverses__isnull=True, reversed_by__isnull=True)


class CreditEntry(AppendOnlyModel):
    """One line of the credit ledger: the only thing compliance and certificates read.

    Never edited or deleted; a correction is a reversing entry (`reverses`, negative
    amounts, a reason and its author). `source_key` names what earned the credit
    (``session:12``, ``lesson:7``, ``import:<digest>``…) so it is credited once.
    """

    worker = models.ForeignKey(
        "people.Worker", on_delete=models.PROTECT, related_name="credits"
    )
    date = models.DateField(_("date"), db_index=True)
    days = models.DecimalField(_("days"), max_digits=6, decimal_places=2)
    hours = models.DecimalField(_("study hours"), max_digits=6, decimal_places=2)
    kind = models.CharField(_("kind"), max_length=16, choices=CreditKind.choices)
    training_type = models.CharField(
        _("training type"), max_length=16, choices=TrainingType.choices, blank=True
    )
    form = models.CharField(
        _("form"), max_length=16, choices=TrainingForm.choices, blank=True
    )
    organiser = models.ForeignKey(
        "org.OrgNode",
        verbose_name=_("organiser"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200)
    source_key = models.CharField(_("source"), max_length=100)
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    evidence_file = models.FileField(
        _("evidence file"),
        upload_to=RandomName("evidence"),
        storage=private_storage,
        blank=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty when the platform wrote it (attendance, online progress)."),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
    )
    reason = models.TextField(_("reason"), blank=True)

    objects = CreditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("credit entry")
        verbose_name_plural = _("credit ledger")
        ordering = ["worker_id", "date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "source_key"], name="credit_once_per_source"
            ),
        ]
        indexes = [
            models.Index(fields=["date", "worker"]),
            # Rotation and induction lines of a year (the annual minimum reads them).
            models.Index(fields=["training_type", "date"]),
        ]

    def __str__(self):
        return f"{self.date} {self.title} {self.days}"


class CreditTotal(models.Model):
    """A worker's running credit for one calendar year, next to the ledger like an
    account's balance: the annual minimum reads these instead of summing half a
    million ledger lines each time.

    Written only by the database: a trigger adds every new ledger line (reversals
    included) in the same transaction (migrations 0005, 0006), whatever wrote it — services,
    imports, bulk inserts, COPY. `in_person_days` sums the days of IN_PERSON_CREDIT,
    `online_hours` the hours of ONLINE_CREDIT. `manage.py credit_totals_check` compares
    them with the ledger.
    """

    worker = models.ForeignKey(
        "people.Worker", on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    in_person_days = models.DecimalField(
        _("in-person days"), max_digits=8, decimal_places=2, default=Decimal("0")
    )
    online_hours = models.DecimalField(
        _("online study hours"), max_digits=8, decimal_places=2, default=Decimal("0")
    )

    class Meta:
        verbose_name = _("credit total")
        verbose_name_plural = _("credit totals")
        constraints = [
            models.UniqueConstraint(
                fields=["year", "worker"], name="credit_total_per_year"
            )
        ]

    def __str__(self):
        return (
            f"{self.worker_id} {self.year}: {self.in_person_days} / {self.online_hours}"
        )
