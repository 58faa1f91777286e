"""Ask an expert (请教一下): a worker's question, routed to mentors and experts by
speciality, answered from their portal; good threads selected into the knowledge
base (常见问题), searched by any two-character word of the title or body."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lms.accounts.uploads import UploadValidator
from trainers.rules import split_terms

from ..rules import bigrams


class QuestionStatus(models.TextChoices):
    OPEN = "open", _("Waiting for an answer")
    ANSWERED = "answered", _("Answered")
    RESOLVED = "resolved", _("Resolved")


class Question(models.Model):
    asker = models.ForeignKey(
        "people.Worker",
        verbose_name=_("asked by"),
        on_delete=models.PROTECT,
        related_name="questions",
    )
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("question text"), max_length=4000)
    tags = models.CharField(
        _("topic tags"),
        max_length=200,
        blank=True,
        help_text=_("Separate several with 、 or commas."),
    )
    is_public = models.BooleanField(
        _("public"),
        default=True,
        help_text=_(
            "A private question is seen only by you, the experts it is routed to "
            "and your administrators."
        ),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=QuestionStatus.choices,
        default=QuestionStatus.OPEN,
    )
    best_answer = models.OneToOneField(
        "Answer",
        verbose_name=_("best answer"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    routed_to = models.ManyToManyField(
        "Mentor",
        verbose_name=_("routed to"),
        through="QuestionRoute",
        related_name="routed_questions",
    )
    in_knowledge_base = models.BooleanField(_("in the knowledge base"), default=False)
    lesson = models.ForeignKey(
        "courses.LessonPage",
        verbose_name=_("discussed in the lesson"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Space-separated two-character words of title and body: the knowledge base
    # finds a thread by any of them (a GIN index on PostgreSQL, migration 0003).
    search_text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(_("asked at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions to experts")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["in_knowledge_base", "created_at"])]

    def __str__(self):
        return self.title

    def tag_list(self) -> list[str]:
        return split_terms(self.tags)

    def index_text(self) -> None:
        self.search_text = " ".join(sorted(bigrams(f"{self.title} {self.body}")))


class QuestionRoute(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE)
    mentor = models.ForeignKey("Mentor", on_delete=models.CASCADE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["question", "mentor"], name="route_once_per_mentor"
            )
        ]
        indexes = [models.Index(fields=["mentor", "question"])]

    def __str__(self):
        return f"{self.question_id} → {self.mentor_id}"


class QuestionPhoto(models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(
        _("photo"),
        upload_to="questions/%Y/%m/",
        validators=[UploadValidator(kinds=("image",), max_bytes=10 * 1024**2)],
    )

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return self.image.name


class Answer(models.Model):
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers"
    )
    author = models.ForeignKey(
        "Mentor",
        verbose_name=_("answered by"),
        on_delete=models.PROTECT,
        related_name="answers",
    )
    body = models.TextField(_("answer"), max_length=8000)
    created_at = models.DateTimeField(_("answered at"), auto_now_add=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("expert answers")
        ordering = ["created_at", "id"]

    def __str__(self):
        return self.body[:50]


class QuestionReminder(models.Model):
    """A reminder about an unanswered question, sent once per level: 1 to the
    routed mentors, 2 to the administrators of the asker's street."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="reminders"
    )
    level = models.PositiveSmallIntegerField()
    recipients = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["question", "level"], name="one_reminder_per_level"
            )
        ]

    def __str__(self):
        return f"{self.question_id}/{self.level}"
