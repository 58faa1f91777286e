"""Administrator groups and their permissions, kept in step after every migrate.

Data scope is not a permission: it comes from the user's org (see scoping.py). The
groups only say which kinds of record each level may see and change.
"""

from django.contrib.auth.models import Group, Permission

# Group names are data a city's training office reads in the admin: Chinese, like its
# organisation names (migration accounts.0003 renamed the English ones).
CITY_ADMINS = "市级管理员"
DISTRICT_ADMINS = "区级管理员"
STREET_ADMINS = "街道管理员"
COMMUNITY_ADMINS = "社区管理员"

ADMIN = ["wagtailadmin.access_admin", "compliance.view_yearpolicy"]
PEOPLE = [
    "people.view_worker",
    "people.add_worker",
    "people.change_worker",
    "people.view_postspan",
    "people.add_postspan",
    "people.change_postspan",
    "people.unmask_id_number",
]
GROUP_PERMISSIONS = {
    CITY_ADMINS: ADMIN
    + PEOPLE
    + [
        "org.view_orgnode",
        "org.add_orgnode",
        "org.change_orgnode",
        "accounts.view_auditlog",
        "api.view_apitoken",
        "api.add_apitoken",
        "api.change_apitoken",
        "compliance.add_yearpolicy",
        "compliance.change_yearpolicy",
        "compliance.close_year",
    ],
    DISTRICT_ADMINS: ADMIN + PEOPLE + ["org.view_orgnode"],
    STREET_ADMINS: ADMIN + PEOPLE + ["org.view_orgnode"],
    COMMUNITY_ADMINS: ADMIN
    + ["people.view_worker", "people.view_postspan", "org.view_orgnode"],
}

# User accounts (the Wagtail user editor, scoped to the subtree by viewsets.py): a
# city's training office makes district administrators, a district its street and
# community administrators. Streets and communities do not manage accounts.
USERS = [f"accounts.{action}_user" for action in ("view", "add", "change", "delete")]
for _name in (CITY_ADMINS, DISTRICT_ADMINS):
    GROUP_PERMISSIONS[_name] = GROUP_PERMISSIONS[_name] + USERS

# Training (classes, enrolment, attendance, ledger, external training): city, district
# and street administrators plan and approve in their subtree; communities only look.
TRAINING_VIEW = [
    f"training.view_{m}"
    for m in ("trainingclass", "classsession", "enrolment", "attendance")
] + ["training.view_creditentry", "training.view_externaltraining"]
TRAINING = TRAINING_VIEW + [
    "training.add_trainingclass",
    "training.change_trainingclass",
    "training.add_classsession",
    "training.change_classsession",
    "training.delete_classsession",
    "training.add_enrolment",
    "training.add_creditentry",
    "training.change_externaltraining",
]
for _name in (
    CITY_ADMINS,
    DISTRICT_ADMINS,
    STREET_ADMINS,
):
    GROUP_PERMISSIONS[_name] = GROUP_PERMISSIONS[_name] + TRAINING
GROUP_PERMISSIONS[COMMUNITY_ADMINS] = (
    GROUP_PERMISSIONS[COMMUNITY_ADMINS] + TRAINING_VIEW
)

# Course library: page permissions (add, change, publish) on the course index are
# granted to the administrator groups by courses.services.course_library_ensure; here
# the textbook library and the question banks (scoped by owner org) and images for
# course covers.
for _name in (
    CITY_ADMINS,
    DISTRICT_ADMINS,
    STREET_ADMINS,
):
    GROUP_PERMISSIONS[_name] = (
        GROUP_PERMISSIONS[_name]
        + [
            f"courses.{action}_{model}"
            for model in ("textbook", "questionbank", "question")
            for action in ("view", "add", "change", "delete")
        ]
        + ["wagtailimages.add_image", "wagtailimages.choose_image"]
    )
GROUP_PERMISSIONS[COMMUNITY_ADMINS] = GROUP_PERMISSIONS[COMMUNITY_ADMINS] + [
    "courses.view_textbook"
]
# Trainer, expert, base and institution libraries (scoped by each record's owner org):
# city, district and street administrators run them; communities only look.
LIBRARY_MODELS = [
    ("trainers", "trainer"),
    ("trainers", "expert"),
    ("bases", "base"),
    ("bases", "institution"),
]
LIBRARIES = [
    f"{app}.{action}_{model}"
    for app, model in LIBRARY_MODELS
    for action in ("view", "add", "change", "delete")
] + ["training.view_trainerrating"]
for _name in (
    CITY_ADMINS,
    DISTRICT_ADMINS,
    STREET_ADMINS,
):
    GROUP_PERMISSIONS[_name] = GROUP_PERMISSIONS[_name] + LIBRARIES
GROUP_PERMISSIONS[COMMUNITY_ADMINS] = GROUP_PERMISSIONS[COMMUNITY_ADMINS] + [
    f"{app}.view_{model}" for app, model in LIBRARY_MODELS
]

# Certificates: templates and issuing for city, district and street administrators;
# revoking and reissuing is further limited to the issuing subtree by the service.
CERTIFICATES = [
    "certificates.view_certificate",
    "certificates.issue_certificate",
    "certificates.revoke_certificate",
    "certificates.view_certificatetemplate",
    "certificates.add_certificatetemplate",
    "certificates.change_certificatetemplate",
]
for _name in (
    CITY_ADMINS,
    DISTRICT_ADMINS,
    STREET_ADMINS,
):
    GROUP_PERMISSIONS[_name] = GROUP_PERMISSIONS[_name] + CERTIFICATES
GROUP_PERMISSIONS[COMMUNITY_ADMINS] = GROUP_PERMISSIONS[COMMUNITY_ADMINS] + [
    "certificates.view_certificate"
]

# Mentoring (studios, mentors, placements; scoped by owner org or the worker's
# community): city, district and street administrators run them; communities look.
MENTORING_MODELS = (
    "studio",
    "mentor",
    "placement",
    "pairing",
    "poolmember",
    "poolassignment",
    "guidancevisit",
)
MENTORING = [
    f"mentoring.{action}_{model}"
    for model in MENTORING_MODELS
    for action in ("view", "add", "change")
] + [
    "mentoring.delete_studio",
    "mentoring.delete_mentor",
    "mentoring.view_question",
    "mentoring.change_question",
]
for _name in (
    CITY_ADMINS,
    DISTRICT_ADMINS,
    STREET_ADMINS,
):
    GROUP_PERMISSIONS[_name] = GROUP_PERMISSIONS[_name] + MENTORING
GROUP_PERMISSIONS[COMMUNITY_ADMINS] = GROUP_PERMISSIONS[COMMUNITY_ADMINS] + [
    f"mentoring.view_{model}" for model in (*MENTORING_MODELS, "question")
]


def ensure_admin_groups(**kwargs) -> None:
    wanted = {p for perms in GROUP_PERMISSIONS.values() for p in perms}
    found = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type").filter(
            codename__in=[w.split(".", 1)[1] for w in wanted]
        )
    }
    for name, perms in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*[found[p] for p in perms if p in found])
