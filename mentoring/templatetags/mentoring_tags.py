"""Template tags of mentoring shown on other apps' pages (their templates load
them; their code does not import mentoring): `{% faq_matches q %}` next to the
course catalogue's results, `{% worker_placements worker %}` on the worker's file."""

from django import template

from ..selectors import knowledge_base_search, placements_of_worker

register = template.Library()


@register.inclusion_tag("mentoring/_faq_matches.html")
def faq_matches(query: str, limit: int = 5):
    results, count = knowledge_base_search(query or "", limit=limit)
    return {"query": query, "results": results, "count": count}


@register.inclusion_tag("mentoring/_worker_placements.html")
def worker_placements(worker):
    """The worker's placements on their file (`people/home.html` loads it; people's
    code does not import mentoring): host, period, days, status, days credited."""
    return {"placements": placements_of_worker(worker)}
