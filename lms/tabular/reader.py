"""Reading spreadsheets as offices keep them: XLSX (Excel, WPS), old XLS, CSV.

The kind of file is told by its content, not its name. Rows are streamed: an XLSX is
checked before it is opened (the uncompressed sizes its zip declares; Python's zip
reader never inflates a member past its declared size) and reading stops at the row
cap, so a "spreadsheet bomb" is refused with a message instead of filling memory.

The header is the row among the first ones that names the most known columns (title
rows, notes and merged cells above it are skipped); unknown columns (序号, 编号, remarks)
are ignored; blank rows are skipped; rows after the table with no identifier (a value
with a digit that is not a note such as 填表人, 审核人, 合计 …) in the identifying
columns are returned as `ignored`, not as rows.
"""

import csv
import io
import re
import struct
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain

from django.conf import settings
from django.utils.translation import gettext as _

from .values import cell_text, clean_text

HEADER_SCAN_ROWS = 20
# Cells beyond this column are not read: no import has that many columns, and a
# row padded to column XFD is a cheap way to make a reader spin.
MAX_COLUMNS = 100
# The largest grid (rows x columns) handed to calamine, which holds it whole (about
# 32 bytes a cell): 5 million cells is 160 MB at most. Beyond, rows are streamed.
MAX_GRID_CELLS = 5_000_000
# How the notes and signatures under a table begin.
NOTE_WORDS = (
    "填表", "填报", "审核", "审批", "制表", "负责人", "联系人", "经办人", "备注",
    "注:", "说明", "合计", "总计", "小计", "日期", "盖章", "单位",
)  # fmt: skip
XLSX_MAGIC = b"PK\x03\x04"
XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class SpreadsheetRefused(ValueError):
    """The file cannot be read as a spreadsheet, or is beyond the limits."""


@dataclass
class Table:
    rows: list  # of lms.tabular.Row
    columns: set[str]  # the keys found in the header
    header_row: int
    ignored: list[dict] = field(default_factory=list)  # {"row": n, "text": "…"}


def read_table(
    name: str,
    content: bytes,
    columns: dict[str, Iterable[str]],
    *,
    identifying: Iterable[str],
    sheet: str = "",
    identifies=None,
) -> Table:
    """The rows of the first sheet (or `sheet`) as {key: text}.

    `columns` maps each key to the headers accepted for it (matched ignoring case,
    spaces, full-width forms and a trailing * or colon, so 身份证号, "身份证号码*",
    "身份证号 id_number" and ID_NUMBER all name one column). `identifying` are the
    keys a data row must have one of; trailing rows without any are ignored.
    `identifies(text)` says whether a cell identifies a row (default: an ID number or
    a code, which has a digit; a question bank passes `bool`, any text).
    """
    from . import Row  # noqa: PLC0415 (the package imports this module)

    identifies = identifies or _identifies
    max_rows = settings.IMPORT_MAX_ROWS
    cells = _cells(content, sheet, settings.IMPORT_MAX_UNCOMPRESSED_BYTES)
    lookup = {}
    for key, headers in columns.items():
        for header in (key, *headers):
            lookup.setdefault(_header_norm(header), key)
    head: list[tuple[int, list]] = []
    for number, raw in enumerate(cells, start=1):
        head.append((number, raw))
        if number >= HEADER_SCAN_ROWS:
            break
    header_index = _find_header(head, lookup)
    if header_index is None:
        return Table(rows=[], columns=set(), header_row=1)
    header_number, header_cells = head[header_index]
    keys = []
    for cell in header_cells:
        key = _header_key(cell_text(cell), lookup)
        keys.append(key if key not in keys else None)
    identifying = set(identifying)
    table = Table(rows=[], columns={k for k in keys if k}, header_row=header_number)
    pending: list[tuple[int, list, dict]] = []  # rows without identifying values
    # Streamed: the rows after the first ones are never held in a list.
    data = chain(head[header_index + 1 :], enumerate(cells, start=len(head) + 1))
    for number, raw in data:
        if number > max_rows:
            raise _too_many_rows()
        texts = [cell_text(c) for c in raw[:MAX_COLUMNS]]
        if not any(texts):
            continue
        values = {k: t for k, t in zip(keys, texts) if k}
        if any(identifies(values.get(k, "")) for k in identifying):
            # Rows held back were inside the table: data rows if they fill any
            # known column (they will be reported), notes otherwise.
            for held_number, held_texts, held_values in pending:
                if any(held_values.values()):
                    table.rows.append(Row(number=held_number, values=held_values))
                else:
                    table.ignored.append(_ignored(held_number, held_texts))
            pending.clear()
            table.rows.append(Row(number=number, values=values))
        else:
            pending.append((number, texts, values))
    table.ignored.extend(_ignored(n, texts) for n, texts, _values in pending)
    table.ignored.sort(key=lambda item: item["row"])
    return table


def _identifies(text: str) -> bool:
    """Whether a cell of an identifying column (an ID number, a code) holds one: it
    has a digit and is not a note - signatures spread across a footer row often
    land in that column ("审核人：李强", "填表日期：2025年3月1日")."""
    return any(c.isdigit() for c in text) and not clean_text(text).startswith(
        NOTE_WORDS
    )


def _ignored(number: int, texts: list[str]) -> dict:
    return {"row": number, "text": " ".join(t for t in texts if t)[:200]}


def _header_norm(text: str) -> str:
    return re.sub(r"[\s*:：]+", "", clean_text(text).lower())


def _header_key(text: str, lookup: dict[str, str]) -> str | None:
    """The key a header cell names: the whole text, or one of its words
    ("身份证号 id_number", "身份证号(必填)")."""
    whole = _header_norm(text)
    if not whole:
        return None
    if whole in lookup:
        return lookup[whole]
    for word in re.split(r"[\s()（）【】\[\]/|]+", clean_text(text).lower()):
        key = lookup.get(_header_norm(word))
        if key:
            return key
    return None


def _find_header(head: list[tuple[int, list]], lookup: dict) -> int | None:
    """The index of the row naming the most known columns (the first such row)."""
    best, best_score = None, 0
    for index, (_number, raw) in enumerate(head):
        found = {_header_key(cell_text(c), lookup) for c in raw[:MAX_COLUMNS]}
        score = len(found - {None})
        if score > best_score:
            best, best_score = index, score
    return best


# --- File kinds -----------------------------------------------------------------------


def _cells(content: bytes, sheet: str, max_bytes: int) -> Iterator[list]:
    if content.startswith(XLSX_MAGIC):
        return _xlsx_rows(content, sheet, max_bytes)
    if content.startswith(XLS_MAGIC):
        return _xls_rows(content, sheet, max_bytes)
    return _csv_rows(content, max_bytes)


def _too_large(max_bytes: int, compressed: bool = True) -> SpreadsheetRefused:
    if not compressed:
        return SpreadsheetRefused(
            _(
                "An XLS file may be at most %(mb)s MB; save it as XLSX or split it "
                "into smaller files."
            )
            % {"mb": max_bytes // 1024**2}
        )
    return SpreadsheetRefused(
        _(
            "The spreadsheet expands to more than %(mb)s MB; split it into smaller "
            "files."
        )
        % {"mb": max_bytes // 1024**2}
    )


def _too_many_rows() -> SpreadsheetRefused:
    return SpreadsheetRefused(
        _("The sheet has more than %(max)s rows; split it into smaller files.")
        % {"max": settings.IMPORT_MAX_ROWS}
    )


def _not_a_spreadsheet() -> SpreadsheetRefused:
    return SpreadsheetRefused(
        _("The file is not a readable spreadsheet: use XLSX, XLS or CSV.")
    )


def _no_sheet(sheet: str, names: list[str]) -> SpreadsheetRefused:
    return SpreadsheetRefused(
        _("There is no sheet named %(sheet)s (sheets: %(names)s).")
        % {"sheet": sheet, "names": "、".join(names)}
    )


def _xlsx_rows(content: bytes, sheet: str, max_bytes: int) -> Iterator[list]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        declared = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise _not_a_spreadsheet() from exc
    if declared > max_bytes:
        raise _too_large(max_bytes)
    grid = _xlsx_grid(archive)
    if grid is not None and grid[0] > settings.IMPORT_MAX_ROWS:
        raise _too_many_rows()
    if grid is not None and grid[0] * grid[1] <= MAX_GRID_CELLS:
        return _calamine_rows(content, sheet)
    # Cells far apart, or without positions: stream them (slower, never a grid).
    return _openpyxl_rows(content, sheet)


COLUMN_REF = re.compile(rb'<c r="([A-Z]{1,3})[0-9]')
ROW_REF = re.compile(rb'<c r="[A-Z]{1,3}([0-9]{1,7})"')


def _xlsx_grid(archive: zipfile.ZipFile) -> tuple[int, int] | None:
    """The rows and columns spanned by the cells of the workbook's sheets, read from
    their positions (<c r="B12" …>) as the zip inflates them chunk by chunk, or None
    when a cell is written another way. calamine allocates this grid whole, so it
    reads a sheet only when the grid is small."""
    rows = columns = 0
    for info in archive.infolist():
        if not re.fullmatch(r"xl/worksheets/[^/]+\.xml", info.filename):
            continue
        try:
            with archive.open(info) as member:
                tail = b""
                while chunk := member.read(1 << 20):
                    text = tail + chunk
                    cut = text.rfind(b"<")
                    text, tail = text[:cut], text[cut:]
                    row_refs = ROW_REF.findall(text)
                    cells = sum(text.count(b"<c" + end) for end in (b" ", b">", b"/"))
                    if len(row_refs) != cells:
                        return None
                    rows = max(rows, *map(int, set(row_refs)), 0)
                    letters = set(COLUMN_REF.findall(text))
                    columns = max(columns, *map(_column_number, letters), 0)
                if any(tail.startswith(b"<c" + end) for end in (b" ", b">", b"/")):
                    return None
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise _not_a_spreadsheet() from exc
    return rows, columns


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _openpyxl_rows(content: bytes, sheet: str) -> Iterator[list]:
    from openpyxl import load_workbook  # noqa: PLC0415 (loaded only when a large XLSX is read)

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged file
        raise _not_a_spreadsheet() from exc
    if sheet and sheet not in workbook.sheetnames:
        raise _no_sheet(sheet, workbook.sheetnames)
    worksheet = workbook[sheet] if sheet else workbook.worksheets[0]
    # Dimensions written in the file may be anything; read the cells as they come.
    worksheet.reset_dimensions()
    return _guarded(
        worksheet.iter_rows(max_col=MAX_COLUMNS, values_only=True), workbook.close
    )


def _guarded(rows: Iterator, close) -> Iterator[list]:
    """Rows of a workbook, damaged XML turned into a clear refusal."""
    try:
        for row in rows:
            yield list(row)
    except (zipfile.BadZipFile, OSError, SyntaxError, ValueError, KeyError) as exc:
        # A truncated or lying member (CRC), or malformed XML.
        raise _not_a_spreadsheet() from exc
    finally:
        close()


def _xls_rows(content: bytes, sheet: str, max_bytes: int) -> Iterator[list]:
    """Excel 97-2003, which calamine reads whole: every cell record (XLS is not
    compressed, so the file size bounds them: IMPORT_MAX_XLS_BYTES), then the grid
    from the first to the last cell, which two cells far apart make 65,536 x 256
    (1 GB) in a 6 kB file. The grid is read from the cells' positions first."""
    limit = min(max_bytes, settings.IMPORT_MAX_XLS_BYTES)
    if len(content) > limit:
        raise _too_large(limit, compressed=False)
    rows, columns = _xls_grid(content)
    if rows > settings.IMPORT_MAX_ROWS:
        raise _too_many_rows()
    if rows * columns > MAX_GRID_CELLS:
        raise SpreadsheetRefused(
            _(
                "The sheet's cells spread over %(rows)s rows and %(columns)s columns; "
                "delete the stray cells far from the table, or save it as XLSX."
            )
            % {"rows": rows, "columns": columns}
        )
    return _calamine_rows(content, sheet)


# BIFF8 records that give calamine a cell: row and column first (MULRK: a run of
# columns, the last one at the record's end). Blank cells give none.
XLS_CELL_RECORDS = {0x0006, 0x00D6, 0x00FD, 0x0203, 0x0204, 0x0205, 0x027E}
XLS_MULRK = 0x00BD
FREE_SECTOR = 0xFFFFFFFA  # and above: end of chain, FAT and DIFAT markers


def _xls_grid(content: bytes) -> tuple[int, int]:
    """The rows and columns spanned by the cells of every sheet of an XLS: its
    Workbook stream found in the compound file and walked record by record."""
    try:
        stream = _cfb_stream(content, ("Workbook", "Book"))
        rows = columns = 0
        offset, end = 0, len(stream) - 4
        while offset <= end:
            kind, size = struct.unpack_from("<HH", stream, offset)
            body = offset + 4
            if kind in XLS_CELL_RECORDS or kind == XLS_MULRK:
                row, first = struct.unpack_from("<HH", stream, body)
                last = first
                if kind == XLS_MULRK:
                    (last,) = struct.unpack_from("<H", stream, body + size - 2)
                rows, columns = max(rows, row + 1), max(columns, first + 1, last + 1)
            offset = body + size
    except (struct.error, IndexError) as exc:
        raise _not_a_spreadsheet() from exc
    return rows, columns


def _cfb_stream(content: bytes, names: tuple[str, ...]) -> bytes:
    """A stream of an OLE compound file (MS-CFB) by name. A chain is followed at most
    as many steps as the file has sectors, so a looping one ends."""
    (shift,) = struct.unpack_from("<H", content, 0x1E)
    if not 7 <= shift <= 16:
        raise _not_a_spreadsheet()
    size, sectors = 1 << shift, len(content) >> shift
    (directory_start,) = struct.unpack_from("<I", content, 0x30)
    (cutoff,) = struct.unpack_from("<I", content, 0x38)
    (difat_start,) = struct.unpack_from("<I", content, 0x44)

    def chain(start: int, table: list[int]) -> list[int]:
        found = []
        while start < min(len(table), FREE_SECTOR) and len(found) < sectors:
            found.append(start)
            start = table[start]
        return found

    def read(ids: list[int]) -> bytes:
        return b"".join(content[(i + 1) * size : (i + 2) * size] for i in ids)

    fat_sectors = list(struct.unpack_from("<109I", content, 0x4C))
    seen = 0
    while difat_start < FREE_SECTOR and seen < sectors:
        block = struct.unpack_from(f"<{size // 4}I", read([difat_start]))
        fat_sectors += block[:-1]
        difat_start, seen = block[-1], seen + 1
    fat_bytes = read([i for i in fat_sectors if i < sectors])
    fat = list(struct.unpack(f"<{len(fat_bytes) // 4}I", fat_bytes))
    directory = read(chain(directory_start, fat))
    for at in range(0, len(directory) - 127, 128):
        entry = directory[at : at + 128]
        length = min(struct.unpack_from("<H", entry, 64)[0], 64)
        name = entry[: max(length - 2, 0)].decode("utf-16-le", "replace")
        if entry[66] != 2 or name not in names:  # 2: a stream
            continue
        start, length = struct.unpack_from("<II", entry, 116)
        if length < cutoff:
            # In the mini stream: Excel, WPS and LibreOffice pad a workbook past it.
            raise _not_a_spreadsheet()
        return read(chain(start, fat))[:length]
    raise _not_a_spreadsheet()


def _calamine_rows(content: bytes, sheet: str) -> Iterator[list]:
    from python_calamine import CalamineError, CalamineWorkbook  # noqa: PLC0415 (loaded only when an XLSX is read)

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        if sheet and sheet not in workbook.sheet_names:
            raise _no_sheet(sheet, workbook.sheet_names)
        found = workbook.get_sheet_by_name(sheet or workbook.sheet_names[0])
    except CalamineError as exc:
        raise _not_a_spreadsheet() from exc
    return _from_start(found.start, found.iter_rows())


def _from_start(start: tuple[int, int] | None, rows: Iterator[list]) -> Iterator[list]:
    # calamine starts at the first used cell; keep the sheet's own row numbers.
    for _blank in range(start[0] if start else 0):
        yield []
    yield from rows


def _csv_rows(content: bytes, max_bytes: int) -> Iterator[list]:
    """CSV in UTF-8 (with or without BOM), GBK or GB18030."""
    if len(content) > max_bytes:
        raise _too_large(max_bytes)
    if b"\x00" in content[:8192]:
        raise _not_a_spreadsheet()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise _not_a_spreadsheet()
    yield from csv.reader(io.StringIO(text))
