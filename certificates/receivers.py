"""What certificates does when a lower layer reports something (connected in
`CertificatesConfig.ready`)."""

from django.dispatch import receiver

from courses.signals import lesson_credited

from .tasks import course_certificate_issue_task


@receiver(lesson_credited, dispatch_uid="certificates_course_completion")
def course_certificate_queue(sender, *, worker_id: int, course_id: int, **kwargs):
    """A lesson or test of a course was credited: queue the course's completion
    certificate (issued only when the course is complete, and only once)."""
    course_certificate_issue_task.delay(worker_id, course_id)
