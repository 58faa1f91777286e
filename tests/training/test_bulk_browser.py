"""A district administrator previews a bulk enrolment, confirms it and undoes it,
in Debian's chromium."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from lms.people.models import Post
from lms.training.models import Enrolment
from tests.accounts.test_user_admin_browser import choice, open_org_chooser
from tests.conftest import sign_in
from tests.people.factories import AdminFactory, WorkerFactory

from .factories import ClassSessionFactory, TrainingClassFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_preview_confirm_then_undo_a_bulk_enrolment(
    page, live_server, tree, wagtail_site
):
    admin = AdminFactory(username="d1admin", org=tree["district1"])
    admin.groups.add(Group.objects.get(name="区级管理员"))
    klass = TrainingClassFactory(
        organiser=tree["district1"], title="网格员专题培训班", capacity=5
    )
    ClassSessionFactory(
        training_class=klass, date=timezone.localdate() + dt.timedelta(days=7)
    )
    WorkerFactory(community=tree["community11"], post=Post.STAFF, name="王丽娟")
    WorkerFactory(community=tree["community12"], post=Post.STAFF, name="张晓明")

    sign_in(page, live_server, "d1admin")
    page.wait_for_url("**/admin/")
    page.goto(f"{live_server.url}/admin/training/bulk-enrol/?class={klass.pk}")
    page.locator("#id_training_class-chooser", has_text=klass.title).wait_for()
    modal = open_org_chooser(page)
    choice(modal, tree["street1"].name).click()
    page.locator("#id_org-chooser", has_text=tree["street1"].name).wait_for()
    page.click("main form button[type=submit]")
    page.locator("#bulk-preview").wait_for()
    assert "王丽娟" in page.inner_text("#bulk-rows")
    assert not Enrolment.objects.exists()  # a preview writes nothing

    page.click("#bulk-confirm button[type=submit]")
    page.wait_for_url("**/jobs/*/")
    page.locator("#job-status", has_text="完成").wait_for()
    assert Enrolment.objects.filter(training_class=klass).count() == 2

    page.goto(f"{live_server.url}/admin/training/bulk-enrol/")
    page.click("#bulk-batches button[type=submit]")
    page.locator("#bulk-batches", has_text="已撤销").wait_for()
    assert not Enrolment.objects.exists()
