"""The shared upload validator: type by magic bytes, extension agreement, size."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from lms.accounts.uploads import UploadValidator, validate_upload
from tests.files import pdf_bytes

PDF = pdf_bytes()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
EXE = b"MZ\x90\x00" + b"\x00" * 60


def _xlsx() -> bytes:
    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def test_accepts_a_real_pdf():
    assert validate_upload(SimpleUploadedFile("a.pdf", PDF), kinds=("pdf",)) == "pdf"


def test_accepts_xlsx_and_utf8_csv():
    assert (
        validate_upload(
            SimpleUploadedFile("r.xlsx", _xlsx()), kinds=("spreadsheet", "csv")
        )
        == "xlsx"
    )
    csv = "姓名,身份证号\n张三,110105194912310021\n".encode()
    assert validate_upload(SimpleUploadedFile("r.csv", csv), kinds=("csv",)) == "csv"


@pytest.mark.parametrize(
    "name,content,code",
    [
        ("evil.pdf", EXE, "file_type"),
        ("photo.pdf", PNG, "file_extension_mismatch"),
        ("slides.png", PDF, "file_extension_mismatch"),
        ("data.csv", b"a,b\x00\x01", "file_type"),
        ("empty.pdf", b"", "file_empty"),
    ],
)
def test_refuses_wrong_content(name, content, code):
    kinds = ("pdf", "csv", "image")
    with pytest.raises(ValidationError) as info:
        validate_upload(SimpleUploadedFile(name, content), kinds=kinds)
    assert info.value.code == code


def test_refuses_too_large():
    with pytest.raises(ValidationError) as info:
        UploadValidator(kinds=("pdf",), max_bytes=10)(SimpleUploadedFile("a.pdf", PDF))
    assert info.value.code == "file_too_large"


def test_validator_deconstructs_for_migrations():
    path, args, kwargs = UploadValidator(kinds=("video",), max_bytes=5).deconstruct()
    assert path == "lms.accounts.uploads.UploadValidator"
    assert kwargs == {"kinds": ("video",), "max_bytes": 5}
