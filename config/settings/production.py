"""Production: everything secret or site-specific comes from the environment (see docs/deploy.md).

Required: SECRET_KEY, ALLOWED_HOSTS (comma-separated), DATABASE_URL (PostgreSQL). A missing or
empty one stops start-up with one line naming it.

Optional: CSRF_TRUSTED_ORIGINS (comma-separated), WAGTAILADMIN_BASE_URL; EMAIL_HOST, EMAIL_PORT,
EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, DEFAULT_FROM_EMAIL; MEDIA_ROOT, or
AWS_STORAGE_BUCKET_NAME with AWS_S3_ENDPOINT_URL, AWS_S3_REGION_NAME, AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY for S3-compatible media storage; SECURE_SSL_REDIRECT (default true),
SECURE_HSTS_SECONDS (default one year); TRAINING_TASK_LAG_LIMIT (seconds, for /healthz); TRAINING_ATTEMPTS_PER_MINUTE;
TRUSTED_PROXY_COUNT (proxies in front of the site, default 1, for login throttling by address).
"""

import os
import sys
from pathlib import Path

import dj_database_url

from .base import *  # noqa: F403


def required(name: str) -> str:
    """The value of environment variable ``name``; start-up stops with one line if it is missing or empty."""
    value = os.environ.get(name, "").strip()
    if not value:
        sys.exit(f"Set the environment variable {name}: the production settings need it (see docs/deploy.md).")
    return value


def listed(name: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


def flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = False
SECRET_KEY = required("SECRET_KEY")
ALLOWED_HOSTS = [host.strip() for host in required("ALLOWED_HOSTS").split(",") if host.strip()]
CSRF_TRUSTED_ORIGINS = listed("CSRF_TRUSTED_ORIGINS")

DATABASES = {"default": dj_database_url.parse(required("DATABASE_URL"), conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Wagtail's search index uses PostgreSQL's full-text fields there, which need this app.
    INSTALLED_APPS = [*INSTALLED_APPS, "django.contrib.postgres"]  # noqa: F405

# Shared by every web process, so limits and sessions hold across them.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "training_cache"}}

WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "")

MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": os.environ.get("EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("EMAIL_PORT", "25")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": flag("EMAIL_USE_TLS", False),
            "timeout": 20,
        },
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", DEFAULT_FROM_EMAIL)  # noqa: F405

# Static files are served by WhiteNoise from the web processes; media from a folder or S3-compatible storage.
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]  # noqa: F405
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", STATIC_ROOT))  # noqa: F405
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", MEDIA_ROOT))  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
if bucket := os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# Behind a proxy that terminates TLS and sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = flag("SECURE_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 3600)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = flag("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
# Login throttling counts the client's address, which the proxy passes in X-Forwarded-For.
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "1"))
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]

TRAINING_TASK_LAG_LIMIT = int(os.environ.get("TRAINING_TASK_LAG_LIMIT", "300"))
TRAINING_ATTEMPTS_PER_MINUTE = int(os.environ.get("TRAINING_ATTEMPTS_PER_MINUTE", "30"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
    "loggers": {"django": {"handlers": ["console"], "level": "INFO", "propagate": False}},
}
