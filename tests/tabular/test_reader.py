"""Reading spreadsheets as offices keep them, and refusing spreadsheet bombs."""

import datetime as dt
import io
import struct
import tracemalloc
import zipfile

import pytest
from django.utils import translation
from openpyxl import Workbook

from lms.tabular import SpreadsheetRefused, read_table
from tests.tabular.office import FOOTER, inline_string_xlsx, office_xlsx, xls

COLUMNS = {
    "name": ["姓名"],
    "id_number": ["身份证号", "身份证号码"],
    "hire_date": ["入职日期"],
}
HEADER = ["姓名", "身份证号码", "入职日期", "备注"]


@pytest.fixture(autouse=True)
def _english():
    """Refusals are read in English here (Chinese is the default language)."""
    with translation.override("en"):
        yield


def read(content: bytes, **kwargs):
    return read_table("f.xlsx", content, COLUMNS, identifying=["id_number"], **kwargs)


def test_title_notes_serial_column_blank_rows_and_footer():
    """The header is found on row 3 under a merged title and a note; 序号 and 备注 are
    not columns of the import; the blank row is skipped; the signature rows are
    ignored and listed; row numbers are the sheet's own."""
    content = office_xlsx(
        HEADER,
        [
            ["张伟", "11010519491231002X", dt.datetime(2020, 7, 1), "调入"],
            ["李娜", "110105199011300026", "2019/9/1", ""],
        ],
        footer=[*FOOTER, ["合计：2人"]],
    )
    table = read(content)
    assert table.header_row == 3
    assert table.columns == {"name", "id_number", "hire_date"}
    assert [(r.number, r.values) for r in table.rows] == [
        (
            4,
            {
                "name": "张伟",
                "id_number": "11010519491231002X",
                "hire_date": "2020-07-01",
            },
        ),
        (
            6,
            {
                "name": "李娜",
                "id_number": "110105199011300026",
                "hire_date": "2019/9/1",
            },
        ),
    ]
    assert table.ignored == [
        {"row": 8, "text": "填表人：王芳 审核人：李强 填表日期：2025年3月1日"},
        {"row": 9, "text": "合计：2人"},
    ]


def test_a_row_inside_the_table_without_an_id_is_a_row_not_a_note():
    """Only rows after the last identified row are notes: one in the middle that
    fills a known column stays a row (its missing ID number will be reported)."""
    content = office_xlsx(
        HEADER,
        [
            ["张伟", "11010519491231002X", "2020-7-1"],
            ["王强", "", "2021-1-1"],
            ["李娜", "110105199011300026", "2019-9-1"],
        ],
        footer=[],
    )
    table = read(content)
    assert [r.values["name"] for r in table.rows] == ["张伟", "王强", "李娜"]
    assert table.ignored == []


def test_headers_in_their_usual_variants():
    """Required marks, line breaks, full-width letters and bilingual headers."""
    content = office_xlsx(
        ["姓名*", "身份证\n号码", "ＨＩＲＥ_ＤＡＴＥ", "身份证号 id_number"],
        [["张伟", "1", "2", "3"]],
    )
    table = read(content)
    assert table.columns == {"name", "id_number", "hire_date"}
    # Two columns naming one key: the first one counts.
    assert table.rows[0].values == {"name": "张伟", "id_number": "1", "hire_date": "2"}


def test_the_sheet_named_in_the_form_or_else_the_first():
    content = office_xlsx(
        HEADER, [["张伟", "11010519491231002X", "2020-7-1"]], notes_sheet_first=True
    )
    assert read(content).rows == []  # the first sheet is the notes
    assert read(content, sheet="花名册").rows[0].values["name"] == "张伟"
    with pytest.raises(SpreadsheetRefused, match="填表说明、花名册"):
        read(content, sheet="Sheet9")


def test_an_xlsx_written_with_inline_strings_and_no_dimension():
    """As WPS and many exporters write them."""
    content = inline_string_xlsx(
        [
            ["花名册"],
            ["姓名", "身份证号"],
            ["张伟", "11010519491231002X"],
            ["审核人：李强"],
        ]
    )
    table = read(content)
    assert [r.values for r in table.rows] == [
        {"name": "张伟", "id_number": "11010519491231002X"}
    ]
    assert table.ignored == [{"row": 4, "text": "审核人：李强"}]


def test_old_xls_with_a_title_and_a_date_cell():
    content = xls(
        [
            ["东华社区工作者花名册"],
            [],
            ["序号", "姓名", "身份证号", "入职日期"],
            [1, "张伟", "11010519491231002X", dt.date(2020, 7, 1)],
            ["填表人：王芳"],
        ]
    )
    assert content[:4] == b"\xd0\xcf\x11\xe0"
    table = read(content)
    assert table.header_row == 3
    assert [(r.number, r.values) for r in table.rows] == [
        (
            4,
            {
                "name": "张伟",
                "id_number": "11010519491231002X",
                "hire_date": "2020-07-01",
            },
        )
    ]
    assert table.ignored == [{"row": 5, "text": "填表人：王芳"}]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_every_encoding_offices_save(encoding):
    """UTF-8 with or without BOM (Excel, WPS), GBK (Excel on Chinese Windows), and
    GB18030 (a name with 䶮, which GBK has not)."""
    name = "龚䶮" if encoding == "gb18030" else "张伟"
    text = f"花名册\n姓名,身份证号\n{name},11010519491231002X\n,\n填表人：王芳\n"
    table = read_table(
        "f.csv", text.encode(encoding), COLUMNS, identifying=["id_number"]
    )
    assert [r.values for r in table.rows] == [
        {"name": name, "id_number": "11010519491231002X"}
    ]
    assert table.ignored == [{"row": 5, "text": "填表人：王芳"}]


def test_the_kind_is_told_by_content_not_by_name():
    """A CSV named .xlsx is read as the CSV it is; a picture named .xlsx is refused
    with a message, not an error page or a job that never ends."""
    text = "姓名,身份证号\n张伟,11010519491231002X\n".encode()
    assert read(text).rows[0].values["name"] == "张伟"
    with pytest.raises(SpreadsheetRefused, match="not a readable spreadsheet"):
        read(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(SpreadsheetRefused, match="not a readable spreadsheet"):
        read(b"PK\x03\x04 broken zip")


def _bomb(megabytes: int) -> bytes:
    """A real XLSX whose sheet holds `megabytes` MB of blank XML: a few kB zipped."""
    workbook = Workbook()
    workbook.active.append(["姓名", "身份证号"])
    out = io.BytesIO()
    workbook.save(out)
    source = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(
                    b"<sheetData>", b"<sheetData>" + b" " * (megabytes * 1024**2)
                )
            archive.writestr(info.filename, data)
    return bomb.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_opened(settings):
    """The members' declared sizes are summed first: 64 MB of XML in a ~64 kB file
    is refused without inflating it (under 4 MB of memory)."""
    settings.IMPORT_MAX_UNCOMPRESSED_BYTES = 8 * 1024**2
    content = _bomb(64)
    assert len(content) < 200_000
    tracemalloc.start()
    with pytest.raises(SpreadsheetRefused, match="more than 8 MB"):
        read(content)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 4 * 1024**2


def test_a_zip_that_lies_about_its_sizes_is_refused(settings):
    """A member declaring 1 kB that inflates to 64 MB: Python's zip reader stops at
    the declared size, the check fails, and the file is refused."""
    content = bytearray(_bomb(64))
    name = b"xl/worksheets/sheet1.xml"
    local = content.find(b"PK\x03\x04")
    while local != -1:
        name_len = struct.unpack_from("<H", content, local + 26)[0]
        if content[local + 30 : local + 30 + name_len] == name:
            struct.pack_into("<I", content, local + 22, 1024)
        local = content.find(b"PK\x03\x04", local + 4)
    central = content.find(b"PK\x01\x02")
    while central != -1:
        name_len = struct.unpack_from("<H", content, central + 28)[0]
        if content[central + 46 : central + 46 + name_len] == name:
            struct.pack_into("<I", content, central + 24, 1024)
        central = content.find(b"PK\x01\x02", central + 4)
    tracemalloc.start()
    with pytest.raises(SpreadsheetRefused, match="not a readable spreadsheet"):
        read(bytes(content))
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 16 * 1024**2


def test_a_sparse_sheet_cannot_make_the_reader_allocate_its_whole_grid(settings):
    """One cell in A1 and one in XFD1048576 (a 5 kB file) would be a grid of 17
    thousand million cells to a reader that fills the range; rows are streamed and
    counted instead, and the row cap refuses the sheet."""
    settings.IMPORT_MAX_ROWS = 5_000
    workbook = Workbook()
    workbook.active["A1"] = "姓名"
    workbook.active["B1"] = "身份证号"
    workbook.active.cell(row=1_048_576, column=16_384, value="x")
    out = io.BytesIO()
    workbook.save(out)
    tracemalloc.start()
    with pytest.raises(SpreadsheetRefused, match="more than 5000 rows"):
        read(out.getvalue())
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 16 * 1024**2


def test_the_row_cap_is_a_setting(settings):
    settings.IMPORT_MAX_ROWS = 100
    rows = "".join(f"张{i},11010519491231002X\n" for i in range(99))
    content = f"姓名,身份证号\n{rows}".encode()
    assert len(read(content).rows) == 99
    settings.IMPORT_MAX_ROWS = 99
    with pytest.raises(SpreadsheetRefused, match="more than 99 rows"):
        read(content)


def _xls_with_cells(cells: dict[tuple[int, int], object]) -> bytes:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    worksheet = book.add_sheet("Sheet1")
    for (row, column), value in cells.items():
        worksheet.write(row, column, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_xls_with_two_cells_far_apart_is_refused_before_it_is_read():
    """A1 and IV65536 in a 6 kB XLS: calamine would fill the 65,536 x 256 grid
    between them (about 1 GB). The cells' positions are read first."""
    content = _xls_with_cells({(0, 0): "姓名", (0, 1): "身份证号", (65535, 255): "x"})
    assert len(content) < 10_000
    tracemalloc.start()
    with pytest.raises(SpreadsheetRefused, match="65536 rows and 256 columns"):
        read(content)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 16 * 1024**2


def test_the_xls_size_and_row_caps_are_settings(settings):
    rows = {(0, 0): "姓名", (0, 1): "身份证号"}
    for r in range(1, 100):
        rows[(r, 0)], rows[(r, 1)] = f"张{r}", "11010519491231002X"
    assert len(read(_xls_with_cells(rows)).rows) == 99
    settings.IMPORT_MAX_ROWS = 99
    with pytest.raises(SpreadsheetRefused, match="more than 99 rows"):
        read(_xls_with_cells(rows))
    settings.IMPORT_MAX_ROWS = 100_000
    settings.IMPORT_MAX_XLS_BYTES = 1024**2
    rows.update({(r, 2): f"{r}备注" + "很长" * 100 for r in range(1, 5000)})
    content = _xls_with_cells(rows)
    assert len(content) > 1024**2
    with translation.override("zh-hans"):
        with pytest.raises(SpreadsheetRefused, match="XLS 文件最大 1 MB"):
            read(content)
