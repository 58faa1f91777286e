"""The trainer library and think tank in the Wagtail admin, scoped to the subtree."""

import csv
import io

import pytest
from openpyxl import load_workbook

from lms.accounts.models import AuditAction, AuditLog
from tests.trainers.factories import (
    ExpertFactory,
    TrainerFactory,
    TrainerUserFactory,
    admin_in_group,
)
from trainers.models import Trainer, TrainerSource


@pytest.fixture
def d1_admin(tree):
    return admin_in_group(tree["district1"], "区级管理员", username="d1lib")


@pytest.fixture
def d1_client(client, d1_admin):
    client.force_login(d1_admin)
    return client


@pytest.fixture(autouse=True)
def media_in_tmp(settings, tmp_path):
    """Uploaded files go to a temporary folder, not var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def trainers(tree):
    return {
        "mine": TrainerFactory(
            org=tree["district1"],
            name="张晓燕",
            specialities="小区治理、楼栋红管家",
            source=TrainerSource.CONTEST,
            phone="13811112222",
        ),
        "street": TrainerFactory(
            org=tree["street1"],
            name="刘建国",
            title="街道社区发展治理办主任",
            specialities="社区营造",
            source=TrainerSource.LECTURE_SERIES,
        ),
        "other": TrainerFactory(
            org=tree["district2"], name="外区讲师赵敏", specialities="小区治理"
        ),
        "city": TrainerFactory(org=tree["city"], name="市级讲师陈伟"),
    }


def _csv(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.reader(io.StringIO(body)))


def test_listing_shows_only_the_administrators_subtree(d1_client, trainers):
    response = d1_client.get("/admin/trainers/")
    assert response.status_code == 200
    assert "张晓燕" in response.text
    assert "刘建国" in response.text
    assert "外区讲师赵敏" not in response.text
    assert "市级讲师陈伟" not in response.text


def test_city_administrator_sees_every_trainer(client, tree, trainers):
    client.force_login(admin_in_group(tree["city"], "市级管理员"))
    text = client.get("/admin/trainers/").text
    for name in ("张晓燕", "刘建国", "外区讲师赵敏", "市级讲师陈伟"):
        assert name in text


def test_chinese_search_finds_by_part_of_a_speciality_and_stays_in_scope(
    d1_client, trainers
):
    response = d1_client.get("/admin/trainers/", {"q": "小区治理"})
    assert "张晓燕" in response.text
    assert "刘建国" not in response.text
    assert "外区讲师赵敏" not in response.text  # matches, but another district's
    response = d1_client.get("/admin/trainers/", {"q": "发展治理办"})
    assert "刘建国" in response.text
    assert "张晓燕" not in response.text


def test_filters_by_source_and_by_subtree(d1_client, trainers, tree):
    response = d1_client.get("/admin/trainers/", {"source": "lecture_series"})
    assert "刘建国" in response.text
    assert "张晓燕" not in response.text
    response = d1_client.get("/admin/trainers/", {"org": tree["street1"].pk})
    assert "刘建国" in response.text
    assert "张晓燕" not in response.text


def test_subtree_filter_offers_no_node_outside_scope(d1_client, trainers, tree):
    response = d1_client.get("/admin/trainers/", {"org": tree["district2"].pk})
    # An out-of-scope choice is invalid: the filter is ignored, nothing leaks.
    assert "外区讲师赵敏" not in response.text
    assert "第2区" not in response.text.split('name="org"')[1].split("</select>")[0]


def test_another_districts_trainer_by_url_is_not_found(d1_client, trainers):
    other = trainers["other"]
    for url in (
        f"/admin/trainers/edit/{other.pk}/",
        f"/admin/trainers/delete/{other.pk}/",
        f"/admin/trainers/inspect/{other.pk}/",
        f"/admin/trainers/history/{other.pk}/",
    ):
        assert d1_client.get(url).status_code == 404, url
    response = d1_client.post(
        f"/admin/trainers/edit/{other.pk}/",
        {"name": "改名", "org": other.org_id, "source": "contest"},
    )
    assert response.status_code == 404
    assert d1_client.post(f"/admin/trainers/delete/{other.pk}/").status_code == 404
    other.refresh_from_db()
    assert other.name == "外区讲师赵敏"


def test_own_trainer_opens_for_editing(d1_client, trainers):
    mine = trainers["mine"]
    response = d1_client.get(f"/admin/trainers/edit/{mine.pk}/")
    assert response.status_code == 200
    # The clear phone number is never sent back; the masked one is shown.
    assert "13811112222" not in response.text
    assert "138****2222" in response.text


def _form(tree, **overrides):
    data = {
        "name": "新讲师",
        "gender": "M",
        "org": tree["street1"].pk,
        "title": "社区党委书记",
        "affiliation": "第11社区党委",
        "specialities": "社区营造",
        "source": "recommendation",
        "source_detail": "示范评选",
        "phone": "13700001111",
        "user": "",
        "bio": "",
        "photo": "",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_create_encrypts_the_phone_and_keeps_the_owner_in_scope(d1_client, tree):
    response = d1_client.post("/admin/trainers/new/", _form(tree))
    assert response.status_code == 302
    trainer = Trainer.objects.get(name="新讲师")
    assert trainer.org == tree["street1"]
    assert trainer.phone == "13700001111"
    assert trainer.phone_masked == "137****1111"


def test_create_with_an_owner_outside_the_subtree_is_refused(d1_client, tree):
    response = d1_client.post(
        "/admin/trainers/new/", _form(tree, org=tree["district2"].pk)
    )
    assert response.status_code == 200
    assert not Trainer.objects.filter(name="新讲师").exists()
    assert "org" in response.context["form"].errors


def test_bad_phone_number_is_refused_and_nothing_changes(d1_client, tree, trainers):
    mine = trainers["mine"]
    response = d1_client.post(
        f"/admin/trainers/edit/{mine.pk}/",
        _form(tree, name="张晓燕", org=mine.org_id, phone="call me"),
    )
    assert response.status_code == 200
    assert "phone" in response.context["form"].errors
    mine.refresh_from_db()
    assert mine.phone == "13811112222"


def test_blank_phone_keeps_the_number_and_remove_clears_it(d1_client, tree, trainers):
    mine = trainers["mine"]
    url = f"/admin/trainers/edit/{mine.pk}/"
    data = _form(tree, name="张晓燕二", org=mine.org_id, phone="")
    assert d1_client.post(url, data).status_code == 302
    mine.refresh_from_db()
    assert (mine.name, mine.phone) == ("张晓燕二", "13811112222")
    assert d1_client.post(url, {**data, "phone_clear": "on"}).status_code == 302
    mine.refresh_from_db()
    assert (mine.phone, mine.phone_masked) == ("", "")


def test_linked_account_choices_are_free_trainer_accounts(d1_client, tree, trainers):
    free = TrainerUserFactory(username="free_trainer")
    taken = TrainerUserFactory(username="taken_trainer")
    trainers["other"].user = taken
    trainers["other"].save()
    response = d1_client.get("/admin/trainers/new/")
    choices = {u.username for u in response.context["form"].fields["user"].queryset}
    assert "free_trainer" in choices
    assert "taken_trainer" not in choices
    assert "d1lib" not in choices  # an administrator is not a trainer account
    assert free.pk


def test_export_has_only_the_subtree_masks_phones_and_is_audited(
    d1_client, d1_admin, trainers
):
    response = d1_client.get("/admin/trainers/", {"export": "csv"})
    assert response.status_code == 200
    rows = _csv(response)
    names = {row[0] for row in rows[1:]}
    assert names == {"张晓燕", "刘建国"}
    flat = "\n".join(",".join(r) for r in rows)
    assert "13811112222" not in flat
    assert "138****2222" in flat
    log = AuditLog.objects.get(action=AuditAction.EXPORT)
    assert log.actor == d1_admin
    assert log.detail["rows"] == 2
    assert log.detail["model"] == "trainers.trainer"


def test_xlsx_export_follows_search_and_filters(d1_client, trainers):
    response = d1_client.get(
        "/admin/trainers/", {"export": "xlsx", "q": "小区", "source": "contest"}
    )
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["张晓燕"]


def test_community_administrator_may_look_but_not_add(client, tree, trainers):
    viewer = admin_in_group(tree["community11"], "社区管理员")
    client.force_login(viewer)
    assert client.get("/admin/trainers/new/").status_code == 302  # to admin home
    assert not Trainer.objects.filter(name="新讲师").exists()


def test_expert_listing_and_export_are_scoped_and_masked(d1_client, tree):
    ExpertFactory(org=tree["district1"], name="本区专家", phone="13955556666")
    ExpertFactory(org=tree["district2"], name="外区专家")
    assert "外区专家" not in d1_client.get("/admin/experts/").text
    rows = _csv(d1_client.get("/admin/experts/", {"export": "csv"}))
    assert [r[0] for r in rows[1:]] == ["本区专家"]
    assert "139****6666" in rows[1]
    assert "13955556666" not in ",".join(rows[1])


def test_expert_search_by_topic_in_chinese(d1_client, tree):
    ExpertFactory(org=tree["district1"], name="甲专家", topics="社工站建设、个案工作")
    ExpertFactory(org=tree["district1"], name="乙专家", topics="公益创投")
    response = d1_client.get("/admin/experts/", {"q": "社工站"})
    assert "甲专家" in response.text
    assert "乙专家" not in response.text


def test_listing_query_count_does_not_grow_with_the_number_of_trainers(d1_client, tree):
    """Figures, owner and account come with the page's rows: no query per row."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _n in range(3):
        TrainerFactory(org=tree["district1"], user=TrainerUserFactory())
    with CaptureQueriesContext(connection) as few:
        d1_client.get("/admin/trainers/")
    for _n in range(20):
        TrainerFactory(org=tree["street1"], user=TrainerUserFactory())
    with CaptureQueriesContext(connection) as many:
        response = d1_client.get("/admin/trainers/")
    assert response.context["page_obj"].paginator.count == 23
    assert len(many) == len(few)


def test_trainer_inspect_shows_classes_and_rating_comments(d1_client, tree, trainers):
    from lms.training.models import TrainerRating
    from tests.people.factories import WorkerFactory
    from tests.training.factories import TrainingClassFactory

    mine = trainers["mine"]
    klass = TrainingClassFactory(organiser=tree["district1"], title="网格员专题班")
    klass.trainers.add(mine)
    worker = WorkerFactory(community=tree["community11"])
    TrainerRating.objects.create(
        trainer=mine, training_class=klass, worker=worker, score=4, comment="很实用"
    )
    response = d1_client.get(f"/admin/trainers/inspect/{mine.pk}/")
    assert response.status_code == 200
    assert "网格员专题班" in response.text
    assert "4/5 很实用 — 网格员专题班" in response.text
    assert "13811112222" not in response.text


def test_expert_inspect_lists_the_classes_advised(d1_client, tree):
    from tests.training.factories import TrainingClassFactory

    expert = ExpertFactory(org=tree["district1"], name="顾问专家")
    klass = TrainingClassFactory(organiser=tree["district1"], title="书记示范班")
    klass.experts.add(expert)
    response = d1_client.get(f"/admin/experts/inspect/{expert.pk}/")
    assert response.status_code == 200
    assert "书记示范班" in response.text
