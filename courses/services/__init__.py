from .exams import (
    test_attempt_current,
    test_attempt_leave,
    test_attempt_save,
    test_attempt_start,
    test_attempt_submit,
    test_attempts_expire,
    test_paper_draw,
)
from .learning import LearningError, lesson_progress_start
from .library import course_library_ensure, lesson_submit_for_review
from .playback import (
    PlayRefused,
    checkpoint_answer,
    checkpoint_show,
    lesson_checkpoints,
    play_session_beat,
    play_session_open,
    play_sessions_stale_close,
    play_token_issue,
    presence_prompt_confirm,
    question_text,
)
from .uploads import (
    UploadError,
    upload_append,
    upload_complete,
    upload_create,
    uploads_expired_delete,
)

__all__ = [
    "LearningError",
    "PlayRefused",
    "UploadError",
    "checkpoint_answer",
    "checkpoint_show",
    "lesson_checkpoints",
    "course_library_ensure",
    "play_session_beat",
    "play_session_open",
    "play_sessions_stale_close",
    "play_token_issue",
    "presence_prompt_confirm",
    "question_text",
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
