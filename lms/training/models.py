from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lms.accounts.db import AppendOnlyModel


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
        _("evidence file"), upload_to="evidence/%Y/%m/", blank=True
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

    class Meta:
        verbose_name = _("credit entry")
        verbose_name_plural = _("credit ledger")
        ordering = ["worker_id", "date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "source_key"], name="credit_once_per_source"
            ),
        ]
        indexes = [models.Index(fields=["date", "worker"])]

    def __str__(self):
        return f"{self.date} {self.title} {self.days}"
