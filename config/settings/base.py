"""Settings shared by every environment; everything variable comes from the environment.

With no environment at all the platform runs embedded: SQLite, local media files and a
Celery broker kept in a SQLite file (kombu's SQLAlchemy transport), so a newcomer sees it
work at once. See `.env.example` for every variable.
"""

from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env(
    "DJANGO_SECRET_KEY", default="insecure-local-development-key-change-me"
)
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "lms.org",
    "lms.accounts",
    "lms.people",
    "lms.jobs",
    "lms.training",
    "lms.compliance",
    "courses",
    "trainers",
    "bases",
    "mentoring",
    "certificates",
    "api",
    "demo",
    "portal",
    "ninja",  # serves the API docs' Swagger UI from our static files, not a CDN
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "lms.accounts.apps.WagtailUsersConfig",  # wagtail.users with our editors
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "axes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lms.accounts.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "lms.accounts.middleware.CurrentRequestMiddleware",
    "lms.accounts.ratelimit.RateLimitMiddleware",
    "api.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "lms.accounts.middleware.SecurityHeadersMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    "axes.middleware.AxesMiddleware",
    "courses.middleware.CourseScopeMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DB_CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and the worker share the file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache (lockout, rate limits, progress, sessions) ---------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
    # Sessions read from Redis (kept in the database too): one query less for every
    # signed-in request, the player's heartbeats above all.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    # Shared by the web server and the worker without any server.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "cache_table",
        }
    }

# --- Auth -----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Lock an account (per user name and address) after repeated failures.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/lockout.html"
# The same client address as the rate limits (X-Forwarded-For only from trusted proxies).
AXES_CLIENT_IP_CALLABLE = "lms.accounts.ratelimit.axes_client_ip"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=8 * 3600)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- I18n -----------------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# Ours, then Chinese for Wagtail strings its own zh_Hans catalogue lacks.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "wagtail"]
TIME_ZONE = env("TIME_ZONE", default="Asia/Shanghai")
USE_I18N = True
USE_TZ = True
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_I18N_ENABLED = False

# --- Static and media -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("MEDIA_ROOT", default=str(VAR_DIR / "media"))
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    # S3-compatible storage (MinIO, OSS, COS, S3); files stay private, URLs are signed.
    AWS_S3_ENDPOINT_URL = env("AWS_S3_ENDPOINT_URL", default=None)
    AWS_S3_REGION_NAME = env("AWS_S3_REGION_NAME", default=None)
    AWS_ACCESS_KEY_ID = env("AWS_ACCESS_KEY_ID", default=None)
    AWS_SECRET_ACCESS_KEY = env("AWS_SECRET_ACCESS_KEY", default=None)
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = True
    AWS_QUERYSTRING_EXPIRE = 600
    DEFAULT_FILE_STORAGE_BACKEND = "storages.backends.s3.S3Storage"
else:
    DEFAULT_FILE_STORAGE_BACKEND = "django.core.files.storage.FileSystemStorage"
# Private files (imports, job results, certificates, evidence, agreements, lessons):
# never under MEDIA_URL; served only by permission-checked views through
# lms.accounts.files.serve_file. Locally a folder outside MEDIA_ROOT; with a bucket a
# private prefix whose objects are reached only through short-lived signed URLs.
PRIVATE_ROOT = env.path("PRIVATE_ROOT", default=str(VAR_DIR / "private"))
if AWS_STORAGE_BUCKET_NAME:
    PRIVATE_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "location": "private",
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    PRIVATE_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {
            "location": str(PRIVATE_ROOT),
            "base_url": "/private-files-have-no-url/",
        },
    }
STORAGES = {
    "default": {"BACKEND": DEFAULT_FILE_STORAGE_BACKEND},
    "private": PRIVATE_STORAGE,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}
# How a permitted private file reaches the browser with local storage: "django"
# (streamed by the web process) or "accel" (nginx X-Accel-Redirect to the internal
# location PRIVATE_FILES_ACCEL_PREFIX, aliased to PRIVATE_ROOT; see deploy/nginx.conf).
PRIVATE_FILES_SERVE = env("PRIVATE_FILES_SERVE", default="django")
PRIVATE_FILES_ACCEL_PREFIX = env(
    "PRIVATE_FILES_ACCEL_PREFIX", default="/protected-media/"
)
# Lifetime (s) of a signed S3 URL for a private file.
PRIVATE_FILES_URL_SECONDS = env.int("PRIVATE_FILES_URL_SECONDS", default=300)
# Only these folders of MEDIA_ROOT are public (Wagtail images and renditions).
PUBLIC_MEDIA_PREFIXES = ("original_images/", "images/")
# Largest upload of any kind, in bytes (lecture videos may be several GB).
UPLOAD_MAX_BYTES = env.int("UPLOAD_MAX_BYTES", default=4 * 1024**3)
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024**2
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024**2
# Spreadsheet imports: at most this many rows in a sheet, and at most this many bytes
# once uncompressed (an XLSX's zip members as declared; a CSV or XLS as is). Beyond
# either the import is refused with a message, before the file is read.
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=200_000)
IMPORT_MAX_UNCOMPRESSED_BYTES = env.int(
    "IMPORT_MAX_UNCOMPRESSED_BYTES", default=200 * 1024**2
)
# An old XLS is read whole, cell by cell: its file size bounds the memory. 32 MB holds
# a sheet of the format's full 65,536 rows with about 25 columns (a 12-column roster of
# 65,536 people is 15 MB).
IMPORT_MAX_XLS_BYTES = env.int("IMPORT_MAX_XLS_BYTES", default=32 * 1024**2)

# --- Personal data --------------------------------------------------------------------
# Fernet keys (comma-separated, newest first) encrypt ID and phone numbers at rest; the
# HMAC key makes the keyed hash used for exact look-up. Rotate with `manage.py rotate_keys`.
FIELD_ENCRYPTION_KEYS = env.list(
    "FIELD_ENCRYPTION_KEYS",
    default=["Tk9ULUEtU0VDUkVULWxvY2FsLWRldmVsb3BtZW50LWtleQ=="],
)
FIELD_HASH_KEY = env(
    "FIELD_HASH_KEY", default="not-a-secret-local-development-hash-key"
)

# --- Celery ---------------------------------------------------------------------------
CELERY_BROKER_URL = env(
    "CELERY_BROKER_URL",
    default=REDIS_URL or f"sqla+sqlite:///{VAR_DIR / 'celery-broker.sqlite3'}",
)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {}

# --- Background jobs ---------------------------------------------------------------
# Import inputs hold clear ID numbers: deleted when their job succeeds, and this many
# days after it failed (kept that long to inspect the cause). Checked hourly.
JOB_INPUT_RETENTION_DAYS = env.int("JOB_INPUT_RETENTION_DAYS", default=7)
CELERY_BEAT_SCHEDULE["jobs-inputs-expired-delete"] = {
    "task": "lms.jobs.tasks.job_inputs_expired_delete_task",
    "schedule": crontab(minute=15),
}
# A running job whose progress has not moved for this many minutes is failed ("the job
# was interrupted"): its worker died and a redelivered task would not end it. Checked
# every 10 minutes.
JOB_STALLED_MINUTES = env.int("JOB_STALLED_MINUTES", default=60)
CELERY_BEAT_SCHEDULE["jobs-stalled-fail"] = {
    "task": "lms.jobs.tasks.job_stalled_fail_task",
    "schedule": crontab(minute="*/10"),
}

# --- Training: classes and QR attendance ------------------------------------------------
# Credit of a session in days, by its length (DOMAIN.md: full day 1, half day 0.5).
TRAINING_FULL_DAY_DAYS = env.float("TRAINING_FULL_DAY_DAYS", default=1.0)
TRAINING_HALF_DAY_DAYS = env.float("TRAINING_HALF_DAY_DAYS", default=0.5)
# Study hours per training day when the year's compliance policy does not say.
TRAINING_HOURS_PER_DAY = env.float("TRAINING_HOURS_PER_DAY", default=6.0)
# Share of a session's time a worker must attend to earn its credit.
TRAINING_SESSION_MIN_SHARE = env.float("TRAINING_SESSION_MIN_SHARE", default=0.75)
# QR codes on the trainer's screen refresh every N seconds; a code is accepted for
# at most TRAINING_QR_MAX_AGE seconds (one refresh plus scanning time).
TRAINING_QR_REFRESH_SECONDS = env.int("TRAINING_QR_REFRESH_SECONDS", default=30)
TRAINING_QR_MAX_AGE = env.int("TRAINING_QR_MAX_AGE", default=45)
# A worker who scans a valid code while signed out is sent to sign in; the scan is
# remembered (class session and time, once) and counts if the sign-in finishes within
# this many minutes of it.
TRAINING_QR_SIGN_IN_GRACE_MINUTES = env.int(
    "TRAINING_QR_SIGN_IN_GRACE_MINUTES", default=5
)
# Check-in opens this many minutes before a session starts and closes at its end;
# check-out is accepted until this many minutes after it ends.
TRAINING_CHECKIN_EARLY_MINUTES = env.int("TRAINING_CHECKIN_EARLY_MINUTES", default=30)
TRAINING_CHECKOUT_LATE_MINUTES = env.int("TRAINING_CHECKOUT_LATE_MINUTES", default=60)
# External training certificates: largest accepted file in bytes.
TRAINING_CERTIFICATE_MAX_BYTES = env.int(
    "TRAINING_CERTIFICATE_MAX_BYTES", default=10 * 1024**2
)

# --- Email ----------------------------------------------------------------------------
EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="training@example.org")

# --- Wagtail --------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "社区工作者培训平台"
# No Gravatar: the admin would send a hash of every listed e-mail address to a
# third party (PIPL), and it cannot be reached from many Chinese networks.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILADMIN_BASE_URL = SITE_URL
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_SERVE_METHOD = "serve_view"

# --- Logging --------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_ids": {"()": "lms.accounts.logging.MaskIdNumbersFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["mask_ids"]},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
    },
}

# --- Security headers ------------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# With S3 storage, lesson videos and images come from signed URLs on the storage host.
if AWS_STORAGE_BUCKET_NAME:
    STORAGE_ORIGIN = AWS_S3_ENDPOINT_URL or (
        f"https://{AWS_STORAGE_BUCKET_NAME}.s3.amazonaws.com"
    )
else:
    STORAGE_ORIGIN = ""
CONTENT_SECURITY_POLICY = env(
    "CONTENT_SECURITY_POLICY",
    default=(
        f"default-src 'self'; img-src 'self' data: blob: {STORAGE_ORIGIN}; "
        f"media-src 'self' blob: {STORAGE_ORIGIN}; "
        "style-src 'self' 'unsafe-inline'; script-src 'self'; object-src 'none'; "
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    ),
)
# The Wagtail admin and the API docs use inline scripts of their own.
CSP_EXEMPT_PREFIXES = ("/api/v1/docs",)
# The Wagtail admin runs its own inline scripts and styles; its policy still keeps
# every script, frame, form and connection on this site.
ADMIN_CONTENT_SECURITY_POLICY = env(
    "ADMIN_CONTENT_SECURITY_POLICY",
    default=(
        "default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; "
        "style-src 'self' 'unsafe-inline'; "
        f"img-src 'self' data: blob: {STORAGE_ORIGIN}; "
        f"media-src 'self' blob: {STORAGE_ORIGIN}; object-src 'none'; "
        "frame-src 'self'; frame-ancestors 'self'; base-uri 'self'; "
        "form-action 'self'"
    ),
)
STATICFILES_DIRS = [BASE_DIR / "static"]
AXES_VERBOSE = False

# --- Certificates -------------------------------------------------------------------------
# Public verification (rate: RATE_LIMITS["verify"]): larger PDF uploads are refused.
CERTIFICATE_UPLOAD_MAX_BYTES = env.int(
    "CERTIFICATE_UPLOAD_MAX_BYTES", default=10 * 1024**2
)
# Years of continuous service for the honour certificate and the medal record.
CERTIFICATE_HONOUR_YEARS = env.int("CERTIFICATE_HONOUR_YEARS", default=20)
CERTIFICATE_MEDAL_YEARS = env.int("CERTIFICATE_MEDAL_YEARS", default=30)
# Certificates laid out per WeasyPrint document in a batch (the font is subset once).
CERTIFICATE_BATCH_CHUNK = env.int("CERTIFICATE_BATCH_CHUNK", default=40)
# Every minute: tests past their deadline are graded by the server.
CELERY_BEAT_SCHEDULE["courses-test-attempts-expire"] = {
    "task": "courses.tasks.test_attempts_expire_task",
    "schedule": 60.0,
}
# Yearly (2 January, 03:00): honours and medals for service milestones reached.
CELERY_BEAT_SCHEDULE["certificates-service-honours"] = {
    "task": "certificates.tasks.service_honours_issue_task",
    "schedule": crontab(minute=0, hour=3, day_of_month=2, month_of_year=1),
}
# A PDF written by a worker killed before its certificate committed is deleted once
# its pending record is this old (a chunk commits within seconds); checked hourly.
CERTIFICATE_ORPHAN_MINUTES = env.int("CERTIFICATE_ORPHAN_MINUTES", default=60)
CELERY_BEAT_SCHEDULE["certificates-orphaned-files-delete"] = {
    "task": "certificates.tasks.certificate_files_orphaned_delete_task",
    "schedule": crontab(minute=30),
}

# --- API and rate limits ---------------------------------------------------------------
API_PAGE_SIZE = env.int("API_PAGE_SIZE", default=50)
API_MAX_PAGE_SIZE = env.int("API_MAX_PAGE_SIZE", default=500)
# "<count>/<period>" (s, m, h, d; "30/5m" = 30 per 5 minutes); empty or 0 turns one off.
# Counted per API token, else per signed-in user, else per client address; sign-in
# per client address and per account named (lms.accounts.ratelimit).
RATE_LIMITS = {
    "sign_in": env("RATE_LIMIT_SIGN_IN", default="20/m"),
    # Sign-in attempts naming one account, from any address.
    "sign_in_account": env("RATE_LIMIT_SIGN_IN_ACCOUNT", default="30/h"),
    "two_factor": env("RATE_LIMIT_TWO_FACTOR", default="10/5m"),
    "api": env("RATE_LIMIT_API", default="600/m"),
    # All API requests from one address, whatever token they carry (made-up tokens
    # must not open fresh buckets).
    "api_client": env("RATE_LIMIT_API_CLIENT", default="1200/m"),
    "verify": env("RATE_LIMIT_VERIFY", default="30/m"),
    "check_in": env("RATE_LIMIT_CHECK_IN", default="30/m"),
    "heartbeat": env("RATE_LIMIT_HEARTBEAT", default="120/m"),
}
# Paths limited by lms.accounts.ratelimit.RateLimitMiddleware: (prefix, limit, methods).
RATE_LIMIT_PATHS = [
    ("/accounts/login/", "sign_in", ["POST"]),
    ("/admin/login/", "sign_in", ["POST"]),
    # Wagtail's front-end sign-in and page passwords (private pages).
    ("/_util/", "sign_in", ["POST"]),
    ("/api/v1/", "api", None),
    ("/training/c/", "check_in", ["POST"]),
    (r"^/learn/lessons/\d+/heartbeat/$", "heartbeat", ["POST"]),
]
# Proxies in front of the web processes that append to X-Forwarded-For (nginx: 1).
RATE_LIMIT_PROXY_COUNT = env.int("RATE_LIMIT_PROXY_COUNT", default=0)

# --- Course library: uploads and online learning (courses/) ----------------------------
# Chunked uploads are staged here (a shared volume when several web processes serve).
UPLOAD_TEMP_DIR = env.path("UPLOAD_TEMP_DIR", default=str(VAR_DIR / "uploads"))
UPLOAD_CHUNK_BYTES = env.int("UPLOAD_CHUNK_BYTES", default=8 * 1024**2)
UPLOAD_CHUNK_MAX_BYTES = env.int("UPLOAD_CHUNK_MAX_BYTES", default=64 * 1024**2)
# Incomplete uploads untouched this long are deleted with their staged bytes.
UPLOAD_EXPIRY_HOURS = env.int("UPLOAD_EXPIRY_HOURS", default=24)
# Lesson player: heartbeat period (s); lifetime (s) of the signed play token a lesson
# page hands to its player (it opens one play session, once).
LESSON_HEARTBEAT_SECONDS = env.int("LESSON_HEARTBEAT_SECONDS", default=10)
LESSON_PLAY_TOKEN_SECONDS = env.int("LESSON_PLAY_TOKEN_SECONDS", default=6 * 3600)
# Study audit (courses/audit): what the city-wide list of suspicious patterns flags:
# more distinct lessons played within one clock hour, more hours credited between
# midnight and 06:00 local time in one night, more workers on one device.
STUDY_AUDIT_LESSONS_PER_HOUR = env.int("STUDY_AUDIT_LESSONS_PER_HOUR", default=3)
STUDY_AUDIT_NIGHT_HOURS = env.float("STUDY_AUDIT_NIGHT_HOURS", default=2.0)
STUDY_AUDIT_WORKERS_PER_DEVICE = env.int("STUDY_AUDIT_WORKERS_PER_DEVICE", default=1)
# Lifetime (s) of a signed S3 URL handed to a signed-in learner after the check.
LESSON_MEDIA_URL_SECONDS = env.int("LESSON_MEDIA_URL_SECONDS", default=300)
CELERY_BEAT_SCHEDULE["courses-uploads-expired-delete"] = {
    "task": "courses.tasks.uploads_expired_delete_task",
    "schedule": 3600.0,
}
# A play session no heartbeat reached for this long is ended (its missed prompt
# recorded) every 5 minutes.
LESSON_PLAY_STALE_MINUTES = env.int("LESSON_PLAY_STALE_MINUTES", default=30)
CELERY_BEAT_SCHEDULE["courses-play-sessions-stale-close"] = {
    "task": "courses.tasks.play_sessions_stale_close_task",
    "schedule": 300.0,
}

# --- Annual minimum (compliance) -------------------------------------------------------
# The rules themselves are per-year rows edited in the admin (YearPolicy).
# Reminders to at-risk workers go out at most once per "month" or "quarter".
COMPLIANCE_REMINDER_PERIOD = env("COMPLIANCE_REMINDER_PERIOD", default="month")
# Every Monday 08:00: at most one reminder per worker and period (see above).
CELERY_BEAT_SCHEDULE["compliance-reminders"] = {
    "task": "lms.compliance.tasks.compliance_reminders_send_task",
    "schedule": crontab(minute=0, hour=8, day_of_week=1),
}

# --- Administrator's home ---------------------------------------------------------------
# The "workers at risk" count on the admin dashboard: a beat task evaluates the whole
# tree this often and stores every node's count (shown with the time it was taken), so
# no page load evaluates it; a count is stale by at most this many seconds.
ADMIN_HOME_AT_RISK_REFRESH_SECONDS = env.int(
    "ADMIN_HOME_AT_RISK_REFRESH_SECONDS", default=600
)
CELERY_BEAT_SCHEDULE["portal-at-risk-counts"] = {
    "task": "portal.tasks.at_risk_counts_refresh_task",
    "schedule": float(ADMIN_HOME_AT_RISK_REFRESH_SECONDS),
}

# --- Mentoring and ask an expert (请教一下) ----------------------------------------------
# A question is routed to at most this many mentors/experts whose specialities fit;
# unanswered after MENTORING_REMIND_DAYS days they are reminded, after twice as long
# the administrators of the asker's street. Photos per question.
MENTORING_ROUTE_MAX = env.int("MENTORING_ROUTE_MAX", default=3)
MENTORING_REMIND_DAYS = env.int("MENTORING_REMIND_DAYS", default=3)
MENTORING_MAX_PHOTOS = env.int("MENTORING_MAX_PHOTOS", default=6)
# Every day 09:00: reminders about unanswered questions (once per question and level).
CELERY_BEAT_SCHEDULE["mentoring-question-reminders"] = {
    "task": "mentoring.tasks.question_reminders_send_task",
    "schedule": crontab(minute=0, hour=9),
}
# On the 3rd of each month 09:00: pairs (传帮带) without a record for the last month.
CELERY_BEAT_SCHEDULE["mentoring-pair-reminders"] = {
    "task": "mentoring.tasks.pair_reminders_send_task",
    "schedule": crontab(minute=0, hour=9, day_of_month=3),
}
