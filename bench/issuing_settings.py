"""Settings of the issuing benchmark's throwaway database and task workers (see bench/certificates.py)."""

import os
from pathlib import Path

import dj_database_url

from config.settings.test import *  # noqa: F403

FOLDER = Path(os.environ["BENCH_FOLDER"])
if database_url := os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(database_url)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": FOLDER / "bench.sqlite3",
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"},
        }
    }
MEDIA_ROOT = FOLDER / "media"
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
