"""Production settings. Every value comes from the environment; see .env.example.

Development conveniences come from DJANGO_ENV=development, never from another settings file.
"""

import re
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DJANGO_ENV = env_str("DJANGO_ENV", "production")
DEVELOPMENT = DJANGO_ENV == "development"

DEBUG = env_bool("DEBUG", default=False)
if DEVELOPMENT:
    SECRET_KEY = env_str(
        "SECRET_KEY", "development-only-secret-key-not-for-production-use-0123456789"
    )
else:
    SECRET_KEY = env_str("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEVELOPMENT else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "django_tasks_db",
    "engage.core",
    "engage.accounts",
    "engage.directory",
    "engage.audit",
    "engage.notifications",
    "engage.policies",
    "engage.engagements",
    "engage.releases",
    "engage.documents",
    "engage.responses",
    "engage.collective",
    "engage.demo",
    "engage.outcomes",
    "engage.clarifications",
    "engage.acknowledgements",
    "engage.dissemination",
    "engage.implementation",
    "engage.compacts",
    "engage.sector",
    "engage.impact",
    "engage.briefs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "engage.core.middleware.SecurityHeadersMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "engage.core.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "engage.accounts.middleware.ActiveOrganisationMiddleware",
    "engage.accounts.middleware.RequireMFAMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "engage" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # The GOV.UK helpers (govuk_tag, ...) in every template without a {% load %}.
            "builtins": ["engage.core.templatetags.govuk"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "engage.core.context_processors.service",
                "engage.accounts.context_processors.organisations",
            ],
        },
    },
]


def database_settings(url: str) -> dict[str, Any]:
    """One database's settings from its URL. On SQLite, so that the web server and the task
    worker can both write (see docs/decisions/0008-sqlite-with-two-writers.md): write-ahead
    logging, so readers never block the writer; transactions that take the write lock when
    they begin (IMMEDIATE), so one that has read cannot fail later on upgrading to write; and
    a busy timeout, so a writer waits its turn instead of answering "database is locked"."""
    settings: dict[str, Any] = dict(
        dj_database_url.parse(
            url,
            conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    )
    if settings["ENGINE"] == "django.db.backends.sqlite3":
        settings["OPTIONS"] = {
            **settings.get("OPTIONS", {}),
            "init_command": "PRAGMA journal_mode=WAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": env_int("SQLITE_BUSY_TIMEOUT", 20),
        }
    elif settings["ENGINE"] == "django.db.backends.postgresql":
        # No JIT compilation: a page's queries run in milliseconds, and PostgreSQL's JIT,
        # which starts on a cost estimate, spent 600 ms compiling the CSV export's query at
        # national scale (ten years) before running it in 40 ms.
        settings["OPTIONS"] = {**settings.get("OPTIONS", {}), "options": "-c jit=off"}
    return settings


DATABASES = {
    "default": database_settings(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:home"

# django-allauth: email and password only, no open sign-up (see engage.accounts.adapter).
ACCOUNT_ADAPTER = "engage.accounts.adapter.AccountAdapter"
# allauth's forms with Engage's wording (GOV.UK style).
ACCOUNT_FORMS = {
    "login": "engage.accounts.forms.SignInForm",
    "reset_password": "engage.accounts.allauth_forms.ResetPasswordForm",
    "reset_password_from_key": "engage.accounts.allauth_forms.ResetPasswordKeyForm",
    "change_password": "engage.accounts.allauth_forms.ChangePasswordForm",
    "set_password": "engage.accounts.allauth_forms.SetPasswordForm",
    "reauthenticate": "engage.accounts.allauth_forms.ReauthenticateForm",
}
MFA_ADAPTER = "engage.accounts.adapter.MFAAdapter"
MFA_FORMS = {
    "authenticate": "engage.accounts.allauth_forms.AuthenticateForm",
    "reauthenticate": "engage.accounts.allauth_forms.MFAReauthenticateForm",
    "activate_totp": "engage.accounts.allauth_forms.ActivateTOTPForm",
}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_PREVENT_ENUMERATION = True


def _rate(name: str, default: str) -> str:
    """A count and a period in allauth's rate syntax, such as 5/15m (s, m, h or d)."""
    value = env_str(name, default).strip()
    if not re.fullmatch(r"[1-9]\d*/\d*[smhd]", value):
        raise ImproperlyConfigured(
            f"{name} must be a count and a period like 5/15m, not {value!r}."
        )
    return value


# Failed sign-ins (wrong password or authenticator code) before a wait, counted per account
# from any address, and per address across accounts. The per-address limit is far higher, so
# colleagues behind one office address do not lock each other out; the per-account limit
# stops guessing one person's password from many addresses. Counted in the shared cache.
LOGIN_FAILURES_PER_ACCOUNT = _rate("LOGIN_FAILURES_PER_ACCOUNT", "5/15m")
LOGIN_FAILURES_PER_ADDRESS = _rate("LOGIN_FAILURES_PER_ADDRESS", "100/15m")
ACCOUNT_RATE_LIMITS = {
    "login_failed": f"{LOGIN_FAILURES_PER_ADDRESS}/ip,{LOGIN_FAILURES_PER_ACCOUNT}/key",
}
# How many proxies put the client's address in X-Forwarded-For (0: use the connection's).
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# Requests for a voluntary-sector account from one address in an hour (a public form).
ACCOUNT_REQUESTS_PER_HOUR = env_int("ACCOUNT_REQUESTS_PER_HOUR", 5)
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Engage"
# Accept the code of the 30-second step before or after the current one (RFC 6238 advises
# allowing for clock drift); a code is still refused a second time within its period.
MFA_TOTP_TOLERANCE = 1
MFA_RECOVERY_CODE_COUNT = 10

# A session ends 8 hours after sign-in however active (absolute), or after 30 minutes without
# a request (idle); engage.core.middleware.SessionTimeoutMiddleware keeps both.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 8)
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 60 * 30)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEVELOPMENT)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEVELOPMENT)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEVELOPMENT else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEVELOPMENT)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_PROXY") else None
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# A strict Content Security Policy: only our own scripts, styles, images and fonts.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

LANGUAGE_CODE = "en-gb"
# Only languages the pages are written in: a language listed here is one LocaleMiddleware may
# pick from Accept-Language and declare in <html lang>. Add Welsh with its translations.
LANGUAGES = [("en-gb", _("English"))]
LOCALE_PATHS = [BASE_DIR / "engage" / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "engage" / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        # Uploaded files live outside the web root and are served only through views.
        "OPTIONS": {"location": env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "uploads"))},
    },
    # WhiteNoise's compressed manifest storage, also rewriting JS module imports.
    "staticfiles": {"BACKEND": "engage.core.storage.StaticFilesStorage"},
}

# Email (Django 6.1 mailers). EMAIL_BACKEND picks the backend; SMTP options apply to smtp only.
EMAIL_BACKEND_PATH = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEVELOPMENT
    else "django.core.mail.backends.smtp.EmailBackend",
)
_mailer_options: dict[str, object] = {}
if EMAIL_BACKEND_PATH.endswith("smtp.EmailBackend"):
    _mailer_options = {
        "host": env_str("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": env_str("EMAIL_HOST_USER", ""),
        "password": env_str("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS", default=False),
        "timeout": env_int("EMAIL_TIMEOUT", 20),
    }
elif EMAIL_BACKEND_PATH.endswith("filebased.EmailBackend"):
    _mailer_options = {"file_path": env_str("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))}
elif EMAIL_BACKEND_PATH == "engage.core.notify_backend.NotifyEmailBackend":
    # GOV.UK Notify: one generic template, ((subject)) and ((body)) (docs/decisions/0018).
    _mailer_options = {
        "api_key": env_str("NOTIFY_API_KEY", ""),
        "template_id": env_str("NOTIFY_TEMPLATE_ID", ""),
        "base_url": env_str("NOTIFY_BASE_URL", ""),
        "timeout": env_int("EMAIL_TIMEOUT", 20),
    }
    if not _mailer_options["api_key"] or not _mailer_options["template_id"]:
        raise ImproperlyConfigured(
            "EMAIL_BACKEND is GOV.UK Notify: set NOTIFY_API_KEY and NOTIFY_TEMPLATE_ID."
        )
MAILERS = {"default": {"BACKEND": EMAIL_BACKEND_PATH, "OPTIONS": _mailer_options}}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Engage <no-reply@engage.example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The bearer token GOV.UK Notify sends with its delivery receipts (POST /notify/delivery-status/);
# without one the callback answers 404.
NOTIFY_CALLBACK_TOKEN = env_str("NOTIFY_CALLBACK_TOKEN", "")

# Background work: Django's tasks framework on the database backend, run by
# `manage.py run_worker` (db_worker with recovery, docs/decisions/0006). A task whose worker
# has not shown a sign of life for the lease is run again; one whose worker died this many
# times is marked failed instead.
TASKS = {"default": {"BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}
TASK_LEASE_SECONDS = env_int("TASK_LEASE_SECONDS", 60)
TASK_MAX_ATTEMPTS = env_int("TASK_MAX_ATTEMPTS", 5)
if TASK_LEASE_SECONDS < 1 or TASK_MAX_ATTEMPTS < 1:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("TASK_LEASE_SECONDS and TASK_MAX_ATTEMPTS must be 1 or more.")

# Periodic tasks (engage/core/periodic.py): each worker's heartbeat enqueues every registered
# periodic task once per this many minutes, once across all workers.
PERIODIC_TASK_MINUTES = env_int("PERIODIC_TASK_MINUTES", 5)
if PERIODIC_TASK_MINUTES < 1:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("PERIODIC_TASK_MINUTES must be 1 or more.")

# The timing the protocol asks for (national duties 2 and 4): a response window shorter than
# this many days, or a change notice taking effect sooner than this many days after it opens,
# needs a recorded reason, shown to the audience and counted in the protocol review figures.
ENGAGE_MIN_RESPONSE_DAYS = env_int("ENGAGE_MIN_RESPONSE_DAYS", 21)
ENGAGE_CHANGE_NOTICE_DAYS = env_int("ENGAGE_CHANGE_NOTICE_DAYS", 14)
if ENGAGE_MIN_RESPONSE_DAYS < 1 or ENGAGE_CHANGE_NOTICE_DAYS < 0:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "ENGAGE_MIN_RESPONSE_DAYS must be 1 or more and ENGAGE_CHANGE_NOTICE_DAYS 0 or more."
    )

# The cache holds the sign-in and form throttles, allauth's TOTP replay guard and the locks
# they take, so every process must share it: Redis when REDIS_URL is set, else the database
# (table made by migration core 0001). Never a per-process memory cache, in any environment.
REDIS_URL = env_str("REDIS_URL", "")
CACHE_TABLE = "engage_cache"
CACHES: dict[str, dict[str, Any]]
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "engage"),
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": CACHE_TABLE,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "engage"),
            # Past MAX_ENTRIES the database cache deletes a third of its keys in key order,
            # expired or not: a low cap would let someone spraying throttle keys erase an
            # account's lock. Expired keys are still removed first.
            "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 100_000)},
        }
    }

SERVICE_NAME = "Engage"
SUPPORT_EMAIL = env_str("SUPPORT_EMAIL", "support@engage.example.org")
# Messages live in the session, so the service sets no cookie beyond the two essential ones.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000" if DEVELOPMENT else "")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# Demo data (`manage.py seed_demo`, development only): every persona shares these.
DEMO_PASSWORD = env_str("DEMO_PASSWORD", "engage-demo-password")
DEMO_TOTP_SECRET = env_str("DEMO_TOTP_SECRET", "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
