"""The server side of the load benchmarks (run.py, ../heartbeats.py): a PostgreSQL
database with a demo city and a prepared plan (prepare.py), and gunicorn on it with
Redis as cache, configured only through the environment as in production."""

import os
import signal
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PY = str(ROOT / ".venv/bin/python")
DB = os.environ.get("LOAD_DB", "lms_api_load")
HOST = os.environ.get("LOAD_HOST", "127.0.0.1:8016")


def server_env(plan_path: str) -> dict:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_DEBUG": "false",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}",
        "DB_CONN_MAX_AGE": "60",
        "REDIS_URL": "redis://127.0.0.1:6379/6",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/6",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "TRAINING_QR_MAX_AGE": "86400",
        "LOG_LEVEL": "ERROR",
        "LOAD_PLAN": plan_path,
        "GUNICORN_BIND": HOST,
        "GUNICORN_WORKERS": os.environ.get("GUNICORN_WORKERS", "3"),
        "GUNICORN_ACCESS_LOG": os.environ.get("GUNICORN_ACCESS_LOG", "/dev/null"),
        "MEDIA_ROOT": str(ROOT / "var/load-media"),
    }
    for name in (
        "SIGN_IN",
        "API",
        "API_CLIENT",
        "VERIFY",
        "CHECK_IN",
        "HEARTBEAT",
        "TWO_FACTOR",
    ):
        env[f"RATE_LIMIT_{name}"] = "0"
    return env


def run(cmd, env, **kwargs):
    print("$", " ".join(cmd), flush=True)
    subprocess.run(cmd, env=env, cwd=ROOT, check=True, **kwargs)  # noqa: S603 - fixed argv


def build_database(env, workers: int, plan_path: str, users: int) -> None:
    subprocess.run(  # noqa: S603 - fixed argv, the benchmark's own database
        ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB],  # noqa: S607
    )
    run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB], env)
    run([PY, "manage.py", "migrate", "-v0"], env)
    run([PY, "manage.py", "collectstatic", "--noinput", "-v0"], env)
    run([PY, "manage.py", "seed_demo", "--workers", str(workers)], env)
    run([PY, "benchmarks/load/prepare.py", plan_path, str(users)], env)
    # Planner statistics, as autovacuum keeps them on a database in use (a freshly
    # loaded one has none), and the load's dirty pages written out now rather than
    # by a checkpoint in the middle of the measurement.
    run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", DB]
        + ["-c", "VACUUM ANALYZE", "-c", "CHECKPOINT"],
        env,
    )


def wait_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - our own http URL
            return
        except Exception:  # noqa: BLE001 - not up yet
            time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer at {url}")


@contextmanager
def gunicorn(env: dict):
    """gunicorn (deploy/gunicorn.conf.py) with `env`, up and answering, then stopped;
    its output goes to var/gunicorn-bench.log."""
    log = ROOT / "var" / "gunicorn-bench.log"
    log.parent.mkdir(exist_ok=True)
    process = subprocess.Popen(  # noqa: S603 - fixed argv
        [str(ROOT / ".venv/bin/gunicorn"), "-c", "deploy/gunicorn.conf.py"],
        env=env,
        cwd=ROOT,
        start_new_session=True,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    try:
        wait_up(f"http://{HOST}/healthz")
        yield process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(30)
