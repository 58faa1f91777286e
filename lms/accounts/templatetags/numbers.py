"""Numbers as people write them: 10.2, not 10.2000000000000 (SQLite sums) or 3.00."""

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def num(value, places=2):
    """At most `places` decimals, trailing zeros dropped; '—' for no value."""
    if value is None or value == "":
        return "—"
    try:
        number = Decimal(str(value)).quantize(Decimal(1).scaleb(-int(places)))
    except (InvalidOperation, ValueError):
        return value
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
