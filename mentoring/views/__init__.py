"""Mentoring views: placements, studios and mentors; ask an expert."""

from .pairs import pairing_detail  # noqa: F401
from .placements import (  # noqa: F401
    MentoringGroup,
    bulk_place_view,
    directory,
    mentor_page,
    mine,
    placement_detail,
    studio_page,
)
from .pool import dashboard as pool_dashboard  # noqa: F401
from .pool import visit_record  # noqa: F401
from .questions import (  # noqa: F401
    QuestionViewSet,
    accept,
    ask,
    faq,
    photo,
    question_detail,
    questions,
)
