import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import modelcluster.fields
from django.db import migrations, models


class Migration(migrations.Migration):
    """Question banks and test rules; the per-lesson questions move in 0004."""

    dependencies = [
        ("courses", "0002_coursereviewtask"),
        ("org", "0001_initial"),
        ("people", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="QuestionBank",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                ("title", models.CharField(max_length=200, verbose_name="title")),
                (
                    "description",
                    models.TextField(blank=True, verbose_name="description"),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "verbose_name": "question bank",
                "verbose_name_plural": "question banks",
                "ordering": ["title"],
            },
        ),
        migrations.CreateModel(
            name="TestRule",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "sort_order",
                    models.IntegerField(blank=True, editable=False, null=True),
                ),
                (
                    "count",
                    models.PositiveSmallIntegerField(
                        validators=[
                            django.core.validators.MinValueValidator(1),
                            django.core.validators.MaxValueValidator(200),
                        ],
                        verbose_name="number of questions",
                    ),
                ),
                (
                    "kind",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("single", "Single choice"),
                            ("multiple", "Multiple choice"),
                            ("true_false", "True or false"),
                            ("fill_in", "Fill in the blank"),
                        ],
                        help_text="Empty: any kind.",
                        max_length=16,
                        verbose_name="kind",
                    ),
                ),
                (
                    "category",
                    models.CharField(
                        blank=True,
                        help_text="Empty: any category.",
                        max_length=100,
                        verbose_name="category",
                    ),
                ),
                (
                    "difficulty",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("easy", "Easy"),
                            ("medium", "Medium"),
                            ("hard", "Hard"),
                        ],
                        help_text="Empty: any difficulty.",
                        max_length=8,
                        verbose_name="difficulty",
                    ),
                ),
            ],
            options={
                "verbose_name": "test rule",
                "verbose_name_plural": "test rules",
                "ordering": ["sort_order"],
                "abstract": False,
            },
        ),
        migrations.AddField(
            model_name="lessonpage",
            name="time_limit_minutes",
            field=models.PositiveSmallIntegerField(
                default=0,
                help_text="For tests: 0 = no limit; the server submits at the deadline.",
                verbose_name="time limit (minutes)",
            ),
        ),
        migrations.AddField(
            model_name="question",
            name="category",
            field=models.CharField(blank=True, max_length=100, verbose_name="category"),
        ),
        migrations.AddField(
            model_name="question",
            name="difficulty",
            field=models.CharField(
                choices=[("easy", "Easy"), ("medium", "Medium"), ("hard", "Hard")],
                default="medium",
                max_length=8,
                verbose_name="difficulty",
            ),
        ),
        migrations.AddField(
            model_name="question",
            name="explanation",
            field=models.TextField(blank=True, verbose_name="explanation"),
        ),
        migrations.AddField(
            model_name="testattempt",
            name="deadline",
            field=models.DateTimeField(blank=True, null=True, verbose_name="deadline"),
        ),
        migrations.AddField(
            model_name="testattempt",
            name="departures",
            field=models.JSONField(
                default=list, verbose_name="times the page was left"
            ),
        ),
        migrations.AddField(
            model_name="testattempt",
            name="end_reason",
            field=models.CharField(
                blank=True,
                choices=[
                    ("submitted", "Submitted"),
                    ("deadline", "Time ran out"),
                    ("departures", "Left the page too often"),
                ],
                max_length=16,
                verbose_name="ended by",
            ),
        ),
        migrations.AddField(
            model_name="testattempt",
            name="questions",
            field=models.JSONField(default=list, verbose_name="questions drawn"),
        ),
        migrations.AddField(
            model_name="testattempt",
            name="started_at",
            field=models.DateTimeField(
                default=django.utils.timezone.now, verbose_name="started"
            ),
        ),
        migrations.AddField(
            model_name="testattempt",
            name="submitted_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="submitted"),
        ),
        migrations.AlterField(
            model_name="question",
            name="answer",
            field=models.CharField(
                help_text="Option numbers, e.g. 2 or 1,3; for true/false 1 = true, 2 = false; for fill-in the accepted answers separated by |.",
                max_length=500,
                verbose_name="right answer",
            ),
        ),
        migrations.AlterField(
            model_name="question",
            name="kind",
            field=models.CharField(
                choices=[
                    ("single", "Single choice"),
                    ("multiple", "Multiple choice"),
                    ("true_false", "True or false"),
                    ("fill_in", "Fill in the blank"),
                ],
                max_length=16,
                verbose_name="kind",
            ),
        ),
        migrations.AlterField(
            model_name="question",
            name="options",
            field=models.TextField(
                blank=True,
                help_text="One per line (at most six); not for true/false or fill-in.",
                verbose_name="options",
            ),
        ),
        migrations.AlterField(
            model_name="testattempt",
            name="passed",
            field=models.BooleanField(blank=True, null=True, verbose_name="passed"),
        ),
        migrations.AlterField(
            model_name="testattempt",
            name="score",
            field=models.PositiveSmallIntegerField(
                blank=True, null=True, verbose_name="score (%)"
            ),
        ),
        migrations.AddField(
            model_name="questionbank",
            name="org",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="question_banks",
                to="org.orgnode",
                verbose_name="owning organisation",
            ),
        ),
        migrations.AddField(
            model_name="question",
            name="bank",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="questions",
                to="courses.questionbank",
                verbose_name="question bank",
            ),
        ),
        migrations.AddField(
            model_name="testrule",
            name="bank",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="rules",
                to="courses.questionbank",
                verbose_name="question bank",
            ),
        ),
        migrations.AddField(
            model_name="testrule",
            name="lesson",
            field=modelcluster.fields.ParentalKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="test_rules",
                to="courses.lessonpage",
            ),
        ),
        migrations.AddConstraint(
            model_name="testrule",
            constraint=models.CheckConstraint(
                condition=models.Q(("count__gte", 1)), name="test_rule_count_positive"
            ),
        ),
    ]
