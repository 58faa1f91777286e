"""Demo base library and institution library, drawn from the reports (seed 001).

On-site teaching bases chosen "from the hundred best model communities, themed
communities, featured streets and model neighbourhoods"; universities, party schools,
local colleges and training organisations that co-run training, with agreements.
"""

import datetime as dt
import io
from decimal import Decimal

from django.core.files.base import ContentFile
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model

from bases.models import (
    Base,
    BasePhoto,
    BaseType,
    CooperationAgreement,
    Institution,
    InstitutionType,
)
from lms.people import pii
from lms.people.rules import mask_phone
from lms.training.models import TrainingClass, TrainingLevel

from .people import GIVEN, SURNAMES

# (type, how many, name pattern, themes)
BASE_PLAN = [
    (
        BaseType.MODEL_COMMUNITY,
        12,
        "{community}（百佳示范社区）",
        [
            "党建引领城乡社区发展治理",
            "社区党群服务中心",
            "居民议事协商",
            "社区综合体",
            "社区志愿服务",
            "网格化服务管理",
        ],
    ),
    (
        BaseType.THEMED_COMMUNITY,
        7,
        "{community}·{theme}",
        ["国际化社区", "公园社区", "书香社区", "智慧社区", "老年友好社区", "文化社区"],
    ),
    (
        BaseType.FEATURED_STREET,
        5,
        "{street}{theme}特色街区",
        ["天府文化", "社区商业", "夜间经济", "非遗传承", "街巷美空间"],
    ),
    (
        BaseType.MODEL_NEIGHBOURHOOD,
        6,
        "{place}小区（示范小区）",
        ["小区党群服务站", "楼栋红管家", "小区治理", "物业服务融合", "老旧院落改造"],
    ),
]
THEMED_EXTRA = ["社区场景营造", "社区美空间", "社区微更新项目", "社区社会企业"]
ROADS = [
    "人民南路",
    "蜀都大道",
    "天府大道",
    "一环路",
    "二环路",
    "滨江路",
    "建设路",
    "光华大道",
]
PLACES = [
    "锦绣",
    "和悦",
    "清水",
    "翠竹",
    "桂苑",
    "南苑",
    "芙蓉",
    "银杏",
    "望江",
    "金桂",
]

INSTITUTIONS = [
    # (type, name, owner: "city" or district index, address, agreements [(title, start, years)])
    (
        InstitutionType.UNIVERSITY,
        "四川大学公共管理学院",
        "city",
        "成都市武侯区一环路南一段24号",
        [
            ("社区工作者学历提升与培训合作协议", (2021, 3, 1), 3),
            ("社区发展治理研究与培训基地共建协议", (2024, 3, 1), 3),
        ],
    ),
    (
        InstitutionType.UNIVERSITY,
        "西南财经大学社会发展研究院",
        "city",
        "成都市温江区柳台大道555号",
        [("社区社会企业与社会组织培训合作协议", (2023, 9, 1), 3)],
    ),
    (
        InstitutionType.UNIVERSITY,
        "电子科技大学公共管理学院",
        "city",
        "成都市高新区西源大道2006号",
        [("智慧社区治理课程共建协议", (2022, 1, 1), 2)],
    ),
    (
        InstitutionType.UNIVERSITY,
        "西南交通大学建筑与设计学院",
        "city",
        "成都市郫都区犀安路999号",
        [("社区美空间与微更新教学合作协议", (2024, 6, 1), 2)],
    ),
    (
        InstitutionType.UNIVERSITY,
        "清华大学高质量研究院",
        "city",
        "北京市海淀区清华园1号",
        [],  # 建立初步联系, no agreement yet
    ),
    (
        InstitutionType.PARTY_SCHOOL,
        "中共成都市委党校",
        "city",
        "成都市青羊区光华大道一段1号",
        [("社区党组织书记轮训合作协议", (2022, 1, 1), 5)],
    ),
    (
        InstitutionType.PARTY_SCHOOL,
        "中共{district}委党校",
        0,
        "{district}行政中心",
        [("社区“两委”成员培训协议", (2025, 1, 1), 2)],
    ),
    (
        InstitutionType.PARTY_SCHOOL,
        "中共{district}委党校",
        1,
        "{district}行政中心",
        [("新任社区干部初任培训协议", (2023, 1, 1), 2)],
    ),
    (
        InstitutionType.LOCAL_COLLEGE,
        "成都职业技术学院",
        "city",
        "成都市高新区天益街83号",
        [("社区工作者职业资格考前培训合作协议", (2024, 9, 1), 3)],
    ),
    (
        InstitutionType.LOCAL_COLLEGE,
        "四川城市职业学院",
        "city",
        "成都市龙泉驿区十陵街道",
        [("社区服务与管理专业订单培养协议", (2021, 9, 1), 4)],
    ),
    (
        InstitutionType.LOCAL_COLLEGE,
        "成都开放大学（成都市社区教育学院）",
        "city",
        "成都市青羊区清江中路",
        [("网络课堂资源共建共享协议", (2023, 3, 1), None)],
    ),
    (
        InstitutionType.TRAINING_ORGANISATION,
        "成都市社会工作者协会培训中心",
        "city",
        "成都市锦江区",
        [("社工站建设专题培训服务协议", (2025, 3, 1), 1)],
    ),
    (
        InstitutionType.TRAINING_ORGANISATION,
        "{district}社区发展治理学院",
        0,
        "{district}",
        [("街道兜底培训委托协议", (2024, 1, 1), 2)],
    ),
]

PHOTO_SIZE = (640, 400)
PALETTE = [(196, 47, 45), (33, 96, 160), (46, 125, 50), (239, 140, 0), (94, 53, 177)]


def _photo_bytes(rng, label_seed: int) -> bytes:
    """A small deterministic PNG: a sky, a street and building blocks."""
    width, height = PHOTO_SIZE
    image = PILImage.new("RGB", (width, height), (222, 235, 247))
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 300, width, height], fill=(120, 120, 120))
    x = 10
    while x < width - 40:
        w = rng.randint(50, 120)
        h = rng.randint(120, 260)
        colour = PALETTE[(label_seed + x) % len(PALETTE)]
        draw.rectangle([x, 300 - h, x + w, 300], fill=colour)
        for wy in range(300 - h + 12, 290, 28):
            for wx in range(x + 8, x + w - 14, 22):
                draw.rectangle([wx, wy, wx + 10, wy + 14], fill=(250, 240, 200))
        x += w + rng.randint(8, 20)
    draw.ellipse([520, 30, 580, 90], fill=(255, 214, 0))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _agreement_pdf(title_ascii: str, start: dt.date, end: dt.date | None) -> bytes:
    """A one-page PDF (Latin text only, no font embedding needed)."""
    text = (
        f"Cooperation agreement {title_ascii}. "
        f"Valid from {start:%Y-%m-%d} to {end:%Y-%m-%d}."
        if end
        else f"Cooperation agreement {title_ascii}. Valid from {start:%Y-%m-%d}."
    )
    stream = f"BT /F1 14 Tf 56 760 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
        % (len(objects) + 1, xref)
    )
    return out.getvalue()


def _contact(rng) -> tuple[str, str]:
    name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice([1, 2])))
    return name, f"1{rng.choice('3589')}{rng.randrange(10**8, 10**9)}"


def seed_bases(*, rng, tree: dict) -> list[Base]:
    communities, streets = tree["communities"], tree["streets"]
    districts_by_path = {d.path: d for d in tree["districts"]}
    streets_by_path = {s.path: s for s in streets}
    bases, used_names = [], set()
    chosen = rng.sample(communities, min(len(communities), 25))
    pick = 0
    for base_type, count, pattern, themes in BASE_PLAN:
        for i in range(count):
            community = chosen[pick % len(chosen)]
            pick += 1
            street = streets_by_path[community.path[:-4]]
            district = districts_by_path[street.path[:-4]]
            theme = themes[i % len(themes)]
            owner = street if base_type == BaseType.FEATURED_STREET else community
            name = pattern.format(
                community=community.name,
                street=street.name,
                theme=theme,
                place=rng.choice(PLACES) + rng.choice(["苑", "园", "里", "府"]),
            )
            if name in used_names:
                name = f"{name}{i + 1}"
            used_names.add(name)
            theme_list = [theme] + rng.sample(THEMED_EXTRA, 2)
            contact_name, phone = _contact(rng)
            bases.append(
                Base(
                    name=name,
                    base_type=base_type,
                    org=owner,
                    address=(
                        f"成都市{district.name}{street.name}"
                        f"{rng.choice(ROADS)}{rng.randint(1, 300)}号"
                    ),
                    latitude=Decimal(f"{30.57 + rng.uniform(-0.25, 0.25):.6f}"),
                    longitude=Decimal(f"{104.06 + rng.uniform(-0.3, 0.3):.6f}"),
                    capacity=rng.choice([30, 40, 50, 60, 80, 100, 120, 150, 200]),
                    themes="、".join(theme_list),
                    contact_name=contact_name,
                    phone_encrypted=pii.encrypt(phone),
                    phone_masked=mask_phone(phone),
                    description=(
                        f"从{dict(BaseType.choices)[base_type]}中优选纳入现场教学基地库，"
                        f"重点展示{theme_list[0]}、{theme_list[1]}的做法，"
                        "可安排实地参观、案例讲解和座谈交流。"
                    ),
                )
            )
    bases = Base.objects.bulk_create(bases)
    Image = get_image_model()
    photos = []
    for n, base in enumerate(bases):
        image = Image(title=f"{base.name}现场照片")
        image.file.save(
            f"base-{n + 1:03d}.png",
            ContentFile(_photo_bytes(rng, n)),
            save=False,
        )
        image.width, image.height = PHOTO_SIZE
        image.save()
        photos.append(
            BasePhoto(base=base, image=image, caption=f"{base.name}", sort_order=0)
        )
    BasePhoto.objects.bulk_create(photos)
    return bases


def seed_institutions(*, rng, tree: dict) -> list[Institution]:
    city, districts = tree["city"], tree["districts"]
    institutions, plans = [], []
    for kind, name, owner, address, agreements in INSTITUTIONS:
        org = city if owner == "city" else districts[owner % len(districts)]
        contact_name, phone = _contact(rng)
        institutions.append(
            Institution(
                name=name.format(district=org.name),
                institution_type=kind,
                org=org,
                address=address.format(district=org.name),
                contact_name=contact_name,
                phone_encrypted=pii.encrypt(phone),
                phone_masked=mask_phone(phone),
                description=(
                    "与市委社治委在教育培训、资源共建、教学资源共享等方面开展合作。"
                    if agreements
                    else "已建立初步联系，合作协议商议中。"
                ),
            )
        )
        plans.append(agreements)
    institutions = Institution.objects.bulk_create(institutions)
    rows = []
    for n, (institution, agreements) in enumerate(zip(institutions, plans)):
        for order, (title, start, years) in enumerate(agreements):
            start_date = dt.date(*start)
            end_date = (
                dt.date(start_date.year + years, start_date.month, 1)
                - dt.timedelta(days=1)
                if years
                else None
            )
            agreement = CooperationAgreement(
                institution=institution,
                title=title,
                start_date=start_date,
                end_date=end_date,
                sort_order=order,
            )
            agreement.file.save(
                f"agreement-{n + 1:02d}-{order + 1}.pdf",
                ContentFile(
                    _agreement_pdf(f"No. {n + 1:02d}-{order + 1}", start_date, end_date)
                ),
                save=False,
            )
            rows.append(agreement)
    CooperationAgreement.objects.bulk_create(rows)
    return institutions


def seed(context: dict) -> None:
    rng, tree = context["rng"], context["tree"]
    context["bases"] = seed_bases(rng=rng, tree=tree)
    context["institutions"] = seed_institutions(rng=rng, tree=tree)


def seed_partners(context: dict) -> None:
    """After the classes exist: institutions that co-run city and district classes."""
    rng = context["rng"]
    # Those with a signed agreement co-run classes.
    partners = list(
        Institution.objects.filter(agreements__isnull=False).distinct().order_by("pk")
    )
    if not partners:
        return
    classes = list(
        TrainingClass.objects.filter(
            level__in=[TrainingLevel.CITY, TrainingLevel.DISTRICT]
        ).order_by("pk")
    )
    chosen = [c for c in classes if rng.random() < 0.3]
    for klass in chosen:
        klass.institution_id = rng.choice(partners).pk
    TrainingClass.objects.bulk_update(chosen, ["institution"], batch_size=1000)
