"""Lists of terms the libraries keep in one text field (specialities, topics,
themes): pure, no ORM, no settings."""

SEPARATORS = ("，", ",", ";", "；", "/", "、", "\n")


def split_terms(text: str) -> list[str]:
    """'社区营造、社会组织, 小区治理' -> ['社区营造', '社会组织', '小区治理'] (deduplicated)."""
    for sep in SEPARATORS:
        text = text.replace(sep, "|")
    terms: list[str] = []
    for term in (t.strip() for t in text.split("|")):
        if term and term not in terms:
            terms.append(term)
    return terms
