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
from .pool import (
    GuidanceProblem,
    GuidanceVisit,
    MemberStatus,
    PoolAssignment,
    PoolMember,
    ProblemTopic,
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
    "GuidanceProblem",
    "GuidanceVisit",
    "MemberStatus",
    "PoolAssignment",
    "PoolMember",
    "ProblemTopic",
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
