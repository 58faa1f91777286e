"""Mentoring portal pages: placements, pairs, the pool, ask an expert (the Wagtail
admin is in `mentoring.viewsets`)."""

from .pairs import pairing_detail  # noqa: F401
from .placements import (  # noqa: F401
    directory,
    mentor_page,
    mine,
    placement_detail,
    studio_page,
)
from .pool import dashboard as pool_dashboard  # noqa: F401
from .pool import visit_record  # noqa: F401
from .questions import (  # noqa: F401
    accept,
    ask,
    faq,
    photo,
    question_detail,
    questions,
)
