from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import RevisionMixin

from .policy import DEFAULT_DAYS_BY_POST, Policy

_DEFAULTS = Policy(year=2000)


def _days_field(label, default):
    return models.DecimalField(
        label,
        max_digits=5,
        decimal_places=2,
        default=default,
        validators=[MinValueValidator(Decimal("0"))],
    )


def _share_field(label, default, help_text):
    return models.DecimalField(
        label,
        max_digits=4,
        decimal_places=2,
        default=default,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
        help_text=help_text,
    )


class RotationLevel(models.TextChoices):
    CITY = "city", _("City")
    DISTRICT = "district", _("District/county")
    STREET = "street", _("Street/town")


class ShadowingCredit(models.TextChoices):
    IN_PERSON = "in_person", _("As in-person days")
    ONLINE = "online", _("As online study (under the online cap)")


class YearPolicy(RevisionMixin, models.Model):
    """The annual rules of one year, edited by city administrators with a history.

    A year without a row uses the defaults of `lms.compliance.policy.Policy`; every
    default below is the same number. Read it through `selectors.policy_for_year`.
    """

    year = models.PositiveSmallIntegerField(
        _("year"),
        unique=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    days_secretary = _days_field(
        _("days: community party secretary"), DEFAULT_DAYS_BY_POST["secretary"]
    )
    days_deputy = _days_field(
        _("days: deputy secretary/director"), DEFAULT_DAYS_BY_POST["deputy"]
    )
    days_member = _days_field(
        _("days: committee member"), DEFAULT_DAYS_BY_POST["member"]
    )
    days_staff = _days_field(_("days: community staff"), DEFAULT_DAYS_BY_POST["staff"])
    days_grid_worker = _days_field(
        _("days: grid worker"), DEFAULT_DAYS_BY_POST["grid_worker"]
    )
    days_party_affairs = _days_field(
        _("days: party-affairs worker"), DEFAULT_DAYS_BY_POST["party_affairs"]
    )
    rotation_min_months = models.PositiveSmallIntegerField(
        _("months as secretary that require a rotation class"),
        default=_DEFAULTS.rotation_min_months,
        validators=[MaxValueValidator(12)],
    )
    rotation_min_level = models.CharField(
        _("lowest organiser level of a rotation class"),
        max_length=16,
        choices=RotationLevel.choices,
        default=_DEFAULTS.rotation_min_level,
    )
    rotation_due_share = _share_field(
        _("share of the year after which a missing rotation class is a risk"),
        _DEFAULTS.rotation_due_share,
        _("0.5 = from mid-year."),
    )
    induction_days = _days_field(
        _("induction days for a new hire"), _DEFAULTS.induction_days
    )
    induction_deadline_months = models.PositiveSmallIntegerField(
        _("months after hiring to complete induction"),
        default=_DEFAULTS.induction_deadline_months,
        validators=[MinValueValidator(1), MaxValueValidator(36)],
    )
    online_cap_share = _share_field(
        _("largest share of the required days met online"),
        _DEFAULTS.online_cap_share,
        _("Online study together (lessons, tests, training given online); 0.5 = half."),
    )
    hours_per_day = models.DecimalField(
        _("study hours per day"),
        max_digits=4,
        decimal_places=2,
        default=_DEFAULTS.hours_per_day,
        validators=[MinValueValidator(Decimal("0.5"))],
    )
    online_long_minutes = models.PositiveSmallIntegerField(
        _("minutes of a full online lesson"), default=_DEFAULTS.online_long_minutes
    )
    online_micro_minutes = models.PositiveSmallIntegerField(
        _("minutes below which a lesson is a micro-lesson"),
        default=_DEFAULTS.online_micro_minutes,
    )
    online_long_hours = _days_field(
        _("study hours of a full online lesson"), _DEFAULTS.online_long_hours
    )
    online_medium_hours = _days_field(
        _("study hours of a medium online lesson"), _DEFAULTS.online_medium_hours
    )
    online_micro_hours = _days_field(
        _("study hours of a micro-lesson"), _DEFAULTS.online_micro_hours
    )
    test_pass_hours = _days_field(
        _("study hours of a passed test"), _DEFAULTS.test_pass_hours
    )
    online_completion_share = _share_field(
        _("share of a lesson watched for it to count"),
        _DEFAULTS.online_completion_share,
        _("0.9 = nine tenths of the lesson."),
    )
    online_hidden_stops_credit = models.BooleanField(
        _("online credit stops while the player's page is hidden"),
        default=_DEFAULTS.online_hidden_stops_credit,
    )
    online_min_lesson_seconds = models.PositiveIntegerField(
        _("seconds below which a video lesson earns nothing"),
        default=_DEFAULTS.online_min_lesson_seconds,
    )
    online_daily_cap_hours = models.DecimalField(
        _("hours of online play credited a day at most"),
        max_digits=4,
        decimal_places=2,
        default=_DEFAULTS.online_daily_cap_hours,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("24"))],
    )
    presence_min_seconds = models.PositiveIntegerField(
        _("presence prompt: least seconds of play between prompts"),
        default=_DEFAULTS.presence_min_seconds,
        validators=[MinValueValidator(1)],
    )
    presence_max_seconds = models.PositiveIntegerField(
        _("presence prompt: most seconds of play between prompts"),
        default=_DEFAULTS.presence_max_seconds,
        validators=[MinValueValidator(1)],
    )
    presence_timeout_seconds = models.PositiveIntegerField(
        _("presence prompt: seconds to confirm"),
        default=_DEFAULTS.presence_timeout_seconds,
        validators=[MinValueValidator(5)],
    )
    checkpoint_wrong_rewinds = models.BooleanField(
        _("a wrong answer inside a video rewinds to the previous question"),
        default=_DEFAULTS.checkpoint_wrong_rewinds,
    )
    checkpoint_wrong_limit = models.PositiveSmallIntegerField(
        _(
            "wrong answers to a question inside a video before its segment is re-watched"
        ),
        default=_DEFAULTS.checkpoint_wrong_limit,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=_(
            "When wrong answers rewind: after this many, the question is asked again "
            "only once the segment since the previous question has been played again."
        ),
    )
    rounding_step = models.DecimalField(
        _("pro-rated days are rounded up to a multiple of"),
        max_digits=4,
        decimal_places=2,
        default=_DEFAULTS.rounding_step,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    on_track_tolerance_share = _share_field(
        _("lag tolerated before a worker is at risk"),
        _DEFAULTS.on_track_tolerance_share,
        _("Share of the year; 0.25 = three months behind the pro-rated days."),
    )
    shadowing_counts_as = models.CharField(
        _("shadowing placements count"),
        max_length=16,
        choices=ShadowingCredit.choices,
        default=_DEFAULTS.shadowing_counts_as,
        help_text=_("How the days of a signed-off shadowing placement are credited."),
    )
    test_max_departures = models.PositiveSmallIntegerField(
        _("times a worker may leave a test page before it is submitted"),
        default=_DEFAULTS.test_max_departures,
        help_text=_("0 = leaving the page is recorded but never ends the attempt."),
    )
    test_reveal_answers = models.BooleanField(
        _("show right answers and explanations after a pass or the last attempt"),
        default=_DEFAULTS.test_reveal_answers,
    )
    claim_max_hours_per_day = models.DecimalField(
        _("most study hours claimed per day of external training"),
        max_digits=4,
        decimal_places=2,
        default=_DEFAULTS.claim_max_hours_per_day,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(24)],
    )
    claim_before_hire_days = models.PositiveSmallIntegerField(
        _("days before the hire date a claimed training may start"),
        default=_DEFAULTS.claim_before_hire_days,
    )
    party_school_day_days = _days_field(
        _("training days per day at a party school"), _DEFAULTS.party_school_day_days
    )
    teaching_hour_hours = _days_field(
        _("study hours per hour taught"), _DEFAULTS.teaching_hour_hours
    )
    paper_hours = _days_field(
        _("study hours per published paper"), _DEFAULTS.paper_hours
    )
    checkin_max_distance_m = models.PositiveIntegerField(
        _("farthest distance (m) from a venue to check in"),
        default=_DEFAULTS.checkin_max_distance_m,
        validators=[MinValueValidator(50)],
    )
    checkin_far_action = models.CharField(
        _("a check-in from farther away is"),
        max_length=8,
        choices=[("refuse", _("refused")), ("flag", _("accepted and flagged"))],
        default=_DEFAULTS.checkin_far_action,
    )
    closed = models.BooleanField(_("closed"), default=False, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        editable=False,
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("annual rules")
        verbose_name_plural = _("annual rules")
        ordering = ["-year"]
        permissions = [("close_year", _("Can close a year"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(online_cap_share__gte=0)
                & models.Q(online_cap_share__lte=1),
                name="policy_cap_share_range",
            ),
            models.CheckConstraint(
                condition=models.Q(hours_per_day__gt=0), name="policy_hours_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    presence_max_seconds__gte=models.F("presence_min_seconds")
                ),
                name="policy_presence_range",
            ),
        ]

    def __str__(self):
        return str(self.year)

    def clean(self):
        super().clean()
        if (
            self.presence_min_seconds
            and self.presence_max_seconds
            and self.presence_max_seconds < self.presence_min_seconds
        ):
            raise ValidationError(
                {
                    "presence_max_seconds": _(
                        "The most seconds between prompts cannot be below the least."
                    )
                }
            )

    def to_policy(self) -> Policy:
        return Policy(
            year=self.year,
            days_by_post={
                "secretary": self.days_secretary,
                "deputy": self.days_deputy,
                "member": self.days_member,
                "staff": self.days_staff,
                "grid_worker": self.days_grid_worker,
                "party_affairs": self.days_party_affairs,
            },
            rotation_min_months=self.rotation_min_months,
            rotation_min_level=self.rotation_min_level,
            rotation_due_share=self.rotation_due_share,
            induction_days=self.induction_days,
            induction_deadline_months=self.induction_deadline_months,
            online_cap_share=self.online_cap_share,
            hours_per_day=self.hours_per_day,
            online_long_minutes=self.online_long_minutes,
            online_micro_minutes=self.online_micro_minutes,
            online_long_hours=self.online_long_hours,
            online_medium_hours=self.online_medium_hours,
            online_micro_hours=self.online_micro_hours,
            test_pass_hours=self.test_pass_hours,
            online_completion_share=self.online_completion_share,
            online_hidden_stops_credit=self.online_hidden_stops_credit,
            online_min_lesson_seconds=self.online_min_lesson_seconds,
            online_daily_cap_hours=self.online_daily_cap_hours,
            presence_min_seconds=self.presence_min_seconds,
            presence_max_seconds=self.presence_max_seconds,
            presence_timeout_seconds=self.presence_timeout_seconds,
            checkpoint_wrong_rewinds=self.checkpoint_wrong_rewinds,
            checkpoint_wrong_limit=self.checkpoint_wrong_limit,
            rounding_step=self.rounding_step,
            on_track_tolerance_share=self.on_track_tolerance_share,
            shadowing_counts_as=self.shadowing_counts_as,
            test_max_departures=self.test_max_departures,
            test_reveal_answers=self.test_reveal_answers,
            claim_max_hours_per_day=self.claim_max_hours_per_day,
            claim_before_hire_days=self.claim_before_hire_days,
            party_school_day_days=self.party_school_day_days,
            teaching_hour_hours=self.teaching_hour_hours,
            paper_hours=self.paper_hours,
            checkin_max_distance_m=self.checkin_max_distance_m,
            checkin_far_action=self.checkin_far_action,
            closed=self.closed,
        )


class ComplianceStatus(models.TextChoices):
    MET = "met", _("Met")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    NOT_MET = "not_met", _("Not met")


class ComplianceSnapshot(models.Model):
    """A worker's compliance for a closed year, frozen when the year is closed."""

    year = models.PositiveSmallIntegerField(_("year"))
    worker = models.ForeignKey(
        "people.Worker", on_delete=models.PROTECT, related_name="+"
    )
    community = models.ForeignKey(
        "org.OrgNode",
        verbose_name=_("community"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=50)
    id_number_masked = models.CharField(_("ID number"), max_length=18)
    post = models.CharField(_("post"), max_length=16)
    required_days = models.DecimalField(max_digits=6, decimal_places=2)
    achieved_days = models.DecimalField(max_digits=6, decimal_places=2)
    in_person_days = models.DecimalField(max_digits=6, decimal_places=2)
    online_days = models.DecimalField(max_digits=6, decimal_places=2)
    counted_online_days = models.DecimalField(max_digits=6, decimal_places=2)
    shortfall_days = models.DecimalField(max_digits=6, decimal_places=2)
    rotation_required = models.BooleanField(default=False)
    rotation_done = models.BooleanField(default=False)
    induction = models.CharField(max_length=16, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ComplianceStatus.choices
    )
    reasons = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("compliance snapshot")
        verbose_name_plural = _("compliance snapshots")
        ordering = ["year", "community_id", "name", "worker_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "worker"], name="one_snapshot_per_worker_year"
            )
        ]
        indexes = [models.Index(fields=["year", "community"])]

    def __str__(self):
        return f"{self.year} {self.name} {self.status}"


class NotificationKind(models.TextChoices):
    AT_RISK = "at_risk", _("You are at risk of missing the annual minimum")
    STREET_DIGEST = "street_digest", _("Workers at risk in your street")
    # Mentoring reminders (mentoring.services), also e-mailed.
    PAIR_RECORD = "pair_record", _("A monthly pair record is missing")
    QUESTION_WAITING = "question_waiting", _("A question is waiting for an answer")


class Notification(models.Model):
    """A portal notification (also e-mailed), sent at most once per worker and period."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="compliance_notifications",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=NotificationKind.choices)
    worker = models.ForeignKey(
        "people.Worker",
        verbose_name=_("worker"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    org = models.ForeignKey(
        "org.OrgNode",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    period = models.CharField(_("period"), max_length=16)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"))
    link = models.CharField(max_length=200, blank=True)
    emailed = models.BooleanField(default=False)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["worker", "period"],
                condition=models.Q(kind="at_risk"),
                name="one_risk_reminder_per_worker_period",
            ),
            models.UniqueConstraint(
                fields=["recipient", "org", "period"],
                condition=models.Q(kind="street_digest"),
                name="one_digest_per_admin_street_period",
            ),
        ]

    def __str__(self):
        return self.title
