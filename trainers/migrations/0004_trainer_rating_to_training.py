# TrainerRating moved to lms.training (a rating is feedback on a class); the table
# stays where it is, only Django's state moves.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("trainers", "0003_labels"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="TrainerRating")],
            database_operations=[],
        ),
    ]
