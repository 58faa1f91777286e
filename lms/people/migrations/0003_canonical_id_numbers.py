"""Store every ID number in its canonical ASCII form.

Before the import normalised numbers, one typed with full-width (or other scripts')
digits passed the check and was stored as typed, under its own keyed hash: a second
file for one person, and a way around the scope check. This rewrites such numbers in
canonical form. A number whose canonical form is already stored for another worker
is left as it is and named (by worker id) in the migration's output: an administrator
merges the two files by hand.
"""

from django.db import migrations


def canonicalise(apps, schema_editor):
    from lms.people import pii
    from lms.people.rules import mask_id_number, normalise_id_number

    Worker = apps.get_model("people", "Worker")
    digests = set(Worker.objects.values_list("id_number_digest", flat=True))
    for worker in Worker.objects.only("id", "id_number_encrypted").iterator():
        clear = pii.decrypt(worker.id_number_encrypted)
        canonical = normalise_id_number(clear)
        if canonical == clear:
            continue
        digest = pii.digest(canonical)
        if digest in digests:
            print(f"\n  worker {worker.pk}: ID number also stored for another worker")
            continue
        Worker.objects.filter(pk=worker.pk).update(
            id_number_encrypted=pii.encrypt(canonical),
            id_number_digest=digest,
            id_number_masked=mask_id_number(canonical),
        )
        digests.add(digest)


class Migration(migrations.Migration):
    dependencies = [("people", "0002_political_status_non_party")]

    operations = [migrations.RunPython(canonicalise, migrations.RunPython.noop)]
