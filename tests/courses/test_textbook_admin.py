"""The textbook library in the admin: opened and saved by an administrator of the
owner's subtree, the owner picked in the organisation chooser (no phone fields)."""

import pytest

from tests.trainers.factories import admin_in_group

from .factories import TextbookFactory

pytestmark = pytest.mark.django_db


def test_a_textbook_is_edited_and_saved(client, tree):
    book = TextbookFactory(org=tree["district1"], title="社区治理读本")
    client.force_login(admin_in_group(tree["district1"], "区级管理员"))
    url = f"/admin/textbooks/edit/{book.pk}/"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    assert "phone" not in form.fields
    assert 'id="id_org-chooser"' in page.content.decode()
    data = {
        "series": book.series,
        "title": "社区治理读本（第二版）",
        "org": tree["street1"].pk,
        "is_published": "on",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    book.refresh_from_db()
    assert (book.title, book.org) == ("社区治理读本（第二版）", tree["street1"])
    data["org"] = tree["district2"].pk  # outside the subtree
    assert client.post(url, data).status_code == 200
    book.refresh_from_db()
    assert book.org == tree["street1"]
