"""Public verification: valid, revoked, superseded, 404, malformed, rate limit, JSON,
and the PDF upload that tells whether a file is exactly the one issued."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from certificates import rules, services
from tests.conftest import BEIJING


@pytest.fixture(autouse=True)
def verify_rate(settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "verify": "30/m"}


def test_valid_certificate_page(
    client, honour_certificate, django_assert_max_num_queries
):
    """No sign-in; masked name, achievement, year, issue date and issuer shown."""
    with django_assert_max_num_queries(1):
        response = client.get(f"/verify/{honour_certificate.serial}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="verdict"' in body and "valid" in body
    assert "张*明" in body and "张晓明" not in body
    assert honour_certificate.title in body
    assert "示范市民政局" in body
    assert timezone.localdate(honour_certificate.issued_at).isoformat() in body


def test_serial_typed_loosely_redirects_to_the_canonical_one(
    client, honour_certificate
):
    loose = honour_certificate.serial.replace("-", "").lower()
    response = client.get(f"/verify/{loose}/")
    assert response.status_code == 302
    assert response["Location"] == f"/verify/{honour_certificate.serial}/"


@pytest.mark.time_machine(dt.datetime(2026, 11, 18, 7, 30, tzinfo=BEIJING), tick=False)
def test_revoked_certificate_shows_date_and_reason(
    client, honour_certificate, district_admin
):
    """Revoked at 07:30 in Beijing (still 17 November in UTC): the local date."""
    services.certificate_revoke(
        certificate=honour_certificate, reason="培训记录有误", actor=district_admin
    )
    body = client.get(f"/verify/{honour_certificate.serial}/").content.decode()
    assert "revoked" in body and "培训记录有误" in body
    data = client.get(f"/verify/{honour_certificate.serial}.json").json()
    assert data["status"] == "revoked"
    assert data["reason"] == "培训记录有误"
    assert data["revoked_on"] == "2026-11-18"


def test_superseded_certificate_points_to_the_new_serial(
    client, honour_certificate, district_admin
):
    new = services.certificate_reissue(
        certificate=honour_certificate, reason="姓名更正", actor=district_admin
    )
    body = client.get(f"/verify/{honour_certificate.serial}/").content.decode()
    assert "superseded" in body and new.serial in body
    data = client.get(f"/verify/{honour_certificate.serial}.json").json()
    assert data["status"] == "superseded" and data["superseded_by"] == new.serial
    assert client.get(f"/verify/{new.serial}.json").json()["status"] == "valid"


def test_unknown_serial_is_404_revealing_nothing(client, honour_certificate):
    """A well-formed serial that was never issued, and a typo, both 404 alike."""
    unknown = str(rules.new_serial("HR", 2026))
    typo = honour_certificate.serial[:-1] + (
        "0" if honour_certificate.serial[-1] != "0" else "1"
    )
    for serial in (unknown, typo, "not-a-serial", "<script>"):
        response = client.get(f"/verify/{serial}/")
        assert response.status_code == 404
        assert honour_certificate.holder_name[0] not in response.content.decode()
        assert client.get(f"/verify/{serial}.json").status_code == 404


def test_malformed_serial_is_rejected_without_a_query(
    client, honour_certificate, django_assert_num_queries
):
    """The check characters reject a typo before the database is asked (the 404
    page itself may still consult Wagtail's redirects)."""
    from certificates.selectors import certificate_by_serial

    typo = honour_certificate.serial[:-2] + honour_certificate.serial[-1:-3:-1]
    with django_assert_num_queries(0):
        assert certificate_by_serial("XX-2026-33333-33333-00") is None
        if typo != honour_certificate.serial:
            assert certificate_by_serial(typo) is None
    assert client.get("/verify/XX-2026-33333-33333-00.json").status_code == 404


@pytest.mark.time_machine(dt.datetime(2026, 11, 18, 7, 30, tzinfo=BEIJING), tick=False)
def test_json_form(client, honour_certificate):
    """Issued at 07:30 in Beijing (still 17 November in UTC): the local date."""
    data = client.get(f"/verify/{honour_certificate.serial}.json").json()
    assert data == {
        "serial": honour_certificate.serial,
        "status": "valid",
        "kind": "honour",
        "holder": "张*明",
        "title": honour_certificate.title,
        "year": 2020,
        "days": None,
        "hours": None,
        "issued_on": "2026-11-18",
        "issuer": "示范市民政局",
        "revoked_on": None,
        "reason": None,
        "superseded_by": None,
        "sha256": honour_certificate.sha256,
    }


def test_rate_limit_per_address(client, honour_certificate, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "verify": "3/m"}
    url = f"/verify/{honour_certificate.serial}/"
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    assert client.get(url).status_code == 429
    assert client.get(url, REMOTE_ADDR="10.0.0.9").status_code == 200


def test_form_redirects_a_good_serial_and_explains_a_typo(client, honour_certificate):
    response = client.get("/verify/", {"serial": honour_certificate.serial.lower()})
    assert response["Location"] == f"/verify/{honour_certificate.serial}/"
    typo = (
        honour_certificate.serial[:8]
        + ("Z" if honour_certificate.serial[8] != "Z" else "Y")
        + honour_certificate.serial[9:]
    )
    response = client.get("/verify/", {"serial": typo})
    assert response.status_code == 200
    assert 'id="serial-error"' in response.content.decode()


def test_upload_says_whether_the_pdf_is_the_one_issued(client, honour_certificate):
    url = f"/verify/{honour_certificate.serial}/"
    original = honour_certificate.file.read()
    response = client.post(url, {"file": SimpleUploadedFile("c.pdf", original)})
    assert response.status_code == 200 and response.context["match"] is True
    tampered = original.replace(b"/Creator", b"/Creat0r", 1)
    response = client.post(url, {"file": SimpleUploadedFile("c.pdf", tampered)})
    assert response.context["match"] is False
