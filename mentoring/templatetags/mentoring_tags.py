"""`{% faq_matches q %}`: the knowledge-base threads matching a search, shown next
to the course catalogue's results (the catalogue's template loads it; courses' code
does not import mentoring)."""

from django import template

from ..selectors import knowledge_base_search

register = template.Library()


@register.inclusion_tag("mentoring/_faq_matches.html")
def faq_matches(query: str, limit: int = 5):
    results, count = knowledge_base_search(query or "", limit=limit)
    return {"query": query, "results": results, "count": count}
