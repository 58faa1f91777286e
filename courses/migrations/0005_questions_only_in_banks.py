import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """Questions now live only in banks: drop their lesson link."""

    dependencies = [("courses", "0004_questions_into_banks")]

    operations = [
        migrations.AlterModelOptions(
            name="question",
            options={
                "ordering": ["bank_id", "id"],
                "verbose_name": "question",
                "verbose_name_plural": "questions",
            },
        ),
        migrations.RemoveField(
            model_name="question",
            name="lesson",
        ),
        migrations.RemoveField(
            model_name="question",
            name="sort_order",
        ),
        migrations.RemoveField(
            model_name="testattempt",
            name="created_at",
        ),
        migrations.AddConstraint(
            model_name="testattempt",
            constraint=models.UniqueConstraint(
                condition=models.Q(("submitted_at__isnull", True)),
                fields=("worker", "lesson"),
                name="attempt_one_open",
            ),
        ),
        migrations.AddConstraint(
            model_name="testattempt",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("submitted_at__isnull", True),
                    models.Q(("passed__isnull", False), ("score__isnull", False)),
                    _connector="OR",
                ),
                name="attempt_submitted_is_graded",
            ),
        ),
        migrations.AddIndex(
            model_name="question",
            index=models.Index(
                fields=["bank", "kind", "category", "difficulty"],
                name="question_draw_idx",
            ),
        ),
        migrations.AlterField(
            model_name="question",
            name="bank",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="questions",
                to="courses.questionbank",
                verbose_name="question bank",
            ),
        ),
    ]
