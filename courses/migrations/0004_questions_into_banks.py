from django.db import migrations


def questions_into_banks(apps, schema_editor):
    """Each test lesson's questions become a bank of their own (owned by the course's
    organisation), and the lesson draws all of them, so existing tests keep working.
    Earlier attempts keep their answers and get the paper they answered."""
    LessonPage = apps.get_model("courses", "LessonPage")
    CoursePage = apps.get_model("courses", "CoursePage")
    Question = apps.get_model("courses", "Question")
    QuestionBank = apps.get_model("courses", "QuestionBank")
    TestRule = apps.get_model("courses", "TestRule")
    TestAttempt = apps.get_model("courses", "TestAttempt")
    lesson_ids = (
        Question.objects.order_by().values_list("lesson_id", flat=True).distinct()
    )
    for lesson in LessonPage.objects.filter(pk__in=list(lesson_ids)):
        course = CoursePage.objects.get(path=lesson.path[:-4])
        bank = QuestionBank.objects.create(
            title=f"{course.title} · {lesson.title}"[:200], org_id=course.owner_org_id
        )
        questions = list(
            Question.objects.filter(lesson_id=lesson.pk).order_by("sort_order", "pk")
        )
        Question.objects.filter(lesson_id=lesson.pk).update(bank=bank)
        TestRule.objects.create(
            lesson_id=lesson.pk, bank=bank, count=len(questions), sort_order=0
        )
        paper = [
            [
                q.pk,
                list(
                    range(
                        1,
                        3
                        if q.kind == "true_false"
                        else len([o for o in q.options.splitlines() if o.strip()]) + 1,
                    )
                ),
            ]
            for q in questions
        ]
        TestAttempt.objects.filter(lesson_id=lesson.pk).update(questions=paper)
    for attempt in TestAttempt.objects.all():
        attempt.started_at = attempt.submitted_at = attempt.created_at
        attempt.end_reason = "submitted"
        attempt.save(update_fields=["started_at", "submitted_at", "end_reason"])


class Migration(migrations.Migration):
    dependencies = [("courses", "0003_question_banks")]

    operations = [migrations.RunPython(questions_into_banks, migrations.RunPython.noop)]
