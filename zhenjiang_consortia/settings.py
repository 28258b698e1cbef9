"""Settings, all from the environment (see README "生产部署").

Over 400 lines on purpose: every setting, each read from the environment and commented where it is set, in
the one file Django reads.
"""

import ipaddress
import os
import re
from datetime import date, timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

# --- Secret key: refuse to start in production without one (issue 9) ---
# The development key below is published in the repository, so anything signed with it (sessions,
# password-reset links, CSRF tokens) could be forged. It is used only with DEBUG=1 (`make run`);
# the tests set their own key in tests/testenv.py.
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-change-me-in-production-0123456789abcdef"
SECRET_KEY = os.environ.get("SECRET_KEY", "").strip()
if not DEBUG and SECRET_KEY in ("", DEVELOPMENT_SECRET_KEY):
    raise ImproperlyConfigured(
        "生产环境（DEBUG=0）必须在环境变量 SECRET_KEY 中设置一个保密的随机密钥，不能留空或使用仓库中公开的开发密钥。"
        " / SECRET_KEY must be set to a private random value when DEBUG is off; the development key is public."
    )
SECRET_KEY = SECRET_KEY or DEVELOPMENT_SECRET_KEY
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "csp",
    "accounts",
    "applications",
    "candidates",
    "reviews",
    "evaluations",
    "dashboards",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "zhenjiang_consortia.middleware.PermissionsPolicyMiddleware",
    "zhenjiang_consortia.middleware.DropNulFromAdminQueryMiddleware",
    # Outside the session, CSRF and messages: a response a shared cache may keep carries no cookie.
    "zhenjiang_consortia.middleware.NoCookieOnSharedCacheMiddleware",
    "accounts.sessions.IdleTimeoutSessionMiddleware",  # Django's, without a write on every request
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "accounts.middleware.AuthenticationMiddleware",  # Django's, the user read at once (no lazy object)
    "accounts.middleware.AuditMiddleware",  # after authentication: it records refusals to signed-in users
    "accounts.must_change.PasswordChangeRequiredMiddleware",  # a password the system admin set is changed first
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "zhenjiang_consortia.urls"
WSGI_APPLICATION = "zhenjiang_consortia.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # {% load crispy_fields %}: crispy's tags and filters, with its plain fields drawn in Python (crispy_fields.py).
            "libraries": {"crispy_fields": "zhenjiang_consortia.crispy_fields"},
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.unread_messages",
            ],
        },
    },
]

# SQLite in the project directory unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}", conn_max_age=60
    )
}
# A connection kept between requests is checked before it is reused: after PostgreSQL restarts, the first
# request of each server process reconnects instead of failing on the connection the restart cut.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# One backend: login locks first (accounts/lockout.py), then Django's password check; permissions
# come from the role (accounts.roles.ROLE_PERMISSIONS), never from groups or per-user grants.
AUTHENTICATION_BACKENDS = ["accounts.backends.AccountBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "full_name", "email", "phone")},
    },
    {"NAME": "accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "accounts.validators.CharacterClassValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # City/bureau names, admin/password/qwer and the demo password, plus a year, digits or symbols.
    {"NAME": "accounts.validators.GuessablePasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboards:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# --- Login locks (accounts/lockout.py, accounts/devices.py; the figures are in README "Security") ---
# Each rule: this many failed sign-ins within `within` lock for `lock` after the last of them.
LOGIN_LOCKOUT = {
    # One user name from one address: a stranger's guesses lock that name from their address only,
    # never for the bureau's staff elsewhere (before, 5 anonymous posts locked an account everywhere).
    "account_address": {"failures": 5, "within": timedelta(minutes=30), "lock": timedelta(minutes=30)},
    # One user name from any address: guesses spread over many addresses; a short lock, renewed by
    # every further failure while the day's count stays at the limit.
    "account": {"failures": 20, "within": timedelta(hours=24), "lock": timedelta(minutes=15)},
    # One address, any user names: a machine trying many accounts.
    "address": {"failures": 30, "within": timedelta(hours=1), "lock": timedelta(minutes=30)},
    # One user name on a browser that signed in as it before (accounts/devices.py): the three rules above
    # count only other browsers, so nobody's guesses lock the owner out of their own; this one counts that
    # browser alone.
    "device": {"failures": 5, "within": timedelta(minutes=30), "lock": timedelta(minutes=30)},
}
# 等保2.0 二级: sessions end after 30 minutes idle. The expiry is renewed by a write at most once a minute
# (accounts/sessions.py), not on every request: a session ends between 29 and 30 minutes after its last request.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = 60
SESSION_ENGINE = "accounts.session_store"  # Django's database sessions, read by one prepared statement
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Everything a user reads is Simplified Chinese, whatever the browser asks for (no LocaleMiddleware).
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]  # a few corrections to Django's own Chinese
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
# The formats of settings are those of the one locale (Django's zh_Hans formats), so that a number or a date prints the
# same localized or not: the pages (templates/base.html) print with {% localize off %}, which spares the language
# look-up Django makes for every number and date (up to a hundred a page). tests/test_settings_formats.py holds them equal.
DATE_FORMAT, SHORT_DATE_FORMAT, YEAR_MONTH_FORMAT, MONTH_DAY_FORMAT = "Y年n月j日", "Y年n月j日", "Y年n月", "m月j日"
TIME_FORMAT, DATETIME_FORMAT, SHORT_DATETIME_FORMAT = "H:i", "Y年n月j日 H:i", "Y年n月j日 H:i"
DECIMAL_SEPARATOR, THOUSAND_SEPARATOR, NUMBER_GROUPING, USE_THOUSAND_SEPARATOR = ".", "", 4, False
USE_TZ = True

# Reference data (bureaus, 四群八链 chains, 综合论证 criteria) as fixtures: `manage.py loaddata bureaus`.
FIXTURE_DIRS = [BASE_DIR / "fixtures"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded files are never under STATIC and have no URL: views that check who asks serve them.
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_MB", "20")) * 1024 * 1024
# Hostile files (applications/uploads.py): a few kilobytes can claim a huge image or page tree.
UPLOAD_MAX_PDF_PAGES = int(os.environ.get("UPLOAD_MAX_PDF_PAGES", "300"))
UPLOAD_MAX_IMAGE_PIXELS = int(os.environ.get("UPLOAD_MAX_IMAGE_MEGAPIXELS", "40")) * 1_000_000
FILE_UPLOAD_PERMISSIONS = 0o640

# Django's form renderer with the plain widgets (inputs, textareas, selects) written in Python: the same HTML.
FORM_RENDERER = "zhenjiang_consortia.form_renderer.FormRenderer"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
# One SMTP conversation may take this long (seconds); mail is sent by the task worker, never in a request.
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "镇江市创新联合体平台 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Absolute address of the portal: the links in notification emails, the QR code on the printed dossier and the
# "where to verify" line of every printed notice. Required in production, as SECRET_KEY is: without it every
# printed code would send its reader to 127.0.0.1.
SITE_URL = os.environ.get("SITE_URL", "").strip().rstrip("/")
if not DEBUG and not re.fullmatch(r"https?://[^\s/]+(/\S*)?", SITE_URL):
    raise ImproperlyConfigured(
        "生产环境（DEBUG=0）必须在环境变量 SITE_URL 中设置平台的访问地址（如 https://kjj.zhenjiang.gov.cn），"
        "通知邮件中的链接和打印文件上的核验地址都取自该设置。"
        " / SITE_URL must be set to the portal's address (http:// or https://) when DEBUG is off."
    )
SITE_URL = SITE_URL or "http://127.0.0.1:8000"

# Production hardening: on whenever DEBUG is off. SECURE_SSL_REDIRECT can be turned
# off (with SECURE_PROXY_SSL_HEADER set) when a proxy terminates TLS and redirects itself.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Behind the TLS proxy, the scheme comes from its X-Forwarded-Proto header.
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The proxies (addresses or networks) believed about the client's address: X-Forwarded-For is read from
# the right through them, and the first address that is not one of them is the client, for the login
# locks and the audit log (accounts.audit.client_ip). Behind the guide's nginx on the same server, that
# nginx (loopback); a load balancer in front of nginx is added here, e.g. 127.0.0.1,::1,10.0.0.5.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES", ["127.0.0.1", "::1"] if BEHIND_TLS_PROXY else [])
for _proxy in TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"TRUSTED_PROXIES 只能列出网络地址或网段（如 127.0.0.1,10.0.0.0/24），“{_proxy}”不是。"
        ) from None
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# --- Content-Security-Policy (django-csp) and Permissions-Policy ---
# Everything is served from this site (no CDN). No inline scripts, inline event handlers or style
# attributes anywhere, the admin included, so neither script-src nor style-src needs 'unsafe-inline'.
# data: images are Bootstrap's own icons (select arrows, the close button, the menu toggler).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Browser features the portal never uses, switched off for every page (zhenjiang_consortia.middleware).
PERMISSIONS_POLICY = [
    "accelerometer", "autoplay", "bluetooth", "camera", "display-capture", "geolocation", "gyroscope", "hid",
    "magnetometer", "microphone", "midi", "payment", "publickey-credentials-get", "screen-wake-lock", "serial",
    "usb", "xr-spatial-tracking",
]

# JSON lines (one object per record, with request id and user id: operations/logs.py) unless DEBUG.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "operations.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint reports every step of every layout at INFO ("Step 2 - Fetching and parsing CSS").
    "loggers": {"django.db.backends": {"level": "WARNING"}, "weasyprint.progress": {"level": "WARNING"}},
}

# --- The work plan's numbers (镇科机〔2023〕104号 §三) ---
# 成员单位 besides the 牵头单位, 原则上 at least this many (short of it only with a 情况说明).
CONSORTIUM_MIN_MEMBERS = int(os.environ.get("CONSORTIUM_MIN_MEMBERS", "4"))
# §六（三）: a consortium filed on or after this day (MM-DD) of a year first reports for the next year.
REPORT_FIRST_YEAR_CUTOFF = os.environ.get("REPORT_FIRST_YEAR_CUTOFF", "10-01")
try:
    date(2001, *(int(part) for part in REPORT_FIRST_YEAR_CUTOFF.split("-")))  # a day every year has (no 02-29)
except (TypeError, ValueError):
    raise ImproperlyConfigured(f"REPORT_FIRST_YEAR_CUTOFF must be a day of the year as MM-DD, e.g. 10-01, not {REPORT_FIRST_YEAR_CUTOFF!r}") from None
# §四（二）: each of the 组建协议's eight contents shorter than this (characters, blanks not counted) is flagged to
# reviewers as thin; never refused.
CHARTER_SECTION_MIN_CHARS = int(os.environ.get("CHARTER_SECTION_MIN_CHARS", "50"))
# §六（一）: 定期上门服务 — a filed consortium its 科技联络员's dashboard lists as not visited after this many days.
LIAISON_VISIT_INTERVAL_DAYS = int(os.environ.get("LIAISON_VISIT_INTERVAL_DAYS", "90"))

# --- Printed dossier (applications/dossier) ---
# Fonts are fontconfig family names; the render stops with a clear message when one is missing.
DOSSIER_BODY_FONT = os.environ.get("DOSSIER_BODY_FONT", "Noto Serif CJK SC")
DOSSIER_HEADING_FONT = os.environ.get("DOSSIER_HEADING_FONT", "Noto Sans CJK SC")
# Renders run as background tasks; the request waits this long before showing the progress page.
DOSSIER_WAIT_SECONDS = float(os.environ.get("DOSSIER_WAIT_SECONDS", "2"))

# --- Printed notices (备案通知书, 综合论证意见, 评价结果通知, 取消资格决定), after GB/T 9704-2012 ---
# Their own faces, apart from the dossier's: each a comma-separated list of fontconfig families, the first one
# installed with Chinese glyphs is used (":bold" asks for its bold face). The bureau's licensed 公文 faces first,
# then the free Fandol faces (scripts/ensure-fandol-fonts, run by make); none installed stops the render.
NOTICE_TITLE_FONT = os.environ.get("NOTICE_TITLE_FONT", "方正小标宋简体, FandolSong:bold")
NOTICE_BODY_FONT = os.environ.get("NOTICE_BODY_FONT", "仿宋_GB2312, FandolFang")
# The statement of remedies closing a 取消资格决定; the bureau's legal office words it (行政复议法 §20: 60 days;
# 行政诉讼法 §46: 6 months).
REVOCATION_REMEDIES_TEXT = os.environ.get(
    "REVOCATION_REMEDIES_TEXT",
    "你单位如对本决定不服，可以自收到本决定之日起六十日内向镇江市人民政府申请行政复议，"
    "也可以自收到本决定之日起六个月内依法向人民法院提起行政诉讼。",
)

# --- Audit log (accounts/audit.py) ---
# Days kept by `manage.py prune_audit_log` (accounts.audit.prune); never fewer than 180 (网络安全法 §21).
AUDIT_RETENTION_DAYS = int(os.environ.get("AUDIT_RETENTION_DAYS", "180"))

# --- Running it (operations app; deploy/README.md): background tasks, scheduled jobs, file storage,
# --- protected downloads, request ids. One server needs none of these set; several set the starred ones.
# TASKS_BACKEND*: "database" (the queue is a table, run by `manage.py run_worker`; one server), "rq"
# (Redis at REDIS_URL, run by `manage.py run_worker` on each server; several servers), or "immediate"
# (each task runs where it is queued; the tests).
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(f"TASKS_BACKEND 只能是 {'、'.join(_TASK_BACKENDS)}，当前为“{TASKS_BACKEND}”")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND], "QUEUES": ["default"]}}
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
# TASK_TIMEOUT_SECONDS (RQ only): a task still running after this long is stopped by RQ (JobTimeoutException in
# the task) and retried like any failure (operations.background). A render takes well under a minute; 240 s lets
# a hung render and its one retry (30 s later) both end within the 10 minutes after which the print page gives
# up on it (applications.dossier.jobs.STALE_AFTER). The database queue has no timeout. RQ's own Retry is not used:
# every failed attempt, a task process killed under it and a worker that died mid-task are retried by the task's
# own policy (operations.background, operations.workers).
TASK_TIMEOUT_SECONDS = int(os.environ.get("TASK_TIMEOUT_SECONDS", "240"))
RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": TASK_TIMEOUT_SECONDS}}
# The database queue's tables exist whichever backend runs, so switching needs no migration.
INSTALLED_APPS += ["django_tasks", "django_tasks_db"]
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
INSTALLED_APPS += ["operations"]
MIDDLEWARE.insert(0, "operations.logs.RequestIdMiddleware")  # first: every response carries the request id

# MEDIA_STORAGE*: "local" (MEDIA_ROOT on this server's disk) or "s3" (an S3-compatible bucket, e.g. MinIO on
# the intranet, shared by every server: S3_ENDPOINT_URL, S3_BUCKET, S3_ACCESS_KEY, S3_SECRET_KEY, S3_REGION).
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "local")
if MEDIA_STORAGE == "s3":
    import botocore.config  # here: only a server with a bucket pays for importing botocore

    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL", ""),
            "bucket_name": os.environ.get("S3_BUCKET", "zhenjiang-consortia"),
            "access_key": os.environ.get("S3_ACCESS_KEY", ""),
            "secret_key": os.environ.get("S3_SECRET_KEY", ""),
            "region_name": os.environ.get("S3_REGION", "us-east-1"),
            # Bucket in the path (MinIO: no wildcard DNS needed), and a bucket that is away is given up on within
            # seconds, not minutes (botocore's defaults: 60 s to connect, 4 retries): the upload or download then
            # says so (operations.outages) and /healthz reports the storage.
            "client_config": botocore.config.Config(
                s3={"addressing_style": "path"}, signature_version="s3v4", connect_timeout=5, read_timeout=30,
                retries={"mode": "standard", "max_attempts": 3},
            ),
            "default_acl": None,  # private: files are only handed out by views that check who asks
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
elif MEDIA_STORAGE == "local":
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    raise ImproperlyConfigured(f"MEDIA_STORAGE 只能是 local 或 s3，当前为“{MEDIA_STORAGE}”")
STORAGES = {"default": _default_storage, "staticfiles": {"BACKEND": "zhenjiang_consortia.storage.StaticStorage"}}

# PROTECTED_FILES_SERVED_BY: "django" streams uploads and dossiers from the view; "nginx" answers with
# X-Accel-Redirect to the internal location PROTECTED_FILES_INTERNAL_URL (deploy/nginx/zhenjiang.conf).
PROTECTED_FILES_SERVED_BY = os.environ.get("PROTECTED_FILES_SERVED_BY", "django")
if PROTECTED_FILES_SERVED_BY not in ("django", "nginx"):
    raise ImproperlyConfigured(f"PROTECTED_FILES_SERVED_BY 只能是 django 或 nginx，当前为“{PROTECTED_FILES_SERVED_BY}”")
PROTECTED_FILES_INTERNAL_URL = "/protected/"

# The load balancer asks /healthz over plain HTTP from inside the network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- The work plan's target (镇科机〔2023〕104号 §一): about 5 consortia by 2025; the statistics page compares ---
PLAN_TARGET_CONSORTIA = int(os.environ.get("PLAN_TARGET_CONSORTIA", "5"))
PLAN_TARGET_YEAR = int(os.environ.get("PLAN_TARGET_YEAR", "2025"))

# --- Cache (the public 公示 page, dashboards/public.py) ---
# CACHE_BACKEND: "locmem" (each server process keeps its own; the default, nothing to set up), "database"
# (a table shared by every process: run `manage.py createcachetable` once) or "redis" (CACHE_REDIS_URL).
CACHE_BACKEND = os.environ.get("CACHE_BACKEND", "locmem")
_CACHE_BACKENDS = {
    "locmem": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "zhenjiang"},
    "database": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "zhenjiang_cache"},
    # A Redis that is away is a cache miss, not an error page (operations.cache); one second to answer at most.
    "redis": {"BACKEND": "operations.cache.RedisCache",
              "LOCATION": os.environ.get("CACHE_REDIS_URL", "redis://127.0.0.1:6379/1"),
              "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}},
}
if CACHE_BACKEND not in _CACHE_BACKENDS:
    raise ImproperlyConfigured(f"CACHE_BACKEND 只能是 {'、'.join(_CACHE_BACKENDS)}，当前为“{CACHE_BACKEND}”。")
CACHES = {"default": {**_CACHE_BACKENDS[CACHE_BACKEND], "KEY_PREFIX": "zj"}}
# How long a cached public page may be served; a filing or revocation renews it at once in a shared cache.
PUBLIC_LIST_CACHE_SECONDS = int(os.environ.get("PUBLIC_LIST_CACHE_SECONDS", "60"))
# How long the statistics page's figures are reused (dashboards/stats.py; the page says when they were counted).
STATISTICS_CACHE_SECONDS = int(os.environ.get("STATISTICS_CACHE_SECONDS", "60"))
