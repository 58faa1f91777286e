"""The base and institution libraries in the Wagtail admin, scoped to the subtree."""

import csv
import datetime as dt
import io
import re

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from bases.models import Base
from lms.accounts.models import AuditAction, AuditLog
from tests.bases.factories import AgreementFactory, BaseFactory, InstitutionFactory
from tests.files import pdf_bytes
from tests.trainers.factories import admin_in_group


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(body)))


@pytest.fixture
def bases(tree):
    return {
        "mine": BaseFactory(
            org=tree["community11"],
            name="玉林社区",
            base_type="model_community",
            themes="党建引领城乡社区发展治理、居民议事协商",
            capacity=80,
            phone="13622223333",
        ),
        "street": BaseFactory(
            org=tree["street1"],
            name="华兴街天府文化特色街区",
            base_type="featured_street",
            themes="天府文化、社区商业",
            capacity=40,
        ),
        "other": BaseFactory(
            org=tree["community21"], name="外区望江社区", themes="居民议事协商"
        ),
    }


def test_base_listing_is_scoped(d1_client, bases):
    text = d1_client.get("/admin/bases/").text
    assert "玉林社区" in text
    assert "华兴街天府文化特色街区" in text
    assert "外区望江社区" not in text


def test_base_filters_type_theme_and_capacity(d1_client, bases):
    text = d1_client.get("/admin/bases/", {"base_type": "featured_street"}).text
    assert "华兴街天府文化特色街区" in text and "玉林社区" not in text
    text = d1_client.get("/admin/bases/", {"theme": "议事协商"}).text
    assert "玉林社区" in text and "华兴街" not in text and "外区望江社区" not in text
    text = d1_client.get("/admin/bases/", {"min_capacity": 50}).text
    assert "玉林社区" in text and "华兴街" not in text


def test_base_chinese_search(d1_client, bases):
    text = d1_client.get("/admin/bases/", {"q": "天府文化"}).text
    assert "华兴街天府文化特色街区" in text
    assert "玉林社区" not in text


def test_another_districts_base_by_url_is_not_found(d1_client, bases):
    other = bases["other"]
    assert d1_client.get(f"/admin/bases/edit/{other.pk}/").status_code == 404
    assert d1_client.get(f"/admin/bases/inspect/{other.pk}/").status_code == 404
    assert d1_client.post(f"/admin/bases/delete/{other.pk}/").status_code == 404
    assert Base.objects.filter(pk=other.pk).exists()


def test_base_export_is_scoped_and_masks_the_host_phone(d1_client, bases):
    rows = _csv(d1_client.get("/admin/bases/", {"export": "csv"}))
    assert {r[0] for r in rows[1:]} == {"玉林社区", "华兴街天府文化特色街区"}
    flat = "\n".join(",".join(r) for r in rows)
    assert "13622223333" not in flat
    assert "136****3333" in flat
    assert AuditLog.objects.filter(action=AuditAction.EXPORT).count() == 1


def _base_form(tree, **overrides):
    data = {
        "name": "新基地",
        "base_type": "themed_community",
        "org": tree["community12"].pk,
        "address": "成都市锦江区",
        "latitude": "30.650000",
        "longitude": "104.070000",
        "capacity": "50",
        "themes": "公园社区",
        "contact_name": "周红",
        "phone": "028-86612345",
        "description": "",
        "is_active": "on",
        "photos-TOTAL_FORMS": "0",
        "photos-INITIAL_FORMS": "0",
        "photos-MIN_NUM_FORMS": "0",
        "photos-MAX_NUM_FORMS": "1000",
    }
    data.update(overrides)
    return data


def test_base_create_in_scope(d1_client, tree):
    response = d1_client.post("/admin/bases/new/", _base_form(tree))
    assert response.status_code == 302
    base = Base.objects.get(name="新基地")
    assert base.phone == "028-86612345"
    assert base.phone_masked == "028*****2345"


def test_base_create_outside_scope_or_with_bad_input_changes_nothing(d1_client, tree):
    response = d1_client.post(
        "/admin/bases/new/", _base_form(tree, org=tree["community21"].pk)
    )
    assert "org" in response.context["form"].errors
    response = d1_client.post("/admin/bases/new/", _base_form(tree, capacity="0"))
    assert response.status_code == 200
    response = d1_client.post("/admin/bases/new/", _base_form(tree, latitude="95"))
    assert response.status_code == 200
    assert not Base.objects.filter(name="新基地").exists()


@pytest.fixture
def institutions(tree):
    today = timezone.localdate()
    in_force = InstitutionFactory(org=tree["district1"], name="区委党校")
    AgreementFactory(
        institution=in_force,
        title="社区两委成员培训协议",
        start_date=today - dt.timedelta(days=100),
        end_date=today + dt.timedelta(days=100),
    )
    expired = InstitutionFactory(org=tree["street1"], name="街道社区学院")
    AgreementFactory(
        institution=expired,
        start_date=today - dt.timedelta(days=800),
        end_date=today - dt.timedelta(days=1),
    )
    none = InstitutionFactory(org=tree["district1"], name="某职业学院")
    other = InstitutionFactory(org=tree["district2"], name="外区大学")
    AgreementFactory(institution=other)
    return {"in_force": in_force, "expired": expired, "none": none, "other": other}


def test_institution_agreement_filter(d1_client, institutions):
    text = d1_client.get("/admin/institutions/", {"agreement": "in_force"}).text
    assert "区委党校" in text
    assert "街道社区学院" not in text and "某职业学院" not in text
    text = d1_client.get("/admin/institutions/", {"agreement": "not_in_force"}).text
    assert "街道社区学院" in text and "某职业学院" in text and "区委党校" not in text
    text = d1_client.get("/admin/institutions/", {"agreement": "none"}).text
    assert "某职业学院" in text and "街道社区学院" not in text
    assert "外区大学" not in text


def test_institution_search_by_agreement_title(d1_client, institutions):
    text = d1_client.get("/admin/institutions/", {"q": "两委成员"}).text
    assert "区委党校" in text and "某职业学院" not in text


def test_institution_export_is_scoped_and_masked(d1_client, institutions):
    rows = _csv(d1_client.get("/admin/institutions/", {"export": "csv"}))
    assert sorted(r[0] for r in rows[1:]) == sorted(
        ["区委党校", "街道社区学院", "某职业学院"]
    )
    flat = "\n".join(",".join(r) for r in rows)
    assert "02887654321" not in flat
    assert "028****4321" in flat


def test_agreement_file_downloads_only_within_scope(d1_client, institutions, tree):
    mine = institutions["in_force"].agreements.get()
    mine.file.save("agreement.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    theirs = institutions["other"].agreements.get()
    theirs.file.save("agreement.pdf", ContentFile(b"%PDF-1.4 other"), save=True)
    response = d1_client.get(f"/admin/institutions/agreement/{mine.pk}/file/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    response = d1_client.get(f"/admin/institutions/agreement/{theirs.pk}/file/")
    assert response.status_code == 404
    # an unguessable folder, not a date (1 in 256 random names starts with "20")
    assert re.fullmatch(r"agreements/[0-9a-f]{32}/agreement\.pdf", mine.file.name)


def test_agreement_file_needs_the_institution_permission(client, institutions, tree):
    worker_like = admin_in_group(tree["district1"], "区级管理员")
    worker_like.groups.clear()
    client.force_login(worker_like)
    agreement = institutions["in_force"].agreements.get()
    agreement.file.save("a.pdf", ContentFile(b"%PDF-1.4"), save=True)
    response = client.get(f"/admin/institutions/agreement/{agreement.pk}/file/")
    assert response.status_code in (302, 403)


def test_institution_with_inline_agreements_is_saved(d1_client, tree):
    data = {
        "name": "新合作院校",
        "institution_type": "local_college",
        "org": tree["district1"].pk,
        "address": "",
        "contact_name": "",
        "phone": "",
        "email": "",
        "website": "",
        "description": "",
        "is_active": "on",
        "agreements-TOTAL_FORMS": "1",
        "agreements-INITIAL_FORMS": "0",
        "agreements-MIN_NUM_FORMS": "0",
        "agreements-MAX_NUM_FORMS": "1000",
        "agreements-0-title": "教育培训合作协议",
        "agreements-0-start_date": "2025-01-01",
        "agreements-0-end_date": "2024-01-01",
        "agreements-0-notes": "",
        "agreements-0-ORDER": "1",
        "agreements-0-DELETE": "",
        "agreements-0-id": "",
    }
    from bases.models import Institution

    response = d1_client.post("/admin/institutions/new/", data)
    assert response.status_code == 200  # end before start: refused
    assert not Institution.objects.filter(name="新合作院校").exists()
    data["agreements-0-end_date"] = "2027-12-31"
    response = d1_client.post("/admin/institutions/new/", data)
    assert response.status_code == 302
    institution = Institution.objects.get(name="新合作院校")
    assert institution.agreements.get().end_date == dt.date(2027, 12, 31)


def test_agreement_file_of_the_wrong_kind_is_refused(d1_client, tree):
    """An executable renamed to .pdf is refused by its content; nothing is saved."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from bases.models import Institution

    data = {
        "name": "带协议院校",
        "institution_type": "university",
        "org": tree["district1"].pk,
        "is_active": "on",
        "agreements-TOTAL_FORMS": "1",
        "agreements-INITIAL_FORMS": "0",
        "agreements-MIN_NUM_FORMS": "0",
        "agreements-MAX_NUM_FORMS": "1000",
        "agreements-0-title": "合作协议",
        "agreements-0-start_date": "2025-01-01",
        "agreements-0-file": SimpleUploadedFile(
            "agreement.pdf", b"MZ\x90\x00\x03" + b"\x00" * 200
        ),
    }
    response = d1_client.post("/admin/institutions/new/", data)
    assert response.status_code == 200
    assert not Institution.objects.filter(name="带协议院校").exists()
    data["agreements-0-file"] = SimpleUploadedFile("agreement.pdf", pdf_bytes())
    response = d1_client.post("/admin/institutions/new/", data)
    assert response.status_code == 302
    assert Institution.objects.get(name="带协议院校").agreements.get().file


def test_institution_inspect_lists_agreements_with_scoped_links(
    d1_client, institutions
):
    agreement = institutions["in_force"].agreements.get()
    agreement.file.save("a.pdf", ContentFile(b"%PDF-1.4 x"), save=True)
    response = d1_client.get(f"/admin/institutions/inspect/{agreement.institution_id}/")
    assert response.status_code == 200
    assert "社区两委成员培训协议" in response.text
    assert f"/admin/institutions/agreement/{agreement.pk}/file/" in response.text
    assert "/media/" not in response.text.split("<main")[-1]
