# TrainerRating moved here from the trainers app: Django's state only, the table
# (trainers_trainerrating) and its rows stay; its content type (and so its
# permissions) follows the model.

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models


def move_content_type(apps, schema_editor, old="trainers", new="training"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(
        app_label=new, model="trainerrating"
    ).exists():
        ContentType.objects.using(db).filter(
            app_label=old, model="trainerrating"
        ).update(app_label=new)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, old="training", new="trainers")


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("people", "0001_initial"),
        ("trainers", "0004_trainer_rating_to_training"),
        ("training", "0008_merge_banks"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="TrainerRating",
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
                            "score",
                            models.PositiveSmallIntegerField(
                                validators=[
                                    django.core.validators.MinValueValidator(1),
                                    django.core.validators.MaxValueValidator(5),
                                ],
                                verbose_name="score",
                            ),
                        ),
                        (
                            "comment",
                            models.TextField(
                                blank=True, max_length=1000, verbose_name="comment"
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(
                                auto_now_add=True, verbose_name="rated at"
                            ),
                        ),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "trainer",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="ratings",
                                to="trainers.trainer",
                                verbose_name="trainer",
                            ),
                        ),
                        (
                            "training_class",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="trainer_ratings",
                                to="training.trainingclass",
                                verbose_name="class",
                            ),
                        ),
                        (
                            "worker",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="trainer_ratings",
                                to="people.worker",
                                verbose_name="worker",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "trainer rating",
                        "verbose_name_plural": "trainer ratings",
                        "db_table": "trainers_trainerrating",
                        "ordering": ["-created_at", "id"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("trainer", "training_class", "worker"),
                                name="one_rating_per_trainer_class_worker",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(("score__gte", 1), ("score__lte", 5)),
                                name="rating_score_1_to_5",
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
