"""Writes to the organisation tree."""

from django.db import transaction
from django.utils.translation import gettext_noop

from lms.accounts.models import AuditAction
from lms.accounts.services import audit_log_write
from lms.tabular import ImportFailed, Row, choice_lookup, missing_columns, read_table

from .models import LEVEL_ORDER, OrgLevel, OrgNode

ORG_COLUMNS = {
    "code": ["代码", "编码"],
    "name": ["名称"],
    "level": ["层级", "级别"],
    "parent_code": ["上级代码", "上级编码", "parent"],
}
LEVEL_ALIASES = {
    "县": "district",
    "区县": "district",
    "乡镇": "street",
    "镇": "street",
    "乡": "street",
    "区": "district",
    "街道": "street",
    "市": "city",
    "社区": "community",
    "村": "community",
    "网格": "grid",
}


def org_import(*, name: str, content: bytes, actor=None, progress=None) -> dict:
    """Load a tree from CSV/XLSX; all rows are checked first, nothing written if any is bad.

    A row whose code is already stored updates that node's name (its level and parent
    must agree). Returns counts of created and updated nodes.
    """
    rows = read_table(name, content, ORG_COLUMNS)
    levels = choice_lookup(OrgLevel.choices, LEVEL_ALIASES)
    existing = {n.code: n for n in OrgNode.objects.all()}
    errors, parsed = [], {}
    for column in missing_columns(rows, ["code", "name", "level"]):
        errors.append(_header_error(column))
    for row in rows:
        _check_org_row(row, levels, parsed)
        errors.extend(row.errors)
    if not errors:
        errors = _check_parents(parsed, existing)
    if errors:
        raise ImportFailed(errors)
    result = _apply_orgs(parsed, existing)
    if actor is not None:
        audit_log_write(
            actor=actor,
            action=AuditAction.IMPORT,
            detail={"kind": "orgs", "file": name, **result},
        )
    return result


def _header_error(column: str):
    row = Row(number=1, values={})
    row.error(column, gettext_noop("Missing column."))
    return row.errors[0]


def _check_org_row(row: Row, levels: dict, parsed: dict) -> None:
    code, name = row.get("code"), row.get("name")
    level = levels.get(row.get("level").lower())
    if not code:
        row.error("code", gettext_noop("Code is required."))
    elif code in parsed:
        row.error(
            "code", gettext_noop("Code %(code)s appears twice in the file."), code=code
        )
    if not name:
        row.error("name", gettext_noop("Name is required."))
    if level is None:
        row.error(
            "level", gettext_noop("Unknown level %(value)s."), value=row.get("level")
        )
    if not row.errors:
        parsed[code] = (row, name, level, row.get("parent_code"))


def _check_parents(parsed: dict, existing: dict) -> list:
    errors = []
    for code, (row, _name, level, parent_code) in parsed.items():
        if level == OrgLevel.CITY:
            if parent_code:
                row.error("parent_code", gettext_noop("A city has no parent."))
        else:
            parent_level = (
                parsed[parent_code][2]
                if parent_code in parsed
                else existing[parent_code].level
                if parent_code in existing
                else None
            )
            if parent_level is None:
                row.error(
                    "parent_code",
                    gettext_noop("Unknown parent code %(code)s."),
                    code=parent_code or "-",
                )
            elif LEVEL_ORDER.index(parent_level) != LEVEL_ORDER.index(level) - 1:
                row.error(
                    "parent_code",
                    gettext_noop("A %(level)s cannot sit under a %(parent)s."),
                    level=level,
                    parent=parent_level,
                )
        node = existing.get(code)
        if node is not None and node.level != level:
            row.error(
                "level",
                gettext_noop("Code %(code)s is stored with another level."),
                code=code,
            )
        errors.extend(row.errors)
    return errors


@transaction.atomic
def _apply_orgs(parsed: dict, existing: dict) -> dict:
    created = updated = 0
    ordered = sorted(
        parsed.items(), key=lambda item: (LEVEL_ORDER.index(item[1][2]), item[0])
    )
    for code, (_row, name, level, parent_code) in ordered:
        node = existing.get(code)
        if node is not None:
            if node.name != name:
                node.name = name
                node.save(update_fields=["name"])
                updated += 1
            continue
        if level == OrgLevel.CITY:
            node = OrgNode.add_root(code=code, name=name, level=level)
        else:
            # Re-read the parent: adding children changes its stored counters.
            parent = OrgNode.objects.get(pk=existing[parent_code].pk)
            node = parent.add_child(code=code, name=name, level=level)
        existing[code] = node
        created += 1
    return {"created": created, "updated": updated}
