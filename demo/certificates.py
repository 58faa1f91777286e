"""Demo certificates: a template per kind (with a generated seal), and certificates
the demo worker can see, download and verify (one revoked-and-reissued example)."""

import io
import math

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images import get_image_model

from certificates import claims, services
from certificates.layout import (
    DEFAULT_CSS,
    DEFAULT_HEADING,
    DEFAULT_LAYOUT,
    DEFAULT_WORDING,
)
from certificates.models import Certificate, CertificateKind, CertificateTemplate
from lms.people.models import Worker
from lms.training.models import Enrolment, EnrolmentStatus

SEAL_FONT = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"
ISSUER_CODES = {
    "completion": "JY",
    "annual": "ND",
    "honour": "RY",
    "medal": "JZ",
    "course": "WK",
}
# Both completion kinds are headed 结业证书: the admin list tells them apart by name.
TEMPLATE_NAMES = {"course": "网络课程结业证书（默认）"}
RED = (200, 16, 46, 255)


def seal_png(text: str, size: int = 360) -> bytes:
    """A round red seal: a ring, a five-pointed star, the issuer's name on an arc."""
    image = PILImage.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    c, r = size / 2, size / 2 - 8
    draw.ellipse([c - r, c - r, c + r, c + r], outline=RED, width=12)
    star = []
    for i in range(10):
        radius = 58 if i % 2 == 0 else 23
        angle = -math.pi / 2 + i * math.pi / 5
        star.append((c + radius * math.cos(angle), c + radius * math.sin(angle)))
    draw.polygon(star, fill=RED)
    try:
        font = ImageFont.truetype(SEAL_FONT, 40, index=0)
    except OSError:  # no CJK font: the seal is drawn without its words
        return _png(image)
    # The name along the upper arc, each character turned to face the centre.
    span = min(math.radians(220), math.radians(30) * len(text))
    for i, char in enumerate(text):
        angle = -math.pi / 2 - span / 2 + span * (i + 0.5) / len(text)
        tile = PILImage.new("RGBA", (56, 56), (0, 0, 0, 0))
        ImageDraw.Draw(tile).text((28, 28), char, font=font, fill=RED, anchor="mm")
        tile = tile.rotate(-math.degrees(angle) - 90, resample=PILImage.BICUBIC)
        x = c + (r - 46) * math.cos(angle) - 28
        y = c + (r - 46) * math.sin(angle) - 28
        image.alpha_composite(tile, (int(x), int(y)))
    small = ImageFont.truetype(SEAL_FONT, 30, index=0)
    draw.text((c, c + 92), "培训专用章", font=small, fill=RED, anchor="mm")
    return _png(image)


def _png(image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def seed_templates(*, city) -> dict[str, CertificateTemplate]:
    issuer = f"{city.name}民政局"
    Image = get_image_model()
    seal = Image(title=f"{issuer}培训专用章")
    seal.file.save("seal.png", ContentFile(seal_png(issuer)), save=False)
    seal.width = seal.height = 360
    seal.save()
    templates = {}
    for kind in CertificateKind.values:
        template = CertificateTemplate(
            name=TEMPLATE_NAMES.get(kind, f"{DEFAULT_HEADING[kind]}（默认）"),
            kind=kind,
            org=city,
            orientation="portrait" if kind == "annual" else "landscape",
            heading=DEFAULT_HEADING[kind],
            wording=DEFAULT_WORDING[kind],
            issuer_name=issuer,
            issuer_code=ISSUER_CODES[kind],
            seal_image=seal,
            layout_html=DEFAULT_LAYOUT,
            css=DEFAULT_CSS,
        )
        template.full_clean()
        template.save()
        templates[kind] = template
    return templates


def seed(context: dict) -> None:
    tree = context["tree"]
    seed_templates(city=tree["city"])
    admin = context.get("admins", {}).get("demo_city")
    today = timezone.localdate()
    issued = 0
    # Honours and medals for the veterans of the demo worker's street.
    street = tree["streets"][0]
    due = [
        c
        for c in claims.service_claims_due(on=today, issuer_org=tree["city"])
        if c.worker.community.path.startswith(street.path)
    ]
    issued += len(services.certificates_issue(claims=due, actor=admin).issued)
    worker = Worker.objects.filter(user__username="demo_worker").first()
    if worker is None:
        return
    # The demo worker's completed classes and last year's record, when earned.

    enrolments = Enrolment.objects.filter(
        worker=worker, status=EnrolmentStatus.ENROLLED
    ).select_related("worker__community", "training_class__organiser")
    mine = claims.completion_claims_for(list(enrolments))
    mine.append(
        claims.annual_claim(worker, year=today.year - 1, issuer_org=tree["city"])
    )
    issued += len(services.certificates_issue(claims=mine, actor=admin).issued)
    # A revoked and a superseded serial, so verification shows every state.
    examples = list(
        Certificate.objects.filter(worker__community__path__startswith=street.path)
        .exclude(worker=worker)
        .order_by("id")[:2]
    )
    if len(examples) == 2 and admin is not None:
        services.certificate_revoke(
            certificate=examples[0], reason="重复发放，予以撤销", actor=admin
        )
        services.certificate_reissue(
            certificate=examples[1], reason="姓名录入有误，更正后重新颁发", actor=admin
        )
    context["stdout"].write(
        f"certificates: {issued} issued, "
        f"{worker.certificates.count()} for the demo worker"
    )
