"""The mentor pool and accompanying support (续航计划): experienced, often retired,
community cadres assigned to communities for a period; a guidance record per visit
with the problems raised and how each was resolved."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel

from trainers.models import SpecialitiesMixin


class MemberStatus(models.TextChoices):
    SERVING = "serving", _("Serving")
    RETIRED = "retired", _("Retired")


class ProblemTopic(models.TextChoices):
    PLANNING = "planning", _("Development planning")
    GOVERNANCE = "governance", _("Residential-area governance")
    DISPUTES = "disputes", _("Disputes and mediation")
    SERVICES = "services", _("Services for residents")
    RESOURCES = "resources", _("Linking resources")
    PARTY = "party", _("Party building")
    OTHER = "other", _("Other")


class PoolMember(SpecialitiesMixin):
    name = models.CharField(_("full name"), max_length=50, db_index=True)
    org = models.ForeignKey(
        "org.OrgNode",
        verbose_name=_("owning organisation"),
        on_delete=models.PROTECT,
        related_name="pool_members",
    )
    status = models.CharField(_("status"), max_length=16, choices=MemberStatus.choices)
    former_post = models.CharField(_("former post"), max_length=100, blank=True)
    former_community = models.ForeignKey(
        "org.OrgNode",
        verbose_name=_("former community"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    availability = models.CharField(
        _("availability"),
        max_length=200,
        blank=True,
        help_text=_("e.g. two days a week"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("linked account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pool_member",
    )
    is_active = models.BooleanField(_("in the pool"), default=True)

    class Meta:
        verbose_name = _("pool member")
        verbose_name_plural = _("mentor pool (续航计划)")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class PoolAssignment(models.Model):
    member = models.ForeignKey(
        PoolMember,
        verbose_name=_("pool member"),
        on_delete=models.PROTECT,
        related_name="assignments",
    )
    community = models.ForeignKey(
        "org.OrgNode",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="pool_assignments",
    )
    start = models.DateField(_("start date"))
    end = models.DateField(_("end date"))
    goals = models.TextField(_("goals"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("support assignment")
        verbose_name_plural = _("support assignments")
        ordering = ["-start", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gte=models.F("start")),
                name="assignment_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{self.member} → {self.community}"


class GuidanceVisit(ClusterableModel):
    assignment = models.ForeignKey(
        PoolAssignment,
        verbose_name=_("assignment"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    # The assignment's community, kept on the visit so that the dashboard groups
    # visits and problems by subtree without a join.
    community = models.ForeignKey(
        "org.OrgNode", on_delete=models.PROTECT, related_name="+", editable=False
    )
    date = models.DateField(_("date"))
    topics = models.CharField(_("visit topics"), max_length=200, blank=True)
    notes = models.TextField(_("guidance given"), blank=True)
    follow_up = models.TextField(_("follow-up"), blank=True)

    class Meta:
        verbose_name = _("guidance visit")
        verbose_name_plural = _("guidance visits")
        ordering = ["-date", "id"]
        indexes = [models.Index(fields=["community", "date"])]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.assignment}"


class GuidanceProblem(models.Model):
    visit = ParentalKey(
        GuidanceVisit, on_delete=models.CASCADE, related_name="problems"
    )
    community = models.ForeignKey(
        "org.OrgNode", on_delete=models.PROTECT, related_name="+", editable=False
    )
    topic = models.CharField(
        _("problem topic"), max_length=16, choices=ProblemTopic.choices
    )
    description = models.TextField(_("problem raised"), max_length=2000)
    resolved = models.BooleanField(_("resolved"), default=False)
    resolution = models.TextField(_("how it was resolved"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("problem raised")
        verbose_name_plural = _("problems raised")
        indexes = [models.Index(fields=["community", "topic", "resolved"])]

    def __str__(self):
        return self.description[:50]
