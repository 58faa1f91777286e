"""Every admin listing export heads its columns in Chinese: no field path such as
"worker.name" and no English label reaches an office's spreadsheet."""

import csv
import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.admin.viewsets import viewsets

from mentoring.models import MentorKind
from tests.mentoring.factories import MentorFactory, StudioFactory
from tests.people.factories import AdminFactory

LATIN = re.compile(r"[A-Za-z]+")
ALLOWED = {"ID", "QR", "PDF", "SHA"}


def _headings():
    reverse("wagtailadmin_home")  # the admin's URLs load, and with them its viewsets
    for viewset in viewsets.viewsets:
        index = getattr(viewset, "index_view", None)  # as the viewset constructs it
        if index is None:
            continue
        view = index.view_class(**index.view_initkwargs)
        fields = getattr(view, "list_export", None)
        if not isinstance(fields, (list, tuple)):
            continue
        queryset = viewset.model._default_manager.none()
        for field in fields:
            yield type(viewset).__name__, field, view.get_heading(queryset, field)


def test_every_export_heading_is_chinese():
    with translation.override("zh-hans"):
        english = [
            (name, field, heading)
            for name, field, heading in _headings()
            if set(LATIN.findall(heading)) - ALLOWED
        ]
    assert english == []


@pytest.mark.django_db
def test_exported_choices_and_yes_no_read_as_words(client, tree):
    """A stored code ("worker") or a boolean (True) is never what an office reads."""
    MentorFactory(org=tree["community11"], name="马杰")
    client.force_login(AdminFactory(org=tree["city"], is_superuser=True))
    mentors = _csv(client, "/admin/mentors/?export=csv")
    assert mentors[1][:2] == ["马杰", str(MentorKind.WORKER.label)]
    studios = _csv(client, "/admin/studios/?export=csv")
    assert studios[0][-1] == "在库"
    StudioFactory(org=tree["community11"], name="示范书记工作室")
    studios = _csv(client, "/admin/studios/?export=csv")
    assert studios[1][0] == "示范书记工作室"
    assert studios[1][-1] == "是"


def _csv(client, url) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))
