"""The form decides the kind: credit whose training form is online counts toward the
online cap (study hours), however it entered the ledger; every other credit counts as
in-person days. Replaces the totals trigger of 0005 and rebuilds the totals.

The condition repeats `lms.training.models.ONLINE_CREDIT` in SQL (a migration keeps
its own copy); tests/training/test_ledger.py checks that the two agree for every kind
and form.
"""

from importlib import import_module

from django.db import migrations

ONLINE = "({p}kind IN ('online', 'test') OR {p}form = 'online')"
UPSERT = """
    INSERT INTO training_credittotal (worker_id, year, in_person_days, online_hours)
    VALUES (NEW.worker_id, {year},
            CASE WHEN {online} THEN 0 ELSE NEW.days END,
            CASE WHEN {online} THEN NEW.hours ELSE 0 END)
    ON CONFLICT (year, worker_id) DO UPDATE SET
        in_person_days = training_credittotal.in_person_days
                         + excluded.in_person_days,
        online_hours = training_credittotal.online_hours + excluded.online_hours;
"""
YEAR = {
    "postgresql": "EXTRACT(YEAR FROM {p}date)::int",
    "sqlite": "CAST(substr({p}date, 1, 4) AS INTEGER)",
}
PG_TRIGGER = """
CREATE FUNCTION lms_credit_total() RETURNS trigger AS $$
BEGIN
    {upsert}
    RETURN NULL;
END $$ LANGUAGE plpgsql;
CREATE TRIGGER training_creditentry_total AFTER INSERT ON training_creditentry
    FOR EACH ROW EXECUTE FUNCTION lms_credit_total();
"""
SQLITE_TRIGGER = """
CREATE TRIGGER training_creditentry_total AFTER INSERT ON training_creditentry
BEGIN
    {upsert}
END;
"""
REBUILD = """
INSERT INTO training_credittotal (worker_id, year, in_person_days, online_hours)
SELECT worker_id, {year},
       SUM(CASE WHEN {online} THEN 0 ELSE days END),
       SUM(CASE WHEN {online} THEN hours ELSE 0 END)
FROM training_creditentry GROUP BY 1, 2
"""


def _drop(schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS training_creditentry_total ON training_creditentry",
            params=None,
        )
        schema_editor.execute("DROP FUNCTION IF EXISTS lms_credit_total()", params=None)
    else:
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS training_creditentry_total", params=None
        )


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _drop(schema_editor)
    schema_editor.execute("DELETE FROM training_credittotal", params=None)
    schema_editor.execute(
        REBUILD.format(year=YEAR[vendor].format(p=""), online=ONLINE.format(p="")),
        params=None,
    )
    upsert = UPSERT.format(
        year=YEAR[vendor].format(p="NEW."), online=ONLINE.format(p="NEW.")
    )
    trigger = PG_TRIGGER if vendor == "postgresql" else SQLITE_TRIGGER
    schema_editor.execute(trigger.format(upsert=upsert), params=None)


def backwards(apps, schema_editor):
    """Back to 0005: its trigger and its totals (kinds only)."""
    _drop(schema_editor)
    schema_editor.execute("DELETE FROM training_credittotal", params=None)
    import_module("lms.training.migrations.0005_credit_totals").forwards(
        apps, schema_editor
    )


class Migration(migrations.Migration):
    dependencies = [("training", "0005_credit_totals")]

    operations = [migrations.RunPython(forwards, backwards)]
