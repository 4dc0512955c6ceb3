"""The one settings module. Every value that differs between a laptop and production comes from
an environment variable (see ``.env.example``); the defaults are safe for a laptop: SQLite in
``var/``, debug on, mail to the console."""

import json
import os
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

from motcua.env import (
    env_bool,
    env_cache,
    env_choice,
    env_int,
    env_list,
    env_minutes,
    env_rate,
    env_str,
    storage_from_url,
)

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("MOTCUA_DATA_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SECRET_KEY (or SECRET_KEY_FILE) must be set when DEBUG is off")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "motcua.workdays",
    "motcua.accounts",
    "motcua.catalogue",
    "motcua.dossiers",
    "motcua.notifications",
    "motcua.feedback",
    "motcua.payments",
    "motcua.reports",
    "motcua.reform",
    "motcua.satisfaction",
    "motcua.digitisation",
    "motcua.demo",
    "motcua.workspace",
    "motcua.ops",
    "motcua.portal",
    "django_tasks_db",
    "motcua.jobs",
    "motcua.integration",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "motcua.workspace.twofactor_guard.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

if not DEBUG:
    # Static files served by the application itself in production (no CDN, no extra server);
    # in development runserver serves them.
    MIDDLEWARE.insert(1, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "motcua.urls"
WSGI_APPLICATION = "motcua.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "motcua" / "templates"],
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

_default_db = f"sqlite:///{DATA_DIR / 'motcua.sqlite3'}"
DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", _default_db), conn_max_age=env_int("DB_CONN_MAX_AGE", 0)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock at BEGIN, so two writers queue instead of
    # failing with "database is locked" when a read lock would have to be upgraded.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests use a file, not shared-cache memory, so that concurrent-intake tests see real
    # SQLite locking (WAL, busy timeout) as production does.
    DATABASES["default"]["TEST"] = {
        # One file per test process, so that parallel runs on one machine do not collide.
        "NAME": env_str("SQLITE_TEST_NAME", str(DATA_DIR / f"test-motcua-{os.getpid()}.sqlite3"))
    }

# Reports on a read replica (docs/deployment.md): with DATABASE_REPLICA_URL set, the report
# pages and the report API read the dossier, rollup and catalogue tables there
# (motcua/replica.py); every write, and everything else, goes to the primary. The replica is
# never migrated (it follows the primary); in tests it mirrors the test database.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(
        DATABASE_REPLICA_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 0)
    )
    if DATABASES["replica"]["ENGINE"] == "django.db.backends.postgresql":
        # Seen in pg_stat_activity as such, apart from the primary's connections.
        DATABASES["replica"]["OPTIONS"] = {"application_name": "motcua-reports"}
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["motcua.replica.ReportsReplicaRouter"]

# The cache (CACHE_URL: locmem://, db://<table>, redis://host:port/<n>; motcua/env.py): the
# request rates (API, public tracking, account forms) are counted there. Unset, it is this
# process's memory on a laptop (DEBUG on) and a table of the database in production, so that one
# count holds for every worker of every machine; `motcua migrate` and `motcua serve` create the
# table (motcua/ops/cache.py).
CACHES = {"default": env_cache("CACHE_URL", debug=DEBUG)}
# Sessions live in the database (shared by every machine, no sticky sessions); "cached_db"
# also keeps them in the cache above, for fewer reads with a shared cache such as Redis.
SESSION_ENGINE = "django.contrib.sessions.backends." + env_choice(
    "MOTCUA_SESSIONS", ("db", "cached_db"), "db"
)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "workspace:login"
LOGIN_REDIRECT_URL = "workspace:queues"
# Two-factor authentication (django-otp, motcua/workspace/twofactor.py): optional per user;
# when this is on, officers without it are sent to set it up after signing in.
MOTCUA_REQUIRE_2FA_FOR_OFFICERS = env_bool("MOTCUA_REQUIRE_2FA_FOR_OFFICERS", False)
OTP_TOTP_ISSUER = "MộtCửa"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Wrong codes count towards the sign-in lock-out (lockout.py) instead of django-otp's own
# growing delays: one rule, one message.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese by default, English on request (Accept-Language or the language switch).
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "motcua" / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static")))
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_URL = "media/"
# Uploaded documents: MEDIA_ROOT on this machine's disk (a shared mount with several machines),
# or MOTCUA_STORAGE_URL: file:///shared/path, or s3://bucket/prefix?endpoint_url=… for an
# S3-compatible store through django-storages (the ``s3`` extra); motcua/env.py,
# docs/deployment.md. The code reads and writes uploads only through this storage.
_storage_url = env_str("MOTCUA_STORAGE_URL", "").strip()
STORAGES = {
    "default": (
        storage_from_url("MOTCUA_STORAGE_URL", _storage_url)
        if _storage_url
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Largest scan or upload accepted for a dossier document.
MOTCUA_MAX_UPLOAD_BYTES = env_int("MOTCUA_MAX_UPLOAD_MB", 20) * 2**20
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 2**20
# The public address printed in QR codes and notices (Form 01's tracking link).
MOTCUA_SITE_URL = env_str("MOTCUA_SITE_URL", "http://127.0.0.1:8000")
# Where `motcua backup` finds pg_dump and pg_restore when not on PATH (their major version must
# be the server's or newer), e.g. /usr/lib/postgresql/16/bin; docs/backup.md.
MOTCUA_PG_BINDIR = env_str("MOTCUA_PG_BINDIR", "")
# The citizens' portal's public address, where Form 01's QR code and link lead
# (``/tra-cuu/<code>``); empty means MOTCUA_SITE_URL.
PUBLIC_BASE_URL = env_str("PUBLIC_BASE_URL", "")
# Electronic signatures (motcua/signing, docs/signing.md): PEM files of the trusted root
# certification authorities (the national root CA's and the licensed CAs'), comma-separated, and
# whether revocation lists may be fetched from the authorities' addresses.
MOTCUA_SIGNING_TRUST_ROOTS = env_list("MOTCUA_SIGNING_TRUST_ROOTS", [])
MOTCUA_SIGNING_FETCH_REVOCATION = env_bool("MOTCUA_SIGNING_FETCH_REVOCATION", True)
# A PKCS#11 module on the server (a hardware security module, or a remote-signing service's
# module) and its token's label: each leader's key is found by their username; the PIN is typed
# at signing. Empty: leaders sign with a PKCS#12 file.
MOTCUA_SIGNING_PKCS11_MODULE = env_str("MOTCUA_SIGNING_PKCS11_MODULE", "")
MOTCUA_SIGNING_PKCS11_TOKEN = env_str("MOTCUA_SIGNING_PKCS11_TOKEN", "")
# Online payment through VNPay's protocol (docs/payments.md). The merchant's code and secret
# come from the environment (or *_FILE), never from code; without them the portal offers no
# online payment. `motcua payment-simulator` speaks the same protocol on localhost for the demo
# and the tests: point MOTCUA_VNPAY_URL at its /paymentv2/vpcpay.html and MOTCUA_VNPAY_API_URL
# at its /merchant_webapi/api/transaction.
MOTCUA_VNPAY_TMN_CODE = env_str("MOTCUA_VNPAY_TMN_CODE", "")
MOTCUA_VNPAY_HASH_SECRET = env_str("MOTCUA_VNPAY_HASH_SECRET", "")
MOTCUA_VNPAY_URL = env_str("MOTCUA_VNPAY_URL", "http://127.0.0.1:8765/paymentv2/vpcpay.html")
MOTCUA_VNPAY_API_URL = env_str(
    "MOTCUA_VNPAY_API_URL", "http://127.0.0.1:8765/merchant_webapi/api/transaction"
)
# The gateway's daily settlement file (file đối soát; its shape is our assumption, see
# docs/payments.md), compared with our payments by the worker's daily `compare-settlement`.
MOTCUA_VNPAY_SETTLEMENT_URL = env_str(
    "MOTCUA_VNPAY_SETTLEMENT_URL", "http://127.0.0.1:8765/merchant_webapi/settlement"
)
# A payment the IPN never confirmed is asked about (querydr) once it is this old.
MOTCUA_PAYMENT_RECONCILE_AFTER = env_minutes("MOTCUA_PAYMENT_RECONCILE_AFTER_MINUTES", 15)
# Public tracking by code (portal pages and API) per client address: codes are sequential, so
# the rate keeps anyone from walking through them.
MOTCUA_TRACK_RATE = env_rate("MOTCUA_TRACK_RATE", "20/minute")
# Citizens' accounts on the portal: registrations, verification codes and sign-ins posted per
# client address, and how long a one-time code sent to an e-mail address or phone is valid.
MOTCUA_ACCOUNT_RATE = env_rate("MOTCUA_ACCOUNT_RATE", "20/minute")
MOTCUA_VERIFICATION_MINUTES = env_int("MOTCUA_VERIFICATION_MINUTES", 15)
# Sign-in on the portal through an OpenID Connect identity provider (mozilla-django-oidc,
# motcua/portal/oidc.py): off unless a client id is set. The endpoints are the provider's
# (its /.well-known/openid-configuration lists them); ID tokens are RS256, checked against
# its JWKS; PKCE is used.
OIDC_RP_CLIENT_ID = env_str("MOTCUA_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env_str("MOTCUA_OIDC_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("MOTCUA_OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env_str("MOTCUA_OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env_str("MOTCUA_OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env_str("MOTCUA_OIDC_JWKS_ENDPOINT", "")
OIDC_RP_SIGN_ALGO = "RS256"
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
# Where a refused or failed provider sign-in lands (the callback's own setting name).
LOGIN_REDIRECT_URL_FAILURE = "/dang-nhap/?oidc=failed"

# E-mail: Django's SMTP backend as soon as EMAIL_HOST is set (docs/notifications.md), the
# console otherwise; the password may come from EMAIL_HOST_PASSWORD_FILE.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = EMAIL_HOST or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "motcua@localhost")
# Notifications (motcua.notifications): the SMS provider's backend class, how many times a
# failing notice is tried, and how many working days ahead the scanner calls "due soon".
SMS_BACKEND = env_str("SMS_BACKEND", "motcua.notifications.sms.ConsoleSmsBackend")
# The HTTP gateway of ``motcua.notifications.sms.HttpSmsBackend`` (docs/notifications.md); the
# token may come from SMS_HTTP_TOKEN_FILE.
SMS_HTTP_URL = env_str("SMS_HTTP_URL", "")
SMS_HTTP_TOKEN = env_str("SMS_HTTP_TOKEN", "")
SMS_HTTP_SENDER = env_str("SMS_HTTP_SENDER", "MOTCUA")
SMS_HTTP_TIMEOUT = env_int("SMS_HTTP_TIMEOUT", 10)
NOTIFICATION_MAX_ATTEMPTS = env_int("NOTIFICATION_MAX_ATTEMPTS", 8)
DUE_SOON_WORKING_DAYS = env_int("MOTCUA_DUE_SOON_WORKING_DAYS", 1)
# How many supplement requests (Form 02) a dossier may receive while it is processed before the
# head of the agency must allow each further one: the applicant is told once, completely, what
# to supplement (Decree 61/2018/NĐ-CP as amended by Decree 107/2021/NĐ-CP, carried by Decree
# 118/2025/NĐ-CP; article to verify). See motcua/dossiers/statutory.py.
MOTCUA_SUPPLEMENT_REQUESTS = max(1, env_int("MOTCUA_SUPPLEMENT_REQUESTS", 1))
# The numbering of the printed forms: "2025" (Circular 03/2025/TT-VPCP, forms 01–07, the default)
# or "2018" (Circular 01/2018/TT-VPCP, forms 01–06). See motcua/dossiers/form_numbering.py.
MOTCUA_FORM_NUMBERING = env_choice("MOTCUA_FORM_NUMBERING", ("2025", "2018"), "2025")

# Production hardening, all switched on when DEBUG is off (``manage.py check --deploy`` is clean).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY") else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# Sent by SecurityMiddleware on every response (Django's defaults, stated): no Referer to other
# sites, and no window of another site keeps a reference to ours.
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content Security Policy (Django's own ContentSecurityPolicyMiddleware), in development too so
# that a page breaking it fails its tests: scripts and styles only from our own static files, no
# inline script, style or event handler anywhere (motcua/tests/test_csp_browser.py loads the
# pages in Chromium and fails on any violation); no plug-ins; no framing except a document's
# preview inside our own dossier page (motcua/workspace/views.py, document_file).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    # Swagger UI's stylesheet draws its icons as data: images.
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# `motcua serve` (motcua/ops/serving.py, docs/deployment.md): where gunicorn listens, its
# workers (0: 2 × cores + 1, at most 12), a request's time limit in seconds, and whose
# X-Forwarded-* headers it believes (the TLS proxy in front).
MOTCUA_HOST = env_str("MOTCUA_HOST", "127.0.0.1")
MOTCUA_PORT = env_int("MOTCUA_PORT", 8000)
MOTCUA_WORKERS = env_int("MOTCUA_WORKERS", 0)
MOTCUA_TIMEOUT = env_int("MOTCUA_TIMEOUT", 60)
MOTCUA_FORWARDED_ALLOW_IPS = env_str("MOTCUA_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "motcua.openapi.MotcuaAutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "motcua.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    # A signed-in session (the screens, Swagger UI), an API token (docs/api.md) and, only where
    # MOTCUA_API_BASIC_AUTH is on (below), HTTP Basic with a password.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "motcua.accounts.authentication.TokenAuthentication",
        "motcua.workspace.twofactor_guard.PasswordOnlyBasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
}
# The largest page a client may ask for with ``page_size`` (docs/api.md); more is cut to it.
MOTCUA_API_MAX_PAGE_SIZE = env_int("MOTCUA_API_MAX_PAGE_SIZE", 100)
# HTTP Basic on the API hashes the password (PBKDF2, ~250 ms) on every request and sends it
# with each one: on by default only with DEBUG (the demo, a laptop); production clients use
# tokens (issue #18). MOTCUA_API_BASIC_AUTH=true turns it on anyway.
MOTCUA_API_BASIC_AUTH = env_bool("MOTCUA_API_BASIC_AUTH", DEBUG)
# The key of the tokens' HMAC-SHA256 (accounts/tokens.py): SECRET_KEY when unset. A key of its
# own (or its _FILE) lets SECRET_KEY be rotated without invalidating every token.
MOTCUA_API_TOKEN_KEY = env_str("MOTCUA_API_TOKEN_KEY", "") or SECRET_KEY
# The longest a token may live, and a personal token's life when none is chosen (days).
MOTCUA_API_TOKEN_MAX_DAYS = env_int("MOTCUA_API_TOKEN_MAX_DAYS", 366)
MOTCUA_API_TOKEN_DEFAULT_DAYS = env_int("MOTCUA_API_TOKEN_DEFAULT_DAYS", 90)

SPECTACULAR_SETTINGS = {
    "TITLE": "MộtCửa API",
    "DESCRIPTION": (
        "API của hệ thống một cửa: đơn vị hành chính, cơ quan, lịch làm việc, thủ tục hành chính. "
        "/ The one-stop system's API: administrative units, agencies, calendars, procedures."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    # Swagger UI's syntax colours (inline styles) fail WCAG contrast on its dark code boxes;
    # plain text passes. deepLinking is drf-spectacular's default, kept.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "syntaxHighlight": {"activated": False}},
    "REDOC_DIST": "SIDECAR",
    # Several models have a "status" or "kind": name each choice set after its meaning.
    "ENUM_NAME_OVERRIDES": {
        "DossierStatusEnum": "motcua.dossiers.workflow.Status",
        "StepStatusEnum": "motcua.dossiers.models.StepStatus",
        "VersionStatusEnum": "motcua.catalogue.models.VersionStatus",
        "ApplicantKindEnum": "motcua.dossiers.models.ApplicantKind",
        "AgencyKindEnum": "motcua.accounts.models.AgencyKind",
        "FeeKindEnum": "motcua.catalogue.models.FeeKind",
        "OverrideKindEnum": "motcua.workdays.models.OverrideKind",
        "RoleEnum": "motcua.accounts.models.Role",
        "AssignmentRoleEnum": "motcua.catalogue.models.AssignmentRole",
        "BulkResultEnum": "motcua.dossiers.actions.RESULTS",
    },
}

# --- Sign-in lock-out and API request rates (issue #10 item 3) -----------------------------
# django-axes counts failed sign-ins on every way in (workspace, its two-factor code step, the
# Django admin, the API's HTTP Basic) and refuses a locked username or address before the
# password is hashed; motcua/workspace/lockout.py explains the choices.
INSTALLED_APPS.append("axes")
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
if OIDC_RP_CLIENT_ID:
    # Only when configured: the backend refuses to start without its endpoints.
    AUTHENTICATION_BACKENDS.append("motcua.portal.oidc.CitizenOIDCBackend")
MOTCUA_BEHIND_PROXY = env_bool("BEHIND_PROXY")
# How long the access log of personal data keeps a row (docs/privacy.md): `motcua
# purge-access-log` deletes older rows; 0 keeps them forever.
MOTCUA_ACCESS_LOG_RETENTION_DAYS = env_int("MOTCUA_ACCESS_LOG_RETENTION_DAYS", 730)
# Who answers questions about personal data, shown on the portal's privacy notice (a unit's
# name, address, e-mail and telephone); empty: only "the agency that received the dossier".
MOTCUA_PRIVACY_CONTACT = env_str("MOTCUA_PRIVACY_CONTACT", "")
# Satisfaction ratings (docs/satisfaction.md): how long the applicant may change a rating, how
# long after returning a result the desk's kiosk offers it for rating, and the fewest ratings a
# group needs to be shown on the public page (fewer could point to a person).
MOTCUA_RATING_EDIT_HOURS = env_int("MOTCUA_RATING_EDIT_HOURS", 24)
MOTCUA_RATING_KIOSK_MINUTES = env_int("MOTCUA_RATING_KIOSK_MINUTES", 30)
MOTCUA_RATING_PUBLIC_MINIMUM = env_int("MOTCUA_RATING_PUBLIC_MINIMUM", 5)
AXES_HANDLER = "motcua.workspace.lockout.LockoutHandler"
# Locked separately by username and by address (not only the pair, which a guesser changes at
# will); an office's officers share one address, so that takes more failures to lock.
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = env_int("MOTCUA_LOCKOUT_FAILURES", 5)
MOTCUA_LOCKOUT_IP_FAILURE_LIMIT = env_int("MOTCUA_LOCKOUT_IP_FAILURES", 30)
# Failures count while younger than this after the last one, and a lock lasts this long.
AXES_COOLOFF_TIME = env_minutes("MOTCUA_LOCKOUT_MINUTES", 15)
# A lock lasts its time: attempts while locked are refused without being counted again.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# Counts are cleared by lockout.clear once a sign-in is complete (the code too, for accounts
# with a second factor), not by the password step alone.
AXES_RESET_ON_SUCCESS = False
AXES_USERNAME_CALLABLE = "motcua.workspace.lockout.username_of"
AXES_CLIENT_IP_CALLABLE = "motcua.workspace.lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "motcua.workspace.lockout.lockout_response"
# Masked in the failure records shown in the admin: the code and the password fields of the
# two-factor pages besides axes' own.
AXES_SENSITIVE_PARAMETERS = [
    "username",
    "ip_address",
    "token",
    "confirm-token",
    "disable-token",
    "disable-password",
]
AXES_PASSWORD_FORM_FIELD = "password"  # noqa: S105 - the field's name, not a password
AXES_HTTP_RESPONSE_CODE = 429
# Failures and locks are still logged as warnings; no banner at every command's start.
AXES_VERBOSE = False
# API request rates per client address (anonymous) and per account (signed in); HTTP Basic's
# failed passwords are held by the address lock above, before any hashing.
REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"] = [
    "motcua.throttling.AnonRateThrottle",
    "motcua.throttling.UserRateThrottle",
]
REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] = {
    "anon": env_rate("MOTCUA_API_ANON_RATE", "120/minute"),
    "user": env_rate("MOTCUA_API_USER_RATE", "1200/minute"),
}
# The client's address for the rates: behind the proxy, the X-Forwarded-For entry it added.
REST_FRAMEWORK["NUM_PROXIES"] = 1 if MOTCUA_BEHIND_PROXY else 0
# Request limits (motcua/limits.py), checked before a body is read or parsed. A scan or upload
# is at most MOTCUA_MAX_UPLOAD_BYTES (above; the rest of a bigger file is dropped as it streams
# in and the form says so); a whole multipart request (a reception form carries a scan per
# checklist item) at most MOTCUA_MAX_REQUEST_MB; any other body, API JSON included, at most
# DATA_UPLOAD_MAX_MEMORY_SIZE (above), and JSON nested at most limits.MAX_JSON_DEPTH deep. The
# web server in front refuses bodies over MOTCUA_MAX_REQUEST_MB too (nginx
# client_max_body_size; see .env.example).
MOTCUA_MAX_REQUEST_BYTES = env_int("MOTCUA_MAX_REQUEST_MB", 100) * 2**20
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # Django's default: larger files go to a temporary file
FILE_UPLOAD_HANDLERS = [
    "motcua.limits.CappedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"] = [
    "motcua.limits.BoundedJSONParser",
    "rest_framework.parsers.FormParser",
    "motcua.limits.BoundedMultiPartParser",
]
REST_FRAMEWORK["EXCEPTION_HANDLER"] = "motcua.limits.exception_handler"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# Background tasks (motcua/jobs, docs/deployment.md "Background jobs"): the tasks are written
# against django.tasks; by default their queue is a table of this database (django-tasks-db),
# run by `motcua worker`, which needs no other server. A deployment with a broker names another
# backend here (MOTCUA_TASKS_BACKEND, e.g. django_tasks_rq.RQBackend for Redis) and its options
# as JSON (MOTCUA_TASKS_OPTIONS); `motcua worker` then keeps only the schedule and heartbeat.
TASKS = {
    "default": {
        "BACKEND": env_str("MOTCUA_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
        "OPTIONS": json.loads(env_str("MOTCUA_TASKS_OPTIONS", "{}")),
    }
}
# /readyz is not ready when no worker has beaten for this long (seconds): longer than the
# longest task (the nightly rollup check reads every dossier), during which a worker cannot beat.
MOTCUA_WORKER_HEARTBEAT_MAX_AGE = env_int("MOTCUA_WORKER_HEARTBEAT_MAX_AGE", 900)
# Finished task results are kept this many days in the queue table, then pruned nightly.
MOTCUA_TASK_RESULT_DAYS = env_int("MOTCUA_TASK_RESULT_DAYS", 30)
# Who gets the mail of a failed nightly rollup check (comma-separated addresses).
ADMINS = env_list("MOTCUA_ADMINS", [])

# The National Public Service Portal (motcua/integration, docs/integration.md): where the outbox
# delivers each dossier's progress, with a bearer token (MOTCUA_NATIONAL_TOKEN or its _FILE).
# Empty URL: messages are still written and wait in the outbox until one is set.
MOTCUA_NATIONAL_URL = env_str("MOTCUA_NATIONAL_URL", "")
MOTCUA_NATIONAL_TOKEN = env_str("MOTCUA_NATIONAL_TOKEN", "")
MOTCUA_NATIONAL_TIMEOUT = env_int("MOTCUA_NATIONAL_TIMEOUT", 10)  # seconds per request
# The public tracking page asks the national portal about a code it does not know, waiting at
# most this long (seconds) before it says the portal does not answer.
MOTCUA_NATIONAL_LOOKUP_TIMEOUT = env_int("MOTCUA_NATIONAL_LOOKUP_TIMEOUT", 5)
# A message failing this many times is dead-lettered: an administrator re-queues it.
MOTCUA_NATIONAL_MAX_ATTEMPTS = env_int("MOTCUA_NATIONAL_MAX_ATTEMPTS", 12)
