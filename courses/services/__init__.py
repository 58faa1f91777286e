from .learning import (
    LearningError,
    lesson_progress_heartbeat,
    lesson_progress_start,
    test_attempt_submit,
)
from .library import course_library_ensure, lesson_submit_for_review
from .uploads import (
    UploadError,
    upload_append,
    upload_complete,
    upload_create,
    uploads_expired_delete,
)

__all__ = [
    "LearningError",
    "UploadError",
    "course_library_ensure",
    "lesson_progress_heartbeat",
    "lesson_progress_start",
    "lesson_submit_for_review",
    "test_attempt_submit",
    "upload_append",
    "upload_complete",
    "upload_create",
    "uploads_expired_delete",
]
