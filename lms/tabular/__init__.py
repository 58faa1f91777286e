"""Administrators' spreadsheets: reading them, reporting bad rows, writing tables.

Every import in the platform goes the same way: read the rows (`reader`), check every
row (values as people type them: `values`), report each bad one (row number, column,
reason in Chinese and English), and write nothing at all if any row is bad. With
`dry_run` an import stops before writing and returns the same report: the preview.
"""

import gc
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext as _

from .reader import SpreadsheetRefused, Table, read_table
from .values import lookup_key, parse_choice, parse_date, parse_decimal

__all__ = [
    "ImportFailed",
    "ImportReport",
    "Row",
    "RowError",
    "SpreadsheetRefused",
    "Table",
    "choice_lookup",
    "collector_paused",
    "missing_columns",
    "parse_choice",
    "parse_date",
    "parse_decimal",
    "read_table",
]


class ImportFailed(Exception):
    """Raised with the report when any row is bad; nothing was written."""

    def __init__(self, errors: list["RowError"], ignored: list[dict] | None = None):
        super().__init__(f"{len(errors)} bad row(s)")
        self.errors = errors
        self.ignored = ignored or []


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


def missing_columns(table: Table, required: Iterable[str]) -> list[str]:
    return [key for key in required if key not in table.columns]


@dataclass
class ImportReport:
    """What an import does (or, in a dry run, would do), row by row.

    `added` and `changed` hold {"row", "label"} (a name and a masked ID number, never
    a clear one); `changed` also holds "changes": [[field, old, new], …].
    """

    added: list[dict] = field(default_factory=list)
    changed: list[dict] = field(default_factory=list)
    unchanged: int = 0
    ignored: list[dict] = field(default_factory=list)
    dry_run: bool = False

    @property
    def counts(self) -> dict:
        return {
            "created": len(self.added),
            "updated": len(self.changed),
            "unchanged": self.unchanged,
            "ignored": len(self.ignored),
        }

    def as_dict(self, limit: int = 1000) -> dict:
        """The counts, and the first `limit` rows of each kind (kept with the job)."""
        return {
            **self.counts,
            "dry_run": self.dry_run,
            "added": self.added[:limit],
            "changed": self.changed[:limit],
            "ignored_rows": self.ignored[:limit],
        }


@contextmanager
def collector_paused():
    """The cyclic garbage collector paused while an import runs. An import builds
    hundreds of thousands of objects (rows, checked values, models) that all live to
    its end, and creates no garbage in cycles worth collecting meanwhile; the
    collector would walk the growing heap hundreds of times for nothing (15% of a
    66,380-row import, measured). Garbage is still freed by reference counting, and
    the collector runs again afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def choice_lookup(choices, aliases: dict[str, str] | None = None) -> dict[str, str]:
    """Map codes, English labels, Chinese labels and aliases to a choice's code."""
    table = {}
    for value, label in choices:
        table[lookup_key(str(value))] = value
        for language in ("en", "zh-hans"):
            with translation.override(language):
                table[lookup_key(str(label))] = value
    for alias, value in (aliases or {}).items():
        table[lookup_key(alias)] = value
    return table


class ImportCommandMixin:
    """`manage.py import_x FILE [--sheet NAME] [--dry-run]`: prints every bad row and
    exits non-zero if any; otherwise the rows added, changed (old -> new), unchanged
    and ignored. With --dry-run nothing is written."""

    help = "Import an XLSX, XLS or CSV file; nothing is written if any row is bad."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--sheet", default="", help="sheet name (default: first)")
        parser.add_argument(
            "--dry-run", action="store_true", help="report only; write nothing"
        )

    def handle(self, *args, **options):
        from django.conf import settings  # noqa: PLC0415 (a command's own imports)
        from django.core.management.base import CommandError  # noqa: PLC0415 (idem)

        path = Path(options["file"])
        try:
            if path.stat().st_size > settings.IMPORT_MAX_UNCOMPRESSED_BYTES:
                raise SpreadsheetRefused(_("The file is too large; split it."))
            report = self.run_import(
                name=path.name,
                content=path.read_bytes(),
                sheet=options["sheet"],
                dry_run=options["dry_run"],
            )
        except ImportFailed as failed:
            for item in failed.ignored:
                self.stdout.write(f"ignored row {item['row']}: {item['text']}")
            for error in failed.errors:
                self.stderr.write(str(error))
            raise CommandError(
                f"{len(failed.errors)} problem(s) found; nothing was imported."
            ) from None
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from None
        for line in report_lines(report):
            self.stdout.write(line)


def report_lines(report: ImportReport) -> list[str]:
    """The report as plain lines (for the command line)."""
    lines = [f"add row {a['row']}: {a['label']}" for a in report.added]
    for item in report.changed:
        changes = "; ".join(f"{f}: {old} -> {new}" for f, old, new in item["changes"])
        lines.append(f"change row {item['row']}: {item['label']}: {changes}")
    lines += [f"ignored row {i['row']}: {i['text']}" for i in report.ignored]
    counts = ", ".join(f"{k}: {v}" for k, v in report.counts.items())
    lines.append(f"{'dry run (nothing written) - ' if report.dry_run else ''}{counts}")
    return lines
