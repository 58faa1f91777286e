"""Class 4: every export writes user text as text (CSV neutralised per OWASP, XLSX
cells typed as strings); the URL walk test checks every export uses the helpers."""

import csv
import io

import pytest
from openpyxl import load_workbook

from lms.accounts.exports import neutralise, write_table
from tests.trainers.factories import admin_in_group

HOSTILE = [
    '=HYPERLINK("http://evil.example/","open")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1",
    "\r=1",
]


def test_neutralise_follows_owasp():
    assert [neutralise(v) for v in HOSTILE] == ["'" + v for v in HOSTILE]
    assert neutralise("社区=治理") == "社区=治理"
    assert neutralise(-2) == -2  # numbers stay numbers


def test_write_table_csv_and_xlsx_keep_text_as_text():
    rows = [[text, 3] for text in HOSTILE]
    body = write_table("csv", ["title", "n"], rows).decode("utf-8-sig")
    cells = [row[0] for row in csv.reader(io.StringIO(body))][1:]
    assert all(cell.startswith("'") for cell in cells)
    sheet = load_workbook(io.BytesIO(write_table("xlsx", ["title", "n"], rows))).active
    values = list(sheet.iter_rows(min_row=2, values_only=True))
    # The exact text (openpyxl writes CR as LF), never a formula.
    assert [v[0] for v in values] == [v.replace("\r", "\n") for v in HOSTILE]
    assert all(c.data_type == "s" for c in sheet["A"][1:])
    assert sheet["B2"].value == 3 and sheet["B2"].data_type == "n"


@pytest.mark.django_db
def test_admin_listing_exports_are_neutralised(client, tree):
    """The reported case: a title exported raw to CSV and live to XLSX."""
    from tests.trainers.factories import TrainerFactory
    from trainers.models import Trainer

    TrainerFactory(name=HOSTILE[0], org=tree["district1"])
    assert Trainer.objects.count() == 1
    client.force_login(admin_in_group(tree["district1"], "区级管理员"))
    response = client.get("/admin/trainers/?export=csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "'" + HOSTILE[0] in body.replace('""', '"')
    response = client.get("/admin/trainers/?export=xlsx")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    cells = [c for row in sheet.iter_rows() for c in row if c.value == HOSTILE[0]]
    assert cells and all(c.data_type == "s" for c in cells)


def test_lazy_translated_labels_are_written_as_text():
    """A lazily translated label (a choice's display) is written as its text in
    CSV and XLSX, not refused by the spreadsheet writer."""
    from django.utils.translation import gettext_lazy

    label = gettext_lazy("Yes")
    assert write_table("csv", ["a"], [[label]]).decode("utf-8-sig").splitlines() == [
        "a",
        str(label),
    ]
    sheet = load_workbook(io.BytesIO(write_table("xlsx", ["a"], [[label]]))).active
    assert sheet["A2"].value == str(label)
