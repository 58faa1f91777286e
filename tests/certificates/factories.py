import factory

from certificates.layout import (
    DEFAULT_CSS,
    DEFAULT_HEADING,
    DEFAULT_LAYOUT,
    DEFAULT_WORDING,
)
from certificates.models import CertificateTemplate


class CertificateTemplateFactory(factory.django.DjangoModelFactory):
    """A template with the default layout and wording of its kind."""

    class Meta:
        model = CertificateTemplate

    name = factory.Sequence(lambda n: f"模板{n}")
    kind = "honour"
    heading = factory.LazyAttribute(lambda o: DEFAULT_HEADING[o.kind])
    wording = factory.LazyAttribute(lambda o: DEFAULT_WORDING[o.kind])
    issuer_name = "示范市民政局"
    issuer_code = "SQ"
    layout_html = DEFAULT_LAYOUT
    css = DEFAULT_CSS
