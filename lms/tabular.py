"""Reading administrators' spreadsheets (CSV or XLSX) and reporting bad rows.

Every import in the platform goes the same way: read all rows, check every row,
report each bad one (row number, column, reason in Chinese and English), and write
nothing at all if any row is bad.
"""

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.management.base import CommandError
from django.utils import translation
from django.utils.translation import gettext as _

EXCEL_EPOCH = dt.date(1899, 12, 30)


class ImportFailed(Exception):
    """Raised with the report when any row is bad; nothing was written."""

    def __init__(self, errors: list["RowError"]):
        super().__init__(f"{len(errors)} bad row(s)")
        self.errors = errors


@dataclass
class RowError:
    row: int
    column: str
    message_zh: str
    message_en: str

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "column": self.column,
            "message": f"{self.message_zh} / {self.message_en}",
        }

    def __str__(self) -> str:
        return f"row {self.row} [{self.column}]: {self.message_zh} / {self.message_en}"


def both_languages(message: str, **params) -> tuple[str, str]:
    """`message` (an English msgid) rendered in Chinese and in English."""
    out = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            # Parameters that are messages themselves (reasons) are translated too.
            local = {k: _(v) if isinstance(v, str) else v for k, v in params.items()}
            out.append(_(message) % local if params else _(message))
    return out[0], out[1]


@dataclass
class Row:
    number: int  # as the administrator sees it: the header is row 1
    values: dict[str, str]
    errors: list[RowError] = field(default_factory=list)

    def error(self, column: str, message: str, **params) -> None:
        zh, en = both_languages(message, **params)
        self.errors.append(RowError(self.number, column, zh, en))

    def get(self, key: str) -> str:
        return self.values.get(key, "")


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def read_table(
    name: str, content: bytes, columns: dict[str, Iterable[str]]
) -> list[Row]:
    """Read rows as {key: text}; `columns` maps each key to the headers accepted for it.

    Headers are matched ignoring case and spaces, so 身份证号, id_number and
    "身份证号 id_number" all name the same column.
    """
    suffix = Path(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        from python_calamine import CalamineWorkbook  # noqa: PLC0415 (loaded only when a spreadsheet is read)

        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        raw = workbook.get_sheet_by_index(0).to_python(skip_empty_area=False)
    elif suffix in (".csv", ".txt"):
        try:
            text = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = content.decode("gb18030")
        raw = list(csv.reader(io.StringIO(text)))
    else:
        raise ValueError(
            _("Unsupported file type %(suffix)s: use CSV or XLSX.")
            % {"suffix": suffix or "?"}
        )
    if not raw:
        return []
    lookup = {}
    for key, headers in columns.items():
        for header in (key, *headers):
            lookup[_norm(header)] = key
    header_keys = []
    for cell in raw[0]:
        text = _norm(_cell_text(cell))
        key = lookup.get(text)
        if key is None:  # "身份证号 id_number": try each word
            key = next((lookup[w] for w in text.split("|") if w in lookup), None)
        header_keys.append(key)
    rows = []
    for index, cells in enumerate(raw[1:], start=2):
        values = {}
        for key, cell in zip(header_keys, cells):
            if key:
                values[key] = _cell_text(cell)
        if any(values.values()):
            rows.append(Row(number=index, values=values))
    return rows


def _norm(header: str) -> str:
    return re.sub(r"[\s()（）]+", "|", header.strip().lower()).strip("|")


def missing_columns(rows: list[Row], required: Iterable[str]) -> list[str]:
    present = set().union(*(r.values.keys() for r in rows)) if rows else set()
    return [key for key in required if key not in present]


DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")


def parse_date(text: str) -> dt.date:
    """2025-07-01, 2025/7/1, 2025年7月1日 or an Excel serial number such as 45839."""
    text = text.strip()
    if re.fullmatch(r"\d{5}(\.0+)?", text):
        return EXCEL_EPOCH + dt.timedelta(days=int(float(text)))
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def parse_decimal(text: str) -> Decimal:
    try:
        value = Decimal(text.strip())
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not value.is_finite():
        raise ValueError(text)
    return value


def choice_lookup(choices, aliases: dict[str, str] | None = None) -> dict[str, str]:
    """Map codes, English labels, Chinese labels and aliases to a choice's code."""
    table = {}
    for value, label in choices:
        table[str(value).lower()] = value
        with translation.override("en"):
            table[str(label).lower()] = value
        with translation.override("zh-hans"):
            table[str(label).lower()] = value
    for alias, value in (aliases or {}).items():
        table[alias.lower()] = value
    return table


def write_table(fmt: str, headers: list[str], rows: Iterable[Iterable]) -> bytes:
    """Rows as CSV (UTF-8 with BOM, so Excel reads Chinese) or XLSX bytes."""
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(headers)
        writer.writerows(rows)
        return buffer.getvalue().encode("utf-8-sig")
    from openpyxl import Workbook  # noqa: PLC0415 (loaded only when a spreadsheet is written)

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(headers)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


class ImportCommandMixin:
    """`manage.py import_x FILE`: prints every bad row and exits non-zero if any."""

    help = "Import a CSV or XLSX file; nothing is written if any row is bad."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, *args, **options):

        path = Path(options["file"])
        try:
            result = self.run_import(name=path.name, content=path.read_bytes())
        except ImportFailed as failed:
            for error in failed.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{len(failed.errors)} problem(s) found; nothing was imported."
            ) from None
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(", ".join(f"{k}: {v}" for k, v in result.items()))
