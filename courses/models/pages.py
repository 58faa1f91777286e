"""The course library as Wagtail pages: course index → course → lesson."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField
from wagtail.models import AbstractGroupApprovalTask, Page
from wagtail.search import index

from lms.accounts.files import RandomName, private_storage
from lms.accounts.uploads import UploadValidator
from lms.people.models import Post

from ..forms import CoursePageForm


class Series(models.TextChoices):
    """The three textbook and course series (一教五库)."""

    DEVELOPMENT = "development", _("Community development capacity")
    GOVERNANCE = "governance", _("Community governance effectiveness")
    SERVICE = "service", _("Community service quality")


class CourseLevel(models.TextChoices):
    BASIC = "basic", _("Basic")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class CourseTopic(models.TextChoices):
    POLICY = "policy", _("Policy and theory")
    PARTY_BUILDING = "party_building", _("Party building")
    GOVERNANCE = "governance", _("Grassroots governance")
    SOCIAL_WORK = "social_work", _("Social work stations")
    SPACE = "space", _("Community space design")
    SERVICE = "service", _("Services for residents")
    DIGITAL = "digital", _("Digital governance")
    EMERGENCY = "emergency", _("Emergency management")
    LAW = "law", _("Law and mediation")
    METHODS = "methods", _("Working methods")


class PostListField(models.CharField):
    """Several post codes stored as ``,secretary,staff,`` so that one post filters with
    a plain ``contains`` on SQLite and PostgreSQL alike (no JSON or array lookups)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", list)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("choices", None)
        return name, "courses.models.pages.PostListField", args, kwargs

    @staticmethod
    def _split(value) -> list[str]:
        if not value:
            return []
        if isinstance(value, (list, tuple)):
            return [str(v) for v in value if v]
        return [v for v in str(value).split(",") if v]

    def from_db_value(self, value, expression, connection):
        return self._split(value)

    def to_python(self, value):
        return self._split(value)

    def get_prep_value(self, value):
        codes = self._split(value)
        return f",{','.join(codes)}," if codes else ""

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))

    def validate(self, value, model_instance):
        valid = set(Post.values)
        bad = [v for v in self._split(value) if v not in valid]
        if bad:
            raise ValidationError(_("Unknown post: %(post)s"), params={"post": bad[0]})
        if not self.blank and not value:
            raise ValidationError(self.error_messages["blank"], code="blank")

    def formfield(self, **kwargs):
        return forms.MultipleChoiceField(
            choices=Post.choices,
            required=not self.blank,
            label=self.verbose_name,
            help_text=self.help_text,
            widget=forms.CheckboxSelectMultiple,
        )


class CourseIndexPage(Page):
    """The course library (课程库); its children are the courses."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    subpage_types = ["courses.CoursePage"]
    max_count = 1

    def serve(self, request, *args, **kwargs):

        return redirect("courses:catalogue")

    class Meta:
        verbose_name = _("course library")


class CoursePage(Page):
    """An online course owned by an org node: a city course is shared with the whole
    city, a district's with its subtree. Administrators edit only courses owned inside
    their own subtree (see courses.permissions)."""

    summary = models.TextField(_("summary"), max_length=1000)
    cover = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    topic = models.CharField(
        _("topic"), max_length=32, choices=CourseTopic.choices, db_index=True
    )
    series = models.CharField(
        _("series"), max_length=16, choices=Series.choices, db_index=True
    )
    level = models.CharField(
        _("level"),
        max_length=16,
        choices=CourseLevel.choices,
        default=CourseLevel.BASIC,
        db_index=True,
    )
    target_posts = PostListField(
        _("target posts"), help_text=_("Empty means every post.")
    )
    premium = models.BooleanField(_("premium course (精品课程)"), default=False)
    trainers = ParentalManyToManyField(
        "trainers.Trainer",
        verbose_name=_("trainers"),
        blank=True,
        related_name="courses",
    )
    study_hours = models.DecimalField(
        _("study hours"), max_digits=5, decimal_places=2, default=0
    )
    owner_org = models.ForeignKey(
        "org.OrgNode",
        verbose_name=_("owning organisation"),
        on_delete=models.PROTECT,
        related_name="courses",
    )

    content_panels = Page.content_panels + [
        FieldPanel("summary"),
        FieldPanel("cover"),
        MultiFieldPanel(
            [
                FieldPanel("series"),
                FieldPanel("topic"),
                FieldPanel("level"),
                FieldPanel("target_posts"),
                FieldPanel("premium"),
                FieldPanel("study_hours"),
            ],
            heading=_("Catalogue"),
        ),
        FieldPanel("owner_org"),
        FieldPanel("trainers", widget=forms.CheckboxSelectMultiple),
    ]
    search_fields = Page.search_fields + [
        index.SearchField("summary"),
        index.FilterField("series"),
        index.FilterField("topic"),
        index.FilterField("level"),
        index.FilterField("premium"),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.LessonPage"]
    base_form_class = CoursePageForm

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")
        indexes = [models.Index(fields=["premium", "series"])]

    def permissions_for_user(self, user):
        from ..permissions import CoursePermissionTester  # noqa: PLC0415 (courses.permissions imports the models)

        return CoursePermissionTester(user, self)

    def serve(self, request, *args, **kwargs):
        from ..views.lessons import course_serve  # noqa: PLC0415 (the views import the models)

        return course_serve(request, self)

    def get_context(self, request, *args, **kwargs):
        from ..selectors import course_detail  # noqa: PLC0415 (courses.selectors imports the models)

        context = super().get_context(request, *args, **kwargs)
        context.update(course_detail(course=self, user=request.user))
        return context


class LessonKind(models.TextChoices):
    VIDEO = "video", _("Video")
    SLIDES = "slides", _("Slides (PDF)")
    TEXT = "text", _("Rich text")
    TEST = "test", _("Test")


class LessonPage(Page):
    """One lesson of a course: a video, slides (PDF), rich text, or a test."""

    kind = models.CharField(_("kind"), max_length=8, choices=LessonKind.choices)
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"), default=0)
    file = models.FileField(
        _("file"),
        upload_to=RandomName("lessons"),
        storage=private_storage,
        blank=True,
        max_length=300,
        validators=[UploadValidator(kinds=("video", "pdf"))],
        help_text=_("An MP4 or WebM video, or the slides as a PDF."),
    )
    file_size = models.PositiveBigIntegerField(_("file size"), default=0)
    body = RichTextField(_("text"), blank=True)
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=60, help_text=_("For tests: the share to pass.")
    )
    attempt_limit = models.PositiveSmallIntegerField(
        _("attempt limit"), default=3, help_text=_("For tests: attempts allowed.")
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"),
        default=0,
        help_text=_("For tests: 0 = no limit; the server submits at the deadline."),
    )
    checkpoint_bank = models.ForeignKey(
        "courses.QuestionBank",
        verbose_name=_("question bank"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("For videos: the bank the questions at random moments come from."),
    )
    checkpoint_draw_count = models.PositiveSmallIntegerField(
        _("questions drawn at random moments"),
        default=0,
        validators=[MaxValueValidator(20)],
        help_text=_(
            "For videos: each learner gets this many questions from the bank, at "
            "moments of their own; 0 = none."
        ),
    )

    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldPanel("duration_seconds"),
        FieldPanel("file"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("pass_mark"),
                FieldPanel("attempt_limit"),
                FieldPanel("time_limit_minutes"),
                InlinePanel("test_rules", label=_("Questions drawn from banks")),
            ],
            heading=_("Test"),
        ),
        InlinePanel(
            "checkpoints",
            heading=_("Questions inside the video"),
            label=_("Question inside the video"),
        ),
        MultiFieldPanel(
            [FieldPanel("checkpoint_bank"), FieldPanel("checkpoint_draw_count")],
            heading=_("Questions drawn from a bank at random moments"),
        ),
    ]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

    def get_course(self):
        """The parent course (lessons sit directly under their course)."""
        return CoursePage.objects.select_related("owner_org").get(
            path=self.path[: -self.steplen]
        )

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pass_mark__lte=100), name="lesson_pass_mark_le_100"
            ),
        ]

    def clean(self):
        super().clean()
        if self.kind in (LessonKind.VIDEO, LessonKind.SLIDES) and not self.file:
            raise ValidationError(
                {"file": _("A video or slides lesson needs its file.")}
            )
        if self.kind == LessonKind.VIDEO and not self.duration_seconds:
            raise ValidationError(
                {"duration_seconds": _("A video lesson needs its duration.")}
            )
        if self.checkpoint_draw_count and not self.checkpoint_bank_id:
            raise ValidationError(
                {"checkpoint_bank": _("Choose the bank the questions are drawn from.")}
            )
        if self.kind == LessonKind.TEXT and not self.body:
            raise ValidationError({"body": _("A text lesson needs its text.")})

    def permissions_for_user(self, user):
        from ..permissions import CoursePermissionTester  # noqa: PLC0415 (courses.permissions imports the models)

        return CoursePermissionTester(user, self)

    def serve(self, request, *args, **kwargs):
        from ..views.lessons import lesson_serve  # noqa: PLC0415 (the views import the models)

        return lesson_serve(request, self)

    def serve_preview(self, request, mode_name):
        """The reviewer's preview: the lesson as learners will see it (its draft),
        with no progress or test attempts recorded."""
        from ..views.lessons import lesson_serve  # noqa: PLC0415 (views import the models)

        return lesson_serve(request, self, preview=True)


class CourseReviewTask(AbstractGroupApprovalTask):
    """Review by an administrator group, limited to administrators whose subtree owns
    the course: another district's administrator can neither approve nor reject."""

    def _in_scope(self, obj, user) -> bool:
        from ..permissions import can_manage_course, course_for  # noqa: PLC0415 (courses.permissions imports the models)

        course = course_for(obj)
        return course is None or can_manage_course(user, course)

    def user_can_access_editor(self, obj, user):
        return self._in_scope(obj, user) and super().user_can_access_editor(obj, user)

    def locked_for_user(self, obj, user):
        return not self._in_scope(obj, user) or super().locked_for_user(obj, user)

    def get_actions(self, obj, user):
        if not self._in_scope(obj, user):
            return []
        return super().get_actions(obj, user)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        """Only the reviews of courses owned inside the user's subtree: the items on
        the dashboard's "awaiting your review" are the ones the user can act on."""
        from ..permissions import managed_page_ids  # noqa: PLC0415 (it imports the models)

        states = super().get_task_states_user_can_moderate(user, **kwargs)
        if user.is_superuser:
            return states
        return states.filter(workflow_state__object_id__in=managed_page_ids(user))

    class Meta:
        verbose_name = _("course review (within the reviewer's subtree)")
        verbose_name_plural = _("course reviews")
