"""The refusals of the certificates app (claims and services both raise them)."""

from collections.abc import Sequence


class CertificateError(Exception):
    """A request the service refuses; `reasons` say why, in the user's language."""

    def __init__(self, reasons: Sequence[str]):
        super().__init__("; ".join(str(r) for r in reasons))
        self.reasons = [str(r) for r in reasons]


class NotEligible(CertificateError):
    pass
