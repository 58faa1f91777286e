"""The compliance app's refusals (services and selectors raise them)."""


class ComplianceError(Exception):
    """A refused action, with a message fit for the person who asked."""
