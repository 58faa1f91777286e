"""Mentoring models: studios, mentors and placements; questions to experts."""

from .pairs import PairEvaluation, Pairing, PairRecord, PairReminder, PairSide
from .placements import (
    Mentor,
    MentorKind,
    Placement,
    PlacementKind,
    PlacementStatus,
    Studio,
)
from .questions import (
    Answer,
    Question,
    QuestionPhoto,
    QuestionReminder,
    QuestionRoute,
    QuestionStatus,
)

__all__ = [
    "Answer",
    "Mentor",
    "PairEvaluation",
    "PairRecord",
    "PairReminder",
    "PairSide",
    "Pairing",
    "MentorKind",
    "Placement",
    "PlacementKind",
    "PlacementStatus",
    "Question",
    "QuestionPhoto",
    "QuestionReminder",
    "QuestionRoute",
    "QuestionStatus",
    "Studio",
]
