"""Report formats (JSON exact, CSV, XLSX, PDF text), the command and the job."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from openpyxl import load_workbook
from pypdf import PdfReader

from lms.compliance.errors import ComplianceError
from lms.compliance.reports import report_build
from lms.people.models import Post
from tests.people.factories import WorkerFactory

from .factories import credit

YEAR = 2025


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def people(tree):
    a = WorkerFactory(community=tree["community11"], name="王芳", post=Post.STAFF)
    b = WorkerFactory(community=tree["community11"], name="李强", post=Post.SECRETARY)
    c = WorkerFactory(community=tree["community21"], name="赵敏", post=Post.STAFF)
    credit(a, "2025-04-01", days="2")
    credit(a, "2025-05-01", days="0", hours="9", kind="online")
    credit(b, "2025-04-01", days="7")
    credit(c, "2025-04-01", days="3")
    return a, b, c


def test_json_report_exact(tree, people):
    a, b, _ = people
    name, content, count = report_build(year=YEAR, root=tree["district1"], fmt="json")
    assert name == "compliance-2025-510101.json"
    assert count == 2
    assert json.loads(content) == [
        {
            "name": "李强",
            "id_number": b.id_number_masked,
            "org_code": "510101001001",
            "post": "secretary",
            "required_days": "7.00",
            "achieved_days": "7.00",
            "online_days": "0.00",
            "shortfall_days": "0.00",
            "status": "not_met",
            "reasons": ["no rotation class"],
        },
        {
            "name": "王芳",
            "id_number": a.id_number_masked,
            "org_code": "510101001001",
            "post": "staff",
            "required_days": "3.00",
            "achieved_days": "3.50",
            "online_days": "1.50",
            "shortfall_days": "0.00",
            "status": "met",
            "reasons": [],
        },
    ]
    assert a.id_number not in content.decode()


def test_csv_and_xlsx_reports(tree, people):
    _, csv_bytes, _ = report_build(year=YEAR, root=tree["city"], fmt="csv")
    text = csv_bytes.decode("utf-8-sig").splitlines()
    assert len(text) == 4
    assert text[0].split(",")[0] == "Name"
    assert "赵敏" in text[3] and "Met" in text[3]
    _, xlsx, _ = report_build(year=YEAR, root=tree["city"], fmt="xlsx", status="met")
    sheet = load_workbook(io.BytesIO(xlsx)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert [v[0] for v in values] == ["Name", "王芳", "赵敏"]


def test_pdf_appraisal_form_has_names_and_page_numbers(tree, people):
    many = [
        WorkerFactory(community=tree["community11"], name=f"工作者{i:02d}")
        for i in range(40)
    ]
    _, pdf, count = report_build(year=YEAR, root=tree["community11"], fmt="pdf")
    assert count == 42
    reader = PdfReader(io.BytesIO(pdf))
    pages = len(reader.pages)
    assert pages >= 2
    text = "\n".join(p.extract_text() for p in reader.pages)
    for name in ["王芳", "李强", many[0].name, many[-1].name]:
        assert name in text
    assert "赵敏" not in text
    assert f"Page 1 of {pages}" in text
    assert f"Page {pages} of {pages}" in text
    assert "Reviewed by (signature)" in text
    assert "Annual training appraisal form 2025" in text


def test_pdf_only_for_a_street_or_community(tree, people):
    with pytest.raises(ComplianceError):
        report_build(year=YEAR, root=tree["district1"], fmt="pdf")


def test_command_writes_a_file(tree, people, tmp_path):
    out = tmp_path / "r.json"
    call_command(
        "compliance_report",
        "--year",
        "2025",
        "--org",
        "510102",
        "--format",
        "json",
        "--output",
        str(out),
        "--language",
        "en",
    )
    data = json.loads(out.read_text())
    assert [(r["name"], r["status"]) for r in data] == [("赵敏", "met")]
    with pytest.raises(CommandError):
        call_command("compliance_report", "--year", "2025", "--org", "nope")


def test_chinese_appraisal_form(tree, people):
    """The default language: Chinese headings, reasons and page numbers."""
    with translation.override("zh-hans"):
        _, pdf, _ = report_build(year=YEAR, root=tree["street1"], fmt="pdf")
        _, js, _ = report_build(year=YEAR, root=tree["street1"], fmt="json")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert "2025 年度社区工作者培训考核表" in text
    assert "第 1 页，共 1 页" in text
    assert "审核人（签字）" in text
    assert json.loads(js)[0]["reasons"] == ["未参加轮训"]


def test_report_headers_say_the_online_column_is_counted_online_study(tree, people):
    """The online column holds the online study days counted after the cap (any
    training given online included), and its Chinese header says so."""
    with translation.override("zh-hans"):
        _, csv_bytes, _ = report_build(year=YEAR, root=tree["city"], fmt="csv")
    header = csv_bytes.decode("utf-8-sig").splitlines()[0].split(",")
    assert header[5:8] == ["应训天数", "已训天数", "网络学习计入天数（封顶后）"]
