"""Every CSV and XLSX the platform writes goes through here, so user text stays text.

A cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a
formula to a spreadsheet (``=HYPERLINK("http://…","open")``). Following the OWASP CSV
injection guidance, such a CSV cell is written with a leading apostrophe (the text
stays readable, the formula is dead); XLSX cells holding text are typed as strings,
so no text is ever stored as a formula. Numbers, dates and Decimals stay numbers;
times are written in the platform's time zone (Asia/Shanghai), as every page shows
them, never in UTC; yes/no and choices as words (是/否, 进行中), never True or a stored
code; an admin listing's column paths ("worker.community.name") are headed by their
field's own name (社区).

- `write_table(fmt, headers, rows)` for reports, listings and job results;
- `guard_wagtail_exports()` for the Wagtail admin's CSV/XLSX listing exports.
"""

import csv
import datetime as dt
import io
from collections.abc import Iterable
from functools import cache

from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.core.exceptions import FieldDoesNotExist
from django.db.models.constants import LOOKUP_SEP
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def local_time(value: dt.datetime) -> dt.datetime:
    """An aware time as the wall-clock time of the current time zone (a spreadsheet
    cell holds no time zone)."""
    if timezone.is_naive(value):
        return value
    return timezone.localtime(value).replace(tzinfo=None)


def _plain(value):
    """A lazily translated label becomes its text; a yes/no, 是/否; a time, local
    wall-clock time."""
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, dt.datetime):
        return local_time(value)
    return value


def neutralise(value):
    """A CSV cell value that no spreadsheet evaluates (OWASP: prefix with ')."""
    value = _plain(value)
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_row(values: Iterable) -> list:
    return [neutralise(v) for v in values]


def xlsx_row(sheet, values: Iterable) -> list:
    """Write-only cells for one row; every str cell typed as a string."""
    from openpyxl.cell import WriteOnlyCell  # noqa: PLC0415 (loaded only when a spreadsheet is written)

    cells = []
    for value in map(_plain, values):
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
        cells.append(cell)
    return cells


def write_table(fmt: str, headers: list[str], rows: Iterable[Iterable]) -> bytes:
    """Rows as CSV (UTF-8 with BOM, so Excel reads Chinese) or XLSX bytes."""
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(csv_row(headers))
        writer.writerows(csv_row(row) for row in rows)
        return buffer.getvalue().encode("utf-8-sig")
    from openpyxl import Workbook  # noqa: PLC0415 (idem)

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(xlsx_row(sheet, headers))
    for row in rows:
        sheet.append(xlsx_row(sheet, row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@cache
def _field_at(model, path: str):
    """The model field a listing column path ends on ("worker.community.name",
    "get_status_display"), and the words that head it (a trailing name or title is
    headed by its relation: 社区); or (None, None) for anything else (a property,
    a method: those need the viewset's `export_headings`)."""
    parts = path.split(".")
    last = parts[-1]
    if last.startswith("get_") and last.endswith("_display"):
        parts[-1] = last[4:-8]
    try:
        fields = get_fields_from_path(model, LOOKUP_SEP.join(parts))
    except (FieldDoesNotExist, NotRelationField):
        return None, None
    named = fields[-2] if len(fields) > 1 and parts[-1] in ("name", "title") else None
    named = named or fields[-1]
    if named.is_relation and named.verbose_name == named.name.replace("_", " "):
        return fields[-1], named.related_model._meta.verbose_name  # none of its own
    return fields[-1], named.verbose_name


@cache
def _choice_words(model, path: str) -> dict:
    """{stored code: its words} when the column `path` ends on a field with choices."""
    field, _words = _field_at(model, path)
    return dict(field.flatchoices) if field is not None and field.choices else {}


def guard_wagtail_exports() -> None:
    """Give Wagtail's SpreadsheetExportMixin (behind every admin listing export and
    Wagtail's own reports: locked pages, site history, …) the rules of
    `write_table`. Installed once, from AccountsConfig.ready()."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin  # noqa: PLC0415 (needs Wagtail's apps loaded)

    if getattr(SpreadsheetExportMixin, "text_safe", False):
        return
    xlsx_row_cells = SpreadsheetExportMixin.generate_xlsx_row

    def words(self, row_dict) -> dict:
        model = getattr(self, "model", None)
        return {
            field: _plain(_choice_words(model, field).get(value, value))
            if model is not None and isinstance(value, str | int)
            else _plain(value)
            for field, value in row_dict.items()
        }

    def write_csv_row(self, writer, row_dict):
        return writer.writerow(
            {
                field: neutralise(
                    self.preprocess_field_value(field, value, self.FORMAT_CSV)
                )
                for field, value in words(self, row_dict).items()
            }
        )

    def generate_xlsx_row(self, worksheet, row_dict, date_format=None):
        local = words(self, row_dict)
        for cell in xlsx_row_cells(self, worksheet, local, date_format):
            if isinstance(cell.value, str):
                cell.data_type = "s"
            yield cell

    heading = SpreadsheetExportMixin.get_heading

    def get_heading(self, queryset, field):
        _field, words = _field_at(queryset.model, field)
        if field in self.export_headings or words is None:
            return heading(self, queryset, field)
        return capfirst(str(words))

    SpreadsheetExportMixin.get_heading = get_heading
    SpreadsheetExportMixin.write_csv_row = write_csv_row
    SpreadsheetExportMixin.generate_xlsx_row = generate_xlsx_row
    SpreadsheetExportMixin.text_safe = True
