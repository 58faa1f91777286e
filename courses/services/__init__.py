from .exams import (
    test_attempt_current,
    test_attempt_leave,
    test_attempt_save,
    test_attempt_start,
    test_attempt_submit,
    test_attempts_expire,
    test_paper_draw,
)
from .learning import (
    LearningError,
    lesson_progress_heartbeat,
    lesson_progress_start,
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
    "test_attempt_current",
    "test_attempt_leave",
    "test_attempt_save",
    "test_attempt_start",
    "test_attempt_submit",
    "test_attempts_expire",
    "test_paper_draw",
    "upload_append",
    "upload_complete",
    "upload_create",
    "uploads_expired_delete",
]
