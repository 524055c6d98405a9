"""Local development and the demo: DEBUG on, SQLite, console email."""

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "django-insecure-demo-only-key-change-me"  # noqa: S105 - never used outside the demo
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
