from django.db import migrations

from lms.accounts.db import append_only


class Migration(migrations.Migration):
    dependencies = [("certificates", "0001_initial")]

    operations = [append_only("certificates_certificateevent")]
