"""Every CSV and XLSX the platform writes goes through here, so user text stays text.

A cell beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is a
formula to a spreadsheet (``=HYPERLINK("http://…","open")``). Following the OWASP CSV
injection guidance, such a CSV cell is written with a leading apostrophe (the text
stays readable, the formula is dead); XLSX cells holding text are typed as strings,
so no text is ever stored as a formula. Numbers, dates and Decimals stay numbers;
times are written in the platform's time zone (Asia/Shanghai), as every page shows
them, never in UTC.

- `write_table(fmt, headers, rows)` for reports, listings and job results;
- `guard_wagtail_exports()` for the Wagtail admin's CSV/XLSX listing exports.
"""

import csv
import datetime as dt
import io
from collections.abc import Iterable

from django.utils import timezone
from django.utils.functional import Promise

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def local_time(value: dt.datetime) -> dt.datetime:
    """An aware time as the wall-clock time of the current time zone (a spreadsheet
    cell holds no time zone)."""
    if timezone.is_naive(value):
        return value
    return timezone.localtime(value).replace(tzinfo=None)


def _plain(value):
    """A lazily translated label becomes its text; a time, local wall-clock time."""
    if isinstance(value, Promise):
        return str(value)
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


def guard_wagtail_exports() -> None:
    """Give Wagtail's SpreadsheetExportMixin (behind every admin listing export and
    Wagtail's own reports: locked pages, site history, …) the rules of
    `write_table`. Installed once, from AccountsConfig.ready()."""
    from wagtail.admin.views.mixins import SpreadsheetExportMixin  # noqa: PLC0415 (needs Wagtail's apps loaded)

    if getattr(SpreadsheetExportMixin, "text_safe", False):
        return
    xlsx_row_cells = SpreadsheetExportMixin.generate_xlsx_row

    def write_csv_row(self, writer, row_dict):
        return writer.writerow(
            {
                field: neutralise(
                    self.preprocess_field_value(field, _plain(value), self.FORMAT_CSV)
                )
                for field, value in row_dict.items()
            }
        )

    def generate_xlsx_row(self, worksheet, row_dict, date_format=None):
        local = {field: _plain(value) for field, value in row_dict.items()}
        for cell in xlsx_row_cells(self, worksheet, local, date_format):
            if isinstance(cell.value, str):
                cell.data_type = "s"
            yield cell

    SpreadsheetExportMixin.write_csv_row = write_csv_row
    SpreadsheetExportMixin.generate_xlsx_row = generate_xlsx_row
    SpreadsheetExportMixin.text_safe = True
