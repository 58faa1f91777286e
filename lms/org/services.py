"""Writes to the organisation tree."""

from django.db import transaction
from django.utils.translation import gettext_noop

from lms.accounts.models import AuditAction
from lms.accounts.services import audit_log_write
from lms.tabular import (
    ImportFailed,
    ImportReport,
    Row,
    choice_lookup,
    missing_columns,
    parse_choice,
    read_table,
)
from lms.tabular.values import squeeze

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


def org_import(
    *,
    name: str,
    content: bytes,
    actor=None,
    progress=None,
    sheet: str = "",
    dry_run: bool = False,
) -> ImportReport:
    """Load a tree from XLSX/XLS/CSV; all rows are checked first, nothing written if
    any is bad. A row whose code is already stored updates that node's name (its level
    and parent must agree). With `dry_run` nothing is written."""
    table = read_table(name, content, ORG_COLUMNS, identifying=["code"], sheet=sheet)
    levels = choice_lookup(OrgLevel.choices, LEVEL_ALIASES)
    existing = {n.code: n for n in OrgNode.objects.all()}
    errors, parsed = [], {}
    for column in missing_columns(table, ["code", "name", "level"]):
        errors.append(_header_error(column, table.header_row))
    for row in table.rows:
        _check_org_row(row, levels, parsed)
        errors.extend(row.errors)
    if not errors:
        errors = _check_parents(parsed, existing)
    if errors:
        raise ImportFailed(errors, table.ignored)
    report = ImportReport(ignored=table.ignored, dry_run=dry_run)
    for code, (row, new_name, _level, _parent) in parsed.items():
        node = existing.get(code)
        item = {"row": row.number, "label": f"{new_name} ({code})"}
        if node is None:
            report.added.append(item)
        elif node.name != new_name:
            item["changes"] = [[str(_name_label()), node.name, new_name]]
            report.changed.append(item)
        else:
            report.unchanged += 1
    if dry_run:
        return report
    _apply_orgs(parsed, existing)
    if actor is not None:
        audit_log_write(
            actor=actor,
            action=AuditAction.IMPORT,
            detail={"kind": "orgs", "file": name, **report.counts},
        )
    return report


def _name_label() -> str:
    return str(OrgNode._meta.get_field("name").verbose_name)


def _header_error(column: str, number: int):
    row = Row(number=number, values={})
    row.error(column, gettext_noop("Missing column."))
    return row.errors[0]


def _level(text: str, levels: dict) -> str | None:
    try:
        return parse_choice(text, levels)
    except ValueError:
        return None


def _check_org_row(row: Row, levels: dict, parsed: dict) -> None:
    code, name = squeeze(row.get("code")), row.get("name")
    level = _level(row.get("level"), levels)
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
        parsed[code] = (row, name, level, squeeze(row.get("parent_code")))


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
def _apply_orgs(parsed: dict, existing: dict) -> None:
    ordered = sorted(
        parsed.items(), key=lambda item: (LEVEL_ORDER.index(item[1][2]), item[0])
    )
    for code, (_row, name, level, parent_code) in ordered:
        node = existing.get(code)
        if node is not None:
            if node.name != name:
                node.name = name
                node.save(update_fields=["name"])
            continue
        if level == OrgLevel.CITY:
            node = OrgNode.add_root(code=code, name=name, level=level)
        else:
            # Re-read the parent: adding children changes its stored counters.
            parent = OrgNode.objects.get(pk=existing[parent_code].pk)
            node = parent.add_child(code=code, name=name, level=level)
        existing[code] = node
