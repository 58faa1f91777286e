"""Pure rules of the people register: resident ID numbers (GB 11643-1999) and the
values offices type into a roster (education, political status, posts)."""

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from operator import mul

# Marks the reasons for translation without importing settings or a catalogue.
from django.utils.translation import gettext_noop
from stdnum import numdb

from lms.tabular.values import INVISIBLE, lookup_key

MIN_HIRE_AGE = 16
CANONICAL = re.compile(r"[0-9]{17}[0-9Xx]")

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


class InvalidIdNumber(ValueError):
    pass


class GenderMismatch(ValueError):
    """The gender typed is not the one the ID number gives."""


@dataclass(frozen=True)
class IdNumberFacts:
    id_number: str
    birth_date: dt.date
    gender: str  # "M" or "F"


def id_check_char(first17: str) -> str:
    """The ISO 7064 MOD 11-2 check character of the first 17 digits."""
    return CHECK_CHARS[sum(map(mul, map(int, first17), WEIGHTS)) % 11]


def normalise_id_number(raw: str) -> str:
    """The canonical spelling of a typed ID number: full-width digits and Ｘ (and any
    script's decimal digits) to ASCII, every space (non-breaking and ideographic too)
    and invisible character removed, an Excel text mark (a leading apostrophe)
    dropped, x upper-cased. Every look-up, comparison and stored value uses this
    form, so no spelling of a number is a second person."""
    if CANONICAL.fullmatch(raw or ""):  # the usual case, typed plainly
        return raw.upper()
    text = unicodedata.normalize("NFKC", raw or "").translate(INVISIBLE)
    text = "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in text)
    return "".join(text.split()).lstrip("'").upper()


@lru_cache(maxsize=8192)
def division_exists(code: str) -> bool:
    """Whether `code` is a county-level division code of GB/T 2260 in use now or in the
    past (the list python-stdnum keeps)."""
    return any("county" in props for _part, props in numdb.get("cn/loc").info(code))


def parse_id_number(raw: str, *, today: dt.date) -> IdNumberFacts:
    """Validate an 18-character ID number (any spelling) and read its birth date and
    gender. Raises InvalidIdNumber with a reason fit for the person who typed it."""
    value = normalise_id_number(raw)
    if len(value) != 18:
        raise InvalidIdNumber(gettext_noop("must be 18 characters"))
    # ASCII only: other scripts' digits pass str.isdigit() and int().
    if not CANONICAL.fullmatch(value):  # upper-cased already
        raise InvalidIdNumber(
            gettext_noop("must be 17 digits and a digit or upper-case X")
        )
    if not division_exists(value[:6]):
        raise InvalidIdNumber(
            gettext_noop(
                "the first six digits are not a county-level division code (GB/T 2260)"
            )
        )
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError as exc:
        raise InvalidIdNumber(gettext_noop("birth date is not a real date")) from exc
    if birth.year < 1900:
        raise InvalidIdNumber(gettext_noop("birth date is not a real date"))
    if birth > today:
        raise InvalidIdNumber(gettext_noop("birth date is in the future"))
    if id_check_char(value[:17]) != value[17]:
        raise InvalidIdNumber(gettext_noop("check digit does not match"))
    return IdNumberFacts(
        id_number=value, birth_date=birth, gender=id_number_gender(value)
    )


def id_number_gender(id_number: str) -> str:
    """The gender an ID number gives: its 17th digit is odd for a man, even for a
    woman (GB 11643-1999)."""
    return "M" if int(id_number[16]) % 2 else "F"


GENDER_ALIASES = {
    **dict.fromkeys(["男", "男性", "m", "male"], "M"),
    **dict.fromkeys(["女", "女性", "f", "female"], "F"),
}


def parse_gender(typed: str, id_gender: str) -> str:
    """The gender of a row whose ID number gives `id_gender`: that one when 性别 is
    blank; as typed (男/女, 男性/女性, M/F, male/female) when it agrees. Raises
    GenderMismatch when it contradicts the ID number, ValueError when unknown."""
    key = lookup_key(typed)
    if not key:
        return id_gender
    if key not in GENDER_ALIASES:
        raise ValueError(typed)
    if GENDER_ALIASES[key] != id_gender:
        raise GenderMismatch(typed)
    return id_gender


def old_enough_to_hire(birth_date: dt.date, hire_date: dt.date) -> bool:
    """A worker is at least 16 on the day they are hired (Labour Law art. 15)."""
    return years_between(birth_date, hire_date) >= MIN_HIRE_AGE


def mask_id_number(value: str) -> str:
    """First 6 and last 4 characters shown: 110105********123X."""
    if len(value) < 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str) -> str:
    """138****5678."""
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def years_between(start: dt.date, end: dt.date) -> int:
    """Whole years from `start` to `end` (years of service, age)."""
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return max(years, 0)


# --- Values as offices type them --------------------------------------------------------
# Keys are compared after lms.tabular.values.lookup_key (full-width to ASCII, no spaces,
# lower case); the services add each choice's code and its labels.

EDUCATION_ALIASES = {
    **dict.fromkeys(
        ["小学", "小学及以下", "初中", "初中及以下", "初中以下", "文盲"], "junior_high"
    ),
    **dict.fromkeys(
        [
            "高中",
            "普通高中",
            "职高",
            "职业高中",
            "中专",
            "中等专科",
            "中技",
            "技校",
            "高中及中专",
            "高中/中专",
            "中职",
        ],
        "senior_high",
    ),
    **dict.fromkeys(
        ["大专", "专科", "大学专科", "高职", "高等专科", "大专及以上"], "college"
    ),
    **dict.fromkeys(["本科", "大学本科", "大学", "学士", "本科及以上"], "bachelor"),
    **dict.fromkeys(
        [
            "研究生",
            "硕士",
            "硕士研究生",
            "博士",
            "博士研究生",
            "研究生及以上",
            "硕士及以上",
        ],
        "master",
    ),
}
DEMOCRATIC_PARTIES = [
    "中国国民党革命委员会", "民革", "民革党员", "民革会员",
    "中国民主同盟", "民盟", "民盟盟员", "盟员",
    "中国民主建国会", "民建", "民建会员",
    "中国民主促进会", "民进", "民进会员",
    "中国农工民主党", "农工党", "农工党党员", "农工民主党",
    "中国致公党", "致公党", "致公党党员",
    "九三学社", "九三学社社员",
    "台湾民主自治同盟", "台盟", "台盟盟员",
    "民主党派", "民主党派成员",
]  # fmt: skip
POLITICAL_ALIASES = {
    **dict.fromkeys(
        ["中共党员", "中国共产党党员", "党员", "共产党员", "中共正式党员"],
        "cpc_member",
    ),
    **dict.fromkeys(["中共预备党员", "预备党员"], "cpc_probationary"),
    **dict.fromkeys(
        ["共青团员", "团员", "中国共产主义青年团团员", "共青团"], "cyl_member"
    ),
    **dict.fromkeys(DEMOCRATIC_PARTIES, "other_party"),
    **dict.fromkeys(["无党派人士", "无党派", "无党派民主人士"], "non_party"),
    **dict.fromkeys(["群众", "普通群众", "无"], "masses"),
}
POST_ALIASES = {
    **dict.fromkeys(
        [
            "社区党组织书记",
            "书记",
            "社区书记",
            "书记兼主任",
            "书记、主任",
            "书记/主任",
            "社区党委书记",
            "社区党总支书记",
            "社区党支部书记",
            "党组织书记",
            "社区党委书记、居委会主任",
            "一肩挑",
            "社区正职",
            "正职",
        ],
        "secretary",
    ),
    **dict.fromkeys(
        [
            "副书记",
            "副主任",
            "副书记/副主任",
            "副书记、副主任",
            "社区副书记",
            "社区副主任",
            "居委会副主任",
            "社区居委会副主任",
            "副职",
            "社区副职",
        ],
        "deputy",
    ),
    **dict.fromkeys(
        [
            "两委委员",
            "委员",
            "社区两委委员",
            "社区委员",
            "居委会委员",
            "党委委员",
            "支委委员",
        ],
        "member",
    ),
    **dict.fromkeys(
        [
            "社区专职工作者",
            "专职工作者",
            "社区干事",
            "干事",
            "社区工作者",
            "专职社区工作者",
            "社区专职人员",
        ],
        "staff",
    ),
    **dict.fromkeys(["网格员", "专职网格员", "社区网格员", "网格长"], "grid_worker"),
    **dict.fromkeys(
        ["专职党务工作者", "党务工作者", "党务专干", "社区党务工作者"],
        "party_affairs",
    ),
}
QUALIFICATION_ALIASES = {
    **dict.fromkeys(["无", "暂无", "否", "-"], ""),
    **dict.fromkeys(
        ["助理社会工作师", "助理社工师", "初级社会工作师", "初级"], "assistant"
    ),
    **dict.fromkeys(
        ["社会工作师", "社工师", "中级社会工作师", "中级"], "social_worker"
    ),
    **dict.fromkeys(["高级社会工作师", "高级社工师", "高级"], "senior"),
}
