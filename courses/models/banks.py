"""Question banks (题库) and the rules a test draws its questions by (组卷)."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable

from ..rules import question_problem
from .pages import LessonPage


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    TRUE_FALSE = "true_false", _("True or false")
    FILL_IN = "fill_in", _("Fill in the blank")


class Difficulty(models.TextChoices):
    EASY = "easy", _("Easy")
    MEDIUM = "medium", _("Medium")
    HARD = "hard", _("Hard")


QUESTION_PROBLEMS = {
    "bad_answer": _("The right answer must be option numbers such as 1 or 1,3."),
    "too_few_options": _("A choice question needs at least two options."),
    "too_many_options": _("A question has at most six options (A–F)."),
    "out_of_range": _("The right answer names an option that does not exist."),
    "single_needs_one": _("A single-choice or true/false question has one answer."),
    "multiple_needs_two": _("A multiple-choice question has at least two answers."),
    "fill_in_needs_answer": _("A fill-in question needs its accepted answers."),
    "fill_in_no_options": _("A fill-in question has no options."),
}


class QuestionBank(models.Model):
    """A bank of questions owned by an org node; administrators of its subtree edit it,
    and any test of a course may draw from a bank its editor can see."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    org = models.ForeignKey(
        "org.OrgNode",
        verbose_name=_("owning organisation"),
        on_delete=models.PROTECT,
        related_name="question_banks",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [FieldPanel("title"), FieldPanel("description"), FieldPanel("org")]

    class Meta:
        verbose_name = _("question bank")
        verbose_name_plural = _("question banks")
        ordering = ["title"]

    def __str__(self):
        return self.title


class Question(models.Model):
    """A bank question. Options are one per line (at most six, A–F); `answer` lists
    the right option numbers (1-based, comma-separated), or for a fill-in question
    the accepted answers separated by '|'. True/false questions have the options
    对/错 (1 = true, 2 = false). The answer never leaves the server before grading."""

    bank = models.ForeignKey(
        QuestionBank,
        verbose_name=_("question bank"),
        on_delete=models.CASCADE,
        related_name="questions",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=QuestionKind.choices)
    prompt = models.TextField(_("question"))
    options = models.TextField(
        _("options"),
        blank=True,
        help_text=_("One per line (at most six); not for true/false or fill-in."),
    )
    answer = models.CharField(
        _("right answer"),
        max_length=500,
        help_text=_(
            "Option numbers, e.g. 2 or 1,3; for true/false 1 = true, 2 = false; "
            "for fill-in the accepted answers separated by |."
        ),
    )
    explanation = models.TextField(_("explanation"), blank=True)
    category = models.CharField(_("category"), max_length=100, blank=True)
    difficulty = models.CharField(
        _("difficulty"),
        max_length=8,
        choices=Difficulty.choices,
        default=Difficulty.MEDIUM,
    )

    panels = [
        FieldPanel("bank"),
        FieldPanel("kind"),
        FieldPanel("prompt"),
        FieldPanel("options"),
        FieldPanel("answer"),
        FieldPanel("explanation"),
        FieldPanel("category"),
        FieldPanel("difficulty"),
    ]

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["bank_id", "id"]
        indexes = [
            models.Index(
                fields=["bank", "kind", "category", "difficulty"],
                name="question_draw_idx",
            )
        ]

    def __str__(self):
        return self.prompt[:50]

    def option_list(self) -> list[str]:
        if self.kind == QuestionKind.TRUE_FALSE:
            return [str(_("True")), str(_("False"))]
        return [line.strip() for line in self.options.splitlines() if line.strip()]

    def clean(self):
        super().clean()
        problem = question_problem(
            kind=self.kind,
            option_count=len(self.option_list()),
            answer=self.answer,
        )
        if problem:
            raise ValidationError({"answer": QUESTION_PROBLEMS[problem]})


class TestRule(Orderable):
    """One line of a test's paper: `count` questions drawn at random from a bank,
    optionally only of one kind, category and difficulty ("5 single-choice from
    社区治理")."""

    lesson = ParentalKey(
        LessonPage, on_delete=models.CASCADE, related_name="test_rules"
    )
    bank = models.ForeignKey(
        QuestionBank,
        verbose_name=_("question bank"),
        on_delete=models.PROTECT,
        related_name="rules",
    )
    count = models.PositiveSmallIntegerField(
        _("number of questions"),
        validators=[MinValueValidator(1), MaxValueValidator(200)],
    )
    kind = models.CharField(
        _("kind"),
        max_length=16,
        choices=QuestionKind.choices,
        blank=True,
        help_text=_("Empty: any kind."),
    )
    category = models.CharField(
        _("category"), max_length=100, blank=True, help_text=_("Empty: any category.")
    )
    difficulty = models.CharField(
        _("difficulty"),
        max_length=8,
        choices=Difficulty.choices,
        blank=True,
        help_text=_("Empty: any difficulty."),
    )

    panels = [
        FieldPanel("bank"),
        FieldPanel("count"),
        FieldPanel("kind"),
        FieldPanel("category"),
        FieldPanel("difficulty"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("test rule")
        verbose_name_plural = _("test rules")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(count__gte=1), name="test_rule_count_positive"
            )
        ]

    def __str__(self):
        return f"{self.count} × {self.bank_id}/{self.kind}/{self.category}"

    def question_filter(self) -> dict:
        """The ORM filter of the questions this rule draws from."""
        lookup = {"bank_id": self.bank_id}
        if self.kind:
            lookup["kind"] = self.kind
        if self.category:
            lookup["category"] = self.category
        if self.difficulty:
            lookup["difficulty"] = self.difficulty
        return lookup
