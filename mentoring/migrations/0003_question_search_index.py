"""The knowledge base's word index on PostgreSQL: a GIN index over the two-character
words of each selected thread (`string_to_array(search_text, ' ')`), so that a search
for any words is an index containment test (mentoring.selectors.knowledge_base_search).
Other databases scan `search_text`. Not a partial index: ANALYZE keeps statistics of
the words only for the expressions of whole-table indexes, and the planner needs them
to choose between this index (rare words) and the newest-first scan (common ones)."""

from django.db import migrations

CREATE = """
CREATE INDEX IF NOT EXISTS mentoring_question_kb_words
ON mentoring_question USING gin (string_to_array(search_text, ' '))
"""
DROP = "DROP INDEX IF EXISTS mentoring_question_kb_words"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("mentoring", "0002_questions")]
    operations = [migrations.RunPython(create, drop)]
