"""Prepare the load-test database (run by run.py and heartbeats.py in their own process,
Django set up): sign-ins for N workers with a known password and a signed-in session
each (so a benchmark need not pay N password hashes), a class with a session today that
they are enrolled in, a play session of a video lesson each has opened (with its device),
certificate serials to verify, and a city API token. Writes the plan as JSON to the path given."""

import datetime as dt
import json
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
django.setup()

from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.utils import timezone  # noqa: E402

from api.services import api_token_create  # noqa: E402
from certificates.models import Certificate  # noqa: E402
from courses.models import LessonKind, LessonPage  # noqa: E402
from courses.services import play_session_open, play_token_issue  # noqa: E402
from lms.accounts.models import User  # noqa: E402
from lms.org.models import OrgNode  # noqa: E402
from lms.people.models import Worker  # noqa: E402
from lms.training import qr  # noqa: E402
from lms.training.models import (  # noqa: E402
    ClassSession,
    EnrolmentSource,
    TrainingClass,
    TrainingLevel,
    TrainingType,
)
from lms.training.services import enrolment_create  # noqa: E402

PASSWORD = "load-test-pass-2026"


def main(out: str, users: int) -> None:
    city = OrgNode.get_first_root_node()
    workers = list(
        Worker.objects.filter(user__isnull=False, leave_date__isnull=True)
        .select_related("user")
        .order_by("id")[:users]
    )
    User.objects.filter(pk__in=[w.user_id for w in workers]).update(
        password=make_password(PASSWORD)
    )
    now = timezone.now()
    klass = TrainingClass.objects.create(
        title="压力测试专题培训班",
        level=TrainingLevel.CITY,
        type=TrainingType.ON_THE_JOB,
        organiser=city,
        target_org=city,
        capacity=len(workers) + 10,
        enrol_opens=now - dt.timedelta(days=1),
        enrol_closes=now + dt.timedelta(days=1),
    )
    session = ClassSession.objects.create(
        training_class=klass,
        date=timezone.localdate(),
        start_time=dt.time(0, 5),
        end_time=dt.time(23, 55),
        length="full",
        topic="社区治理",
    )
    for w in workers:
        enrolment_create(training_class=klass, worker=w, source=EnrolmentSource.ADMIN)
    lesson = LessonPage.objects.filter(kind=LessonKind.VIDEO, live=True).first()
    plays = []
    if lesson is not None:
        for w in workers:
            device = f"load-device-{w.pk:08d}"
            token = play_token_issue(worker=w, lesson=lesson, device=device)
            opened = play_session_open(
                user_id=w.user_id, lesson_id=lesson.pk, token=token, device=device
            )
            plays.append({"session": str(opened.pk), "device": device})
    sessions = []
    for w in workers:
        w.user.refresh_from_db(fields=["password"])
        store = SessionStore()
        store[SESSION_KEY] = str(w.user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = w.user.get_session_auth_hash()
        store.create()
        sessions.append(store.session_key)
    serials = list(Certificate.objects.values_list("serial", flat=True)[:200])
    admin = User.objects.filter(is_superuser=True).first()
    _token, raw = api_token_create(name="load test", owner=admin, created_by=admin)
    plan = {
        "password": PASSWORD,
        "usernames": [w.user.username for w in workers],
        "sessions": sessions,
        "checkin_code": qr.checkin_code(session.pk),
        "lesson_id": lesson.pk if lesson is not None else None,
        "lesson_seconds": lesson.duration_seconds if lesson is not None else None,
        "plays": plays,
        "serials": serials,
        "token": raw,
    }
    Path(out).write_text(json.dumps(plan))
    print(
        f"prepared {len(workers)} sign-ins, lesson {plan['lesson_id']}, "
        f"{len(serials)} serials"
    )


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
