"""Spreadsheets shaped the way street offices keep them, made in the test."""

import io
import zipfile

from openpyxl import Workbook

TITLE = "东华社区工作者花名册（2025年）"
# Signatures spread along the row: 审核人 lands in the ID-number column.
FOOTER = [["填表人：王芳", None, "审核人：李强", None, None, "填表日期：2025年3月1日"]]


def office_xlsx(
    header: list[str],
    rows: list[list],
    *,
    title: str = TITLE,
    footer: list[list] = FOOTER,
    sheet: str = "花名册",
    notes_sheet_first: bool = False,
) -> bytes:
    """A merged title row, a note row, the header (with a 序号 column first), a blank
    row inside the table, then a signature footer."""
    workbook = Workbook()
    if notes_sheet_first:
        workbook.active.title = "填表说明"
        workbook.active.append(["请按要求填写"])
        worksheet = workbook.create_sheet(sheet)
    else:
        worksheet = workbook.active
        worksheet.title = sheet
    width = len(header) + 1
    worksheet.append([title])
    worksheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    worksheet.append(["填报单位：东华街道办事处（盖章）"])
    worksheet.append(["序号", *header])
    for index, row in enumerate(rows, start=1):
        worksheet.append([index, *row])
        if index == 1:
            worksheet.append([])  # a blank row inside the table
    worksheet.append([])
    for line in footer:
        worksheet.append(line)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def inline_string_xlsx(rows: list[list[str]]) -> bytes:
    """An XLSX as programs other than Excel often write one (WPS, exporters): inline
    strings, no shared strings, no styles, no dimension element."""

    def cell(ref: str, text: str) -> str:
        return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'

    sheet_rows = "".join(
        f'<row r="{r}">'
        + "".join(cell(f"{chr(65 + c)}{r}", v) for c, v in enumerate(values) if v)
        + "</row>"
        for r, values in enumerate(rows, start=1)
    )
    ns = "http://schemas.openxmlformats.org"
    parts = {
        "[Content_Types].xml": (
            f'<Types xmlns="{ns}/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{ns}/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{ns}/spreadsheetml/2006/main" '
            f'xmlns:r="{ns}/officeDocument/2006/relationships"><sheets>'
            '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{ns}/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/'
            'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{ns}/spreadsheetml/2006/main">'
            f"<sheetData>{sheet_rows}</sheetData></worksheet>"
        ),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


def xls(rows: list[list], sheet: str = "Sheet1") -> bytes:
    """An Excel 97-2003 workbook (xlwt), a date cell included where a row has one."""
    import datetime as dt

    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    worksheet = book.add_sheet(sheet)
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            if isinstance(value, dt.date):
                worksheet.write(r, c, value, date_style)
            elif value is not None:
                worksheet.write(r, c, value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
