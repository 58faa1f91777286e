"""The load mix (see run.py): a community worker on a phone, plus systems and the
public. Usable on its own: `locust -f benchmarks/load/locustfile.py` with PLAN=<json>."""

import json
import os
import random
import threading
from itertools import count

from locust import HttpUser, between, task

_plan = None
_next_user = count()
_lock = threading.Lock()
# Users whose sign-in is done (run.py starts measuring when all have signed in).
ready = {"count": 0}
# Think time between a user's requests (run.py shortens it to find the capacity).
THINK = (
    float(os.environ.get("LOAD_THINK_MIN", "0.5")),
    float(os.environ.get("LOAD_THINK_MAX", "1.5")),
)


def plan() -> dict:
    global _plan
    if _plan is None:
        with open(os.environ["LOAD_PLAN"]) as fh:
            _plan = json.load(fh)
    return _plan


class PortalWorker(HttpUser):
    """A signed-in worker: portal pages, lesson heartbeats every few seconds, a QR
    check-in; the public verifying certificates; a system reading the API."""

    wait_time = between(*THINK)

    def on_start(self):
        p = plan()
        with _lock:
            index = next(_next_user) % len(p["usernames"])
        username = p["usernames"][index]
        self.play = p["plays"][index] if p["plays"] else None
        self.seq = 0
        self.client.get("/accounts/login/", name="[setup] sign-in page")
        self.client.post(
            "/accounts/login/",
            {
                "username": username,
                "password": p["password"],
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            },
            name="[setup] sign in",
        )
        self.csrf = self.client.cookies.get("csrftoken", "")
        self.position = 0
        ready["count"] += 1

    def _json(self, url, body, name):
        return self.client.post(
            url,
            json=body,
            headers={"X-CSRFToken": self.csrf, "Referer": self.host + "/"},
            name=name,
        )

    @task(3)
    def portal_home(self):
        self.client.get("/portal/", name="portal: my file")

    @task(2)
    def my_classes(self):
        self.client.get("/training/", name="portal: my classes")

    @task(2)
    def my_compliance(self):
        self.client.get("/compliance/", name="portal: my training days")

    @task(1)
    def catalogue(self):
        self.client.get("/learn/", name="portal: course catalogue")

    @task(6)
    def heartbeat(self):
        lesson = plan()["lesson_id"]
        if lesson is None or self.play is None:
            return
        start = self.position
        self.position += 5
        self.seq += 1
        self._json(
            f"/api/v1/learning/lessons/{lesson}/heartbeat",
            {
                **self.play,
                "seq": self.seq,
                "position": self.position,
                "played": [[start, self.position]],
            },
            "api: lesson heartbeat",
        )

    @task(2)
    def check_in(self):
        self._json(
            "/api/v1/training/check-in",
            {"code": plan()["checkin_code"]},
            "api: QR check-in",
        )

    @task(2)
    def verify(self):
        serials = plan()["serials"] or ["HR-2026-00000-00000-00"]
        serial = random.choice(serials)
        with self.client.get(
            f"/verify/{serial}/", name="public: verify certificate", catch_response=True
        ) as response:
            if response.status_code in (200, 404):
                response.success()

    @task(1)
    def api_read(self):
        self.client.get(
            "/api/v1/people/workers?limit=20",
            headers={"Authorization": f"Bearer {plan()['token']}"},
            name="api: workers page (token)",
        )


class Baseline(HttpUser):
    """The trivial view: a JSON 404 under /api/v1/ (full middleware stack, no
    database), measured the same way in the same run."""

    wait_time = between(*THINK)

    def on_start(self):
        ready["count"] += 1

    @task
    def trivial(self):
        with self.client.get(
            "/api/v1/baseline", name="baseline: trivial view", catch_response=True
        ) as response:
            if response.status_code == 404:
                response.success()
