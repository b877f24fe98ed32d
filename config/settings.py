"""Richtsnoer settings, read from environment variables.

Safe by default: DEBUG is off unless DJANGO_DEBUG is set, and outside DEBUG a
DJANGO_SECRET_KEY must be given. The database comes from DATABASE_URL (SQLite in
the project folder when unset).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "ja"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")
# Under DEBUG the Dutch error pages are shown too; set this for Django's technical pages.
DEBUG_TECHNICAL_PAGES = env_bool("DJANGO_DEBUG_TECHNICAL_PAGES")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY ontbreekt. Zet deze omgevingsvariabele, of zet DJANGO_DEBUG=1 "
            "voor lokale ontwikkeling."
        )
    SECRET_KEY = "django-insecure-development-only-key"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "axes",
    "pgtrigger",
    "django_tasks_db",
    # Login: password plus a second factor (TOTP, recovery codes), password change and
    # reset, and optional single sign-on over OpenID Connect (accounts/, README "Inloggen").
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "common",
    "richtlijnen",
    "interventies",
    "dossiers",
    "beoordeling",
    "toegang",
    "accounts",
    "cdshooks",
    "inzicht",
    "ops",
    "impact",
]

MIDDLEWARE = [
    "ops.metrics.MetricsMiddleware",
    "ops.logs.RequestLogMiddleware",
    "common.middleware.DutchErrorPagesMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "common.limits.SecurityHeadersMiddleware",  # no-store, Permissions-Policy; after static
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.SessionIdleMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.AbsoluteSessionLifetimeMiddleware",
    # every account must have passed its second factor in this session (accounts.mfa)
    "accounts.middleware.SecondFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "axes.middleware.AxesMiddleware",
    # every response on a dossier URL leaves an access-log row, refusals included
    "toegang.middleware.AccessAuditMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "rules.permissions.ObjectPermissionBackend",
    # Django's ModelBackend, loading the user's roles and teams in the same query.
    "accounts.backends.CareUserBackend",
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
            ],
        },
    },
]

# Plain widgets are written in Python, with the same HTML as Django's templates (config/forms.py).
FORM_RENDERER = "config.forms.FastWidgetRenderer"

# Connections are kept open between requests (opening one costs more than most pages) and
# checked before reuse, so a restarted database costs one failed check, not an error page.
# Each app-server process keeps at most one: workers x servers must stay under PostgreSQL's
# max_connections (see the README's production section).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "600")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers (threads of runserver, gunicorn workers) wait for each other
    # instead of failing with "database is locked" when a read transaction wants to write.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"transaction_mode": "IMMEDIATE", "timeout": 20}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands")]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
# Dutch for what Django and libraries do not translate themselves (admin history pages,
# new strings in Django 6.1); it takes precedence over the apps' own translations.
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates shown as "23 nov. 2026" and typed as "21-03-2015": see common/formats/nl.
FORMAT_MODULE_PATH = ["common.formats"]
CSRF_FAILURE_VIEW = "common.views.csrf_failure"
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT") or BASE_DIR / "staticfiles")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login (django-allauth): user name and password, then a code from an authenticator app
# (TOTP) or a recovery code. Every account must set up the app at its first login
# (accounts.middleware.SecondFactorRequiredMiddleware); nobody can sign up themselves.
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm"}
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = False
ACCOUNT_SESSION_REMEMBER = False  # sessions end when the browser closes
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False  # a new password still needs the second factor
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Richtsnoer: "
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False  # a reset for an unknown address sends no mail at all
# Failed passwords are throttled by django-axes (below, 5 per name and address). allauth's
# limit guards the second factor: 10 wrong codes per account in 5 minutes (guessing a
# 6-digit code would take centuries); it sits above axes' so that axes decides on passwords.
ACCOUNT_RATE_LIMITS = {"login": "100/m/ip", "login_failed": "100/m/ip,10/300s/key"}
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Richtsnoer"
MFA_TOTP_TOLERANCE = 1  # one 30-second step either way: a phone clock a little off
MFA_RECOVERY_CODE_COUNT = 10
# Single sign-on over OpenID Connect, off unless RICHTSNOER_OIDC_ISSUER is set. Only
# existing accounts can use it (matched on their e-mail address at the identity
# provider); the second factor is asked after it as after a password.
RICHTSNOER_OIDC_ISSUER = os.environ.get("RICHTSNOER_OIDC_ISSUER", "").rstrip("/")
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = True
SOCIALACCOUNT_EMAIL_AUTHENTICATION_AUTO_CONNECT = True
SOCIALACCOUNT_PROVIDERS = {}
if RICHTSNOER_OIDC_ISSUER:
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": "organisatie",
                "name": os.environ.get("RICHTSNOER_OIDC_NAME", "uw organisatie"),
                "client_id": os.environ.get("RICHTSNOER_OIDC_CLIENT_ID", ""),
                "secret": os.environ.get("RICHTSNOER_OIDC_CLIENT_SECRET", ""),
                "settings": {"server_url": RICHTSNOER_OIDC_ISSUER},
            }
        ],
    }

# E-mail (password reset). Under DEBUG mails are printed on the console.
MAILERS = {
    "default": (
        {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
        if DEBUG
        else {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("DJANGO_EMAIL_HOST", "localhost"),
                "port": int(os.environ.get("DJANGO_EMAIL_PORT", "25")),
                "username": os.environ.get("DJANGO_EMAIL_USER", ""),
                "password": os.environ.get("DJANGO_EMAIL_PASSWORD", ""),
                "use_tls": env_bool("DJANGO_EMAIL_TLS"),
            },
        }
    )
}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "richtsnoer@localhost")

# Sessions end after 30 minutes without activity, and when the browser closes. The idle
# clock is moved on by config.middleware.SessionIdleMiddleware at most once a minute, not
# by rewriting the session on every request.
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_IDLE_REFRESH_SECONDS = int(os.environ.get("DJANGO_SESSION_REFRESH_SECONDS", "60"))
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# ... and after this many hours whatever the activity (accounts.middleware).
SESSION_ABSOLUTE_SECONDS = int(os.environ.get("RICHTSNOER_SESSION_HOURS", "10")) * 3600

# With REDIS_URL (e.g. redis://127.0.0.1:6379/0) the cache lives in Redis, shared by every
# app server, and sessions are read from it (cached_db: every write also goes to the
# database, so a lost or unreachable Redis loses no session). Without it: a per-process
# cache, and sessions in the database only (a per-process session cache would let a
# logged-out session live on in another worker).
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.TolerantRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "richtsnoer",
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SESSION_ENGINE = "django.contrib.sessions.backends.db"

# Login throttling (django-axes): 5 failures lock that user name from that address.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/lockout.html"
AXES_VERBOSE = False  # its log lines would carry user names
AXES_USERNAME_CALLABLE = "config.axes.login_username"
# ... and an address is locked after this many failures over all user names (accounts.axes).
AXES_HANDLER = "accounts.axes.AddressAwareHandler"
RICHTSNOER_ADDRESS_FAILURE_LIMIT = int(os.environ.get("RICHTSNOER_ADDRESS_FAILURE_LIMIT", "30"))
# Reverse proxies whose X-Forwarded-For is believed (addresses or networks, comma
# separated); from anyone else the header is ignored (accounts.network).
RICHTSNOER_TRUSTED_PROXIES = env_list("RICHTSNOER_TRUSTED_PROXIES")
AXES_CLIENT_IP_CALLABLE = "accounts.network.client_address"

# Content Security Policy (Django's own): no inline scripts or styles, nothing from elsewhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# Background tasks (Django's tasks framework): stored in the database and run by
# `manage.py db_worker`, which scripts/start starts next to the web server.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# How long a closed dossier is kept. Jeugdwet art. 7.3.8: fifteen years after the help
# ended (or longer where careful help requires it). Configurable per deployment.
RETENTION_YEARS = int(os.environ.get("RICHTSNOER_RETENTION_YEARS", "15"))
# A concept nobody touched for this long was never a case: removed (toegang.retention).
RETENTION_CONCEPT_DAYS = int(os.environ.get("RICHTSNOER_RETENTION_CONCEPT_DAYS", "90"))
# Login-attempt records (django-axes): long enough to investigate an attack.
RETENTION_LOGIN_ATTEMPT_DAYS = int(os.environ.get("RICHTSNOER_RETENTION_LOGIN_DAYS", "90"))
# The access log itself (NEN 7513 asks for at least five years).
# The PostgreSQL role the app runs as (README, "Databaserollen"): not the table owner.
RUNTIME_DB_ROLE = os.environ.get("RICHTSNOER_RUNTIME_DB_ROLE", "richtsnoer_app")
RETENTION_ACCESS_LOG_YEARS = int(os.environ.get("RICHTSNOER_RETENTION_LOG_YEARS", "5"))

# CDS Hooks: the public base URL of this service, as clients put it in the JWT's "aud"
# (e.g. https://richtsnoer.gemeente.nl). Empty: taken from each request's own host.
CDS_HOOKS_BASE_URL = os.environ.get("RICHTSNOER_CDS_BASE_URL", "").rstrip("/")

# Production hardening; relaxed only under DEBUG.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = 0 if DEBUG else int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Logs go to stderr as one JSON object per line (ops/logs.py), without personal data;
# DJANGO_LOG_FORMAT=text gives plain lines. richtsnoer.request logs one line per request
# at INFO (route name, method, status, ms).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "ops.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "text" if os.environ.get("DJANGO_LOG_FORMAT") == "text" else "json",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
    "loggers": {
        "richtsnoer": {"level": os.environ.get("RICHTSNOER_LOG_LEVEL", "INFO")},
        # The access log's chain head ("toegangslog kop ID HASH"): ids and a hash, no content.
        # Kept outside the database so that emptying the table is detectable too.
        "richtsnoer.toegang": {"level": "INFO"},
    },
}

# /metrics/ answers only these networks (comma-separated addresses or CIDR ranges).
METRICS_ALLOWED_NETWORKS = env_list("RICHTSNOER_METRICS_ALLOWED", "127.0.0.1/32,::1/128")
# /health/ reports the task worker as stuck when a task waits longer than this.
HEALTH_TASK_MAX_WAIT = int(os.environ.get("RICHTSNOER_HEALTH_TASK_MAX_WAIT", "300"))
