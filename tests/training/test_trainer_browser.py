"""A district administrator works in the trainer library in Debian's chromium."""

import pytest

from tests.conftest import sign_in
from tests.trainers.factories import TrainerFactory, admin_in_group
from trainers.models import Trainer, TrainerSource

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def library(tree):
    admin_in_group(tree["district1"], "区级管理员", username="d1browser")
    TrainerFactory(
        org=tree["district1"],
        name="张晓燕",
        specialities="小区治理、楼栋红管家",
        source=TrainerSource.CONTEST,
        phone="13811112222",
    )
    TrainerFactory(
        org=tree["street1"],
        name="刘建国",
        specialities="社区营造、小区治理",
        source=TrainerSource.LECTURE_SERIES,
    )
    TrainerFactory(org=tree["street1"], name="孙丽", specialities="社工站建设")
    TrainerFactory(org=tree["district2"], name="外区赵敏", specialities="小区治理")
    return tree


def _rows(page) -> str:
    return page.locator("table.listing tbody").inner_text()


def test_district_admin_filters_and_searches_the_trainer_library_in_chinese(
    page, live_server, library
):
    sign_in(page, live_server, "d1browser")
    page.wait_for_url("**/admin/")
    # The menu leads to the library (Chinese UI by default).
    page.goto(f"{live_server.url}/admin/trainers/")
    assert page.title().startswith("讲师")
    rows = _rows(page)
    assert "张晓燕" in rows and "刘建国" in rows and "孙丽" in rows
    assert "外区赵敏" not in rows
    assert "138****2222" in rows and "13811112222" not in page.content()

    # Search in Chinese: the listing updates in place.
    page.fill("form[data-search-form] input[name=q]", "小区治理")  # not the menu's
    page.wait_for_function(
        "() => !document.querySelector('table.listing tbody').innerText"
        ".includes('孙丽')"
    )
    rows = _rows(page)
    assert "张晓燕" in rows and "刘建国" in rows
    assert "外区赵敏" not in rows

    # Filter by how the trainer was found, on top of the search.
    page.click("#filters-drilldown button.w-slim-header-action-button")
    page.click("#filters-drilldown button.w-drilldown__toggle:has-text('发掘途径')")
    page.select_option("select[name=source]", "lecture_series")
    page.wait_for_function(
        "() => !document.querySelector('table.listing tbody').innerText"
        ".includes('张晓燕')"
    )
    rows = _rows(page)
    assert "刘建国" in rows
    assert "外区赵敏" not in rows
    assert "source=lecture_series" in page.url and "q=" in page.url

    # Another district's trainer by URL does not exist for this administrator.
    other = Trainer.objects.get(name="外区赵敏")
    response = page.goto(f"{live_server.url}/admin/trainers/edit/{other.pk}/")
    assert response.status == 404
