"""The test suite: SQLite by default, PostgreSQL when DATABASE_URL is set."""

import os

import dj_database_url

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
ALLOWED_HOSTS = ["*"]

if database_url := os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(database_url)}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
WAGTAILADMIN_BASE_URL = "http://testserver"

# Wagtail's own tasks run at once in tests; their progress lines are noise there.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "loggers": {
        "django.tasks": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        # Lockouts are what the throttling tests provoke.
        "axes": {"level": "ERROR"},
    },
}

# Tests submit far faster than a person; the tests of the limits set their own.
TRAINING_ATTEMPTS_PER_MINUTE = 10_000
