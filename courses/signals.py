"""Signals of the course library; higher layers connect to them (certificates issues
a course's completion certificate), courses never imports them."""

from django.dispatch import Signal

# Sent once the transaction that credited a lesson or a passed test of an online
# course has committed. Keyword arguments: worker_id, course_id.
lesson_credited = Signal()
