"""gunicorn settings for one web machine (`gunicorn -c deploy/gunicorn.conf.py`).

Every value can be overridden from the environment (GUNICORN_*), so the same file
serves a 2-core and a 16-core machine.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


wsgi_app = "config.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: the views are short database reads and writes; long work is in Celery.
# 2 × cores + 1 is gunicorn's own rule of thumb; threads add overlap for I/O waits.
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
threads = _int("GUNICORN_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then so a slow leak never grows, spread widely: workers
# serve equal shares, so with a narrow jitter they all restarted within a second
# (every ~50 s at 200 heartbeats/s) and requests stalled 1–2 s while the arbiter
# booted them again (benchmarks/heartbeats.py: p95 1.85 s with 2000 ± 200,
# 32 ms without recycling).
max_requests = _int("GUNICORN_MAX_REQUESTS", 20000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 10000)
# Uploads (lecture videos) are streamed to disk by Django; keep request lines sane.
limit_request_line = 8190
limit_request_fields = 100
# The load balancer / nginx in front sets X-Forwarded-For and X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
proxy_allow_ips = forwarded_allow_ips
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Never log query strings with personal data: path and status only.
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(L)ss'
# Load the app once in the master: faster restarts, shared memory pages.
preload_app = True
