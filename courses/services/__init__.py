from .learning import LearningError, lesson_progress_start, test_attempt_submit
from .library import course_library_ensure, lesson_submit_for_review
from .playback import (
    PlayRefused,
    checkpoint_answer,
    checkpoint_show,
    play_session_beat,
    play_session_open,
    play_sessions_stale_close,
    play_token_issue,
    presence_prompt_confirm,
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
    "course_library_ensure",
    "play_session_beat",
    "play_session_open",
    "play_sessions_stale_close",
    "play_token_issue",
    "presence_prompt_confirm",
    "lesson_progress_start",
    "lesson_submit_for_review",
    "test_attempt_submit",
    "upload_append",
    "upload_complete",
    "upload_create",
    "uploads_expired_delete",
]
