from .banks import Difficulty, Question, QuestionBank, QuestionKind, TestRule
from .pages import (
    CourseIndexPage,
    CourseLevel,
    CoursePage,
    CourseReviewTask,
    CourseTopic,
    LessonKind,
    LessonPage,
    PostListField,
    Series,
)
from .playback import (
    CheckpointEvent,
    PlaySession,
    PlayState,
    PresencePrompt,
    VideoCheckpoint,
)
from .progress import AttemptEnd, LessonProgress, TestAttempt
from .textbooks import Textbook, TextbookAttachment
from .uploads import Upload, UploadKind, UploadStatus

__all__ = [
    "AttemptEnd",
    "Difficulty",
    "QuestionBank",
    "TestRule",
    "CheckpointEvent",
    "PlaySession",
    "PlayState",
    "PresencePrompt",
    "VideoCheckpoint",
    "CourseIndexPage",
    "CourseLevel",
    "CoursePage",
    "CourseReviewTask",
    "CourseTopic",
    "LessonKind",
    "LessonPage",
    "LessonProgress",
    "PostListField",
    "Question",
    "QuestionKind",
    "Series",
    "TestAttempt",
    "Textbook",
    "TextbookAttachment",
    "Upload",
    "UploadKind",
    "UploadStatus",
]
