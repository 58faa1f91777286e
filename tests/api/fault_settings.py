"""Settings of the Celery worker subprocess started by test_faults.py: the test
settings, with tasks really queued and a short Redis visibility timeout so a task of
a killed worker is redelivered within seconds (production keeps kombu's default of one
hour, longer than any job)."""

from config.settings.test import *  # noqa: F403
from config.settings.test import env

CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("FAULT_VISIBILITY_TIMEOUT", default=8)
}
MEDIA_ROOT = env("MEDIA_ROOT")
